"""Place GPR traces on the map.

* from the file's GPS fixes (DZG, S&S .GPS, MALA .COR: WGS84 lon/lat per
  trace number) through pyproj into the map CRS, with x/y interpolated for
  the traces between fixes and jumps and gaps reported;
* from projected coordinates per trace (SEG-Y, GPS.xyz) in a given CRS;
* from a line drawn in QGIS with a start distance and a trace spacing
  (marks / DMI), traces placed along the polyline.

Every function returns a new Radargram (the samples are shared, not copied)
with ``x``, ``y`` (``z`` when known), ``distance_m`` and ``crs`` set, and
the problems found appended to ``warnings``.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from ..errors import InputError
from .model import Radargram

#: a GPS position further than this from its neighbours' line is a jump (m)
JUMP_M = 25.0
#: more traces than this between two fixes is a gap
GAP_TRACES = 200


def _copy(rg: Radargram) -> Radargram:
    new = copy.copy(rg)
    new.warnings = list(rg.warnings)
    new.history = list(rg.history)
    return new


def _cumulative(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    step = np.hypot(np.diff(x), np.diff(y))
    return np.concatenate([[0.0], np.cumsum(step)])


def utm_crs_for(lon: float, lat: float) -> str:
    """The WGS84 UTM zone of a position (EPSG code), for data with no map CRS."""
    zone = int((lon + 180.0) // 6.0) % 60 + 1
    return f"EPSG:{(32600 if lat >= 0 else 32700) + zone}"


def from_gps(rg: Radargram, fixes: Any = None, target_crs: str | None = None,
             source_crs: str = "EPSG:4326") -> Radargram:
    """Georeference from GPS fixes (``fixes.trace``, ``.lon``, ``.lat``, ``.alt``).

    Fixes with missing or zero positions are dropped; fixes on traces beyond the
    profile are dropped; positions are transformed to ``target_crs`` (default:
    the UTM zone of the first fix) and interpolated linearly by trace number;
    traces before the first / after the last fix take the nearest fix (reported).
    """
    fixes = fixes if fixes is not None else rg.gps
    if fixes is None:
        raise InputError("{path} has no GPS positions to georeference with.", code="gpr.no_gps",
                         path=str(rg.path or ""))
    trace = np.asarray(fixes.trace, dtype=np.float64)
    lon = np.asarray(fixes.lon, dtype=np.float64)
    lat = np.asarray(fixes.lat, dtype=np.float64)
    alt = np.asarray(getattr(fixes, "alt", np.full(len(lon), np.nan)), dtype=np.float64)
    n = rg.n_traces
    new = _copy(rg)
    ok = (np.isfinite(trace) & np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180)
          & ~((lon == 0) & (lat == 0)))
    if (~ok).any():
        new.warnings.append(f"{int((~ok).sum())} GPS fix(es) without a usable position were ignored.")
    beyond = ok & ((trace < 0) | (trace > n - 1))
    if beyond.any():
        new.warnings.append(f"{int(beyond.sum())} GPS fix(es) refer to traces beyond the profile "
                            f"(0..{n - 1}) and were ignored.")
    ok &= ~beyond
    trace, lon, lat, alt = trace[ok], lon[ok], lat[ok], alt[ok]
    if len(trace) == 0:
        raise InputError("{path} has no usable GPS fix.", code="gpr.no_gps", path=str(rg.path or ""))
    order = np.argsort(trace, kind="stable")
    trace, lon, lat, alt = trace[order], lon[order], lat[order], alt[order]
    uniq, first = np.unique(trace, return_index=True)
    trace, lon, lat, alt = uniq, lon[first], lat[first], alt[first]
    from pyproj import Transformer

    target = target_crs or utm_crs_for(float(lon[0]), float(lat[0]))
    tr = Transformer.from_crs(source_crs, target, always_xy=True)
    fx, fy = tr.transform(lon, lat)
    fx, fy = np.asarray(fx, dtype=np.float64), np.asarray(fy, dtype=np.float64)
    if len(trace) >= 3:
        # a jump: a fix far from where its two neighbours put it (linear in trace number)
        w = (trace[1:-1] - trace[:-2]) / (trace[2:] - trace[:-2])
        px = fx[:-2] + w * (fx[2:] - fx[:-2])
        py = fy[:-2] + w * (fy[2:] - fy[:-2])
        dev = np.hypot(fx[1:-1] - px, fy[1:-1] - py)
        jumps = np.nonzero(dev > JUMP_M)[0] + 1
        for j in jumps[:20]:
            new.warnings.append(f"GPS jump at trace {int(trace[j])}: {dev[j - 1]:.1f} m off its neighbours' line; "
                                "the fix was ignored.")
        if len(jumps):
            keep = np.ones(len(trace), dtype=bool)
            keep[jumps] = False
            trace, fx, fy, alt = trace[keep], fx[keep], fy[keep], alt[keep]
    gaps = np.nonzero(np.diff(trace) > GAP_TRACES)[0]
    for g in gaps[:20]:
        new.warnings.append(f"GPS gap between traces {int(trace[g])} and {int(trace[g + 1])}: positions there "
                            "are interpolated.")
    idx = np.arange(n, dtype=np.float64)
    if len(trace) == 1:
        new.warnings.append("Only one GPS fix: every trace is placed at it.")
    if trace[0] > 0 or trace[-1] < n - 1:
        new.warnings.append(f"GPS covers traces {int(trace[0])}..{int(trace[-1])} of 0..{n - 1}; traces outside "
                            "take the nearest fix.")
    x = np.interp(idx, trace, fx)
    y = np.interp(idx, trace, fy)
    z = np.interp(idx, trace, alt) if np.isfinite(alt).all() else None
    new.x, new.y, new.z = x, y, z
    new.crs = target
    dist = _cumulative(x, y)
    if rg.distance_m is not None and len(rg.distance_m) == n:
        pass  # the file's own distances (wheel/DMI, marks) are better along the line than GPS
    elif dist[-1] <= 0.0:
        new.warnings.append("All GPS fixes are at the same position: along-line distance unknown from GPS.")
    else:
        new.distance_m = dist
        new.trace_spacing_m = float(dist[-1] / max(1, n - 1))
    new.header = dict(rg.header, georeference="gps", gps_fixes_used=int(len(trace)))
    return new


def from_xy(rg: Radargram, x: np.ndarray, y: np.ndarray, z: np.ndarray | None, crs: str,
            target_crs: str | None = None) -> Radargram:
    """Georeference from projected coordinates per trace (reprojected when needed)."""
    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    if len(x) != rg.n_traces or len(y) != rg.n_traces:
        raise InputError("{path}: {got} coordinates for {n} traces.", code="gpr.xy_count", path=str(rg.path or ""),
                         got=len(x), n=rg.n_traces)
    new = _copy(rg)
    if target_crs and target_crs != crs:
        from pyproj import Transformer

        tr = Transformer.from_crs(crs, target_crs, always_xy=True)
        x, y = (np.asarray(v, dtype=np.float64) for v in tr.transform(x, y))
        crs = target_crs
    new.x, new.y = x, y
    new.z = None if z is None else np.asarray(z, dtype=np.float64)
    new.crs = crs
    new.distance_m = _cumulative(x, y)
    new.trace_spacing_m = float(new.distance_m[-1] / max(1, rg.n_traces - 1))
    new.header = dict(rg.header, georeference="xy")
    return new


def from_line(rg: Radargram, line_xy: np.ndarray, crs: str, start_distance_m: float = 0.0,
              trace_spacing_m: float | None = None) -> Radargram:
    """Place traces along a drawn polyline: trace i at ``start + i * spacing``
    (or at its own along-line distance when the file has one and no spacing
    is given), measured from the line's first vertex."""
    line = np.asarray(line_xy, dtype=np.float64)
    if line.ndim != 2 or line.shape[0] < 2 or line.shape[1] < 2:
        raise InputError("The survey line needs at least two vertices.", code="gpr.line")
    chain = _cumulative(line[:, 0], line[:, 1])
    if chain[-1] <= 0:
        raise InputError("The survey line has no length.", code="gpr.line")
    new = _copy(rg)
    n = rg.n_traces
    if trace_spacing_m and trace_spacing_m > 0:
        dist = start_distance_m + np.arange(n) * trace_spacing_m
        spacing = trace_spacing_m
    elif rg.distance_m is not None and len(rg.distance_m) == n:
        dist = start_distance_m + (np.asarray(rg.distance_m) - float(rg.distance_m[0]))
        spacing = rg.trace_spacing_m
    elif rg.trace_spacing_m:
        dist = start_distance_m + np.arange(n) * rg.trace_spacing_m
        spacing = rg.trace_spacing_m
    else:
        spacing = (chain[-1] - start_distance_m) / max(1, n - 1)
        dist = start_distance_m + np.arange(n) * spacing
        new.warnings.append(f"No trace spacing known: {n} traces spread evenly over the line "
                            f"({spacing:.3f} m apart).")
    if dist[-1] > chain[-1] + 1e-6 or dist[0] < -1e-6:
        new.warnings.append(f"The profile ({dist[0]:.2f}..{dist[-1]:.2f} m) runs beyond the drawn line "
                            f"({chain[-1]:.2f} m): traces beyond its ends are placed on its extension.")
    x = np.interp(dist, chain, line[:, 0])
    y = np.interp(dist, chain, line[:, 1])
    for end, sel in ((0, dist < 0), (-1, dist > chain[-1])):
        if sel.any():
            seg = line[[0, 1]] if end == 0 else line[[-2, -1]]
            d = seg[1] - seg[0]
            d = d / np.linalg.norm(d)
            base = line[0] if end == 0 else line[-1]
            over = dist[sel] - (0.0 if end == 0 else chain[-1])
            x[sel] = base[0] + d[0] * over
            y[sel] = base[1] + d[1] * over
    new.x, new.y, new.z = x, y, None
    new.crs = crs
    new.distance_m = dist
    new.trace_spacing_m = spacing
    new.header = dict(rg.header, georeference="line", start_distance_m=start_distance_m)
    return new
