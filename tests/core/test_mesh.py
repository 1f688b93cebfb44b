"""True-size 3D solids (core.mesh): geometry, WKB, degenerate input, fast path."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from pipemap.core import mesh

MM = 1e-3


# ---------------------------------------------------------------- helpers


def csr(lines: list) -> tuple[np.ndarray, np.ndarray]:
    """Polylines (lists of xyz) -> (vertices, offsets)."""
    arrays = [np.asarray(line, dtype=np.float64).reshape(-1, 3) for line in lines]
    vertices = np.concatenate(arrays) if arrays else np.zeros((0, 3))
    offsets = np.concatenate([[0], np.cumsum([len(a) for a in arrays])]).astype(np.int64)
    return vertices, offsets


def unit(v) -> np.ndarray:
    v = np.asarray(v, dtype=np.float64)
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def line_distance(p: np.ndarray, a, b) -> np.ndarray:
    """Distance of points (n, 3) to the infinite line through a and b."""
    d = unit(np.asarray(b, float) - np.asarray(a, float))
    w = p - np.asarray(a, float)
    return np.linalg.norm(w - np.outer(w @ d, d), axis=1)


def segment_distance(p: np.ndarray, a, b) -> np.ndarray:
    """Distance of points (n, 3) to the closed segment [a, b]."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    d = b - a
    t = np.clip(((p - a) @ d) / (d @ d), 0.0, 1.0)
    return np.linalg.norm(p - (a + np.outer(t, d)), axis=1)


def rings_of(b: bytes) -> list[np.ndarray]:
    """Every polygon of a MultiPolygonZ as its single ring."""
    polygons = mesh.parse_multipolygonz_wkb(b)
    assert all(len(p) == 1 for p in polygons), "every face has exactly one ring"
    return [p[0] for p in polygons]


def newell_normal(ring: np.ndarray) -> np.ndarray:
    """Area-weighted normal of a closed ring (length = 2 * area)."""
    q = ring[:-1] - ring[0]
    return np.cross(q, np.roll(q, -1, axis=0)).sum(axis=0)


def assert_faces_well_formed(rings: list[np.ndarray]) -> None:
    for ring in rings:
        assert len(ring) >= 4
        assert np.array_equal(ring[0], ring[-1]), "ring not closed"
        assert np.linalg.norm(newell_normal(ring)) > 1e-9, "ring has no area"


def assert_watertight(rings: list[np.ndarray]) -> None:
    """A closed, consistently oriented surface: every directed edge appears
    exactly once and its reverse exactly once (exact coordinate equality)."""
    edges: Counter = Counter()
    for ring in rings:
        pts = [tuple(p) for p in ring.tolist()]
        for p, q in zip(pts[:-1], pts[1:]):
            edges[(p, q)] += 1
    for (p, q), n in edges.items():
        assert n == 1, f"edge {p}->{q} used {n} times"
        assert edges.get((q, p)) == 1, f"edge {p}->{q} has no opposite edge"


def signed_volume(rings: list[np.ndarray]) -> float:
    origin = rings[0][0]
    total = 0.0
    for ring in rings:
        q = ring[:-1] - origin
        for i in range(1, len(q) - 1):
            total += np.dot(q[0], np.cross(q[i], q[i + 1]))
    return total / 6.0


def polygon_area(sides: int, r: float) -> float:
    return 0.5 * sides * r * r * math.sin(2 * math.pi / sides)


def pieces(rings: list[np.ndarray], sides: int, count: int) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Start and end rings (sides, 3) of each piece, read from its quads."""
    starts, ends = [], []
    for k in range(count):
        quads = rings[k * sides:(k + 1) * sides]
        assert all(len(q) == 5 for q in quads)
        starts.append(np.array([q[0] for q in quads]))
        ends.append(np.array([q[3] for q in quads]))
    return starts, ends


def quad_planarity(quad: np.ndarray) -> float:
    """Distance of the 4th point to the plane of the first three, relative to
    the quad's size."""
    p0, p1, p2, p3 = quad[:4]
    n = unit(np.cross(p1 - p0, p2 - p0))
    size = max(np.linalg.norm(p2 - p0), np.linalg.norm(p3 - p1), 1.0)
    return abs(np.dot(p3 - p0, n)) / size


