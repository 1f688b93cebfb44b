"""EPANET export, read back with wntr and run by the EPANET 2.2 engine (wntr's simulator and toolkit)."""

from __future__ import annotations

import csv
import dataclasses
import math
import re
import shutil
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest

from pipemap.core.errors import InputError
from pipemap.core.export import epanet, formats, model, package, profiles
from pipemap.core.export.model import LayerData
from pipemap.core.progress import RecordingProgress

wntr = pytest.importorskip("wntr")


def export(data, folder: Path, **opts):
    folder.mkdir(parents=True, exist_ok=True)
    progress = RecordingProgress()
    files = epanet.write(data, folder, formats.ExportOptions(**opts), progress)
    stem = opts.get("basename", "pipemap")
    assert [f.name for f in files] == [f"{stem}.inp", f"{stem}_ids.csv", f"{stem}.prj"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(f.name for f in files), "no temporary file left"
    assert progress.fractions[-1] == 1.0
    return files, progress


def id_table(path: Path) -> dict[str, tuple[str, str]]:
    """exported id -> (object kind, map id)."""
    with open(path, encoding="utf-8", newline="") as fh:
        return {r["exported_id"]: (r["object"], r["map_id"]) for r in csv.DictReader(fh) if r["exported_id"]}


def clone(data, seg_changes=None, point_changes=None, keep=None):
    """A copy of ``data`` with columns changed (``{field: {row: value}}``) and segments kept where ``keep``."""
    def copy(layer: LayerData, changes) -> LayerData:
        cols = {k: list(v) for k, v in layer.columns.items()}
        for name, values in (changes or {}).items():
            for i, v in values.items():
                cols[name][i] = v
        return LayerData(layer.name, layer.fields, cols, layer.vertices.copy(),
                         None if layer.offsets is None else layer.offsets.copy())

    segs = copy(data.segments, seg_changes)
    if keep is not None:
        segs = segs.subset(np.asarray(keep, dtype=bool))
    return dataclasses.replace(data, segments=segs, points=copy(data.points, point_changes))


def length_3d(c: np.ndarray) -> float:
    return float(sum(math.dist(a, b) for a, b in zip(c[:-1], c[1:])))


def map_nodes(data, category="JS"):
    """Point id -> list of centreline z of the segment ends there; segment rows of the category."""
    seg = data.segments
    rows = [i for i in range(len(seg)) if seg.value("category", i) == category]
    ends = defaultdict(list)
    for i in rows:
        c = seg.coords(i)
        ends[seg.value("start_point", i)].append(c[0, 2])
        ends[seg.value("end_point", i)].append(c[-1, 2])
    return ends, rows


def run_toolkit(inp: Path, folder: Path) -> str:
    """Open and solve ``inp`` itself (not wntr's rewrite of it) with the EPANET 2.2 toolkit; the report text."""
    from wntr.epanet.toolkit import ENepanet

    raw = folder / "raw.inp"  # the toolkit wants a latin-1 path
    shutil.copyfile(inp, raw)
    en = ENepanet()
    en.ENopen(str(raw), str(folder / "raw.rpt"), str(folder / "raw.bin"))
    en.ENsolveH()
    en.ENclose()
    return (folder / "raw.rpt").read_text(encoding="utf-8", errors="replace")


def has_token(blob: bytes, token: str) -> bool:
    """``token`` appears in ``blob`` as a whole id (not as part of a longer one)."""
    t = re.escape(token.encode("utf-8"))
    return re.search(rb"(?<![A-Za-z0-9_.\-])" + t + rb"(?![A-Za-z0-9_.\-])", blob) is not None


def test_district_reads_back_in_wntr_and_runs(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    (inp, ids_csv, prj), progress = export(data, tmp_path / "full")
    ends, rows = map_nodes(data)
    seg = data.segments
    wn = wntr.network.WaterNetworkModel(str(inp))
    ids = id_table(ids_csv)

    # topology: one pipe per JS segment, one node per JS point met by the segments
    assert wn.num_pipes == len(rows) == 90
    assert wn.num_junctions + wn.num_reservoirs + wn.num_tanks == len(ends) == 87
    assert wn.num_reservoirs == 1 and wn.num_tanks == 0  # the district has no plant: one default source
    assert wn.num_valves == wn.num_pumps == 0

    row_of = {seg.value("seg_id", i): i for i in rows}
    for name, pipe in wn.pipes():
        kind, sid = ids[name]
        assert kind == "pipe"
        i = row_of[sid]
        c = seg.coords(i)
        assert abs(pipe.length - length_3d(c)) < 1e-3  # metres, 3D
        assert pipe.diameter == pytest.approx(seg.value("dn_mm", i) / 1000.0, abs=1e-9)  # mm in the file, m in wntr
        assert pipe.roughness == epanet.HAZEN_WILLIAMS_C[seg.value("material", i)] == 130.0  # ductile iron
        assert {pipe.start_node_name, pipe.end_node_name} == {seg.value("start_point", i), seg.value("end_point", i)}
        assert ids[pipe.start_node_name][1] == seg.value("start_point", i)
        assert ids[pipe.end_node_name][1] == seg.value("end_point", i)

    pts = data.points
    prow = {pts.value("point_id", j): j for j in range(len(pts))}
    for name, node in wn.junctions():
        z = ends[ids[name][1]]
        assert abs(node.elevation - float(np.mean(z))) <= 0.001  # centreline z at the node, within 1 mm
        x, y, _ = pts.vertices[prow[name]]
        assert node.coordinates == pytest.approx((x, y), abs=1e-3)
    (res_name, res), = list(wn.reservoirs())
    ground = [pts.value("ground_elev_m", prow[p]) for p in ends]
    assert res.base_head == pytest.approx(max(ground) + epanet.DEFAULT_HEAD_ABOVE_GROUND_M, abs=1e-3)
    assert wn.get_node(res_name).tag == "default_source"
    assert any("CENTRELINE" in w for w in progress.warnings)
    assert any("no source" in w and res_name in w for w in progress.warnings)
    assert any("valve point" in w for w in progress.warnings)
    tags = defaultdict(int)
    for _, node in wn.junctions():
        tags[node.tag] += 1
    assert tags["valve"] == sum(1 for p in ends if pts.value("appurtenance", prow[p]) == "valve") > 0

    # the EPANET engine solves the file as written ...
    report = run_toolkit(inp, tmp_path)
    assert "Error" not in report and "WARNING" not in report.upper()
    # ... and wntr's simulator runs it, also with demands added
    results = wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=str(tmp_path / "sim"))
    pressure = results.node["pressure"].iloc[0]
    assert len(pressure) == 87 and np.isfinite(pressure.to_numpy()).all()
    for _, node in wn.junctions():
        node.demand_timeseries_list[0].base_value = 0.0005  # 0.5 L/s
    results = wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=str(tmp_path / "sim2"))
    heads = results.node["head"].iloc[0]
    supplied = -results.node["demand"].iloc[0][res_name]
    assert supplied == pytest.approx(0.0005 * wn.num_junctions, rel=1e-4)  # the source feeds every junction
    assert (results.node["pressure"].iloc[0][[n for n, _ in wn.junctions()]] > 20).all()
    assert heads[res_name] == pytest.approx(res.base_head)

    # metadata: CRS in the header and the side-car .prj
    text = inp.read_text(encoding="utf-8")
    assert ";CRS: EPSG:4547" in text and "[TITLE]" in text and "centreline" in text
    assert "CGCS2000" in prj.read_text(encoding="utf-8")
    assert max(len(line.encode("utf-8")) for line in text.splitlines()) < 1000


