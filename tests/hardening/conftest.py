"""Shared harness of the hardening tests (issue 10): bad input, faults, load.

Every reader and importer is driven through :meth:`Harness.attempt`, which
allows exactly two outcomes:

* a result, or
* a :class:`~pipemap.core.errors.PipeMapError` whose message names one of
  the input files,

within a time limit (a SIGALRM watchdog: no hang) and an allocation limit
(``tracemalloc`` peak: a header claiming 10^12 traces must not allocate
them; numpy allocations are traced, memory-mapped files are not). Any other
exception, a hang or an allocation beyond the limit fails the test: that is
a *finding*.

Each fuzz target counts its executions and outcomes; the counts are written
to ``<test-output>/hardening-fuzz-<profile>.json`` at the end of the session
(the figures of ``docs/reliability.md``); fault cases to ``hardening-faults.json``. A new target (a format still being
built) needs a strategy producing files and one ``harness.attempt`` call,
nothing else.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
import time
import tracemalloc
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT.parent / "shared" / "data" / "gpr" / "real"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

#: default limits of one attempt
SECONDS = 20.0
ALLOC_MB = 256.0


class HangError(Exception):
    """Raised by the watchdog inside an attempt that ran past its time limit."""


@dataclass
class Outcome:
    kind: str  #: "ok" or "refused"
    value: Any = None
    error: BaseException | None = None
    seconds: float = 0.0
    peak_mb: float = 0.0


@dataclass
class TargetStats:
    executions: int = 0
    outcomes: Counter = field(default_factory=Counter)
    codes: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    max_seconds: float = 0.0
    max_peak_mb: float = 0.0


def _example_budget(fraction: float, minimum: int = 5) -> int:
    """max_examples for a target: a fraction of the active profile's (200 in
    the suite, 20,000 with ``make fuzz``), so slow targets stay short."""
    from hypothesis import settings

    return max(minimum, int(settings.default.max_examples * fraction))


class Harness:
    """Bounded attempts, outcome counting, real files and subprocess helpers."""

    def __init__(self, scratch: Path) -> None:
        self.scratch = scratch
        self.stats: dict[str, TargetStats] = defaultdict(TargetStats)
        self.faults: dict[str, dict[str, Any]] = {}
        self.link_dir = _link_dir()

    def record_faults(self, case: str, injected: int, **figures: Any) -> None:
        """Figures of a fault-injection case for the reliability table (``hardening-faults.json``)."""
        self.faults[case] = {"faults_injected": injected, **figures}

    # --- bounded attempts -------------------------------------------------------------
    def attempt(self, target: str, fn: Callable[[], Any], names: Iterable[str | os.PathLike[str]], *,
                seconds: float = SECONDS, alloc_mb: float = ALLOC_MB) -> Outcome:
        """Run ``fn`` once under the rules in the module docstring.

        :param target: the fuzz target the execution is counted under.
        :param names: the input files; a refusal must name one of them (by
            name or path).
        :raises AssertionError: a refusal that names no input file, or an
            allocation beyond ``alloc_mb``; any other exception propagates.
        """
        from pipemap.core.errors import PipeMapError

        wanted = [Path(n).name for n in names]
        stats = self.stats[target]
        was_tracing = tracemalloc.is_tracing()
        if not was_tracing:
            tracemalloc.start()
        tracemalloc.reset_peak()
        previous = signal.signal(signal.SIGALRM, _on_alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        t0 = time.perf_counter()
        outcome: Outcome
        try:
            try:
                value = fn()
            except PipeMapError as exc:
                outcome = Outcome("refused", error=exc)
            except BaseException:
                stats.outcomes["unexpected"] += 1  # a finding: the test fails with this traceback
                raise
            else:
                outcome = Outcome("ok", value=value)
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
            outcome_seconds = time.perf_counter() - t0
            _, peak = tracemalloc.get_traced_memory()
            if not was_tracing:
                tracemalloc.stop()
            stats.executions += 1
            stats.seconds += outcome_seconds
            stats.max_seconds = max(stats.max_seconds, outcome_seconds)
            stats.max_peak_mb = max(stats.max_peak_mb, peak / 2**20)
        outcome.seconds, outcome.peak_mb = outcome_seconds, peak / 2**20
        stats.outcomes[outcome.kind] += 1
        if outcome.error is not None:
            stats.codes[getattr(outcome.error, "code", "?")] += 1
            text = str(outcome.error)
            assert any(n and n in text for n in wanted), f"refusal does not name the file ({wanted}): {text}"
        assert outcome.peak_mb <= alloc_mb, f"{target}: allocated {outcome.peak_mb:.0f} MB (limit {alloc_mb:.0f} MB)"
        return outcome

    def example_dir(self) -> Path:
        """A fresh folder for one example (removed with the session's scratch)."""
        return Path(tempfile.mkdtemp(prefix="ex-", dir=self.scratch))

    # --- files --------------------------------------------------------------------------
    @staticmethod
    def real(rel: str) -> Path:
        """A real GPR sample (read-only; copy before changing it)."""
        path = REAL / rel
        if not path.is_file():
            if IN_CI:
                pytest.fail(f"real GPR sample {path} missing in CI")
            pytest.skip(f"real GPR sample {path} not present")
        return path

    @staticmethod
    def copy(src: Path, folder: Path, name: str | None = None) -> Path:
        dst = folder / (name or src.name)
        shutil.copyfile(src, dst)
        return dst

    @staticmethod
    def make_xlsx(path: Path, strings: list[str], rows: list[list[int]], *, doctype: str = "",
                  extra: dict[str, bytes] | None = None) -> Path:
        """A minimal XLSX (shared strings + one sheet) written by hand, so hostile parts can be put in.

        :param strings: the shared strings; ``rows`` hold indexes into them.
        :param doctype: inserted before the shared strings' root element (a DOCTYPE with entities).
        :param extra: more zip members (name -> bytes).
        """
        import zipfile

        main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
        rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
        pkg_rel = "http://schemas.openxmlformats.org/package/2006/relationships"
        ct = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
              'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
              'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
              '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
              'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
              'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.'
              'xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
              '</Types>')
        root_rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg_rel}"><Relationship '
                     f'Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        workbook = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
                    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
        wb_rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{pkg_rel}"><Relationship '
                   f'Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
                   f'Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>')
        cells = "".join(f'<row r="{i + 1}">' + "".join(f'<c r="{chr(65 + j)}{i + 1}" t="s"><v>{v}</v></c>'
                                                       for j, v in enumerate(r)) + "</row>"
                        for i, r in enumerate(rows))
        sheet = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>{cells}</sheetData>' \
                '</worksheet>'
        items = "".join(f"<si><t>{t}</t></si>" for t in strings)
        shared = f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<sst xmlns="{main}" count="{len(strings)}" ' \
                 f'uniqueCount="{len(strings)}">{items}</sst>'
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, text in (("[Content_Types].xml", ct), ("_rels/.rels", root_rels), ("xl/workbook.xml", workbook),
                               ("xl/_rels/workbook.xml.rels", wb_rels), ("xl/worksheets/sheet1.xml", sheet),
                               ("xl/sharedStrings.xml", shared)):
                zf.writestr(name, text)
            for name, data in (extra or {}).items():
                zf.writestr(name, data)
        return path

    @staticmethod
    def sha256(path: Path) -> str:
        return hashlib.sha256(path.read_bytes()).hexdigest()

    @staticmethod
    def tree_state(folder: Path) -> dict[str, str]:
        """Relative path -> SHA-256 (files) or '<dir>' / '-> target' for every entry under ``folder``."""
        out: dict[str, str] = {}
        for p in sorted(folder.rglob("*")):
            rel = p.relative_to(folder).as_posix()
            if p.is_symlink():
                out[rel] = f"-> {os.readlink(p)}"
            elif p.is_dir():
                out[rel] = "<dir>"
            elif p.is_file():
                out[rel] = hashlib.sha256(p.read_bytes()).hexdigest()
            else:  # a FIFO or device: never opened (opening a FIFO blocks)
                out[rel] = "<special>"
        return out

    @staticmethod
    def leftovers(folder: Path) -> list[str]:
        """Files PipeMap's writers have only while running: ``.*part*`` temporaries and SQLite rollback
        journals (a left journal is an interrupted transaction). WAL and shared-memory files of a map in
        WAL mode are part of the database, not partial output."""
        return sorted(p.name for p in folder.iterdir()
                      if ".part" in p.name or p.name.endswith("-journal") and p.stat().st_size)

    # --- child processes ---------------------------------------------------------------------
    def python(self, code: str, *, args: list[str] | None = None, fsize: int | None = None,
               env: dict[str, str] | None = None, wrap: list[str] | None = None,
               stdout: Any = subprocess.PIPE) -> subprocess.Popen:
        """Start ``code`` in a child Python that imports the checkout as ``pipemap``.

        :param fsize: a file-size limit (bytes, RLIMIT_FSIZE) with SIGXFSZ
            ignored, so that a write past it fails with EFBIG ("disk full").
        :param wrap: a command prefix (e.g. an ``unshare`` read-only mount).
        """
        prelude = f"import sys\nsys.path.insert(0, {str(self.link_dir)!r})\n"
        if fsize is not None:
            prelude += textwrap.dedent(f"""
                import resource, signal
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
                resource.setrlimit(resource.RLIMIT_FSIZE, ({int(fsize)}, {int(fsize)}))
            """)
        cmd = [sys.executable, "-P", "-c", prelude + textwrap.dedent(code), *(args or [])]
        full_env = dict(os.environ, PYTHONUNBUFFERED="1", **(env or {}))
        return subprocess.Popen((wrap or []) + cmd, stdout=stdout, stderr=subprocess.PIPE, text=True,
                                env=full_env, start_new_session=True)

    def run_python(self, code: str, *, timeout: float = 180.0, **kwargs: Any) -> subprocess.CompletedProcess:
        proc = self.python(code, **kwargs)
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            raise AssertionError(f"child did not finish in {timeout} s: {err[-2000:]}") from None
        return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _on_alarm(signum: int, frame: Any) -> None:
    raise HangError("time limit of the attempt exceeded")


