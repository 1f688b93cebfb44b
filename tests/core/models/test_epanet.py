"""EPANET models into the map, checked against wntr (an independent reader)."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pytest

from pipemap.core.models import importer

from .conftest import NETWORKS, read_layer

wntr = pytest.importorskip("wntr")

KY = [f"epanet_kentucky_ky1-ky15/ky{i}.inp" for i in range(1, 16)]
OTHERS = ["epanet_modena/MOD.inp", "epanet_ltown/L-TOWN.inp", "epanet_net3/Net3.inp", "epanet_bwsn2/BWSN_Network_2.inp"]
CRS = {"epanet_modena/MOD.inp": "EPSG:3003", **{k: "EPSG:3089" for k in KY}}


@pytest.mark.parametrize("relative", KY + OTHERS)
def test_every_real_model_imports_with_the_counts_of_wntr(copy_model, new_map, relative):
    model = copy_model(relative)
    crs = CRS.get(relative)
    target = new_map(crs) if crs else new_map()
    result = importer.import_model(target, model, crs=crs)
    assert result.committed and result.format == "epanet"
    wn = wntr.network.WaterNetworkModel(str(model))
    counts = {"JUNCTIONS": wn.num_junctions, "RESERVOIRS": wn.num_reservoirs, "TANKS": wn.num_tanks,
              "PIPES": wn.num_pipes, "PUMPS": wn.num_pumps, "VALVES": wn.num_valves}
    assert result.counts == {k: v for k, v in counts.items() if v}
    points = read_layer(target, "pipe_point")
    segments = read_layer(target, "pipe_segment")
    assert len(segments) == result.segments_written == wn.num_pipes
    assert len(points) == result.points_written == wn.num_nodes + wn.num_pumps + wn.num_valves
    assert not result.errors
    # diameters in mm and, with ELEVATION_MEANS = ground, z = elevation - 1 m cover - r at junction ends
    source = model.name
    got_dn, want_dn, got_z, want_z = [], [], [], []
    for name, pipe in wn.pipes():
        row = segments[(source, name)]
        got_dn.append(row["dn_mm"])
        want_dn.append(pipe.diameter * 1000.0)
        r = pipe.diameter / 2.0
        for node, z in ((pipe.start_node, row["_xyz"][0][2]), (pipe.end_node, row["_xyz"][-1][2])):
            if node.node_type == "Junction":
                got_z.append(z)
                want_z.append(node.elevation - 1.0 - r)
    np.testing.assert_allclose(got_dn, want_dn, rtol=1e-6)
    np.testing.assert_allclose(got_z, want_z, atol=0.005)
    assert len(got_z) > wn.num_pipes
    zero = {n for n, j in wn.junctions() if j.elevation == 0}
    assert {i.ref for i in result.issues if i.code == "node.zero_elevation"} == zero
    kinds = Counter(row["appurtenance"] for row in points.values())
    assert kinds["water_tower"] == wn.num_tanks and kinds["plant"] == wn.num_reservoirs
    assert kinds["valve"] == wn.num_valves and kinds["pump_station"] == wn.num_pumps
    for name, j in list(wn.junctions())[:200]:
        row = points[(source, name)]
        assert row["ground_elev_m"] == pytest.approx(j.elevation, abs=1e-6)
        assert (row["_xyz"][0][0], row["_xyz"][0][1]) == pytest.approx(j.coordinates, abs=1e-6)


def test_kentucky_zero_elevations_match_sources():
    """SOURCES.md: junctions at elevation 0 in ky1 (1), ky6 (4), ky8 (1), ky9 (1), ky12 (5)."""
    if not NETWORKS.is_dir():
        pytest.skip("shared networks not available")
    found = {}
    for i in (1, 6, 8, 9, 12):
        conv = importer.convert_file(NETWORKS / f"epanet_kentucky_ky1-ky15/ky{i}.inp", importer.options("x"))
        found[i] = sum(1 for issue in conv.issues if issue.code == "node.zero_elevation")
    assert found == {1: 1, 6: 4, 8: 1, 9: 1, 12: 5}


SMALL = """[TITLE]
{title}
[JUNCTIONS]
J1 10 0
J2 12 0
J3 11 0
[RESERVOIRS]
R1 50
[TANKS]
T1 30 2 0 5 10 0
[PIPES]
P1 R1 J1 100 200 100 0 Open
P2 J1 J2 100 200 100 0 Open
P3 J2 T1 100 300 100 0 Open
P4 J2 J3 100 150 100 0 CV
[VALVES]
V1 J1 J3 150 PRV 40 0
[PUMPS]
PU1 J3 J2 HEAD 1
[COORDINATES]
J1 0 0
J2 100 0
J3 100 100
R1 -100 0
T1 200 0
[VERTICES]
P2 50 10
[OPTIONS]
Units {units}
"""


@pytest.mark.parametrize("means, cover, z_j1", [("ground", 1.0, 10 - 1.0 - 0.1), ("ground", 1.5, 10 - 1.5 - 0.1),
                                                ("centre", 1.0, 10.0), ("top", 1.0, 10 - 0.1)])
def test_elevation_meanings_and_sources(tmp_path, new_map, means, cover, z_j1):
    model = tmp_path / "small.inp"
    model.write_text(SMALL.format(title="", units="LPS"), "utf-8")
    target = new_map()
    result = importer.import_model(target, model, elevation_means=means, default_cover_m=cover)
    seg = read_layer(target, "pipe_segment")
    p2 = seg[("small.inp", "P2")]["_xyz"]
    assert p2[0][2] == pytest.approx(z_j1)
    j2 = {"ground": 12 - cover - 0.1, "centre": 12.0, "top": 12 - 0.1}[means]
    assert p2[-1][2] == pytest.approx(j2)
    assert len(p2) == 3
    p1 = seg[("small.inp", "P1")]["_xyz"]
    assert p1[0][2] == pytest.approx(p1[-1][2]) == pytest.approx(z_j1)  # the reservoir end takes J1's z
    p3 = seg[("small.inp", "P3")]["_xyz"]
    assert p3[-1][2] == pytest.approx(p3[0][2])
    pts = read_layer(target, "pipe_point")
    if means == "ground":
        assert pts[("small.inp", "J1")]["ground_elev_m"] == pytest.approx(10.0)
    else:
        assert pts[("small.inp", "J1")]["ground_elev_m"] is None
        assert math.isnan(pts[("small.inp", "J1")]["_xyz"][0][2])
    assert pts[("small.inp", "R1")]["appurtenance"] == "plant"
    assert pts[("small.inp", "T1")]["appurtenance"] == "water_tower"
    valve = pts[("small.inp", "V1")]
    assert valve["appurtenance"] == "valve" and "PRV" in valve["remark"]
    assert (valve["_xyz"][0][0], valve["_xyz"][0][1]) == pytest.approx((50.0, 50.0))
    assert pts[("small.inp", "PU1")]["appurtenance"] == "pump_station"
    assert pts[("small.inp", "J2")]["feature"] == "tee"
    assert result.committed


def test_us_units_and_pipemap_export_title(tmp_path, new_map):
    model = tmp_path / "us.inp"
    model.write_text(SMALL.format(title="Junction elevation = pipe centreline elevation at the node", units="GPM"),
                     "utf-8")
    target = new_map()
    result = importer.import_model(target, model)
    assert [i.code for i in result.issues if i.code == "option.elevation_means"] == ["option.elevation_means"]
    seg = read_layer(target, "pipe_segment")
    row = seg[("us.inp", "P2")]
    assert row["dn_mm"] == pytest.approx(200 * 25.4)  # inches -> mm
    assert row["_xyz"][0][2] == pytest.approx(10 * 0.3048 - 1.0 - 200 * 0.0254 / 2)
    assert any(i.code == "units.size_mixup" or i.code == "link.huge_size" for i in result.issues)


def test_schematic_and_feet_coordinates_are_told(copy_model, new_map):
    net3 = copy_model("epanet_net3/Net3.inp")
    result = importer.import_model(new_map(name="a.gpkg"), net3)
    assert {"coords.scaled", "coords.schematic"} & {i.code for i in result.issues}
    bwsn = copy_model("epanet_bwsn2/BWSN_Network_2.inp")
    result = importer.import_model(new_map(name="b.gpkg"), bwsn)
    scaled = [i for i in result.issues if i.code == "coords.scaled"]
    assert len(scaled) == 1 and "COORDINATE_SCALE=0.3048" in scaled[0].message
    again = importer.import_model(new_map(name="c.gpkg"), bwsn, coordinate_scale=0.3048)
    assert not [i for i in again.issues if i.code.startswith("coords.")]
    ltown = copy_model("epanet_ltown/L-TOWN.inp")
    result = importer.import_model(new_map(name="d.gpkg"), ltown)
    assert not [i for i in result.issues if i.code.startswith("coords.")]


def test_duplicate_links_and_missing_nodes_are_left_out_and_reported(tmp_path, new_map):
    text = SMALL.format(title="", units="LPS").replace("[PIPES]\n", "[PIPES]\nP2 J1 J3 5 100 100 0 Open\n"
                                                       "P9 J1 NOPE 5 100 100 0 Open\n")
    model = tmp_path / "dup.inp"
    model.write_text(text, "utf-8")
    result = importer.import_model(new_map(), model)
    assert result.committed
    errors = {(i.code, i.ref) for i in result.errors}
    assert errors == {("link.duplicate", "P2"), ("link.missing_node", "P9")}
    assert result.segments_written == 4
    assert result.skipped == {"duplicate link": 1, "link with a missing node": 1}
