"""Checks on a PostGIS map, with the candidate search in the database (issue 9; DESIGN.md section 5).

The database does the spatial search, on the map's own GiST index
(``pipe_segment_geom_idx``); the figures and verdicts are then computed by
the **same numpy code** as the in-process checks (:mod:`core.checks.clash`,
:mod:`core.checks.cover`, :mod:`core.checks.excavation`), so both give the
same findings on the same data -- by construction, not by a second
implementation of DESIGN.md section 5 in SQL that would have to be kept in
step with the first.

* **Clash.** Each pipe's search reach is computed exactly as
  :func:`core.checks.clash.check_clash` does (r + u + the largest
  requirement of its class against the classes present / 2, see there) and
  sent to a temporary table. One SQL self-join on the GiST index returns
  the pipe pairs with ``ST_DWithin(a.geom, b.geom, reach_a + largest
  reach)`` (split over several connections sharing the snapshot). Only
  these pairs are judged in numpy: their straight pieces are paired, the
  exact plan distances, crossings (z interpolated), stacked overlaps,
  shared endpoints and tees are computed, and
  :func:`core.checks.clash._reduce_and_judge` gives the verdicts. The set
  of piece pairs judged is the in-process one: every piece pair closer
  than reach_a + reach_b (the SQL search is a superset with a 1e-6 m
  margin; the exact filter is the in-process numpy test).
* **Cover.** Every pipe is sampled (cover is a property of every pipe); the
  database sorts the pipes against the carriageway polygons: wholly inside
  one (more than 1e-6 m from its outline), clear of all of them, or
  crossing an outline. Only the last need the per-sample point-in-polygon
  test; the samples of the others are motor-lane or non-motor wholesale.
* **Excavation.** Only the pipes within a safe bound of the search distance
  of the excavations (s + the largest radius + the largest plan u the map
  can hold, from SQL aggregates) leave the database; the in-process check
  then runs on them alone.

The map is read in one ``REPEATABLE READ`` snapshot, so pipes and candidate
pairs come from the same state of a map others may be editing. All SQL
names are composed with ``psycopg2.sql.Identifier`` and values are literals
or parameters.
"""

from __future__ import annotations

import io
import os
import threading
import time
from typing import Any, Sequence

import numpy as np

from ..checks import clash as _clash
from ..checks import cover as _cover
from ..checks.clash import UNKNOWN_RADIUS_SEARCH_M, UNKNOWN_U_SEARCH_M, ClashFindings
from ..checks.cover import CoverFindings
from ..checks.excavation import ExcavationFindings, check_excavation
from ..checks.pipes import Ground, Pipes, _some
from ..checks.rules import DEFAULT_QUALITY, QualityLevel, RuleSet, load_quality_levels
from ..checks.verdict import ADVICE, V_PASS, V_UNKNOWN, VERDICTS
from ..errors import CancelledError, InputError
from ..mapread import _SEGMENT_REAL, _SEGMENT_TEXT, _segment_arrays
from ..progress import NullProgress, Progress, SubProgress, check_cancel
from . import mapdb
from .connect import PgMap, connect, connection_lost, lost_error, psycopg2_module, rollback_quietly

#: SQL searches are wider than the exact numpy tests by this much (m): the database's floating point
#: may round a distance the other way
SEARCH_MARGIN_M = 1e-6
#: a pipe counts as wholly inside (or clear of) a road polygon when it is farther than this from the outline
ROAD_EDGE_M = 1e-6
#: at most this many connections search clash pairs at the same time
SEARCH_WORKERS = 4
#: ... and each searches for at least this many pipes
MIN_SHARE_PIPES = 20_000

#: the text columns of a segment the checks read (core.mapread also reads start_point and end_point)
_TEXT_READ = tuple(n for n in _SEGMENT_TEXT if n not in ("start_point", "end_point"))

_BINARY_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"


def _sql() -> Any:
    return psycopg2_module().sql


