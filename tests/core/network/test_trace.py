"""Traces on hand-built networks: connected with stops and closed valves, upstream and downstream."""

from __future__ import annotations

import numpy as np
import pytest

from pipemap.core.errors import InputError
from pipemap.core.network import graph as ng
from pipemap.core.network.trace import trace


def ids(g, edges):
    return sorted(g.seg_ids[edges].tolist())


@pytest.fixture
def water(make_graph):
    """A-B-C-D-E along x (10 m each) with a branch at C going north (C-F); valves at B and D, a hydrant at F."""
    lines = [("AB", [(0, 0), (10, 0)]), ("BC", [(10, 0), (20, 0)]), ("CD", [(20, 0), (30, 0)]),
             ("DE", [(30, 0), (40, 0)]), ("CF", [(20, 0), (20, 10)])]
    points = [("B", 10, 0, "valve"), ("D", 30, 0, "valve"), ("F", 20, 10, "hydrant"), ("C", 20, 0, "tee"),
              ("A", 0, 0, "plant")]
    return make_graph(lines, points)


def test_connected_trace_stops_at_valves(water):
    g = water
    r = trace(g, edge=g.edge_of("BC"), direction="connected", stop_kinds={ng.VALVE})
    assert ids(g, r.edges) == ["BC", "CD", "CF"]
    assert sorted(g.point_id[r.stops].tolist()) == ["B", "D"]
    r_all = trace(g, edge=g.edge_of("BC"), direction="connected")
    assert ids(g, r_all.edges) == ["AB", "BC", "CD", "CF", "DE"]
    assert len(r_all.stops) == 0 and r_all.length_m(g) == pytest.approx(50)


def test_closed_valves_stop_a_trace_and_a_trace_leaves_its_start_node(water):
    g = water
    r = trace(g, edge=g.edge_of("CF"), closed=[g.node_of("D")])
    assert ids(g, r.edges) == ["AB", "BC", "CD", "CF"]
    assert g.point_id[r.stops].tolist() == ["D"]
    from_valve = trace(g, node=g.node_of("D"), stop_kinds={ng.VALVE})
    assert ids(g, from_valve.edges) == ["BC", "CD", "CF", "DE"]
    assert g.point_id[from_valve.stops].tolist() == ["B"]


def test_stop_at_hydrants_keeps_the_hydrant_as_a_stop(water):
    g = water
    r = trace(g, node=g.node_of("C"), stop_kinds={ng.HYDRANT, ng.VALVE})
    assert ids(g, r.edges) == ["BC", "CD", "CF"]
    assert sorted(g.point_id[r.stops].tolist()) == ["B", "D", "F"]


def test_downstream_and_upstream_on_a_pressure_network_follow_the_source(water):
    g = water  # the plant at A feeds everything
    down = trace(g, edge=g.edge_of("BC"), direction="downstream")
    assert down.flow_basis == "sources"
    assert ids(g, down.edges) == ["BC", "CD", "CF", "DE"]
    up = trace(g, edge=g.edge_of("CD"), direction="upstream")
    assert ids(g, up.edges) == ["AB", "BC", "CD"]


@pytest.fixture
def drains(make_graph):
    """Two branches joining at J, flowing to the outlet O; one branch has a reversed pipe."""
    lines = [("a1", [(0, 10, 12.0), (10, 10, 11.5)]), ("a2", [(10, 10, 11.5), (20, 0, 11.0)]),
             ("b1", [(0, -10, 12.2), (10, -10, 11.6)]), ("b2", [(10, -10, 11.6), (20, 0, 11.0)]),
             ("t1", [(20, 0, 11.0), (30, 0, 10.5)]), ("t2", [(30, 0, 10.5), (40, 0, 10.0)]),
             ("rev", [(40, 0, 10.0), (50, 0, 10.3)])]  # digitised towards O but rising: it flows back to t2's end
    points = [("J", 20, 0, "sewer_manhole"), ("O", 40, 0, "outlet")]
    return make_graph(lines, points, category="PS")


def test_drain_traces_follow_the_inverts(drains):
    g = drains
    up = trace(g, edge=g.edge_of("t2"), direction="upstream")
    assert up.flow_basis == "inverts"
    assert ids(g, up.edges) == ["a1", "a2", "b1", "b2", "t1", "t2"]
    into_outlet = trace(g, node=g.node_of("O"), direction="upstream")
    assert ids(g, into_outlet.edges) == ["a1", "a2", "b1", "b2", "rev", "t1", "t2"]  # rev falls back to O
    down = trace(g, edge=g.edge_of("a1"), direction="downstream")
    assert ids(g, down.edges) == ["a1", "a2", "t1", "t2"]
    down_rev = trace(g, edge=g.edge_of("rev"), direction="downstream")
    assert ids(g, down_rev.edges) == ["rev"]  # its downstream end is the outlet node: nothing leaves it
    stop = trace(g, edge=g.edge_of("t2"), direction="upstream", stop_kinds={ng.MANHOLE})
    assert ids(g, stop.edges) == ["t1", "t2"]
    assert g.point_id[stop.stops].tolist() == ["J"]


def test_unknown_flow_is_followed_both_ways(make_graph):
    lines = [(f"S{i}", [(10 * i, 0), (10 * i + 10, 0)]) for i in range(3)]
    g = make_graph(lines, [("W1", 0, 0, "water_tower"), ("W2", 30, 0, "plant")])
    r = trace(g, edge=1, direction="downstream")
    assert r.unknown_flow == 1
    assert ids(g, r.edges) == ["S1"]  # both ends lead only upstream (towards a source)
    up = trace(g, edge=1, direction="upstream")
    assert ids(g, up.edges) == ["S0", "S1", "S2"]


def test_bad_calls_are_input_errors(water):
    with pytest.raises(InputError, match="one segment or one node"):
        trace(water, edge=0, node=0)
    with pytest.raises(InputError, match="one segment or one node"):
        trace(water)
    with pytest.raises(InputError, match="direction"):
        trace(water, edge=0, direction="sideways")


def test_trace_result_arrays_are_sorted_and_unique(water):
    r = trace(water, edge=0)
    for arr in (r.edges, r.nodes, r.stops):
        assert np.array_equal(arr, np.unique(arr))
