"""EPANET 2.2 input file (.inp) of the water-supply network (category JS).

What the model holds and where each value comes from:

* **Topology**: nodes and links from the JS segments (:mod:`.network`: point
  numbers where they agree with the geometry, else the segment ends snapped
  within 0.01 m). Interior vertices go to ``[VERTICES]``, node positions to
  ``[COORDINATES]`` (X easting, Y northing, map CRS, metres).
* **Junction elevation** = the pipe **centreline** elevation at the node (the
  mean of the ends of the pipes meeting there), in the map's height datum:
  EPANET computes pressure head as head minus this elevation, i.e. the
  pressure at the pipe axis. Where no pipe end has a z, the ground elevation
  of the node's point minus :data:`DEFAULT_COVER_M` is used; without either,
  0 (both counted in a warning). Demands are 0: the map has no consumption.
* **Sources**: a point whose appurtenance is ``plant`` (water-treatment plant,
  水厂) becomes a ``[RESERVOIRS]`` node, ``water_tower`` (水塔) a ``[TANKS]``
  node. A connected part of the network without either gets a default
  reservoir at an end of its largest pipe (a dead end when there is one); the
  default head is the highest ground elevation of the network plus
  :data:`DEFAULT_HEAD_ABOVE_GROUND_M`. Tanks start full at that same head,
  with diameter :data:`DEFAULT_TANK_DIAMETER_M`. Every default is a warning.
* **Pipes**: length = 3D length of the centreline (m); diameter = the inner
  diameter DN (mm, as EPANET expects with ``Units LPS``), else outer minus
  two walls, else :data:`DEFAULT_DN_MM`; roughness = Hazen-Williams C by
  material (:data:`HAZEN_WILLIAMS_C`); minor loss 0; status Open.
* **Valves, hydrants, meters** stay junctions, tagged with their
  appurtenance code in ``[TAGS]``: the map does not know a valve's type or
  setting, and an EPANET valve is a link that would need a pipe to be split.
* ``[OPTIONS]`` Units LPS, Headloss H-W; ``[TIMES]`` Duration 0 (one steady
  state). Ids: see :mod:`.network`; ``<basename>_ids.csv`` maps them back to
  the map; the map id of a renamed object is also in a comment on its line.
  The CRS goes to the header comments and a side-car ``<basename>.prj``.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..errors import InputError
from ..progress import Progress, SubProgress, check_cancel
from .formats import ExportOptions
from .model import MapData
from .network import (
    Network,
    assign_names,
    build,
    comment,
    header_comments,
    length_3d,
    number,
    safe_code,
    topology_warnings,
    usable_points,
    write_id_table,
    write_lines,
    write_prj,
)
from .writeutil import safe_basename

CATEGORY = "JS"

#: Hazen-Williams C by CJJ 61 material code, for pipes in service (not new).
#: Our choice, set at or below the new-pipe ranges of the EPANET 2.2 Users
#: Manual, Table 3.2 (cast iron 130-140, concrete or concrete-lined 120-140,
#: galvanised iron 120, plastic 140-150, steel 140-150, vitrified clay 110),
#: because surveyed networks are mostly old: ductile iron (cement lined) 130,
#: grey cast iron 110 (tuberculated), steel 120.
HAZEN_WILLIAMS_C: dict[str, float] = {
    "PE": 140.0,  # polyethylene
    "PVC": 145.0,  # polyvinyl chloride
    "BLG": 140.0,  # glass-fibre reinforced plastic
    "QM": 130.0,  # ductile iron
    "ZT": 110.0,  # grey cast iron
    "G": 120.0,  # steel
    "T": 120.0,  # concrete / prestressed concrete
    "SM": 130.0,  # asbestos cement
    "TC": 110.0,  # vitrified clay
    "TZ": 130.0,  # copper
}
#: C of a pipe without a (known) material
DEFAULT_C = 120.0
#: diameter (mm) of a pipe without a size
DEFAULT_DN_MM = 100.0
#: default source head: the highest ground elevation of the network plus this (m)
DEFAULT_HEAD_ABOVE_GROUND_M = 30.0
#: centreline depth below ground (m) where a node has no pipe z
DEFAULT_COVER_M = 1.0
#: diameter (m) of a tank made from a water-tower point
DEFAULT_TANK_DIAMETER_M = 10.0
#: appurtenance codes that are sources
RESERVOIR_CODES = ("plant",)
TANK_CODES = ("water_tower",)
#: node spread (m) of the pipe-end elevations above which a warning is given
ELEVATION_SPREAD_M = 0.10
_VALVE_CODES = ("valve", "valve_chamber", "air_valve", "scour_valve")


def _diameter_mm(net: Network, link) -> float | None:
    """Inner diameter (mm) of a link, or None when the map has no size for it."""
    dn = number(net.seg(link, "dn_mm"))
    if dn is not None and dn > 0:
        return dn
    outer = number(net.seg(link, "outer_diameter_mm"))
    wall = number(net.seg(link, "wall_mm"))
    if outer is not None and outer > 0:
        inner = outer - 2 * (wall or 0.0)
        if inner > 0:
            return inner
    w, h = number(net.seg(link, "width_mm")), number(net.seg(link, "height_mm"))
    if w and h and w > 0 and h > 0:  # a box: the circle of the same inner area
        t = wall or 0.0
        wi, hi = w - 2 * t, h - 2 * t
        if wi > 0 and hi > 0:
            return math.sqrt(4 * wi * hi / math.pi)
    return None


def _fmt(v: float, nd: int = 3) -> str:
    s = f"{v:.{nd}f}"
    return "0.000" if s in ("-0.000",) else s


def write(data: MapData, folder: Path, options: ExportOptions, progress: Progress) -> list[Path]:
    seg = data.segments
    rows = [i for i, c in enumerate(seg.columns.get("category", [])) if c == CATEGORY]
    if not rows:
        have = ", ".join(k or "?" for k in seg.category_counts()) or "none"
        raise InputError("The export holds no water-supply (JS) segments, so there is no EPANET model to write "
                         "(segment categories in the export: {have}).", code="export.epanet_no_water", have=have)
    stem = safe_basename(options.basename)
    points = usable_points(data, CATEGORY)
    net = build(seg, rows, points, progress=SubProgress(progress, 0.0, 0.4))
    if not net.links:
        raise InputError("None of the {n} water-supply segments joins two different nodes: there is no EPANET "
                         "model to write.", code="export.epanet_no_links", n=len(rows))
    topology_warnings(net, progress, "EPANET")
    nn = len(net.nodes)

    # --- node elevations: mean centreline z of the pipe ends at the node
    ends: list[list[float]] = [[] for _ in range(nn)]
    for lk in net.links:
        for at_start, n in ((True, lk.start), (False, lk.end)):
            z = net.end_z(lk, at_start)
            if math.isfinite(z):
                ends[n].append(z)
    elev = np.zeros(nn)
    ground = np.array([net.ground(node) for node in net.nodes])
    from_ground = no_z = spread = 0
    max_spread = 0.0
    for n in range(nn):
        if ends[n]:
            elev[n] = float(np.mean(ends[n]))
            s = max(ends[n]) - min(ends[n])
            if s > ELEVATION_SPREAD_M:
                spread += 1
                max_spread = max(max_spread, s)
        elif math.isfinite(ground[n]):
            elev[n] = ground[n] - DEFAULT_COVER_M
            from_ground += 1
        else:
            elev[n] = 0.0
            no_z += 1
    check_cancel(progress)

    # --- diameters and roughness
    dia = []
    roughness = []
    no_dn = unknown_material = 0
    for lk in net.links:
        d = _diameter_mm(net, lk)
        if d is None:
            d = DEFAULT_DN_MM
            no_dn += 1
        dia.append(d)
        mat = net.seg(lk, "material")
        c = HAZEN_WILLIAMS_C.get(str(mat).strip().upper()) if mat else None
        if c is None:
            c = DEFAULT_C
            unknown_material += 1
        roughness.append(c)

    # --- sources
    kind = ["junction"] * nn
    for n, node in enumerate(net.nodes):
        app = net.point(node, "appurtenance")
        if app in RESERVOIR_CODES:
            kind[n] = "reservoir"
        elif app in TANK_CODES:
            kind[n] = "tank"
    finite_ground = ground[np.isfinite(ground)]
    top = float(finite_ground.max()) if len(finite_ground) else float(elev.max())
    head = top + DEFAULT_HEAD_ABOVE_GROUND_M
    parts = net.components()
    defaults: list[int] = []
    for part in parts:
        if any(kind[n] != "junction" for n in part):
            continue
        links = sorted({li for n in part for li in net.nodes[n].links})
        big = max(dia[li] for li in links)
        cands = sorted({n for li in links if dia[li] == big for n in (net.links[li].start, net.links[li].end)})
        dead = [n for n in cands if net.degree(n) == 1]
        chosen = (dead or cands)[0]
        kind[chosen] = "reservoir"
        defaults.append(chosen)

    # --- names
    node_names = assign_names([node.point_id for node in net.nodes], "N")
    link_names = assign_names([str(net.seg(lk, "seg_id") or "") or None for lk in net.links], "P")
    for node, name in zip(net.nodes, node_names):
        node.name = name
    for lk, name in zip(net.links, link_names):
        lk.name = name

    # --- warnings the receiver should read
    progress.warning("EPANET: junction elevations are the pipe CENTRELINE elevations at the nodes (not the ground), "
                     f"in {data.height_datum or 'the map height datum'}; all demands are 0 (the map has no "
                     "consumption data).")
    if defaults:
        if len(parts) == 1:
            n = defaults[0]
            progress.warning(f"EPANET: the water network has no source (no water-plant or water-tower point); a "
                             f"default reservoir with head {head:.2f} m (highest ground + "
                             f"{DEFAULT_HEAD_ABOVE_GROUND_M:.0f} m) replaces node {net.nodes[n].name} at an end of "
                             "the largest pipe. Replace it with the real supply before reading pressures.")
        else:
            progress.warning(f"EPANET: {len(defaults)} of the {len(parts)} disconnected parts of the water network "
                             "have no source (water-plant or water-tower point); each got a default reservoir with "
                             f"head {head:.2f} m (highest ground + {DEFAULT_HEAD_ABOVE_GROUND_M:.0f} m) at an end of "
                             "its largest pipe (nodes: " + ", ".join(net.nodes[n].name for n in defaults[:20])
                             + (", ..." if len(defaults) > 20 else "") + ").")
    elif len(parts) > 1:
        progress.warning(f"EPANET: the water network has {len(parts)} disconnected parts, each with a source.")
    if no_dn:
        progress.warning(f"EPANET: {no_dn} pipe(s) without a diameter got the default {DEFAULT_DN_MM:.0f} mm.")
    if unknown_material:
        progress.warning(f"EPANET: {unknown_material} pipe(s) with no or an unknown material got the default "
                         f"Hazen-Williams C = {DEFAULT_C:.0f}.")
    if from_ground:
        progress.warning(f"EPANET: {from_ground} junction(s) have no pipe elevation; their elevation is the ground "
                         f"minus {DEFAULT_COVER_M:.1f} m.")
    if no_z:
        progress.warning(f"EPANET: {no_z} junction(s) have neither a pipe nor a ground elevation; elevation 0 was "
                         "written.")
    if spread:
        progress.warning(f"EPANET: at {spread} junction(s) the pipe ends differ in elevation by more than "
                         f"{ELEVATION_SPREAD_M:.2f} m (up to {max_spread:.2f} m); the junction elevation is their "
                         "mean.")
    valves = sum(1 for node in net.nodes if net.point(node, "appurtenance") in _VALVE_CODES)
    if valves:
        progress.warning(f"EPANET: {valves} valve point(s) are written as junctions tagged with their appurtenance "
                         "code, not as EPANET valves (the map has no valve type or setting).")
    progress.report(0.6)
    check_cancel(progress)

    # --- the file
    def orig(name: str, map_id: str | None) -> str:
        return f" ;map id: {comment(map_id)}" if map_id and map_id != name else ""

    mat_table = ", ".join(f"{k} {v:.0f}" for k, v in HAZEN_WILLIAMS_C.items())
    out: list[str] = header_comments(data, "EPANET 2.2", stem) + [
        ";" + comment("Hazen-Williams C by CJJ 61 material: " + mat_table + f"; unknown {DEFAULT_C:.0f}", 300),
        ";" + comment(f"defaults: diameter {DEFAULT_DN_MM:.0f} mm without size; default source head = highest "
                      f"ground + {DEFAULT_HEAD_ABOVE_GROUND_M:.0f} m; demands 0", 300),
        "[TITLE]",
        comment(f"PipeMap water-supply (JS) network {stem}", 200),
        comment("Junction elevation = pipe centreline elevation at the node (m, "
                f"{data.height_datum or 'map height datum'}); demands 0 (none surveyed)", 200),
        comment(f"CRS {data.crs_authid or 'local (see .prj)'}; sharing profile {data.profile.name}", 200),
        "",
        "[JUNCTIONS]",
        ";ID\tElev\tDemand\tPattern",
    ]
    for n, node in enumerate(net.nodes):
        if kind[n] == "junction":
            out.append(f"{node.name}\t{_fmt(elev[n])}\t0{orig(node.name, node.point_id)}")
    out += ["", "[RESERVOIRS]", ";ID\tHead\tPattern"]
    for n, node in enumerate(net.nodes):
        if kind[n] == "reservoir":
            note = " ;default source" if n in defaults else ""
            out.append(f"{node.name}\t{_fmt(head)}{note}{orig(node.name, node.point_id)}")
    out += ["", "[TANKS]", ";ID\tElevation\tInitLevel\tMinLevel\tMaxLevel\tDiameter\tMinVol"]
    for n, node in enumerate(net.nodes):
        if kind[n] == "tank":
            bottom = ground[n] if math.isfinite(ground[n]) else elev[n]
            level = max(head - bottom, 1.0)
            out.append(f"{node.name}\t{_fmt(bottom)}\t{_fmt(level)}\t0\t{_fmt(level)}\t"
                       f"{_fmt(DEFAULT_TANK_DIAMETER_M)}\t0{orig(node.name, node.point_id)}")
    out += ["", "[PIPES]", ";ID\tNode1\tNode2\tLength\tDiameter\tRoughness\tMinorLoss\tStatus"]
    for k, lk in enumerate(net.links):
        if k % 5000 == 0:
            check_cancel(progress)
        length = max(length_3d(net.coords(lk)), 0.001)
        out.append(f"{lk.name}\t{net.nodes[lk.start].name}\t{net.nodes[lk.end].name}\t{_fmt(length)}\t"
                   f"{_fmt(dia[k], 1)}\t{_fmt(roughness[k], 1)}\t0\tOpen{orig(lk.name, net.seg(lk, 'seg_id'))}")
    out += ["", "[TAGS]"]
    for n, node in enumerate(net.nodes):
        tag = safe_code(net.point(node, "appurtenance")) or safe_code(net.point(node, "feature"))
        if n in defaults:
            tag = "default_source"
        if tag:
            out.append(f"NODE\t{node.name}\t{tag}")
    for lk in net.links:
        tag = safe_code(net.seg(lk, "material"))
        if tag:
            out.append(f"LINK\t{lk.name}\t{tag}")
    out += ["", "[OPTIONS]", "Units\tLPS", "Headloss\tH-W", "Specific Gravity\t1.0", "Viscosity\t1.0",
            "Trials\t40", "Accuracy\t0.001", "Quality\tNone", "",
            "[TIMES]", "Duration\t0:00", "Hydraulic Timestep\t1:00", "Report Timestep\t1:00", "",
            "[REPORT]", "Status\tNo", "Summary\tNo", "", "[COORDINATES]", ";Node\tX-Coord\tY-Coord"]
    for node in net.nodes:
        out.append(f"{node.name}\t{_fmt(node.x)}\t{_fmt(node.y)}")
    out += ["", "[VERTICES]", ";Link\tX-Coord\tY-Coord"]
    for lk in net.links:
        for x, y, _ in net.coords(lk)[1:-1]:
            out.append(f"{lk.name}\t{_fmt(float(x))}\t{_fmt(float(y))}")
    out += ["", "[END]"]
    progress.report(0.8)
    check_cancel(progress)

    written: list[Path] = []
    inp = folder / f"{stem}.inp"
    write_lines(inp, out)
    written.append(inp)
    table = []
    for n, node in enumerate(net.nodes):
        note = "default source (no supply in the map)" if n in defaults else \
            ("" if node.point_id else "no point number in the export: id generated")
        if node.point_id and node.name != node.point_id:
            note = "map id not valid in EPANET (length, characters or duplicate): id generated"
        table.append((kind[n], node.name, "pipe_point" if node.point_id else "", node.point_id, note))
    for lk in net.links:
        sid = net.seg(lk, "seg_id")
        note = "" if sid == lk.name else "map id not valid in EPANET (length, characters or duplicate): id generated"
        table.append(("pipe", lk.name, "pipe_segment", sid, note))
    for r in net.self_loops:
        table.append(("left out", "", "pipe_segment", seg.value("seg_id", r), "starts and ends at the same node"))
    ids = folder / f"{stem}_ids.csv"
    write_id_table(ids, table)
    written.append(ids)
    prj = folder / f"{stem}.prj"
    if write_prj(prj, data.crs_wkt):
        written.append(prj)
    progress.report(1.0)
    return written
