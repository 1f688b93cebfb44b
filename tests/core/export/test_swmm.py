"""SWMM export, read back with swmm-api and run by the SWMM 5.2 engine through pyswmm."""

from __future__ import annotations

import csv
import dataclasses
import math
import re
import shutil
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
import pytest

from pipemap.core.errors import InputError
from pipemap.core.export import formats, model, package, profiles, swmm
from pipemap.core.export.model import LayerData
from pipemap.core.progress import RecordingProgress

swmm_api = pytest.importorskip("swmm_api")
pyswmm = pytest.importorskip("pyswmm")


def export(data, folder: Path, **opts):
    folder.mkdir(parents=True, exist_ok=True)
    progress = RecordingProgress()
    files = swmm.write(data, folder, formats.ExportOptions(**opts), progress)
    stem = opts.get("basename", "pipemap")
    assert [f.name for f in files] == [f"{stem}.inp", f"{stem}_ids.csv", f"{stem}.prj"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(f.name for f in files), "no temporary file left"
    assert progress.fractions[-1] == 1.0
    return files, progress


def id_table(path: Path) -> dict[str, tuple[str, str]]:
    """exported id -> (object kind, map id)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return {r["exported_id"]: (r["object"], r["map_id"]) for r in csv.DictReader(fh) if r["exported_id"]}


def clone(data, seg_changes=None, point_changes=None):
    """A copy of ``data`` with columns changed: ``{field: {row: value}}``."""
    def copy(layer: LayerData, changes) -> LayerData:
        cols = {k: list(v) for k, v in layer.columns.items()}
        for name, values in (changes or {}).items():
            for i, v in values.items():
                cols[name][i] = v
        return LayerData(layer.name, layer.fields, cols, layer.vertices.copy(),
                         None if layer.offsets is None else layer.offsets.copy())

    return dataclasses.replace(data, segments=copy(data.segments, seg_changes),
                               points=copy(data.points, point_changes))


def length_3d(c: np.ndarray) -> float:
    return float(sum(math.dist(a, b) for a, b in zip(c[:-1], c[1:])))


def has_token(blob: bytes, token: str) -> bool:
    t = re.escape(token.encode("utf-8"))
    return re.search(rb"(?<![A-Za-z0-9_.\-])" + t + rb"(?![A-Za-z0-9_.\-])", blob) is not None


def run_swmm(inp: Path, folder: Path, inflow_cms: float = 0.0) -> str:
    """Run a copy of ``inp`` (optionally with a constant inflow at every junction) to the end; the report."""
    folder.mkdir(parents=True, exist_ok=True)
    run = folder / "run.inp"
    if inflow_cms:
        from swmm_api.input_file.section_labels import INFLOWS
        from swmm_api.input_file.sections import Inflow

        m = swmm_api.read_inp_file(str(inp))
        m[INFLOWS] = Inflow.create_section()
        for name in m.JUNCTIONS:
            m[INFLOWS].add_obj(Inflow(name, base_value=inflow_cms))
        m.write_file(str(run))
    else:
        shutil.copyfile(inp, run)
    with pyswmm.Simulation(str(run)) as sim:
        steps = sum(1 for _ in sim)
        assert sim.percent_complete == pytest.approx(1.0)
    assert steps > 0
    return (folder / "run.rpt").read_text(encoding="utf-8", errors="replace")


def continuity_error(report: str) -> float:
    m = re.search(r"Flow Routing Continuity.*?Continuity Error \(%\) \.+\s+(-?[\d.]+)", report, re.S)
    assert m, "no flow routing continuity in the report"
    return float(m.group(1))


def expected(data):
    """What the map implies, computed here independently of the writer (circular pipes, point numbers)."""
    seg, pts = data.segments, data.points
    rows = [i for i in range(len(seg)) if seg.value("category", i) == "PS"]
    end_inv = {}
    node_inv: dict[str, float] = {}
    crown: dict[str, float] = defaultdict(lambda: -math.inf)
    degree: Counter = Counter()
    for i in rows:
        c = seg.coords(i)
        d = seg.value("dn_mm", i) / 1000.0
        for k, fld in ((0, "start_point"), (-1, "end_point")):
            p = seg.value(fld, i)
            inv = round(float(c[k, 2]) - d / 2, 3)
            end_inv[(i, p)] = inv
            node_inv[p] = min(node_inv.get(p, math.inf), inv)
            crown[p] = max(crown[p], inv + d)
            degree[p] += 1
    prow = {pts.value("point_id", j): j for j in range(len(pts))}
    ground = {p: pts.value("ground_elev_m", prow[p]) for p in node_inv}
    outfalls = set()
    for i in rows:
        for here, there in (("start_point", "end_point"), ("end_point", "start_point")):
            p, q = seg.value(here, i), seg.value(there, i)
            if degree[p] == 1 and end_inv[(i, p)] < end_inv[(i, q)]:
                outfalls.add(p)
    return rows, end_inv, node_inv, ground, crown, outfalls


def test_district_reads_back_in_swmm_api_and_runs(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    (inp, ids_csv, prj), progress = export(data, tmp_path / "full")
    rows, end_inv, node_inv, ground, crown, outfalls = expected(data)
    seg = data.segments
    m = swmm_api.read_inp_file(str(inp))
    ids = id_table(ids_csv)
    assert len(m.CONDUITS) == len(rows) == 144
    assert len(m.JUNCTIONS) + len(m.OUTFALLS) == len(node_inv) == 138
    assert {ids[n][1] for n in m.OUTFALLS} == outfalls and len(outfalls) >= 2
    assert m.OPTIONS["FLOW_UNITS"] == "CMS" and m.OPTIONS["LINK_OFFSETS"] == "DEPTH"

    row_of = {seg.value("seg_id", i): i for i in rows}
    elev = {n: j.elevation for n, j in m.JUNCTIONS.items()} | {n: o.elevation for n, o in m.OUTFALLS.items()}
    for name, c in m.CONDUITS.items():
        i = row_of[ids[name][1]]
        a, b = ids[c.from_node][1], ids[c.to_node][1]
        assert {a, b} == {seg.value("start_point", i), seg.value("end_point", i)}
        if a != seg.value("start_point", i):
            assert b in outfalls  # only conduits into an outfall are turned
        # the conduit end inverts the map implies = node invert + offset
        assert elev[c.from_node] + c.offset_upstream == pytest.approx(end_inv[(i, a)], abs=1e-3)
        assert elev[c.to_node] + c.offset_downstream == pytest.approx(end_inv[(i, b)], abs=1e-3)
        assert c.offset_upstream >= 0 and c.offset_downstream >= 0
        assert c.length == pytest.approx(length_3d(seg.coords(i)), abs=1e-3)
        assert c.roughness == swmm.MANNING_N["T"] == 0.013  # concrete
        x = m.XSECTIONS[name]
        assert x.shape == "CIRCULAR" and x.height == pytest.approx(seg.value("dn_mm", i) / 1000.0)
    for name, j in m.JUNCTIONS.items():
        p = ids[name][1]
        assert j.elevation == pytest.approx(node_inv[p], abs=1e-3)  # node invert: lowest pipe invert
        assert j.depth_max == pytest.approx(ground[p] - node_inv[p], abs=1e-3)  # rim = ground of the manhole
        assert ground[p] >= crown[p]
    for name, o in m.OUTFALLS.items():
        assert o.kind == "FREE" and o.elevation == pytest.approx(node_inv[ids[name][1]], abs=1e-3)
        assert sum(1 for c in m.CONDUITS.values() if name in (c.from_node, c.to_node)) == 1
        assert sum(1 for c in m.CONDUITS.values() if c.to_node == name) == 1
    tags = Counter(t.tag for t in m.TAGS.values() if t.kind == "Link")
    assert tags == Counter(seg.value("subcategory", i) for i in rows) == {"YS": 72, "WS": 72}
    node_tags = Counter(t.tag for t in m.TAGS.values() if t.kind == "Node")
    assert node_tags == {"storm_manhole": 69, "sewer_manhole": 69}
    pts = data.points
    prow = {pts.value("point_id", j): j for j in range(len(pts))}
    for name, xy in m.COORDINATES.items():
        x, y, _ = pts.vertices[prow[ids[name][1]]]
        assert (xy.x, xy.y) == pytest.approx((x, y), abs=1e-3)
    assert any("INVERTS" in w for w in progress.warnings)
    assert not any("raised" in w or "default" in w for w in progress.warnings)
    assert "CGCS2000" in prj.read_text(encoding="utf-8")

    report = run_swmm(inp, tmp_path / "dry")
    assert "ERROR" not in report and "WARNING" not in report
    report = run_swmm(inp, tmp_path / "wet", inflow_cms=0.002)
    assert "ERROR" not in report and "WARNING" not in report
    assert abs(continuity_error(report)) < 2.0
    assert "No nodes were flooded" in report


def test_planning_profile_leaves_nothing_withheld_in_the_bytes(rich_map, tmp_path):
    path, _, facts = rich_map
    data = model.read_map(path, profiles.load_profile("planning"))
    package.export_package(data, ["swmm"], tmp_path / "share")
    folder = tmp_path / "share" / "swmm"
    files = sorted(folder.iterdir())
    assert [p.name for p in files] == ["pipemap.inp", "pipemap.prj", "pipemap_ids.csv"]
    ps_withheld = [s for s in facts["restricted_segments"] if s.startswith("PS")]
    ps_secret = [p for p in facts["secret_points"] if p[:2] in ("YS", "WS")]
    assert ps_withheld and ps_secret
    for f in files:
        blob = f.read_bytes()
        for enc in ("utf-8", "gbk"):
            assert facts["contact"].encode(enc) not in blob
        for token in facts["restricted_segments"] + facts["secret_points"]:
            assert not has_token(blob, token), (f.name, token)
        assert b"GY" not in blob
    m = swmm_api.read_inp_file(str(folder / "pipemap.inp"))
    assert len(m.CONDUITS) == 144 - len(ps_withheld)
    assert any("naming a withheld point blanked" in k for k in data.removed)
    report = run_swmm(folder / "pipemap.inp", tmp_path / "run", inflow_cms=0.001)
    assert "ERROR" not in report


HOSTILE_IDS = ["雨水-管段-甲1", "a b;c", '"quoted"', "y" * 40, "Pipe-A", "PIPE-A", "O'Brien;\n<b>", "[JUNCTIONS]"]


def test_hostile_and_chinese_ids_give_a_valid_file_and_a_mapping_table(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    seg = data.segments
    rows = [i for i in range(len(seg)) if seg.value("category", i) == "PS"]
    new_ids = {rows[k]: v for k, v in enumerate(HOSTILE_IDS)}
    old_point = seg.value("start_point", rows[0])
    new_point = "雨水井 1"
    starts = {i: new_point for i in rows if seg.value("start_point", i) == old_point}
    ends_ = {i: new_point for i in rows if seg.value("end_point", i) == old_point}
    prow = data.points.columns["point_id"].index(old_point)
    hostile = clone(data, {"seg_id": new_ids, "start_point": starts, "end_point": ends_},
                    {"point_id": {prow: new_point}})
    (inp, ids_csv, _), _ = export(hostile, tmp_path / "hostile", basename="排水 model")
    m = swmm_api.read_inp_file(str(inp))
    assert len(m.CONDUITS) == 144 and len(m.XSECTIONS) == 144
    names = list(m.CONDUITS) + list(m.JUNCTIONS) + list(m.OUTFALLS)
    for name in names:
        assert re.fullmatch(r"[A-Za-z0-9_.\-]{1,31}", name), name
    assert len({n.casefold() for n in m.CONDUITS}) == 144
    ids = id_table(ids_csv)
    back = {map_id: exp for exp, (_, map_id) in ids.items()}
    for v in HOSTILE_IDS + [new_point]:
        assert v in back
    assert back["Pipe-A"] == "Pipe-A" and back["PIPE-A"] != "PIPE-A"
    text = inp.read_text(encoding="utf-8")
    assert ";map id: 雨水-管段-甲1" in text and ";map id: (JUNCTIONS)" in text and text.count("[JUNCTIONS]") == 1
    report = run_swmm(inp, tmp_path / "run", inflow_cms=0.001)
    assert "ERROR" not in report


def test_box_sections_outlets_and_defaults(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    rows, end_inv, node_inv, ground, crown, outfalls = expected(data)
    seg = data.segments
    box_inner, box_outer = rows[10], rows[30]
    # an upstream dead end (higher than its neighbour) marked as an outlet, and an outlet inside the network
    degree = Counter(seg.value(f, i) for i in rows for f in ("start_point", "end_point"))
    dead_up = next(p for p in degree if degree[p] == 1 and p not in outfalls)
    inner = next(p for p in degree if degree[p] == 2)
    prow = {p: data.points.columns["point_id"].index(p) for p in (dead_up, inner)}
    changed = clone(data, {"section": {box_inner: "box", box_outer: "box"},
                           "dn_mm": {box_inner: None, box_outer: None, rows[50]: None},
                           "width_mm": {box_inner: 1000.0, box_outer: 1200.0},
                           "height_mm": {box_inner: 800.0, box_outer: 1000.0},
                           "wall_mm": {box_inner: 100.0, box_outer: None, rows[50]: None},
                           "outer_diameter_mm": {rows[50]: None}, "material": {rows[60]: "PE", rows[61]: "木"}},
                    {"feature": {prow[dead_up]: "outlet", prow[inner]: "outlet"}})
    (inp, ids_csv, _), progress = export(changed, tmp_path / "box")
    m = swmm_api.read_inp_file(str(inp))
    ids = id_table(ids_csv)
    name = {map_id: exp for exp, (_, map_id) in ids.items()}
    x = m.XSECTIONS[name[seg.value("seg_id", box_inner)]]
    assert (x.shape, x.height, x.parameter_2) == ("RECT_CLOSED", 0.6, 0.8)  # inner: outer - 2 walls
    x = m.XSECTIONS[name[seg.value("seg_id", box_outer)]]
    assert (x.shape, x.height, x.parameter_2) == ("RECT_CLOSED", 1.0, 1.2)  # no wall: the outer size
    assert m.XSECTIONS[name[seg.value("seg_id", rows[50])]].height == swmm.DEFAULT_DN_MM / 1000.0
    assert m.CONDUITS[name[seg.value("seg_id", rows[60])]].roughness == 0.011
    assert m.CONDUITS[name[seg.value("seg_id", rows[61])]].roughness == swmm.DEFAULT_N
    # the box's inverts follow the map's centreline minus half the inner height
    c = m.CONDUITS[name[seg.value("seg_id", box_inner)]]
    elev = {n: j.elevation for n, j in m.JUNCTIONS.items()} | {n: o.elevation for n, o in m.OUTFALLS.items()}
    z = seg.coords(box_inner)[:, 2]
    inv = {seg.value("start_point", box_inner): z[0] - 0.3, seg.value("end_point", box_inner): z[-1] - 0.3}
    assert elev[c.from_node] + c.offset_upstream == pytest.approx(inv[ids[c.from_node][1]], abs=1e-3)
    assert elev[c.to_node] + c.offset_downstream == pytest.approx(inv[ids[c.to_node][1]], abs=1e-3)
    # outlets: the dead end becomes an outfall and its conduit is turned to flow into it
    assert name[dead_up] in m.OUTFALLS and name[inner] in m.JUNCTIONS
    (cd,) = [cd for cd in m.CONDUITS.values() if name[dead_up] in (cd.from_node, cd.to_node)]
    assert cd.to_node == name[dead_up]
    with open(ids_csv, encoding="utf-8") as fh:
        assert "reversed" in fh.read()
    w = "\n".join(progress.warnings)
    assert "1 outlet point(s) have more than one conduit" in w
    assert "1 box conduit(s) have no wall thickness" in w
    assert "1 conduit(s) without a size got the default circular 300 mm" in w
    assert "1 conduit(s) with no or an unknown material" in w
    report = run_swmm(inp, tmp_path / "run", inflow_cms=0.001)
    assert "ERROR" not in report


def test_public_profile_uses_documented_defaults(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("public"))
    (inp, _, _), progress = export(data, tmp_path / "public")
    m = swmm_api.read_inp_file(str(inp))
    seg = data.segments
    rows = [i for i in range(len(seg)) if seg.value("category", i) == "PS"]
    assert len(m.CONDUITS) == len(rows)
    assert {x.height for x in m.XSECTIONS.values()} == {swmm.DEFAULT_DN_MM / 1000.0}
    assert any(f"{len(rows)} conduit(s) without a size" in w for w in progress.warnings)
    # without the ground field the point's z (ground) still gives the rim; the two secret manholes are withheld,
    # so their nodes have no ground: max depth 0 (SWMM then uses the highest crown) and a warning
    zero = [n for n, j in m.JUNCTIONS.items() if j.depth_max == 0]
    assert all(j.depth_max > 0 for n, j in m.JUNCTIONS.items() if n not in zero)
    assert 0 < len(zero) <= 2 and all(re.fullmatch(r"N\d+", n) for n in zero)
    assert any(w.startswith(f"SWMM: {len(zero)} node(s) have no ground elevation") for w in progress.warnings)
    report = run_swmm(inp, tmp_path / "run", inflow_cms=0.001)
    assert "ERROR" not in report


def test_no_drainage_is_refused(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"), categories=["JS"])
    with pytest.raises(InputError, match="no drainage") as err:
        export(data, tmp_path / "none")
    assert err.value.code == "export.swmm_no_drainage"
    assert not any((tmp_path / "none").iterdir())


CHAOHU = Path("/work/shared/data/networks/swmm_chaohu_cn/chaohu.inp")


def map_from_swmm(path: Path):
    """MapData of a real SWMM model's conduits as a surveyed map would hold them (centreline z, DN, manholes)."""
    from pipemap.core import schema

    src = swmm_api.read_inp_file(str(path))
    nodes = {}
    for sec in ("JUNCTIONS", "OUTFALLS", "STORAGE"):
        for name, n in (src[sec].items() if sec in src else []):
            depth = getattr(n, "depth_max", 0.0) or 0.0
            nodes[name] = (n.elevation, n.elevation + depth if depth > 0 else None)
    xy = {name: (c.x, c.y) for name, c in src.COORDINATES.items()}
    verts = defaultdict(list)
    if "VERTICES" in src:
        for name, v in src.VERTICES.items():
            verts[name] = [tuple(p) for p in v.vertices]
    fields = [f for f in schema.PIPE_SEGMENT.fields if f.name in (
        "seg_id", "category", "subcategory", "start_point", "end_point", "section", "dn_mm", "wall_mm", "width_mm",
        "height_mm", "material")]
    cols = {f.name: [] for f in fields}
    chunks, offsets, inverts = [], [0], {}
    for name, c in src.CONDUITS.items():
        x = src.XSECTIONS[name]
        h = x.height
        a = nodes[c.from_node][0] + c.offset_upstream
        b = nodes[c.to_node][0] + c.offset_downstream
        inverts[name] = (a, b)
        pts = [xy[c.from_node], *verts.get(name, []), xy[c.to_node]]
        z = np.interp(np.arange(len(pts)), [0, len(pts) - 1], [a + h / 2, b + h / 2])
        chunks.append(np.column_stack([np.array(pts, dtype=float), z]))
        offsets.append(offsets[-1] + len(pts))
        box = x.shape == "RECT_CLOSED"
        values = {"seg_id": name, "category": "PS", "subcategory": c.from_node[:2] if c.from_node[:2] in
                  ("YS", "WS", "HS") else None, "start_point": c.from_node, "end_point": c.to_node,
                  "section": "box" if box else "circular", "dn_mm": None if box else h * 1000,
                  "wall_mm": 0.0 if box else None, "width_mm": x.parameter_2 * 1000 if box else None,
                  "height_mm": h * 1000 if box else None, "material": "T"}
        for f in fields:
            cols[f.name].append(values[f.name])
    segs = LayerData("pipe_segment", fields, cols, np.concatenate(chunks), np.asarray(offsets, dtype=np.int64))
    pfields = [f for f in schema.PIPE_POINT.fields if f.name in ("point_id", "category", "ground_elev_m")]
    prow = [{"point_id": n, "category": "PS", "ground_elev_m": g} for n, (_, g) in nodes.items()]
    pxyz = [(*xy[n], np.nan if g is None else g) for n, (_, g) in nodes.items()]
    points = LayerData.from_rows("pipe_point", pfields, prow, np.array(pxyz))
    data = model.MapData(segs, points, None, "", "", "", {"pipe_segment": "pipe centreline elevation"},
                         profiles.load_profile("full"), str(path))
    return data, src, nodes, inverts


@pytest.mark.skipif(not CHAOHU.is_file(), reason="the shared Chaohu SWMM model is not available")
def test_real_chaohu_network_keeps_its_inverts_and_rims(tmp_path):
    data, src, nodes, inverts = map_from_swmm(CHAOHU)
    folder = tmp_path / "chaohu"
    folder.mkdir()
    progress = RecordingProgress()
    files = swmm.write(data, folder, formats.ExportOptions(basename="chaohu"), progress)
    assert [f.name for f in files] == ["chaohu.inp", "chaohu_ids.csv"]  # a local grid without WKT: no .prj
    m = swmm_api.read_inp_file(str(files[0]))
    assert len(m.CONDUITS) == len(src.CONDUITS) == 130
    assert Counter(x.shape for x in m.XSECTIONS.values()) == {"CIRCULAR": 104, "RECT_CLOSED": 26}
    elev = {n: j.elevation for n, j in m.JUNCTIONS.items()} | {n: o.elevation for n, o in m.OUTFALLS.items()}
    for name, c in m.CONDUITS.items():
        a, b = inverts[name]
        if c.from_node != src.CONDUITS[name].from_node:  # turned into an outfall
            a, b = b, a
        assert elev[c.from_node] + c.offset_upstream == pytest.approx(a, abs=1e-3), name
        assert elev[c.to_node] + c.offset_downstream == pytest.approx(b, abs=1e-3), name
        assert (m.XSECTIONS[name].height, m.XSECTIONS[name].parameter_2) == pytest.approx(
            (src.XSECTIONS[name].height, src.XSECTIONS[name].parameter_2))
    raised = 0
    for name, j in m.JUNCTIONS.items():
        rim = nodes[name][1]
        if rim is None:
            assert j.depth_max == 0
        elif j.elevation + j.depth_max > rim + 1e-3:
            raised += 1  # a crown above the model's own rim: raised, and said so
        else:
            assert j.elevation + j.depth_max == pytest.approx(rim, abs=1e-3), name
    assert (raised == 0) or any("raised" in w for w in progress.warnings)
    report = run_swmm(files[0], tmp_path / "run", inflow_cms=0.001)
    assert "ERROR" not in report
    assert abs(continuity_error(report)) < 5.0


def test_cancel_writes_nothing(rich_map, tmp_path):
    from pipemap.core.errors import CancelledError

    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    folder = tmp_path / "cancel"
    folder.mkdir()
    with pytest.raises(CancelledError):
        swmm.write(data, folder, formats.ExportOptions(), RecordingProgress(cancel_after=1))
    assert not any(folder.iterdir())
