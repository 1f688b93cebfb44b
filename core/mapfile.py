"""Create, inspect and upgrade integrated-map GeoPackages.

The map is written with GDAL/OGR to a temporary file beside the target and
renamed into place only when complete, so a failure never leaves a
half-written map and never touches an existing one.
"""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import schema
from .errors import CancelledError, InputError, OutputError, PipeMapError, SchemaError
from .gdalutil import gdal_exceptions, remove_quietly, spatial_reference, temp_path_beside
from .progress import NullProgress, Progress, check_cancel
from .version import __version__

STYLE_DIR = schema.RESOURCES / "styles"

_OGR_TYPES = {
    "text": ("OFTString", None),
    "integer": ("OFTInteger64", None),
    "real": ("OFTReal", None),
    "date": ("OFTDate", None),
    "datetime": ("OFTDateTime", None),
    "boolean": ("OFTInteger", "OFSTBoolean"),
}


@dataclass
class MapInfo:
    """What a map contains (used by the demo, tests and the GUI)."""

    path: Path
    schema_version: int
    metadata: dict[str, str]
    layers: dict[str, dict[str, Any]]  #: name -> {geometry, count, fields, srs_wkt}
    categories: list[dict[str, Any]]


def _field_defn(f: schema.Field) -> Any:
    from osgeo import ogr

    type_name, subtype_name = _OGR_TYPES[f.type]
    defn = ogr.FieldDefn(f.name, getattr(ogr, type_name))
    if subtype_name:
        defn.SetSubType(getattr(ogr, subtype_name))
    if f.width:
        defn.SetWidth(f.width)
    defn.SetNullable(f.nullable)
    if f.unique:
        defn.SetUnique(True)
    if f.default is not None:
        defn.SetDefault(f.default)
    if f.domain:
        defn.SetDomainName(f.domain)
    if f.description and hasattr(defn, "SetComment"):
        defn.SetComment(f.description)
    return defn


def _geometry_type(name: str | None) -> int:
    from osgeo import ogr

    return {
        None: ogr.wkbNone,
        "LineString": ogr.wkbLineString,
        "PointZ": ogr.wkbPoint25D,
        "LineStringZ": ogr.wkbLineString25D,
        "MultiPolygonZ": ogr.wkbMultiPolygon25D,
        "MultiLineStringZ": ogr.wkbMultiLineString25D,
    }[name]


def _add_domains(ds: Any) -> None:
    from osgeo import ogr

    for cl in schema.CODE_LISTS:
        labels = {str(row[0]): f"{row[1]} {row[2]}" for row in cl.rows}
        domain = ogr.CreateCodedFieldDomain(cl.domain, cl.description, ogr.OFTString, ogr.OFSTNone, labels)
        if not ds.AddFieldDomain(domain):  # pragma: no cover - GDAL raises first
            raise SchemaError("Could not add the code list {name}.", code="schema.domain", name=cl.domain)


def _create_table(ds: Any, name: str, geometry: str | None, fields: tuple[schema.Field, ...], srs: Any,
                  description: str = "", identifier: str = "") -> Any:
    options = ["FID=fid"]
    if geometry:
        options += ["GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES"]
    if description:
        options.append(f"DESCRIPTION={description}")
    if identifier:
        options.append(f"IDENTIFIER={identifier}")
    layer = ds.CreateLayer(name, srs if geometry else None, _geometry_type(geometry), options=options)
    if layer is None:
        raise SchemaError("Could not create the table {name}.", code="schema.table", name=name)
    for f in fields:
        layer.CreateField(_field_defn(f))
    return layer


def _fill(layer: Any, fields: tuple[schema.Field, ...], rows: tuple[tuple[object, ...], ...]) -> None:
    from osgeo import ogr

    defn = layer.GetLayerDefn()
    for row in rows:
        feat = ogr.Feature(defn)
        for f, value in zip(fields, row):
            if value is not None:
                feat.SetField(f.name, value)
        layer.CreateFeature(feat)


