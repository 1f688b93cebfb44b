"""The network graphs, topology findings, traces and isolations of a PostGIS map are the GeoPackage map's.

The sample district is imported into a GeoPackage and transferred into PostGIS
(core.pg.transfer.gpkg_to_postgis); both are read by core.network.graph.load_graphs and
everything built on the graphs is compared: node and edge arrays, topology findings, traces in
every direction and valve isolations with customers. Then the errors: a map string with a wrong
password, a missing schema, a schema that is not a map -- each message names the map, never the
password.
"""

from __future__ import annotations

import time

import numpy as np
import pytest
from pipemap_test_pgsupport import connect, map_string, unique_schema

from pipemap.core.errors import InputError, PipeMapError
from pipemap.core.network import graph as ng
from pipemap.core.network import isolate as iso
from pipemap.core.network.topology import check_topology
from pipemap.core.network.trace import DIRECTIONS, trace
from pipemap.core.pg import transfer
from pipemap.core.pg.connect import parse_map

_ARRAYS = ("seg_ids", "u", "v", "length_m", "dn_mm", "z_u", "z_v", "invert_u", "invert_v", "road", "subcategory",
           "vertices", "offsets", "xy", "kind", "point_id", "point_feature", "node_road", "indptr", "inc_edge",
           "inc_other", "loose_points")


@pytest.fixture(scope="module")
def district_pg(imported_district, postgis):
    """(GeoPackage map, PostGIS map, SampleDistrict): the same district in both (read only)."""
    gpkg, district = imported_district
    pg = parse_map(map_string(postgis, unique_schema("net")))
    transfer.gpkg_to_postgis(gpkg, pg)
    return gpkg, pg, district


@pytest.fixture(scope="module")
def both(district_pg):
    gpkg, pg, _ = district_pg
    return ng.load_graphs(gpkg), ng.load_graphs(pg)


def same_array(a, b):
    a, b = np.asarray(a), np.asarray(b)
    if a.shape != b.shape:
        return False
    if a.dtype == object or b.dtype == object:
        return a.tolist() == b.tolist()
    return np.allclose(a, b, rtol=0, atol=1e-9, equal_nan=True)


def test_the_graphs_are_the_geopackage_maps(both, district_pg):
    gp, pg = both
    assert list(pg) == list(gp) and {"JS", "RQ", "PS", "RL"} <= set(gp)
    for cat, g in gp.items():
        h = pg[cat]
        assert (h.n_edges, h.n_nodes) == (g.n_edges, g.n_nodes) and g.n_edges > 0, cat
        for name in _ARRAYS:
            assert same_array(getattr(h, name), getattr(g, name)), (cat, name)
        assert (h.kind == ng.VALVE).sum() == (g.kind == ng.VALVE).sum()
    assert (gp["JS"].kind == ng.VALVE).sum() > 0 and (gp["JS"].kind == ng.HYDRANT).sum() > 0
    # the map string (not a PgMap) and a category filter (any case) read the same
    _, pg_map, _ = district_pg
    only = ng.load_graphs(pg_map.uri(with_password=True), ["js", "RQ"])
    assert list(only) == ["JS", "RQ"]
    assert same_array(only["JS"].seg_ids, gp["JS"].seg_ids) and same_array(only["RQ"].xy, gp["RQ"].xy)


def test_topology_findings_are_the_same(both):
    gp, pg = both
    want, got = check_topology(gp), check_topology(pg)
    assert len(want) > 0 and want.counts()["reversed_slope"] > 0
    assert got.counts() == want.counts()
    key = ("reason", "severity", "category", "seg_id", "other_id", "point_id")
    assert [tuple(r[k] for k in key) for r in got.records()] == [tuple(r[k] for k in key) for r in want.records()]


def test_traces_are_the_same(both):
    gp, pg = both
    for cat in ("JS", "PS", "RQ"):
        g, h = gp[cat], pg[cat]
        for e in range(0, g.n_edges, 7):
            for direction in DIRECTIONS:
                for stop in ((), (ng.VALVE,)):
                    a = trace(g, edge=e, direction=direction, stop_kinds=stop)
                    b = trace(h, edge=e, direction=direction, stop_kinds=stop)
                    assert b.edges.tolist() == a.edges.tolist() and b.nodes.tolist() == a.nodes.tolist(), \
                        (cat, e, direction)
                    assert b.stops.tolist() == a.stops.tolist()
    assert len(trace(gp["JS"], edge=3, direction="connected", stop_kinds={ng.VALVE}).stops) > 0


