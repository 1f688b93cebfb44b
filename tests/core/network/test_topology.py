"""Topology findings on hand-built networks (one per reason) and on the sample district."""

from __future__ import annotations

import numpy as np
import pytest

from pipemap.core.network import graph as ng
from pipemap.core.network.topology import REASONS, check_topology


def found(graph, z_tolerance=0.1):
    return check_topology({graph.category: graph}, z_tolerance)


def reasons(findings, parts=False):
    """The reasons found, sorted; lines that should join but do not also make disconnected parts, which
    are left out unless ``parts``."""
    return sorted(r["reason"] for r in findings.rows if parts or r["reason"] != "disconnected_part")


def test_a_clean_network_has_no_finding(make_graph):
    lines = [("a", [(0, 0, -1), (10, 0, -1)]), ("b", [(10, 0, -1), (20, 0, -1)]), ("c", [(10, 0, -1), (10, 10, -1)])]
    g = make_graph(lines, [("S", 0, 0, "stub"), ("T", 10, 0, "tee"), ("H", 20, 0, "hydrant"), ("C", 10, 10, "cap")])
    assert found(g).rows == []


def test_disconnected_part(make_graph):
    lines = [("a", [(0, 0), (10, 0)]), ("b", [(10, 0), (20, 0)]), ("far", [(100, 0), (105, 0)])]
    points = [("p", x, 0, "stub") for x in (0, 20, 100, 105)]
    f = found(make_graph(lines, [(f"{p[0]}{i}", *p[1:]) for i, p in enumerate(points)]))
    assert reasons(f, parts=True) == ["disconnected_part"]
    row = f.rows[0]
    assert (row["seg_id"], row["severity"], row["value"]) == ("far", "warning", 1.0)
    assert (row["x"], row["y"]) == (102.5, 0)


def test_dangling_ends(make_graph):
    lines = [("a", [(0, 0), (10, 0)]), ("b", [(10, 0), (20, 0)]), ("c", [(10, 0), (10, 10)])]
    g = make_graph(lines, [("S", 0, 0, "stub"), ("T", 10, 10, "tee")])
    f = found(g)
    assert reasons(f) == ["dangling_end", "dangling_end"]
    by_seg = {r["seg_id"]: r for r in f.rows}
    assert by_seg["b"]["severity"] == "warning" and by_seg["b"]["point_id"] == ""
    assert by_seg["c"]["severity"] == "error" and by_seg["c"]["point_id"] == "T"  # a tee with one line


def test_same_ends_and_duplicates(make_graph):
    lines = [("a", [(0, 0), (10, 0)]), ("dup", [(10, 0), (0.004, 0)]), ("loop", [(10, 0), (15, 5), (10, 0.002)]),
             ("arc", [(0, 0), (5, 3), (10, 0)])]
    g = make_graph(lines, [("A", 0, 0, "stub"), ("B", 10, 0, "stub")])
    f = found(g)
    assert reasons(f) == ["duplicate_segment", "same_ends"]
    dup = f.of("duplicate_segment")[0]
    assert {dup["seg_id"], dup["other_id"]} == {"a", "dup"}  # arc joins the same nodes on another line
    assert f.of("same_ends")[0]["seg_id"] == "loop"


def test_crossings_at_the_same_depth_need_a_node(make_graph):
    lines = [("ew", [(0, 0, -1.0), (20, 0, -1.0)]), ("ns", [(10, -10, -1.05), (10, 10, -1.05)]),
             ("deep", [(15, -10, -3.0), (15, 10, -3.0)]), ("nodepth", [(5, -10, np.nan), (5, 10, np.nan)])]
    ends = [("e1", 0, 0), ("e2", 20, 0), ("n1", 10, -10), ("n2", 10, 10), ("d1", 15, -10), ("d2", 15, 10),
            ("u1", 5, -10), ("u2", 5, 10)]
    g = make_graph(lines, [(*p, "stub") for p in ends], dn=[300, 300, 300, 300])
    f = found(g)
    assert reasons(f) == ["crossing_without_node", "crossing_without_node"]
    rows = {r["other_id"]: r for r in f.rows if r["reason"] != "disconnected_part"}
    assert rows["ns"]["severity"] == "error" and rows["ns"]["value"] == pytest.approx(0.05)
    assert (rows["ns"]["x"], rows["ns"]["y"]) == (10, 0)
    assert rows["nodepth"]["severity"] == "warning"  # a depth is unknown: maybe
    assert set(rows) == {"ns", "nodepth"}  # the deep main passes below
    # the same depth means: closer than the two radii plus the tolerance
    thin = make_graph(lines, [(*p, "stub") for p in ends])  # no DN: radii 0
    assert [r["other_id"] for r in found(thin, z_tolerance=0.06).rows if r["severity"] == "error"] == ["ns"]
    assert [r["other_id"] for r in found(thin, z_tolerance=0.04).rows if r["severity"] == "error"] == []


