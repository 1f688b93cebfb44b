"""Reconcile GPR picks with the integrated map.

For every mapped pipe the survey line crosses, look for a pick within the
CJJ 61 limits for concealed points (plan 0.10 h, depth 0.15 h, h = the pipe's
centre depth, at least 1 m): the pipe is ``confirmed``, a ``depth_mismatch``
(a pick in plan but not in depth, with the measured difference) or
``not_detected``. Every pick matched to no pipe is an ``unmapped`` anomaly;
its polarity hints at what it is (same sign as the direct wave: a metallic
or water-filled line; opposite: an air void or an empty plastic pipe).

Depths compared: the pipe's top (ground - centre z - r) with the pick's
apex depth (the reflector's top).
"""

from __future__ import annotations

import html
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from ..gdalutil import write_text_atomic
from ..mapread import SegmentArrays

PLAN_FACTOR = 0.10
DEPTH_FACTOR = 0.15
MIN_H_M = 1.0


@dataclass
class PickRecord:
    pick_id: str
    x: float
    y: float
    depth_m: float
    polarity: int = 0
    confidence: float = 1.0
    distance_m: float | None = None


@dataclass
class Finding:
    kind: str  #: confirmed | depth_mismatch | not_detected | unmapped
    x: float
    y: float
    pipe_id: str = ""
    category: str = ""
    owner: str = ""
    pick_id: str = ""
    map_depth_m: float | None = None  #: top of the pipe below ground
    measured_depth_m: float | None = None
    difference_m: float | None = None  #: measured - mapped (m)
    plan_offset_m: float | None = None
    limit_plan_m: float | None = None
    limit_depth_m: float | None = None
    hint: str = ""
    distance_m: float | None = None  #: along the survey line


@dataclass
class Reconciliation:
    findings: list[Finding] = field(default_factory=list)
    crossings: int = 0
    picks: int = 0

    def counts(self) -> dict[str, int]:
        c = Counter(f.kind for f in self.findings)
        return {k: c.get(k, 0) for k in ("confirmed", "depth_mismatch", "not_detected", "unmapped")}


def _polyline_chainage(line: np.ndarray) -> np.ndarray:
    return np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(line, axis=0).T))])


def _segment_intersections(a: np.ndarray, b: np.ndarray) -> list[tuple[int, int, float, float]]:
    """Plan intersections of polylines a (survey) and b (pipe): (i, j, ta, tb)."""
    out = []
    p, r = a[:-1], np.diff(a, axis=0)
    for j in range(len(b) - 1):
        q, s = b[j], b[j + 1] - b[j]
        denom = r[:, 0] * s[1] - r[:, 1] * s[0]
        qp = q - p
        with np.errstate(divide="ignore", invalid="ignore"):
            t = (qp[:, 0] * s[1] - qp[:, 1] * s[0]) / denom
            u = (qp[:, 0] * r[:, 1] - qp[:, 1] * r[:, 0]) / denom
        hit = np.nonzero((denom != 0) & (t >= 0) & (t <= 1) & (u >= 0) & (u <= 1))[0]
        out += [(int(i), j, float(t[i]), float(u[i])) for i in hit]
    return out


def _point_segment_distance(px: float, py: float, line: np.ndarray) -> float:
    a, b = line[:-1], line[1:]
    d = b - a
    len2 = (d ** 2).sum(axis=1)
    t = np.clip(((px - a[:, 0]) * d[:, 0] + (py - a[:, 1]) * d[:, 1]) / np.where(len2 > 0, len2, 1), 0, 1)
    cx, cy = a[:, 0] + t * d[:, 0], a[:, 1] + t * d[:, 1]
    return float(np.min(np.hypot(px - cx, py - cy)))


