"""Fixtures for PostGIS tests: a real throw-away PostgreSQL + PostGIS cluster, started once per session."""

from __future__ import annotations

import pipemap_test_pgsupport as support  # (loaded by tests/conftest.py)
import pytest


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
