"""PostGIS map strings and connections.

A PostGIS map is a **schema** in a PostgreSQL database. ``MAP`` (and the
``OUTPUT`` of ``pipemap:createmap`` / ``pipemap:transfer``) names it with a
QGIS data-source URI plus the schema::

    service=city schema=pipes_2024
    dbname='gis' host=db.example.org port=5432 user='alice' sslmode=require schema='管线'
    dbname='gis' host=db authcfg=ab12cd3 schema=pipes            (QGIS authentication config)
    dbname='gis' ... table="pipes"."pipe_segment" (geom)          (a layer's source: its schema is used)

Values may be quoted with ``'...'`` (backslash escapes ``\\'`` and ``\\\\``,
as QGIS writes them); ``PG:`` (GDAL style, ``active_schema=`` works too) is
accepted in front. Credentials belong in a pg_service file
(``PGSERVICEFILE`` or ``~/.pg_service.conf``, used through ``service=``), a
``~/.pgpass`` file or a QGIS authentication config (``authcfg=``, expanded
by the Processing layer with QGIS's authentication manager before core is
called); a ``password=`` given in the string works but is never shown:
:meth:`PgMap.display` and ``repr`` leave it out.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from typing import Any

from ..errors import InputError, OutputError, PipeMapError
from ..version import __version__

#: libpq connection keywords passed on to psycopg2 (other QGIS URI keys -- key, srid, type, table,
#: estimatedmetadata, checkPrimaryKeyUnicity, sql ... -- describe a layer and are ignored)
LIBPQ_KEYS = (
    "service", "host", "hostaddr", "port", "dbname", "user", "password", "passfile", "sslmode", "sslcert", "sslkey",
    "sslrootcert", "sslcrl", "sslpassword", "sslcompression", "requiressl", "gssencmode", "krbsrvname",
    "channel_binding", "connect_timeout", "options", "target_session_attrs", "application_name", "keepalives",
    "keepalives_idle", "keepalives_interval", "keepalives_count", "client_encoding",
)
#: keys that say "this string is a database connection, not a file name"
_CONNECTION_HINTS = ("service", "dbname", "host", "hostaddr", "port", "user", "authcfg", "schema", "active_schema",
                     "sslmode", "table")
_SSLMODES = {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"}
#: QGIS's enum names for sslmode (old project files)
_QGIS_SSLMODES = {"ssldisable": "disable", "sslallow": "allow", "sslprefer": "prefer", "sslrequire": "require",
                  "sslverifyca": "verify-ca", "sslverifyfull": "verify-full"}
#: schemas a map may never be (creating a map with OVERWRITE drops the schema)
RESERVED_SCHEMAS = {"public", "information_schema", "topology", "tiger", "tiger_data", "postgis"}
MAX_IDENTIFIER_BYTES = 63

_KEY_RE = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*")
_HINT_RE = re.compile(r"^\s*(?:PG:)?\s*(?:" + "|".join(_CONNECTION_HINTS) + r")\s*=", re.IGNORECASE)


@dataclass(frozen=True)
class PgMap:
    """A PostGIS map: connection keywords plus the map's schema.

    ``params`` may hold a password; it is never part of :meth:`display`,
    :meth:`uri` (unless asked) or ``repr``.
    """

    schema: str
    params: tuple[tuple[str, str], ...] = ()
    authcfg: str = ""
    table: str = ""  #: the table when the string was a layer source
    extra: tuple[tuple[str, str], ...] = field(default=(), compare=False)  #: other URI keys, kept for display

    def get(self, key: str, default: str = "") -> str:
        for k, v in self.params:
            if k == key:
                return v
        return default

    def kwargs(self) -> dict[str, str]:
        """psycopg2 / libpq keyword arguments (password included)."""
        return dict(self.params)

    def with_params(self, **values: str | None) -> PgMap:
        """A copy with connection keywords set (``None`` removes one)."""
        params = dict(self.params)
        for key, value in values.items():
            if value is None or value == "":
                params.pop(key, None)
            else:
                params[key] = str(value)
        return replace(self, params=tuple(params.items()))

    def with_schema(self, schema: str) -> PgMap:
        return replace(self, schema=schema, table="")

    def display(self) -> str:
        """The map as a user may see it in a log: no password."""
        return self.uri(with_password=False)

    def uri(self, with_password: bool = False) -> str:
        """A MAP string (QGIS URI keys, quoted) that :func:`parse_map` reads back."""
        parts = [f"{k}={quote_value(v)}" for k, v in self.params if with_password or k != "password"]
        if self.authcfg:
            parts.append(f"authcfg={quote_value(self.authcfg)}")
        parts.append(f"schema={quote_value(self.schema)}")
        return " ".join(parts)

    def __repr__(self) -> str:
        return f"PgMap({self.display()!r})"

    __str__ = display


def quote_value(value: str) -> str:
    """Quote a URI value the way QGIS does (``'`` and ``\\`` escaped) when needed."""
    if value and re.fullmatch(r"[A-Za-z0-9_.:/@+-]+", value):
        return value
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


def is_postgis_map(value: Any) -> bool:
    """True when ``value`` names a PostGIS map rather than a GeoPackage file.

    A string that is an existing file or ends in ``.gpkg`` with no
    ``key=value`` connection syntax is a GeoPackage; ``service=...``,
    ``dbname=...``, ``host=...``, ``schema=...``, ``PG:...`` are PostGIS.
    """
    if value is None:
        return False
    text = os.fspath(value) if isinstance(value, os.PathLike) else value
    if not isinstance(text, str) or not text.strip():
        return False
    if os.path.exists(text):
        return False
    return bool(_HINT_RE.match(text))


def _read_quoted(text: str, pos: int, quote: str) -> tuple[str, int]:
    """Read a quoted value starting at ``text[pos] == quote``; backslash escapes."""
    out = []
    i = pos + 1
    while i < len(text):
        ch = text[i]
        if ch == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if ch == quote:
            if quote == '"' and i + 1 < len(text) and text[i + 1] == '"':  # SQL-style doubled quote
                out.append('"')
                i += 2
                continue
            return "".join(out), i + 1
        out.append(ch)
        i += 1
    raise InputError("The PostGIS map string has an unterminated {quote} quote.", code="pg.uri", quote=quote)


def _read_table(text: str, pos: int) -> tuple[tuple[str, str], int]:
    """``"schema"."table" (geom)`` or ``"table"`` -> ((schema, table), end)."""
    names = []
    i = pos
    while True:
        if i < len(text) and text[i] == '"':
            name, i = _read_quoted(text, i, '"')
        else:
            m = re.compile(r"[^\s.\"]+").match(text, i)
            if not m:
                break
            name, i = m.group(0), m.end()
        names.append(name)
        if i < len(text) and text[i] == ".":
            i += 1
            continue
        break
    m = re.compile(r"\s*\([^)]*\)").match(text, i)  # the geometry column
    if m:
        i = m.end()
    if not names:
        raise InputError("The PostGIS map string has an empty table=.", code="pg.uri")
    return ((names[-2] if len(names) > 1 else "", names[-1])), i


def _tokens(text: str) -> list[tuple[str, str]]:
    items: list[tuple[str, str]] = []
    pos = 0
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        m = _KEY_RE.match(text, pos)
        if not m:
            raise InputError("Cannot read the PostGIS map string near {near!r}: write key=value pairs such as "
                             "service=NAME schema=NAME.", code="pg.uri", near=text[pos:pos + 20])
        key, pos = m.group(1), m.end()
        if key.lower() == "table":
            (schema, table), pos = _read_table(text, pos)
            items.append(("table.schema", schema))
            items.append(("table", table))
            continue
        if pos < len(text) and text[pos] in "'\"":
            value, pos = _read_quoted(text, pos, text[pos])
        else:
            m2 = re.compile(r"\S*").match(text, pos)
            value, pos = (m2.group(0), m2.end()) if m2 else ("", pos)
        items.append((key, value))
    return items


def parse_map(text: str, require_schema: bool = True) -> PgMap:
    """Read a PostGIS MAP string.

    :raises InputError: unreadable string, no schema, an invalid port/sslmode
        or a schema name PostgreSQL cannot hold.
    """
    raw = (text or "").strip()
    if raw[:3].upper() == "PG:":
        raw = raw[3:]
    params: dict[str, str] = {}
    extra: list[tuple[str, str]] = []
    schema = ""
    table_schema = ""
    table = ""
    authcfg = ""
    for key, value in _tokens(raw):
        low = key.lower()
        if low in ("schema", "active_schema"):
            schema = value
        elif low == "table.schema":
            table_schema = value
        elif low == "table":
            table = value
        elif low == "authcfg":
            authcfg = value
        elif low in LIBPQ_KEYS:
            params[low] = value
        else:
            extra.append((key, value))
    schema = schema or table_schema
    if "sslmode" in params:
        mode = _QGIS_SSLMODES.get(params["sslmode"].lower(), params["sslmode"].lower())
        if mode not in _SSLMODES:
            raise InputError("Unknown sslmode {mode!r} in the PostGIS map string (use one of {modes}).",
                             code="pg.uri", mode=params["sslmode"], modes=", ".join(sorted(_SSLMODES)))
        params["sslmode"] = mode
    if "port" in params and not params["port"].isdigit():
        raise InputError("The port {port!r} in the PostGIS map string is not a number.", code="pg.uri",
                         port=params["port"])
    pgmap = PgMap(schema=schema, params=tuple(params.items()), authcfg=authcfg, table=table, extra=tuple(extra))
    if require_schema:
        if not schema:
            raise InputError("The PostGIS map {map} names no schema: add schema=NAME (a map is a schema).",
                             code="pg.no_schema", map=pgmap.display())
        check_schema_name(schema)
    return pgmap


def check_schema_name(name: str) -> str:
    """Refuse schema names PostgreSQL would truncate or that must never hold a map.

    Any other name (quotes, semicolons, Chinese...) is fine: identifiers are
    always quoted.
    """
    if not name or not name.strip():
        raise InputError("The map's schema name is empty.", code="pg.schema_name", schema=name)
    if "\x00" in name:
        raise InputError("The schema name {schema!r} contains a NUL character.", code="pg.schema_name", schema=name)
    if len(name.encode("utf-8")) > MAX_IDENTIFIER_BYTES:
        raise InputError("The schema name {schema!r} is longer than PostgreSQL's {n} bytes (UTF-8).",
                         code="pg.schema_name", schema=name, n=MAX_IDENTIFIER_BYTES)
    if name in RESERVED_SCHEMAS or name.lower().startswith("pg_"):
        raise InputError("The schema {schema!r} cannot hold a map (reserved by PostgreSQL or PostGIS); choose "
                         "another name.", code="pg.schema_reserved", schema=name)
    return name


def psycopg2_module() -> Any:
    """Import psycopg2 (lazily: GeoPackage users never need it)."""
    try:
        import psycopg2
        import psycopg2.errors  # noqa: F401
        import psycopg2.extras  # noqa: F401
        import psycopg2.sql  # noqa: F401
    except ImportError:
        raise InputError("PostGIS maps need the Python package psycopg2 (Debian/Ubuntu: apt install "
                         "python3-psycopg2; elsewhere: pip install psycopg2-binary).", code="pg.no_driver") from None
    return psycopg2


def connect(pgmap: PgMap, autocommit: bool = False) -> Any:
    """Open a psycopg2 connection to the map's database (time zone UTC).

    ``application_name`` is ``PipeMap <version>`` unless the string sets it;
    the audit table records it.

    :raises InputError: the database cannot be reached (the reason from libpq,
        which never contains the password).
    """
    psycopg2 = psycopg2_module()
    kwargs = pgmap.kwargs()
    kwargs.setdefault("application_name", f"PipeMap {__version__}")
    kwargs.setdefault("connect_timeout", "15")
    try:
        con = psycopg2.connect(**kwargs)
    except psycopg2.Error as exc:
        reason = " ".join(str(exc).split())
        hint = ""
        if pgmap.authcfg:
            hint = f" (the QGIS authentication config {pgmap.authcfg} is only available inside QGIS)"
        raise InputError("Cannot connect to the PostGIS map {map}: {reason}{hint}", code="pg.connect",
                         map=pgmap.display(), reason=reason, hint=hint) from None
    con.autocommit = autocommit
    with con.cursor() as cur:
        cur.execute("SET TIME ZONE 'UTC'")
    if not autocommit:
        con.commit()
    return con


# --- a connection the server dropped ----------------------------------------------------------------------------------

#: SQLSTATEs of a session the server ended: administrator command (pg_terminate_backend), crash or fast
#: shutdown, cannot connect now, idle-in-transaction and idle-session timeouts; class 08 is a connection exception
_LOST_SQLSTATES = ("57P01", "57P02", "57P03", "25P03", "57P05")


def connection_lost(exc: BaseException, con: Any = None) -> bool:
    """True when ``exc`` (a psycopg2 error) means the session is gone -- the server ended it, or the network
    dropped it -- rather than a statement being refused. The server rolls a lost session's open transaction
    back itself."""
    psycopg2 = psycopg2_module()
    if not isinstance(exc, psycopg2.Error):
        return False
    if con is not None and getattr(con, "closed", 0):
        return True
    if isinstance(exc, psycopg2.InterfaceError):
        return True
    code = getattr(exc, "pgcode", None) or ""
    return code in _LOST_SQLSTATES or code.startswith("08") or (isinstance(exc, psycopg2.OperationalError)
                                                                and not code)


def rollback_quietly(con: Any) -> None:
    """Roll back the open transaction, if the connection is still there to do it (a dropped session has
    been rolled back by the server; trying would raise ``InterfaceError`` over the error being handled)."""
    if con is None or getattr(con, "closed", 1):
        return
    try:
        con.rollback()
    except psycopg2_module().Error:
        pass


def lost_reason(exc: BaseException) -> str:
    """The first line of libpq's or the server's text ("terminating connection due to administrator
    command", "server closed the connection unexpectedly", ...)."""
    diag = getattr(exc, "diag", None)
    text = (getattr(diag, "message_primary", None) or str(exc) or type(exc).__name__).strip()
    return (text.splitlines() or [type(exc).__name__])[0].strip()


def lost_error(pgmap: PgMap, exc: BaseException, reading: bool = False, committing: bool = False) -> PipeMapError:
    """The error for a connection lost mid-transaction: names the map, says what became of the work.

    :param reading: the connection only read (a transfer out of the map): nothing was written anywhere.
    :param committing: the connection was lost during ``COMMIT``: the server may have stored the transaction
        before it went (this end cannot know).
    """
    reason = lost_reason(exc)
    if committing:
        return OutputError("The connection to the PostGIS map {map} was lost while the change was being committed "
                           "({reason}): the database may or may not have stored it. Open the map to see which "
                           "before trying again.", code="pg.commit_unknown", map=pgmap.display(), reason=reason)
    if reading:
        return InputError("The connection to the PostGIS map {map} was lost while it was being read ({reason}); "
                          "nothing was written. Try again when the database can be reached.",
                          code="pg.connection_lost", map=pgmap.display(), reason=reason)
    return OutputError("The connection to the PostGIS map {map} was lost ({reason}); the database rolled the "
                       "unfinished transaction back: the map is unchanged. Try again when the database can be "
                       "reached.", code="pg.connection_lost", map=pgmap.display(), reason=reason)


def commit(con: Any, pgmap: PgMap) -> None:
    """``COMMIT`` the map's transaction, telling a lost connection's outcome.

    The transaction's id is read first: a connection already gone then raises :func:`lost_error` (rolled
    back). When the connection is lost during the ``COMMIT`` itself, the server may have stored the
    transaction before it went; a new connection asks ``txid_status``: committed -- this returns normally;
    aborted -- :func:`lost_error` (the map is unchanged); not known -- :func:`lost_error` with ``committing``.
    Any other database error propagates.
    """
    psycopg2 = psycopg2_module()
    try:
        with con.cursor() as cur:
            cur.execute("SELECT txid_current()")
            xid = int(cur.fetchone()[0])
    except psycopg2.Error as exc:
        if connection_lost(exc, con):
            raise lost_error(pgmap, exc) from None
        raise
    try:
        con.commit()
        return
    except psycopg2.Error as exc:
        if not connection_lost(exc, con):
            raise
        lost = exc
    status = transaction_status(pgmap, xid)
    if status == "committed":
        return
    raise lost_error(pgmap, lost, committing=status != "aborted") from None


def transaction_status(pgmap: PgMap, xid: int) -> str | None:
    """``committed``, ``aborted`` or ``in progress`` for a recent transaction id, asked on a new connection
    (None when that fails). A terminated session's transaction is "in progress" until the session has ended:
    waited for up to 5 s."""
    psycopg2 = psycopg2_module()
    try:
        con = connect(pgmap, autocommit=True)
    except (InputError, psycopg2.Error):
        return None
    try:
        with con.cursor() as cur:
            for _ in range(50):  # a terminated backend may still be writing its abort record
                cur.execute("SELECT txid_status(%s)", (xid,))
                status = cur.fetchone()[0]
                if status != "in progress":
                    return status
                cur.execute("SELECT pg_sleep(0.1)")
            return "in progress"
    except psycopg2.Error:
        return None
    finally:
        con.close()
