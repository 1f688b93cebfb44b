"""SWMM models into the map, checked against swmm-api (an independent reader) and the SWMM manual."""

from __future__ import annotations

import math
from collections import Counter

import pytest

from pipemap.core.models import importer, swmm
from pipemap.core.models.inp import parse

from .conftest import read_layer

swmm_api = pytest.importorskip("swmm_api")

CHAOHU = "swmm_chaohu_cn/chaohu.inp"
BALTIMORE = "swmm_baltimore_inner_harbor_us/Inner_Harbor_Model_V19.inp"
FT = 0.3048
OPEN = {"RECT_OPEN", "TRAPEZOIDAL", "TRIANGULAR", "PARABOLIC", "POWER", "IRREGULAR", "STREET"}


def section(src, name: str):
    return src.XSECTIONS[name]


def expected_conduit_z(src, factor: float) -> dict[str, tuple[float, float]]:
    """(z at from node, z at to node) in metres = invert + offset + half height, from swmm-api's tables."""
    inverts = {}
    for sec in ("JUNCTIONS", "OUTFALLS", "STORAGE", "DIVIDERS"):
        if sec in src:
            inverts.update({n: o.elevation for n, o in src[sec].items()})
    assert src.OPTIONS.get("LINK_OFFSETS", "DEPTH") == "DEPTH"
    out = {}
    for name, c in src.CONDUITS.items():
        x = section(src, name)
        if x.shape in OPEN:
            continue
        half = x.height / 2.0
        out[name] = ((inverts[c.from_node] + c.offset_upstream + half) * factor,
                     (inverts[c.to_node] + c.offset_downstream + half) * factor)
    return out


def import_real(copy_model, new_map, relative: str, map_crs: str | None = None, crs: str | None = None):
    model = copy_model(relative)
    target = new_map(map_crs) if map_crs else new_map()
    result = importer.import_model(target, model, crs=crs)
    assert result.committed
    return model, target, result


@pytest.mark.parametrize("relative, factor, map_crs", [(CHAOHU, 1.0, None), (BALTIMORE, FT, "EPSG:26918")])
def test_real_models_import_with_counts_and_conduit_z_of_swmm_api(copy_model, new_map, relative, factor, map_crs):
    model, target, result = import_real(copy_model, new_map, relative, map_crs, map_crs)
    src = swmm_api.read_inp_file(str(model))
    sections = ("JUNCTIONS", "OUTFALLS", "STORAGE", "DIVIDERS", "CONDUITS", "PUMPS", "ORIFICES", "WEIRS", "OUTLETS")
    independent = {s: len(src[s]) for s in sections if s in src and len(src[s])}
    assert result.counts == independent
    n_nodes = sum(independent.get(s, 0) for s in ("JUNCTIONS", "OUTFALLS", "STORAGE", "DIVIDERS"))
    n_regulators = sum(independent.get(s, 0) for s in ("PUMPS", "ORIFICES", "WEIRS", "OUTLETS"))
    n_open = sum(1 for name in src.CONDUITS if section(src, name).shape in OPEN)
    points = read_layer(target, "pipe_point")
    segments = read_layer(target, "pipe_segment")
    assert len(points) == result.points_written == n_nodes + n_regulators
    assert len(segments) == result.segments_written == len(src.CONDUITS) - n_open
    assert result.skipped == ({"open channel or street": n_open} if n_open else {})
    source = model.name
    kinds = Counter(row["remark"].split(",")[0].split()[1] for row in points.values())
    assert kinds["junction"] == independent.get("JUNCTIONS", 0)
    assert kinds["outfall"] == independent.get("OUTFALLS", 0)
    # z of every conduit end = invert + offset + half height, within 1 cm
    want = expected_conduit_z(src, factor)
    assert len(want) == len(segments)
    verts = {name: len(v.vertices) for name, v in src.VERTICES.items()} if "VERTICES" in src else {}
    coords = src.COORDINATES
    for name, (z0, z1) in want.items():
        row = segments[(source, name)]
        xyz = row["_xyz"]
        assert xyz[0][2] == pytest.approx(z0, abs=0.01), name
        assert xyz[-1][2] == pytest.approx(z1, abs=0.01), name
        assert len(xyz) == 2 + verts.get(name, 0)
        c = src.CONDUITS[name]
        assert (xyz[0][0], xyz[0][1]) == pytest.approx((coords[c.from_node].x, coords[c.from_node].y), abs=1e-6)
        assert (row["start_point"], row["end_point"]) == (c.from_node, c.to_node)
        assert row["depth_ref"] == "invert"
        assert row["start_elev_m"] == pytest.approx(z0 - section(src, name).height * factor / 2, abs=1e-6)
    # rims of junctions = invert + MaxDepth
    for name, j in src.JUNCTIONS.items():
        row = points[(source, name)]
        assert row["appurtenance"] == "manhole"
        if j.depth_max > 0:
            assert row["ground_elev_m"] == pytest.approx((j.elevation + j.depth_max) * factor, abs=1e-6)
            assert row["_xyz"][0][2] == pytest.approx(row["ground_elev_m"])
            assert row["well_depth_m"] == pytest.approx(j.depth_max * factor)
        else:
            assert row["ground_elev_m"] is None and math.isnan(row["_xyz"][0][2])
    for name in src.OUTFALLS:
        assert points[(source, name)]["feature"] == "outlet"
    assert all(row["quality_level"] == "QL-D" and row["source"] == source for row in segments.values())


