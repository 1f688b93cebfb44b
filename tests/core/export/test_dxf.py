"""DXF R2010: read back with ezdxf (recover + audit) and GDAL's DXF driver."""

from __future__ import annotations

import copy
import math
import re
from pathlib import Path

import numpy as np
import pytest

from pipemap.core import codes
from pipemap.core.export import dxf, model, profiles
from pipemap.core.export.formats import ExportOptions
from pipemap.core.progress import RecordingProgress

ezdxf = pytest.importorskip("ezdxf")
from ezdxf import recover  # noqa: E402
from ezdxf.lldxf.encoding import decode_dxf_unicode  # noqa: E402


def _write(data, folder: Path) -> tuple[Path, RecordingProgress]:
    folder.mkdir(parents=True, exist_ok=True)
    progress = RecordingProgress()
    files = dxf.write(data, folder, ExportOptions(basename="share"), progress)
    assert files == [folder / "share.dxf"]
    return files[0], progress


def _caret_decode(text: str) -> str:
    """DXF caret notation: '^ ' is a caret, '^X' is the control character X - 64."""
    return re.sub(r"\^(.)", lambda m: "^" if m.group(1) == " " else chr(ord(m.group(1)) - 64), text)


def _attributes(entity, unicode_escapes_decoded: bool = True) -> dict[str, str]:
    """XDATA PIPEMAP (or the extension-dictionary XRECORD it points to) as name -> value."""
    tags = [(t.code, t.value) for t in entity.get_xdata("PIPEMAP")]
    if tags == [(1000, "attributes=XRECORD")]:
        rec = entity.get_extension_dict()["PIPEMAP"]
        groups: list[list[str]] = []
        for t in rec.tags:
            if t.code == 1:
                groups.append([t.value])
            elif t.code == 3:
                groups[-1].append(t.value)
    else:
        groups, current = [], None
        for code, value in tags:
            if code == 1002 and value == "{":
                current = []
            elif code == 1002 and value == "}":
                groups.append(current)
                current = None
            elif current is not None:
                current.append(value)
            else:
                groups.append([value])
    out = {}
    for parts in groups:
        text = "".join(parts)
        if not unicode_escapes_decoded:
            text = decode_dxf_unicode(text)
        name, _, value = _caret_decode(text).partition("=")
        out[name] = value
    return out


def _expected(layer: model.LayerData, i: int) -> dict[str, object]:
    return {f.name: layer.columns[f.name][i] for f in layer.fields if layer.columns[f.name][i] is not None}


def _equal(field_type: str, stored: object, text: str) -> bool:
    if field_type == "real":
        return float(text) == float(stored)
    if field_type == "integer":
        return int(text) == int(stored)
    if field_type in ("date", "datetime"):
        return re.sub(r"\D", "", text)[:14] == re.sub(r"\D", "", str(stored))[:14]
    return text == stored


@pytest.fixture(scope="module")
def full_export(rich_map, tmp_path_factory):
    path, _, facts = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    target, progress = _write(data, tmp_path_factory.mktemp("dxf_full"))
    return data, facts, target, progress


def test_recover_and_audit_report_no_errors(full_export):
    _, _, target, progress = full_export
    assert progress.warnings == []
    assert target.read_bytes()[:200].count(b"AC1024") == 1  # R2010
    doc, auditor = recover.readfile(target)
    assert len(auditor.errors) == 0 and len(auditor.fixes) == 0
    assert len(doc.audit().errors) == 0
    assert doc.dxfversion == "AC1024"
    assert doc.header["$INSUNITS"] == 6


def test_polylines_keep_every_vertex_and_z(full_export):
    data, _, target, _ = full_export
    doc, _ = recover.readfile(target)
    seg = data.segments
    where = {sid: i for i, sid in enumerate(seg.columns["seg_id"])}
    polylines = doc.modelspace().query("POLYLINE")
    assert len(polylines) == len(seg) == 604
    for pl in polylines:
        assert pl.is_3d_polyline
        i = where[_attributes(pl)["seg_id"]]
        assert pl.dxf.layer == f"{seg.columns['category'][i]}_LINE"
        got = np.array([v.dxf.location for v in pl.vertices])
        assert np.array_equal(got, seg.coords(i))  # exact: z is the centreline elevation
    inserts = doc.modelspace().query("INSERT")
    pts = data.points
    pwhere = {pid: i for i, pid in enumerate(pts.columns["point_id"])}
    assert len(inserts) == len(pts)
    for ins in inserts:
        i = pwhere[_attributes(ins)["point_id"]]
        assert tuple(ins.dxf.insert) == tuple(pts.vertices[i])  # z = ground elevation
        kind = pts.columns["appurtenance"][i] or pts.columns["feature"][i]
        assert ins.dxf.name == (f"PM_{kind}" if kind else "PM_POINT")
        assert ins.dxf.name in doc.blocks