def test_planning_profile_leaves_nothing_withheld_in_the_bytes(rich_map, tmp_path):
    path, _, facts = rich_map
    data = model.read_map(path, profiles.load_profile("planning"))
    package.export_package(data, ["epanet"], tmp_path / "share")
    files = [p for p in (tmp_path / "share" / "epanet").iterdir()]
    assert sorted(p.name for p in files) == ["pipemap.inp", "pipemap.prj", "pipemap_ids.csv"]
    js_withheld = [s for s in facts["restricted_segments"] if s.startswith("JS")]
    js_secret = [p for p in facts["secret_points"] if p.startswith("JS")]
    assert js_withheld and js_secret  # the check below is not vacuous
    for f in files:
        blob = f.read_bytes()
        for enc in ("utf-8", "gbk"):
            assert facts["contact"].encode(enc) not in blob
        for token in facts["restricted_segments"] + facts["secret_points"]:
            assert not has_token(blob, token), (f.name, token)
        assert b"GY" not in blob
        assert b"planning" in blob or f.suffix != ".inp"
    wn = wntr.network.WaterNetworkModel(str(tmp_path / "share" / "epanet" / "pipemap.inp"))
    assert wn.num_pipes == 90 - len(js_withheld)
    # a withheld point keeps its place in the network, under a generated id (the segments no longer name it)
    assert any("naming a withheld point blanked" in k for k in data.removed)
    assert wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=str(tmp_path / "sim")).node["pressure"].shape[1] \
        == wn.num_nodes
    assert "Error" not in run_toolkit(tmp_path / "share" / "epanet" / "pipemap.inp", tmp_path)


