"""The PostGIS form of the integrated-map data model, generated from :mod:`core.schema`.

One schema per map holds the tables the GeoPackage has, with the same
names, columns and meaning (:data:`core.schema.SPATIAL_LAYERS`,
:data:`core.schema.CODE_LISTS`, ``rule_class_map``, ``pipemap_metadata``,
``layer_styles``), plus what a shared database adds:

* primary keys (``fid``; ``id`` in ``layer_styles``, as in the GeoPackage) of type ``serial``:
  QGIS's postgres provider then uses the key itself as the feature id, as
  the GeoPackage does (with ``bigint`` it numbers features its own way); a
  GeoPackage fid above 2^31 - 1 is refused with a clear error;
* ``NOT NULL``/``UNIQUE``/defaults as declared in :mod:`core.schema`;
* foreign keys from every coded field (``Field.domain``) to its code list's
  ``code`` (``ON UPDATE CASCADE``), and ``(subcategory, category)`` to
  ``code_subcategory (code, category)``;
* checks: z present (``ST_NDims(geom) = 3`` on the Z layers), valid
  geometries (a vertical segment, valid in 3D but collapsed in 2D, is
  allowed), ``dn_mm > 0``, outer sizes / wall / pressure / voltage / counts
  ``>= 0`` (an outer size of 0 is a pipe drawn as a line, e.g. a direct-buried
  cable), positive well sizes, known section/well shapes, ``version >= 1``
  (:data:`CHECKS`);
* GiST indexes on every geometry;
* ``version`` / ``modified_at`` kept by the trigger ``pipemap_touch``
  (optimistic locking, see :mod:`core.pg.mapdb`);
* ``audit_log`` filled by the trigger ``pipemap_audit`` on every table.

Every identifier is composed with ``psycopg2.sql.Identifier`` and every value
with ``sql.Literal`` or a query parameter, so schema names with quotes,
semicolons or Chinese characters are stored as names and never run as SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import schema
from ..schema import Field
from .connect import psycopg2_module

#: core/schema.py field type -> PostgreSQL type
PG_TYPES = {
    "text": "text",
    "integer": "bigint",  # the GeoPackage's INTEGER is 64-bit
    "real": "double precision",
    "date": "date",
    "datetime": "timestamptz",
    "boolean": "boolean",
}

#: error code raised by the trigger for a stale edit (see core.pg.mapdb.ConflictError)
STALE_EDIT_SQLSTATE = "PM409"

AUDIT_TABLE = "audit_log"
STYLES_TABLE = "layer_styles"

#: the columns of a GeoPackage's layer_styles table (QGIS's layout; core.mapfile writes them)
STYLE_FIELDS: tuple[Field, ...] = (
    Field("f_table_catalog", "text"),
    Field("f_table_schema", "text"),
    Field("f_table_name", "text"),
    Field("f_geometry_column", "text"),
    Field("styleName", "text"),
    Field("styleQML", "text"),
    Field("styleSLD", "text"),
    Field("useAsDefault", "boolean"),
    Field("description", "text"),
    Field("owner", "text"),
    Field("ui", "text"),
    # kept as the text the GeoPackage holds: QGIS writes it without a time zone, which timestamptz cannot keep
    Field("update_time", "text"),
)


@dataclass(frozen=True)
class TableDef:
    """One table of a map, as both back ends hold it."""

    name: str
    fields: tuple[Field, ...]
    geometry: str | None = None  #: "PointZ" | "LineStringZ" | "LineString" | None
    pk: str = "fid"
    key: str | None = None  #: the column naming a row in messages and the audit (seg_id, code...)
    kind: str = "table"  #: "layer" | "codelist" | "table"
    description: str = ""

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def versioned(self) -> bool:
        """Rows carry ``version``/``modified_at`` kept by the ``pipemap_touch`` trigger."""
        names = self.field_names
        return "version" in names and "modified_at" in names

    def field(self, name: str) -> Field | None:
        for f in self.fields:
            if f.name == name:
                return f
        return None


def _unique_key(fields: tuple[Field, ...]) -> str | None:
    for f in fields:
        if f.unique and f.type == "text":
            return f.name
    return None


def _model_tables() -> tuple[TableDef, ...]:
    tables: list[TableDef] = []
    for cl in schema.CODE_LISTS:
        tables.append(TableDef(cl.table, cl.columns, None, "fid", "code", "codelist", cl.description))
    tables.append(TableDef("rule_class_map", schema.RULE_CLASS_MAP_COLUMNS, None, "fid", None, "table",
                           "Category + attributes -> GB 50289 rule classes (user-editable)"))
    tables.append(TableDef(schema.METADATA.name, schema.METADATA.fields, None, "fid", "key", "table",
                           schema.METADATA.description))
    tables.append(TableDef(STYLES_TABLE, STYLE_FIELDS, None, "id", "styleName", "table",
                           "QGIS styles of the map's layers (PipeMap keeps this copy; QGIS reads public.layer_styles)"))
    for layer in schema.SPATIAL_LAYERS:
        tables.append(TableDef(layer.name, layer.fields, layer.geometry, "fid", _unique_key(layer.fields), "layer",
                               layer.description))
    return tuple(tables)


#: every table of a map, in creation order (code lists before the layers that refer to them)
TABLES: tuple[TableDef, ...] = _model_tables()
TABLES_BY_NAME = {t.name: t for t in TABLES}
LAYERS: tuple[TableDef, ...] = tuple(t for t in TABLES if t.kind == "layer")

#: code list table by domain name
CODE_TABLE_OF_DOMAIN = {cl.domain: cl.table for cl in schema.CODE_LISTS}

#: CHECK constraints beyond the geometry ones: (table, column) -> (kind, argument)
CHECKS: dict[tuple[str, str], tuple[str, Any]] = {}
CHECKS[("pipe_segment", "dn_mm")] = ("positive", None)
# an outer size of 0 is a pipe drawn as a line (a direct-buried cable), as the checks read it
for _col in ("outer_diameter_mm", "width_mm", "height_mm", "wall_mm", "pressure_mpa", "voltage_kv", "cable_count",
             "hole_count", "holes_used"):
    CHECKS[("pipe_segment", _col)] = ("not_negative", None)
CHECKS[("pipe_segment", "section")] = ("allowed", ("circular", "box"))
for _col in ("well_diameter_mm", "well_width_mm", "well_length_mm"):
    CHECKS[("pipe_point", _col)] = ("positive", None)
CHECKS[("pipe_point", "well_depth_m")] = ("not_negative", None)
CHECKS[("pipe_point", "well_shape")] = ("allowed", ("round", "rect"))
for _col in ("channel", "n_channels", "traces", "samples", "dt_ns", "time_window_ns", "frequency_mhz",
             "trace_spacing_m", "length_m"):
    CHECKS[("gpr_survey", _col)] = ("not_negative", None)
for _layer in ("pipe_point", "pipe_segment", "gpr_survey"):
    CHECKS[(_layer, "version")] = ("positive", None)
del _col, _layer

#: constraint name -> what it means (for error messages)
CONSTRAINT_TEXT: dict[str, str] = {}


def _constraint_text() -> None:
    for (table, col), (kind, arg) in CHECKS.items():
        if kind == "positive":
            CONSTRAINT_TEXT[f"{table}_{col}_positive"] = f"{table}.{col} must be more than 0"
        elif kind == "not_negative":
            CONSTRAINT_TEXT[f"{table}_{col}_not_negative"] = f"{table}.{col} must not be negative"
        else:
            CONSTRAINT_TEXT[f"{table}_{col}_allowed"] = f"{table}.{col} must be one of {', '.join(arg)}"
    for t in LAYERS:
        if t.geometry and t.geometry.endswith("Z"):
            CONSTRAINT_TEXT[f"{t.name}_geom_3d"] = f"{t.name} geometries must have z (3D)"
        CONSTRAINT_TEXT[f"{t.name}_geom_valid"] = f"{t.name} geometries must be valid"
    for t in TABLES:
        for f in t.fields:
            if f.domain:
                code_table = CODE_TABLE_OF_DOMAIN[f.domain]
                CONSTRAINT_TEXT[f"{t.name}_{f.name}_fkey"] = (
                    f"{t.name}.{f.name} must be a code listed in {code_table}")
        if t.field("subcategory") and t.field("category") and t.kind == "layer":
            CONSTRAINT_TEXT[f"{t.name}_subcategory_category_fkey"] = (
                f"{t.name}.subcategory must be a sub-category of its category (code_subcategory)")


_constraint_text()


# --- composing SQL ----------------------------------------------------------------------------------------------

def _sql() -> Any:
    return psycopg2_module().sql


def literal_default(text: str) -> Any:
    """A :class:`core.schema.Field` default (an SQL literal such as ``'internal'`` or ``1``) as ``sql.Literal``."""
    sql = _sql()
    t = text.strip()
    if len(t) >= 2 and t[0] == t[-1] == "'":
        return sql.Literal(t[1:-1].replace("''", "'"))
    try:
        return sql.Literal(int(t))
    except ValueError:
        return sql.Literal(float(t))


def geometry_type_sql(geometry: str, srid: int) -> Any:
    sql = _sql()
    names = {"PointZ": "PointZ", "LineStringZ": "LineStringZ", "LineString": "LineString",
             "MultiPolygonZ": "MultiPolygonZ", "MultiLineStringZ": "MultiLineStringZ", "Point": "Point"}
    return sql.SQL("geometry({}, {})").format(sql.SQL(names[geometry]), sql.Literal(int(srid)))


def column_sql(f: Field, table: TableDef | None = None) -> Any:
    sql = _sql()
    parts = [sql.Identifier(f.name), sql.SQL(PG_TYPES[f.type])]
    if not f.nullable:
        parts.append(sql.SQL("NOT NULL"))
    if f.default is not None:
        parts.append(sql.SQL("DEFAULT {}").format(literal_default(f.default)))
    return sql.SQL(" ").join(parts)


def _check_sql(table: str, col: str, kind: str, arg: Any) -> Any:
    sql = _sql()
    ident = sql.Identifier(col)
    if kind == "positive":
        name, expr = f"{table}_{col}_positive", sql.SQL("{} > 0").format(ident)
    elif kind == "not_negative":
        name, expr = f"{table}_{col}_not_negative", sql.SQL("{} >= 0").format(ident)
    else:
        name = f"{table}_{col}_allowed"
        expr = sql.SQL("{} IN ({})").format(ident, sql.SQL(", ").join(sql.Literal(v) for v in arg))
    return sql.SQL("CONSTRAINT {} CHECK ({})").format(sql.Identifier(name), expr)


def create_table_sql(schema_name: str, t: TableDef, srid: int | None) -> list[Any]:
    """``CREATE TABLE`` (columns, keys, checks) and its comments; foreign keys come after the rows
    (:func:`foreign_key_sql`): one validating join is much faster than a lookup per copied row."""
    sql = _sql()
    qualified = sql.Identifier(schema_name, t.name)
    items = [sql.SQL("{} serial PRIMARY KEY").format(sql.Identifier(t.pk))]
    items += [column_sql(f, t) for f in t.fields]
    if t.geometry:
        if srid is None:
            raise ValueError(f"{t.name} needs an SRID")
        items.append(sql.SQL("geom {}").format(geometry_type_sql(t.geometry, srid)))
    for f in t.fields:
        if f.unique:
            items.append(sql.SQL("CONSTRAINT {} UNIQUE ({})").format(sql.Identifier(f"{t.name}_{f.name}_key"),
                                                                      sql.Identifier(f.name)))
    if t.name == "code_subcategory":
        items.append(sql.SQL("CONSTRAINT code_subcategory_code_category_key UNIQUE (code, category)"))
    for (table, col), (kind, arg) in CHECKS.items():
        if table == t.name and t.field(col):
            items.append(_check_sql(table, col, kind, arg))
    if t.geometry:
        if t.geometry.endswith("Z"):
            items.append(sql.SQL("CONSTRAINT {} CHECK (ST_NDims(geom) = 3)").format(
                sql.Identifier(f"{t.name}_geom_3d")))
        # ST_IsValid works in 2D: a vertical segment (same x/y, different z) is valid in 3D and allowed
        items.append(sql.SQL("CONSTRAINT {} CHECK (ST_IsValid(geom) OR (ST_Length(geom) = 0 AND "
                             "ST_3DLength(geom) > 0 AND ST_3DLength(geom) < 'Infinity'::float8))").format(
            sql.Identifier(f"{t.name}_geom_valid")))
    out = [sql.SQL("CREATE TABLE {} (\n  {}\n)").format(qualified, sql.SQL(",\n  ").join(items))]
    if t.description:
        out.append(sql.SQL("COMMENT ON TABLE {} IS {}").format(qualified, sql.Literal(t.description)))
    for f in t.fields:
        if f.description:
            out.append(sql.SQL("COMMENT ON COLUMN {} IS {}").format(sql.Identifier(schema_name, t.name, f.name),
                                                                   sql.Literal(f.description)))
    return out


def foreign_key_sql(schema_name: str, t: TableDef) -> list[Any]:
    """``ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY`` for the coded fields (validated when added)."""
    sql = _sql()
    qualified = sql.Identifier(schema_name, t.name)
    out = []

    def add(name: str, columns: tuple[str, ...], table: str, targets: tuple[str, ...]) -> None:
        out.append(sql.SQL("ALTER TABLE {} ADD CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({}) ON UPDATE CASCADE"
                           ).format(qualified, sql.Identifier(name), sql.SQL(", ").join(map(sql.Identifier, columns)),
                                    sql.Identifier(schema_name, table),
                                    sql.SQL(", ").join(map(sql.Identifier, targets))))

    if t.name == "code_subcategory":
        add("code_subcategory_category_fkey", ("category",), "code_category", ("code",))
    for f in t.fields:
        if f.domain:
            add(f"{t.name}_{f.name}_fkey", (f.name,), CODE_TABLE_OF_DOMAIN[f.domain], ("code",))
    if t.kind == "layer" and t.field("subcategory") and t.field("category"):
        add(f"{t.name}_subcategory_category_fkey", ("subcategory", "category"), "code_subcategory",
            ("code", "category"))
    return out


def audit_table_sql(schema_name: str) -> list[Any]:
    sql = _sql()
    qualified = sql.Identifier(schema_name, AUDIT_TABLE)
    return [
        sql.SQL("""CREATE TABLE {} (
  id bigserial PRIMARY KEY,
  changed_at timestamptz NOT NULL DEFAULT now(),
  changed_by text NOT NULL DEFAULT current_user,
  login_user text NOT NULL DEFAULT session_user,
  application text DEFAULT current_setting('application_name', true),
  client_addr inet DEFAULT inet_client_addr(),
  transaction_id bigint DEFAULT txid_current(),
  table_name text NOT NULL,
  operation text NOT NULL CONSTRAINT audit_log_operation_allowed
    CHECK (operation IN ('INSERT', 'UPDATE', 'DELETE', 'CREATE', 'LOAD', 'IMPORT')),
  row_fid bigint,
  feature_key text,
  version bigint,
  old_values jsonb,
  new_values jsonb
)""").format(qualified),
        sql.SQL("CREATE INDEX audit_log_row_idx ON {} (table_name, row_fid, id)").format(qualified),
        sql.SQL("COMMENT ON TABLE {} IS {}").format(qualified, sql.Literal(
            "Who changed what and when: one row per inserted, updated or deleted row (triggers pipemap_audit); "
            "UPDATE rows hold only the changed columns. Editors need INSERT and SELECT, never UPDATE/DELETE.")),
    ]


_TOUCH_BODY = """
DECLARE
  feature text;
  last_by text;
  last_at timestamptz;
