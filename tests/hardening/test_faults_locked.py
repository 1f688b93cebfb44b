"""A locked GeoPackage: another program writing to the map (issue 10, point 3).

Another SQLite connection holds the map in the middle of a transaction with
a RESERVED lock (it has started writing, as QGIS does while saving edits)
or an EXCLUSIVE lock (it is committing). PipeMap's writers copy the map,
change the copy and rename it over the map; without a lock the other
program's commit would go into the file the rename throws away (measured
before the fix: the other writer's row was lost). Now each writer must
refuse with a clear message (``map.locked``) after ``LOCK_TIMEOUT_S``,
leave the map unchanged, and the other program's commit must survive.
A map in WAL mode (QGIS edits GeoPackages in WAL mode) is covered too.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from pipemap.core import mapfile
from pipemap.core.errors import PipeMapError
from pipemap.core.gpr import survey
from pipemap.core.models import importer as model_importer
from pipemap.core.models import layers
from pipemap.core.survey import importer

NET3 = Path(__file__).resolve().parents[3] / "shared" / "data" / "networks" / "epanet_net3" / "Net3.inp"


@contextmanager
def other_writer(path: Path, lock: str, wal: bool = False) -> Iterator[sqlite3.Connection]:
    """Another program in the middle of a write transaction on ``path`` (committed on exit)."""
    con = sqlite3.connect(path, isolation_level=None, timeout=0.1)
    if wal:
        con.execute("PRAGMA journal_mode = WAL")
    con.execute(f"BEGIN {lock}")
    con.execute("INSERT INTO pipemap_metadata (key, value) VALUES ('other_writer', 'was here')")
    try:
        yield con
    finally:
        con.execute("COMMIT")
        con.close()


def _other_row_survived(path: Path) -> bool:
    return mapfile.read_metadata(path).get("other_writer") == "was here"


OPERATIONS = ["importsurvey", "upgrade", "gpr_record", "importmodel", "importlayers"]


def _model() -> Path:
    if not NET3.is_file():
        pytest.skip(f"the shared network file {NET3} is not available")
    return NET3


def _layer_file(folder: Path) -> Path:
    """A GeoPackage with two water mains in the map's CRS (EPSG:4547)."""
    from osgeo import ogr, osr

    path = folder / "mains.gpkg"
    if path.exists():
        return path
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4547)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    lyr = ds.CreateLayer("JS_mains", srs, ogr.wkbLineString)
    lyr.CreateField(ogr.FieldDefn("size", ogr.OFTString))
    for i in range(2):
        feat = ogr.Feature(lyr.GetLayerDefn())
        feat.SetField("size", "DN300")
        feat.SetGeometry(ogr.CreateGeometryFromWkt(f"LINESTRING (500000 {3000000 + 10 * i}, 500050 "
                                                   f"{3000000 + 10 * i})"))
        lyr.CreateFeature(feat)
    ds = None
    return path


def _operation(name: str, target: Path, district: Any, dzt: Path) -> Any:
    if name == "importsurvey":
        return importer.import_survey(target, district.tables)
    if name == "importmodel":
        return model_importer.import_model(target, _model())
    if name == "importlayers":
        return layers.import_layers(target, str(_layer_file(dzt.parent)))
    if name == "upgrade":
        con = sqlite3.connect(target)  # (schema version 1 is set before the other writer starts)
        con.close()
        return mapfile.upgrade_map(target)
    return survey.import_gpr(dzt, map_path=target, processing="none")


