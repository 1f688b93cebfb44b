"""A process killed mid-write (issue 10, point 3).

Each operation runs in a process of its own that prints a line when the
operation starts and one at every progress report; the test sends SIGKILL
when the k-th report arrives (the first, the middle and the last) and at
fractions of the operation's measured duration after its start (which also
hits the stretches without reports: the final rename, closing the file).
The operations: create a map, import survey tables, upgrade a map, import a
hydraulic model (EPANET Net3) and GIS layers (OSM GeoPackage), and a share
package in every export format (``export.<format>.<zip|dir>``, a small part
of the sample district plus GPR picks). To keep this quick, one child
process imports PipeMap and reads the export data once, then forks a fresh
process for every run (``SERVER``); the kill hits that process, which writes
with the same code and files as any other. After each kill:

* a new target is absent, or complete (the kill came after the rename);
* an existing target is byte-identical (once SQLite has rolled back the hot
  journal a kill inside its transaction leaves), or equal to the complete
  result;
* the sources are unchanged;
* what the killed writer left are hidden temporary copies only (SIGKILL
  allows no clean-up): they are counted, PipeMap never reads them (the
  table finder skips hidden files), and the next write of the same map or
  package removes those older than ``mapfile.STALE_PART_S`` (checked here by
  ageing them);
* a complete share package passes ``verify_package``.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SERVER = r'''
import json, os, sys, time, traceback
from pathlib import Path
from pipemap.core.progress import NullProgress


def emit(text):
    """One line in one write(): a run killed by SIGKILL never leaves half a line (print() writes the text and
    the newline separately)."""
    os.write(1, (text + "\n").encode())


class Printing(NullProgress):
    def report(self, fraction, message=""):
        emit(f"P {fraction:.4f}")


def export_data(fixtures):
    # a small part of the sample district (the EXTENT) with 30 GPR picks
    import numpy as np
    from pipemap.core.export import model, profiles
    rows = [{"pick_id": f"line1:{i}", "survey_id": "line1", "kind": "hyperbola", "distance_m": 0.5 * i,
             "depth_m": 1.0 + 0.01 * i, "t0_ns": 12.0, "velocity_m_ns": 0.1, "radius_m": 0.05, "confidence": 0.8,
             "category": "JS"} for i in range(30)]
    xyz = np.array([[537990.0 + i, 3379990.0 + 0.5 * i, 24.0 - 0.01 * i] for i in range(30)])
    picks = model.LayerData.from_rows("gpr_pick", model.PICK_FIELDS, rows, xyz)
    return model.read_map(fixtures["district_map"], profiles.load_profile("full"), extent=tuple(fixtures["extent"]),
                          picks=picks)


def run(work, op, fixtures, data):
    from pipemap.core import mapfile
    progress = Printing()
    emit("S")
    t0 = time.perf_counter()
    if op == "createmap":
        mapfile.create_map(work / "target.gpkg", "EPSG:4547", overwrite=True, progress=progress)
    elif op == "importsurvey":
        from pipemap.core.survey import importer
        importer.import_survey(work / "target.gpkg", fixtures["tables"], progress=progress)
    elif op == "upgrade":
        mapfile.upgrade_map(work / "target.gpkg", progress=progress)
    elif op == "importmodel":
        from pipemap.core.models import importer
        importer.import_model(work / "target.gpkg", fixtures["net3"], progress=progress)
    elif op == "importlayers":
        from pipemap.core.models import layers
        layers.import_layers(work / "target.gpkg", fixtures["osm"], mapping="osm", progress=progress)
    elif op.startswith("export."):
        from pipemap.core.export import package
        _, key, kind = op.split(".")
        package.export_package(data, [key], work / ("target.zip" if kind == "zip" else "target"), overwrite=True,
                               progress=progress)
    else:
        raise SystemExit(f"unknown op {op}")
    emit(f"T {time.perf_counter() - t0:.4f}")


if __name__ == "__main__":
    fixtures = json.loads(sys.argv[1])
    data = export_data(fixtures)
    # everything a run imports, imported once here (a forked run starts at once)
    from pipemap.core import mapfile  # noqa: F401
    from pipemap.core.export import formats, package  # noqa: F401
    from pipemap.core.models import importer, layers  # noqa: F401
    from pipemap.core.survey import importer as survey_importer  # noqa: F401
    import ezdxf, ifcopenshell, laspy  # noqa: F401,E401
    for key in formats.KEYS:
        formats.writer(key)
    emit("READY")
    while True:
        line = sys.stdin.buffer.readline()  # (unbuffered by line: nothing read ahead, nothing inherited)
        if not line:
            break
        seq, work, op = line.decode().rstrip("\n").split("\t")
        pid = os.fork()
        if pid == 0:  # the run: a process of its own, killed by the test
            code = 0
            try:
                emit(f"PID {seq} {os.getpid()}")
                run(Path(work), op, fixtures, data)
            except BaseException:
                traceback.print_exc()
                code = 1
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        _, status = os.waitpid(pid, 0)
        emit(f"\nEXIT {seq} {status}")  # (a new line first: the run may have been killed mid-line)
'''

EXPORT_FORMATS = ("gpkg", "shapefile", "tables", "dxf", "epanet", "swmm", "ifc", "cityjson", "jsonfg", "las")
#: op -> (target name, the fixture copied to the target first or None)
OPS = {"createmap": ("target.gpkg", None), "importsurvey": ("target.gpkg", "empty_map"),
       "upgrade": ("target.gpkg", "v1_map"), "importmodel": ("target.gpkg", "local_map"),
       "importlayers": ("target.gpkg", "map_3067"),
       **{f"export.{k}.zip": ("target.zip", None) for k in EXPORT_FORMATS},
       **{f"export.{k}.dir": ("target", None) for k in EXPORT_FORMATS}}
#: a corner of the sample district: 82 segments and 76 points of 7 categories (every export stays quick)
EXTENT = (537960.0, 3379960.0, 538152.0, 3380152.0)
NETWORKS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "networks"


def _digest(path: Path) -> str | None:
    if path.is_dir():
        h = hashlib.sha256()
        for q in sorted(path.rglob("*")):
            h.update(q.relative_to(path).as_posix().encode() + b"\0" + (q.read_bytes() if q.is_file() else b"/"))
        return h.hexdigest()
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _prepare(work: Path, op: str, fixtures: dict[str, str]) -> Path:
    work.mkdir(parents=True)
    name, source = OPS[op]
    if source:
        shutil.copyfile(fixtures[source], work / name)
    return work / name


class Server:
    """The child that forks one process per run (see the module docstring)."""

    def __init__(self, harness: Any, fixtures: dict[str, Any], log: Path) -> None:
        prelude = f"import sys\nsys.path.insert(0, {str(harness.link_dir)!r})\n"
        self.log = log
        self.err = open(log, "w", encoding="utf-8")  # (a file: a pipe nobody reads could fill up)
        self.seen: list[str] = []
        self.buf = b""
        self.seq = 0
        self.proc = subprocess.Popen([sys.executable, "-P", "-c", prelude + SERVER, json.dumps(fixtures)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.err, text=True,
                                     env=dict(os.environ, PYTHONUNBUFFERED="1"), start_new_session=True)
        self._expect("READY")

    #: no line from the child for this long is a hang: the test fails, naming what it saw last
    LINE_TIMEOUT_S = 120.0

    def _line(self) -> str:
        """The child's next output line, read from its pipe directly (no buffer that select() cannot see)."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buf:
            ready, _, _ = select.select([fd], [], [], self.LINE_TIMEOUT_S)
            if not ready:
                raise AssertionError(f"no line from the child for {self.LINE_TIMEOUT_S} s; last lines: "
                                     f"{self.seen[-20:]}; its stderr: {self.log.read_text(encoding='utf-8')[-3000:]}")
            chunk = os.read(fd, 65536)
            if not chunk:
                raise AssertionError(f"the child ended: {self.log.read_text(encoding='utf-8')[-3000:]}")
            self.buf += chunk
        raw, self.buf = self.buf.split(b"\n", 1)
        line = raw.decode("utf-8", "replace")
        self.seen.append(line)
        return line

    def _expect(self, prefix: str) -> str:
        while not (line := self._line()).startswith(prefix):
            pass
        return line

    def run(self, work: Path, op: str, kill_at_line: int | None = None,
            kill_after_s: float | None = None) -> tuple[int, int, float]:
        """One run; returns (wait status, progress lines seen, seconds the operation took or -1).

        ``kill_at_line``: SIGKILL when that progress line arrives; ``kill_after_s``: SIGKILL that long after
        the operation started."""
        assert self.proc.stdin is not None
        self.seq += 1
        self.proc.stdin.write(f"{self.seq}\t{work}\t{op}\n")
        self.proc.stdin.flush()
        pid = int(self._expect(f"PID {self.seq} ").split()[2])
        lines, seconds, killed = 0, -1.0, False
        while not (line := self._line()).startswith(f"EXIT {self.seq} "):
            if killed:
                continue
            if line.startswith("S") and kill_after_s is not None:
                time.sleep(kill_after_s)
                killed = True
            elif line.startswith("P "):
                lines += 1
                killed = kill_at_line is not None and lines >= kill_at_line
            elif line.startswith("T "):
                seconds = float(line.split()[1])
            if killed:
                with contextlib.suppress(ProcessLookupError):  # (it may have finished: the server reaps it)
                    os.kill(pid, signal.SIGKILL)
        status = int(line.split()[2])
        if kill_at_line is None and kill_after_s is None:
            assert status == 0, f"{op} failed without a fault: {self.log.read_text(encoding='utf-8')[-3000:]}"
        return status, lines, seconds

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait()
        assert self.proc.stdout is not None
        self.proc.stdout.close()
        self.err.close()


