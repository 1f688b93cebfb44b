"""Load runs (issue 10, point 4): PipeMap at full size, peak memory per stage.

Stages, each in its own child process so that its peak RSS (``VmHWM``, and
the ``ru_maxrss`` the parent collects with ``wait4``) is its own:

``tables``   generate survey result tables of N segments (default 1,000,000)
             and their points, CJJ 61 Chinese headers, ten categories
``import``   create a map and import the tables (``importsurvey``)
``checks``   read the map's segments and run the clash check, findings
             written to a GeoPackage (what ``clashcheck`` does)
``export``   read the map through the ``full`` sharing profile and write a
             GeoPackage share package, then verify it
``gpr``      a DZT of about 2 GB (a valid header, real traces repeated) in
             /tmp: opened, read in chunks of traces and run through the
             default processing chain chunk by chunk; deleted afterwards
``batch``    100 small synthetic radargrams (SEG-Y) picked with
             ``pipemap:gprpick`` through the real ``qgis_process``: once as
             one Processing model with 100 child algorithms (one
             ``qgis_process`` call; it runs one algorithm per call otherwise),
             and as separate calls for a sample, to give the per-call cost

Every stage records how often it reported progress and the longest gap
between two reports ("progress is reported throughout").

Run alone: ``scripts/load.py --out build/load`` (``--quick`` for a smoke run,
``--only import,checks`` for some stages). ``make bench`` calls :func:`main`.
Figures go to stdout and ``<out>/load.json``.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

SCRIPTS = Path(__file__).resolve().parent
ROOT = SCRIPTS.parent
REAL_DZT = ROOT.parent / "shared" / "data" / "gpr" / "real" / "dzt" / "gprpy" / "FILE____032.DZT"
STAGES = ("tables", "import", "checks", "export", "gpr", "batch")
CRS = "EPSG:4547"
#: categories of the generated tables (CJJ 61 codes), one street lane each
CATEGORIES = ("JS", "PS", "YS", "WS", "RQ", "RL", "DL", "LD", "TX", "GY")
POINT_HEADERS = ["图上点号", "物探点号", "特征", "附属物", "X", "Y", "地面高程", "井深", "井径", "道路名称", "备注"]
LINE_HEADERS = ["起点点号", "终点点号", "起点埋深", "终点埋深", "起点高程", "终点高程", "材质", "管径", "埋设方式",
                "压力", "电压", "电缆条数", "总孔数", "已用孔数", "权属单位", "埋设年代", "道路名称", "备注"]
#: per category: material, size, burial, pressure, voltage, cables, holes, depth (m)
SPEC = {
    "JS": ("球墨铸铁", "DN300", "直埋", "0.3", "", "", "", 1.2),
    "PS": ("钢筋混凝土", "DN600", "直埋", "", "", "", "", 2.5),
    "YS": ("钢筋混凝土", "DN800", "直埋", "", "", "", "", 2.2),
    "WS": ("钢筋混凝土", "DN500", "直埋", "", "", "", "", 2.8),
    "RQ": ("PE", "DN200", "直埋", "0.2", "", "", "", 1.0),
    "RL": ("钢", "DN300", "直埋", "", "", "", "", 1.5),
    "DL": ("铜", "600X400", "管块", "", "10", "6", "", 0.8),
    "LD": ("铜", "DN100", "直埋", "", "0.4", "1", "", 0.7),
    "TX": ("光纤", "400X300", "管块", "", "", "", "6", 0.7),
    "GY": ("钢", "DN150", "直埋", "0.4", "", "", "", 1.3),
}
ORIGIN = (3_380_000.0, 520_000.0)  # northing, easting inside EPSG:4547's area of use


# --- measuring --------------------------------------------------------------------------------------------------

def anon_rss_mb() -> float:
    """This process's current anonymous resident memory (RssAnon: not the pages of memory-mapped files), MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("RssAnon:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return float("nan")


