"""Shapefile export: one file set per layer, for tools that still ask for it.

``<basename>_segment.shp`` (PolyLineZ, z = pipe centreline), ``<basename>_point.shp``
(PointZ, z = ground) and, when picks are exported, ``<basename>_pick.shp``
(PointZ), each with ``.shx``, ``.dbf``, ``.prj`` (the map's CRS) and ``.cpg``
(``UTF-8`` or ``GBK`` as asked), plus ``<basename>_fieldmap.csv`` (UTF-8 with
BOM: ``layer, shapefile_field, pipemap_field, type, description``).

Limits of the format and what this writer does about them:

* field names have at most 10 characters: each PipeMap field gets a fixed
  short name (:data:`SHORT_NAMES`), others are cut to 10 characters and made
  unique with a numeric suffix, in field order -- the same fields always give
  the same names. The field map lists them;
* text is at most 254 bytes in the chosen encoding: longer values are cut at a
  character boundary and a warning gives the count per field;
* GBK cannot encode every character: such characters are replaced by ``?``
  and a warning gives the count and an example (choose UTF-8 to keep them);
* no NULL in the DBF: a null number is written as the DBF null (``*****``),
  a null date as blanks, both read back as null by OGR/QGIS; null text and
  empty text are both written blank and read back as null;
* no date-time type: date-times are text in ISO 8601 (``2026-11-26T12:12:24Z``);
* no unknown z: an unknown elevation (NaN) is written as :data:`NODATA_Z`
  (-9999) and a warning gives the count.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import struct
from pathlib import Path
from typing import Any

import numpy as np

from .. import schema
from ..errors import InputError, OutputError, PipeMapError
from ..gdalutil import gdal_exceptions
from ..progress import Progress, check_cancel
from .formats import ExportOptions
from .model import LayerData, MapData
from .writeutil import (
    field_description,
    has_position,
    layer_file_stem,
    plain_value,
    safe_basename,
    spatial_reference,
    temp_beside,
    wkb_of,
)

#: elevation written where z is unknown (the Shapefile format cannot hold NaN)
NODATA_Z = -9999.0
MAX_TEXT_BYTES = 254
ENCODINGS = {"UTF-8": "utf-8", "GBK": "gbk"}
COMPONENTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
_CHUNK = 2000

#: fixed short names of the data model's fields (<= 10 characters, unique per layer)
SHORT_NAMES = {
    "start_point": "start_pt", "end_point": "end_pt", "start_depth_m": "s_depth_m", "end_depth_m": "e_depth_m",
    "start_elev_m": "s_elev_m", "end_elev_m": "e_elev_m", "outer_diameter_mm": "outer_d_mm",
    "burial_method": "burial", "pressure_mpa": "press_mpa", "cable_count": "cables", "hole_count": "holes",
    "owner_contact": "contact", "survey_date": "surv_date", "survey_method": "surv_meth", "survey_org": "surv_org",
    "quality_level": "quality", "sensitivity": "sens_class", "subcategory": "subcat", "modified_at": "modified",
    "appurtenance": "appurt", "point_code": "pt_code", "ground_elev_m": "gnd_elev_m", "well_depth_m": "well_dep_m",
    "well_diameter_mm": "well_d_mm", "well_width_mm": "well_w_mm", "well_length_mm": "well_l_mm",
    "rotation_deg": "rot_deg", "velocity_m_ns": "vel_m_ns",
}
_BAD_CHARS = re.compile(r"[^A-Za-z0-9_]")


def field_names(names: list[str]) -> dict[str, str]:
    """PipeMap field name -> Shapefile field name (<= 10 ASCII characters, unique ignoring case)."""
    out: dict[str, str] = {}
    taken: set[str] = set()
    for name in names:
        base = SHORT_NAMES.get(name, name)
        base = _BAD_CHARS.sub("_", base)[:10] or "field"
        candidate, n = base, 1
        while candidate.lower() in taken:
            suffix = f"_{n}"
            candidate = base[: 10 - len(suffix)] + suffix
            n += 1
        taken.add(candidate.lower())
        out[name] = candidate
    return out


def _cut(text: str, codec: str, limit: int = MAX_TEXT_BYTES) -> str:
    """The longest prefix of ``text`` whose encoding fits in ``limit`` bytes."""
    raw = text.encode(codec)
    if len(raw) <= limit:
        return text
    return raw[:limit].decode(codec, "ignore")


class _TextPrep:
    """Encodes text for the DBF, counting what had to change (for the warnings)."""

    def __init__(self, codec: str) -> None:
        self.codec = codec
        self.truncated: dict[tuple[str, str], int] = {}
        self.replaced: dict[tuple[str, str], int] = {}
        self.examples: dict[tuple[str, str], str] = {}

    def __call__(self, layer: str, field: str, text: str) -> str:
        key = (layer, field)
        try:
            text.encode(self.codec)
        except UnicodeEncodeError:
            fixed = text.encode(self.codec, "replace").decode(self.codec)
            self.replaced[key] = self.replaced.get(key, 0) + 1
            self.examples.setdefault(key, text[:40])
            text = fixed
        cut = _cut(text, self.codec)
        if cut != text:
            self.truncated[key] = self.truncated.get(key, 0) + 1
        return cut

    def report(self, progress: Progress, encoding: str) -> None:
        for (layer, field), n in sorted(self.replaced.items()):
            progress.warning(f"Shapefile {layer}: {n} values of {field} contain characters {encoding} cannot "
                             f"encode (e.g. {self.examples[(layer, field)]!r}); they were replaced by '?'. "
                             "Export with UTF-8 to keep them.")
        for (layer, field), n in sorted(self.truncated.items()):
            progress.warning(f"Shapefile {layer}: {n} values of {field} were longer than {MAX_TEXT_BYTES} bytes "
                             f"and were cut (the Shapefile limit).")


def _text_widths(lyr: LayerData, prep: _TextPrep, stem: str) -> dict[str, list[Any]]:
    """Prepared columns (text encoded-and-cut, others as plain values)."""
    cols: dict[str, list[Any]] = {}
    for f in lyr.fields:
        values = [plain_value(f, v) for v in lyr.columns[f.name]]
        if f.type in ("text", "datetime"):
            values = [None if v is None else prep(stem, f.name, v) for v in values]
        cols[f.name] = values
    return cols


def _ogr_field(f: schema.Field, short: str, values: list[Any], codec: str) -> Any:
    from osgeo import ogr

    if f.type == "integer":
        return ogr.FieldDefn(short, ogr.OFTInteger64)
    if f.type == "real":
        defn = ogr.FieldDefn(short, ogr.OFTReal)
        defn.SetWidth(24)
        defn.SetPrecision(15)
        return defn
    if f.type == "date":
        return ogr.FieldDefn(short, ogr.OFTDate)
    defn = ogr.FieldDefn(short, ogr.OFTString)
    width = max((len(v.encode(codec)) for v in values if v), default=1)
    defn.SetWidth(max(1, min(MAX_TEXT_BYTES, width)))
    return defn


def _dbf_type(defn: Any) -> str:
    from osgeo import ogr

    kind = defn.GetType()
    if kind == ogr.OFTDate:
        return "D 8"
    if kind == ogr.OFTString:
        return f"C {defn.GetWidth()}"
    if kind == ogr.OFTReal:
        return f"N {defn.GetWidth()}.{defn.GetPrecision()}"
    return "N 18"


def _check_complete(folder: Path, tmp_stem: str, stem: str, n: int) -> None:
    """Refuse files GDAL closed without complaint although a write failed (a full disk at the last bytes).

    The .shp and .shx headers state the file length, the .dbf header the record count and sizes; a file
    shorter than stated (or a .dbf without its end-of-file byte) is incomplete."""
    problem = ""
    for ext in (".shp", ".shx"):
        path = folder / f"{tmp_stem}{ext}"
        head = path.read_bytes()[:28] if path.is_file() else b""
        if len(head) < 28 or path.stat().st_size != 2 * struct.unpack(">i", head[24:28])[0]:
            problem = f"{stem}{ext}"
    path = folder / f"{tmp_stem}.dbf"
    head = path.read_bytes()[:12] if path.is_file() else b""
    if len(head) < 12:
        problem = f"{stem}.dbf"
    else:
        count, header, record = struct.unpack("<IHH", head[4:12])
        if count != n or path.stat().st_size != header + count * record + 1:
            problem = f"{stem}.dbf"
    if problem:
        raise OutputError("Could not write the Shapefile {path}: the file is incomplete (disk full?).",
                          code="export.shapefile", path=str(folder / problem))


def _write_layer(folder: Path, stem: str, lyr: LayerData, data: MapData, encoding: str, prep: _TextPrep,
                 progress: Progress, span: tuple[float, float]) -> tuple[list[tuple[str, ...]], int]:
    """Write one layer's file set under temporary names and rename it; returns field-map rows and NaN-z count."""
    from osgeo import gdal, ogr

    codec = ENCODINGS[encoding]
    names = field_names([f.name for f in lyr.fields])
    cols = _text_widths(lyr, prep, stem)
    tmp_stem = f".{stem}.part"
    tmp = folder / f"{tmp_stem}.shp"
    rows: list[tuple[str, ...]] = []
    nan_z = 0
    try:
        with gdal_exceptions():
            ds = gdal.GetDriverByName("ESRI Shapefile").Create(str(tmp), 0, 0, 0, gdal.GDT_Unknown)
            try:
                geom_type = ogr.wkbLineString25D if lyr.is_line else ogr.wkbPoint25D
                out = ds.CreateLayer(tmp_stem, spatial_reference(data), geom_type, options=[f"ENCODING={encoding}"])
                for f in lyr.fields:
                    defn = _ogr_field(f, names[f.name], cols[f.name], codec)
                    out.CreateField(defn)
                    kind = f.type + (" (ISO 8601 text)" if f.type == "datetime" else "")
                    rows.append((stem, names[f.name], f.name, f"{kind}; DBF {_dbf_type(defn)}",
                                 field_description(lyr.name, f)))
                fdefn = out.GetLayerDefn()
                index = [(fdefn.GetFieldIndex(names[f.name]), f, cols[f.name]) for f in lyr.fields]
                n = len(lyr)
                for i in range(n):
                    if i % _CHUNK == 0:
                        check_cancel(progress)
                        progress.report(span[0] + (span[1] - span[0]) * i / max(n, 1))
                    feat = ogr.Feature(fdefn)
                    for idx, f, col in index:
                        v = col[i]
                        if v is None or v == "":
                            continue
                        if f.type == "integer":
                            feat.SetFieldInteger64(idx, v)
                        else:
                            feat.SetField(idx, v)
                    if has_position(lyr, i):  # (else a null shape)
                        if np.isnan(lyr.coords(i)[:, 2]).any():
                            nan_z += 1
                        feat.SetGeometryDirectly(ogr.CreateGeometryFromWkb(wkb_of(lyr, i, z_nodata=NODATA_Z)))
                    out.CreateFeature(feat)
                    feat = None
                out = None  # noqa: F841 - release the layer before the data source
            finally:
                ds = None  # noqa: F841 - closes the files
        _check_complete(folder, tmp_stem, stem, len(lyr))
        cpg = folder / f"{tmp_stem}.cpg"
        cpg.write_text(encoding, encoding="ascii")  # what QGIS, ArcGIS and OGR read
        for ext in COMPONENTS:
            part = folder / f"{tmp_stem}{ext}"
            if not part.is_file():
                raise OutputError("The Shapefile writer did not produce {path}.", code="export.shapefile",
                                  path=str(part))
        for ext in COMPONENTS:
            os.replace(folder / f"{tmp_stem}{ext}", folder / f"{stem}{ext}")
    except BaseException:
        for p in folder.glob(f"{tmp_stem}.*"):
            with contextlib.suppress(OSError):
                p.unlink()
        raise
    geometry = "PolyLineZ" if lyr.is_line else "PointZ"
    rows.append((stem, "(geometry)", "geometry", geometry,
                 f"z = {data.z_convention.get(lyr.name, '')} ({data.height_datum}); {NODATA_Z:g} = unknown"))
    return rows, nan_z


