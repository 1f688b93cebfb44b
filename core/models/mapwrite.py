"""Write imported points and segments into an integrated map, updating what an
earlier import of the same source wrote.

Every feature keeps ``source`` (the file name) and ``source_id`` (its id in
the source). A feature of this source already in the map with the same
``source_id`` is updated in place (its map id kept, ``version`` + 1); new
ones are added; features of this source (within ``scope``) that the source no
longer holds are deleted, so a re-import mirrors the source. Fields the
import does not set (an owner typed in by hand, say) are kept on update.

Map ids: a new point takes the model's id as ``point_id`` (a segment as
``seg_id``) unless another feature holds it; then ``<file stem>:<id>``
(and ``:2``, ``:3``... if even that is taken).

All of it happens in one transaction on a copy of the map, which replaces
the map only when complete (as the survey import does).
"""

from __future__ import annotations

import datetime as _dt
import math
import shutil
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..gdalutil import gdal_exceptions, temp_path_beside
from ..progress import Progress, check_cancel
from .records import MapPoint, MapSegment, ModelImportResult

#: fields every import sets on every feature (others only when the import has them)
_ALWAYS = ("category", "subcategory", "source", "source_id", "modified_at", "remark", "quality_level",
           "survey_method", "start_point", "end_point")
_POINT = struct.Struct("<BIddd")


#: the private copy is committed every this many features (see core.survey.importer.COMMIT_EVERY)
COMMIT_EVERY = 50_000


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _line_wkb(xyz: Sequence[tuple[float, float, float]]) -> bytes:
    head = struct.pack("<BII", 1, 1002, len(xyz))
    return head + b"".join(struct.pack("<ddd", x, y, z) for x, y, z in xyz)


class _Fields:
    def __init__(self, defn: Any) -> None:
        from osgeo import ogr

        self.ogr = ogr
        self.index: dict[str, tuple[int, int]] = {}
        for i in range(defn.GetFieldCount()):
            fd = defn.GetFieldDefn(i)
            self.index[fd.GetName()] = (i, fd.GetType())

    def set(self, feat: Any, name: str, value: Any) -> None:
        if name not in self.index:
            return
        i, kind = self.index[name]
        ogr = self.ogr
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            feat.SetFieldNull(i)
        elif kind == ogr.OFTString:
            feat.SetFieldString(i, str(value))
        elif kind == ogr.OFTReal:
            feat.SetField(i, float(value))
        elif kind in (ogr.OFTInteger64, ogr.OFTInteger):
            feat.SetFieldInteger64(i, int(value))
        else:
            feat.SetField(i, value)


def _in_scope(source_id: str | None, scope: tuple[str, ...] | None) -> bool:
    if scope is None:
        return True
    return bool(source_id) and any(source_id.startswith(p) for p in scope)


class _Ids:
    """Map-id allocation for one layer."""

    def __init__(self, taken: set[str], stem: str) -> None:
        self.taken = taken
        self.stem = stem
        self.renamed = 0

    def claim(self, preferred: str) -> str:
        cand = preferred or self.stem
        if cand in self.taken:
            self.renamed += 1
            base = f"{self.stem}:{preferred}"
            cand = base
            n = 2
            while cand in self.taken:
                cand = f"{base}:{n}"
                n += 1
        self.taken.add(cand)
        return cand


def _sync_layer(layer: Any, key: str, source: str, stem: str, records: Sequence[MapPoint | MapSegment],
                scope: tuple[str, ...] | None, geometry: Any, attrs: Any, progress: Progress,
                span: tuple[float, float], checkpoint: Any = None) -> tuple[int, int, int, dict[str, str], int]:
    """Update/add/delete one layer's features of ``source``.

    :param checkpoint: called every :data:`COMMIT_EVERY` features written (commits the private copy).

    :returns: (added, updated, removed, source_id -> map id, renamed)
    """
    from osgeo import ogr

    defn = layer.GetLayerDefn()
    fields = _Fields(defn)
    mine: dict[str, tuple[int, str]] = {}
    taken: set[str] = set()
    stale: list[int] = []
    i_key, i_src, i_sid = (fields.index[n][0] for n in (key, "source", "source_id"))
    layer.ResetReading()
    for feat in layer:
        map_id = feat.GetField(i_key)
        sid = feat.GetField(i_sid)
        if feat.GetField(i_src) == source and _in_scope(sid, scope):
            if sid in mine:  # an earlier duplicate: keep the first
                stale.append(feat.GetFID())
            else:
                mine[sid] = (feat.GetFID(), map_id)
        elif map_id is not None:
            taken.add(map_id)
    wanted = {r.source_id for r in records}
    for sid, (fid, _) in mine.items():
        if sid not in wanted:
            stale.append(fid)
    ids = {sid: map_id for sid, (_, map_id) in mine.items() if sid in wanted}
    taken.update(ids.values())
    alloc = _Ids(taken, stem)
    owned = set(_ALWAYS)
    for r in records:
        owned.update(k for k in r.values if k in fields.index)
    now = _now()
    added = updated = 0
    out_ids: dict[str, str] = {}
    lo, hi = span
    for n, rec in enumerate(records):
        if rec.source_id in out_ids:
            continue  # a duplicate source id in the source: the converters report it
        if n % 2000 == 0:
            progress.report(lo + (hi - lo) * n / max(1, len(records)))
            check_cancel(progress)
        existing = mine.get(rec.source_id)
        if existing is not None and rec.source_id in wanted:
            fid, map_id = existing
            feat = layer.GetFeature(fid)
            version = feat.GetField(fields.index["version"][0]) or 1
            fields.set(feat, "version", int(version) + 1)
            updated += 1
        else:
            feat = ogr.Feature(defn)
            map_id = alloc.claim(rec.preferred_id or rec.source_id)
            fields.set(feat, key, map_id)
            fields.set(feat, "version", 1)
            added += 1
        out_ids[rec.source_id] = map_id
        feat.SetGeometryDirectly(ogr.CreateGeometryFromWkb(geometry(rec)))
        values = attrs(rec)
        for name in owned:
            fields.set(feat, name, values.get(name))
        fields.set(feat, "modified_at", now)
        if existing is not None:
            layer.SetFeature(feat)
        else:
            layer.CreateFeature(feat)
        if checkpoint is not None and (added + updated) % COMMIT_EVERY == 0:
            checkpoint()
    for fid in stale:
        layer.DeleteFeature(fid)
    return added, updated, len(stale), out_ids, alloc.renamed


