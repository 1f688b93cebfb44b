"""Longitudinal profiles (纵断面) and cross-sections (横断面) of buried pipes, and their drawings.

Geometry conventions (the same as the map's ``pipe_segment`` layer):

* a pipe is a centreline polyline whose z is the elevation of the pipe
  **centre** (m);
* its section is circular (outer diameter ``D``; ``width_m == height_m == D``)
  or a box (outer width ``W`` × outer height ``H``);
* pipe top = z + H/2, outer bottom = z − H/2, invert (inner bottom) =
  z − h_inner/2 where h_inner is the inner nominal diameter DN (or the inner
  clear height of a box); when it is unknown the outer size is used;
* cover (覆土) = ground − pipe top; depth to invert (管底埋深) = ground − invert;
* the slope of a segment (坡度, ‰) follows Chinese drainage practice: it is
  **positive when the pipe falls in the direction of the run** (chainage
  increasing), i.e. ``(z_start − z_end) / plan_length × 1000``, computed on the
  centreline (the same as the invert slope for a constant section);
* lengths and chainages (桩号) are plan (horizontal) distances.

The computations need only numpy. The drawings use matplotlib's object API
(:class:`matplotlib.figure.Figure` with an Agg canvas; never pyplot) inside a
local ``rc_context``, so no global matplotlib state is touched. Files are
written to a temporary file in the target folder and renamed when complete.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .codes import CATEGORY_BY_CODE
from .errors import InputError, OutputError
from .gdalutil import remove_quietly, temp_path_beside

#: A ground sampler: elevations (m) at arrays of plan coordinates, NaN where unknown.
GroundFn = Callable[[np.ndarray, np.ndarray], np.ndarray]

#: Consecutive segments of a run must meet within this plan distance (m).
END_TOLERANCE_M = 0.01
#: Two intersections of one pipe closer than this (m) are the same crossing.
_SAME_POINT_M = 1e-6
#: Upper bound on ground samples, against an absurd ``step_m``.
_MAX_SAMPLES = 200_000
#: Number of nearest ground points used by the inverse-distance interpolation.
IDW_NEIGHBOURS = 6

SHAPES = ("circular", "box")
#: Drawing formats accepted by the render functions.
FORMATS = ("png", "svg", "pdf")

#: Column of the (n_nodes, 2) node arrays of :class:`LongProfile`.
IN, OUT = 0, 1


# --------------------------------------------------------------------------- inputs


@dataclass(frozen=True, eq=False)
class PipeRecord:
    """One pipe segment: centreline polyline and section.

    :param pipe_id: stable id shown in tables and error messages.
    :param category: CJJ 61 category code (``"JS"``, ``"PS"``...).
    :param xyz: vertices, shape (n, 3), n ≥ 2; z = centreline elevation (m).
        Stored as a read-only float copy.
    :param shape: ``"circular"`` or ``"box"``.
    :param width_m: outer width (m); for a circular pipe the outer diameter.
    :param height_m: outer height (m); for a circular pipe the outer diameter.
    :param inner_height_m: inner nominal diameter DN (circular) or inner clear
        height (box), m; ``None`` when unknown (the outer height is used).
    :param label: display name (defaults to ``pipe_id`` in drawings).
    :raises InputError: for bad coordinates, an unknown category or shape, or
        sizes that are not positive.
    """

    pipe_id: str
    category: str
    xyz: np.ndarray
    shape: str
    width_m: float
    height_m: float
    inner_height_m: float | None = None
    label: str = ""

    def __post_init__(self) -> None:
        pid = str(self.pipe_id)
        object.__setattr__(self, "pipe_id", pid)
        cat = str(self.category).strip().upper()
        if cat not in CATEGORY_BY_CODE:
            raise InputError(
                "Pipe {pipe_id} has the unknown category {category!r}; expected one of {known}.",
                code="profile.category",
                pipe_id=pid,
                category=self.category,
                known=", ".join(CATEGORY_BY_CODE),
            )
        object.__setattr__(self, "category", cat)
        object.__setattr__(self, "shape", str(self.shape).strip().lower())
        if self.shape not in SHAPES:
            raise InputError(
                "Pipe {pipe_id} has the unknown section shape {shape!r}; expected 'circular' or 'box'.",
                code="profile.shape",
                pipe_id=pid,
                shape=self.shape,
            )
        object.__setattr__(self, "xyz", _as_xyz(pid, self.xyz))
        width = _positive(pid, "width_m", self.width_m)
        height = _positive(pid, "height_m", self.height_m)
        if self.shape == "circular" and abs(width - height) > 1e-9:
            raise InputError(
                "Pipe {pipe_id} is circular but its width {width_m} m differs from its height {height_m} m; "
                "give the outer diameter as both.",
                code="profile.size",
                pipe_id=pid,
                width_m=width,
                height_m=height,
            )
        object.__setattr__(self, "width_m", width)
        object.__setattr__(self, "height_m", height)
        if self.inner_height_m is not None:
            inner = _positive(pid, "inner_height_m", self.inner_height_m)
            if inner > height + 1e-9:
                raise InputError(
                    "Pipe {pipe_id} has an inner height of {inner} m, larger than its outer height {height} m.",
                    code="profile.size",
                    pipe_id=pid,
                    inner=inner,
                    height=height,
                )
            object.__setattr__(self, "inner_height_m", inner)
        object.__setattr__(self, "label", str(self.label or ""))

    @classmethod
    def circular(
        cls,
        pipe_id: str,
        category: str,
        xyz: Any,
        outer_diameter_m: float,
        inner_diameter_m: float | None = None,
        label: str = "",
    ) -> PipeRecord:
        """A circular pipe of outer diameter D (and inner nominal diameter DN when known)."""
        return cls(pipe_id, category, xyz, "circular", outer_diameter_m, outer_diameter_m, inner_diameter_m, label)

    @classmethod
    def box(
        cls,
        pipe_id: str,
        category: str,
        xyz: Any,
        width_m: float,
        height_m: float,
        inner_height_m: float | None = None,
        label: str = "",
    ) -> PipeRecord:
        """A box section (culvert, duct bank, utility tunnel) of outer width × height."""
        return cls(pipe_id, category, xyz, "box", width_m, height_m, inner_height_m, label)

    @property
    def half_height_m(self) -> float:
        """Centre to outer top (m)."""
        return self.height_m / 2.0

    @property
    def inner_half_height_m(self) -> float:
        """Centre to invert (m): DN/2, or the outer half height when DN is unknown."""
        return (self.inner_height_m if self.inner_height_m is not None else self.height_m) / 2.0

    @property
    def name(self) -> str:
        """The label, or the id when there is no label."""
        return self.label or self.pipe_id

    @property
    def plan_length_m(self) -> float:
        """Horizontal length of the centreline (m)."""
        return float(np.sum(np.hypot(*np.diff(self.xyz[:, :2], axis=0).T)))

    @property
    def size_text(self) -> str:
        """Section as printed on Chinese drawings, in mm: ``DN600``, ``D660`` or ``1200×800``."""
        return _size_text(self.shape, self.width_m, self.height_m, self.inner_height_m)


def _size_text(shape: str, width_m: float, height_m: float, inner_height_m: float | None) -> str:
    if shape == "box":
        return f"{width_m * 1000:.0f}×{height_m * 1000:.0f}"
    if inner_height_m is not None:
        return f"DN{inner_height_m * 1000:.0f}"
    return f"D{width_m * 1000:.0f}"


def _as_xyz(pipe_id: str, xyz: Any) -> np.ndarray:
    try:
        arr = np.array(xyz, dtype=float)
    except (TypeError, ValueError):
        raise InputError(
            "Pipe {pipe_id} has vertices that are not numbers.", code="profile.xyz", pipe_id=pipe_id
        ) from None
    if arr.ndim != 2 or arr.shape[1] != 3 or arr.shape[0] < 2:
        raise InputError(
            "Pipe {pipe_id} needs at least two vertices with x, y and z (an array of shape (n, 3)); got shape {shape}.",
            code="profile.xyz",
            pipe_id=pipe_id,
            shape=tuple(arr.shape),
        )
    if not np.all(np.isfinite(arr)):
        raise InputError(
            "Pipe {pipe_id} has a missing or infinite coordinate (is its centreline elevation unknown?).",
            code="profile.xyz",
            pipe_id=pipe_id,
        )
    arr.setflags(write=False)
    return arr


def _positive(pipe_id: str, name: str, value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = math.nan
    if not (math.isfinite(number) and number > 0):
        raise InputError(
            "Pipe {pipe_id} has {field} = {value!r}; a positive size in metres is required.",
            code="profile.size",
            pipe_id=pipe_id,
            field=name,
            value=value,
        )
    return number


def _check_step(step_m: Any) -> float:
    try:
        step = float(step_m)
    except (TypeError, ValueError):
        step = math.nan
    if not (math.isfinite(step) and step > 0):
        raise InputError(
            "The ground sampling step must be a positive number of metres; got {step!r}.",
            code="profile.step",
            step=step_m,
        )
    return step


def _sample_ground(ground: GroundFn, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Call a ground sampler; its answer must broadcast to the shape of ``x``."""
    z = np.asarray(ground(x, y), dtype=float)
    try:
        z = np.array(np.broadcast_to(z, x.shape), dtype=float)
    except ValueError:
        raise InputError(
            "The ground sampler returned {got} values for {n} points; it must return one elevation per point.",
            code="profile.ground",
            got=int(z.size),
            n=int(x.size),
        ) from None
    z[~np.isfinite(z)] = np.nan
    return z


