"""`make demo`: the main job on the embedded GeoPackage default.

Runs the main job with the real qgis_process (through scripts/qgis_process.sh):
creates an integrated map, imports the sample district's survey tables
(reporting its seeded errors), builds true-size 3D pipes, renders 3D views
and draws a longitudinal and a cross-section profile. Results go to
build/demo/.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _import_pipemap():
    from _bootstrap import use_checkout

    use_checkout()
    import pipemap.core.mapfile as mapfile

    return mapfile


def qgis_process(*args: str) -> dict:
    proc = subprocess.run([str(ROOT / "scripts" / "qgis_process.sh"), *args], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"demo: qgis_process {' '.join(args[:2])} failed (exit {proc.returncode})")
    return json.loads(proc.stdout[proc.stdout.index("{"):])


def qgis_process_gl(*args: str) -> dict:
    """qgis_process under a virtual X server: the 3D engine needs OpenGL."""
    import os
    import shutil

    if os.environ.get("DISPLAY") or not shutil.which("xvfb-run"):
        return qgis_process(*args)
    proc = subprocess.run(["xvfb-run", "-a", "-s", "-screen 0 1600x1200x24",
                           str(ROOT / "scripts" / "qgis_process.sh"), *args], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"demo: qgis_process {' '.join(args[:2])} failed (exit {proc.returncode})")
    return json.loads(proc.stdout[proc.stdout.index("{"):])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "build" / "demo"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    mapfile = _import_pipemap()
    from pipemap.core import sample_district

    started = time.perf_counter()
    target = out / "pipemap_demo.gpkg"
    print("PipeMap demo")
    print("1. Create the integrated map (pipemap:createmap)")
    result = qgis_process("run", "pipemap:createmap", "--json", "--",
                          f"OUTPUT={target}", "CRS=EPSG:4547", "OVERWRITE=true")
    info = mapfile.read_map_info(result["results"]["OUTPUT"])
    print(f"   {info.path}: {info.metadata['crs_authid']} {info.metadata['crs_name']}, "
          f"height datum {info.metadata['height_datum']}, schema version {info.schema_version}")
    print("   CJJ 61 categories: " + ", ".join(f"{c['code']} {c['name_zh']} {c['colour']}" for c in info.categories))

    print("2. Generate the sample district (GBK result tables, DEM, carriageways, seeded errors)")
    district = sample_district.generate(out / "district", seed=61)
    print(f"   {district.tables}: {district.n_points} points, {district.n_segments} segments in "
          f"{len(list(district.tables.glob('*.csv')))} tables; DEM {district.dem.name}; "
          f"{len(district.errors)} deliberate errors")

    print("3. Import it (pipemap:importsurvey, import valid rows, report every problem)")
    report = out / "import_report.html"
    res = qgis_process("run", "pipemap:importsurvey", "--json", "--", f"POINTS={district.tables}", f"MAP={target}",
                       "MODE=1", f"OUTPUT_ISSUES={out / 'import_issues.gpkg'}", f"REPORT={report}")["results"]
    print(f"   imported {res['POINTS_WRITTEN']} points and {res['SEGMENTS_WRITTEN']} segments; "
          f"{res['ERRORS']} errors, {res['WARNINGS']} warnings (report: {report})")
    from osgeo import ogr

    ds = ogr.Open(str(out / "import_issues.gpkg"))
    found = {(f.GetField("file"), f.GetField("row"), f.GetField("code")): f.GetField("message")
             for f in ds.GetLayer(0)}
    ds = None
    for err in district.errors:
        hit = found.get((err.file, err.row, err.code))
        print(f"   {'found' if hit else 'MISSED'}: {err.file} row {err.row}: {err.code} -- {hit or err.what}")

    print("4. Build true-size 3D pipes and wells (pipemap:build3d)")
    res = qgis_process("run", "pipemap:build3d", "--json", "--", f"MAP={target}", f"OUTPUT={out / 'pipes3d.gpkg'}",
                       f"OUTPUT_WELLS={out / 'wells3d.gpkg'}")["results"]
    print(f"   {res['PIPES']} pipes, {res['WELLS']} wells")

    print("5. Render 3D views (pipemap:render3d, QGIS 3D engine, ground seen through)")
    for name, extra in (("view3d_district.png", []),
                        ("view3d_crossing.png", ["EXTENT=537975,538065,3379965,3380035 [EPSG:4547]", "PITCH=50",
                                                 "HEADING=30"])):
        res = qgis_process_gl("run", "pipemap:render3d", "--json", "--", f"LAYERS={out / 'pipes3d.gpkg'}",
                              f"LAYERS={out / 'wells3d.gpkg'}", f"GROUND={district.dem}", "TERRAIN=2", *extra,
                              f"OUTPUT={out / name}")["results"]
        print(f"   {res['OUTPUT']}")

    print("6. Profiles (pipemap:profile)")
    res = qgis_process("run", "pipemap:profile", "--json", "--", f"MAP={target}", "KIND=0", "FROM_POINT=YS1",
                       "TO_POINT=YS9", f"GROUND={district.dem}", f"OUTPUT={out / 'profile_long.png'}")["results"]
    print(f"   longitudinal YS1-YS9: {res['OUTPUT']} (+ .svg, .pdf, figures {Path(res['FIGURES']).name})")
    res = qgis_process("run", "pipemap:profile", "--json", "--", f"MAP={target}", "KIND=1",
                       "SECTION=LINESTRING(538055 3379950, 538055 3380050)", f"GROUND={district.dem}",
                       f"OUTPUT={out / 'profile_cross.png'}")["results"]
    print(f"   cross-section x=538055: {res['OUTPUT']} (+ .svg, .pdf, figures {Path(res['FIGURES']).name})")
    print("7. GPR: a real survey imported and picked (pipemap:gprimport, pipemap:gprpick)")
    real = ROOT.parent / "shared" / "data" / "gpr" / "real" / "segy" / "rgpr" / "test.sgy"
    if real.is_file():
        res = qgis_process("run", "pipemap:gprimport", "--json", "--", f"INPUT={real}",
                           f"OUTPUT_LINE={out / 'gpr_real_line.gpkg'}", f"OUTPUT_IMAGE={out / 'gpr_real.png'}",
                           f"OUTPUT_SEGY={out / 'gpr_real_processed.sgy'}")["results"]
        print(f"   {real.name}: {res['TRACES']} traces -> {res['OUTPUT_IMAGE']}")
        res = qgis_process("run", "pipemap:gprpick", "--json", "--", f"INPUT={real}",
                           f"OUTPUT={out / 'gpr_real_picks.gpkg'}", f"OUTPUT_IMAGE={out / 'gpr_real_picks.png'}",
                           f"OUTPUT_LAS={out / 'gpr_real_picks.laz'}")["results"]
        print(f"   {res['PICKS']} anomalies picked -> {res['OUTPUT_IMAGE']}, {res['OUTPUT_LAS']}")
    else:
        print(f"   (skipped: {real} is not here)")

    print("8. GPR: a synthetic survey across the district, reconciled with the map (pipemap:gprreconcile)")
    import numpy as np

    from pipemap.core.gpr import synth

    line = np.array([[538055.0, 3379950.0], [538055.0, 3380050.0]])
    segy, truth, crossings = synth.district_survey_file(
        str(target), str(district.dem), line, str(out / "gpr_district.sgy"), "EPSG:4547",
        skip=("TX-TX23-TX26",), depth_shift={"JS-JS23-JS26": 0.4}, voids=((20.0, 0.8),), seed=5)
    print(f"   {segy.name}: {len(crossings)} mapped pipes crossed; the radar misses TX-TX23-TX26, sees JS-JS23-JS26 "
          "0.40 m deeper than mapped, and an unmapped air void at 20 m")
    qgis_process("run", "pipemap:gprimport", "--json", "--", f"INPUT={segy}", "CRS=EPSG:4547", f"MAP={target}",
                 f"OUTPUT_LINE={out / 'gpr_district_line.gpkg'}", f"OUTPUT_IMAGE={out / 'gpr_district.png'}")
    res = qgis_process("run", "pipemap:gprpick", "--json", "--", f"INPUT={segy}", "CRS=EPSG:4547",
                       f"GROUND={district.dem}", f"OUTPUT={out / 'gpr_district_picks.gpkg'}",
                       f"OUTPUT_IMAGE={out / 'gpr_district_picks.png'}")["results"]
    print(f"   {res['PICKS']} anomalies picked")
    res = qgis_process("run", "pipemap:gprreconcile", "--json", "--", f"PICKS={out / 'gpr_district_picks.gpkg'}",
                       f"LINE={out / 'gpr_district_line.gpkg'}", f"MAP={target}", f"GROUND={district.dem}",
                       f"OUTPUT={out / 'gpr_discrepancies.gpkg'}", f"REPORT={out / 'gpr_reconciliation.html'}")
    r = res["results"]
    print(f"   confirmed {r['CONFIRMED']}, depth mismatch {r['DEPTH_MISMATCH']}, not detected {r['NOT_DETECTED']}, "
          f"unmapped {r['UNMAPPED']} -> {r['REPORT']}")
    print("9. GB 50289 checks on the map (pipemap:clashcheck, covercheck, excavationcheck)")
    r = qgis_process("run", "pipemap:clashcheck", "--json", "--", f"MAP={target}",
                     f"OUTPUT={out / 'check_clash.gpkg'}")["results"]
    print(f"   clearances: {r['FAIL']} FAIL, {r['UNCERTAIN']} UNCERTAIN (verify by exposure), {r['UNKNOWN']} UNKNOWN, "
          f"{r['NO_RULE']} without a rule -> {out / 'check_clash.gpkg'}")
    r = qgis_process("run", "pipemap:covercheck", "--json", "--", f"MAP={target}", f"GROUND={district.dem}",
                     f"ROADS={district.roads}|layername=carriageway", f"OUTPUT={out / 'check_cover.gpkg'}")["results"]
    print(f"   cover: {r['FAIL']} FAIL, {r['UNCERTAIN']} UNCERTAIN, {r['UNKNOWN']} UNKNOWN "
          f"-> {out / 'check_cover.gpkg'}")
    pit = out / "excavation.geojson"
    pit.write_text('{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": '
                   '"urn:ogc:def:crs:EPSG::4547"}}, "features": [{"type": "Feature", "properties": {"id": "K1", '
                   '"depth": 2.5}, "geometry": {"type": "Polygon", "coordinates": [[[538030, 3379975], '
                   '[538080, 3379975], [538080, 3380025], [538030, 3380025], [538030, 3379975]]]}}]}',
                   encoding="utf-8")
    r = qgis_process("run", "pipemap:excavationcheck", "--json", "--", f"MAP={target}", f"EXCAVATIONS={pit}",
                     "EXC_ID_FIELD=id", "DEPTH_FIELD=depth", f"GROUND={district.dem}",
                     f"OUTPUT={out / 'check_excavation.gpkg'}")["results"]
    print(f"   excavation K1 (50 x 50 m, 2.5 m deep): {r['FAIL']} pipes reached, {r['UNCERTAIN']} uncertain "
          f"-> {out / 'check_excavation.gpkg'}")
    print(f"Done in {time.perf_counter() - started:.0f} s. Everything is in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