# ---------------------------------------------------------------- tubes


def test_sloped_straight_pipe_lies_on_the_cylinder_and_is_a_closed_solid():
    a, b, r, sides = (0.0, 0.0, 10.0), (30.0, 5.0, 8.5), 0.15, 12
    vertices, offsets = csr([[a, b]])
    [wkb] = mesh.tubes_wkb(vertices, offsets, np.array([r]), sides=sides)
    rings = rings_of(wkb)
    assert len(rings) == sides + 2
    assert_faces_well_formed(rings)
    every = np.concatenate(rings)
    assert np.abs(line_distance(every, a, b) - r).max() < MM
    assert np.abs(segment_distance(every, a, b) - r).max() < MM  # straight pipe: no point beyond the ends
    # caps: perpendicular to the axis through each end, centred on it
    axis = unit(np.subtract(b, a))
    start_cap, end_cap = rings[-2], rings[-1]
    assert np.abs((start_cap - a) @ axis).max() < 1e-9
    assert np.abs((end_cap - b) @ axis).max() < 1e-9
    assert np.allclose(start_cap[:-1].mean(axis=0), a, atol=1e-9)
    assert np.allclose(end_cap[:-1].mean(axis=0), b, atol=1e-9)
    assert unit(newell_normal(start_cap)) @ axis == pytest.approx(-1.0)
    assert unit(newell_normal(end_cap)) @ axis == pytest.approx(1.0)
    # closed, outward-oriented solid with the prism's volume
    assert_watertight(rings)
    length = float(np.linalg.norm(np.subtract(b, a)))
    assert signed_volume(rings) == pytest.approx(polygon_area(sides, r) * length, rel=1e-9)
    # the first ring starts on the left of the pipe, horizontally
    first = rings[0][0] - np.array(a)
    assert abs(first[2]) < 1e-12
    assert np.cross(axis, first)[2] > 0  # left of the direction of travel


BENT = {
    "horizontal bends": [(0, 0, 2), (20, 0, 2), (20, 15, 2), (5, 30, 2)],
    "vertical bends": [(0, 0, 2), (10, 0, 2), (20, 0, -1), (30, 0, -1), (40, 0, 4)],
    "mixed 3d": [(500000.0, 3400000.0, 12.0), (500012.0, 3400003.0, 11.4), (500020.0, 3400015.0, 11.2),
                 (500021.0, 3400030.0, 9.0), (500035.0, 3400031.0, 9.5)],
    "150 degree turn (still mitred)": [(0, 0, 0), (10, 0, 0), (10 + 10 * math.cos(math.radians(150)),
                                                            10 * math.sin(math.radians(150)), 0)],
}