class PgMapChecks:
    """A PostGIS map opened for checks: one connection, one ``REPEATABLE READ`` snapshot.

    Use as a context manager::

        with PgMapChecks("service=city schema=pipes") as db:
            findings = db.clash(RuleSet.shipped())

    :raises InputError: the database cannot be reached, the schema is not a map.
    :raises SchemaError: the map's schema version is not this PipeMap's.
    """

    def __init__(self, target: PgMap | str) -> None:
        self.pgmap = mapdb.as_pgmap(target)
        self.con = connect(self.pgmap)
        try:
            self.con.set_session(isolation_level="REPEATABLE READ")
            with self.con.cursor() as cur:
                self.meta = mapdb.read_metadata_cur(cur, self.pgmap.schema, self.pgmap.display())
                mapdb.check_version(self.meta, self.pgmap.display())
                self._execute(cur, "SELECT Find_SRID(%s, 'pipe_segment', 'geom')", (self.pgmap.schema,))
                self.srid = int(cur.fetchone()[0])
        except BaseException:
            self.close()
            raise
        self.table = _sql().Identifier(self.pgmap.schema, "pipe_segment")
        self.stats: dict[str, Any] = {}
        self._cache: dict[str, Any] = {}

    # -- life cycle

    @property
    def crs(self) -> str:
        """The map's CRS as GDAL reads it (authority code, else WKT)."""
        return self.meta.get("crs_authid") or self.meta.get("crs_wkt", "")

    def close(self) -> None:
        con, self.con = getattr(self, "con", None), None
        if con is not None and not con.closed:
            try:
                rollback_quietly(con)  # the snapshot only read; temporary tables go with it
            finally:
                con.close()

    def __enter__(self) -> PgMapChecks:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _read_error(self, cur: Any, exc: BaseException) -> InputError:
        """A database error of the check as an error naming the map (a dropped connection said so)."""
        if connection_lost(exc, getattr(cur, "connection", None)):
            return lost_error(self.pgmap, exc, reading=True)
        return InputError("The check could not read the PostGIS map {map}: {reason}", code="pg.check_read",
                          map=self.pgmap.display(), reason=mapdb.db_reason(exc))

    def _execute(self, cur: Any, query: Any, params: Any = None) -> None:
        """Run a statement; a database error becomes an InputError naming the map."""
        psycopg2 = psycopg2_module()
        try:
            cur.execute(query, params)
        except psycopg2.Error as exc:
            raise self._read_error(cur, exc) from None

    def _copy_in(self, cur: Any, statement: str, text: str) -> None:
        """``COPY ... FROM STDIN`` of ``text``; a database error becomes an InputError naming the map."""
        psycopg2 = psycopg2_module()
        try:
            cur.copy_expert(statement, io.StringIO(text))
        except psycopg2.Error as exc:
            raise self._read_error(cur, exc) from None

    def _copy_out(self, cur: Any, query: Any, binary: bool = False) -> bytes:
        sql = _sql()
        statement = sql.SQL("COPY ({}) TO STDOUT").format(query) + (sql.SQL(" (FORMAT binary)") if binary
                                                                    else sql.SQL(""))
        buf = io.BytesIO()
        psycopg2 = psycopg2_module()
        try:
            cur.copy_expert(statement.as_string(cur), buf)
        except psycopg2.Error as exc:
            raise self._read_error(cur, exc) from None
        return buf.getvalue()

    # -- reading pipes

    def extent(self) -> tuple[float, float, float, float] | None:
        """(xmin, ymin, xmax, ymax) of the map's segments, None when it has none."""
        sql = _sql()
        with self.con.cursor() as cur:
            self._execute(cur, sql.SQL("SELECT ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e) FROM "
                                       "(SELECT ST_Extent(geom) AS e FROM {}) q").format(self.table))
            row = cur.fetchone()
        return None if row is None or row[0] is None else tuple(float(v) for v in row)  # type: ignore[return-value]

    def read_pipes(self, rules: RuleSet, where: Any = None,
                   progress: Progress | None = None) -> tuple[Pipes, np.ndarray]:
        """The map's segments as :class:`Pipes` (in fid order, as the GeoPackage reader gives them) and
        their fids; ``where`` (an ``sql.Composable`` on the alias ``s``) restricts them. All of them are
        read once per snapshot and rule set.

        Sizes and classes come from the columns exactly as :func:`core.mapread.read_segments` and
        :meth:`Pipes.from_segments` read a GeoPackage map.
        """
        cached = self._cache.get("pipes")
        if where is None and cached is not None and cached[0] is rules:
            return cached[1], cached[2]
        fid, columns = self._read_columns(where)
        if progress is not None:
            check_cancel(progress)
        pipes = Pipes.from_segments(_segment_arrays(columns), rules)
        if where is None:  # kept for the next check in this snapshot (same rules)
            self._cache["pipes"] = (rules, pipes, fid)
        return pipes, fid

    def _read_columns(self, where: Any) -> tuple[np.ndarray, dict[str, object]]:
        """fids and the columns :func:`core.mapread._segment_arrays` takes, of the segments with a line of 2+
        vertices, in fid order: three ``COPY`` streams of one snapshot, decoded column-wise (numbers and
        vertex counts as binary, the lines as WKB, the text columns as COPY text)."""
        import shapely

        sql = _sql()
        rest = sql.SQL("FROM {t} s WHERE s.geom IS NOT NULL AND ST_NPoints(s.geom) >= 2{extra} ORDER BY s.fid").format(
            t=self.table, extra=sql.SQL(" AND ({})").format(where) if where is not None else sql.SQL(""))
        with self.con.cursor() as cur:
            numbers = sql.SQL("SELECT s.fid::int8, {reals} {rest}").format(
                reals=sql.SQL(", ").join(sql.SQL("coalesce(s.{}::float8, 'NaN')").format(sql.Identifier(n))
                                         for n in _SEGMENT_REAL), rest=rest)
            values = _binary_fixed(self._copy_out(cur, numbers, binary=True), 1 + len(_SEGMENT_REAL))
            wkb = _binary_blobs(self._copy_out(cur, sql.SQL("SELECT ST_AsBinary(s.geom) {rest}").format(rest=rest),
                                               binary=True))
            # start_point / end_point are not read: no check uses them (they stay "")
            texts = sql.SQL("SELECT {cols} {rest}").format(
                cols=sql.SQL(", ").join(sql.SQL("coalesce(s.{}, '')").format(sql.Identifier(n)) for n in _TEXT_READ),
                rest=rest)
            read = dict(zip(_TEXT_READ, text_columns(self._copy_out(cur, texts), len(_TEXT_READ))))
            n_rows = len(read[_TEXT_READ[0]])
            text_cols = [read[n] if n in read else np.full(n_rows, "", dtype=object) for n in _SEGMENT_TEXT]
        fid = values[0]
        if not (len(wkb) == len(fid) == len(text_cols[0])):
            raise InputError("The check could not read the PostGIS map {map}: {reason}", code="pg.check_read",
                             map=self.pgmap.display(), reason="the map changed while it was read")
        geoms = shapely.from_wkb(wkb, on_invalid="ignore")
        npts = shapely.get_num_coordinates(geoms)
        keep = (shapely.get_type_id(geoms) == 1) & (npts >= 2)  # as mapread: lines of 2+ vertices
        columns: dict[str, object] = {}
        for k, name in enumerate(_SEGMENT_REAL, start=1):
            columns[name] = values[k][keep]
        for k, name in enumerate(_SEGMENT_TEXT):
            columns[name] = text_cols[k][keep]
        columns["_vertices"] = shapely.get_coordinates(geoms[keep], include_z=True)
        columns["_offsets"] = np.concatenate([[0], np.cumsum(npts[keep])]).astype(np.int64)
        return fid[keep], columns

    # -- polygons sent to the database

    def _send_polygons(self, cur: Any, geoms: np.ndarray) -> None:
        """The polygons (already repaired) into the temporary table ``pipemap_check_polygons (k, geom)``
        with a GiST index."""

        self._execute(cur, "DROP TABLE IF EXISTS pg_temp.pipemap_check_polygons")
        self._execute(cur, "CREATE TEMPORARY TABLE pipemap_check_polygons (k integer PRIMARY KEY, geom geometry) "
                           "ON COMMIT DROP")
        # as EWKT built from the coordinates: shapely's WKB writer fails inside qgis_process when QGIS's GEOS
        # differs from shapely's; repr() of a float reads back as the same double
        text = "".join(f"{k}\tSRID={int(self.srid)};{t}\n" for k, t in enumerate(_multipolygon_wkt(g) for g in geoms)
                       if t is not None)
        self._copy_in(cur, "COPY pipemap_check_polygons (k, geom) FROM STDIN", text)
        self._execute(cur, "CREATE INDEX ON pipemap_check_polygons USING gist (geom)")
        self._execute(cur, "ANALYZE pipemap_check_polygons")

    # -- clash

    def clash(self, rules: RuleSet, *, strict: bool = False, include_pass: bool = False,
              crossing_order: str = "mandatory", no_rule_m: float = 0.5, endpoint_tol_m: float = 0.01,
              cross_tol_m: float = 0.001, chunk: int = 200_000, workers: int | None = None,
              progress: Progress | None = None) -> ClashFindings:
        """:func:`core.checks.clash.check_clash` on the map's segments, candidate pairs from SQL.

        Parameters as there (no ground: h = 1 m, as ``pipemap:clashcheck`` runs it), and
        :param workers: connections searching at the same time (default: this machine's CPUs, at most
            :data:`SEARCH_WORKERS`; the server's cores are what counts).
        """
        workers = workers or max(1, min(SEARCH_WORKERS, os.cpu_count() or 1))
        if crossing_order not in ("mandatory", "all", "none"):
            raise ValueError(f"crossing_order must be mandatory, all or none, not {crossing_order!r}")
        progress = progress or NullProgress()
        t0 = time.perf_counter()
        pipes, fids = self.read_pipes(rules, progress=progress)
        self.stats["read_s"] = time.perf_counter() - t0
        progress.report(0.25)
        messages = pipes.problems(("horizontal", "vertical"))
        m = len(pipes)
        start, seg_pipe = pipes.segments()
        up, ud, qmsgs = pipes.uncertainty(None, rules.quality)
        messages += qmsgs
        hc = rules.horizontal.codes(pipes.h_class)
        vc = rules.vertical.codes(pipes.v_class)
        rh = pipes.radius_h_m
        # the search reach, exactly as check_clash computes it
        h_bound = _clash._bound(rules.horizontal_max_partner(hc), hc, pipes.h_status)
        v_bound = _clash._bound(rules.vertical.max_partner(vc), vc, pipes.v_status)
        reach = (np.where(np.isfinite(rh), rh, UNKNOWN_RADIUS_SEARCH_M)
                 + np.where(np.isfinite(up), up, UNKNOWN_U_SEARCH_M) + np.fmax(h_bound, no_rule_m) / 2.0)
        reach = np.maximum(reach, endpoint_tol_m)

        t0 = time.perf_counter()
        pa_all, pb_all = self._clash_pairs(fids, reach, pipes.usable(), workers, progress)
        self.stats["search_s"] = time.perf_counter() - t0
        t0 = time.perf_counter()
        progress.report(0.6)
        check_cancel(progress)

        # the straight pieces of each candidate pair, paired (pieces are grouped by pipe, in order)
        n_pieces = np.bincount(seg_pipe, minlength=m) if m else np.zeros(0, dtype=np.int64)
        piece_first = np.concatenate([[0], np.cumsum(n_pieces)[:-1]]).astype(np.int64) if m else n_pieces
        pairs = _clash.PiecePairs(pipes, start, seg_pipe, reach, endpoint_tol_m, cross_tol_m)
        total = n_pieces[pa_all] * n_pieces[pb_all]
        cum = np.cumsum(total)
        n_candidates = int(cum[-1]) if len(cum) else 0
        lo = 0
        while lo < len(pa_all):
            hi = max(lo + 1, int(np.searchsorted(cum, (cum[lo - 1] if lo else 0) + chunk, side="right")))
            hi = min(hi, len(pa_all))
            tot = total[lo:hi]
            rep = np.repeat(np.arange(lo, hi), tot)
            local = np.arange(len(rep)) - np.repeat(np.cumsum(tot) - tot, tot)
            nb = n_pieces[pb_all[rep]]
            i = piece_first[pa_all[rep]] + local // nb
            j = piece_first[pb_all[rep]] + local % nb
            del rep, local, nb
            pairs.add(i, j)  # from here on, the per-piece-pair figures of check_clash
            lo = hi
            progress.report(0.6 + 0.3 * hi / max(len(pa_all), 1))
            check_cancel(progress)
        rec = pairs.records()
        findings, counts = _clash._reduce_and_judge(pipes, rules, rec, hc, vc, up, ud, h_bound, v_bound, strict,
                                                    include_pass, crossing_order, no_rule_m, endpoint_tol_m,
                                                    cat_code=pairs.cat)
        counts["pipe_pairs_candidate"] = int(len(pa_all))
        counts["piece_pairs_candidate"] = n_candidates
        counts["piece_pairs_near"] = len(rec["d"])
        counts["pipes"] = m
        counts["pieces"] = len(start)
        findings.counts = counts
        findings.messages = messages
        self.stats["judge_s"] = time.perf_counter() - t0
        progress.report(1.0)
        return findings

    def _clash_pairs(self, fids: np.ndarray, reach: np.ndarray, usable: np.ndarray, workers: int,
                     progress: Progress) -> tuple[np.ndarray, np.ndarray]:
        """Pipe index pairs (a < b, sorted) with ST_DWithin(a, b, reach_a + the largest reach) (plus the search
        margin), from a self-join of pipe_segment on its GiST index; a superset of the pairs within
        reach_a + reach_b, which the caller's exact test then keeps.

        With ``workers`` > 1 the pipes a are split into that many ranges searched at the same time, each on
        its own connection in this snapshot (``pg_export_snapshot``); a connection that cannot be opened
        (e.g. the server's connection limit) leaves its share to the others.
        """
        sel = np.flatnonzero(usable)
        if len(sel) < 2:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
        r_max = float(reach[sel].max())
        wanted = max(1, min(int(workers), -(-len(sel) // MIN_SHARE_PIPES)))  # small maps: one is quicker
        extra: list[Any] = []
        if wanted > 1:
            with self.con.cursor() as cur:
                self._execute(cur, "SELECT pg_export_snapshot()")
                snapshot = cur.fetchone()[0]
            for _ in range(wanted - 1):
                try:
                    con = connect(self.pgmap)
                    con.set_session(isolation_level="REPEATABLE READ")
                    with con.cursor() as cur:
                        cur.execute("SET TRANSACTION SNAPSHOT %s", (snapshot,))
                except (InputError, psycopg2_module().Error):
                    break
                extra.append(con)
        cons = [self.con] + extra
        shares = np.array_split(sel, len(cons))
        results: list[Any] = [None] * len(cons)

        def search(k: int) -> None:
            try:
                results[k] = self._search_share(cons[k], fids[shares[k]], reach[shares[k]], r_max, k == 0)
            except BaseException as exc:  # noqa: BLE001 - raised again in the calling thread
                results[k] = exc

        threads = [threading.Thread(target=search, args=(k,), daemon=True) for k in range(len(cons))]
        cancelled = False
        try:
            for th in threads:
                th.start()
            while any(th.is_alive() for th in threads):  # a cancel stops the running queries
                threads[0].join(0.2)
                if not cancelled and progress.cancelled():
                    cancelled = True
                    for con in cons:
                        con.cancel()
            for th in threads:
                th.join()
        finally:
            for con in extra:
                try:
                    rollback_quietly(con)  # (a connection the server dropped has nothing to roll back)
                finally:
                    con.close()
        if cancelled:
            self.stats["search_interrupted"] = sum(isinstance(r, BaseException) for r in results)
            raise CancelledError()
        for res in results:
            if isinstance(res, BaseException):
                raise res
        self.stats["search_connections"] = len(cons)
        a_fid = np.concatenate([r[0] for r in results])
        b_fid = np.concatenate([r[1] for r in results])
        ia = np.searchsorted(fids, a_fid)
        ib = np.searchsorted(fids, b_fid)
        order = np.lexsort((ib, ia))
        return ia[order], ib[order]

    def _search_share(self, con: Any, fids: np.ndarray, reach: np.ndarray, r_max: float,
                      main: bool) -> tuple[np.ndarray, np.ndarray]:
        """The neighbours of the pipes ``fids`` (with their reach) on one connection."""
        sql = _sql()
        with con.cursor() as cur:
            self._execute(cur, "DROP TABLE IF EXISTS pg_temp.pipemap_check_reach")
            self._execute(cur, "CREATE TEMPORARY TABLE pipemap_check_reach (fid bigint PRIMARY KEY, "
                               "reach double precision NOT NULL) ON COMMIT DROP")
            text = "".join(f"{f}\t{r!r}\n" for f, r in zip(fids.tolist(), reach.tolist()))
            self._copy_in(cur, "COPY pipemap_check_reach (fid, reach) FROM STDIN", text)
            del text
            self._execute(cur, "ANALYZE pipemap_check_reach")
            # the planner's cost of this join is large enough to switch JIT compilation on, which costs more
            # than it saves here (0.4 s of 3 s at 100,000 segments)
            self._execute(cur, "SET LOCAL jit = off")
            # for each pipe a, its neighbours b on the GiST index, probed with reach_a + the largest reach.
            # The LATERAL subquery with OFFSET 0 keeps that plan (a planner left free may pair the tables by
            # fid ranges or hash joins and test every pair); "c.fid - a.fid > 0" is no index condition on the
            # primary key. The pair's own reach_a + reach_b is tested in numpy, on the pieces (a second join
            # for reach_b here would cost more than the 1 % of extra pairs it removes).
            query = sql.SQL(
                "SELECT a.fid::int8, b.fid::int8 FROM pg_temp.pipemap_check_reach ra "
                "JOIN {t} a ON a.fid = ra.fid "
                "CROSS JOIN LATERAL (SELECT c.fid FROM {t} c "
                "WHERE ST_DWithin(c.geom, a.geom, ra.reach + {rmax}) AND c.fid - a.fid > 0 OFFSET 0) b").format(
                t=self.table, rmax=sql.Literal(r_max + SEARCH_MARGIN_M))
            if main:
                self.stats["clash_sql"] = query.as_string(cur)
            data = self._copy_out(cur, query, binary=True)
        return _binary_int8_pairs(data)

    def explain_clash(self) -> str:
        """The query plan of the last clash search (``EXPLAIN``), e.g. to see the GiST index used."""
        query = self.stats.get("clash_sql")
        if not query:
            return ""
        with self.con.cursor() as cur:
            self._execute(cur, "EXPLAIN " + query)
            return "\n".join(r[0] for r in cur.fetchall())

    # -- cover

    def cover(self, rules: RuleSet, ground: Ground | None, roads: Sequence[Any] | None = None, *,
              road_ids: Sequence[Any] | None = None, step_m: float = 1.0, strict: bool = False,
              include_pass: bool = False, max_samples: int = 2_000_000,
              progress: Progress | None = None) -> CoverFindings:
        """:func:`core.checks.cover.check_cover` on the map's segments; the database sorts the pipes against
        the carriageway polygons (wholly inside one, clear of all, crossing an outline) so that only the
        samples of the crossing pipes need a point-in-polygon test. Parameters as there."""
        import shapely

        if not step_m > 0:
            raise InputError("The sampling step must be more than 0 m (got {step}).", code="check.step", step=step_m)
        progress = progress or NullProgress()
        pipes, fids = self.read_pipes(rules, progress=progress)
        progress.report(0.2)
        messages = pipes.problems(("cover",))
        if ground is None:
            messages.append(InputError("No ground surface was given: every cover figure is UNKNOWN.",
                                       code="check.no_ground"))
        road_union = None
        inside = np.zeros(len(pipes), dtype=bool)
        crossing = np.zeros(len(pipes), dtype=bool)
        if roads is not None and len(roads):
            geoms, msgs = _cover.prepare_polygons(roads, road_ids)
            messages += msgs
            road_union = shapely.union_all(geoms)
            shapely.prepare(road_union)
            near_fid, inside_fid = self._road_pipes(geoms)
            near = np.isin(fids, near_fid)
            inside = np.isin(fids, inside_fid)
            crossing = near & ~inside
        _, ud, qmsgs = pipes.uncertainty(ground, rules.quality)
        messages += qmsgs
        cc = rules.cover.codes(pipes.cover_class)
        usable = np.flatnonzero(pipes.usable())
        est = _cover._plan_lengths(pipes) / step_m + np.diff(pipes.offsets) + 1
        parts: list[dict[str, np.ndarray]] = []
        outside = np.zeros(len(pipes), dtype=bool)
        # wholly inside a road: every sample is motor-lane, which a box around all pipes tells at once
        groups = [(usable[crossing[usable]], road_union),
                  (usable[inside[usable]], _box_around(pipes) if inside.any() else None),
                  (usable[~crossing[usable] & ~inside[usable]], None)]
        done = 0
        for sel, surface in groups:
            cum = np.cumsum(est[sel])
            nchunks = int(cum[-1] // max_samples) + 1 if len(cum) else 0
            cuts = np.unique(np.concatenate([[0], np.searchsorted(cum, np.arange(1, nchunks) * max_samples),
                                             [len(sel)]])).astype(np.int64)
            for lo, hi in zip(cuts[:-1], cuts[1:]):
                parts.append(_cover._cover_chunk(pipes, rules, ground, surface, sel[lo:hi], cc, ud, step_m, strict,
                                                 outside))
                done += hi - lo
                progress.report(0.2 + 0.8 * done / max(len(usable), 1))
                check_cancel(progress)
        names = ("pipe", "surface", "cover", "required", "margin", "u", "codes", "rid", "sev", "reason", "x", "y",
                 "g", "z", "n", "nu")
        if parts:  # the rows of usable pipes in pipe order, as check_cover gives them
            merged = {k: np.concatenate([p[k] for p in parts]) for k in names}
            order = np.argsort(merged["pipe"], kind="stable")
            parts = [{k: v[order] for k, v in merged.items()}]
        if ground is not None and outside.any():
            messages.append(InputError("{n} pipes lie partly or wholly outside the ground surface: their cover is "
                                       "UNKNOWN there (e.g. {ids}).", code="check.ground_outside",
                                       n=int(outside.sum()), ids=_some(pipes.ids[outside])))
        bad = np.flatnonzero(~pipes.usable())
        if len(bad):  # pipes without a usable line: UNKNOWN, never left out silently
            nan = np.full(len(bad), np.nan)
            start_xy = pipes.endpoints()[0][bad]
            parts.append({"pipe": bad, "surface": np.full(len(bad), "", dtype=object), "cover": nan,
                          "required": nan, "margin": nan, "u": ud[bad],
                          "codes": np.full(len(bad), V_UNKNOWN, dtype=np.int8),
                          "rid": np.full(len(bad), "", dtype=object), "sev": np.full(len(bad), "warning", dtype=object),
                          "reason": np.full(len(bad), _cover.R_NO_GEOMETRY, dtype=object), "x": start_xy[:, 0],
                          "y": start_xy[:, 1], "g": nan, "z": nan, "n": np.zeros(len(bad), dtype=np.int64),
                          "nu": np.zeros(len(bad), dtype=np.int64)})
        res = {k: np.concatenate([p[k] for p in parts]) if parts else np.zeros(0) for k in names}
        codes = res["codes"].astype(np.int64)
        counts = {"pipes": int(len(codes)), "samples": int(res["n"].sum()) if len(codes) else 0}
        for code, name in enumerate(VERDICTS):
            counts[str(name)] = int(np.sum(codes == code))
        counts["no_rule"] = int(np.sum(res["reason"] == _cover.R_NO_RULE)) if len(codes) else 0
        counts["pipes_in_road"] = int(inside.sum())
        counts["pipes_crossing_road_edge"] = int(crossing.sum())
        keep = np.ones(len(codes), dtype=bool) if include_pass else codes != V_PASS
        idx = res["pipe"].astype(np.int64)[keep]
        out = CoverFindings(
            pipe_id=pipes.ids[idx], index=idx, category=pipes.category[idx], cover_class=pipes.cover_class[idx],
            surface=res["surface"][keep].astype(object), min_cover_m=res["cover"][keep],
            required_m=res["required"][keep], margin_m=res["margin"][keep], uncertainty_m=res["u"][keep],
            verdict=VERDICTS[codes[keep]] if keep.any() else np.zeros(0, dtype=object),
            rule_id=res["rid"][keep].astype(object), severity=res["sev"][keep].astype(object),
            reason=res["reason"][keep].astype(object),
            advice=np.array([ADVICE[int(c)] for c in codes[keep]], dtype=object),
            x=res["x"][keep], y=res["y"][keep], ground_z=res["g"][keep], z=res["z"][keep],
            samples=res["n"][keep].astype(np.int64), unknown_samples=res["nu"][keep].astype(np.int64),
            counts=counts, messages=messages)
        progress.report(1.0)
        return out

    def _road_pipes(self, geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """fids of the pipes within ROAD_EDGE_M of a road polygon, and of those wholly inside one polygon
        farther than ROAD_EDGE_M from its outline."""
        sql = _sql()
        with self.con.cursor() as cur:
            self._send_polygons(cur, geoms)
            edge = sql.Literal(ROAD_EDGE_M)
            query = sql.SQL(
                "SELECT s.fid::int8, bool_or(ST_Length(s.geom) > 0 AND ST_Within(s.geom, p.geom) AND NOT "
                "ST_DWithin(s.geom, ST_Boundary(p.geom), {edge})) FROM pg_temp.pipemap_check_polygons p "
                "JOIN {t} s ON ST_DWithin(s.geom, p.geom, {edge}) GROUP BY s.fid").format(t=self.table, edge=edge)
            self._execute(cur, query)
            rows = cur.fetchall()
        fid = np.array([r[0] for r in rows], dtype=np.int64)
        within = np.array([bool(r[1]) for r in rows], dtype=bool)
        return fid, fid[within]

    # -- excavation

    def excavation(self, polygons: Sequence[Any], *, safety_m: float,
                   bottom_z: float | Sequence[float] | None = None, depth_m: float | Sequence[float] | None = None,
                   exc_ids: Sequence[Any] | None = None, ground: Ground | None = None,
                   quality: dict[str, QualityLevel] | None = None, step_m: float = 1.0, include_pass: bool = False,
                   rules: RuleSet | None = None, progress: Progress | None = None) -> ExcavationFindings:
        """:func:`core.checks.excavation.check_excavation` on the segments near the excavations only.

        The database returns the segments within s + (largest radius) + (largest plan u) of a polygon: a
        bound of every pipe's own search distance s + r + u (u from the pipe's quality level with h at
        most max(1 m, highest ground - lowest pipe z)). ``pipe_index`` of the findings counts among those
        segments. Parameters as there.
        """
        progress = progress or NullProgress()
        rules = rules or RuleSet.shipped()
        quality = quality if quality is not None else load_quality_levels()
        geoms, _ = _cover.prepare_polygons(polygons, exc_ids) if len(polygons) else (np.zeros(0, dtype=object), [])
        sql = _sql()
        distance = self._excavation_reach(safety_m, ground, quality) if len(geoms) else None
        where = None
        if len(geoms) and distance is not None:
            with self.con.cursor() as cur:
                self._send_polygons(cur, geoms)
            where = sql.SQL("s.fid IN (SELECT c.fid FROM pg_temp.pipemap_check_polygons p JOIN {t} c "
                            "ON ST_DWithin(c.geom, p.geom, {d}))").format(t=self.table, d=sql.Literal(distance))
        elif not len(geoms):
            where = sql.SQL("FALSE")
        pipes, fids = self.read_pipes(rules, where=where, progress=progress)
        self.stats["excavation_pipes"] = len(pipes)
        self.stats["excavation_distance_m"] = distance
        progress.report(0.3)
        scaled = SubProgress(progress, 0.3, 1.0)
        return check_excavation(pipes, polygons, safety_m=safety_m, bottom_z=bottom_z, depth_m=depth_m,
                                exc_ids=exc_ids, ground=ground, quality=quality, step_m=step_m,
                                include_pass=include_pass, progress=scaled)

    def _excavation_reach(self, safety_m: float, ground: Ground | None,
                          quality: dict[str, QualityLevel]) -> float | None:
        """A distance no pipe's excavation search distance exceeds, or None when none can be bounded
        (a ground whose highest point is unknown, infinite sizes): then every pipe is read."""
        if not (np.isfinite(safety_m) and safety_m >= 0):
            return None  # check_excavation says what is wrong
        sql = _sql()
        with self.con.cursor() as cur:
            self._execute(cur, sql.SQL(
                "SELECT max(greatest(outer_diameter_mm, width_mm, height_mm, dn_mm + 2 * coalesce(wall_mm, 0))), "
                "min(ST_ZMin(geom)) FROM {t} WHERE geom IS NOT NULL").format(t=self.table))
            size_mm, zmin = cur.fetchone()
            self._execute(cur, sql.SQL("SELECT DISTINCT coalesce(quality_level, '') FROM {t}").format(t=self.table))
            levels = [r[0] for r in cur.fetchall()]
        r_cap = max(UNKNOWN_RADIUS_SEARCH_M, float(size_mm) / 2000.0 if size_mm is not None else 0.0)
        if ground is None:
            h_cap = 1.0
        else:
            g_max = _ground_max(ground)
            if g_max is None:
                return None
            h_cap = 1.0 if not (np.isfinite(g_max) and zmin is not None and np.isfinite(zmin)) \
                else max(1.0, g_max - float(zmin))
        u_cap = 0.0
        for level in levels:
            q = quality.get(level) if level else DEFAULT_QUALITY
            q = q or DEFAULT_QUALITY
            u = float(np.maximum(q.u_plan_min_m, q.u_plan_per_h * h_cap))
            u_cap = max(u_cap, u if np.isfinite(u) else UNKNOWN_U_SEARCH_M)
        distance = safety_m + r_cap + u_cap + SEARCH_MARGIN_M * 100
        return distance if np.isfinite(distance) else None


# --- helpers ----------------------------------------------------------------------------------------------------


def _binary_body(data: bytes) -> memoryview:
    """The tuples of a binary ``COPY ... TO STDOUT`` (header and trailer taken off)."""
    if not data.startswith(_BINARY_SIGNATURE):
        raise ValueError("not PostgreSQL binary COPY data")
    ext = int.from_bytes(data[15:19], "big")
    return memoryview(data)[19 + ext:len(data) - 2]  # the trailer is a field count of -1


def _binary_fixed(data: bytes, n_fields: int) -> list[np.ndarray]:
    """The columns of a binary COPY of a bigint and ``n_fields - 1`` double precision values (no NULLs): an
    int64 array, then float64 arrays."""
    fields = [("n", ">i2"), ("len0", ">i4"), ("v0", ">i8")]
    for k in range(1, n_fields):
        fields += [(f"len{k}", ">i4"), (f"v{k}", ">f8")]
    row = np.dtype(fields)
    body = _binary_body(data)
    if len(body) % row.itemsize:
        raise ValueError("unexpected binary COPY row layout")
    rows = np.frombuffer(body, dtype=row)
    if len(rows) and not ((rows["n"] == n_fields).all() and all((rows[f"len{k}"] == 8).all()
                                                                for k in range(n_fields))):
        raise ValueError("unexpected binary COPY row layout")
    return [rows["v0"].astype(np.int64)] + [rows[f"v{k}"].astype(np.float64) for k in range(1, n_fields)]


def _binary_blobs(data: bytes) -> np.ndarray:
    """The values of a one-column binary COPY (bytea, no NULLs) as an object array of bytes."""
    body = bytes(_binary_body(data))
    out = []
    pos, end = 0, len(body)
    while pos < end:  # per row: field count (2 bytes), length (4), value
        size = int.from_bytes(body[pos + 2:pos + 6], "big", signed=True)
        out.append(body[pos + 6:pos + 6 + size])
        pos += 6 + size
    return np.array(out + [None], dtype=object)[:-1]  # (the None keeps numpy from making a 2D bytes array)


_COPY_UNESCAPE = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}


def _unescape(value: str) -> str:
    """A COPY text value with its backslash escapes undone (``\\N`` is NULL: "")."""
    if value == "\\N":
        return ""
    if "\\" not in value:
        return value
    out = []
    i = 0
    while i < len(value):
        ch = value[i]
        if ch == "\\" and i + 1 < len(value):
            out.append(_COPY_UNESCAPE.get(value[i + 1], value[i + 1]))
            i += 2
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def text_columns(data: bytes, n: int) -> list[np.ndarray]:
    """The ``n`` columns of a COPY text stream as object arrays of str (NULL as "")."""
    text = data.decode("utf-8")
    escaped = "\\" in text  # NULLs and escaped characters; most maps have neither
    lines = text.split("\n")
    del text
    if lines and lines[-1] == "":
        lines.pop()
    rows = [line.split("\t") for line in lines]
    del lines
    if any(len(r) != n for r in rows):
        raise ValueError("unexpected COPY text row layout")
    cols = list(zip(*rows)) if rows else [()] * n
    del rows
    out = []
    for col in cols:
        if escaped:
            col = tuple(_unescape(v) if "\\" in v else v for v in col)
        out.append(np.array(col, dtype=object) if col else np.zeros(0, dtype=object))
    return out


def _binary_int8_pairs(data: bytes) -> tuple[np.ndarray, np.ndarray]:
    """The two bigint columns of a binary ``COPY ... TO STDOUT`` (no NULLs), as int64 arrays."""
    if not data.startswith(_BINARY_SIGNATURE):
        raise ValueError("not PostgreSQL binary COPY data")
    ext = int.from_bytes(data[15:19], "big")
    body = memoryview(data)[19 + ext:len(data) - 2]  # the trailer is a field count of -1
    row = np.dtype([("n", ">i2"), ("la", ">i4"), ("a", ">i8"), ("lb", ">i4"), ("b", ">i8")])
    if len(body) % row.itemsize:
        raise ValueError("unexpected binary COPY row layout")
    rows = np.frombuffer(body, dtype=row)
    if len(rows) and not ((rows["n"] == 2).all() and (rows["la"] == 8).all() and (rows["lb"] == 8).all()):
        raise ValueError("unexpected binary COPY row layout")
    return rows["a"].astype(np.int64), rows["b"].astype(np.int64)


def _multipolygon_wkt(geom: Any) -> str | None:
    """The polygons of a shapely geometry as MULTIPOLYGON WKT (None when it has none)."""
    import shapely

    if geom is None:
        return None
    polys = []
    for part in shapely.get_parts(geom):
        if shapely.get_type_id(part) != 3 or shapely.is_empty(part):
            continue
        rings = [shapely.get_exterior_ring(part)] + [shapely.get_interior_ring(part, k)
                                                     for k in range(shapely.get_num_interior_rings(part))]
        polys.append("(" + ",".join("(" + ",".join(f"{float(x)!r} {float(y)!r}" for x, y in
                                                   shapely.get_coordinates(r)) + ")" for r in rings) + ")")
    return "MULTIPOLYGON(" + ",".join(polys) + ")" if polys else None


def _box_around(pipes: Pipes) -> Any:
    """A prepared box around every vertex of the pipes."""
    import shapely

    xy = pipes.vertices[:, :2]
    xy = xy[np.isfinite(xy).all(axis=1)]
    if not len(xy):
        xy = np.zeros((1, 2))
    box = shapely.box(float(xy[:, 0].min()) - 1.0, float(xy[:, 1].min()) - 1.0, float(xy[:, 0].max()) + 1.0,
                      float(xy[:, 1].max()) + 1.0)
    shapely.prepare(box)
    return box


def _ground_max(ground: Ground) -> float | None:
    """The highest value a ground surface can return (NaN: none known), or None for a kind of ground
    whose highest value cannot be told."""
    values = getattr(ground, "data", None)  # core.raster.DemSampler (bilinear: never above its cells)
    if not isinstance(values, np.ndarray):
        values = getattr(ground, "z", None)  # core.checks.ground.TinGround (linear in triangles)
    if not isinstance(values, np.ndarray):
        return None
    finite = values[np.isfinite(values)]
    return float(finite.max()) if finite.size else float("nan")


def check_clash_pg(target: PgMap | str, rules: RuleSet, **kwargs: Any) -> ClashFindings:
    """:meth:`PgMapChecks.clash` on a map string or :class:`PgMap`."""
    with PgMapChecks(target) as db:
        return db.clash(rules, **kwargs)


def check_cover_pg(target: PgMap | str, rules: RuleSet, ground: Ground | None, roads: Sequence[Any] | None = None,
                   **kwargs: Any) -> CoverFindings:
    """:meth:`PgMapChecks.cover` on a map string or :class:`PgMap`."""
    with PgMapChecks(target) as db:
        return db.cover(rules, ground, roads, **kwargs)


def check_excavation_pg(target: PgMap | str, polygons: Sequence[Any], **kwargs: Any) -> ExcavationFindings:
    """:meth:`PgMapChecks.excavation` on a map string or :class:`PgMap`."""
    with PgMapChecks(target) as db:
        return db.excavation(polygons, **kwargs)
