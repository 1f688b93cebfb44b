"""Progress and cancellation protocol shared by every long-running core job.

Core functions take an optional ``progress`` object; the Processing layer
bridges it to ``QgsProcessingFeedback`` and the GUI to a task.
"""

from __future__ import annotations

from typing import Protocol

from .errors import CancelledError


class Progress(Protocol):
    def report(self, fraction: float, message: str = "") -> None:
        """Report completion in [0, 1] and an optional status line."""

    def cancelled(self) -> bool:
        """True when the user asked to stop."""

    def info(self, message: str) -> None:
        """A line of information for the log."""

    def warning(self, message: str) -> None:
        """A problem that does not stop the job."""


class NullProgress:
    """Progress sink that ignores everything and never cancels."""

    def report(self, fraction: float, message: str = "") -> None:
        pass

    def cancelled(self) -> bool:
        return False

    def info(self, message: str) -> None:
        pass

    def warning(self, message: str) -> None:
        pass


class RecordingProgress(NullProgress):
    """Progress sink that keeps what it was told (for tests and reports)."""

    def __init__(self, cancel_after: int | None = None) -> None:
        self.fractions: list[float] = []
        self.infos: list[str] = []
        self.warnings: list[str] = []
        self._cancel_after = cancel_after

    def report(self, fraction: float, message: str = "") -> None:
        self.fractions.append(fraction)

    def cancelled(self) -> bool:
        return self._cancel_after is not None and len(self.fractions) >= self._cancel_after

    def info(self, message: str) -> None:
        self.infos.append(message)

    def warning(self, message: str) -> None:
        self.warnings.append(message)


class SubProgress:
    """Progress of one part of a longer job, mapped into [lo, hi] of the outer progress (fractions outside
    [0, 1] are clamped); cancellation, information and warnings pass through."""

    def __init__(self, outer: Progress, lo: float, hi: float) -> None:
        self.outer, self.lo, self.hi = outer, lo, hi

    def report(self, fraction: float, message: str = "") -> None:
        self.outer.report(self.lo + (self.hi - self.lo) * max(0.0, min(1.0, fraction)), message)

    def cancelled(self) -> bool:
        return self.outer.cancelled()

    def info(self, message: str) -> None:
        self.outer.info(message)

    def warning(self, message: str) -> None:
        self.outer.warning(message)


def check_cancel(progress: Progress) -> None:
    """Raise :class:`CancelledError` when the user asked to stop."""
    if progress.cancelled():
        raise CancelledError()
