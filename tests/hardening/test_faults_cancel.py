"""Cancellation at every progress step (issue 10, point 3).

For each long-running operation the number of progress reports N is counted
once; the operation is then run N + 1 more times with
``RecordingProgress(cancel_after=n)`` for n = 0 ... N (the user presses
Cancel right after the n-th report). Each run ends either with
``CancelledError`` -- and then the target is as it was (absent, or
byte-identical), the sources are unchanged, and no temporary file remains --
or with the complete result (the cancel came after the last check).
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
                       complete: Callable[[Path], bool]) -> int:
    """Run ``run`` cancelled after every report; returns how many cancel points were tried."""
    probe = folder / "probe"
    probe.mkdir()
    counter = RecordingProgress()
    run(setup(probe), counter)
    steps = len(counter.fractions)
    assert steps >= 1, f"{name} reports no progress: it cannot be cancelled"
    src_before = {s: harness.sha256(s) for s in sources}
    cancelled = 0
    for n in range(steps + 1):
        work = folder / f"cancel{n}"
        work.mkdir()
        target = setup(work)
        before = harness.tree_state(work)
        try:
            run(target, RecordingProgress(cancel_after=n))
        except CancelledError:
            cancelled += 1
            assert harness.tree_state(work) == before, f"{name} cancelled after report {n} changed its output"
        else:
            assert complete(target), f"{name} not cancelled after report {n}, but its result is incomplete"
        assert harness.leftovers(work) == [], f"{name} cancelled after report {n} left {harness.leftovers(work)}"
        assert {s: harness.sha256(s) for s in sources} == src_before, f"{name}: a source changed"
    assert cancelled >= 1, f"{name}: no cancel point stopped it"
    harness.record_faults(f"cancel.{name}", steps + 1, cancelled=cancelled, lost=0)
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


def test_cancel_export_package(harness: Any, tmp_path: Path, sample_map: tuple[Path, Any]) -> None:
    from pipemap.core.export import model, package, profiles
    from pipemap.core.export.manifest import verify_package

    map_path, _ = sample_map
    data = model.read_map(map_path, profiles.load_profile("full"))

    def run(target: Path, progress: RecordingProgress) -> Any:
        return package.export_package(data, ["gpkg"], target, progress=progress)

    _cancel_everywhere(harness, "export_gpkg", tmp_path, lambda w: w / "share.zip", run, [map_path],
                       lambda t: verify_package(t).ok)
