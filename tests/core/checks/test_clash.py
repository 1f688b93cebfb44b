"""Clash check: hand-built cases for every branch, each computed by hand.

Without a ground surface h = 1 m, so u = 0.10 m (plan) and 0.15 m (depth)
per pipe: U = 0.20 m for horizontal and 0.30 m for vertical figures.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pytest

from pipemap.core.checks import clash
from pipemap.core.checks.pipes import Pipes
from pipemap.core.checks.rules import RuleSet
from pipemap.core.errors import CancelledError
from pipemap.core.progress import RecordingProgress

MM = 1e-3


@dataclass
class P:
    id: str
    coords: list
    cat: str
    h: str
    v: str = ""
    rh: float = 0.1
    rv: float | None = None
    sub: str = ""
    ql: str = ""
    dn: float = float("nan")
    cover: str = ""
    extra: dict = field(default_factory=dict)


def build(*specs: P) -> Pipes:
    verts = [np.array(s.coords, dtype=float) for s in specs]
    verts = [np.column_stack([v, np.full(len(v), np.nan)]) if v.shape[1] == 2 else v for v in verts]
    offsets = np.concatenate([[0], np.cumsum([len(v) for v in verts])])
    return Pipes.from_arrays([s.id for s in specs], np.concatenate(verts), offsets, [s.rh for s in specs],
                             [s.rh if s.rv is None else s.rv for s in specs], category=[s.cat for s in specs],
                             subcategory=[s.sub for s in specs], h_class=[s.h for s in specs],
                             v_class=[s.v or s.h for s in specs], cover_class=[s.cover for s in specs],
                             quality_level=[s.ql for s in specs], dn_mm=[s.dn for s in specs])


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return RuleSet.shipped()


def run(pipes, rules, **kw):
    return clash.check_clash(pipes, rules, **kw)


def rows(f, kind=None):
    return [r for r in f.records() if kind is None or r["kind"] == kind]


# --------------------------------------------------------------------------- horizontal


@pytest.mark.parametrize("offset, verdict", [(2.5, None), (2.0, "UNCERTAIN"), (1.8, "FAIL")])
def test_parallel_sewer_and_water_main(rules, offset, verdict):
    # sewer r 0.48 and water main r 0.16: clearance = offset - 0.64, H037 requires 1.5 m (verified cell)
    f = run(build(P("sd", [(0, 0, -2), (50, 0, -2)], "PS", "SD", rh=0.48, sub="WS"),
                  P("ws", [(0, offset, -1), (50, offset, -1)], "JS", "WS_L", "WS", rh=0.16)), rules)
    if verdict is None:  # 1.86 - 1.5 = 0.36 >= U = 0.2: PASS, not reported (beyond the search reach even)
        assert len(f) == 0 and f.counts["FAIL"] == f.counts["UNCERTAIN"] == f.counts["UNKNOWN"] == 0
        return
    (r,) = rows(f)
    assert r["kind"] == "horizontal" and r["rule_id"] == "H037"
    assert r["clearance_m"] == pytest.approx(offset - 0.64, abs=MM)
    assert r["required_m"] == 1.5 and r["uncertainty_m"] == pytest.approx(0.2)
    assert r["margin_m"] == pytest.approx(offset - 0.64 - 1.5, abs=MM)
    assert r["verdict"] == verdict
    assert r["severity"] == ("error" if verdict == "FAIL" else "warning")
    assert r["advice"] == ("verify by exposure" if verdict == "UNCERTAIN" else "")
    assert r["y"] == pytest.approx(offset / 2)


def test_near_miss_at_a_bend(rules):
    # an L-shaped gas pipe, corner at (10, 0); a diagonal water pipe passes 0.30 m outside the corner
    c = 10 + 0.3 * math.sqrt(2)
    f = run(build(P("gas", [(0, 0, -1), (10, 0, -1), (10, 10, -1)], "RQ", "G_MA", "G", rh=0.1),
                  P("ws", [(c - 5, -5, -1.2), (c + 5, 5, -1.2)], "JS", "WS_S", "WS", rh=0.05)), rules)
    (r,) = rows(f)
    # plan 0.30 - 0.10 - 0.05 = 0.15 m against WS_S / G_MA 0.5 m (H020): margin -0.35 < -0.2: FAIL
    assert r["kind"] == "horizontal" and r["rule_id"] == "H020"
    assert r["clearance_m"] == pytest.approx(0.15, abs=MM)
    assert r["verdict"] == "FAIL" and r["severity"] == "warning"  # cross_standard cell: a warning
    # reported at the middle of the closest points: (10, 0) and (10.212, -0.212)
    assert (r["x"], r["y"]) == (pytest.approx(10.106, abs=MM), pytest.approx(-0.106, abs=MM))


def test_box_section_uses_half_width_in_plan_and_half_height_in_depth(rules):
    box = P("tr", [(0, 0, -3), (40, 0, -3)], "QT", "TR", rh=1.0, rv=0.5, sub="ZH")
    f = run(build(box, P("sd", [(0, 2.8, -2), (40, 2.8, -2)], "PS", "SD", rh=0.2, sub="YS")), rules)
    (r,) = rows(f)
    assert r["clearance_m"] == pytest.approx(2.8 - 1.0 - 0.2, abs=MM)  # 1.6 m vs SD / TR 1.5 m (H069)
    assert r["verdict"] == "UNCERTAIN" and r["rule_id"] == "H069"
    f = run(build(box, P("sd", [(20, -10, -1.3), (20, 10, -1.3)], "PS", "SD", rh=0.2, sub="YS")), rules,
            include_pass=True)
    (r,) = rows(f, "vertical")
    assert r["clearance_m"] == pytest.approx(1.7 - 0.5 - 0.2, abs=MM)  # 1.0 m vs SD / TR 0.15 m (V0xx)
    assert r["verdict"] == "PASS" and r["required_m"] == 0.15


# --------------------------------------------------------------------------- vertical and order


@pytest.mark.parametrize("z_ws, verdict", [(-1.2, "PASS"), (-1.5, "UNCERTAIN"), (-1.8, "UNCERTAIN"),
                                           (-2.05, "FAIL")])
def test_water_crossing_over_a_sewer(rules, z_ws, verdict):
    # sewer centre -2.5 (r 0.3), water r 0.1 crossing at (10, 0): clearance = |dz| - 0.4 vs V002 0.40
    f = run(build(P("sd", [(0, 0, -2.5), (20, 0, -2.5)], "PS", "SD", rh=0.3, sub="WS"),
                  P("ws", [(10, -5, z_ws), (10, 5, z_ws)], "JS", "WS_S", "WS", rh=0.1)), rules, include_pass=True)
    (r,) = rows(f, "vertical")
    assert r["clearance_m"] == pytest.approx(abs(z_ws + 2.5) - 0.4, abs=MM)
    assert r["required_m"] == 0.4 and r["rule_id"] == "V002" and r["uncertainty_m"] == pytest.approx(0.3)
    assert r["verdict"] == verdict
    assert (r["x"], r["y"]) == (pytest.approx(10), pytest.approx(0))
    assert {r["pipe_a"], r["pipe_b"]} == {"sd", "ws"}
    (o,) = rows(f, "order")  # water above sewer: the order holds
    assert o["verdict"] == "PASS" and o["pipe_a"] == "ws"


def test_water_below_sewer_breaks_the_crossing_order(rules):
    f = run(build(P("sd", [(0, 0, -2.5), (20, 0, -2.5)], "PS", "SD", rh=0.3, sub="WS"),
                  P("ws", [(10, -5, -3.5), (10, 5, -3.5)], "JS", "WS_S", "WS", rh=0.1)), rules)
    (o,) = rows(f, "order")
    # margin = z(water) - z(sewer) = -1.0 < -0.3: FAIL; the pipe that should be on top comes first
    assert o["pipe_a"] == "ws" and o["pipe_b"] == "sd"
    assert o["margin_m"] == pytest.approx(-1.0) and o["verdict"] == "FAIL"
    assert o["rule_id"] == "GB50289-4.1.12" and o["severity"] == "warning"  # clause quoted by secondary sources
    strict = run(build(P("sd", [(0, 0, -2.5), (20, 0, -2.5)], "PS", "SD", rh=0.3, sub="WS"),
                       P("ws", [(10, -5, -3.5), (10, 5, -3.5)], "JS", "WS_S", "WS", rh=0.1)), rules, strict=True)
    assert rows(strict, "order")[0]["severity"] == "error"
    # reclaimed water (JS/ZS) between water and drainage is also mandatory
    f = run(build(P("rw", [(0, 0, -1), (20, 0, -1)], "JS", "RW", sub="ZS"),
                  P("ws", [(10, -5, -2), (10, 5, -2)], "JS", "WS_S", "WS")), rules)
    assert [r["verdict"] for r in rows(f, "order")] == ["FAIL"]


def test_advisory_order_only_on_request(rules):
    pipes = build(P("gas", [(0, 0, -2.0), (20, 0, -2.0)], "RQ", "G_MA", "G"),
                  P("heat", [(10, -5, -1.0), (10, 5, -1.0)], "RL", "H"))
    assert rows(run(pipes, rules), "order") == []
    (o,) = rows(run(pipes, rules, crossing_order="all"), "order")
    assert o["pipe_a"] == "gas" and o["verdict"] == "FAIL" and o["rule_id"] == "GB50289-4.1.12a"
    assert rows(run(pipes, rules, crossing_order="none", include_pass=True), "order") == []


def test_sloped_pipes_cross_at_interpolated_elevations(rules):
    # A falls from -1 to -3 over 10 m; B from -1 to -4 over 10 m; they cross at (2.5, 0):
    # z_a = -1.5, z_b = -2.5: clearance = 1.0 - 0.1 - 0.1 = 0.8
    f = run(build(P("a", [(0, 0, -1), (10, 0, -3)], "RQ", "G_MA", "G"),
                  P("b", [(2.5, -5, -1), (2.5, 5, -4)], "RL", "H")), rules, include_pass=True)
    (r,) = rows(f, "vertical")
    assert r["clearance_m"] == pytest.approx(0.8, abs=MM)
    assert (r["z_a"], r["z_b"]) == (pytest.approx(-1.5), pytest.approx(-2.5))


def test_several_crossings_the_smallest_counts(rules):
    # a zigzag gas pipe crosses the straight heat pipe twice: at x=5 (dz 1.0) and x=15 (dz 0.3)
    f = run(build(P("gas", [(0, -5, -1.0), (10, 5, -1.0), (20, -5, -1.7)], "RQ", "G_MA", "G"),
                  P("heat", [(-5, 0, -2.0), (25, 0, -2.0)], "RL", "H")), rules, include_pass=True)
    (r,) = rows(f, "vertical")
    # second crossing at x = 15: gas z = -1.0 + 0.5 * (-0.7) = -1.35: dz = 0.65, clearance 0.45
    assert r["x"] == pytest.approx(15) and r["clearance_m"] == pytest.approx(0.45, abs=MM)


# --------------------------------------------------------------------------- exclusions and stacking


def test_shared_endpoint_is_never_compared(rules):
    a = P("js", [(0, 0, -1), (10, 0, -1)], "JS", "WS_S", "WS")
    b = P("gas", [(10, 0.005, -1), (10, 10, -1)], "RQ", "G_MA", "G")
    f = run(build(a, b), rules, include_pass=True)
    assert len(f) == 0 and f.counts["skipped_shared_endpoint"] == 1
    b.coords = [(10, 0.02, -1), (10, 10, -1)]  # 2 cm apart: a real pair now
    (r,) = rows(run(build(a, b), rules))
    assert r["kind"] == "horizontal" and r["clearance_m"] == pytest.approx(0.02 - 0.2, abs=MM)


def test_tee_of_one_category_is_skipped_but_not_across_categories(rules):
    main = P("main", [(0, 0, -1), (20, 0, -1)], "JS", "WS_S", "WS")
    f = run(build(main, P("branch", [(10, 0.004, -1), (10, 10, -1)], "JS", "WS_S", "WS")), rules, include_pass=True)
    assert len(f) == 0 and f.counts["skipped_tee"] == 1
    # the same geometry across categories is a clash (plan 4 mm: horizontal, not a crossing)
    (r,) = rows(run(build(main, P("gas", [(10, 0.004, -1), (10, 10, -1)], "RQ", "G_MA", "G")), rules))
    assert r["kind"] == "horizontal" and r["verdict"] == "FAIL"
    # touching exactly (an end on the other line): a crossing, compared vertically
    (r,) = rows(run(build(main, P("gas", [(10, 0, -2), (10, 10, -2)], "RQ", "G_MA", "G")), rules,
                    include_pass=True), "vertical")
    assert r["clearance_m"] == pytest.approx(0.8, abs=MM)


def test_stacked_lines_overlap_in_plan(rules):
    # a direct-buried power cable laid along a telecom cable, 1 m above it: stacked, clearance -(ra + rb)
    f = run(build(P("p", [(0, 0, -1), (20, 0, -1)], "DL", "P_D", rh=0.0),
                  P("t", [(10, 0, -2), (30, 0, -2)], "TX", "T_D", rh=0.05)), rules)
    (r,) = rows(f)
    assert r["kind"] == "stacked" and r["clearance_m"] == pytest.approx(-0.05)
    assert r["rule_id"] == "H180" and r["verdict"] == "FAIL"
    assert 10 <= r["x"] <= 20


# --------------------------------------------------------------------------- UNKNOWN and uncertainty


def test_missing_z_makes_vertical_figures_unknown(rules):
    f = run(build(P("a", [(0, 0), (10, 0)], "RQ", "G_MA", "G"), P("b", [(5, -5), (5, 5)], "RL", "H")), rules)
    (r,) = rows(f, "vertical")
    assert r["verdict"] == "UNKNOWN" and r["reason"] == "no_z" and math.isnan(r["clearance_m"])
    assert any(m.code == "check.no_z" for m in f.messages)


def test_missing_size_is_unknown_never_pass(rules):
    f = run(build(P("a", [(0, 0, -1), (10, 0, -1)], "RQ", "G_MA", "G", rh=float("nan")),
                  P("b", [(0, 1.5, -1), (10, 1.5, -1)], "RL", "H")), rules)
    (r,) = rows(f)  # reported while a size of 0.5 m could still break H100 (1.0 m)
    assert r["verdict"] == "UNKNOWN" and r["reason"] == "no_size"
    assert any(m.code == "check.no_size" for m in f.messages)
    # far away (30 m), a missing size cannot matter
    f = run(build(P("a", [(0, 0, -1), (10, 0, -1)], "RQ", "G_MA", "G", rh=float("nan")),
                  P("b", [(0, 30, -1), (10, 30, -1)], "RL", "H")), rules)
    assert len(f) == 0


def test_unknown_class_is_reported_up_to_the_largest_possible_rule(rules):
    # class undecided (e.g. water without DN): reported while some class could fail
    a = P("a", [(0, 0, -1), (10, 0, -1)], "JS", "", "WS")
    f = run(build(a, P("b", [(0, 1.2, -1), (10, 1.2, -1)], "PS", "SD", sub="YS")), rules)
    (r,) = rows(f)
    assert r["verdict"] == "UNKNOWN" and r["reason"] == "class_missing" and r["rule_id"] == ""
    f = run(build(a, P("b", [(0, 12, -1), (10, 12, -1)], "PS", "SD", sub="YS")), rules)
    assert len(f) == 0  # 11.8 m: no class could require that much


def test_class_pair_without_rule_is_no_rule_never_pass(rules):
    pipes = build(P("pd", [(0, 0, -1), (10, 0, -1)], "DL", "P_D", rh=0.0),
                  P("pc", [(0, 0.3, -1), (10, 0.3, -1)], "DL", "P_C", rh=0.1))
    f = run(pipes, rules, include_pass=True)
    (r,) = rows(f)
    assert r["verdict"] == "UNKNOWN" and r["reason"] == "no_rule" and r["rule_id"] == "no_rule"
    assert f.counts["no_rule"] == 1 and f.counts["PASS"] == 0
    far = build(P("pd", [(0, 0, -1), (10, 0, -1)], "DL", "P_D", rh=0.0),
                P("pc", [(0, 2, -1), (10, 2, -1)], "DL", "P_C", rh=0.1))
    assert len(run(far, rules, include_pass=True)) == 0


def test_quality_levels_change_the_uncertainty(rules):
    def pair(ql):
        return build(P("sd", [(0, 0, -2), (50, 0, -2)], "PS", "SD", rh=0.48, sub="WS", ql=ql),
                     P("ws", [(0, 2.0, -1), (50, 2.0, -1)], "JS", "WS_L", "WS", rh=0.16, ql=ql))

    (r,) = rows(run(pair(""), rules))
    assert r["verdict"] == "UNCERTAIN"  # margin -0.14, U = 0.2
    (r,) = rows(run(pair("QL-A"), rules))
    assert r["verdict"] == "FAIL" and r["uncertainty_m"] == pytest.approx(0.1)  # exposed: 0.05 m each
    (r,) = rows(run(pair("QL-D"), rules))
    assert r["verdict"] == "UNKNOWN" and r["reason"] == "no_accuracy"
    f = run(pair("XYZ"), rules)
    assert any(m.code == "check.quality_level" for m in f.messages)


def test_ground_sets_h_for_the_uncertainty(rules):
    pipes = build(P("sd", [(0, 0, -4), (50, 0, -4)], "PS", "SD", rh=0.48, sub="WS"),
                  P("ws", [(0, 2.5, -1), (50, 2.5, -1)], "JS", "WS_L", "WS", rh=0.16))
    # ground at 0: h = 4 m and 1 m: U = 0.4 + 0.1 = 0.5 > margin 0.36: UNCERTAIN
    (r,) = rows(run(pipes, rules, ground=lambda x, y: np.zeros(np.shape(x))))
    assert r["uncertainty_m"] == pytest.approx(0.5) and r["verdict"] == "UNCERTAIN"


def test_gas_pipes_need_their_dn(rules):
    a = P("g1", [(0, 0, -1), (10, 0, -1)], "RQ", "G_MA", "G", dn=400)
    b = P("g2", [(0, 0.6, -1), (10, 0.6, -1)], "RQ", "G_L", "G", dn=100)
    (r,) = rows(run(build(a, b), rules, include_pass=True))
    assert r["required_m"] == 0.5 and r["rule_id"] == "H097"  # the other pipe is DN 400 > 300
    a.dn = float("nan")
    b.dn = 200
    (r,) = rows(run(build(a, b), rules))
    assert r["verdict"] == "UNKNOWN" and r["reason"] == "missing_dn"


def test_counts_progress_and_cancel(rules):
    pipes = clash.random_city(3000, seed=3, rules=rules)
    prog = RecordingProgress()
    f = run(pipes, rules, progress=prog, chunk=500)
    assert prog.fractions[-1] == 1.0 and len(prog.fractions) > 3
    c = f.counts
    assert c["figures"] == c["PASS"] + c["UNCERTAIN"] + c["FAIL"] + c["UNKNOWN"]
    assert len(f) == c["figures"] - c["PASS"]
    with pytest.raises(CancelledError):
        run(pipes, rules, progress=RecordingProgress(cancel_after=2), chunk=500)


def test_bad_crossing_order_option(rules):
    with pytest.raises(ValueError):
        run(build(P("a", [(0, 0, -1), (1, 0, -1)], "JS", "WS_S", "WS")), rules, crossing_order="some")


def test_bench_clash_reports_both_timings():
    r = clash.bench_clash(2000)
    assert r["segments"] > 1500 and r["check_s"] > 0 and r["strtree_max_s"] > 0 and r["peak_rss_mb"] > 0


def test_parts_of_one_multipart_feature_are_not_compared_with_each_other():
    from pipemap.core.checks.clash import check_clash
    from pipemap.core.checks.pipes import Pipes
    from pipemap.core.checks.rules import RuleSet

    rules = RuleSet.shipped()
    # two parts of feature A 0.2 m apart (a multi-part line), and B crossing 0.1 m above one part
    vertices = np.array([[0, 0, -1.0], [10, 0, -1.0], [0, 0.2, -1.0], [10, 0.2, -1.0], [5, -5, -0.9], [5, 5, -0.9]])
    offsets = np.array([0, 2, 4, 6])
    pipes = Pipes.from_arrays(["A", "A", "B"], vertices, offsets, [0.05] * 3, [0.05] * 3,
                              category=np.array(["JS", "JS", "RQ"], dtype=object),
                              subcategory=np.array(["", "", ""], dtype=object), rules=rules,
                              dn_mm=np.array([100.0, 100.0, 100.0]), pressure_mpa=np.array([np.nan, np.nan, 0.2]))
    found = check_clash(pipes, rules)
    pairs = {(a, b) for a, b in zip(found.pipe_a, found.pipe_b)}
    assert ("A", "A") not in pairs
    assert any({a, b} == {"A", "B"} for a, b in pairs)
