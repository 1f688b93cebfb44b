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

The operations: create a map, import survey tables, upgrade a map, import a
GPR file (image + SEG-Y), write a SEG-Y and a LAS, the import report, a checks
report, a hydraulic model import (EPANET Net3) and a GIS layer import (OSM
GeoPackage), and a share package in every export format, as a folder and as a
``.zip`` (``export.<format>.<dir|zip>``, a small part of the sample district
plus GPR picks). A new writer is one more entry in ``OPS``.

A share package must also name the output in its refusal (not the hidden
temporary folder it was built in), be refused whenever the limit is clearly
below the size of its largest file (a writer that ignores a failed write
would otherwise report success with a truncated file), and pass
``verify_package`` when complete.
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
    if op.startswith("export."):
        from pipemap.core.export import package
        _, key, kind = op.split(".")
        target = folder / ("share.zip" if kind == "zip" else "share")
        src = Path(fixtures["district_map"])
        return target, [src], lambda: package.export_package(export_data(), [key], target)
    if op == "importmodel":
        from pipemap.core.models import importer
        target = folder / "map.gpkg"
        if not target.exists():
            shutil.copyfile(fixtures["local_map"], target)
        src = Path(fixtures["net3"])
        return target, [src], lambda: importer.import_model(target, src)
    if op == "importlayers":
        from pipemap.core.models import layers
        target = folder / "map.gpkg"
        if not target.exists():
            shutil.copyfile(fixtures["map_3067"], target)
        src = Path(fixtures["osm"])
        return target, [src], lambda: layers.import_layers(target, str(src), mapping="osm")
    raise SystemExit(f"unknown op {op}")


_DATA = []


def export_data():
    """A small part of the sample district (the EXTENT) with 30 GPR picks, read once."""
    if not _DATA:
        import numpy as np
        from pipemap.core.export import model, profiles
        rows = [{"pick_id": f"line1:{i}", "survey_id": "line1", "kind": "hyperbola", "distance_m": 0.5 * i,
                 "depth_m": 1.0 + 0.01 * i, "t0_ns": 12.0, "velocity_m_ns": 0.1, "radius_m": 0.05,
                 "confidence": 0.8, "category": "JS"} for i in range(30)]
        xyz = np.array([[537990.0 + i, 3379990.0 + 0.5 * i, 24.0 - 0.01 * i] for i in range(30)])
        picks = model.LayerData.from_rows("gpr_pick", model.PICK_FIELDS, rows, xyz)
        _DATA.append(model.read_map(fixtures["district_map"], profiles.load_profile("full"),
                                    extent=tuple(fixtures["extent"]), picks=picks))
    return _DATA[0]


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
    if op.startswith("export."):
        record["names_output"] = record["outcome"] != "refused" or str(target) in record["message"]
        record["must_fail"] = limit < 0.9 * largest  # the largest file cannot be written whole
        if record["outcome"] == "ok":
            from pipemap.core.export.manifest import verify_package
            record["complete"] = record["complete"] and verify_package(target).ok
    print(json.dumps(record), flush=True)
'''

EXPORT_FORMATS = ("gpkg", "shapefile", "tables", "dxf", "epanet", "swmm", "ifc", "cityjson", "jsonfg", "las")
OPS = ["createmap", "importsurvey", "upgrade", "gprimport", "segy", "las", "report", "reconcile", "figures",
       "checksreport", "importmodel", "importlayers"] + [f"export.{k}.{kind}" for k in EXPORT_FORMATS
                                                         for kind in ("dir", "zip")]
#: a corner of the sample district: 82 segments and 76 points of 7 categories (every export stays quick)
EXTENT = (537960.0, 3379960.0, 538152.0, 3380152.0)
NETWORKS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "networks"


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
    from pipemap.core import mapfile

    local = folder / "local.gpkg"  # Net3 states no CRS: a map on a local grid in metres
    mapfile.create_map(local, 'LOCAL_CS["local grid",UNIT["metre",1]]')
    map_3067 = folder / "map3067.gpkg"  # the OSM extract of Helsinki, reprojected into ETRS-TM35FIN
    mapfile.create_map(map_3067, "EPSG:3067")
    return {"empty_map": str(empty_map), "tables": str(district.tables), "v1_map": str(v1), "dzt": str(dzt),
            "district_map": str(map_path), "extent": list(EXTENT), "local_map": str(local),
            "map_3067": str(map_3067), "net3": str(_network(harness, "epanet_net3/Net3.inp", folder)),
            "osm": str(_network(harness, "osm_helsinki_utilities_fi/helsinki_osm_utilities.gpkg", folder))}


def _network(harness: Any, rel: str, folder: Path) -> Path:
    """A copy of a shared real network file (the shared folder is read-only)."""
    src = NETWORKS / rel
    if not src.is_file():
        pytest.skip(f"the shared network file {rel} is not available")
    return harness.copy(src, folder)


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
            assert rec["complete"], f"{where}: reported success without (verified) output"
        if op.startswith("export."):
            assert rec["names_output"], f"{where}: the refusal does not name the output: {rec['message']}"
            assert not rec["must_fail"] or rec["outcome"] == "refused", \
                f"{where}: reported success although its largest file cannot have been written whole"
    refused = [r for r in records if r["outcome"] == "refused"]
    assert refused, f"{op}: no limit made the write fail: {records}"
    harness.record_faults(f"disk_full.{op}", len(records), refused=len(refused), lost=0)
