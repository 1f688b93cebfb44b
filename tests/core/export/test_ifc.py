"""IFC 4.3 export: read back and validated with IfcOpenShell (schema + EXPRESS where-rules)."""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from pipemap.core import codes
from pipemap.core.errors import CancelledError, InputError
from pipemap.core.export import formats, ifc, model, profiles
from pipemap.core.export.writeutil import iso_datetime
from pipemap.core.progress import RecordingProgress

pytest.importorskip("ifcopenshell")
import ifcopenshell  # noqa: E402
import ifcopenshell.geom  # noqa: E402
import ifcopenshell.util.element  # noqa: E402
import ifcopenshell.util.placement  # noqa: E402
import ifcopenshell.util.unit  # noqa: E402
import ifcopenshell.validate  # noqa: E402

SEGMENT_CLASSES = ("IfcPipeSegment", "IfcCableSegment", "IfcCableCarrierSegment", "IfcBuildingElementProxy")
LOCAL_TM = ('PROJCS["Example city grid",GEOGCS["CGCS2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,'
            '298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],'
            'PROJECTION["Transverse_Mercator"],PARAMETER["latitude_of_origin",0],PARAMETER["central_meridian",114.1],'
            'PARAMETER["scale_factor",1],PARAMETER["false_easting",50000],PARAMETER["false_northing",-3300000],'
            'UNIT["metre",1]]')


def export(data, folder: Path, progress=None, **opts) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    progress = progress or RecordingProgress()
    files = ifc.write(data, folder, formats.ExportOptions(**opts), progress)
    assert len(files) == 1 and files[0].suffix == ".ifc"
    assert sorted(p.name for p in folder.iterdir()) == [files[0].name], "temporary files left behind"
    return files[0]


def validation_issues(f, rules: bool = True) -> list[dict]:
    """What ``python -m ifcopenshell.validate [--rules]`` reports (schema; with ``rules`` also the
    EXPRESS where-rules, which cost ~10 s per call, so only two tests use them)."""
    logger = ifcopenshell.validate.json_logger()
    ifcopenshell.validate.validate(f, logger, express_rules=rules)
    return logger.statements


def step_escape(text: str) -> str:
    """How an IFC (ISO 10303-21) file spells a string: '' and \\\\, runs of non-ASCII as \\X2\\hex\\X0\\."""
    out: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            out.append("\\X2\\" + "".join(f"{ord(c):04X}" for c in run) + "\\X0\\")
            run.clear()

    for ch in text:
        if ord(ch) < 0x20 or ord(ch) > 0x7E:
            run.append(ch)
            continue
        flush()
        out.append({"'": "''", "\\": "\\\\"}.get(ch, ch))
    flush()
    return "".join(out)


def all_strings(f) -> list[str]:
    """Every text value in the model, decoded (attributes and property values)."""
    out = []
    for ent in f:
        for v in ent:
            if isinstance(v, str):
                out.append(v)
            elif isinstance(v, ifcopenshell.entity_instance) and isinstance(getattr(v, "wrappedValue", None), str):
                out.append(v.wrappedValue)
    return out


def segment_elements(f) -> dict[str, object]:
    out = {}
    for cls in SEGMENT_CLASSES:
        for e in f.by_type(cls, include_subtypes=False):
            psets = ifcopenshell.util.element.get_psets(e)
            if "PipeMap_Segment" in psets:
                out[psets["PipeMap_Segment"]["seg_id"]] = e
    return out


def point_elements(f) -> dict[str, object]:
    out = {}
    for e in f.by_type("IfcProduct"):
        psets = ifcopenshell.util.element.get_psets(e)
        if "PipeMap_Point" in psets:
            out[psets["PipeMap_Point"]["point_id"]] = e
    return out


def map_conversion(f):
    (conv,) = f.by_type("IfcMapConversion")
    return conv


