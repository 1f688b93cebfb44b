"""Create and open PostGIS maps; optimistic-locking edits; access grants.

Optimistic locking (the scheme the ``pipemap_touch`` trigger enforces):

* every row of ``pipe_point``, ``pipe_segment`` and ``gpr_survey`` has
  ``version`` (1 when inserted) and ``modified_at``;
* an ``UPDATE`` that **sets** ``version`` states the version the editor
  read. If the row has moved on since, the trigger refuses the whole
  statement (SQLSTATE ``PM409``) naming the feature, who changed it last
  and when (from ``audit_log``). Otherwise the trigger stores
  ``version + 1`` and ``modified_at = now()``;
* an ``UPDATE`` that leaves ``version`` alone -- what QGIS's postgres
  provider sends, since it writes only the columns the user changed -- is
  not checked (the database cannot know when QGIS read the row) but still
  gets ``version + 1`` and ``modified_at`` and an audit row, so later
  version-checked edits based on the old state are refused.

The scheme "the client writes old + 1" was rejected: it cannot tell a
stale client (read 1, writes 2 when the row is already at 2) from a client
that did not touch ``version``. :func:`update_feature` also puts the version
in its ``WHERE`` clause, so two concurrent edits of the same row never both
win (the second one waits for the first and is then refused).
"""

from __future__ import annotations

import datetime as _dt
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Callable

from .. import schema
from ..errors import InputError, OutputError, PipeMapError, SchemaError
from ..gdalutil import spatial_reference
from ..mapfile import STYLE_DIR, metadata_rows
from ..progress import NullProgress, Progress, check_cancel
from . import schema_sql as ddl
from .connect import (
    PgMap,
    check_schema_name,
    connect,
    connection_lost,
    lost_error,
    parse_map,
    psycopg2_module,
    rollback_quietly,
)
from .connect import commit as commit_map

#: SRIDs PipeMap gives CRSs without an EPSG code (PostGIS allows user SRIDs up to 998999)
CUSTOM_SRID_MIN = 900914
CUSTOM_SRID_MAX = 998999
#: how long DDL waits for other sessions' locks before giving up
LOCK_TIMEOUT = "30s"
#: rows sent in one ``COPY`` (cancellation and progress are checked between them)
COPY_CHUNK = 20000


class ConflictError(OutputError):
    """A stale edit: the feature changed since the editor read it. Nothing was written."""

    code = "pg.conflict"

    def __init__(self, table: str, feature: str, version: int, expected: int, changed_by: str | None,
                 changed_at: str | None,
                 template: str = "The {what} {feature} was changed by {who} at {when} (it is now at version "
                                 "{version}); your edit was based on version {expected} and was refused, nothing was "
                                 "written. Reload the {what} and make the edit again.") -> None:
        what = {"pipe_segment": "segment", "pipe_point": "point", "gpr_survey": "survey line"}.get(table, table)
        super().__init__(template, code="pg.conflict", what=what, feature=feature, who=changed_by or "another user",
                         when=changed_at or "an unknown time", version=version, expected=expected)
        self.table = table
        self.feature = feature
        self.version = version
        self.expected = expected
        self.changed_by = changed_by
        self.changed_at = changed_at


@dataclass
class PgMapInfo:
    """What a PostGIS map holds."""

    map: str  #: display form of the map string (no password)
    schema: str
    srid: int
    schema_version: int
    metadata: dict[str, str]
    counts: dict[str, int] = field(default_factory=dict)


# --- errors from the database -------------------------------------------------------------------------------------

