"""Longitudinal profiles, cross-sections and their drawings (core.profile).

Every expected number below is computed by hand in the comments.
"""

from __future__ import annotations

import math
import os
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from pipemap.core import profile
from pipemap.core.codes import CATEGORY_BY_CODE
from pipemap.core.errors import InputError

MM = 1e-3  # 1 mm
PERMILLE_TOL = 0.01
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

Pipe = profile.PipeRecord


# --------------------------------------------------------------------------- fixtures


def three_segment_run() -> list[profile.PipeRecord]:
    """A drainage run W1 -> W2 -> W3 -> W4.

    * W1-W2: (0,0) -> (30,40), plan length 50 m, centre 10.000 -> 9.850, D 0.66 / DN 0.60;
    * W2-W3: (30,40) -> (30,60) -> (54,78), plan 20 + 30 = 50 m, centre 9.800 -> 9.675
      (a 0.05 m drop at W2), same pipe;
    * W3-W4: box 1.2 x 0.8 (inner height 0.6), (54,78) -> (54,118), 40 m, centre 9.60 -> 9.52.
    """
    return [
        Pipe.circular("W1-W2", "PS", [(0, 0, 10.0), (30, 40, 9.85)], 0.66, 0.60),
        Pipe.circular("W2-W3", "PS", [(30, 40, 9.80), (30, 60, 9.75), (54, 78, 9.675)], 0.66, 0.60),
        Pipe.box("W3-W4", "PS", [(54, 78, 9.60), (54, 118, 9.52)], 1.2, 0.8, 0.6),
    ]


NODE_GROUND = [12.0, 11.9, 11.8, 11.7]
NODE_LABELS = ["W1", "W2", "W3", "W4"]


def section_pipes() -> list[profile.PipeRecord]:
    """Pipes for the section line (0,0) -> (20,0) -> (20,10) (30 m long).

    * JS1 D0.30 square across x = 4, with a vertex exactly on the line (must count once);
    * PS1 D0.50/DN0.40 from (6,-4, 7.0) to (10,4, 6.6): meets y = 0 at t = 0.5 -> x = 8,
      z = 6.8; direction (4, 8) against (1, 0): angle = acos(4 / sqrt(80)) = 63.4349 deg;
    * DL1 box 1.0 x 0.5 across x = 11 at z 8.5;
    * RQ1 D0.20 crosses twice: (15,-2)->(15,2) at x = 15 (z 9.0, 90 deg), then (15,2,9.0)
      -> (24,5,9.9) meets x = 20 at t = 5/9: y = 2 + 3*5/9 = 3.6667, offset 20 + 3.6667,
      z = 9.0 + 0.9*5/9 = 9.5, angle between (9, 3) and (0, 1) = acos(3 / sqrt(90)) = 71.5651 deg;
    * TX1 runs beside the line and never crosses it.
    """
    return [
        Pipe.circular("JS1", "JS", [(4, -5, 8.0), (4, 0, 8.0), (4, 5, 8.0)], 0.30),
        Pipe.circular("PS1", "PS", [(6, -4, 7.0), (10, 4, 6.6)], 0.50, 0.40),
        Pipe.box("DL1", "DL", [(11, -3, 8.5), (11, 3, 8.5)], 1.0, 0.5),
        Pipe.circular("RQ1", "RQ", [(15, -2, 9.0), (15, 2, 9.0), (24, 5, 9.9)], 0.20),
        Pipe.circular("TX1", "TX", [(0, 5, 9.0), (10, 5, 9.0)], 0.10),
    ]


SECTION_LINE = [(0, 0), (20, 0), (20, 10)]


