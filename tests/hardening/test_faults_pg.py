"""A PostGIS connection dropped mid-transaction (issue 10, point 3).

Every path that writes to PostGIS -- ``createmap`` (a new schema and over an
existing map), ``importsurvey`` into a PostGIS map, the transfer GeoPackage ->
PostGIS (a new schema and over an existing map), the versioned edit
(:func:`core.pg.mapdb.update_feature`) -- and the paths that read a map in
one snapshot -- the transfer PostGIS -> GeoPackage (a new file and over an
existing map), the clash check -- lose their connection in the middle of
their transaction. The connection is dropped by the server:

* ``terminate``: a second connection runs ``pg_terminate_backend`` on the
  writer's backend (found by the ``application_name`` its map string sets)
  at a progress event: the first, the middle and the last one at which the
  writer is inside its transaction (``idle in transaction``; the last is just
  before the commit). The events are listed by a dry run of the same
  operation;
* ``blocked``: the writer is terminated while one of its statements runs
  (it waits for a lock another session holds on the target);
* ``idle_timeout``: the server ends the session itself
  (``idle_in_transaction_session_timeout``, set through ``options=`` in the
  map string) while the writer is busy on the client side.

After each: the outcome is a :class:`PipeMapError` naming the map within
the harness's time limit (no psycopg2 traceback, no hang); the target schema
is exactly as before (tables, columns, indexes, triggers and every row --
``audit_log`` included -- and the map's rows in ``public.layer_styles``); a
new schema is absent (the transaction is rolled back whole: a half map is
never visible); the source (GeoPackage SHA-256, or schema digest) is
unchanged; a GeoPackage target folder is byte-identical (no partial or
temporary file); and the same operation then succeeds on a new connection.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pipemap_test_pgsupport as support  # (loaded by tests/conftest.py)
import pytest

from pipemap.core.progress import RecordingProgress

#: small batches, so that the small sample district has progress events in the middle of its streams
BATCH = 150


@pytest.fixture(scope="session")
def pg_params() -> Iterator[dict[str, Any]]:
    """The session's PostGIS test database (shared with tests/pg; skipped without PostgreSQL, a failure in CI)."""
    yield support.database()
    support.stop()


@pytest.fixture(autouse=True)
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    from pipemap.core.pg import mapdb, transfer

    monkeypatch.setattr(mapdb, "COPY_CHUNK", BATCH)
    monkeypatch.setattr(transfer, "READ_BATCH", BATCH)


# --- the database side ------------------------------------------------------------------------------------------------

def pg_map(params: dict[str, Any], schema: str, app: str, **extra: str) -> Any:
    """The PgMap of ``schema`` whose connections carry ``application_name=app``."""
    from pipemap.core.pg.connect import parse_map

    return parse_map(support.map_string(params, schema)).with_params(application_name=app, **extra)


class Killer:
    """A second connection that watches and terminates the writer's backends."""

    def __init__(self, params: dict[str, Any], app: str) -> None:
        self.con = support.connect(params)
        self.con.autocommit = True
        self.app = app
        self.terminated = 0

    def states(self) -> list[str]:
        with self.con.cursor() as cur:
            cur.execute("SELECT state FROM pg_stat_activity WHERE application_name = %s AND pid <> pg_backend_pid()",
                        (self.app,))
            return sorted(r[0] or "" for r in cur.fetchall())

    def in_transaction(self) -> bool:
        return any(s.startswith("idle in transaction") or s == "active" for s in self.states())

    def terminate(self, where: str = "") -> int:
        """Terminate the writer's backends (waiting up to 5 s for each to exit); returns how many."""
        with self.con.cursor() as cur:
            cur.execute("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
                        "WHERE application_name = %s AND pid <> pg_backend_pid()" + where, (self.app,))
            n = int(cur.fetchone()[0])
        self.terminated += n
        return n

    def close(self) -> None:
        self.con.close()