def to_map(f, local: np.ndarray) -> np.ndarray:
    """Model coordinates to map coordinates with the file's own IfcMapConversion."""
    conv = map_conversion(f)
    a, o = conv.XAxisAbscissa or 1.0, conv.XAxisOrdinate or 0.0
    scale = conv.Scale or 1.0
    n = math.hypot(a, o)
    cos, sin = a / n, o / n
    x = scale * (cos * local[:, 0] - sin * local[:, 1]) + conv.Eastings
    y = scale * (sin * local[:, 0] + cos * local[:, 1]) + conv.Northings
    return np.column_stack([x, y, local[:, 2] + conv.OrthogonalHeight])


def axis_polyline(elem) -> np.ndarray:
    """The element's Axis centreline in model coordinates (placement applied)."""
    m = ifcopenshell.util.placement.get_local_placement(elem.ObjectPlacement)
    (axis,) = [r for r in elem.Representation.Representations if r.RepresentationIdentifier == "Axis"]
    pts = np.array([p.Coordinates for p in axis.Items[0].Points], dtype=float)
    return (m @ np.column_stack([pts, np.ones(len(pts))]).T).T[:, :3]


def expected_props(layer, i: int) -> dict:
    out = {}
    for fld in layer.fields:
        v = layer.columns[fld.name][i]
        if v is None or (fld.type == "real" and not math.isfinite(v)):
            continue
        out[fld.name] = iso_datetime(v) if fld.type in ("date", "datetime") else v
    return out


def small(data, n=25):
    keep_s = np.zeros(len(data.segments), bool)
    keep_s[:n] = True
    keep_p = np.zeros(len(data.points), bool)
    keep_p[:n] = True
    return dataclasses.replace(data, segments=data.segments.subset(keep_s), points=data.points.subset(keep_p))


@pytest.fixture(scope="module")
def full(rich_map, tmp_path_factory):
    path, _, facts = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    progress = RecordingProgress()
    target = export(data, tmp_path_factory.mktemp("ifc_full"), progress)
    return data, target, ifcopenshell.open(str(target)), progress, facts


@pytest.fixture(scope="module")
def planning(rich_map, tmp_path_factory):
    path, _, facts = rich_map
    data = model.read_map(path, profiles.load_profile("planning"))
    target = export(data, tmp_path_factory.mktemp("ifc_planning"))
    return data, target, ifcopenshell.open(str(target)), facts


def test_full_export_passes_ifcopenshell_validate_with_where_rules(full):
    _, _, f, _, _ = full
    assert f.schema_identifier == "IFC4X3_ADD2"
    assert validation_issues(f) == []


def test_validator_is_not_vacuous(rich_map, tmp_path):
    """The same validation call reports a broken where-rule (USERDEFINED without ObjectType)."""
    path, _, _ = rich_map
    data = small(model.read_map(path, profiles.load_profile("public")), 3)
    f = ifcopenshell.open(str(export(data, tmp_path)))
    seg = next(e for e in segment_elements(f).values() if e.PredefinedType != "USERDEFINED")
    seg.PredefinedType = "USERDEFINED"
    seg.ObjectType = None
    issues = validation_issues(f)
    assert issues and all(i.get("instance") == seg for i in issues), issues


def test_planning_export_passes_schema_validation(planning):
    assert validation_issues(planning[2], rules=False) == []


