"""Node-link topology of the map's pipes, shared by the hydraulic model writers (EPANET, SWMM).

A hydraulic model needs nodes and the links between them; the map has segments
(3D polylines) and pipe points. Nodes are built from segment ends:

* an end whose ``start_point`` / ``end_point`` names an exported pipe point
  lying within :data:`TOLERANCE_M` (plan distance) of it becomes the node of
  that point, and the point number names the node;
* any other end (no point number, a point withheld by the sharing profile or
  missing from the map, or a point farther away than the tolerance) joins the
  nearest node within the tolerance, or starts a new node; a new node takes
  the number of an exported point lying within the tolerance, if any.

Two different point numbers at the same place stay two nodes (the map says
they are different points); :attr:`Network.coincident` counts them so the
writer can warn. A segment whose two ends fall on one node cannot be a link
and is listed in :attr:`Network.self_loops`.

Engine ids: EPANET accepts at most 31 characters without spaces or semicolons
(EPANET 2.2 ``namevalid``), SWMM compares ids without regard to case. Both
writers therefore keep a map id only when it is 1-31 ASCII letters, digits,
``_``, ``.`` or ``-`` and unique ignoring case; every other object gets a
generated id (``N12``, ``P7``...) and the table ``<basename>_ids.csv`` maps
each exported id back to the map's point number or segment id.
"""

from __future__ import annotations

import csv
import math
import os
import re
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..progress import NullProgress, Progress, check_cancel
from .model import LayerData, MapData

#: plan distance (m) within which segment ends and points are the same node
TOLERANCE_M = 0.01
#: longest id EPANET accepts (EPANET 2.2 MAXID)
MAX_ID = 31
_SAFE_ID = re.compile(r"[A-Za-z0-9_.\-]{1," + str(MAX_ID) + "}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]+")
_BRACKETS = str.maketrans("[]", "()")
#: both engines read lines of at most 1024 bytes; comments are kept well below
COMMENT_CHARS = 100


def is_safe_id(text: str | None) -> bool:
    """True when ``text`` can be used unchanged as an EPANET and SWMM id."""
    return bool(text) and _SAFE_ID.fullmatch(text) is not None


def comment(text: Any, limit: int = COMMENT_CHARS) -> str:
    """``text`` as one line fit for an .inp comment or title: control characters become spaces, square
    brackets parentheses (some readers take ``[...]`` anywhere for a section header), long text is cut."""
    s = _CONTROL.sub(" ", "" if text is None else str(text)).translate(_BRACKETS).strip()
    return s if len(s) <= limit else s[:limit - 3] + "..."


def safe_code(value: Any) -> str | None:
    """A code-list value (material, appurtenance...) usable as a single token, or None."""
    s = "" if value is None else str(value).strip()
    return s if is_safe_id(s) else None