def plane_10(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return 10.0 + 0.01 * x


# --------------------------------------------------------------------------- inputs


def test_pipe_record_sizes_and_validation():
    pipe = Pipe.circular("a", "js", [(0, 0, 5.0), (3, 4, 5.0)], 0.66, 0.60)
    assert pipe.category == "JS" and pipe.shape == "circular"
    assert pipe.width_m == pipe.height_m == 0.66
    assert pipe.half_height_m == pytest.approx(0.33) and pipe.inner_half_height_m == pytest.approx(0.30)
    assert pipe.plan_length_m == pytest.approx(5.0)
    assert pipe.size_text == "DN600"
    assert Pipe.circular("b", "JS", [(0, 0, 0), (1, 0, 0)], 0.3).inner_half_height_m == pytest.approx(0.15)
    assert Pipe.box("c", "DL", [(0, 0, 0), (1, 0, 0)], 1.2, 0.8).size_text == "1200×800"
    with pytest.raises(ValueError):
        pipe.xyz[0, 0] = 1.0  # stored read-only
    bad = [
        lambda: Pipe.circular("x", "ZZ", [(0, 0, 0), (1, 0, 0)], 0.3),
        lambda: Pipe("x", "JS", [(0, 0, 0), (1, 0, 0)], "oval", 0.3, 0.3),
        lambda: Pipe("x", "JS", [(0, 0, 0), (1, 0, 0)], "circular", 0.3, 0.4),
        lambda: Pipe.circular("x", "JS", [(0, 0, 0)], 0.3),
        lambda: Pipe.circular("x", "JS", [(0, 0), (1, 0)], 0.3),
        lambda: Pipe.circular("x", "JS", [(0, 0, float("nan")), (1, 0, 0)], 0.3),
        lambda: Pipe.circular("x", "JS", [(0, 0, 0), (1, 0, 0)], 0.0),
        lambda: Pipe.circular("x", "JS", [(0, 0, 0), (1, 0, 0)], 0.3, 0.4),
    ]
    for make in bad:
        with pytest.raises(InputError, match="Pipe x"):
            make()


# --------------------------------------------------------------------------- long profile


def test_long_profile_matches_hand_computation():
    lp = profile.long_profile(three_segment_run(), node_ground_m=NODE_GROUND, node_labels=NODE_LABELS)
    nan = math.nan
    assert lp.pipe_ids == ("W1-W2", "W2-W3", "W3-W4")
    assert lp.node_labels == tuple(NODE_LABELS)
    np.testing.assert_allclose(lp.node_chainage_m, [0, 50, 100, 140], atol=MM)
    np.testing.assert_allclose(lp.seg_length_m, [50, 50, 40], atol=MM)
    # slope (fall along the run): 0.15/50, 0.125/50, 0.08/40 -> 3.0, 2.5, 2.0 per mille
    np.testing.assert_allclose(lp.seg_slope_permille, [3.0, 2.5, 2.0], atol=PERMILLE_TOL)
    np.testing.assert_allclose(lp.node_ground_m, NODE_GROUND, atol=MM)
    # columns: IN = end of the arriving segment, OUT = start of the leaving one
    np.testing.assert_allclose(
        lp.node_centre_m, [[nan, 10.0], [9.85, 9.80], [9.675, 9.60], [9.52, nan]], atol=MM)
    np.testing.assert_allclose(  # + 0.33 (D/2), box + 0.40 (H/2)
        lp.node_top_m, [[nan, 10.33], [10.18, 10.13], [10.005, 10.00], [9.92, nan]], atol=MM)
    np.testing.assert_allclose(  # - 0.30 (DN/2), box - 0.30 (inner height / 2)
        lp.node_invert_m, [[nan, 9.70], [9.55, 9.50], [9.375, 9.30], [9.22, nan]], atol=MM)
    np.testing.assert_allclose(  # ground - top
        lp.node_cover_m, [[nan, 1.67], [1.72, 1.77], [1.795, 1.80], [1.78, nan]], atol=MM)
    np.testing.assert_allclose(  # ground - invert
        lp.node_depth_invert_m, [[nan, 2.30], [2.35, 2.40], [2.425, 2.50], [2.48, nan]], atol=MM)
    assert lp.node_top_m[0, profile.OUT] == pytest.approx(10.33, abs=MM)
    assert lp.ground_source == "nodes"
    np.testing.assert_allclose(lp.ground_chainage_m, [0, 50, 100, 140], atol=MM)
    # the intermediate vertex of W2-W3 sits at chainage 50 + 20
    np.testing.assert_allclose(lp.seg_vertex_chainage_m[1], [50, 70, 100], atol=MM)
    assert lp.length_m == pytest.approx(140.0)
    assert [lp.seg_size_text(k) for k in range(3)] == ["DN600", "DN600", "1200×800"]


def test_long_profile_without_any_ground_has_unknown_covers():
    lp = profile.long_profile(three_segment_run())
    assert lp.ground_source == "none"
    assert lp.node_labels == ("N1", "N2", "N3", "N4")
    assert np.all(np.isnan(lp.node_cover_m)) and lp.ground_m.size == 0


def test_mismatched_ends_raise_input_error_naming_both_pipes():
    run = three_segment_run()
    moved = Pipe.circular("W2-W3", "PS", [(30.5, 40, 9.80), (54, 78, 9.675)], 0.66, 0.60)
    with pytest.raises(InputError) as info:
        profile.long_profile([run[0], moved, run[2]])
    assert "W1-W2" in str(info.value) and "W2-W3" in str(info.value)
    # within the 0.01 m tolerance is accepted
    close = Pipe.circular("W2-W3", "PS", [(30.006, 40.006, 9.80), (54, 78, 9.675)], 0.66, 0.60)
    profile.long_profile([run[0], close, run[2]])
    # a reversed segment is named as such
    flipped = Pipe.circular("W2-W3", "PS", [(54, 78, 9.675), (30, 40, 9.80)], 0.66, 0.60)
    with pytest.raises(InputError, match="reversed"):
        profile.long_profile([run[0], flipped])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"node_labels": ["a", "b"]},
        {"node_ground_m": [1.0, 2.0, 3.0]},
        {"step_m": 0},
        {"step_m": -1.0},
    ],
)
def test_long_profile_rejects_bad_arguments(kwargs):
    with pytest.raises(InputError):
        profile.long_profile(three_segment_run(), **kwargs)
    with pytest.raises(InputError):
        profile.long_profile([])


