"""Profiles drawn from an integrated map: a connected run between two points
(longitudinal) or every pipe a section line crosses (cross-section)."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, is_dataclass
from pathlib import Path
from typing import Any

import numpy as np

from . import profile as P  # noqa: N812
from .errors import InputError
from .gdalutil import write_text_atomic
from .mapread import SegmentArrays, read_points, read_segments
from .raster import DemSampler
from .runs import find_run


def _record(segs: SegmentArrays, k: int, reverse: bool = False) -> P.PipeRecord:
    xyz = segs.coords(k)
    if reverse:
        xyz = xyz[::-1]
    cat = segs.category[k] or "QT"
    inner = segs.inner_height_m[k]
    inner_v = float(inner) if np.isfinite(inner) and inner > 0 else None
    w, h = float(segs.width_m[k]), float(segs.height_m[k])
    if not (w > 0 and h > 0):  # a line without size (cable): a thin marker
        w = h = 0.05
        inner_v = None
    if segs.shape[k] == "box":
        return P.PipeRecord.box(segs.ids[k], cat, xyz, w, h, min(inner_v, h) if inner_v else None)
    return P.PipeRecord.circular(segs.ids[k], cat, xyz, w, min(inner_v, w) if inner_v else None)


def long_profile_from_map(map_path: str | os.PathLike[str], from_point: str, to_point: str,
                          category: str | None = None, dem: str | os.PathLike[str] | None = None) -> P.LongProfile:
    segs = read_segments(map_path)
    run = find_run(segs, from_point, to_point, category)
    records = [_record(segs, k, rev) for k, rev in run]
    labels = [from_point]
    for k, rev in run:
        labels.append(segs.start_point[k] if rev else segs.end_point[k])
    pts = read_points(map_path)
    ground_of = {pid: float(z) for pid, z in zip(pts.ids, pts.xyz[:, 2]) if np.isfinite(z)}
    sampler = DemSampler(dem) if dem else None
    return P.long_profile(records, ground=sampler, node_ground_m=[ground_of.get(lab) for lab in labels],
                          node_labels=labels)


def cross_section_from_map(map_path: str | os.PathLike[str], line_xy: np.ndarray,
                           dem: str | os.PathLike[str] | None = None, margin_m: float = 5.0) -> P.CrossSection:
    line = np.asarray(line_xy, dtype=float)
    if line.ndim != 2 or line.shape[0] < 2:
        raise InputError("The section line needs at least two vertices.", code="section.short")
    segs = read_segments(map_path)
    lo = line.min(axis=0) - margin_m
    hi = line.max(axis=0) + margin_m
    keep = []
    for k in range(len(segs)):
        c = segs.coords(k)
        if (c[:, 0].max() >= lo[0] and c[:, 0].min() <= hi[0] and c[:, 1].max() >= lo[1]
                and c[:, 1].min() <= hi[1]):
            keep.append(k)
    records = [_record(segs, k) for k in keep]
    sampler = DemSampler(dem) if dem else None
    ground_points = None
    if sampler is None:
        pts = read_points(map_path)
        near = ((pts.xyz[:, 0] >= lo[0] - 50) & (pts.xyz[:, 0] <= hi[0] + 50)
                & (pts.xyz[:, 1] >= lo[1] - 50) & (pts.xyz[:, 1] <= hi[1] + 50) & np.isfinite(pts.xyz[:, 2]))
        if near.any():
            sel = pts.xyz[near]
            ground_points = (sel[:, 0], sel[:, 1], sel[:, 2])
    return P.cross_section(line, records, ground=sampler, ground_points=ground_points)


def _plain(value: Any) -> Any:
    if is_dataclass(value):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if isinstance(value, np.generic):
        return _plain(value.item())
    return value


def write_figures(obj: Any, path: str | os.PathLike[str]) -> Path:
    """The figures drawn (depths, clearances...) as JSON beside the drawing."""
    return write_text_atomic(path, json.dumps(_plain(obj), ensure_ascii=False, indent=1), "figures")
