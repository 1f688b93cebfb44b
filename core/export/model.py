"""The integrated map, read for export with a sharing profile applied.

Data are columnar (one list per field, one vertex array per layer) so a city
of a million segments does not become a million Python objects. Writers get
a :class:`MapData` and never see what the profile removed: categories,
sensitivity classes and fields that may not leave are dropped here, once,
and positions are rounded here to the profile's precision.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .. import codes, schema
from ..errors import InputError
from ..gdalutil import gdal_exceptions
from ..progress import NullProgress, Progress, check_cancel
from .profiles import Profile

#: PipeMap field types of the GPR pick layer (as written by ``pipemap:gprpick``)
PICK_FIELDS = (
    schema.Field("pick_id", "text"), schema.Field("survey_id", "text"), schema.Field("kind", "text"),
    schema.Field("distance_m", "real"), schema.Field("depth_m", "real"), schema.Field("t0_ns", "real"),
    schema.Field("velocity_m_ns", "real"), schema.Field("radius_m", "real"), schema.Field("confidence", "real"),
    schema.Field("category", "text"),
)


@dataclass
class LayerData:
    """One exported layer: fields (data-model :class:`~core.schema.Field`), columns and geometry.

    Lines: ``vertices`` (N, 3) and ``offsets`` (M + 1); points: ``vertices``
    (M, 3) and ``offsets`` None. z may be NaN where unknown.
    """

    name: str
    fields: list[schema.Field]
    columns: dict[str, list[Any]]
    vertices: np.ndarray
    offsets: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.vertices) if self.offsets is None else len(self.offsets) - 1

    @property
    def is_line(self) -> bool:
        return self.offsets is not None

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]

    def coords(self, i: int) -> np.ndarray:
        """The (k, 3) vertices of feature ``i`` (a (1, 3) array for a point)."""
        if self.offsets is None:
            return self.vertices[i:i + 1]
        return self.vertices[self.offsets[i]:self.offsets[i + 1]]

    def value(self, name: str, i: int) -> Any:
        col = self.columns.get(name)
        return None if col is None else col[i]

    def row(self, i: int) -> dict[str, Any]:
        return {f.name: self.columns[f.name][i] for f in self.fields}

    def rows(self) -> Iterator[dict[str, Any]]:
        for i in range(len(self)):
            yield self.row(i)

    def category_counts(self) -> dict[str, int]:
        return dict(sorted(Counter(v or "" for v in self.columns.get("category", [])).items()))

    def subset(self, keep: np.ndarray) -> LayerData:
        """The features where ``keep`` (bool, one per feature) is true."""
        idx = np.flatnonzero(keep)
        cols = {k: [v[i] for i in idx] for k, v in self.columns.items()}
        if self.offsets is None:
            return LayerData(self.name, self.fields, cols, self.vertices[idx], None)
        counts = np.diff(self.offsets)[idx]
        offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        take = np.concatenate([np.arange(self.offsets[i], self.offsets[i + 1]) for i in idx]) if len(idx) \
            else np.zeros(0, dtype=np.int64)
        return LayerData(self.name, self.fields, cols, self.vertices[take], offsets)

    @classmethod
    def from_rows(cls, name: str, fields: Sequence[schema.Field], rows: Sequence[dict[str, Any]],
                  xyz: np.ndarray) -> LayerData:
        """A point layer from row dicts and their (M, 3) positions."""
        cols = {f.name: [r.get(f.name) for r in rows] for f in fields}
        return cls(name, list(fields), cols, np.asarray(xyz, dtype=float).reshape(-1, 3), None)


@dataclass
class MapData:
    """Everything a writer needs, after the profile was applied."""

    segments: LayerData
    points: LayerData
    picks: LayerData | None
    crs_wkt: str  #: WKT2 of the map's CRS
    crs_authid: str  #: e.g. "EPSG:4547"; "" for a local grid
    height_datum: str
    z_convention: dict[str, str]  #: layer -> what z means
    profile: Profile
    source: str  #: the map file
    metadata: dict[str, str] = field(default_factory=dict)
    removed: dict[str, int] = field(default_factory=dict)  #: what the profile and filters removed, by reason

    @property
    def epsg(self) -> int | None:
        auth, _, code = self.crs_authid.partition(":")
        return int(code) if auth.upper() == "EPSG" and code.isdigit() else None

    def layers(self) -> list[LayerData]:
        out = [lyr for lyr in (self.segments, self.points) if lyr.name in self.profile.layers]
        if self.picks is not None and "gpr_pick" in self.profile.layers:
            out.append(self.picks)
        return out

    def counts(self) -> dict[str, dict[str, int]]:
        """Feature counts per layer and category."""
        return {lyr.name: lyr.category_counts() for lyr in self.layers()}

    def accuracy(self) -> dict[str, dict[str, int]]:
        """How many features of each layer have each quality level (blank: not stated)."""
        return {lyr.name: dict(sorted(Counter(v or "" for v in lyr.columns.get("quality_level", [None] * len(lyr)))
                                      .items()))
                for lyr in self.layers()}

    def describe(self) -> dict[str, Any]:
        """The metadata every format records (CRS, height datum, Z convention, accuracy, profile)."""
        return {
            "crs": {"authid": self.crs_authid, "wkt": self.crs_wkt},
            "height_datum": self.height_datum,
            "z_convention": self.z_convention,
            "accuracy": {"quality_levels": self.accuracy(),
                         "note": "CJJ 61-2017 3.0.4: plan position of concealed points within 0.05 h and depth "
                                 "within 0.075 h (h = depth); exposed points 50 mm plan, 50 mm depth"},
            "profile": self.profile.name,
            "source_map": os.path.basename(self.source),
            "schema_version": self.metadata.get("schema_version", ""),
        }


def _value(feat: Any, idx: int, kind: str) -> Any:
    if not feat.IsFieldSetAndNotNull(idx):
        return None
    if kind == "integer":
        return feat.GetFieldAsInteger64(idx)
    if kind == "real":
        return feat.GetFieldAsDouble(idx)
    return feat.GetFieldAsString(idx)


def _round(a: np.ndarray, step: float) -> np.ndarray:
    if step <= 0:
        return a
    return np.round(a / step) * step


def _read_layer(ds: Any, layer_def: schema.Layer, profile: Profile, categories: set[str] | None,
                extent: tuple[float, float, float, float] | None, removed: Counter, progress: Progress,
                span: tuple[float, float], withheld: set[str] | None = None) -> LayerData:
    """Read one layer, dropping what the profile withholds. The ids of features withheld by the
    profile (category or sensitivity) are added to ``withheld`` when it is given."""
    from osgeo import ogr

    lyr = ds.GetLayerByName(layer_def.name)
    if lyr is None:
        raise InputError("The map {path} has no {layer} layer: it is not an integrated map.",
                         code="map.not_pipemap", path=ds.GetDescription(), layer=layer_def.name)
    defn = lyr.GetLayerDefn()
    present = {defn.GetFieldDefn(i).GetName(): i for i in range(defn.GetFieldCount())}
    fields = [f for f in layer_def.fields if f.name in present and profile.field_allowed(layer_def.name, f.name)]
    removed[f"{layer_def.name}: fields withheld"] = sum(
        1 for f in layer_def.fields if f.name in present and f not in fields)
    if extent is not None:
        lyr.SetSpatialFilterRect(*extent)
    is_line = layer_def.geometry and layer_def.geometry.startswith("LineString")
    cols: dict[str, list[Any]] = {f.name: [] for f in fields}
    cat_idx = present.get("category")
    sens_idx = present.get("sensitivity")
    id_idx = present.get("point_id" if layer_def.name == "pipe_point" else "seg_id")
    chunks: list[np.ndarray] = []
    offsets = [0]
    total = max(1, lyr.GetFeatureCount())
    for n, feat in enumerate(lyr):
        if n % 5000 == 0:
            check_cancel(progress)
            progress.report(span[0] + (span[1] - span[0]) * n / total)
        cat = feat.GetFieldAsString(cat_idx) if cat_idx is not None and feat.IsFieldSetAndNotNull(cat_idx) else ""
        if not profile.category_allowed(cat):
            removed[f"{layer_def.name}: category {cat} withheld by the profile"] += 1
            if withheld is not None and id_idx is not None:
                withheld.add(feat.GetFieldAsString(id_idx))
            continue
        if categories is not None and cat not in categories:
            removed[f"{layer_def.name}: category {cat} not asked for"] += 1
            continue
        sens = feat.GetFieldAsString(sens_idx) if sens_idx is not None and feat.IsFieldSetAndNotNull(sens_idx) \
            else None
        if not profile.sensitivity_allowed(sens):
            removed[f"{layer_def.name}: sensitivity {sens} withheld by the profile"] += 1
            if withheld is not None and id_idx is not None:
                withheld.add(feat.GetFieldAsString(id_idx))
            continue
        geom = feat.GetGeometryRef()
        if geom is None or geom.IsEmpty():
            removed[f"{layer_def.name}: no geometry"] += 1
            continue
        if is_line:
            if geom.GetGeometryType() in (ogr.wkbMultiLineString, ogr.wkbMultiLineString25D) \
                    and geom.GetGeometryCount() == 1:
                geom = geom.GetGeometryRef(0)
            pts = np.array(geom.GetPoints() or [], dtype=float)
            if len(pts) < 2:
                removed[f"{layer_def.name}: no geometry"] += 1
                continue
        else:
            pts = np.array([geom.GetPoint()], dtype=float)
        if pts.shape[1] == 2:
            pts = np.column_stack([pts, np.full(len(pts), np.nan)])
        chunks.append(pts[:, :3])
        offsets.append(offsets[-1] + len(pts))
        for f in fields:
            cols[f.name].append(_value(feat, present[f.name], f.type))
    vertices = _round(np.concatenate(chunks) if chunks else np.zeros((0, 3)), profile.precision_m)
    return LayerData(layer_def.name, fields, cols, vertices,
                     np.asarray(offsets, dtype=np.int64) if is_line else None)


def read_map(path: str | os.PathLike[str], profile: Profile, *, categories: Sequence[str] | None = None,
             extent: tuple[float, float, float, float] | None = None, picks: LayerData | None = None,
             progress: Progress | None = None) -> MapData:
    """Read an integrated map for export, keeping only what ``profile`` lets leave.

    :param categories: optional further filter on CJJ 61 category codes.
    :param extent: optional (xmin, ymin, xmax, ymax) in the map's CRS; features whose
        bounding box meets it are kept.
    :param picks: GPR picks (point layer) to export alongside, if any.
    """
    from osgeo import gdal

    from ..mapfile import read_metadata

    progress = progress or NullProgress()
    p = Path(path)
    meta = read_metadata(p)
    known = {c.code for c in codes.CATEGORIES}
    wanted: set[str] | None = None
    if categories:
        bad = [c for c in categories if c not in known]
        if bad:
            raise InputError("Unknown category codes {codes_}: known are {known}.", code="export.bad_category",
                             codes_=", ".join(bad), known=", ".join(sorted(known)))
        wanted = set(categories)
    if extent is not None and not (extent[0] < extent[2] and extent[1] < extent[3]):
        raise InputError("The extent {extent} is empty.", code="export.bad_extent", extent=str(extent))
    removed: Counter = Counter()
    with gdal_exceptions():
        try:
            ds = gdal.OpenEx(str(p), gdal.OF_VECTOR | gdal.OF_READONLY, allowed_drivers=["GPKG"])
        except RuntimeError as exc:
            raise InputError("{path} cannot be opened as a GeoPackage: {reason}", code="map.not_gpkg",
                             path=str(p), reason=str(exc)) from None
        try:
            hidden_points: set[str] = set()
            points = _read_layer(ds, schema.PIPE_POINT, profile, wanted, extent, removed, progress, (0.0, 0.3),
                                 hidden_points)
            segments = _read_layer(ds, schema.PIPE_SEGMENT, profile, wanted, extent, removed, progress, (0.3, 0.9))
            # a segment may not name a point the profile withholds (its id would leave with the segment)
            for name in ("start_point", "end_point"):
                col = segments.columns.get(name)
                if col is None or not hidden_points:
                    continue
                for i, v in enumerate(col):
                    if v in hidden_points:
                        col[i] = None
                        removed[f"pipe_segment: {name} naming a withheld point blanked"] += 1
        finally:
            ds = None  # noqa: F841
    if picks is not None:
        keep = np.array([profile.field_allowed("gpr_pick", f.name) for f in picks.fields])
        fields = [f for f, k in zip(picks.fields, keep) if k]
        picks = LayerData(picks.name, fields, {f.name: picks.columns[f.name] for f in fields},
                          _round(picks.vertices.copy(), profile.precision_m), None)
        if extent is not None:
            v = picks.vertices
            picks = picks.subset((v[:, 0] >= extent[0]) & (v[:, 0] <= extent[2])
                                 & (v[:, 1] >= extent[1]) & (v[:, 1] <= extent[3]))
    z_conv = {"pipe_point": meta.get("z_convention_pipe_point", schema.Z_CONVENTION["pipe_point"]),
              "pipe_segment": meta.get("z_convention_pipe_segment", schema.Z_CONVENTION["pipe_segment"]),
              "gpr_pick": "elevation of the anomaly's centre (ground - depth - radius); NaN without ground"}
    progress.report(1.0)
    return MapData(segments, points, picks, meta.get("crs_wkt", ""), meta.get("crs_authid", ""),
                   meta.get("height_datum", ""), z_conv, profile, str(p), meta,
                   {k: v for k, v in removed.items() if v})


def now_utc() -> str:
    return _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
