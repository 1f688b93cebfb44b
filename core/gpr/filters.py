"""GPR trace processing: small pure functions on radargram arrays.

Every function takes a ``data`` array of shape (samples, traces) -- one
column per trace, time running down the rows -- and returns a **new**
float32 array of the same shape; the input is never modified. The sample
interval is always an explicit argument (``dt_ns``, nanoseconds), and every
other quantity carries its unit in its name (``window_ns``, ``freq_mhz``,
``t0_ns``). All functions work on the whole array at once (no Python loop
over traces).

Impossible parameters raise :class:`GprParameterError`, which is both a
:class:`ValueError` and a PipeMap :class:`~pipemap.core.errors.InputError`.
A corner frequency at or near the Nyquist frequency does not raise: it is
reported with :func:`warnings.warn` and the filter falls back as documented
in :func:`bandpass`.

The order these steps are usually run in (see :mod:`.chains`): mark samples
zeroed -> time zero -> dewow -> background removal -> gain -> band-pass.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np

from ..errors import InputError

try:  # scipy.fft is several times faster than numpy.fft along axis 0
    import scipy.fft as _fft

    _FFT_KW: dict[str, Any] = {"workers": -1}
except ImportError:  # pragma: no cover - scipy is optional
    _fft = np.fft  # type: ignore[assignment]
    _FFT_KW = {}

try:
    from scipy import signal as _signal
except ImportError:  # pragma: no cover - scipy is optional
    _signal = None

#: corner frequencies at or above this fraction of the Nyquist frequency are
#: "near Nyquist": a high corner there is dropped (high-pass only), a low
#: corner there is an error.
NYQUIST_FRACTION = 0.95

__all__ = [
    "GprParameterError",
    "NYQUIST_FRACTION",
    "alpha_per_ns_from_db_m",
    "bandpass",
    "bandpass_response",
    "default_dewow_window_ns",
    "dewow",
    "dominant_frequency_mhz",
    "first_break_ns",
    "fit_sec_gain",
    "gain_agc",
    "gain_power",
    "gain_sec",
    "remove_background",
    "time_zero_shift",
    "zero_mark_samples",
]


class GprParameterError(InputError, ValueError):
    """A processing parameter is impossible (negative window, corner above
    Nyquist...). Catch it as ``ValueError`` or as PipeMap's ``InputError``."""

    code = "gpr.parameter"


# --- helpers -------------------------------------------------------------


def _as_data(data: Any) -> np.ndarray:
    """``data`` as a 2-D float array (a view when possible, never written to)."""
    arr = np.asarray(data)
    if arr.ndim != 2:
        raise GprParameterError(
            "GPR data must be a 2-D array (samples x traces), not {ndim}-D.", ndim=arr.ndim)
    if not np.issubdtype(arr.dtype, np.floating):
        arr = arr.astype(np.float32)
    return arr


def _positive(value: Any, name: str) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise GprParameterError("{name} must be a number, not {value!r}.", name=name, value=value) from None
    if not math.isfinite(number) or number <= 0:
        raise GprParameterError("{name} must be a positive number, not {value}.", name=name, value=value)
    return number


def _finite(value: Any, name: str, minimum: float | None = None) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise GprParameterError("{name} must be a number, not {value!r}.", name=name, value=value) from None
    if not math.isfinite(number):
        raise GprParameterError("{name} must be a finite number, not {value}.", name=name, value=value)
    if minimum is not None and number < minimum:
        raise GprParameterError("{name} must be at least {minimum}, not {value}.",
                                name=name, minimum=minimum, value=value)
    return number


def _whole(value: Any, name: str, minimum: int, maximum: int | None = None) -> int:
    """A whole number in [minimum, maximum] (bools refused)."""
    try:
        ok = not isinstance(value, bool) and float(value).is_integer()
    except (TypeError, ValueError, OverflowError):
        ok = False
    if not ok or value < minimum or (maximum is not None and value > maximum):
        span = f"from {minimum} to {maximum}" if maximum is not None else f">= {minimum}"
        raise GprParameterError("{name} must be a whole number {span}, not {value!r}.",
                                name=name, span=span, value=value)
    return int(value)