def test_crossings_of_other_systems_are_fine(make_graph):
    lines = [("power", [(0, 0, -1.0), (20, 0, -1.0)]), ("light", [(10, -10, -1.0), (10, 10, -1.0)])]
    ends = [("a", 0, 0, "stub"), ("b", 20, 0, "stub"), ("c", 10, -10, "stub"), ("d", 10, 10, "stub")]
    g = make_graph(lines, ends, category="DL", subcategory=["GD", "LD"])
    assert reasons(found(g)) == []
    g2 = make_graph(lines, ends, category="DL", subcategory=["GD", ""])
    assert reasons(found(g2)) == ["crossing_without_node"]


def test_end_on_a_segment_without_a_node(make_graph):
    lines = [("main", [(0, 0, -1), (20, 0, -1)]), ("branch", [(10, 10, -1), (10, 0.004, -1)])]
    g = make_graph(lines, [("a", 0, 0, "stub"), ("b", 20, 0, "stub"), ("c", 10, 10, "stub")])
    f = found(g)
    assert reasons(f) == ["end_on_segment"]  # not also a dangling end
    row = f.of("end_on_segment")[0]
    assert (row["seg_id"], row["other_id"], row["severity"]) == ("branch", "main", "error")


def test_overlapping_segments(make_graph):
    lines = [("a", [(0, 0, -1), (20, 0, -1)]), ("b", [(10, 0, -1), (30, 0, -1)])]
    g = make_graph(lines, [(n, x, 0, "stub") for n, x in (("p", 0), ("q", 10), ("r", 20), ("s", 30))])
    f = found(g)
    assert "overlapping_segments" in reasons(f)
    assert f.of("overlapping_segments")[0]["value"] == pytest.approx(10)


def test_reversed_slopes_and_smaller_pipes_downstream_in_drains(make_graph):
    lines = [("a", [(0, 0, 10.0), (10, 0, 9.8)]), ("b", [(10, 0, 9.8), (20, 0, 9.9)]),
             ("c", [(20, 0, 9.9), (30, 0, 9.5)]), ("d", [(30, 0, 9.5), (40, 0, 9.3)])]
    points = [(f"M{i}", 10 * i, 0, "sewer_manhole") for i in range(5)]
    g = make_graph(lines, points, category="PS", dn=[500, 500, 600, 400])
    f = found(g)
    assert reasons(f) == ["diameter_decrease", "reversed_slope"]
    rev = f.of("reversed_slope")[0]
    assert rev["seg_id"] == "b" and rev["value"] == pytest.approx(0.1)
    dec = f.of("diameter_decrease")[0]
    assert (dec["seg_id"], dec["other_id"], dec["value"], dec["point_id"]) == ("d", "c", 200.0, "M3")
    # b flows backwards (from its end), so at M2 nothing flows into c from b: c (DN600) after a
    assert len(f.of("diameter_decrease")) == 1


def test_valves_off_the_line(make_graph):
    lines = [("a", [(0, 0), (20, 0)])]
    points = [("A", 0, 0, "stub"), ("B", 20, 0, "stub"), ("Von", 10, 0.005, "valve"), ("Voff", 10, 3, "valve"),
              ("Hoff", 5, 3, "hydrant")]
    f = found(make_graph(lines, points))
    assert reasons(f) == ["valve_not_at_node", "valve_not_on_line"]
    off = f.of("valve_not_on_line")[0]
    assert (off["point_id"], off["seg_id"], off["value"]) == ("Voff", "a", pytest.approx(3))
    assert f.of("valve_not_at_node")[0]["point_id"] == "Von"


def test_every_reason_is_counted(make_graph):
    g = make_graph([("a", [(0, 0), (10, 0)])])
    counts = found(g).counts()
    assert list(counts) == list(REASONS) and counts["dangling_end"] == 2


def test_sample_district(imported_district):
    path, district = imported_district
    graphs = ng.load_graphs(path)
    f = check_topology(graphs)
    counts = f.counts()
    # heat runs under the three east-west streets only: three parts, two reported
    assert [r["category"] for r in f.of("disconnected_part")].count("RL") == 2
    # the clean district has no duplicate, no dangling end, no valve off the line
    for reason in ("duplicate_segment", "same_ends", "dangling_end", "valve_not_on_line", "valve_not_at_node",
                   "end_on_segment", "overlapping_segments"):
        assert counts[reason] == 0, reason
    # reversed slopes: exactly the drains whose generated start lies lower than their end
    expected = sum(1 for (prefix, _a, _b), (za, zb) in district.expected_z.items()
                   if prefix in ("YS", "WS") and za < zb - 1e-3)
    assert counts["reversed_slope"] == expected > 0
    assert {r["category"] for r in f.of("reversed_slope")} == {"PS"}
