"""The fast network code against a brute-force reference written here, on random networks.

The reference knows each random network by its lattice (node = grid index, segment = pair of grid
indices) and walks a plain dict adjacency list with breadth-first searches (and heapq Dijkstra for
the flow of a pressure network): nothing of core.network but the results is used. Segment ends are
jittered by up to 3.5 mm in x and y (two copies of a node at most 9.9 mm apart) so that the fast
graph has to snap them (tolerance 10 mm).
"""

from __future__ import annotations

import heapq
from collections import deque

import numpy as np
import pytest

from pipemap.core.network import graph as ng
from pipemap.core.network import isolate as iso
from pipemap.core.network.trace import trace

STEP = 10.0


def random_network(seed: int, size: int = 9, jitter: float = 0.0035, gravity: bool = False):
    """A random lattice network: {seg_id: (a, b)} with a, b grid keys, node kinds (at least one plant),
    z, and its graph."""
    rng = np.random.default_rng(seed)
    segs: dict[str, tuple[tuple[int, int], tuple[int, int]]] = {}
    for i in range(size):
        for j in range(size):
            for di, dj in ((1, 0), (0, 1)):
                if i + di < size and j + dj < size and rng.random() < 0.72:
                    a, b = (i, j), (i + di, j + dj)
                    if rng.random() < 0.5:  # digitised either way
                        a, b = b, a
                    segs[f"s{len(segs)}"] = (a, b)
    nodes = sorted({n for ab in segs.values() for n in ab})
    kinds: dict[tuple[int, int], str] = {}
    for n in nodes:
        r = rng.random()
        kinds[n] = "valve" if r < 0.3 else "plant" if r < 0.34 else "hydrant" if r < 0.4 else ""
    if not any(k == "plant" for k in kinds.values()):
        kinds[nodes[0]] = "plant"
    z = {n: float(rng.uniform(0, 3)) for n in nodes}
    ids, verts, offsets = [], [], [0]
    for sid, (a, b) in segs.items():
        for n in (a, b):
            dx, dy = rng.uniform(-jitter, jitter, 2) if jitter else (0.0, 0.0)
            verts.append((n[0] * STEP + dx, n[1] * STEP + dy, z[n]))
        ids.append(sid)
        offsets.append(len(verts))
    cat = "PS" if gravity else "JS"
    table = ng.SegmentTable.from_arrays(ids, cat, np.array(verts), np.array(offsets))
    typed = [n for n in nodes if kinds[n]]
    pts = ng.PointTable.from_arrays([f"p{n[0]}_{n[1]}" for n in typed], cat,
                                   np.array([(n[0] * STEP, n[1] * STEP) for n in typed]).reshape(-1, 2),
                                   appurtenance=[kinds[n] for n in typed])
    return segs, kinds, z, ng.build_graph(cat, table, pts, tolerance=0.01)


def key_of(g, node):
    return (int(round(g.xy[node, 0] / STEP)), int(round(g.xy[node, 1] / STEP)))


def adjacency(segs):
    adj: dict[tuple[int, int], list[tuple[str, tuple[int, int]]]] = {}
    for sid, (a, b) in segs.items():
        adj.setdefault(a, []).append((sid, b))
        adj.setdefault(b, []).append((sid, a))
    return adj


def ref_trace(segs, start_nodes, blocked, step_ok=lambda sid, frm, to: True, start_edge=None):
    """BFS: nodes reached, segments traced, stops; blocked nodes are reached but not left."""
    adj = adjacency(segs)
    seen = set(start_nodes)
    queue = deque(start_nodes)
    edges = {start_edge} if start_edge else set()
    while queue:
        n = queue.popleft()
        if n in blocked:
            continue
        for sid, other in adj.get(n, []):
            if not step_ok(sid, n, other):
                continue
            edges.add(sid)
            if other not in seen:
                seen.add(other)
                queue.append(other)
    stops = {n for n in seen if n in blocked}
    if start_edge:  # the start segment's ends belong to the trace
        seen |= set(segs[start_edge])
    else:  # a trace leaves its start node whatever it is
        stops -= set(start_nodes)
    return seen, edges, stops


def ref_pressure_flow(segs, kinds):
    """+1 / -1 / 0 per segment from multi-source Dijkstra distances (heapq)."""
    adj = adjacency(segs)
    dist = {n: 0.0 for n, k in kinds.items() if k == "plant"}
    heap = [(0.0, n) for n in dist]
    heapq.heapify(heap)
    while heap:
        d, n = heapq.heappop(heap)
        if d > dist.get(n, np.inf):
            continue
        for _sid, other in adj.get(n, []):
            nd = d + STEP
            if nd < dist.get(other, np.inf):
                dist[other] = nd
                heapq.heappush(heap, (nd, other))
    out = {}
    for sid, (a, b) in segs.items():
        da, db = dist.get(a, np.inf), dist.get(b, np.inf)
        out[sid] = 1 if da < db else -1 if db < da else 0
    if not dist:
        out = {sid: 1 for sid in segs}
    return out


