"""Clearance (clash) check between pipes, with GB 50289 rules (DESIGN.md section 5).

For every pair of pipes (features):

* pairs sharing an endpoint in plan (within ``endpoint_tol_m``, 0.01 m) are
  skipped, and so are pairs of the same category where an endpoint of one
  lies within 0.01 m of the other's line (a tee);
* **stacked**: the two overlap in plan along a length (collinear within
  0.01 m over more than 0.01 m): horizontal clearance = -(r_a + r_b),
  compared with the horizontal table (Table 4.1.9);
* **vertical**: else, where they cross in plan (plan distance at most
  ``cross_tol_m``, 1 mm), clearance = |z_a - z_b| - r_a - r_b at each
  crossing (z linear along each line, r = half the outer height); the
  smallest counts; compared with Table 4.1.14;
* **horizontal**: otherwise, plan distance between centrelines - r_a - r_b
  (r = half the outer width), compared with Table 4.1.9;
* **order**: at crossings, GB 50289-2016 4.1.12: water above reclaimed water
  above drainage ("shall"); optionally the whole advisory order (telecom,
  power, gas, heat, water, reclaimed, storm, sewer). margin = z(upper) -
  z(lower) of the centrelines at the crossing.

Verdicts: see :mod:`.verdict`. u of a pipe = max(min, factor x h) of its
quality level (default CJJ 61: 0.10 h plan, 0.15 h depth), h = the greatest
centre depth at its vertices (at least 1 m; 1 m where ground or z is
unknown). Horizontal and stacked figures use the plan u, vertical and order
figures the depth u.

Algorithm (no Python loop over pairs): each pipe gets a search reach
r + u + (largest requirement of its class against the classes present) / 2,
so a pair that is not PASS is always closer than reach_a + reach_b; the
straight pieces' bounding boxes grown by their reach are joined with a
shapely STRtree (box intersection only, no GEOS predicate), exact plan
distances and crossings of the piece pairs are computed in numpy, and the
piece pairs are reduced to pipe pairs by sorting.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..errors import PipeMapError
from ..progress import NullProgress, Progress, check_cancel
from . import geometry as geo
from .pipes import Ground, Pipes
from .rules import CLASS_MISSING, ORDER_RANK, ORDER_RULE, ORDER_RULE_ADVISORY, RuleSet, factorize
from .verdict import ADVICE, V_FAIL, V_PASS, V_UNCERTAIN, V_UNKNOWN, VERDICTS, FindingTable, decide, severity

#: plan size assumed, only to decide what to report, for a pipe without a size
UNKNOWN_RADIUS_SEARCH_M = 0.5
#: u assumed, only to decide what to report, for a quality level without a defined accuracy (DT-DICT class B)
UNKNOWN_U_SEARCH_M = 1.5

KIND_HORIZONTAL, KIND_VERTICAL, KIND_STACKED, KIND_ORDER = "horizontal", "vertical", "stacked", "order"

#: reasons for UNKNOWN findings
R_NO_Z, R_NO_SIZE, R_CLASS_MISSING, R_MISSING_DN, R_NO_RULE, R_NO_ACCURACY = (
    "no_z", "no_size", "class_missing", "missing_dn", "no_rule", "no_accuracy")


@dataclass
class ClashFindings(FindingTable):
    """Findings of :func:`check_clash`, one row per (pipe pair, figure)."""

    FIELDS = ("pipe_a", "pipe_b", "kind", "required_m", "clearance_m", "margin_m", "uncertainty_m", "verdict",
              "rule_id", "severity", "reason", "advice", "x", "y", "z_a", "z_b", "category_a", "category_b",
              "class_a", "class_b")

    pipe_a: np.ndarray
    pipe_b: np.ndarray
    index_a: np.ndarray
    index_b: np.ndarray
    kind: np.ndarray
    required_m: np.ndarray
    clearance_m: np.ndarray
    margin_m: np.ndarray
    uncertainty_m: np.ndarray
    verdict: np.ndarray
    rule_id: np.ndarray
    severity: np.ndarray
    reason: np.ndarray
    advice: np.ndarray
    x: np.ndarray
    y: np.ndarray
    z_a: np.ndarray
    z_b: np.ndarray
    category_a: np.ndarray
    category_b: np.ndarray
    class_a: np.ndarray
    class_b: np.ndarray
    #: pairs and verdicts over every evaluated figure (PASS included), skips, no_rule
    counts: dict[str, int] = field(default_factory=dict)
    messages: list[PipeMapError] = field(default_factory=list)


# --- candidate piece pairs ----------------------------------------------------------------------------------


def _candidate_chunks(x0: np.ndarray, y0: np.ndarray, x1: np.ndarray, y1: np.ndarray, reach: np.ndarray,
                      pipe: np.ndarray, chunk: int):
    """Yield (i, j) piece pairs whose reach-grown boxes intersect, pipe[i] < pipe[j]."""
    import shapely

    # each grown box as the diagonal of it (a two-point line has the same envelope as the box, and the tree
    # and a query without predicate only look at envelopes): cheaper to make than polygons
    corners = np.empty((len(x0), 2, 2))
    corners[:, 0, 0] = np.minimum(x0, x1) - reach
    corners[:, 0, 1] = np.minimum(y0, y1) - reach
    corners[:, 1, 0] = np.maximum(x0, x1) + reach
    corners[:, 1, 1] = np.maximum(y0, y1) + reach
    boxes = shapely.linestrings(corners)
    del corners
    tree = shapely.STRtree(boxes)
    n = len(boxes)
    for lo in range(0, n, chunk):
        hi = min(n, lo + chunk)
        q, t = tree.query(boxes[lo:hi])
        q = q + lo
        keep = pipe[q] < pipe[t]
        yield q[keep], t[keep], hi / max(n, 1)


# --- the check ------------------------------------------------------------------------------------------------


class PiecePairs:
    """The figures of candidate piece pairs (DESIGN.md section 5), collected chunk by chunk.

    Shared by :func:`check_clash` and the PostGIS check (``core/pg/checks.py``), which find their
    candidate pairs differently but must measure them identically.
    """

    KEYS = ("pa", "pb", "d", "x", "y", "za", "zb", "cross", "stack", "tee")

    def __init__(self, pipes: Pipes, start: np.ndarray, seg_pipe: np.ndarray, reach: np.ndarray,
                 endpoint_tol_m: float, cross_tol_m: float) -> None:
        V = pipes.vertices
        self.seg_pipe, self.reach = seg_pipe, reach
        self.endpoint_tol_m, self.cross_tol_m = endpoint_tol_m, cross_tol_m
        self.P0, self.P1 = V[start, :2], V[start + 1, :2]  # plan start and end of every piece
        self.Z0, self.Z1 = V[start, 2], V[start + 1, 2]
        self.first_piece = start == pipes.offsets[seg_pipe]
        self.last_piece = start + 1 == pipes.offsets[seg_pipe + 1] - 1
        #: equal codes: equal categories
        self.cat = factorize(pipes.category)[0] if len(pipes) else np.zeros(0, dtype=np.int64)
        self.end0, self.end1 = pipes.endpoints()
        # parts of one multi-part feature share its id: a feature is never compared with itself
        ids_list = pipes.ids.tolist()
        self.feature_code = None
        if len(set(ids_list)) < len(ids_list):
            self.feature_code = np.unique(np.asarray(ids_list, dtype=str), return_inverse=True)[1]
        self.kept: dict[str, list[np.ndarray]] = {k: [] for k in self.KEYS}

    def add(self, i: np.ndarray, j: np.ndarray) -> None:
        """Measure the piece pairs (i[k], j[k]) and keep those within reach."""
        P0, P1, tol = self.P0, self.P1, self.endpoint_tol_m
        pa, pb = self.seg_pipe[i], self.seg_pipe[j]
        p0, p1, q0, q1 = P0[i], P1[i], P0[j], P1[j]
        s, t = geo.closest_params(p0, p1, q0, q1)
        ca = p0 + s[:, None] * (p1 - p0)
        cb = q0 + t[:, None] * (q1 - q0)
        d = np.hypot(ca[:, 0] - cb[:, 0], ca[:, 1] - cb[:, 1])
        del p0, p1, q0, q1
        keep = d <= self.reach[pa] + self.reach[pb]
        if self.feature_code is not None:
            keep &= self.feature_code[pa] != self.feature_code[pb]
        if not keep.all():
            i, j, pa, pb, s, t, d, ca, cb = (a[keep] for a in (i, j, pa, pb, s, t, d, ca, cb))
        za = self.Z0[i] + s * (self.Z1[i] - self.Z0[i])
        zb = self.Z0[j] + t * (self.Z1[j] - self.Z0[j])
        near = np.flatnonzero(d <= tol)
        if len(near):
            # pipes sharing an endpoint are skipped whatever their pieces do: no stack or tee test for them
            near = near[~_shared_endpoint(self.end0, self.end1, pa[near], pb[near], tol)]
        stack = np.zeros(len(d), dtype=bool)
        tee = np.zeros(len(d), dtype=bool)
        if len(near):
            i_n, j_n = i[near], j[near]
            stack[near] = geo.collinear_overlap(P0[i_n], P1[i_n], P0[j_n], P1[j_n], tol)
            same = near[self.cat[pa[near]] == self.cat[pb[near]]]
            if len(same):
                i_s, j_s = i[same], j[same]
                tee[same] = _endpoint_on_other(P0[i_s], P1[i_s], P0[j_s], P1[j_s], self.first_piece[i_s],
                                               self.last_piece[i_s], self.first_piece[j_s], self.last_piece[j_s],
                                               tol)
        for k, v in (("pa", pa), ("pb", pb), ("d", d), ("x", (ca[:, 0] + cb[:, 0]) / 2),
                     ("y", (ca[:, 1] + cb[:, 1]) / 2), ("za", za), ("zb", zb), ("cross", d <= self.cross_tol_m),
                     ("stack", stack), ("tee", tee)):
            self.kept[k].append(v)

    def records(self) -> dict[str, np.ndarray]:
        """Everything kept, as one array per key (and the chunks freed)."""
        rec = {k: (np.concatenate(v) if v else np.zeros(0)) for k, v in self.kept.items()}
        self.kept = {k: [] for k in self.KEYS}
        for k in ("pa", "pb"):
            rec[k] = rec[k].astype(np.int64)
        for k in ("cross", "stack", "tee"):
            rec[k] = rec[k].astype(bool)
        return rec


def check_clash(pipes: Pipes, rules: RuleSet, ground: Ground | None = None, *, strict: bool = False,
                include_pass: bool = False, crossing_order: str = "mandatory", no_rule_m: float = 0.5,
                endpoint_tol_m: float = 0.01, cross_tol_m: float = 0.001, chunk: int = 200_000,
                progress: Progress | None = None) -> ClashFindings:
    """Clearances between every pair of pipes.

    :param ground: ground surface for the uncertainty h (depth); without it h = 1 m.
    :param strict: ``STRICT_RULES``: unverified rule cells give errors, not warnings.
    :param include_pass: also output PASS findings (for every pair within the search reach).
    :param crossing_order: ``"mandatory"`` (water / reclaimed / drainage, the 4.1.12 "shall"),
        ``"all"`` (also the advisory order) or ``"none"``.
    :param no_rule_m: a pair of classes without a rule is reported (UNKNOWN, ``no_rule``) when
        its clearance is below this.
    :returns: the non-PASS findings (all with ``include_pass``), counts and input messages.
    """
    if crossing_order not in ("mandatory", "all", "none"):
        raise ValueError(f"crossing_order must be mandatory, all or none, not {crossing_order!r}")
    progress = progress or NullProgress()
    messages = pipes.problems(("horizontal", "vertical"))
    m = len(pipes)
    V = pipes.vertices
    start, seg_pipe = pipes.segments()
    up, ud, qmsgs = pipes.uncertainty(ground, rules.quality)
    messages += qmsgs
    hc = rules.horizontal.codes(pipes.h_class)
    vc = rules.vertical.codes(pipes.v_class)
    rh = pipes.radius_h_m

    # requirement bounds: the largest requirement of each pipe's class against the classes present
    h_bound = _bound(rules.horizontal_max_partner(hc), hc, pipes.h_status)
    v_bound = _bound(rules.vertical.max_partner(vc), vc, pipes.v_status)
    reach = (np.where(np.isfinite(rh), rh, UNKNOWN_RADIUS_SEARCH_M) + np.where(np.isfinite(up), up, UNKNOWN_U_SEARCH_M)
             + np.fmax(h_bound, no_rule_m) / 2.0)
    reach = np.maximum(reach, endpoint_tol_m)

    x0, y0 = V[start, 0], V[start, 1]
    x1, y1 = V[start + 1, 0], V[start + 1, 1]
    pairs = PiecePairs(pipes, start, seg_pipe, reach, endpoint_tol_m, cross_tol_m)
    n_candidates = 0
    for i, j, frac in _candidate_chunks(x0, y0, x1, y1, reach[seg_pipe], seg_pipe, chunk):
        n_candidates += len(i)
        pairs.add(i, j)
        progress.report(0.8 * frac)
        check_cancel(progress)
    rec = pairs.records()
    cat = pairs.cat

    findings, counts = _reduce_and_judge(pipes, rules, rec, hc, vc, up, ud, h_bound, v_bound, strict, include_pass,
                                         crossing_order, no_rule_m, endpoint_tol_m,
                                         cat_code=cat)
    counts["piece_pairs_candidate"] = n_candidates
    counts["piece_pairs_near"] = len(rec["d"])
    counts["pipes"] = m
    counts["pieces"] = len(start)
    findings.counts = counts
    findings.messages = messages
    progress.report(1.0)
    return findings


def _bound(max_partner: np.ndarray, codes: np.ndarray, status: np.ndarray) -> np.ndarray:
    """Per pipe: the largest requirement it can have against the pipes present
    (for a pipe whose class is undecided, the largest of all classes)."""
    finite = max_partner[np.isfinite(max_partner)] if len(max_partner) else np.zeros(0)
    overall = float(finite.max()) if len(finite) else np.nan
    out = np.where(codes >= 0, max_partner[np.maximum(codes, 0)] if len(max_partner) else np.nan, np.nan)
    return np.where(status == CLASS_MISSING, overall, out)


def _shared_endpoint(a0: np.ndarray, a1: np.ndarray, pa: np.ndarray, pb: np.ndarray, tol: float) -> np.ndarray:
    """Pipes pa and pb share an endpoint in plan (within tol)."""
    shared = np.zeros(len(pa), dtype=bool)
    for ea in (a0, a1):
        for eb in (a0, a1):
            shared |= np.hypot(ea[pa, 0] - eb[pb, 0], ea[pa, 1] - eb[pb, 1]) <= tol
    return shared


def _endpoint_on_other(p0, p1, q0, q1, p_first, p_last, q_first, q_last, tol) -> np.ndarray:
    """A pipe endpoint held by one piece lies within tol of the other piece."""
    out = np.zeros(len(p0), dtype=bool)
    for pt, has, a, b in ((p0, p_first, q0, q1), (p1, p_last, q0, q1), (q0, q_first, p0, p1),
                          (q1, q_last, p0, p1)):
        sel = np.flatnonzero(has)
        if len(sel):
            out[sel] |= geo.point_segment_distance(pt[sel], a[sel], b[sel]) <= tol
    return out


def _group_min(key: np.ndarray, value: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sort by (key, value): unique keys, index of each group's smallest value, group starts in the sort
    order, and the sort order itself (for ``reduceat`` over the groups)."""
    order = np.lexsort((value, key))
    ks = key[order]
    starts = np.flatnonzero(np.r_[True, ks[1:] != ks[:-1]]) if len(ks) else np.zeros(0, dtype=np.int64)
    return ks[starts], order[starts], starts, order