def db_reason(exc: Exception) -> str:
    """A one-paragraph explanation of a psycopg2 error, naming the broken rule when it is one of the map's."""
    diag = getattr(exc, "diag", None)
    primary = (getattr(diag, "message_primary", None) or (str(exc).splitlines() or [""])[0]).strip()
    parts = [primary] if primary else [type(exc).__name__]
    constraint = getattr(diag, "constraint_name", None)
    if constraint and constraint in ddl.CONSTRAINT_TEXT:
        parts.append(f"({ddl.CONSTRAINT_TEXT[constraint]})")
    detail = getattr(diag, "message_detail", None)
    if detail and not detail.startswith("{"):
        parts.append(_shorten(detail.strip(), 300))
    context = getattr(diag, "context", None)
    if context and context.startswith("COPY"):
        parts.append(_shorten(context.splitlines()[0].strip(), 200))
    return " ".join(parts)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _conflict_from(exc: Exception) -> ConflictError | None:
    diag = getattr(exc, "diag", None)
    if getattr(exc, "pgcode", None) != ddl.STALE_EDIT_SQLSTATE or diag is None:
        return None
    try:
        info = json.loads(diag.message_detail or "{}")
    except ValueError:
        info = {}
    when = info.get("changed_at")
    if when:
        when = str(when).replace("T", " ")[:19] + " UTC"
    return ConflictError(str(info.get("table", "")), str(info.get("feature", "")), int(info.get("version") or 0),
                         int(info.get("expected") or 0), info.get("changed_by"), when)


# --- COPY ---------------------------------------------------------------------------------------------------------

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _text(v: Any) -> str:
    return str(v).translate(_COPY_ESCAPES)


def _integer(v: Any) -> str:
    if isinstance(v, float):
        if not v.is_integer():
            raise ValueError(f"{v!r} is not an integer")
        return str(int(v))
    return str(int(v))


def _real(v: Any) -> str:
    f = float(v)
    return repr(f) if math.isfinite(f) else ("NaN" if math.isnan(f) else ("Infinity" if f > 0 else "-Infinity"))


def _boolean(v: Any) -> str:
    if isinstance(v, str):
        return "t" if v.strip().lower() in ("1", "t", "true", "yes", "y", "on") else "f"
    return "t" if v else "f"


def _temporal(v: Any) -> str:
    if isinstance(v, (_dt.date, _dt.datetime)):
        return v.isoformat()
    return _text(v)


def _bytea(v: Any) -> str:
    return "\\\\x" + bytes(v).hex()


#: PostgreSQL type -> COPY text converter
COPY_CONVERTERS: dict[str, Callable[[Any], str]] = {
    "text": _text, "bigint": _integer, "integer": _integer, "smallint": _integer, "double precision": _real,
    "real": _real, "numeric": _text, "boolean": _boolean, "date": _temporal, "timestamptz": _temporal,
    "timestamp with time zone": _temporal, "timestamp without time zone": _temporal, "timestamp": _temporal,
    "bytea": _bytea, "geometry": str, "xml": _text, "jsonb": _text, "json": _text,
}


def copy_rows(cur: Any, schema_name: str, table: str, columns: Sequence[str], pg_types: Sequence[str],
              rows: Iterable[Sequence[Any]], progress: Progress | None = None, chunk: int | None = None,
              on_chunk: Callable[[int], None] | None = None) -> int:
    """``COPY`` rows into a table (all values converted here; ``None`` is NULL).

    Geometry values must already be hex EWKB with the column's SRID.
    Cancellation is checked between chunks. Returns the number of rows.
    """
    import io

    sql = psycopg2_module().sql
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(schema_name, table), sql.SQL(", ").join(sql.Identifier(c) for c in columns))
    text = statement.as_string(cur)
    chunk = chunk or COPY_CHUNK
    convert = [COPY_CONVERTERS.get(t, _text) for t in pg_types]
    n = 0
    buf: list[str] = []

    def flush() -> None:
        if buf:
            cur.copy_expert(text, io.StringIO("".join(buf)))
            buf.clear()

    for row in rows:
        buf.append("\t".join("\\N" if v is None else c(v) for c, v in zip(convert, row)) + "\n")
        n += 1
        if n % chunk == 0:
            flush()
            if on_chunk:
                on_chunk(n)
            if progress is not None:
                check_cancel(progress)
    flush()
    if on_chunk:
        on_chunk(n)
    return n


# --- building a map -----------------------------------------------------------------------------------------------