def _sample_offsets(length_m: float, step_m: float, extra: Iterable[float]) -> np.ndarray:
    count = int(math.floor(length_m / step_m)) + 1
    if count > _MAX_SAMPLES:
        raise InputError(
            "A ground step of {step} m over {length:.1f} m needs {count} samples (at most {limit}); use a larger step.",
            code="profile.step",
            step=step_m,
            length=length_m,
            count=count,
            limit=_MAX_SAMPLES,
        )
    s = np.concatenate([np.arange(count) * step_m, [length_m], np.fromiter(extra, dtype=float)])
    s = s[(s >= 0) & (s <= length_m)]
    return np.unique(np.round(s, 9))


# --------------------------------------------------------------------------- long profile


@dataclass(frozen=True, eq=False)
class LongProfile:
    """A longitudinal profile of a connected run of segments.

    Per segment (``n`` segments, in run order): ``pipe_ids``, ``categories``,
    ``shapes``, ``seg_labels``, ``seg_width_m``, ``seg_height_m``,
    ``seg_inner_height_m`` (the DN/inner height actually used for inverts),
    ``seg_length_m`` (plan), ``seg_slope_permille`` (positive = falling along
    the run; NaN for a zero-length segment) and, for drawing the pipe,
    ``seg_vertex_chainage_m`` / ``seg_vertex_centre_m`` (one array per segment).

    Per node (``n + 1`` nodes: the run start, then the end of every segment):
    ``node_labels``, ``node_xy``, ``node_chainage_m``, ``node_ground_m`` (NaN
    when unknown). The pipe elevations at a node are shape ``(n + 1, 2)``:
    column :data:`IN` (0) is the end of the segment arriving at the node and
    column :data:`OUT` (1) the start of the segment leaving it (they differ at
    a drop or a change of size); NaN where there is no such segment (IN of the
    first node, OUT of the last). ``node_centre_m``, ``node_top_m``,
    ``node_invert_m`` are elevations; ``node_cover_m`` (ground − top) and
    ``node_depth_invert_m`` (ground − invert) are depths.

    ``ground_chainage_m`` / ``ground_m`` is the ground line (sampled every
    ``step_m`` plus at every vertex when a ground sampler was given, else the
    known node grounds); ``ground_source`` is ``"sampler"``, ``"nodes"`` or
    ``"none"``.
    """

    pipe_ids: tuple[str, ...]
    categories: tuple[str, ...]
    shapes: tuple[str, ...]
    seg_labels: tuple[str, ...]
    seg_width_m: np.ndarray
    seg_height_m: np.ndarray
    seg_inner_height_m: np.ndarray
    seg_inner_known: tuple[bool, ...]
    seg_length_m: np.ndarray
    seg_slope_permille: np.ndarray
    seg_vertex_chainage_m: tuple[np.ndarray, ...]
    seg_vertex_centre_m: tuple[np.ndarray, ...]
    node_labels: tuple[str, ...]
    node_xy: np.ndarray
    node_chainage_m: np.ndarray
    node_ground_m: np.ndarray
    node_centre_m: np.ndarray
    node_top_m: np.ndarray
    node_invert_m: np.ndarray
    node_cover_m: np.ndarray
    node_depth_invert_m: np.ndarray
    ground_chainage_m: np.ndarray
    ground_m: np.ndarray
    ground_source: str
    step_m: float

    @property
    def length_m(self) -> float:
        """Total plan length of the run (m)."""
        return float(self.node_chainage_m[-1])

    @property
    def n_segments(self) -> int:
        return len(self.pipe_ids)

    def seg_size_text(self, k: int) -> str:
        """Section of segment ``k`` as printed on drawings (``DN600``, ``1200×800``)."""
        inner = float(self.seg_inner_height_m[k]) if self.seg_inner_known[k] else None
        return _size_text(self.shapes[k], float(self.seg_width_m[k]), float(self.seg_height_m[k]), inner)


def long_profile(
    run: Sequence[PipeRecord],
    ground: GroundFn | None = None,
    node_ground_m: Sequence[float | None] | None = None,
    node_labels: Sequence[str] | None = None,
    step_m: float = 1.0,
) -> LongProfile:
    """Compute the longitudinal profile of a connected run of segments.

    :param run: segments in order, each oriented so that its end is the next
        one's start (within :data:`END_TOLERANCE_M` in plan).
    :param ground: ground sampler ``ground(x, y) -> z`` (e.g. a DEM); when
        given it provides the node grounds (``node_ground_m`` only fills the
        nodes where it answers NaN) and a ground line sampled every ``step_m``.
    :param node_ground_m: surveyed ground elevation of each node (``n + 1``
        values, ``None`` for unknown), used when there is no sampler.
    :param node_labels: point ids of the ``n + 1`` nodes (default ``N1``...).
    :param step_m: ground sampling step along the run (m).
    :raises InputError: an empty run, segments that do not meet (naming both
        pipes), a run without plan length, or lists of the wrong length.
    """
    run = list(run)
    if not run:
        raise InputError("A longitudinal profile needs at least one pipe segment; the run is empty.",
                         code="profile.empty")
    for item in run:
        if not isinstance(item, PipeRecord):
            raise InputError("The run must hold pipe records; got {what}.", code="profile.type",
                             what=type(item).__name__)
    step = _check_step(step_m)
    for a, b in zip(run, run[1:]):
        gap = float(np.hypot(*(b.xyz[0, :2] - a.xyz[-1, :2])))
        if gap > END_TOLERANCE_M:
            reversed_fits = float(np.hypot(*(b.xyz[-1, :2] - a.xyz[-1, :2]))) <= END_TOLERANCE_M
            raise InputError(
                "Pipe {first} ends {gap:.3f} m from where pipe {second} starts; a run must be ordered and "
                "each segment must start where the previous one ends (within {tol} m).{hint}",
                code="profile.run_gap",
                first=a.pipe_id,
                second=b.pipe_id,
                gap=gap,
                tol=END_TOLERANCE_M,
                hint=f" Pipe {b.pipe_id} seems reversed." if reversed_fits else "",
            )
    n = len(run)
    n_nodes = n + 1
    labels = _node_list(node_labels, n_nodes, "node_labels", str)
    if labels is None:
        labels = [f"N{i + 1}" for i in range(n_nodes)]
    surveyed = _node_list(node_ground_m, n_nodes, "node_ground_m", _float_or_nan)

    vertex_ch: list[np.ndarray] = []
    vertex_z: list[np.ndarray] = []
    seg_len = np.empty(n)
    start = 0.0
    for k, pipe in enumerate(run):
        steps = np.hypot(*np.diff(pipe.xyz[:, :2], axis=0).T)
        ch = start + np.concatenate([[0.0], np.cumsum(steps)])
        ch.setflags(write=False)
        z = pipe.xyz[:, 2].copy()
        z.setflags(write=False)
        vertex_ch.append(ch)
        vertex_z.append(z)
        seg_len[k] = ch[-1] - start
        start = float(ch[-1])
    total = start
    if total <= 0:
        raise InputError("The run {ids} has no horizontal length; a profile cannot be drawn.",
                         code="profile.no_length", ids=", ".join(p.pipe_id for p in run))
    node_ch = np.concatenate([[0.0], np.cumsum(seg_len)])
    node_xy = np.vstack([run[0].xyz[0, :2]] + [p.xyz[-1, :2] for p in run])

    z_start = np.array([p.xyz[0, 2] for p in run])
    z_end = np.array([p.xyz[-1, 2] for p in run])
    half = np.array([p.half_height_m for p in run])
    inner_half = np.array([p.inner_half_height_m for p in run])
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(seg_len > 0, (z_start - z_end) / np.where(seg_len > 0, seg_len, 1.0) * 1000.0, np.nan)

    def in_out(at_start: np.ndarray, at_end: np.ndarray) -> np.ndarray:
        out = np.full((n_nodes, 2), np.nan)
        out[1:, IN] = at_end
        out[:-1, OUT] = at_start
        return out

    centre = in_out(z_start, z_end)
    top = centre + in_out(half, half)
    invert = centre - in_out(inner_half, inner_half)

    if ground is not None:
        node_ground = _sample_ground(ground, node_xy[:, 0].copy(), node_xy[:, 1].copy())
        if surveyed is not None:
            node_ground = np.where(np.isnan(node_ground), np.asarray(surveyed, dtype=float), node_ground)
        all_ch = np.concatenate(vertex_ch)
        all_xy = np.vstack([p.xyz[:, :2] for p in run])
        g_ch = _sample_offsets(total, step, all_ch)
        gx = np.interp(g_ch, all_ch, all_xy[:, 0])
        gy = np.interp(g_ch, all_ch, all_xy[:, 1])
        g_z = _sample_ground(ground, gx, gy)
        source = "sampler"
    elif surveyed is not None:
        node_ground = np.asarray(surveyed, dtype=float)
        g_ch, g_z = node_ch.copy(), node_ground.copy()
        source = "nodes" if np.any(np.isfinite(node_ground)) else "none"
    else:
        node_ground = np.full(n_nodes, np.nan)
        g_ch, g_z = np.empty(0), np.empty(0)
        source = "none"

    ground_col = node_ground[:, None]
    return LongProfile(
        pipe_ids=tuple(p.pipe_id for p in run),
        categories=tuple(p.category for p in run),
        shapes=tuple(p.shape for p in run),
        seg_labels=tuple(p.name for p in run),
        seg_width_m=_frozen(np.array([p.width_m for p in run])),
        seg_height_m=_frozen(half * 2.0),
        seg_inner_height_m=_frozen(inner_half * 2.0),
        seg_inner_known=tuple(p.inner_height_m is not None for p in run),
        seg_length_m=_frozen(seg_len),
        seg_slope_permille=_frozen(slope),
        seg_vertex_chainage_m=tuple(vertex_ch),
        seg_vertex_centre_m=tuple(vertex_z),
        node_labels=tuple(labels),
        node_xy=_frozen(node_xy),
        node_chainage_m=_frozen(node_ch),
        node_ground_m=_frozen(node_ground),
        node_centre_m=_frozen(centre),
        node_top_m=_frozen(top),
        node_invert_m=_frozen(invert),
        node_cover_m=_frozen(ground_col - top),
        node_depth_invert_m=_frozen(ground_col - invert),
        ground_chainage_m=_frozen(np.asarray(g_ch, dtype=float)),
        ground_m=_frozen(np.asarray(g_z, dtype=float)),
        ground_source=source,
        step_m=step,
    )


