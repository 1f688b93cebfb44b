"""Writing into the map: re-import updates instead of duplicating, ids, all-or-nothing."""

from __future__ import annotations

import os

import pytest

from pipemap.core.models import importer

from .conftest import read_layer

CHAOHU = "swmm_chaohu_cn/chaohu.inp"


def set_field(map_path, layer: str, key: str, value_of_key: str, name: str, value) -> None:
    from osgeo import ogr

    ds = ogr.Open(str(map_path), 1)
    lyr = ds.GetLayerByName(layer)
    lyr.SetAttributeFilter(f"{key} = '{value_of_key}'")
    feats = list(lyr)
    assert len(feats) == 1
    feats[0].SetField(name, value)
    lyr.SetFeature(feats[0])
    ds = None


def test_reimport_updates_in_place_keeps_hand_edits_and_removes_what_left_the_model(copy_model, new_map):
    model = copy_model(CHAOHU)
    target = new_map()
    first = importer.import_model(target, model)
    assert (first.points_written, first.segments_written, first.points_updated) == (143, 130, 0)
    before_p = read_layer(target, "pipe_point")
    before_s = read_layer(target, "pipe_segment")
    set_field(target, "pipe_segment", "seg_id", "HS02004479HS02004480", "owner", "Chaohu Drainage Co.")

    second = importer.import_model(target, model)
    assert (second.points_written, second.segments_written) == (143, 130)
    assert (second.points_updated, second.segments_updated) == (143, 130)
    assert second.points_removed == second.segments_removed == 0
    after_s = read_layer(target, "pipe_segment")
    assert len(after_s) == 130 and len(read_layer(target, "pipe_point")) == 143
    row = after_s[("chaohu.inp", "HS02004479HS02004480")]
    assert row["owner"] == "Chaohu Drainage Co."  # not set by the import: kept
    assert row["version"] == 2
    assert row["_fid"] == before_s[("chaohu.inp", "HS02004479HS02004480")]["_fid"]  # updated in place
    assert {k: v["point_id"] for k, v in before_p.items()} == \
        {k: v["point_id"] for k, v in read_layer(target, "pipe_point").items()}

    # the model changes: a conduit goes, a junction moves and gets deeper
    text = model.read_text("utf-8")
    lines = text.splitlines()
    lines = [ln for ln in lines if not ln.startswith("HS02004479HS02004480 ")]
    lines = [ln.replace("HS02004478       530893.163", "HS02004478       530900.000")
             .replace("HS02004478       9.228      1.86", "HS02004478       9.000      2.50") for ln in lines]
    model.write_text("\n".join(lines) + "\n", "utf-8")
    third = importer.import_model(target, model)
    assert third.segments_removed == 1 and third.segments_written == 129
    pts = read_layer(target, "pipe_point")
    moved = pts[("chaohu.inp", "HS02004478")]
    assert moved["_xyz"][0][:2] == pytest.approx((530900.0, 498078.267))
    assert moved["ground_elev_m"] == pytest.approx(11.5) and moved["version"] == 3
    segs = read_layer(target, "pipe_segment")
    assert ("chaohu.inp", "HS02004479HS02004480") not in segs
    leaving = segs[("chaohu.inp", "HS02004478WS02006287")]
    assert leaving["_xyz"][0][:2] == pytest.approx((530900.0, 498078.267))