def check_postgis(cur: Any) -> str:
    """The PostGIS version; creates the extension when missing and allowed, else a clear error."""
    cur.execute("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
    row = cur.fetchone()
    if row:
        return str(row[0])
    cur.execute("SAVEPOINT pipemap_postgis")
    try:
        cur.execute("CREATE EXTENSION postgis")
    except psycopg2_module().Error as exc:
        cur.execute("ROLLBACK TO SAVEPOINT pipemap_postgis")
        raise InputError("The database has no PostGIS and it cannot be added here ({reason}): ask its owner to run "
                         "CREATE EXTENSION postgis.", code="pg.no_postgis", reason=db_reason(exc)) from None
    cur.execute("RELEASE SAVEPOINT pipemap_postgis")
    cur.execute("SELECT extversion FROM pg_extension WHERE extname = 'postgis'")
    return str(cur.fetchone()[0])


def schema_exists(cur: Any, schema_name: str) -> bool:
    cur.execute("SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = %s)", (schema_name,))
    return bool(cur.fetchone()[0])


def is_map_schema(cur: Any, schema_name: str) -> bool:
    cur.execute("SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = %s AND table_name = %s)",
                (schema_name, schema.METADATA.name))
    return bool(cur.fetchone()[0])


def prepare_target(cur: Any, pgmap: PgMap, overwrite: bool) -> None:
    """Refuse an existing schema (unless ``overwrite`` and it is a PipeMap map, then drop it)."""
    sql = psycopg2_module().sql
    name = pgmap.schema
    if not schema_exists(cur, name):
        return
    if not overwrite:
        raise OutputError("The schema {schema} already exists in the database ({map}); it was left untouched. "
                          "Choose another schema or allow overwriting.", code="pg.exists", schema=name,
                          map=pgmap.display())
    if not is_map_schema(cur, name):
        raise OutputError("The schema {schema} exists and is not a PipeMap map; it was left untouched (overwriting "
                          "only replaces PipeMap maps).", code="pg.not_map", schema=name)
    cur.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(LOCK_TIMEOUT)))
    unpublish_styles(cur, name)
    cur.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


def srid_for(cur: Any, srs: Any) -> int:
    """The SRID of a CRS in this database, registering a CRS without an EPSG code in ``spatial_ref_sys``
    (SRIDs from 900914; an identical definition registered before is reused)."""
    auth = (srs.GetAuthorityName(None) or "").upper()
    code = srs.GetAuthorityCode(None)
    if auth == "EPSG" and code:
        cur.execute("SELECT srid FROM spatial_ref_sys WHERE auth_name = 'EPSG' AND auth_srid = %s ORDER BY srid "
                    "LIMIT 1", (int(code),))
        row = cur.fetchone()
        if row:
            return int(row[0])
    wkt = srs.ExportToWkt()
    try:
        proj4 = srs.ExportToProj4()
    except RuntimeError:
        proj4 = ""
    cur.execute("SELECT pg_advisory_xact_lock(hashtext('pipemap.spatial_ref_sys'))")
    cur.execute("SELECT srid FROM spatial_ref_sys WHERE srid BETWEEN %s AND %s AND srtext = %s ORDER BY srid LIMIT 1",
                (CUSTOM_SRID_MIN, CUSTOM_SRID_MAX, wkt))
    row = cur.fetchone()
    if row:
        return int(row[0])
    cur.execute("SELECT COALESCE(max(srid) + 1, %s) FROM spatial_ref_sys WHERE srid BETWEEN %s AND %s",
                (CUSTOM_SRID_MIN, CUSTOM_SRID_MIN, CUSTOM_SRID_MAX))
    srid = int(cur.fetchone()[0])
    if srid > CUSTOM_SRID_MAX:
        raise OutputError("No free SRID is left for a custom CRS in spatial_ref_sys ({lo}-{hi}).",
                          code="pg.srid_full", lo=CUSTOM_SRID_MIN, hi=CUSTOM_SRID_MAX)
    cur.execute("SAVEPOINT pipemap_srid")
    try:
        cur.execute("INSERT INTO spatial_ref_sys (srid, auth_name, auth_srid, srtext, proj4text) "
                    "VALUES (%s, 'PIPEMAP', %s, %s, %s)", (srid, srid, wkt, proj4))
    except psycopg2_module().Error as exc:
        cur.execute("ROLLBACK TO SAVEPOINT pipemap_srid")
        raise OutputError("The map's CRS has no EPSG code and cannot be registered in spatial_ref_sys ({reason}); "
                          "ask the database owner to grant INSERT on spatial_ref_sys or to register it.",
                          code="pg.srid_insert", reason=db_reason(exc)) from None
    cur.execute("RELEASE SAVEPOINT pipemap_srid")
    return srid