@pytest.mark.parametrize("name", sorted(BENT))
@pytest.mark.parametrize("r", [0.15, 0.6])
def test_bent_pipe_shares_rings_stays_on_the_surface_and_has_planar_sides(name, r):
    line = np.array(BENT[name], dtype=np.float64)
    sides, count = 12, len(line) - 1
    vertices, offsets = csr([line])
    [wkb] = mesh.tubes_wkb(vertices, offsets, r, sides=sides)
    rings = rings_of(wkb)
    assert len(rings) == sides * count + 2
    assert_faces_well_formed(rings)
    assert_watertight(rings)
    assert signed_volume(rings) > 0
    starts, ends = pieces(rings, sides, count)
    for k in range(count - 1):  # no gap: identical ring vertices at every interior vertex
        assert np.array_equal(ends[k], starts[k + 1])
    for k in range(count):
        a, b = line[k], line[k + 1]
        face_points = np.concatenate(rings[k * sides:(k + 1) * sides])
        # every vertex of a piece is at distance r from the piece's axis...
        assert np.abs(line_distance(face_points, a, b) - r).max() < MM
        # ...and lies along the piece, up to the miter overhang
        assert segment_distance(face_points, a, b).max() < 4 * r + MM
        for end in (starts[k], ends[k]):  # shared rings: r from both adjacent axes
            assert np.abs(line_distance(end, a, b) - r).max() < MM
    for k in range(count - 1):
        assert np.abs(line_distance(ends[k], line[k + 1], line[k + 2]) - r).max() < MM
    # the nearest segment of the polyline is never closer than r - 1 mm, and
    # the inner half of every ring (not overhanging) is at r +- 1 mm from it
    every = np.concatenate(rings)
    nearest = np.min([segment_distance(every, line[k], line[k + 1]) for k in range(count)], axis=0)
    assert nearest.min() > r - MM
    assert np.sum(np.abs(nearest - r) < MM) >= len(every) // 2
    for quad in rings[:sides * count]:  # planar side faces (generators parallel to the axis)
        assert quad_planarity(quad) < 1e-6
    for k in range(count):
        generators = ends[k] - starts[k]
        axis = unit(line[k + 1] - line[k])
        assert np.allclose(np.cross(generators, axis), 0.0, atol=1e-9)


def test_level_pipe_with_plan_bends_does_not_twist():
    line = np.array(BENT["horizontal bends"], dtype=np.float64)
    vertices, offsets = csr([line])
    sides = 12
    rings = rings_of(mesh.tubes_wkb(vertices, offsets, 0.3, sides=sides)[0])
    starts, ends = pieces(rings, sides, len(line) - 1)
    for ring in starts + ends:
        assert ring[0][2] == pytest.approx(2.0, abs=1e-12)  # side 0 stays horizontal (left)
        assert ring[3][2] == pytest.approx(2.3, abs=1e-12)  # a quarter turn later: the top
        assert ring[9][2] == pytest.approx(1.7, abs=1e-12)  # the bottom (invert)


def test_no_caps_gives_only_the_side_faces():
    vertices, offsets = csr([BENT["mixed 3d"], [(0, 0, 0), (5, 0, 0)]])
    geoms = mesh.tubes_wkb(vertices, offsets, [0.2, 0.1], sides=8, caps=False)
    assert [len(rings_of(g)) for g in geoms] == [8 * 4, 8]


@pytest.mark.parametrize("turn_deg", [180.0, 179.99, 170.0])
def test_u_turn_is_closed_with_perpendicular_rings(turn_deg):
    t = math.radians(turn_deg)
    line = np.array([(0, 0, 1), (10, 0, 1), (10 + 8 * math.cos(t), 8 * math.sin(t), 1)])
    sides, r = 12, 0.25
    vertices, offsets = csr([line])
    [wkb] = mesh.tubes_wkb(vertices, offsets, r, sides=sides)
    rings = rings_of(wkb)
    assert len(rings) == 2 * sides + 4  # two pieces, each closed by two caps
    assert_faces_well_formed(rings)
    caps = rings[2 * sides:]  # start, end of piece 1 (at the turn), start of piece 2 (at the turn), end
    assert_watertight(rings[:sides] + caps[:2])  # each piece is a closed solid of its own
    assert_watertight(rings[sides:2 * sides] + caps[2:])
    turn = line[1]
    for cap, axis in ((caps[1], line[1] - line[0]), (caps[2], line[2] - line[1])):
        assert np.abs((cap - turn) @ unit(axis)).max() < 1e-9  # perpendicular ring at the turn
    every = np.concatenate(rings)
    assert np.isfinite(every).all()
    for k in range(2):  # each piece stays within the tube around its own segment
        face_points = np.concatenate(rings[k * sides:(k + 1) * sides])
        assert np.abs(segment_distance(face_points, line[k], line[k + 1]) - r).max() < MM
    # without caps the reversal still gives both pieces, unmitred
    assert len(rings_of(mesh.tubes_wkb(vertices, offsets, r, sides=sides, caps=False)[0])) == 2 * sides


