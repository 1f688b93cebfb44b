"""Move an integrated map between a GeoPackage and PostGIS without loss.

Every table travels -- the layers (3D geometries, NULLs, Chinese text,
dates and times), the code lists (as they are in the source, user additions
included), ``rule_class_map``, ``pipemap_metadata`` and ``layer_styles`` --
with the same feature ids. Columns a user added to a map table travel too;
tables that are not part of the map model are reported and left behind.

* GeoPackage -> PostGIS: read with sqlite3 (GeoPackage geometry blobs carry
  ISO WKB, sent on as EWKB with the column's SRID), written with ``COPY`` in
  **one transaction**: the new schema appears complete or not at all. Indexes
  and triggers are made after the rows are in; the load is one ``LOAD`` row in
  ``audit_log``. An older GeoPackage map is upgraded on a copy first (the
  source is never changed).
* PostGIS -> GeoPackage: read in one ``REPEATABLE READ`` snapshot, written
  into a new map made by :func:`core.mapfile.create_map` in a temporary file
  beside the target, renamed into place when complete.
* PostGIS -> PostGIS goes through a temporary GeoPackage.

Styles: the map schema keeps its own ``layer_styles`` table (the
GeoPackage's, so a round trip returns it unchanged) and the styles are also
published to ``public.layer_styles``, where QGIS's postgres provider looks
for a layer's default style. Going back to a GeoPackage, a style saved from
QGIS into ``public.layer_styles`` for one of the map's layers after the map
was stored replaces the stored copy of the same name (or is added).
"""

from __future__ import annotations

import datetime as _dt
import os
import shutil
import sqlite3
import struct
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import mapfile, schema
from ..errors import CancelledError, InputError, OutputError, PipeMapError, SchemaError
from ..gdalutil import gdal_exceptions, remove_quietly, spatial_reference, temp_path_beside
from ..progress import NullProgress, Progress, SubProgress, check_cancel
from . import mapdb
from . import schema_sql as ddl
from .connect import (
    PgMap,
    commit,
    connect,
    connection_lost,
    is_postgis_map,
    lost_error,
    parse_map,
    psycopg2_module,
    rollback_quietly,
)

_SRID_FLAG = 0x20000000
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
#: SQLite declared type (upper case, prefix) -> PostgreSQL type, for columns users added
_SQLITE_TO_PG = (
    ("BOOL", "boolean"), ("DATETIME", "timestamptz"), ("DATE", "date"), ("TINYINT", "bigint"),
    ("SMALLINT", "bigint"), ("MEDIUMINT", "bigint"), ("INT", "bigint"), ("FLOAT", "double precision"),
    ("DOUBLE", "double precision"), ("REAL", "double precision"), ("BLOB", "bytea"),
)
#: PostgreSQL type -> OGR field type name (and subtype), for columns users added
_PG_TO_OGR = {
    "text": ("OFTString", None), "character varying": ("OFTString", None), "character": ("OFTString", None),
    "bigint": ("OFTInteger64", None), "integer": ("OFTInteger64", None), "smallint": ("OFTInteger64", None),
    "double precision": ("OFTReal", None), "real": ("OFTReal", None), "numeric": ("OFTReal", None),
    "date": ("OFTDate", None), "timestamp with time zone": ("OFTDateTime", None),
    "timestamp without time zone": ("OFTDateTime", None), "boolean": ("OFTInteger", "OFSTBoolean"),
    "bytea": ("OFTBinary", None),
}
_GPKG_SYSTEM_PREFIXES = ("gpkg_", "rtree_", "sqlite_", "gpkgext_")
#: rows fetched from PostgreSQL at a time (progress and cancellation are checked between them)
READ_BATCH = 5000


@dataclass
class TransferResult:
    source: str
    target: str
    counts: dict[str, int] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0


# --- GeoPackage side ------------------------------------------------------------------------------------------------

def _q(name: str) -> str:
    """An SQLite identifier, quoted."""
    return '"' + name.replace('"', '""') + '"'