def crowns_above_rim(src) -> set[str]:
    """Conduits whose crown is above a rim at either end, from swmm-api's tables."""
    rims = {n: (j.elevation, j.elevation + j.depth_max) for n, j in src.JUNCTIONS.items() if j.depth_max > 0}
    inverts = {n: o.elevation for s in ("JUNCTIONS", "OUTFALLS", "STORAGE") for n, o in src[s].items()}
    out = set()
    for name, c in src.CONDUITS.items():
        x = section(src, name)
        if x.shape in OPEN:
            continue
        for node, off in ((c.from_node, c.offset_upstream), (c.to_node, c.offset_downstream)):
            if node in rims and rims[node][1] - (inverts[node] + off + x.height) < -0.001 / FT:
                out.add(name)
    return out


def test_baltimore_defects_are_reported(copy_model, new_map):
    model, target, result = import_real(copy_model, new_map, BALTIMORE, "EPSG:26918", "EPSG:26918")
    src = swmm_api.read_inp_file(str(model))
    by_code: dict[str, list] = {}
    for i in result.issues:
        by_code.setdefault(i.code, []).append(i)
    crowns = {i.ref for i in by_code["link.crown_above_rim"]}
    assert crowns == crowns_above_rim(src)
    assert len(crowns) == 8  # SOURCES.md: 8 conduits have their crown above the rim
    assert {i.ref for i in by_code["node.no_rim"]} == {"J130", "J3", "J4", "J5", "J7", "J8"}
    streets = {n for n in src.CONDUITS if section(src, n).shape == "STREET"}
    assert len(streets) == 102
    assert {i.ref for i in by_code["link.open_channel"]} == streets
    assert all(i.x is not None for i in by_code["link.open_channel"])  # placed on the map
    assert len(by_code["units.mixed"]) == 1 and "feet" in by_code["units.mixed"][0].message
    assert "crs.outside" not in by_code and "coords.scaled" not in by_code
    assert all(i.severity == "warning" for i in result.issues)
    points = read_layer(target, "pipe_point")
    weirs = [r for r in points.values() if r["remark"].startswith("SWMM weir")]
    assert len(weirs) == len(src.WEIRS) and all(r["appurtenance"] == "overflow_manhole" for r in weirs)


def test_chaohu_subcategories_and_zero_outfalls(copy_model, new_map):
    model, target, result = import_real(copy_model, new_map, CHAOHU)
    src = swmm_api.read_inp_file(str(model))
    points = read_layer(target, "pipe_point")
    for name in src.JUNCTIONS:
        want = "YS" if name.startswith("YS") else name[:2]
        assert points[(model.name, name)]["subcategory"] == want, name
    assert Counter(points[(model.name, n)]["subcategory"] for n in src.JUNCTIONS) == {"YS": 74, "WS": 31, "HS": 24}
    zero = {i.ref for i in result.issues if i.code == "node.zero_elevation"}
    assert zero == {n for n, o in src.OUTFALLS.items() if o.elevation == 0} == {"CC-1", "CC-2", "JK-1", "JK-2"}
    assert not [i for i in result.issues if i.code == "link.crown_above_rim"]  # SOURCES.md: none
    pumps = [r for r in points.values() if r["appurtenance"] == "pump_station"]
    assert len(pumps) == len(src.PUMPS) == 7
    segments = read_layer(target, "pipe_segment")
    shapes = Counter(r["section"] for r in segments.values())
    assert shapes == {"circular": 104, "box": 26}
    box = segments[(model.name, "HS02004478WS02006287")]
    assert (box["width_mm"], box["height_mm"]) == pytest.approx((1000.0, 900.0))


# --- shapes, by the SWMM 5 user manual's cross-section table ---------------------------------