def _window_samples(window: float, step: float, minimum: int = 1) -> int:
    """A window length in samples (odd, at least ``minimum``)."""
    n = max(minimum, int(round(window / step)))
    return n if n % 2 else n + 1


def _running_mean(a: np.ndarray, window: int, axis: int) -> np.ndarray:
    """Centred running mean over ``window`` (odd) elements along ``axis``,
    computed from float64 cumulative sums; near the ends the window shrinks to
    the available elements. Returns float64."""
    n = a.shape[axis]
    half = window // 2
    shape = list(a.shape)
    shape[axis] = n + 1
    csum = np.zeros(shape, dtype=np.float64)

    def along(sl: slice | np.ndarray) -> tuple[Any, ...]:
        idx: list[Any] = [slice(None)] * a.ndim
        idx[axis] = sl
        return tuple(idx)

    np.cumsum(a, axis=axis, dtype=np.float64, out=csum[along(slice(1, None))])
    out = np.empty(a.shape, dtype=np.float64)
    if window <= n:
        # interior: full windows, plain slices (no gather)
        np.subtract(csum[along(slice(window, n + 1))], csum[along(slice(0, n + 1 - window))],
                    out=out[along(slice(half, n - half))])
        out[along(slice(half, n - half))] /= window
        edges = np.r_[0:min(half, n), max(n - half, half):n]
    else:
        edges = np.arange(n)
    if edges.size:
        lo = np.maximum(edges - half, 0)
        hi = np.minimum(edges + half + 1, n)
        count_shape = [1] * a.ndim
        count_shape[axis] = edges.size
        out[along(edges)] = (np.take(csum, hi, axis=axis) - np.take(csum, lo, axis=axis)) / (
            (hi - lo).astype(np.float64).reshape(count_shape))
    return out


def _next_fast_len(n: int) -> int:
    """A length >= n that the FFT handles fast."""
    if hasattr(_fft, "next_fast_len"):
        return int(_fft.next_fast_len(int(n), real=True))
    return int(2 ** math.ceil(math.log2(max(int(n), 1))))


def _time_axis_ns(n_samples: int, dt_ns: float, t0_ns: float) -> np.ndarray:
    """Two-way time (ns) of every sample when time zero is at ``t0_ns``."""
    return np.arange(n_samples, dtype=np.float64) * dt_ns - t0_ns


# --- time zero and header samples -------------------------------------------


def zero_mark_samples(data: np.ndarray, n: int = 2, fill: str = "edge") -> np.ndarray:
    """Blank the first ``n`` samples of every trace.

    GSSI units write a scan counter into sample 0 and user marks into sample 1
    of every scan; these words are not radar data and must go before any
    filtering or first-break search.

    :param data: samples x traces array.
    :param n: number of leading samples to blank (0 returns a copy).
    :param fill: ``"edge"`` (default) copies sample ``n`` of each trace into
        the blanked samples, so no step is created when the trace carries a
        large DC offset (raw unsigned data); ``"zero"`` writes zeros.
    :return: new float32 samples x traces array.
    :raises GprParameterError: ``n`` negative or not less than the number of
        samples, or an unknown ``fill``.
    """
    arr = _as_data(data)
    n = _whole(n, "The number of mark samples", 0)
    if n >= arr.shape[0]:
        raise GprParameterError("Cannot blank {n} mark samples of traces that have only {samples} samples.",
                                n=n, samples=arr.shape[0])
    if fill not in ("edge", "zero"):
        raise GprParameterError("fill must be 'edge' or 'zero', not {fill!r}.", fill=fill)
    out = np.array(arr, dtype=np.float32, copy=True)
    if n:
        out[:n] = out[n] if fill == "edge" else 0.0
    return out


