"""True-size 3D solids for pipes, box sections and wells, as WKB MultiPolygonZ.

QGIS's 3D view draws a line with a fixed on-screen width, not with the pipe's
real diameter. This module sweeps a cross-section along each centreline and
returns closed polyhedral solids that a :class:`QgsPolygon3DSymbol` can draw at
their true size and elevation:

* :func:`tubes_wkb` -- circular pipes (a regular ``sides``-gon inscribed in the
  outer circle, so every mesh vertex lies exactly on the pipe surface);
* :func:`boxes_wkb` -- rectangular sections (box culverts, duct banks);
* :func:`cylinders_wkb` -- vertical cylinders (manholes, wells).

Geometry
--------
Centreline vertices carry the pipe **centre** elevation; the solid follows
every vertex, sloped segments included. A polyline is first cleaned of
consecutive vertices closer than :data:`MIN_SEGMENT_M`. Each remaining
segment ("piece") gets a cross-section frame ``(u, v)`` perpendicular to its
axis ``d``, with ``v = d x u``:

* the first frame has ``u`` horizontal, on the left of the direction of
  travel in plan (so ``v`` points upwards); a vertical segment uses the left
  direction of its nearest non-vertical neighbour, or east when it has none;
* tubes transport the frame along the polyline with the minimal rotation
  taking one axis onto the next (no twist);
* boxes keep every frame upright (``u`` horizontal, ``v`` in the vertical plane
  of the axis), so side walls stay vertical.

At an interior vertex both pieces share **one ring** lying in the bisector
(miter) plane of the two axes: the cross-section projected along the axis
onto that plane. Each ring vertex therefore keeps its exact offset from both
adjacent axes, the two pieces meet without a gap, and each side face is a
planar quad bounded by two generator lines parallel to the axis. For tubes
the projections from both sides coincide exactly; for boxes with a combined
plan-and-slope bend the upright frames differ by a small roll and the shared
ring is the mean of the two projections (exact for pure plan bends and pure
vertical bends).

When the turn at a vertex is so sharp that the miter would stretch the
section by more than :data:`MAX_MITER_SCALE` (``1 / cos(turn / 2)``, i.e.
turns above about 151 degrees, U-turns included) the joint is not mitred: the
piece before ends, and the piece after starts, with a ring perpendicular to
its own axis, each closed by a cap when ``caps`` is true.

Output
------
One little-endian ISO WKB ``MultiPolygon Z`` (type 1006) per input row, made of
``Polygon Z`` (1003) faces with one closed ring each: for every piece one quad
(5 points) per side, in piece order, then the caps (``n + 1`` points): start
cap, caps at broken joints, end cap. Faces are oriented with outward normals
(counter-clockwise seen from outside). The polygon count of a tube without
broken joints is ``sides * pieces + 2`` (``+ 0`` without caps).

Invalid rows never raise: a polyline with fewer than two distinct vertices, a
non-finite vertex, or a non-positive or NaN size gives the empty geometry
:data:`EMPTY_MULTIPOLYGON_Z`, so a batch of 100 000 rows never dies on one bad
row; :func:`empty_mask` tells which rows came out empty. Malformed arrays
(wrong shapes, decreasing offsets) are caller bugs and raise ``ValueError``.

Speed: polylines with exactly two vertices (the vast majority of surveyed
segments) are built in one vectorised pass that writes the WKB bytes through
numpy structured arrays; other polylines go through a general path that is
vectorised across all their segments (the frame transport is a segmented
prefix product of rotation matrices, so long polylines need no per-vertex
Python loop) and joins each row's bytes in a short Python loop.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

import numpy as np

WKB_POLYGON_Z = 1003
"""ISO WKB type code of ``Polygon Z``."""

WKB_MULTIPOLYGON_Z = 1006
"""ISO WKB type code of ``MultiPolygon Z``."""

EMPTY_MULTIPOLYGON_Z = struct.pack("<BII", 1, WKB_MULTIPOLYGON_Z, 0)
"""The empty ``MultiPolygon Z`` (little endian), returned for invalid rows."""

MIN_SEGMENT_M = 1e-6
"""Consecutive vertices closer than this (metres) are treated as duplicates."""

MAX_MITER_SCALE = 4.0
"""Largest stretch ``1 / cos(turn / 2)`` of a mitred joint; sharper turns are
closed with perpendicular rings instead."""

_VERTICAL_TOL = 1e-9  # horizontal part of a unit axis below which it is vertical
_FAST_CHUNK = 16384  # rows per vectorised block of the two-vertex path
_GENERAL_CHUNK_VERTICES = 65536  # vertices per block of the general path
_HEADER = struct.Struct("<BII")

_BOX_PROFILE = np.array([[0.5, -0.5], [0.5, 0.5], [-0.5, 0.5], [-0.5, -0.5]])
"""Unit rectangle in (u, v), counter-clockwise: left-bottom, left-top,
right-top, right-bottom (``u`` points left, ``v`` up)."""


# --------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------


def tubes_wkb(vertices: np.ndarray, offsets: np.ndarray, radius_m: np.ndarray | float, sides: int = 12,
              caps: bool = True, *, fast_path: bool = True) -> list[bytes]:
    """Circular pipes of true diameter along 3D centrelines.

    :param vertices: ``(N, 3)`` float array, the vertices of all polylines
        concatenated; ``z`` is the pipe centreline elevation.
    :param offsets: ``(M + 1,)`` integer CSR offsets: polyline ``k`` is
        ``vertices[offsets[k]:offsets[k + 1]]``.
    :param radius_m: ``(M,)`` outer radius per polyline in metres (a scalar is
        used for every polyline).
    :param sides: number of sides of the polygon approximating the circle
        (at least 3); its vertices lie on the circle.
    :param caps: close both ends (and broken joints) with ``sides``-gons.
    :param fast_path: ``False`` sends two-vertex polylines through the general
        path too (for tests; the result is the same).
    :returns: ``M`` little-endian ISO WKB ``MultiPolygon Z`` geometries, the
        empty one (:data:`EMPTY_MULTIPOLYGON_Z`) for invalid rows.
    :raises ValueError: when the arrays have the wrong shape or the offsets
        are not a valid CSR index, or ``sides < 3``.
    """
    sides = int(sides)
    if sides < 3:
        raise ValueError(f"a tube needs at least 3 sides, got {sides}")
    angles = 2.0 * np.pi * np.arange(sides) / sides
    profile = np.column_stack([np.cos(angles), np.sin(angles)])
    verts, offs = _check_csr(vertices, offsets)
    radius = _per_row(radius_m, len(offs) - 1, "radius_m")
    return _sweep(verts, offs, radius, radius, profile, upright=False, caps=caps, fast_path=fast_path)


def boxes_wkb(vertices: np.ndarray, offsets: np.ndarray, width_m: np.ndarray | float,
              height_m: np.ndarray | float, caps: bool = True, *, fast_path: bool = True) -> list[bytes]:
    """Rectangular sections (box culverts, duct banks) along 3D centrelines.

    The rectangle is centred on the centreline: ``width_m`` across the axis
    horizontally, ``height_m`` perpendicular to the axis in its vertical
    plane (side walls stay vertical, the top of a level box is at centre
    ``z + height_m / 2``). Joints are mitred as for :func:`tubes_wkb`.

    :param vertices: ``(N, 3)`` float array of all polylines concatenated
        (``z`` = centreline elevation).
    :param offsets: ``(M + 1,)`` integer CSR offsets.
    :param width_m: ``(M,)`` outer width per polyline (or a scalar).
    :param height_m: ``(M,)`` outer height per polyline (or a scalar).
    :param caps: close both ends (and broken joints) with rectangles.
    :param fast_path: ``False`` sends two-vertex polylines through the general
        path too (for tests).
    :returns: ``M`` WKB ``MultiPolygon Z``, empty for invalid rows; each
        solid has 4 quads per piece plus the caps.
    :raises ValueError: on malformed arrays.
    """
    verts, offs = _check_csr(vertices, offsets)
    m = len(offs) - 1
    width = _per_row(width_m, m, "width_m")
    height = _per_row(height_m, m, "height_m")
    return _sweep(verts, offs, width, height, _BOX_PROFILE, upright=True, caps=caps, fast_path=fast_path)


def cylinders_wkb(x: np.ndarray, y: np.ndarray, z_top: np.ndarray, z_bottom: np.ndarray,
                  radius_m: np.ndarray | float, sides: int = 16) -> list[bytes]:
    """Vertical cylinders (manholes, wells) from ``z_top`` down to ``z_bottom``.

    :param x: ``(K,)`` axis easting.
    :param y: ``(K,)`` axis northing.
    :param z_top: ``(K,)`` top elevation (usually the ground).
    :param z_bottom: ``(K,)`` bottom elevation.
    :param radius_m: ``(K,)`` radius in metres (or a scalar).
    :param sides: sides of the polygon inscribed in the circle (at least 3).
    :returns: ``K`` WKB ``MultiPolygon Z`` with ``sides`` walls and a bottom
        and a top cap; the vertices' z are exactly ``z_bottom`` and ``z_top``.
        A row with ``z_top <= z_bottom`` (or a height under
        :data:`MIN_SEGMENT_M`), a radius ``<= 0`` or any NaN is empty.
    :raises ValueError: when the arrays do not have one common length, or
        ``sides < 3``.
    """
    sides = int(sides)
    if sides < 3:
        raise ValueError(f"a cylinder needs at least 3 sides, got {sides}")
    cols = [np.asarray(a, dtype=np.float64) for a in (x, y, z_top, z_bottom)]
    if any(c.ndim != 1 for c in cols) or len({len(c) for c in cols}) != 1:
        raise ValueError("x, y, z_top and z_bottom must be 1-D arrays of one length")
    k = len(cols[0])
    radius = _per_row(radius_m, k, "radius_m")
    xs, ys, top, bottom = cols
    ok = np.isfinite(radius) & (radius > 0) & (top > bottom)  # NaN compares False
    out = [EMPTY_MULTIPOLYGON_Z] * k
    rows = np.flatnonzero(ok)
    angles = 2.0 * np.pi * np.arange(sides) / sides
    profile = np.column_stack([np.cos(angles), np.sin(angles)])
    for lo in range(0, len(rows), _FAST_CHUNK):
        sel = rows[lo:lo + _FAST_CHUNK]
        a = np.column_stack([xs[sel], ys[sel], bottom[sel]])
        b = np.column_stack([xs[sel], ys[sel], top[sel]])
        done, geoms = _two_vertex_wkb(a, b, radius[sel], radius[sel], profile, True)
        for i, g in zip(sel[done].tolist(), geoms):
            out[i] = g
    return out


def empty_mask(geometries: Sequence[bytes]) -> np.ndarray:
    """Which geometries returned by this module are empty.

    :param geometries: WKB ``MultiPolygon Z`` as returned by :func:`tubes_wkb`,
        :func:`boxes_wkb` or :func:`cylinders_wkb`.
    :returns: boolean array, ``True`` where the geometry has no polygon.
    """
    return np.fromiter((len(g) <= _HEADER.size or _polygon_count(g) == 0 for g in geometries),
                       dtype=bool, count=len(geometries))


def parse_multipolygonz_wkb(b: bytes) -> list[list[np.ndarray]]:
    """Read a WKB ``MultiPolygon Z`` into polygons -> rings -> ``(k, 3)`` arrays.

    A small independent reader (it shares no code with the writer), used by
    tests and diagnostics. Either byte order is accepted, and both the ISO
    (1006/1003) and the extended (``0x80000000``-flagged) Z type codes.

    :param b: the WKB bytes.
    :returns: one list per polygon, of one ``(k, 3)`` float array per ring.
    :raises ValueError: when the bytes are not a well-formed ``MultiPolygon Z``.
    """
    data = bytes(b)
    pos = 0

    def read_header(expected_base: int) -> tuple[str, int]:
        nonlocal pos
        if pos + 9 > len(data):
            raise ValueError("truncated WKB header")
        order = data[pos]
        if order not in (0, 1):
            raise ValueError(f"bad WKB byte-order flag {order}")
        endian = "<" if order == 1 else ">"
        (gtype, count) = struct.unpack_from(endian + "II", data, pos + 1)
        pos += 9
        if gtype not in (1000 + expected_base, 0x80000000 | expected_base):
            raise ValueError(f"unexpected WKB geometry type {gtype} (wanted a Z type {expected_base})")
        return endian, count

    _, npolys = read_header(6)
    polygons: list[list[np.ndarray]] = []
    for _ in range(npolys):
        endian, nrings = read_header(3)
        rings: list[np.ndarray] = []
        for _ in range(nrings):
            if pos + 4 > len(data):
                raise ValueError("truncated WKB ring")
            (npts,) = struct.unpack_from(endian + "I", data, pos)
            pos += 4
            end = pos + 24 * npts
            if end > len(data):
                raise ValueError("truncated WKB coordinates")
            xyz = np.frombuffer(data, dtype=np.dtype(endian + "f8"), count=3 * npts, offset=pos)
            rings.append(xyz.reshape(npts, 3).astype(np.float64))
            pos = end
        polygons.append(rings)
    if pos != len(data):
        raise ValueError(f"{len(data) - pos} trailing bytes after the WKB geometry")
    return polygons


# --------------------------------------------------------------------------
# input checks
# --------------------------------------------------------------------------


def _check_csr(vertices: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Validate and normalise ``(vertices, offsets)``; raise ``ValueError``."""
    verts = np.asarray(vertices, dtype=np.float64)
    if verts.ndim != 2 or verts.shape[1] != 3:
        raise ValueError(f"vertices must have shape (N, 3), got {verts.shape}")
    raw = np.asarray(offsets)
    if raw.ndim != 1 or raw.size < 1:
        raise ValueError("offsets must be a 1-D array of M + 1 values")
    if raw.dtype.kind not in "iu":
        if raw.dtype.kind != "f" or not np.all(np.isfinite(raw)) or np.any(raw != np.round(raw)):
            raise ValueError("offsets must be integers")
    offs = raw.astype(np.int64)
    if offs[0] < 0 or offs[-1] > len(verts) or np.any(np.diff(offs) < 0):
        raise ValueError("offsets must be non-decreasing indices into vertices")
    return verts, offs