def _reduce_and_judge(pipes: Pipes, rules: RuleSet, rec: dict[str, np.ndarray], hc, vc, up, ud, h_bound, v_bound,
                      strict: bool, include_pass: bool, crossing_order: str, no_rule_m: float,
                      endpoint_tol_m: float, *, cat_code: np.ndarray | None = None
                      ) -> tuple[ClashFindings, dict[str, int]]:
    m = len(pipes)
    key = rec["pa"] * np.int64(max(m, 1)) + rec["pb"]
    _, first, starts, order = _group_min(key, rec["d"])
    any_tee = np.logical_or.reduceat(rec["tee"][order], starts) if len(starts) else np.zeros(0, dtype=bool)
    any_stack = np.logical_or.reduceat(rec["stack"][order], starts) if len(starts) else np.zeros(0, dtype=bool)
    any_cross = np.logical_or.reduceat(rec["cross"][order], starts) if len(starts) else np.zeros(0, dtype=bool)
    group = np.empty(len(key), dtype=np.int64)  # the pipe pair (group) of every piece pair
    group[order] = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(key)]))
    del order
    pa = rec["pa"][first]
    pb = rec["pb"][first]
    # pipe-level exclusions
    a0, a1 = pipes.endpoints()
    shared = _shared_endpoint(a0, a1, pa, pb, endpoint_tol_m)
    if cat_code is None:
        cat_code = factorize(pipes.category)[0] if m else np.zeros(0, dtype=np.int64)
    same_cat = cat_code[pa] == cat_code[pb]
    tee = ~shared & same_cat & any_tee
    skip = shared | tee
    counts = {"pairs_near": int(len(pa)), "skipped_shared_endpoint": int(shared.sum()), "skipped_tee": int(tee.sum())}
    live = ~skip
    stacked = live & any_stack
    crossing = live & any_cross & ~any_stack
    flat = live & ~any_cross & ~any_stack

    rh, rv = pipes.radius_h_m, pipes.radius_v_m
    parts: list[dict[str, np.ndarray]] = []

    # horizontal and stacked figures
    sel = np.flatnonzero(stacked | flat)
    if len(sel):
        a, b, f = pa[sel], pb[sel], first[sel]
        is_stack = stacked[sel]
        dist = np.where(is_stack, 0.0, rec["d"][f])
        rsum = rh[a] + rh[b]
        clearance = dist - rsum
        req, ridx, needs_dn = rules.horizontal_required(hc[a], hc[b], pipes.dn_mm[a], pipes.dn_mm[b])
        u = up[a] + up[b]
        bound = np.fmin(h_bound[a], h_bound[b])
        rsum_s = np.where(np.isfinite(rh[a]), rh[a], UNKNOWN_RADIUS_SEARCH_M) + \
            np.where(np.isfinite(rh[b]), rh[b], UNKNOWN_RADIUS_SEARCH_M)
        status_missing = (pipes.h_status[a] == CLASS_MISSING) | (pipes.h_status[b] == CLASS_MISSING)
        parts.append(_judge(_H_KINDS[is_stack.astype(np.int64)], a, b, clearance, req,
                            ridx, u, bound, dist - rsum_s, status_missing, needs_dn, np.zeros(len(a), dtype=bool),
                            rules.horizontal.verified, rules.horizontal.rule_ids, rec["x"][f], rec["y"][f],
                            rec["za"][f], rec["zb"][f], strict, include_pass, no_rule_m))

    # vertical figures at crossings
    cross_rec = np.flatnonzero(rec["cross"])
    if len(cross_rec) and crossing.any():
        ckey = key[cross_rec]
        inlive = crossing[group[cross_rec]]
        cross_rec, ckey = cross_rec[inlive], ckey[inlive]
        ca_, cb_ = rec["pa"][cross_rec], rec["pb"][cross_rec]
        vcl = np.abs(rec["za"][cross_rec] - rec["zb"][cross_rec]) - rv[ca_] - rv[cb_]
        nan = ~np.isfinite(vcl)
        _, vfirst, vstarts, vorder = _group_min(ckey, np.where(nan, np.inf, vcl))
        any_nan = np.logical_or.reduceat(nan[vorder], vstarts)
        rows = cross_rec[vfirst]
        a, b = rec["pa"][rows], rec["pb"][rows]
        clearance = np.where(any_nan, np.nan, vcl[vfirst])
        req, ridx = rules.vertical.lookup(vc[a], vc[b])
        u = ud[a] + ud[b]
        bound = np.fmin(v_bound[a], v_bound[b])
        no_z = np.logical_or.reduceat((~np.isfinite(rec["za"][cross_rec]) | ~np.isfinite(rec["zb"][cross_rec]))
                                      [vorder], vstarts)
        status_missing = (pipes.v_status[a] == CLASS_MISSING) | (pipes.v_status[b] == CLASS_MISSING)
        known_size = np.isfinite(rv[a]) & np.isfinite(rv[b])
        parts.append(_judge(np.full(len(a), KIND_VERTICAL, dtype=object), a, b, clearance, req, ridx, u, bound,
                            np.where(known_size, clearance, -np.inf), status_missing, np.zeros(len(a), dtype=bool),
                            no_z, rules.vertical.verified, rules.vertical.rule_ids, rec["x"][rows], rec["y"][rows],
                            rec["za"][rows], rec["zb"][rows], strict, include_pass, no_rule_m))
        if crossing_order != "none":
            parts.append(_order(pipes, rec, cross_rec, ckey, ud, crossing_order, strict, include_pass, cat_code))

    out = _assemble(pipes, parts, hc, vc, rules)
    evaluated = np.concatenate([p["all_verdicts"] for p in parts]) if parts else np.zeros(0, dtype=np.int8)
    for name, code in (("PASS", V_PASS), ("UNCERTAIN", V_UNCERTAIN), ("FAIL", V_FAIL), ("UNKNOWN", V_UNKNOWN)):
        counts[name] = int(np.sum(evaluated == code))
    counts["no_rule"] = int(sum(p["no_rule"] for p in parts))
    counts["figures"] = int(len(evaluated))
    return out, counts