def metadata_rows(srs: Any, crs_input: str, height_datum: str) -> tuple[tuple[str, str], ...]:
    """The key/value pairs written into ``pipemap_metadata``."""
    auth = srs.GetAuthorityName(None)
    code = srs.GetAuthorityCode(None)
    units = srs.GetLinearUnitsName() if (srs.IsProjected() or srs.IsLocal()) else "degree"
    now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
    return (
        ("schema_version", str(schema.SCHEMA_VERSION)),
        ("software", f"PipeMap {__version__}"),
        ("created_at", now),
        ("crs_input", crs_input[:4000]),
        ("crs_authid", f"{auth}:{code}" if auth and code else ""),
        ("crs_name", srs.GetName() or ""),
        ("crs_wkt", srs.ExportToWkt(["FORMAT=WKT2_2019"])),
        ("crs_kind", "projected" if srs.IsProjected() else "geographic" if srs.IsGeographic() else "local"),
        ("linear_unit", units or ""),
        ("height_datum", height_datum),
        ("z_convention_pipe_point", schema.Z_CONVENTION["pipe_point"]),
        ("z_convention_pipe_segment", schema.Z_CONVENTION["pipe_segment"]),
        ("diameter_convention", "dn_mm inner (nominal); outer = dn + 2 x wall; boxes outer width x height"),
    )


def _write_styles(ds: Any) -> None:
    """Store the shipped QML styles in the map's ``layer_styles`` table, so
    QGIS colours the layers by CJJ 61 category as soon as they are opened."""
    fields = (
        schema.Field("f_table_catalog", "text"),
        schema.Field("f_table_schema", "text"),
        schema.Field("f_table_name", "text"),
        schema.Field("f_geometry_column", "text"),
        schema.Field("styleName", "text"),
        schema.Field("styleQML", "text"),
        schema.Field("styleSLD", "text"),
        schema.Field("useAsDefault", "boolean"),
        schema.Field("description", "text"),
        schema.Field("owner", "text"),
        schema.Field("ui", "text"),
        schema.Field("update_time", "datetime"),
    )
    layer = ds.CreateLayer("layer_styles", None, _geometry_type(None), options=["FID=id"])
    for f in fields:
        layer.CreateField(_field_defn(f))
    rows = []
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y/%m/%d %H:%M:%S")
    for table in ("pipe_point", "pipe_segment"):
        qml_path = STYLE_DIR / f"{table}.qml"
        if not qml_path.is_file():
            continue
        qml = qml_path.read_text(encoding="utf-8")
        rows.append(("", "", table, "geom", f"PipeMap {table}", qml, "", 1, "CJJ 61 category colours", "", None, now))
    _fill(layer, fields, tuple(rows))


def create_map(
    path: str | os.PathLike[str],
    crs: str,
    overwrite: bool = False,
    height_datum: str = schema.DEFAULT_HEIGHT_DATUM,
    progress: Progress | None = None,
) -> MapInfo:
    """Create an empty integrated map (GeoPackage) with the CJJ 61 data model.

    :param path: target ``.gpkg`` file.
    :param crs: the map's CRS: ``"EPSG:4547"``, WKT (local grids) or PROJ.
    :param overwrite: replace an existing file; otherwise an existing file is
        refused and left untouched.
    :param height_datum: the height datum of every z in the map.
    :param progress: progress/cancel sink.
    :raises InputError: invalid CRS or file name.
    :raises OutputError: the file exists (without ``overwrite``) or cannot be written.
    """
    progress = progress or NullProgress()
    target = Path(path).expanduser()
    if target.suffix.lower() != ".gpkg":
        raise InputError(
            "The map {path} must be a GeoPackage file ending in .gpkg.", code="map.extension", path=str(target)
        )
    if target.exists() and not overwrite:
        raise OutputError(
            "The file {path} already exists; it was left untouched. Choose another name or allow overwriting.",
            code="map.exists",
            path=str(target),
        )
    if target.exists() and not target.is_file():
        raise OutputError("{path} is not a file; it was left untouched.", code="map.not_file", path=str(target))
    srs = spatial_reference(crs)
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputError("The file {path} is read-only; it was left untouched.", code="map.readonly",
                          path=str(target))
    tmp = temp_path_beside(target, ".gpkg")
    try:
        _write_new_map(tmp, srs, crs, height_datum, progress)
        check_cancel(progress)
        os.replace(tmp, target)
    except (PipeMapError, CancelledError):
        remove_quietly(tmp)
        raise
    except (RuntimeError, OSError) as exc:
        remove_quietly(tmp)
        raise OutputError(
            "Could not write the map {path}: {reason}", code="map.write", path=str(target), reason=str(exc)
        ) from None
    except BaseException:
        remove_quietly(tmp)
        raise
    progress.report(1.0)
    return read_map_info(target)


