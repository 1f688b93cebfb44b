"""Kirchhoff and Stolt migration collapse a diffraction hyperbola onto its apex."""

from __future__ import annotations

import math

import numpy as np
import pytest

from pipemap.core.gpr.migration import migrate_kirchhoff, migrate_stolt

DT, DX, V = 0.2, 0.02, 0.1   # ns, m, m/ns
Z, N_SAMPLES, N_TRACES, X0 = 1.0, 256, 201, 100
APEX = int(round(2 * Z / V / DT))  # sample 100
METHODS = {"kirchhoff": migrate_kirchhoff, "stolt": migrate_stolt}


def ricker(t_ns: np.ndarray, freq_mhz: float) -> np.ndarray:
    a = (math.pi * freq_mhz / 1000.0 * t_ns) ** 2
    return (1.0 - 2.0 * a) * np.exp(-a)


def hyperbola_section(freq_mhz: float = 300.0) -> np.ndarray:
    """A Ricker wavelet along t(x) = 2/v sqrt(z^2 + (x - x0)^2)."""
    t = np.arange(N_SAMPLES) * DT
    x = (np.arange(N_TRACES) - X0) * DX
    th = 2.0 / V * np.sqrt(Z * Z + x * x)
    return ricker(t[:, None] - th[None, :], freq_mhz).astype(np.float32)


def green_section(freq_mhz: float = 300.0) -> np.ndarray:
    """A physically modelled 2-D diffraction: the Ricker convolved with the
    2-D Green's function H(t - T) / sqrt(t^2 - T^2), T = 2 r / v, evaluated
    as the integral over phi of w(t - T cosh(phi))."""
    t = np.arange(N_SAMPLES) * DT
    x = (np.arange(N_TRACES) - X0) * DX
    T = 2.0 / V * np.sqrt(Z * Z + x * x)
    phi = np.linspace(0.0, 3.0, 600)
    arrivals = T[None, :] * np.cosh(phi)[:, None]          # phi x traces
    data = np.zeros((N_SAMPLES, N_TRACES))
    for i, ti in enumerate(t):                           # samples loop: test helper only
        data[i] = ricker(ti - arrivals, freq_mhz).sum(axis=0) * (phi[1] - phi[0])
    return data.astype(np.float32)