def _float_or_nan(value: Any) -> float:
    if value is None:
        return math.nan
    number = float(value)
    return number if math.isfinite(number) else math.nan


def _node_list(values: Sequence[Any] | None, n_nodes: int, name: str, convert: Callable[[Any], Any]) -> list | None:
    if values is None:
        return None
    values = list(values)
    if len(values) != n_nodes:
        raise InputError(
            "{name} has {got} values but the run has {n} nodes (one more than its segments).",
            code="profile.nodes",
            name=name,
            got=len(values),
            n=n_nodes,
        )
    try:
        return [convert(v) for v in values]
    except (TypeError, ValueError):
        raise InputError("{name} holds a value that is not valid: {values!r}.", code="profile.nodes",
                         name=name, values=values[:20]) from None


def _frozen(arr: np.ndarray) -> np.ndarray:
    arr = np.array(arr, dtype=float)
    arr.setflags(write=False)
    return arr


# --------------------------------------------------------------------------- cross-section


@dataclass(frozen=True)
class Crossing:
    """Where one pipe crosses the section line.

    ``offset_m`` is the plan distance along the section line from its first
    vertex; ``x``/``y`` the plan position; ``z_centre_m`` the centreline
    elevation interpolated linearly along the pipe; ``top_m``/``bottom_m`` the
    outer surfaces and ``invert_m`` the inner bottom; ``width_m``/``height_m``
    the TRUE outer size (not stretched by the crossing angle);
    ``angle_deg`` the plan angle between pipe and section line (0–90°, 90 =
    square crossing); ``ground_m`` and ``cover_m`` (ground − top) are NaN when
    the ground is unknown.
    """

    pipe_id: str
    category: str
    label: str
    shape: str
    offset_m: float
    x: float
    y: float
    z_centre_m: float
    top_m: float
    bottom_m: float
    invert_m: float
    width_m: float
    height_m: float
    inner_height_m: float | None
    angle_deg: float
    ground_m: float
    cover_m: float

    @property
    def size_text(self) -> str:
        return _size_text(self.shape, self.width_m, self.height_m, self.inner_height_m)


@dataclass(frozen=True)
class Clearance:
    """Clear distances between two neighbouring crossings (sorted by offset).

    ``index_a``/``index_b`` index :attr:`CrossSection.crossings` (a < b);
    ``horizontal_m`` = |offset_b − offset_a| − width_a/2 − width_b/2 (negative
    when they overlap in the section's horizontal direction);
    ``vertical_m`` = bottom of the upper pipe − top of the lower pipe
    (the upper one has the higher centre; negative when they overlap in z);
    ``upper_id`` names the upper pipe.
    """

    index_a: int
    index_b: int
    pipe_a: str
    pipe_b: str
    horizontal_m: float
    vertical_m: float
    upper_id: str

    @property
    def clash(self) -> bool:
        """True when the two outlines overlap (negative clearance both ways)."""
        return self.horizontal_m < 0 and self.vertical_m < 0


@dataclass(frozen=True, eq=False)
class CrossSection:
    """A cross-section along a drawn line.

    ``crossings`` are sorted by offset (then pipe id); ``clearances`` hold one
    entry per adjacent pair of crossings (a pipe crossing twice appears twice
    and may be its own neighbour). ``ground_offset_m``/``ground_m`` is the
    ground line (``None`` when unknown); ``ground_source`` is ``"sampler"``,
    ``"points"`` or ``"none"``.
    """

    line_xy: np.ndarray
    length_m: float
    crossings: tuple[Crossing, ...]
    clearances: tuple[Clearance, ...]
    ground_offset_m: np.ndarray | None
    ground_m: np.ndarray | None
    ground_source: str
    step_m: float


