"""Reconciling GPR picks with the map (CJJ 61 limits)."""

from __future__ import annotations

import numpy as np
import pytest

from pipemap.core import mapread
from pipemap.core.gpr import reconcile
from pipemap.core.raster import DemSampler


@pytest.fixture(scope="module")
def district(imported_district):
    return imported_district


def test_confirmed_mismatch_missing_and_unmapped(district):
    m, d = district
    segs = mapread.read_segments(m)
    dem = DemSampler(d.dem)
    line = np.column_stack([np.full(201, 538055.0), np.linspace(3379950.0, 3380050.0, 201)])
    # what the map says at each crossing
    first = reconcile.reconcile(line, [], segs, ground=dem)
    crossings = [f for f in first.findings if f.kind == "not_detected"]
    assert len(crossings) == first.crossings >= 8
    picks = []
    for n, f in enumerate(crossings):
        if n == 0:
            continue  # this pipe is not seen by the radar
        depth = f.map_depth_m + (0.5 * max(1.0, f.map_depth_m) if n == 1 else 0.02)  # n == 1: depth off
        picks.append(reconcile.PickRecord(f"P{n}", f.x + 0.03, f.y, depth, polarity=1))
    picks.append(reconcile.PickRecord("V1", 538055.0, 3379955.0, 0.6, polarity=-1))
    rec = reconcile.reconcile(line, picks, segs, ground=dem)
    kinds = {f.pipe_id or f.pick_id: f for f in rec.findings}
    assert kinds[crossings[0].pipe_id].kind == "not_detected"
    mismatch = kinds[crossings[1].pipe_id]
    assert mismatch.kind == "depth_mismatch"
    assert mismatch.difference_m == pytest.approx(0.5 * max(1.0, crossings[1].map_depth_m), abs=1e-6)
    assert all(kinds[f.pipe_id].kind == "confirmed" for f in crossings[2:])
    void = kinds["V1"]
    assert void.kind == "unmapped" and "void" in void.hint
    assert rec.counts() == {"confirmed": len(crossings) - 2, "depth_mismatch": 1, "not_detected": 1,
                            "unmapped": 1}
    html_text = reconcile.render_report(rec, "line.dzt", str(m))
    assert "depth mismatch" in html_text and "Survey supervisor" in html_text


def test_plan_limit_is_ten_percent_of_depth(district):
    m, d = district
    segs = mapread.read_segments(m)
    dem = DemSampler(d.dem)
    line = np.column_stack([np.full(101, 538055.0), np.linspace(3379950.0, 3380050.0, 101)])
    crossing = reconcile.reconcile(line, [], segs, ground=dem).findings[0]
    limit = crossing.limit_plan_m
    assert limit == pytest.approx(0.10 * max(1.0, crossing.map_depth_m + 0.05), rel=0.5)
    near = reconcile.PickRecord("A", crossing.x, crossing.y + 0.9 * limit, crossing.map_depth_m)
    far = reconcile.PickRecord("B", crossing.x, crossing.y + 1.5 * limit, crossing.map_depth_m)
    got = {f.pick_id: f.kind for f in reconcile.reconcile(line, [near], segs, ground=dem).findings if f.pick_id}
    assert got["A"] in ("confirmed", "depth_mismatch")
    got = {f.pick_id: f.kind for f in reconcile.reconcile(line, [far], segs, ground=dem).findings if f.pick_id}
    assert got["B"] == "unmapped"