def test_random_polylines_keep_every_invariant():
    rng = np.random.default_rng(20240611)
    lines, radii = [], []
    for _ in range(60):
        n = int(rng.integers(2, 7))
        steps = rng.normal(size=(n - 1, 3)) * [10, 10, 1]
        start = rng.uniform(-1000, 1000, size=3)
        lines.append(np.vstack([start, start + np.cumsum(steps, axis=0)]))
        radii.append(rng.uniform(0.02, 0.8))
    vertices, offsets = csr(lines)
    sides = 10
    geoms = mesh.tubes_wkb(vertices, offsets, np.array(radii), sides=sides)
    assert not mesh.empty_mask(geoms).any()
    for line, r, wkb in zip(lines, radii, geoms):
        rings = rings_of(wkb)
        assert_faces_well_formed(rings)
        assert_watertight(rings)
        quads = [ring for ring in rings if len(ring) == 5]
        assert len(quads) == sides * (len(line) - 1)
        assert max(quad_planarity(q) for q in quads) < 1e-6
        for k in range(len(line) - 1):
            pts = np.concatenate(quads[k * sides:(k + 1) * sides])
            assert np.abs(line_distance(pts, line[k], line[k + 1]) - r).max() < MM


def test_long_helical_pipe_is_twist_free_over_thousands_of_vertices():
    # a gently climbing spiral: every joint bends in plan and in slope at once
    t = np.linspace(0.0, 12 * math.pi, 3001)
    line = np.column_stack([50 * np.cos(t), 50 * np.sin(t), 0.5 * t])
    sides, r, count = 8, 0.4, len(line) - 1
    vertices, offsets = csr([line, [(0, 0, 0), (1, 0, 0), (1, 1, 0)]])
    geoms = mesh.tubes_wkb(vertices, offsets, [r, 0.1], sides=sides)
    rings = rings_of(geoms[0])
    assert len(rings) == sides * count + 2
    assert_watertight(rings)
    quads = np.array(rings[:sides * count])  # (count * sides, 5, 3)
    starts = quads[:, 0].reshape(count, sides, 3)
    ends = quads[:, 3].reshape(count, sides, 3)
    assert np.array_equal(ends[:-1], starts[1:])
    axis = unit(line[1:] - line[:-1])
    generators = ends - starts
    assert np.abs(np.cross(generators, axis[:, None, :])).max() < 1e-9  # parallel to the axis: no twist
    a = np.repeat(line[:-1], sides, axis=0)
    w = starts.reshape(-1, 3) - a
    d = np.repeat(axis, sides, axis=0)
    dist = np.linalg.norm(w - np.sum(w * d, axis=1)[:, None] * d, axis=1)
    assert np.abs(dist - r).max() < MM
    assert len(rings_of(geoms[1])) == 2 * sides + 2


# ---------------------------------------------------------------- WKB


def test_gdal_reads_the_wkb_back_unchanged():
    ogr = pytest.importorskip("osgeo.ogr")
    line = BENT["mixed 3d"]
    vertices, offsets = csr([line, [(0, 0, 0)]])
    sides = 12
    good, empty = mesh.tubes_wkb(vertices, offsets, [0.3, 0.3], sides=sides)
    assert good[:9] == b"\x01" + (1006).to_bytes(4, "little") + (sides * 4 + 2).to_bytes(4, "little")
    g = ogr.CreateGeometryFromWkb(good)
    assert g is not None
    assert ogr.GT_Flatten(g.GetGeometryType()) == ogr.wkbMultiPolygon
    assert ogr.GT_HasZ(g.GetGeometryType())
    assert g.GetGeometryCount() == sides * (len(line) - 1) + 2
    assert ogr.GT_Flatten(g.GetGeometryRef(0).GetGeometryType()) == ogr.wkbPolygon
    assert g.GetGeometryRef(0).GetGeometryRef(0).GetPointCount() == 5
    assert bytes(g.ExportToIsoWkb(ogr.wkbNDR)) == good  # byte for byte what OGR writes
    e = ogr.CreateGeometryFromWkb(empty)
    assert e is not None and e.IsEmpty() and ogr.GT_HasZ(e.GetGeometryType())
    box = ogr.CreateGeometryFromWkb(mesh.boxes_wkb(vertices[:5], offsets[:2], 2.0, 1.0)[0])
    assert box.GetGeometryCount() == 4 * 4 + 2
    well = ogr.CreateGeometryFromWkb(mesh.cylinders_wkb([1.0], [2.0], [10.0], [7.0], 0.5, sides=16)[0])
    assert well.GetGeometryCount() == 16 + 2


