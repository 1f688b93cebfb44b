"""Disk full (issue 10, point 3): every writer under a file-size limit.

A child process sets ``RLIMIT_FSIZE`` (with SIGXFSZ ignored, so a write past
the limit fails with EFBIG as on a full disk) before each attempt, and lifts
it afterwards to look at the result. For every operation the limits are 0,
one block, and fractions of the size of the complete output (measured first,
without a limit), so the fault hits the first write, a middle one and the
very last one. After each attempt:

* the outcome is the complete output or a PipeMapError (no traceback);
* a refused attempt left the target as it was (absent, or byte-identical);
* no temporary file is left beside the target;
* the sources (tables, radar file) are unchanged.

The operations are those whose writers are stable now: create a map, import
survey tables, upgrade a map, import a GPR file (image + SEG-Y), write a
SEG-Y and a LAS, the import report, a checks report and a share package
(GeoPackage format). A new writer is one more entry in ``OPS``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

CHILD = r'''
import hashlib, json, os, resource, shutil, signal, sqlite3, sys, traceback
from pathlib import Path
from pipemap.core.errors import PipeMapError

#: core functions documented to raise OSError (their Processing callers turn it into a message)
OSERROR_BY_CONTRACT = {"checksreport"}
work = Path(sys.argv[1])
op = sys.argv[2]
fixtures = json.loads(sys.argv[3])


def digest(p):
    if not p.exists():
        return None
    if p.is_dir():
        return {q.relative_to(p).as_posix(): hashlib.sha256(q.read_bytes()).hexdigest()
                for q in sorted(p.rglob("*")) if q.is_file()}
    return hashlib.sha256(p.read_bytes()).hexdigest()


def run(folder):
    """Run the operation into ``folder``; returns (target, sources)."""
    from pipemap.core import mapfile
    if op == "createmap":
        target = folder / "new.gpkg"
        return target, [], lambda: mapfile.create_map(target, "EPSG:4547")
    if op == "importsurvey":
        from pipemap.core.survey import importer
        target = folder / "map.gpkg"
        if not target.exists():
            shutil.copyfile(fixtures["empty_map"], target)
        tables = Path(fixtures["tables"])
        return target, sorted(tables.iterdir()), lambda: importer.import_survey(target, tables)
    if op == "upgrade":
        target = folder / "v1.gpkg"
        if not target.exists():
            shutil.copyfile(fixtures["v1_map"], target)
        return target, [], lambda: mapfile.upgrade_map(target)
    if op == "gprimport":
        from pipemap.core.gpr import survey
        src = Path(fixtures["dzt"])
        target = folder / "out"
        target.mkdir(exist_ok=True)
        return target, [src], lambda: survey.import_gpr(src, image_path=target / "line.png",
                                                       segy_path=target / "line.sgy")
    if op == "segy":
        from pipemap.core.gpr import readers
        from pipemap.core.gpr.segy_write import write_segy
        src = Path(fixtures["dzt"])
        target = folder / "line.sgy"
        return target, [src], lambda: write_segy(readers.read(src)[0], target)
    if op == "las":
        from pipemap.core.gpr.las import write_picks_las
        target = folder / "picks.las"
        rows = [dict(x=500000.0 + i, y=3380000.0 + i, z=20.0 - 0.1 * i, distance_m=float(i), t0_ns=20.0,
                     velocity_m_ns=0.1, eps_r=9.0, depth_m=1.0, radius_m=0.05, amplitude=1.0, polarity=1,
                     confidence=0.9, trace=i, channel=0) for i in range(200)]
        return target, [], lambda: write_picks_las(rows, target)
    if op == "report":
        from pipemap.core.survey import report
        from pipemap.core.survey.importer import ImportResult, Issue
        target = folder / "report.html"
        result = ImportResult(issues=[Issue("error", "x", "bad cell " * 20, "JSPoint.csv", i) for i in range(2000)])
        return target, [], lambda: report.write_html(result, "map.gpkg", target)
    if op == "checksreport":  # raises OSError by contract: the check algorithms turn it into their message
        from pipemap.core.checks import report
        target = folder / "checks.html"
        return target, [], lambda: report.write_text(target, "<p>finding</p>" * 20000)
    if op == "reconcile":
        from pipemap.core.gpr import reconcile
        target = folder / "reconcile.html"
        return target, [], lambda: reconcile.write_report(reconcile.Reconciliation(), "line.DZT" * 50000, "map.gpkg",
                                                          target)
    if op == "figures":
        from pipemap.core import profile_map
        target = folder / "section.json"
        return target, [], lambda: profile_map.write_figures({"depth_m": list(range(50000))}, target)
    if op == "export":
        from pipemap.core.export import model, package, profiles
        target = folder / "package.zip"
        src = Path(fixtures["district_map"])
        def go():
            data = model.read_map(src, profiles.load_profile("full"))
            return package.export_package(data, ["gpkg"], target)
        return target, [src], go
    raise SystemExit(f"unknown op {op}")


def leftovers(folder):
    return sorted(p.name for p in folder.iterdir()
                  if p.name.startswith(".") or ".part" in p.name or p.name.endswith("-journal"))


# the complete output first, without a limit, to learn its size
full = work / "full"
full.mkdir()
target, sources, go = run(full)
go()
sizes = [q.stat().st_size for q in ([target] if target.is_file() else target.rglob("*")) if q.is_file()]
largest = max(sizes)
limits = sorted({0, 1, 4096, largest // 4, largest // 2, max(0, largest - 1)})
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG, as on a full disk
for k, limit in enumerate(limits):
    folder = work / f"limit{k}"
    folder.mkdir()
    target, sources, go = run(folder)
    before = digest(target)
    src_before = [digest(s) for s in sources]
    record = {"op": op, "limit": limit, "largest": largest}
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
    try:
        go()
        record["outcome"] = "ok"
    except PipeMapError as exc:
        record["outcome"] = "refused"
        record["code"] = exc.code
        record["message"] = str(exc)
    except OSError as exc:
        record["outcome"] = "refused" if op in OSERROR_BY_CONTRACT else "unexpected"
        record["code"] = f"OSError {exc.errno}"
        record["message"] = str(exc)
        record["error"] = "".join(traceback.format_exception(exc))[-3000:]
    except BaseException as exc:
        record["outcome"] = "unexpected"
        record["error"] = "".join(traceback.format_exception(exc))[-3000:]
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    record["target_unchanged"] = digest(target) == before
    record["sources_unchanged"] = [digest(s) for s in sources] == src_before
    record["leftovers"] = leftovers(folder) + (leftovers(target) if target.is_dir() else [])
    if record["outcome"] == "ok":
        record["complete"] = digest(target) is not None
    print(json.dumps(record), flush=True)
'''

OPS = ["createmap", "importsurvey", "upgrade", "gprimport", "segy", "las", "report", "reconcile", "figures",
       "checksreport", "export"]


@pytest.fixture(scope="module")
def fixtures(harness: Any, sample_map: tuple[Path, Any], empty_map: Path, tmp_path_factory: pytest.TempPathFactory
             ) -> dict[str, str]:
    import sqlite3

    folder = tmp_path_factory.mktemp("disk-fixtures")
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
    dzt = harness.copy(harness.real("dzt/rgpr_gprdata_cube/FILE____001.DZT"), folder)
    map_path, district = sample_map
    return {"empty_map": str(empty_map), "tables": str(district.tables), "v1_map": str(v1), "dzt": str(dzt),
            "district_map": str(map_path)}


@pytest.mark.parametrize("op", OPS)
def test_disk_full(op: str, harness: Any, fixtures: dict[str, str], tmp_path: Path) -> None:
    done = harness.run_python(CHILD, args=[str(tmp_path), op, json.dumps(fixtures)], timeout=300)
    records = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert records, f"the child wrote no result: {done.stderr[-3000:]}"
    for rec in records:
        where = f"{op} with a file-size limit of {rec['limit']} bytes (largest output file {rec['largest']} bytes)"
        assert rec["outcome"] != "unexpected", f"{where}: {rec['error']}"
        assert rec["sources_unchanged"], f"{where}: a source file changed"
        assert rec["leftovers"] == [], f"{where}: partial output left behind: {rec['leftovers']}"
        if rec["outcome"] == "refused":
            assert rec["target_unchanged"], f"{where}: refused, yet the target changed"
            assert rec["code"] and "\n" not in rec["message"].strip()
        else:
            assert rec["complete"], f"{where}: reported success without output"
    refused = [r for r in records if r["outcome"] == "refused"]
    assert refused, f"{op}: no limit made the write fail: {records}"
    harness.record_faults(f"disk_full.{op}", len(records), refused=len(refused), lost=0)