def envelope(a: np.ndarray) -> np.ndarray:
    n = a.shape[0]
    spec = np.fft.fft(a, axis=0)
    h = np.zeros(n)
    h[0] = 1.0
    h[1:(n + 1) // 2] = 2.0
    if n % 2 == 0:
        h[n // 2] = 1.0
    return np.abs(np.fft.ifft(spec * h[:, None], axis=0))


def focus_ratio(a: np.ndarray, sample: int = APEX, trace: int = X0) -> float:
    """Peak envelope near the apex / RMS envelope of its surroundings."""
    e = envelope(a)
    core = e[sample - 3:sample + 4, trace - 3:trace + 4].max()
    ring = e[sample - 30:sample + 31, trace - 30:trace + 31].copy()
    ring[27:34, 27:34] = np.nan
    return float(core / np.sqrt(np.nanmean(ring ** 2)))


@pytest.fixture(scope="module")
def hyperbola() -> np.ndarray:
    return hyperbola_section()


@pytest.fixture(scope="module")
def green() -> np.ndarray:
    return green_section()


@pytest.mark.parametrize("method", sorted(METHODS))
def test_hyperbola_collapses_onto_its_apex(method, hyperbola):
    before = hyperbola.copy()
    out = METHODS[method](hyperbola, DT, DX, V)
    np.testing.assert_array_equal(hyperbola, before)  # input untouched
    assert out.shape == hyperbola.shape and out.dtype == np.float32
    i, j = np.unravel_index(np.argmax(envelope(out)), out.shape)
    assert abs(i - APEX) <= 2 and abs(j - X0) <= 2
    i_abs, j_abs = np.unravel_index(np.argmax(np.abs(out)), out.shape)
    assert abs(i_abs - APEX) <= 2 and abs(j_abs - X0) <= 2
    # energy focuses: peak / surrounding RMS grows by a large factor
    assert focus_ratio(out) > 4.0 * focus_ratio(hyperbola)
    # far down the flanks (25 traces = 0.5 m off) almost nothing is left
    assert envelope(out)[:, X0 + 25].max() < 0.15 * envelope(out)[APEX, X0]


@pytest.mark.parametrize("method", sorted(METHODS))
def test_physical_diffraction_focuses_to_a_zero_phase_point(method, green):
    data = green.copy()
    out = METHODS[method](data, DT, DX, V)
    trace = out[:, X0]
    peak = int(np.argmax(np.abs(trace)))
    assert abs(peak - APEX) <= 1 and trace[peak] > 0  # same polarity as the wavelet
    # zero phase: symmetric about the peak
    side = trace[peak - 6:peak + 7]
    np.testing.assert_allclose(side, side[::-1], atol=0.1 * trace[peak])


def test_kirchhoff_and_stolt_give_the_same_image(green):
    data = green
    k = migrate_kirchhoff(data, DT, DX, V)
    s = migrate_stolt(data, DT, DX, V)
    win = (slice(APEX - 25, APEX + 26), slice(X0 - 20, X0 + 21))
    assert np.corrcoef(k[win].ravel(), s[win].ravel())[0, 1] > 0.9


@pytest.mark.parametrize("method", sorted(METHODS))
def test_flat_reflector_stays_where_it_is(method):
    t = np.arange(N_SAMPLES) * DT
    data = np.repeat(ricker(t - 20.0, 300.0)[:, None], N_TRACES, axis=1).astype(np.float32)
    out = METHODS[method](data, DT, DX, V)
    inner = out[:, 60:141]
    peaks = np.argmax(envelope(inner), axis=0)
    assert np.all(np.abs(peaks - 100) <= 1)


def test_kirchhoff_with_a_limited_aperture_still_focuses(hyperbola):
    out = migrate_kirchhoff(hyperbola, DT, DX, V, aperture_m=0.6)
    i, j = np.unravel_index(np.argmax(envelope(out)), out.shape)
    assert abs(i - APEX) <= 2 and abs(j - X0) <= 2
    assert focus_ratio(out) > 2.5 * focus_ratio(hyperbola)


@pytest.mark.parametrize("method", sorted(METHODS))
@pytest.mark.parametrize("args", [
    (0.0, DX, V), (DT, 0.0, V), (DT, DX, 0.0), (DT, DX, -0.1), (DT, DX, 0.5), (DT, DX, float("nan")),
])
def test_impossible_parameters_raise(method, args):
    with pytest.raises(ValueError):
        METHODS[method](np.zeros((32, 8), np.float32), *args)


def test_bad_shapes_and_aperture_raise():
    with pytest.raises(ValueError):
        migrate_stolt(np.zeros(32, np.float32), DT, DX, V)
    with pytest.raises(ValueError):
        migrate_kirchhoff(np.zeros((32, 8), np.float32), DT, DX, V, aperture_m=-1.0)


@pytest.mark.parametrize("method", sorted(METHODS))
def test_single_trace_and_tiny_sections_work(method):
    one = np.zeros((64, 1), np.float32)
    one[20, 0] = 1.0
    assert METHODS[method](one, DT, DX, V).shape == (64, 1)
    assert METHODS[method](np.zeros((2, 3), np.float32), DT, DX, V).shape == (2, 3)


def test_kirchhoff_size_for_a_real_line():
    """2000 traces x 512 samples runs (in well under a few seconds; not asserted)."""
    data = np.random.default_rng(0).standard_normal((512, 2000)).astype(np.float32)
    out = migrate_kirchhoff(data, 0.1, 0.05, 0.1)
    assert out.shape == data.shape and np.all(np.isfinite(out))