def number(value: Any) -> float | None:
    """A finite float from a field value, or None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return v if math.isfinite(v) else None


def assign_names(candidates: Sequence[str | None], prefix: str, taken: Iterable[str] = ()) -> list[str]:
    """Engine ids for objects whose map ids are ``candidates``.

    Safe candidates are kept (the first of ids equal ignoring case wins); the
    rest get ``prefix`` + a number not used by any kept id or ``taken``.
    """
    used = {t.casefold() for t in taken}
    out: list[str | None] = [None] * len(candidates)
    for k, c in enumerate(candidates):
        if c is not None and is_safe_id(c) and c.casefold() not in used:
            out[k] = c
            used.add(c.casefold())
    counter = 1
    for k in range(len(out)):
        if out[k] is None:
            while f"{prefix}{counter}".casefold() in used:
                counter += 1
            out[k] = f"{prefix}{counter}"
            used.add(out[k].casefold())
            counter += 1
    return [str(v) for v in out]


class _Grid:
    """Hash grid of plan positions for "what lies within the tolerance" queries."""

    def __init__(self, cell: float) -> None:
        self.cell = cell
        self.cells: dict[tuple[int, int], list[tuple[int, float, float]]] = {}

    def add(self, index: int, x: float, y: float) -> None:
        key = (math.floor(x / self.cell), math.floor(y / self.cell))
        self.cells.setdefault(key, []).append((index, x, y))

    def nearest(self, x: float, y: float, limit: float) -> int | None:
        cx, cy = math.floor(x / self.cell), math.floor(y / self.cell)
        best, best_d = None, limit
        for i in (cx - 1, cx, cx + 1):
            for j in (cy - 1, cy, cy + 1):
                for index, px, py in self.cells.get((i, j), ()):
                    d = math.hypot(px - x, py - y)
                    if d <= best_d:
                        best, best_d = index, d
        return best


@dataclass
class Node:
    x: float
    y: float
    point_id: str | None = None  #: the map point number naming the node
    point_row: int | None = None  #: row of that point (or of a point found at the place) in the point layer
    links: list[int] = field(default_factory=list)
    name: str = ""  #: the exported id (set by the writer)


@dataclass
class Link:
    row: int  #: row of the segment in the segment layer
    start: int  #: node index at the segment's first vertex
    end: int  #: node index at the segment's last vertex
    name: str = ""  #: the exported id (set by the writer)


@dataclass
class Network:
    segments: LayerData
    points: LayerData | None
    nodes: list[Node]
    links: list[Link]
    self_loops: list[int] = field(default_factory=list)  #: segment rows whose two ends are one node
    far_ids: int = 0  #: ends naming a point that lies farther than the tolerance
    unknown_ids: int = 0  #: ends naming a point that is not exported (withheld or missing)
    coincident: int = 0  #: nodes of different point numbers within the tolerance of one another

    def coords(self, link: Link) -> np.ndarray:
        return self.segments.coords(link.row)

    def end_z(self, link: Link, at_start: bool) -> float:
        """Centreline z of the link at one end (NaN when unknown)."""
        c = self.coords(link)
        return float(c[0 if at_start else -1, 2])

    def seg(self, link: Link, name: str) -> Any:
        return self.segments.value(name, link.row)

    def point(self, node: Node, name: str) -> Any:
        if self.points is None or node.point_row is None:
            return None
        return self.points.value(name, node.point_row)

    def ground(self, node: Node) -> float:
        """Ground elevation at the node: the point's ``ground_elev_m``, else its z; NaN when unknown."""
        g = number(self.point(node, "ground_elev_m"))
        if g is None and self.points is not None and node.point_row is not None:
            g = number(self.points.vertices[node.point_row, 2])
        return float("nan") if g is None else g

    def degree(self, index: int) -> int:
        return len(self.nodes[index].links)

    def components(self) -> list[list[int]]:
        """Node indices of each connected part, in order of first node."""
        parent = list(range(len(self.nodes)))

        def find(a: int) -> int:
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        for lk in self.links:
            ra, rb = find(lk.start), find(lk.end)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)
        groups: dict[int, list[int]] = {}
        for i in range(len(self.nodes)):
            groups.setdefault(find(i), []).append(i)
        return list(groups.values())


def length_3d(coords: np.ndarray) -> float:
    """Length of a polyline (m) along its 3D vertices; a piece with an unknown z counts in plan."""
    d = np.diff(coords, axis=0)
    dz = np.nan_to_num(d[:, 2], nan=0.0)
    return float(np.sum(np.sqrt(d[:, 0] ** 2 + d[:, 1] ** 2 + dz ** 2)))


def usable_points(data: MapData, category: str) -> LayerData | None:
    """The exported points of ``category`` (None when the profile keeps no point layer)."""
    if "pipe_point" not in data.profile.layers or not len(data.points):
        return None
    cats = data.points.columns.get("category")
    if cats is None:
        return data.points
    return data.points.subset(np.array([c == category for c in cats], dtype=bool))


def build(segments: LayerData, rows: Sequence[int], points: LayerData | None = None, *,
          tolerance: float = TOLERANCE_M, progress: Progress | None = None) -> Network:
    """The node-link network of the segments ``rows`` (see the module doc for the node rules)."""
    progress = progress or NullProgress()
    net = Network(segments, points, [], [])
    point_by_id: dict[str, int] = {}
    point_grid = _Grid(max(tolerance, 1e-6))
    if points is not None:
        for j in range(len(points)):
            pid = points.value("point_id", j)
            if pid:
                point_by_id.setdefault(str(pid), j)
            point_grid.add(j, float(points.vertices[j, 0]), float(points.vertices[j, 1]))
    node_grid = _Grid(max(tolerance, 1e-6))
    node_by_id: dict[str, int] = {}

    def new_node(x: float, y: float, pid: str | None, prow: int | None) -> int:
        n = len(net.nodes)
        net.nodes.append(Node(x, y, pid, prow))
        node_grid.add(n, x, y)
        if pid is not None:
            node_by_id[pid] = n
        return n

    def node_at(x: float, y: float, pid: Any) -> int:
        text = "" if pid is None else str(pid).strip()
        if text:
            j = point_by_id.get(text)
            if j is None:
                net.unknown_ids += 1
            elif math.hypot(points.vertices[j, 0] - x, points.vertices[j, 1] - y) > tolerance:  # type: ignore
                net.far_ids += 1
            else:
                n = node_by_id.get(text)
                if n is not None:
                    return n
                if node_grid.nearest(x, y, tolerance) is not None:
                    net.coincident += 1
                return new_node(x, y, text, j)
        n = node_grid.nearest(x, y, tolerance)
        if n is not None:
            return n
        j = point_grid.nearest(x, y, tolerance)
        if j is not None:
            pid_here = points.value("point_id", j)  # type: ignore[union-attr]
            if pid_here and str(pid_here) not in node_by_id:
                return new_node(x, y, str(pid_here), j)
            return new_node(x, y, None, j)
        return new_node(x, y, None, None)

    total = max(1, len(rows))
    for k, i in enumerate(rows):
        if k % 2000 == 0:
            check_cancel(progress)
            progress.report(k / total)
        c = segments.coords(i)
        a = node_at(float(c[0, 0]), float(c[0, 1]), segments.value("start_point", i))
        b = node_at(float(c[-1, 0]), float(c[-1, 1]), segments.value("end_point", i))
        if a == b:
            net.self_loops.append(i)
            continue
        net.nodes[a].links.append(len(net.links))
        net.nodes[b].links.append(len(net.links))
        net.links.append(Link(i, a, b))
    progress.report(1.0)
    return net


