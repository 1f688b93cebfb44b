"""The native picking kernel: C against its numpy twin, ctypes declarations,
argument checking and the loader's fallback (STYLE.md item 15).

Tolerance: the C code accumulates in float32 (the twins in float64), so
results agree to 1e-5 relative (plus 1e-6 absolute for values near zero).
"""

from __future__ import annotations

import ctypes
import logging
import re
from pathlib import Path

import numpy as np
import pytest

from pipemap.core.gpr import kernel
from pipemap.core.gpr.kernel import lib, reference

RTOL, ATOL = 1e-5, 1e-6
SRC = Path(lib.__file__).resolve().parent / "src"

native = pytest.mark.skipif(not kernel.native_available(),
                            reason="native kernel not built (run `make kernel`)")


@pytest.fixture(autouse=True)
def _fresh_loader():
    """Every test starts (and ends) with the loader's cache empty."""
    lib.reset()
    yield
    lib.reset()


def demod_args(seed: int = 1, n_samples: int = 300, n_traces: int = 257):
    rng = np.random.default_rng(seed)
    data = rng.standard_normal((n_samples, n_traces)).astype(np.float32)
    t = np.arange(n_samples) * 0.1
    w = np.hanning(23)[1:-1]
    return data, np.cos(2.0 * t), -np.sin(2.0 * t), w / w.sum()


def aperture_velocity(velocities) -> float:
    """The wrappers' default aperture velocity: the geometric mean."""
    return float(np.exp(np.mean(np.log(velocities))))


def stack_args(seed: int = 2, n_samples: int = 180, n_traces: int = 611):
    rng = np.random.default_rng(seed)
    env = rng.gamma(2.0, 1.0, (n_samples, n_traces)).astype(np.float32)
    velocities = np.geomspace(0.05, 0.17, 9)
    kw = dict(reach_ns=7.5, aperture_max_m=2.5, t_min_ns=1.5, max_side=16, min_weight_fraction=0.4)
    return env, (0.25, -3.0, 0.02, velocities), kw


# --- C and numpy give the same answer --------------------------------------------------


@native
@pytest.mark.parametrize("first,step,n_out", [(0, 1, 300), (-7, 3, 105), (5, 2, 120)])
def test_demodulate_c_matches_numpy(first, step, n_out):
    data, cr, ci, w = demod_args()
    re_c, im_c = kernel.demodulate(data, cr, ci, w, first, step, n_out, use_native=True)
    re_p, im_p = kernel.demodulate(data, cr, ci, w, first, step, n_out, use_native=False)
    assert re_c.dtype == np.float32 and re_c.shape == (n_out, data.shape[1])
    np.testing.assert_allclose(re_c, re_p, rtol=RTOL, atol=ATOL)
    np.testing.assert_allclose(im_c, im_p, rtol=RTOL, atol=ATOL)


def test_demodulate_numpy_is_the_definition():
    """The twin against a direct double loop over the definition."""
    data, cr, ci, w = demod_args(3, 40, 5)
    re_p, im_p = reference.demodulate(data, cr, ci, w, -4, 3, 15)
    h = (w.size - 1) // 2
    for m in range(15):
        for x in range(5):
            acc = 0j
            for j in range(w.size):
                k = -4 + 3 * m + j - h
                if 0 <= k < 40:
                    acc += w[j] * (cr[k] + 1j * ci[k]) * data[k, x]
            assert re_p[m, x] == pytest.approx(acc.real, rel=1e-5, abs=1e-6)
            assert im_p[m, x] == pytest.approx(acc.imag, rel=1e-5, abs=1e-6)


@native
def test_hyperbola_stack_c_matches_numpy():
    env, args, kw = stack_args()
    best_c, idx_c = kernel.hyperbola_stack(env, *args, use_native=True, **kw)
    best_p, idx_p = kernel.hyperbola_stack(env, *args, use_native=False, **kw)
    assert best_c.dtype == np.float32 and idx_c.dtype == np.int32
    assert (best_c > 0).mean() > 0.5  # the comparison is not vacuous
    np.testing.assert_allclose(best_c, best_p, rtol=RTOL, atol=ATOL)
    # the chosen velocity: the same, or one whose stack ties the best
    _, _, all_p = reference.hyperbola_stack(env, *args, aperture_velocity(args[3]), kw["reach_ns"],
                                            kw["aperture_max_m"], kw["t_min_ns"], kw["max_side"],
                                            kw["min_weight_fraction"], return_all=True)
    differ = idx_c != idx_p
    assert differ.mean() < 1e-3
    r, c = np.nonzero(differ)
    np.testing.assert_allclose(all_p[idx_c[r, c], r, c], best_p[r, c], rtol=RTOL, atol=ATOL)
    assert np.all((idx_c == -1) == (best_c == 0))


