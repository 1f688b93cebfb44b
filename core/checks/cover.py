"""Cover-depth check (GB 50289-2016 Table 4.1.1; DESIGN.md section 5).

Each pipe is sampled at its vertices and every ``step_m`` (1 m) of plan
length; at each sample cover = ground - (z + r) with r = half the outer
height, and the requirement is the motor-lane value where the sample lies in
(or on the edge of) a carriageway polygon, else the non-motor value.
margin = cover - required; U = u of the pipe (depth: 0.15 h by default).
Per pipe the governing sample is reported: FAIL before UNCERTAIN before
UNKNOWN before PASS, and within that verdict the smallest margin (so
``min_cover_m`` is the cover at the worst sample).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from ..errors import InputError, PipeMapError
from ..progress import NullProgress, Progress, check_cancel
from . import geometry as geo
from .pipes import Ground, Pipes, _some
from .rules import CLASS_MISSING, RuleSet
from .verdict import ADVICE, GOVERNING_RANK, V_PASS, V_UNKNOWN, VERDICTS, FindingTable, decide, severity

R_NO_GROUND, R_NO_Z, R_NO_SIZE, R_CLASS_MISSING, R_NO_RULE, R_NO_ACCURACY, R_NO_GEOMETRY = (
    "no_ground", "no_z", "no_size", "class_missing", "no_rule", "no_accuracy", "no_geometry")


@dataclass
class CoverFindings(FindingTable):
    FIELDS = ("pipe_id", "category", "cover_class", "surface", "min_cover_m", "required_m", "margin_m",
              "uncertainty_m", "verdict", "rule_id", "severity", "reason", "advice", "x", "y", "ground_z", "z",
              "samples", "unknown_samples")

    pipe_id: np.ndarray
    index: np.ndarray
    category: np.ndarray
    cover_class: np.ndarray
    surface: np.ndarray  #: "motor" | "non_motor" at the reported sample
    min_cover_m: np.ndarray
    required_m: np.ndarray
    margin_m: np.ndarray
    uncertainty_m: np.ndarray
    verdict: np.ndarray
    rule_id: np.ndarray
    severity: np.ndarray
    reason: np.ndarray
    advice: np.ndarray
    x: np.ndarray
    y: np.ndarray
    ground_z: np.ndarray
    z: np.ndarray  #: centreline elevation at the reported sample
    samples: np.ndarray
    unknown_samples: np.ndarray
    counts: dict[str, int] = field(default_factory=dict)
    messages: list[PipeMapError] = field(default_factory=list)


def prepare_polygons(polygons: Sequence[Any], ids: Sequence[Any] | None) -> tuple[Any, list[PipeMapError]]:
    """Polygons as a shapely array, invalid ones repaired (with a message naming them)."""
    import shapely

    geoms = np.asarray(polygons, dtype=object)
    msgs: list[PipeMapError] = []
    if not len(geoms):
        return geoms, msgs
    ids_ = [str(i) for i in (ids if ids is not None else range(1, len(geoms) + 1))]
    missing = np.array([g is None for g in geoms])
    if missing.any():
        msgs.append(InputError("{n} polygons have no geometry and are ignored (e.g. {ids}).",
                               code="check.polygon_missing", n=int(missing.sum()),
                               ids=_some(np.array(ids_, dtype=object)[missing])))
        geoms = np.where(missing, shapely.Polygon(), geoms)
    types = shapely.get_type_id(geoms)
    bad_type = ~np.isin(types, [3, 6, 7]) & ~shapely.is_empty(geoms)
    if bad_type.any():
        raise InputError("The layer must hold polygons; {n} features are not (e.g. {ids}).",
                         code="check.not_polygon", n=int(bad_type.sum()),
                         ids=_some(np.array(ids_, dtype=object)[bad_type]))
    geoms = shapely.force_2d(geoms)
    invalid = ~shapely.is_valid(geoms)
    if invalid.any():
        reasons = shapely.is_valid_reason(geoms[invalid])
        for k, r in zip(np.flatnonzero(invalid)[:5], reasons[:5]):
            msgs.append(InputError("The polygon {id} is invalid ({reason}); it was repaired with make_valid: "
                                   "check its outline.", code="check.invalid_polygon",
                                   id=ids_[k], reason=str(r)))
        if invalid.sum() > 5:
            msgs.append(InputError("{n} more polygons were invalid and repaired.",
                                   code="check.invalid_polygon_more", n=int(invalid.sum() - 5)))
        fixed = shapely.make_valid(geoms[invalid])
        # keep only the areal part of what make_valid returns
        fixed = np.array([_areal(g) for g in fixed], dtype=object)
        geoms = geoms.copy()
        geoms[invalid] = fixed
    return geoms, msgs


def _areal(g: Any) -> Any:
    import shapely

    parts = shapely.get_parts(g)
    polys = [p for p in parts if shapely.get_type_id(p) in (3, 6)]
    return shapely.union_all(polys) if polys else shapely.Polygon()


def check_cover(pipes: Pipes, rules: RuleSet, ground: Ground | None, roads: Sequence[Any] | None = None, *,
                road_ids: Sequence[Any] | None = None, step_m: float = 1.0, strict: bool = False,
                include_pass: bool = False, max_samples: int = 2_000_000,
                progress: Progress | None = None) -> CoverFindings:
    """Cover of every pipe against Table 4.1.1 (or the user's cover table).

    :param ground: ground elevation (x, y) -> z (DEM, TIN); None: every cover is UNKNOWN.
    :param roads: carriageway polygons (shapely), motor-lane values inside them.
    """
    import shapely

    if not step_m > 0:
        raise InputError("The sampling step must be more than 0 m (got {step}).", code="check.step", step=step_m)
    progress = progress or NullProgress()
    messages = pipes.problems(("cover",))
    if ground is None:
        messages.append(InputError("No ground surface was given: every cover figure is UNKNOWN.",
                                   code="check.no_ground"))
    road_union = None
    if roads is not None and len(roads):
        geoms, msgs = prepare_polygons(roads, road_ids)
        messages += msgs
        road_union = shapely.union_all(geoms)
        shapely.prepare(road_union)
    _, ud, qmsgs = pipes.uncertainty(ground, rules.quality)
    messages += qmsgs
    cc = rules.cover.codes(pipes.cover_class)
    usable = np.flatnonzero(pipes.usable())
    # chunks of pipes with about max_samples samples each
    est = _plan_lengths(pipes)[usable] / step_m + np.diff(pipes.offsets)[usable] + 1
    cum = np.cumsum(est)
    nchunks = int(cum[-1] // max_samples) + 1 if len(cum) else 0
    cuts = np.unique(np.concatenate([[0], np.searchsorted(cum, np.arange(1, nchunks) * max_samples),
                                     [len(usable)]])).astype(np.int64)
    parts: list[dict[str, np.ndarray]] = []
    outside = np.zeros(len(pipes), dtype=bool)
    for lo, hi in zip(cuts[:-1], cuts[1:]):
        parts.append(_cover_chunk(pipes, rules, ground, road_union, usable[lo:hi], cc, ud, step_m, strict,
                                  outside))
        progress.report(hi / max(len(usable), 1))
        check_cancel(progress)
    if ground is not None and outside.any():
        messages.append(InputError("{n} pipes lie partly or wholly outside the ground surface: their cover is "
                                   "UNKNOWN there (e.g. {ids}).", code="check.ground_outside",
                                   n=int(outside.sum()), ids=_some(pipes.ids[outside])))
    names = ("pipe", "surface", "cover", "required", "margin", "u", "codes", "rid", "sev", "reason", "x", "y", "g",
             "z", "n", "nu")
    bad = np.flatnonzero(~pipes.usable())
    if len(bad):  # pipes without a usable line: UNKNOWN, never left out silently
        nan = np.full(len(bad), np.nan)
        start_xy = pipes.endpoints()[0][bad]
        fx, fy = start_xy[:, 0], start_xy[:, 1]
        parts.append({"pipe": bad, "surface": np.full(len(bad), "", dtype=object), "cover": nan, "required": nan,
                      "margin": nan, "u": ud[bad], "codes": np.full(len(bad), V_UNKNOWN, dtype=np.int8),
                      "rid": np.full(len(bad), "", dtype=object), "sev": np.full(len(bad), "warning", dtype=object),
                      "reason": np.full(len(bad), R_NO_GEOMETRY, dtype=object), "x": fx, "y": fy, "g": nan, "z": nan,
                      "n": np.zeros(len(bad), dtype=np.int64), "nu": np.zeros(len(bad), dtype=np.int64)})
    res = {k: np.concatenate([p[k] for p in parts]) if parts else np.zeros(0) for k in names}
    codes = res["codes"].astype(np.int64)
    counts = {"pipes": int(len(codes)), "samples": int(res["n"].sum()) if len(codes) else 0}
    for code, name in enumerate(VERDICTS):
        counts[str(name)] = int(np.sum(codes == code))
    counts["no_rule"] = int(np.sum(res["reason"] == R_NO_RULE)) if len(codes) else 0
    keep = np.ones(len(codes), dtype=bool) if include_pass else codes != V_PASS
    idx = res["pipe"].astype(np.int64)[keep]
    out = CoverFindings(
        pipe_id=pipes.ids[idx], index=idx, category=pipes.category[idx], cover_class=pipes.cover_class[idx],
        surface=res["surface"][keep].astype(object), min_cover_m=res["cover"][keep], required_m=res["required"][keep],
        margin_m=res["margin"][keep], uncertainty_m=res["u"][keep],
        verdict=VERDICTS[codes[keep]] if keep.any() else np.zeros(0, dtype=object),
        rule_id=res["rid"][keep].astype(object), severity=res["sev"][keep].astype(object),
        reason=res["reason"][keep].astype(object),
        advice=np.array([ADVICE[int(c)] for c in codes[keep]], dtype=object),
        x=res["x"][keep], y=res["y"][keep], ground_z=res["g"][keep], z=res["z"][keep],
        samples=res["n"][keep].astype(np.int64), unknown_samples=res["nu"][keep].astype(np.int64), counts=counts,
        messages=messages)
    progress.report(1.0)
    return out


def _plan_lengths(pipes: Pipes) -> np.ndarray:
    v = pipes.vertices
    seg = np.zeros(len(v))
    if len(v) > 1:
        seg[:-1] = np.hypot(np.diff(v[:, 0]), np.diff(v[:, 1]))
    seg[pipes.offsets[1:][pipes.offsets[1:] > 0] - 1] = 0.0
    seg = np.nan_to_num(seg)
    c = np.concatenate([[0.0], np.cumsum(seg)])
    return c[pipes.offsets[1:]] - c[pipes.offsets[:-1]]


def _cover_chunk(pipes: Pipes, rules: RuleSet, ground: Ground | None, road_union: Any, sel: np.ndarray,
                 cc: np.ndarray, ud: np.ndarray, step_m: float, strict: bool, outside: np.ndarray) -> dict:
    import shapely

    pipe, start, t = geo.sample_polylines(pipes.vertices, pipes.offsets, step_m, sel)
    pts = geo.interpolate(pipes.vertices, start, t)
    x, y, z = pts[:, 0], pts[:, 1], pts[:, 2]
    g = np.asarray(ground(x, y), dtype=float) if ground is not None else np.full(len(x), np.nan)
    if ground is not None:
        miss = ~np.isfinite(g)
        outside[np.unique(pipe[miss])] = True
    # not shapely.intersects_xy: inside qgis_process QGIS's older system GEOS (3.11) is loaded first and
    # the GEOS >= 3.12 "XY" predicates crash there; points + a prepared intersects work with both
    motor = (shapely.intersects(road_union, shapely.points(x, y)) if road_union is not None
             else np.zeros(len(x), dtype=bool))
    rv = pipes.radius_v_m[pipe]
    cover = g - (z + rv)
    code = cc[pipe]
    col = motor.astype(np.int64)
    has_cls = code >= 0
    table = rules.cover
    if len(table.classes):
        required = np.where(has_cls, table.value[np.maximum(code, 0), col], np.nan)
        ridx = np.where(has_cls, table.rule_index[np.maximum(code, 0), col], -1)
    else:
        required = np.full(len(x), np.nan)
        ridx = np.full(len(x), -1)
    u = ud[pipe]
    margin = cover - required
    codes = decide(margin, u)
    reason = np.full(len(x), "", dtype=object)
    status_missing = pipes.cover_status[pipe] == CLASS_MISSING
    for mask, r in ((~np.isfinite(u), R_NO_ACCURACY), (~np.isfinite(required) & ~status_missing, R_NO_RULE),
                    (status_missing, R_CLASS_MISSING), (~np.isfinite(rv), R_NO_SIZE), (~np.isfinite(g), R_NO_GROUND),
                    (~np.isfinite(z), R_NO_Z)):
        reason[mask] = r
    codes[reason != ""] = V_UNKNOWN
    # governing sample per pipe
    rank = GOVERNING_RANK[codes]
    starts = np.flatnonzero(np.r_[True, pipe[1:] != pipe[:-1]])
    pipe_rank = np.maximum.reduceat(rank, starts)
    group = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(pipe)]))
    not_gov = (rank != pipe_rank[group]).astype(np.int8)
    m_f = np.where(np.isfinite(margin), margin, np.inf)
    order = np.lexsort((m_f, not_gov, group))
    pick = order[starts]
    n = np.diff(np.r_[starts, len(pipe)])
    nu = np.add.reduceat((codes == V_UNKNOWN).astype(np.int64), starts)
    ver = table.verified[np.maximum(ridx[pick], 0)] & (ridx[pick] >= 0) if len(table.rules) else \
        np.zeros(len(pick), bool)
    rid = np.where(ridx[pick] >= 0, table.rule_ids[np.maximum(ridx[pick], 0)], "").astype(object)
    rid[reason[pick] == R_NO_RULE] = "no_rule"
    return {"pipe": pipe[pick], "surface": np.where(motor[pick], "motor", "non_motor").astype(object),
            "cover": cover[pick], "required": required[pick], "margin": margin[pick], "u": u[pick],
            "codes": codes[pick], "rid": rid, "sev": severity(codes[pick], ver, strict), "reason": reason[pick],
            "x": x[pick], "y": y[pick], "g": g[pick], "z": z[pick], "n": n, "nu": nu}