def test_xdata_round_trips_every_attribute(full_export):
    data, facts, target, _ = full_export
    for reader, decoded in ((lambda p: recover.readfile(p)[0], True), (ezdxf.readfile, False)):
        doc = reader(target)
        for layer, query, key in ((data.segments, "POLYLINE", "seg_id"), (data.points, "INSERT", "point_id")):
            where = {v: i for i, v in enumerate(layer.columns[key])}
            types = {f.name: f.type for f in layer.fields}
            seen = 0
            for e in doc.modelspace().query(query):
                got = _attributes(e, decoded)
                want = _expected(layer, where[got[key]])
                assert set(got) == set(want)
                for name, value in want.items():
                    assert _equal(types[name], value, got[name]), (got[key], name, value, got[name])
                seen += 1
            assert seen == len(layer)
    doc, _ = recover.readfile(target)
    by_id = {_attributes(e)["seg_id"]: _attributes(e) for e in doc.modelspace().query("POLYLINE")}
    hostile = by_id[facts["hostile_segment"]]
    assert (hostile["remark"], hostile["road"], hostile["owner"]) == tuple(facts["hostile"])
    assert facts["chinese_id"] in by_id
    assert sum(1 for a in by_id.values() if a.get("owner_contact") == facts["contact"]) > 100


def test_layer_colours_are_the_cjj61_colours(full_export):
    data, _, target, _ = full_export
    doc, _ = recover.readfile(target)
    cats = set(data.segments.category_counts()) | set(data.points.category_counts())
    names = {layer.dxf.name for layer in doc.layers}
    for c in codes.CATEGORIES:
        if c.code not in cats:
            continue
        for suffix in ("LINE", "POINT", "TEXT"):
            layer = doc.layers.get(f"{c.code}_{suffix}")
            assert tuple(layer.rgb) == c.rgb
            assert layer.color == dxf.nearest_aci(c.rgb)
        assert {f"{c.code}_LINE", f"{c.code}_POINT", f"{c.code}_TEXT"} <= names
    assert dxf.nearest_aci((255, 0, 0)) == 1 and dxf.nearest_aci((0, 255, 255)) == 4
    assert dxf.nearest_aci((0, 0, 0)) == 7


def test_labels_and_header_metadata(full_export):
    data, facts, target, _ = full_export
    doc, _ = recover.readfile(target)
    texts = doc.modelspace().query("MTEXT")
    labels = [t.plain_text() for t in texts if t.dxf.layer.endswith("_TEXT")]
    assert any(t.startswith(facts["chinese_id"]) for t in labels)
    assert any(re.search(r"DN300 QM$", t) for t in labels)
    assert len(texts) == len(data.segments) + len(data.points)
    custom = dict(doc.header.custom_vars)
    assert custom["PIPEMAP_CRS"] == "EPSG:4547"
    assert "centreline" in custom["PIPEMAP_Z_LINES"] and "ground" in custom["PIPEMAP_Z_POINTS"]
    assert custom["PIPEMAP_PROFILE"] == "full"
    assert custom["PIPEMAP_HEIGHT_DATUM"] == data.height_datum
    records = doc.rootdict["PIPEMAP"]
    wkt = "".join(t.value for t in records["CRS_WKT"].tags if t.code == 1)
    assert _caret_decode(wkt) == data.crs_wkt and len(wkt) > 255
    lo, hi = np.array(doc.header["$EXTMIN"]), np.array(doc.header["$EXTMAX"])
    v = np.concatenate([data.segments.vertices, data.points.vertices])
    assert (lo <= v.min(axis=0)).all() and (hi >= v.max(axis=0)).all()
    assert (hi - lo)[:2].max() < 2000  # sensible: the district, not the world