def gpkg_blob_to_ewkb_hex(blob: bytes | None, srid: int) -> str | None:
    """A GeoPackage geometry blob as hex EWKB carrying ``srid`` (ISO type codes are kept: PostGIS reads them)."""
    if blob is None:
        return None
    data = bytes(blob)
    if data[:2] != b"GP":
        raise InputError("A geometry in the GeoPackage is not a GeoPackage blob.", code="transfer.bad_geometry")
    flags = data[3]
    wkb = data[8 + _ENVELOPE_BYTES.get((flags >> 1) & 0x07, 0):]
    fmt = "<I" if wkb[0] == 1 else ">I"
    kind = struct.unpack_from(fmt, wkb, 1)[0]
    return (wkb[:1] + struct.pack(fmt, kind | _SRID_FLAG) + struct.pack(fmt, srid) + wkb[5:]).hex()


def _sqlite_to_pg(decl: str) -> str:
    up = (decl or "").upper()
    for prefix, pg in _SQLITE_TO_PG:
        if up.startswith(prefix) or prefix in up:
            return pg
    return "text"


@dataclass
class _GpkgTable:
    name: str
    columns: list[str]  #: model columns present, in model order (pk first, no geometry)
    pg_types: list[str]
    extra: list[tuple[str, str]]  #: (name, PostgreSQL type) of columns users added
    geometry: str | None  #: the geometry column's name
    count: int


