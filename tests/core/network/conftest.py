"""Hand-built networks for the network tests: ``make_graph`` builds a graph from a few lines and points."""

from __future__ import annotations

import numpy as np
import pytest


def build(lines, points=(), category="JS", tolerance=0.01, status=None, subcategory=None, dn=None):
    """A graph of ``category`` from lines ``(seg_id, [(x, y, z), ...])`` and points ``(point_id, x, y, code)``
    where ``code`` is an appurtenance or a feature code (both tried)."""
    from pipemap.core import codes
    from pipemap.core.network import graph as ng

    ids, verts, offsets = [], [], [0]
    for sid, coords in lines:
        c = [tuple(p) + (0.0,) * (3 - len(p)) for p in coords]
        ids.append(sid)
        verts += c
        offsets.append(len(verts))
    seg = ng.SegmentTable.from_arrays(ids, category, np.array(verts, dtype=float).reshape(-1, 3),
                                     np.array(offsets), dn_mm=dn, status=status, subcategory=subcategory)
    apps = {c.code for c in codes.APPURTENANCES}
    pid, xy, feat, app, pst = [], [], [], [], []
    for p in points:
        pid.append(p[0])
        xy.append((p[1], p[2]))
        code = p[3] if len(p) > 3 else ""
        app.append(code if code in apps else "")
        feat.append("" if code in apps else code)
        pst.append(p[4] if len(p) > 4 else "0")
    pts = ng.PointTable.from_arrays(pid, category, np.array(xy, dtype=float).reshape(-1, 2), feat, app, pst)
    return ng.build_graph(category, seg, pts, tolerance)


@pytest.fixture
def make_graph():
    return build
