"""EPANET 2 models (water supply) to map features.

What becomes what (US models -- Units CFS, GPM, MGD, IMGD or AFD -- give
elevations in feet and diameters in inches; SI models metres and mm):

* ``[PIPES]`` -> segments through their ``[VERTICES]``, ``dn_mm`` = the
  model diameter (inner; no wall is known, so the outer diameter is taken
  equal). EPANET has no pipe depth, so the centreline z at an end comes from
  the node elevation and what it means (``ELEVATION_MEANS``):

  - ``ground``: z = elevation - ``DEFAULT_COVER_M`` - r (r = diameter / 2),
    i.e. the pipe top lies at the default cover below the ground;
  - ``centre``: z = elevation (PipeMap's own EPANET export writes this);
  - ``top``: z = elevation - r.

  Inner vertices get z interpolated along the plan length. An end at a tank
  or reservoir takes the z of the pipe's other end (a tank's elevation is its
  bottom, a reservoir's value is its water head, neither is a pipe level).
* ``[JUNCTIONS]`` -> points; ground = the elevation when it means the ground,
  else unknown (NaN z). Junctions where 3, 4 or more pipes meet get the
  feature ``tee``, ``cross``, ``multi``.
* ``[TANKS]`` -> points with appurtenance ``water_tower``; ``[RESERVOIRS]``
  -> ``plant`` (PipeMap's EPANET export maps them back the same way).
* ``[VALVES]`` -> points with appurtenance ``valve``, ``[PUMPS]`` ->
  ``pump_station``, in the middle of their link (the type and setting of a
  valve go to ``remark``).

Category: ``CATEGORY`` when given, else water supply (JS).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import validate
from .common import LinkEnds, ModelOptions, midpoint, plan_length, polyline_z, read_vertices
from .inp import InpFile, Row, epanet_units, number, position
from .records import NAN, Converted, Issue, MapPoint, MapSegment

NODE_CODES = {"junction": (None, None), "tank": ("appurtenance", "water_tower"),
              "reservoir": ("appurtenance", "plant")}
LINK_CODES = {"valve": ("appurtenance", "valve"), "pump": ("appurtenance", "pump_station")}
DEGREE_FEATURES = {3: "tee", 4: "cross"}


@dataclass
class _Node:
    name: str
    kind: str
    elevation: float  #: model units (a reservoir: its head)
    row: Row
    xy: tuple[float, float] | None = None
    degree: int = 0


def convert(inp: InpFile, opts: ModelOptions) -> Converted:
    """Convert a parsed EPANET model into map features (model coordinates, scaled)."""
    units, given = epanet_units(inp)
    f = units.length_m
    dmm = units.diameter_mm
    file = opts.source
    conv = Converted("epanet", units=f"{units.flow_units} ({'US: feet, inches' if units.us else 'SI: metres, mm'})")
    issues = conv.issues
    if not given:
        issues.append(Issue("warning", "units.default", "The model has no Units option; EPANET's default GPM (feet, "
                            "inches) was assumed.", file, None, "Units"))
    if opts.elevation_means == "ground" and any("centreline" in t.lower() or "centerline" in t.lower()
                                                for t in inp.title):
        issues.append(Issue("warning", "option.elevation_means",
                            "The model's title says its elevations are pipe centreline elevations (a PipeMap "
                            "export?) but ELEVATION_MEANS is ground: the pipes are placed DEFAULT_COVER_M deeper "
                            "than the model says. Re-import with ELEVATION_MEANS = pipe centre.", file, None,
                            "ELEVATION_MEANS"))
    scale = opts.coordinate_scale
    cat, sub = opts.category if opts.category is not None else ("JS", None)

    nodes: dict[str, _Node] = {}
    for section, kind in (("JUNCTIONS", "junction"), ("RESERVOIRS", "reservoir"), ("TANKS", "tank")):
        rows = inp.rows(section)
        if rows:
            conv.counts[section] = len(rows)
        for row in rows:
            name = row.tokens[0]
            elev = number(row.get(1, "0"))
            if elev is None:
                issues.append(Issue("error", "node.no_elevation", f"Node {name} has no readable elevation "
                                    f"('{row.get(1)}'); it is left out.", file, row.line, "Elev", ref=name))
                continue
            if name in nodes:
                issues.append(Issue("error", "node.duplicate", f"Node {name} is defined twice (first in line "
                                    f"{nodes[name].row.line}); the second is left out.", file, row.line, section,
                                    ref=name))
                continue
            nodes[name] = _Node(name, kind, elev, row)
    unusable: set[str] = set()
    for row in inp.rows("COORDINATES"):
        node = nodes.get(row.tokens[0])
        if node is None:
            continue
        xy = position(row, scale)
        if xy is None:
            unusable.add(node.name)
            issues.append(Issue("error", "node.bad_coordinates",
                                f"Node {node.name} has unusable coordinates ('{row.get(1)[:40]}', "
                                f"'{row.get(2)[:40]}'); it and its links are left out.", file, row.line, "COORDINATES",
                                ref=node.name))
        else:
            node.xy = xy
    for node in nodes.values():
        if node.xy is None and node.name in unusable:
            conv.skip("node without coordinates")
        elif node.xy is None:
            issues.append(Issue("error", "node.no_coordinates",
                                f"Node {node.name} has no [COORDINATES]; it and its links are left out.", file,
                                node.row.line, "COORDINATES", ref=node.name))
            conv.skip("node without coordinates")
    validate.elevations(((n.name, n.elevation, n.row.line, *(n.xy or (None, None))) for n in nodes.values()
                         if n.kind == "junction"), file, "Elevation", issues, units.length_name, f)
    vertices = read_vertices(inp, scale, file, issues)
    link_ends = LinkEnds(nodes, file, issues, conv, ("Node1", "Node2"))

    cover = opts.default_cover_m
    means = opts.elevation_means

    def pipe_z(node: _Node, r: float) -> float:
        e = node.elevation * f
        if means == "centre":
            return e
        if means == "top":
            return e - r
        return e - cover - r

    rows = inp.rows("PIPES")
    if rows:
        conv.counts["PIPES"] = len(rows)
    sizes: list[tuple[str, float, int, float | None, float | None]] = []
    at_source = 0
    for row in rows:
        name = row.tokens[0]
        pair = link_ends(row, "ID")
        if pair is None:
            continue
        a, b = pair
        xy = [a.xy, *vertices.get(name, []), b.xy]
        length = number(row.get(3))
        if length is not None:
            conv.lengths.append((length * f, plan_length(xy)))
        mid = midpoint(xy)
        d = number(row.get(4))
        if d is None or d <= 0:
            issues.append(Issue("warning", "link.no_diameter", f"Pipe {name} has no diameter ('{row.get(4)}'); it is "
                                "written as a line (no size).", file, row.line, "Diameter", *mid, name))
            d_mm = None
        else:
            d_mm = d * dmm
            sizes.append((name, d_mm, row.line, *mid))
        r = (d_mm or 0.0) / 2000.0
        za = pipe_z(a, r) if a.kind == "junction" else NAN
        zb = pipe_z(b, r) if b.kind == "junction" else NAN
        if a.kind != "junction" or b.kind != "junction":
            at_source += 1
            if not math.isfinite(za) and not math.isfinite(zb):  # between two sources: use the tank's level
                za = pipe_z(a, r) if a.kind == "tank" else NAN
                zb = pipe_z(b, r) if b.kind == "tank" else NAN
            za = za if math.isfinite(za) else zb
            zb = zb if math.isfinite(zb) else za
        a.degree += 1
        b.degree += 1
        values: dict[str, object] = {
            "section": "circular", "dn_mm": d_mm, "outer_diameter_mm": d_mm,
            "depth_ref": "centre", "start_elev_m": za if math.isfinite(za) else None,
            "end_elev_m": zb if math.isfinite(zb) else None,
            "remark": f"EPANET pipe{(', ' + row.get(7)) if row.get(7) and row.get(7).upper() != 'OPEN' else ''}",
        }
        if means == "ground":
            values["start_depth_m"] = cover + r if a.kind == "junction" else None
            values["end_depth_m"] = cover + r if b.kind == "junction" else None
        conv.segments.append(MapSegment(name, "pipe", polyline_z(xy, za, zb), a.name, b.name, cat, sub, values,
                                        name))
    if at_source:
        conv.notes.append(f"{at_source} pipe(s) end at a tank or reservoir: those ends take the z of the pipe's "
                          "other end.")
    validate.sizes(sizes, file, "Diameter", issues, "in" if units.us else "mm", dmm)

    for node in nodes.values():
        if node.xy is None:
            continue
        e = node.elevation * f
        ground = e if (means == "ground" and node.kind == "junction") else NAN
        values = {"ground_elev_m": ground if math.isfinite(ground) else None}
        label = {"junction": "elevation", "tank": "bottom elevation", "reservoir": "head"}[node.kind]
        values["remark"] = f"EPANET {node.kind}, {label} {e:.3f} m"
        field_name, code = NODE_CODES[node.kind]
        if field_name:
            values[field_name] = code
        elif node.degree >= 3:
            values["feature"] = DEGREE_FEATURES.get(node.degree, "multi")
        conv.points.append(MapPoint(node.name, node.kind, node.xy[0], node.xy[1], ground, cat, sub, values,
                                    node.name))

    for section, kind in (("VALVES", "valve"), ("PUMPS", "pump")):
        rows = inp.rows(section)
        if rows:
            conv.counts[section] = len(rows)
        for row in rows:
            name = row.tokens[0]
            pair = link_ends(row, "ID")
            if pair is None:
                continue
            a, b = pair
            xy = [a.xy, *vertices.get(name, []), b.xy]
            mid = midpoint(xy)
            grounds = [n.elevation * f for n in (a, b) if n.kind == "junction" and means == "ground"]
            ground = float(np.mean(grounds)) if grounds else NAN
            if kind == "valve":
                d = number(row.get(3))
                detail = f"{row.get(4).upper()} setting {row.get(5)}" + (f", {d * dmm:.0f} mm" if d else "")
            else:
                detail = " ".join(row.tokens[3:5])
            values = {"remark": f"EPANET {kind} {detail} from {a.name} to {b.name}",
                      "ground_elev_m": ground if math.isfinite(ground) else None}
            field_name, code = LINK_CODES[kind]
            values[field_name] = code
            sid = name if name not in nodes else f"{kind.upper()}:{name}"
            conv.points.append(MapPoint(sid, kind, mid[0], mid[1], ground, cat, sub, values, name))
    return conv
