"""Topology and data-quality findings of the network graphs (``pipemap:topologycheck``).

Reasons (stable codes) and their severity:

``disconnected_part`` (warning)
    a connected part of a category's network other than its largest (by length); one finding per part.
``dangling_end`` (warning; error when the point there is a tee, cross or multi-way joint)
    a segment end joined to nothing that no point marks as an end (stub, cap, inlet, outlet, hydrant,
    meter, manhole, valve, source...). An end that lies on another segment is reported as
    ``end_on_segment`` instead.
``same_ends`` (error)
    a segment that starts and ends at the same node (zero length or a closed ring).
``duplicate_segment`` (error)
    two segments between the same two nodes whose lines lie within ``max(10 x tolerance, 0.1 m)`` of
    each other everywhere (Hausdorff distance), in either direction.
``crossing_without_node`` (error; warning when a depth is unknown)
    two segments of one category and sub-category (an empty sub-category matches any) that cross in
    plan away from their ends, at the same depth: the centrelines at the crossing are less than the
    sum of their inner radii + ``z_tolerance`` apart. Lines of different sub-categories (power supply
    and street lighting, say) are separate systems and may cross.
``end_on_segment`` (error; warning when a depth is unknown)
    a segment end that lies on another segment of the category (within the tolerance) away from its
    ends, at the same depth (as above): a tee the survey did not split.
``overlapping_segments`` (error)
    two segments that share a stretch of line (not only points) and are not duplicates.
``reversed_slope`` (warning)
    a gravity drain whose start (upstream as surveyed: CJJ 61 records drains in flow direction) lies
    more than 1 mm lower than its end.
``diameter_decrease`` (warning)
    a gravity drain that flows on into a smaller pipe: its downstream node feeds a segment whose
    DN is smaller than that of the largest segment flowing into the node (circular sections with a
    DN only; flow from :meth:`~.graph.Graph.flow`).
``valve_not_on_line`` (error)
    a valve point farther than the tolerance from every segment of its category.
``valve_not_at_node`` (warning)
    a valve point on a segment but not at one of its ends: isolation cannot use it until the segment
    is split there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import numpy as np

from ..progress import NullProgress, Progress, check_cancel
from .graph import JOIN_FEATURES, JUNCTION, VALVE, Graph, point_kind

#: every reason, in a stable order (output and documentation)
REASONS: tuple[str, ...] = ("disconnected_part", "dangling_end", "same_ends", "duplicate_segment",
                            "crossing_without_node", "end_on_segment", "overlapping_segments", "reversed_slope",
                            "diameter_decrease", "valve_not_on_line", "valve_not_at_node")
#: output columns of a finding
FIELDS: tuple[str, ...] = ("reason", "severity", "category", "seg_id", "other_id", "point_id", "value", "message",
                           "x", "y")
SLOPE_TOLERANCE_M = 1e-3


@dataclass
class TopologyFindings:
    rows: list[dict[str, Any]] = field(default_factory=list)

    def add(self, reason: str, severity: str, category: str, x: float, y: float, message: str, seg_id: str = "",
            other_id: str = "", point_id: str = "", value: float = float("nan")) -> None:
        self.rows.append({"reason": reason, "severity": severity, "category": category, "seg_id": seg_id,
                          "other_id": other_id, "point_id": point_id, "value": float(value), "message": message,
                          "x": float(x), "y": float(y)})

    def __len__(self) -> int:
        return len(self.rows)

    def records(self) -> list[dict[str, Any]]:
        return list(self.rows)

    def counts(self) -> dict[str, int]:
        out = {r: 0 for r in REASONS}
        for row in self.rows:
            out[row["reason"]] += 1
        return out

    def by_severity(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0}
        for row in self.rows:
            out[row["severity"]] = out.get(row["severity"], 0) + 1
        return out

    def of(self, reason: str) -> list[dict[str, Any]]:
        return [r for r in self.rows if r["reason"] == reason]


def check_topology(graphs: Mapping[str, Graph] | Iterable[Graph], z_tolerance: float = 0.1,
                   progress: Progress | None = None) -> TopologyFindings:
    """Every finding of every graph, category by category (see the module text).

    :param z_tolerance: m added to the pipes' radii when deciding whether a crossing is at the same depth.
    """
    progress = progress or NullProgress()
    items = list(graphs.values()) if isinstance(graphs, Mapping) else list(graphs)
    out = TopologyFindings()
    steps = (_parts, _same_ends, _duplicates, _crossings, _dangling, _slopes, _diameters, _valves)
    for i, g in enumerate(items):
        cache: dict[str, Any] = {}
        for j, step in enumerate(steps):
            check_cancel(progress)
            step(g, out, cache, z_tolerance)
            progress.report((i + (j + 1) / len(steps)) / max(1, len(items)))
    return out


def _xy(g: Graph, node: int) -> tuple[float, float]:
    return float(g.xy[node, 0]), float(g.xy[node, 1])


def _parts(g: Graph, out: TopologyFindings, cache: dict[str, Any], _zt: float) -> None:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    if g.n_edges == 0:
        return
    n = g.n_nodes
    m = coo_matrix((np.ones(g.n_edges, dtype=np.int8), (g.u, g.v)), shape=(n, n))
    count, labels = connected_components(m, directed=False)
    if count <= 1:
        return
    part = labels[g.u]
    length = np.bincount(part, weights=g.length_m, minlength=count)
    segs = np.bincount(part, minlength=count)
    main = int(np.argmax(length))
    first = np.full(count, g.n_edges, dtype=np.int64)
    order = np.argsort(part, kind="stable")
    head = np.ones(len(order), dtype=bool)
    head[1:] = part[order][1:] != part[order][:-1]
    first[part[order][head]] = order[head]
    for p in np.argsort(first).tolist():
        if p == main or first[p] >= g.n_edges:
            continue
        e = int(first[p])
        x, y = g.midpoint(e)
        out.add("disconnected_part", "warning", g.category, x, y,
                f"{segs[p]} {g.category} segment(s), {length[p]:.1f} m, not connected to the main network "
                f"({segs[main]} segments, {length[main]:.1f} m)", seg_id=str(g.seg_ids[e]), value=float(segs[p]))


def _same_ends(g: Graph, out: TopologyFindings, cache: dict[str, Any], _zt: float) -> None:
    for e in np.flatnonzero(g.u == g.v).tolist():
        x, y = _xy(g, int(g.u[e]))
        out.add("same_ends", "error", g.category, x, y,
                f"segment {g.seg_ids[e]} starts and ends at the same node ({g.length_m[e]:.2f} m long)",
                seg_id=str(g.seg_ids[e]), value=float(g.length_m[e]))


def _lines(g: Graph, cache: dict[str, Any]) -> np.ndarray:
    g.locator()
    return g._cache["lines"]


def _duplicates(g: Graph, out: TopologyFindings, cache: dict[str, Any], _zt: float) -> None:
    import shapely

    a, b = np.minimum(g.u, g.v), np.maximum(g.u, g.v)
    ok = a != b
    key = a.astype(np.int64) * max(g.n_nodes, 1) + b
    idx = np.flatnonzero(ok)
    order = idx[np.argsort(key[idx], kind="stable")]
    ks = key[order]
    same = np.flatnonzero(ks[1:] == ks[:-1])
    if len(same) == 0:
        cache["duplicates"] = set()
        return
    lines = _lines(g, cache)
    limit = max(10 * g.tolerance, 0.1)
    found: set[tuple[int, int]] = set()
    groups: dict[int, list[int]] = {}
    for s in same.tolist():
        groups.setdefault(int(ks[s]), [int(order[s])])
        groups[int(ks[s])].append(int(order[s + 1]))
    for members in groups.values():
        members = sorted(set(members))
        for i, e in enumerate(members):
            for f in members[i + 1:]:
                d = float(shapely.hausdorff_distance(lines[e], lines[f]))
                if d <= limit:
                    found.add((e, f))
                    x, y = g.midpoint(e)
                    out.add("duplicate_segment", "error", g.category, x, y,
                            f"segments {g.seg_ids[e]} and {g.seg_ids[f]} join the same two nodes along the same "
                            f"line (within {d:.3f} m)", seg_id=str(g.seg_ids[e]), other_id=str(g.seg_ids[f]),
                            value=d)
    cache["duplicates"] = found


def _z_at(g: Graph, e: int, x: float, y: float) -> float:
    """Centreline z of edge ``e`` at the point of it nearest to (x, y)."""
    c = g.coords(e)
    d = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(c[:, :2], axis=0).T))])
    if d[-1] <= 0:
        return float(c[0, 2])
    seg = c[1:, :2] - c[:-1, :2]
    rel = np.array([x, y]) - c[:-1, :2]
    ll = np.einsum("ij,ij->i", seg, seg)
    t = np.clip(np.where(ll > 0, np.einsum("ij,ij->i", rel, seg) / np.where(ll > 0, ll, 1), 0), 0, 1)
    foot = c[:-1, :2] + seg * t[:, None]
    k = int(np.argmin(np.hypot(*(foot - [x, y]).T)))
    return float(np.interp(d[k] + t[k] * (d[k + 1] - d[k]), d, c[:, 2]))


def _crossings(g: Graph, out: TopologyFindings, cache: dict[str, Any], z_tol: float) -> None:
    import shapely

    if g.n_edges < 2:
        cache["end_on"] = set()
        return
    lines = _lines(g, cache)
    tree = g.locator()
    tol = max(g.tolerance, 1e-9)
    pairs = tree.query(lines, predicate="dwithin", distance=tol) if tol > 0 else tree.query(lines,
                                                                                           predicate="intersects")
    i, j = pairs
    keep = i < j
    i, j = i[keep], j[keep]
    # pairs joined at a node are fine (they may still touch elsewhere: rare and not looked for)
    shared = (g.u[i] == g.u[j]) | (g.u[i] == g.v[j]) | (g.v[i] == g.u[j]) | (g.v[i] == g.v[j])
    i, j = i[~shared], j[~shared]
    sa, sb = g.subcategory[i], g.subcategory[j]
    same_system = (sa == sb) | (sa == "") | (sb == "")
    i, j = i[same_system], j[same_system]
    dups = cache.get("duplicates", set())
    end_nodes: set[int] = set()
    half = np.where(np.isfinite(g.dn_mm), g.dn_mm / 2000.0, 0.0)
    for a, b in zip(i.tolist(), j.tolist()):
        if (a, b) in dups:
            continue
        la, lb = lines[a], lines[b]
        inter = shapely.intersection(la, lb)
        if not inter.is_empty and shapely.get_type_id(inter) in (1, 5) and inter.length > tol:
            x, y = shapely.get_coordinates(shapely.point_on_surface(inter))[0]
            out.add("overlapping_segments", "error", g.category, x, y,
                    f"segments {g.seg_ids[a]} and {g.seg_ids[b]} share {inter.length:.2f} m of line",
                    seg_id=str(g.seg_ids[a]), other_id=str(g.seg_ids[b]), value=float(inter.length))
            continue
        # where they meet: an end of one on the other, else the crossing point
        ends = [(a, int(g.u[a]), lb), (a, int(g.v[a]), lb), (b, int(g.u[b]), la), (b, int(g.v[b]), la)]
        touching = [(s, nd) for s, nd, other in ends
                    if shapely.distance(shapely.points(*g.xy[nd]), other) <= tol]
        if touching:
            s, nd = touching[0]
            x, y = _xy(g, nd)
            reason = "end_on_segment"
        elif not inter.is_empty:
            x, y = shapely.get_coordinates(inter)[0]
            reason = "crossing_without_node"
        else:
            continue
        za, zb = _z_at(g, a, x, y), _z_at(g, b, x, y)
        dz = abs(za - zb)
        limit = half[a] + half[b] + z_tol
        if np.isfinite(dz) and dz > limit:
            continue  # one passes above the other
        severity = "error" if np.isfinite(dz) else "warning"
        depth = f"{dz:.2f} m apart in depth" if np.isfinite(dz) else "depth unknown"
        if reason == "end_on_segment":
            other = b if s == a else a
            end_nodes.add(nd)
            msg = (f"the end of {g.seg_ids[s]} lies on {g.seg_ids[other]} without a node there ({depth}): "
                   f"split {g.seg_ids[other]} or move the end")
            out.add(reason, severity, g.category, x, y, msg, seg_id=str(g.seg_ids[s]), other_id=str(g.seg_ids[other]),
                    point_id=str(g.point_id[nd]), value=dz)
        else:
            msg = (f"{g.seg_ids[a]} and {g.seg_ids[b]} cross without a node ({depth}, limit {limit:.2f} m): "
                   f"they should be joined there")
            out.add(reason, severity, g.category, x, y, msg, seg_id=str(g.seg_ids[a]), other_id=str(g.seg_ids[b]),
                    value=dz)
    cache["end_on"] = end_nodes


def _dangling(g: Graph, out: TopologyFindings, cache: dict[str, Any], _zt: float) -> None:
    deg = g.degree
    end_on = cache.get("end_on", set())
    for nd in np.flatnonzero((deg == 1) & (g.kind == JUNCTION)).tolist():
        if nd in end_on:
            continue
        e = int(g.edges_at(nd)[0])
        feat = str(g.point_feature[nd])
        join = feat in JOIN_FEATURES
        x, y = _xy(g, nd)
        what = f"point {g.point_id[nd]} ({feat})" if g.point_id[nd] else "no point"
        msg = (f"segment {g.seg_ids[e]} ends here joined to nothing ({what})"
               + ("; the point says lines join here" if join else "; mark the end (stub, cap...) or join it"))
        out.add("dangling_end", "error" if join else "warning", g.category, x, y, msg, seg_id=str(g.seg_ids[e]),
                point_id=str(g.point_id[nd]))


def _slopes(g: Graph, out: TopologyFindings, cache: dict[str, Any], _zt: float) -> None:
    if not g.gravity:
        return
    a = np.where(np.isfinite(g.invert_u), g.invert_u, g.z_u)
    b = np.where(np.isfinite(g.invert_v), g.invert_v, g.z_v)
    with np.errstate(invalid="ignore"):
        bad = np.flatnonzero(a < b - SLOPE_TOLERANCE_M)
    what = np.where(np.isfinite(g.invert_u) & np.isfinite(g.invert_v), "invert", "centreline")
    for e in bad.tolist():
        x, y = g.midpoint(e)
        rise = float(b[e] - a[e])
        out.add("reversed_slope", "warning", g.category, x, y,
                f"drain {g.seg_ids[e]} rises {rise:.3f} m in its surveyed flow direction ({what[e]} {a[e]:.3f} m at "
                f"the start, {b[e]:.3f} m at the end)", seg_id=str(g.seg_ids[e]), value=rise)


def _diameters(g: Graph, out: TopologyFindings, cache: dict[str, Any], _zt: float) -> None:
    if not g.gravity or g.n_edges == 0:
        return
    flow, _ = g.flow()
    tail = np.where(flow >= 0, g.u, g.v)
    head = np.where(flow >= 0, g.v, g.u)
    dn = g.dn_mm
    have = np.flatnonzero(np.isfinite(dn))
    if len(have) == 0:
        return
    # the largest pipe flowing into each node
    o = have[np.lexsort((dn[have], head[have]))]
    last = np.ones(len(o), dtype=bool)
    last[:-1] = head[o][1:] != head[o][:-1]
    biggest = np.full(g.n_nodes, -1, dtype=np.int64)
    biggest[head[o][last]] = o[last]
    for e in have.tolist():
        up = int(biggest[tail[e]])
        if up < 0 or up == e or not (dn[e] < dn[up] - 0.5):
            continue
        x, y = _xy(g, int(tail[e]))
        out.add("diameter_decrease", "warning", g.category, x, y,
                f"drain {g.seg_ids[up]} (DN{dn[up]:.0f}) flows on into the smaller {g.seg_ids[e]} (DN{dn[e]:.0f})",
                seg_id=str(g.seg_ids[e]), other_id=str(g.seg_ids[up]), point_id=str(g.point_id[tail[e]]),
                value=float(dn[up] - dn[e]))


def _valves(g: Graph, out: TopologyFindings, cache: dict[str, Any], _zt: float) -> None:
    import shapely

    pts = g.points
    if pts is None or len(g.loose_points) == 0:
        return
    loose = g.loose_points
    kinds = np.array([point_kind(f, a, g.category) for f, a in zip(pts.feature[loose], pts.appurtenance[loose])])
    valves = loose[kinds == VALVE]
    if len(valves) == 0:
        return
    tree = g.locator() if g.n_edges else None
    for p in valves.tolist():
        x, y = float(pts.xy[p, 0]), float(pts.xy[p, 1])
        pid = str(pts.ids[p])
        if tree is not None:
            idx, dist = tree.query_nearest(shapely.points(x, y), return_distance=True)
            e, d = int(idx[0]), float(dist[0])
        else:
            e, d = -1, float("inf")
        if e >= 0 and d <= g.tolerance:
            out.add("valve_not_at_node", "warning", g.category, x, y,
                    f"valve {pid} lies on segment {g.seg_ids[e]} but not at one of its ends: split the segment there",
                    seg_id=str(g.seg_ids[e]), point_id=pid, value=d)
        else:
            near = f"; nearest segment {g.seg_ids[e]} at {d:.2f} m" if e >= 0 else ""
            out.add("valve_not_on_line", "error", g.category, x, y,
                    f"valve {pid} lies on no {g.category} segment{near}", seg_id=str(g.seg_ids[e]) if e >= 0 else "",
                    point_id=pid, value=d if np.isfinite(d) else float("nan"))