HOSTILE_IDS = ["给水-管段-甲1", "a b;c", '"quoted"', "x" * 40, "Pipe-A", "PIPE-A", "O'Brien;\n<b>"]


def test_hostile_and_chinese_ids_give_a_valid_file_and_a_mapping_table(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    seg = data.segments
    rows = [i for i in range(len(seg)) if seg.value("category", i) == "JS"]
    new_ids = {rows[k]: v for k, v in enumerate(HOSTILE_IDS)}
    # a point renamed to a Chinese id with a space, and the segments naming it
    old_point = seg.value("end_point", rows[0])
    new_point = "给水 点;1"
    starts = {i: new_point for i in rows if seg.value("start_point", i) == old_point}
    ends_ = {i: new_point for i in rows if seg.value("end_point", i) == old_point}
    pts = data.points
    prow = pts.columns["point_id"].index(old_point)
    hostile = clone(data, {"seg_id": new_ids, "start_point": starts, "end_point": ends_},
                    {"point_id": {prow: new_point}})
    (inp, ids_csv, _), _ = export(hostile, tmp_path / "hostile", basename="水网 model")
    wn = wntr.network.WaterNetworkModel(str(inp))
    assert wn.num_pipes == 90
    names = list(wn.node_name_list) + list(wn.link_name_list)
    for name in names:
        assert 1 <= len(name) <= 31 and re.fullmatch(r"[A-Za-z0-9_.\-]+", name), name
    assert len({n.casefold() for n in wn.link_name_list}) == wn.num_links
    ids = id_table(ids_csv)
    back = {map_id: exp for exp, (_, map_id) in ids.items()}
    for v in HOSTILE_IDS:
        assert v in back  # the table gives back the exact map id (newline and Chinese included)
    assert back["Pipe-A"] == "Pipe-A" and back["PIPE-A"] != "PIPE-A"  # equal ignoring case: the second renamed
    assert new_point in back and ids[back[new_point]][0] == "junction"
    text = inp.read_text(encoding="utf-8")
    assert ";map id: 给水-管段-甲1" in text  # the original id stays readable in a comment
    assert "O'Brien; <b>" in text and "O'Brien;\n" not in text
    report = run_toolkit(inp, tmp_path)
    assert "Error" not in report
    assert wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=str(tmp_path / "sim")).node["head"].notna().all().all()


def test_sources_tanks_and_disconnected_parts(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    seg, pts = data.segments, data.points
    rows = [i for i in range(len(seg)) if seg.value("category", i) == "JS"]
    # cut the network in two along a north-south line through the middle of the district
    xs = [seg.coords(i)[:, 0] for i in rows]
    cut = float(np.median(np.concatenate(xs))) + 1.0
    keep = np.ones(len(seg), dtype=bool)
    for i, x in zip(rows, xs):
        if x.min() < cut < x.max():
            keep[i] = False
    assert 0 < (~keep).sum() < 20
    # a treatment plant in the west part, a water tower in the west part too: the east part has no source
    js_pts = [j for j in range(len(pts)) if pts.value("category", j) == "JS"]
    west = sorted((j for j in js_pts if pts.vertices[j, 0] < cut - 5), key=lambda j: pts.vertices[j, 0])
    plant, tower = west[0], west[-1]
    cut_data = clone(data, point_changes={"appurtenance": {plant: "plant", tower: "water_tower"}}, keep=keep)
    (inp, ids_csv, _), progress = export(cut_data, tmp_path / "cut")
    wn = wntr.network.WaterNetworkModel(str(inp))
    assert wn.num_pipes == len(rows) - (~keep).sum()
    assert wn.num_tanks == 1 and wn.num_reservoirs == 2
    ids = id_table(ids_csv)
    kinds = {ids[n][1]: ids[n][0] for n in wn.node_name_list}
    assert kinds[pts.value("point_id", plant)] == "reservoir"
    assert kinds[pts.value("point_id", tower)] == "tank"
    defaults = [n for n, r in wn.reservoirs() if r.tag == "default_source"]
    assert len(defaults) == 1 and wn.get_node(defaults[0]).coordinates[0] > cut
    (_, tank), = list(wn.tanks())
    assert tank.elevation == pytest.approx(pts.value("ground_elev_m", tower), abs=1e-3)
    assert tank.elevation + tank.init_level == pytest.approx(wn.get_node(defaults[0]).base_head, abs=1e-3)
    assert any("1 of the 2 disconnected parts" in w for w in progress.warnings)
    assert "Error" not in run_toolkit(inp, tmp_path)
    results = wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=str(tmp_path / "sim"))
    assert np.isfinite(results.node["pressure"].iloc[0].to_numpy()).all()