def _per_row(value: np.ndarray | float, m: int, name: str) -> np.ndarray:
    """A size per row: a scalar is broadcast, an array must have shape (m,)."""
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        return np.full(m, float(arr))
    if arr.shape != (m,):
        raise ValueError(f"{name} must have shape ({m},), got {arr.shape}")
    return arr


def _polygon_count(g: bytes) -> int:
    return int.from_bytes(g[5:9], "little" if g[0] == 1 else "big")


# --------------------------------------------------------------------------
# geometry helpers
# --------------------------------------------------------------------------


def _cross(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Row-wise cross product of ``(..., 3)`` arrays."""
    return np.stack([a[..., 1] * b[..., 2] - a[..., 2] * b[..., 1],
                     a[..., 2] * b[..., 0] - a[..., 0] * b[..., 2],
                     a[..., 0] * b[..., 1] - a[..., 1] * b[..., 0]], axis=-1)


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.einsum("...k,...k->...", a, b)


def _left_horizontal(axis: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit horizontal vector on the left of each unit axis, in plan.

    :returns: ``(u, vertical)``; ``u`` is east where the axis is vertical.
    """
    h = np.hypot(axis[:, 0], axis[:, 1])
    vertical = h <= _VERTICAL_TOL
    hs = np.where(vertical, 1.0, h)
    u = np.column_stack([-axis[:, 1] / hs, axis[:, 0] / hs, np.zeros(len(axis))])
    u[vertical] = (1.0, 0.0, 0.0)
    return u, vertical


def _section_offsets(u: np.ndarray, v: np.ndarray, scale_u: np.ndarray, scale_v: np.ndarray,
                     profile: np.ndarray) -> np.ndarray:
    """Cross-section vertices relative to the axis: ``(S, P, 3)``."""
    cu = scale_u[:, None] * profile[None, :, 0]
    cv = scale_v[:, None] * profile[None, :, 1]
    return cu[:, :, None] * u[:, None, :] + cv[:, :, None] * v[:, None, :]


def _rotations(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The minimal rotation matrices ``(S, 3, 3)`` taking unit ``a`` onto unit
    ``b`` (Rodrigues' formula). For (almost) opposite axes, where that rotation
    is undefined, a half-turn about the left horizontal of ``a``."""
    k = _cross(a, b)
    c = _dot(a, b)
    regular = 1.0 + c > 1e-9
    denom = np.where(regular, 1.0 + c, 1.0)
    rot = k[:, :, None] * (k / denom[:, None])[:, None, :]
    rot[:, 0, 0] += c
    rot[:, 1, 1] += c
    rot[:, 2, 2] += c
    rot[:, 0, 1] -= k[:, 2]
    rot[:, 0, 2] += k[:, 1]
    rot[:, 1, 0] += k[:, 2]
    rot[:, 1, 2] -= k[:, 0]
    rot[:, 2, 0] -= k[:, 1]
    rot[:, 2, 1] += k[:, 0]
    if not np.all(regular):
        w = _left_horizontal(a[~regular])[0]
        rot[~regular] = 2.0 * w[:, :, None] * w[:, None, :] - np.eye(3)
    return rot


def _transported_u(axis: np.ndarray, seg_j: np.ndarray, u_first: np.ndarray) -> np.ndarray:
    """Rotation-minimising reference vectors along every polyline.

    Segment ``s`` (the ``seg_j[s]``-th of its polyline) gets the first
    segment's reference rotated by the product of the minimal rotations
    between consecutive axes up to ``s``. The products are formed by a
    segmented parallel prefix scan (``log2`` of the longest polyline passes of
    batched 3x3 products), so a polyline of 100 000 vertices costs no Python
    loop per vertex.

    :param axis: ``(S, 3)`` unit axes, polyline after polyline.
    :param seg_j: ``(S,)`` position of each segment in its polyline.
    :param u_first: ``(S,)`` reference of each polyline's first segment, at
        that segment's rows (other rows are ignored).
    """
    n = len(axis)
    acc = np.broadcast_to(np.eye(3), (n, 3, 3)).copy()
    inner = np.flatnonzero(seg_j > 0)
    acc[inner] = _rotations(axis[inner - 1], axis[inner])
    step = 1
    longest = int(seg_j.max()) if n else 0
    while step <= longest:
        idx = np.flatnonzero(seg_j >= step)
        acc[idx] = np.matmul(acc[idx], acc[idx - step])
        step *= 2
    u = np.einsum("sij,sj->si", acc, u_first[np.arange(n) - seg_j])
    u -= _dot(u, axis)[:, None] * axis
    return u / np.linalg.norm(u, axis=1)[:, None]


def _along_onto_plane(off: np.ndarray, axis: np.ndarray, normal: np.ndarray) -> np.ndarray:
    """Move section offsets ``(S, P, 3)`` along their unit ``axis`` ``(S, 3)``
    onto the plane through the axis point with unit ``normal`` ``(S, 3)``."""
    t = _dot(off, normal[:, None, :]) / _dot(axis, normal)[:, None]
    return off - t[:, :, None] * axis[:, None, :]


def _upright_u(axis: np.ndarray, seg_poly: np.ndarray) -> np.ndarray:
    """Upright reference per segment: left horizontal; a vertical segment
    takes it from the previous non-vertical segment of its polyline, else from
    the next one, else east."""
    u, vertical = _left_horizontal(axis)
    if not np.any(vertical):
        return u
    n = len(axis)
    idx = np.arange(n)
    prev = np.maximum.accumulate(np.where(vertical, -1, idx))
    prev_ok = vertical & (prev >= 0)
    prev_ok[prev_ok] &= seg_poly[prev[prev_ok]] == seg_poly[prev_ok]
    nxt = np.minimum.accumulate(np.where(vertical, n, idx)[::-1])[::-1]
    next_ok = vertical & ~prev_ok & (nxt < n)
    next_ok[next_ok] &= seg_poly[nxt[next_ok]] == seg_poly[next_ok]
    u[prev_ok] = u[prev[prev_ok]]
    u[next_ok] = u[nxt[next_ok]]
    return u


# --------------------------------------------------------------------------
# WKB writing
# --------------------------------------------------------------------------


def _polygon_dtype(npoints: int) -> np.dtype:
    """Packed record of one single-ring WKB ``Polygon Z`` with ``npoints``."""
    return np.dtype([("order", "u1"), ("type", "<u4"), ("rings", "<u4"), ("npoints", "<u4"),
                     ("xyz", "<f8", (npoints, 3))])


def _set_polygon_headers(rec: np.ndarray, npoints: int) -> None:
    rec["order"] = 1
    rec["type"] = WKB_POLYGON_Z
    rec["rings"] = 1
    rec["npoints"] = npoints


def _fill_quads(xyz: np.ndarray, start: np.ndarray, end: np.ndarray) -> None:
    """Side quads between rings ``start`` and ``end`` (``(..., P, 3)``) into
    ``xyz`` (``(..., P, 5, 3)``): ``s_k, s_k+1, e_k+1, e_k, s_k`` (outward)."""
    xyz[..., 0, :] = start
    xyz[..., :-1, 1, :] = start[..., 1:, :]
    xyz[..., -1, 1, :] = start[..., 0, :]
    xyz[..., :-1, 2, :] = end[..., 1:, :]
    xyz[..., -1, 2, :] = end[..., 0, :]
    xyz[..., 3, :] = end
    xyz[..., 4, :] = start


def _fill_caps(xyz: np.ndarray, ring: np.ndarray, at_start: np.ndarray | bool) -> None:
    """Caps from rings ``(C, P, 3)`` into ``xyz`` (``(C, P + 1, 3)``): the
    ring order at an end, reversed at a start, so the normal points out."""
    xyz[:, :-1, :] = ring
    xyz[:, -1, :] = ring[:, 0, :]
    if np.ndim(at_start) == 0:
        if at_start:
            xyz[:, 1:-1, :] = ring[:, :0:-1, :]
        return
    rev = np.flatnonzero(at_start)
    if len(rev):
        xyz[rev, 1:-1, :] = ring[rev, :0:-1, :]


def _split(buf: bytes, size: int, count: int) -> list[bytes]:
    return [buf[i:i + size] for i in range(0, size * count, size)]


# --------------------------------------------------------------------------
# sweeping
# --------------------------------------------------------------------------


def _sweep(verts: np.ndarray, offs: np.ndarray, scale_u: np.ndarray, scale_v: np.ndarray,
           profile: np.ndarray, upright: bool, caps: bool, fast_path: bool) -> list[bytes]:
    """Dispatch rows to the two-vertex and the general path."""
    m = len(offs) - 1
    out = [EMPTY_MULTIPOLYGON_Z] * m
    counts = np.diff(offs)
    sized = np.isfinite(scale_u) & np.isfinite(scale_v) & (scale_u > 0) & (scale_v > 0)
    rows = np.flatnonzero(sized & (counts >= 2))
    if fast_path:
        two = rows[counts[rows] == 2]
        rows = rows[counts[rows] != 2]
        for lo in range(0, len(two), _FAST_CHUNK):
            sel = two[lo:lo + _FAST_CHUNK]
            start = offs[sel]
            done, geoms = _two_vertex_wkb(verts[start], verts[start + 1], scale_u[sel], scale_v[sel],
                                          profile, caps)
            for i, g in zip(sel[done].tolist(), geoms):
                out[i] = g
    if len(rows):
        bounds = np.cumsum(counts[rows])
        lo = 0
        while lo < len(rows):
            base = bounds[lo - 1] if lo else 0
            hi = max(int(np.searchsorted(bounds, base + _GENERAL_CHUNK_VERTICES, side="right")), lo + 1)
            sel = rows[lo:hi]
            done, geoms = _general_wkb(verts, offs[sel], counts[sel], scale_u[sel], scale_v[sel],
                                       profile, upright, caps)
            for i, g in zip(sel[done].tolist(), geoms):
                out[i] = g
            lo = hi
    return out


def _two_vertex_wkb(a: np.ndarray, b: np.ndarray, scale_u: np.ndarray, scale_v: np.ndarray,
                    profile: np.ndarray, caps: bool) -> tuple[np.ndarray, list[bytes]]:
    """Vectorised solids for single segments ``a -> b``.

    :returns: the indices of the rows that gave a solid (the others are too
        short or not finite), and their WKB in that order.
    """
    d = b - a
    length = np.sqrt(_dot(d, d))
    done = np.flatnonzero(np.isfinite(length) & (length > MIN_SEGMENT_M))
    n = len(done)
    if n == 0:
        return done, []
    a, b, d, length = a[done], b[done], d[done], length[done]
    axis = d / length[:, None]
    u, _ = _left_horizontal(axis)
    v = _cross(axis, u)
    off = _section_offsets(u, v, scale_u[done], scale_v[done], profile)
    ring_a = a[:, None, :] + off
    ring_b = b[:, None, :] + off

    p = len(profile)
    quad_dt = _polygon_dtype(5)
    cap_dt = _polygon_dtype(p + 1)
    fields = [("order", "u1"), ("type", "<u4"), ("count", "<u4"), ("quads", quad_dt, (p,))]
    if caps:
        fields.append(("caps", cap_dt, (2,)))
    rec = np.empty(n, dtype=np.dtype(fields))
    rec["order"] = 1
    rec["type"] = WKB_MULTIPOLYGON_Z
    rec["count"] = p + (2 if caps else 0)
    quads = rec["quads"]
    _set_polygon_headers(quads, 5)
    _fill_quads(quads["xyz"], ring_a, ring_b)
    if caps:
        cap = rec["caps"]
        _set_polygon_headers(cap, p + 1)
        cap_xyz = cap["xyz"]
        start_xyz = cap_xyz[:, 0]
        end_xyz = cap_xyz[:, 1]
        _fill_caps(start_xyz, ring_a, True)
        _fill_caps(end_xyz, ring_b, False)
    return done, _split(rec.tobytes(), rec.dtype.itemsize, n)


def _general_wkb(verts: np.ndarray, starts: np.ndarray, counts: np.ndarray, scale_u: np.ndarray,
                 scale_v: np.ndarray, profile: np.ndarray, upright: bool,
                 caps: bool) -> tuple[np.ndarray, list[bytes]]:
    """Solids for polylines of any length (``counts >= 2`` vertices each).

    :returns: indices (into ``starts``) of the polylines that gave a solid,
        and their WKB in that order.
    """
    f0 = len(starts)
    total = int(counts.sum())
    first_local = np.cumsum(counts) - counts
    pts = verts[np.repeat(starts - first_local, counts) + np.arange(total)]
    vpoly = np.repeat(np.arange(f0), counts)

    # drop non-finite polylines and consecutive duplicates
    finite = np.isfinite(pts).all(axis=1)
    bad = np.bincount(vpoly, weights=(~finite).astype(np.float64), minlength=f0) > 0
    step = np.full(total, np.inf)
    step[1:] = np.linalg.norm(pts[1:] - pts[:-1], axis=1)
    keep = step > MIN_SEGMENT_M
    keep[first_local] = True
    kept_per_poly = np.bincount(vpoly[keep], minlength=f0)
    ok = (kept_per_poly >= 2) & ~bad
    done = np.flatnonzero(ok)
    if len(done) == 0:
        return done, []
    keep &= ok[vpoly]
    pts = pts[keep]
    vpoly = (np.cumsum(ok) - 1)[vpoly[keep]]
    nverts = kept_per_poly[done]
    vstart = np.cumsum(nverts) - nverts
    su, sv = scale_u[done], scale_v[done]

    # segments ("pieces")
    seg_v0 = np.flatnonzero(vpoly[:-1] == vpoly[1:])
    nseg = len(seg_v0)
    seg_poly = vpoly[seg_v0]
    seg_j = seg_v0 - vstart[seg_poly]
    d = pts[seg_v0 + 1] - pts[seg_v0]
    axis = d / np.linalg.norm(d, axis=1)[:, None]
    first_seg = seg_j == 0
    last_seg = seg_j == nverts[seg_poly] - 2

    # frames
    u = _upright_u(axis, seg_poly)
    if not upright and np.any(seg_j > 0):
        u = _transported_u(axis, seg_j, u)
    v = _cross(axis, u)
    off = _section_offsets(u, v, su[seg_poly], sv[seg_poly], profile)
    ring_a = pts[seg_v0][:, None, :] + off
    ring_b = pts[seg_v0 + 1][:, None, :] + off

    # joints: mitred (shared ring) or broken (perpendicular rings + caps)
    jb = np.flatnonzero(~first_seg)
    ja = jb - 1
    cos_half = np.sqrt(np.clip(0.5 * (1.0 + _dot(axis[ja], axis[jb])), 0.0, 1.0))
    broken = cos_half < 1.0 / MAX_MITER_SCALE
    a, b = ja[~broken], jb[~broken]
    if len(a):
        miter = axis[a] + axis[b]
        miter /= np.linalg.norm(miter, axis=1)[:, None]
        from_a = _along_onto_plane(off[a], axis[a], miter)
        from_b = _along_onto_plane(off[b], axis[b], miter)
        shared = pts[seg_v0[b]][:, None, :] + 0.5 * (from_a + from_b)
        ring_b[a] = shared
        ring_a[b] = shared

    p = len(profile)
    quads = np.empty((nseg, p), dtype=_polygon_dtype(5))
    _set_polygon_headers(quads, 5)
    _fill_quads(quads["xyz"], ring_a, ring_b)
    quad_bytes = quads.tobytes()
    quad_size = quads.dtype.itemsize * p  # bytes per piece
    seg_first = np.cumsum(nverts - 1) - (nverts - 1)

    ncaps = np.zeros(len(done), dtype=np.int64)
    cap_bytes = b""
    cap_size = 0
    if caps:
        cap_start = first_seg.copy()
        cap_start[jb[broken]] = True
        cap_end = last_seg.copy()
        cap_end[ja[broken]] = True
        starts_idx = np.flatnonzero(cap_start)
        ends_idx = np.flatnonzero(cap_end)
        cap_seg = np.concatenate([starts_idx, ends_idx])
        at_start = np.concatenate([np.ones(len(starts_idx), bool), np.zeros(len(ends_idx), bool)])
        order = np.argsort(2 * cap_seg + ~at_start, kind="stable")
        cap_seg, at_start = cap_seg[order], at_start[order]
        rings = np.where(at_start[:, None, None], ring_a[cap_seg], ring_b[cap_seg])
        cap_rec = np.empty(len(cap_seg), dtype=_polygon_dtype(p + 1))
        _set_polygon_headers(cap_rec, p + 1)
        _fill_caps(cap_rec["xyz"], rings, at_start)
        cap_bytes = cap_rec.tobytes()
        cap_size = cap_rec.dtype.itemsize
        ncaps = np.bincount(seg_poly[cap_seg], minlength=len(done))
    cap_first = np.cumsum(ncaps) - ncaps

    geoms: list[bytes] = []
    pack = _HEADER.pack
    for nv, s0, nc, c0 in zip((nverts - 1).tolist(), seg_first.tolist(), ncaps.tolist(), cap_first.tolist()):
        geoms.append(b"".join((pack(1, WKB_MULTIPOLYGON_Z, nv * p + nc),
                               quad_bytes[s0 * quad_size:(s0 + nv) * quad_size],
                               cap_bytes[c0 * cap_size:(c0 + nc) * cap_size])))
    return done, geoms
