"""Cancellation at every progress step (issue 10, point 3).

For each long-running operation the number of progress reports N is counted
once; the operation is then run N + 1 more times with
``RecordingProgress(cancel_after=n)`` for n = 0 ... N (the user presses
Cancel right after the n-th report). Each run ends either with
``CancelledError`` -- and then the target is as it was (absent, or
byte-identical), the sources are unchanged, and no temporary file remains --
or with the complete result (the cancel came after the last check).

The operations: create a map, import survey tables, import a GPR file,
a processing chain, the clash check, a hydraulic model import (EPANET Net3),
a GIS layer import (OSM GeoPackage) and a share package in every export
format (a small part of the sample district plus GPR picks; as a ``.zip`` and,
except the two slowest, as a folder; a complete one passes
``verify_package``). Imports and exports must stop at their next check: at
most two more progress reports after the cancel.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pipemap.core.errors import CancelledError
from pipemap.core.progress import RecordingProgress


def _cancel_everywhere(harness: Any, name: str, folder: Path, setup: Callable[[Path], Path],
                       run: Callable[[Path, RecordingProgress], Any], sources: list[Path],
                       complete: Callable[[Path], bool], late_reports: int | None = None) -> int:
    """Run ``run`` cancelled after every report; returns how many cancel points were tried.

    :param late_reports: when given, at most this many progress reports may follow the cancel request
        (the operation stops at its next check instead of running on)."""
    probe = folder / "probe"
    probe.mkdir()
    counter = RecordingProgress()
    run(setup(probe), counter)
    steps = len(counter.fractions)
    assert steps >= 1, f"{name} reports no progress: it cannot be cancelled"
    src_before = {s: harness.sha256(s) for s in sources}
    cancelled = 0
    most_late = 0
    for n in range(steps + 1):
        work = folder / f"cancel{n}"
        work.mkdir()
        target = setup(work)
        before = harness.tree_state(work)
        progress = RecordingProgress(cancel_after=n)
        try:
            run(target, progress)
        except CancelledError:
            cancelled += 1
            assert harness.tree_state(work) == before, f"{name} cancelled after report {n} changed its output"
            most_late = max(most_late, len(progress.fractions) - n)
            assert late_reports is None or len(progress.fractions) - n <= late_reports, \
                f"{name} went on for {len(progress.fractions) - n} reports after the cancel after report {n}"
        else:
            assert complete(target), f"{name} not cancelled after report {n}, but its result is incomplete"
        assert harness.leftovers(work) == [], f"{name} cancelled after report {n} left {harness.leftovers(work)}"
        assert {s: harness.sha256(s) for s in sources} == src_before, f"{name}: a source changed"
    assert cancelled >= 1, f"{name}: no cancel point stopped it"
    harness.record_faults(f"cancel.{name}", steps + 1, cancelled=cancelled, lost=0,
                          most_reports_after_cancel=most_late)
    return steps + 1


def test_cancel_create_map(harness: Any, tmp_path: Path) -> None:
    from pipemap.core import mapfile

    def run(target: Path, progress: RecordingProgress) -> Any:
        return mapfile.create_map(target, "EPSG:4547", progress=progress)

    def complete(target: Path) -> bool:
        return mapfile.read_map_info(target).layers["pipe_segment"]["count"] == 0

    _cancel_everywhere(harness, "createmap", tmp_path, lambda w: w / "new.gpkg", run, [], complete)


def test_cancel_import_survey(harness: Any, tmp_path: Path, sample_map: tuple[Path, Any], empty_map: Path) -> None:
    from pipemap.core.survey import importer

    _, district = sample_map
    tables = tmp_path / "tables"  # three categories of the district: every report is still a cancel point
    tables.mkdir()
    for name in ("JSPoint.csv", "JSLine.csv", "RQPoint.csv", "RQLine.csv", "DLPoint.csv", "DLLine.csv"):
        harness.copy(district.tables / name, tables)
    counter = importer.import_survey(harness.copy(empty_map, tmp_path, "count.gpkg"), tables)
    assert counter.committed

    def run(target: Path, progress: RecordingProgress) -> Any:
        return importer.import_survey(target, tables, progress=progress)

    def complete(target: Path) -> bool:
        import sqlite3

        con = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
        try:
            return con.execute("SELECT count(*) FROM pipe_segment").fetchone()[0] == counter.segments_written
        finally:
            con.close()

    _cancel_everywhere(harness, "importsurvey", tmp_path, lambda w: harness.copy(empty_map, w, "map.gpkg"), run,
                       sorted(tables.iterdir()), complete)


def test_cancel_gpr_import(harness: Any, tmp_path: Path, empty_map: Path) -> None:
    from pipemap.core.gpr import survey

    src = harness.copy(harness.real("dzt/rgpr_gprdata_cube/FILE____001.DZT"), tmp_path)

    def setup(work: Path) -> Path:
        harness.copy(empty_map, work, "map.gpkg")
        return work

    def run(work: Path, progress: RecordingProgress) -> Any:
        return survey.import_gpr(src, image_path=work / "line.png", segy_path=work / "line.sgy",
                                 map_path=work / "map.gpkg", trace_spacing_m=0.02, progress=progress)

    def complete(work: Path) -> bool:
        return (work / "line.png").is_file() and (work / "line.sgy").is_file()

    _cancel_everywhere(harness, "gprimport", tmp_path, setup, run, [src], complete)


def test_cancel_processing_chain(harness: Any) -> None:
    from pipemap.core.gpr import chains, readers

    rg = readers.read(harness.real("dzt/rgpr_gprdata_cube/FILE____001.DZT"))[0]
    steps = chains.parse_steps("default")
    counter = RecordingProgress()
    full = chains.apply_chain(rg, steps, counter)
    n_reports = len(counter.fractions)
    cancelled = 0
    for n in range(n_reports + 1):
        try:
            out = chains.apply_chain(rg, steps, RecordingProgress(cancel_after=n))
        except CancelledError:
            cancelled += 1
        else:
            assert out.history == full.history
    assert rg.raw is not None and rg.history == [], "the input radargram was changed"
    assert cancelled == len(steps), f"{cancelled} of {len(steps)} steps could be cancelled"
    harness.record_faults("cancel.gpr_chain", n_reports + 1, cancelled=cancelled, lost=0)


def test_cancel_clash_check(harness: Any, sample_map: tuple[Path, Any]) -> None:
    from pipemap.core import mapread
    from pipemap.core.checks.clash import check_clash
    from pipemap.core.checks.pipes import Pipes
    from pipemap.core.checks.rules import RuleSet

    map_path, _ = sample_map
    rules = RuleSet.shipped()
    pipes = Pipes.from_segments(mapread.read_segments(map_path), rules)
    counter = RecordingProgress()
    full = check_clash(pipes, rules, progress=counter)
    n_reports = len(counter.fractions)
    if n_reports == 0:
        pytest.fail("the clash check reports no progress: it cannot be cancelled")
    cancelled = 0
    for n in range(n_reports + 1):
        try:
            out = check_clash(pipes, rules, progress=RecordingProgress(cancel_after=n))
        except CancelledError:
            cancelled += 1
        else:
            assert len(out) == len(full)
    assert cancelled >= 1
    harness.record_faults("cancel.clash", n_reports + 1, cancelled=cancelled, lost=0)


EXPORT_FORMATS = ("gpkg", "shapefile", "tables", "dxf", "epanet", "swmm", "ifc", "cityjson", "jsonfg", "las")
#: a corner of the sample district: 82 segments and 76 points of 7 categories (every export stays quick)
EXTENT = (537960.0, 3379960.0, 538152.0, 3380152.0)
NETWORKS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "networks"


@pytest.fixture(scope="module")
def export_data(sample_map: tuple[Path, Any]) -> Any:
    """A small part of the sample district with 30 GPR picks (for the LAS/LAZ format)."""
    import numpy as np

    from pipemap.core.export import model, profiles

    rows = [{"pick_id": f"line1:{i}", "survey_id": "line1", "kind": "hyperbola", "distance_m": 0.5 * i,
             "depth_m": 1.0 + 0.01 * i, "t0_ns": 12.0, "velocity_m_ns": 0.1, "radius_m": 0.05, "confidence": 0.8,
             "category": "JS"} for i in range(30)]
    xyz = np.array([[537990.0 + i, 3379990.0 + 0.5 * i, 24.0 - 0.01 * i] for i in range(30)])
    picks = model.LayerData.from_rows("gpr_pick", model.PICK_FIELDS, rows, xyz)
    return model.read_map(sample_map[0], profiles.load_profile("full"), extent=EXTENT, picks=picks)


@pytest.mark.parametrize(("key", "kind"), [(k, "zip") for k in EXPORT_FORMATS] + [
    (k, "dir") for k in EXPORT_FORMATS if k not in ("dxf", "ifc")])  # (the two slowest: their writer is the same
# for both kinds, a .zip package is built as the folder first; 58 and 5 cancel points as .zip)
def test_cancel_export_package(key: str, kind: str, harness: Any, tmp_path: Path, sample_map: tuple[Path, Any],
                               export_data: Any) -> None:
    from pipemap.core.export import package
    from pipemap.core.export.manifest import verify_package

    map_path, _ = sample_map

    def run(target: Path, progress: RecordingProgress) -> Any:
        return package.export_package(export_data, [key], target, progress=progress)

    name = "share.zip" if kind == "zip" else "share"
    _cancel_everywhere(harness, f"export.{key}.{kind}", tmp_path, lambda w: w / name, run, [map_path],
                       lambda t: verify_package(t).ok, late_reports=2)


def _network(harness: Any, rel: str, folder: Path) -> Path:
    """A copy of a shared real network file (the shared folder is read-only)."""
    src = NETWORKS / rel
    if not src.is_file():
        pytest.skip(f"the shared network file {rel} is not available")
    return harness.copy(src, folder)


def _segments(target: Path) -> int:
    import sqlite3

    con = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        return con.execute("SELECT count(*) FROM pipe_segment").fetchone()[0]
    finally:
        con.close()


def test_cancel_model_import(harness: Any, tmp_path: Path) -> None:
    from pipemap.core import mapfile
    from pipemap.core.models import importer

    net3 = _network(harness, "epanet_net3/Net3.inp", tmp_path)
    empty = tmp_path / "local.gpkg"  # Net3 states no CRS: a map on a local grid in metres
    mapfile.create_map(empty, 'LOCAL_CS["local grid",UNIT["metre",1]]')
    probe = importer.import_model(harness.copy(empty, tmp_path, "count.gpkg"), net3)
    assert probe.committed and probe.segments_written > 100

    def run(target: Path, progress: RecordingProgress) -> Any:
        return importer.import_model(target, net3, progress=progress)

    _cancel_everywhere(harness, "importmodel", tmp_path, lambda w: harness.copy(empty, w, "map.gpkg"), run, [net3],
                       lambda t: _segments(t) == probe.segments_written, late_reports=2)


def test_cancel_layer_import(harness: Any, tmp_path: Path) -> None:
    from pipemap.core import mapfile
    from pipemap.core.models import layers

    osm = _network(harness, "osm_helsinki_utilities_fi/helsinki_osm_utilities.gpkg", tmp_path)
    empty = tmp_path / "map3067.gpkg"
    mapfile.create_map(empty, "EPSG:3067")
    probe = layers.import_layers(harness.copy(empty, tmp_path, "count.gpkg"), str(osm), mapping="osm")
    assert probe.committed and probe.segments_written == 78

    def run(target: Path, progress: RecordingProgress) -> Any:
        return layers.import_layers(target, str(osm), mapping="osm", progress=progress)

    _cancel_everywhere(harness, "importlayers", tmp_path, lambda w: harness.copy(empty, w, "map.gpkg"), run, [osm],
                       lambda t: _segments(t) == 78, late_reports=2)