@pytest.mark.parametrize("shape, geoms, width, height", [
    ("CIRCULAR", ["1.2"], 1.2, 1.2),
    ("FORCE_MAIN", ["0.6", "130"], 0.6, 0.6),
    ("FILLED_CIRCULAR", ["1.0", "0.2"], 1.0, 1.0),
    ("RECT_CLOSED", ["0.9", "1.5"], 1.5, 0.9),
    ("RECT_OPEN", ["1", "3"], 3.0, 1.0),
    ("TRAPEZOIDAL", ["2", "3", "0.5", "1"], 6.0, 2.0),
    ("TRIANGULAR", ["1", "2"], 2.0, 1.0),
    ("HORIZ_ELLIPSE", ["1.5", "2.4"], 2.4, 1.5),
    ("VERT_ELLIPSE", ["2.4", "1.5"], 1.5, 2.4),
    ("ARCH", ["6.33", "16.58"], 16.58, 6.33),
    ("PARABOLIC", ["1", "4"], 4.0, 1.0),
    ("POWER", ["1", "4", "0.5"], 4.0, 1.0),
    ("RECT_TRIANGULAR", ["2", "1.5", "0.3"], 1.5, 2.0),
    ("RECT_ROUND", ["2", "1.5", "1"], 1.5, 2.0),
    ("MODBASKETHANDLE", ["2", "1.5", "0.8"], 1.5, 2.0),
    ("EGG", ["1.5"], 1.0, 1.5),
    ("HORSESHOE", ["2"], 2.0, 2.0),
    ("GOTHIC", ["2"], 1.68, 2.0),
    ("CATENARY", ["2"], 1.8, 2.0),
    ("SEMIELLIPTICAL", ["2"], 2.0, 2.0),
    ("BASKETHANDLE", ["2"], 1.888, 2.0),
    ("SEMICIRCULAR", ["1"], 1.64, 1.0),
    ("DUMMY", [], 0.0, 0.0),
])
def test_section_sizes(shape, geoms, width, height):
    s = swmm.section_size(shape, geoms)
    assert (s.width, s.height) == pytest.approx((width, height))
    assert s.open is (shape in OPEN)


def test_custom_irregular_street_and_size_codes():
    curves = {"EGGISH": [(0.0, 0.0), (0.5, 0.8), (1.0, 0.3)]}
    assert swmm.section_size("CUSTOM", ["2", "eggish"], curves).width == pytest.approx(1.6)
    assert swmm.section_size("CUSTOM", ["2", "nope"], curves).width is None
    transects = {"T1": (30.0, 4.0)}
    s = swmm.section_size("IRREGULAR", ["t1"], transects=transects)
    assert (s.width, s.height, s.open) == (30.0, 4.0, True)
    s = swmm.section_size("STREET", ["4lane"], streets={"4LANE": (180.0, 0.5)})
    assert (s.width, s.height, s.open) == (180.0, 0.5, True)
    s = swmm.section_size("ARCH", ["5", "0", "0"])  # Geom2 0: Geom1 is a standard size code
    assert s.height is None and "size code" in s.note
    assert swmm.SHAPES >= {"CIRCULAR", "FORCE_MAIN", "FILLED_CIRCULAR", "RECT_CLOSED", "RECT_OPEN", "TRAPEZOIDAL",
                           "TRIANGULAR", "HORIZ_ELLIPSE", "VERT_ELLIPSE", "ARCH", "PARABOLIC", "POWER",
                           "RECT_TRIANGULAR", "RECT_ROUND", "MODBASKETHANDLE", "EGG", "HORSESHOE", "GOTHIC",
                           "CATENARY", "SEMIELLIPTICAL", "BASKETHANDLE", "SEMICIRCULAR", "CUSTOM", "IRREGULAR",
                           "STREET"}


SMALL = """[OPTIONS]
FLOW_UNITS CMS
LINK_OFFSETS ELEVATION
[JUNCTIONS]
A 10.0 3.0
B 9.5 3.0
C 9.0 0
[OUTFALLS]
O 8.0 FREE
[CONDUITS]
C1 A B 50 0.013 10.2 *
C2 B C 50 0.013 * 9.1
C3 C O 50 0.013 * *
C4 B X 50 0.013 * *
C5 A C 50 0.013 * *
[XSECTIONS]
C1 FILLED_CIRCULAR 1.0 0.2 0 0 1
C2 EGG 1.5 0 0 0 1
C3 CUSTOM 2.0 SHAPE1 2
C4 CIRCULAR 0.5
C5 DUMMY 0
[CURVES]
SHAPE1 Shape 0 0 0.5 0.6
SHAPE1 1.0 0.2
[COORDINATES]
A 0 0
B 50 0
C 100 0
O 150 0
[VERTICES]
C1 25 10
"""