def _judge(kind, a, b, clearance, req, ridx, u, bound, clearance_search, status_missing, needs_dn, no_z, verified,
           rule_ids, x, y, za, zb, strict, include_pass, no_rule_m) -> dict[str, Any]:
    """Verdicts, reasons and the report mask for one kind of figure."""
    margin = clearance - req
    codes = decide(margin, u)
    reason_code = np.zeros(len(a), dtype=np.int8)  # index into _REASONS; later reasons win
    no_rule = ~np.isfinite(req) & ~status_missing & ~needs_dn
    no_acc = ~np.isfinite(u)
    no_size = ~np.isfinite(clearance) & ~no_z
    for mask, r in ((no_acc, R_NO_ACCURACY), (no_rule, R_NO_RULE), (needs_dn, R_MISSING_DN),
                    (status_missing, R_CLASS_MISSING), (no_size, R_NO_SIZE), (no_z, R_NO_Z)):
        reason_code[mask] = _REASON_CODE[r]
    reason = _REASONS[reason_code]
    unknown = reason_code != 0
    codes[unknown] = V_UNKNOWN
    u_s = np.where(np.isfinite(u), u, UNKNOWN_U_SEARCH_M)
    with np.errstate(invalid="ignore"):
        # an UNKNOWN is reported when the figure could be a conflict
        req_or_bound = np.where(np.isfinite(req), req, bound)
        could_fail = np.where(
            no_rule, clearance_search < no_rule_m,
            np.where(no_z, True, clearance_search - req_or_bound < u_s))
        could_fail = np.where(np.isnan(could_fail), True, could_fail).astype(bool)
    report = np.ones(len(a), dtype=bool) if include_pass else (codes != V_PASS)
    report &= ~unknown | could_fail
    all_codes = codes[~unknown | could_fail]
    ver = np.where(ridx >= 0, verified[np.maximum(ridx, 0)], False) if len(verified) else np.zeros(len(a), bool)
    sev = severity(codes, ver, strict)
    rid = np.where(ridx >= 0, rule_ids[np.maximum(ridx, 0)], "").astype(object)
    rid[reason_code == _REASON_CODE[R_NO_RULE]] = "no_rule"
    r = report
    return {"kind": kind[r], "a": a[r], "b": b[r], "required": req[r], "clearance": clearance[r], "margin": margin[r],
            "u": u[r], "codes": codes[r], "rule_id": rid[r], "severity": sev[r], "reason": reason[r], "x": x[r],
            "y": y[r], "za": za[r], "zb": zb[r], "all_verdicts": all_codes,
            "no_rule": int(np.sum(no_rule & could_fail))}