def build_tables(cur: Any, con: Any, schema_name: str, srid: int, extra_columns: dict[str, list[tuple[str, str]]]
                 | None = None) -> None:
    """``CREATE SCHEMA``, the audit table, trigger functions and every table (no indexes, no triggers yet)."""
    sql = psycopg2_module().sql
    cur.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(schema_name)))
    cur.execute(sql.SQL("COMMENT ON SCHEMA {} IS {}").format(
        sql.Identifier(schema_name), sql.Literal("PipeMap integrated map (underground pipelines, CJJ 61)")))
    for statement in ddl.audit_table_sql(schema_name) + ddl.functions_sql(schema_name, con):
        cur.execute(statement)
    for t in ddl.TABLES:
        for statement in ddl.create_table_sql(schema_name, t, srid if t.geometry else None):
            cur.execute(statement)
        for name, pg_type in (extra_columns or {}).get(t.name, []):
            cur.execute(sql.SQL("ALTER TABLE {} ADD COLUMN {} {}").format(
                sql.Identifier(schema_name, t.name), sql.Identifier(name), sql.SQL(pg_type)))


def finish_tables(cur: Any, con: Any, schema_name: str) -> None:
    """Foreign keys, indexes, key sequences, triggers and statistics (after the rows are in)."""
    for t in ddl.TABLES:
        for statement in ddl.foreign_key_sql(schema_name, t):
            cur.execute(statement)
    for t in ddl.TABLES:
        for statement in ddl.index_sql(schema_name, t):
            cur.execute(statement)
        cur.execute(ddl.serial_reset_sql(schema_name, t, con))
        for statement in ddl.trigger_sql(schema_name, t):
            cur.execute(statement)
        cur.execute(ddl.analyze_sql(schema_name, t))


def audit_event(cur: Any, schema_name: str, operation: str, what: dict[str, Any]) -> None:
    """One audit row for a whole operation (a map created, loaded or imported)."""
    sql = psycopg2_module().sql
    cur.execute(sql.SQL("INSERT INTO {} (table_name, operation, new_values) VALUES ('*', %s, %s)").format(
        sql.Identifier(schema_name, ddl.AUDIT_TABLE)), (operation, json.dumps(what, ensure_ascii=False)))


def table_pg_types(t: ddl.TableDef) -> list[str]:
    return ["integer"] + [ddl.PG_TYPES[f.type] for f in t.fields]


def _style_rows() -> list[tuple[Any, ...]]:
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    rows = []
    for i, table in enumerate(("pipe_point", "pipe_segment"), start=1):
        path = STYLE_DIR / f"{table}.qml"
        if path.is_file():
            rows.append((i, "", "", table, "geom", f"PipeMap {table}", path.read_text(encoding="utf-8"), "", True,
                         "CJJ 61 category colours", "", None, now))
    return rows


def fill_new_map(cur: Any, schema_name: str, srs: Any, crs_input: str, height_datum: str) -> None:
    """The rows of a new, empty map: code lists, rule classes, metadata, styles."""
    for cl in schema.CODE_LISTS:
        t = ddl.TABLES_BY_NAME[cl.table]
        copy_rows(cur, schema_name, t.name, (t.pk,) + t.field_names, table_pg_types(t),
                  ((i,) + tuple(row) for i, row in enumerate(cl.rows, start=1)))
    t = ddl.TABLES_BY_NAME["rule_class_map"]
    copy_rows(cur, schema_name, t.name, (t.pk,) + t.field_names, table_pg_types(t),
              ((i,) + tuple(row) for i, row in enumerate(schema.load_class_map(), start=1)))
    t = ddl.TABLES_BY_NAME[schema.METADATA.name]
    copy_rows(cur, schema_name, t.name, (t.pk,) + t.field_names, table_pg_types(t),
              ((i,) + tuple(row) for i, row in enumerate(metadata_rows(srs, crs_input, height_datum), start=1)))
    t = ddl.TABLES_BY_NAME[ddl.STYLES_TABLE]
    copy_rows(cur, schema_name, t.name, (t.pk,) + t.field_names, table_pg_types(t), _style_rows())


# --- styles for QGIS ------------------------------------------------------------------------------------------------