def test_hyperbola_stack_finds_a_synthetic_hyperbola():
    """A single point diffractor: the stack peaks at its apex and velocity."""
    dt, dx, v_true = 0.25, 0.02, 0.1
    n_s, n_t = 200, 301
    t = np.arange(n_s) * dt
    x = np.arange(n_t) * dx
    t0, x0 = 20.0, 3.0
    curve = np.sqrt(t0 ** 2 + (2 * (x - x0) / v_true) ** 2)
    env = (1.0 + 9.0 * np.exp(-((t[:, None] - curve[None, :]) / 1.0) ** 2)).astype(np.float32)
    velocities = np.array([0.07, 0.085, 0.1, 0.115, 0.13])
    best, idx = kernel.hyperbola_stack(env, dt, 0.0, dx, velocities, reach_ns=7.5, aperture_max_m=2.0,
                                       t_min_ns=1.0)
    r, c = np.unravel_index(np.argmax(best), best.shape)
    assert abs(r * dt - t0) <= dt and abs(c * dx - x0) <= dx
    assert velocities[idx[r, c]] == pytest.approx(v_true)


# --- ctypes declarations ---------------------------------------------------------------


def test_every_declared_function_has_restype_and_argtypes():
    handle = lib.load_library() if kernel.native_available() else None
    for name, (restype, argtypes) in lib.DECLARATIONS.items():
        assert restype is not None, name
        if handle is not None:
            func = getattr(handle, name)
            assert func.restype is restype, name
            assert func.argtypes == argtypes, name


def test_every_c_function_is_declared():
    """Each exported function in src/*.c has a declaration in lib.py."""
    names = set()
    for path in SRC.glob("*.c"):
        names |= set(re.findall(r"^(?:PM_HOT\s+)?int32_t\s+(pm_\w+)\s*\(", path.read_text(), re.MULTILINE))
    assert names and names == set(lib.DECLARATIONS)


@native
@pytest.mark.parametrize("bad", ["float64", "non_contiguous", "ndim"])
def test_wrong_array_raises_argument_error(bad):
    handle = lib.load_library()
    env, (dt, t_first, dx, vel), kw = stack_args(n_samples=40, n_traces=30)
    if bad == "float64":
        env = env.astype(np.float64)
    elif bad == "non_contiguous":
        env = np.asfortranarray(env)
    else:
        env = env.ravel()
    best = np.zeros((40, 30), np.float32)
    idx = np.zeros((40, 30), np.int32)
    with pytest.raises(ctypes.ArgumentError):
        handle.pm_hyperbola_stack(env, 40, 30, dt, t_first, dx, vel, vel.size, 0.1, 7.5, 2.5, 1.5, 16, 0.4,
                                  best, idx)


@native
def test_wrong_output_dtype_raises_argument_error():
    handle = lib.load_library()
    data, cr, ci, w = demod_args(n_samples=50, n_traces=8)
    out_re = np.zeros((50, 8), np.float64)
    out_im = np.zeros((50, 8), np.float32)
    with pytest.raises(ctypes.ArgumentError):
        handle.pm_demodulate(data, 50, 8, cr, ci, w, w.size, 0, 1, 50, out_re, out_im)


@native
def test_c_rejects_impossible_arguments():
    handle = lib.load_library()
    env, (dt, t_first, dx, vel), kw = stack_args(n_samples=40, n_traces=30)
    best = np.zeros((40, 30), np.float32)
    idx = np.zeros((40, 30), np.int32)
    assert handle.pm_hyperbola_stack(env, 40, 30, -1.0, t_first, dx, vel, vel.size, 0.1, 7.5, 2.5, 1.5, 16, 0.4,
                                     best, idx) == -1


