"""Radargram PNG images: size, contrast, axes, picks, decimation, atomic write."""

from __future__ import annotations

import math
import struct

import numpy as np
import pytest
from matplotlib.image import imread

from pipemap.core.gpr import chains
from pipemap.core.gpr.image import MAX_COLUMNS, _display_columns, render_radargram
from pipemap.core.gpr.model import Antenna, Radargram

DT, DX, V = 0.1, 0.02, 0.1


def ricker(t_ns: np.ndarray, freq_mhz: float) -> np.ndarray:
    a = (math.pi * freq_mhz / 1000.0 * t_ns) ** 2
    return (1.0 - 2.0 * a) * np.exp(-a)


def synthetic(n_traces: int = 300, n_samples: int = 400, apex_trace: int = 150, apex_ns: float = 20.0,
              distances: bool = True, seed: int = 0) -> Radargram:
    """Direct wave at 2 ns, a flat layer at 30 ns and a pipe hyperbola."""
    t = np.arange(n_samples) * DT
    x = (np.arange(n_traces) - apex_trace) * DX
    z = V * (apex_ns - 2.0) / 2.0
    th = 2.0 + 2.0 / V * np.sqrt(z * z + x * x)
    data = 3.0 * ricker(t - 2.0, 400.0)[:, None] + 0.3 * ricker(t - 30.0, 400.0)[:, None]
    data = data + ricker(t[:, None] - th[None, :], 400.0)
    data += 0.02 * np.random.default_rng(seed).standard_normal(data.shape)
    extra = {"distance_m": np.arange(n_traces) * DX, "trace_spacing_m": DX} if distances else {}
    rg = Radargram(path=None, format="synthetic", dt_ns=DT, antenna=Antenna("test", 400.0), marks=[30, 150, 270])
    return rg.with_data(data.astype(np.float32), "synthetic", {"seed": seed}, **extra)


def png_size(path) -> tuple[int, int]:
    with open(path, "rb") as handle:
        head = handle.read(33)
    assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR"
    return struct.unpack(">II", head[16:24])


def grey(path) -> np.ndarray:
    img = imread(str(path))
    return img[..., :3].mean(axis=2) if img.ndim == 3 else img


def test_render_processed_radargram_with_picks(output_dir, tmp_path):
    rg = chains.apply_chain(synthetic(), "default")
    # the chain moved time zero to the direct wave (2 ns): the apex is now at 18 ns
    picks = [{"distance_m": 150 * DX, "t0_ns": 18.0, "velocity_m_ns": V}]
    path = render_radargram(rg, tmp_path / "sub" / "line.png", velocity_m_ns=V, picks=picks,
                            title="Synthetic pipe at 3.0 m, 0.9 m deep", height_px=800)
    assert path == tmp_path / "sub" / "line.png" and path.is_file()
    width, height = png_size(path)
    assert height == 800 and 1000 <= width <= 4000
    assert [p.name for p in path.parent.iterdir()] == ["line.png"]  # no temp file left behind
    pixels = grey(path)
    assert pixels.shape == (height, width)
    plot = pixels[int(0.15 * height):int(0.7 * height), int(0.15 * width):int(0.85 * width)]
    assert plot.std() > 0.05  # contrast: the radargram is not blank
    assert (plot < 0.2).mean() > 0.005 and (plot > 0.8).mean() > 0.005  # black and white both present
    example = render_radargram(rg, output_dir / "gpr_radargram_example.png", velocity_m_ns=V, picks=picks,
                               title="Synthetic pipe at 3.0 m, 0.9 m deep (default chain)")
    assert example.is_file()
    migrated = chains.apply_chain(rg, "migrate_stolt(velocity_m_ns=0.1)")
    render_radargram(migrated, output_dir / "gpr_radargram_migrated_example.png", velocity_m_ns=V,
                     title="The same line after Stolt migration (v = 0.1 m/ns)", clip_percentile=99.9)


def orange_pixels(path) -> int:
    img = imread(str(path))[..., :3]
    return int(((img[..., 0] > 0.85) & (np.abs(img[..., 1] - 0.5) < 0.15) & (img[..., 2] < 0.25)).sum())


def test_picks_are_drawn_with_their_hyperbola(tmp_path):
    rg = synthetic()
    plain = render_radargram(rg, tmp_path / "plain.png", width_px=800, height_px=600)
    pick = {"distance_m": 150 * DX, "t0_ns": 20.0, "velocity_m_ns": V}
    apex_only = render_radargram(rg, tmp_path / "apex.png", width_px=800, height_px=600,
                                 picks=[{"distance_m": 150 * DX, "t0_ns": 20.0}])
    curve = render_radargram(rg, tmp_path / "curve.png", width_px=800, height_px=600, picks=[pick])
    assert orange_pixels(plain) == 0
    assert 0 < orange_pixels(apex_only) < orange_pixels(curve)


def test_trace_number_axis_and_picks_by_trace(tmp_path):
    rg = synthetic(distances=False)
    path = render_radargram(rg, tmp_path / "traces.png", picks=[{"trace": 150, "t0_ns": 20.0, "velocity_m_ns": V}])
    assert path.is_file()
    with pytest.raises(ValueError, match="trace"):
        render_radargram(rg, tmp_path / "bad.png", picks=[{"distance_m": 3.0, "t0_ns": 20.0}])


def test_long_lines_are_decimated_for_display(tmp_path):
    cols = _display_columns(20000)
    assert len(cols) <= MAX_COLUMNS and cols[0] == 0 and np.all(np.diff(cols) == cols[1])
    assert len(_display_columns(3000)) == 3000
    rg = synthetic(n_traces=9000, n_samples=128, apex_trace=4500, apex_ns=8.0)
    path = render_radargram(rg, tmp_path / "long.png", height_px=400)
    width, height = png_size(path)
    assert width <= 4000 and height == 400


def test_history_is_written_and_long_histories_are_shortened(tmp_path):
    rg = synthetic(n_traces=50, n_samples=100)
    for _ in range(20):
        rg = rg.with_data(rg.data, "dewow", {"window_ns": 2.5})
    path = render_radargram(rg, tmp_path / "hist.png", height_px=700)
    assert png_size(path)[1] == 700


@pytest.mark.parametrize("kwargs", [
    {"clip_percentile": 0.0}, {"clip_percentile": 120.0}, {"height_px": 50}, {"velocity_m_ns": 0.0},
    {"velocity_m_ns": 1.0},
])
def test_bad_parameters_raise(tmp_path, kwargs):
    with pytest.raises(ValueError):
        render_radargram(synthetic(n_traces=20, n_samples=50), tmp_path / "x.png", **kwargs)
    assert not (tmp_path / "x.png").exists()


def test_existing_file_is_replaced_atomically(tmp_path):
    target = tmp_path / "img.png"
    target.write_bytes(b"old")
    render_radargram(synthetic(n_traces=30, n_samples=60), target)
    assert png_size(target)[1] == 1000
