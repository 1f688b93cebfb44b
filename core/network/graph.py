"""A network graph per category of the integrated map, in flat arrays.

The map is a GeoPackage (read through OGR) or a PostGIS map (``service=... schema=...``, read with
psycopg2 by :mod:`.pgread`); both give the same tables in the same (fid) order.

Segments of one category (``pipe_segment``) are the edges; their end vertices, snapped together
within a tolerance (default 0.01 m, in plan), are the nodes. Points of the same category
(``pipe_point``) that lie on a node (within the same tolerance) give the node its type: valve,
hydrant, meter, manhole, outlet, source, terminal (a surveyed end: stub, cap, inlet...), other, or
a plain junction. Everything is numpy / scipy.sparse: node-edge incidence in CSR form, no Python
object per edge, so a graph of 1,000,000 segments builds in seconds.

Flow direction (``Graph.flow``, +1 = from the segment's start to its end, -1 = the other way,
0 = unknown):

* gravity drains (``PS``): from the centreline elevations at the two ends (the invert falls the
  same way, the inner size being one per segment); a segment whose ends are level within 1 mm or
  lack elevations keeps the surveyed direction (CJJ 61 records drains in flow direction);
* pressure networks (``JS``, ``RQ``, ``RL``, ...): away from the sources (plants, water towers,
  pump stations, gas regulators): each segment runs from its end nearer to a source (network
  distance) to the farther one; a segment whose ends are as near (or that no source reaches) has
  an unknown direction (0); with no source in the network, the surveyed direction.

Segments whose status is abandoned (``1``) or empty (``2``) carry nothing and are left out;
abandoned points (status ``1``) type no node.

Valve states: the map records no valve position (CJJ 61 has no such field). Valves are taken as
open unless a run lists them as closed (``closed`` arguments here, ``CLOSED_VALVES`` in the
algorithms: point ids of normally closed valves such as zone boundaries).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Iterable, Sequence

import numpy as np

from ..errors import InputError
from ..progress import NullProgress, Progress, check_cancel

# --------------------------------------------------------------------------------------------------------------
# node types

JUNCTION, VALVE, HYDRANT, METER, MANHOLE, OUTLET, SOURCE, TERMINAL, OTHER = range(9)
#: names of the node types, indexed by their code (stable: output fields and STOP_AT use them)
KIND_NAMES: tuple[str, ...] = ("junction", "valve", "hydrant", "meter", "manhole", "outlet", "source", "terminal",
                               "other")
KIND_BY_NAME = {n: i for i, n in enumerate(KIND_NAMES)}
#: which type wins when several points lie on one node (higher wins)
_PRIORITY = np.array([0, 7, 4, 3, 2, 6, 8, 1, 1], dtype=np.int8)

#: categories whose networks flow by gravity
GRAVITY = frozenset({"PS"})
#: pressure networks that valves isolate (water, gas, heat, industrial)
PRESSURE = frozenset({"JS", "RQ", "RL", "GY"})

_MANHOLES = ("manhole", "chamber", "storm_manhole", "sewer_manhole", "drop_manhole", "silt_manhole",
             "overflow_manhole", "flush_manhole", "seal_manhole", "cable_manhole", "handhole", "vent_shaft")
#: CJJ 61 appurtenance code -> node type (core/codes.py APPURTENANCES)
APPURTENANCE_KIND: dict[str, int] = {
    "valve": VALVE, "valve_chamber": VALVE, "gate_chamber": VALVE,
    "hydrant": HYDRANT,
    "meter": METER, "meter_chamber": METER,
    **{m: MANHOLE for m in _MANHOLES},
    "plant": SOURCE, "water_tower": SOURCE, "regulator": SOURCE, "pump_station": SOURCE,
    "gully": TERMINAL, "sewer_gully": TERMINAL, "septic_tank": TERMINAL, "settling_tank": TERMINAL,
    "soakaway": TERMINAL, "riser": TERMINAL, "pole": TERMINAL, "transformer": TERMINAL, "junction_box": TERMINAL,
    "air_valve": OTHER, "scour_valve": OTHER, "condensate_trap": OTHER,
}
#: CJJ 61 feature-point code -> node type (core/codes.py POINT_FEATURES); unlisted features are junctions
FEATURE_KIND: dict[str, int] = {
    "outlet": OUTLET, "stub": TERMINAL, "cap": TERMINAL, "inlet": TERMINAL, "exit_surface": TERMINAL,
    "meas_flow": OTHER, "meas_pressure": OTHER, "meas_quality": OTHER,
}
#: features that say lines join at the point (a dead end there is an error, not just a warning)
JOIN_FEATURES = frozenset({"tee", "cross", "multi"})


def point_kind(feature: str, appurtenance: str, category: str) -> int:
    """The node type a point gives (the appurtenance decides, else the feature).

    A pump station is a source in a pressure network and a plain structure (``other``) in a drain;
    an appurtenance code PipeMap does not know is ``other``.
    """
    app = (appurtenance or "").strip()
    if app:
        kind = APPURTENANCE_KIND.get(app, OTHER)
        if kind == SOURCE and app == "pump_station" and category in GRAVITY:
            return OTHER
        return kind
    return FEATURE_KIND.get((feature or "").strip(), JUNCTION)


def kinds_from_names(names: Iterable[str]) -> frozenset[int]:
    """Node-type codes from their names (``valve``, ``hydrant``...).

    :raises InputError: an unknown name.
    """
    out = set()
    for name in names:
        key = str(name).strip().lower()
        if not key:
            continue
        if key not in KIND_BY_NAME:
            raise InputError("Unknown node type {name!r}: use one of {choices}.", code="network.node_type",
                             name=str(name), choices=", ".join(KIND_NAMES))
        out.add(KIND_BY_NAME[key])
    return frozenset(out)


# --------------------------------------------------------------------------------------------------------------
# input tables


@dataclass
class SegmentTable:
    """Segments of a map (or generated), column-wise. Text columns are object arrays ("" = empty)."""

    ids: np.ndarray
    category: np.ndarray
    vertices: np.ndarray  #: (V, 3) float64, z = centreline elevation (NaN unknown)
    offsets: np.ndarray  #: (M + 1,) int64
    dn_mm: np.ndarray  #: (M,) nominal (inner) diameter, NaN unknown
    inner_m: np.ndarray  #: (M,) inner height (DN, or a box's height), NaN unknown
    status: np.ndarray
    road: np.ndarray
    subcategory: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_arrays(cls, ids: Sequence[Any], category: Sequence[str] | str, vertices: np.ndarray,
                    offsets: np.ndarray, dn_mm: Sequence[float] | None = None, status: Sequence[str] | None = None,
                    road: Sequence[str] | None = None, subcategory: Sequence[str] | None = None) -> SegmentTable:
        m = len(ids)
        cat = np.full(m, category, dtype=object) if isinstance(category, str) else np.asarray(category, dtype=object)
        dn = np.full(m, np.nan) if dn_mm is None else np.asarray(dn_mm, dtype=float)

        def text(values: Sequence[str] | None) -> np.ndarray:
            return np.full(m, "", dtype=object) if values is None else np.asarray(values, dtype=object)

        return cls(np.asarray(ids, dtype=object), cat, np.asarray(vertices, dtype=float).reshape(-1, 3),
                   np.asarray(offsets, dtype=np.int64), dn, dn / 1000.0, text(status), text(road),
                   text(subcategory))


@dataclass
class PointTable:
    """Points of a map (or generated), column-wise."""

    ids: np.ndarray
    category: np.ndarray
    xy: np.ndarray  #: (K, 2)
    feature: np.ndarray
    appurtenance: np.ndarray
    status: np.ndarray
    road: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def from_arrays(cls, ids: Sequence[Any], category: Sequence[str] | str, xy: np.ndarray,
                    feature: Sequence[str] | None = None, appurtenance: Sequence[str] | None = None,
                    status: Sequence[str] | None = None, road: Sequence[str] | None = None) -> PointTable:
        k = len(ids)

        def text(values: Sequence[str] | None) -> np.ndarray:
            return np.full(k, "", dtype=object) if values is None else np.asarray(values, dtype=object)

        cat = np.full(k, category, dtype=object) if isinstance(category, str) else np.asarray(category, dtype=object)
        return cls(np.asarray(ids, dtype=object), cat, np.asarray(xy, dtype=float).reshape(-1, 2), text(feature),
                   text(appurtenance), text(status), text(road))

    @classmethod
    def empty(cls) -> PointTable:
        return cls.from_arrays([], [], np.zeros((0, 2)))


# --------------------------------------------------------------------------------------------------------------
# reading a map


_SEG_TEXT = ("seg_id", "category", "subcategory", "status", "section", "road")
_SEG_REAL = ("dn_mm", "height_mm")
_PT_TEXT = ("point_id", "category", "feature", "appurtenance", "status", "road")


def _open_map(path: str | os.PathLike[str]) -> Any:
    from osgeo import gdal

    from ..gdalutil import gdal_exceptions

    if not os.path.isfile(path):
        raise InputError("The map {path} does not exist.", code="map.missing", path=str(path))
    with gdal_exceptions():
        try:
            return gdal.OpenEx(str(path), gdal.OF_VECTOR, allowed_drivers=["GPKG"])
        except RuntimeError as exc:
            raise InputError("{path} cannot be opened as a GeoPackage: {reason}", code="map.not_gpkg",
                             path=str(path), reason=str(exc)) from None


def _text_column(values: Any, n: int) -> np.ndarray:
    if values is None:
        return np.full(n, "", dtype=object)
    mask = np.ma.getmaskarray(values) if np.ma.isMaskedArray(values) else None
    raw = np.asarray(np.ma.getdata(values))
    if raw.dtype.kind == "S":
        try:
            out = raw.astype("U").astype(object)
        except UnicodeDecodeError:
            out = np.array([v.decode("utf-8", "replace") for v in raw], dtype=object)
    else:
        out = np.array(["" if v is None else (v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v))
                        for v in raw], dtype=object)
    if mask is not None and mask.any():
        out[mask] = ""
    return out


def _real_column(values: Any, n: int) -> np.ndarray:
    if values is None:
        return np.full(n, np.nan)
    return np.ma.filled(np.ma.asarray(values).astype(float), np.nan)


def _read_layer(path: str | os.PathLike[str], name: str, text: Sequence[str], real: Sequence[str],
                where: str | None) -> dict[str, Any]:
    """Columns of a layer and its geometries' coordinates (``_xyz`` (V, 3), ``_counts`` per feature):
    through OGR's Arrow stream when this GDAL has it, else feature by feature. Features without a
    geometry are left out."""
    ds = _open_map(path)
    try:
        layer = ds.GetLayerByName(name)
        if layer is None:
            raise InputError("{path} is not an integrated map (no {layer} layer).", code="network.not_pipemap",
                             path=str(path), layer=name)
        defn = layer.GetLayerDefn()
        have = {defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())}
        layer.SetIgnoredFields([n for n in have if n not in set(text) | set(real)])
        if where:
            layer.SetAttributeFilter(where)
        out = _read_arrow(layer, text, real)
        if out is None:
            layer.ResetReading()
            out = _read_features(layer, text, real, have)
        return out
    finally:
        ds = None  # noqa: F841


def _read_arrow(layer: Any, text: Sequence[str], real: Sequence[str]) -> dict[str, Any] | None:
    if not hasattr(layer, "GetArrowStreamAsNumPy"):
        return None
    import shapely

    geom_name = layer.GetGeometryColumn() or "geom"
    parts: dict[str, list[np.ndarray]] = {n: [] for n in (*text, *real, "_xyz", "_counts")}
    try:
        for batch in layer.GetArrowStreamAsNumPy(options=["INCLUDE_FID=NO", "MAX_FEATURES_IN_BATCH=200000"]):
            if geom_name not in batch:
                return None
            wkb = batch[geom_name]
            n = len(wkb)
            geoms = np.empty(n, dtype=object)
            ok = ~np.ma.getmaskarray(wkb) if np.ma.isMaskedArray(wkb) else np.ones(n, dtype=bool)
            geoms[ok] = shapely.from_wkb(np.asarray(np.ma.getdata(wkb))[ok].astype(object), on_invalid="ignore")
            counts = shapely.get_num_coordinates(geoms)
            keep = counts > 0
            geoms = geoms[keep]
            parts["_xyz"].append(shapely.get_coordinates(geoms, include_z=True))
            parts["_counts"].append(counts[keep])
            for name in text:
                parts[name].append(_text_column(batch.get(name), n)[keep])
            for name in real:
                parts[name].append(_real_column(batch.get(name), n)[keep])
    except (RuntimeError, ValueError, TypeError, UnicodeDecodeError, shapely.errors.ShapelyError):
        return None
    out: dict[str, Any] = {}
    for name, chunks in parts.items():
        if chunks:
            out[name] = np.concatenate(chunks)
        elif name == "_xyz":
            out[name] = np.zeros((0, 3))
        elif name == "_counts":
            out[name] = np.zeros(0, dtype=np.int64)
        else:
            out[name] = np.zeros(0, dtype=object if name in text else float)
    return out


def _read_features(layer: Any, text: Sequence[str], real: Sequence[str], have: set[str]) -> dict[str, Any]:
    rows: dict[str, list[Any]] = {n: [] for n in (*text, *real)}
    xyz: list[np.ndarray] = []
    counts: list[int] = []
    for f in layer:
        g = f.GetGeometryRef()
        if g is None or g.IsEmpty():
            continue
        pts = np.array(g.GetPoints(), dtype=float) if g.GetPointCount() else np.array([[g.GetX(), g.GetY(),
                                                                                       g.GetZ()]])
        if pts.shape[1] == 2:
            pts = np.column_stack([pts, np.full(len(pts), np.nan)])
        xyz.append(pts)
        counts.append(len(pts))
        for n in text:
            rows[n].append((f.GetField(n) or "") if n in have else "")
        for n in real:
            v = f.GetField(n) if n in have else None
            rows[n].append(np.nan if v is None else float(v))
    out: dict[str, Any] = {n: np.array(rows[n], dtype=object) for n in text}
    out.update({n: np.array(rows[n], dtype=float) for n in real})
    out["_xyz"] = np.concatenate(xyz) if xyz else np.zeros((0, 3))
    out["_counts"] = np.asarray(counts, dtype=np.int64)
    return out


def _category_filter(categories: Iterable[str] | None) -> str | None:
    if categories is None:
        return None
    from ..codes import CATEGORY_BY_CODE

    cats = sorted({str(c).strip().upper() for c in categories if str(c).strip()})
    for c in cats:
        if c not in CATEGORY_BY_CODE:
            raise InputError("Unknown category {category!r}: use a CJJ 61 code ({choices}).",
                             code="network.category", category=c, choices=", ".join(CATEGORY_BY_CODE))
    return "category IN (" + ", ".join(f"'{c}'" for c in cats) + ")" if cats else None


def is_postgis(source: Any) -> bool:
    """True when ``source`` names a PostGIS map (a :class:`core.pg.connect.PgMap` or a map string such as
    ``service=NAME schema=NAME``) rather than a GeoPackage file."""
    from ..pg.connect import PgMap, is_postgis_map

    return isinstance(source, PgMap) or is_postgis_map(source)


def read_map(path: Any, categories: Iterable[str] | None = None) -> tuple[SegmentTable, PointTable]:
    """The segments (lines of at least two vertices) and points of a map, optionally of some categories.

    :param path: a GeoPackage map, or a PostGIS map (a ``PgMap`` or a map string: read with
        :mod:`.pgread`, in the same order, so the graphs are the same).
    """
    categories = None if categories is None else list(categories)
    where = _category_filter(categories)
    if is_postgis(path):
        from . import pgread

        cats = sorted({str(c).strip().upper() for c in categories if str(c).strip()}) \
            if categories is not None and where is not None else None
        seg, pts = pgread.read_layers(path, (_SEG_TEXT, _SEG_REAL), (_PT_TEXT, ()), cats)
    else:
        seg = _read_layer(path, "pipe_segment", _SEG_TEXT, _SEG_REAL, where)
        pts = _read_layer(path, "pipe_point", _PT_TEXT, (), where)
    counts = seg["_counts"]
    line = counts >= 2
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    if not line.all():  # a one-point "line" cannot join anything
        keep_v = np.repeat(line, counts)
        seg = {k: (v[line] if k not in ("_xyz", "_counts") else v) for k, v in seg.items()}
        seg["_xyz"] = seg["_xyz"][keep_v]
        counts = counts[line]
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    dn = np.asarray(seg["dn_mm"], dtype=float)
    box = np.asarray(seg["section"], dtype=object) == "box"
    inner = np.where(box, np.asarray(seg["height_mm"], dtype=float), dn) / 1000.0
    segments = SegmentTable(seg["seg_id"], np.char.upper(seg["category"].astype(str)).astype(object), seg["_xyz"],
                            offsets, np.where(box, np.nan, dn), inner, seg["status"], seg["road"],
                            seg["subcategory"])
    xyz = pts["_xyz"]
    first = np.concatenate([[0], np.cumsum(pts["_counts"])[:-1]]).astype(np.int64) if len(pts["_counts"]) \
        else np.zeros(0, dtype=np.int64)
    points = PointTable(pts["point_id"], np.char.upper(pts["category"].astype(str)).astype(object),
                        xyz[first, :2] if len(first) else np.zeros((0, 2)), pts["feature"], pts["appurtenance"],
                        pts["status"], pts["road"])
    return segments, points


# --------------------------------------------------------------------------------------------------------------
# the graph


def snap_points(xy: np.ndarray, tolerance: float) -> tuple[np.ndarray, np.ndarray]:
    """Group points closer than ``tolerance`` (single linkage: a chain of close points is one group).

    :returns: (label of each point (P,), representative xy of each group (N, 2): its first point).
    """
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    p = len(xy)
    if p == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 2))
    order = np.lexsort((xy[:, 1], xy[:, 0]))
    s = xy[order]
    new = np.ones(p, dtype=bool)
    new[1:] = np.any(s[1:] != s[:-1], axis=1)
    uid = np.cumsum(new) - 1
    inv = np.empty(p, dtype=np.int64)
    inv[order] = uid
    uniq = s[new]
    u = len(uniq)
    labels = np.arange(u)
    if tolerance > 0 and u > 1:
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components
        from scipy.spatial import cKDTree

        pairs = cKDTree(uniq).query_pairs(tolerance, output_type="ndarray")
        if len(pairs):
            adj = coo_matrix((np.ones(len(pairs), dtype=np.int8), (pairs[:, 0], pairs[:, 1])), shape=(u, u))
            _, labels = connected_components(adj, directed=False)
    # groups numbered by their first member in input order: deterministic whatever the sort did
    lab = labels[inv]
    first = np.full(labels.max() + 1 if len(labels) else 0, p, dtype=np.int64)
    order_p = np.argsort(lab, kind="stable")
    starts = np.ones(p, dtype=bool)
    starts[1:] = lab[order_p][1:] != lab[order_p][:-1]
    first[lab[order_p][starts]] = order_p[starts]
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    node = rank[lab]
    rep = np.empty((len(first), 2))
    rep[rank] = xy[first]
    return node, rep


@dataclass
class Graph:
    """The network of one category. Edge ``e`` is segment ``seg_ids[e]`` from node ``u[e]`` (its
    first vertex) to node ``v[e]`` (its last)."""

    category: str
    tolerance: float
    seg_ids: np.ndarray  #: (E,) object
    u: np.ndarray  #: (E,) int64
    v: np.ndarray  #: (E,) int64
    length_m: np.ndarray  #: (E,) plan length
    dn_mm: np.ndarray  #: (E,) NaN unknown (and for boxes)
    z_u: np.ndarray  #: (E,) centreline elevation at the start (NaN unknown)
    z_v: np.ndarray  #: (E,) ... at the end
    invert_u: np.ndarray  #: (E,) z_u - inner / 2 (NaN unknown)
    invert_v: np.ndarray
    road: np.ndarray  #: (E,) object
    subcategory: np.ndarray  #: (E,) object ("" unknown)
    vertices: np.ndarray  #: (V, 3) of these segments
    offsets: np.ndarray  #: (E + 1,)
    xy: np.ndarray  #: (N, 2) node positions
    kind: np.ndarray  #: (N,) int8 node type (KIND_NAMES)
    point_id: np.ndarray  #: (N,) object: the point that typed the node ("" none)
    point_feature: np.ndarray  #: (N,) object: that point's feature code
    node_road: np.ndarray  #: (N,) object
    indptr: np.ndarray  #: (N + 1,) node -> incidence rows
    inc_edge: np.ndarray  #: (2E,) edges at each node
    inc_other: np.ndarray  #: (2E,) the edge's other node
    #: points of the category that lie on no node: indices into ``points`` given to :func:`build_graph`
    loose_points: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    points: PointTable | None = None
    _cache: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def n_edges(self) -> int:
        return len(self.u)

    @property
    def n_nodes(self) -> int:
        return len(self.xy)

    @property
    def gravity(self) -> bool:
        return self.category in GRAVITY

    @property
    def degree(self) -> np.ndarray:
        return np.diff(self.indptr)

    def coords(self, e: int) -> np.ndarray:
        """The (k, 3) vertices of edge ``e``."""
        return self.vertices[self.offsets[e]:self.offsets[e + 1]]

    def midpoint(self, e: int) -> tuple[float, float]:
        """The point halfway along edge ``e`` (plan)."""
        c = self.coords(e)[:, :2]
        d = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(c, axis=0).T))])
        if d[-1] <= 0:
            return float(c[0, 0]), float(c[0, 1])
        x = np.interp(d[-1] / 2, d, c[:, 0])
        y = np.interp(d[-1] / 2, d, c[:, 1])
        return float(x), float(y)

    def edges_at(self, node: int) -> np.ndarray:
        return self.inc_edge[self.indptr[node]:self.indptr[node + 1]]

    # -- lookups ------------------------------------------------------------------------------------------

    def edge_of(self, seg_id: str) -> int | None:
        """The edge of a segment id (None when it is not in this graph)."""
        index = self._cache.get("edge_index")
        if index is None:
            index = {str(s): i for i, s in enumerate(self.seg_ids.tolist())}
            self._cache["edge_index"] = index
        return index.get(str(seg_id))

    def node_of(self, point_id: str) -> int | None:
        """The node a point id types (None when no node carries it)."""
        index = self._cache.get("node_index")
        if index is None:
            index = {}
            if self.points is not None and len(self.points):
                on = np.flatnonzero(self._point_node >= 0)
                index = {str(self.points.ids[i]): int(self._point_node[i]) for i in on}
            self._cache["node_index"] = index
        return index.get(str(point_id).strip())

    @property
    def _point_node(self) -> np.ndarray:
        return self._cache.get("point_node", np.zeros(0, dtype=np.int64))

    def nodes_of(self, point_ids: Iterable[str]) -> tuple[np.ndarray, list[str]]:
        """Nodes of several point ids, and the ids that are on no node of this graph."""
        nodes, missing = [], []
        for pid in point_ids:
            pid = str(pid).strip()
            if not pid:
                continue
            n = self.node_of(pid)
            if n is None:
                missing.append(pid)
            else:
                nodes.append(n)
        return np.asarray(sorted(set(nodes)), dtype=np.int64), missing

    def locator(self) -> Any:
        """A shapely STRtree over the edges (built on first use, then kept)."""
        tree = self._cache.get("tree")
        if tree is None:
            import shapely

            counts = np.diff(self.offsets)
            lines = shapely.linestrings(self.vertices[:, :2], indices=np.repeat(np.arange(self.n_edges), counts))
            tree = shapely.STRtree(lines)
            self._cache["lines"] = lines
            self._cache["tree"] = tree
        return tree

    def nearest_edge(self, x: float, y: float, max_distance: float | None = None) -> tuple[int, float, float] | None:
        """The edge nearest to (x, y): (edge, distance in m, fraction along it from its start), or None
        when the graph is empty or no edge lies within ``max_distance``."""
        import shapely

        if self.n_edges == 0:
            return None
        tree = self.locator()
        pt = shapely.points(float(x), float(y))
        kwargs = {"max_distance": float(max_distance)} if max_distance is not None and max_distance > 0 else {}
        idx, dist = tree.query_nearest(pt, return_distance=True, all_matches=True, **kwargs)
        if len(idx) == 0:
            return None
        e = int(np.min(idx))  # ties (a node shared by several edges): the lowest edge index, deterministic
        line = self._cache["lines"][e]
        frac = float(shapely.line_locate_point(line, pt, normalized=True)) if self.length_m[e] > 0 else 0.0
        return e, float(dist[0]), frac

    def point_along(self, e: int, fraction: float) -> tuple[float, float]:
        c = self.coords(e)[:, :2]
        d = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(c, axis=0).T))])
        t = float(np.clip(fraction, 0, 1)) * d[-1]
        return float(np.interp(t, d, c[:, 0])), float(np.interp(t, d, c[:, 1]))

    # -- flow -------------------------------------------------------------------------------------------

    def flow(self, closed: np.ndarray | None = None) -> tuple[np.ndarray, str]:
        """Flow direction per edge (+1 start -> end, -1 end -> start, 0 unknown) and what it rests on
        (``inverts``, ``sources`` or ``surveyed``).

        :param closed: nodes of closed valves (pressure networks: no flow passes them).
        """
        key = ("flow", tuple(np.asarray(closed if closed is not None else [], dtype=np.int64).tolist()))
        hit = self._cache.get(str(key))
        if hit is not None:
            return hit
        if self.gravity:
            dz = self.z_u - self.z_v
            out = np.ones(self.n_edges, dtype=np.int8)
            with np.errstate(invalid="ignore"):
                out[dz < -1e-3] = -1
            basis = "inverts"
        else:
            sources = np.flatnonzero(self.kind == SOURCE)
            if closed is not None and len(closed):
                sources = np.setdiff1d(sources, closed)
            if len(sources) == 0:
                out, basis = np.ones(self.n_edges, dtype=np.int8), "surveyed"
            else:
                dist = self.source_distance(sources, closed)
                out = np.zeros(self.n_edges, dtype=np.int8)
                du, dv = dist[self.u], dist[self.v]
                out[du < dv] = 1
                out[dv < du] = -1
                basis = "sources"
        self._cache[str(key)] = (out, basis)
        return out, basis

    def source_distance(self, sources: np.ndarray, closed: np.ndarray | None = None) -> np.ndarray:
        """Network distance (m) from the nearest of ``sources`` to every node (inf: unreachable); flow
        does not pass ``closed`` nodes."""
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import dijkstra

        n = self.n_nodes
        a = np.concatenate([self.u, self.v])
        b = np.concatenate([self.v, self.u])
        w = np.concatenate([self.length_m, self.length_m]) + 1e-9  # a zero weight must stay an edge
        if closed is not None and len(closed):
            blocked = np.zeros(n, dtype=bool)
            blocked[closed] = True
            keep = ~blocked[a]
            a, b, w = a[keep], b[keep], w[keep]
        m = csr_matrix((w, (a, b)), shape=(n, n))
        return dijkstra(m, directed=True, indices=np.asarray(sources, dtype=np.int64), min_only=True)


def build_graph(category: str, segments: SegmentTable, points: PointTable | None = None, tolerance: float = 0.01,
                in_service_only: bool = True) -> Graph:
    """The graph of one category from the map's segments and points (see the module text).

    :param tolerance: segment ends closer than this (m, in plan) are one node; a point within it of a
        node types that node.
    :raises InputError: a negative or absurd tolerance.
    """
    if not (0 <= tolerance <= 10):
        raise InputError("The snapping tolerance must lie between 0 and 10 m, not {value}.",
                         code="network.tolerance", value=tolerance)
    cat = str(category).upper()
    sel = np.asarray(segments.category, dtype=object) == cat
    if in_service_only:
        st = np.asarray(segments.status, dtype=object)
        sel &= (st != "1") & (st != "2")
    idx = np.flatnonzero(sel)
    counts = np.diff(segments.offsets)[idx]
    starts = segments.offsets[idx]
    vidx = np.repeat(starts - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts) + np.arange(counts.sum())
    vertices = segments.vertices[vidx] if len(idx) else np.zeros((0, 3))
    offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    e = len(idx)
    first = offsets[:-1]
    last = offsets[1:] - 1
    ends = np.concatenate([vertices[first, :2], vertices[last, :2]]) if e else np.zeros((0, 2))
    node_of_end, xy = snap_points(ends, tolerance)
    u, v = node_of_end[:e], node_of_end[e:]
    step = np.hypot(*np.diff(vertices[:, :2], axis=0).T) if len(vertices) > 1 else np.zeros(0)
    cs = np.concatenate([[0.0], np.cumsum(step)])
    length = cs[last] - cs[first] if e else np.zeros(0)
    z_u = vertices[first, 2] if e else np.zeros(0)
    z_v = vertices[last, 2] if e else np.zeros(0)
    inner = np.asarray(segments.inner_m, dtype=float)[idx]
    half = np.where(np.isfinite(inner), inner / 2, np.nan)
    n = len(xy)
    ends_all = np.concatenate([u, v])
    order = np.argsort(ends_all, kind="stable")
    inc_edge = np.concatenate([np.arange(e), np.arange(e)])[order]
    inc_other = np.concatenate([v, u])[order]
    indptr = np.concatenate([[0], np.cumsum(np.bincount(ends_all, minlength=n))]).astype(np.int64)
    kind = np.zeros(n, dtype=np.int8)
    point_id = np.full(n, "", dtype=object)
    feature = np.full(n, "", dtype=object)
    node_road = np.full(n, "", dtype=object)
    loose = np.zeros(0, dtype=np.int64)
    point_node = np.zeros(0, dtype=np.int64)
    if points is not None and len(points):
        point_node = np.full(len(points), -1, dtype=np.int64)
        pc = np.asarray(points.category, dtype=object) == cat
        ps = np.asarray(points.status, dtype=object)
        usable = np.flatnonzero(pc & (ps != "1")) if in_service_only else np.flatnonzero(pc)
        if len(usable) and n:
            from scipy.spatial import cKDTree

            dist, near = cKDTree(xy).query(points.xy[usable], distance_upper_bound=max(tolerance, 1e-9))
            on = np.isfinite(dist)
            point_node[usable[on]] = near[on]
            loose = usable[~on]
            hit = usable[on]
            nodes = near[on]
            kinds = np.array([point_kind(f, a, cat) for f, a in zip(points.feature[hit], points.appurtenance[hit])],
                             dtype=np.int8)
            # the highest-priority point of each node types it
            o = np.lexsort((_PRIORITY[kinds], nodes))
            lastof = np.ones(len(o), dtype=bool)
            lastof[:-1] = nodes[o][1:] != nodes[o][:-1]
            pick = o[lastof]
            kind[nodes[pick]] = kinds[pick]
            point_id[nodes[pick]] = points.ids[hit[pick]]
            feature[nodes[pick]] = points.feature[hit[pick]]
            node_road[nodes[pick]] = points.road[hit[pick]]
        else:
            loose = usable
    graph = Graph(cat, float(tolerance), np.asarray(segments.ids, dtype=object)[idx], u, v, length,
                  np.asarray(segments.dn_mm, dtype=float)[idx], z_u, z_v, z_u - half, z_v - half,
                  np.asarray(segments.road, dtype=object)[idx], np.asarray(segments.subcategory, dtype=object)[idx],
                  vertices, offsets, xy, kind, point_id, feature,
                  node_road, indptr, inc_edge, inc_other, loose, points)
    graph._cache["point_node"] = point_node
    return graph


def build_graphs(segments: SegmentTable, points: PointTable | None = None, categories: Iterable[str] | None = None,
                 tolerance: float = 0.01, in_service_only: bool = True,
                 progress: Progress | None = None) -> dict[str, Graph]:
    """A graph per category (the categories given, else every category with segments), in code order."""
    progress = progress or NullProgress()
    present = sorted({str(c) for c in np.unique(np.asarray(segments.category, dtype=object).astype(str))} - {""})
    cats = present if categories is None else sorted({str(c).strip().upper() for c in categories} - {""})
    out: dict[str, Graph] = {}
    for i, c in enumerate(cats):
        check_cancel(progress)
        out[c] = build_graph(c, segments, points, tolerance, in_service_only)
        progress.report((i + 1) / max(1, len(cats)))
    return out


def load_graphs(path: Any, categories: Iterable[str] | None = None, tolerance: float = 0.01,
                in_service_only: bool = True, progress: Progress | None = None) -> dict[str, Graph]:
    """Read a map (a GeoPackage, or a PostGIS map: see :func:`read_map`) and build the graph of each
    category (or of the ones given)."""
    cats = None if categories is None else [c for c in categories if str(c).strip()]
    segments, points = read_map(path, cats or None)
    return build_graphs(segments, points, cats or None, tolerance, in_service_only, progress)