BEGIN
  IF TG_OP = 'INSERT' THEN
    NEW.version := COALESCE(NEW.version, 1);
    NEW.modified_at := COALESCE(NEW.modified_at, now());
    RETURN NEW;
  END IF;
  -- optimistic locking: an UPDATE that sets version states the version it read;
  -- an UPDATE that leaves version alone (QGIS, plain SQL) is not checked
  IF NEW.version IS DISTINCT FROM OLD.version THEN
    feature := COALESCE(to_jsonb(OLD) ->> TG_ARGV[0], 'fid ' || OLD.fid::text);
    SELECT a.changed_by, a.changed_at INTO last_by, last_at FROM {audit} a
      WHERE a.table_name = TG_TABLE_NAME AND a.row_fid = OLD.fid ORDER BY a.id DESC LIMIT 1;
    RAISE EXCEPTION USING
      ERRCODE = '{sqlstate}',
      MESSAGE = format('stale edit refused: %s %s is at version %s (last changed by %s at %s); '
                       'the edit was based on version %s',
                       TG_TABLE_NAME, feature, OLD.version, COALESCE(last_by, 'unknown'),
                       COALESCE(to_char(COALESCE(last_at, OLD.modified_at) AT TIME ZONE 'UTC',
                                        'YYYY-MM-DD HH24:MI:SS') || ' UTC', 'an unknown time'),
                       NEW.version),
      DETAIL = json_build_object('table', TG_TABLE_NAME, 'fid', OLD.fid, 'feature', feature,
                                 'version', OLD.version, 'expected', NEW.version, 'changed_by', last_by,
                                 'changed_at', COALESCE(last_at, OLD.modified_at))::text,
      HINT = 'Reload the feature and make the edit again.';
  END IF;
  NEW.version := OLD.version + 1;
  NEW.modified_at := now();
  RETURN NEW;