def test_parser_reads_big_endian_and_extended_types_and_rejects_garbage():
    import struct

    ring = [(0.0, 0.0, 1.0), (1.0, 0.0, 1.0), (1.0, 1.0, 2.0), (0.0, 0.0, 1.0)]
    body = struct.pack(">BII", 0, 0x80000003, 1) + struct.pack(">I", 4) + struct.pack(">12d", *sum(ring, ()))
    wkb = struct.pack(">BII", 0, 0x80000006, 1) + body
    [[parsed]] = mesh.parse_multipolygonz_wkb(wkb)
    assert np.array_equal(parsed, np.array(ring))
    assert mesh.parse_multipolygonz_wkb(mesh.EMPTY_MULTIPOLYGON_Z) == []
    for bad in (wkb[:-1], wkb + b"\0", b"\x01" + (6).to_bytes(4, "little") + bytes(4), b"\x07" + bytes(8)):
        with pytest.raises(ValueError):
            mesh.parse_multipolygonz_wkb(bad)


# ---------------------------------------------------------------- boxes


def box_offsets(points: np.ndarray, a, b) -> tuple[np.ndarray, np.ndarray]:
    """Horizontal (left) and vertical-plane offsets of points from the axis a->b."""
    d = unit(np.asarray(b, float) - np.asarray(a, float))
    u = unit(np.array([-d[1], d[0], 0.0]))
    v = np.cross(d, u)
    w = points - np.asarray(a, float)
    return w @ u, w @ v


def test_level_box_with_plan_bends_has_its_rectangle_everywhere():
    line = np.array([(0, 0, 5), (20, 0, 5), (20, 15, 5), (35, 30, 5)], dtype=np.float64)
    w, h = 2.0, 1.5
    vertices, offsets = csr([line])
    rings = rings_of(mesh.boxes_wkb(vertices, offsets, w, h)[0])
    count = len(line) - 1
    assert len(rings) == 4 * count + 2
    assert_faces_well_formed(rings)
    assert_watertight(rings)
    assert signed_volume(rings) > 0
    starts, ends = pieces(rings, 4, count)
    for k in range(count - 1):
        assert np.array_equal(ends[k], starts[k + 1])
    for k in range(count):
        pts = np.concatenate(rings[4 * k:4 * k + 4])
        across, up = box_offsets(pts, line[k], line[k + 1])
        assert np.abs(np.abs(across) - w / 2).max() < MM
        assert np.abs(np.abs(up) - h / 2).max() < MM
        top = rings[4 * k + 1]  # faces per piece: left wall, top, right wall, bottom
        assert np.allclose(top[:, 2], 5.0 + h / 2, atol=1e-9)
        assert np.allclose(rings[4 * k + 3][:, 2], 5.0 - h / 2, atol=1e-9)
        assert unit(newell_normal(top))[2] == pytest.approx(1.0)
    every = np.concatenate(rings)
    assert every[:, 2].max() == pytest.approx(5.75, abs=1e-9)
    assert every[:, 2].min() == pytest.approx(4.25, abs=1e-9)


