"""`make demo`: the main job on the embedded GeoPackage default.

Runs the main job with the real qgis_process (through scripts/qgis_process.sh):
creates an integrated map, imports the sample district's survey tables
(reporting its seeded errors), builds true-size 3D pipes, renders 3D views,
draws a longitudinal and a cross-section profile, runs GPR and the GB 50289
checks, and writes the checks report and the excavation notices. Results go
to build/demo/.
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


NETWORKS = ROOT.parent / "shared" / "data" / "networks"
MODELS = {"modena": (NETWORKS / "epanet_modena" / "MOD.inp", "EPSG:3003", ["ELEVATION_MEANS=0"]),
          "chaohu": (NETWORKS / "swmm_chaohu_cn" / "chaohu.inp", "EPSG:4547", [])}


def burst_main(target: Path, out: Path) -> None:
    """A water main bursts: which valves to close, in which order; the crew's one-page sheet."""
    from pipemap.core.network.graph import load_graphs
    from pipemap.core.network.isolate import isolate

    print("12. Burst main: valves to close and the response sheet (pipemap:topologycheck, pipemap:isolate)")
    r = qgis_process("run", "pipemap:topologycheck", "--json", "--", f"MAP={target}",
                     f"OUTPUT={out / 'topology.gpkg'}")["results"]
    print("   topology: " + ", ".join(f"{k} {v}" for k, v in sorted(r.items()) if isinstance(v, (int, float))))
    g = load_graphs(target, ["JS"])["JS"]
    # the first water main whose isolation needs at least two valves closed
    edge = next((e for e in range(g.n_edges) if isolate(g, e).valves_to_close >= 2), 0)
    x, y = g.midpoint(edge)
    sheet = out / "burst_response_sheet.pdf"
    r = qgis_process("run", "pipemap:isolate", "--json", "--", f"MAP={target}", f"FAILURE={x:.3f},{y:.3f} [EPSG:4547]",
                     f"VALVES={out / 'burst_valves.gpkg'}", f"SEGMENTS={out / 'burst_segments.gpkg'}",
                     f"NODES={out / 'burst_nodes.gpkg'}", f"SHEET={sheet}")["results"]
    print(f"   burst on {r['FAILED_SEGMENT']} ({r['CATEGORY_USED']}): "
          + ", ".join(f"{k} {v}" for k, v in sorted(r.items()) if isinstance(v, (int, float))) + f" -> {sheet}")


def import_model(name: str, out: Path) -> None:
    """Optional step: a real public hydraulic model into its own integrated map."""
    path, crs, extra = MODELS.get(name, (Path(name), "", []))
    print(f"13. A hydraulic model into a map (pipemap:importmodel): {path}")
    if not path.is_file():
        print(f"   (skipped: {path} is not here)")
        return
    target = out / f"model_{path.stem}.gpkg"
    qgis_process("run", "pipemap:createmap", "--json", "--", f"OUTPUT={target}", f"CRS={crs or 'EPSG:4547'}",
                 "OVERWRITE=true")
    r = qgis_process("run", "pipemap:importmodel", "--json", "--", f"INPUT={path}", f"MAP={target}",
                     *([f"CRS={crs}"] if crs else []), *extra,
                     f"OUTPUT_ISSUES={out / f'model_{path.stem}_issues.gpkg'}")["results"]
    print(f"   {r['FORMAT']}: {r['SEGMENTS_WRITTEN']} segments, {r['POINTS_WRITTEN']} points; {r['ERRORS']} errors, "
          f"{r['WARNINGS']} warnings -> {target}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "build" / "demo"))
    parser.add_argument("--model", nargs="?", const="modena", default=None,
                        help="also import a hydraulic model (pipemap:importmodel): an .inp path, or 'modena' "
                             "(EPANET, EPSG:3003) / 'chaohu' (SWMM) from ../shared/data/networks")
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
    notices = out / "excavation_reports"
    r = qgis_process("run", "pipemap:excavationcheck", "--json", "--", f"MAP={target}", f"EXCAVATIONS={pit}",
                     "EXC_ID_FIELD=id", "DEPTH_FIELD=depth", f"GROUND={district.dem}",
                     f"OUTPUT={out / 'check_excavation.gpkg'}", f"REPORT_FOLDER={notices}")["results"]
    print(f"   excavation K1 (50 x 50 m, 2.5 m deep): {r['FAIL']} pipes reached, {r['UNCERTAIN']} uncertain "
          f"-> {out / 'check_excavation.gpkg'}")
    print(f"   notices to the owners: {', '.join(sorted(p.name for p in notices.iterdir()))} in {r['REPORT_FOLDER']}")
    print("10. Checks report (pipemap:checksreport, HTML and PDF)")
    r = qgis_process("run", "pipemap:checksreport", "--json", "--", f"CLASH={out / 'check_clash.gpkg'}",
                     f"COVER={out / 'check_cover.gpkg'}", f"EXCAVATION={out / 'check_excavation.gpkg'}",
                     f"MAP={target}", "SNAPSHOTS=6", "TITLE=PipeMap demo district: GB 50289 checks",
                     f"OUTPUT_HTML={out / 'checks_report.html'}", f"OUTPUT_PDF={out / 'checks_report.pdf'}")["results"]
    print(f"   {r['FINDINGS']} findings -> {r['OUTPUT_HTML']}, {r['OUTPUT_PDF']}")
    print("11. A 'planning' share package for the other departments (pipemap:export, pipemap:verifyexport)")
    share = out / "share_planning"
    picks = out / "gpr_district_picks.gpkg"
    formats = "0,1,2,3,4,5,6,7,8" + (",9" if picks.is_file() else "")
    r = qgis_process("run", "pipemap:export", "--json", "--", f"MAP={target}", f"FORMAT={formats}", "PROFILE=1",
                     *([f"PICKS={picks}"] if picks.is_file() else []), "OVERWRITE=true",
                     f"OUTPUT={share}")["results"]
    manifest = json.loads(Path(r["MANIFEST"]).read_text(encoding="utf-8"))
    print(f"   {r['FILES']} files, {r['FEATURES']} features in {share} (profile {manifest['profile']['name']}; "
          f"formats {', '.join(manifest['formats'])})")
    print("   withheld: " + "; ".join(f"{k} x{v}" for k, v in sorted(manifest["removed"].items())))
    v = qgis_process("run", "pipemap:verifyexport", "--json", "--", f"PACKAGE={share}")["results"]
    print(f"   manifest {r['MANIFEST']}: {v['CHECKED']} files verified against their SHA-256, "
          f"{'intact' if v['VALID'] else 'NOT intact'}")
    burst_main(target, out)
    if args.model:
        import_model(args.model, out)
    print(f"Done in {time.perf_counter() - started:.0f} s. Everything is in {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
