"""Import a GPR survey: read, override, georeference, process, image, SEG-Y,
and record it in the integrated map's ``gpr_survey`` layer."""

from __future__ import annotations

import datetime as _dt
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError, OutputError
from ..gdalutil import gdal_exceptions, spatial_reference
from ..progress import NullProgress, Progress, check_cancel
from . import georef, readers
from .model import Radargram


@dataclass
class ChannelResult:
    radargram: Radargram
    survey_id: str
    image: Path | None = None
    segy: Path | None = None

    @property
    def line_xy(self) -> np.ndarray | None:
        rg = self.radargram
        if rg.x is None or rg.y is None:
            return None
        return np.column_stack([rg.x, rg.y])

    def attributes(self) -> dict[str, Any]:
        rg = self.radargram
        length = None
        if rg.distance_m is not None and len(rg.distance_m):
            length = float(rg.distance_m[-1] - rg.distance_m[0])
        return {
            "survey_id": self.survey_id,
            "file": str(rg.path) if rg.path else "",
            "format": rg.format,
            "channel": rg.channel,
            "n_channels": rg.n_channels,
            "traces": rg.n_traces,
            "samples": rg.n_samples,
            "dt_ns": float(rg.dt_ns),
            "time_window_ns": float(rg.dt_ns * max(0, rg.n_samples - 1)),
            "antenna": rg.antenna.name or "",
            "frequency_mhz": rg.antenna.frequency_mhz,
            "trace_spacing_m": rg.trace_spacing_m,
            "length_m": length,
            "georeference": rg.header.get("georeference", "none"),
            "acquired": str(rg.header.get("date_created") or rg.header.get("date") or ""),
            "processing": rg.history_text(),
            "warnings": "\n".join(rg.warnings)[:20000],
        }


@dataclass
class GprImportResult:
    channels: list[ChannelResult] = field(default_factory=list)
    crs: str = ""
    recorded_in_map: int = 0
    notes: list[str] = field(default_factory=list)


def import_gpr(path: str | os.PathLike[str], *, line_xy: np.ndarray | None = None, crs: str | None = None,
               start_distance_m: float = 0.0, trace_spacing_m: float | None = None,
               sample_interval_ns: float | None = None, processing: str | None = "default",
               velocity_m_ns: float | None = None, image_path: str | os.PathLike[str] | None = None,
               segy_path: str | os.PathLike[str] | None = None, map_path: str | os.PathLike[str] | None = None,
               progress: Progress | None = None) -> GprImportResult:
    """Import one radar file (every channel).

    :param line_xy: a drawn survey line (map CRS ``crs``): traces are placed
        along it from ``start_distance_m`` every ``trace_spacing_m``.
    :param crs: the CRS of the outputs (the map's when ``map_path`` is given;
        else the UTM zone of the GPS, or the line's CRS).
    :param trace_spacing_m: overrides the file's trace spacing (0/None: from the file).
    :param sample_interval_ns: overrides the file's sample interval (0/None: from the file).
    :param processing: a preset name (``none``, ``default``...) or a step list.
    :param image_path, segy_path: outputs; with several channels the channel
        number is added to the name.
    """
    from . import chains

    progress = progress or NullProgress()
    p = Path(path)
    result = GprImportResult()
    if map_path:
        from ..mapfile import read_metadata

        meta = read_metadata(map_path)
        map_crs = meta.get("crs_authid") or meta.get("crs_wkt", "")
        if crs and crs != map_crs:
            result.notes.append("The outputs use the map's CRS.")
        crs = map_crs
    steps = chains.parse_steps(processing or "none")
    radargrams = readers.read(p)
    progress.report(0.1)
    created: list[Path] = []  # outputs this call made: removed again if a later one fails (all or nothing)
    try:
        _import_channels(p, radargrams, result, created, line_xy, crs, start_distance_m, trace_spacing_m,
                         sample_interval_ns, steps, velocity_m_ns, image_path, segy_path, progress)
        if map_path:
            result.recorded_in_map = record_in_map(map_path, result.channels)
    except BaseException:
        for path in created:
            path.unlink(missing_ok=True)
        raise
    progress.report(1.0)
    return result


