"""GeoPackage export: the shared map as one ``<basename>.gpkg``.

Layers ``pipe_segment`` (LineStringZ, z = pipe centreline), ``pipe_point``
(PointZ, z = ground) and, when picks are exported, ``gpr_pick`` (PointZ), in
the map's CRS (a local grid is written as a custom ``gpkg_spatial_ref_sys``
entry). Every field the profile keeps is written with its type.

The receiver also gets:

* the GeoPackage *Schema* extension: ``gpkg_data_columns`` (name and
  description of every field) and ``gpkg_data_column_constraints`` enum rows
  publishing the CJJ 61 code lists (category, sub-category, material, burial
  method, status, sensitivity, quality level, ...) -- written by GDAL from OGR
  coded field domains. Category and sub-category lists hold only what the
  sharing profile lets leave;
* the *Metadata* extension: ``gpkg_metadata`` + ``gpkg_metadata_reference``
  rows (GDAL metadata items of the file and of each layer: CRS, height datum,
  Z convention, accuracy, sharing profile);
* a plain ``pipemap_metadata`` key/value table with the same facts (the keys
  of an integrated map's own metadata, so PipeMap can read them back).

The file is written under a temporary name in the package folder and renamed
when complete.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any

from .. import schema
from ..errors import OutputError, PipeMapError
from ..gdalutil import gdal_exceptions, remove_quietly
from ..progress import Progress, check_cancel
from ..version import __version__
from .formats import ExportOptions
from .model import LayerData, MapData, now_utc
from .writeutil import (
    error_reason,
    field_description,
    has_position,
    layer_description,
    plain_value,
    safe_basename,
    spatial_reference,
    temp_beside,
    wkb_of,
)

_OGR_TYPES = {"text": "OFTString", "integer": "OFTInteger64", "real": "OFTReal", "date": "OFTDate",
              "datetime": "OFTDateTime"}
_CHUNK = 2000


def _code_list_entries(cl: schema.CodeList, data: MapData) -> dict[str, str]:
    """code -> "中文 English" for one code list, limited to what the profile lets leave."""
    names = [c.name for c in cl.columns]
    i_zh, i_en = names.index("name_zh"), names.index("name_en")
    i_cat = names.index("category") if "category" in names else None
    out = {}
    for row in cl.rows:
        code = str(row[0])
        if cl.domain == "pm_category" and not data.profile.category_allowed(code):
            continue
        if i_cat is not None and not data.profile.category_allowed(str(row[i_cat])):
            continue
        out[code] = f"{row[i_zh]} {row[i_en]}"
    return out


def _domains_used(data: MapData) -> dict[str, schema.CodeList]:
    by_domain = {cl.domain: cl for cl in schema.CODE_LISTS}
    used: dict[str, schema.CodeList] = {}
    for lyr in data.layers():
        for f in lyr.fields:
            if f.domain and f.domain in by_domain:
                used[f.domain] = by_domain[f.domain]
    return used


def _metadata_rows(data: MapData) -> list[tuple[str, str]]:
    d = data.describe()
    rows = [
        ("schema_version", str(d.get("schema_version") or "")),
        ("software", f"PipeMap {__version__}"),
        ("exported_at", now_utc()),
        ("source_map", str(d.get("source_map") or "")),
        ("crs_authid", data.crs_authid),
        ("crs_wkt", data.crs_wkt),
        ("height_datum", data.height_datum),
    ]
    for lyr in data.layers():
        rows.append((f"z_convention_{lyr.name}", data.z_convention.get(lyr.name, "")))
    rows += [
        ("accuracy", json.dumps(d.get("accuracy"), ensure_ascii=False, sort_keys=True)),
        ("sharing_profile", data.profile.name),
        ("sharing_profile_settings", json.dumps(data.profile.describe(), ensure_ascii=False, sort_keys=True)),
        ("coordinate_precision_m", repr(data.profile.precision_m)),
        ("feature_counts", json.dumps(data.counts(), ensure_ascii=False, sort_keys=True)),
    ]
    return rows


def _field_defn(f: schema.Field) -> Any:
    from osgeo import ogr

    defn = ogr.FieldDefn(f.name, getattr(ogr, _OGR_TYPES.get(f.type, "OFTString")))
    if f.domain:
        defn.SetDomainName(f.domain)
    return defn


def _write_layer(ds: Any, lyr: LayerData, srs: Any, data: MapData, progress: Progress, span: tuple[float, float],
                 domains: set[str]) -> None:
    from osgeo import ogr

    geom_type = ogr.wkbLineString25D if lyr.is_line else ogr.wkbPoint25D
    out = ds.CreateLayer(lyr.name, srs, geom_type, options=[
        "FID=fid", "GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES", f"DESCRIPTION={layer_description(lyr.name)}"])
    for f in lyr.fields:
        if f.domain and f.domain not in domains:
            f = schema.Field(f.name, f.type)
        out.CreateField(_field_defn(f))
    defn = out.GetLayerDefn()
    index = [(defn.GetFieldIndex(f.name), f) for f in lyr.fields]
    cols = [lyr.columns[f.name] for f in lyr.fields]
    n = len(lyr)
    for i in range(n):
        if i % _CHUNK == 0:
            check_cancel(progress)
            progress.report(span[0] + (span[1] - span[0]) * i / max(n, 1))
        feat = ogr.Feature(defn)
        for (idx, f), col in zip(index, cols):
            v = plain_value(f, col[i])
            if v is None:
                continue
            if f.type == "integer":
                feat.SetFieldInteger64(idx, v)
            else:
                feat.SetField(idx, v)
        if has_position(lyr, i):  # (a feature without a position keeps a null geometry)
            feat.SetGeometryDirectly(ogr.CreateGeometryFromWkb(wkb_of(lyr, i)))
        if out.CreateFeature(feat) != 0:  # pragma: no cover - exceptions are on
            raise OutputError("Could not write feature {n} of {layer}.", code="export.gpkg", n=i, layer=lyr.name)
    out.SetMetadataItem("Z_CONVENTION", data.z_convention.get(lyr.name, ""))
    out.SetMetadataItem("HEIGHT_DATUM", data.height_datum)
    out.SetMetadataItem("SHARING_PROFILE", data.profile.name)


def _schema_columns(path: Path, data: MapData) -> None:
    """Title and describe every exported field in ``gpkg_data_columns`` (GDAL wrote the rows of coded fields;
    ``name`` stays empty: GDAL's table makes it unique across all tables)."""
    con = sqlite3.connect(path)
    try:
        with con:
            con.execute("CREATE TABLE IF NOT EXISTS gpkg_data_columns (table_name TEXT NOT NULL, "
                        "column_name TEXT NOT NULL, name TEXT UNIQUE, title TEXT, description TEXT, mime_type TEXT, "
                        "constraint_name TEXT, CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name), "
                        "CONSTRAINT gdc_tn UNIQUE (table_name, name))")
            for ext_table in ("gpkg_data_columns", "gpkg_data_column_constraints"):
                exists = con.execute("SELECT 1 FROM gpkg_extensions WHERE table_name = ? AND extension_name = "
                                     "'gpkg_schema'", (ext_table,)).fetchone()
                has_table = con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (ext_table,)).fetchone()
                if has_table and not exists:
                    con.execute("INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, "
                                "scope) VALUES (?, NULL, 'gpkg_schema', "
                                "'http://www.geopackage.org/spec121/#extension_schema', 'read-write')", (ext_table,))
            for lyr in data.layers():
                for f in lyr.fields:
                    desc = field_description(lyr.name, f)
                    row = con.execute("SELECT 1 FROM gpkg_data_columns WHERE table_name = ? AND column_name = ?",
                                      (lyr.name, f.name)).fetchone()
                    if row:
                        con.execute("UPDATE gpkg_data_columns SET title = ?, description = ? "
                                    "WHERE table_name = ? AND column_name = ?", (f.name, desc, lyr.name, f.name))
                    else:
                        con.execute("INSERT INTO gpkg_data_columns (table_name, column_name, title, description) "
                                    "VALUES (?, ?, ?, ?)", (lyr.name, f.name, f.name, desc))
    finally:
        con.close()


