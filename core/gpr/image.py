"""Radargram images (PNG) drawn with matplotlib's object API (no pyplot, no Qt).

The image shows the samples as a greyscale (or diverging) raster with
distance along the line at the bottom, two-way time on the left, depth on
the right when a velocity is given, user marks as ticks on top, optional
picks with their fitted hyperbolae, and the processing history in small
print at the bottom.
"""

from __future__ import annotations

import contextlib
import math
import os
import tempfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.transforms import blended_transform_factory

from ..errors import OutputError
from .filters import GprParameterError
from .model import Radargram

__all__ = ["MAX_COLUMNS", "render_radargram"]

#: at most this many traces are drawn; longer lines are decimated for display
MAX_COLUMNS = 4000
_DPI = 100
_MAX_HISTORY_LINES = 12


def _display_columns(n_traces: int, max_columns: int = MAX_COLUMNS) -> np.ndarray:
    """Indices of the traces drawn: all of them, or every k-th (k as small as
    possible) so at most ``max_columns`` are drawn."""
    step = max(1, math.ceil(n_traces / max_columns))
    return np.arange(0, n_traces, step)


def _clip_value(data: np.ndarray, percentile: float) -> float:
    """The ``percentile`` of |data| (on at most ~1e6 evenly spread samples)."""
    flat = data.ravel()
    step = max(1, flat.size // 1_000_000)
    sample = np.abs(flat[::step])
    sample = sample[np.isfinite(sample)]
    if sample.size == 0:
        return 1.0
    value = float(np.percentile(sample, percentile))
    if value <= 0:
        value = float(sample.max())
    return value if value > 0 else 1.0


def _distance_axis(rg: Radargram) -> tuple[np.ndarray, str, bool]:
    """(x of every trace, axis label, True when x is in metres)."""
    n = rg.n_traces
    d = rg.distance_m
    if d is not None:
        d = np.asarray(d, dtype=np.float64)
        if d.shape == (n,) and np.all(np.isfinite(d)) and (n < 2 or np.all(np.diff(d) > 0)):
            return d, "Distance (m)", True
    if rg.trace_spacing_m:
        return np.arange(n, dtype=np.float64) * float(rg.trace_spacing_m), "Distance (m)", True
    return np.arange(n, dtype=np.float64), "Trace number", False


def _pick_curve(pick: Mapping[str, Any], x_all: np.ndarray, metres: bool, spacing_m: float | None,
                t_max: float) -> tuple[float, float, np.ndarray | None, np.ndarray | None]:
    """Apex (x, t) of a pick in axis units and its hyperbola (x, t) or None."""
    t0 = float(pick["t0_ns"])
    if metres:
        x0 = float(pick["distance_m"])
        to_m = 1.0
    elif "trace" in pick:
        x0 = float(pick["trace"])
        to_m = spacing_m or 0.0
    elif spacing_m:
        x0 = float(pick["distance_m"]) / spacing_m
        to_m = spacing_m
    else:
        raise GprParameterError("A pick needs a 'trace' index when the radargram has no distances.")
    v = pick.get("velocity_m_ns")
    if not v or not to_m or v <= 0:
        return x0, t0, None, None
    x = np.linspace(x_all[0], x_all[-1], 800)
    t = np.sqrt(t0 * t0 + (2.0 * (x - x0) * to_m / float(v)) ** 2)
    keep = t <= t_max
    return x0, t0, x[keep], t[keep]


def render_radargram(rg: Radargram, path: str | os.PathLike[str], velocity_m_ns: float | None = None,
                     picks: Iterable[Mapping[str, Any]] | None = None, title: str = "",
                     clip_percentile: float = 99.0, width_px: int | None = None, height_px: int = 1000,
                     cmap: str = "gray") -> Path:
    """Draw a radargram to a PNG file.

    :param rg: the radargram; ``rg.data`` (samples x traces float32) is drawn
        with time zero at ``rg.time_zero_ns``. Lines with more than
        :data:`MAX_COLUMNS` traces are decimated (every k-th trace) for display.
    :param path: output PNG; written to a temporary file in the same folder,
        then moved into place (never left half-written).
    :param velocity_m_ns: adds a depth axis (m) on the right.
    :param picks: dicts with ``distance_m`` (m; or ``trace``), ``t0_ns`` (apex
        two-way time, ns) and optionally ``velocity_m_ns``: drawn as points
        with their hyperbola ``t(x) = sqrt(t0^2 + (2 (x - x0) / v)^2)``.
    :param title: title line.
    :param clip_percentile: amplitudes are clipped at this percentile of
        ``|data|`` (symmetric colour scale), in (0, 100].
    :param width_px: image width; default scales with the traces drawn
        (1000..4000 px).
    :param height_px: image height (px).
    :param cmap: matplotlib colour map, ``"gray"`` (default) or a diverging
        one such as ``"seismic"``.
    :return: the path written.
    """
    out = Path(path)
    if not 0.0 < float(clip_percentile) <= 100.0:
        raise GprParameterError("clip_percentile must be in (0, 100], not {value}.", value=clip_percentile)
    if int(height_px) < 200 or (width_px is not None and int(width_px) < 200):
        raise GprParameterError("The image must be at least 200 x 200 pixels.")
    if velocity_m_ns is not None and not (0.0 < float(velocity_m_ns) <= 0.3):
        raise GprParameterError("velocity_m_ns must be in (0, 0.3], not {value}.", value=velocity_m_ns)
    n_samples, n_traces = rg.shape
    if n_samples < 2 or n_traces < 1:
        raise GprParameterError("Cannot draw a radargram of shape {shape}.", shape=(n_samples, n_traces))

    cols = _display_columns(n_traces)
    shown = np.asarray(rg.data[:, cols], dtype=np.float32)
    clip = _clip_value(shown, float(clip_percentile))
    x_all, x_label, metres = _distance_axis(rg)
    x_shown = x_all[cols]
    twt = rg.twt_ns
    t_top = twt[0] - rg.dt_ns / 2.0
    t_bottom = twt[-1] + rg.dt_ns / 2.0
    if len(x_shown) > 1:
        half = (x_shown[-1] - x_shown[0]) / (len(x_shown) - 1) / 2.0
    else:
        half = 0.5
    extent = (x_shown[0] - half, x_shown[-1] + half, t_bottom, t_top)

    note = rg.history_text().splitlines()
    if len(note) > _MAX_HISTORY_LINES:
        keep = _MAX_HISTORY_LINES - 2
        note = [note[0], f"... ({len(note) - 1 - keep} earlier steps)", *note[-keep:]]
    shown_note = f"clip at the {clip_percentile:g}th percentile of |amplitude|"
    if len(cols) < n_traces:
        shown_note = f"display: 1 trace in {cols[1] - cols[0]} of {n_traces}; " + shown_note
    note.append(shown_note)
    height = int(height_px)
    width = int(width_px) if width_px is not None else int(min(4000, max(1000, len(cols) + 250)))
    # margins in pixels -> figure fractions
    left_px, right_px = 90, (90 if velocity_m_ns else 30)
    top_px = 60 + (22 if title else 0)
    bottom_px = 60 + 12 * len(note) + 10
    fig = Figure(figsize=(width / _DPI, height / _DPI), dpi=_DPI)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((left_px / width, bottom_px / height, 1 - (left_px + right_px) / width,
                       1 - (top_px + bottom_px) / height))
    ax.imshow(shown, cmap=cmap, vmin=-clip, vmax=clip, aspect="auto", extent=extent,
              interpolation="antialiased", origin="upper")
    ax.set_xlabel(x_label)
    ax.set_ylabel("Two-way time (ns)")
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])

    if velocity_m_ns:
        v = float(velocity_m_ns)
        depth = ax.secondary_yaxis("right", functions=(lambda t: t * v / 2.0, lambda z: z * 2.0 / v))
        depth.set_ylabel(f"Depth (m) at v = {v:.3f} m/ns")

    marks = [int(m) for m in (rg.marks or []) if 0 <= int(m) < n_traces]
    if marks:
        trans = blended_transform_factory(ax.transData, ax.transAxes)
        mx = x_all[marks]
        ax.vlines(mx, 1.0, 1.025, transform=trans, colors="tab:red", linewidth=1.5, clip_on=False)
        if len(marks) <= 40:
            for i, x in enumerate(mx, 1):
                ax.text(x, 1.03, str(i), transform=trans, ha="center", va="bottom", fontsize=7, color="tab:red")

    if picks:
        spacing = float(rg.trace_spacing_m) if rg.trace_spacing_m else (
            float(np.median(np.diff(x_all))) if metres and len(x_all) > 1 else None)
        for pick in picks:
            x0, t0, hx, ht = _pick_curve(pick, x_all, metres, spacing, t_bottom)
            if hx is not None and hx.size:
                ax.plot(hx, ht, color="tab:orange", linewidth=1.2, alpha=0.9)
            ax.plot([x0], [t0], marker="o", markersize=6, markerfacecolor="none",
                    markeredgecolor="tab:orange", markeredgewidth=1.8, linestyle="none")

    if title:
        fig.text(0.5, 1 - 12 / height, title, ha="center", va="top", fontsize=12)
    fig.text(left_px / width, 8 / height, "\n".join(note), ha="left", va="bottom", fontsize=7,
             family="monospace", color="0.25")

    tmp = ""
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{out.stem}-", suffix=".png", dir=out.parent)
        with os.fdopen(fd, "wb") as handle:
            fig.canvas.print_png(handle)
        os.replace(tmp, out)
    except OSError as exc:  # disk full, read-only folder...
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise OutputError("Cannot write the radargram image {path}: {reason}", code="gpr.image.write",
                          path=str(out), reason=exc.strerror or str(exc)) from None
    except BaseException:
        if tmp:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    return out