def test_sloped_box_with_a_vertical_bend_keeps_vertical_walls():
    line = np.array([(0, 0, 5), (20, 0, 5), (20, 15, 5), (20, 30, 4), (20, 40, 3.2)], dtype=np.float64)
    w, h = 1.2, 0.8
    vertices, offsets = csr([line])
    rings = rings_of(mesh.boxes_wkb(vertices, offsets, w, h)[0])
    count = len(line) - 1
    assert_faces_well_formed(rings)
    assert_watertight(rings)
    starts, ends = pieces(rings, 4, count)
    for k in range(count - 1):
        assert np.array_equal(ends[k], starts[k + 1])
    for k in range(count):
        pts = np.concatenate(rings[4 * k:4 * k + 4])
        across, up = box_offsets(pts, line[k], line[k + 1])
        assert np.abs(np.abs(across) - w / 2).max() < MM
        assert np.abs(np.abs(up) - h / 2).max() < MM
        for wall in (rings[4 * k], rings[4 * k + 2]):
            assert abs(unit(newell_normal(wall))[2]) < 1e-9  # side walls are vertical
            assert quad_planarity(wall) < 1e-6


def test_box_with_a_combined_bend_stays_close_to_its_rectangle():
    # plan bend and slope change at the same vertex: upright frames roll a
    # little, the shared ring is the mean of both projections
    line = np.array([(0, 0, 5), (20, 0, 4), (20, 20, 4.6)], dtype=np.float64)
    w, h = 2.0, 1.0
    vertices, offsets = csr([line])
    rings = rings_of(mesh.boxes_wkb(vertices, offsets, w, h)[0])
    assert_watertight(rings)
    for k in range(2):
        pts = np.concatenate(rings[4 * k:4 * k + 4])
        across, up = box_offsets(pts, line[k], line[k + 1])
        assert np.abs(np.abs(across) - w / 2).max() < 0.02
        assert np.abs(np.abs(up) - h / 2).max() < 0.02


def test_vertical_box_segment_takes_its_neighbours_orientation():
    line = np.array([(0, 0, 0), (0, 10, 0), (0, 10, -5)], dtype=np.float64)  # north, then straight down
    vertices, offsets = csr([line])
    rings = rings_of(mesh.boxes_wkb(vertices, offsets, 2.0, 1.0)[0])
    riser = np.concatenate(rings[4:8])
    # the riser's width stays east-west like the first piece's
    assert np.abs(np.abs(riser[:, 0]) - 1.0).max() < 1e-9
    assert_watertight(rings)


# ---------------------------------------------------------------- cylinders


def test_cylinders_are_vertical_with_exact_top_and_bottom():
    x = np.array([500100.0, 10.0, 0.0, 0.0, 0.0])
    y = np.array([3400200.0, 20.0, 0.0, 0.0, 0.0])
    top = np.array([12.35, 3.0, 1.0, 1.0, np.nan])
    bottom = np.array([9.8, 1.0, 1.0, 2.0, 0.0])
    radius = np.array([0.5, 0.35, 0.5, 0.5, 0.5])
    sides = 16
    geoms = mesh.cylinders_wkb(x, y, top, bottom, radius, sides=sides)
    assert list(mesh.empty_mask(geoms)) == [False, False, True, True, True]
    for k in range(2):
        rings = rings_of(geoms[k])
        assert len(rings) == sides + 2
        assert_faces_well_formed(rings)
        assert_watertight(rings)
        every = np.concatenate(rings)
        horizontal = np.hypot(every[:, 0] - x[k], every[:, 1] - y[k])
        assert np.abs(horizontal - radius[k]).max() < 1e-9
        assert every[:, 2].min() == bottom[k] and every[:, 2].max() == top[k]
        assert set(every[:, 2].tolist()) == {bottom[k], top[k]}
        volume = polygon_area(sides, radius[k]) * (top[k] - bottom[k])
        assert signed_volume(rings) == pytest.approx(volume, rel=1e-9)
        bottom_cap, top_cap = rings[-2], rings[-1]
        assert np.all(bottom_cap[:, 2] == bottom[k]) and unit(newell_normal(bottom_cap))[2] == pytest.approx(-1)
        assert np.all(top_cap[:, 2] == top[k]) and unit(newell_normal(top_cap))[2] == pytest.approx(1)
    assert mesh.cylinders_wkb([], [], [], [], 0.5) == []
    assert mesh.empty_mask(mesh.cylinders_wkb([0.0], [0.0], [2.0], [1.0], 0.0)).all()


