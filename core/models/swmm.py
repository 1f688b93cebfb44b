"""SWMM 5 models (drainage) to map features.

What becomes what (all elevations in metres; US models -- FLOW_UNITS CFS,
GPM or MGD -- are in feet and converted):

* ``[JUNCTIONS]`` -> manholes (``pipe_point``, appurtenance ``manhole``):
  ground = rim = invert + MaxDepth, ``well_depth_m`` = MaxDepth. MaxDepth 0
  means the rim is unknown: ground empty and the point's z NaN.
* ``[OUTFALLS]`` -> points with feature ``outlet``; ``[DIVIDERS]`` -> points
  with appurtenance ``overflow_manhole`` (rim as for junctions);
  ``[STORAGE]`` -> points without a CJJ 61 code (storage units are tanks,
  ponds or, in dual-drainage models, street surfaces). Outfalls and storage
  units have no rim, so their ground stays unknown.
* ``[CONDUITS]`` -> segments through their ``[VERTICES]``. The centreline z
  at an end is the conduit invert there plus half the section height, with
  the invert = node invert + offset (``LINK_OFFSETS DEPTH``, the default) or
  = the offset itself (``LINK_OFFSETS ELEVATION``, ``*`` meaning the node
  invert). Inner vertices get z interpolated along the plan length.
  FILLED_CIRCULAR: SWMM's invert is the top of the sediment, so the pipe's
  own invert is that minus the filled depth (Geom2).
* Sections (``[XSECTIONS]``) -> width x height by the SWMM 5 user manual's
  cross-section table (:func:`section_size`): CIRCULAR, FORCE_MAIN and
  FILLED_CIRCULAR become ``circular`` with DN = Geom1; every other closed
  shape ``box`` with its bounding width x height (the shape in ``remark``).
  Sizes are inner (the model has no walls).
* Open sections (RECT_OPEN, TRAPEZOIDAL, TRIANGULAR, PARABOLIC, POWER,
  IRREGULAR, STREET) are channels or streets, not buried pipes: they are not
  written (warning ``link.open_channel``), nor are DUMMY links.
* ``[PUMPS]``, ``[ORIFICES]``, ``[WEIRS]``, ``[OUTLETS]`` -> typed points in
  the middle of the link (pump_station, gate_chamber, overflow_manhole, none),
  ground = the mean of the known end rims.

Category: ``CATEGORY`` when given, else drainage (PS) with the sub-category
from CJJ 61 id prefixes (``YS``/``WS``/``HS`` followed by a digit, or
``YSB`` + digit) where the ids carry them.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from . import validate
from .common import LinkEnds, ModelOptions, midpoint, plan_length, polyline_z, read_vertices
from .inp import InpFile, Row, number, position, swmm_units
from .records import NAN, Converted, Issue, MapPoint, MapSegment

#: sections whose shape is an open channel (SWMM xsect.c: Amax = 1), never a buried pipe
OPEN_SHAPES = frozenset({"RECT_OPEN", "TRAPEZOIDAL", "TRIANGULAR", "PARABOLIC", "POWER", "IRREGULAR", "STREET"})
CIRCULAR_SHAPES = frozenset({"CIRCULAR", "FORCE_MAIN", "FILLED_CIRCULAR"})
#: width / height of the shapes whose width follows from the height alone (SWMM 5 manual, xsect.c)
WIDTH_RATIO = {"EGG": 2.0 / 3.0, "HORSESHOE": 1.0, "GOTHIC": 0.84, "CATENARY": 0.9, "SEMIELLIPTICAL": 1.0,
               "BASKETHANDLE": 0.944, "SEMICIRCULAR": 1.64}
#: shapes with Geom1 = full height and Geom2 = (top or maximum) width
GEOM2_WIDTH = frozenset({"RECT_CLOSED", "RECT_OPEN", "TRIANGULAR", "PARABOLIC", "POWER", "RECT_TRIANGULAR",
                         "RECT_ROUND", "MODBASKETHANDLE"})
#: shapes that may give a standard size code (Geom3, or Geom1 when Geom2 is 0) instead of sizes
SIZE_CODE_SHAPES = frozenset({"HORIZ_ELLIPSE", "VERT_ELLIPSE", "ARCH"})
SHAPES = (CIRCULAR_SHAPES | set(WIDTH_RATIO) | GEOM2_WIDTH | SIZE_CODE_SHAPES
          | {"TRAPEZOIDAL", "CUSTOM", "IRREGULAR", "STREET", "DUMMY"})

#: point codes of node and link kinds
NODE_CODES = {"junction": ("appurtenance", "manhole"), "outfall": ("feature", "outlet"),
              "divider": ("appurtenance", "overflow_manhole"), "storage": (None, None)}
LINK_CODES = {"pump": ("appurtenance", "pump_station"), "orifice": ("appurtenance", "gate_chamber"),
              "weir": ("appurtenance", "overflow_manhole"), "outlet": (None, None)}
_CJJ_PREFIX = re.compile(r"^(YS|WS|HS)B?\d")
_DIVIDER_PARAMS = {"OVERFLOW": 0, "CUTOFF": 1, "TABULAR": 1, "WEIR": 3}


@dataclass
class Section:
    """A conduit section in model length units (ft or m)."""

    shape: str
    width: float | None
    height: float | None
    filled: float = 0.0  #: FILLED_CIRCULAR sediment depth
    open: bool = False
    note: str = ""


def _curves(inp: InpFile) -> dict[str, list[tuple[float, float]]]:
    out: dict[str, list[tuple[float, float]]] = {}
    for row in inp.rows("CURVES"):
        name, rest = row.tokens[0], row.tokens[1:]
        if rest and number(rest[0]) is None:
            rest = rest[1:]  # the curve type on its first row
        vals = [number(t) for t in rest]
        pts = out.setdefault(name.upper(), [])
        for a, b in zip(vals[0::2], vals[1::2]):
            if a is not None and b is not None:
                pts.append((a, b))
    return out


def _transects(inp: InpFile) -> dict[str, tuple[float, float]]:
    """Transect name -> (width, height) from its GR station/elevation pairs."""
    out: dict[str, tuple[float, float]] = {}
    current: str | None = None
    data: dict[str, list[tuple[float, float]]] = {}
    for row in inp.rows("TRANSECTS"):
        key = row.tokens[0].upper()
        if key == "X1" and len(row.tokens) > 1:
            current = row.tokens[1].upper()
            data.setdefault(current, [])
        elif key == "GR" and current is not None:
            vals = [number(t) for t in row.tokens[1:]]
            for e, s in zip(vals[0::2], vals[1::2]):
                if e is not None and s is not None:
                    data[current].append((e, s))
    for name, pts in data.items():
        if pts:
            es = [p[0] for p in pts]
            ss = [p[1] for p in pts]
            out[name] = (max(ss) - min(ss), max(es) - min(es))
    return out


def _streets(inp: InpFile) -> dict[str, tuple[float, float]]:
    """Street name -> (width, height): sides x (crown + backing width), curb height."""
    out: dict[str, tuple[float, float]] = {}
    for row in inp.rows("STREETS"):
        v = [number(t) for t in row.tokens[1:]]
        v += [None] * (10 - len(v))
        tcrown, hcurb, sides, tback = v[0] or 0.0, v[1] or 0.0, v[6] or 2.0, v[7] or 0.0
        out[row.tokens[0].upper()] = (sides * (tcrown + tback), hcurb)
    return out


def section_size(shape: str, geoms: list[str], curves: dict[str, list[tuple[float, float]]] | None = None,
                 transects: dict[str, tuple[float, float]] | None = None,
                 streets: dict[str, tuple[float, float]] | None = None) -> Section:
    """Width x height (model length units) of an SWMM cross-section from Geom1..Geom4.

    Widths follow the SWMM 5 user manual's cross-section table and xsect.c:
    Geom2 for rectangular, triangular, parabolic, power, rect-triangular,
    rect-round and modified baskethandle shapes; base + height x (left +
    right side slope) for trapezoids; Geom2 for ellipses and arches (a
    standard size code is not resolved: width and height None); fixed
    ratios of the height for egg (2/3), horseshoe (1), gothic (0.84),
    catenary (0.9), semi-elliptical (1), baskethandle (0.944) and
    semicircular (1.64); the widest point of the shape curve for CUSTOM; the
    station span and elevation range of the transect for IRREGULAR; the
    street's crown and backing widths and its curb height for STREET.
    """
    s = shape.upper()
    g = [number(t) for t in geoms] + [None] * 4
    g1, g2, g3, g4 = (v if v is not None else 0.0 for v in g[:4])
    is_open = s in OPEN_SHAPES
    if s in CIRCULAR_SHAPES:
        filled = g2 if s == "FILLED_CIRCULAR" else 0.0
        return Section(s, g1, g1, filled=filled)
    if s in GEOM2_WIDTH:
        return Section(s, g2, g1, open=is_open)
    if s == "TRAPEZOIDAL":
        return Section(s, g2 + g1 * (g3 + g4), g1, open=True)
    if s in WIDTH_RATIO:
        return Section(s, WIDTH_RATIO[s] * g1, g1)
    if s in SIZE_CODE_SHAPES:
        if g2 == 0.0 or g3 > 0.0:
            code = g3 if g3 > 0 else g1
            return Section(s, None, None, note=f"standard size code {code:g} (size table not read)")
        return Section(s, g2, g1)
    if s == "CUSTOM":
        name = (geoms[1] if len(geoms) > 1 else "").upper()
        pts = (curves or {}).get(name)
        if not pts:
            return Section(s, None, g1, note=f"shape curve {name or '?'} not found")
        return Section(s, max(p[1] for p in pts) * g1, g1)
    if s == "IRREGULAR":
        name = (geoms[0] if geoms else "").upper()
        wh = (transects or {}).get(name)
        return Section(s, wh[0] if wh else None, wh[1] if wh else None, open=True,
                       note="" if wh else f"transect {name or '?'} not found")
    if s == "STREET":
        name = (geoms[0] if geoms else "").upper()
        wh = (streets or {}).get(name)
        return Section(s, wh[0] if wh else None, wh[1] if wh else None, open=True,
                       note="" if wh else f"street {name or '?'} not found")
    if s == "DUMMY":
        return Section(s, 0.0, 0.0)
    return Section(s, None, None, note="unknown shape")


def cjj_subcategory(name: str) -> str | None:
    m = _CJJ_PREFIX.match(name)
    return m.group(1) if m else None


@dataclass
class _Node:
    name: str
    kind: str
    invert: float  #: model units
    max_depth: float | None
    row: Row
    xy: tuple[float, float] | None = None  #: scaled
    detail: str = ""
    unusable: bool = False  #: its coordinates were unusable (reported)

    @property
    def rim(self) -> float | None:
        if self.kind in ("junction", "divider") and self.max_depth is not None and self.max_depth > 0:
            return self.invert + self.max_depth
        return None


def _nodes(inp: InpFile, file: str, issues: list[Issue], conv: Converted, scale: float) -> dict[str, _Node]:
    nodes: dict[str, _Node] = {}

    def add(node: _Node, section: str) -> None:
        if node.name in nodes:
            first = nodes[node.name]
            issues.append(Issue("error", "node.duplicate",
                                f"Node {node.name} is defined twice (first in line {first.row.line}); the second is "
                                "left out.", file, node.row.line, section, ref=node.name))
            return
        nodes[node.name] = node

    for section, kind in (("JUNCTIONS", "junction"), ("OUTFALLS", "outfall"), ("STORAGE", "storage"),
                          ("DIVIDERS", "divider")):
        rows = inp.rows(section)
        if rows:
            conv.counts[section] = len(rows)
        for row in rows:
            invert = number(row.get(1))
            if invert is None:
                issues.append(Issue("error", "node.no_elevation",
                                    f"Node {row.tokens[0]} has no readable invert elevation ('{row.get(1)}'); it is "
                                    "left out.", file, row.line, "Elevation", ref=row.tokens[0]))
                continue
            max_depth = None
            detail = ""
            if kind in ("junction", "storage"):
                max_depth = number(row.get(2, "0"))
            elif kind == "divider":
                n_par = _DIVIDER_PARAMS.get(row.get(3).upper(), 0)
                max_depth = number(row.get(4 + n_par, "0"))
                detail = row.get(3).upper()
            elif kind == "outfall":
                detail = row.get(2).upper()
            add(_Node(row.tokens[0], kind, invert, max_depth, row, detail=detail), section)
    for row in inp.rows("COORDINATES"):
        node = nodes.get(row.tokens[0])
        if node is None:
            continue
        xy = position(row, scale)
        if xy is None:
            node.unusable = True
            issues.append(Issue("error", "node.bad_coordinates",
                                f"Node {node.name} has unusable coordinates ('{row.get(1)[:40]}', "
                                f"'{row.get(2)[:40]}'); it and its links are left out.", file, row.line, "COORDINATES",
                                ref=node.name))
        else:
            node.xy = xy
    return nodes


def convert(inp: InpFile, opts: ModelOptions) -> Converted:
    """Convert a parsed SWMM model into map features (model coordinates, scaled)."""
    units, given = swmm_units(inp)
    f = units.length_m
    file = opts.source
    conv = Converted("swmm", units=f"{units.flow_units} ({'US: feet' if units.us else 'SI: metres'})")
    issues = conv.issues
    if not given:
        issues.append(Issue("warning", "units.default", "The model has no FLOW_UNITS option; SWMM's default CFS "
                            "(feet) was assumed.", file, None, "FLOW_UNITS"))
    map_units = None
    for row in inp.rows("MAP"):
        if row.tokens[0].upper() == "UNITS" and len(row.tokens) > 1:
            map_units = row.tokens[1].upper()
    if map_units in ("METERS", "FEET") and (map_units == "FEET") != units.us:
        issues.append(Issue("warning", "units.mixed",
                            f"Elevations, depths and sizes are in {'feet' if units.us else 'metres'} (FLOW_UNITS "
                            f"{units.flow_units}) while the map coordinates are in {map_units.lower()} ([MAP] Units): "
                            "both were read as stated. Check the model's CRS.", file, None, "FLOW_UNITS"))
    offsets = (inp.option("LINK_OFFSETS") or "DEPTH").upper()
    if offsets not in ("DEPTH", "ELEVATION"):
        issues.append(Issue("warning", "option.link_offsets", f"Unknown LINK_OFFSETS {offsets}; DEPTH assumed.",
                            file, None, "LINK_OFFSETS"))
        offsets = "DEPTH"
    scale = opts.coordinate_scale
    fixed = opts.category

    def category(name: str, *others: str) -> tuple[str, str | None]:
        if fixed is not None:
            return fixed
        for n in (name, *others):
            sub = cjj_subcategory(n)
            if sub:
                return "PS", sub
        return "PS", None

    nodes = _nodes(inp, file, issues, conv, scale)
    for node in nodes.values():
        if node.xy is None and node.unusable:
            conv.skip("node without coordinates")
        elif node.xy is None:
            issues.append(Issue("error", "node.no_coordinates",
                                f"Node {node.name} has no [COORDINATES]; it and its links are left out.", file,
                                node.row.line, "COORDINATES", ref=node.name))
            conv.skip("node without coordinates")
    validate.elevations(((n.name, n.invert, n.row.line, *(n.xy or (None, None))) for n in nodes.values()),
                        file, "Elevation", issues, units.length_name, f)
    for node in nodes.values():
        if node.kind == "junction" and node.xy is not None and (node.max_depth or 0) <= 0:
            issues.append(Issue("warning", "node.no_rim",
                                f"Junction {node.name} has MaxDepth 0: its rim (ground) is unknown.", file,
                                node.row.line, "MaxDepth", *node.xy, node.name))

    # --- points for nodes
    sub_count: dict[str, int] = {}
    for node in nodes.values():
        if node.xy is None:
            continue
        cat, sub = category(node.name)
        if sub:
            sub_count[sub] = sub_count.get(sub, 0) + 1
        rim = node.rim
        values: dict[str, object] = {
            "ground_elev_m": rim * f if rim is not None else None,
            "well_depth_m": node.max_depth * f if rim is not None else None,
            "remark": f"SWMM {node.kind}{' ' + node.detail if node.detail else ''}, invert "
                      f"{node.invert * f:.3f} m" + (f", max depth {node.max_depth * f:.3f} m"
                                                     if node.max_depth and node.kind == "storage" else ""),
        }
        field_name, code = NODE_CODES[node.kind]
        if field_name:
            values[field_name] = code
        conv.points.append(MapPoint(node.name, node.kind, node.xy[0], node.xy[1], rim * f if rim is not None else NAN,
                                    cat, sub, values, node.name))
    if fixed is None and sub_count:
        conv.notes.append("Sub-categories from CJJ 61 id prefixes: "
                          + ", ".join(f"{k} {v}" for k, v in sorted(sub_count.items())) + " nodes.")

    # --- sections
    curves, transects, streets = _curves(inp), _transects(inp), _streets(inp)
    xsections: dict[str, tuple[Section, Row]] = {}
    for row in inp.rows("XSECTIONS"):
        if len(row.tokens) < 2:
            continue
        xsections[row.tokens[0]] = (section_size(row.tokens[1], row.tokens[2:], curves, transects, streets), row)
    vertices = read_vertices(inp, scale, file, issues)
    ends = LinkEnds(nodes, file, issues, conv, ("From Node", "To Node"))

    # --- conduits
    rows = inp.rows("CONDUITS")
    if rows:
        conv.counts["CONDUITS"] = len(rows)
    sizes: list[tuple[str, float, int, float | None, float | None]] = []
    barrels = 0
    crown_ends: list[tuple[str, int, float, str]] = []
    for row in rows:
        name = row.tokens[0]
        pair = ends(row, "CONDUITS")
        if pair is None:
            continue
        a, b = pair
        xy = [a.xy, *vertices.get(name, []), b.xy]
        length = number(row.get(3))
        plan = plan_length(xy)
        if length is not None:
            conv.lengths.append((length * f, plan))
        mid = midpoint(xy)
        xs = xsections.get(name)
        if xs is None:
            issues.append(Issue("error", "link.no_section", f"Conduit {name} has no [XSECTIONS] entry; it is left "
                                "out.", file, row.line, "XSECTIONS", *mid, name))
            conv.skip("conduit without a section")
            continue
        sec, xrow = xs
        if sec.shape == "DUMMY":
            issues.append(Issue("warning", "link.dummy", f"Conduit {name} has a DUMMY section (a modelling link, not "
                                "a pipe); it is not written.", file, xrow.line, "Shape", *mid, name))
            conv.skip("dummy link")
            continue
        if sec.open:
            issues.append(Issue("warning", "link.open_channel",
                                f"Conduit {name} has an open {sec.shape} section: a street or open channel, not a "
                                "buried pipe; it is not written.", file, xrow.line, "Shape", *mid, name))
            conv.skip("open channel or street")
            continue
        if sec.height is None or sec.height <= 0:
            issues.append(Issue("error", "link.unknown_size",
                                f"Conduit {name}: the height of its {sec.shape} section is unknown"
                                f"{' (' + sec.note + ')' if sec.note else ''}; it is left out.", file, xrow.line,
                                "Geom1", *mid, name))
            conv.skip("conduit of unknown size")
            continue
        n_barrels = number(xrow.get(6, "1")) if sec.shape != "CUSTOM" else number(xrow.get(4, "1"))
        if n_barrels is not None and n_barrels > 1:
            barrels += 1
        inv: list[float] = []
        for node, tok, col in ((a, row.get(5, "0"), "InOffset"), (b, row.get(6, "0"), "OutOffset")):
            off = number(tok)
            if offsets == "ELEVATION":
                value = node.invert if off is None else off
                if off is not None and off < node.invert - 1e-9:
                    issues.append(Issue("warning", "link.below_node",
                                        f"Conduit {name}: the invert {off:g} {units.length_name} ({col}) is below the "
                                        f"invert of node {node.name} ({node.invert:g}).", file, row.line, col, *mid,
                                        name))
            else:
                if tok.strip() not in ("", "*") and off is None:
                    issues.append(Issue("warning", "link.bad_offset", f"Conduit {name}: unreadable {col} '{tok}'; 0 "
                                        "assumed.", file, row.line, col, *mid, name))
                off = off or 0.0
                if off < 0:
                    issues.append(Issue("warning", "link.negative_offset",
                                        f"Conduit {name}: {col} {off:g} {units.length_name} puts its invert below node "
                                        f"{node.name}.", file, row.line, col, *mid, name))
                value = node.invert + off
            inv.append(value - sec.filled)  # the pipe's own invert (FILLED_CIRCULAR: below the sediment)
        z0 = (inv[0] + sec.height / 2.0) * f
        z1 = (inv[1] + sec.height / 2.0) * f
        covers = [((node.rim - (invert + sec.height)) * f, f"{tag} node {node.name}")
                  for node, invert, tag in ((a, inv[0], "upstream"), (b, inv[1], "downstream")) if node.rim is not None]
        if covers:
            cover, where = min(covers)
            crown_ends.append((name, row.line, cover, where))
        cat, sub = category(name, a.name, b.name)
        values: dict[str, object] = {
            "depth_ref": "invert",
            "start_elev_m": inv[0] * f, "end_elev_m": inv[1] * f,
            "start_depth_m": (a.rim - inv[0]) * f if a.rim is not None else None,
            "end_depth_m": (b.rim - inv[1]) * f if b.rim is not None else None,
        }
        dims = f"{sec.height * f:.3f}" if sec.shape in CIRCULAR_SHAPES else \
            f"{(sec.width or 0) * f:.3f} x {sec.height * f:.3f}"
        remark = f"SWMM conduit, {sec.shape} {dims} m"
        if sec.shape == "FILLED_CIRCULAR":
            remark += f", filled {sec.filled * f:.3f} m"
        if n_barrels is not None and n_barrels > 1:
            remark += f", {n_barrels:g} barrels"
        values["remark"] = remark
        if sec.shape in CIRCULAR_SHAPES:
            values.update(section="circular", dn_mm=sec.height * f * 1000.0, outer_diameter_mm=sec.height * f * 1000.0)
        else:
            values.update(section="box", height_mm=sec.height * f * 1000.0,
                          width_mm=(sec.width * f * 1000.0) if sec.width else None)
            if sec.width is None:
                issues.append(Issue("warning", "link.unknown_width",
                                    f"Conduit {name}: the width of its {sec.shape} section is unknown ({sec.note}); "
                                    "only its height was written.", file, xrow.line, "Geom2", *mid, name))
        sizes.append((name, sec.height * f * 1000.0, xrow.line, *mid))
        conv.segments.append(MapSegment(name, "conduit", polyline_z(xy, z0, z1), a.name, b.name, cat, sub, values,
                                        name))
    if barrels:
        conv.notes.append(f"{barrels} conduit(s) have several barrels; each is one segment (see its remark).")
    by_name = {s.source_id: s for s in conv.segments}
    for name, line, cover, where in crown_ends:
        if cover < -validate.CROWN_TOLERANCE_M:
            seg = by_name.get(name)
            x, y = (seg.xyz[0][0], seg.xyz[0][1]) if seg is not None else (None, None)
            issues.append(Issue("warning", "link.crown_above_rim",
                                f"Conduit {name}: its crown is {-cover:.3f} m above the rim at the {where}.", file,
                                line, "MaxDepth", x, y, name))
    validate.sizes(sizes, file, "Height", issues, units.length_name, f * 1000.0)

    # --- regulators: typed points in the middle of the link
    for section, kind in (("PUMPS", "pump"), ("ORIFICES", "orifice"), ("WEIRS", "weir"), ("OUTLETS", "outlet")):
        rows = inp.rows(section)
        if rows:
            conv.counts[section] = len(rows)
        for row in rows:
            name = row.tokens[0]
            pair = ends(row, section)
            if pair is None:
                continue
            a, b = pair
            xy = [a.xy, *vertices.get(name, []), b.xy]
            mid = midpoint(xy)
            rims = [n.rim * f for n in (a, b) if n.rim is not None]
            ground = float(np.mean(rims)) if rims else NAN
            cat, sub = category(name, a.name, b.name)
            field_name, code = LINK_CODES[kind]
            values = {"remark": f"SWMM {kind} from {a.name} to {b.name}" + (f" ({row.get(3)})" if row.get(3) else ""),
                      "ground_elev_m": ground if math.isfinite(ground) else None}
            if field_name:
                values[field_name] = code
            sid = name if name not in nodes else f"{kind.upper()}:{name}"
            conv.points.append(MapPoint(sid, kind, mid[0], mid[1], ground, cat, sub, values, name))
    return conv