def _import_channels(p: Path, radargrams: list[Radargram], result: GprImportResult, created: list[Path],
                     line_xy: np.ndarray | None, crs: str | None, start_distance_m: float,
                     trace_spacing_m: float | None, sample_interval_ns: float | None, steps: Any,
                     velocity_m_ns: float | None, image_path: str | os.PathLike[str] | None,
                     segy_path: str | os.PathLike[str] | None, progress: Progress) -> None:
    from . import chains

    n = len(radargrams)
    for i, rg in enumerate(radargrams):
        check_cancel(progress)
        if sample_interval_ns:
            if sample_interval_ns <= 0:
                raise InputError("The sample interval must be positive.", code="gpr.dt")
            rg.warnings.append(f"Sample interval set to {sample_interval_ns} ns (file: {rg.dt_ns:.6g} ns).")
            rg.dt_ns = float(sample_interval_ns)
        if trace_spacing_m and line_xy is None:
            rg.trace_spacing_m = float(trace_spacing_m)
            rg.distance_m = start_distance_m + np.arange(rg.n_traces) * float(trace_spacing_m)
            rg.warnings.append(f"Trace spacing set to {trace_spacing_m} m.")
        rg = _georeference(rg, line_xy, crs, start_distance_m, trace_spacing_m)
        if rg.crs and not result.crs:
            result.crs = rg.crs
        check_memory(rg)
        rg = chains.apply_chain(rg, steps)
        progress.report(0.1 + 0.6 * (i + 1) / n)
        sid = f"{p.name}#{rg.channel}" if n > 1 else p.name
        ch = ChannelResult(rg, sid)
        if image_path:
            from .image import render_radargram

            out = _per_channel(image_path, rg.channel, n)
            new = not out.exists()
            ch.image = render_radargram(rg, out, velocity_m_ns=velocity_m_ns,
                                        title=f"{p.name}" + (f" channel {rg.channel}" if n > 1 else ""))
            if new:
                created.append(out)
        if segy_path:
            from .segy_write import write_segy

            out = _per_channel(segy_path, rg.channel, n)
            new = not out.exists()
            ch.segy = write_segy(rg, out)
            if new:
                created.append(out)
        result.channels.append(ch)


#: processing and picking hold about this many float32 copies of a radargram at once
PROCESSING_COPIES = 3


