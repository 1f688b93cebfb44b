"""The columns the network graphs need, read from a PostGIS map (``service=... schema=...``).

The same columns and the same order as :func:`core.network.graph.read_map` reads from a GeoPackage
map (feature id order: a map transferred from a GeoPackage keeps its fids, so node numbers, tie
breaks and outputs are the GeoPackage's), so everything built on them is unchanged.

One connection, one ``REPEATABLE READ`` snapshot for the metadata check and both tables, so the
segments and points come from the same state of a map others may be editing. Each table is one
``COPY (SELECT ...) TO STDOUT`` in text form: the text columns as they are, the numbers as text
(``NaN`` for NULL) and the geometry as hex WKB, decoded column-wise with numpy and shapely.

GDAL's PostgreSQL driver would do too, but it needs the password inside a ``PG:`` string that GDAL
may echo in its own errors; psycopg2 (as :mod:`core.pg.checks` uses) keeps the connection errors
PipeMap's own: they name the map without its password.
"""

from __future__ import annotations

import io
from typing import Any, Sequence

import numpy as np

from ..errors import InputError
from ..pg import mapdb
from ..pg.checks import text_columns
from ..pg.connect import PgMap, connect, psycopg2_module, rollback_quietly


def _read_table(cur: Any, pgmap: PgMap, table: str, text: Sequence[str], real: Sequence[str],
                categories: Sequence[str] | None, have: set[str], point: bool) -> dict[str, Any]:
    sql = psycopg2_module().sql
    cols = [sql.SQL("coalesce({}::text, '')").format(sql.Identifier(n)) if n in have else sql.SQL("''")
            for n in text]
    cols += [sql.SQL("coalesce({}::float8, 'NaN')").format(sql.Identifier(n)) if n in have else sql.SQL("'NaN'")
             for n in real]
    if point:  # the first vertex's plan position is all a point gives the graph
        cols += [sql.SQL("ST_X(ST_GeometryN(ST_Points(geom), 1))"), sql.SQL("ST_Y(ST_GeometryN(ST_Points(geom), 1))")]
    else:
        cols.append(sql.SQL("encode(ST_AsBinary(geom), 'hex')"))
    where = sql.SQL("geom IS NOT NULL AND NOT ST_IsEmpty(geom)")
    if categories is not None:
        where = where + sql.SQL(" AND category IN ({})").format(sql.SQL(", ").join(map(sql.Literal, categories)))
    query = sql.SQL("COPY (SELECT {cols} FROM {table} WHERE {where} ORDER BY fid) TO STDOUT").format(
        cols=sql.SQL(", ").join(cols), table=sql.Identifier(pgmap.schema, table), where=where)
    buf = io.BytesIO()
    cur.copy_expert(query.as_string(cur), buf)
    n_cols = len(cols)
    columns = text_columns(buf.getvalue(), n_cols)
    del buf
    n = len(columns[0]) if columns else 0
    out: dict[str, Any] = {name: columns[k] for k, name in enumerate(text)}
    for k, name in enumerate(real, start=len(text)):
        out[name] = columns[k].astype(float) if n else np.zeros(0)
    if point:
        x = columns[-2].astype(float) if n else np.zeros(0)
        y = columns[-1].astype(float) if n else np.zeros(0)
        out["_xyz"] = np.column_stack([x, y, np.full(n, np.nan)])
        out["_counts"] = np.ones(n, dtype=np.int64)
        return out
    import shapely

    geoms = shapely.from_wkb(columns[-1], on_invalid="ignore") if n else np.zeros(0, dtype=object)
    counts = shapely.get_num_coordinates(geoms) if n else np.zeros(0, dtype=np.int64)
    keep = counts > 0
    if not keep.all():
        out = {k: v[keep] for k, v in out.items()}
        geoms = geoms[keep]
        counts = counts[keep]
    out["_xyz"] = shapely.get_coordinates(geoms, include_z=True) if len(geoms) else np.zeros((0, 3))
    out["_counts"] = np.asarray(counts, dtype=np.int64)
    return out


def _columns(cur: Any, schema_name: str, table: str) -> set[str]:
    cur.execute("SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
                (schema_name, table))
    return {r[0] for r in cur.fetchall()}


def read_layers(target: PgMap | str, segment_columns: tuple[Sequence[str], Sequence[str]],
                point_columns: tuple[Sequence[str], Sequence[str]],
                categories: Sequence[str] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """``pipe_segment`` and ``pipe_point`` of a PostGIS map as :func:`core.network.graph._read_layer` gives
    a GeoPackage's layers: the named text and real columns, ``_xyz`` (V, 3) and ``_counts`` per feature
    (features without a geometry left out), in fid order.

    :param segment_columns: (text, real) column names of ``pipe_segment``; a column the table lacks reads
        as "" (text) or NaN (real), as on a GeoPackage.
    :param categories: only these category codes (already checked; None: all).
    :raises InputError: the database cannot be reached, the schema is missing or not a map, a table is
        missing; every message names the map without its password.
    :raises SchemaError: the map's schema version is not this PipeMap's.
    """
    pgmap = mapdb.as_pgmap(target)
    psycopg2 = psycopg2_module()
    con = connect(pgmap)
    try:
        con.set_session(isolation_level="REPEATABLE READ", readonly=True)
        with con.cursor() as cur:
            meta = mapdb.read_metadata_cur(cur, pgmap.schema, pgmap.display())
            mapdb.check_version(meta, pgmap.display())
            out = []
            for table, (text, real) in (("pipe_segment", segment_columns), ("pipe_point", point_columns)):
                have = _columns(cur, pgmap.schema, table)
                if "geom" not in have:
                    raise InputError("{path} is not an integrated map (no {layer} layer).", code="network.not_pipemap",
                                     path=pgmap.display(), layer=table)
                out.append(_read_table(cur, pgmap, table, text, real, categories, have, table == "pipe_point"))
        con.rollback()
        return out[0], out[1]
    except psycopg2.Error as exc:
        raise mapdb.read_error(pgmap, exc) from None  # names the map; a dropped connection says so
    except ValueError as exc:  # an unexpected COPY layout
        raise InputError("Could not read the PostGIS map {map}: {reason}", code="pg.read", map=pgmap.display(),
                         reason=str(exc)) from None
    finally:
        rollback_quietly(con)
        con.close()


def map_crs_text(target: PgMap | str) -> str:
    """The CRS a PostGIS map records (authority code, else WKT; "" none)."""
    meta = mapdb.read_metadata(target)
    return meta.get("crs_authid") or meta.get("crs_wkt", "")