_QGIS_STYLES_DDL = """CREATE TABLE IF NOT EXISTS public.layer_styles (
  id serial PRIMARY KEY, f_table_catalog varchar, f_table_schema varchar, f_table_name varchar,
  f_geometry_column varchar, stylename text, styleqml xml, stylesld xml, useasdefault boolean, description text,
  owner varchar(63) DEFAULT CURRENT_USER, ui xml, update_time timestamp DEFAULT CURRENT_TIMESTAMP, type varchar)"""


def _public_styles_exist(cur: Any) -> bool:
    cur.execute("SELECT to_regclass('public.layer_styles') IS NOT NULL")
    return bool(cur.fetchone()[0])


def publish_styles(cur: Any, schema_name: str, progress: Progress | None = None) -> int:
    """Copy the map's layer styles into ``public.layer_styles`` -- where QGIS's postgres provider looks
    for a layer's default style (``f_table_catalog`` = the database's name, also for a layer opened
    through ``service=``). Lack of rights is a warning, not an error."""
    sql = psycopg2_module().sql
    cur.execute("SAVEPOINT pipemap_styles")
    try:
        cur.execute(_QGIS_STYLES_DDL)
        unpublish_styles(cur, schema_name, savepoint=False)
        cur.execute(sql.SQL(
            "INSERT INTO public.layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
            "stylename, styleqml, stylesld, useasdefault, description, ui, update_time) "
            "SELECT current_database(), %s, s.f_table_name, s.f_geometry_column, s.{name}, s.{qml}::xml, "
            "NULLIF(s.{sld}, '')::xml, s.{default}, s.description, NULLIF(s.ui, '')::xml, "
            "COALESCE(s.update_time::timestamptz AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC') "
            "FROM {styles} s "
            "WHERE s.{qml} IS NOT NULL AND s.{qml} <> ''").format(
                name=sql.Identifier("styleName"), qml=sql.Identifier("styleQML"), sld=sql.Identifier("styleSLD"),
                default=sql.Identifier("useAsDefault"), styles=sql.Identifier(schema_name, ddl.STYLES_TABLE)),
            (schema_name,))
        n = cur.rowcount
    except psycopg2_module().Error as exc:
        cur.execute("ROLLBACK TO SAVEPOINT pipemap_styles")
        if progress is not None:
            progress.warning(f"The layer styles could not be stored in public.layer_styles ({db_reason(exc)}); "
                             "QGIS opens the layers unstyled until a style is saved there.")
        return 0
    cur.execute("RELEASE SAVEPOINT pipemap_styles")
    return n


def unpublish_styles(cur: Any, schema_name: str, savepoint: bool = True) -> None:
    """Remove a map's rows from ``public.layer_styles`` (when the table exists and we may)."""
    if not _public_styles_exist(cur):
        return
    if savepoint:
        cur.execute("SAVEPOINT pipemap_unstyle")
    try:
        cur.execute("DELETE FROM public.layer_styles WHERE f_table_schema = %s AND f_table_catalog = "
                    "current_database()", (schema_name,))
    except psycopg2_module().Error:
        if not savepoint:
            raise
        cur.execute("ROLLBACK TO SAVEPOINT pipemap_unstyle")
        return
    if savepoint:
        cur.execute("RELEASE SAVEPOINT pipemap_unstyle")


# --- public entry points ----------------------------------------------------------------------------------------------

def as_pgmap(target: PgMap | str) -> PgMap:
    return target if isinstance(target, PgMap) else parse_map(target)


