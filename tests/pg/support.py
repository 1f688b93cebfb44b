"""Shared by tests/pg and tests/qgis/test_pg_*: one throw-away PostGIS per pytest process.

The database is a real PostgreSQL + PostGIS cluster started by
``scripts/pgcluster.py`` (or, with ``PIPEMAP_TEST_PG`` set to a libpq
connection string, an existing database, e.g. a CI service container).
Without PostgreSQL the tests are skipped -- except under ``CI=true``, where
that is a failure.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import uuid
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
DBNAME = "pipemap_test"
_state: dict[str, Any] = {}


def _load(name: str, path: Path) -> Any:
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def pgcluster() -> Any:
    return _load("pipemap_pgcluster", ROOT / "scripts" / "pgcluster.py")


def _unavailable(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true but PostGIS tests cannot run: {reason}", pytrace=False)
    pytest.skip(reason)


def database() -> dict[str, Any]:
    """Connection keywords of the session's test database (PostGIS enabled); skips or fails when impossible."""
    if "params" in _state:
        return dict(_state["params"])
    if "error" in _state:
        _unavailable(_state["error"])
    external = os.environ.get("PIPEMAP_TEST_PG")
    try:
        import psycopg2
        from psycopg2.extensions import parse_dsn
    except ImportError:
        _state["error"] = "psycopg2 is not importable (apt install python3-psycopg2)"
        _unavailable(_state["error"])
    if external:
        params = parse_dsn(external)
        con = psycopg2.connect(**params)
        con.autocommit = True
        with con.cursor() as cur:
            cur.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        con.close()
    else:
        module = pgcluster()
        ok, reason = module.availability()
        if not ok:
            _state["error"] = reason
            _unavailable(reason)
        cluster = module.PgCluster()
        try:
            cluster.start()
            params = cluster.create_database(DBNAME)
        except Exception as exc:  # noqa: BLE001 - reported as the reason
            cluster.stop()
            _state["error"] = f"the test cluster did not start: {exc}"
            _unavailable(_state["error"])
        _state["cluster"] = cluster
    _state["params"] = params
    return dict(params)


def stop() -> None:
    cluster = _state.pop("cluster", None)
    if cluster is not None:
        cluster.stop()
    _state.pop("params", None)


def unique_schema(prefix: str = "map") -> str:
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def map_string(params: dict[str, Any], schema: str) -> str:
    """A MAP string for a schema of the test database (QGIS URI keys)."""
    from pipemap.core.pg.connect import PgMap

    keys = ("host", "port", "dbname", "user", "password")
    return PgMap(schema, tuple((k, str(params[k])) for k in keys if params.get(k))).uri(with_password=True)


def write_service_file(path: Path, name: str, params: dict[str, Any]) -> Path:
    """A pg_service.conf with one service (what users keep credentials in)."""
    lines = [f"[{name}]"] + [f"{k}={params[k]}" for k in ("host", "port", "dbname", "user", "password")
                             if params.get(k)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def connect(params: dict[str, Any], **extra: Any) -> Any:
    import psycopg2

    con = psycopg2.connect(**{**params, **extra})
    with con.cursor() as cur:
        cur.execute("SET TIME ZONE 'UTC'")
    con.commit()
    return con


def read_gpkg(path: Path) -> dict[str, dict[int, tuple[Any, ...]]]:
    """Every map table of a GeoPackage: {table: {fid: (fields..., geometry as ISO WKB hex)}} (read with OGR)."""
    from osgeo import ogr

    from pipemap.core.pg import schema_sql

    out: dict[str, dict[int, tuple[Any, ...]]] = {}
    ds = ogr.Open(str(path))
    try:
        for t in schema_sql.TABLES:
            layer = ds.GetLayerByName(t.name)
            if layer is None:
                continue
            defn = layer.GetLayerDefn()
            names = [defn.GetFieldDefn(i).GetName() for i in range(defn.GetFieldCount())]
            rows = {}
            for feat in layer:
                values = []
                for i, name in enumerate(names):
                    if not feat.IsFieldSetAndNotNull(i):
                        values.append((name, None))
                    elif defn.GetFieldDefn(i).GetType() in (ogr.OFTDate, ogr.OFTDateTime):
                        values.append((name, tuple(feat.GetFieldAsDateTime(i))))
                    else:
                        values.append((name, feat.GetField(i)))
                geom = feat.GetGeometryRef()
                values.append(("geom", geom.ExportToIsoWkb().hex() if geom is not None else None))
                rows[feat.GetFID()] = tuple(values)
            out[t.name] = rows
    finally:
        ds = None  # noqa: F841
    return out


def gpkg_differences(a: Path, b: Path, ignore: tuple[str, ...] = ()) -> list[str]:
    """Human-readable differences between two maps' tables (empty when equal)."""
    ta, tb = read_gpkg(a), read_gpkg(b)
    diffs = []
    for table in sorted(set(ta) | set(tb)):
        if table in ignore:
            continue
        ra, rb = ta.get(table, {}), tb.get(table, {})
        if set(ra) != set(rb):
            diffs.append(f"{table}: fids {sorted(set(ra) ^ set(rb))[:10]} only on one side")
        for fid in sorted(set(ra) & set(rb)):
            if ra[fid] != rb[fid]:
                da, db = dict(ra[fid]), dict(rb[fid])
                cols = [k for k in set(da) | set(db) if da.get(k) != db.get(k)]
                diffs.append(f"{table} fid {fid}: " + ", ".join(f"{k}: {da.get(k)!r} != {db.get(k)!r}"
                                                                for k in sorted(cols)))
    return diffs