def time_zero_shift(data: np.ndarray, dt_ns: float, t0_ns: float | np.ndarray) -> np.ndarray:
    """Move time zero to the first sample.

    The sample at ``t0_ns`` (rounded to the nearest sample) becomes sample 0;
    the samples above it are dropped and the bottom of the trace is padded
    with zeros, so the shape is unchanged. A negative ``t0_ns`` shifts the
    other way (zeros on top).

    :param data: samples x traces array.
    :param dt_ns: sample interval (ns).
    :param t0_ns: time of the new zero (ns) -- one number, or one per trace
        (1-D array of length traces) to align traces individually.
    :return: new float32 samples x traces array.
    """
    arr = _as_data(data)
    dt = _positive(dt_ns, "dt_ns")
    n, m = arr.shape
    t0 = np.asarray(t0_ns, dtype=np.float64)
    if not np.all(np.isfinite(t0)):
        raise GprParameterError("t0_ns must be finite.")
    if t0.ndim == 0:
        shift = int(round(float(t0) / dt))
        out = np.zeros((n, m), dtype=np.float32)
        if shift >= 0:
            if shift < n:
                out[: n - shift] = arr[shift:]
        elif -shift < n:
            out[-shift:] = arr[: n + shift]
        return out
    if t0.shape != (m,):
        raise GprParameterError("t0_ns must be one number or one per trace ({traces}), not shape {shape}.",
                                traces=m, shape=t0.shape)
    shifts = np.rint(t0 / dt).astype(np.int64)
    rows = np.arange(n)[:, None] + shifts[None, :]
    valid = (rows >= 0) & (rows < n)
    out = np.take_along_axis(arr, np.clip(rows, 0, n - 1), axis=0).astype(np.float32)
    out[~valid] = 0.0
    return out