def _write_new_map(tmp: Path, srs: Any, crs_input: str, height_datum: str, progress: Progress) -> None:
    from osgeo import gdal

    with gdal_exceptions():
        driver = gdal.GetDriverByName("GPKG")
        ds = driver.Create(str(tmp), 0, 0, 0, gdal.GDT_Unknown)
        try:
            ds.StartTransaction()
            _add_domains(ds)
            steps = len(schema.SPATIAL_LAYERS) + len(schema.CODE_LISTS) + 3
            done = 0
            for layer in schema.SPATIAL_LAYERS:
                _create_table(ds, layer.name, layer.geometry, layer.fields, srs, layer.description,
                              layer.identifier_zh)
                done += 1
                progress.report(done / steps)
                check_cancel(progress)
            for cl in schema.CODE_LISTS:
                lyr = _create_table(ds, cl.table, None, cl.columns, None, cl.description)
                _fill(lyr, cl.columns, cl.rows)
                done += 1
                progress.report(done / steps)
            lyr = _create_table(ds, "rule_class_map", None, schema.RULE_CLASS_MAP_COLUMNS, None,
                                "Category + attributes -> GB 50289 rule classes (user-editable)")
            _fill(lyr, schema.RULE_CLASS_MAP_COLUMNS, schema.load_class_map())
            lyr = _create_table(ds, schema.METADATA.name, None, schema.METADATA.fields, None,
                                schema.METADATA.description)
            _fill(lyr, schema.METADATA.fields, metadata_rows(srs, crs_input, height_datum))
            _write_styles(ds)
            check_cancel(progress)
            ds.CommitTransaction()
        finally:
            ds = None


def read_metadata(path: str | os.PathLike[str]) -> dict[str, str]:
    """Key/value metadata of a map (read with sqlite, no GDAL needed)."""
    con = _open_sqlite(Path(path), readonly=True)
    try:
        try:
            rows = con.execute("SELECT key, value FROM pipemap_metadata").fetchall()
        except sqlite3.DatabaseError:
            raise SchemaError(
                "{path} is not a PipeMap integrated map (no pipemap_metadata table).",
                code="map.not_pipemap",
                path=str(path),
            ) from None
    finally:
        con.close()
    return {k: v for k, v in rows}


def _open_sqlite(path: Path, readonly: bool) -> sqlite3.Connection:
    if not path.is_file():
        raise InputError("The map {path} does not exist.", code="map.missing", path=str(path))
    with open(path, "rb") as fh:
        if fh.read(16) != b"SQLite format 3\x00":
            raise InputError("{path} is not a GeoPackage (not an SQLite file).", code="map.not_gpkg",
                             path=str(path))
    uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    return sqlite3.connect(uri, uri=True)


def read_map_info(path: str | os.PathLike[str]) -> MapInfo:
    """Describe a map: metadata, layers with geometry type and count, categories."""
    from osgeo import ogr

    p = Path(path)
    meta = read_metadata(p)
    layers: dict[str, dict[str, Any]] = {}
    with gdal_exceptions():
        ds = ogr.Open(str(p))
        try:
            for i in range(ds.GetLayerCount()):
                lyr = ds.GetLayerByIndex(i)
                defn = lyr.GetLayerDefn()
                srs = lyr.GetSpatialRef()
                layers[lyr.GetName()] = {
                    "geometry": ogr.GeometryTypeToName(lyr.GetGeomType()),
                    "geom_type": lyr.GetGeomType(),
                    "has_z": bool(ogr.GT_HasZ(lyr.GetGeomType())),
                    "count": lyr.GetFeatureCount(),
                    "fields": [defn.GetFieldDefn(j).GetName() for j in range(defn.GetFieldCount())],
                    "srs_wkt": srs.ExportToWkt() if srs is not None else "",
                }
            cats = []
            lyr = ds.GetLayerByName("code_category")
            if lyr is not None:
                for feat in lyr:
                    cats.append({k: feat.GetField(k) for k in ("code", "name_zh", "name_en", "colour")})
        finally:
            ds = None
    return MapInfo(p, int(meta.get("schema_version", "0")), meta, layers, cats)