@pytest.fixture(scope="module")
def server(harness: Any, fixtures: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = Server(harness, fixtures, tmp_path_factory.mktemp("kill-server") / "stderr.txt")
    yield srv
    srv.close()


def _complete(op: str, target: Path, expected: int) -> bool:
    """Whether ``target`` is the full result of ``op`` (``expected``: its number of segments)."""
    from pipemap.core import mapfile, schema

    if op.startswith("export."):
        from pipemap.core.export.manifest import verify_package

        return verify_package(target).ok
    meta = mapfile.read_metadata(target)
    if int(meta["schema_version"]) != schema.SCHEMA_VERSION:
        return False
    con = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        return con.execute("SELECT count(*) FROM pipe_segment").fetchone()[0] == expected
    finally:
        con.close()


def _age(path: Path) -> None:
    """Make ``path`` (and what is in it) look untouched for longer than ``STALE_PART_S``."""
    from pipemap.core import mapfile

    old = time.time() - mapfile.STALE_PART_S - 60
    for p in [*(path.rglob("*") if path.is_dir() and not path.is_symlink() else []), path]:
        os.utime(p, (old, old), follow_symlinks=False)


@pytest.fixture(scope="module")
def fixtures(harness: Any, sample_map: tuple[Path, Any], empty_map: Path,
             tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("kill-fixtures")
    v1 = harness.copy(empty_map, folder, "v1.gpkg")
    con = sqlite3.connect(v1)
    with con:
        con.execute("UPDATE pipemap_metadata SET value = '1' WHERE key = 'schema_version'")
        for (trigger,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND "
                                      "tbl_name = 'gpr_survey'").fetchall():
            con.execute(f'DROP TRIGGER "{trigger}"')
        con.execute("DROP TABLE IF EXISTS rtree_gpr_survey_geom")
        con.execute("DROP TABLE IF EXISTS gpr_survey")
        for table in ("gpkg_contents", "gpkg_geometry_columns", "gpkg_extensions"):
            con.execute(f"DELETE FROM {table} WHERE table_name = 'gpr_survey'")
    con.close()
    map_path, district = sample_map
    from pipemap.core import mapfile

    local = folder / "local.gpkg"  # Net3 states no CRS: a map on a local grid in metres
    mapfile.create_map(local, 'LOCAL_CS["local grid",UNIT["metre",1]]')
    map_3067 = folder / "map3067.gpkg"  # the OSM extract of Helsinki, reprojected into ETRS-TM35FIN
    mapfile.create_map(map_3067, "EPSG:3067")
    return {"empty_map": str(empty_map), "v1_map": str(v1), "tables": str(district.tables),
            "district_map": str(map_path), "segments": district.n_segments, "extent": list(EXTENT),
            "local_map": str(local), "map_3067": str(map_3067),
            "net3": str(_network(harness, "epanet_net3/Net3.inp", folder)),
            "osm": str(_network(harness, "osm_helsinki_utilities_fi/helsinki_osm_utilities.gpkg", folder))}


def _network(harness: Any, rel: str, folder: Path) -> Path:
    """A copy of a shared real network file (the shared folder is read-only)."""
    src = NETWORKS / rel
    if not src.is_file():
        pytest.skip(f"the shared network file {rel} is not available")
    return harness.copy(src, folder)


@pytest.mark.parametrize("op", list(OPS))
def test_killed_mid_write(op: str, harness: Any, server: Server, fixtures: dict[str, Any],
                          tmp_path: Path) -> None:
    # the whole run once: how many progress reports, how long, the complete result
    full = _prepare(tmp_path / "full", op, fixtures)
    _, n_lines, seconds = server.run(tmp_path / "full", op)
    expected = fixtures["segments"]
    if full.suffix == ".gpkg":
        con = sqlite3.connect(f"file:{full}?mode=ro", uri=True)
        expected = con.execute("SELECT count(*) FROM pipe_segment").fetchone()[0]
        con.close()
    assert _complete(op, full, expected), f"{op}: the run without a fault is not complete"
    points: list[tuple[str, float]] = [("line", k) for k in sorted({1, n_lines // 2, n_lines} - {0})]
    points += [("time", f * seconds) for f in (0.6, 0.9)]
    sources = [Path(fixtures[k]) for k in ("district_map", "net3", "osm")] + sorted(Path(fixtures["tables"]).iterdir())
    left_total = 0
    completed = 0
    for i, (kind, at) in enumerate(points):
        work = tmp_path / f"kill{i}"
        target = _prepare(work, op, fixtures)
        before = _digest(target)
        src_before = {p: _digest(p) for p in sources}
        if kind == "line":
            server.run(work, op, kill_at_line=int(at))
        else:
            server.run(work, op, kill_after_s=at)
        where = f"{op} killed at {kind} {at:.3g}"
        assert {p: _digest(p) for p in sources} == src_before, f"{where}: a source changed"
        if target.suffix == ".gpkg" and target.exists():
            # a kill inside SQLite's transaction leaves a hot journal: the next connection rolls it back
            # (a journal whose header was never synced is not hot: SQLite ignores it and the file is intact)
            con = sqlite3.connect(target)
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", f"{where}: the map is damaged"
            con.close()
        if _digest(target) != before:
            assert _complete(op, target, expected), f"{where}: the target is neither unchanged nor complete"
            completed += 1
        left = [p for p in work.iterdir() if p.name.startswith(".")]
        assert all(".part" in p.name for p in left), f"{where}: unexpected files {left}"
        left_total += len(left)
        if left:  # cleaned by the next write of the same map or package once stale
            for p in left:
                _age(p)
            server.run(work, op)
            assert [p.name for p in work.iterdir() if p.name.startswith(".")] == [], \
                f"{where}: stale temporaries were not cleaned by the next write"
            assert _complete(op, target, expected), f"{where}: the next run is not complete"
    harness.record_faults(f"kill.{op}", len(points), completed_before_kill=completed,
                          hidden_temporaries_left=left_total, lost=0)


def test_stale_export_temporaries_are_removed(tmp_path: Path, sample_map: tuple[Path, Any]) -> None:
    """The next export of an output removes the temporaries a killed export of the same output left, once
    stale; nothing else (a live export's, another output's, other hidden files, symbolic links)."""
    from pipemap.core.export import model, package, profiles
    from pipemap.core.export.manifest import verify_package

    data = model.read_map(sample_map[0], profiles.load_profile("full"), extent=EXTENT)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep me", encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()

    def made(name: str, *, folder: bool = True, stale: bool = True, fresh_inside: bool = False) -> Path:
        p = work / name
        if folder:
            (p / "gpkg").mkdir(parents=True)
            (p / "gpkg" / "pipemap.gpkg").write_bytes(b"half a package")
        else:
            p.write_bytes(b"half a zip")
        if stale:
            _age(p)
        if fresh_inside:  # a live export still writing into its (old) folder
            (p / "gpkg" / "pipemap.gpkg").write_bytes(b"being written now")
        return p

    gone = [made(".share.zip.part-abcd1234"), made(".share.x1_y2z3w.part.zip", folder=False)]
    kept = [made(".share.zip.part-fresh123", stale=False),  # a concurrent export of the same output
            made(".share.zip.part-live0001", fresh_inside=True),
            made(".share.zip.keep"), made(".share.zip.part-abcd12345"),  # not the exact pattern
            made(".other.zip.part-abcd1234"), made(".other.abcd1234.part.zip", folder=False),  # another output
            made(".share.part-abcd1234")]  # the temporary of the folder package "share", not of share.zip
    link = work / ".share.zip.part-link1234"
    link.symlink_to(outside, target_is_directory=True)
    _age(link)
    kept.append(link)
    result = package.export_package(data, ["epanet"], work / "share.zip")
    assert verify_package(result.path).ok
    assert [p.name for p in gone if os.path.lexists(p)] == [], "stale temporaries of share.zip were left"
    assert [p.name for p in kept if not os.path.lexists(p)] == [], "a temporary not to be removed was removed"
    assert (outside / "precious.txt").read_text(encoding="utf-8") == "keep me"
    # the folder package "share" cleans its own
    package.export_package(data, ["epanet"], work / "share")
    assert not (work / ".share.part-abcd1234").exists()
    assert all(os.path.lexists(p) for p in kept if p.name != ".share.part-abcd1234")


def test_folder_replacement_stopped_halfway_is_finished(tmp_path: Path, sample_map: tuple[Path, Any]) -> None:
    """Replacing a folder package moves the old one aside (``.NAME.old-PID``) before the new one takes its
    place. Killed between the two, the user's previous package is hidden and NAME is missing: the next export
    of NAME puts it back (and, not asked to overwrite, leaves it as it was). Killed while the old one was being
    removed, its remains are removed. A backup of a running export (live PID) is left alone."""
    import hashlib
    import subprocess

    from pipemap.core.export import model, package, profiles
    from pipemap.core.progress import RecordingProgress

    data = model.read_map(sample_map[0], profiles.load_profile("full"), extent=EXTENT)
    work = tmp_path / "work"
    work.mkdir()
    first = package.export_package(data, ["epanet"], work / "share")

    def digest(folder: Path) -> dict[str, str]:
        return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                for p in sorted(folder.rglob("*")) if p.is_file()}

    before = digest(first.path)
    dead = subprocess.Popen(["true"])
    dead.wait()
    aside = work / f".share.old-{dead.pid}"
    os.replace(first.path, aside)  # the state a kill between the two renames leaves
    live = work / f".share.old-{os.getppid()}"  # (a running process: pytest's parent)
    live.mkdir()
    progress = RecordingProgress()
    with pytest.raises(Exception) as refused:
        package.export_package(data, ["epanet"], work / "share", progress=progress)
    assert getattr(refused.value, "code", "") == "export.exists"
    assert digest(work / "share") == before and not aside.exists()
    assert any("put back" in w for w in progress.warnings)
    assert live.is_dir()
    # a kill while removing the old package (the new one in place): its remains go at the next export
    remains = work / f".share.old-{dead.pid}"
    (remains / "epanet").mkdir(parents=True)
    (remains / "epanet" / "half.inp").write_text("[TITLE]\n", encoding="utf-8")
    again = package.export_package(data, ["epanet"], work / "share", overwrite=True)
    assert not remains.exists() and digest(again.path).keys() == before.keys()
    assert live.is_dir()