def create_map(target: PgMap | str, crs: str, overwrite: bool = False,
               height_datum: str = schema.DEFAULT_HEIGHT_DATUM, progress: Progress | None = None) -> PgMapInfo:
    """Create an empty integrated map as a schema in PostGIS, in one transaction.

    :param target: the map (a :class:`PgMap` or a MAP string naming the schema).
    :param crs: ``"EPSG:4547"``, WKT (local grids, registered in ``spatial_ref_sys``) or PROJ.
    :param overwrite: replace an existing PipeMap map in that schema; any other existing schema is refused.
    :raises InputError: invalid CRS, unreachable database, no PostGIS.
    :raises OutputError: the schema exists (without ``overwrite``) or cannot be written.
    """
    progress = progress or NullProgress()
    pgmap = as_pgmap(target)
    check_schema_name(pgmap.schema)
    srs = spatial_reference(crs)
    psycopg2 = psycopg2_module()
    con = connect(pgmap)
    try:
        with con.cursor() as cur:
            check_postgis(cur)
            prepare_target(cur, pgmap, overwrite)
            progress.report(0.1)
            srid = srid_for(cur, srs)
            build_tables(cur, con, pgmap.schema, srid)
            progress.report(0.4)
            check_cancel(progress)
            fill_new_map(cur, pgmap.schema, srs, crs, height_datum)
            progress.report(0.6)
            finish_tables(cur, con, pgmap.schema)
            audit_event(cur, pgmap.schema, "CREATE", {"crs": crs[:200], "srid": srid})
            publish_styles(cur, pgmap.schema, progress)
            check_cancel(progress)
        commit_map(con, pgmap)
    except psycopg2.Error as exc:
        rollback_quietly(con)
        if connection_lost(exc, con):
            raise lost_error(pgmap, exc) from None
        raise OutputError("Could not create the PostGIS map {map}: {reason}", code="pg.create", map=pgmap.display(),
                          reason=db_reason(exc)) from None
    except BaseException:
        rollback_quietly(con)
        raise
    finally:
        con.close()
    progress.report(1.0)
    return read_map_info(pgmap)


def read_error(pgmap: PgMap, exc: Exception) -> PipeMapError:
    """A database error while reading a map, naming the map."""
    if connection_lost(exc):
        return lost_error(pgmap, exc, reading=True)
    return InputError("Could not read the PostGIS map {map}: {reason}", code="pg.read", map=pgmap.display(),
                      reason=db_reason(exc))


def read_metadata_cur(cur: Any, schema_name: str, where: str = "") -> dict[str, str]:
    sql = psycopg2_module().sql
    if not schema_exists(cur, schema_name):
        raise InputError("The PostGIS map {map} does not exist (no schema {schema}).", code="pg.missing",
                         map=where or schema_name, schema=schema_name)
    if not is_map_schema(cur, schema_name):
        raise SchemaError("The schema {schema} is not a PipeMap map (no pipemap_metadata table).",
                          code="pg.not_map", schema=schema_name)
    cur.execute(sql.SQL("SELECT key, value FROM {}").format(sql.Identifier(schema_name, schema.METADATA.name)))
    return {k: v for k, v in cur.fetchall()}


def read_metadata(target: PgMap | str, con: Any = None) -> dict[str, str]:
    """Key/value metadata of a PostGIS map (the same keys as a GeoPackage map's)."""
    pgmap = as_pgmap(target)
    own = con is None
    con = con or connect(pgmap)
    try:
        with con.cursor() as cur:
            return read_metadata_cur(cur, pgmap.schema, pgmap.display())
    except psycopg2_module().Error as exc:
        raise read_error(pgmap, exc) from None
    finally:
        if own:
            con.close()
        elif not con.autocommit:
            rollback_quietly(con)


def check_version(meta: dict[str, str], where: str) -> int:
    """Refuse a map newer than this PipeMap (and older ones: PostGIS maps start at the current version)."""
    found = int(meta.get("schema_version", "0") or 0)
    if found > schema.SCHEMA_VERSION:
        raise SchemaError("The map {map} has schema version {found}; this PipeMap understands up to {known}. Update "
                          "PipeMap to open it.", code="map.too_new", map=where, found=found,
                          known=schema.SCHEMA_VERSION)
    if found < schema.SCHEMA_VERSION:
        raise SchemaError("The PostGIS map {map} has schema version {found}; PipeMap {known} has no upgrade path for "
                          "PostGIS maps yet: transfer it to a GeoPackage, upgrade it there and transfer it back.",
                          code="pg.no_upgrade", map=where, found=found, known=schema.SCHEMA_VERSION)
    return found


