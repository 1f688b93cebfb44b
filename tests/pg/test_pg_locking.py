"""Multi-user safety on a real PostGIS: versions, stale edits refused, audit rows (who/what/when)."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from pipemap_test_pgsupport import connect

from pipemap.core.pg import mapdb, transfer
from pipemap.core.pg.mapdb import ConflictError


@pytest.fixture
def shared_map(imported_district, pg_map, postgis):
    """The sample district in PostGIS, editable by the roles alice and bob."""
    transfer.transfer(imported_district[0], pg_map)
    admin = connect(postgis)
    with admin.cursor() as cur:
        for role in ("alice", "bob"):
            cur.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (role,))
            if cur.fetchone() is None:
                cur.execute(f"CREATE ROLE {role} LOGIN")
    admin.commit()
    for role in ("alice", "bob"):
        mapdb.grant_access(admin, pg_map.schema, role)
    with admin.cursor() as cur:
        cur.execute(f'SELECT seg_id FROM "{pg_map.schema}".pipe_segment ORDER BY fid LIMIT 1')
        seg = cur.fetchone()[0]
    admin.close()
    return pg_map, seg


def _row(con, schema, seg):
    with con.cursor() as cur:
        cur.execute(f'SELECT version, remark, modified_at FROM "{schema}".pipe_segment WHERE seg_id = %s', (seg,))
        row = cur.fetchone()
    con.rollback()
    return row


def test_second_stale_edit_is_refused(shared_map, postgis):
    pg_map, seg = shared_map
    alice = connect(postgis, user="alice", application_name="QGIS alice")
    bob = connect(postgis, user="bob")
    v_alice = _row(alice, pg_map.schema, seg)[0]
    v_bob = _row(bob, pg_map.schema, seg)[0]
    assert v_alice == v_bob == 1
    assert mapdb.update_segment(alice, pg_map.schema, seg, {"remark": "alice was here"}, v_alice) == 2
    with pytest.raises(ConflictError) as err:
        mapdb.update_segment(bob, pg_map.schema, seg, {"remark": "bob overwrites"}, v_bob)
    text = str(err.value)
    assert seg in text and "alice" in text and "version 2" in text and "version 1" in text
    assert "refused" in text and "UTC" in text
    assert err.value.changed_by == "alice" and err.value.version == 2
    assert _row(bob, pg_map.schema, seg)[:2] == (2, "alice was here")
    # after reloading, bob's edit goes through
    assert mapdb.update_segment(bob, pg_map.schema, seg, {"remark": "bob, reloaded"}, 2) == 3
    alice.close()
    bob.close()


def test_concurrent_edits_one_waits_then_is_refused(shared_map, postgis):
    """alice holds the row in an open transaction; bob's edit waits for it and is then refused."""
    pg_map, seg = shared_map
    alice = connect(postgis, user="alice")
    bob = connect(postgis, user="bob")
    mapdb.update_segment(alice, pg_map.schema, seg, {"remark": "alice"}, 1, commit=False)
    outcome = {}

    def bob_edits():
        try:
            outcome["version"] = mapdb.update_segment(bob, pg_map.schema, seg, {"remark": "bob"}, 1)
        except ConflictError as exc:
            outcome["error"] = exc

    worker = threading.Thread(target=bob_edits)
    worker.start()
    time.sleep(0.5)
    assert worker.is_alive()  # blocked on alice's row lock
    alice.commit()
    worker.join(10)
    assert "version" not in outcome
    assert outcome["error"].changed_by == "alice"
    assert _row(alice, pg_map.schema, seg)[:2] == (2, "alice")
    alice.close()
    bob.close()