# --- schema upgrades -------------------------------------------------------

def _add_layer_step(layer: schema.Layer):
    """A migration step creating a spatial layer in the map's CRS (with OGR)."""

    def step(path: Path) -> None:
        from osgeo import gdal

        meta = read_metadata(path)
        srs = spatial_reference(meta.get("crs_authid") or meta.get("crs_wkt", ""))
        with gdal_exceptions():
            ds = gdal.OpenEx(str(path), gdal.OF_VECTOR | gdal.OF_UPDATE, allowed_drivers=["GPKG"])
            try:
                if ds.GetLayerByName(layer.name) is None:
                    _create_table(ds, layer.name, layer.geometry, layer.fields, srs, layer.description,
                                  layer.identifier_zh)
            finally:
                ds = None  # noqa: F841

    step.__name__ = f"add_{layer.name}"
    return step


#: from_version -> steps bringing a map to from_version + 1: SQL statements
#: (run with sqlite) or callables taking the path of the copy being upgraded.
MIGRATIONS: dict[int, tuple[Any, ...]] = {
    1: (_add_layer_step(schema.GPR_SURVEY),),
}


def upgrade_map(path: str | os.PathLike[str], progress: Progress | None = None) -> tuple[int, int]:
    """Bring a map to :data:`schema.SCHEMA_VERSION`, all or nothing.

    The steps run on a copy beside the map, which replaces the map only when
    every step succeeded (the map is otherwise left byte-identical).

    :returns: (version before, version after).
    :raises SchemaError: the map is newer than this PipeMap, or has no upgrade path.
    """
    progress = progress or NullProgress()
    p = Path(path)
    before = int(read_metadata(p).get("schema_version", "0"))
    if before > schema.SCHEMA_VERSION:
        raise SchemaError(
            "The map {path} has schema version {found}; this PipeMap understands up to {known}. "
            "Update PipeMap to open it.",
            code="map.too_new",
            path=str(p),
            found=before,
            known=schema.SCHEMA_VERSION,
        )
    if before == schema.SCHEMA_VERSION:
        return before, before
    for version in range(before, schema.SCHEMA_VERSION):
        if version not in MIGRATIONS:
            raise SchemaError("No upgrade path from schema version {version} for {path}.", code="map.no_upgrade",
                              version=version, path=str(p))
    tmp = temp_path_beside(p, ".gpkg")
    shutil.copy2(p, tmp)
    try:
        for version in range(before, schema.SCHEMA_VERSION):
            for step in MIGRATIONS[version]:
                if callable(step):
                    step(tmp)
                else:
                    con = sqlite3.connect(tmp)
                    try:
                        with con:
                            con.execute(step)
                    finally:
                        con.close()
            progress.info(f"Upgraded {p.name} from schema version {version} to {version + 1}.")
        con = sqlite3.connect(tmp)
        try:
            with con:
                con.execute("UPDATE pipemap_metadata SET value = ? WHERE key = 'schema_version'",
                            (str(schema.SCHEMA_VERSION),))
        finally:
            con.close()
        os.replace(tmp, p)
    except BaseException:
        remove_quietly(tmp)
        raise
    return before, schema.SCHEMA_VERSION


def ensure_current(path: str | os.PathLike[str], progress: Progress | None = None) -> None:
    """Upgrade an older map in place (saying so); refuse a newer one."""
    before, after = upgrade_map(path, progress)
    if before != after and progress is not None:
        progress.info(f"The map was upgraded from schema version {before} to {after}.")