class GpkgReader:
    """Reads a map GeoPackage table by table with sqlite3 (read-only), all tables in one read transaction:
    the counts and rows of every table come from one state of a map another program may be editing."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None,
                                   timeout=mapfile.LOCK_TIMEOUT_S)
        self.con.text_factory = str
        self.con.execute("BEGIN")  # the snapshot starts at the first read and lasts until close()

    def close(self) -> None:
        self.con.close()

    def tables(self) -> set[str]:
        rows = self.con.execute("SELECT table_name FROM gpkg_contents").fetchall()
        names = {r[0] for r in rows}
        if self.con.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'layer_styles'"
                            ).fetchone()[0]:
            names.add(ddl.STYLES_TABLE)
        return names

    def describe(self, t: ddl.TableDef) -> _GpkgTable:
        info = self.con.execute(f"PRAGMA table_info({_q(t.name)})").fetchall()
        declared = {r[1]: r[2] for r in info}
        geometry = None
        if t.geometry:
            row = self.con.execute("SELECT column_name FROM gpkg_geometry_columns WHERE table_name = ?",
                                   (t.name,)).fetchone()
            geometry = row[0] if row else None
        model = {t.pk, *t.field_names}
        columns = [t.pk] + [f.name for f in t.fields if f.name in declared]
        pg_types = ["integer"] + [ddl.PG_TYPES[f.type] for f in t.fields if f.name in declared]
        extra = [(r[1], _sqlite_to_pg(r[2])) for r in info if r[1] not in model and r[1] != geometry]
        count = self.con.execute(f"SELECT count(*) FROM {_q(t.name)}").fetchone()[0]
        return _GpkgTable(t.name, columns, pg_types, extra, geometry, int(count))

    def rows(self, d: _GpkgTable, srid: int | None) -> Iterator[tuple[Any, ...]]:
        cols = d.columns + [name for name, _ in d.extra]
        select = ", ".join(_q(c) for c in cols)
        if d.geometry:
            select += ", " + _q(d.geometry)
        cursor = self.con.execute(f"SELECT {select} FROM {_q(d.name)} ORDER BY {_q(d.columns[0])}")
        if d.geometry:
            assert srid is not None
            for row in cursor:
                yield row[:-1] + (gpkg_blob_to_ewkb_hex(row[-1], srid),)
        else:
            yield from cursor


def _ogr_setters(layer: Any, columns: list[str]) -> list[Any]:
    """One function per column setting a value from PostgreSQL on an OGR feature."""
    from osgeo import ogr

    defn = layer.GetLayerDefn()
    setters = []
    for name in columns:
        i = defn.GetFieldIndex(name)
        if i < 0:
            raise SchemaError("The new GeoPackage has no field {field} in {table}.", code="transfer.field",
                              field=name, table=layer.GetName())
        kind = defn.GetFieldDefn(i).GetType()

        if kind == ogr.OFTString:
            def set_value(feat: Any, v: Any, i: int = i) -> None:
                feat.SetFieldString(i, v if isinstance(v, str) else str(v))
        elif kind in (ogr.OFTInteger64, ogr.OFTInteger):
            def set_value(feat: Any, v: Any, i: int = i) -> None:
                feat.SetFieldInteger64(i, int(v))
        elif kind == ogr.OFTReal:
            def set_value(feat: Any, v: Any, i: int = i) -> None:
                feat.SetField(i, float(v))
        elif kind == ogr.OFTDate:
            def set_value(feat: Any, v: Any, i: int = i) -> None:
                if isinstance(v, _dt.date):
                    feat.SetField(i, v.year, v.month, v.day, 0, 0, 0.0, 0)
                else:
                    feat.SetField(i, str(v))
        elif kind == ogr.OFTDateTime:
            def set_value(feat: Any, v: Any, i: int = i) -> None:
                if isinstance(v, _dt.datetime):
                    tz = 0
                    if v.tzinfo is not None:
                        v = v.astimezone(_dt.timezone.utc)
                        tz = 100
                    feat.SetField(i, v.year, v.month, v.day, v.hour, v.minute, v.second + v.microsecond / 1e6, tz)
                else:
                    feat.SetField(i, str(v))
        elif kind == ogr.OFTBinary:
            def set_value(feat: Any, v: Any, i: int = i) -> None:
                feat.SetFieldBinaryFromHexString(i, bytes(v).hex())
        else:
            def set_value(feat: Any, v: Any, i: int = i) -> None:
                feat.SetField(i, v)
        setters.append(set_value)
    return setters


def _write_features(layer: Any, setters: list[Any], rows: Any, geometry: bool,
                    every_batch: Any = None) -> int:
    """Create one OGR feature per row ``(fid, values..., [wkb])``; returns the count."""
    from osgeo import ogr

    defn = layer.GetLayerDefn()
    width = len(setters)
    n = 0
    for row in rows:
        feat = ogr.Feature(defn)
        feat.SetFID(int(row[0]))
        for set_value, value in zip(setters, row[1:1 + width]):
            if value is not None:
                set_value(feat, value)
        if geometry and row[-1] is not None:
            feat.SetGeometryDirectly(ogr.CreateGeometryFromWkb(bytes(row[-1])))
        layer.CreateFeature(feat)
        n += 1
        if every_batch is not None and n % READ_BATCH == 0:
            every_batch(n)
    return n


# --- GeoPackage -> PostGIS ------------------------------------------------------------------------------------------

def snapshot_copy(path: Path, copy: Path) -> None:
    """Copy a map that another program may be writing, consistently: SQLite's backup API reads it in one read
    transaction (commits still in its WAL included), where a file copy could catch a write half-done or miss
    the WAL. The map is opened read-only; a writer holding it for longer than ``mapfile.LOCK_TIMEOUT_S``
    makes this fail with ``map.locked``.

    :raises InputError: the map cannot be read (locked, damaged); ``copy`` is not left behind.
    """
    started = time.monotonic()

    def give_up_when_locked(status: int, remaining: int, total: int) -> None:
        if status in (5, 6) and time.monotonic() - started > mapfile.LOCK_TIMEOUT_S:  # SQLITE_BUSY, _LOCKED
            raise sqlite3.OperationalError("database is locked")

    try:
        src = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=mapfile.LOCK_TIMEOUT_S)
        try:
            dst = sqlite3.connect(copy)
            try:
                src.backup(dst, progress=give_up_when_locked)
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        remove_quietly(copy)
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            raise InputError("The map {path} is locked: another program is writing to it. Nothing was changed; try "
                             "again when it has finished (save or discard the edits there).", code="map.locked",
                             path=str(path)) from None
        raise InputError("The map {path} cannot be read: {reason}", code="map.unreadable", path=str(path),
                         reason=str(exc)) from None


def _source_gpkg(path: Path, workdir: Path, progress: Progress) -> tuple[Path, dict[str, str]]:
    """The GeoPackage to read: the map itself, or an upgraded copy of an older map."""
    meta = mapfile.read_metadata(path)
    found = int(meta.get("schema_version", "0") or 0)
    if found > schema.SCHEMA_VERSION:
        raise SchemaError("The map {path} has schema version {found}; this PipeMap understands up to {known}. Update "
                          "PipeMap to open it.", code="map.too_new", path=str(path), found=found,
                          known=schema.SCHEMA_VERSION)
    if found == schema.SCHEMA_VERSION:
        return path, meta
    copy = workdir / "upgraded.gpkg"
    snapshot_copy(path, copy)
    before, after = mapfile.upgrade_map(copy)
    progress.info(f"{path.name} has schema version {before}: it was upgraded to {after} on the way (the file itself "
                  "is unchanged).")
    return copy, mapfile.read_metadata(copy)


def gpkg_to_postgis(source: str | os.PathLike[str], target: PgMap | str, overwrite: bool = False,
                    progress: Progress | None = None) -> TransferResult:
    """Store a GeoPackage map as a schema in PostGIS, in one transaction.

    :raises InputError: the source is not a map, the database cannot be reached.
    :raises OutputError: the schema exists (without ``overwrite``), or a row breaks one of the
        database's rules (the message names the table, the row and the rule); nothing was written.
    """
    progress = progress or NullProgress()
    t0 = time.perf_counter()
    src = Path(source).expanduser()
    pgmap = mapdb.as_pgmap(target)
    psycopg2 = psycopg2_module()
    result = TransferResult(str(src), pgmap.display())
    workdir = Path(tempfile.mkdtemp(prefix="pipemap-transfer-"))
    try:
        path, meta = _source_gpkg(src, workdir, progress)
        srs = spatial_reference(meta.get("crs_authid") or meta.get("crs_wkt", ""))
        reader = GpkgReader(path)
        try:
            present = reader.tables()
            for name in sorted(present - set(ddl.TABLES_BY_NAME)):
                if not name.startswith(_GPKG_SYSTEM_PREFIXES):
                    result.warnings.append(f"The table {name} is not part of the map model and was not transferred.")
            described = {t.name: reader.describe(t) for t in ddl.TABLES if t.name in present}
            for t in ddl.TABLES:
                if t.name not in present:
                    result.warnings.append(f"The map has no table {t.name}; an empty one was created.")
            total = max(1, sum(d.count for d in described.values()))
            con = connect(pgmap)
            try:
                with con.cursor() as cur:
                    mapdb.check_postgis(cur)
                    mapdb.prepare_target(cur, pgmap, overwrite)
                    srid = mapdb.srid_for(cur, srs)
                    mapdb.build_tables(cur, con, pgmap.schema, srid,
                                       {n: d.extra for n, d in described.items() if d.extra})
                    progress.report(0.05)
                    done = 0
                    for t in ddl.TABLES:
                        d = described.get(t.name)
                        if d is None:
                            continue
                        columns = d.columns + [n for n, _ in d.extra] + (["geom"] if d.geometry else [])
                        types = d.pg_types + [ty for _, ty in d.extra] + (["geometry"] if d.geometry else [])
                        base = done

                        def moved(n: int, base: int = base) -> None:
                            progress.report(0.05 + 0.85 * (base + n) / total)

                        try:
                            n = mapdb.copy_rows(cur, pgmap.schema, t.name, columns, types,
                                                reader.rows(d, srid if d.geometry else None), progress,
                                                on_chunk=moved)
                        except psycopg2.Error as exc:
                            if connection_lost(exc, con):
                                raise
                            raise OutputError("The table {table} of {path} cannot be stored in PostGIS: {reason}; "
                                              "nothing was written.", code="transfer.row", table=t.name,
                                              path=str(src), reason=mapdb.db_reason(exc)) from None
                        except (ValueError, TypeError) as exc:
                            raise OutputError("The table {table} of {path} has a value PostGIS cannot hold ({reason}); "
                                              "nothing was written.", code="transfer.value", table=t.name,
                                              path=str(src), reason=str(exc)) from None
                        result.counts[t.name] = n
                        done += n
                    mapdb.finish_tables(cur, con, pgmap.schema)
                    mapdb.audit_event(cur, pgmap.schema, "LOAD", {"source": src.name, "rows": result.counts})
                    mapdb.publish_styles(cur, pgmap.schema, progress)
                    check_cancel(progress)
                commit(con, pgmap)
            except psycopg2.Error as exc:
                rollback_quietly(con)
                if connection_lost(exc, con):
                    raise lost_error(pgmap, exc) from None
                raise OutputError("Could not store the map in PostGIS ({map}): {reason}; nothing was written.",
                                  code="transfer.write", map=pgmap.display(), reason=mapdb.db_reason(exc)) from None
            except BaseException:
                rollback_quietly(con)
                raise
            finally:
                con.close()
        finally:
            reader.close()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    for w in result.warnings:
        progress.warning(w)
    progress.report(1.0)
    result.seconds = time.perf_counter() - t0
    return result


# --- PostGIS -> GeoPackage ------------------------------------------------------------------------------------------

def _pg_columns(cur: Any, schema_name: str, t: ddl.TableDef) -> tuple[list[str], list[tuple[str, str]], bool]:
    """(model columns present with pk first, extra (name, data_type), has geometry)."""
    cur.execute("SELECT column_name, data_type, udt_name FROM information_schema.columns "
                "WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position", (schema_name, t.name))
    rows = cur.fetchall()
    present = {r[0] for r in rows}
    model = {t.pk, *t.field_names}
    columns = [t.pk] + [f for f in t.field_names if f in present]
    extra = [(r[0], r[1]) for r in rows if r[0] not in model and r[0] != "geom" and r[2] != "geometry"]
    return columns, extra, "geom" in present


def _public_style_overrides(cur: Any, schema_name: str) -> list[tuple[Any, ...]]:
    """Styles saved from QGIS for the map's layers (public.layer_styles), newest per (table, name)."""
    cur.execute("SELECT to_regclass('public.layer_styles') IS NOT NULL")
    if not cur.fetchone()[0]:
        return []
    cur.execute("SELECT DISTINCT ON (f_table_name, stylename) f_table_name, f_geometry_column, stylename, "
                "styleqml::text, stylesld::text, useasdefault, description, owner, ui::text, update_time "
                "FROM public.layer_styles WHERE f_table_schema = %s "
                "AND f_table_catalog = current_database() ORDER BY f_table_name, stylename, update_time DESC",
                (schema_name,))
    return cur.fetchall()