def test_hostile_values_long_values_and_missing_z(full_export, tmp_path):
    data = copy.deepcopy(full_export[0])
    seg = data.segments
    nasty = "a\\U+4E2D ^J^ b\x00\x01\r\n\t" + "中" * 200 + "%%c"
    seg.columns["remark"][0] = nasty
    seg.columns["remark"][1] = "长" * 9000  # 27 KB of UTF-8: beyond the XDATA limit
    seg.vertices[seg.offsets[2] + 1, 2] = np.nan
    seg.columns["seg_id"][3] = "甲{1}\\^b"
    target, progress = _write(data, tmp_path / "hostile")
    doc, auditor = recover.readfile(target)
    assert len(auditor.errors) == 0 and len(doc.audit().errors) == 0
    assert any("without elevation" in w for w in progress.warnings)
    assert any("16 KB" in w for w in progress.warnings)
    by_id = {}
    for e in doc.modelspace().query("POLYLINE"):
        by_id[_attributes(e)["seg_id"]] = (e, _attributes(e))
        for t in e.get_xdata("PIPEMAP") if e.has_xdata("PIPEMAP") else []:
            assert len(str(t.value).encode("utf-8")) <= 255
    ids = seg.columns["seg_id"]
    assert by_id[ids[0]][1]["remark"] == nasty
    assert by_id[ids[1]][1]["remark"] == "长" * 9000
    third, attrs = by_id[ids[2]]
    assert attrs["z_known"] == "0"
    assert [v.dxf.location.z for v in third.vertices][1] == 0.0
    assert by_id["甲{1}\\^b"][1]["seg_id"] == "甲{1}\\^b"
    labels = [t.plain_text() for t in doc.modelspace().query("MTEXT")]
    assert any(t.startswith("甲{1}\uff3c^b") for t in labels)  # display only: backslash shown full-width
    doc2 = ezdxf.readfile(target)
    plain = {_attributes(e, False)["seg_id"]: _attributes(e, False) for e in doc2.modelspace().query("POLYLINE")}
    assert plain[ids[0]]["remark"] == nasty


def test_planning_profile_bytes(rich_map, tmp_path):
    path, _, facts = rich_map
    data = model.read_map(path, profiles.load_profile("planning"))
    target, _ = _write(data, tmp_path / "planning")
    raw = target.read_bytes()
    for text in (facts["contact"], "13800000000", "zhang@example.cn", facts["hostile"][0]):
        assert text.encode("utf-8") not in raw
        assert dxf.encode_text(text).encode("utf-8") not in raw
        assert "".join(f"\\U+{ord(c):04X}" if ord(c) > 127 else c for c in text).encode() not in raw
    assert b"GY_LINE" not in raw and b"GY_POINT" not in raw and b"category=GY" not in raw
    assert b"owner_contact=" not in raw and b"remark=" not in raw and b"survey_org=" not in raw
    for sid in facts["restricted_segments"]:
        assert not re.search(rb"\nseg_id=" + re.escape(sid.encode()) + rb"\r?\n", raw)
    for pid in facts["secret_points"]:
        assert not re.search(rb"\npoint_id=" + re.escape(pid.encode()) + rb"\r?\n", raw)
    assert re.search(rb"\nseg_id=" + re.escape(facts["chinese_id"].encode()) + rb"\r?\n", raw)
    doc, auditor = recover.readfile(target)
    assert len(auditor.errors) == 0
    assert dict(doc.header.custom_vars)["PIPEMAP_PROFILE"] == "planning"


def test_gdal_reads_layers_and_z(full_export):
    from osgeo import ogr

    data, facts, target, _ = full_export
    ds = ogr.Open(str(target))
    assert ds is not None and ds.GetDriver().GetName() == "DXF"
    lyr = ds.GetLayer(0)
    layers: dict[str, int] = {}
    zs: list[tuple[float, float, float]] = []
    texts: list[str] = []
    for f in lyr:
        name = f.GetField("Layer")
        if name.endswith("_TEXT"):
            texts.append(f.GetField("Text") or "")
        layers[name] = layers.get(name, 0) + 1
        g = f.GetGeometryRef()
        if name.endswith("_LINE") and g is not None:
            assert g.Is3D()
            zs.append(g.GetPoint(0))
    cats = sorted(data.segments.category_counts())
    assert {f"{c}_LINE" for c in cats} <= set(layers)
    assert {f"{c}_TEXT" for c in cats} <= set(layers)
    assert sum(layers[f"{c}_LINE"] for c in cats) == len(data.segments)
    assert any(t.startswith(facts["chinese_id"]) for t in texts)  # UTF-8 read as UTF-8
    starts = {tuple(data.segments.coords(i)[0]) for i in range(len(data.segments))}
    assert all(any(math.isclose(p[2], s[2]) and math.isclose(p[0], s[0]) and math.isclose(p[1], s[1])
                   for s in starts) for p in zs[:50])