def test_ground_from_a_callable_is_exact_at_nodes_and_along_the_run():
    def plane(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return 50.0 + 0.01 * x

    lp = profile.long_profile(three_segment_run(), ground=plane, node_ground_m=NODE_GROUND, step_m=1.0)
    assert lp.ground_source == "sampler"
    # nodes at x = 0, 30, 54, 54 (the sampler wins over the surveyed values)
    np.testing.assert_allclose(lp.node_ground_m, [50.0, 50.30, 50.54, 50.54], atol=1e-9)
    np.testing.assert_allclose(lp.node_cover_m[0, profile.OUT], 50.0 - 10.33, atol=MM)
    # sampled every metre (plus vertices) from 0 to 140 m
    ch = lp.ground_chainage_m
    assert ch[0] == 0 and ch[-1] == pytest.approx(140.0)
    assert np.all(np.diff(ch) <= 1.0 + 1e-9) and len(ch) == 141
    # on W1-W2 (direction (0.6, 0.8)) x = 0.6 s; on W3-W4 x = 54
    on_first = ch <= 50
    np.testing.assert_allclose(lp.ground_m[on_first], 50.0 + 0.01 * 0.6 * ch[on_first], atol=1e-9)
    np.testing.assert_allclose(lp.ground_m[ch >= 100], 50.54, atol=1e-9)


def test_ground_callable_nan_falls_back_to_surveyed_nodes():
    def partial(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return np.where(x < 1, np.nan, 20.0)

    lp = profile.long_profile(three_segment_run(), ground=partial, node_ground_m=NODE_GROUND)
    np.testing.assert_allclose(lp.node_ground_m, [12.0, 20.0, 20.0, 20.0])


# --------------------------------------------------------------------------- cross-section


def test_cross_section_matches_hand_computation():
    cs = profile.cross_section(SECTION_LINE, section_pipes(), ground=plane_10)
    assert cs.length_m == pytest.approx(30.0)
    ids = [c.pipe_id for c in cs.crossings]
    assert ids == ["JS1", "PS1", "DL1", "RQ1", "RQ1"]  # TX1 does not cross; JS1 counted once
    expected = [
        # offset, x, y, z centre, top, bottom, width, height, angle
        (4.0, 4.0, 0.0, 8.0, 8.15, 7.85, 0.30, 0.30, 90.0),
        (8.0, 8.0, 0.0, 6.8, 7.05, 6.55, 0.50, 0.50, math.degrees(math.acos(4 / math.sqrt(80)))),
        (11.0, 11.0, 0.0, 8.5, 8.75, 8.25, 1.0, 0.5, 90.0),
        (15.0, 15.0, 0.0, 9.0, 9.10, 8.90, 0.20, 0.20, 90.0),
        (20 + 11 / 3, 20.0, 11 / 3, 9.5, 9.60, 9.40, 0.20, 0.20, math.degrees(math.acos(3 / math.sqrt(90)))),
    ]
    for c, (off, x, y, z, top, bottom, w, h, angle) in zip(cs.crossings, expected):
        assert c.offset_m == pytest.approx(off, abs=MM)
        assert (c.x, c.y) == (pytest.approx(x, abs=MM), pytest.approx(y, abs=MM))
        assert c.z_centre_m == pytest.approx(z, abs=MM)
        assert c.top_m == pytest.approx(top, abs=MM) and c.bottom_m == pytest.approx(bottom, abs=MM)
        assert (c.width_m, c.height_m) == (pytest.approx(w), pytest.approx(h))  # true size, not stretched
        assert c.angle_deg == pytest.approx(angle, abs=1e-3)
        # cover = (10 + 0.01 x) - top
        assert c.ground_m == pytest.approx(10.0 + 0.01 * x, abs=MM)
        assert c.cover_m == pytest.approx(10.0 + 0.01 * x - top, abs=MM)
    assert cs.crossings[1].angle_deg == pytest.approx(63.4349, abs=1e-3)
    assert cs.crossings[4].angle_deg == pytest.approx(71.5651, abs=1e-3)
    assert cs.crossings[1].invert_m == pytest.approx(6.8 - 0.2, abs=MM)

    # neighbours: horizontal = |d offset| - w_a/2 - w_b/2; vertical = upper bottom - lower top
    clear = [(cl.pipe_a, cl.pipe_b, cl.horizontal_m, cl.vertical_m, cl.upper_id) for cl in cs.clearances]
    hand = [
        ("JS1", "PS1", 4 - 0.15 - 0.25, 7.85 - 7.05, "JS1"),  # 3.60, 0.80
        ("PS1", "DL1", 3 - 0.25 - 0.50, 8.25 - 7.05, "DL1"),  # 2.25, 1.20
        ("DL1", "RQ1", 4 - 0.50 - 0.10, 8.90 - 8.75, "RQ1"),  # 3.40, 0.15
        ("RQ1", "RQ1", (20 + 11 / 3 - 15) - 0.10 - 0.10, 9.40 - 9.10, "RQ1"),  # 8.4667, 0.30
    ]
    assert len(clear) == len(hand)
    for got, want in zip(clear, hand):
        assert got[:2] == want[:2] and got[4] == want[4]
        assert got[2] == pytest.approx(want[2], abs=MM)
        assert got[3] == pytest.approx(want[3], abs=MM)
    assert [(cl.index_a, cl.index_b) for cl in cs.clearances] == [(0, 1), (1, 2), (2, 3), (3, 4)]
    assert not any(cl.clash for cl in cs.clearances)
    # ground line every 0.5 m, through every crossing
    assert cs.ground_source == "sampler"
    assert np.all(np.diff(cs.ground_offset_m) <= 0.5 + 1e-9)
    assert np.any(np.isclose(cs.ground_offset_m, 20 + 11 / 3))


def test_cross_section_overlap_gives_negative_clearances_and_a_clash():
    pipes = [
        Pipe.circular("A", "GY", [(5, -1, 9.0), (5, 1, 9.0)], 0.30),
        Pipe.circular("B", "GY", [(5.2, -1, 9.15), (5.2, 1, 9.15)], 0.30),
    ]
    cs = profile.cross_section([(0, 0), (10, 0)], pipes)
    (cl,) = cs.clearances
    assert cl.horizontal_m == pytest.approx(0.2 - 0.3, abs=MM)
    assert cl.vertical_m == pytest.approx((9.15 - 0.15) - (9.0 + 0.15), abs=MM)
    assert cl.upper_id == "B" and cl.clash
    assert all(math.isnan(c.cover_m) for c in cs.crossings) and cs.ground_m is None


def test_cross_section_ground_from_points_by_inverse_distance():
    pipe = Pipe.circular("P", "JS", [(5, -2, 8.0), (5, 2, 8.0)], 0.2)
    one = profile.cross_section([(0, 0), (10, 0)], [pipe], ground_points=([3.0], [7.0], [11.0]))
    assert one.ground_source == "points"
    np.testing.assert_allclose(one.ground_m, 11.0)  # a single point: flat ground
    assert one.crossings[0].cover_m == pytest.approx(11.0 - 8.1, abs=MM)
    # two points symmetric about the crossing: equal weights -> the mean; on a point -> its z
    two = profile.cross_section([(0, 0), (10, 0)], [pipe], ground_points=([5, 5], [-1, 1], [10.0, 12.0]))
    assert two.crossings[0].ground_m == pytest.approx(11.0, abs=MM)
    on = profile.cross_section([(0, 0), (10, 0)], [pipe], ground_points=([0, 10], [0, 0], [10.0, 12.0]))
    assert on.ground_m[0] == pytest.approx(10.0) and on.ground_m[-1] == pytest.approx(12.0)
    with pytest.raises(InputError):
        profile.cross_section([(0, 0), (10, 0)], [pipe], ground_points=([0, 1], [0], [1.0]))


def test_cross_section_rejects_a_degenerate_line_and_finds_nothing_when_parallel():
    with pytest.raises(InputError):
        profile.cross_section([(1, 1), (1, 1)], section_pipes())
    with pytest.raises(InputError):
        profile.cross_section([(1, 1)], section_pipes())
    along = profile.cross_section([(0, 5), (10, 5)], [section_pipes()[4]])  # collinear with TX1
    assert along.crossings == () and along.clearances == ()


# --------------------------------------------------------------------------- drawings


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def pixels_near(path: Path, rgb: tuple[int, int, int], tol: int = 6) -> int:
    from matplotlib.image import imread

    img = imread(str(path))  # floats in [0, 1], RGB(A)
    rgb8 = np.round(img[..., :3] * 255).astype(int)
    return int(np.sum(np.all(np.abs(rgb8 - np.array(rgb)) <= tol, axis=-1)))


def test_render_long_profile_writes_png_svg_pdf_atomically(tmp_path, output_dir):
    lp = profile.long_profile(three_segment_run(), ground=lambda x, y: 11.6 + 0.004 * x + 0.25 * np.sin(y / 12),
                              node_labels=NODE_LABELS, step_m=1.0)
    out = profile.render_long_profile(lp, tmp_path / "run.png", title="雨水管 W1–W4 纵断面图",
                                      formats=("png", "svg", "pdf"))
    assert out == [tmp_path / "run.png", tmp_path / "run.svg", tmp_path / "run.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run.pdf", "run.png", "run.svg"]  # no temp file
    width, height = png_size(out[0])
    assert abs(width - 16.54 * 150) <= 1 and abs(height - 11.69 * 150) <= 1  # A3 landscape at 150 dpi
    assert out[1].read_bytes().lstrip().startswith(b"<?xml") and b"</svg>" in out[1].read_bytes()
    assert out[2].read_bytes().startswith(b"%PDF") and b"%%EOF" in out[2].read_bytes()[-64:]
    # the pipe band is drawn in the drainage colour
    assert pixels_near(out[0], CATEGORY_BY_CODE["PS"].rgb) > 5000
    profile.render_long_profile(lp, output_dir / "profile_long.png", title="雨水管 W1–W4 纵断面图（示例）")


def test_render_cross_section_shows_each_category_colour(tmp_path, output_dir):
    cs = profile.cross_section(SECTION_LINE, section_pipes(), ground=plane_10)
    out = profile.render_cross_section(cs, tmp_path / "section", title="横断面 A–A′", formats=["png", "pdf", "svg"])
    assert [p.name for p in out] == ["section.png", "section.pdf", "section.svg"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["section.pdf", "section.png", "section.svg"]
    width, height = png_size(out[0])
    assert width == round(16.54 * 150) and height > 600
    for code in ("JS", "PS", "DL", "RQ"):
        assert pixels_near(out[0], CATEGORY_BY_CODE[code].rgb) > 30, code
    assert all(p.stat().st_size > 1000 for p in out)
    road = road_section()
    profile.render_cross_section(road, output_dir / "profile_cross.png", title="XX路 K0+120 管线综合横断面 A–A′")


def road_section() -> profile.CrossSection:
    """A 36 m road section with stacked drains and two clashing industrial pipes (IDW ground)."""

    def across(pid: str, cat: str, off: float, z: float, size: float | tuple[float, float],
               inner: float | None = None, angle: float = 90.0) -> profile.PipeRecord:
        dx, dy = 5 * math.cos(math.radians(angle)), 5 * math.sin(math.radians(angle))
        xyz = [(off - dx, -dy, z), (off + dx, dy, z)]
        if isinstance(size, tuple):
            return Pipe.box(pid, cat, xyz, size[0], size[1], inner)
        return Pipe.circular(pid, cat, xyz, size, inner)

    pipes = [
        across("DL-01", "DL", 3.0, 9.2, (1.4, 0.9)), across("TX-07", "TX", 5.2, 9.6, 0.11),
        across("JS-12", "JS", 8.0, 8.9, 0.33, 0.30), across("RQ-03", "RQ", 11.5, 9.3, 0.20, angle=70),
        across("PS-W5", "PS", 18.0, 7.4, 1.0, 0.8), across("PS-Y2", "PS", 18.2, 8.3, 0.6, 0.5),
        across("RL-02", "RL", 24.0, 8.6, 0.5), across("GY-01", "GY", 27.5, 9.0, 0.3),
        across("GY-02", "GY", 27.7, 9.15, 0.3), across("TX-08", "TX", 32.0, 9.5, 0.11),
    ]
    points = ([0, 10, 20, 30, 36, 0, 36], [0, 0, 0, 0, 0, 3, -3], [10.4, 10.55, 10.6, 10.5, 10.35, 10.4, 10.3])
    return profile.cross_section([(0, 0), (36, 0)], pipes, ground_points=points)


def test_rendering_without_ground_or_crossings_still_works(tmp_path):
    lp = profile.long_profile([Pipe.circular("S", "QT", [(0, 0, 5.0), (2, 0, 4.0)], 0.3)])
    (png,) = profile.render_long_profile(lp, tmp_path / "steep")
    assert pixels_near(png, (0, 0, 0)) > 100  # a black (QT) pipe is still drawn
    empty = profile.cross_section([(0, 0), (10, 0)], [])
    (png2,) = profile.render_cross_section(empty, tmp_path / "empty.png")
    assert png_size(png2)[0] > 0


def test_unknown_format_raises_and_writes_nothing(tmp_path):
    lp = profile.long_profile(three_segment_run(), node_ground_m=NODE_GROUND)
    cs = profile.cross_section(SECTION_LINE, section_pipes())
    with pytest.raises(InputError, match="jpg"):
        profile.render_long_profile(lp, tmp_path / "x.png", formats=("png", "jpg"))
    with pytest.raises(InputError, match="tiff"):
        profile.render_cross_section(cs, tmp_path / "y", formats="tiff")
    with pytest.raises(InputError):
        profile.render_cross_section(cs, tmp_path / "y", formats=())
    assert list(tmp_path.iterdir()) == []


def test_rendering_is_deterministic_and_leaves_matplotlib_state_alone(tmp_path):
    import matplotlib

    before = dict(matplotlib.rcParams)
    cs = profile.cross_section(SECTION_LINE, section_pipes(), ground=plane_10)
    first = profile.render_cross_section(cs, tmp_path / "a", formats=("png", "svg", "pdf"))
    second = profile.render_cross_section(cs, tmp_path / "b", formats=("png", "svg", "pdf"))
    for one, two in zip(first, second):
        assert one.read_bytes() == two.read_bytes(), one.suffix
    after = dict(matplotlib.rcParams)
    assert {k for k in before if before[k] != after[k]} == set()


def test_a_cjk_font_is_used_when_installed():
    from matplotlib import font_manager

    families = profile._font_families()
    assert families[-1] == "DejaVu Sans"
    try:
        font_manager.findfont(font_manager.FontProperties(family="WenQuanYi Micro Hei"), fallback_to_default=False)
    except ValueError:
        pytest.skip("fonts-wqy-microhei is not installed")
    assert families[0] == "WenQuanYi Micro Hei"


def test_core_profile_never_imports_pyplot(tmp_path):
    """Rendering in a fresh interpreter leaves pyplot (and any GUI backend) unloaded."""
    package_parent = Path(profile.__file__).parent.parent.parent  # the folder holding the pipemap link
    code = (
        "import sys\n"
        "from pipemap.core import profile as p\n"
        "r = [p.PipeRecord.circular('a', 'JS', [(0, 0, 1), (5, 0, 1)], 0.3)]\n"
        f"p.render_long_profile(p.long_profile(r, node_ground_m=[2, 2]), {str(tmp_path / 'lp')!r})\n"
        "bad = [m for m in sys.modules if m == 'matplotlib.pyplot' or m.startswith(('PyQt', 'qgis'))"
        " or m.startswith('matplotlib.backends.backend_qt')]\n"
        "assert not bad, bad\n"
    )
    env = {**os.environ, "PYTHONPATH": str(package_parent), "MPLBACKEND": ""}
    env.pop("MPLBACKEND")
    result = subprocess.run([sys.executable, "-P", "-c", code], env=env, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "lp.png").is_file()
