"""Valve isolation on hand-built networks: rings, failed valves, closed valves, loops, sources inside the
area, no source, no valve, order of travel, customers and the hazard zone."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from pipemap.core.errors import InputError
from pipemap.core.network import isolate as iso


def segs(g, edges):
    return sorted(g.seg_ids[edges].tolist())


def ops(result, action=None):
    return [o.point_id for o in result.operations if action is None or o.action == action]


@pytest.fixture
def main(make_graph):
    """A main along x fed by a plant at 0: valves at 10, 30, 50, 70; a hydrant at 60; a stub at 80."""
    lines = [(f"e{i}", [(10 * i, 0), (10 * i + 10, 0)]) for i in range(8)]
    points = [("P", 0, 0, "plant"), ("V1", 10, 0, "valve"), ("J1", 20, 0, "line_point"), ("V2", 30, 0, "valve"),
              ("J2", 40, 0, "line_point"), ("V3", 50, 0, "valve"), ("H", 60, 0, "hydrant"), ("V4", 70, 0, "valve"),
              ("END", 80, 0, "stub")]
    return make_graph(lines, points)


def test_ring_of_valves_and_what_loses_supply(main):
    g = main
    r = iso.isolate(g, g.edge_of("e2"), 0.5)
    assert ops(r) == ["V2", "V1"]  # nearest first: V2 is 5 m away, then V1 20 m further
    assert [o.action for o in r.operations] == ["close", "close"]
    assert [(o.order, o.leg_m, o.cum_m, o.route) for o in r.operations] == [
        (1, pytest.approx(5.0), pytest.approx(5.0), "network"), (2, pytest.approx(20.0), pytest.approx(25.0),
                                                                   "network")]
    assert segs(g, r.isolated_edges) == ["e1", "e2"]
    assert segs(g, r.cut_off_edges) == ["e3", "e4", "e5", "e6", "e7"]
    assert r.hydrants == ["H"] and r.supply_basis == "sources" and r.messages == []
    assert r.valves_to_close == 2
    assert r.length_isolated_m(g) == pytest.approx(20) and r.length_cut_off_m(g) == pytest.approx(50)
    assert sorted(g.point_id[r.isolated_nodes].tolist()) == ["J1", "V1", "V2"]
    assert (r.px, r.py) == (pytest.approx(25.0), pytest.approx(0.0))


def test_a_valve_that_fails_moves_the_ring_outwards(main):
    g = main
    r = iso.isolate(g, g.edge_of("e2"), 0.5, failed=[g.node_of("V2")])
    assert ops(r) == ["V1", "V3"]
    assert r.failed_met == ["V2"]
    assert segs(g, r.isolated_edges) == ["e1", "e2", "e3", "e4"]
    assert segs(g, r.cut_off_edges) == ["e5", "e6", "e7"]
    twice = iso.isolate(g, g.edge_of("e2"), 0.5, failed=[g.node_of("V2"), g.node_of("V3")])
    assert ops(twice) == ["V1", "V4"] and twice.failed_met == ["V2", "V3"]


def test_closed_valves_bound_the_area_and_are_only_checked(main):
    g = main
    closed = [g.node_of("V3")]
    r = iso.isolate(g, g.edge_of("e3"), 0.5, closed=closed)
    assert ops(r, "close") == ["V2"]
    assert ops(r, "verify_closed") == ["V3"]
    assert [o.order for o in r.operations] == [1, 0]  # the closed one is not on the route
    assert segs(g, r.isolated_edges) == ["e3", "e4"]
    assert segs(g, r.cut_off_edges) == []  # beyond V3 nothing was fed before either
    r2 = iso.isolate(g, g.edge_of("e2"), 0.5, closed=closed)
    assert segs(g, r2.cut_off_edges) == ["e3", "e4"]
    # a closed valve that is also listed as failed stays closed
    r3 = iso.isolate(g, g.edge_of("e3"), 0.5, closed=closed, failed=closed)
    assert ops(r3, "verify_closed") == ["V3"]


def test_valves_on_both_ends_isolate_one_segment(make_graph):
    lines = [("a", [(0, 0), (10, 0)]), ("b", [(10, 0), (20, 0)]), ("c", [(20, 0), (30, 0)])]
    g = make_graph(lines, [("P", 0, 0, "plant"), ("Va", 10, 0, "valve"), ("Vb", 20, 0, "valve_chamber")])
    r = iso.isolate(g, g.edge_of("b"), 0.2)
    assert segs(g, r.isolated_edges) == ["b"]
    assert ops(r) == ["Va", "Vb"]
    assert segs(g, r.cut_off_edges) == ["c"]


@pytest.fixture
def loop(make_graph):
    """A plant at (0, 0) feeding a square loop A-B-C-D (valves mid-side) with a dead-end branch B-E."""
    pts = {"P": (0, 0), "A": (10, 0), "ab": (15, 0), "B": (20, 0), "bc": (20, 5), "C": (20, 10), "cd": (15, 10),
           "D": (10, 10), "da": (10, 5), "E": (30, 0)}
    chain = ["A", "ab", "B", "bc", "C", "cd", "D", "da", "A"]
    lines = [("PA", [pts["P"], pts["A"]]), ("BE", [pts["B"], pts["E"]])]
    lines += [(f"{a}-{b}", [pts[a], pts[b]]) for a, b in zip(chain, chain[1:])]
    points = [("P", *pts["P"], "plant")] + [(k, *pts[k], "valve") for k in ("ab", "bc", "cd", "da")]
    return make_graph(lines, points)


def test_a_loop_keeps_supplying_the_far_side(loop):
    g = loop
    r = iso.isolate(g, g.edge_of("B-bc"), 0.5)
    assert sorted(ops(r)) == ["ab", "bc"]
    assert segs(g, r.isolated_edges) == ["B-bc", "BE", "ab-B"]
    assert segs(g, r.cut_off_edges) == []  # C and the rest are fed the other way round
    r2 = iso.isolate(g, g.edge_of("B-bc"), 0.5, failed=[g.node_of("ab")])
    assert sorted(ops(r2, "close")) == ["bc", "da"]
    assert ops(r2, "shut_source") == ["P"]  # the plant now borders the area
    assert segs(g, r2.isolated_edges) == ["A-ab", "B-bc", "BE", "PA", "ab-B", "da-A"]
    assert segs(g, r2.cut_off_edges) == ["C-cd", "D-da", "bc-C", "cd-D"]  # the only source is shut


@pytest.fixture
def tower(make_graph):
    """A plant at 0, valves at 10 and 30, a water tower on a branch from 20."""
    lines = [("a", [(0, 0), (10, 0)]), ("b", [(10, 0), (20, 0)]), ("c", [(20, 0), (30, 0)]),
             ("d", [(30, 0), (40, 0)]), ("t", [(20, 0), (20, 10)])]
    points = [("P", 0, 0, "plant"), ("V1", 10, 0, "valve"), ("V2", 30, 0, "valve"), ("T", 20, 10, "water_tower")]
    return make_graph(lines, points)


def test_a_source_inside_the_area_is_shut_off(tower):
    g = tower
    r = iso.isolate(g, g.edge_of("b"), 0.5)
    assert sorted(ops(r, "close")) == ["V1", "V2"]
    assert ops(r, "shut_source") == ["T"]
    assert [o.kind for o in r.operations if o.point_id == "T"] == ["source"]
    assert segs(g, r.isolated_edges) == ["b", "c", "t"]
    assert segs(g, r.cut_off_edges) == ["d"]  # fed only through the area
    failed = iso.isolate(g, g.edge_of("b"), 0.5, failed=[g.node_of("T")])
    assert failed.sources_unshut == ["T"]
    assert [m.code for m in failed.messages] == ["network.source_unshut"]
    assert "T" not in ops(failed)


def test_segments_beyond_the_ring_fed_by_another_source_stay_supplied(make_graph):
    lines = [("a", [(0, 0), (10, 0)]), ("b", [(10, 0), (20, 0)]), ("c", [(20, 0), (30, 0)]),
             ("d", [(30, 0), (40, 0)])]
    points = [("P", 0, 0, "plant"), ("V1", 10, 0, "valve"), ("V2", 30, 0, "valve"), ("Q", 40, 0, "regulator")]
    g = make_graph(lines, points, category="RQ")
    r = iso.isolate(g, g.edge_of("b"), 0.5)
    assert sorted(ops(r)) == ["V1", "V2"]
    assert segs(g, r.cut_off_edges) == []  # d is fed by the regulator Q
    r_d = iso.isolate(g, g.edge_of("d"), 0.5)
    assert ops(r_d, "close") == ["V2"] and ops(r_d, "shut_source") == ["Q"]


def test_no_source_takes_the_largest_remaining_part_as_supplied(make_graph):
    lines = [("a", [(0, 0), (10, 0)]), ("b", [(10, 0), (20, 0)]), ("c", [(20, 0), (30, 0)]),
             ("d", [(30, 0), (50, 0)])]
    g = make_graph(lines, [("V1", 10, 0, "valve"), ("V2", 20, 0, "valve")])
    r = iso.isolate(g, g.edge_of("b"), 0.5)
    assert r.supply_basis == "largest_part"
    assert [m.code for m in r.messages] == ["network.no_source"]
    assert segs(g, r.cut_off_edges) == ["a"]  # 10 m against 30 m beyond V2


def test_no_valve_isolates_the_whole_network(make_graph):
    g = make_graph([("a", [(0, 0), (10, 0)]), ("b", [(10, 0), (20, 0)])], [("P", 0, 0, "plant")])
    r = iso.isolate(g, g.edge_of("b"), 0.5)
    assert ops(r) == ["P"] and segs(g, r.isolated_edges) == ["a", "b"]
    g2 = make_graph([("a", [(0, 0), (10, 0)])])
    r2 = iso.isolate(g2, 0, 0.5)
    assert r2.operations == [] and "network.no_valve" in [m.code for m in r2.messages]


def test_many_valves_are_ordered_by_straight_lines(make_graph):
    lines, points = [], []
    for k in range(50):
        a = 2 * np.pi * k / 50
        p1 = (10 * np.cos(a), 10 * np.sin(a))
        p2 = (20 * np.cos(a), 20 * np.sin(a))
        lines += [(f"s{k}", [(0, 0), p1]), (f"t{k}", [p1, p2])]
        points.append((f"V{k}", *p1, "valve"))
    g = make_graph(lines, points)
    r = iso.isolate(g, g.edge_of("s0"), 0.5)
    assert len(r.operations) == 50
    assert {o.route for o in r.operations} == {"straight_line"}
    assert "network.many_valves" in [m.code for m in r.messages]
    assert r.operations[0].point_id == "V0"  # 5 m from the failure
    assert [o.order for o in r.operations] == list(range(1, 51))


def test_customers_and_the_hazard_zone(main):
    g = main
    r = iso.isolate(g, g.edge_of("e2"), 0.5)
    customers = [shapely.Point(25, 3), shapely.box(54, 2, 58, 6), shapely.Point(5, -2), shapely.Point(25, 500), None]
    impact = iso.customers_affected(g, r, customers, max_distance_m=20, hazard_radius_m=4)
    assert impact.state.tolist() == ["isolated", "cut_off", "", "", ""]
    assert impact.seg_id.tolist() == ["e2", "e5", "e0", "", ""]
    assert impact.distance_m[:3] == pytest.approx([3, 2, 2])
    assert impact.in_hazard.tolist() == [True, False, False, False, False]
    assert impact.counts() == {"affected": 2, "in_hazard": 1, "unassigned": 2}
    assert iso.hazard_zone(r, 0) is None
    assert iso.hazard_zone(r, 10).area == pytest.approx(np.pi * 100, rel=0.01)


def test_isolate_at_picks_the_nearest_pressure_pipe(main, make_graph):
    drain = make_graph([("pd", [(0, 1), (80, 1)])], category="PS")
    r = iso.isolate_at({"JS": main, "PS": drain}, 25, 0.9)
    assert r.category == "JS" and r.seg_id == "e2"
    assert r.distance_m == pytest.approx(0.9) and (r.x, r.y) == (25, 0.9)
    with pytest.raises(InputError, match="not a pressure network"):
        iso.isolate_at({"JS": main, "PS": drain}, 25, 0.9, category="PS")
    with pytest.raises(InputError, match="No JS pipe lies within 5"):
        iso.isolate_at({"JS": main}, 25, 100, category="js", search_distance=5)


def test_unknown_valve_ids_are_named(main):
    r = iso.isolate_at({"JS": main}, 25, 0, failed_ids=["V2", "nope", "H"], closed_ids=["X9"])
    assert ops(r) == ["V1", "V3"]
    codes = [(m.code, m.params["param"], m.params["ids"]) for m in r.messages]
    assert ("network.unknown_valve", "FAILED_VALVES", "nope, H") in codes
    assert ("network.unknown_valve", "CLOSED_VALVES", "X9") in codes


def test_parse_ids():
    assert iso.parse_ids("V1, V2;V3  V4\nV5\uff0cV6\u3001V7") == ["V1", "V2", "V3", "V4", "V5", "V6", "V7"]
    assert iso.parse_ids(None) == [] and iso.parse_ids(["a", " ", "b"]) == ["a", "b"]


def test_bad_edge_is_an_input_error(main):
    with pytest.raises(InputError, match="No segment"):
        iso.isolate(main, 99)


def test_prepare_makes_the_zones_once(main):
    iso.prepare(main)
    z = iso.zones(main)
    assert z is iso.zones(main)
    assert z.n_zones == 5  # e0 | e1 e2 | e3 e4 | e5 e6 | e7
    assert () in z._baseline