def first_break_ns(data: np.ndarray, dt_ns: float, threshold: float = 0.2,
                   per_trace: bool = False) -> float | np.ndarray:
    """Arrival time of the direct (air/ground) wave: the time-zero estimate.

    The trace's mean is removed, then the first sample whose absolute
    amplitude exceeds ``threshold`` x the trace's maximum is found (the first
    break) and refined to the strongest peak of the arrival: the largest
    absolute amplitude from the first break over four times the length of the
    first lobe above the threshold (so a weak precursor lobe is skipped), with
    a parabolic sub-sample fit.
    By default this is done once, on the mean trace of the profile (the direct
    wave is flat, so it stacks while noise and dipping events do not).

    :param data: samples x traces array; mark samples (GSSI counter words)
        must have been blanked first (:func:`zero_mark_samples`).
    :param dt_ns: sample interval (ns).
    :param threshold: fraction of the maximum, in (0, 1).
    :param per_trace: one estimate per trace instead of one for the profile.
    :return: time in ns from the first sample (float), or a float64 array of
        length traces with ``per_trace``. A trace that is all constant gives 0.
    """
    arr = _as_data(data)
    dt = _positive(dt_ns, "dt_ns")
    thr = _finite(threshold, "threshold")
    if not 0.0 < thr < 1.0:
        raise GprParameterError("threshold must be between 0 and 1 (exclusive), not {value}.", value=threshold)
    if per_trace:
        traces = arr.astype(np.float64)
    else:
        traces = arr.mean(axis=1, dtype=np.float64)[:, None]
    traces = traces - traces.mean(axis=0, keepdims=True)
    amp = np.abs(traces)
    n = amp.shape[0]
    peak_amp = amp.max(axis=0)
    above = amp > thr * peak_amp[None, :]
    first = np.argmax(above, axis=0)
    rows = np.arange(n)[:, None]
    # end of the first run of "above" samples
    after = (rows >= first[None, :]) & ~above
    end = np.where(after.any(axis=0), np.argmax(after, axis=0), n)
    # the arrival: from the first break over four times the first lobe's length
    # (a wavelet's weak precursor lobe may cross the threshold before its peak)
    stop = first + 4 * np.maximum(end - first, 1)
    in_lobe = (rows >= first[None, :]) & (rows < stop[None, :])
    peak = np.argmax(np.where(in_lobe, amp, -1.0), axis=0)
    # parabolic refinement on |a| around the peak
    cols = np.arange(amp.shape[1])
    prev_ = amp[np.maximum(peak - 1, 0), cols]
    next_ = amp[np.minimum(peak + 1, n - 1), cols]
    here = amp[peak, cols]
    denom = prev_ - 2 * here + next_
    interior = (peak > 0) & (peak < n - 1) & (denom < 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        delta = np.where(interior, 0.5 * (prev_ - next_) / np.where(denom == 0, 1.0, denom), 0.0)
    t = (peak + np.clip(delta, -0.5, 0.5)) * dt
    t = np.where(peak_amp > 0, t, 0.0)
    return t if per_trace else float(t[0])


# --- dewow and background ---------------------------------------------------


def default_dewow_window_ns(freq_mhz: float, periods: float = 1.0) -> float:
    """Dewow window for an antenna: ``periods`` periods of its centre frequency.

    :param freq_mhz: antenna centre frequency (MHz).
    :param periods: window length in periods (default 1: a running mean one
        period long has a zero at the antenna frequency, so the signal band is
        kept while the slow "wow" is removed).
    :return: window length (ns).
    """
    f = _positive(freq_mhz, "freq_mhz")
    return _positive(periods, "periods") * 1000.0 / f


def dominant_frequency_mhz(data: np.ndarray, dt_ns: float) -> float:
    """Peak frequency (MHz) of the profile's mean amplitude spectrum.

    Used as a stand-in for an unknown antenna frequency (dewow window, AGC
    window). Each trace's slow trend (a running mean over a quarter of the
    trace) is removed first, and frequencies below 4 cycles per trace are
    ignored so the wow does not win. At most 512 traces (evenly spaced) are
    looked at.

    :param data: samples x traces array.
    :param dt_ns: sample interval (ns).
    :return: frequency (MHz); 0.0 when the data are constant.
    """
    arr = _as_data(data)
    dt = _positive(dt_ns, "dt_ns")
    n, m = arr.shape
    if n < 8:
        raise GprParameterError("Need at least 8 samples per trace to estimate a frequency, not {n}.", n=n)
    step = max(1, m // 512)
    sub = arr[:, ::step].astype(np.float64)
    sub = sub - _running_mean(sub, _window_samples(n / 4, 1.0, 3), axis=0)
    spec = np.abs(_fft.rfft(sub * np.hanning(n)[:, None], axis=0)).mean(axis=1)
    freqs = _fft.rfftfreq(n, dt / 1000.0)
    spec[: min(4, spec.size)] = 0.0
    if not np.any(spec > 0):
        return 0.0
    return float(freqs[int(np.argmax(spec))])


def dewow(data: np.ndarray, dt_ns: float, window_ns: float) -> np.ndarray:
    """Remove the "wow" (slowly varying offset) of every trace.

    A centred running mean ``window_ns`` long is subtracted from each trace
    (the window shrinks near the trace ends). This also removes any DC offset.
    See :func:`default_dewow_window_ns` for the usual window.

    :param data: samples x traces array.
    :param dt_ns: sample interval (ns).
    :param window_ns: running-mean length (ns); rounded to an odd number of
        samples, at least 3. Windows longer than the trace act as mean removal.
    :return: new float32 samples x traces array.
    """
    arr = _as_data(data)
    dt = _positive(dt_ns, "dt_ns")
    window = _window_samples(_positive(window_ns, "window_ns"), dt, 3)
    window = min(window, 2 * arr.shape[0] + 1)
    trend = _running_mean(arr, window, axis=0)
    np.subtract(arr, trend, out=trend)
    return trend.astype(np.float32)


def remove_background(data: np.ndarray, window_traces: int | None = None) -> np.ndarray:
    """Subtract the background (the mean trace): removes flat, laterally
    continuous events (direct wave, antenna ringing, horizontal layers) and
    keeps dipping ones such as diffraction hyperbolae.

    :param data: samples x traces array.
    :param window_traces: ``None`` (default) subtracts the mean of all traces;
        a number subtracts a centred moving mean over that many traces
        (rounded up to odd, at least 3; shrinking at the line ends), which
        follows slow changes along the line but also attenuates hyperbolae
        wider than the window.
    :return: new float32 samples x traces array.
    """
    arr = _as_data(data)
    if window_traces is None:
        mean = arr.mean(axis=1, dtype=np.float64)
        return np.subtract(arr, mean[:, None], dtype=np.float64).astype(np.float32)
    window = _window_samples(float(_whole(window_traces, "window_traces", 1)), 1.0, 3)
    if window >= 2 * arr.shape[1] - 1:
        return remove_background(arr, None)
    mean = _running_mean(arr, window, axis=1)
    np.subtract(arr, mean, out=mean)
    return mean.astype(np.float32)


# --- gains ------------------------------------------------------------------


def gain_power(data: np.ndarray, dt_ns: float, power: float = 1.0, t0_ns: float = 0.0) -> np.ndarray:
    """Power-of-time gain ``g(t) = t ** power`` (t in ns after time zero).

    ``power=1`` compensates the spherical spreading of amplitudes (1/r),
    ``power=2`` that of energy. Samples at or before time zero get the gain of
    ``t = dt_ns``.

    :param data: samples x traces array.
    :param dt_ns: sample interval (ns).
    :param power: exponent, >= 0.
    :param t0_ns: time of time zero measured from the first sample (ns).
    :return: new float32 samples x traces array.
    """
    return gain_sec(data, dt_ns, alpha_per_ns=0.0, power=power, t0_ns=t0_ns)


def alpha_per_ns_from_db_m(attenuation_db_m: float, velocity_m_ns: float) -> float:
    """Exponential gain constant for an attenuation.

    A wave losing ``attenuation_db_m`` dB per metre travelled at
    ``velocity_m_ns`` decays as ``exp(-alpha * t)`` in two-way time ``t``
    (ns), with ``alpha = attenuation_db_m * velocity_m_ns * ln(10) / 20``.

    :return: alpha (1/ns).
    """
    att = _finite(attenuation_db_m, "attenuation_db_m", 0.0)
    v = _positive(velocity_m_ns, "velocity_m_ns")
    return att * v * math.log(10.0) / 20.0


def gain_sec(data: np.ndarray, dt_ns: float, alpha_per_ns: float = 0.0, power: float = 1.0,
             t0_ns: float = 0.0, max_gain: float = 1e6) -> np.ndarray:
    """Spreading and exponential compensation (SEC) gain
    ``g(t) = t ** power * exp(alpha_per_ns * t)``, t in ns after time zero.

    :param data: samples x traces array.
    :param dt_ns: sample interval (ns).
    :param alpha_per_ns: exponential constant (1/ns), >= 0; see
        :func:`alpha_per_ns_from_db_m` to derive it from dB/m.
    :param power: spreading exponent, >= 0 (1 = spherical spreading).
    :param t0_ns: time of time zero measured from the first sample (ns);
        samples at or before it get the gain of ``t = dt_ns``.
    :param max_gain: the gain is capped here (keeps late noise finite).
    :return: new float32 samples x traces array.
    """
    arr = _as_data(data)
    dt = _positive(dt_ns, "dt_ns")
    alpha = _finite(alpha_per_ns, "alpha_per_ns", 0.0)
    p = _finite(power, "power", 0.0)
    t0 = _finite(t0_ns, "t0_ns")
    cap = _positive(max_gain, "max_gain")
    t = np.maximum(_time_axis_ns(arr.shape[0], dt, t0), dt)
    with np.errstate(over="ignore"):
        log_gain = p * np.log(t) + alpha * t
    gain = np.exp(np.minimum(log_gain, math.log(cap)))
    return (arr * gain[:, None].astype(np.float32)).astype(np.float32, copy=False)


def fit_sec_gain(data: np.ndarray, dt_ns: float, power: float = 1.0, t0_ns: float = 0.0) -> tuple[float, float]:
    """SEC gain parameters fitted to the data's own amplitude decay.

    The profile's RMS amplitude at each time (over all traces, smoothed over
    5 % of the record) is followed from its maximum after time zero down to
    where it reaches twice the noise floor (the median RMS of the deepest 10 %
    of the record, ignoring all-zero samples at the bottom). Over that interval ``ln(rms * t**power)`` is fitted by a
    straight line whose slope gives ``alpha_per_ns`` (>= 0), and ``max_gain``
    is the gain reached where the floor is met, so noise below it is not
    amplified further. Run it on dewowed, background-removed data.

    :param data: samples x traces array.
    :param dt_ns: sample interval (ns).
    :param power: spreading exponent used with the result (>= 0).
    :param t0_ns: time of time zero measured from the first sample (ns).
    :return: ``(alpha_per_ns, max_gain)`` for :func:`gain_sec`.
    """
    arr = _as_data(data)
    dt = _positive(dt_ns, "dt_ns")
    p = _finite(power, "power", 0.0)
    t0 = _finite(t0_ns, "t0_ns")
    n, m = arr.shape
    t = _time_axis_ns(n, dt, t0)
    valid = np.flatnonzero(t > 0)
    if valid.size < 10:
        return 0.0, 1e6
    sub = arr[valid[0]:, :: max(1, m // 2000)]
    power_t = np.mean(np.square(sub, dtype=np.float64), axis=1)
    smooth = _running_mean(power_t[:, None], _window_samples(max(3, sub.shape[0] // 20), 1.0, 3), axis=0)[:, 0]
    live = np.flatnonzero(power_t > 0)  # drop the zero padding a time-zero shift leaves at the bottom
    if live.size < 10:
        return 0.0, 1e6
    rms = np.sqrt(smooth[: live[-1] + 1])
    tt = t[valid[0]:][: rms.size]
    floor = float(np.median(rms[-max(1, rms.size // 10):]))
    half = max(1, rms.size // 2)
    start = int(np.argmax(rms[:half]))
    below = np.flatnonzero(rms[start:] <= 2.0 * floor)
    end = start + int(below[0]) if below.size else rms.size - 1
    alpha = 0.0
    if end - start >= 5 and np.all(rms[start:end + 1] > 0):
        y = np.log(rms[start:end + 1]) + p * np.log(np.maximum(tt[start:end + 1], dt))
        slope = float(np.polyfit(tt[start:end + 1], y, 1)[0])
        alpha = max(0.0, -slope)
    t_end = max(float(tt[end]), dt)
    with np.errstate(over="ignore"):
        max_gain = float(np.exp(min(p * math.log(t_end) + alpha * t_end, 700.0)))
    return round(alpha, 6), float(f"{max(max_gain, 1.0):.6g}")


def gain_agc(data: np.ndarray, dt_ns: float, window_ns: float) -> np.ndarray:
    """Automatic gain control: every sample divided by the RMS amplitude of
    its trace in a centred window ``window_ns`` long (shrinking at the trace
    ends). The output has a local RMS of about 1 everywhere; relative
    amplitudes between events are lost. Where the local RMS is below 1e-6 of
    the whole array's RMS (dead or zero-padded samples) the divisor is held at
    that floor, so silence stays silent.

    :param data: samples x traces array.
    :param dt_ns: sample interval (ns).
    :param window_ns: RMS window (ns); rounded to an odd number of samples,
        at least 3, at most twice the trace length.
    :return: new float32 samples x traces array.
    """
    arr = _as_data(data)
    dt = _positive(dt_ns, "dt_ns")
    window = _window_samples(_positive(window_ns, "window_ns"), dt, 3)
    window = min(window, 2 * arr.shape[0] + 1)
    squared = np.square(arr, dtype=np.float64)
    power = _running_mean(squared, window, axis=0)
    total = float(squared.mean()) if squared.size else 0.0
    floor = max(total * 1e-12, np.finfo(np.float64).tiny)
    np.maximum(power, floor, out=power)
    np.sqrt(power, out=power)
    return np.divide(arr, power, dtype=np.float64).astype(np.float32)


# --- band-pass ----------------------------------------------------------------


def _corners(dt_ns: float, low_mhz: float | None, high_mhz: float | None) -> tuple[float | None, float | None, float]:
    """Validated corners (MHz) and the sampling frequency; warns near Nyquist."""
    dt = _positive(dt_ns, "dt_ns")
    fs = 1000.0 / dt
    nyquist = fs / 2.0
    low = None if low_mhz is None or low_mhz == 0 else _positive(low_mhz, "low_mhz")
    high = None if high_mhz is None else _positive(high_mhz, "high_mhz")
    if low is None and high is None:
        raise GprParameterError("A band-pass needs low_mhz, high_mhz or both.")
    if low is not None and high is not None and low >= high:
        raise GprParameterError("low_mhz ({low}) must be below high_mhz ({high}).", low=low, high=high)
    if low is not None and low >= NYQUIST_FRACTION * nyquist:
        raise GprParameterError(
            "low_mhz ({low}) is at or above {pct}% of the Nyquist frequency ({nyquist:.1f} MHz for "
            "dt_ns={dt}): nothing would pass.", low=low, pct=round(NYQUIST_FRACTION * 100), nyquist=nyquist, dt=dt)
    if high is not None and high >= NYQUIST_FRACTION * nyquist:
        warnings.warn(
            f"high_mhz ({high:g}) is at or above {NYQUIST_FRACTION:.0%} of the Nyquist frequency "
            f"({nyquist:.1f} MHz): " + ("applying a high-pass from low_mhz only." if low is not None
                                         else "nothing to do, the data are returned unfiltered."),
            UserWarning, stacklevel=3)
        high = None
    return low, high, fs


def bandpass_response(freq_mhz: np.ndarray, dt_ns: float, low_mhz: float | None, high_mhz: float | None,
                      order: int = 4) -> np.ndarray:
    """Amplitude response of :func:`bandpass`: the squared magnitude of a
    digital Butterworth filter of ``order`` (bilinear transform with
    pre-warped corners, as ``scipy.signal.butter`` designs it), i.e. the
    response of that filter run forwards and backwards. -6 dB at the corners.

    :param freq_mhz: frequencies (MHz), 0..Nyquist.
    :return: float64 array, same shape as ``freq_mhz``, values in [0, 1].
    """
    f = np.asarray(freq_mhz, dtype=np.float64)
    fs = 1000.0 / _positive(dt_ns, "dt_ns")
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        w = np.tan(np.pi * np.clip(f, 0.0, fs / 2.0) / fs)
        w = np.where(f >= fs / 2.0, np.inf, w)
        if low_mhz and high_mhz:
            w1, w2 = math.tan(math.pi * low_mhz / fs), math.tan(math.pi * high_mhz / fs)
            x = (w * w - w1 * w2) / (w * (w2 - w1))
        elif high_mhz:
            x = w / math.tan(math.pi * high_mhz / fs)
        else:
            x = math.tan(math.pi * low_mhz / fs) / w
        x = np.where(np.isnan(x), np.inf, np.abs(x))
        xn = np.power(x, 2 * order)
        return np.where(np.isinf(xn), 0.0, 1.0 / (1.0 + xn))


def bandpass(data: np.ndarray, dt_ns: float, low_mhz: float | None, high_mhz: float | None,
             order: int = 4, method: str = "auto") -> np.ndarray:
    """Zero-phase Butterworth band-pass along time.

    Two implementations with the same amplitude response
    (:func:`bandpass_response`, -6 dB at each corner):

    * ``"iir"``: ``scipy.signal.sosfiltfilt`` (forward-backward second-order
      sections, odd extension at the trace ends);
    * ``"fft"``: the response applied in the frequency domain to each trace,
      extended at both ends by odd reflection (half a trace each, which also
      guards against circular wrap-around) and zero-padded to a fast FFT
      length; faster than ``"iir"``.

    ``"auto"`` uses ``"iir"`` when scipy.signal is importable, else ``"fft"``.

    Nyquist: with ``high_mhz`` at or above :data:`NYQUIST_FRACTION` x Nyquist
    the high corner is dropped with a warning (high-pass only; with no
    ``low_mhz`` either, an unfiltered copy is returned). ``low_mhz`` there
    is an error. ``low_mhz`` None or 0 gives a low-pass, ``high_mhz`` None a
    high-pass.

    :param data: samples x traces array.
    :param dt_ns: sample interval (ns).
    :param low_mhz: low corner (MHz) or None.
    :param high_mhz: high corner (MHz) or None.
    :param order: Butterworth order (1..10) of the one-way filter; running it
        forwards and backwards doubles the slope (about 12 x order dB per
        octave far from the pass band).
    :param method: ``"auto"``, ``"iir"`` or ``"fft"``.
    :return: new float32 samples x traces array.
    """
    arr = _as_data(data)
    order = _whole(order, "order", 1, 10)
    if method not in ("auto", "iir", "fft"):
        raise GprParameterError("method must be 'auto', 'iir' or 'fft', not {method!r}.", method=method)
    low, high, fs = _corners(dt_ns, low_mhz, high_mhz)
    if low is None and high is None:
        return np.array(arr, dtype=np.float32, copy=True)
    n = arr.shape[0]
    if n < 4:
        raise GprParameterError("A band-pass needs traces of at least 4 samples, not {n}.", n=n)
    if method == "auto":
        method = "iir" if _signal is not None else "fft"
    if method == "iir":
        if _signal is None:
            raise GprParameterError("method='iir' needs scipy.signal, which cannot be imported.")
        if low is not None and high is not None:
            sos = _signal.butter(order, [low, high], btype="bandpass", fs=fs, output="sos")
        elif low is not None:
            sos = _signal.butter(order, low, btype="highpass", fs=fs, output="sos")
        else:
            sos = _signal.butter(order, high, btype="lowpass", fs=fs, output="sos")
        # filtering along contiguous rows (traces x samples) is faster than along axis 0
        rows = np.ascontiguousarray(arr.T)
        out = _signal.sosfiltfilt(sos, rows, axis=-1, padlen=min(n - 1, 3 * (2 * len(sos) + 1)))
        return np.ascontiguousarray(out.T, dtype=np.float32)
    return _bandpass_fft(arr, 1000.0 / fs, low, high, order)


def _bandpass_fft(arr: np.ndarray, dt_ns: float, low: float | None, high: float | None, order: int) -> np.ndarray:
    n = arr.shape[0]
    pad = max(1, min(n - 1, n // 2))
    # odd reflection about the end samples (what filtfilt does), vectorised
    top = 2.0 * arr[:1] - arr[pad:0:-1]
    bottom = 2.0 * arr[-1:] - arr[-2:-pad - 2:-1]
    ext = np.concatenate([top, arr, bottom], axis=0).astype(np.float32, copy=False)
    # the reflected ends are the guard zones against circular wrap-around
    nfft = _next_fast_len(ext.shape[0])
    spec = _fft.rfft(ext, n=nfft, axis=0, **_FFT_KW)
    freqs = np.fft.rfftfreq(nfft, dt_ns / 1000.0)
    response = bandpass_response(freqs, dt_ns, low, high, order).astype(np.float32)
    spec *= response[:, None]
    out = _fft.irfft(spec, n=nfft, axis=0, **_FFT_KW)
    return np.ascontiguousarray(out[pad: pad + n], dtype=np.float32)