def test_length_unit_is_metre_and_model_is_georeferenced(full):
    data, _, f, _, _ = full
    (assignment,) = f.by_type("IfcUnitAssignment")
    length = [u for u in assignment.Units if u.UnitType == "LENGTHUNIT"]
    assert len(length) == 1
    assert length[0].is_a("IfcSIUnit") and length[0].Name == "METRE" and length[0].Prefix is None
    assert ifcopenshell.util.unit.calculate_unit_scale(f) == 1.0
    conv = map_conversion(f)
    assert conv.SourceCRS.is_a("IfcGeometricRepresentationContext") and conv.SourceCRS.ContextType == "Model"
    crs = conv.TargetCRS
    assert crs.is_a("IfcProjectedCRS") and crs.Name == "EPSG:4547"
    assert crs.VerticalDatum == data.height_datum and "1985" in crs.VerticalDatum
    assert crs.MapUnit == length[0]
    assert [w.WellKnownText for w in f.by_type("IfcWellKnownText")] == [data.crs_wkt]
    allv = np.concatenate([data.segments.vertices, data.points.vertices])
    lo = allv.min(axis=0)
    # a round local origin at or just below the data's minimum corner
    assert (conv.Eastings, conv.Northings) == (math.floor(lo[0] / 100) * 100, math.floor(lo[1] / 100) * 100)
    assert conv.OrthogonalHeight == math.floor(lo[2])
    assert 0 <= lo[0] - conv.Eastings < 100 and 0 <= lo[1] - conv.Northings < 100
    assert (conv.XAxisAbscissa, conv.XAxisOrdinate, conv.Scale) == (1.0, 0.0, 1.0)
    # numbers in the file stay small: every placement is within the data's extent of the origin
    span = allv.max(axis=0) - lo + 200
    for p in f.by_type("IfcLocalPlacement"):
        xyz = ifcopenshell.util.placement.get_local_placement(p)[:3, 3]
        assert np.all(np.abs(xyz) <= span)


def test_every_segment_and_point_is_exported_in_its_system(full):
    data, _, f, _, _ = full
    segs, pts = segment_elements(f), point_elements(f)
    assert len(segs) == len(data.segments) == 604
    assert sorted(segs) == sorted(data.segments.columns["seg_id"])
    assert len(pts) == len(data.points) and sorted(pts) == sorted(data.points.columns["point_id"])
    kinds = Counter(e.is_a() for e in segs.values())
    assert kinds["IfcPipeSegment"] == 372  # JS, PS, RQ, RL, GY
    assert kinds["IfcCableCarrierSegment"] == 180  # DL and TX duct banks
    assert kinds["IfcCableSegment"] == 48  # directly buried street-lighting cables
    assert kinds["IfcBuildingElementProxy"] == 4  # utility tunnel
    systems = {s.Name.split()[0]: s for s in f.by_type("IfcDistributionSystem")}
    assert set(systems) == set(data.segments.category_counts())
    for code, sys_ in systems.items():
        assert sys_.PredefinedType == ifc.SYSTEM_TYPES[code]
        assert sys_.Name == f"{code} {codes.CATEGORY_BY_CODE[code].name_zh}"
        assert [r.RelatedBuildings for r in sys_.ServicesBuildings] == [(f.by_type("IfcSite")[0],)]
    assert systems["JS"].PredefinedType == "WATERSUPPLY" and systems["RQ"].PredefinedType == "GAS"
    (site,) = f.by_type("IfcSite")
    contained = {e.id() for r in site.ContainsElements for e in r.RelatedElements}
    for i, sid in enumerate(data.segments.columns["seg_id"]):
        e = segs[sid]
        assert e.id() in contained
        groups = [r.RelatingGroup for r in e.HasAssignments if r.is_a("IfcRelAssignsToGroup")]
        assert [g.Name.split()[0] for g in groups] == [data.segments.columns["category"][i]]
    by_class = Counter(e.is_a() for e in pts.values())
    assert by_class["IfcDistributionChamberElement"] == 213 and by_class["IfcValve"] == 32
    assert by_class["IfcFireSuppressionTerminal"] == 13 and by_class["IfcAnnotation"] == 264


def test_centrelines_round_trip_within_a_millimetre(full):
    data, _, f, _, _ = full
    segs = segment_elements(f)
    worst = 0.0
    for i, sid in enumerate(data.segments.columns["seg_id"]):
        got = to_map(f, axis_polyline(segs[sid]))
        want = data.segments.coords(i)
        assert got.shape == want.shape
        worst = max(worst, float(np.abs(got - want).max()))
    assert worst < 0.001, worst
    pts = point_elements(f)
    for i, pid in enumerate(data.points.columns["point_id"]):
        m = ifcopenshell.util.placement.get_local_placement(pts[pid].ObjectPlacement)
        got = to_map(f, m[:3, 3].reshape(1, 3))[0]
        assert np.abs(got - data.points.vertices[i]).max() < 0.001