def peak_rss_mb() -> float:
    """This process's peak resident set size (VmHWM), in MB."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class Meter:
    """A core Progress that counts reports and the longest gap between two (and honours nothing else)."""

    def __init__(self) -> None:
        self.reports = 0
        self.t_last = time.perf_counter()
        self.max_gap_s = 0.0
        self.warnings = 0

    def report(self, fraction: float, message: str = "") -> None:
        now = time.perf_counter()
        self.max_gap_s = max(self.max_gap_s, now - self.t_last)
        self.t_last = now
        self.reports += 1

    def cancelled(self) -> bool:
        return False

    def info(self, message: str) -> None:
        pass

    def warning(self, message: str) -> None:
        self.warnings += 1

    def figures(self) -> dict[str, Any]:
        self.report(1.0)  # the gap to the end counts too
        return {"progress_reports": self.reports - 1, "max_progress_gap_s": round(self.max_gap_s, 2)}


# --- stages (run in the child process) --------------------------------------------------------------------------

def stage_tables(out: Path, segments: int) -> dict[str, Any]:
    """Write JSPoint.csv/JSLine.csv... for ``segments`` segments in all (UTF-8, Chinese headers).

    Streets run east-west 60 m apart; each category has its lane (2 m apart across the street), points every
    40 m; every point is on one line of its category (no tees), one depth per point.
    """
    folder = out / "tables"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    per_cat = segments // len(CATEGORIES)
    seg_per_street = 100
    streets = max(1, -(-per_cat // seg_per_street))
    written = 0
    for c, cat in enumerate(CATEGORIES):
        material, size, burial, pressure, voltage, cables, holes, depth = SPEC[cat]
        with open(folder / f"{cat}Point.csv", "w", encoding="utf-8", newline="") as pf, \
                open(folder / f"{cat}Line.csv", "w", encoding="utf-8", newline="") as lf:
            pw, lw = csv.writer(pf), csv.writer(lf)
            pw.writerow(POINT_HEADERS)
            lw.writerow(LINE_HEADERS)
            left = per_cat
            for s in range(streets):
                n_seg = min(seg_per_street, left)
                if n_seg <= 0:
                    break
                left -= n_seg
                northing = ORIGIN[0] + 60.0 * s + 2.0 * c
                road = f"路{s + 1}"
                for k in range(n_seg + 1):
                    easting = ORIGIN[1] + 40.0 * k
                    ground = 20.0 + 0.002 * k + 0.001 * s
                    pw.writerow([f"{cat}{s}_{k}", "", "", "", f"{northing:.3f}", f"{easting:.3f}", f"{ground:.3f}",
                                 "", "", road, ""])
                for k in range(n_seg):
                    g0, g1 = 20.0 + 0.002 * k + 0.001 * s, 20.0 + 0.002 * (k + 1) + 0.001 * s
                    lw.writerow([f"{cat}{s}_{k}", f"{cat}{s}_{k + 1}", f"{depth:.2f}", f"{depth:.2f}",
                                 f"{g0 - depth:.3f}", f"{g1 - depth:.3f}", material, size, burial, pressure, voltage,
                                 cables, holes, "", "管线公司", "2005", road, ""])
                written += n_seg
    size = sum(p.stat().st_size for p in folder.iterdir())
    return {"segments": written, "files": len(list(folder.iterdir())), "table_mb": round(size / 1e6, 1)}


def stage_import(out: Path) -> dict[str, Any]:
    from pipemap.core import mapfile
    from pipemap.core.survey import importer

    target = out / "load_map.gpkg"
    if target.exists():
        target.unlink()
    mapfile.create_map(target, CRS)
    meter = Meter()
    result = importer.import_survey(target, out / "tables", progress=meter)
    if not result.committed:
        raise SystemExit(f"import failed: {[i.message for i in result.errors[:5]]}")
    return {"segments": result.segments_written, "points": result.points_written,
            "warnings": len(result.warnings), "map_mb": round(target.stat().st_size / 1e6, 1), **meter.figures()}


def stage_checks(out: Path) -> dict[str, Any]:
    """What ``clashcheck MAP=... OUTPUT=<gpkg>`` does: read the segments, build the pipes, check, write."""
    from pipemap.core import mapfile, mapread
    from pipemap.core.checks.clash import check_clash
    from pipemap.core.checks.pipes import Pipes
    from pipemap.core.checks.rules import RuleSet

    target = out / "load_map.gpkg"
    meter = Meter()
    t0 = time.perf_counter()
    crs = mapfile.read_metadata(target).get("crs_authid")
    seg = mapread.read_segments(target)
    read_s = time.perf_counter() - t0
    rules = RuleSet.shipped()
    pipes = Pipes.from_segments(seg, rules)
    del seg
    t0 = time.perf_counter()
    findings = check_clash(pipes, rules, progress=meter)
    check_s = time.perf_counter() - t0
    figures: dict[str, Any] = {
        "segments": len(pipes), "findings": len(findings), "read_s": round(read_s, 1), "check_s": round(check_s, 1),
        "counts": {k: int(findings.counts.get(k, 0)) for k in ("FAIL", "UNCERTAIN", "UNKNOWN", "no_rule")},
        **meter.figures()}
    findings_path = out / "load_findings.gpkg"
    t0 = time.perf_counter()
    try:  # the writer and column list clashcheck uses (imports qgis.core for the columns)
        from bench_checks import clash_columns

        from pipemap.core.checks import output

        columns = clash_columns()
        output.write_points_gpkg(findings_path, columns, {c: getattr(findings, c) for c, _ in columns}, findings.x,
                                 findings.y, crs)
        figures["write_s"] = round(time.perf_counter() - t0, 1)
    except ImportError as exc:
        figures["write_s"] = None
        figures["write_note"] = f"findings not written: {exc}"
    return figures


def stage_export(out: Path) -> dict[str, Any]:
    from pipemap.core.export import model, package, profiles
    from pipemap.core.export.manifest import verify_package

    target = out / "load_share"
    if target.exists():
        shutil.rmtree(target)
    meter = Meter()
    t0 = time.perf_counter()
    data = model.read_map(out / "load_map.gpkg", profiles.load_profile("full"), progress=meter)
    read_s = time.perf_counter() - t0
    result = package.export_package(data, ["gpkg"], target, progress=meter)
    write_s = time.perf_counter() - t0 - read_s
    check = verify_package(target)
    size = sum(p.stat().st_size for p in target.rglob("*") if p.is_file())
    return {"segments": len(data.segments.columns.get("seg_id", [])), "read_s": round(read_s, 1),
            "write_s": round(write_s, 1), "package_mb": round(size / 1e6, 1), "verified": check.ok,
            "files": len(result.files), **meter.figures()}


def _big_dzt(path: Path, size_gb: float) -> int:
    """A DZT of about ``size_gb`` GB: FILE____032's header and traces repeated (header values stay valid)."""
    raw = REAL_DZT.read_bytes()
    header, body = raw[:1024], raw[1024:]
    repeat = max(1, int(size_gb * 1e9 // len(body)))
    with open(path, "wb") as fh:
        fh.write(header)
        for _ in range(repeat):
            fh.write(body)
    return path.stat().st_size


def stage_gpr(out: Path, size_gb: float, chunk_traces: int, whole: bool) -> dict[str, Any]:
    import numpy as np

    from pipemap.core.gpr import chains, readers, survey

    folder = Path(tempfile.mkdtemp(prefix="pipemap-load-gpr-", dir="/tmp"))
    path = folder / "BIG.DZT"
    try:
        t0 = time.perf_counter()
        size = _big_dzt(path, size_gb)
        write_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        rg = readers.read(path)[0]
        open_s = time.perf_counter() - t0
        rss_open = peak_rss_mb()
        steps = chains.parse_steps("default")
        meter = Meter()
        t0 = time.perf_counter()
        checksum = 0.0
        peak_anon = anon_rss_mb()
        n = rg.n_traces
        for start in range(0, n, chunk_traces):
            stop = min(n, start + chunk_traces)
            part = rg.with_data(rg.traces_float32(start, stop), "traces", {"start": start, "stop": stop},
                                distance_m=None if rg.distance_m is None else rg.distance_m[start:stop])
            done = chains.apply_chain(part, steps)
            checksum += float(np.abs(done.data[:, :: max(1, (stop - start) // 10)]).sum())
            peak_anon = max(peak_anon, anon_rss_mb())
            del part, done
            meter.report(stop / n)
        chain_s = time.perf_counter() - t0
        figures: dict[str, Any] = {
            "file_gb": round(size / 1e9, 2), "traces": n, "samples": rg.n_samples, "write_s": round(write_s, 1),
            "open_s": round(open_s, 3), "rss_after_open_mb": round(rss_open, 1), "chunk_traces": chunk_traces,
            "chunks": -(-n // chunk_traces), "read_and_chain_s": round(chain_s, 1),
            "mb_per_s": round(size / 1e6 / chain_s, 1), "checksum": round(checksum, 1),
            "peak_anon_rss_mb": round(peak_anon, 1),
            "whole_file_needs_gb": round(rg.n_samples * n * 4 * survey.PROCESSING_COPIES / 1e9, 1),
            **meter.figures()}
        if whole:
            t0 = time.perf_counter()
            try:
                survey.import_gpr(path, processing="default")
                figures["whole_import_s"] = round(time.perf_counter() - t0, 1)
            except Exception as exc:  # the memory check refuses it where memory is short
                figures["whole_import"] = str(exc)[:300]
        return figures
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def stage_batch(out: Path, n_files: int, separate: int) -> dict[str, Any]:
    from pipemap.core.gpr import synth
    from pipemap.core.gpr.segy_write import write_segy

    folder = out / "batch"
    if folder.exists():
        shutil.rmtree(folder)
    inputs, outputs = folder / "in", folder / "out"
    inputs.mkdir(parents=True)
    outputs.mkdir()
    t0 = time.perf_counter()
    truth = 0
    for i in range(n_files):
        rg, targets = synth.scene_radargram(synth.random_scene(1000 + i, 400, 512))
        write_segy(rg, inputs / f"line{i:03d}.sgy")
        truth += len(targets)
    make_s = time.perf_counter() - t0
    model = folder / "gprbatch.model3"
    code = _run([sys.executable, "-P", str(Path(__file__).resolve()), "--make-model", str(inputs), str(outputs),
                 str(model)], env={"QT_QPA_PLATFORM": "offscreen"})
    if code["returncode"] != 0:
        raise SystemExit(f"could not build the model: {code['stderr'][-2000:]}")
    runner = str(SCRIPTS / "qgis_process.sh")
    files = sorted(inputs.glob("*.sgy"))
    params = [f"pick{i:03d}:picks{i:03d}={outputs / (f.stem + '.gpkg')}" for i, f in enumerate(files)]
    model_run = _run([runner, "run", str(model), "--json", "--", *params])
    picks = _count_picks(outputs, [f.stem for f in files])
    single: list[dict[str, Any]] = []
    for f in files[:separate]:
        target = outputs / f"{f.stem}_single.gpkg"
        single.append(_run([runner, "run", "pipemap:gprpick", "--json", "--", f"INPUT={f}", "TRACE_SPACING_M=0.02",
                            f"OUTPUT={target}"]))
    per_call = [s["seconds"] for s in single if s["returncode"] == 0]
    return {
        "radargrams": n_files, "traces_each": 400, "samples_each": 512, "targets_simulated": truth,
        "make_s": round(make_s, 1),
        "model_run_s": round(model_run["seconds"], 1), "model_returncode": model_run["returncode"],
        "model_peak_rss_mb": round(model_run["maxrss_mb"], 1), "outputs_written": picks["files"],
        "picks": picks["picks"],
        "separate_calls_sampled": len(single), "separate_ok": len(per_call),
        "separate_call_s_median": round(sorted(per_call)[len(per_call) // 2], 2) if per_call else None,
        "separate_calls_estimate_s": round(n_files * sorted(per_call)[len(per_call) // 2], 1) if per_call else None,
        "separate_peak_rss_mb": round(max((s["maxrss_mb"] for s in single), default=0.0), 1),
    }


def _count_picks(folder: Path, stems: list[str]) -> dict[str, int]:
    import sqlite3

    files = picks = 0
    for stem in stems:
        path = folder / f"{stem}.gpkg"
        if not path.is_file():
            continue
        files += 1
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            (table,) = con.execute("SELECT table_name FROM gpkg_contents LIMIT 1").fetchone()
            picks += con.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        finally:
            con.close()
    return {"files": files, "picks": picks}


def make_model(inputs: Path, outputs: Path, model_path: Path) -> None:
    """Write a Processing model running pipemap:gprpick once per SEG-Y file of ``inputs`` (needs PyQGIS)."""
    from qgis.core import (
        QgsApplication,
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelOutput,
    )

    app = QgsApplication([], False)
    app.initQgis()
    static = QgsProcessingModelChildParameterSource.fromStaticValue
    model = QgsProcessingModelAlgorithm("gprbatch", "pipemap")
    for i, f in enumerate(sorted(inputs.glob("*.sgy"))):
        child = QgsProcessingModelChildAlgorithm("pipemap:gprpick")
        child.setChildId(f"pick{i:03d}")
        child.setDescription(f"pick {f.name}")
        for name, value in (("INPUT", str(f)), ("TRACE_SPACING_M", 0.02), ("VELOCITY", 0.0),
                            ("MIN_CONFIDENCE", 0.3), ("START_DISTANCE", 0.0), ("SPACING", 0.0),
                            ("SAMPLE_INTERVAL_NS", 0.0)):
            child.addParameterSources(name, [static(value)])
        output = QgsProcessingModelOutput(f"picks{i:03d}")
        output.setChildId(child.childId())
        output.setChildOutputName("OUTPUT")
        child.setModelOutputs({f"picks{i:03d}": output})
        model.addChildAlgorithm(child)
    if not model.toFile(str(model_path)):
        raise SystemExit(f"could not write {model_path}")
    app.exitQgis()


# --- the parent ----------------------------------------------------------------------------------------------------

def _run(cmd: list[str], env: dict[str, str] | None = None, timeout: float = 7200.0) -> dict[str, Any]:
    """Run a command; its wall time and peak RSS (``wait4``: the child's own ru_maxrss)."""
    t0 = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, env=dict(os.environ, **(env or {})))
        deadline = time.monotonic() + timeout
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                pid, status, usage = os.wait4(proc.pid, 0)
                break
            time.sleep(0.05)
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    return {"returncode": proc.returncode, "seconds": time.perf_counter() - t0, "maxrss_mb": usage.ru_maxrss / 1024,
            "stdout": stdout, "stderr": stderr}


def run_stage(name: str, args: argparse.Namespace) -> dict[str, Any]:
    cmd = [sys.executable, "-P", str(Path(__file__).resolve()), "--stage", name, "--out", str(args.out),
           "--segments", str(args.segments), "--gpr-gb", str(args.gpr_gb), "--chunk-traces", str(args.chunk_traces),
           "--radargrams", str(args.radargrams), "--separate-calls", str(args.separate_calls)]
    if args.gpr_whole:
        cmd.append("--gpr-whole")
    done = _run(cmd)
    lines = [ln for ln in done["stdout"].splitlines() if ln.startswith("{")]
    if done["returncode"] != 0 or not lines:
        return {"stage": name, "ok": False, "seconds": round(done["seconds"], 1),
                "error": done["stderr"][-3000:] or done["stdout"][-3000:]}
    result = json.loads(lines[-1])
    result.update(stage=name, ok=True, seconds=round(done["seconds"], 1),
                  peak_rss_mb=round(max(result.pop("vmhwm_mb", 0.0), done["maxrss_mb"]), 1))
    return result


def child(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(SCRIPTS))
    from _bootstrap import use_checkout

    use_checkout()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.stage == "tables":
        figures = stage_tables(out, args.segments)
    elif args.stage == "import":
        figures = stage_import(out)
    elif args.stage == "checks":
        figures = stage_checks(out)
    elif args.stage == "export":
        figures = stage_export(out)
    elif args.stage == "gpr":
        figures = stage_gpr(out, args.gpr_gb, args.chunk_traces, args.gpr_whole)
    else:
        figures = stage_batch(out, args.radargrams, args.separate_calls)
    figures["vmhwm_mb"] = peak_rss_mb()
    print(json.dumps(figures), flush=True)
    return 0


def describe(r: dict[str, Any]) -> str:
    if not r.get("ok"):
        return f"{r['stage']:<8} FAILED after {r['seconds']} s: {r.get('error', '')[-400:]}"
    head = f"{r['stage']:<8} {r['seconds']:>7.1f} s  peak RSS {r['peak_rss_mb']:>8.0f} MB  "
    if r["stage"] == "tables":
        return head + f"{r['segments']:,} segments in {r['files']} tables ({r['table_mb']} MB)"
    if r["stage"] == "import":
        return head + (f"{r['segments']:,} segments + {r['points']:,} points into a {r['map_mb']} MB map; "
                       f"{r['progress_reports']} progress reports, longest gap {r['max_progress_gap_s']} s")
    if r["stage"] == "checks":
        return head + (f"{r['segments']:,} segments: read {r['read_s']} s, clash {r['check_s']} s, findings "
                       f"{r['findings']:,} written {r['write_s']} s; {r['progress_reports']} progress reports, "
                       f"longest gap {r['max_progress_gap_s']} s")
    if r["stage"] == "export":
        return head + (f"{r['segments']:,} segments: read {r['read_s']} s, GeoPackage package {r['package_mb']} MB "
                       f"in {r['write_s']} s, verified={r['verified']}")
    if r["stage"] == "gpr":
        return head + (f"{r['file_gb']} GB DZT ({r['traces']:,} x {r['samples']}): open {r['open_s']} s; read + "
                       f"default chain in {r['chunks']} chunks {r['read_and_chain_s']} s ({r['mb_per_s']} MB/s), "
                       f"peak anonymous memory {r['peak_anon_rss_mb']} MB (the rest of the peak RSS is mapped file "
                       f"pages); the whole file at once would need ~{r['whole_file_needs_gb']} GB")
    return head + (f"{r['radargrams']} radargrams: one model run {r['model_run_s']} s (qgis_process peak "
                   f"{r['model_peak_rss_mb']} MB, {r['outputs_written']} outputs, {r['picks']} picks); separate "
                   f"calls {r['separate_call_s_median']} s each -> ~{r['separate_calls_estimate_s']} s for all")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "build" / "load"))
    parser.add_argument("--quick", action="store_true", help="small sizes (a smoke run of every stage)")
    parser.add_argument("--only", default="all", help="comma-separated stages: " + ", ".join(STAGES))
    parser.add_argument("--segments", type=int, default=1_000_000)
    parser.add_argument("--gpr-gb", type=float, default=2.0)
    parser.add_argument("--gpr-whole", action="store_true",
                        help="also import the whole GPR file at once (needs ~3x its float32 size in memory)")
    parser.add_argument("--chunk-traces", type=int, default=50_000)
    parser.add_argument("--radargrams", type=int, default=100)
    parser.add_argument("--separate-calls", type=int, default=10,
                        help="how many of the radargrams are also picked by separate qgis_process calls")
    parser.add_argument("--stage", choices=STAGES, help=argparse.SUPPRESS)
    parser.add_argument("--make-model", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.make_model:
        make_model(*(Path(p) for p in args.make_model))
        return 0
    if args.stage:
        return child(args)
    if args.quick:
        args.segments, args.gpr_gb, args.radargrams, args.separate_calls = 20_000, 0.05, 5, 2
    args.out = Path(args.out).resolve()
    args.out.mkdir(parents=True, exist_ok=True)
    wanted = STAGES if args.only == "all" else tuple(s.strip() for s in args.only.split(","))
    unknown = set(wanted) - set(STAGES)
    if unknown:
        parser.error(f"unknown stages: {', '.join(sorted(unknown))}")
    results = []
    for name in STAGES:
        if name not in wanted:
            continue
        if name in ("import", "checks", "export") and not (args.out / "tables").is_dir() and "tables" not in wanted:
            results.append(run_stage("tables", args))
            print(describe(results[-1]), flush=True)
        results.append(run_stage(name, args))
        print(describe(results[-1]), flush=True)
    (args.out / "load.json").write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0 if all(r.get("ok") for r in results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