END
"""

_AUDIT_BODY = """
DECLARE
  r jsonb;
  old_v jsonb;
  new_v jsonb;
BEGIN
  IF TG_OP = 'DELETE' THEN
    r := to_jsonb(OLD);
    old_v := r;
  ELSIF TG_OP = 'INSERT' THEN
    r := to_jsonb(NEW);
    new_v := r;
  ELSE
    r := to_jsonb(NEW);
    old_v := to_jsonb(OLD);
    SELECT COALESCE(jsonb_object_agg(k, old_v -> k), '{{}}'::jsonb),
           COALESCE(jsonb_object_agg(k, r -> k), '{{}}'::jsonb)
      INTO old_v, new_v
      FROM jsonb_object_keys(r) AS k WHERE (old_v -> k) IS DISTINCT FROM (r -> k);
  END IF;
  INSERT INTO {audit} (table_name, operation, row_fid, feature_key, version, old_values, new_values)
  VALUES (TG_TABLE_NAME, TG_OP, (r ->> TG_ARGV[1])::bigint,
          CASE WHEN TG_ARGV[0] = '' THEN NULL ELSE r ->> TG_ARGV[0] END,
          (r ->> 'version')::bigint, old_v, new_v);
  RETURN NULL;
END
"""


def functions_sql(schema_name: str, con: Any) -> list[Any]:
    """The trigger functions, created in the map's schema (bodies reference its audit table)."""
    sql = _sql()
    audit = sql.Identifier(schema_name, AUDIT_TABLE).as_string(con)
    out = []
    for name, body in (("pipemap_touch", _TOUCH_BODY), ("pipemap_audit", _AUDIT_BODY)):
        text = body.replace("{audit}", audit).replace("{sqlstate}", STALE_EDIT_SQLSTATE).replace("{{}}", "{}")
        out.append(sql.SQL("CREATE FUNCTION {}() RETURNS trigger LANGUAGE plpgsql AS {}").format(
            sql.Identifier(schema_name, name), sql.Literal(text)))
    return out