def test_bodies_have_the_outer_size(full):
    """IfcOpenShell's geometry engine turns the bodies into solids of the right size."""
    data, _, f, _, _ = full
    segs = segment_elements(f)
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    rows = {r["seg_id"]: r for r in data.segments.rows()}
    checked = Counter()
    for sid, e in segs.items():
        r = rows[sid]
        key = (r["category"], r["section"])
        if checked[key] >= 2:
            continue
        checked[key] += 1
        shape = ifcopenshell.geom.create_shape(settings, e)
        verts = np.asarray(shape.geometry.verts, dtype=float).reshape(-1, 3)
        axis = axis_polyline(e)
        a, b = axis[0], axis[-1]
        d = (b - a) / np.linalg.norm(b - a)
        off = verts - a
        radial = off - np.outer(off @ d, d)
        dist = np.linalg.norm(radial, axis=1)
        if r["section"] == "box":
            half_diag = math.hypot(r["width_mm"], r["height_mm"]) / 2000
            assert abs(dist.max() - half_diag) < 0.002, (sid, dist.max(), half_diag)
            assert abs(np.ptp(verts[:, 2]) - (np.ptp(axis[:, 2]) + r["height_mm"] / 1000)) < 0.05
        else:
            outer = r["outer_diameter_mm"] / 1000 if r["outer_diameter_mm"] else 2 * ifc.MIN_VISIBLE_RADIUS_M
            assert abs(dist.max() - outer / 2) < 0.002, (sid, dist.max(), outer)
    assert len(checked) >= 8


def test_attributes_round_trip(full):
    data, _, f, _, _ = full
    segs, pts = segment_elements(f), point_elements(f)
    for i, sid in enumerate(data.segments.columns["seg_id"]):
        psets = ifcopenshell.util.element.get_psets(segs[sid])
        got = {k: v for k, v in psets["PipeMap_Segment"].items() if k != "id"}
        assert got == expected_props(data.segments, i)
        row = data.segments.row(i)
        if segs[sid].is_a("IfcPipeSegment") and row["dn_mm"]:
            common = psets["Pset_PipeSegmentTypeCommon"]
            assert common["NominalDiameter"] == pytest.approx(row["dn_mm"] / 1000)
            assert common["OuterDiameter"] == pytest.approx(row["outer_diameter_mm"] / 1000)
            length = float(np.linalg.norm(np.diff(data.segments.coords(i), axis=0), axis=1).sum())
            assert common["Length"] == pytest.approx(length)
            if row["pressure_mpa"]:
                assert common["WorkingPressure"] == pytest.approx(row["pressure_mpa"] * 1e6)
        assert segs[sid].Name == sid and segs[sid].Tag == sid
    for i, pid in enumerate(data.points.columns["point_id"]):
        got = {k: v for k, v in ifcopenshell.util.element.get_psets(pts[pid])["PipeMap_Point"].items() if k != "id"}
        assert got == expected_props(data.points, i)
    (project,) = f.by_type("IfcProject")
    meta = ifcopenshell.util.element.get_psets(project)["PipeMap_Export"]
    assert meta["Profile"] == "full" and meta["CRS"] == "EPSG:4547" and meta["HeightDatum"] == data.height_datum
    assert meta["ZConventionSegments"] == data.z_convention["pipe_segment"]
    assert meta["ZConventionPoints"] == data.z_convention["pipe_point"]


def test_chinese_and_hostile_text_survive(full):
    data, target, f, _, facts = full
    segs = segment_elements(f)
    cid = facts["chinese_id"]
    assert segs[cid].Name == cid
    hostile = ifcopenshell.util.element.get_psets(segs[facts["hostile_segment"]])["PipeMap_Segment"]
    assert (hostile["remark"], hostile["road"], hostile["owner"]) == tuple(facts["hostile"])
    raw = target.read_bytes()
    raw.decode("ascii")  # STEP files are 7-bit: everything else is escaped
    assert f"'{step_escape(cid)}'".encode("ascii") in raw
    assert step_escape(facts["hostile"][0]).encode("ascii") in raw
    assert step_escape(facts["contact"]).encode("ascii") in raw  # positive control for the planning test
    systems = {s.Name for s in f.by_type("IfcDistributionSystem")}
    assert "JS 给水" in systems and step_escape("JS 给水").encode("ascii") in raw