def ref_isolate(segs, kinds, failed_seg, failed, closed):
    """Segments isolated, ring nodes (valves and sources met, failed ones passed), and segments cut off."""
    boundary = {n for n, k in kinds.items() if k in ("valve", "plant")}
    adj = adjacency(segs)
    area = {failed_seg}
    queue = deque(segs[failed_seg])
    seen_nodes = set(segs[failed_seg])
    ring = set()
    while queue:
        n = queue.popleft()
        if n in boundary and n not in failed:
            ring.add(n)
            continue
        for sid, other in adj[n]:
            area.add(sid)
            if other not in seen_nodes:
                seen_nodes.add(other)
                queue.append(other)

    def fed(blocked, removed):
        sources = [n for n, k in kinds.items() if k == "plant" and n not in blocked]
        got, q, seen = set(), deque(sources), set(sources)
        while q:
            n = q.popleft()
            for sid, other in adj.get(n, []):
                if sid in removed:
                    continue
                got.add(sid)
                if other not in seen and other not in blocked:
                    seen.add(other)
                    q.append(other)
        return got

    before = fed(set(closed), set())
    after = fed(set(closed) | ring, area)
    return area, ring, before - after - area


@pytest.mark.parametrize("seed", range(30))
def test_connected_traces_match_the_reference(seed):
    segs, kinds, _z, g = random_network(seed)
    assert g.n_edges == len(segs)
    assert sorted({key_of(g, n) for n in range(g.n_nodes)}) == sorted({n for ab in segs.values() for n in ab})
    rng = np.random.default_rng(1000 + seed)
    valves = sorted(n for n, k in kinds.items() if k == "valve")
    closed = [valves[i] for i in rng.choice(len(valves), min(3, len(valves)), replace=False)] if valves else []
    node_of = {key_of(g, n): n for n in range(g.n_nodes)}
    for sid in rng.choice(sorted(segs), 5, replace=False):
        for stop_kinds, stop_names in (((), ()), ((ng.VALVE,), ("valve",)), ((ng.HYDRANT, ng.SOURCE), ("hydrant",
                                                                                                   "plant"))):
            blocked = set(closed) | {n for n, k in kinds.items() if k in stop_names}
            nodes, edges, stops = ref_trace(segs, list(segs[sid]), blocked, start_edge=sid)
            r = trace(g, edge=g.edge_of(sid), direction="connected", stop_kinds=stop_kinds,
                      closed=[node_of[c] for c in closed])
            assert set(g.seg_ids[r.edges]) == edges
            assert {key_of(g, n) for n in r.nodes} == nodes
            assert {key_of(g, n) for n in r.stops} == stops
        start = sorted(segs[sid])[0]
        nodes, edges, stops = ref_trace(segs, [start], set(valves) - {start})
        r = trace(g, node=node_of[start], stop_kinds={ng.VALVE})
        assert set(g.seg_ids[r.edges]) == edges and {key_of(g, n) for n in r.stops} == stops


@pytest.mark.parametrize("seed", range(20))
def test_drain_traces_match_the_reference(seed):
    segs, kinds, z, g = random_network(seed, gravity=True)
    flow = {}
    for sid, (a, b) in segs.items():
        flow[sid] = -1 if z[a] - z[b] < -1e-3 else 1
    rng = np.random.default_rng(2000 + seed)
    for sid in rng.choice(sorted(segs), 5, replace=False):
        a, b = segs[sid]
        for direction, sign in (("downstream", 1), ("upstream", -1)):
            def step_ok(s, frm, to, sign=sign):
                u, v = segs[s]
                f = flow[s] * sign
                return (f > 0 and frm == u) or (f < 0 and frm == v)

            head = b if flow[sid] * sign > 0 else a
            nodes, edges, stops = ref_trace(segs, [head], set(), step_ok, start_edge=sid)
            r = trace(g, edge=g.edge_of(sid), direction=direction)
            assert set(g.seg_ids[r.edges]) == edges, (direction, sid)
            assert {key_of(g, n) for n in r.nodes} == nodes


@pytest.mark.parametrize("seed", range(20))
def test_pressure_flow_matches_the_reference(seed):
    segs, kinds, _z, g = random_network(seed, jitter=0.0)
    ref = ref_pressure_flow(segs, kinds)
    flow, basis = g.flow()
    assert basis == "sources"
    got = {str(s): int(f) for s, f in zip(g.seg_ids, flow)}
    assert got == ref


@pytest.mark.parametrize("seed", range(40))
def test_isolations_match_the_reference(seed):
    segs, kinds, _z, g = random_network(seed)
    rng = np.random.default_rng(3000 + seed)
    node_of = {key_of(g, n): n for n in range(g.n_nodes)}
    valves = sorted(n for n, k in kinds.items() if k == "valve")
    for trial in range(6):
        sid = str(rng.choice(sorted(segs)))
        k_fail = int(rng.integers(0, 3)) if valves else 0
        failed = {valves[i] for i in rng.choice(len(valves), k_fail, replace=False)} if k_fail else set()
        closed = {valves[i] for i in rng.choice(len(valves), 1, replace=False)} - failed if trial % 2 and valves \
            else set()
        area, ring, cut = ref_isolate(segs, kinds, sid, failed, closed)
        r = iso.isolate(g, g.edge_of(sid), 0.5, failed=[node_of[n] for n in failed],
                      closed=[node_of[n] for n in closed])
        assert set(g.seg_ids[r.isolated_edges]) == area, (seed, trial)
        assert {key_of(g, o.node) for o in r.operations} == ring
        assert {key_of(g, o.node) for o in r.operations if o.action == "verify_closed"} == ring & closed
        assert {key_of(g, o.node) for o in r.operations if o.action == "shut_source"} == \
            {n for n in ring if kinds[n] == "plant"}
        assert set(g.seg_ids[r.cut_off_edges]) == cut
        orders = sorted(o.order for o in r.operations if o.action != "verify_closed")
        assert orders == list(range(1, len(orders) + 1))