def reconcile(survey_xy: np.ndarray, picks: list[PickRecord], pipes: SegmentArrays,
              ground: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
              node_ground: dict[str, float] | None = None) -> Reconciliation:
    """Compare picks along one survey line with the mapped pipes it crosses.

    :param survey_xy: (n, 2) positions of the survey's traces (map CRS).
    :param ground: ground sampler (e.g. a DEM) in the map CRS; else the
        ground is interpolated along the pipe from its end points'
        elevations (``node_ground``: point id -> ground z).
    """
    line = np.asarray(survey_xy, dtype=float)
    chain = _polyline_chainage(line)
    result = Reconciliation(picks=len(picks))
    used: set[int] = set()
    lo, hi = line.min(axis=0) - 1, line.max(axis=0) + 1
    crossings: list[tuple[float, Finding, float, float, float]] = []
    for k in range(len(pipes)):
        coords = pipes.coords(k)
        if (coords[:, 0].max() < lo[0] or coords[:, 0].min() > hi[0] or coords[:, 1].max() < lo[1]
                or coords[:, 1].min() > hi[1]):
            continue
        seen: set[tuple[float, float]] = set()
        for i, j, ta, tb in _segment_intersections(line, coords[:, :2]):
            x = line[i, 0] + ta * (line[i + 1, 0] - line[i, 0])
            y = line[i, 1] + ta * (line[i + 1, 1] - line[i, 1])
            key = (round(x, 3), round(y, 3))
            if key in seen:  # the crossing falls on a vertex shared by two pieces
                continue
            seen.add(key)
            z = float(coords[j, 2] + tb * (coords[j + 1, 2] - coords[j, 2]))
            r = float(pipes.height_m[k]) / 2.0 if np.isfinite(pipes.height_m[k]) else 0.0
            g = np.nan
            if ground is not None:
                g = float(np.asarray(ground(np.array([x]), np.array([y])))[0])
            if not np.isfinite(g) and node_ground:
                g0 = node_ground.get(pipes.start_point[k])
                g1 = node_ground.get(pipes.end_point[k])
                if g0 is not None and g1 is not None:
                    along_pipe = _polyline_chainage(coords[: j + 1, :2])[-1] + tb * float(
                        np.hypot(*(coords[j + 1, :2] - coords[j, :2])))
                    frac = along_pipe / max(_polyline_chainage(coords[:, :2])[-1], 1e-9)
                    g = g0 + frac * (g1 - g0)
            along = chain[i] + ta * (chain[i + 1] - chain[i])
            finding = Finding("not_detected", float(x), float(y), pipes.ids[k], pipes.category[k], pipes.owner[k],
                              distance_m=float(along))
            if np.isfinite(g):
                top = g - (z + r)
                h = max(MIN_H_M, g - z)
                finding.map_depth_m = float(top)
                finding.limit_plan_m = PLAN_FACTOR * h
                finding.limit_depth_m = DEPTH_FACTOR * h
            else:
                finding.hint = "ground unknown at the crossing: depth not compared"
                finding.limit_plan_m = PLAN_FACTOR * MIN_H_M
            crossings.append((along, finding, float(z), r, g))
    result.crossings = len(crossings)
    for _, finding, _, _, _ in sorted(crossings, key=lambda c: c[0]):
        best = None
        pipe_line = pipes.coords(pipes.ids.index(finding.pipe_id))[:, :2]
        for n, pk in enumerate(picks):
            if n in used:
                continue
            offset = _point_segment_distance(pk.x, pk.y, pipe_line)
            if offset > (finding.limit_plan_m or 0):
                continue
            score = offset / (finding.limit_plan_m or 1)
            if finding.map_depth_m is not None:
                score += abs(pk.depth_m - finding.map_depth_m) / (finding.limit_depth_m or 1)
            if best is None or score < best[0]:
                best = (score, n, offset)
        if best is None:
            result.findings.append(finding)
            continue
        _, n, offset = best
        used.add(n)
        pk = picks[n]
        finding.pick_id = pk.pick_id
        finding.plan_offset_m = offset
        finding.measured_depth_m = pk.depth_m
        if finding.map_depth_m is None:
            finding.kind = "confirmed"
            finding.hint = "found in plan; depth not compared (ground unknown)"
        else:
            finding.difference_m = pk.depth_m - finding.map_depth_m
            finding.kind = ("confirmed" if abs(finding.difference_m) <= (finding.limit_depth_m or 0)
                            else "depth_mismatch")
        result.findings.append(finding)
    for n, pk in enumerate(picks):
        if n in used:
            continue
        hint = ("opposite polarity to the direct wave: possibly an air void or an empty plastic pipe"
                if pk.polarity < 0 else "same polarity as the direct wave: possibly an unmapped metallic or "
                "water-filled line" if pk.polarity > 0 else "polarity unknown")
        result.findings.append(Finding("unmapped", pk.x, pk.y, pick_id=pk.pick_id, measured_depth_m=pk.depth_m,
                                       hint=hint, distance_m=pk.distance_m))
    return result