def cross_section(
    line_xy: Any,
    pipes: Sequence[PipeRecord],
    ground: GroundFn | None = None,
    ground_points: tuple[Any, Any, Any] | None = None,
    step_m: float = 0.5,
) -> CrossSection:
    """Cut the pipes with a section polyline.

    Every plan intersection of every pipe segment with every section segment
    is found in one vectorised pass (parallel or collinear overlaps are not
    crossings); hits of one pipe at the same point (a pipe vertex or a
    section vertex on the other line) count once.

    Ground: from ``ground(x, y)`` when given (sampled every ``step_m`` plus at
    each crossing and section vertex); otherwise from ``ground_points``
    ``(x, y, z)`` by inverse-distance weighting (power 2) of the
    :data:`IDW_NEIGHBOURS` nearest points (a sample on a point takes its z);
    otherwise unknown (covers NaN).

    :param line_xy: section vertices, shape (k, 2), k ≥ 2.
    :param pipes: candidate pipes (those that do not cross are left out).
    :raises InputError: for a degenerate line, bad ground points or step.
    """
    line = _as_line(line_xy)
    step = _check_step(step_m)
    q = line[:-1]
    s = np.diff(line, axis=0)
    s_len = np.hypot(s[:, 0], s[:, 1])
    line_ch = np.concatenate([[0.0], np.cumsum(s_len)])
    length = float(line_ch[-1])
    gp = _as_ground_points(ground_points) if (ground is None and ground_points is not None) else None

    pipes = list(pipes)
    for item in pipes:
        if not isinstance(item, PipeRecord):
            raise InputError("The pipes must be pipe records; got {what}.", code="profile.type",
                             what=type(item).__name__)
    found: list[dict[str, Any]] = []
    if pipes:
        p0 = np.vstack([pp.xyz[:-1] for pp in pipes])  # (P, 3)
        p1 = np.vstack([pp.xyz[1:] for pp in pipes])
        owner = np.concatenate([np.full(len(pp.xyz) - 1, i) for i, pp in enumerate(pipes)])
        r = p1[:, :2] - p0[:, :2]
        r_len = np.hypot(r[:, 0], r[:, 1])
        qp = q[None, :, :] - p0[:, None, :2]  # (P, M, 2)
        denom = r[:, None, 0] * s[None, :, 1] - r[:, None, 1] * s[None, :, 0]
        ok = np.abs(denom) > 1e-12 * r_len[:, None] * s_len[None, :]
        safe = np.where(ok, denom, 1.0)
        t = (qp[..., 0] * s[None, :, 1] - qp[..., 1] * s[None, :, 0]) / safe
        u = (qp[..., 0] * r[:, None, 1] - qp[..., 1] * r[:, None, 0]) / safe
        eps = 1e-9
        hit = ok & (t >= -eps) & (t <= 1 + eps) & (u >= -eps) & (u <= 1 + eps)
        for i, j in np.argwhere(hit):
            ti = min(max(float(t[i, j]), 0.0), 1.0)
            uj = min(max(float(u[i, j]), 0.0), 1.0)
            x, y = (line[j] + uj * s[j]).tolist()
            cos = abs(float(r[i] @ s[j])) / (r_len[i] * s_len[j])
            found.append({
                "pipe": int(owner[i]),
                "offset": float(line_ch[j] + uj * s_len[j]),
                "x": x,
                "y": y,
                "z": float(p0[i, 2] + ti * (p1[i, 2] - p0[i, 2])),
                "angle": math.degrees(math.acos(min(1.0, cos))),
            })
    # one crossing per point and pipe
    unique: list[dict[str, Any]] = []
    for hit_ in found:
        if any(o["pipe"] == hit_["pipe"] and abs(o["offset"] - hit_["offset"]) < _SAME_POINT_M
               and math.hypot(o["x"] - hit_["x"], o["y"] - hit_["y"]) < _SAME_POINT_M for o in unique):
            continue
        unique.append(hit_)
    unique.sort(key=lambda h: (h["offset"], pipes[h["pipe"]].pipe_id))

    hx = np.array([h["x"] for h in unique], dtype=float)
    hy = np.array([h["y"] for h in unique], dtype=float)
    if ground is not None:
        g_at = _sample_ground(ground, hx, hy)
    elif gp is not None:
        g_at = _idw(gp, hx, hy)
    else:
        g_at = np.full(len(unique), np.nan)

    crossings = []
    for h, g in zip(unique, g_at.tolist()):
        pipe = pipes[h["pipe"]]
        top = h["z"] + pipe.half_height_m
        crossings.append(Crossing(
            pipe_id=pipe.pipe_id,
            category=pipe.category,
            label=pipe.name,
            shape=pipe.shape,
            offset_m=h["offset"],
            x=h["x"],
            y=h["y"],
            z_centre_m=h["z"],
            top_m=top,
            bottom_m=h["z"] - pipe.half_height_m,
            invert_m=h["z"] - pipe.inner_half_height_m,
            width_m=pipe.width_m,
            height_m=pipe.height_m,
            inner_height_m=pipe.inner_height_m,
            angle_deg=h["angle"],
            ground_m=g,
            cover_m=g - top,
        ))

    clearances = []
    for k in range(len(crossings) - 1):
        a, b = crossings[k], crossings[k + 1]
        upper, lower = (a, b) if a.z_centre_m >= b.z_centre_m else (b, a)
        clearances.append(Clearance(
            index_a=k,
            index_b=k + 1,
            pipe_a=a.pipe_id,
            pipe_b=b.pipe_id,
            horizontal_m=abs(b.offset_m - a.offset_m) - a.width_m / 2 - b.width_m / 2,
            vertical_m=upper.bottom_m - lower.top_m,
            upper_id=upper.pipe_id,
        ))

    g_off: np.ndarray | None = None
    g_z: np.ndarray | None = None
    source = "none"
    if ground is not None or gp is not None:
        g_off = _sample_offsets(length, step, [*line_ch.tolist(), *(c.offset_m for c in crossings)])
        gx = np.interp(g_off, line_ch, line[:, 0])
        gy = np.interp(g_off, line_ch, line[:, 1])
        if ground is not None:
            g_z, source = _sample_ground(ground, gx, gy), "sampler"
        else:
            g_z, source = _idw(gp, gx, gy), "points"
        g_off, g_z = _frozen(g_off), _frozen(g_z)

    return CrossSection(
        line_xy=_frozen(line),
        length_m=length,
        crossings=tuple(crossings),
        clearances=tuple(clearances),
        ground_offset_m=g_off,
        ground_m=g_z,
        ground_source=source,
        step_m=step,
    )


def _as_line(line_xy: Any) -> np.ndarray:
    try:
        line = np.array(line_xy, dtype=float)
    except (TypeError, ValueError):
        raise InputError("The section line has vertices that are not numbers.", code="profile.line") from None
    if line.ndim != 2 or line.shape[1] < 2 or line.shape[0] < 2:
        raise InputError("The section line needs at least two vertices (an array of shape (k, 2)); got shape {shape}.",
                         code="profile.line", shape=tuple(line.shape))
    line = line[:, :2]
    if not np.all(np.isfinite(line)):
        raise InputError("The section line has a missing or infinite coordinate.", code="profile.line")
    keep = np.concatenate([[True], np.hypot(*np.diff(line, axis=0).T) > 0])
    line = line[keep]
    if len(line) < 2:
        raise InputError("The section line has no length: all its vertices are the same point.", code="profile.line")
    return line


def _as_ground_points(points: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    try:
        x, y, z = (np.asarray(a, dtype=float).ravel() for a in points)
    except (TypeError, ValueError):
        raise InputError("ground_points must be three arrays (x, y, z) of numbers.", code="profile.ground") from None
    if not (len(x) == len(y) == len(z)):
        raise InputError("ground_points must be three arrays of the same length; got {a}, {b} and {c} values.",
                         code="profile.ground", a=len(x), b=len(y), c=len(z))
    good = np.isfinite(x) & np.isfinite(y) & np.isfinite(z)
    if not np.any(good):
        raise InputError("ground_points holds no point with a finite x, y and z.", code="profile.ground")
    return x[good], y[good], z[good]


def _idw(points: tuple[np.ndarray, np.ndarray, np.ndarray], x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Inverse-distance (power 2) elevation from the nearest ground points."""
    px, py, pz = points
    k = min(IDW_NEIGHBOURS, len(pz))
    out = np.empty(len(x))
    for lo in range(0, len(x), 4096):
        xs, ys = x[lo:lo + 4096], y[lo:lo + 4096]
        d2 = (xs[:, None] - px[None, :]) ** 2 + (ys[:, None] - py[None, :]) ** 2
        idx = np.argsort(d2, axis=1, kind="stable")[:, :k] if k < len(pz) else np.broadcast_to(
            np.arange(len(pz)), d2.shape)
        dk = np.take_along_axis(d2, idx, axis=1)
        zk = pz[idx]
        exact = dk <= 1e-18
        w = 1.0 / np.where(exact, 1.0, dk)
        z = np.sum(w * zk, axis=1) / np.sum(w, axis=1)
        has = exact.any(axis=1)
        z[has] = zk[has, np.argmax(exact[has], axis=1)]
        out[lo:lo + 4096] = z
    return out


# --------------------------------------------------------------------------- drawing helpers

_DPI = 150
_GROUND_COLOUR = "#8c510a"
_SOIL_COLOUR = "#f6efe4"
_GRID_COLOUR = "#d9d9d9"
_TEXT_COLOUR = "#222222"
_A3 = (16.54, 11.69)  # inches, landscape
_NICE_VE = (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000)


@lru_cache(maxsize=1)
def _font_families() -> tuple[str, ...]:
    """'WenQuanYi Micro Hei' when installed (CJK), then DejaVu Sans (always shipped with matplotlib)."""
    from matplotlib import font_manager

    families = []
    for family in ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Source Han Sans SC"):
        try:
            font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        except ValueError:
            continue
        families.append(family)
        break
    families.append("DejaVu Sans")
    return tuple(families)


def _rc() -> Any:
    import matplotlib

    return matplotlib.rc_context({
        "font.family": list(_font_families()),
        "axes.unicode_minus": False,
        "svg.fonttype": "path",
        "svg.hashsalt": "pipemap",
        "pdf.fonttype": 42,
        "path.simplify": False,
        "hatch.linewidth": 0.5,
    })


def _rgb(category: str) -> tuple[float, float, float]:
    r, g, b = CATEGORY_BY_CODE[category].rgb
    return (r / 255.0, g / 255.0, b / 255.0)


def _edge(category: str) -> tuple[float, float, float]:
    """A darker shade of the category colour, legible on white (black for dark colours)."""
    r, g, b = _rgb(category)
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    if luminance < 0.3:
        return (0.0, 0.0, 0.0)
    return (r * 0.5, g * 0.5, b * 0.5)


def _category_text(category: str) -> str:
    cat = CATEGORY_BY_CODE[category]
    return f"{cat.name_zh} {cat.code} {cat.name_en}"


def _fmt(value: float, digits: int) -> str:
    return "—" if not math.isfinite(value) else f"{value:.{digits}f}"


def _text_width_in(text: str, size_pt: float) -> float:
    """Rough width of one line of text (CJK characters are twice as wide as digits)."""
    units = sum(1.0 if ord(ch) > 0x2E80 else 0.58 for ch in max(text.split("\n"), key=len))
    return units * size_pt / 72.0


def _stake(chainage_m: float) -> str:
    """Chinese chainage notation: 1234.5 m -> '1+234.50'."""
    cm = int(round(chainage_m * 100))
    km, rest = divmod(cm, 100_000)
    return f"{km}+{rest / 100:06.2f}"


def _spread(positions: Sequence[float], gap: float, lo: float, hi: float) -> list[float]:
    """Move sorted 1-D label positions apart by at least ``gap``, staying within [lo, hi] when possible."""
    out = [float(p) for p in positions]
    if not out:
        return out
    order = sorted(range(len(out)), key=lambda i: out[i])
    xs = [out[i] for i in order]
    for i in range(1, len(xs)):
        xs[i] = max(xs[i], xs[i - 1] + gap)
    if xs[-1] > hi:
        xs[-1] = hi
        for i in range(len(xs) - 2, -1, -1):
            xs[i] = min(xs[i], xs[i + 1] - gap)
    if xs[0] < lo:  # not enough room: keep the spacing from lo
        xs = [lo + i * gap for i in range(len(xs))] if (hi - lo) < gap * (len(xs) - 1) else xs
        xs[0] = max(xs[0], lo)
        for i in range(1, len(xs)):
            xs[i] = max(xs[i], xs[i - 1] + gap)
    for rank, i in enumerate(order):
        out[i] = xs[rank]
    return out


def _targets(path: str | os.PathLike[str], formats: Iterable[str] | str) -> list[Path]:
    """Validate the formats and derive one sibling file per format."""
    if isinstance(formats, str):
        formats = (formats,)
    chosen: list[str] = []
    for fmt in formats:
        key = str(fmt).strip().lower().lstrip(".")
        if key not in FORMATS:
            raise InputError("Unknown drawing format {fmt!r}; choose from {known}.", code="profile.format",
                             fmt=fmt, known=", ".join(FORMATS))
        if key not in chosen:
            chosen.append(key)
    if not chosen:
        raise InputError("No drawing format was given; choose from {known}.", code="profile.format",
                         known=", ".join(FORMATS))
    target = Path(path)
    if target.suffix.lower().lstrip(".") in FORMATS:
        target = target.with_suffix("")
    if not target.name:
        raise InputError("The drawing path {path!r} has no file name.", code="profile.path", path=str(path))
    return [target.with_name(f"{target.name}.{fmt}") for fmt in chosen]


def _save(fig: Any, targets: list[Path]) -> list[Path]:
    """Write every format to a temporary sibling, then rename them all into place."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    metadata = {"png": {"Software": "PipeMap"}, "svg": {"Date": None, "Creator": "PipeMap"},
                "pdf": {"CreationDate": None, "ModDate": None, "Creator": "PipeMap", "Producer": "PipeMap"}}
    temps: list[Path] = []
    try:
        for target in targets:
            fmt = target.suffix[1:]
            tmp = temp_path_beside(target, target.suffix)
            temps.append(tmp)
            fig.savefig(tmp, format=fmt, dpi=_DPI, metadata=metadata[fmt], facecolor="white")
        for tmp, target in zip(temps, targets):
            os.replace(tmp, target)
    except OSError as exc:
        for tmp in temps:
            remove_quietly(tmp)
        raise OutputError("Cannot write the drawing {path}: {reason}", code="output.unwritable",
                          path=str(targets[len(temps) - 1] if temps else targets[0]),
                          reason=exc.strerror or str(exc)) from None
    except BaseException:
        for tmp in temps:
            remove_quietly(tmp)
        raise
    return targets


def _new_figure(width_in: float, height_in: float) -> Any:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=_DPI, facecolor="white")
    FigureCanvasAgg(fig)
    return fig


