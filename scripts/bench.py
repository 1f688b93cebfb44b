"""`make bench`: benchmarks, each measured against its baseline in the same run.

Figures go to stdout and to build/bench/results.json. ``--quick`` uses small
inputs (for a smoke run); the default sizes are the ones the issues name.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def bench_createmap(out: Path, repeat: int = 5) -> dict:
    from pipemap.core import mapfile

    times = []
    for i in range(repeat):
        target = out / f"bench_{i}.gpkg"
        t0 = time.perf_counter()
        mapfile.create_map(target, "EPSG:4547", overwrite=True)
        times.append(time.perf_counter() - t0)
        target.unlink()
    return {"name": "createmap", "median_s": statistics.median(times), "runs": repeat}


def bench_import_and_tubes(out: Path, target_segments: int) -> list[dict]:
    """Survey import of ~target_segments segments with their points (goal < 30 s
    for 100,000), then their tube meshes built and written (goal < 60 s)."""
    import math

    from osgeo import gdal, ogr, osr

    from pipemap.core import mapfile, pipes3d, sample_district
    from pipemap.core.survey import importer

    scale = max(1, round(math.sqrt(target_segments / 708.0)))  # ~708 segments per scale^2
    folder = out / "district"
    if folder.exists():
        shutil.rmtree(folder)
    t0 = time.perf_counter()
    d = sample_district.generate(folder, scale=scale, errors=False)
    gen_s = time.perf_counter() - t0
    m = out / "bench_map.gpkg"
    mapfile.create_map(m, "EPSG:4547", overwrite=True)
    t0 = time.perf_counter()
    result = importer.import_survey(m, d.tables)
    import_s = time.perf_counter() - t0
    assert result.committed, result.errors[:3]
    rows = result.points_written + result.segments_written

    t0 = time.perf_counter()
    meshes = pipes3d.build_pipes(m, sides=12)
    build_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    target = out / "bench_tubes.gpkg"
    if target.exists():
        target.unlink()
    ds = gdal.GetDriverByName("GPKG").Create(str(target), 0, 0, 0, gdal.GDT_Unknown)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4547)
    lyr = ds.CreateLayer("tubes", srs, ogr.wkbMultiPolygon25D, options=["SPATIAL_INDEX=YES"])
    lyr.CreateField(ogr.FieldDefn("seg_id", ogr.OFTString))
    lyr.CreateField(ogr.FieldDefn("category", ogr.OFTString))
    defn = lyr.GetLayerDefn()
    ds.StartTransaction()
    for sid, cat, wkb in zip(meshes.ids, meshes.category, meshes.wkb):
        f = ogr.Feature(defn)
        f.SetFieldString(0, sid)
        f.SetFieldString(1, cat)
        f.SetGeometryDirectly(ogr.CreateGeometryFromWkb(wkb))
        lyr.CreateFeature(f)
    ds.CommitTransaction()
    ds = None
    write_s = time.perf_counter() - t1
    return [
        {"name": "import_survey", "segments": result.segments_written, "points": result.points_written,
         "seconds": import_s, "rows_per_s": rows / import_s, "goal_s": 30.0 * result.segments_written / 100_000,
         "generate_s": gen_s},
        {"name": "build_tubes", "segments": len(meshes.ids), "build_s": build_s, "write_s": write_s,
         "seconds": build_s + write_s, "tubes_per_s": len(meshes.ids) / (build_s + write_s),
         "goal_s": 60.0 * len(meshes.ids) / 100_000},
    ]


REAL_DZT = ROOT.parent / "shared" / "data" / "gpr" / "real" / "dzt" / "gprpy" / "FILE____032.DZT"


def bench_gpr_read(out: Path, size_mb: int) -> dict:
    """Read + convert to float32 a large DZT (FILE____032's traces repeated),
    PipeMap against readgssi on the same file, warm cache, same run."""
    import numpy as np

    from pipemap.core.gpr.readers import dzt

    big = out / "big.dzt"
    raw = REAL_DZT.read_bytes()
    header, body = raw[:1024], raw[1024:]
    repeat = max(1, int(size_mb * 1e6 // len(body)))
    if not big.exists() or big.stat().st_size != 1024 + repeat * len(body):
        with open(big, "wb") as fh:
            fh.write(header)
            for _ in range(repeat):
                fh.write(body)
    mb = big.stat().st_size / 1e6
    big.read_bytes()  # warm the page cache

    def ours() -> float:
        t0 = time.perf_counter()
        rg = dzt.read_dzt(big, scan_marks=False)[0]
        data = rg.data
        assert data.dtype == np.float32
        return time.perf_counter() - t0

    def theirs() -> float | None:
        try:
            import logging

            from readgssi import dzt as gssi
        except ImportError:
            return None
        import contextlib
        import io

        logging.disable(logging.WARNING)  # readgssi logs every mark at WARNING
        try:
            t0 = time.perf_counter()
            with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
                _, arrays, _ = gssi.readdzt(str(big), verbose=False)
                data = np.asarray(arrays[0]).astype(np.float32)
        finally:
            logging.disable(logging.NOTSET)
        assert data.size
        return time.perf_counter() - t0

    t_open = time.perf_counter()
    dzt.read_dzt(big, scan_marks=False)
    open_s = time.perf_counter() - t_open
    ours_s = statistics.median([ours() for _ in range(3)])
    runs = [theirs() for _ in range(3)]
    theirs_s = statistics.median(runs) if runs[0] is not None else None
    return {"name": "gpr_read", "mb": mb, "open_s": open_s, "pipemap_s": ours_s, "pipemap_mb_s": mb / ours_s,
            "readgssi_s": theirs_s, "readgssi_mb_s": (mb / theirs_s) if theirs_s else None,
            "ratio": (theirs_s / ours_s) if theirs_s else None}


def bench_gpr_chain(n_traces: int = 20_000, n_samples: int = 512) -> dict:
    """The default processing chain on a synthetic line (goal < 2 s for 20,000 x 512)."""
    import numpy as np

    from pipemap.core.gpr import chains, synth

    scene = synth.Scene(n_traces=n_traces, n_samples=n_samples, dx_m=0.02, dt_ns=0.125, freq_mhz=400.0,
                        targets=[synth.Target(x, 0.6 + 0.3 * (i % 4), 0.05)
                                 for i, x in enumerate(np.linspace(5, n_traces * 0.02 - 5, 40))],
                        layers=[synth.Layer(1.2, 0.3)], noise_rms=0.01, clutter=20, ringing=0.3, seed=7)
    rg, _ = synth.scene_radargram(scene)
    steps = chains.parse_steps("default")
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        chains.apply_chain(rg, steps)
        times.append(time.perf_counter() - t0)
    return {"name": "gpr_chain", "traces": n_traces, "samples": n_samples, "seconds": statistics.median(times),
            "best_s": min(times)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "build" / "bench"))
    parser.add_argument("--quick", action="store_true", help="small inputs (smoke run)")
    parser.add_argument("--segments", type=int, default=100_000)
    parser.add_argument("--only", choices=("all", "checks", "network", "postgis", "load"), default="all",
                        help="run only some benchmarks (checks: the clash check at city scale, issue 6; network: "
                             "isolation on 1M segments, issue 12; postgis: in-database vs in-process checks, issue 9; "
                             "load: 1M segments through import, checks and export + a 2 GB GPR file, issue 10)")
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from _bootstrap import use_checkout

    use_checkout()

    results: list[dict] = []
    if args.only == "all":
        results.append(bench_createmap(out))
        results += bench_import_and_tubes(out, 2_000 if args.quick else args.segments)
        if REAL_DZT.is_file():
            results.append(bench_gpr_read(out, 50 if args.quick else 1000))
        results.append(bench_gpr_chain(2_000 if args.quick else 20_000))
        from pipemap.core.gpr.picking import bench_picking

        pick = bench_picking(2_000 if args.quick else 20_000, 512)
        pick["name"] = "gpr_pick"
        results.append(pick)
        if not args.quick:
            pick["scaling"] = [{k: bench_picking(n, ns)[k] for k in ("n_traces", "n_samples", "total_s")}
                               for n, ns in ((5_000, 512), (10_000, 512), (5_000, 1024))]
    from bench_checks import bench_checks, print_lines

    if args.only in ("all", "checks"):
        results += bench_checks(out, quick=args.quick)
    network = None
    if args.only in ("all", "network"):
        from bench_network import bench_network

        network = bench_network(out, quick=args.quick)
    pg_results: list[dict] = []
    if args.only in ("all", "postgis"):
        from bench_pg import bench_pg

        pg_results = bench_pg(out, quick=args.quick)
        results += pg_results
    load_lines: list[str] = []
    if args.only == "load":
        import load

        load.main(["--out", str(out / "load")] + (["--quick"] if args.quick else []))
    for r in results:
        if r["name"] == "createmap":
            print(f"createmap      median {r['median_s'] * 1000:.0f} ms over {r['runs']} runs")
        elif r["name"] == "import_survey":
            print(f"import_survey  {r['segments']:,} segments + {r['points']:,} points in {r['seconds']:.1f} s "
                  f"({r['rows_per_s']:,.0f} rows/s; goal < {r['goal_s']:.0f} s)")
        elif r["name"] == "build_tubes":
            print(f"build_tubes    {r['segments']:,} tubes built {r['build_s']:.1f} s + written {r['write_s']:.1f} s "
                  f"= {r['seconds']:.1f} s ({r['tubes_per_s']:,.0f} tubes/s; goal < {r['goal_s']:.0f} s)")
        elif r["name"] == "gpr_read":
            other = (f"readgssi {r['readgssi_mb_s']:,.0f} MB/s -> PipeMap is {r['ratio']:.1f}x"
                     if r["readgssi_s"] else "readgssi not installed")
            print(f"gpr_read       {r['mb']:,.0f} MB DZT: open {r['open_s'] * 1000:.1f} ms; read+float32 "
                  f"{r['pipemap_mb_s']:,.0f} MB/s; {other}")
        elif r["name"] == "gpr_chain":
            print(f"gpr_chain      default chain on {r['traces']:,} x {r['samples']}: {r['seconds']:.2f} s median "
                  f"(best {r['best_s']:.2f} s; goal < 2 s)")
        elif r["name"] == "gpr_pick":
            print(f"gpr_pick       {r['n_traces']:,} x {r['n_samples']} processed and picked in {r['total_s']:.2f} s "
                  f"({'C kernel, ' + str(r['threads']) + ' threads' if r['native'] else 'numpy twin'}; goal < 2 s); "
                  f"{r['n_picks']} picks for {r['n_targets']} targets; stack kernel C vs numpy "
                  f"{r.get('stack_speedup', float('nan')):.0f}x")
            for sc in r.get("scaling", []):
                print(f"               scaling: {sc['n_traces']:,} x {sc['n_samples']}: {sc['total_s']:.2f} s")
    print_lines(results)
    if network is not None:
        from bench_network import print_lines as print_network

        results.append(network)
        print_network(network)
    if pg_results:
        from bench_pg import print_lines as print_pg_lines

        print_pg_lines(pg_results)
    for line in load_lines:
        print(line)
    print(f"peak RSS {peak_rss_mb():.0f} MB")
    (out / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