def available_memory_bytes() -> int | None:
    """MemAvailable of /proc/meminfo (Linux), or None where it is not known."""
    try:
        with open("/proc/meminfo", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        return None
    return None


def check_memory(rg: Radargram, copies: int = PROCESSING_COPIES) -> None:
    """Refuse a radargram too large to process in the memory that is free, before allocating it (a file of
    tens of GB, or a header claiming one, must not get the process killed by the system).

    :raises InputError: (code ``gpr.too_big``) naming the file, the size and the memory needed.
    """
    need = int(rg.n_samples) * int(rg.n_traces) * 4 * copies
    free = available_memory_bytes()
    if free is not None and need > free:
        raise InputError("{path} holds {traces} traces of {samples} samples: processing needs about {need:.1f} GB of "
                         "memory, but {free:.1f} GB are free. Process the line in parts (fewer traces) or free "
                         "memory.", code="gpr.too_big", path=str(rg.path), traces=rg.n_traces,
                         samples=rg.n_samples, need=need / 1e9, free=free / 1e9)


def _per_channel(path: str | os.PathLike[str], channel: int, n: int) -> Path:
    p = Path(path)
    return p if n == 1 else p.with_name(f"{p.stem}_ch{channel}{p.suffix}")


def _georeference(rg: Radargram, line_xy: np.ndarray | None, crs: str | None, start: float,
                  spacing: float | None) -> Radargram:
    if line_xy is not None:
        if not crs:
            raise InputError("A survey line needs its CRS.", code="gpr.line_crs")
        return georef.from_line(rg, line_xy, crs, start, spacing or None)
    if rg.gps is not None and len(getattr(rg.gps, "trace", [])):
        try:
            return georef.from_gps(rg, rg.gps, target_crs=crs or None)
        except InputError as exc:
            rg.warnings.append(f"GPS not used: {exc}")
    if rg.x is not None and rg.y is not None:
        source = rg.crs or crs
        if not source:
            rg.warnings.append("The file has trace coordinates but no CRS: they are kept as they are "
                               "(give the survey's CRS to place them on the map).")
            rg.header = dict(rg.header, georeference="xy-unknown-crs")
            return rg
        return georef.from_xy(rg, rg.x, rg.y, rg.z, source, crs or None)
    rg.header = dict(rg.header, georeference="none")
    rg.warnings.append("The survey is not georeferenced: no GPS in the file and no survey line given.")
    return rg


def record_in_map(map_path: str | os.PathLike[str], channels: list[ChannelResult]) -> int:
    """Add (or replace) one ``gpr_survey`` feature per channel, in one transaction."""
    from ..mapfile import read_metadata, upgrade_map

    upgrade_map(map_path)
    meta = read_metadata(map_path)
    map_srs = spatial_reference(meta.get("crs_authid") or meta.get("crs_wkt", ""))
    try:
        return _record(map_path, channels, map_srs)
    except RuntimeError as exc:  # GDAL: the map is locked by another writer, the disk is full...
        raise OutputError("Could not record the survey in the map {path}: {reason}; the map is unchanged.",
                          code="gpr.record", path=str(map_path), reason=str(exc).strip()) from None


def _record(map_path: str | os.PathLike[str], channels: list[ChannelResult], map_srs: Any) -> int:
    from osgeo import gdal, ogr, osr

    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    with gdal_exceptions():
        ds = gdal.OpenEx(str(map_path), gdal.OF_VECTOR | gdal.OF_UPDATE, allowed_drivers=["GPKG"])
        try:
            layer = ds.GetLayerByName("gpr_survey")
            ds.StartTransaction()
            try:
                for ch in channels:
                    layer.SetAttributeFilter(f"survey_id = '{ch.survey_id.replace(chr(39), chr(39) * 2)}'")
                    old = [f.GetFID() for f in layer]
                    layer.SetAttributeFilter(None)
                    for fid in old:
                        layer.DeleteFeature(fid)
                    feat = ogr.Feature(layer.GetLayerDefn())
                    for key, value in ch.attributes().items():
                        if value is not None and layer.GetLayerDefn().GetFieldIndex(key) >= 0:
                            feat.SetField(key, value)
                    feat.SetField("source", ch.survey_id)
                    feat.SetField("modified_at", now)
                    xy = ch.line_xy
                    if xy is not None and ch.radargram.crs:
                        line = ogr.Geometry(ogr.wkbLineString)
                        step = max(1, len(xy) // 5000)
                        for x, y in xy[::step]:
                            line.AddPoint_2D(float(x), float(y))
                        if (len(xy) - 1) % step:
                            line.AddPoint_2D(float(xy[-1, 0]), float(xy[-1, 1]))
                        src = spatial_reference(ch.radargram.crs)
                        if not src.IsSame(map_srs):
                            line.Transform(osr.CoordinateTransformation(src, map_srs))
                        feat.SetGeometry(line)
                    layer.CreateFeature(feat)
                ds.CommitTransaction()
            except BaseException:
                ds.RollbackTransaction()
                raise
        finally:
            ds = None  # noqa: F841
    return len(channels)


@dataclass
class PickedChannel:
    channel: ChannelResult
    picks: list[Any]
    #: the centre elevation of each pick (ground - depth - radius) where the ground is known, else None
    z: list[float | None] = field(default_factory=list)


def pick_file(path: str | os.PathLike[str], *, velocity_m_ns: float | None = None, min_confidence: float = 0.3,
              line_xy: np.ndarray | None = None, crs: str | None = None, start_distance_m: float = 0.0,
              trace_spacing_m: float | None = None, sample_interval_ns: float | None = None,
              ground: Any = None, ground_crs: str | None = None, image_path: str | os.PathLike[str] | None = None,
              progress: Progress | None = None) -> list[PickedChannel]:
    """Read, georeference and pick every channel of a radar file.

    :param ground: a ground sampler ``ground(x, y)`` in ``ground_crs`` (e.g. a
        DEM); a pick's z is then the target's centre elevation
        ``ground - depth_m - radius_m`` (radius 0 when unknown).
    :param image_path: the radargram (default processing) with every pick and
        its fitted hyperbola drawn.
    """
    from . import chains
    from .picking import pick_hyperbolas

    progress = progress or NullProgress()
    imported = import_gpr(path, line_xy=line_xy, crs=crs, start_distance_m=start_distance_m,
                          trace_spacing_m=trace_spacing_m, sample_interval_ns=sample_interval_ns, processing="none")
    out: list[PickedChannel] = []
    n = len(imported.channels)
    for i, ch in enumerate(imported.channels):
        check_cancel(progress)
        rg = ch.radargram
        picks = []
        if rg.distance_m is None and not rg.trace_spacing_m:
            rg.warnings.append("Not picked: the file has no trace spacing (time-triggered, no GPS distance). "
                               "Give TRACE_SPACING_M or a survey LINE to pick it.")
        else:
            if rg.distance_m is not None and np.any(np.diff(rg.distance_m) <= 0):
                total = float(rg.distance_m[-1] - rg.distance_m[0])
                spacing = total / max(1, rg.n_traces - 1) if total > 0 else (rg.trace_spacing_m or 0.0)
                if spacing > 0:
                    rg.warnings.append("Trace distances stop or go back (stops, reversals): picking used an even "
                                       f"spacing of {spacing:.4f} m over the line.")
                    rg.distance_m = float(rg.distance_m[0]) + np.arange(rg.n_traces) * spacing
                    rg.trace_spacing_m = spacing
            picks = pick_hyperbolas(rg, velocity_m_ns=velocity_m_ns or None, min_confidence=min_confidence,
                                    progress=progress)
        zs: list[float | None] = []
        if ground is not None and picks and all(p.x is not None for p in picks):
            px = np.array([p.x for p in picks], dtype=float)
            py = np.array([p.y for p in picks], dtype=float)
            if ground_crs and rg.crs and ground_crs != rg.crs:
                from pyproj import Transformer

                px, py = Transformer.from_crs(rg.crs, ground_crs, always_xy=True).transform(px, py)
            g = np.asarray(ground(np.asarray(px), np.asarray(py)), dtype=float)
            zs = [float(gz - p.depth_m - (p.radius_m or 0.0)) if np.isfinite(gz) else None for gz, p in zip(g, picks)]
        else:
            zs = [None] * len(picks)
        if image_path:
            from .image import render_radargram

            shown = chains.apply_chain(rg, chains.parse_steps("default"))
            marks = [{"distance_m": p.distance_m, "t0_ns": p.t0_ns, "velocity_m_ns": p.velocity_m_ns,
                      "trace": p.trace, "label": f"{k + 1}"} for k, p in enumerate(picks)]
            ch.image = render_radargram(shown, _per_channel(image_path, rg.channel, n), picks=marks,
                                        velocity_m_ns=float(np.median([p.velocity_m_ns for p in picks]))
                                        if picks else None,
                                        title=f"{Path(path).name}: {len(picks)} picks")
        out.append(PickedChannel(ch, picks, zs))
        progress.report((i + 1) / n)
    return out