def topology_warnings(net: Network, progress: Progress, what: str) -> None:
    """Tell the receiver what the node building could not do cleanly."""
    if net.self_loops:
        progress.warning(f"{what}: {len(net.self_loops)} segment(s) start and end at the same node (within "
                         f"{TOLERANCE_M} m) and were left out.")
    if net.far_ids:
        progress.warning(f"{what}: {net.far_ids} segment end(s) name a point that lies more than {TOLERANCE_M} m "
                         "away; they were joined by position instead.")
    if net.unknown_ids:
        progress.warning(f"{what}: {net.unknown_ids} segment end(s) name a point that is not in the export "
                         "(withheld by the sharing profile or missing); they were joined by position.")
    if net.coincident:
        progress.warning(f"{what}: {net.coincident} node(s) with different point numbers lie within "
                         f"{TOLERANCE_M} m of another node; they stay separate, so the pipes there are not "
                         "connected in the model.")


def write_lines(path: Path, lines: Iterable[str]) -> None:
    """Write text lines (UTF-8, LF) to ``path`` through a temporary file in the same folder."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            for line in lines:
                fh.write(line)
                fh.write("\n")
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_id_table(path: Path, rows: Iterable[Sequence[Any]]) -> None:
    """The id mapping table: object kind, exported id, map layer, map id, note (UTF-8 CSV)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["object", "exported_id", "map_layer", "map_id", "note"])
            for r in rows:
                w.writerow(["" if v is None else v for v in r])
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def write_prj(path: Path, wkt: str) -> bool:
    """A side-car ``.prj`` with the CRS (ESRI WKT1 when GDAL can convert it, else the map's WKT)."""
    if not wkt:
        return False
    text = wkt
    try:
        from osgeo import osr

        srs = osr.SpatialReference()
        if srs.ImportFromWkt(wkt) == 0:
            esri = srs.ExportToWkt(["FORMAT=WKT1_ESRI"])
            if esri:
                text = esri
    except Exception:  # noqa: BLE001 - any GDAL failure: keep the WKT as the map stores it
        text = wkt
    write_lines(path, [text])
    return True


def header_comments(data: MapData, engine: str, stem: str) -> list[str]:
    """Comment lines for the top of an .inp: CRS, height datum, Z convention, profile, accuracy."""
    from ..version import __version__

    d = data.describe()
    crs = d["crs"]["authid"] or ("local grid (see " + stem + ".prj)" if data.crs_wkt else "not recorded")
    levels = d["accuracy"]["quality_levels"].get("pipe_segment", {})
    acc = ", ".join(f"{k or 'not stated'}: {v}" for k, v in levels.items()) or "not stated"
    lines = [
        f"PipeMap {__version__} {engine} export of {d['source_map']}",
        f"CRS: {crs}; coordinates in metres (X easting, Y northing)" + (f"; WKT in {stem}.prj" if data.crs_wkt
                                                                       else ""),
        f"height datum: {d['height_datum'] or 'not recorded'}",
        f"map Z convention: segments = {d['z_convention'].get('pipe_segment', '')}; points = "
        f"{d['z_convention'].get('pipe_point', '')}",
        f"sharing profile: {d['profile']}",
        f"segment quality levels: {acc}",
        f"ids: {stem}_ids.csv maps every exported id to the map's point number or segment id",
    ]
    return [";" + comment(s, 200) for s in lines]