def _merged_styles(rows: list[tuple[Any, ...]], columns: list[str], public: list[tuple[Any, ...]]
                   ) -> list[tuple[Any, ...]]:
    """The map's own styles, with newer QGIS-saved copies of the same name replacing them."""
    idx = {c: i for i, c in enumerate(columns)}
    out = [list(r) for r in rows]
    by_key = {(r[idx["f_table_name"]], r[idx["styleName"]]): r for r in out}
    next_id = max([r[0] for r in out] + [0]) + 1
    for (table, geom_col, name, qml, sld, default, description, owner, ui, updated) in public:
        mine = by_key.get((table, name))
        if mine is not None:
            stamp = _utc_naive(mine[idx["update_time"]])
            if stamp is not None and updated is not None and updated <= stamp:
                continue
            if mine[idx["styleQML"]] == qml:
                continue
            row = mine
        else:
            row = [None] * len(columns)
            row[0] = next_id
            next_id += 1
            row[idx["f_table_catalog"]], row[idx["f_table_schema"]] = "", ""
            row[idx["f_table_name"]], row[idx["styleName"]] = table, name
            out.append(row)
        row[idx["f_geometry_column"]] = geom_col
        row[idx["styleQML"]], row[idx["styleSLD"]] = qml, sld or ""
        row[idx["useAsDefault"]], row[idx["description"]] = default, description
        row[idx["owner"]], row[idx["ui"]] = owner, ui
        row[idx["update_time"]] = updated.strftime("%Y-%m-%dT%H:%M:%SZ") if updated else None
    return [tuple(r) for r in out]