KIND_TEXT = {
    "confirmed": "confirmed 已核实",
    "depth_mismatch": "depth mismatch 埋深不符",
    "not_detected": "not detected 未探测到",
    "unmapped": "unmapped anomaly 未入图异常",
}


def render_report(rec: Reconciliation, survey: str, map_path: str) -> str:
    esc = html.escape

    def num(v: float | None, digits: int = 2) -> str:
        return "" if v is None else f"{v:.{digits}f}"

    counts = rec.counts()
    rows = []
    for i, f in enumerate(sorted(rec.findings, key=lambda f: (f.distance_m or 0.0)), start=1):
        rows.append(
            f"<tr><td>{i}</td><td>{esc(KIND_TEXT[f.kind])}</td><td>{num(f.distance_m)}</td><td>{esc(f.pipe_id)}</td>"
            f"<td>{esc(f.category)}</td><td>{esc(f.owner)}</td><td>{esc(f.pick_id)}</td><td>{num(f.map_depth_m)}</td>"
            f"<td>{num(f.measured_depth_m)}</td><td>{num(f.difference_m)}</td><td>{num(f.plan_offset_m)}</td>"
            f"<td>{num(f.limit_plan_m)} / {num(f.limit_depth_m)}</td><td>{esc(f.hint)}</td></tr>")
    return "\n".join([
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>GPR reconciliation</title>",
        "<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}td,th{border:1px solid #aaa;"
        "padding:2px 6px;font-size:90%}th{background:#eee}</style></head><body>",
        "<h1>GPR survey reconciliation / 探地雷达成果与综合图核对</h1>",
        f"<p>Survey 测线: <code>{esc(survey)}</code><br>Map 综合图: <code>{esc(map_path)}</code><br>"
        f"Mapped pipes crossed 穿越管线: {rec.crossings}; picks 异常: {rec.picks}<br>"
        "Limits 限差 (CJJ 61-2017 concealed points 隐蔽点): plan 平面 0.10 h, depth 埋深 0.15 h; "
        "h = centre depth 中心埋深, at least 至少 1 m.</p>",
        "<p>" + ", ".join(f"<b>{KIND_TEXT[k]}</b>: {v}" for k, v in counts.items()) + "</p>",
        "<table><tr><th>#</th><th>finding 结论</th><th>distance 里程 (m)</th><th>pipe 管段</th><th>category 类别</th>"
        "<th>owner 权属</th><th>pick 异常</th><th>map depth 图上埋深 (m)</th><th>measured 实测 (m)</th>"
        "<th>difference 差值 (m)</th><th>plan offset 平面偏差 (m)</th><th>limits 限差 (m)</th><th>note 说明</th></tr>",
        *rows,
        "</table>",
        "<p>Depths are to the pipe top 管顶埋深. Not detected pipes and unmapped anomalies need verification by "
        "exposure (trial pit) 未探测到的管线和未入图异常须开挖验证.</p>",
        "<p style='margin-top:3em'>Surveyed by 探测: ____________ &nbsp; Checked by 检查: ____________ &nbsp; "
        "Survey supervisor 技术负责人: ____________ &nbsp; Date 日期: ____________</p>",
        "</body></html>",
    ])


def write_report(rec: Reconciliation, survey: str, map_path: str, path: str | os.PathLike[str]) -> Path:
    return write_text_atomic(path, render_report(rec, survey, map_path), "reconciliation report")