@pytest.mark.parametrize("lock", ["IMMEDIATE", "EXCLUSIVE"])
@pytest.mark.parametrize("op", OPERATIONS)
def test_locked_map_is_refused(op: str, lock: str, harness: Any, tmp_path: Path, empty_map: Path,
                               sample_map: tuple[Path, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(mapfile, "LOCK_TIMEOUT_S", 0.3)
    _, district = sample_map
    dzt = harness.copy(harness.real("dzt/rgpr_gprdata_cube/FILE____001.DZT"), tmp_path)
    target = harness.copy(empty_map, tmp_path, "map.gpkg")
    if op == "upgrade":
        con = sqlite3.connect(target)
        with con:
            con.execute("UPDATE pipemap_metadata SET value = '1' WHERE key = 'schema_version'")
        con.close()
    with other_writer(target, lock):
        before = harness.sha256(target)
        with pytest.raises(PipeMapError) as caught:
            _operation(op, target, district, dzt)
        assert caught.value.code in ("map.locked", "gpr.record"), caught.value
        assert str(target) in str(caught.value)
        if caught.value.code == "gpr.record":
            assert "locked" in str(caught.value)
        assert harness.sha256(target) == before, "the locked map changed"
    assert _other_row_survived(target), "the other program's commit was lost"
    assert harness.leftovers(tmp_path) == []
    # and once the other program is done, the same operation goes through
    _operation(op, target, district, dzt)
    assert _other_row_survived(target), "the other program's commit was lost by the next write"
    harness.record_faults(f"locked.{op}.{lock.lower()}", 1, refused=1, lost=0)


def test_wal_map_with_committed_changes_is_imported_without_loss(harness: Any, tmp_path: Path, empty_map: Path,
                                                                 sample_map: tuple[Path, Any]) -> None:
    """A map in WAL mode whose last commits are still in the -wal file (another program has it open):
    the import checkpoints first, so those commits are in the copy it rewrites."""
    _, district = sample_map
    target = harness.copy(empty_map, tmp_path, "map.gpkg")
    other = sqlite3.connect(target, isolation_level=None)
    other.execute("PRAGMA journal_mode = WAL")
    other.execute("PRAGMA wal_autocheckpoint = 0")
    other.execute("INSERT INTO pipemap_metadata (key, value) VALUES ('other_writer', 'was here')")
    wal = Path(str(target) + "-wal")
    assert wal.stat().st_size > 0, "the other program's commit should still be in the WAL"
    try:
        result = importer.import_survey(target, district.tables)
        assert result.committed
    finally:
        other.close()
    assert _other_row_survived(target), "the commit that was in the WAL was lost"
    con = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM pipe_segment").fetchone()[0] == district.n_segments
    finally:
        con.close()
    harness.record_faults("locked.wal_pending_commits", 1, lost=0)


def test_wal_map_with_an_open_reader_is_refused(harness: Any, tmp_path: Path, empty_map: Path,
                                                sample_map: tuple[Path, Any], monkeypatch: pytest.MonkeyPatch
                                                ) -> None:
    """WAL commits that cannot be checkpointed (a reader holds an old snapshot) would be lost by the rename:
    refused."""
    monkeypatch.setattr(mapfile, "LOCK_TIMEOUT_S", 0.3)
    _, district = sample_map
    target = harness.copy(empty_map, tmp_path, "map.gpkg")
    writer = sqlite3.connect(target, isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")
    reader = sqlite3.connect(target, isolation_level=None)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM pipemap_metadata").fetchone()  # holds the snapshot before the commit
    writer.execute("INSERT INTO pipemap_metadata (key, value) VALUES ('other_writer', 'was here')")
    try:
        with pytest.raises(PipeMapError) as caught:
            importer.import_survey(target, district.tables)
        assert caught.value.code == "map.locked"
    finally:
        reader.execute("COMMIT")
        reader.close()
        writer.close()
    assert _other_row_survived(target)
    harness.record_faults("locked.wal_open_reader", 1, refused=1, lost=0)


@pytest.mark.parametrize("op", ["importsurvey", "importmodel", "importlayers"])
@pytest.mark.parametrize("journal", ["delete", "wal"])
def test_map_open_in_another_program_during_import(journal: str, op: str, harness: Any, tmp_path: Path,
                                                   empty_map: Path, sample_map: tuple[Path, Any]) -> None:
    """QGIS has the map open (a layer loaded, idle) while PipeMap imports into it, then saves an edit.

    Found: with the copy renamed over the map, QGIS's connection stayed on the old, unlinked file: its edit
    was refused ("readonly database") in rollback-journal mode, and in WAL mode it went into the map's WAL
    and corrupted the new map ("database disk image is malformed"). The copy is now written into the map
    through SQLite, so the other connection sees the import and its edit lands in the same file."""
    _, district = sample_map
    target = harness.copy(empty_map, tmp_path, "map.gpkg")
    qgis = sqlite3.connect(target, isolation_level=None)
    try:
        qgis.execute(f"PRAGMA journal_mode = {journal}")
        qgis.execute("SELECT count(*) FROM pipe_point").fetchone()
        result = _operation(op, target, district, tmp_path / "unused.DZT")
        assert result.committed
        n_segments = district.n_segments if op == "importsurvey" else result.segments_written
        assert n_segments > 0
        assert qgis.execute("SELECT count(*) FROM pipe_segment").fetchone()[0] == n_segments
        qgis.execute("INSERT INTO pipemap_metadata (key, value) VALUES ('other_writer', 'was here')")
    finally:
        qgis.close()
    con = sqlite3.connect(f"file:{target}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM pipe_segment").fetchone()[0] == n_segments
    finally:
        con.close()
    assert _other_row_survived(target)
    name = journal if op == "importsurvey" else f"{op}.{journal}"
    harness.record_faults(f"locked.open_in_other_program.{name}", 1, lost=0)
