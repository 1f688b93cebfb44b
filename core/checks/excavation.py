"""Pipes affected by a planned excavation (DESIGN.md section 5).

With safety distance s, a pipe is affected by an excavation polygon when
some centreline point p lies within plan distance s + r_h of the polygon and
z(p) + r_v >= bottom_z - s, where bottom_z is given per polygon or is
ground(p) - depth.

Per point: plan margin m_p = d(p) - (s + r_h), d the plan distance to the
polygon (negative inside it: minus the distance to its outline), and depth
margin m_d = (bottom_z - s) - (z(p) + r_v) (positive = safe); u_h = plan u,
u_v = depth u of the pipe (CJJ 61 default 0.10 h / 0.15 h). The point is
FAIL (affected) when m_p < -max(u_h, 1 mm) and m_d < -max(u_v, 1 mm); PASS
when m_p >= u_h or m_d >= u_v; otherwise UNCERTAIN. A (pipe, polygon) pair
takes the governing verdict of its points (FAIL, UNCERTAIN, UNKNOWN, PASS).

Points examined: the pipe's vertices and every ``step_m`` inside the
polygon grown by s + r_h + u_h, the exact points where the centreline
crosses the outlines at s + r_h - u_h, s + r_h and s + r_h + u_h (buffers
with 32 segments per quarter circle), and its point closest to the polygon.
With a given bottom_z this is exact (z is linear between vertices, so its
largest value inside an outline is at a vertex or on the outline); with a
depth, the ground is sampled at those points.

Output: ``exc_id``, ``pipe_id``, ``category``, ``owner``, ``depth_m`` (cover
at the pipe's closest point to the polygon; inside it, the shallowest
cover), the closest point's ``x``, ``y``, verdict and margins.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from ..errors import InputError, PipeMapError
from ..progress import NullProgress, Progress, check_cancel
from . import geometry as geo
from .clash import UNKNOWN_RADIUS_SEARCH_M, UNKNOWN_U_SEARCH_M
from .cover import prepare_polygons
from .pipes import Ground, Pipes
from .rules import QualityLevel, load_quality_levels
from .verdict import (
    ADVICE,
    CONFLICT_TOL_M,
    GOVERNING_RANK,
    V_FAIL,
    V_PASS,
    V_UNCERTAIN,
    V_UNKNOWN,
    VERDICTS,
    FindingTable,
)

QUAD_SEGS = 32  #: buffer arcs: error below 0.05 % of the radius


@dataclass
class ExcavationFindings(FindingTable):
    FIELDS = ("exc_id", "pipe_id", "category", "owner", "depth_m", "x", "y", "plan_margin_m", "depth_margin_m",
              "u_plan_m", "u_depth_m", "verdict", "severity", "reason", "advice", "bottom_z", "z")

    exc_id: np.ndarray
    pipe_id: np.ndarray
    exc_index: np.ndarray
    pipe_index: np.ndarray
    category: np.ndarray
    owner: np.ndarray
    depth_m: np.ndarray  #: cover at the closest point
    x: np.ndarray
    y: np.ndarray
    plan_margin_m: np.ndarray  #: at the governing point
    depth_margin_m: np.ndarray
    u_plan_m: np.ndarray
    u_depth_m: np.ndarray
    verdict: np.ndarray
    severity: np.ndarray
    reason: np.ndarray
    advice: np.ndarray
    bottom_z: np.ndarray  #: excavation bottom at the governing point
    z: np.ndarray  #: pipe centreline elevation at the governing point
    counts: dict[str, int] = field(default_factory=dict)
    messages: list[PipeMapError] = field(default_factory=list)


def _per_polygon(value: float | Sequence[float] | np.ndarray | None, n: int, name: str) -> np.ndarray | None:
    if value is None:
        return None
    arr = np.asarray(value, dtype=float)
    if arr.ndim == 0:
        return np.full(n, float(arr))
    if len(arr) != n:
        raise InputError("{name} has {got} values for {n} excavations.", code="check.length", name=name,
                         got=len(arr), n=n)
    return arr


def check_excavation(pipes: Pipes, polygons: Sequence[Any], *, safety_m: float,
                     bottom_z: float | Sequence[float] | None = None, depth_m: float | Sequence[float] | None = None,
                     exc_ids: Sequence[Any] | None = None, ground: Ground | None = None,
                     quality: dict[str, QualityLevel] | None = None, step_m: float = 1.0,
                     include_pass: bool = False, progress: Progress | None = None) -> ExcavationFindings:
    """Pipes that an excavation (polygon, bottom) would reach within the safety distance.

    :param bottom_z: bottom elevation per polygon (or one for all); NaN where not given.
    :param depth_m: depth below ground per polygon, used where ``bottom_z`` is not given (needs ``ground``).
    :param ground: ground surface (for depth-defined bottoms, ``depth_m`` and the uncertainty h).
    """
    import shapely

    progress = progress or NullProgress()
    if not (np.isfinite(safety_m) and safety_m >= 0):
        raise InputError("The safety distance must be 0 m or more (got {s}).", code="check.safety", s=safety_m)
    if not step_m > 0:
        raise InputError("The sampling step must be more than 0 m (got {step}).", code="check.step", step=step_m)
    n_poly = len(polygons)
    ids = np.array([str(i) for i in (exc_ids if exc_ids is not None else range(1, n_poly + 1))], dtype=object)
    bz = _per_polygon(bottom_z, n_poly, "bottom_z")
    dp = _per_polygon(depth_m, n_poly, "depth_m")
    if bz is None and dp is None:
        raise InputError("Give the excavation bottom as an elevation or as a depth below ground.",
                         code="check.no_bottom")
    bz = bz if bz is not None else np.full(n_poly, np.nan)
    dp = dp if dp is not None else np.full(n_poly, np.nan)
    need_ground = ~np.isfinite(bz) & np.isfinite(dp)
    if need_ground.any() and ground is None:
        raise InputError("The excavations {ids} are given by depth: a ground surface (DEM, point cloud or points) "
                         "is needed.", code="check.depth_needs_ground", ids=", ".join(ids[need_ground][:5]))
    messages = pipes.problems(())
    no_bottom = ~np.isfinite(bz) & ~np.isfinite(dp)
    if no_bottom.any():
        messages.append(InputError("The excavations {ids} have neither a bottom elevation nor a depth: their "
                                   "depth figures are UNKNOWN.", code="check.exc_no_bottom",
                                   ids=", ".join(ids[no_bottom][:5])))
    geoms, msgs = prepare_polygons(polygons, ids)
    messages += msgs
    up, ud, qmsgs = pipes.uncertainty(ground, quality if quality is not None else load_quality_levels())
    messages += qmsgs
    usable = pipes.usable()
    rh = pipes.radius_h_m
    rh_s = np.where(np.isfinite(rh), rh, UNKNOWN_RADIUS_SEARCH_M)
    up_s = np.where(np.isfinite(up), up, UNKNOWN_U_SEARCH_M)
    empty = _empty(pipes)
    if not n_poly or not usable.any():
        empty.messages = messages
        return empty

    # candidate (polygon, pipe) pairs
    sel = np.flatnonzero(usable)
    lines = shapely.linestrings(pipes.vertices[_vertex_index(pipes, sel), :2],
                                indices=np.repeat(np.arange(len(sel)), np.diff(pipes.offsets)[sel]))
    tree = shapely.STRtree(lines)
    reach = safety_m + float(np.max(rh_s[sel] + up_s[sel]))
    kpoly, kline = tree.query(geoms, predicate="dwithin", distance=reach)
    kpipe = sel[kline]
    inner_r = safety_m + rh_s[kpipe]
    outer_r = inner_r + up_s[kpipe]
    close = shapely.distance(geoms[kpoly], lines[kline]) <= outer_r
    kpoly, kline, kpipe, inner_r, outer_r = (a[close] for a in (kpoly, kline, kpipe, inner_r, outer_r))
    progress.report(0.3)
    check_cancel(progress)
    npair = len(kpoly)
    if not npair:
        empty.messages = messages
        empty.counts = {"pairs": 0}
        return empty

    inner = shapely.buffer(geoms[kpoly], inner_r, quad_segs=QUAD_SEGS)
    outer = shapely.buffer(geoms[kpoly], outer_r, quad_segs=QUAD_SEGS)
    # 1. vertices and regular samples of the candidate pipes, kept where inside the outer outline
    upipes, uinv = np.unique(kpipe, return_inverse=True)
    s_pipe, s_start, s_t = geo.sample_polylines(pipes.vertices, pipes.offsets, step_m, upipes)
    per_pipe = np.bincount(np.searchsorted(upipes, s_pipe), minlength=len(upipes))
    s_first = np.concatenate([[0], np.cumsum(per_pipe)[:-1]])
    rep = np.repeat(np.arange(npair), per_pipe[uinv])
    local = np.arange(len(rep)) - np.repeat(np.cumsum(per_pipe[uinv]) - per_pipe[uinv], per_pipe[uinv])
    sidx = s_first[uinv][rep] + local
    p_start, p_t = s_start[sidx], s_t[sidx]
    p_pair = rep
    # 2. exact crossings of the centreline with the outlines at s + r - u (where positive), s + r and
    # s + r + u, and the centreline's point closest to the polygon
    arc = geo.arc_positions(pipes.vertices, pipes.offsets)
    sure_r = inner_r - np.maximum(np.where(np.isfinite(up[kpipe]), up[kpipe], 0.0), CONFLICT_TOL_M)
    sure = shapely.buffer(geoms[kpoly], sure_r, quad_segs=QUAD_SEGS)  # shrinks the polygon when negative
    closest_pt = shapely.get_point(shapely.shortest_line(lines[kline], geoms[kpoly]), 0)
    for outline in (sure, inner, outer, None):
        if outline is None:
            pts, which = closest_pt, np.arange(npair)
        else:
            cuts = shapely.intersection(lines[kline], shapely.boundary(outline))
            pts, which = shapely.get_parts(shapely.extract_unique_points(cuts), return_index=True)
        if len(pts):
            d = shapely.line_locate_point(lines[kline[which]], pts)
            k, t = geo.locate(pipes.vertices, pipes.offsets, arc, kpipe[which], d)
            p_start = np.concatenate([p_start, k])
            p_t = np.concatenate([p_t, t])
            p_pair = np.concatenate([p_pair, which])
    xyz = geo.interpolate(pipes.vertices, p_start, p_t)
    x, y, z = xyz[:, 0], xyz[:, 1], xyz[:, 2]
    # signed plan distance: negative inside the polygon (minus the distance to its outline)
    pts = shapely.points(x, y)
    dist = shapely.distance(geoms[kpoly[p_pair]], pts)
    inside = dist == 0
    if inside.any():
        dist[inside] = -shapely.distance(shapely.boundary(geoms[kpoly[p_pair[inside]]]), pts[inside])
    inside_outer = dist <= outer_r[p_pair] + 1e-9
    keep = inside_outer
    p_pair, x, y, z, dist = p_pair[keep], x[keep], y[keep], z[keep], dist[keep]
    progress.report(0.7)
    check_cancel(progress)

    pipe = kpipe[p_pair]
    poly = kpoly[p_pair]
    g = np.asarray(ground(x, y), dtype=float) if ground is not None else np.full(len(x), np.nan)
    bottom = np.where(np.isfinite(bz[poly]), bz[poly], g - dp[poly])
    rv = pipes.radius_v_m[pipe]
    m_plan = dist - (safety_m + rh[pipe])
    m_depth = (bottom - safety_m) - (z + rv)
    uh, uv = up[pipe], ud[pipe]
    codes = np.full(len(x), V_UNCERTAIN, dtype=np.int8)
    with np.errstate(invalid="ignore"):
        sure_plan = m_plan < -np.maximum(uh, CONFLICT_TOL_M)
        sure_depth = m_depth < -np.maximum(uv, CONFLICT_TOL_M)
        safe = (m_plan >= uh) | (m_depth >= uv)
    codes[sure_plan & sure_depth] = V_FAIL
    codes[safe] = V_PASS
    reason = np.full(len(x), "", dtype=object)
    unknown_depth = ~np.isfinite(m_depth) | ~np.isfinite(uv)
    unknown_plan = ~np.isfinite(m_plan) | ~np.isfinite(uh)
    # a figure known to be safe in one dimension is PASS whatever the other
    with np.errstate(invalid="ignore"):
        plan_safe = np.isfinite(m_plan) & np.isfinite(uh) & (m_plan >= uh)
        depth_safe = np.isfinite(m_depth) & np.isfinite(uv) & (m_depth >= uv)
    unk = (unknown_depth & ~plan_safe) | (unknown_plan & ~depth_safe)
    for mask, r in ((~np.isfinite(uh) | ~np.isfinite(uv), "no_accuracy"), (~np.isfinite(rh[pipe]) | ~np.isfinite(rv),
                                                                             "no_size"),
                    (~np.isfinite(bottom), "no_ground" if ground is not None else "no_bottom"),
                    (~np.isfinite(z), "no_z")):
        reason[mask & unk] = r
    reason[unk & (reason == "")] = "missing_input"
    codes[unk] = V_UNKNOWN
    codes[~unk & (plan_safe | depth_safe)] = V_PASS

    # per pair: governing point, closest point
    order_pair = np.argsort(p_pair, kind="stable")
    p_pair, x, y, z, dist, codes, reason, m_plan, m_depth, g, bottom, rv, uh, uv = (
        a[order_pair] for a in (p_pair, x, y, z, dist, codes, reason, m_plan, m_depth, g, bottom, rv, uh, uv))
    starts = np.flatnonzero(np.r_[True, p_pair[1:] != p_pair[:-1]])
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(p_pair)]))
    rank = GOVERNING_RANK[codes]
    top = np.maximum.reduceat(rank, starts)
    not_gov = (rank != top[group]).astype(np.int8)
    score = np.where(np.isfinite(m_depth), np.maximum(m_plan, m_depth), np.inf)
    gov = np.lexsort((score, not_gov, group))[starts]
    cover = g - (z + rv)
    cover_f = np.where(np.isfinite(cover), cover, np.inf)
    closest = np.lexsort((cover_f, np.round(dist, 6), group))[starts]
    pair_of = p_pair[starts]
    pcodes = codes[gov]
    keep = np.ones(len(pcodes), dtype=bool) if include_pass else pcodes != V_PASS
    a = pair_of[keep]
    gi, ci = gov[keep], closest[keep]
    pi = kpipe[a]
    out = ExcavationFindings(
        exc_id=ids[kpoly[a]], pipe_id=pipes.ids[pi], exc_index=kpoly[a], pipe_index=pi, category=pipes.category[pi],
        owner=pipes.owner[pi], depth_m=cover[ci], x=x[ci], y=y[ci], plan_margin_m=m_plan[gi],
        depth_margin_m=m_depth[gi], u_plan_m=uh[gi], u_depth_m=uv[gi], verdict=VERDICTS[pcodes[keep]],
        severity=np.where(pcodes[keep] == V_FAIL, "error", "warning").astype(object), reason=reason[gi],
        advice=np.array([ADVICE[int(c)] for c in pcodes[keep]], dtype=object), bottom_z=bottom[gi], z=z[gi])
    out.counts = {"pairs": int(len(pcodes))}
    for code, name in enumerate(VERDICTS):
        out.counts[str(name)] = int(np.sum(pcodes == code))
    out.messages = messages
    progress.report(1.0)
    return out


def _vertex_index(pipes: Pipes, sel: np.ndarray) -> np.ndarray:
    counts = np.diff(pipes.offsets)[sel]
    return np.repeat(pipes.offsets[sel], counts) + (np.arange(counts.sum()) - np.repeat(np.cumsum(counts) - counts,
                                                                                         counts))


def _empty(pipes: Pipes) -> ExcavationFindings:
    e = np.zeros(0)
    o = np.zeros(0, dtype=object)
    i = np.zeros(0, dtype=np.int64)
    return ExcavationFindings(o, o, i, i, o, o, e, e, e, e, e, e, e, o, o, o, o, e, e)