def test_public_profile_uses_documented_defaults(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("public"))  # no sizes, materials or point numbers on pipes
    assert "dn_mm" not in data.segments.field_names and "start_point" not in data.segments.field_names
    (inp, _, _), progress = export(data, tmp_path / "public")
    wn = wntr.network.WaterNetworkModel(str(inp))
    seg = data.segments
    rows = [i for i in range(len(seg)) if seg.value("category", i) == "JS"]
    places = {tuple(seg.coords(i)[k, :2]) for i in rows for k in (0, -1)}
    assert wn.num_pipes == len(rows) == 88  # restricted pipes withheld
    assert wn.num_nodes == len(places)  # nodes found by position (positions rounded to 0.5 m)
    assert {p.diameter for _, p in wn.pipes()} == {epanet.DEFAULT_DN_MM / 1000.0}
    assert {p.roughness for _, p in wn.pipes()} == {epanet.DEFAULT_C}
    assert "EPANET: 88 pipe(s) without a diameter got the default 100 mm." in progress.warnings
    assert any("unknown material" in w for w in progress.warnings)
    for _, node in wn.nodes():
        assert node.coordinates[0] % 0.5 == 0 and node.coordinates[1] % 0.5 == 0
    assert "Error" not in run_toolkit(inp, tmp_path)


