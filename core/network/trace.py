"""Upstream, downstream and connected traces on a :class:`~.graph.Graph`.

A trace starts from a segment (both its ends for ``connected``, its downstream end for
``downstream``, its upstream end for ``upstream``; the segment itself is always part of it) or from
a node. It follows segments until it meets a closed valve or a node of a chosen type (``stop_kinds``):
such a node is reached and reported as a stop, but the trace does not pass it. A trace that starts
on a node of a stop type leaves from it.

Directions follow :meth:`~.graph.Graph.flow`: ``downstream`` goes with the flow, ``upstream``
against it; a segment of unknown flow (level between two sources) is followed both ways.

The search is one scipy breadth-first search on a node-to-node CSR matrix kept with the graph (the
blocked nodes' rows are emptied per call), so a trace over 1,000,000 segments takes a fraction of a
second.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np

from ..errors import InputError
from .graph import Graph

#: directions, in the order of the algorithm's DIRECTION enum
DIRECTIONS: tuple[str, ...] = ("upstream", "downstream", "connected")


@dataclass
class TraceResult:
    direction: str
    start_edge: int | None
    start_node: int | None
    edges: np.ndarray  #: traced edges, ascending
    nodes: np.ndarray  #: nodes reached (stops included), ascending
    stops: np.ndarray  #: nodes where the trace stopped (closed valves, stop types), ascending
    flow_basis: str  #: what the direction rests on (``inverts``, ``sources``, ``surveyed``; "" for connected)
    unknown_flow: int  #: traced edges whose flow direction is unknown (followed both ways)

    def length_m(self, graph: Graph) -> float:
        return float(graph.length_m[self.edges].sum())


def _base(graph: Graph, direction: str, closed: np.ndarray) -> dict[str, Any]:
    """Node-to-node entries (rows sorted) for a direction: row = the node a step leaves, col = the
    node it reaches, edge = the segment; cached per direction (and per closed set for flows that
    depend on it)."""
    if direction == "connected":
        key, flow, basis = "trace:connected", None, ""
    else:
        flow, basis = graph.flow(closed if not graph.gravity else None)
        key = f"trace:{direction}:{basis}:{hash(tuple(closed.tolist())) if basis == 'sources' else 0}"
    hit = graph._cache.get(key)
    if hit is not None:
        return hit
    e = np.arange(graph.n_edges)
    if flow is None:
        rows = np.concatenate([graph.u, graph.v])
        cols = np.concatenate([graph.v, graph.u])
        edges = np.concatenate([e, e])
    else:
        sign = flow if direction == "downstream" else -flow
        fwd = sign >= 0  # with the digitised direction (or unknown: both ways)
        back = sign <= 0
        rows = np.concatenate([graph.u[fwd], graph.v[back]])
        cols = np.concatenate([graph.v[fwd], graph.u[back]])
        edges = np.concatenate([e[fwd], e[back]])
    order = np.argsort(rows, kind="stable")
    n = graph.n_nodes
    out = {"rows": rows[order], "indices": cols[order].astype(np.int32 if n < 2**31 - 1 else np.int64),
           "edges": edges[order], "flow": flow, "basis": basis,
           "indptr": np.concatenate([[0], np.cumsum(np.bincount(rows, minlength=n))]).astype(np.int64)}
    graph._cache[key] = out
    return out


def reach(n: int, base: dict[str, Any], blocked: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Nodes reachable from ``starts`` without leaving a blocked node (blocked nodes can be reached).

    :returns: a boolean mask (n,).
    """
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import breadth_first_order

    starts = np.unique(np.asarray(starts, dtype=np.int64))
    if len(starts) == 0:
        return np.zeros(n, dtype=bool)
    keep = ~blocked[base["rows"]]
    nnz = len(keep)
    data = np.concatenate([keep.astype(np.int8), np.ones(len(starts), dtype=np.int8)])
    indices = np.concatenate([base["indices"], starts.astype(base["indices"].dtype)])
    indptr = np.concatenate([base["indptr"], [nnz + len(starts)]])  # row n: a virtual start joined to the starts
    m = csr_matrix((data, indices, indptr), shape=(n + 1, n + 1))
    m.eliminate_zeros()
    order = breadth_first_order(m, n, directed=True, return_predecessors=False)
    out = np.zeros(n + 1, dtype=bool)
    out[order] = True
    return out[:n]


def blocked_nodes(graph: Graph, stop_kinds: Iterable[int] = (), closed: Iterable[int] = ()) -> np.ndarray:
    """Mask of nodes a trace does not pass: closed valves and nodes of the stop types."""
    blocked = np.zeros(graph.n_nodes, dtype=bool)
    kinds = list(stop_kinds)
    if kinds:
        blocked |= np.isin(graph.kind, np.asarray(kinds, dtype=np.int8))
    c = np.asarray(list(closed), dtype=np.int64)
    if len(c):
        blocked[c] = True
    return blocked


def trace(graph: Graph, *, edge: int | None = None, node: int | None = None, direction: str = "connected",
          stop_kinds: Iterable[int] = (), closed: Iterable[int] = ()) -> TraceResult:
    """Trace from a segment (``edge``) or a node.

    :param direction: ``upstream``, ``downstream`` or ``connected``.
    :param stop_kinds: node-type codes (:data:`~.graph.KIND_NAMES`) the trace stops at.
    :param closed: nodes of closed valves.
    :raises InputError: no start, both starts, or an unknown direction.
    """
    if direction not in DIRECTIONS:
        raise InputError("Unknown trace direction {value!r}: use one of {choices}.", code="network.direction",
                         value=direction, choices=", ".join(DIRECTIONS))
    if (edge is None) == (node is None):
        raise InputError("A trace starts from one segment or one node.", code="network.trace_start")
    closed_arr = np.unique(np.asarray(list(closed), dtype=np.int64))
    base = _base(graph, direction, closed_arr)
    blocked = blocked_nodes(graph, stop_kinds, closed_arr)
    flow = base["flow"]
    if edge is not None:
        e = int(edge)
        if direction == "connected":
            starts = np.array([graph.u[e], graph.v[e]])
        else:
            f = int(flow[e]) * (1 if direction == "downstream" else -1)
            starts = np.array([graph.v[e]] if f > 0 else [graph.u[e]] if f < 0 else [graph.u[e], graph.v[e]])
        open_starts = starts
    else:
        starts = np.array([int(node)])
        blocked = blocked.copy()
        blocked[int(node)] = False  # a trace leaves its start node whatever its type
        open_starts = starts
    reached = reach(graph.n_nodes, base, blocked, open_starts)
    expanded = reached & ~blocked
    entry_on = expanded[base["rows"]]
    edges = np.unique(base["edges"][entry_on])
    stops = np.flatnonzero(reached & blocked)
    if edge is not None:  # the start segment and both its ends belong to every trace from it
        edges = np.union1d(edges, [int(edge)])
        reached[[graph.u[int(edge)], graph.v[int(edge)]]] = True
    nodes = np.flatnonzero(reached)
    unknown = int(np.count_nonzero(flow[edges] == 0)) if flow is not None and len(edges) else 0
    return TraceResult(direction, None if edge is None else int(edge), None if node is None else int(node), edges,
                       nodes, stops, base["basis"], unknown)