class FaultProgress(RecordingProgress):
    """Counts every ``report`` and ``cancelled`` call as an event; runs ``action`` at event number ``at``
    (and ``probe`` at every event, e.g. the writer's backend state in a dry run)."""

    def __init__(self, at: int | None = None, action: Callable[[], Any] | None = None,
                 probe: Callable[[], Any] | None = None) -> None:
        super().__init__()
        self.at, self.action, self.probe = at, action, probe
        self.events: list[str] = []
        self.probed: list[Any] = []
        self.fired: Any = None

    def _event(self, name: str) -> None:
        if self.probe is not None:
            self.probed.append(self.probe())
        if len(self.events) == self.at and self.action is not None:
            self.fired = self.action()
        self.events.append(name)

    def report(self, fraction: float, message: str = "") -> None:
        super().report(fraction, message)
        self._event(f"r{fraction:.3f}")

    def cancelled(self) -> bool:
        self._event("c")
        return False


def schema_state(params: dict[str, Any], schema: str) -> dict[str, Any] | None:
    """Everything a map schema holds (None when absent): tables and columns, indexes, triggers, the count and
    an MD5 of every table's rows (in a fixed order), the map's rows in public.layer_styles."""
    from psycopg2 import sql

    con = support.connect(params)
    try:
        with con.cursor() as cur:
            cur.execute("SELECT count(*) FROM pg_namespace WHERE nspname = %s", (schema,))
            if cur.fetchone()[0] == 0:
                return None
            cur.execute("SELECT table_name, column_name, data_type, udt_name FROM information_schema.columns "
                        "WHERE table_schema = %s ORDER BY table_name, ordinal_position", (schema,))
            columns = cur.fetchall()
            cur.execute("SELECT table_name FROM information_schema.tables WHERE table_schema = %s "
                        "AND table_type = 'BASE TABLE' ORDER BY 1", (schema,))
            tables = [r[0] for r in cur.fetchall()]
            rows = {}
            for table in tables:
                cur.execute(sql.SQL("SELECT count(*), md5(COALESCE(string_agg(t::text, E'\\n' ORDER BY t::text), "
                                    "'')) FROM {} t").format(sql.Identifier(schema, table)))
                rows[table] = cur.fetchone()
            cur.execute("SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = %s ORDER BY 1, 2",
                        (schema,))
            indexes = cur.fetchall()
            cur.execute("SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                        "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND NOT t.tgisinternal "
                        "ORDER BY 1, 2", (schema,))
            triggers = cur.fetchall()
            styles = None
            cur.execute("SELECT to_regclass('public.layer_styles') IS NOT NULL")
            if cur.fetchone()[0]:
                cur.execute("SELECT count(*), md5(COALESCE(string_agg(concat_ws('|', f_table_name, stylename, "
                            "styleqml::text, useasdefault), E'\\n' ORDER BY f_table_name, stylename), '')) "
                            "FROM public.layer_styles WHERE f_table_schema = %s", (schema,))
                styles = cur.fetchone()
        return {"columns": columns, "rows": rows, "indexes": indexes, "triggers": triggers, "styles": styles}
    finally:
        con.close()


# --- the operations ---------------------------------------------------------------------------------------------------

@dataclass
class Case:
    """One operation on fresh targets: ``run(progress, pgmap)`` does it, ``state()`` is what must not move."""

    run: Callable[[Any, Any], Any]
    state: Callable[[], Any]
    target: Any  #: the PgMap the operation connects with (its application name)
    names: list[str]  #: what a refusal must name
    check: Callable[[Any], None] = lambda result: None  #: a successful result is complete
    extra: dict[str, Any] = field(default_factory=dict)


@pytest.fixture(scope="module")
def district_schema(pg_params: dict[str, Any], sample_map: tuple[Path, Any]) -> str:
    """The sample district stored once in PostGIS (read only: the source of PostGIS -> GeoPackage)."""
    from pipemap.core.pg import transfer

    schema = support.unique_schema("district")
    transfer.gpkg_to_postgis(sample_map[0], pg_map(pg_params, schema, "pipemap-setup"))
    return schema