def _utc_naive(value: Any) -> _dt.datetime | None:
    """A style's update time (text as QGIS/GDAL write it, or a datetime) as a naive UTC datetime."""
    if isinstance(value, str):
        try:
            value = _dt.datetime.fromisoformat(value.strip().replace("/", "-").replace("Z", "+00:00"))
        except ValueError:
            return None
    if isinstance(value, _dt.datetime):
        return value.astimezone(_dt.timezone.utc).replace(tzinfo=None) if value.tzinfo else value
    return None


def postgis_to_gpkg(source: PgMap | str, target: str | os.PathLike[str], overwrite: bool = False,
                    progress: Progress | None = None) -> TransferResult:
    """Write a PostGIS map into a new GeoPackage map (temporary file, renamed when complete)."""
    from osgeo import gdal, ogr

    progress = progress or NullProgress()
    t0 = time.perf_counter()
    pgmap = mapdb.as_pgmap(source)
    dest = Path(target).expanduser()
    if dest.suffix.lower() != ".gpkg":
        raise InputError("The map {path} must be a GeoPackage file ending in .gpkg.", code="map.extension",
                         path=str(dest))
    if dest.exists() and not overwrite:
        raise OutputError("The file {path} already exists; it was left untouched. Choose another name or allow "
                          "overwriting.", code="map.exists", path=str(dest))
    psycopg2 = psycopg2_module()
    sql = psycopg2.sql
    result = TransferResult(pgmap.display(), str(dest))
    tmp = temp_path_beside(dest, ".gpkg")
    con = connect(pgmap)
    try:
        con.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with con.cursor() as cur:
            meta = mapdb.read_metadata_cur(cur, pgmap.schema, pgmap.display())
            mapdb.check_version(meta, pgmap.display())
            layout = {t.name: _pg_columns(cur, pgmap.schema, t) for t in ddl.TABLES}
            counts = {}
            for t in ddl.TABLES:
                cur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(pgmap.schema, t.name)))
                counts[t.name] = int(cur.fetchone()[0])
            public_styles = _public_style_overrides(cur, pgmap.schema)
        total = max(1, sum(counts.values()))
        crs = meta.get("crs_authid") or meta.get("crs_wkt", "")
        mapfile.create_map(tmp, crs, height_datum=meta.get("height_datum", schema.DEFAULT_HEIGHT_DATUM))
        progress.report(0.05)
        done = 0
        with gdal_exceptions():
            ds = gdal.OpenEx(str(tmp), gdal.OF_VECTOR | gdal.OF_UPDATE, allowed_drivers=["GPKG"])
            try:
                for t in ddl.TABLES:
                    _, extra, _ = layout[t.name]
                    layer = ds.GetLayerByName(t.name)
                    for name, data_type in extra:
                        type_name, subtype = _PG_TO_OGR.get(data_type, ("OFTString", None))
                        defn = ogr.FieldDefn(name, getattr(ogr, type_name))
                        if subtype:
                            defn.SetSubType(getattr(ogr, subtype))
                        layer.CreateField(defn)
                ds.StartTransaction()
                for t in ddl.TABLES:
                    columns, extra, has_geom = layout[t.name]
                    layer = ds.GetLayerByName(t.name)
                    if not t.geometry:
                        ds.ExecuteSQL(f"DELETE FROM {_q(t.name)}")
                    names = columns[1:] + [n for n, _ in extra]
                    setters = _ogr_setters(layer, names)
                    select = [sql.Identifier(c) for c in columns]
                    select += [sql.SQL("{}::text").format(sql.Identifier(n)) if _PG_TO_OGR.get(dt) is None
                               else sql.Identifier(n) for n, dt in extra]
                    if t.geometry and has_geom:
                        select.append(sql.SQL("ST_AsBinary(geom)"))
                    query = sql.SQL("SELECT {} FROM {} ORDER BY {}").format(
                        sql.SQL(", ").join(select), sql.Identifier(pgmap.schema, t.name), sql.Identifier(t.pk))
                    if t.name == ddl.STYLES_TABLE:
                        with con.cursor() as cur:
                            cur.execute(query)
                            styles = _merged_styles(cur.fetchall(), columns + [n for n, _ in extra],
                                                    public_styles)
                        n = _write_features(layer, setters, styles, t.geometry is not None and has_geom)
                    else:
                        with con.cursor(name="pipemap_transfer") as cur:
                            cur.itersize = READ_BATCH
                            cur.execute(query)

                            def moved(k: int, base: int = done) -> None:
                                progress.report(0.05 + 0.9 * (base + k) / total)
                                check_cancel(progress)

                            n = _write_features(layer, setters, cur, t.geometry is not None and has_geom, moved)
                    result.counts[t.name] = n
                    done += n
                check_cancel(progress)
                ds.CommitTransaction()
            finally:
                ds = None  # noqa: F841
        # every row has been read in the snapshot: a connection lost now loses nothing
        rollback_quietly(con)
        if dest.exists() and not overwrite:  # appeared meanwhile
            raise OutputError("The file {path} already exists; it was left untouched.", code="map.exists",
                              path=str(dest))
        if dest.is_file() and mapfile._is_sqlite(dest):
            # overwriting a map another program (QGIS) may have open: written into it through SQLite under
            # its write lock, never renamed over it (mapfile.replace_map says why)
            with mapfile.write_lock(dest):
                mapfile.replace_map(tmp, dest)
        else:
            os.replace(tmp, dest)
    except psycopg2.Error as exc:
        remove_quietly(tmp)
        if connection_lost(exc, con):
            raise lost_error(pgmap, exc, reading=True) from None
        raise InputError("Could not read the PostGIS map {map}: {reason}", code="transfer.read", map=pgmap.display(),
                         reason=mapdb.db_reason(exc)) from None
    except (PipeMapError, CancelledError):
        remove_quietly(tmp)
        raise
    except (RuntimeError, OSError) as exc:
        remove_quietly(tmp)
        raise OutputError("Could not write the map {path}: {reason}", code="map.write", path=str(dest),
                          reason=str(exc)) from None
    except BaseException:
        remove_quietly(tmp)
        raise
    finally:
        con.close()
    progress.report(1.0)
    result.seconds = time.perf_counter() - t0
    return result


