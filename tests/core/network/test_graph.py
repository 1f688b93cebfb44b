"""The network graph: snapping, node types, lengths, flow direction, lookups, reading a map."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from pipemap.core.errors import InputError
from pipemap.core.network import graph as ng


def test_ends_closer_than_the_tolerance_are_one_node(make_graph):
    lines = [("A", [(0, 0), (10, 0)]), ("B", [(10.005, 0), (20, 0)]), ("C", [(20.02, 0), (30, 0)])]
    g = make_graph(lines)
    assert g.n_nodes == 5  # A-B joined (5 mm), B-C not (20 mm)
    assert g.v[0] == g.u[1]
    assert g.v[1] != g.u[2]
    g2 = make_graph(lines, tolerance=0.05)
    assert g2.n_nodes == 4
    assert g2.v[1] == g2.u[2]


def test_snapping_is_single_linkage_and_keeps_the_first_position():
    node, rep = ng.snap_points(np.array([[0, 0], [0.008, 0], [0.016, 0], [5, 5]]), 0.01)
    assert node.tolist() == [0, 0, 0, 1]
    assert rep.tolist() == [[0, 0], [5, 5]]
    node0, _ = ng.snap_points(np.array([[1, 1], [1, 1], [1.0001, 1]]), 0.0)
    assert node0.tolist() == [0, 0, 1]  # tolerance 0: only identical positions


def test_points_type_the_nodes_they_lie_on(make_graph):
    lines = [(f"S{i}", [(10 * i, 0), (10 * i + 10, 0)]) for i in range(8)]
    points = [("P0", 0, 0, "plant"), ("P1", 10, 0, "valve"), ("P2", 20, 0, "hydrant"), ("P3", 30, 0, "meter"),
              ("P4", 40, 0, "manhole"), ("P5", 50, 0, "outlet"), ("P6", 60, 0, "tee"), ("P7", 70, 0, "air_valve"),
              ("P8", 80, 0, "stub"), ("P9", 55, 3, "valve")]
    g = make_graph(lines, points)
    names = [ng.KIND_NAMES[k] for k in g.kind[np.argsort(g.xy[:, 0])]]
    assert names == ["source", "valve", "hydrant", "meter", "manhole", "outlet", "junction", "other", "terminal"]
    assert g.node_of("P1") == int(np.flatnonzero(g.xy[:, 0] == 10)[0])
    assert g.node_of("P9") is None
    assert g.points.ids[g.loose_points].tolist() == ["P9"]  # 3 m off the line


def test_the_strongest_point_types_a_node_and_abandoned_points_type_nothing(make_graph):
    lines = [("A", [(0, 0), (10, 0)]), ("B", [(10, 0), (20, 0)])]
    g = make_graph(lines, [("T", 10, 0, "tee"), ("V", 10, 0, "valve"), ("H", 20, 0, "hydrant", "1")])
    node = g.v[0]
    assert ng.KIND_NAMES[g.kind[node]] == "valve" and g.point_id[node] == "V"
    assert ng.KIND_NAMES[g.kind[g.v[1]]] == "junction"  # the hydrant is abandoned


def test_pump_station_is_a_source_on_pressure_networks_only():
    assert ng.point_kind("", "pump_station", "JS") == ng.SOURCE
    assert ng.point_kind("", "pump_station", "PS") == ng.OTHER
    assert ng.point_kind("", "regulator", "RQ") == ng.SOURCE
    assert ng.point_kind("", "something_new", "JS") == ng.OTHER
    assert ng.point_kind("bend", "", "JS") == ng.JUNCTION


def test_out_of_service_segments_are_left_out(make_graph):
    g = make_graph([("A", [(0, 0), (10, 0)]), ("B", [(10, 0), (20, 0)]), ("C", [(20, 0), (30, 0)])],
                   status=["0", "1", "2"])
    assert g.seg_ids.tolist() == ["A"]


def test_lengths_follow_the_polyline(make_graph):
    g = make_graph([("A", [(0, 0), (3, 4), (3, 10)])])
    assert g.length_m[0] == pytest.approx(11.0)
    assert g.midpoint(0) == pytest.approx((3.0, 4.5))
    e, d, f = g.nearest_edge(4, 7.0)
    assert (e, round(d, 6), round(f, 6)) == (0, 1.0, round(8 / 11, 6))
    assert g.nearest_edge(100, 100, max_distance=5) is None


def test_drain_flow_follows_the_centreline_fall(make_graph):
    lines = [("down", [(0, 0, 10.0), (10, 0, 9.9)]), ("up", [(10, 0, 9.9), (20, 0, 10.2)]),
             ("level", [(20, 0, 10.2), (30, 0, 10.2)]), ("nodepth", [(30, 0, np.nan), (40, 0, np.nan)])]
    g = make_graph(lines, category="PS")
    flow, basis = g.flow()
    assert basis == "inverts"
    assert flow.tolist() == [1, -1, 1, 1]  # level and unknown keep the surveyed direction


def test_pressure_flow_runs_away_from_the_sources(make_graph):
    lines = [(f"S{i}", [(10 * i, 0), (10 * i + 10, 0)]) for i in range(3)]
    g = make_graph(lines, [("W1", 0, 0, "water_tower"), ("W2", 30, 0, "plant")])
    flow, basis = g.flow()
    assert basis == "sources"
    assert flow.tolist() == [1, 0, -1]  # the middle segment is as near to both sources: unknown
    flow_closed, _ = g.flow(closed=np.array([g.node_of("W2")]))
    assert flow_closed.tolist() == [1, 1, 1]
    flow2, basis2 = make_graph(lines).flow()
    assert (flow2.tolist(), basis2) == ([1, 1, 1], "surveyed")


def test_kind_names_and_bad_tolerance():
    assert ng.kinds_from_names(["Valve", " hydrant", ""]) == {ng.VALVE, ng.HYDRANT}
    with pytest.raises(InputError, match="Unknown node type"):
        ng.kinds_from_names(["pump"])
    seg = ng.SegmentTable.from_arrays(["A"], "JS", np.zeros((2, 3)), np.array([0, 2]))
    with pytest.raises(InputError, match="tolerance"):
        ng.build_graph("JS", seg, tolerance=-1)


def test_empty_category_gives_an_empty_graph(make_graph):
    g = make_graph([("A", [(0, 0), (1, 0)])], category="JS")
    seg = ng.SegmentTable.from_arrays(["A"], "JS", np.zeros((2, 3)), np.array([0, 2]))
    empty = ng.build_graph("RQ", seg)
    assert (empty.n_edges, empty.n_nodes) == (0, 0)
    assert empty.nearest_edge(0, 0) is None
    assert g.n_edges == 1


def test_district_map_is_read_with_its_valves_and_hydrants(imported_district):
    path, district = imported_district
    graphs = ng.load_graphs(path)
    assert set(graphs) == {"DL", "TX", "JS", "RQ", "RL", "PS", "GY", "QT"}
    with open(district.tables / "JSPoint.csv", encoding=district.encoding) as fh:
        rows = list(csv.DictReader(fh))
    js = graphs["JS"]
    assert int((js.kind == ng.VALVE).sum()) == sum(r["附属物"] == "阀门" for r in rows) > 0
    assert int((js.kind == ng.HYDRANT).sum()) == sum(r["附属物"] == "消防栓" for r in rows) > 0
    assert int((graphs["RQ"].kind == ng.VALVE).sum()) > 0
    assert len(js.loose_points) == 0
    with open(district.tables / "JSLine.csv", encoding=district.encoding) as fh:
        assert js.n_edges == sum(1 for _ in csv.DictReader(fh))
    ps = graphs["PS"]
    assert (ps.kind == ng.MANHOLE).all()  # every drain node is a manhole
    # the drain invert is the centreline less half the DN (YS DN800)
    e = int(np.flatnonzero(ps.dn_mm == 800)[0])
    assert ps.z_u[e] - ps.invert_u[e] == pytest.approx(0.4)
    only = ng.load_graphs(path, ["js"])
    assert list(only) == ["JS"] and only["JS"].n_edges == js.n_edges


def test_map_errors_are_clear(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        ng.read_map(tmp_path / "none.gpkg")
    bad = tmp_path / "bad.gpkg"
    bad.write_text("not a map")
    with pytest.raises(InputError, match="cannot be opened"):
        ng.read_map(bad)
    with pytest.raises(InputError, match="Unknown category"):
        ng.read_map(bad, ["XX"])
