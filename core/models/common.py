"""Options and small geometry and CRS helpers shared by the model and layer importers."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .records import Converted, Issue, MapPoint, MapSegment

if TYPE_CHECKING:
    from .inp import InpFile, Row

#: what an EPANET node elevation means (ELEVATION_MEANS, in this order)
ELEVATION_MEANINGS = ("ground", "centre", "top")


@dataclass
class ModelOptions:
    source: str  #: the model's file name (the features' ``source``)
    coordinate_scale: float = 1.0
    category: tuple[str, str | None] | None = None  #: None = automatic
    elevation_means: str = "ground"
    default_cover_m: float = 1.0


def plan_length(xy: list[tuple[float, float]]) -> float:
    return sum(math.hypot(b[0] - a[0], b[1] - a[1]) for a, b in zip(xy, xy[1:]))


def midpoint(xy: list[tuple[float, float]]) -> tuple[float, float]:
    """The point halfway along a polyline (its first vertex when it has no length)."""
    total = plan_length(xy)
    if total <= 0:
        return xy[0]
    half = total / 2.0
    run = 0.0
    for a, b in zip(xy, xy[1:]):
        d = math.hypot(b[0] - a[0], b[1] - a[1])
        if run + d >= half and d > 0:
            t = (half - run) / d
            return a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])
        run += d
    return xy[-1]


def polyline_z(xy: list[tuple[float, float]], z0: float, z1: float) -> list[tuple[float, float, float]]:
    """3D vertices with z interpolated linearly along the plan length from z0 to z1."""
    total = plan_length(xy)
    out = []
    run = 0.0
    for i, (x, y) in enumerate(xy):
        if i:
            run += math.hypot(x - xy[i - 1][0], y - xy[i - 1][1])
        t = run / total if total > 0 else (0.0 if i < len(xy) - 1 else 1.0)
        out.append((x, y, z0 + (z1 - z0) * t))
    return out


def crs_unit_m(crs_text: str) -> float | None:
    """Metres per linear unit of a projected or local CRS; None for a geographic one."""
    from ..gdalutil import spatial_reference

    srs = spatial_reference(crs_text)
    if srs.IsGeographic():
        return None
    return float(srs.GetLinearUnits() or 1.0)


def check_area(crs_text: str, conv: Converted, explicit: bool, file: str) -> None:
    """Do the coordinates fall inside the CRS's area of use? An explicitly given CRS that the
    data contradict is an error (nothing is imported); the map's CRS assumed for a model that
    states none gives a warning."""
    try:
        from pyproj import CRS, Transformer
        from pyproj.exceptions import CRSError
    except ImportError:  # pragma: no cover - pyproj ships with QGIS
        return
    try:
        crs = CRS.from_user_input(crs_text)
    except CRSError:
        return
    area = crs.area_of_use
    if area is None or not (crs.is_projected or crs.is_geographic):
        return
    xs = [p.x for p in conv.points][:5000]
    ys = [p.y for p in conv.points][:5000]
    if not xs:
        return
    if crs.is_projected:
        lon, lat = Transformer.from_crs(crs, crs.geodetic_crs, always_xy=True).transform(xs, ys)
    else:
        lon, lat = xs, ys
    margin = 2.0
    inside = sum(1 for a, b in zip(lon, lat) if math.isfinite(a) and math.isfinite(b)
                 and area.west - margin <= a <= area.east + margin and area.south - margin <= b <= area.north + margin)
    if inside >= 0.5 * len(xs):
        return
    if explicit:
        conv.issues.append(Issue("error", "crs.outside",
                                 f"The coordinates fall outside the area of {crs.name}: the CRS given does not fit "
                                 "the data (or COORDINATE_SCALE is wrong); nothing was imported.", file, None, "CRS"))
    else:
        conv.issues.append(Issue("warning", "crs.outside",
                                 f"The model states no CRS and its coordinates fall outside the area of the map's "
                                 f"CRS ({crs.name}): they look local or schematic. Give the model's CRS if it has "
                                 "one.", file, None, "CRS"))


def reproject(source: str, target_wkt: str, conv: Converted, path: str = "") -> None:
    """Transform every coordinate (and problem location) from ``source`` into the map's CRS.

    Features whose coordinates cannot be transformed (outside the CRS's domain: infinite or NaN
    results) are left out with an error issue each.

    :param path: the input file, for messages.
    :raises InputError: no transformation exists between the two CRSs (e.g. a local grid and a
        projected CRS).
    """
    from ..errors import InputError
    from ..gdalutil import spatial_reference

    src = spatial_reference(source)
    dst = spatial_reference(target_wkt)
    if src.IsSame(dst):
        return
    from pyproj import CRS, Transformer
    from pyproj.exceptions import CRSError, ProjError

    try:
        tr = Transformer.from_crs(CRS.from_wkt(src.ExportToWkt(["FORMAT=WKT2_2019"])),
                                  CRS.from_wkt(dst.ExportToWkt(["FORMAT=WKT2_2019"])), always_xy=True)
    except (CRSError, ProjError) as exc:
        raise InputError("The coordinates of {path} cannot be transformed from {source} into the map's CRS: "
                         "{reason}. Give the data's CRS.", code="crs.transform", path=path or "the input",
                         source=src.GetName() or source[:80], reason=str(exc).strip()[:200]) from None
    if conv.points:
        xs, ys = tr.transform([p.x for p in conv.points], [p.y for p in conv.points], errcheck=False)
        for p, x, y in zip(conv.points, xs, ys):
            p.x, p.y = float(x), float(y)
    flat = [(x, y) for s in conv.segments for x, y, _ in s.xyz]
    if flat:
        xs, ys = tr.transform([a for a, _ in flat], [b for _, b in flat], errcheck=False)
        k = 0
        for s in conv.segments:
            n = len(s.xyz)
            s.xyz = [(float(xs[k + i]), float(ys[k + i]), s.xyz[i][2]) for i in range(n)]
            k += n
    located = [i for i in conv.issues if i.x is not None and i.y is not None]
    if located:
        xs, ys = tr.transform([i.x for i in located], [i.y for i in located], errcheck=False)
        for i, x, y in zip(located, xs, ys):
            i.x, i.y = (float(x), float(y)) if math.isfinite(x) and math.isfinite(y) else (None, None)

    def finite(rec: MapPoint | MapSegment) -> bool:
        xy = [(rec.x, rec.y)] if isinstance(rec, MapPoint) else [(x, y) for x, y, _ in rec.xyz]
        return all(math.isfinite(x) and math.isfinite(y) for x, y in xy)

    lost = [r.source_id for r in [*conv.points, *conv.segments] if not finite(r)]
    if lost:  # the CRS cannot be right for these data: stop the import (an error about the whole file)
        conv.points = [p for p in conv.points if finite(p)]
        conv.segments = [s for s in conv.segments if finite(s)]
        conv.skip("coordinates that cannot be transformed", len(lost))
        conv.issues.append(Issue("error", "crs.transform",
                                 f"{len(lost)} feature(s) (e.g. {', '.join(lost[:3])}) lie outside what "
                                 f"{src.GetName() or 'the CRS'} can transform into the map's CRS: the CRS does not "
                                 "fit the data; nothing was imported.", path, None, "CRS"))


def read_vertices(inp: InpFile, scale: float, file: str, issues: list[Issue]) -> dict[str, list[tuple[float, float]]]:
    """The interior vertices of each link (``[VERTICES]``, EPANET and SWMM alike); an unusable one is left out
    with a warning."""
    from .inp import position

    vertices: dict[str, list[tuple[float, float]]] = {}
    for row in inp.rows("VERTICES"):
        xy = position(row, scale)
        if xy is not None:
            vertices.setdefault(row.tokens[0], []).append(xy)
        else:
            issues.append(Issue("warning", "link.bad_vertex", f"Link {row.tokens[0]}: a vertex with unusable "
                                f"coordinates ('{row.get(1)[:40]}', '{row.get(2)[:40]}') is left out.", file, row.line,
                                "VERTICES", ref=row.tokens[0]))
    return vertices


class LinkEnds:
    """The two end nodes of each link row of a model (EPANET pipes, pumps, valves; SWMM conduits, pumps,
    orifices...): a link defined twice, one ending at a node the model does not define, or one at a node
    without coordinates is left out (counted in ``conv``, the first two reported in ``issues``)."""

    def __init__(self, nodes: dict[str, Any], file: str, issues: list[Issue], conv: Converted,
                 end_columns: tuple[str, str]) -> None:
        self.nodes, self.file, self.issues, self.conv, self.end_columns = nodes, file, issues, conv, end_columns
        self.seen: dict[str, int] = {}

    def __call__(self, row: Row, id_column: str) -> tuple[Any, Any] | None:
        name = row.tokens[0]
        if name in self.seen:
            self.issues.append(Issue("error", "link.duplicate", f"Link {name} is defined twice (first in line "
                                     f"{self.seen[name]}); the second is left out.", self.file, row.line, id_column,
                                     ref=name))
            self.conv.skip("duplicate link")
            return None
        self.seen[name] = row.line
        a, b = self.nodes.get(row.get(1)), self.nodes.get(row.get(2))
        for nm, node, col in ((row.get(1), a, self.end_columns[0]), (row.get(2), b, self.end_columns[1])):
            if node is None:
                self.issues.append(Issue("error", "link.missing_node",
                                         f"Link {name} ends at node {nm or '?'}, which the model does not define; "
                                         "the link is left out.", self.file, row.line, col, ref=name))
                self.conv.skip("link with a missing node")
                return None
        if a.xy is None or b.xy is None:
            self.conv.skip("link at a node without coordinates")
            return None
        return a, b