def test_wrappers_convert_inputs_and_check_parameters():
    data, cr, ci, w = demod_args(n_samples=30, n_traces=4)
    re_a, _ = kernel.demodulate(data.astype(np.float64), cr, ci, w, 0, 1, 30)  # converted, not rejected
    re_b, _ = kernel.demodulate(np.asfortranarray(data), cr, ci, w, 0, 1, 30)
    np.testing.assert_allclose(re_a, re_b, rtol=RTOL, atol=ATOL)
    with pytest.raises(ValueError, match="odd"):
        kernel.demodulate(data, cr, ci, np.ones(4), 0, 1, 30)
    with pytest.raises(ValueError, match="one value per sample"):
        kernel.demodulate(data, cr[:-1], ci, w, 0, 1, 30)
    env, args, kw = stack_args(n_samples=20, n_traces=10)
    with pytest.raises(ValueError, match="dx_m"):
        kernel.hyperbola_stack(env, args[0], args[1], 0.0, args[3], **kw)
    with pytest.raises(ValueError, match="velocities"):
        kernel.hyperbola_stack(env, args[0], args[1], args[2], [0.1, -0.1], **kw)


# --- the loader ------------------------------------------------------------------------


def test_loader_error_lists_every_path_tried(tmp_path, monkeypatch):
    monkeypatch.setattr(lib, "LIBRARY_DIR", tmp_path)
    monkeypatch.setenv(lib.ENV_VAR, str(tmp_path / "elsewhere.so"))
    with pytest.raises(lib.KernelLoadError) as info:
        lib.load_library()
    tried = [path for path, _ in info.value.tried]
    assert tried == [str(p) for p in lib.candidate_paths()]
    for path in tried:
        assert path in str(info.value)


def test_unloadable_file_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(lib, "LIBRARY_DIR", tmp_path)
    monkeypatch.delenv(lib.ENV_VAR, raising=False)
    for name in lib.LIBRARY_NAMES["linux"]:
        (tmp_path / name).write_bytes(b"not a shared library")
    with pytest.raises(lib.KernelLoadError) as info:
        lib.load_library()
    assert all(reason != "no such file" for _, reason in info.value.tried)


def test_missing_library_falls_back_to_numpy_and_logs_once(tmp_path, monkeypatch, caplog):
    env, args, kw = stack_args(n_samples=30, n_traces=40)
    expected = reference.hyperbola_stack(env, *args, aperture_velocity(args[3]), kw["reach_ns"],
                                         kw["aperture_max_m"], kw["t_min_ns"], kw["max_side"],
                                         kw["min_weight_fraction"])
    monkeypatch.setattr(lib, "LIBRARY_DIR", tmp_path / "nowhere")
    monkeypatch.delenv(lib.ENV_VAR, raising=False)
    with caplog.at_level(logging.INFO, logger=lib.__name__):
        first = kernel.hyperbola_stack(env, *args, **kw)
        second = kernel.hyperbola_stack(env, *args, **kw)
        kernel.demodulate(*demod_args(n_samples=20, n_traces=3), 0, 1, 20)
    assert not kernel.native_available()
    np.testing.assert_array_equal(first[0], expected[0])
    np.testing.assert_array_equal(second[1], expected[1])
    records = [r for r in caplog.records if r.name == lib.__name__]
    assert len(records) == 1
    assert records[0].levelno == logging.WARNING
    assert "numpy" in records[0].getMessage() and str(tmp_path / "nowhere") in records[0].getMessage()


def test_native_required_but_missing_raises(tmp_path, monkeypatch):
    monkeypatch.setattr(lib, "LIBRARY_DIR", tmp_path)
    monkeypatch.delenv(lib.ENV_VAR, raising=False)
    env, args, kw = stack_args(n_samples=20, n_traces=10)
    with pytest.raises(lib.KernelLoadError):
        kernel.hyperbola_stack(env, *args, use_native=True, **kw)


@native
def test_library_from_environment_variable(monkeypatch, tmp_path):
    built = Path(lib.load_library()._name)
    monkeypatch.setattr(lib, "LIBRARY_DIR", tmp_path)
    monkeypatch.setenv(lib.ENV_VAR, str(built))
    lib.reset()
    assert kernel.native_available()
    assert kernel.native_threads() >= 1