def _text_in(fig: Any, x_in: float, y_in: float, text: str, **kw: Any) -> Any:
    """Text placed in figure inches (origin bottom left)."""
    kw.setdefault("color", _TEXT_COLOUR)
    return fig.text(x_in, y_in, text, transform=fig.dpi_scale_trans, **kw)


def _line_in(fig: Any, xs: Sequence[float], ys: Sequence[float], **kw: Any) -> None:
    from matplotlib.lines import Line2D

    kw.setdefault("color", "#555555")
    kw.setdefault("linewidth", 0.6)
    fig.add_artist(Line2D(list(xs), list(ys), transform=fig.dpi_scale_trans, **kw))


def _table_in(fig: Any, x_in: float, top_in: float, widths: Sequence[float], header: Sequence[str],
              rows: Sequence[Sequence[str]], colours: Sequence[Any] | None = None, title: str = "") -> float:
    """A ruled table in figure inches; returns its height (in)."""
    header_h, row_h = 0.42, 0.24
    y = top_in
    if title:
        _text_in(fig, x_in, y - 0.02, title, fontsize=9, fontweight="bold", va="top")
        y -= 0.28
    total_w = float(sum(widths))
    edges = [x_in]
    for w in widths:
        edges.append(edges[-1] + w)
    height = header_h + row_h * len(rows)
    from matplotlib.patches import Rectangle

    fig.add_artist(Rectangle((x_in, y - header_h), total_w, header_h, transform=fig.dpi_scale_trans,
                             facecolor="#eeeeee", edgecolor="none", zorder=0))
    for i, text in enumerate(header):
        _text_in(fig, (edges[i] + edges[i + 1]) / 2, y - header_h / 2, text, fontsize=7.2, ha="center",
                 va="center", linespacing=1.15)
    for r, row in enumerate(rows):
        yc = y - header_h - row_h * (r + 0.5)
        for i, text in enumerate(row):
            colour = colours[r] if (colours is not None and i == 0) else _TEXT_COLOUR
            _text_in(fig, (edges[i] + edges[i + 1]) / 2, yc, text, fontsize=7.5, ha="center", va="center",
                     color=colour)
    ys = [y - header_h - row_h * r for r in range(len(rows) + 1)]
    for yy in [y, *ys]:
        _line_in(fig, [x_in, x_in + total_w], [yy, yy], linewidth=0.8 if yy in (y, ys[-1]) else 0.4)
    for xx in edges:
        _line_in(fig, [xx, xx], [y, y - height], linewidth=0.8 if xx in (edges[0], edges[-1]) else 0.4)
    return height + (top_in - y)


def _legend_entries(categories: Iterable[str]) -> list[Any]:
    from matplotlib.patches import Patch

    seen: list[str] = []
    for cat in categories:
        if cat not in seen:
            seen.append(cat)
    return [Patch(facecolor=_rgb(c), edgecolor=_edge(c), linewidth=0.8, label=_category_text(c)) for c in seen]


# --------------------------------------------------------------------------- long profile drawing


def render_long_profile(
    profile: LongProfile,
    path: str | os.PathLike[str],
    title: str = "",
    formats: Iterable[str] | str = ("png",),
) -> list[Path]:
    """Draw a longitudinal profile with its data table (Chinese drainage-profile style).

    The drawing is A3 landscape (wider for long runs): ground line, the pipe
    as a band between top and invert in its category colour, node shafts,
    node labels with cover and depth, and under it a table of ground, top and
    invert elevations, cover, depth, section, length/slope and chainage. The
    vertical exaggeration is a round number chosen to fill the sheet and is
    stated on the drawing.

    :param path: target file; its suffix (if png/svg/pdf) is replaced by each format's.
    :param formats: any of ``"png"``, ``"svg"``, ``"pdf"``.
    :returns: the files written.
    :raises InputError: for an unknown format (nothing is written).
    """
    targets = _targets(path, formats)
    with _rc():
        fig = _draw_long_profile(profile, title)
        return _save(fig, targets)


_LP_ROWS: tuple[tuple[str, str, float, str], ...] = (
    # key, label, height (in), kind
    ("ground", "地面高程\nGround elevation (m)", 0.60, "node"),
    ("top", "管顶高程\nPipe top elevation (m)", 0.60, "node"),
    ("invert", "管内底高程\nInvert elevation (m)", 0.60, "node"),
    ("cover", "覆土深度\nCover to top (m)", 0.52, "node"),
    ("depth", "管底埋深\nDepth to invert (m)", 0.52, "node"),
    ("size", "管径 / 断面 (mm)\nSection", 0.36, "seg"),
    ("length", "管长 (m) · 坡度 (‰)\nLength · slope", 0.46, "seg"),
    ("stake", "桩号\nChainage", 0.60, "node"),
)


_LP_HEADER_X0 = 0.3


def _nice_ve(raw: float) -> int:
    best = 1
    for value in _NICE_VE:
        if value <= raw + 1e-9:
            best = value
    return best


