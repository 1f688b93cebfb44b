"""Vectorised plan geometry of straight segments (numpy only).

Arrays of shape (K, 2) hold plan points; every function works on K
independent segment pairs at once.
"""

from __future__ import annotations

import numpy as np


def _clamp01(v: np.ndarray) -> np.ndarray:
    return np.minimum(np.maximum(v, 0.0), 1.0)


def closest_params(p0: np.ndarray, p1: np.ndarray, q0: np.ndarray, q1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Parameters (s on p, t on q, both in [0, 1]) of the closest points of
    two plan segments; for crossing segments the crossing itself.

    Follows the classic clamped solution of the 2 x 2 normal equations, with
    the degenerate (zero-length) and parallel cases handled; for parallel
    segments one of the closest pairs is returned.
    """
    d1 = p1 - p0
    d2 = q1 - q0
    r = p0 - q0
    a = np.einsum("ij,ij->i", d1, d1)
    e = np.einsum("ij,ij->i", d2, d2)
    f = np.einsum("ij,ij->i", d2, r)
    c = np.einsum("ij,ij->i", d1, r)
    b = np.einsum("ij,ij->i", d1, d2)
    denom = a * e - b * b
    tiny = 1e-18
    a_ok = a > tiny
    e_ok = e > tiny
    with np.errstate(divide="ignore", invalid="ignore"):
        parallel = denom <= 1e-12 * a * e
        s = np.where(parallel, 0.0, _clamp01((b * f - c * e) / denom))
        t = (b * s + f) / e
        t_lo = t < 0.0
        t_hi = t > 1.0
        s = np.where(t_lo, _clamp01(-c / a), np.where(t_hi, _clamp01((b - c) / a), s))
        t = _clamp01(t)
        # degenerate segments
        s = np.where(~a_ok, 0.0, s)
        t = np.where(~a_ok, np.where(e_ok, _clamp01(f / e), 0.0), t)
        s = np.where(a_ok & ~e_ok, _clamp01(-c / a), s)
        t = np.where(a_ok & ~e_ok, 0.0, t)
    s = np.nan_to_num(s)
    t = np.nan_to_num(t)
    return s, t


def point_segment_distance(p: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Plan distance from points p to segments a-b."""
    d = b - a
    dd = np.einsum("ij,ij->i", d, d)
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(dd > 0, np.einsum("ij,ij->i", p - a, d) / dd, 0.0)
    t = _clamp01(np.nan_to_num(t))
    q = a + t[:, None] * d
    return np.hypot(p[:, 0] - q[:, 0], p[:, 1] - q[:, 1])


def collinear_overlap(p0: np.ndarray, p1: np.ndarray, q0: np.ndarray, q1: np.ndarray, tol: float) -> np.ndarray:
    """True where two segments run along each other in plan: the shorter
    lies within ``tol`` of the longer's line at both ends and their
    projections on it overlap by more than ``tol``."""
    lp = np.hypot(*(p1 - p0).T)
    lq = np.hypot(*(q1 - q0).T)
    swap = lq > lp
    a0 = np.where(swap[:, None], q0, p0)
    a1 = np.where(swap[:, None], q1, p1)
    b0 = np.where(swap[:, None], p0, q0)
    b1 = np.where(swap[:, None], p1, q1)
    la = np.maximum(lp, lq)
    with np.errstate(divide="ignore", invalid="ignore"):
        u = (a1 - a0) / la[:, None]
        e0 = np.abs(u[:, 0] * (b0[:, 1] - a0[:, 1]) - u[:, 1] * (b0[:, 0] - a0[:, 0]))
        e1 = np.abs(u[:, 0] * (b1[:, 1] - a0[:, 1]) - u[:, 1] * (b1[:, 0] - a0[:, 0]))
        t0 = np.einsum("ij,ij->i", b0 - a0, u)
        t1 = np.einsum("ij,ij->i", b1 - a0, u)
        overlap = np.minimum(la, np.maximum(t0, t1)) - np.maximum(0.0, np.minimum(t0, t1))
        out = (e0 <= tol) & (e1 <= tol) & (overlap > tol) & (la > tol)
    return np.nan_to_num(out, nan=0).astype(bool)


def sample_polylines(vertices: np.ndarray, offsets: np.ndarray, step_m: float,
                     pipes: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Points at every vertex and every ``step_m`` (plan length) along each polyline.

    :param pipes: restrict to these polyline indices (default: all).
    :returns: (pipe index, segment start-vertex index, parameter t in [0, 1]
        on that segment) per sample, grouped by pipe in vertex order.
    """
    m = len(offsets) - 1
    sel = np.arange(m) if pipes is None else np.asarray(pipes, dtype=np.int64)
    counts = offsets[sel + 1] - offsets[sel]
    sel = sel[counts >= 2]
    counts = counts[counts >= 2]
    if not len(sel):
        z = np.zeros(0, dtype=np.int64)
        return z, z, np.zeros(0)
    nseg = counts - 1
    seg_pipe = np.repeat(sel, nseg)
    first = np.repeat(offsets[sel], nseg)
    local = np.arange(len(seg_pipe)) - np.repeat(np.cumsum(nseg) - nseg, nseg)
    start = first + local
    v = vertices
    length = np.hypot(v[start + 1, 0] - v[start, 0], v[start + 1, 1] - v[start, 1])
    cum = np.cumsum(length)
    pipe_start_cum = np.repeat(cum[np.cumsum(nseg) - nseg] - length[np.cumsum(nseg) - nseg], nseg)
    c0 = cum - length - pipe_start_cum  # distance of the segment start along its pipe
    k0 = np.floor(c0 / step_m).astype(np.int64) + 1  # first multiple strictly after the start
    k1 = np.ceil((c0 + length) / step_m).astype(np.int64)  # multiples strictly before the end
    n = np.maximum(k1 - k0, 0)
    n = np.where(length > 0, n, 0)
    rep = np.repeat(np.arange(len(start)), n)
    k = np.repeat(k0, n) + (np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n))
    with np.errstate(divide="ignore", invalid="ignore"):
        t_mid = np.clip((k * step_m - c0[rep]) / length[rep], 0.0, 1.0)
    # vertices: the start of every segment and the end of each pipe's last segment
    last = np.cumsum(nseg) - 1
    seg_all = np.concatenate([np.arange(len(start)), rep, last])
    t_all = np.concatenate([np.zeros(len(start)), t_mid, np.ones(len(last))])
    order = np.lexsort((t_all, seg_all))
    seg_all = seg_all[order]
    t_all = t_all[order]
    return seg_pipe[seg_all], start[seg_all], t_all


def interpolate(vertices: np.ndarray, start: np.ndarray, t: np.ndarray) -> np.ndarray:
    """(K, 3) points at parameter t on segments starting at vertex ``start``."""
    a = vertices[start]
    b = vertices[start + 1]
    return a + t[:, None] * (b - a)


def arc_positions(vertices: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(C, L): C[k] = plan arc length of vertex k along its own pipe, chained
    over pipes so that C is non-decreasing; L[k] = plan length of the piece
    starting at vertex k (0 at a pipe's last vertex)."""
    n = len(vertices)
    if n == 0:
        return np.zeros(0), np.zeros(0)
    seg = np.zeros(n)
    seg[:-1] = np.hypot(np.diff(vertices[:, 0]), np.diff(vertices[:, 1]))
    last = offsets[1:] - 1
    seg[last[last >= 0]] = 0.0
    seg = np.nan_to_num(seg)
    c = np.concatenate([[0.0], np.cumsum(seg)[:-1]])
    return c, seg


def locate(vertices: np.ndarray, offsets: np.ndarray, arc: tuple[np.ndarray, np.ndarray], pipe: np.ndarray,
           dist: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(start vertex, t) of the points at plan distance ``dist`` along pipes ``pipe``."""
    c, seg = arc
    first = offsets[pipe]
    lastv = offsets[pipe + 1] - 1
    q = c[first] + np.clip(dist, 0.0, c[lastv] - c[first])
    k = np.searchsorted(c, q, side="right") - 1
    k = np.clip(k, first, np.maximum(lastv - 1, first))
    with np.errstate(divide="ignore", invalid="ignore"):
        t = np.where(seg[k] > 0, (q - c[k]) / seg[k], 0.0)
    return k, np.clip(np.nan_to_num(t), 0.0, 1.0)