def test_offsets_by_elevation_filled_egg_custom_missing_node_and_dummy(tmp_path, new_map):
    model = tmp_path / "small.inp"
    model.write_text(SMALL, "utf-8")
    target = new_map()
    result = importer.import_model(target, model)
    assert result.committed
    seg = read_layer(target, "pipe_segment")
    c1 = seg[("small.inp", "C1")]["_xyz"]
    # ELEVATION offsets: 10.2 at A; '*' = the invert of B (9.5). FILLED_CIRCULAR: pipe invert 0.2 below
    assert c1[0][2] == pytest.approx(10.2 - 0.2 + 0.5)
    assert c1[-1][2] == pytest.approx(9.5 - 0.2 + 0.5)
    t = math.hypot(25, 10) / (math.hypot(25, 10) * 2)
    assert c1[1][2] == pytest.approx(c1[0][2] + t * (c1[-1][2] - c1[0][2]))  # interpolated along the plan
    c2 = seg[("small.inp", "C2")]
    assert (c2["_xyz"][0][2], c2["_xyz"][-1][2]) == pytest.approx((9.5 + 0.75, 9.1 + 0.75))
    assert (c2["section"], c2["width_mm"], c2["height_mm"]) == ("box", pytest.approx(1000.0), pytest.approx(1500.0))
    assert "EGG" in c2["remark"]
    c3 = seg[("small.inp", "C3")]
    assert c3["width_mm"] == pytest.approx(1200.0) and "2 barrels" in c3["remark"]
    assert ("small.inp", "C4") not in seg and ("small.inp", "C5") not in seg
    codes = Counter(i.code for i in result.issues)
    assert codes["link.missing_node"] == 1 and codes["link.dummy"] == 1 and codes["node.no_rim"] == 1
    assert result.skipped == {"link with a missing node": 1, "dummy link": 1}
    pts = read_layer(target, "pipe_point")
    assert pts[("small.inp", "A")]["ground_elev_m"] == pytest.approx(13.0)
    assert math.isnan(pts[("small.inp", "O")]["_xyz"][0][2])


def test_category_parameter_and_us_units(tmp_path, new_map):
    text = SMALL.replace("FLOW_UNITS CMS", "FLOW_UNITS CFS")
    model = tmp_path / "us.inp"
    model.write_text(text, "utf-8")
    target = new_map()
    result = importer.import_model(target, model, category="storm")
    assert result.units.startswith("CFS")
    seg = read_layer(target, "pipe_segment")
    row = seg[("us.inp", "C2")]
    assert (row["category"], row["subcategory"]) == ("PS", "YS")
    assert row["_xyz"][0][2] == pytest.approx((9.5 + 0.75) * FT)
    assert row["height_mm"] == pytest.approx(1.5 * FT * 1000)
    with pytest.raises(Exception, match="Unknown category"):
        importer.import_model(target, model, category="lemonade")


def test_parser_keeps_line_numbers_in_problems(tmp_path):
    f = parse(SMALL, tmp_path / "small.inp")
    conv = swmm.convert(f, importer.options("small.inp"))
    missing = [i for i in conv.issues if i.code == "link.missing_node"][0]
    assert missing.row == SMALL.splitlines().index("C4 B X 50 0.013 * *") + 1
    assert missing.column == "To Node" and missing.ref == "C4"


def chain(scale: float) -> str:
    """Six 40 m conduits in a row, the coordinates multiplied by ``scale``."""
    nodes = [f"N{i}" for i in range(7)]
    lines = ["[OPTIONS]", "FLOW_UNITS LPS", "[JUNCTIONS]"]
    lines += [f"{n} {10 - 0.1 * i:.2f} 2" for i, n in enumerate(nodes[:-1])]
    lines += ["[OUTFALLS]", f"{nodes[-1]} 9.3 FREE", "[CONDUITS]"]
    lines += [f"C{i} {a} {b} 40 0.013 0 0" for i, (a, b) in enumerate(zip(nodes, nodes[1:]))]
    lines += ["[XSECTIONS]"] + [f"C{i} CIRCULAR 0.4" for i in range(6)]
    lines += ["[COORDINATES]"] + [f"{n} {i * 40 * scale:.3f} {5 * scale:.3f}" for i, n in enumerate(nodes)]
    return "\n".join(lines) + "\n"


def test_coordinates_in_millimetres_are_detected_and_scaled(tmp_path, new_map):
    model = tmp_path / "mm.inp"
    model.write_text(chain(1000.0), "utf-8")
    result = importer.import_model(new_map(name="a.gpkg"), model)
    scaled = [i for i in result.issues if i.code == "coords.scaled"]
    assert len(scaled) == 1 and "COORDINATE_SCALE=0.001" in scaled[0].message
    target = new_map(name="b.gpkg")
    result = importer.import_model(target, model, coordinate_scale=0.001)
    assert not [i for i in result.issues if i.code.startswith("coords.")]
    seg = read_layer(target, "pipe_segment")[("mm.inp", "C5")]
    assert seg["_xyz"][-1][:2] == pytest.approx((240.0, 5.0))
    plain = tmp_path / "m.inp"
    plain.write_text(chain(1.0), "utf-8")
    assert not [i for i in importer.import_model(new_map(name="c.gpkg"), plain).issues if i.code.startswith("coords")]
