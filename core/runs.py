"""Find a connected run of segments between two points (for profiles)."""

from __future__ import annotations

from collections import defaultdict, deque

from .errors import InputError
from .mapread import SegmentArrays


def find_run(segments: SegmentArrays, from_point: str, to_point: str,
             category: str | None = None) -> list[tuple[int, bool]]:
    """Shortest run (fewest segments) from one point number to another.

    :returns: [(segment index, reversed)] in travel order; ``reversed`` means the
        segment is stored end -> start relative to the travel direction.
    :raises InputError: unknown points or no connection.
    """
    adj: dict[str, list[tuple[str, int, bool]]] = defaultdict(list)
    for k in range(len(segments)):
        if category and segments.category[k] != category:
            continue
        a, b = segments.start_point[k], segments.end_point[k]
        if not a or not b:
            continue
        adj[a].append((b, k, False))
        adj[b].append((a, k, True))
    for pid in (from_point, to_point):
        if pid not in adj:
            raise InputError("Point {point} is not the end of any segment{cat}.", code="run.unknown_point",
                             point=pid, cat=f" of category {category}" if category else "")
    prev: dict[str, tuple[str, int, bool]] = {}
    seen = {from_point}
    queue = deque([from_point])
    while queue:
        node = queue.popleft()
        if node == to_point:
            break
        for nxt, k, rev in adj[node]:
            if nxt not in seen:
                seen.add(nxt)
                prev[nxt] = (node, k, rev)
                queue.append(nxt)
    if to_point not in seen:
        raise InputError("No connected run of segments from {a} to {b}.", code="run.unconnected", a=from_point,
                         b=to_point)
    run: list[tuple[int, bool]] = []
    node = to_point
    while node != from_point:
        parent, k, rev = prev[node]
        run.append((k, rev))
        node = parent
    run.reverse()
    return run
