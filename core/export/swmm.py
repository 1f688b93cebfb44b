"""SWMM 5 input file (.inp) of the drainage network (category PS: storm YS, sewage WS, combined HS).

One model holds every exported PS segment; each conduit is tagged in
``[TAGS]`` with its sub-category (YS / WS / HS), so a receiver can tell the
systems apart (they stay unconnected unless the map connects them).

What the model holds and where each value comes from:

* **Topology**: nodes and conduits from the PS segments (:mod:`.network`).
  Conduits keep the map's direction (segment start -> end) except a conduit
  ending at an outfall, which is turned to flow into it (SWMM allows an
  outfall one inflowing link only).
* **Sections** (``[XSECTIONS]``): ``CIRCULAR`` with the inner diameter DN (m);
  boxes ``RECT_CLOSED`` height x width, inner when the wall thickness is known
  (outer size minus two walls), else the outer size (warning). A pipe without
  a size gets :data:`DEFAULT_DN_MM`.
* **Conduit end inverts** = the map's centreline z at the end minus half the
  inner height (the same inner height the map used to derive the
  centreline). **Junction elevation** (SWMM's node invert) = the lowest
  conduit invert at the node; **offsets** (``LINK_OFFSETS DEPTH``) = conduit
  end invert minus node invert, never negative. **Max depth** = ground
  elevation of the node's point (``ground_elev_m``, else the point's z) minus
  the node invert; raised to the highest conduit crown where the ground is
  lower (warning); 0 where the ground is unknown (SWMM then uses the highest
  crown). Where a conduit end has no z, its invert is the ground minus
  :data:`DEFAULT_INVERT_DEPTH_M`, else 0 (warning).
* **Outfalls**: terminal downstream nodes, i.e. nodes with one conduit whose
  invert there is lower than at its other end, and nodes with one conduit
  whose point is an outlet (``feature = outlet``, 出水口). A connected part with
  no such node gets its lowest dead end as an outfall (warning). Outfalls are
  ``FREE``, not gated; their elevation is the conduit invert.
* **Conduits**: length = 3D length of the centreline (m); Manning n by
  material (:data:`MANNING_N`).
* ``[OPTIONS]`` FLOW_UNITS CMS, FLOW_ROUTING DYNWAVE (it accepts the adverse
  slopes and loops survey data have), LINK_OFFSETS DEPTH, one hour from
  2000-01-01. No rain gauges, subcatchments or inflows: the receiver adds
  loads. Ids: see :mod:`.network` (``<basename>_ids.csv``).
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
    Link,
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

CATEGORY = "PS"

#: Manning n by CJJ 61 material code: our mid values of the ranges for closed
#: conduits in the SWMM 5 User's Manual, Appendix A.5 (concrete pipe
#: 0.011-0.015, plastic 0.011-0.015, cast iron 0.011-0.015, brick
#: 0.013-0.017, vitrified clay 0.011-0.015, asbestos cement 0.011-0.015).
MANNING_N: dict[str, float] = {
    "T": 0.013,  # concrete
    "PE": 0.011,  # polyethylene
    "PVC": 0.011,  # polyvinyl chloride
    "BLG": 0.011,  # glass-fibre reinforced plastic
    "ZT": 0.013,  # cast iron
    "QM": 0.013,  # ductile iron
    "G": 0.012,  # steel
    "Z": 0.015,  # brick
    "ZS": 0.017,  # masonry
    "S": 0.017,  # stone
    "SM": 0.012,  # asbestos cement
    "TC": 0.013,  # vitrified clay
}
#: n of a conduit without a (known) material
DEFAULT_N = 0.013
#: diameter (mm) of a drain without a size
DEFAULT_DN_MM = 300.0
#: invert depth below ground (m) where a conduit end has no z
DEFAULT_INVERT_DEPTH_M = 2.0
#: point features that mark an outfall
OUTFALL_FEATURES = ("outlet",)
START = ("01/01/2000", "00:00:00")
END = ("01/01/2000", "01:00:00")


def _section(net: Network, lk: Link) -> tuple[str, float, float, bool, bool]:
    """(shape, inner height m, inner width m, size defaulted, box size is outer) of a conduit."""
    wall = number(net.seg(lk, "wall_mm"))
    w, h = number(net.seg(lk, "width_mm")), number(net.seg(lk, "height_mm"))
    dn = number(net.seg(lk, "dn_mm"))
    is_box = net.seg(lk, "section") == "box" or (w and h and not dn)
    if is_box and w and h and w > 0 and h > 0:
        t = wall or 0.0
        if h - 2 * t > 0 and w - 2 * t > 0:
            return "RECT_CLOSED", (h - 2 * t) / 1000.0, (w - 2 * t) / 1000.0, False, wall is None
        return "RECT_CLOSED", h / 1000.0, w / 1000.0, False, True
    if dn is not None and dn > 0:
        return "CIRCULAR", dn / 1000.0, 0.0, False, False
    outer = number(net.seg(lk, "outer_diameter_mm"))
    if outer is not None and outer - 2 * (wall or 0.0) > 0:
        return "CIRCULAR", (outer - 2 * (wall or 0.0)) / 1000.0, 0.0, False, False
    return "CIRCULAR", DEFAULT_DN_MM / 1000.0, 0.0, True, False


def _fmt(v: float, nd: int = 3) -> str:
    s = f"{v:.{nd}f}"
    return s[1:] if s.startswith("-") and float(s) == 0 else s


def write(data: MapData, folder: Path, options: ExportOptions, progress: Progress) -> list[Path]:
    seg = data.segments
    rows = [i for i, c in enumerate(seg.columns.get("category", [])) if c == CATEGORY]
    if not rows:
        have = ", ".join(k or "?" for k in seg.category_counts()) or "none"
        raise InputError("The export holds no drainage (PS) segments, so there is no SWMM model to write "
                         "(segment categories in the export: {have}).", code="export.swmm_no_drainage", have=have)
    stem = safe_basename(options.basename)
    points = usable_points(data, CATEGORY)
    net = build(seg, rows, points, progress=SubProgress(progress, 0.0, 0.4))
    if not net.links:
        raise InputError("None of the {n} drainage segments joins two different nodes: there is no SWMM model to "
                         "write.", code="export.swmm_no_links", n=len(rows))
    topology_warnings(net, progress, "SWMM")
    nn, nl = len(net.nodes), len(net.links)
    ground = np.array([net.ground(node) for node in net.nodes])

    # --- sections and conduit end inverts
    shape: list[str] = []
    height = np.zeros(nl)
    width = np.zeros(nl)
    inv = np.zeros((nl, 2))  # invert at the segment's start and end
    no_size = outer_box = inv_from_ground = inv_zero = 0
    for k, lk in enumerate(net.links):
        if k % 5000 == 0:
            check_cancel(progress)
        s, h, w, defaulted, outer = _section(net, lk)
        shape.append(s)
        height[k], width[k] = h, w
        no_size += defaulted
        outer_box += outer
        for e, (at_start, n) in enumerate(((True, lk.start), (False, lk.end))):
            z = net.end_z(lk, at_start)
            if math.isfinite(z):
                inv[k, e] = z - h / 2.0
            elif math.isfinite(ground[n]):
                inv[k, e] = ground[n] - DEFAULT_INVERT_DEPTH_M
                inv_from_ground += 1
            else:
                inv[k, e] = 0.0
                inv_zero += 1
    # rounded once, so that node inverts + offsets give back exactly the written conduit inverts
    inv = np.round(inv, 3)

    # --- node inverts and the highest crown at each node
    node_inv = np.full(nn, np.inf)
    crown = np.full(nn, -np.inf)
    for k, lk in enumerate(net.links):
        for e, n in enumerate((lk.start, lk.end)):
            node_inv[n] = min(node_inv[n], inv[k, e])
            crown[n] = max(crown[n], inv[k, e] + height[k])

    # --- outfalls
    outfall = [False] * nn
    outlet_inner = 0
    for n, node in enumerate(net.nodes):
        is_outlet = net.point(node, "feature") in OUTFALL_FEATURES
        if net.degree(n) != 1:
            outlet_inner += is_outlet
            continue
        k = node.links[0]
        lk = net.links[k]
        here, other = (inv[k, 0], inv[k, 1]) if lk.start == n else (inv[k, 1], inv[k, 0])
        if is_outlet or here < other:
            outfall[n] = True
    parts = net.components()
    forced: list[int] = []
    closed = 0
    for part in parts:
        if any(outfall[n] for n in part):
            continue
        dead = [n for n in part if net.degree(n) == 1]
        if dead:
            chosen = min(dead, key=lambda n: (node_inv[n], n))
            outfall[chosen] = True
            forced.append(chosen)
        else:
            closed += 1

    # --- junction max depths
    max_depth = np.zeros(nn)
    raised = no_ground = 0
    for n in range(nn):
        if outfall[n]:
            continue
        if math.isfinite(ground[n]):
            d = ground[n] - node_inv[n]
            need = crown[n] - node_inv[n]
            if d < need - 1e-9:
                raised += 1
                d = need
            max_depth[n] = d
        else:
            no_ground += 1

    # --- names
    node_names = assign_names([node.point_id for node in net.nodes], "N")
    link_names = assign_names([str(net.seg(lk, "seg_id") or "") or None for lk in net.links], "C")
    for node, name in zip(net.nodes, node_names):
        node.name = name
    for lk, name in zip(net.links, link_names):
        lk.name = name

    # --- direction: into outfalls
    reverse = [bool(outfall[lk.start]) for lk in net.links]

    # --- warnings
    progress.warning("SWMM: junction elevations are node INVERTS (the lowest inner pipe bottom at the node, from the "
                     "map's centreline minus half the inner height); conduit offsets are the drops to them. The "
                     f"model has {sum(outfall)} free outfall(s) and no inflows or subcatchments.")
    if forced:
        progress.warning(f"SWMM: {len(forced)} connected part(s) of the drainage network have no outlet point and no "
                         "dead end lower than its neighbour; their lowest dead end was made an outfall (nodes: "
                         + ", ".join(net.nodes[n].name for n in forced[:20]) + (", ..." if len(forced) > 20 else "")
                         + ").")
    if closed:
        progress.warning(f"SWMM: {closed} connected part(s) of the drainage network are closed loops without a dead "
                         "end and got no outfall.")
    if outlet_inner:
        progress.warning(f"SWMM: {outlet_inner} outlet point(s) have more than one conduit and stay junctions (an "
                         "SWMM outfall takes one conduit).")
    if no_size:
        progress.warning(f"SWMM: {no_size} conduit(s) without a size got the default circular "
                         f"{DEFAULT_DN_MM:.0f} mm.")
    if outer_box:
        progress.warning(f"SWMM: {outer_box} box conduit(s) have no wall thickness; their OUTER width x height was "
                         "written as the section.")
    unknown_material = sum(1 for lk in net.links if MANNING_N.get(str(net.seg(lk, "material") or "").upper()) is None)
    if unknown_material:
        progress.warning(f"SWMM: {unknown_material} conduit(s) with no or an unknown material got the default "
                         f"Manning n = {DEFAULT_N}.")
    if inv_from_ground:
        progress.warning(f"SWMM: {inv_from_ground} conduit end(s) have no elevation; their invert is the ground "
                         f"minus {DEFAULT_INVERT_DEPTH_M:.1f} m.")
    if inv_zero:
        progress.warning(f"SWMM: {inv_zero} conduit end(s) have neither a pipe nor a ground elevation; invert 0 was "
                         "written.")
    if no_ground:
        progress.warning(f"SWMM: {no_ground} node(s) have no ground elevation; max depth 0 was written (SWMM uses "
                         "the highest conduit crown).")
    if raised:
        progress.warning(f"SWMM: at {raised} node(s) the ground is below the highest conduit crown; their max depth "
                         "was raised to that crown.")
    progress.report(0.6)
    check_cancel(progress)

    # --- the file
    def orig(name: str, map_id: str | None) -> list[str]:
        # on a line of its own before the object (the SWMM GUI reads it as the object's description; readers
        # such as swmm-api do not accept a comment at the end of a data line)
        return [f";map id: {comment(map_id)}"] if map_id and map_id != name else []

    n_table = ", ".join(f"{k} {v}" for k, v in MANNING_N.items())
    out: list[str] = header_comments(data, "SWMM 5", stem) + [
        ";" + comment("Manning n by CJJ 61 material: " + n_table + f"; unknown {DEFAULT_N}", 300),
        ";" + comment(f"defaults: circular {DEFAULT_DN_MM:.0f} mm without size; box sections inner when the wall "
                      "is known, else outer", 300),
        "[TITLE]",
        comment(f"PipeMap drainage (PS) network {stem}", 200),
        comment("Junction elevation = node invert (lowest inner pipe bottom), "
                f"m, {data.height_datum or 'map height datum'}; offsets = conduit invert - node invert", 200),
        comment(f"CRS {data.crs_authid or 'local (see .prj)'}; sharing profile {data.profile.name}", 200),
        "",
        "[OPTIONS]",
        "FLOW_UNITS\tCMS", "INFILTRATION\tHORTON", "FLOW_ROUTING\tDYNWAVE", "LINK_OFFSETS\tDEPTH",
        "MIN_SLOPE\t0", "ALLOW_PONDING\tNO", "SKIP_STEADY_STATE\tNO",
        f"START_DATE\t{START[0]}", f"START_TIME\t{START[1]}", f"REPORT_START_DATE\t{START[0]}",
        f"REPORT_START_TIME\t{START[1]}", f"END_DATE\t{END[0]}", f"END_TIME\t{END[1]}",
        "SWEEP_START\t01/01", "SWEEP_END\t12/31", "DRY_DAYS\t0", "REPORT_STEP\t00:15:00", "WET_STEP\t00:05:00",
        "DRY_STEP\t01:00:00", "ROUTING_STEP\t0:00:10", "INERTIAL_DAMPING\tPARTIAL", "NORMAL_FLOW_LIMITED\tBOTH",
        "FORCE_MAIN_EQUATION\tH-W", "VARIABLE_STEP\t0.75", "LENGTHENING_STEP\t0", "MIN_SURFAREA\t1.167",
        "MAX_TRIALS\t8", "HEAD_TOLERANCE\t0.0015", "SYS_FLOW_TOL\t5", "LAT_FLOW_TOL\t5", "",
        "[JUNCTIONS]",
        ";;Name\tElevation\tMaxDepth\tInitDepth\tSurDepth\tAponded",
    ]
    for n, node in enumerate(net.nodes):
        if not outfall[n]:
            out += orig(node.name, node.point_id)
            out.append(f"{node.name}\t{_fmt(node_inv[n])}\t{_fmt(max_depth[n])}\t0\t0\t0")
    out += ["", "[OUTFALLS]", ";;Name\tElevation\tType\tStage Data\tGated\tRoute To"]
    for n, node in enumerate(net.nodes):
        if outfall[n]:
            out += orig(node.name, node.point_id)
            out.append(f"{node.name}\t{_fmt(node_inv[n])}\tFREE\t\tNO")
    out += ["", "[CONDUITS]",
            ";;Name\tFrom Node\tTo Node\tLength\tRoughness\tInOffset\tOutOffset\tInitFlow\tMaxFlow"]
    for k, lk in enumerate(net.links):
        if k % 5000 == 0:
            check_cancel(progress)
        a, b = (lk.end, lk.start) if reverse[k] else (lk.start, lk.end)
        ia, ib = (inv[k, 1], inv[k, 0]) if reverse[k] else (inv[k, 0], inv[k, 1])
        length = max(length_3d(net.coords(lk)), 0.001)
        rough = MANNING_N.get(str(net.seg(lk, "material") or "").upper(), DEFAULT_N)
        out += orig(lk.name, net.seg(lk, "seg_id"))
        out.append(f"{lk.name}\t{net.nodes[a].name}\t{net.nodes[b].name}\t{_fmt(length)}\t{rough}\t"
                   f"{_fmt(ia - node_inv[a])}\t{_fmt(ib - node_inv[b])}\t0\t0")
    out += ["", "[XSECTIONS]", ";;Link\tShape\tGeom1\tGeom2\tGeom3\tGeom4\tBarrels\tCulvert"]
    for k, lk in enumerate(net.links):
        out.append(f"{lk.name}\t{shape[k]}\t{_fmt(height[k])}\t{_fmt(width[k])}\t0\t0\t1")
    out += ["", "[TAGS]"]
    for node in net.nodes:
        tag = safe_code(net.point(node, "appurtenance")) or safe_code(net.point(node, "feature"))
        if tag:
            out.append(f"Node\t{node.name}\t{tag}")
    for lk in net.links:
        tag = safe_code(net.seg(lk, "subcategory"))
        if tag:
            out.append(f"Link\t{lk.name}\t{tag}")
    xs = np.array([node.x for node in net.nodes])
    ys = np.array([node.y for node in net.nodes])
    pad = max(1.0, 0.02 * max(float(xs.max() - xs.min()), float(ys.max() - ys.min())))
    out += ["", "[MAP]", f"DIMENSIONS\t{_fmt(xs.min() - pad)}\t{_fmt(ys.min() - pad)}\t{_fmt(xs.max() + pad)}\t"
            f"{_fmt(ys.max() + pad)}", "Units\tMeters", "", "[COORDINATES]", ";;Node\tX-Coord\tY-Coord"]
    for node in net.nodes:
        out.append(f"{node.name}\t{_fmt(node.x)}\t{_fmt(node.y)}")
    out += ["", "[VERTICES]", ";;Link\tX-Coord\tY-Coord"]
    for k, lk in enumerate(net.links):
        inner = net.coords(lk)[1:-1]
        if reverse[k]:
            inner = inner[::-1]
        for x, y, _ in inner:
            out.append(f"{lk.name}\t{_fmt(float(x))}\t{_fmt(float(y))}")
    out.append("")
    progress.report(0.8)
    check_cancel(progress)

    written: list[Path] = []
    inp = folder / f"{stem}.inp"
    write_lines(inp, out)
    written.append(inp)
    table = []
    for n, node in enumerate(net.nodes):
        note = "" if node.point_id else "no point number in the export: id generated"
        if node.point_id and node.name != node.point_id:
            note = "map id not valid in SWMM (length, characters or duplicate): id generated"
        if n in forced:
            note = (note + "; " if note else "") + "outfall by default (lowest dead end of its part)"
        table.append(("outfall" if outfall[n] else "junction", node.name, "pipe_point" if node.point_id else "",
                      node.point_id, note))
    for k, lk in enumerate(net.links):
        sid = net.seg(lk, "seg_id")
        note = "" if sid == lk.name else "map id not valid in SWMM (length, characters or duplicate): id generated"
        if reverse[k]:
            note = (note + "; " if note else "") + "drawn against the flow into its outfall: reversed"
        table.append(("conduit", lk.name, "pipe_segment", sid, note))
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
