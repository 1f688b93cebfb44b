"""Import a real model, export it again with PipeMap's writers (issue 7), and let the engine run it."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from pipemap.core.export import epanet as epanet_writer
from pipemap.core.export import formats, model, profiles
from pipemap.core.export import swmm as swmm_writer
from pipemap.core.models import importer
from pipemap.core.progress import RecordingProgress


def test_swmm_chaohu_import_export_runs_and_keeps_inverts(copy_model, new_map, tmp_path):
    swmm_api = pytest.importorskip("swmm_api")
    pyswmm = pytest.importorskip("pyswmm")
    src_path = copy_model("swmm_chaohu_cn/chaohu.inp")
    target = new_map()
    assert importer.import_model(target, src_path).committed
    data = model.read_map(target, profiles.load_profile("full"))
    out = tmp_path / "out"
    out.mkdir()
    files = swmm_writer.write(data, out, formats.ExportOptions(basename="again"), RecordingProgress())
    src = swmm_api.read_inp_file(str(src_path))
    back = swmm_api.read_inp_file(str(files[0]))
    assert len(back.CONDUITS) == len(src.CONDUITS) == 130
    assert {n for n in back.CONDUITS} == set(src.CONDUITS)
    inverts = {n: o.elevation for s in ("JUNCTIONS", "OUTFALLS", "STORAGE") for n, o in src[s].items()}
    new_inv = {n: o.elevation for s in ("JUNCTIONS", "OUTFALLS") for n, o in back[s].items()}
    got, want = [], []
    for name, c in back.CONDUITS.items():
        o = src.CONDUITS[name]
        ends = {c.from_node: new_inv[c.from_node] + c.offset_upstream, c.to_node: new_inv[c.to_node]
                + c.offset_downstream}
        for node, off in ((o.from_node, o.offset_upstream), (o.to_node, o.offset_downstream)):
            got.append(ends[node])
            want.append(inverts[node] + off)
        assert back.XSECTIONS[name].height == pytest.approx(src.XSECTIONS[name].height)
    np.testing.assert_allclose(got, want, atol=1e-3)  # every conduit-end invert survives the round trip
    rims = {n: j.elevation + j.depth_max for n, j in src.JUNCTIONS.items() if j.depth_max > 0}
    for name, j in back.JUNCTIONS.items():
        if name in rims:
            assert j.elevation + j.depth_max >= rims[name] - 1e-3
    run = tmp_path / "run"
    run.mkdir()
    shutil.copyfile(files[0], run / "run.inp")
    with pyswmm.Simulation(str(run / "run.inp")) as sim:
        steps = sum(1 for _ in sim)
        assert sim.percent_complete == pytest.approx(1.0)
    assert steps > 0
    assert "ERROR" not in (run / "run.rpt").read_text(encoding="utf-8", errors="replace")


def test_epanet_modena_import_export_runs_and_keeps_elevations(copy_model, new_map, tmp_path):
    wntr = pytest.importorskip("wntr")
    src_path = copy_model("epanet_modena/MOD.inp")
    target = new_map("EPSG:3003")
    result = importer.import_model(target, src_path, crs="EPSG:3003", elevation_means="centre")
    assert result.committed
    data = model.read_map(target, profiles.load_profile("full"))
    out = tmp_path / "out"
    out.mkdir()
    files = epanet_writer.write(data, out, formats.ExportOptions(basename="again"), RecordingProgress())
    src = wntr.network.WaterNetworkModel(str(src_path))
    back = wntr.network.WaterNetworkModel(str(files[0]))
    assert (back.num_pipes, back.num_junctions, back.num_reservoirs) == (src.num_pipes, src.num_junctions,
                                                                         src.num_reservoirs) == (317, 268, 4)
    names = sorted(n for n, _ in src.junctions())
    np.testing.assert_allclose([back.get_node(n).elevation for n in names],
                               [src.get_node(n).elevation for n in names], atol=1e-3)
    np.testing.assert_allclose([back.get_link(n).diameter for n, _ in src.pipes()],
                               [p.diameter for _, p in src.pipes()], rtol=1e-3)
    results = wntr.sim.EpanetSimulator(back).run_sim(file_prefix=str(tmp_path / "sim"))
    pressure = results.node["pressure"]
    assert pressure.shape[1] == back.num_nodes and np.isfinite(pressure.values).all()