# ---------------------------------------------------------------- degenerate input


def test_duplicate_vertices_are_skipped():
    clean = csr([[(0, 0, 0), (10, 0, -1), (10, 8, -1)]])
    dirty = csr([[(0, 0, 0), (0, 0, 0), (10, 0, -1), (10, 0, -1 + 1e-9), (10, 8, -1), (10, 8, -1)]])
    a = mesh.tubes_wkb(*clean, 0.2)[0]
    b = mesh.tubes_wkb(*dirty, 0.2)[0]
    assert a == b
    two = mesh.tubes_wkb(*csr([[(0, 0, 0), (0, 0, 0), (5, 0, 0)]]), 0.2)[0]
    assert len(rings_of(two)) == 12 + 2


def test_invalid_rows_give_empty_geometries_without_raising():
    lines = [
        [(0, 0, 0), (10, 0, 0)],  # fine
        [(1, 1, 1)],  # one vertex
        [],  # no vertex
        [(2, 2, 2), (2, 2, 2), (2, 2, 2 + 1e-8)],  # one distinct vertex
        [(0, 0, 0), (np.nan, 0, 0)],  # NaN vertex
        [(0, 0, 0), (5, 0, 0), (np.inf, 1, 0)],  # infinite vertex in a longer polyline
        [(0, 0, 0), (10, 0, 0)],  # zero radius
        [(0, 0, 0), (10, 0, 0)],  # negative radius
        [(0, 0, 0), (10, 0, 0)],  # NaN radius
        [(0, 0, 0), (10, 0, 0), (10, 5, 0)],  # fine
    ]
    radius = np.array([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.0, -0.3, np.nan, 0.1])
    vertices, offsets = csr(lines)
    for fast in (True, False):
        geoms = mesh.tubes_wkb(vertices, offsets, radius, fast_path=fast)
        assert len(geoms) == len(lines)
        empty = mesh.empty_mask(geoms)
        assert list(empty) == [False] + [True] * 8 + [False]
        assert all(g == mesh.EMPTY_MULTIPOLYGON_Z for g, e in zip(geoms, empty) if e)
        widths = np.where(np.isnan(radius), np.nan, radius * 2)
        boxes = mesh.boxes_wkb(vertices, offsets, widths, 0.5, fast_path=fast)
        assert list(mesh.empty_mask(boxes)) == list(empty)
    assert len(rings_of(geoms[-1])) == 2 * 12 + 2
    assert mesh.tubes_wkb(np.zeros((0, 3)), np.array([0]), np.zeros(0)) == []
    assert mesh.boxes_wkb(np.zeros((0, 3)), np.array([0]), np.zeros(0), np.zeros(0)) == []


def test_malformed_arrays_raise_value_error():
    vertices, offsets = csr([[(0, 0, 0), (1, 0, 0)]])
    with pytest.raises(ValueError):
        mesh.tubes_wkb(vertices[:, :2], offsets, 0.1)
    with pytest.raises(ValueError):
        mesh.tubes_wkb(vertices, np.array([0, 3]), 0.1)  # beyond the vertices
    with pytest.raises(ValueError):
        mesh.tubes_wkb(vertices, np.array([0, 2, 1]), [0.1, 0.1])  # decreasing
    with pytest.raises(ValueError):
        mesh.tubes_wkb(vertices, offsets, [0.1, 0.2])  # one radius per polyline
    with pytest.raises(ValueError):
        mesh.tubes_wkb(vertices, offsets, 0.1, sides=2)
    with pytest.raises(ValueError):
        mesh.cylinders_wkb([0.0, 1.0], [0.0], [1.0], [0.0], 0.3)