def test_planning_profile_leaves_nothing_out(planning, full):
    data, target, f, facts = planning
    raw = target.read_bytes()
    strings = all_strings(f)
    contact = facts["contact"]
    assert contact in all_strings(full[2])  # the full export does carry it
    assert not any(contact in s for s in strings)
    assert step_escape(contact).encode("ascii") not in raw
    assert contact.encode("utf-8") not in raw and contact.encode("gbk") not in raw
    restricted = set(facts["restricted_segments"])
    assert restricted and not restricted & set(strings)
    for ident in restricted:
        assert f"'{step_escape(ident)}'".encode("ascii") not in raw
    # secret points are not exported; their ids may still be named as start_point / end_point of a
    # kept segment, which is what read_map hands over (not this writer's business)
    secret = set(facts["secret_points"])
    assert secret and not secret & set(point_elements(f))
    assert not secret & {e.Name for e in f.by_type("IfcProduct")}
    assert "GY" not in strings and b"'GY'" not in raw
    assert not any(s.startswith("GY-") for s in strings)
    assert "CHEMICAL" not in {s.PredefinedType for s in f.by_type("IfcDistributionSystem")}
    gy_name = f"GY {codes.CATEGORY_BY_CODE['GY'].name_zh}"
    assert gy_name not in strings and step_escape(gy_name).encode("ascii") not in raw
    prop_names = {p.Name for p in f.by_type("IfcPropertySingleValue")}
    assert {"remark", "survey_org", "owner_contact"}.isdisjoint(prop_names)
    assert "seg_id" in prop_names and "owner" in prop_names
    assert len(segment_elements(f)) == len(data.segments) < 604


def test_public_profile_sizes_fall_back_with_a_warning(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("public"))
    progress = RecordingProgress()
    f = ifcopenshell.open(str(export(data, tmp_path, progress)))
    assert any(f"{len(data.segments)} segments without a size" in w for w in progress.warnings)
    disks = f.by_type("IfcSweptDiskSolid")
    assert disks and {d.Radius for d in disks} == {ifc.MIN_VISIBLE_RADIUS_M}
    geo = ifcopenshell.util.element.get_psets(next(iter(segment_elements(f).values())))["PipeMap_Geometry"]
    assert geo["SizeKnown"] is False
    props = {p.Name for p in f.by_type("IfcPropertySingleValue")} - {"BodyShape", "BodyWidth", "BodyHeight",
                                                                     "SizeSource", "SizeKnown", "ZKnown"}
    assert {"seg_id", "category", "point_id"} <= props and "owner" not in props and "road" not in props


def test_local_grid_missing_z_and_stable_ids(rich_map, tmp_path):
    """A city grid without EPSG code, vertices without z, ids stable between exports."""
    path, _, _ = rich_map
    data = small(model.read_map(path, profiles.load_profile("full")))
    verts = data.segments.vertices.copy()
    verts[1, 2] = np.nan  # one vertex of segment 0 (2 vertices: all of its z gone with vertex 0)
    verts[0, 2] = np.nan
    verts[2, 2] = np.nan  # first vertex of segment 1: interpolated from its other vertex
    pverts = data.points.vertices.copy()
    pverts[0, 2] = np.nan
    segs = dataclasses.replace(data.segments, vertices=verts)
    local = dataclasses.replace(data, segments=segs, points=dataclasses.replace(data.points, vertices=pverts),
                                crs_authid="", crs_wkt=LOCAL_TM)
    progress = RecordingProgress()
    target = export(local, tmp_path / "a", progress, basename="城市管线")
    assert target.name == "城市管线.ifc"
    f = ifcopenshell.open(str(target))
    assert validation_issues(f, rules=False) == []
    crs = map_conversion(f).TargetCRS
    assert crs.Name == "Example city grid" and crs.MapProjection == "Transverse_Mercator"
    assert [w.WellKnownText for w in f.by_type("IfcWellKnownText")] == [LOCAL_TM]
    assert any("1 segments had vertices without elevation" in w for w in progress.warnings)
    assert any("2 features have no elevation at all" in w for w in progress.warnings)
    elems = segment_elements(f)
    first = elems[data.segments.columns["seg_id"][0]]
    assert first.Representation is None
    assert ifcopenshell.util.element.get_psets(first)["PipeMap_Geometry"]["ZKnown"] is False
    second = to_map(f, axis_polyline(elems[data.segments.columns["seg_id"][1]]))
    assert np.allclose(second[:, 2], verts[3, 2])  # the known z carried to the unknown vertex
    again = ifcopenshell.open(str(export(local, tmp_path / "b")))
    ids = {e.Name: e.GlobalId for e in segment_elements(f).values()}
    assert ids == {e.Name: e.GlobalId for e in segment_elements(again).values()}
    assert len(set(ids.values())) == len(ids)