def test_isolations_with_customers_are_the_same(both, district_pg):
    import shapely

    gp, pg = both
    pressure_gp = {c: g for c, g in gp.items() if c in ng.PRESSURE}
    pressure_pg = {c: g for c, g in pg.items() if c in ng.PRESSURE}
    for g in (*pressure_gp.values(), *pressure_pg.values()):
        iso.prepare(g)
    js = gp["JS"]
    # customers: a point 5 m off each JS segment's midpoint
    mids = np.array([js.midpoint(e) for e in range(js.n_edges)])
    customers = shapely.points(mids + [0.0, 5.0])
    compared = valves = 0
    for cat in ("JS", "RQ"):
        g = gp[cat]
        for e in range(0, g.n_edges, 5):
            x, y = g.midpoint(e)
            a = iso.isolate_at(pressure_gp, x, y, cat)
            b = iso.isolate_at(pressure_pg, x, y, cat)
            assert (b.category, b.seg_id) == (a.category, a.seg_id)
            assert [(o.point_id, o.action, o.order) for o in b.operations] == \
                [(o.point_id, o.action, o.order) for o in a.operations], (cat, e)
            assert b.isolated_edges.tolist() == a.isolated_edges.tolist()
            assert b.cut_off_edges.tolist() == a.cut_off_edges.tolist()
            assert b.hydrants == a.hydrants
            if cat == "JS":
                ca = iso.customers_affected(gp["JS"], a, customers, 50.0)
                cb = iso.customers_affected(pg["JS"], b, customers, 50.0)
                assert cb.state.tolist() == ca.state.tolist() and cb.seg_id.tolist() == ca.seg_id.tolist()
                assert cb.counts() == ca.counts()
            compared += 1
            valves += a.valves_to_close
    assert compared > 10 and valves > 0


def test_a_change_in_the_database_is_read(district_pg, postgis):
    """A segment abandoned in PostGIS (as another department would) leaves the graph when it is read again."""
    gpkg, pg, _ = district_pg
    copy = parse_map(map_string(postgis, unique_schema("netedit")))
    transfer.gpkg_to_postgis(gpkg, copy)
    before = ng.load_graphs(copy, ["JS"])["JS"]
    gone = str(before.seg_ids[0])
    con = connect(postgis)
    try:
        with con.cursor() as cur:
            cur.execute(f'UPDATE "{copy.schema}".pipe_segment SET status = %s WHERE seg_id = %s', ("1", gone))
        con.commit()
    finally:
        con.close()
    after = ng.load_graphs(copy, ["JS"])["JS"]
    assert after.n_edges == before.n_edges - 1 and after.edge_of(gone) is None


def test_a_wrong_password_names_the_map_without_the_password(postgis, district_pg):
    _, pg, _ = district_pg
    secret = "S3cr3t-pw'x"
    # the test cluster trusts local users, so a role that does not exist is what refuses the login here
    bad = pg.with_params(user="nobody_" + unique_schema("u"), password=secret)
    with pytest.raises(InputError) as info:
        ng.load_graphs(bad.uri(with_password=True))
    text = str(info.value)
    assert "Cannot connect to the PostGIS map" in text and pg.schema in text and "nobody_" in text
    assert secret not in text and "S3cr3t" not in text
    # nothing listening on the port
    closed = pg.with_params(port="1", password=secret)
    with pytest.raises(InputError) as info:
        ng.read_map(closed)
    assert pg.schema in str(info.value) and "S3cr3t" not in str(info.value)


def test_a_missing_schema_or_not_a_map(postgis):
    secret = "An0ther-secret"
    missing = parse_map(map_string({**postgis, "password": secret}, unique_schema("nomap")))
    with pytest.raises(InputError) as info:
        ng.load_graphs(missing)
    text = str(info.value)
    assert "does not exist" in text and missing.schema in text and secret not in text
    # a schema that is not a map
    name = unique_schema("plain")
    con = connect(postgis)
    try:
        with con.cursor() as cur:
            cur.execute(f'CREATE SCHEMA "{name}"')
        con.commit()
    finally:
        con.close()
    with pytest.raises(PipeMapError) as info:
        ng.load_graphs(parse_map(map_string(postgis, name)))
    assert name in str(info.value) and "not a PipeMap map" in str(info.value)


def test_unknown_category_is_refused_before_connecting(district_pg):
    _, pg, _ = district_pg
    with pytest.raises(InputError, match="Unknown category 'XX'"):
        ng.load_graphs(pg.with_params(port="1"), ["XX"])


def test_load_time_is_close_to_the_geopackage(district_pg):
    """Reading the district's networks from PostGIS costs about what the GeoPackage does (a loose bound:
    a shared 2-core machine)."""
    gpkg, pg, _ = district_pg

    def best(source):
        times = []
        for _ in range(3):
            t0 = time.perf_counter()
            ng.load_graphs(source)
            times.append(time.perf_counter() - t0)
        return min(times)

    t_gp, t_pg = best(gpkg), best(pg)
    print(f"district networks: GeoPackage {t_gp * 1000:.0f} ms, PostGIS {t_pg * 1000:.0f} ms")
    assert t_pg < max(1.0, 5 * t_gp)