# --- either way -------------------------------------------------------------------------------------------------------

def describe(value: str | os.PathLike[str] | PgMap) -> str:
    """A map for a log line (a PostGIS map without its password)."""
    if isinstance(value, PgMap):
        return value.display()
    if is_postgis_map(value):
        return parse_map(str(value)).display()
    return str(value)


def transfer(source: str | os.PathLike[str] | PgMap, target: str | os.PathLike[str] | PgMap,
             overwrite: bool = False, progress: Progress | None = None) -> TransferResult:
    """Copy a map GeoPackage -> PostGIS, PostGIS -> GeoPackage or PostGIS -> PostGIS, without loss."""
    progress = progress or NullProgress()
    src_pg = isinstance(source, PgMap) or is_postgis_map(source)
    dst_pg = isinstance(target, PgMap) or is_postgis_map(target)
    if not src_pg and not dst_pg:
        raise InputError("Both maps are GeoPackages ({a}, {b}): copy the file instead.", code="transfer.both_gpkg",
                         a=str(source), b=str(target))
    if src_pg and not dst_pg:
        return postgis_to_gpkg(source, target, overwrite, progress)  # type: ignore[arg-type]
    if dst_pg and not src_pg:
        return gpkg_to_postgis(source, target, overwrite, progress)  # type: ignore[arg-type]
    a, b = mapdb.as_pgmap(source), mapdb.as_pgmap(target)  # type: ignore[arg-type]
    if a.schema == b.schema and a.kwargs() == b.kwargs():
        raise InputError("The source and the target are the same map ({map}).", code="transfer.same",
                         map=a.display())
    workdir = Path(tempfile.mkdtemp(prefix="pipemap-transfer-"))
    try:
        staging = workdir / "map.gpkg"
        postgis_to_gpkg(a, staging, progress=SubProgress(progress, 0.0, 0.5))
        result = gpkg_to_postgis(staging, b, overwrite, SubProgress(progress, 0.5, 1.0))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    result.source = a.display()
    return result
