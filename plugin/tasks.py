"""Long work for the workbench: Processing algorithms run by id as tasks.

The panel runs PipeMap's own Processing algorithms, so the GUI and batch runs
(``qgis_process``) share one code path. :class:`AlgorithmRunner` keeps a
reference to the running :class:`QgsProcessingAlgRunnerTask`, its context and
its feedback, runs queued jobs one after another, reports progress, and can
cancel. An algorithm flagged ``FlagNoThreading`` (the 3D renderer needs the
GUI thread for OpenGL) runs on the main thread, as QGIS's own dialogs do.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable

from qgis.core import (
    QgsApplication,
    QgsProcessingAlgorithm,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProject,
    QgsTask,
)
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

#: callback(ok, results, log) called on the main thread when a job ends
Done = Callable[[bool, dict, str], None]

#: (task, context, feedback) of runs still going when their runner went away (plugin unload): the
#: task keeps C++ references to its context and feedback, so they must live until it ends
_ORPHANS: list[tuple[Any, Any, Any]] = []


def _forget_orphans() -> None:
    _ORPHANS[:] = [o for o in _ORPHANS if not sip.isdeleted(o[0]) and o[0].status() not in (
        QgsTask.Complete, QgsTask.Terminated)]


def algorithm(alg_id: str) -> QgsProcessingAlgorithm | None:
    """The registered algorithm, or None (e.g. an algorithm not written yet)."""
    return QgsApplication.processingRegistry().algorithmById(alg_id)


@dataclass
class Job:
    alg_id: str
    params: dict[str, Any]
    done: Done | None = None
    label: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


class AlgorithmRunner(QObject):
    """Runs Processing algorithms as background tasks, one at a time.

    Signals: ``busy_changed(bool)`` when a run starts or the last queued job
    ends; ``progress_changed(float)`` in percent; ``job_started(str)`` and
    ``job_finished(str, bool)`` with the job's label (and whether it succeeded).
    """

    busy_changed = pyqtSignal(bool)
    progress_changed = pyqtSignal(float)
    job_started = pyqtSignal(str)
    job_finished = pyqtSignal(str, bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.queue: deque[Job] = deque()
        self.job: Job | None = None
        self.task: QgsProcessingAlgRunnerTask | None = None
        self.context: QgsProcessingContext | None = None
        self.feedback: QgsProcessingFeedback | None = None
        self._outcome: tuple[bool, dict] | None = None
        self._cancelled = False
        self.last_log = ""

    # --- state --------------------------------------------------------------
    def is_busy(self) -> bool:
        return self.job is not None or bool(self.queue)

    def was_cancelled(self) -> bool:
        return self._cancelled

    # --- running ------------------------------------------------------------
    def run(self, alg_id: str, params: dict[str, Any], done: Done | None = None, label: str = "") -> bool:
        """Queue one algorithm run; False when the algorithm is not registered."""
        return self.run_many([Job(alg_id, params, done, label)])

    def run_many(self, jobs: list[Job]) -> bool:
        """Queue several runs that go one after another (a failed or
        cancelled one stops the rest)."""
        if any(algorithm(j.alg_id) is None for j in jobs):
            return False
        was_busy = self.is_busy()
        self.queue.extend(jobs)
        if not was_busy:
            self._cancelled = False
            self.busy_changed.emit(True)
            self._next()
        return True

    def cancel(self) -> None:
        """Stop the running job and drop the queued ones."""
        self._cancelled = True
        self.queue.clear()
        task = self.task
        if task is not None and not sip.isdeleted(task):
            task.cancel()
        elif self.feedback is not None:
            self.feedback.cancel()

    def shutdown(self) -> None:
        """Cancel everything; a task still running keeps its context and
        feedback alive until it ends (the runner is about to be deleted)."""
        task = self.task
        self.cancel()
        if task is not None and not sip.isdeleted(task):
            _ORPHANS.append((task, self.context, self.feedback))
            for signal, slot in ((task.executed, self._executed), (task.taskCompleted, self._task_ended),
                                 (task.taskTerminated, self._task_ended)):
                try:
                    signal.disconnect(slot)
                except TypeError:
                    pass
            task.taskCompleted.connect(_forget_orphans)
            task.taskTerminated.connect(_forget_orphans)
        self.task = None
        self.job = None
        self.queue.clear()

    def _next(self) -> None:
        if not self.queue:
            self.job = None
            self.busy_changed.emit(False)
            return
        job = self.queue.popleft()
        self.job = job
        alg = algorithm(job.alg_id)
        self.context = QgsProcessingContext()
        project = QgsProject.instance()
        self.context.setTransformContext(project.transformContext())
        threaded = not alg.flags() & QgsProcessingAlgorithm.FlagNoThreading
        if not threaded:
            self.context.setProject(project)
        # A background run gets no project: its parameters are files (widgets.layer_param), and a
        # project layer found by its source would be read from the worker thread while the canvas
        # draws it on the main thread (a crash seen in CI).
        self.feedback = QgsProcessingFeedback()
        self.feedback.progressChanged.connect(self.progress_changed.emit)
        self._outcome = None
        self.progress_changed.emit(0.0)
        if not job.label:
            job.label = alg.displayName()
        self.job_started.emit(job.label)
        if not threaded:
            QTimer.singleShot(0, lambda: self._run_here(alg))
            return
        task = QgsProcessingAlgRunnerTask(alg, job.params, self.context, self.feedback)
        task.executed.connect(self._executed)
        task.taskCompleted.connect(self._task_ended)
        task.taskTerminated.connect(self._task_ended)
        self.task = task
        QgsApplication.taskManager().addTask(task)

    def _run_here(self, alg: QgsProcessingAlgorithm) -> None:
        if self._cancelled:
            self._finish(False, {})
            return
        results, ok = alg.run(self.job.params, self.context, self.feedback)
        self._finish(bool(ok), dict(results or {}))

    def _executed(self, ok: bool, results: dict) -> None:
        self._outcome = (bool(ok), dict(results or {}))

    def _task_ended(self) -> None:
        # A PipeMap algorithm that sees the cancel raises (and removes its new outputs), so a run
        # that still succeeded ended before the cancel reached it: its outputs are complete and are
        # reported as done (the queued jobs were dropped by cancel()).
        ok, results = self._outcome if self._outcome is not None else (False, {})
        self.task = None
        self._finish(ok, results)

    def _finish(self, ok: bool, results: dict) -> None:
        job = self.job
        log = self.feedback.textLog() if self.feedback is not None else ""
        self.last_log = log
        if not ok:
            self.queue.clear()
        try:
            if job is not None and job.done is not None:
                job.done(ok, results, log)
        except Exception:  # a slot must not raise: log it and go on with the queue
            import traceback

            from qgis.core import Qgis, QgsMessageLog

            QgsMessageLog.logMessage(traceback.format_exc(), "PipeMap", Qgis.Critical)
            ok = False
        finally:
            if job is not None:
                self.job_finished.emit(job.label, ok)
            self.job = None
            self.context = None
            self.feedback = None
            self._next()


class FunctionTask(QgsTask):
    """A short piece of Python work (no widgets) in the background; ``done``
    gets (ok, result or None, error text) on the main thread."""

    def __init__(self, description: str, work: Callable[[QgsTask], Any], done: Callable[[bool, Any, str], None]):
        super().__init__(description, QgsTask.CanCancel)
        self.work = work
        self.done = done
        self.result: Any = None
        self.error = ""

    def run(self) -> bool:
        try:
            self.result = self.work(self)
        except Exception as exc:  # reported in finished(), on the main thread
            self.error = str(exc) or type(exc).__name__
            return False
        return not self.isCanceled()

    def finished(self, ok: bool) -> None:
        self.done(ok, self.result, self.error)