def test_plain_sql_stale_update_is_refused_by_the_trigger(shared_map, postgis):
    import psycopg2

    pg_map, seg = shared_map
    bob = connect(postgis, user="bob")
    with bob.cursor() as cur:
        # an edit that does not state a version (what QGIS sends) is not checked but is versioned
        cur.execute(f'UPDATE "{pg_map.schema}".pipe_segment SET remark = %s WHERE seg_id = %s', ("blind", seg))
    bob.commit()
    version, remark, stamp = _row(bob, pg_map.schema, seg)
    assert (version, remark) == (2, "blind")
    assert abs((dt.datetime.now(dt.timezone.utc) - stamp).total_seconds()) < 60
    with pytest.raises(psycopg2.Error) as err:
        with bob.cursor() as cur:
            cur.execute(f'UPDATE "{pg_map.schema}".pipe_segment SET remark = %s, version = 1 WHERE seg_id = %s',
                        ("stale", seg))
    bob.rollback()
    assert err.value.pgcode == "PM409"
    assert "stale edit refused" in str(err.value) and seg in str(err.value) and "bob" in str(err.value)
    assert _row(bob, pg_map.schema, seg)[:2] == (2, "blind")
    bob.close()


def test_audit_records_who_what_when(shared_map, postgis):
    pg_map, seg = shared_map
    alice = connect(postgis, user="alice", application_name="QGIS 3.22 alice")
    mapdb.update_segment(alice, pg_map.schema, seg, {"remark": "new remark", "dn_mm": 250.0}, 1)
    with alice.cursor() as cur:
        cur.execute(f'DELETE FROM "{pg_map.schema}".pipe_point WHERE fid = 1 RETURNING point_id')
        point_id = cur.fetchone()[0]
    alice.commit()
    admin = connect(postgis)
    with admin.cursor() as cur:
        cur.execute(f'SELECT changed_at, changed_by, application, table_name, operation, feature_key, version, '
                    f'old_values, new_values FROM "{pg_map.schema}".audit_log WHERE operation <> %s ORDER BY id',
                    ("LOAD",))
        rows = cur.fetchall()
    admin.close()
    assert len(rows) == 2
    when, who, app, table, op, key, version, old, new = rows[0]
    assert (who, app, table, op, key, version) == ("alice", "QGIS 3.22 alice", "pipe_segment", "UPDATE", seg, 2)
    assert abs((dt.datetime.now(dt.timezone.utc) - when).total_seconds()) < 60
    assert new["remark"] == "new remark" and new["dn_mm"] == 250.0 and new["version"] == 2
    assert old["version"] == 1 and "seg_id" not in new  # only what changed
    when, who, app, table, op, key, version, old, new = rows[1]
    assert (who, table, op, key) == ("alice", "pipe_point", "DELETE", point_id)
    assert old["point_id"] == point_id and new is None
    # editors may add audit rows (the triggers do) but never change or remove them
    import psycopg2

    with pytest.raises(psycopg2.errors.InsufficientPrivilege):
        with alice.cursor() as cur:
            cur.execute(f'DELETE FROM "{pg_map.schema}".audit_log')
    alice.rollback()
    alice.close()


def test_update_helper_errors(shared_map, postgis):
    from pipemap.core.errors import InputError

    pg_map, seg = shared_map
    con = connect(postgis, user="alice")
    with pytest.raises(InputError, match="no pipe_segment NOPE"):
        mapdb.update_segment(con, pg_map.schema, "NOPE", {"remark": "x"}, 1)
    with pytest.raises(InputError, match="version"):
        mapdb.update_segment(con, pg_map.schema, seg, {"version": 7}, 1)
    with pytest.raises(InputError, match="no editable column"):
        mapdb.update_segment(con, pg_map.schema, seg, {'remark"; DROP TABLE x;--': 1}, 1)
    from pipemap.core.errors import OutputError

    with pytest.raises(OutputError, match="dn_mm must be more than 0"):
        mapdb.update_segment(con, pg_map.schema, seg, {"dn_mm": -1}, 1)
    # the connection is still usable after each refusal
    assert mapdb.update_segment(con, pg_map.schema, seg, {"geom": "LINESTRING Z (0 0 5, 10 0 4.5)"}, 1) == 2
    con.close()