def test_bent_and_vertical_pieces(rich_map, tmp_path):
    """Lines with several vertices (a bend, a vertical drop) give valid solids along every piece."""
    path, _, _ = rich_map
    data = small(model.read_map(path, profiles.load_profile("full")), 2)
    segs = data.segments
    verts = np.array([[538000.0, 3380000.0, 21.0], [538010.0, 3380000.0, 21.0], [538010.0, 3380000.0, 19.5],
                      [538010.0, 3380012.0, 19.0],
                      [538100.0, 3380100.0, 22.0], [538105.0, 3380105.0, 22.0], [538105.0, 3380105.0, 22.0],
                      [538105.0, 3380105.0, 20.0]])
    cols = {k: list(v) for k, v in segs.columns.items()}
    cols["section"] = ["circular", "box"]
    cols["outer_diameter_mm"] = [400.0, None]
    cols["width_mm"], cols["height_mm"] = [None, 800.0], [None, 500.0]
    bent = dataclasses.replace(segs, columns=cols, vertices=verts, offsets=np.array([0, 4, 8]))
    f = ifcopenshell.open(str(export(dataclasses.replace(data, segments=bent), tmp_path)))
    assert validation_issues(f, rules=False) == []
    settings = ifcopenshell.geom.settings()
    settings.set("use-world-coords", True)
    elems = segment_elements(f)
    for i, sid in enumerate(bent.columns["seg_id"]):
        e = elems[sid]
        assert np.abs(to_map(f, axis_polyline(e)) - bent.coords(i)).max() < 0.001
        verts_local = np.asarray(ifcopenshell.geom.create_shape(settings, e).geometry.verts).reshape(-1, 3)
        got = to_map(f, verts_local)
        want = bent.coords(i)
        pad = 0.2 if i == 0 else math.hypot(0.8, 0.5) / 2
        assert np.all(got.min(axis=0) >= want.min(axis=0) - pad - 1e-6)
        assert np.all(got.max(axis=0) <= want.max(axis=0) + pad + 1e-6)
        # the tube reaches 0.2 m below its lowest (horizontal) piece; the box ends flat at the foot of its drop
        assert got[:, 2].min() == pytest.approx(want[:, 2].min() - 0.2 if i == 0 else want[:, 2].min(), abs=0.01)
    box = elems[bent.columns["seg_id"][1]]
    body = [r for r in box.Representation.Representations if r.RepresentationIdentifier == "Body"][0]
    assert [it.is_a() for it in body.Items] == ["IfcExtrudedAreaSolid"] * 2  # the zero-length piece is skipped


def test_cancel_leaves_no_file(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    with pytest.raises(CancelledError):
        ifc.write(data, tmp_path, formats.ExportOptions(), RecordingProgress(cancel_after=2))
    assert list(tmp_path.iterdir()) == []


def test_bad_basename_is_refused(rich_map, tmp_path):
    path, _, _ = rich_map
    data = small(model.read_map(path, profiles.load_profile("public")), 2)
    with pytest.raises(InputError):
        ifc.write(data, tmp_path, formats.ExportOptions(basename="../escape"), RecordingProgress())
    assert list(tmp_path.iterdir()) == []