def index_sql(schema_name: str, t: TableDef) -> list[Any]:
    sql = _sql()
    if not t.geometry:
        return []
    return [sql.SQL("CREATE INDEX {} ON {} USING gist (geom)").format(
        sql.Identifier(f"{t.name}_geom_idx"), sql.Identifier(schema_name, t.name))]


def trigger_sql(schema_name: str, t: TableDef) -> list[Any]:
    sql = _sql()
    qualified = sql.Identifier(schema_name, t.name)
    out = []
    if t.versioned:
        out.append(sql.SQL("CREATE TRIGGER pipemap_touch BEFORE INSERT OR UPDATE ON {} FOR EACH ROW "
                           "EXECUTE FUNCTION {}({})").format(qualified, sql.Identifier(schema_name, "pipemap_touch"),
                                                             sql.Literal(t.key or "")))
    out.append(sql.SQL("CREATE TRIGGER pipemap_audit AFTER INSERT OR UPDATE OR DELETE ON {} FOR EACH ROW "
                       "EXECUTE FUNCTION {}({}, {})").format(qualified, sql.Identifier(schema_name, "pipemap_audit"),
                                                             sql.Literal(t.key or ""), sql.Literal(t.pk)))
    return out


def analyze_sql(schema_name: str, t: TableDef) -> Any:
    sql = _sql()
    return sql.SQL("ANALYZE {}").format(sql.Identifier(schema_name, t.name))


def serial_reset_sql(schema_name: str, t: TableDef, con: Any) -> Any:
    """Move the table's key sequence past the largest key (after rows were copied with their keys)."""
    sql = _sql()
    table_text = sql.Identifier(schema_name, t.name).as_string(con)
    return sql.SQL("SELECT setval(pg_get_serial_sequence({}, {}), GREATEST((SELECT max({}) FROM {}), 0) + 1, false)"
                   ).format(sql.Literal(table_text), sql.Literal(t.pk), sql.Identifier(t.pk),
                            sql.Identifier(schema_name, t.name))