def read_map_info(target: PgMap | str) -> PgMapInfo:
    """Metadata, SRID and row counts of a PostGIS map."""
    pgmap = as_pgmap(target)
    sql = psycopg2_module().sql
    con = connect(pgmap)
    try:
        with con.cursor() as cur:
            meta = read_metadata_cur(cur, pgmap.schema, pgmap.display())
            cur.execute("SELECT Find_SRID(%s, 'pipe_segment', 'geom')", (pgmap.schema,))
            srid = int(cur.fetchone()[0])
            counts = {}
            for t in ddl.TABLES:
                cur.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(pgmap.schema, t.name)))
                counts[t.name] = int(cur.fetchone()[0])
        con.rollback()
    except psycopg2_module().Error as exc:
        raise read_error(pgmap, exc) from None
    finally:
        con.close()
    return PgMapInfo(pgmap.display(), pgmap.schema, srid, int(meta.get("schema_version", "0") or 0), meta, counts)


def drop_map(target: PgMap | str) -> None:
    """Drop a PipeMap map (its schema and its published styles); refuses other schemas."""
    pgmap = as_pgmap(target)
    con = connect(pgmap)
    try:
        with con.cursor() as cur:
            if not is_map_schema(cur, pgmap.schema):
                raise InputError("The schema {schema} is not a PipeMap map; it was left untouched.",
                                 code="pg.not_map", schema=pgmap.schema)
            prepare_target(cur, pgmap, overwrite=True)
        commit_map(con, pgmap)
    except psycopg2_module().Error as exc:
        rollback_quietly(con)
        if connection_lost(exc, con):
            raise lost_error(pgmap, exc) from None
        raise OutputError("Could not drop the PostGIS map {map}: {reason}", code="pg.drop", map=pgmap.display(),
                          reason=db_reason(exc)) from None
    except BaseException:
        rollback_quietly(con)
        raise
    finally:
        con.close()


def list_maps(con: Any) -> list[str]:
    """Schemas of the connected database that hold a PipeMap map."""
    with con.cursor() as cur:
        cur.execute("SELECT table_schema FROM information_schema.tables WHERE table_name = %s ORDER BY 1",
                    (schema.METADATA.name,))
        return [r[0] for r in cur.fetchall()]


# --- edits with optimistic locking ------------------------------------------------------------------------------------

#: columns the triggers keep; an edit may not set them
MANAGED_COLUMNS = ("fid", "version", "modified_at")


def _table_columns(cur: Any, schema_name: str, table: str) -> set[str]:
    cur.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
                (schema_name, table))
    return {r[0] for r in cur.fetchall()}