def write(data: MapData, folder: Path, options: ExportOptions, progress: Progress) -> list[Path]:
    """Write one Shapefile per layer and the field map into ``folder``; returns the files written."""
    folder = Path(folder)
    base = safe_basename(options.basename)
    encoding = (options.encoding or "UTF-8").upper().replace("UTF8", "UTF-8")
    if encoding not in ENCODINGS:
        raise InputError("The Shapefile encoding {encoding} is not supported (use UTF-8 or GBK).",
                         code="export.bad_encoding", encoding=options.encoding)
    prep = _TextPrep(ENCODINGS[encoding])
    layers = data.layers()
    total = sum(len(lyr) for lyr in layers) or 1
    done = 0
    written: list[Path] = []
    fieldmap: list[tuple[str, ...]] = []
    try:
        for lyr in layers:
            stem = layer_file_stem(base, lyr.name)
            span = (0.95 * done / total, 0.95 * (done + len(lyr)) / total)
            rows, nan_z = _write_layer(folder, stem, lyr, data, encoding, prep, progress, span)
            done += len(lyr)
            fieldmap += rows
            written += [folder / f"{stem}{ext}" for ext in COMPONENTS]
            if nan_z:
                progress.warning(f"Shapefile {stem}: {nan_z} features have an unknown elevation; z = {NODATA_Z:g} "
                                 "was written there.")
        check_cancel(progress)
        target = folder / f"{base}_fieldmap.csv"
        tmp = temp_beside(target)
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(("layer", "shapefile_field", "pipemap_field", "type", "description"))
            w.writerows(fieldmap)
        os.replace(tmp, target)
        written.append(target)
    except BaseException as exc:
        for f in written + [temp_beside(folder / f"{base}_fieldmap.csv")]:  # a failed or cancelled export: nothing
            with contextlib.suppress(OSError):
                f.unlink()
        if isinstance(exc, RuntimeError) and not isinstance(exc, PipeMapError):
            raise OutputError("Could not write the Shapefile export in {folder}: {reason}",
                              code="export.shapefile", folder=str(folder), reason=str(exc)) from None
        raise
    prep.report(progress, encoding)
    progress.report(1.0)
    return written