def test_ids_held_by_other_features_get_the_file_stem(copy_model, new_map, tmp_path):
    target = new_map()
    model = copy_model(CHAOHU)
    importer.import_model(target, model)
    other = tmp_path / "other.inp"  # a second model reusing a node id and a conduit id of the first
    other.write_text("[OPTIONS]\nFLOW_UNITS LPS\n[JUNCTIONS]\nHS02004478 1 2\nX 1 2\n[CONDUITS]\n"
                     "HS02004479HS02004480 HS02004478 X 10 0.013 0 0\n[XSECTIONS]\n"
                     "HS02004479HS02004480 CIRCULAR 0.3\n[COORDINATES]\nHS02004478 0 0\nX 10 0\n", "utf-8")
    result = importer.import_model(target, other)
    assert result.committed and any("other:<id>" in n for n in result.notes)
    pts = read_layer(target, "pipe_point")
    assert pts[("other.inp", "HS02004478")]["point_id"] == "other:HS02004478"
    assert pts[("other.inp", "X")]["point_id"] == "X"
    assert pts[("chaohu.inp", "HS02004478")]["point_id"] == "HS02004478"  # the first model is untouched
    seg = read_layer(target, "pipe_segment")[("other.inp", "HS02004479HS02004480")]
    assert seg["seg_id"] == "other:HS02004479HS02004480"
    assert (seg["start_point"], seg["end_point"]) == ("other:HS02004478", "X")
    assert len(read_layer(target, "pipe_segment")) == 131
    again = importer.import_model(target, other)  # stable ids on re-import
    assert again.points_updated == 2
    assert read_layer(target, "pipe_point")[("other.inp", "HS02004478")]["point_id"] == "other:HS02004478"


def test_a_crs_the_data_contradict_leaves_the_map_byte_identical(copy_model, new_map):
    target = new_map("EPSG:4547")
    before = target.read_bytes()
    model = copy_model("epanet_modena/MOD.inp")
    result = importer.import_model(target, model, crs="EPSG:4547")  # Modena is in EPSG:3003, not China
    assert not result.committed
    assert [i.code for i in result.errors] == ["crs.outside"]
    assert target.read_bytes() == before
    assert sorted(os.listdir(target.parent)) == ["in", "map.gpkg"]


def test_reprojection_into_the_map_crs(copy_model, new_map):
    """Modena, in Monte Mario / Italy zone 1 (EPSG:3003), into a UTM 32N map (EPSG:32632)."""
    from pyproj import Transformer

    target = new_map("EPSG:32632")
    model = copy_model("epanet_modena/MOD.inp")
    result = importer.import_model(target, model, crs="EPSG:3003")
    assert result.committed and not [i for i in result.issues if i.code.startswith(("crs.", "coords."))]
    tr = Transformer.from_crs("EPSG:3003", "EPSG:32632", always_xy=True)
    row = read_layer(target, "pipe_point")[("MOD.inp", "2")]
    src = [ln.split() for ln in model.read_bytes().replace(b"\x00", b"").decode().splitlines()]
    in_coords = False
    for tok in src:
        if tok and tok[0].startswith("["):
            in_coords = tok[0].upper() == "[COORDINATES]"
        elif in_coords and tok and tok[0] == "2":
            x, y = tr.transform(float(tok[1]), float(tok[2]))
            assert row["_xyz"][0][:2] == pytest.approx((x, y), abs=0.01)
            break
    else:
        pytest.fail("node 2 not found in MOD.inp")


def test_import_committed_in_chunks_writes_the_same_map(copy_model, new_map, monkeypatch):
    """Large imports commit their private copy in chunks (mapwrite.COMMIT_EVERY); chunks of 7 features give
    the same map as one transaction, first import and re-import alike."""
    from pipemap.core.models import mapwrite

    model = copy_model(CHAOHU)
    whole, chunked = new_map(name="whole.gpkg"), new_map(name="chunked.gpkg")
    for _ in range(2):  # an import, then a re-import (updates)
        importer.import_model(whole, model)
        with monkeypatch.context() as m:
            m.setattr(mapwrite, "COMMIT_EVERY", 7)
            importer.import_model(chunked, model)
        for layer in ("pipe_point", "pipe_segment"):
            a, b = read_layer(whole, layer), read_layer(chunked, layer)
            assert a.keys() == b.keys() and len(a) > 100
            def same(rows):  # (repr: NaN z of nodes without elevation compare equal)
                return {k: repr(sorted((f, v) for f, v in r.items() if f != "modified_at")) for k, r in rows.items()}

            assert same(a) == same(b)
