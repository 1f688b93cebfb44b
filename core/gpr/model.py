"""The Radargram: one GPR profile (one channel of one file).

Samples are kept memory-mapped in the file's own sample type (``raw``,
traces x samples); ``data`` converts to float32 samples x traces when it is
first used, so opening even a 2 GB file takes constant time and memory.
Processing steps are pure functions returning a new Radargram whose
``history`` has one more (step, parameters, version) entry.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..version import __version__

C_M_PER_NS = 0.299792458  #: speed of light in vacuum (m/ns)


@dataclass
class Antenna:
    name: str = ""
    frequency_mhz: float | None = None  #: centre frequency; None when unknown (never required)
    separation_m: float | None = None


@dataclass
class Radargram:
    """One GPR profile.

    :ivar raw: traces x samples array in the file's sample type (usually a
        ``np.memmap`` view); may be None once ``data`` has been replaced by
        processing.
    :ivar dt_ns: sample interval (ns).
    :ivar distance_m: along-line distance of every trace (m), or None.
    :ivar x, y, z: trace positions in ``crs`` (map units), or None.
    """

    path: Path | None
    format: str
    dt_ns: float
    raw: np.ndarray | None = None
    antenna: Antenna = field(default_factory=Antenna)
    channel: int = 0
    n_channels: int = 1
    distance_m: np.ndarray | None = None
    trace_spacing_m: float | None = None
    time_zero_ns: float = 0.0
    x: np.ndarray | None = None
    y: np.ndarray | None = None
    z: np.ndarray | None = None
    crs: str = ""
    gps: Any = None  #: reader-specific GPS fixes (see georef.GpsFixes)
    marks: list[int] = field(default_factory=list)
    header: dict[str, Any] = field(default_factory=dict)
    history: list[tuple[str, dict[str, Any], str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: added to raw values when converting (unsigned mid-scale, DC offsets)
    raw_offset: float = 0.0
    _data: np.ndarray | None = field(default=None, repr=False)

    # --- shape ---------------------------------------------------------
    @property
    def n_traces(self) -> int:
        if self._data is not None:
            return int(self._data.shape[1])
        return int(self.raw.shape[0]) if self.raw is not None else 0

    @property
    def n_samples(self) -> int:
        if self._data is not None:
            return int(self._data.shape[0])
        return int(self.raw.shape[1]) if self.raw is not None else 0

    @property
    def shape(self) -> tuple[int, int]:
        """(samples, traces)."""
        return self.n_samples, self.n_traces

    @property
    def twt_ns(self) -> np.ndarray:
        """Two-way travel time of every sample (ns), time zero at 0."""
        return np.arange(self.n_samples, dtype=np.float64) * self.dt_ns - self.time_zero_ns

    # --- samples ---------------------------------------------------------
    @property
    def data(self) -> np.ndarray:
        """float32 samples x traces (converted on first use, then kept)."""
        if self._data is None:
            self._data = self.traces_float32(0, self.n_traces)
        return self._data

    def traces_float32(self, start: int, stop: int) -> np.ndarray:
        """float32 samples x traces for traces [start, stop), straight from the
        mapped file (does not keep a copy).

        The array is a transposed view of a traces x samples buffer, so each
        trace is contiguous in memory (Fortran order); converting needs no
        transpose copy. Use ``np.ascontiguousarray`` where C order is needed.
        """
        if self._data is not None:
            return self._data[:, start:stop]
        if self.raw is None:
            raise ValueError("radargram has no samples")
        n = max(0, min(stop, self.raw.shape[0]) - start)
        block = np.empty((n, self.raw.shape[1]), dtype=np.float32)
        for a in range(0, n, 4096):  # chunked: bounded temporaries, page cache friendly
            b = min(n, a + 4096)
            block[a:b] = self.raw[start + a:start + b]
        if self.raw_offset:
            block += np.float32(self.raw_offset)
        return block.T

    # --- derived copies -----------------------------------------------------
    def with_data(self, data: np.ndarray, step: str, params: dict[str, Any], **changes: Any) -> Radargram:
        """A new radargram with processed samples and one more history entry."""
        if data.ndim != 2:
            raise ValueError("data must be samples x traces")
        new = copy.copy(self)
        new.raw = None
        new._data = np.asarray(data, dtype=np.float32)
        new.history = [*self.history, (step, dict(params), __version__)]
        new.warnings = list(self.warnings)
        new.header = dict(self.header)
        for key, value in changes.items():
            setattr(new, key, value)
        return new

    def history_text(self) -> str:
        """The processing history, one step a line (written into outputs)."""
        lines = [f"PipeMap {__version__}: {self.format} {self.path.name if self.path else ''}"]
        for step, params, version in self.history:
            args = ", ".join(f"{k}={v}" for k, v in params.items())
            lines.append(f"{step}({args}) [PipeMap {version}]")
        return "\n".join(lines)

    def velocity_to_depth(self, velocity_m_ns: float) -> np.ndarray:
        """Depth of every sample (m) for a velocity, time zero at the surface."""
        return np.maximum(self.twt_ns, 0.0) * velocity_m_ns / 2.0