def make_case(op: str, params: dict[str, Any], folder: Path, app: str, sample_map: tuple[Path, Any],
              empty_map: Path, district_schema: str, **map_extra: str) -> Case:
    from pipemap.core.pg import imports, mapdb, transfer

    gpkg, district = sample_map
    schema = support.unique_schema("fault")
    target = pg_map(params, schema, app, **map_extra)
    setup = pg_map(params, schema, "pipemap-setup")
    sha = support_sha(gpkg)

    def state_of(*extra: Callable[[], Any]) -> Callable[[], Any]:
        return lambda: (schema_state(params, schema), support_sha(gpkg), [f() for f in extra])

    def complete(result: Any) -> None:
        info = mapdb.read_map_info(setup)
        assert info.counts["pipe_segment"] == district.n_segments, info.counts

    if op == "createmap_new":
        return Case(lambda p, m: mapdb.create_map(m, "EPSG:4547", progress=p), state_of(), target, [schema],
                    lambda r: mapdb.read_map_info(setup))
    if op == "createmap_overwrite":
        transfer.gpkg_to_postgis(gpkg, setup)
        return Case(lambda p, m: mapdb.create_map(m, "EPSG:4547", overwrite=True, progress=p), state_of(), target,
                    [schema], lambda r: mapdb.read_map_info(setup).counts["pipe_segment"] == 0 or _fail("not empty"))
    if op == "importsurvey":
        transfer.gpkg_to_postgis(empty_map, setup)
        return Case(lambda p, m: imports.import_survey(m, district.tables, progress=p), state_of(), target,
                    [schema], lambda r: (r.committed or _fail("not committed"), complete(r)))
    if op == "importsurvey_update":  # every feature already in the map: 1,200 updates with audit rows
        transfer.gpkg_to_postgis(gpkg, setup)
        return Case(lambda p, m: imports.import_survey(m, district.tables, progress=p), state_of(), target,
                    [schema], lambda r: (r.segments_updated == district.n_segments or _fail(r), complete(r)))
    if op == "gpkg_to_postgis_new":
        return Case(lambda p, m: transfer.gpkg_to_postgis(gpkg, m, progress=p), state_of(), target, [schema],
                    complete)
    if op == "gpkg_to_postgis_overwrite":
        transfer.gpkg_to_postgis(empty_map, setup)
        return Case(lambda p, m: transfer.gpkg_to_postgis(gpkg, m, overwrite=True, progress=p), state_of(), target,
                    [schema], complete)
    if op in ("postgis_to_gpkg_new", "postgis_to_gpkg_overwrite"):
        out = folder / "out"
        out.mkdir()
        dest = out / "map.gpkg"
        if op.endswith("overwrite"):
            shutil.copyfile(empty_map, dest)
        source = pg_map(params, district_schema, app, **map_extra)
        tree = support_tree(out)
        return Case(lambda p, m: transfer.postgis_to_gpkg(m, dest, overwrite=True, progress=p),
                    lambda: (schema_state(params, district_schema), tree(), None), source, [district_schema],
                    lambda r: r.counts["pipe_segment"] == district.n_segments or _fail(r.counts),
                    {"dest": dest, "sha": sha})
    raise AssertionError(op)


def _fail(what: Any) -> bool:
    raise AssertionError(f"incomplete result: {what}")


def support_sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def support_tree(folder: Path) -> Callable[[], dict[str, str]]:
    def tree() -> dict[str, str]:
        return {p.name: support_sha(p) for p in sorted(folder.iterdir())}
    return tree


#: ("importsurvey", into an empty map, runs the same merge as "importsurvey_update" and is left out for time:
#: each import stages the tables first, ~1 s)
OPS = ["createmap_new", "createmap_overwrite", "importsurvey_update", "gpkg_to_postgis_new",
       "gpkg_to_postgis_overwrite", "postgis_to_gpkg_new", "postgis_to_gpkg_overwrite"]