def _write(tmp: Path, data: MapData, progress: Progress) -> None:
    from osgeo import gdal, ogr

    srs = spatial_reference(data)
    layers = data.layers()
    used = _domains_used(data)
    with gdal_exceptions():
        ds = gdal.GetDriverByName("GPKG").Create(str(tmp), 0, 0, 0, gdal.GDT_Unknown)
        try:
            ds.StartTransaction()
            for name, cl in used.items():
                entries = _code_list_entries(cl, data)
                ds.AddFieldDomain(ogr.CreateCodedFieldDomain(name, cl.description, ogr.OFTString, ogr.OFSTNone,
                                                             entries))
            total = sum(len(lyr) for lyr in layers) or 1
            done = 0
            for lyr in layers:
                span = (0.9 * done / total, 0.9 * (done + len(lyr)) / total)
                _write_layer(ds, lyr, srs, data, progress, span, set(used))
                done += len(lyr)
            meta = ds.CreateLayer(schema.METADATA.name, None, ogr.wkbNone, options=[
                "FID=fid", "DESCRIPTION=PipeMap export metadata: CRS, height datum, Z convention, accuracy, "
                "sharing profile"])
            meta.CreateField(ogr.FieldDefn("key", ogr.OFTString))
            meta.CreateField(ogr.FieldDefn("value", ogr.OFTString))
            for key, value in _metadata_rows(data):
                feat = ogr.Feature(meta.GetLayerDefn())
                feat.SetField("key", key)
                feat.SetField("value", value)
                meta.CreateFeature(feat)
            desc = data.describe()
            ds.SetMetadataItem("CRS", data.crs_authid or "local grid (see pipemap_metadata.crs_wkt)")
            ds.SetMetadataItem("HEIGHT_DATUM", data.height_datum)
            ds.SetMetadataItem("Z_CONVENTION", json.dumps(data.z_convention, ensure_ascii=False, sort_keys=True))
            ds.SetMetadataItem("ACCURACY", json.dumps(desc.get("accuracy"), ensure_ascii=False, sort_keys=True))
            ds.SetMetadataItem("SHARING_PROFILE", data.profile.name)
            ds.SetMetadataItem("SOFTWARE", f"PipeMap {__version__}")
            check_cancel(progress)
            ds.CommitTransaction()
        finally:
            ds = None  # noqa: F841 - closes the file
    _schema_columns(tmp, data)


def write(data: MapData, folder: Path, options: ExportOptions, progress: Progress) -> list[Path]:
    """Write ``<basename>.gpkg`` into ``folder``; returns the file written."""
    target = Path(folder) / f"{safe_basename(options.basename)}.gpkg"
    tmp = temp_beside(target)
    try:
        _write(tmp, data, progress)
        check_cancel(progress)
        os.replace(tmp, target)
    except PipeMapError:
        remove_quietly(tmp)
        raise
    except (RuntimeError, sqlite3.Error) as exc:
        remove_quietly(tmp)
        raise OutputError("Could not write the GeoPackage {path}: {reason}", code="export.gpkg", path=str(target),
                          reason=error_reason(exc)) from None
    except BaseException:
        remove_quietly(tmp)
        raise
    progress.report(1.0)
    return [target]

