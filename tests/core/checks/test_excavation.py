"""Excavation check, computed by hand.

Excavation: the square [0, 10] x [0, 10], bottom at -2.0 m, safety distance
0.5 m; ground at 0 m. A pipe is affected where it comes within 0.5 + r_h of
the square and its top reaches -2.5 m. u: 0.10 h plan, 0.15 h depth.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely

from pipemap.core.checks.excavation import check_excavation
from pipemap.core.checks.pipes import Pipes
from pipemap.core.errors import InputError

SQUARE = shapely.box(0, 0, 10, 10)


def flat(x, y):
    return np.zeros(np.shape(x))


def pipes(*lines, r=0.1):
    verts = [np.array(c, dtype=float) for c, *_ in lines]
    verts = [np.column_stack([v, np.full(len(v), np.nan)]) if v.shape[1] == 2 else v for v in verts]
    rr = [x[1] if len(x) > 1 else r for x in lines]
    offsets = np.concatenate([[0], np.cumsum([len(v) for v in verts])])
    return Pipes.from_arrays([f"p{i}" for i in range(len(lines))], np.concatenate(verts), offsets, rr, rr,
                             category=["JS"] * len(lines), owner=["Water Co."] * len(lines))


def run(p, **kw):
    kw.setdefault("bottom_z", -2.0)
    return check_excavation(p, [SQUARE], safety_m=0.5, exc_ids=["E1"], ground=flat, **kw)


def by_pipe(f):
    return {r["pipe_id"]: r for r in f.records()}


def test_plan_and_depth_verdicts():
    f = run(pipes(([(-5, 12, -1), (15, 12, -1)],),  # p0: 2 m off, plan margin 1.4: PASS
                  ([(-5, 10.3, -1), (15, 10.3, -1)],),  # p1: 0.3 m off: plan -0.3, depth -1.6: FAIL
                  ([(5, -5, -4), (5, 15, -4)], 0.2),  # p2: crosses, top -3.8: depth margin 1.3 >= 0.6: PASS
                  ([(7, -5, -2.8), (7, 15, -2.8)], 0.2),  # p3: top -2.6: depth margin 0.1 < 0.42: UNCERTAIN
                  ([(-5, 10.65, -1), (15, 10.65, -1)],)))  # p4: plan margin 0.05 < 0.1: UNCERTAIN
    got = by_pipe(f)
    assert set(got) == {"p1", "p3", "p4"}
    p1 = got["p1"]
    assert p1["verdict"] == "FAIL" and p1["severity"] == "error" and p1["exc_id"] == "E1"
    assert p1["plan_margin_m"] == pytest.approx(-0.3) and p1["depth_margin_m"] == pytest.approx(-1.6)
    assert p1["depth_m"] == pytest.approx(0.9)  # cover at the closest point
    assert 0 <= p1["x"] <= 10 and p1["y"] == pytest.approx(10.3)
    assert p1["category"] == "JS" and p1["owner"] == "Water Co."
    assert got["p3"]["verdict"] == "UNCERTAIN" and got["p3"]["depth_margin_m"] == pytest.approx(0.1)
    assert got["p3"]["u_depth_m"] == pytest.approx(0.42)
    assert got["p4"]["verdict"] == "UNCERTAIN" and got["p4"]["advice"] == "verify by exposure"
    # p0 is beyond s + r + u of the square: not even a pair
    assert f.counts == {"pairs": 4, "PASS": 1, "UNCERTAIN": 2, "FAIL": 1, "UNKNOWN": 0}


def test_a_diagonal_pipe_clipping_a_corner_is_found_exactly():
    # passes the corner (10, 10) at 0.35 m (plan margin 0.35 - 0.6 = -0.25 < -0.1) between 1 m samples
    c = 20 + 0.35 * math.sqrt(2)
    f = run(pipes(([(c - 15, 15, -1), (c - 5, 5, -1)],)))
    (r,) = f.records()
    assert r["verdict"] == "FAIL" and r["plan_margin_m"] == pytest.approx(-0.25, abs=1e-3)


def test_depth_defined_bottom_uses_the_ground():
    f = check_excavation(pipes(([(-5, 10.3, -1), (15, 10.3, -1)],)), [SQUARE], safety_m=0.5, depth_m=2.0,
                         ground=lambda x, y: np.full(np.shape(x), 0.5))
    (r,) = f.records()
    # bottom = 0.5 - 2.0 = -1.5: depth margin (-1.5 - 0.5) - (-1 + 0.1) = -1.1; cover 0.5 - (-0.9) = 1.4
    assert r["depth_margin_m"] == pytest.approx(-1.1) and r["depth_m"] == pytest.approx(1.4)
    with pytest.raises(InputError) as err:
        check_excavation(pipes(([(0, 0, -1), (1, 0, -1)],)), [SQUARE], safety_m=0.5, depth_m=2.0)
    assert err.value.code == "check.depth_needs_ground"
    with pytest.raises(InputError) as err:
        check_excavation(pipes(([(0, 0, -1), (1, 0, -1)],)), [SQUARE], safety_m=0.5)
    assert err.value.code == "check.no_bottom"
    with pytest.raises(InputError):
        check_excavation(pipes(([(0, 0, -1), (1, 0, -1)],)), [SQUARE], safety_m=-1, bottom_z=0)


def test_missing_z_is_unknown_unless_safe_in_plan():
    f = run(pipes(([(-5, 10.3), (15, 10.3)],), ([(-5, 13), (15, 13)],)))
    (r,) = f.records()
    assert r["pipe_id"] == "p0" and r["verdict"] == "UNKNOWN" and r["reason"] == "no_z"
    assert any(m.code == "check.no_z" for m in f.messages)


def test_self_intersecting_excavation_is_repaired_with_a_message():
    bowtie = shapely.Polygon([(0, 0), (10, 10), (10, 0), (0, 10)])
    f = check_excavation(pipes(([(5, -5, -1), (5, 15, -1)],)), [bowtie], safety_m=0.5, bottom_z=-2.0,
                         exc_ids=["X1"], ground=flat)
    assert any(m.code == "check.invalid_polygon" and "X1" in str(m) for m in f.messages)
    (r,) = f.records()
    assert r["verdict"] == "FAIL"


def test_several_excavations_and_ids():
    f = check_excavation(pipes(([(-5, 5, -1), (40, 5, -1)],)), [SQUARE, shapely.box(30, 0, 35, 10)],
                         safety_m=0.0, bottom_z=[-2.0, -0.5], exc_ids=["A", "B"], ground=flat)
    got = {r["exc_id"]: r["verdict"] for r in f.records()}
    # A: bottom -2.0, top -0.9; the pipe runs 5 m inside the square (plan margin -5.1): FAIL.
    # B: bottom -0.5, top -0.9: depth margin 0.4 >= 0.15: PASS
    assert got == {"A": "FAIL"}
