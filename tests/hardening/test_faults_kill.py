"""A process killed mid-write (issue 10, point 3).

Each operation runs in a child process that prints a line at every progress
report; the test sends SIGKILL when the k-th line arrives (k spread over all
the reports) and at fractions of the operation's measured duration (which
also hits the stretches without reports: the final rename, closing the
file). After each kill:

* a new target is absent, or complete (the kill came after the rename);
* an existing target is byte-identical (once SQLite has rolled back the hot
  journal a kill inside its transaction leaves), or equal to the complete
  result;
* the sources are unchanged;
* what the killed writer left are hidden temporary copies only (SIGKILL
  allows no clean-up): they are counted, PipeMap never reads them (the
  table finder skips hidden files), and the next write of the same map
  removes those older than ``mapfile.STALE_PART_S`` (checked here by ageing
  them).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import time
from pathlib import Path
from typing import Any

import pytest

CHILD = r'''
import json, shutil, sys
from pathlib import Path
from pipemap.core.progress import NullProgress


class Printing(NullProgress):
    def report(self, fraction, message=""):
        print(f"P {fraction:.4f}", flush=True)


work, op, fixtures = Path(sys.argv[1]), sys.argv[2], json.loads(sys.argv[3])
progress = Printing()
if op == "createmap":
    from pipemap.core import mapfile
    mapfile.create_map(work / "target.gpkg", "EPSG:4547", overwrite=True, progress=progress)
elif op == "importsurvey":
    from pipemap.core.survey import importer
    importer.import_survey(work / "target.gpkg", fixtures["tables"], progress=progress)
elif op == "upgrade":
    from pipemap.core import mapfile
    mapfile.upgrade_map(work / "target.gpkg", progress=progress)
elif op == "export":
    from pipemap.core.export import model, package, profiles
    data = model.read_map(fixtures["district_map"], profiles.load_profile("full"), progress=progress)
    package.export_package(data, ["gpkg"], work / "target.zip", progress=progress)
print("DONE", flush=True)
'''

#: op -> (target name, the fixture copied to the target first or None)
OPS = {"createmap": ("target.gpkg", None), "importsurvey": ("target.gpkg", "empty_map"),
       "upgrade": ("target.gpkg", "v1_map"), "export": ("target.zip", None)}


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _prepare(work: Path, op: str, fixtures: dict[str, str]) -> Path:
    work.mkdir(parents=True)
    name, source = OPS[op]
    if source:
        shutil.copyfile(fixtures[source], work / name)
    return work / name


def _run(harness: Any, work: Path, op: str, fixtures: dict[str, str], kill_at_line: int | None = None,
         kill_after_s: float | None = None) -> tuple[int, int, float]:
    """Run the child; returns (return code, progress lines seen, seconds)."""
    proc = harness.python(CHILD, args=[str(work), op, json.dumps(fixtures)])
    t0 = time.perf_counter()
    lines = 0
    assert proc.stdout is not None
    if kill_after_s is not None:
        try:
            proc.wait(timeout=kill_after_s)
        except Exception:
            os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        return proc.returncode, out.count("P "), time.perf_counter() - t0
    for line in proc.stdout:
        if line.startswith("P "):
            lines += 1
            if kill_at_line is not None and lines >= kill_at_line:
                os.killpg(proc.pid, signal.SIGKILL)
                break
    proc.communicate()
    return proc.returncode, lines, time.perf_counter() - t0


def _complete(op: str, target: Path, fixtures: dict[str, str]) -> bool:
    """Whether ``target`` is the full result of ``op``."""
    from pipemap.core import mapfile, schema

    if op == "export":
        from pipemap.core.export.manifest import verify_package

        return verify_package(target).ok
    meta = mapfile.read_metadata(target)
    if int(meta["schema_version"]) != schema.SCHEMA_VERSION:
        return False
    if op == "importsurvey":
        con = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        try:
            return con.execute("SELECT count(*) FROM pipe_segment").fetchone()[0] == fixtures["segments"]
        finally:
            con.close()
    return True


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
    return {"empty_map": str(empty_map), "v1_map": str(v1), "tables": str(district.tables),
            "district_map": str(map_path), "segments": district.n_segments}


@pytest.mark.parametrize("op", sorted(OPS))
def test_killed_mid_write(op: str, harness: Any, fixtures: dict[str, Any], tmp_path: Path) -> None:
    from pipemap.core import mapfile

    # the whole run once: how many progress reports, how long
    _prepare(tmp_path / "full", op, fixtures)
    code, n_lines, seconds = _run(harness, tmp_path / "full", op, fixtures)
    assert code == 0, f"{op} failed without a fault"
    points: list[tuple[str, float]] = [("line", k) for k in sorted({1, n_lines // 2, n_lines} - {0})]
    points += [("time", f * seconds) for f in (0.6, 0.9)]
    left_total = 0
    completed = 0
    for i, (kind, at) in enumerate(points):
        work = tmp_path / f"kill{i}"
        target = _prepare(work, op, fixtures)
        before = _digest(target)
        sources = {p: _digest(p) for p in Path(fixtures["tables"]).iterdir()}
        if kind == "line":
            _run(harness, work, op, fixtures, kill_at_line=int(at))
        else:
            _run(harness, work, op, fixtures, kill_after_s=at)
        where = f"{op} killed at {kind} {at:.3g}"
        assert {p: _digest(p) for p in sources} == sources, f"{where}: a source table changed"
        if target.suffix == ".gpkg" and target.exists():
            # a kill inside SQLite's transaction leaves a hot journal: the next connection rolls it back
            # (a journal whose header was never synced is not hot: SQLite ignores it and the file is intact)
            con = sqlite3.connect(target)
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok", f"{where}: the map is damaged"
            con.close()
        if _digest(target) != before:
            assert _complete(op, target, fixtures), f"{where}: the target is neither unchanged nor complete"
            completed += 1
        left = [p for p in work.iterdir() if p.name.startswith(".")]
        assert all(".part" in p.name for p in left), f"{where}: unexpected files {left}"
        left_total += len(left)
        if op != "export" and left:  # (the export's temporaries belong to the export writers: reported only)
            # they are cleaned by the next write of the same map once stale
            for p in left:
                old = time.time() - mapfile.STALE_PART_S - 60
                os.utime(p, (old, old), follow_symlinks=False)
            code, _, _ = _run(harness, work, op, fixtures)
            assert code == 0, f"{where}: the next run failed"
            assert [p.name for p in work.iterdir() if p.name.startswith(".")] == [], \
                f"{where}: stale temporary copies were not cleaned by the next write"
    harness.record_faults(f"kill.{op}", len(points), completed_before_kill=completed,
                          hidden_temporaries_left=left_total, lost=0)