def _link_dir() -> Path:
    """The folder holding the ``pipemap`` symlink the tests import (for child processes)."""
    import pipemap

    return Path(pipemap.__file__).parent.parent


@pytest.fixture(scope="session")
def harness(tmp_path_factory: pytest.TempPathFactory, output_dir: Path,
            request: pytest.FixtureRequest) -> Iterator[Harness]:
    h = Harness(tmp_path_factory.mktemp("hardening"))
    profile = request.config.getoption("hypothesis_profile", None) or os.environ.get("HYPOTHESIS_PROFILE", "default")
    yield h
    if h.faults:
        faults = output_dir / "hardening-faults.json"
        known: dict[str, Any] = {}
        with contextlib.suppress(OSError, ValueError):
            known = json.loads(faults.read_text(encoding="utf-8"))
        known.update(h.faults)
        faults.write_text(json.dumps(known, indent=2, sort_keys=True), encoding="utf-8")
    if not h.stats:
        return
    report = output_dir / f"hardening-fuzz-{profile}.json"  # one file a profile: the suite does not overwrite
    # the figures of a long run
    previous: dict[str, Any] = {}
    with contextlib.suppress(OSError, ValueError):
        previous = json.loads(report.read_text(encoding="utf-8"))
    from hypothesis import settings

    for name, st in sorted(h.stats.items()):
        previous[name] = {
            "profile_max_examples": settings.default.max_examples,
            "executions": st.executions,
            "outcomes": dict(st.outcomes),
            "refusal_codes": dict(st.codes.most_common()),
            "mean_ms": round(1000.0 * st.seconds / max(1, st.executions), 2),
            "max_s": round(st.max_seconds, 3),
            "max_alloc_mb": round(st.max_peak_mb, 1),
        }
    report.write_text(json.dumps(previous, indent=2, sort_keys=True), encoding="utf-8")


@pytest.fixture(scope="session")
def budget() -> Callable[[float], int]:
    return _example_budget


@pytest.fixture(scope="session")
def sample_map(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Any]:
    """A small imported sample district map and its tables (copy before changing)."""
    from pipemap.core import mapfile, sample_district
    from pipemap.core.survey import importer

    folder = tmp_path_factory.mktemp("hardening-district")
    district = sample_district.generate(folder, errors=False)
    target = folder / "map.gpkg"
    mapfile.create_map(target, "EPSG:4547")
    assert importer.import_survey(target, district.tables).committed
    return target, district


@pytest.fixture(scope="session")
def empty_map(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An empty map (copy before changing)."""
    from pipemap.core import mapfile

    target = tmp_path_factory.mktemp("hardening-empty") / "empty.gpkg"
    mapfile.create_map(target, "EPSG:4547")
    return target