def test_no_water_pipes_is_refused(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"), categories=["DL", "PS"])
    with pytest.raises(InputError, match="no water-supply") as err:
        export(data, tmp_path / "none")
    assert err.value.code == "export.epanet_no_water"
    assert not any((tmp_path / "none").iterdir())


def test_snapping_joins_unnamed_ends_and_leaves_out_self_loops(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    seg = data.segments
    rows = [i for i in range(len(seg)) if seg.value("category", i) == "JS"]
    # no point numbers on the segments, ends moved by up to 4 mm: the same network by position
    moved = clone(data, {"start_point": {i: None for i in rows}, "end_point": {i: None for i in rows}})
    rng = np.random.default_rng(7)
    moved.segments.vertices[:, :2] += rng.uniform(-0.002, 0.002, moved.segments.vertices[:, :2].shape)
    # and one segment collapsed onto a single point
    k = rows[5]
    a, b = moved.segments.offsets[k], moved.segments.offsets[k + 1]
    moved.segments.vertices[a:b] = moved.segments.vertices[a]
    (inp, ids_csv, _), progress = export(moved, tmp_path / "snap")
    wn = wntr.network.WaterNetworkModel(str(inp))
    assert wn.num_pipes == 89
    assert any("start and end at the same node" in w for w in progress.warnings)
    ids = id_table(ids_csv)
    assert sum(1 for kind, _ in ids.values() if kind == "left out") == 0  # left-out rows have no exported id
    with open(ids_csv, encoding="utf-8") as fh:
        assert seg.value("seg_id", k) in fh.read()
    # nodes took the point numbers found at their place
    assert wn.num_nodes <= 87 and "JS1" in wn.node_name_list
    assert "Error" not in run_toolkit(inp, tmp_path)


NET3 = Path("/work/shared/data/networks/epanet_net3/Net3.inp")


def map_from_epanet(path: Path):
    """MapData of a real EPANET model's pipes as a survey would hold them: centreline z = node elevation,
    DN, tanks as water-tower points and reservoirs as treatment-plant points (pumps and valves are not pipes)."""
    from pipemap.core import schema

    src = wntr.network.WaterNetworkModel(str(path))
    z = {n: (node.base_head if node.node_type == "Reservoir" else node.elevation) for n, node in src.nodes()}
    fields = [f for f in schema.PIPE_SEGMENT.fields if f.name in ("seg_id", "category", "start_point", "end_point",
                                                                   "dn_mm")]
    cols = {f.name: [] for f in fields}
    chunks, offsets = [], [0]
    for name, pipe in src.pipes():
        pts = [pipe.start_node.coordinates, *pipe.vertices, pipe.end_node.coordinates]
        zz = np.interp(np.arange(len(pts)), [0, len(pts) - 1], [z[pipe.start_node_name], z[pipe.end_node_name]])
        chunks.append(np.column_stack([np.array(pts, dtype=float), zz]))
        offsets.append(offsets[-1] + len(pts))
        for f, v in (("seg_id", name), ("category", "JS"), ("start_point", pipe.start_node_name),
                     ("end_point", pipe.end_node_name), ("dn_mm", pipe.diameter * 1000)):
            cols[f].append(v)
    segs = LayerData("pipe_segment", fields, cols, np.concatenate(chunks), np.asarray(offsets, dtype=np.int64))
    pfields = [f for f in schema.PIPE_POINT.fields if f.name in ("point_id", "category", "appurtenance",
                                                                  "ground_elev_m")]
    kinds = {"Tank": "water_tower", "Reservoir": "plant"}
    rows = [{"point_id": n, "category": "JS", "appurtenance": kinds.get(node.node_type), "ground_elev_m": z[n]}
            for n, node in src.nodes()]
    xyz = [(*node.coordinates, z[n]) for n, node in src.nodes()]
    points = LayerData.from_rows("pipe_point", pfields, rows, np.array(xyz, dtype=float))
    data = model.MapData(segs, points, None, "", "", "", {"pipe_segment": "pipe centreline elevation"},
                         profiles.load_profile("full"), str(path))
    return data, src


@pytest.mark.skipif(not NET3.is_file(), reason="the shared EPANET Net3 model is not available")
def test_real_net3_keeps_elevations_diameters_and_sources(tmp_path):
    data, src = map_from_epanet(NET3)
    folder = tmp_path / "net3"
    folder.mkdir()
    progress = RecordingProgress()
    files = epanet.write(data, folder, formats.ExportOptions(basename="net3"), progress)
    assert [f.name for f in files] == ["net3.inp", "net3_ids.csv"]  # no CRS: no .prj
    wn = wntr.network.WaterNetworkModel(str(files[0]))
    assert wn.num_pipes == src.num_pipes == 117
    for name, pipe in wn.pipes():
        assert pipe.diameter == pytest.approx(src.get_link(name).diameter, abs=1e-6)
        assert {pipe.start_node_name, pipe.end_node_name} == {src.get_link(name).start_node_name,
                                                              src.get_link(name).end_node_name}
    for name, j in wn.junctions():
        assert j.elevation == pytest.approx(src.get_node(name).elevation, abs=1e-3)
    assert sorted(wn.tank_name_list) == sorted(src.tank_name_list)
    for name, tank in wn.tanks():
        assert tank.elevation == pytest.approx(src.get_node(name).elevation, abs=1e-3)
    # pumps are not pipes: the lake (behind pump 10) drops out, the river stays through its pipe; every part
    # keeps a tank or the river, so no default source is needed
    piped = {n for _, p in src.pipes() for n in (p.start_node_name, p.end_node_name)}
    assert wn.num_nodes == len(piped) == 96
    assert wn.reservoir_name_list == ["River"] and wn.get_node("River").tag == "plant"
    assert wn.get_node("River").base_head == pytest.approx(
        max(g for n, g in zip(data.points.columns["point_id"], data.points.columns["ground_elev_m"]) if n in piped)
        + epanet.DEFAULT_HEAD_ABOVE_GROUND_M, abs=1e-3)
    assert not any("default reservoir" in w for w in progress.warnings)
    assert "Error" not in run_toolkit(files[0], tmp_path)
    results = wntr.sim.EpanetSimulator(wn).run_sim(file_prefix=str(tmp_path / "sim"))
    assert np.isfinite(results.node["head"].iloc[0].to_numpy()).all()


def test_cancel_writes_nothing(rich_map, tmp_path):
    from pipemap.core.errors import CancelledError

    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    folder = tmp_path / "cancel"
    folder.mkdir()
    with pytest.raises(CancelledError):
        epanet.write(data, folder, formats.ExportOptions(), RecordingProgress(cancel_after=1))
    assert not any(folder.iterdir())
