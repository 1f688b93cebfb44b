"""Fixtures for PostGIS tests: a real throw-away PostgreSQL + PostGIS cluster, started once per session."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest


def _support():
    name = "pipemap_test_pgsupport"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("support.py"))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


support = _support()


@pytest.fixture(scope="session")
def postgis():
    """Connection keywords (host, port, user, dbname) of a PostGIS-enabled test database.

    Skipped without PostgreSQL/PostGIS; a failure under CI=true.
    """
    yield support.database()


@pytest.fixture
def pg_map(postgis):
    """A PgMap naming a fresh (not yet created) schema in the test database."""
    from pipemap.core.pg.connect import parse_map

    return parse_map(support.map_string(postgis, support.unique_schema()))


def pytest_sessionfinish(session, exitstatus):
    support.stop()