def _draw_long_profile(p: LongProfile, title: str) -> Any:
    n_nodes = len(p.node_chainage_m)
    fig_w = max(_A3[0], 3.2 + 0.62 * n_nodes)
    fig_h = _A3[1]
    left, right = 2.45, 0.35
    top_margin, tick_gap, notes_h = 1.15, 0.62, 0.55
    table_h = sum(row[2] for row in _LP_ROWS)
    aw = fig_w - left - right
    ah = fig_h - top_margin - tick_gap - table_h - notes_h
    table_top = notes_h + table_h
    plot_bottom = table_top + tick_gap
    fig = _new_figure(fig_w, fig_h)
    ax = fig.add_axes([left / fig_w, plot_bottom / fig_h, aw / fig_w, ah / fig_h])

    # ---- scales: horizontal fixed by the run, vertical a round exaggeration
    total = p.length_m
    pad_x = max(0.02 * total, 0.5)
    x0, x1 = -pad_x, total + pad_x
    tops = [c + h / 2 for c, h in zip(p.seg_vertex_centre_m, p.seg_height_m)]
    lows = [c - h / 2 for c, h in zip(p.seg_vertex_centre_m, p.seg_height_m)]
    ground_known = p.ground_m[np.isfinite(p.ground_m)] if len(p.ground_m) else np.empty(0)
    y_lo = float(min(np.min(v) for v in lows))
    y_hi = float(max([float(np.max(v)) for v in tops] + ([float(np.max(ground_known))] if ground_known.size else [])))
    node_x_in = [left + (c - x0) / (x1 - x0) * aw for c in p.node_chainage_m.tolist()]
    levels = _stagger(node_x_in, 1.05)
    label_band, bottom_pad = (1.45 if any(levels) else 0.85), 0.3
    h_avail = ah - label_band - bottom_pad
    y_range = max(y_hi - y_lo, 0.05)
    sx = (x1 - x0) / aw
    raw = sx * h_avail / y_range
    ve = _nice_ve(raw)
    if raw < 1.0:  # deeper than long: widen the horizontal range at true scale
        sx = y_range / h_avail
        x1 = x0 + sx * aw
    sy = sx / ve
    spare_in = max(h_avail - y_range / sy, 0.0)  # room left by the round exaggeration
    yb = y_lo - (bottom_pad + 0.4 * spare_in) * sy
    yt = yb + ah * sy
    ax.set_xlim(x0, x1)
    ax.set_ylim(yb, yt)

    def x_in(c: float) -> float:
        return left + (c - x0) / (x1 - x0) * aw

    # ---- ground, soil and node shafts
    g_ok = np.isfinite(p.ground_m)
    if np.any(g_ok):
        gz = np.where(g_ok, p.ground_m, np.nan)
        ax.fill_between(p.ground_chainage_m, gz, yb, where=g_ok, color=_SOIL_COLOUR, linewidth=0, zorder=0)
        ax.plot(p.ground_chainage_m, gz, color=_GROUND_COLOUR, linewidth=1.8, zorder=5, label="地面线 Ground")
    for i, c in enumerate(p.node_chainage_m.tolist()):
        g = float(p.node_ground_m[i])
        top_here = float(np.nanmax(p.node_top_m[i]))
        upper = g if math.isfinite(g) else top_here
        low = float(np.nanmin(p.node_invert_m[i]))
        ax.plot([c, c], [yb, upper], color="#9a9a9a", linewidth=0.6, linestyle=(0, (4, 3)), zorder=1)
        # a manhole-like shaft from ground to a little under the invert
        ax.plot([c, c], [low - 0.15, upper], color="#555555", linewidth=1.1, zorder=6, solid_capstyle="butt")

    # ---- pipes
    from matplotlib.patches import Polygon

    for k in range(p.n_segments):
        ch = p.seg_vertex_chainage_m[k]
        zc = p.seg_vertex_centre_m[k]
        top = zc + p.seg_height_m[k] / 2
        inv = zc - p.seg_inner_height_m[k] / 2
        bottom = zc - p.seg_height_m[k] / 2
        cat = p.categories[k]
        fill, edge = _rgb(cat), _edge(cat)
        poly = np.column_stack([np.concatenate([ch, ch[::-1]]), np.concatenate([top, inv[::-1]])])
        ax.add_patch(Polygon(poly, closed=True, facecolor=fill, edgecolor="none", zorder=7))
        ax.plot(ch, top, color=edge, linewidth=1.0, zorder=8)
        ax.plot(ch, inv, color=edge, linewidth=1.0, zorder=8)
        if np.any(bottom < inv - 1e-6):
            ax.plot(ch, bottom, color=edge, linewidth=0.5, linestyle=(0, (2, 2)), zorder=8)
        mid = (ch[0] + ch[-1]) / 2
        z_top_mid = float(np.interp(mid, ch, top))
        # label the segment when it fits (the table always has the numbers)
        room_in = (ch[-1] - ch[0]) / (x1 - x0) * aw - 0.1
        slope = float(p.seg_slope_permille[k])
        full = f"{p.seg_labels[k]}  {p.seg_size_text(k)}" + (f"  i={slope:.2f}‰" if math.isfinite(slope) else "")
        for seg_text in (full, p.seg_labels[k]):
            if _text_width_in(seg_text, 7.5) <= room_in:
                ax.annotate(seg_text, (mid, z_top_mid), xytext=(0, 4), textcoords="offset points", ha="center",
                            va="bottom", fontsize=7.5, color=edge, zorder=9)
                break

    # ---- node labels with cover and depth, staggered when crowded
    node_x_in = [x_in(c) for c in p.node_chainage_m.tolist()]  # x1 may have grown
    levels = _stagger(node_x_in, 1.05)
    for i, c in enumerate(p.node_chainage_m.tolist()):
        g = float(p.node_ground_m[i])
        anchor = g if math.isfinite(g) else float(np.nanmax(p.node_top_m[i]))
        cover = _pair_text(p.node_cover_m[i], 2)
        depth = _pair_text(p.node_depth_invert_m[i], 2)
        lift = 6 + levels[i] * 44
        if levels[i]:
            ax.plot([c, c], [anchor, anchor + (lift - 2) / 72 * sy], color="#9a9a9a", linewidth=0.5, zorder=4)
        ax.plot([c], [anchor], marker="v", markersize=6, color="#222222", zorder=10, linestyle="none")
        ax.annotate(f"覆土 {cover} m\n埋深 {depth} m", (c, anchor), xytext=(0, lift), textcoords="offset points",
                    ha="center", va="bottom", fontsize=7, color="#333333", zorder=10, linespacing=1.2,
                    bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none", "alpha": 0.85})
        ax.annotate(p.node_labels[i], (c, anchor), xytext=(0, lift + 22), textcoords="offset points",
                    ha="center", va="bottom", fontsize=9.5, fontweight="bold", color="#111111", zorder=10)

    # ---- axes cosmetics
    ax.set_ylabel("高程 Elevation (m)", fontsize=9)
    ax.tick_params(labelsize=8)
    ax.grid(True, color=_GRID_COLOUR, linewidth=0.5, zorder=-1)
    ax.set_axisbelow(True)
    ax.text(1.0, -0.085, "里程 Chainage (m)", transform=ax.transAxes, ha="right", va="top", fontsize=8.5)

    # ---- title, subtitle, legend
    main_title = title or "管线纵断面图 Pipeline longitudinal profile"
    _text_in(fig, _LP_HEADER_X0, fig_h - 0.32, main_title, fontsize=15, fontweight="bold", va="top")
    ids = " → ".join(p.pipe_ids) if len(p.pipe_ids) <= 8 else f"{p.pipe_ids[0]} → … → {p.pipe_ids[-1]}"
    _text_in(fig, _LP_HEADER_X0, fig_h - 0.72,
             f"管段 Segments: {ids}    全长 Length: {total:.2f} m    "
             f"纵向放大 Vertical exaggeration ×{ve}（横向:纵向 = 1:{ve}）",
             fontsize=9, va="top")
    handles = _legend_entries(p.categories)
    from matplotlib.lines import Line2D

    if np.any(g_ok):
        handles.append(Line2D([], [], color=_GROUND_COLOUR, linewidth=1.8, label="地面线 Ground"))
    fig.legend(handles=handles, loc="upper right", bbox_to_anchor=(1 - right / fig_w, 1 - 0.25 / fig_h),
               ncol=len(handles), fontsize=8, frameon=False, handlelength=1.8)

    # ---- data table
    _draw_profile_table(fig, p, left, aw, table_top, x_in, node_x_in)

    # ---- notes
    _text_in(fig, _LP_HEADER_X0, 0.36,
             "说明：高程、埋深单位 m；覆土 = 地面高程 − 管顶高程，埋深 = 地面高程 − 管内底高程；"
             "节点线左、右两个数值分别属于进、出该节点的管段；坡度以沿桩号方向下降为正。",
             fontsize=7.2, va="center", color="#444444")
    _text_in(fig, _LP_HEADER_X0, 0.16,
             "Notes: elevations and depths in m; cover = ground − pipe top, depth = ground − invert; two values "
             "either side of a node line belong to the incoming (left) and outgoing (right) segment; "
             "slope > 0 falls along the chainage.",
             fontsize=7.2, va="center", color="#444444")
    src = {"sampler": "地面高程取自地形模型 Ground from the terrain model",
           "nodes": "地面高程为节点实测值 Ground surveyed at the nodes",
           "none": "无地面高程 Ground unknown"}[p.ground_source]
    _text_in(fig, fig_w - right, 0.36, src, fontsize=7.2, va="center", ha="right", color="#444444")
    return fig


def _stagger(x_in: Sequence[float], min_gap_in: float) -> list[int]:
    """Label row (0 or 1) of each node: a node too close to a row-0 neighbour goes to row 1."""
    levels = [0] * len(x_in)
    for i in range(1, len(x_in)):
        if x_in[i] - x_in[i - 1] < min_gap_in and levels[i - 1] == 0:
            levels[i] = 1
    return levels


def _pair_text(values: np.ndarray, digits: int) -> str:
    a, b = float(values[IN]), float(values[OUT])
    if not math.isfinite(a):
        return _fmt(b, digits)
    if not math.isfinite(b) or abs(a - b) < 0.5 * 10 ** (-digits):
        return _fmt(a, digits)
    return f"{_fmt(a, digits)}/{_fmt(b, digits)}"


def _draw_profile_table(fig: Any, p: LongProfile, left: float, aw: float, table_top: float,
                        x_in: Callable[[float], float], node_x_in: list[float]) -> None:
    from matplotlib.patches import Rectangle

    header_x0 = _LP_HEADER_X0
    right_x = left + aw
    n_nodes = len(node_x_in)
    # positions of the node texts: pushed apart when nodes are close (a value pair needs ~0.3 in)
    text_x = _spread(node_x_in, 0.34, left + 0.12, right_x - 0.12)
    y = table_top
    fig.add_artist(Rectangle((header_x0, table_top - sum(r[2] for r in _LP_ROWS)), left - header_x0,
                             sum(r[2] for r in _LP_ROWS), transform=fig.dpi_scale_trans, facecolor="#f2f2f2",
                             edgecolor="none", zorder=0))
    bounds = [y]
    for key, label, height, kind in _LP_ROWS:
        yc = y - height / 2
        _text_in(fig, (header_x0 + left) / 2, yc, label, fontsize=7.6, ha="center", va="center",
                 linespacing=1.25)
        if kind == "node":
            for i in range(n_nodes):
                values = _node_row_values(p, key, i)
                _node_values(fig, text_x[i], yc, values)
        else:
            for k in range(p.n_segments):
                xa, xb = node_x_in[k], node_x_in[k + 1]
                width = xb - xa
                cat = p.categories[k]
                if key == "size":
                    text = p.seg_size_text(k)
                    colour = _edge(cat)
                else:
                    slope = float(p.seg_slope_permille[k])
                    text = f"{p.seg_length_m[k]:.2f}\ni={_fmt(slope, 2)}‰"
                    colour = _TEXT_COLOUR
                rotation = 0 if _text_width_in(text, 7.4) <= width - 0.08 else 90
                fig.text((xa + xb) / 2, yc, text, transform=fig.dpi_scale_trans, ha="center", va="center",
                         rotation=rotation, fontsize=7.4 if rotation == 0 else 6.5, color=colour,
                         linespacing=1.1)
                if key == "size" and width >= 0.9:  # a swatch of the category colour
                    fig.add_artist(Rectangle((xa + 0.04, y - height + 0.05), min(0.18, width / 4), height - 0.1,
                                             transform=fig.dpi_scale_trans, facecolor=_rgb(cat),
                                             edgecolor=_edge(cat), linewidth=0.5))
        y -= height
        bounds.append(y)
    for i, yy in enumerate(bounds):
        _line_in(fig, [header_x0, right_x], [yy, yy], linewidth=0.9 if i in (0, len(bounds) - 1) else 0.45,
                 color="#333333")
    for xx in (header_x0, left, right_x):
        _line_in(fig, [xx, xx], [bounds[0], bounds[-1]], linewidth=0.9, color="#333333")
    for xx in node_x_in:
        _line_in(fig, [xx, xx], [bounds[0], bounds[-1]], linewidth=0.4, color="#9a9a9a")


def _node_row_values(p: LongProfile, key: str, i: int) -> list[str]:
    if key == "ground":
        return [_fmt(float(p.node_ground_m[i]), 3)]
    if key == "stake":
        return [_stake(float(p.node_chainage_m[i]))]
    array, digits = {"top": (p.node_top_m, 3), "invert": (p.node_invert_m, 3),
                     "cover": (p.node_cover_m, 2), "depth": (p.node_depth_invert_m, 2)}[key]
    text = _pair_text(array[i], digits)
    return text.split("/")


def _node_values(fig: Any, x: float, yc: float, values: list[str]) -> None:
    """One value (rotated, on the node line) or an in/out pair either side of it."""
    if len(values) == 1:
        offsets = [0.0]
    else:
        offsets = [-0.075, 0.075]
    for dx, text in zip(offsets, values):
        fig.text(x + dx, yc, text, transform=fig.dpi_scale_trans, rotation=0 if text == "—" else 90,
                 ha="center", va="center",
                 fontsize=7.4, color=_TEXT_COLOUR,
                 bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none"})


# --------------------------------------------------------------------------- cross-section drawing


def render_cross_section(
    section: CrossSection,
    path: str | os.PathLike[str],
    title: str = "",
    formats: Iterable[str] | str = ("png",),
) -> list[Path]:
    """Draw a cross-section at true scale (1:1, equal aspect), with tables of crossings and clearances.

    Each pipe is a circle (or rectangle for a box) of its true outer size
    filled with its category colour, the inner size outlined; labels give the
    number, id, category, section and cover; clear distances between
    neighbours are dimensioned in m (horizontal in a chain under the pipes,
    vertical where the pipes overlap in plan). The values are shown, not
    judged against GB 50289.

    :param path: target file; its suffix (if png/svg/pdf) is replaced by each format's.
    :param formats: any of ``"png"``, ``"svg"``, ``"pdf"``.
    :returns: the files written.
    :raises InputError: for an unknown format (nothing is written).
    """
    targets = _targets(path, formats)
    with _rc():
        fig = _draw_cross_section(section, title)
        return _save(fig, targets)


def _draw_cross_section(sec: CrossSection, title: str) -> Any:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Circle, Rectangle

    crossings = sec.crossings
    fig_w = _A3[0]
    left, right = 1.15, 0.4
    aw = fig_w - left - right
    top_margin, tick_gap = 1.2, 0.62
    above_in, below_in = 1.75, 0.95  # label band above the ground, dimension chain under the pipes
    max_ah, min_ah = 6.6, 3.2

    # ---- extents in metres
    x_lo = min([0.0] + [c.offset_m - c.width_m / 2 for c in crossings])
    x_hi = max([sec.length_m] + [c.offset_m + c.width_m / 2 for c in crossings])
    pad = max(0.03 * (x_hi - x_lo), 0.5)
    x0, x1 = x_lo - pad, x_hi + pad
    g_ok = sec.ground_m is not None and bool(np.any(np.isfinite(sec.ground_m)))
    zs_low = [c.bottom_m for c in crossings]
    zs_high = [c.top_m for c in crossings]
    if g_ok:
        zs_high.append(float(np.nanmax(sec.ground_m)))
        zs_low.append(float(np.nanmin(sec.ground_m)))
    if not zs_low:
        zs_low, zs_high = [0.0], [1.0]
    z_lo, z_hi = min(zs_low), max(zs_high)
    s = (x1 - x0) / aw  # metres per inch, both axes
    ah = (z_hi - z_lo) / s + above_in + below_in
    if ah > max_ah:  # deep: zoom out horizontally to keep true scale
        s = (z_hi - z_lo) / (max_ah - above_in - below_in)
        centre = (x0 + x1) / 2
        x0, x1 = centre - s * aw / 2, centre + s * aw / 2
        ah = max_ah
    ah = max(ah, min_ah)
    yb = z_lo - below_in * s
    yt = yb + ah * s

    # ---- tables under the drawing
    rows_h = 0.42 + 0.24 * max(len(crossings), len(sec.clearances), 1) + 0.28
    notes_h = 0.55
    fig_h = top_margin + ah + tick_gap + 0.25 + rows_h + notes_h
    fig = _new_figure(fig_w, fig_h)
    plot_bottom = notes_h + rows_h + 0.25 + tick_gap
    ax = fig.add_axes([left / fig_w, plot_bottom / fig_h, aw / fig_w, ah / fig_h])
    ax.set_xlim(x0, x1)
    ax.set_ylim(yb, yt)
    ax.set_aspect("equal", adjustable="box")

    # ---- ground
    if g_ok:
        go, gz = sec.ground_offset_m, sec.ground_m
        ax.fill_between(go, gz, yb, where=np.isfinite(gz), color=_SOIL_COLOUR, linewidth=0, zorder=0)
        ax.plot(go, gz, color=_GROUND_COLOUR, linewidth=1.8, zorder=5)
    for edge_x, name in ((0.0, "A"), (sec.length_m, "A′")):
        ax.annotate(name, (edge_x, yt), xytext=(0, -4), textcoords="offset points", ha="center", va="top",
                    fontsize=12, fontweight="bold", color="#333333")
        ax.plot([edge_x, edge_x], [yb, yt], color="#9a9a9a", linewidth=0.6, linestyle=(0, (6, 3)), zorder=1)

    # ---- pipes at true size
    for c in crossings:
        fill, edge = _rgb(c.category), _edge(c.category)
        if c.shape == "box":
            ax.add_patch(Rectangle((c.offset_m - c.width_m / 2, c.bottom_m), c.width_m, c.height_m,
                                   facecolor=fill, edgecolor=edge, linewidth=1.0, zorder=7))
            if c.inner_height_m is not None:
                wall = (c.height_m - c.inner_height_m) / 2
                ax.add_patch(Rectangle((c.offset_m - c.width_m / 2 + wall, c.invert_m), c.width_m - 2 * wall,
                                       c.inner_height_m, facecolor="none", edgecolor=edge, linewidth=0.6,
                                       zorder=8))
        else:
            ax.add_patch(Circle((c.offset_m, c.z_centre_m), c.width_m / 2, facecolor=fill, edgecolor=edge,
                                linewidth=1.0, zorder=7))
            if c.inner_height_m is not None and c.inner_height_m < c.height_m - 1e-6:
                ax.add_patch(Circle((c.offset_m, c.z_centre_m), c.inner_height_m / 2, facecolor="none",
                                    edgecolor=edge, linewidth=0.6, zorder=8))
        ax.plot([c.offset_m], [c.z_centre_m], marker="+", markersize=5, color=edge, zorder=9, linestyle="none")

    # ---- labels in the band above the ground, with leaders
    ground_top = max([c.top_m for c in crossings] + ([float(np.nanmax(sec.ground_m))] if g_ok else []),
                     default=z_hi)
    label_w_in = 1.12
    want = [c.offset_m for c in crossings]
    levels = [0] * len(crossings)
    if crossings:
        lo_x, hi_x = x0 + 0.6 * s, x1 - 0.6 * s
        placed = _spread(want, label_w_in * s, lo_x, hi_x)
        if max(abs(a - b) for a, b in zip(placed, want)) > 0.6 * label_w_in * s:
            # crowded: two staggered rows, neighbours alternate so leaders pass between the boxes
            placed = _spread(want, 0.6 * label_w_in * s, lo_x, hi_x)
            levels = [i % 2 for i in range(len(crossings))]
        for i, c in enumerate(crossings):
            edge = _edge(c.category)
            y_lab = ground_top + (0.22 + 0.78 * levels[i]) * s
            text = (f"{i + 1}. {c.label}\n{CATEGORY_BY_CODE[c.category].name_zh} {c.category} {c.size_text}\n"
                    f"覆土 {_fmt(c.cover_m, 2)} m")
            ax.annotate(text, (c.offset_m, c.top_m), xytext=(placed[i], y_lab), textcoords="data",
                        ha="center", va="bottom", fontsize=7.3, color=_TEXT_COLOUR, linespacing=1.2, zorder=12,
                        bbox={"boxstyle": "round,pad=0.25", "facecolor": "white", "edgecolor": edge,
                              "linewidth": 0.9},
                        arrowprops={"arrowstyle": "-", "color": edge, "linewidth": 0.7,
                                    "shrinkA": 0, "shrinkB": 1})

    # ---- clearance dimensions
    pipes_low = min((c.bottom_m for c in crossings), default=z_lo)
    ext_kw = {"color": "#777777", "linewidth": 0.5, "zorder": 3}
    dim_kw = {"arrowstyle": "<|-|>", "color": "#222222", "linewidth": 0.7, "shrinkA": 0, "shrinkB": 0,
              "mutation_scale": 6}
    row = 0
    for cl in sec.clearances:
        a, b = crossings[cl.index_a], crossings[cl.index_b]
        if cl.horizontal_m >= 0:
            y_dim = pipes_low - (0.3 + 0.3 * (row % 2)) * s
            row += 1
            xa, xb = a.offset_m + a.width_m / 2, b.offset_m - b.width_m / 2
            ax.plot([xa, xa], [a.z_centre_m, y_dim - 0.06 * s], **ext_kw)
            ax.plot([xb, xb], [b.z_centre_m, y_dim - 0.06 * s], **ext_kw)
            ax.annotate("", (xa, y_dim), xytext=(xb, y_dim), arrowprops=dim_kw, zorder=4)
            ax.annotate(f"{cl.horizontal_m:.2f} m", ((xa + xb) / 2, y_dim), xytext=(0, 1.5),
                        textcoords="offset points", ha="center", va="bottom", fontsize=7.5, zorder=11,
                        bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none"})
        else:  # overlapping in plan: the vertical clearance is the one that matters
            upper, lower = (a, b) if cl.upper_id == a.pipe_id and a.z_centre_m >= b.z_centre_m else (b, a)
            xm = (max(a.offset_m - a.width_m / 2, b.offset_m - b.width_m / 2)
                  + min(a.offset_m + a.width_m / 2, b.offset_m + b.width_m / 2)) / 2
            y0, y1 = lower.top_m, upper.bottom_m
            colour = "#d00000" if cl.clash else "#222222"
            if y1 > y0:
                ax.annotate("", (xm, y0), xytext=(xm, y1), arrowprops={**dim_kw, "color": colour}, zorder=11)
            ax.annotate(f"{cl.vertical_m:.2f} m" + (" 冲突 clash" if cl.clash else ""), (xm, (y0 + y1) / 2),
                        xytext=(4, 0), textcoords="offset points", ha="left", va="center", fontsize=7.5,
                        color=colour, zorder=11,
                        bbox={"boxstyle": "square,pad=0.05", "facecolor": "white", "edgecolor": "none"})

    ax.set_xlabel("距剖面起点 A 的距离 Offset along the section from A (m)", fontsize=8.5)
    ax.set_ylabel("高程 Elevation (m)", fontsize=9)
    ax.tick_params(labelsize=8)
    ax.grid(True, color=_GRID_COLOUR, linewidth=0.5)
    ax.set_axisbelow(True)

    # ---- title, subtitle, legend
    _text_in(fig, left, fig_h - 0.3, title or "管线横断面图 Pipeline cross-section", fontsize=15,
             fontweight="bold", va="top")
    _text_in(fig, left, fig_h - 0.7,
             f"剖面 A–A′ 长 Section length {sec.length_m:.2f} m    交点 {len(crossings)} 处 crossings    "
             "比例 1:1 真实尺寸（无竖向放大）True scale, no vertical exaggeration",
             fontsize=9, va="top")
    handles = _legend_entries(c.category for c in crossings)
    if g_ok:
        handles.append(Line2D([], [], color=_GROUND_COLOUR, linewidth=1.8, label="地面线 Ground"))
    if handles:
        fig.legend(handles=handles, loc="upper right", bbox_to_anchor=(1 - right / fig_w, 1 - 0.22 / fig_h),
                   ncol=min(len(handles), 5), fontsize=8, frameon=False)

    # ---- tables
    table_top = notes_h + rows_h
    header = ["序号\nNo.", "管线\nPipe", "类别\nCategory", "断面 (mm)\nSection", "距A (m)\nOffset",
              "管中高程\nCentre (m)", "管顶高程\nTop (m)", "管底高程\nBottom (m)", "覆土 (m)\nCover",
              "交角 (°)\nAngle"]
    widths = [0.48, 1.15, 1.05, 0.85, 0.72, 0.82, 0.82, 0.82, 0.7, 0.62]
    rows = [[str(i + 1), c.label, f"{CATEGORY_BY_CODE[c.category].name_zh} {c.category}", c.size_text,
             f"{c.offset_m:.2f}", f"{c.z_centre_m:.3f}", f"{c.top_m:.3f}", f"{c.bottom_m:.3f}",
             _fmt(c.cover_m, 2), f"{c.angle_deg:.1f}"] for i, c in enumerate(crossings)]
    _table_in(fig, left, table_top, widths, header, rows, colours=[_edge(c.category) for c in crossings],
              title="管线交点 Crossings")
    cl_header = ["相邻管线\nNeighbours", "水平净距 (m)\nHorizontal", "垂直净距 (m)\nVertical"]
    cl_rows = [[f"{cl.index_a + 1}–{cl.index_b + 1}  {cl.pipe_a} / {cl.pipe_b}", f"{cl.horizontal_m:.2f}",
                f"{cl.vertical_m:.2f}" + (" 冲突" if cl.clash else "")] for cl in sec.clearances]
    _table_in(fig, left + sum(widths) + 0.4, table_top, [2.3, 1.05, 1.05], cl_header, cl_rows,
              title="相邻管线净距 Clearances between neighbours (outer surfaces)")
    if not crossings:
        _text_in(fig, left, table_top - 0.8, "剖面线未与任何管线相交 The section line crosses no pipe.",
                 fontsize=9, color="#aa0000")
    _text_in(fig, left, 0.36,
             "说明：管线按真实外径/外廓绘制（不按交角拉伸），交角为管线与剖面线的平面夹角；"
             "净距为相邻管线外壁之间的距离 (m)，未与 GB 50289 限值比较。",
             fontsize=7.2, va="center", color="#444444")
    _text_in(fig, left, 0.16,
             "Notes: pipes at their true outer size (not stretched by the crossing angle); the angle is between pipe "
             "and section in plan; clearances (m) are between outer surfaces, not checked against GB 50289.",
             fontsize=7.2, va="center", color="#444444")
    src = {"sampler": "地面高程取自地形模型 Ground from the terrain model",
           "points": "地面高程由测点反距离插值 Ground interpolated from survey points (IDW)",
           "none": "无地面高程 Ground unknown"}[sec.ground_source]
    _text_in(fig, fig_w - right, 0.36, src, fontsize=7.2, va="center", ha="right", color="#444444")
    return fig