def _moments(probed: list[bool]) -> dict[str, int]:
    """early / middle / late: the first, middle and last event at which the writer is in its transaction."""
    inside = [i for i, s in enumerate(probed) if s]
    assert inside, "the operation reported no progress inside its transaction"
    return {"early": inside[0], "middle": inside[len(inside) // 2], "late": inside[-1]}


READERS = ("postgis_to_gpkg_new", "postgis_to_gpkg_overwrite")


def _attempt(harness: Any, target: str, case: Case, progress: Any) -> Any:
    return harness.attempt(target, lambda: case.run(progress, case.target), case.names)


def _judge(op: str, case: Case, before: Any, outcome: Any, what: str) -> None:
    """After a fault: refused naming the map (the harness checked the name), or -- a reader whose every row
    was read before the connection went -- complete; the target, the source and the folder as before."""
    if outcome.kind == "ok":
        assert op in READERS, f"{what}: the write did not fail"
        case.check(outcome.value)
        return
    text = str(outcome.error)
    assert "Traceback" not in text and "psycopg2" not in text, text
    assert outcome.error.code in ("pg.connection_lost", "pg.commit_unknown"), f"{what}: {outcome.error.code}: {text}"
    assert case.state() == before, f"{what}: the target or the source changed"


def _dry_run(op: str, params: dict[str, Any], harness: Any, fixtures: tuple[Any, ...]) -> FaultProgress:
    app = f"pipemap-fault-{uuid.uuid4().hex[:8]}"
    killer = Killer(params, app)
    try:
        case = make_case(op, params, harness.example_dir(), app, *fixtures)
        dry = FaultProgress(probe=killer.in_transaction)
        case.check(case.run(dry, case.target))
    finally:
        killer.close()
    return dry


@pytest.mark.parametrize("op", OPS)
def test_connection_dropped_mid_transaction(op: str, harness: Any, pg_params: dict[str, Any],
                                            sample_map: tuple[Path, Any], empty_map: Path,
                                            district_schema: str) -> None:
    """The writer's backend terminated at the first, the middle and the last progress event inside its
    transaction (the last: just before the commit); and, at the middle event, the session ended by the
    server's ``idle_in_transaction_session_timeout`` while the writer is busy on the client side."""
    from pipemap.core.progress import NullProgress

    fixtures = (sample_map, empty_map, district_schema)
    dry = _dry_run(op, pg_params, harness, fixtures)
    moments = _moments(dry.probed)
    results = {}
    for moment, at in [*moments.items(), ("idle_timeout", moments["middle"])]:
        app = f"pipemap-fault-{uuid.uuid4().hex[:8]}"
        killer = Killer(pg_params, app)
        try:
            if moment == "idle_timeout":
                extra = {"options": "-c idle_in_transaction_session_timeout=200"}
                case = make_case(op, pg_params, harness.example_dir(), app, *fixtures, **extra)
                progress = FaultProgress(at=at, action=lambda: time.sleep(0.6))
            else:
                case = make_case(op, pg_params, harness.example_dir(), app, *fixtures)
                progress = FaultProgress(at=at, action=killer.terminate)
            before = case.state()
            outcome = _attempt(harness, f"pg_dropped.{op}", case, progress)
            what = f"{op} at {moment} (event {at} of {len(dry.events)}: {dry.events[at]})"
            if moment != "idle_timeout":
                assert progress.fired == 1, f"{what}: no backend was terminated"
            _judge(op, case, before, outcome, what)
            # and the same operation on a new connection goes through
            case.check(case.run(NullProgress(), case.target))
            results[moment] = {"event": f"{at}/{len(dry.events)} {dry.events[at]}",
                               "outcome": outcome.error.code if outcome.error else "complete",
                               "seconds": round(outcome.seconds, 2)}
        finally:
            killer.close()
    harness.record_faults(f"pg_dropped.{op}", len(results), lost=0, moments=results,
                          refused=sum(r["outcome"] != "complete" for r in results.values()))


class Watcher:
    """A thread that terminates the writer's backend once it is waiting inside a statement (``wait_event``)."""

    def __init__(self, params: dict[str, Any], app: str, wait_event: str) -> None:
        self.killer = Killer(params, app)
        self.wait_event = wait_event
        self.stop = threading.Event()
        self.terminated = 0
        self.thread = threading.Thread(target=self._watch, daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        where = " AND (wait_event_type = %s OR wait_event = %s)"
        while not self.stop.is_set() and not self.terminated:
            with self.killer.con.cursor() as cur:
                cur.execute("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid, 5000)) FROM pg_stat_activity "
                            "WHERE application_name = %s AND pid <> pg_backend_pid() AND state = 'active'" + where,
                            (self.killer.app, self.wait_event, self.wait_event))
                self.terminated += int(cur.fetchone()[0])
            time.sleep(0.02)

    def close(self) -> None:
        self.stop.set()
        self.thread.join(10)
        self.killer.close()


def while_waiting_for_a_lock(params: dict[str, Any], schema: str, app: str,
                             attempt: Callable[[], Any]) -> tuple[Any, int]:
    """Run ``attempt`` while another session holds ``pipe_segment`` of ``schema`` locked; the session of
    ``app`` is terminated as soon as it waits for that lock. Returns (the attempt's outcome, sessions
    terminated)."""
    from psycopg2 import sql

    locker = support.connect(params)
    with locker.cursor() as cur:
        cur.execute(sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(sql.Identifier(schema, "pipe_segment")))
    watcher = Watcher(params, app, "Lock")
    try:
        outcome = attempt()
    finally:
        watcher.close()  # (joins the watcher: its count is final only then)
        locker.rollback()
        locker.close()
    return outcome, watcher.terminated


BLOCKED = ["createmap_overwrite", "importsurvey_update", "gpkg_to_postgis_overwrite", "postgis_to_gpkg_overwrite"]


@pytest.mark.parametrize("op", BLOCKED)
def test_terminated_inside_a_statement(op: str, harness: Any, pg_params: dict[str, Any],
                                       sample_map: tuple[Path, Any], empty_map: Path, district_schema: str) -> None:
    """The writer's backend terminated while one of its statements runs: it waits for the lock another
    session holds on the map's pipe_segment table (the DROP SCHEMA of an overwrite, the import's upsert, the
    reader's SELECT)."""

    from pipemap.core.progress import NullProgress

    app = f"pipemap-fault-{uuid.uuid4().hex[:8]}"
    case = make_case(op, pg_params, harness.example_dir(), app, sample_map, empty_map, district_schema)
    before = case.state()
    outcome, terminated = while_waiting_for_a_lock(
        pg_params, case.target.schema, app, lambda: _attempt(harness, f"pg_blocked.{op}", case, NullProgress()))
    assert terminated == 1, "the writer was never seen waiting for the lock"
    assert outcome.kind == "refused", outcome
    _judge(op, case, before, outcome, f"{op} terminated while waiting for a lock")
    case.check(case.run(NullProgress(), case.target))
    harness.record_faults(f"pg_blocked.{op}", 1, refused=1, lost=0, code=outcome.error.code)


def test_connection_lost_during_commit(harness: Any, pg_params: dict[str, Any], sample_map: tuple[Path, Any],
                                       empty_map: Path, district_schema: str) -> None:
    """The connection lost *during* ``COMMIT``: the server has stored the transaction but the client never
    hears so. Made deterministic with synchronous replication to a standby that does not exist (the writer's
    session alone asks for it): its COMMIT is written locally and then waits (``SyncRep``) until it is
    terminated. PipeMap asks ``txid_status`` on a new connection and reports the transfer as done -- it is."""
    if "cluster" not in support._state:
        pytest.skip("changes a server setting: only on the tests' own throw-away cluster")
    admin = support.connect(pg_params)
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute("ALTER SYSTEM SET synchronous_standby_names = 'pipemap_no_standby'")
        cur.execute("SELECT pg_reload_conf()")
    try:
        app = f"pipemap-fault-{uuid.uuid4().hex[:8]}"
        case = make_case("gpkg_to_postgis_new", pg_params, harness.example_dir(), app, sample_map, empty_map,
                         district_schema, options="-c synchronous_commit=on")
        watcher = Watcher(pg_params, app, "SyncRep")
        try:
            from pipemap.core.progress import NullProgress

            outcome = _attempt(harness, "pg_commit_lost.gpkg_to_postgis_new", case, NullProgress())
        finally:
            watcher.close()
    finally:
        with admin.cursor() as cur:
            cur.execute("ALTER SYSTEM RESET synchronous_standby_names")
            cur.execute("SELECT pg_reload_conf()")
        admin.close()
    assert watcher.terminated == 1, "the writer was never seen waiting in its COMMIT"
    assert outcome.kind == "ok", f"committed, but reported as {outcome.error}"
    case.check(outcome.value)
    harness.record_faults("pg_commit_lost.gpkg_to_postgis_new", 1, completed=1, lost=0)


def test_versioned_edit_connection_dropped(harness: Any, pg_params: dict[str, Any],
                                           sample_map: tuple[Path, Any], empty_map: Path,
                                           district_schema: str) -> None:
    """``update_feature`` (the versioned edit) on a connection the server drops: before the UPDATE (the
    editor's transaction already read the row) and while the UPDATE waits for another editor's row lock."""
    from pipemap.core.pg import mapdb

    app = f"pipemap-fault-{uuid.uuid4().hex[:8]}"
    case = make_case("gpkg_to_postgis_overwrite", pg_params, harness.example_dir(), "pipemap-setup", sample_map,
                     empty_map, district_schema)
    case.run(None, case.target)  # the district in a map of its own
    schema = case.target.schema
    target = pg_map(pg_params, schema, app)
    seg = "the first segment"
    with support.connect(pg_params) as c, c.cursor() as cur:
        cur.execute(f'SELECT seg_id, version FROM "{schema}".pipe_segment ORDER BY fid LIMIT 1')
        seg, version = cur.fetchone()
    results = {}
    for moment in ("before_update", "update_waiting_for_a_row_lock"):
        before = schema_state(pg_params, schema)
        from pipemap.core.pg.connect import connect

        con = connect(target)
        locker = watcher = None
        try:
            with con.cursor() as cur:
                cur.execute(f'SELECT version FROM "{schema}".pipe_segment WHERE seg_id = %s', (seg,))
                assert cur.fetchone()[0] == version
            if moment == "before_update":
                assert Killer(pg_params, app).terminate() == 1
            else:
                locker = support.connect(pg_params)
                with locker.cursor() as cur:
                    cur.execute(f'SELECT 1 FROM "{schema}".pipe_segment WHERE seg_id = %s FOR UPDATE', (seg,))
                watcher = Watcher(pg_params, app, "Lock")
            outcome = harness.attempt("pg_dropped.update_feature", lambda con=con: mapdb.update_segment(
                con, schema, seg, {"remark": "edited"}, version), [schema])
        finally:
            if watcher is not None:
                watcher.close()
            if locker is not None:
                locker.rollback()
                locker.close()
            con.close()
        assert outcome.kind == "refused" and outcome.error.code == "pg.connection_lost", outcome
        assert schema_state(pg_params, schema) == before, f"{moment}: the map changed"
        results[moment] = outcome.error.code
    con = connect(target)  # and the edit goes through on a new connection
    try:
        assert mapdb.update_segment(con, schema, seg, {"remark": "edited"}, version) == version + 1
    finally:
        con.close()
    harness.record_faults("pg_dropped.update_feature", len(results), refused=len(results), lost=0)


# --- the GeoPackage side of the transfers: a map another program has open ---------------------------------------------

def _wal_writer(path: Path) -> sqlite3.Connection:
    """Another program with the map open in WAL mode whose last commit is still in the -wal file only."""
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("PRAGMA journal_mode = WAL")
    other.execute("PRAGMA wal_autocheckpoint = 0")
    other.execute("INSERT INTO pipemap_metadata (key, value) VALUES ('other_writer', 'was here')")
    assert Path(str(path) + "-wal").stat().st_size > 0
    return other


def test_older_map_being_written_is_copied_consistently(harness: Any, tmp_path: Path, pg_params: dict[str, Any],
                                                        sample_map: tuple[Path, Any]) -> None:
    """GeoPackage -> PostGIS of an older map (upgraded on a copy first) while another program has committed
    changes that are still in the map's WAL: the copy is made through SQLite (one read snapshot, the WAL
    included), so those changes travel. Measured before: ``shutil.copy2`` copied the main file alone and the
    other program's commit was missing from the PostGIS map."""
    from pipemap.core.pg import mapdb, transfer

    gpkg, district = sample_map
    source = harness.copy(gpkg, tmp_path, "old.gpkg")
    con = sqlite3.connect(source)
    with con:
        con.execute("UPDATE pipemap_metadata SET value = '1' WHERE key = 'schema_version'")
    con.close()
    other = _wal_writer(source)
    try:
        wal_before = harness.sha256(Path(str(source) + "-wal"))
        main_before = harness.sha256(source)
        target = pg_map(pg_params, support.unique_schema("old"), "pipemap-test")
        result = transfer.gpkg_to_postgis(source, target)
        assert result.counts["pipe_segment"] == district.n_segments
        meta = mapdb.read_metadata(target)
        assert meta.get("other_writer") == "was here", "the other program's commit (in the WAL) was not copied"
        assert int(meta["schema_version"]) > 1
        # the source itself is untouched (its main file and its WAL)
        assert harness.sha256(source) == main_before
        assert harness.sha256(Path(str(source) + "-wal")) == wal_before
        assert other.execute("SELECT value FROM pipemap_metadata WHERE key = 'schema_version'").fetchone()[0] == "1"
    finally:
        other.close()
    harness.record_faults("pg_transfer.source_open_in_other_program", 1, lost=0)


def test_overwritten_map_open_in_another_program(harness: Any, tmp_path: Path, pg_params: dict[str, Any],
                                                 empty_map: Path, district_schema: str,
                                                 sample_map: tuple[Path, Any]) -> None:
    """PostGIS -> GeoPackage over a map QGIS has open in WAL mode (a layer loaded, idle), which then saves an
    edit: the new map is written into the same file through SQLite, so QGIS reads it and its edit lands in
    it; ``integrity_check`` ok. A rename over the map (the code before) leaves QGIS on the unlinked old file
    and its WAL commit corrupts the new map (measured in test_faults_locked for the import)."""
    from pipemap.core.pg import transfer

    _, district = sample_map
    dest = harness.copy(empty_map, tmp_path, "map.gpkg")
    qgis = sqlite3.connect(dest, isolation_level=None)
    try:
        qgis.execute("PRAGMA journal_mode = WAL")
        assert qgis.execute("SELECT count(*) FROM pipe_segment").fetchone()[0] == 0
        result = transfer.postgis_to_gpkg(pg_map(pg_params, district_schema, "pipemap-test"), dest, overwrite=True)
        assert result.counts["pipe_segment"] == district.n_segments
        assert qgis.execute("SELECT count(*) FROM pipe_segment").fetchone()[0] == district.n_segments, \
            "the program that had the map open does not see the new map"
        qgis.execute("INSERT INTO pipemap_metadata (key, value) VALUES ('other_writer', 'was here')")
    finally:
        qgis.close()
    con = sqlite3.connect(f"file:{dest}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert con.execute("SELECT count(*) FROM pipe_segment").fetchone()[0] == district.n_segments
        assert con.execute("SELECT value FROM pipemap_metadata WHERE key = 'other_writer'").fetchone() == ("was here",)
    finally:
        con.close()
    assert harness.leftovers(tmp_path) == []
    harness.record_faults("pg_transfer.target_open_in_other_program", 1, lost=0)


def test_overwritten_map_locked_by_another_writer(harness: Any, tmp_path: Path, pg_params: dict[str, Any],
                                                  empty_map: Path, district_schema: str,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """PostGIS -> GeoPackage over a map another program is writing (a RESERVED lock): refused after the lock
    timeout with ``map.locked``, the map and the other program's commit kept, no temporary left."""
    from pipemap.core import mapfile
    from pipemap.core.pg import transfer

    monkeypatch.setattr(mapfile, "LOCK_TIMEOUT_S", 0.3)
    dest = harness.copy(empty_map, tmp_path, "map.gpkg")
    other = sqlite3.connect(dest, isolation_level=None, timeout=0.1)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO pipemap_metadata (key, value) VALUES ('other_writer', 'was here')")
    try:
        before = harness.sha256(dest)
        outcome = harness.attempt("pg_transfer.locked_target", lambda: transfer.postgis_to_gpkg(
            pg_map(pg_params, district_schema, "pipemap-test"), dest, overwrite=True), [dest])
        assert outcome.kind == "refused" and outcome.error.code == "map.locked", outcome
        assert harness.sha256(dest) == before
    finally:
        other.execute("COMMIT")
        other.close()
    assert mapfile.read_metadata(dest).get("other_writer") == "was here"
    assert harness.leftovers(tmp_path) == []
    harness.record_faults("pg_transfer.target_locked", 1, refused=1, lost=0)


# --- the checks (read one snapshot, write only temporary tables) ------------------------------------------------------

CHECKS = ["clash", "cover"]


def _run_check(kind: str, target: Any, progress: Any) -> Any:
    from pipemap.core.checks.rules import RuleSet
    from pipemap.core.pg import checks

    rules = RuleSet.shipped()
    if kind == "clash":  # (small chunks: progress events between the district's reads)
        return checks.check_clash_pg(target, rules, progress=progress, chunk=100)
    return checks.check_cover_pg(target, rules, None, progress=progress)


@pytest.mark.parametrize("kind", CHECKS)
def test_check_connection_dropped(kind: str, harness: Any, pg_params: dict[str, Any], district_schema: str) -> None:
    """A check whose connection the server drops (at its first, middle and last progress event, and while
    its read waits for a lock another session holds) is refused naming the map, as a read ("nothing was
    written"), or -- everything read already -- complete; the map unchanged; the same check then runs."""

    from pipemap.core.progress import NullProgress

    dry = FaultProgress()
    full = _run_check(kind, pg_map(pg_params, district_schema, "pipemap-setup"), dry)
    assert len(full) > 0 and len(dry.events) >= 3
    before = schema_state(pg_params, district_schema)
    n = len(dry.events)
    results = {}
    for moment, at in (("early", 0), ("middle", n // 2), ("late", n - 1)):
        app = f"pipemap-fault-{uuid.uuid4().hex[:8]}"
        killer = Killer(pg_params, app)
        try:
            target = pg_map(pg_params, district_schema, app)
            progress = FaultProgress(at=at, action=killer.terminate)
            outcome = harness.attempt(f"pg_check.{kind}",
                                      lambda t=target, p=progress: _run_check(kind, t, p), [target.display()])
            what = f"{kind} at {moment} (event {at} of {n}: {dry.events[at]})"
            assert progress.fired == 1, f"{what}: no backend was terminated"
            if outcome.kind == "ok":  # every row was read before the connection went: the findings are whole
                assert len(outcome.value) == len(full), what
            else:
                text = str(outcome.error)
                assert "Traceback" not in text and "psycopg2" not in text, text
                assert outcome.error.code == "pg.connection_lost" and "nothing was written" in text, f"{what}: {text}"
            assert schema_state(pg_params, district_schema) == before, what
            assert len(_run_check(kind, target, NullProgress())) == len(full)
            results[moment] = {"event": f"{at}/{n} {dry.events[at]}",
                               "outcome": outcome.error.code if outcome.error else "complete",
                               "seconds": round(outcome.seconds, 2)}
        finally:
            killer.close()
    app = f"pipemap-fault-{uuid.uuid4().hex[:8]}"
    target = pg_map(pg_params, district_schema, app)
    outcome, terminated = while_waiting_for_a_lock(
        pg_params, district_schema, app,
        lambda: harness.attempt(f"pg_check.{kind}", lambda: _run_check(kind, target, NullProgress()),
                                [target.display()]))
    assert terminated == 1, "the check was never seen waiting for the lock"
    assert outcome.kind == "refused" and outcome.error.code == "pg.connection_lost", outcome
    assert schema_state(pg_params, district_schema) == before
    results["blocked"] = {"event": "waiting for a lock", "outcome": outcome.error.code,
                          "seconds": round(outcome.seconds, 2)}
    harness.record_faults(f"pg_check.{kind}", len(results), lost=0, moments=results,
                          refused=sum(r["outcome"] != "complete" for r in results.values()))