def write(map_path: Path, source: str, points: Sequence[MapPoint], segments: Sequence[MapSegment],
          result: ModelImportResult, progress: Progress, scope: tuple[str, ...] | None = None,
          defaults: dict[str, Any] | None = None) -> None:
    """Write ``points`` and ``segments`` of ``source`` into the map (see the module doc).

    :param scope: source-id prefixes this import covers (None: all of the source); stale
        features outside the scope are kept.
    :param defaults: field values for every feature unless the record sets them.
    """
    from ..mapfile import write_lock

    # no other program may commit between the copy and its return into the map (a lost update otherwise)
    with write_lock(map_path):
        _write_locked(map_path, source, points, segments, result, progress, scope, defaults)


def _write_locked(map_path: Path, source: str, points: Sequence[MapPoint], segments: Sequence[MapSegment],
                  result: ModelImportResult, progress: Progress, scope: tuple[str, ...] | None,
                  defaults: dict[str, Any] | None) -> None:
    from osgeo import gdal

    from ..mapfile import copy_errors, replace_map, upgrade_map

    stem = Path(source).stem or "import"
    extra = dict(defaults or {})
    tmp = temp_path_beside(map_path, ".gpkg")
    with copy_errors(map_path, tmp):
        shutil.copy2(map_path, tmp)  # inside the block: a full disk fails here too, and the copy is removed
        before, after = upgrade_map(tmp)
        if before != after:
            result.notes.append(f"The map was upgraded from schema version {before} to {after}.")
        with gdal_exceptions():
            ds = gdal.OpenEx(str(tmp), gdal.OF_VECTOR | gdal.OF_UPDATE, allowed_drivers=["GPKG"])
            try:
                plyr = ds.GetLayerByName("pipe_point")
                slyr = ds.GetLayerByName("pipe_segment")
                if plyr is None or slyr is None:
                    raise InputError("{path} is not an integrated map (no pipe_point/pipe_segment layer).",
                                     code="map.not_pipemap", path=str(map_path))
                ds.StartTransaction()

                def checkpoint() -> None:  # (the map changes only when the finished copy replaces it)
                    ds.CommitTransaction()
                    ds.StartTransaction()

                def common(rec: MapPoint | MapSegment) -> dict[str, Any]:
                    out = dict(extra)
                    out.update(rec.values)
                    out.update(category=rec.category, subcategory=rec.subcategory, source=source,
                               source_id=rec.source_id)
                    return out

                def point_geom(p: MapPoint) -> bytes:
                    return _POINT.pack(1, 1001, p.x, p.y, p.z)

                added, updated, removed, point_ids, renamed_p = _sync_layer(
                    plyr, "point_id", source, stem, points, scope, point_geom, common, progress, (0.0, 0.45),
                    checkpoint)
                result.points_written, result.points_updated, result.points_removed = added + updated, updated, \
                    removed

                def seg_attrs(s: MapSegment) -> dict[str, Any]:
                    out = common(s)
                    out["start_point"] = point_ids.get(s.start) if s.start else None
                    out["end_point"] = point_ids.get(s.end) if s.end else None
                    return out

                added, updated, removed, _, renamed_s = _sync_layer(
                    slyr, "seg_id", source, stem, segments, scope, lambda s: _line_wkb(s.xyz), seg_attrs, progress,
                    (0.45, 0.9), checkpoint)
                result.segments_written, result.segments_updated, result.segments_removed = added + updated, \
                    updated, removed
                if renamed_p or renamed_s:
                    result.notes.append(f"{renamed_p} point and {renamed_s} segment id(s) were already used in the "
                                        f"map by other features: they were written as '{stem}:<id>'.")
                check_cancel(progress)
                ds.CommitTransaction()
                ds.FlushCache()  # GDAL's deferred work fails here, not unseen at close
            finally:
                ds = None  # noqa: F841
        check_cancel(progress)
        progress.report(0.95)
        # into the locked map through SQLite (see mapfile.replace_map)
        replace_map(tmp, map_path, lambda f: progress.report(0.95 + 0.05 * f))