def _order_rank(pipes: Pipes, cat_code: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(rank, group) per pipe for 4.1.12; rank 0 = not ranked; group 1 water, 2 reclaimed, 3 drainage, 0 other.

    :param cat_code: ``factorize(pipes.category)[0]`` when already known.
    """
    m = len(pipes)
    if not m:
        return np.zeros(0), np.zeros(0, dtype=int)
    # evaluated once per distinct (category, subcategory)
    if cat_code is None:
        cat_code = factorize(pipes.category)[0]
    first_of_cat = np.full(int(cat_code.max()) + 1, -1, dtype=np.int64)
    first_of_cat[cat_code[::-1]] = np.arange(m - 1, -1, -1)  # the first pipe of each category code
    cat_values = pipes.category[first_of_cat]
    sub_code, sub_values = factorize(pipes.subcategory)
    pairs, pair_code = np.unique(cat_code * np.int64(len(sub_values)) + sub_code, return_inverse=True)
    pair_code = pair_code.ravel()
    keys = []
    for p in pairs.tolist():
        cat, sub = str(cat_values[p // len(sub_values)]), str(sub_values[p % len(sub_values)])
        if cat == "JS" and sub == "ZS":
            keys.append("RW")
        elif cat == "PS":
            keys.append("YS" if sub == "YS" else "WS" if sub in ("WS", "HS") else "PS")
        else:
            keys.append(cat)
    # drainage of unknown kind: below reclaimed water, storm/sewer order unknown
    rank = np.array([7.5 if k == "PS" else ORDER_RANK.get(k, 0) for k in keys], dtype=float)
    group = np.array([1 if k == "JS" else 2 if k == "RW" else 3 if k in ("YS", "WS", "PS") else 0 for k in keys])
    return rank[pair_code], group[pair_code]


def _order(pipes: Pipes, rec, cross_rec, ckey, ud, crossing_order, strict, include_pass,
           cat_code: np.ndarray | None = None) -> dict[str, Any]:
    rank, group = _order_rank(pipes, cat_code)
    a, b = rec["pa"][cross_rec], rec["pb"][cross_rec]
    ra, rb = rank[a], rank[b]
    mandatory = (group[a] > 0) & (group[b] > 0) & (group[a] != group[b])
    advisory = (ra > 0) & (rb > 0) & (ra != rb) & ~mandatory & ~((ra == 7.5) | (rb == 7.5))
    use = mandatory | (advisory if crossing_order == "all" else False)
    sel = np.flatnonzero(use)
    a_upper = ra[sel] < rb[sel]
    za, zb = rec["za"][cross_rec[sel]], rec["zb"][cross_rec[sel]]
    diff = np.where(a_upper, za - zb, zb - za)  # z(expected upper) - z(expected lower)
    nan = ~np.isfinite(diff)
    _, ofirst, ostarts, oorder = _group_min(ckey[sel], np.where(nan, np.inf, diff))
    any_nan = np.logical_or.reduceat(nan[oorder], ostarts) if len(ostarts) else np.zeros(0, dtype=bool)
    rows = sel[ofirst]
    up_first = a_upper[ofirst]
    pa, pb = a[rows], b[rows]
    upper = np.where(up_first, pa, pb)
    lower = np.where(up_first, pb, pa)
    z_up = np.where(up_first, rec["za"][cross_rec[rows]], rec["zb"][cross_rec[rows]])
    z_lo = np.where(up_first, rec["zb"][cross_rec[rows]], rec["za"][cross_rec[rows]])
    margin = np.where(any_nan, np.nan, diff[ofirst])
    u = ud[upper] + ud[lower]
    codes = decide(margin, u)
    reason = _REASONS[np.where(any_nan, _REASON_CODE[R_NO_Z],
                               np.where(~np.isfinite(u), _REASON_CODE[R_NO_ACCURACY], 0))]
    is_mand = mandatory[rows]
    verified = np.zeros(len(rows), dtype=bool) | ORDER_RULE.verified
    sev = severity(codes, verified, strict)
    rid = np.array([ORDER_RULE_ADVISORY.rule_id, ORDER_RULE.rule_id], dtype=object)[is_mand.astype(np.int64)]
    report = np.ones(len(rows), dtype=bool) if include_pass else (codes != V_PASS)
    r = report
    x = rec["x"][cross_rec[rows]]
    y = rec["y"][cross_rec[rows]]
    return {"kind": np.full(int(r.sum()), KIND_ORDER, dtype=object), "a": upper[r], "b": lower[r],
            "required": np.zeros(int(r.sum())), "clearance": margin[r], "margin": margin[r], "u": u[r],
            "codes": codes[r], "rule_id": rid[r], "severity": sev[r], "reason": reason[r], "x": x[r], "y": y[r],
            "za": z_up[r], "zb": z_lo[r], "all_verdicts": codes, "no_rule": 0}


def _assemble(pipes: Pipes, parts: list[dict[str, Any]], hc, vc, rules: RuleSet) -> ClashFindings:
    def cat(k: str, dtype: Any = float) -> np.ndarray:
        return np.concatenate([p[k] for p in parts]) if parts else np.zeros(0, dtype=dtype)

    a = cat("a", np.int64).astype(np.int64)
    b = cat("b", np.int64).astype(np.int64)
    kind = cat("kind", object)
    codes = cat("codes", np.int8).astype(np.int64)
    order = np.lexsort((b, a))
    a, b, kind, codes = a[order], b[order], kind[order], codes[order]

    def col(k: str, dtype: Any = float) -> np.ndarray:
        return cat(k, dtype)[order]

    vert = kind == KIND_VERTICAL
    cls_a = np.where(vert, pipes.v_class[a], pipes.h_class[a]).astype(object) if len(a) else np.zeros(0, object)
    cls_b = np.where(vert, pipes.v_class[b], pipes.h_class[b]).astype(object) if len(b) else np.zeros(0, object)
    advice = _ADVICE[codes] if len(codes) else np.zeros(0, dtype=object)
    return ClashFindings(
        pipe_a=pipes.ids[a], pipe_b=pipes.ids[b], index_a=a, index_b=b, kind=kind, required_m=col("required"),
        clearance_m=col("clearance"), margin_m=col("margin"), uncertainty_m=col("u"),
        verdict=VERDICTS[codes] if len(codes) else np.zeros(0, dtype=object), rule_id=col("rule_id", object),
        severity=col("severity", object), reason=col("reason", object), advice=advice, x=col("x"), y=col("y"),
        z_a=col("za"), z_b=col("zb"), category_a=pipes.category[a], category_b=pipes.category[b], class_a=cls_a,
        class_b=cls_b)


#: the reasons of UNKNOWN findings by code ("" = none)
_REASONS = np.array(["", R_NO_Z, R_NO_SIZE, R_CLASS_MISSING, R_MISSING_DN, R_NO_RULE, R_NO_ACCURACY], dtype=object)
_REASON_CODE = {r: k for k, r in enumerate(_REASONS.tolist())}
#: the advice text by verdict code
_ADVICE = np.array([ADVICE[k] for k in range(len(VERDICTS))], dtype=object)
#: horizontal / stacked kind by "is stacked"
_H_KINDS = np.array([KIND_HORIZONTAL, KIND_STACKED], dtype=object)


# --- benchmark ------------------------------------------------------------------------------------------------


#: the sample district's lines: (category, subcategory, offset from the street centre (m), outer size (m),
#: centre depth (m), burial method, pressure MPa, DN mm)
_CITY_LINES = (
    ("DL", "GD", -17.0, 0.4, 0.9, "GK", np.nan, np.nan),
    ("DL", "LD", -19.0, 0.0, 0.8, "ZM", np.nan, np.nan),
    ("TX", "XX", 17.0, 0.3, 0.95, "GK", np.nan, np.nan),
    ("JS", "JP", -14.0, 0.3144, 1.26, "ZM", 0.3, 300.0),
    ("RQ", "TR", 14.0, 0.212, 1.1, "ZM", 0.3, 200.0),
    ("RL", "RS", -10.0, 0.316, 1.66, "ZM", 1.6, 300.0),
    ("PS", "YS", -4.0, 0.96, 2.2, "ZM", np.nan, 800.0),
    ("PS", "WS", 4.0, 0.6, 2.95, "ZM", np.nan, 500.0),
    ("JS", "ZS", 10.0, 0.25, 1.5, "ZM", 0.3, 200.0),
    ("RQ", "TR", 8.5, 0.16, 1.0, "ZM", 0.05, 150.0),
)


def random_city(n_segments: int, seed: int = 0, block_m: float = 200.0, piece_m: float = 40.0,
                rules: RuleSet | None = None) -> Pipes:
    """A synthetic city of about ``n_segments`` straight pipes, built in numpy.

    A square grid of streets ``block_m`` apart; each street carries the ten
    lines of :data:`_CITY_LINES` at their offsets, cut every ``piece_m``
    metres and at the crossings with the same line of the cross streets
    (which they meet there: shared endpoints); lines of different categories
    cross at the intersections at their depths (with a random jitter of
    +-0.2 m), and about 8 % extra service pipes (5-15 m) cross the streets at
    random places and depths. Ground is at 0 m.
    """
    rng = np.random.default_rng(seed)
    nl = len(_CITY_LINES)
    g = max(2, int(np.ceil(np.sqrt(n_segments / (1.08 * 2 * nl * block_m / piece_m)))))
    length = g * block_m
    offs = np.array([c[2] for c in _CITY_LINES])
    pieces_per_line = int(round(length / piece_m))
    # east-west lines: street k, line c, piece p
    k, c, p = np.meshgrid(np.arange(g), np.arange(nl), np.arange(pieces_per_line), indexing="ij")
    k, c, p = k.ravel(), c.ravel(), p.ravel()
    xa = p * piece_m + offs[c]
    ya = k * block_m + offs[c]
    ew = np.column_stack([xa, ya, xa + piece_m, ya])
    ns = np.column_stack([ya, xa, ya, xa + piece_m])
    lines = np.concatenate([ew, ns])
    line_kind = np.concatenate([c, c])
    n_main = len(lines)
    # service pipes across the streets
    n_serv = max(1, int(0.08 * n_main))
    sk = rng.integers(0, g, n_serv)
    along = rng.uniform(0, length, n_serv)
    span = rng.uniform(5.0, 15.0, n_serv)
    side = rng.uniform(-20.0, 20.0 - span)
    horiz = rng.random(n_serv) < 0.5
    a_ = sk * block_m + side
    serv = np.where(horiz[:, None], np.column_stack([along, a_, along, a_ + span]),
                    np.column_stack([a_, along, a_ + span, along]))
    serv_kind = rng.integers(0, nl, n_serv)
    allv = np.concatenate([lines, serv])
    kinds = np.concatenate([line_kind, serv_kind])
    n = len(allv)
    depth = np.array([c[4] for c in _CITY_LINES])[kinds]
    depth_v = np.repeat(depth, 2) + rng.uniform(-0.2, 0.2, 2 * n)
    depth_v[2 * n_main:] = rng.uniform(0.6, 3.0, 2 * (n - n_main))
    vertices = np.column_stack([allv.reshape(-1, 2), -depth_v])
    offsets = np.arange(n + 1, dtype=np.int64) * 2
    size = np.array([c[3] for c in _CITY_LINES])[kinds]
    cat = np.array([c[0] for c in _CITY_LINES], dtype=object)[kinds]
    sub = np.array([c[1] for c in _CITY_LINES], dtype=object)[kinds]
    burial = np.array([c[5] for c in _CITY_LINES], dtype=object)[kinds]
    pressure = np.array([c[6] for c in _CITY_LINES])[kinds]
    dn = np.array([c[7] for c in _CITY_LINES])[kinds]
    ids = np.char.add("S", np.arange(n).astype(str)).astype(object)
    return Pipes.from_arrays(ids, vertices, offsets, size / 2, size / 2, category=cat, subcategory=sub,
                             rules=rules or RuleSet.shipped(), burial_method=burial, pressure_mpa=pressure,
                             dn_mm=dn)


def _flat_ground(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.zeros(np.shape(x))


def bench_clash(n_segments: int, seed: int = 0, baseline: bool = True, repeat: int = 1) -> dict[str, Any]:
    """Time the clash check on :func:`random_city` and a bare shapely STRtree
    ``dwithin`` self-join of the same lines in the same run.

    The baseline builds the plan LineStrings, the tree and queries it with
    ``predicate="dwithin"`` at the largest search distance of the check
    (twice the largest reach), which is what a check without per-class
    reaches must use; the figure with the median reach is also given.
    Peak RSS is the process's high-water mark after the runs (``ru_maxrss``).
    """
    import resource

    import shapely

    rules = RuleSet.shipped()
    t0 = time.perf_counter()
    pipes = random_city(n_segments, seed, rules=rules)
    gen_s = time.perf_counter() - t0
    times = []
    res = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = check_clash(pipes, rules, _flat_ground)
        times.append(time.perf_counter() - t0)
    assert res is not None
    out: dict[str, Any] = {"name": "clash", "segments": len(pipes), "generate_s": gen_s, "check_s": min(times),
                           "findings": len(res), "counts": res.counts}
    if baseline:
        V = pipes.vertices
        h_bound = _bound(rules.horizontal_max_partner(rules.horizontal.codes(pipes.h_class)),
                         rules.horizontal.codes(pipes.h_class), pipes.h_status)
        up, _, _ = pipes.uncertainty(_flat_ground, rules.quality)
        reach = np.nan_to_num(pipes.radius_h_m, nan=UNKNOWN_RADIUS_SEARCH_M) + up + np.fmax(h_bound, 0.5) / 2
        for label, dist in (("max", 2 * float(reach.max())), ("median", 2 * float(np.median(reach)))):
            bt = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                lines = shapely.linestrings(V[:, :2], indices=np.repeat(np.arange(len(pipes)), np.diff(pipes.offsets)))
                tree = shapely.STRtree(lines)
                i, j = tree.query(lines, predicate="dwithin", distance=dist)
                bt.append(time.perf_counter() - t0)
            out[f"strtree_{label}_s"] = min(bt)
            out[f"strtree_{label}_distance_m"] = dist
            out[f"strtree_{label}_pairs"] = int(np.sum(i < j))
        out["ratio_to_strtree_max"] = out["check_s"] / out["strtree_max_s"]
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    return out