# ---------------------------------------------------------------- fast path


def random_segments(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    a = rng.uniform([400000, 3300000, -5], [600000, 3500000, 20], size=(n, 3))
    b = a + rng.normal(scale=[15, 15, 1], size=(n, 3))
    b[::7, :2] = a[::7, :2]  # vertical risers
    b[3::14, 2] = a[3::14, 2]  # level pipes
    b[5::14, :2] = a[5::14, :2] + 1e-12  # almost vertical
    vertices = np.empty((2 * n, 3))
    vertices[0::2], vertices[1::2] = a, b
    return vertices, np.arange(0, 2 * n + 1, 2, dtype=np.int64)


def test_fast_path_agrees_with_the_general_path():
    vertices, offsets = random_segments(500, seed=7)
    radius = np.random.default_rng(8).uniform(0.01, 1.5, size=500)
    radius[10] = 0.0
    for caps in (True, False):
        fast = mesh.tubes_wkb(vertices, offsets, radius, sides=12, caps=caps)
        general = mesh.tubes_wkb(vertices, offsets, radius, sides=12, caps=caps, fast_path=False)
        assert len(fast) == len(general) == 500
        assert list(mesh.empty_mask(fast)) == list(mesh.empty_mask(general))
        for f, g in zip(fast, general):
            pf, pg = rings_of(f), rings_of(g)
            assert len(pf) == len(pg)
            for rf, rg in zip(pf, pg):
                assert rf.shape == rg.shape
                assert np.abs(rf - rg).max() <= 1e-9
    fast = mesh.boxes_wkb(vertices, offsets, radius * 2, radius)
    general = mesh.boxes_wkb(vertices, offsets, radius * 2, radius, fast_path=False)
    for f, g in zip(fast, general):
        assert len(f) == len(g)
        assert all(np.abs(rf - rg).max() <= 1e-9 for rf, rg in zip(rings_of(f), rings_of(g)))


def test_twenty_thousand_segments_give_twenty_thousand_solids():
    n, sides = 20000, 12
    vertices, offsets = random_segments(n, seed=11)
    geoms = mesh.tubes_wkb(vertices, offsets, np.full(n, 0.2), sides=sides)
    assert len(geoms) == n
    assert not mesh.empty_mask(geoms).any()
    size = 9 + sides * (13 + 5 * 24) + 2 * (13 + (sides + 1) * 24)
    assert {len(g) for g in geoms} == {size}
    for k in (0, 7, n // 2, n - 1):  # a few, in full
        rings = rings_of(geoms[k])
        assert_watertight(rings)
        pts = np.concatenate(rings)
        a, b = vertices[2 * k], vertices[2 * k + 1]
        assert np.abs(line_distance(pts, a, b) - 0.2).max() < MM


def test_large_batch_mixes_fast_and_general_rows_in_order():
    rng = np.random.default_rng(3)
    lines = []
    for k in range(3000):
        n = 2 if k % 3 else int(rng.integers(3, 6))
        start = rng.uniform(0, 100, size=3)
        lines.append(np.vstack([start, start + np.cumsum(rng.normal(size=(n - 1, 3)) * [5, 5, 0.5], axis=0)]))
    vertices, offsets = csr(lines)
    geoms = mesh.tubes_wkb(vertices, offsets, 0.1, sides=6)
    general = mesh.tubes_wkb(vertices, offsets, 0.1, sides=6, fast_path=False)
    for line, g, h in zip(lines, geoms, general):
        rings = rings_of(g)
        assert sum(len(r) == 5 for r in rings) == 6 * (len(line) - 1)  # + caps (more at sharp turns)
        pts = np.concatenate(rings[:6])
        assert np.abs(line_distance(pts, line[0], line[1]) - 0.1).max() < MM
        assert len(g) == len(h)