def update_feature(con: Any, schema_name: str, table: str, feature: str, values: dict[str, Any],
                   expected_version: int, commit: bool = True) -> int:
    """Change a feature's attributes (and, with ``"geom"`` as WKT, its geometry) **only if it is still at
    ``expected_version``** -- the version the editor read.

    :param feature: the feature's id (``seg_id``, ``point_id`` or ``survey_id``).
    :returns: the new version.
    :raises ConflictError: the feature changed since (naming who changed it and when); nothing was written.
    :raises InputError: no such table, feature or column.
    """
    psycopg2 = psycopg2_module()
    sql = psycopg2.sql
    t = ddl.TABLES_BY_NAME.get(table)
    if t is None or not t.versioned or not t.key:
        raise InputError("{table} is not a versioned layer of the map.", code="pg.not_layer", table=table)
    if not values:
        raise InputError("Nothing to change in {table} {feature}.", code="pg.no_values", table=table,
                         feature=feature)
    savepoint = not con.autocommit
    with con.cursor() as cur:
        try:
            columns = _table_columns(cur, schema_name, table)
        except psycopg2.Error as exc:
            if connection_lost(exc, con):
                raise lost_error(_pgmap_of(con, schema_name), exc) from None
            raise OutputError("Could not change {table} {feature}: {reason}", code="pg.edit", table=table,
                              feature=feature, reason=db_reason(exc)) from None
        if not columns:
            raise InputError("The map has no table {table} in schema {schema}.", code="pg.no_table", table=table,
                             schema=schema_name)
        bad = sorted(k for k in values if k not in columns or k in MANAGED_COLUMNS)
        if bad:
            raise InputError("{table} has no editable column(s) {columns}.", code="pg.bad_column", table=table,
                             columns=", ".join(bad))
        assignments = []
        params: list[Any] = []
        for name, value in values.items():
            if name == "geom":
                assignments.append(sql.SQL("geom = ST_GeomFromText(%s, ST_SRID(geom))"))
            else:
                assignments.append(sql.SQL("{} = %s").format(sql.Identifier(name)))
            params.append(value)
        assignments.append(sql.SQL("version = %s"))
        params += [int(expected_version), feature, int(expected_version)]
        statement = sql.SQL("UPDATE {} SET {} WHERE {} = %s AND version = %s RETURNING version").format(
            sql.Identifier(schema_name, table), sql.SQL(", ").join(assignments), sql.Identifier(t.key))
        if savepoint:
            cur.execute("SAVEPOINT pipemap_edit")
        try:
            cur.execute(statement, params)
            row = cur.fetchone()
            if row is None:  # not there, or at another version: say which
                cur.execute(sql.SQL("SELECT version, fid FROM {} WHERE {} = %s").format(
                    sql.Identifier(schema_name, table), sql.Identifier(t.key)), (feature,))
                current = cur.fetchone()
                if current is None:
                    raise InputError("There is no {table} {feature} in the map.", code="pg.no_feature", table=table,
                                     feature=feature)
                cur.execute(sql.SQL("SELECT changed_by, to_char(changed_at AT TIME ZONE 'UTC', "
                                    "'YYYY-MM-DD HH24:MI:SS') || ' UTC' FROM {} WHERE table_name = %s AND row_fid = %s "
                                    "ORDER BY id DESC LIMIT 1").format(sql.Identifier(schema_name, ddl.AUDIT_TABLE)),
                            (table, current[1]))
                last = cur.fetchone() or (None, None)
                raise ConflictError(table, feature, int(current[0]), int(expected_version), last[0], last[1])
        except psycopg2.Error as exc:
            if connection_lost(exc, con):  # the server rolled the whole transaction back
                raise lost_error(_pgmap_of(con, schema_name), exc) from None
            if savepoint:
                cur.execute("ROLLBACK TO SAVEPOINT pipemap_edit")
            conflict = _conflict_from(exc)
            if conflict is not None:
                raise conflict from None
            raise OutputError("Could not change {table} {feature}: {reason}", code="pg.edit", table=table,
                              feature=feature, reason=db_reason(exc)) from None
        except PipeMapError:
            if savepoint:
                cur.execute("ROLLBACK TO SAVEPOINT pipemap_edit")
            raise
        if savepoint:
            cur.execute("RELEASE SAVEPOINT pipemap_edit")
    if commit and not con.autocommit:
        commit_map(con, _pgmap_of(con, schema_name))
    return int(row[0])


def _pgmap_of(con: Any, schema_name: str) -> PgMap:
    """The map a caller's connection works on, for messages (host, port, database, user: no password)."""
    try:
        dsn = con.get_dsn_parameters()
    except Exception:  # noqa: BLE001 - a closed connection: the schema alone
        dsn = {}
    return PgMap(schema_name, tuple((k, str(dsn[k])) for k in ("host", "port", "dbname", "user") if dsn.get(k)))


def update_segment(con: Any, schema_name: str, seg_id: str, values: dict[str, Any], expected_version: int,
                   commit: bool = True) -> int:
    """:func:`update_feature` on ``pipe_segment``."""
    return update_feature(con, schema_name, "pipe_segment", seg_id, values, expected_version, commit)


def grant_access(con: Any, schema_name: str, role: str, write: bool = True) -> None:
    """Let a role read (and with ``write`` edit) a map: usage on the schema, SELECT on every table,
    INSERT/UPDATE/DELETE on the map's tables and INSERT on ``audit_log`` (never UPDATE/DELETE on it),
    and the sequences. Committed."""
    sql = psycopg2_module().sql
    s, r = sql.Identifier(schema_name), sql.Identifier(role)
    with con.cursor() as cur:
        cur.execute(sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(s, r))
        cur.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(s, r))
        if write:
            for t in ddl.TABLES:
                cur.execute(sql.SQL("GRANT INSERT, UPDATE, DELETE ON {} TO {}").format(
                    sql.Identifier(schema_name, t.name), r))
            cur.execute(sql.SQL("GRANT INSERT ON {} TO {}").format(sql.Identifier(schema_name, ddl.AUDIT_TABLE), r))
            cur.execute(sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA {} TO {}").format(s, r))
        if _public_styles_exist(cur):
            cur.execute(sql.SQL("GRANT SELECT ON public.layer_styles TO {}").format(r))
    con.commit()
