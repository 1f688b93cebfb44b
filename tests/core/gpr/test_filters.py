"""GPR filters and processing chains on synthetic traces with known answers."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from pipemap.core.errors import InputError
from pipemap.core.gpr import chains
from pipemap.core.gpr import filters as flt
from pipemap.core.gpr.model import Antenna, Radargram

DT = 0.1  # ns


def ricker(t_ns: np.ndarray, freq_mhz: float) -> np.ndarray:
    a = (math.pi * freq_mhz / 1000.0 * t_ns) ** 2
    return (1.0 - 2.0 * a) * np.exp(-a)


def section(n_samples: int = 400, n_traces: int = 120, dt_ns: float = DT, freq_mhz: float = 400.0,
            direct_at: int = 30, flat_at: int | None = 200, hyperbola: tuple[int, int] | None = (60, 280),
            dx_m: float = 0.02, v: float = 0.1, seed: int = 0) -> np.ndarray:
    """Direct wave + optional flat layer + optional point-diffractor hyperbola
    (apex at (trace, sample)) + a little noise; float32 samples x traces."""
    t = np.arange(n_samples) * dt_ns
    data = np.zeros((n_samples, n_traces))
    data += 3.0 * ricker(t - direct_at * dt_ns, freq_mhz)[:, None]
    if flat_at is not None:
        data += 0.5 * ricker(t - flat_at * dt_ns, freq_mhz)[:, None]
    if hyperbola is not None:
        x0, s0 = hyperbola
        t0 = s0 * dt_ns
        z = v * (t0 - direct_at * dt_ns) / 2.0
        x = (np.arange(n_traces) - x0) * dx_m
        th = direct_at * dt_ns + 2.0 / v * np.sqrt(z * z + x * x)
        data += ricker(t[:, None] - th[None, :], freq_mhz)
    data += 0.01 * np.random.default_rng(seed).standard_normal(data.shape)
    return data.astype(np.float32)


def radargram(data: np.ndarray, freq_mhz: float | None = 400.0, fmt: str = "synthetic", **kw) -> Radargram:
    rg = Radargram(path=None, format=fmt, dt_ns=DT, antenna=Antenna("test", freq_mhz), **kw)
    return rg.with_data(data, "synthetic", {})


def rms(a: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(a, dtype=np.float64))))


# --- every function: new float32 array, input untouched, bad input refused ------------------------

CALLS = {
    "zero_mark_samples": lambda d: flt.zero_mark_samples(d, 2),
    "time_zero_shift": lambda d: flt.time_zero_shift(d, DT, 1.3),
    "time_zero_shift_per_trace": lambda d: flt.time_zero_shift(d, DT, np.linspace(0, 2, d.shape[1])),
    "dewow": lambda d: flt.dewow(d, DT, 2.5),
    "remove_background": lambda d: flt.remove_background(d),
    "remove_background_window": lambda d: flt.remove_background(d, 11),
    "gain_power": lambda d: flt.gain_power(d, DT, 1.0),
    "gain_sec": lambda d: flt.gain_sec(d, DT, 0.02, 1.0),
    "gain_agc": lambda d: flt.gain_agc(d, DT, 10.0),
    "bandpass_iir": lambda d: flt.bandpass(d, DT, 100, 800, method="iir"),
    "bandpass_fft": lambda d: flt.bandpass(d, DT, 100, 800, method="fft"),
}


@pytest.mark.parametrize("name", sorted(CALLS))
def test_returns_new_float32_array_and_leaves_input_alone(name):
    data = section(n_traces=40)
    before = data.copy()
    out = CALLS[name](data)
    assert out.dtype == np.float32 and out.shape == data.shape
    assert not np.shares_memory(out, data)
    np.testing.assert_array_equal(data, before)
    assert np.all(np.isfinite(out))


@pytest.mark.parametrize("name", ["dewow", "remove_background", "gain_agc", "bandpass_fft", "time_zero_shift"])
def test_accepts_integer_and_float64_input(name):
    data = section(n_traces=10)
    for arr in (np.round(data * 1000).astype(np.int16), data.astype(np.float64)):
        out = CALLS[name](arr)
        assert out.dtype == np.float32 and out.shape == data.shape


@pytest.mark.parametrize("call", [
    lambda: flt.dewow(np.zeros(10, np.float32), DT, 2.0),             # 1-D
    lambda: flt.dewow(np.zeros((10, 3), np.float32), 0.0, 2.0),       # dt 0
    lambda: flt.dewow(np.zeros((10, 3), np.float32), DT, -1.0),       # negative window
    lambda: flt.dewow(np.zeros((10, 3), np.float32), DT, float("nan")),
    lambda: flt.gain_agc(np.zeros((10, 3), np.float32), DT, 0.0),
    lambda: flt.gain_power(np.zeros((10, 3), np.float32), DT, -1.0),
    lambda: flt.gain_sec(np.zeros((10, 3), np.float32), DT, -0.1),
    lambda: flt.gain_sec(np.zeros((10, 3), np.float32), DT, 0.1, max_gain=0),
    lambda: flt.remove_background(np.zeros((10, 3), np.float32), 0),
    lambda: flt.remove_background(np.zeros((10, 3), np.float32), 2.5),
    lambda: flt.zero_mark_samples(np.zeros((10, 3), np.float32), -1),
    lambda: flt.zero_mark_samples(np.zeros((10, 3), np.float32), 10),
    lambda: flt.zero_mark_samples(np.zeros((10, 3), np.float32), 2, fill="mean"),
    lambda: flt.zero_mark_samples(np.zeros((10, 3), np.float32), "two"),
    lambda: flt.remove_background(np.zeros((10, 3), np.float32), True),
    lambda: flt.time_zero_shift(np.zeros((10, 3), np.float32), DT, [1.0, 2.0]),
    lambda: flt.time_zero_shift(np.zeros((10, 3), np.float32), DT, float("inf")),
    lambda: flt.first_break_ns(np.zeros((10, 3), np.float32), DT, threshold=1.5),
    lambda: flt.default_dewow_window_ns(0.0),
    lambda: flt.bandpass(np.zeros((64, 3), np.float32), DT, 800, 100),           # low > high
    lambda: flt.bandpass(np.zeros((64, 3), np.float32), DT, -10, 100),           # negative
    lambda: flt.bandpass(np.zeros((64, 3), np.float32), DT, 4900, None),         # low at Nyquist
    lambda: flt.bandpass(np.zeros((64, 3), np.float32), DT, None, None),         # nothing
    lambda: flt.bandpass(np.zeros((64, 3), np.float32), DT, 100, 800, order=0),
    lambda: flt.bandpass(np.zeros((64, 3), np.float32), DT, 100, 800, order=2.5),
    lambda: flt.bandpass(np.zeros((64, 3), np.float32), DT, 100, 800, method="fir"),
    lambda: flt.alpha_per_ns_from_db_m(1.0, 0.0),
])
def test_impossible_parameters_raise_value_error(call):
    with pytest.raises(ValueError) as info:
        call()
    assert isinstance(info.value, InputError)  # and PipeMap's coded error
    assert str(info.value)  # a readable message


# --- time zero ----------------------------------------------------------------------------


def test_time_zero_shift_is_exact_to_a_sample():
    data = np.zeros((100, 4), np.float32)
    data[37] = 1.0
    data[99] = 2.0
    out = flt.time_zero_shift(data, DT, 37 * DT)
    assert np.flatnonzero(out[:, 0]).tolist() == [0, 62]
    assert np.all(out[63:] == 0)  # zero padding at the bottom
    # rounded to the nearest sample
    np.testing.assert_array_equal(flt.time_zero_shift(data, DT, 37.4 * DT), out)
    np.testing.assert_array_equal(flt.time_zero_shift(data, DT, 36.6 * DT), out)
    # negative: zeros on top
    down = flt.time_zero_shift(data, DT, -3 * DT)
    assert np.flatnonzero(down[:, 0]).tolist() == [40]
    assert np.all(flt.time_zero_shift(data, DT, 200 * DT) == 0)


def test_time_zero_shift_per_trace_aligns_traces():
    data = np.zeros((50, 3), np.float32)
    for j, s in enumerate([10, 14, 7]):
        data[s, j] = 1.0
    out = flt.time_zero_shift(data, DT, np.array([10, 14, 7]) * DT)
    assert np.all(out[0] == 1.0) and out[1:].sum() == 0


def test_first_break_finds_the_direct_wave_peak():
    data = section(flat_at=None) + np.float32(500.0)  # large DC offset, like raw unsigned data
    t0 = flt.first_break_ns(data, DT)
    assert abs(t0 - 30 * DT) < 0.5 * DT
    # per trace, with a different arrival on every trace
    shifted = flt.time_zero_shift(data - np.float32(500.0), DT, -(np.arange(data.shape[1]) % 5) * DT)
    per = flt.first_break_ns(shifted, DT, per_trace=True)
    np.testing.assert_allclose(per, (30 + np.arange(data.shape[1]) % 5) * DT, atol=0.5 * DT)
    assert flt.first_break_ns(np.zeros((50, 3), np.float32), DT) == 0.0


def test_zero_mark_samples_blanks_counter_words():
    data = np.full((20, 3), 1000.0, np.float32)
    data[0] = 12345.0
    data[1] = 25600.0
    edge = flt.zero_mark_samples(data, 2)
    assert np.all(edge == 1000.0)  # no step against the DC level
    zero = flt.zero_mark_samples(data, 2, fill="zero")
    assert np.all(zero[:2] == 0) and np.all(zero[2:] == 1000.0)
    np.testing.assert_array_equal(flt.zero_mark_samples(data, 0), data)


# --- dewow, background ------------------------------------------------------------------


def test_dewow_removes_a_low_frequency_wow_and_keeps_the_signal():
    n, f = 1000, 400.0
    t = np.arange(n) * DT
    signal = np.sin(2 * np.pi * f / 1000.0 * t)
    wow = 5.0 + 4.0 * np.sin(2 * np.pi * 8.0 / 1000.0 * t + 0.3)  # DC + 8 MHz wow, 9x the signal
    data = np.stack([signal + wow, signal - wow], axis=1).astype(np.float32)
    out = flt.dewow(data, DT, flt.default_dewow_window_ns(f))
    assert flt.default_dewow_window_ns(f) == pytest.approx(2.5)
    inner = slice(20, n - 20)
    err = out[inner, 0] - signal[inner]
    assert rms(err) < 0.05 * rms(signal)
    assert abs(float(out[inner].mean())) < 0.01


def test_remove_background_kills_a_flat_layer_but_not_a_hyperbola():
    flat = section(direct_at=30, flat_at=200, hyperbola=None, seed=1)
    hyp = section(direct_at=30, flat_at=200, hyperbola=(60, 280), seed=1) - flat
    out = flt.remove_background(flat + hyp)
    layer = slice(185, 216)
    # the flat layer (and the direct wave) are gone to the noise level
    assert rms(out[layer, :30]) < 0.05 * rms(flat[layer])
    # the hyperbola's apex survives almost untouched
    apex = np.abs(out[270:291, 55:66]).max()
    assert apex > 0.85 * np.abs(hyp[270:291, 55:66]).max()


def test_moving_background_matches_a_direct_computation():
    rng = np.random.default_rng(3)
    data = rng.standard_normal((30, 25)).astype(np.float32)
    out = flt.remove_background(data, 7)
    ref = np.empty_like(data, dtype=np.float64)
    for j in range(data.shape[1]):
        lo, hi = max(0, j - 3), min(data.shape[1], j + 4)
        ref[:, j] = data[:, j] - data[:, lo:hi].mean(axis=1)
    np.testing.assert_allclose(out, ref, atol=1e-5)
    # a window longer than the line is the full mean
    np.testing.assert_allclose(flt.remove_background(data, 999), flt.remove_background(data), atol=1e-6)


# --- gains ----------------------------------------------------------------------------------


def test_gain_power_and_sec_follow_their_formulas():
    data = np.ones((50, 2), np.float32)
    t = np.maximum(np.arange(50) * DT - 0.5, DT)
    np.testing.assert_allclose(flt.gain_power(data, DT, 2.0, t0_ns=0.5)[:, 0], t ** 2, rtol=1e-5)
    sec = flt.gain_sec(data, DT, alpha_per_ns=0.3, power=1.0, t0_ns=0.5)
    np.testing.assert_allclose(sec[:, 1], t * np.exp(0.3 * t), rtol=1e-5)
    capped = flt.gain_sec(data, DT, alpha_per_ns=10.0, power=0.0, max_gain=100.0)
    assert capped.max() == pytest.approx(100.0)
    # 1 dB/m at 0.1 m/ns: 20 ns of two-way time = 2 m of path = 2 dB
    alpha = flt.alpha_per_ns_from_db_m(1.0, 0.1)
    assert 20 * math.log10(math.exp(alpha * 20.0)) == pytest.approx(2.0)


def test_spherical_gain_restores_a_one_over_t_decay():
    t = np.arange(1, 501) * DT
    events = np.zeros(500)
    for s in (100, 250, 450):
        events += ricker(t - t[s], 400.0) / t[s]  # 1/t spreading
    out = flt.gain_power(events[:, None].astype(np.float32), DT, 1.0, t0_ns=-DT)[:, 0]
    peaks = [np.abs(out[s - 5:s + 6]).max() for s in (100, 250, 450)]
    assert max(peaks) / min(peaks) < 1.05


def test_agc_equalises_amplitudes():
    t = np.arange(600) * DT
    trace = 1.0 * ricker(t - 10.0, 400.0) + 0.01 * ricker(t - 45.0, 400.0)
    data = np.stack([trace, 100.0 * trace], axis=1).astype(np.float32)
    out = flt.gain_agc(data, DT, 5.0)
    strong, weak = np.abs(out[80:120, 0]).max(), np.abs(out[430:470, 0]).max()
    assert 0.67 < strong / weak < 1.5  # 40 dB difference brought to within a factor 1.5
    np.testing.assert_allclose(out[:, 0], out[:, 1], rtol=1e-4, atol=1e-6)  # scale invariant
    silent = flt.gain_agc(np.zeros((50, 2), np.float32), DT, 5.0)
    assert np.all(silent == 0)


def test_fit_sec_gain_recovers_an_exponential_decay():
    rng = np.random.default_rng(5)
    n, m, alpha = 1000, 200, 0.05
    t = np.arange(n) * DT
    envelope = np.exp(-alpha * t) / np.maximum(t, DT)                 # 1/t spreading and attenuation
    data = envelope[:, None] * rng.standard_normal((n, m)) + 1e-4 * rng.standard_normal((n, m))
    data[-50:] = 0.0                                                    # zero padding from a time-zero shift
    fitted_alpha, max_gain = flt.fit_sec_gain(data.astype(np.float32), DT, power=1.0)
    assert fitted_alpha == pytest.approx(alpha, rel=0.2)
    # the gain stops where the decay meets twice the noise floor (~ 1e-4)
    t_floor = t[np.argmax(envelope <= 2e-4)]
    assert max_gain == pytest.approx(t_floor * math.exp(alpha * t_floor), rel=0.5)
    assert flt.fit_sec_gain(np.zeros((50, 4), np.float32), DT) == (0.0, 1e6)


# --- band-pass ------------------------------------------------------------------------------


def sine_block(freqs_mhz, n: int = 4000) -> np.ndarray:
    t = np.arange(n) * DT
    return np.stack([np.sin(2 * np.pi * f / 1000.0 * t) for f in freqs_mhz], axis=1).astype(np.float32)


PASS, STOP = [250.0, 400.0, 500.0], [20.0, 40.0, 2000.0, 3000.0]


@pytest.mark.parametrize("method", ["iir", "fft"])
def test_bandpass_passes_the_band_and_stops_outside(method):
    data = sine_block(PASS + STOP)
    out = flt.bandpass(data, DT, 100.0, 800.0, order=4, method=method)
    inner = slice(800, 3200)  # away from the start/end transients
    amp = np.sqrt(2.0) * np.sqrt(np.mean(out[inner].astype(np.float64) ** 2, axis=0))
    np.testing.assert_allclose(amp[:3], 1.0, atol=0.05)
    assert np.all(20 * np.log10(amp[3:]) < -20.0)
    expected = flt.bandpass_response(np.array(PASS + STOP), DT, 100.0, 800.0, 4)
    np.testing.assert_allclose(amp, expected, atol=0.02)


def test_bandpass_iir_and_fft_agree():
    data = np.concatenate([sine_block(PASS + STOP), section(n_samples=4000, n_traces=3)], axis=1)
    iir = flt.bandpass(data, DT, 100.0, 800.0, method="iir")
    fft = flt.bandpass(data, DT, 100.0, 800.0, method="fft")
    inner = slice(800, 3200)
    assert np.abs(iir[inner] - fft[inner]).max() < 0.02
    # a filtered Ricker is still zero-phase: its peak stays put
    col = data.shape[1] - 1
    assert abs(int(np.argmax(fft[:600, col])) - 30) <= 1
    assert abs(int(np.argmax(iir[:600, col])) - 30) <= 1


def test_bandpass_response_is_minus_6_db_at_the_corners():
    h = flt.bandpass_response(np.array([100.0, 800.0, 0.0, 5000.0]), DT, 100.0, 800.0)
    np.testing.assert_allclose(h, [0.5, 0.5, 0.0, 0.0], atol=1e-9)
    low = flt.bandpass_response(np.array([300.0]), DT, None, 300.0)
    high = flt.bandpass_response(np.array([300.0]), DT, 300.0, None)
    np.testing.assert_allclose([low[0], high[0]], [0.5, 0.5])


def test_bandpass_near_nyquist_warns_and_falls_back_to_highpass():
    data = sine_block([20.0, 400.0])
    with pytest.warns(UserWarning, match="Nyquist"):
        out = flt.bandpass(data, DT, 100.0, 4900.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ref = flt.bandpass(data, DT, 100.0, None)
    np.testing.assert_allclose(out, ref, atol=1e-6)
    with pytest.warns(UserWarning, match="unfiltered"):
        same = flt.bandpass(data, DT, None, 4900.0)
    np.testing.assert_array_equal(same, data)


def test_dominant_frequency_of_a_ricker_section():
    f = flt.dominant_frequency_mhz(section(n_samples=512, freq_mhz=400.0), DT)
    assert 300.0 < f < 500.0


# --- chains -------------------------------------------------------------------------------------


def test_parse_steps_reads_names_arguments_and_presets():
    text = "dewow(window_ns=5); background; gain_agc(window_ns=20); bandpass(low_mhz=100, high_mhz=800)"
    assert chains.parse_steps(text) == [
        ("dewow", {"window_ns": 5}), ("background", {}), ("gain_agc", {"window_ns": 20}),
        ("bandpass", {"low_mhz": 100, "high_mhz": 800}),
    ]
    assert chains.parse_steps("default") == chains.PRESETS["default"]
    assert chains.parse_steps("none") == [] and chains.parse_steps("") == []
    assert chains.parse_steps("Remove_Background(window_traces=None)\nAGC") == [
        ("background", {"window_traces": None}), ("gain_agc", {})]
    assert chains.parse_steps("default; migrate_stolt(velocity_m_ns=0.1)")[-1] == (
        "migrate_stolt", {"velocity_m_ns": 0.1})
    # round trip
    steps = chains.parse_steps(text)
    assert chains.parse_steps(chains.format_steps(steps)) == steps


@pytest.mark.parametrize("text, fragment", [
    ("dewoww(window_ns=5)", "Unknown processing step 'dewoww'"),
    ("dewow(window=5)", "has no argument 'window'"),
    ("dewow(5)", "name=value"),
    ("dewow(window_ns=foo)", "must be a number"),
    ("dewow(window_ns=5", "Cannot read"),
    ("default(x=1)", "takes no arguments"),
    ("1+2", "Cannot read"),
])
def test_parse_steps_errors_are_clear(text, fragment):
    with pytest.raises(InputError, match=fragment.replace("(", r"\(")):
        chains.parse_steps(text)


def test_default_chain_processes_and_records_history():
    data = section(n_samples=400, n_traces=150) + np.float32(800.0)
    data[0] = 4000.0  # counter word
    rg = radargram(data, fmt="dzt", header={"mark_samples": 2})
    out = chains.apply_chain(rg, "default")
    assert [h[0] for h in out.history] == ["synthetic", "zero_marks", "time_zero", "dewow", "background",
                                           "gain_sec", "bandpass"]
    params = dict((h[0], h[1]) for h in out.history)
    assert params["time_zero"]["t0_ns"] == pytest.approx(30 * DT, abs=0.5 * DT)
    assert params["dewow"]["window_ns"] == pytest.approx(2.5)
    assert params["bandpass"]["low_mhz"] == 200.0 and params["bandpass"]["high_mhz"] == 800.0
    assert out.time_zero_ns == 0.0 and out.shape == rg.shape and out.data.dtype == np.float32
    assert np.array_equal(rg.data, data)  # input untouched
    # the hyperbola apex (sample 280 -> 250 after time zero) dominates the flat events
    col = out.data[:, 60]
    assert abs(int(np.argmax(np.abs(col[100:]))) + 100 - 250) <= 3
    # the history replays to the same samples
    replay = chains.apply_chain(rg, [(h[0], h[1]) for h in out.history[1:]])
    np.testing.assert_allclose(replay.data, out.data, rtol=1e-5, atol=1e-6)


def test_chain_without_antenna_frequency_skips_bandpass_with_a_warning():
    rg = radargram(section(n_traces=60), freq_mhz=None)
    out = chains.apply_chain(rg, "default")
    steps = [h[0] for h in out.history]
    assert "bandpass" not in steps and "dewow" in steps
    assert any(w.startswith("bandpass:") and "frequency unknown" in w for w in out.warnings)
    window = dict((h[0], h[1]) for h in out.history)["dewow"]["window_ns"]
    assert 1.8 < window < 3.5  # from the data's dominant frequency (400 MHz -> 2.5 ns)
    assert "zero_marks" not in steps  # not a GSSI file: nothing to blank


def test_strong_preset_equalises_with_agc():
    out = chains.apply_chain(radargram(section(n_traces=80)), "strong")
    assert [h[0] for h in out.history][-2:] == ["bandpass", "gain_agc"]
    assert dict((h[0], h[1]) for h in out.history)["gain_agc"]["window_ns"] == pytest.approx(25.0)


def test_time_zero_without_a_direct_wave_is_left_alone():
    data = section(direct_at=30, flat_at=None, hyperbola=None)
    late = flt.time_zero_shift(data, DT, -250 * DT)  # the "direct wave" now at sample 280 of 400
    out = chains.apply_chain(radargram(late), "time_zero")
    assert [h[0] for h in out.history] == ["synthetic"]
    assert any("time zero left unchanged" in w for w in out.warnings)
    # ... unless the file header puts time zero there
    hinted = chains.apply_chain(radargram(late, time_zero_ns=27.5), "time_zero")
    assert dict((h[0], h[1]) for h in hinted.history)["time_zero"]["t0_ns"] == pytest.approx(28.0, abs=0.05)


def test_chain_errors_name_the_step():
    rg = radargram(section(n_traces=20))
    with pytest.raises(InputError, match="'dewow' failed"):
        chains.apply_chain(rg, "dewow(window_ns=-1)")
    with pytest.raises(InputError, match="velocity"):
        chains.apply_chain(rg, "migrate_stolt")
    with pytest.raises(InputError, match="trace spacing"):
        chains.apply_chain(rg, "migrate_stolt(velocity_m_ns=0.1)")
    with pytest.raises(InputError, match="has no argument"):
        chains.apply_chain(rg, [("dewow", {"width": 3})])


def test_chain_migration_uses_spacing_and_header_permittivity():
    data = section(n_samples=300, n_traces=120, direct_at=0, flat_at=None, hyperbola=(60, 200))
    rg = radargram(data, trace_spacing_m=0.02, header={"epsr": 9.0})
    out = chains.apply_chain(rg, "background; migrate_kirchhoff")
    used = out.history[-1][1]
    assert used["velocity_m_ns"] == pytest.approx(0.299792458 / 3.0) and used["dx_m"] == 0.02


def test_chain_cleans_non_finite_samples_and_honours_cancel():
    from pipemap.core.errors import CancelledError
    from pipemap.core.progress import RecordingProgress

    data = section(n_traces=20)
    data[5, 3] = np.nan
    out = chains.apply_chain(radargram(data), "dewow")
    assert np.all(np.isfinite(out.data)) and any("non-finite" in w for w in out.warnings)
    with pytest.raises(CancelledError):
        chains.apply_chain(radargram(section(n_traces=20)), "default", progress=RecordingProgress(cancel_after=2))


def test_default_chain_runs_on_a_full_size_line():
    """20 000 traces x 512 samples (timing is measured, not asserted here)."""
    rng = np.random.default_rng(0)
    t = np.arange(512) * DT
    data = (3.0 * ricker(t - 3.0, 400.0)[:, None] + 0.1 * rng.standard_normal((512, 20000))).astype(np.float32)
    out = chains.apply_chain(radargram(data), "default")
    assert out.shape == (512, 20000) and len(out.history) == 6
    assert np.all(np.isfinite(out.data[:, ::997]))
