"""Automatic picking of diffraction hyperbolas (pipes, cables, voids) in GPR B-scans.

Nothing here needs the user to click: :func:`pick_hyperbolas` takes a
:class:`~.model.Radargram` and returns one :class:`Pick` per anomaly with its
position, apex time, velocity (estimated from the hyperbola's shape unless
given), depth of the reflector's top, radius when the shape allows,
amplitude, polarity and a confidence in [0, 1].

Algorithm (every step is in this module; the two hot loops are in the C
kernel, :mod:`.kernel`, with numpy twins):

1. **Dominant frequency** ``f`` (period ``T``): power-weighted mean around
   the peak of the mean spectrum, unless given.
2. **Time zero** (the ground surface) is ``rg.time_zero_ns`` when positive,
   else the first strong arrival of the mean trace (the direct wave); it is
   then moved to the direct wave's envelope peak within a period, because
   apexes are timed at their envelope peaks too: the wavelet's shape
   cancels out.
3. **Complex demodulation** at ``f`` with a triangular window two periods
   long (kernel ``pm_demodulate``): band-pass, dewow, envelope and phase in
   one pass, decimated to about T/10 in time (and averaged to ~1 cm across
   the profile for denser traces).
4. **Background removal** in the demodulated domain: windows of
   ``background_window_m`` (30 wavelengths at 0.1 m/ns, 1.5-5 m) centred
   every quarter window; at each time the mean of the traces whose energy
   is at most the window's median is subtracted. Flat layers, the direct
   wave and antenna ringing are in every trace and vanish; hyperbola tops
   and limbs add energy, so they are left out of the estimate even where
   they fill most of a short profile.
5. **Normalisation**: the envelope is divided by an incoherent background
   level per time (20th percentile of ``|Z(x + 0.25 m) - Z(x)|``, bounded
   between a pooled floor and 4 floors): values are "times the background",
   a gain that needs no attenuation model.
6. **Hyperbola stack** (kernel ``pm_hyperbola_stack``): for every trial
   apex (trace, time) and trial velocity (``n_velocities`` log-spaced
   relative permittivities in ``eps_r_range``, or the given velocity) the
   normalised envelope is averaged along ``t(u) = 2 sqrt(u^2 + z^2) / v``
   with obliquity weights over offsets where the limb drops up to three
   periods below the apex (the same offsets for every velocity); the best
   velocity is kept.
7. **Candidates**: local maxima of the stack (neighbourhood +-0.12 m and
   +-0.6 T, so targets 0.3 m apart stay separate) standing out of the
   stack's median by ``detect_z`` robust deviations or above
   ``detect_level``, plus flat-topped local maxima of the envelope itself
   (an apex whose stack response a stronger neighbour swallows).
8. **Refinement**, strongest first: the limb is tracked (per trace the
   local envelope maximum nearest the predicted time, within half a
   period) while the aperture grows from 1.5 to 5 periods of limb; at each
   step a weighted, outlier-resistant least-squares fit of
   ``t^2 = t0^2 + (2 (x - x0) / v)^2`` (linear in ``t^2``: three
   coefficients give x0, t0 and v) is made with the stack's velocity as a
   soft prior. Then the whole visible limb (8 periods) is tracked and a
   cylinder ``t(u) = 2 (sqrt(u^2 + (d + R)^2) - R) / v`` (scan of
   ``tau = 2R/v``) replaces the point when it fits better by a BIC-like
   margin (``radius_m``, else None). The velocity's uncertainty includes
   the spread over every radius that fits about as well.
9. **Peeling**: each clean pick (confidence >= 0.5) is subtracted from the
   data (a wavelet template measured on its own limb, ringing included)
   before weaker candidates are refined; the peeled envelope is searched
   again, and candidates that failed are retried with the confident picks'
   velocity as prior.
10. **Confidence**: the product of factors that are 1 for a clean
    hyperbola: apex envelope over background, phase coherence of the
    wavelet along the curve, limb coverage and symmetry of both sides, fit
    residual, and a layer test (energy on the horizontal through the apex
    rather than on the limbs means an "apex" on a layer remnant).
11. **Profile velocity**: the weighted median of the confident picks'
    velocities; each pick's own estimate is combined with it by their
    uncertainties (a short or ambiguous hyperbola leans on the profile, a
    long clean one keeps its own, one far from it loses confidence: crossing
    limbs), and its apex and radius are refitted with the combined velocity.
12. **Clean-up**: duplicates (same apex within 0.12 m and 0.75 T),
    "shadows" (a weaker pick less than 4.5 periods under a stronger one at
    the same place whose limb is the stronger one's shifted down: antenna
    ringing, not a second pipe), faint residues of peeling, then surface
    clutter: **picks whose apex is shallower than** ``clutter_depth_m``
    **(default 0.15 m) are never reported** -- at that depth the apex is
    inside the direct wave and cannot be told from road-surface clutter --
    and picks under ``min_confidence``.

Polarity: the phase of the demodulated apex wavelet (stacked over the apex
traces) is compared with the direct wave's phase at time zero: within 90
degrees is +1 (same sign as the direct wave: metal, water-filled), else -1
(opposite: air voids, air-filled plastic). Without a direct wave (a file
cut at time zero) the reference is a positive peak.

Limits: zero-offset geometry (antenna separation ignored); profiles must
cross the target at right angles (an oblique crossing gives a velocity too
high by 1/sin(angle)); the stack assumes an even trace spacing (the fit uses
the true distances); two reflectors closer than about one Fresnel zone,
sqrt(2 z lambda), merge into one low-confidence blend; a target whose limb
runs off the end of the profile is missed; radius and velocity cannot be
told apart on short limbs (then radius is None and the velocity leans on
the profile's).
"""

from __future__ import annotations

import bisect
import logging
import math
import time
from dataclasses import dataclass, field, replace

import numpy as np

from ..errors import InputError
from ..progress import Progress, check_cancel
from . import kernel
from .model import C_M_PER_NS, Radargram

log = logging.getLogger(__name__)

BG_K = 30.0

__all__ = ["Pick", "PickingError", "PickingRun", "bench_picking", "pick_hyperbolas", "prepare", "run_picking"]


class PickingError(InputError, ValueError):
    """The radargram or a picking parameter is unusable."""

    code = "gpr.picking"


@dataclass
class Pick:
    """One hyperbola (a buried reflector crossed by the profile).

    Times are two-way times after time zero (the ground surface), depths
    below the ground. The fitted curve is
    ``t(d) = sqrt(curve_tc_ns^2 + (2 (d - distance_m) / velocity_m_ns)^2) - curve_tau_ns``
    with ``curve_tc_ns = t0_ns + curve_tau_ns`` (see :meth:`curve_time_ns`).
    """

    trace: int  #: index of the trace nearest the apex
    distance_m: float  #: along-line distance of the apex (m)
    x: float | None  #: map x of the apex (rg.x interpolated), None without coordinates
    y: float | None
    t0_ns: float  #: apex two-way time after time zero (ns)
    velocity_m_ns: float  #: wave velocity (m/ns): estimated from the shape, or the given one
    eps_r: float  #: relative permittivity (c / v)^2
    depth_m: float  #: depth of the reflector's top (apex): v t0 / 2 (m)
    radius_m: float | None  #: cylinder radius when the curvature allows, else None
    amplitude: float  #: signed apex amplitude in the input units (sign = polarity)
    polarity: int  #: +1 same sign as the direct wave (metal), -1 opposite (air void)
    confidence: float  #: in [0, 1]; 0.3 is a sensible threshold
    curve_tau_ns: float = 0.0  #: 2 R / v of the fitted curve (0 for a point)
    aperture_m: float = 0.0  #: half-width of the limbs used by the fit (m)
    sample: float = 0.0  #: apex position as a (fractional) sample index of rg.data
    snr: float = 0.0  #: apex envelope over the background level at that time
    coherence: float = 0.0  #: phase coherence of the wavelet along the curve, 0..1
    symmetry: float = 0.0  #: limb coverage of the weaker side over the stronger, 0..1
    fit_rms_ns: float = 0.0  #: weighted RMS time residual of the fit (ns)
    n_points: int = 0  #: limb points used by the fit
    velocity_source: str = "fit"  #: "fit", "profile" (leaned on the profile velocity) or "given"
    velocity_rel_sd: float = 0.0  #: relative standard deviation of the shape velocity estimate
    layer_excess: float = 0.0  #: envelope on the horizontal through the apex minus on the limbs (background units)

    @property
    def curve_tc_ns(self) -> float:
        return self.t0_ns + self.curve_tau_ns

    def curve_time_ns(self, distance_m) -> np.ndarray:
        """Two-way time (after time zero) of the fitted curve at distances (m)."""
        d = np.asarray(distance_m, dtype=np.float64)
        return np.sqrt(self.curve_tc_ns ** 2 + (2.0 * (d - self.distance_m) / self.velocity_m_ns) ** 2) \
            - self.curve_tau_ns


@dataclass
class Prepared:
    """The preprocessed radargram the picker works on (see :func:`prepare`).

    Working grid: ``n_rows`` x ``n_cols``; row m is at ``t_first_ns + m *
    dt_ns`` after time zero, column j at ``distance_m[j]``.
    """

    time_zero_ns: float
    frequency_mhz: float
    period_ns: float
    dt_ns: float  #: working sample interval (ns)
    t_first_ns: float  #: time of working row 0 after time zero (ns)
    dx_m: float  #: working (median) trace spacing (m)
    distance_m: np.ndarray  #: (n_cols,) distance of working columns (m)
    col_trace: np.ndarray  #: (n_cols,) float: the original trace index at each column's centre
    envelope: np.ndarray  #: float32 (n_rows, n_cols) envelope / background level
    magnitude: np.ndarray  #: float32 (n_rows, n_cols) envelope in input units (timing is measured on it)
    analytic: np.ndarray  #: complex64 (n_rows, n_cols) demodulated signal (input units), background removed
    level: np.ndarray  #: float64 (n_rows,) background level (input units of the envelope)
    omega_rad_ns: float  #: carrier angular frequency (rad/ns)
    direct_phase: float  #: phase of the direct wave at time zero (rad)
    has_direct_wave: bool
    decimate_time: int
    decimate_traces: int
    background: np.ndarray  #: complex64 (n_rows, windows) demodulated background (before the trace averaging)
    background_centres: np.ndarray  #: (windows,) trace index of each background window's centre
    amplitude_scale: float  #: envelope -> peak amplitude (exact for a Ricker wavelet)

    @property
    def n_rows(self) -> int:
        return int(self.envelope.shape[0])

    @property
    def n_cols(self) -> int:
        return int(self.envelope.shape[1])

    def row_time_ns(self, rows) -> np.ndarray:
        return self.t_first_ns + np.asarray(rows, dtype=np.float64) * self.dt_ns


@dataclass
class PickingRun:
    """Everything :func:`run_picking` computed: the picks, the preprocessed
    data (whose analytic signal and envelopes hold the residual once the
    picks were peeled off), the stack and the rejected candidates (for
    drawing and debugging)."""

    picks: list[Pick]
    all_picks: list[Pick]  #: every fitted hyperbola before the clean-up (duplicates, shadows, clutter, confidence)
    prepared: Prepared
    stack: np.ndarray  #: float32 (n_rows, n_cols) best hyperbola stack
    stack_index: np.ndarray  #: int32 (n_rows, n_cols) index in velocities_m_ns of the best stack, -1 where none
    velocities_m_ns: np.ndarray  #: the trial velocities of the stack
    candidates: list[tuple[int, int, float]]  #: (row, col, robust z) of every candidate refined
    rejected: list[tuple[float, float, str]] = field(default_factory=list)  #: (distance_m, t0_ns, reason)
    velocity_profile_m_ns: float | None = None  #: the profile velocity (None when given or no picks)
    timings_s: dict[str, float] = field(default_factory=dict)
    native: bool = False  #: the C kernel did the hot loops


def _clip(a, lo, hi):
    """np.clip without its per-call overhead (numpy 1.24), for small arrays
    in the hot paths."""
    return np.minimum(np.maximum(a, lo), hi)


# ---------------------------------------------------------------------------
# preprocessing


def _positions(rg: Radargram) -> np.ndarray:
    n = rg.n_traces
    if rg.distance_m is not None:
        d = np.asarray(rg.distance_m, dtype=np.float64).ravel()
        if d.size != n:
            raise PickingError("The radargram has {n} traces but {m} distances.", n=n, m=d.size)
        if not np.all(np.isfinite(d)):
            raise PickingError("The radargram's trace distances contain NaN or infinite values.")
        if n > 1 and not np.all(np.diff(d) > 0):
            if np.all(np.diff(d) < 0):
                return -d
            raise PickingError("The radargram's trace distances must increase along the profile "
                               "(stops and reversals must be removed first).")
        return d
    if rg.trace_spacing_m and rg.trace_spacing_m > 0:
        return np.arange(n, dtype=np.float64) * float(rg.trace_spacing_m)
    raise PickingError("Picking needs trace positions: the radargram has neither distances nor a trace spacing "
                       "(set TRACE_SPACING_M).")


def dominant_frequency_mhz(data: np.ndarray, dt_ns: float, max_traces: int = 256) -> float:
    """Dominant frequency (MHz): the power-weighted mean frequency within
    half to one and a half times the peak of the mean power spectrum.

    Up to ``max_traces`` evenly chosen traces, despiked (samples over 10
    times the trace's 99th percentile deviation), with their mean and
    linear trend removed and a Tukey taper, are averaged; frequencies below
    three cycles per record (wow) are ignored and the spectrum is smoothed
    over 3 bins before its peak is taken.

    :param data: (samples, traces) array.
    :param dt_ns: sample interval (ns).
    """
    n, m = data.shape
    step = max(1, m // max_traces)
    sub = np.asarray(data[:, ::step], dtype=np.float64)
    # spikes (GSSI scan counter and marks: a few samples, thousands of times
    # the signal) would own the spectrum: zero what exceeds 10 x a trace's
    # 99th percentile (a direct wave fills more than 1 % of the samples)
    dev = np.abs(sub - np.median(sub, axis=0, keepdims=True))
    sub = np.where(dev > 10.0 * np.percentile(dev, 99, axis=0, keepdims=True), np.median(sub, axis=0), sub)
    tt = np.linspace(-1.0, 1.0, n)[:, None]
    sub = sub - sub.mean(axis=0, keepdims=True)
    slope = (sub * tt).sum(axis=0, keepdims=True) / (tt * tt).sum()
    sub = sub - slope * tt
    taper = np.ones(n)  # Tukey: only 5 % at each end, the direct wave near the top must count
    edge = max(1, n // 20)
    ramp = 0.5 - 0.5 * np.cos(np.pi * (np.arange(edge) + 0.5) / edge)
    taper[:edge], taper[-edge:] = ramp, ramp[::-1]
    taper = taper[:, None]
    power = (np.abs(np.fft.rfft(sub * taper, axis=0)) ** 2).mean(axis=1)
    freqs = np.fft.rfftfreq(n, dt_ns) * 1000.0
    smooth = np.convolve(power, np.ones(3) / 3.0, mode="same")
    low = min(max(2, 3), len(power) - 1)
    k = low + int(np.argmax(smooth[low:]))
    band = (freqs >= 0.5 * freqs[k]) & (freqs <= 1.5 * freqs[k])
    if power[band].sum() <= 0:
        return float(freqs[k])
    return float((freqs[band] * power[band]).sum() / power[band].sum())


def _demod_window(period_samples: float) -> tuple[np.ndarray, int]:
    """Triangular window two periods long (odd length), scaled so that a
    tone at the carrier frequency of amplitude A demodulates to |Z| = A."""
    half = max(2, int(round(period_samples)))
    j = np.arange(-(half - 1), half)
    w = (half - np.abs(j)).astype(np.float64)
    return 2.0 * w / w.sum(), half


def _direct_wave(mean_trace: np.ndarray, dt_ns: float, hint_ns: float | None, period_ns: float,
                 omega: float, window: np.ndarray) -> tuple[float, float, bool]:
    """Time zero (sample time, ns from the first sample), direct-wave phase
    and whether a direct wave was found, from the mean trace."""
    n = mean_trace.size
    t = np.arange(n) * dt_ns
    carrier = np.exp(-1j * omega * t)
    z = np.convolve(mean_trace * carrier, window, mode="same")
    env = np.abs(z)
    if env.max() <= 0:
        return (hint_ns or 0.0), 0.0, False
    per = max(1, int(round(period_ns / dt_ns)))
    if hint_ns is None:
        # first strong arrival: the first sample over half the maximum of the
        # record's first half (the direct wave is the strongest early event)
        early = env[: max(per * 4, n // 2)]
        first = int(np.argmax(early >= 0.5 * early.max()))
        lo, hi = first, min(n, first + per + 1)
    else:
        c = int(round(hint_ns / dt_ns))
        lo, hi = max(0, c - per), min(n, c + per + 1)
        if lo >= hi:
            return hint_ns, 0.0, False
    k = lo + int(np.argmax(env[lo:hi]))
    # a real peak (not a window edge on a slope) that stands out of the record
    strong = env[k] >= 0.2 * env.max() and (k not in (lo, hi - 1) or hint_ns is None)
    if hint_ns is not None and not strong:
        return hint_ns, 0.0, False
    if 0 < k < n - 1:
        a, b, c2 = env[k - 1], env[k], env[k + 1]
        den = a - 2 * b + c2
        delta = 0.5 * (a - c2) / den if den < 0 else 0.0
    else:
        delta = 0.0
    tz = (k + float(np.clip(delta, -0.5, 0.5))) * dt_ns
    phase = float(np.angle(z[k]) + omega * k * dt_ns)
    return tz, phase, True



def _background(z: np.ndarray, dx_m: float, window_m: float, smooth_rows: int,
                max_columns: int = 32) -> tuple[np.ndarray, np.ndarray]:
    """Moving background of the demodulated data.

    Windows ``window_m`` long (at least 16 traces, at most the profile),
    centred every quarter window; in each, at each time, the mean of the
    traces whose energy (|Z|^2 averaged over +-smooth_rows rows) is at most
    the window's median energy at that time. Layers, the direct wave and
    ringing are in every trace, so they are the background; hyperbola tops
    and limbs add energy, so the traces they cross are left out even where
    they fill most of a short profile. (A layer dipping by more than about
    a period over the window is left in; the curvature tests reject it.)

    :param z: complex (rows, traces) demodulated data.
    :return: window centres (trace index, float) and the complex64
        (rows, windows) background.
    """
    n_rows, n_t = z.shape
    w = int(np.clip(round(window_m / max(dx_m, 1e-9)), min(n_t, 16), n_t))
    step = max(1, w // 4)
    starts = list(range(0, n_t - w + 1, step))
    if starts[-1] != n_t - w:
        starts.append(n_t - w)
    starts_a = np.asarray(starts)
    m = min(w, max_columns)
    offsets = np.rint(np.linspace(0, w - 1, m)).astype(np.int64)
    idx = (starts_a[:, None] + offsets[None, :]).ravel()
    g = z[:, idx]
    e2 = (g.real.astype(np.float64) ** 2 + g.imag.astype(np.float64) ** 2)
    if smooth_rows > 0:
        cs = np.cumsum(np.pad(e2, ((smooth_rows + 1, smooth_rows), (0, 0)), mode="edge"), axis=0)
        e2 = cs[2 * smooth_rows + 1:] - cs[: -(2 * smooth_rows + 1)]
    e2 = e2.reshape(n_rows, starts_a.size, m)
    g = g.reshape(n_rows, starts_a.size, m)
    sel = e2 <= np.median(e2, axis=2, keepdims=True)
    bg = (np.where(sel, g, 0).sum(axis=2) / np.maximum(sel.sum(axis=2), 1)).astype(np.complex64)
    return starts_a + 0.5 * (w - 1), bg


def _subtract_background(z: np.ndarray, centres: np.ndarray, bg: np.ndarray) -> None:
    """z -= the background, linearly interpolated between window centres
    (constant beyond the first and last), in place."""
    n_t = z.shape[1]
    if centres.size == 1:
        z -= bg[:, :1]
        return
    first = int(np.ceil(centres[0]))
    z[:, :first] -= bg[:, :1]
    for b in range(centres.size - 1):
        lo = int(np.ceil(centres[b]))
        hi = int(np.ceil(centres[b + 1])) if b < centres.size - 2 else n_t
        if hi <= lo:
            continue
        a = np.clip((np.arange(lo, hi) - centres[b]) / (centres[b + 1] - centres[b]), 0.0, 1.0).astype(np.float32)
        z[:, lo:hi] -= bg[:, b:b + 1] * (1.0 - a)[None, :] + bg[:, b + 1:b + 2] * a[None, :]


def _ricker_scale(freq_mhz: float, dt_ns: float, window: np.ndarray) -> float:
    """Peak value / demodulated envelope of a Ricker wavelet of the
    demodulation frequency: converts an envelope to a peak amplitude."""
    half = len(window) // 2 + int(round(3000.0 / freq_mhz / dt_ns))
    t = (np.arange(2 * half + 1) - half) * dt_ns
    a = (math.pi * freq_mhz / 1000.0 * t) ** 2
    w = (1.0 - 2.0 * a) * np.exp(-a)
    omega = 2.0 * math.pi * freq_mhz / 1000.0
    z = np.abs(np.sum(w[half - len(window) // 2: half + len(window) // 2 + 1]
                      * np.exp(-1j * omega * t[half - len(window) // 2: half + len(window) // 2 + 1]) * window))
    return float(1.0 / z) if z > 0 else 1.0


def prepare(rg: Radargram, *, frequency_mhz: float | None = None, time_zero_ns: float | None = None,
            background_window_m: float | None = None, use_native: bool | None = None) -> Prepared:
    """Steps 1-5 of the picker: dominant frequency, time zero, complex
    demodulation, background removal and normalisation (see the module text).

    :param rg: the radargram (data float32 samples x traces).
    :param frequency_mhz: demodulation frequency; default: measured.
    :param time_zero_ns: time of the ground surface from the first sample;
        default: ``rg.time_zero_ns`` when positive, else the direct wave.
    :param background_window_m: length of profile (m) over which the
        background is estimated; default 30 wavelengths at 0.1 m/ns (3.3 m at
        900 MHz), between 1.5 and 5 m, so that a layer dipping by a few
        tenths of a per cent still looks flat within the window.
    """
    if rg.n_traces < 3 or rg.n_samples < 16:
        raise PickingError("Picking needs at least 3 traces and 16 samples, not {t} x {s}.",
                           t=rg.n_traces, s=rg.n_samples)
    dt = float(rg.dt_ns)
    if not (math.isfinite(dt) and dt > 0):
        raise PickingError("The sample interval must be positive, not {dt} ns.", dt=rg.dt_ns)
    if background_window_m is not None and not (background_window_m > 0):
        raise PickingError("background_window_m must be positive, not {w}.", w=background_window_m)
    data = rg.data
    if not np.all(np.isfinite(data[:, :: max(1, rg.n_traces // 64)])):
        data = np.nan_to_num(data, nan=0.0, posinf=0.0, neginf=0.0)
    n_s, n_t = data.shape
    dist = _positions(rg)
    dx = float(np.median(np.diff(dist))) if n_t > 1 else 1.0

    f = float(frequency_mhz) if frequency_mhz else dominant_frequency_mhz(data, dt)
    nyquist = 500.0 / dt
    if not (0 < f < nyquist):
        raise PickingError("The frequency {f} MHz is outside (0, {ny}) MHz for this sample interval.",
                           f=round(f, 3), ny=round(nyquist, 3))
    period = 1000.0 / f
    omega = 2.0 * math.pi * f / 1000.0
    window, half = _demod_window(period / dt)

    # 1. time zero and the direct wave's phase
    mean_trace = data.mean(axis=1, dtype=np.float64)
    # a 7-sample running median drops spikes up to 3 samples long (GSSI's
    # scan counter and mark words in the first samples) but not a direct wave
    if n_s > 7:
        padded = np.pad(mean_trace, 3, mode="reflect")
        mean_trace = np.median(np.lib.stride_tricks.sliding_window_view(padded, 7), axis=1)
    mean_trace = mean_trace - mean_trace.mean()
    if time_zero_ns is not None:
        hint = float(time_zero_ns)
    elif rg.time_zero_ns and rg.time_zero_ns > 0:
        hint = float(rg.time_zero_ns)
    else:
        hint = None
    tz, direct_phase, has_direct = _direct_wave(mean_trace, dt, hint, period, omega, window)
    if time_zero_ns is not None:  # an explicit time zero is used as is
        tz = float(time_zero_ns)

    # 2. demodulation (decimated in time to ~T/10)
    q = max(1, int(round(period / dt)) // 8)
    n_rows = (n_s - 1) // q + 1
    tk = np.arange(n_s) * dt
    c_re, c_im = np.cos(omega * tk), -np.sin(omega * tk)
    z_re, z_im = kernel.demodulate(data, c_re, c_im, window, 0, q, n_rows, use_native=use_native)
    z = z_re.astype(np.complex64)
    z.imag = z_im
    del z_re, z_im

    # 3. background removal in the demodulated domain
    if background_window_m is None:
        background_window_m = float(np.clip(BG_K * 0.1 * period, 1.5, 5.0))
    centres, background = _background(z, dx, background_window_m, max(1, int(round(0.5 * period / (dt * q)))))
    _subtract_background(z, centres, background)

    # dense profiles: average complex traces to ~1 cm columns
    p = max(1, int(math.floor(0.01 / dx))) if dx > 0 else 1
    if p > 1:
        m = n_t // p
        z = z[:, : m * p].reshape(n_rows, m, p).mean(axis=2)
        col_trace = np.arange(m) * p + 0.5 * (p - 1)
        col_dist = dist[: m * p].reshape(m, p).mean(axis=1)
    else:
        col_trace = np.arange(n_t, dtype=np.float64)
        col_dist = dist
    dx_w = dx * p

    # 4. normalisation by the incoherent background level at each time:
    # |Z(x + L) - Z(x)| / sqrt(2), L ~ 0.25 m, over the profile; noise and
    # soil texture count, coherent events (layer remnants, the flat tops of
    # hyperbolas) cancel. Its 20th percentile, scaled to the median of a
    # Rayleigh variable (x 1.7626), is the level: limbs crossing up to
    # half of a short profile's traces at some time do not raise it.
    mag = np.abs(z)
    n_cols = z.shape[1]
    lag = max(1, int(round(0.25 / dx_w)))
    stride = max(1, n_cols // 2048)
    if n_cols > lag + 8:
        sample = np.abs(z[:, lag::stride] - z[:, : n_cols - lag: stride]) * np.float32(1.0 / math.sqrt(2.0))
    else:
        sample = mag[:, ::stride]
    k20 = max(0, int(0.2 * sample.shape[1]) - 1)
    level = 1.7626 * np.partition(sample, k20, axis=1)[:, k20].astype(np.float64)
    per_rows = max(1, int(round(period / (dt * q))))
    kern = np.ones(2 * per_rows + 1) / (2 * per_rows + 1)
    level = np.convolve(np.pad(level, per_rows, mode="edge"), kern, mode="valid")
    # a floor pooled over the whole record below the direct wave, and a
    # ceiling of 4 floors: in a short profile the limbs of one hyperbola
    # can fill a fifth of the traces at every time under its apex
    below = np.arange(n_rows) * q * dt - tz >= period
    pooled = sample[below] if below.any() else sample
    kp = max(0, int(0.2 * pooled.size) - 1)
    floor = 1.7626 * float(np.partition(pooled.ravel(), kp)[kp]) if pooled.size else 0.0
    floor = max(floor, 1e-6 * float(mag.max()), float(np.finfo(np.float32).tiny))
    level = np.clip(level, floor, 4.0 * floor)
    envelope = mag * (1.0 / level).astype(np.float32)[:, None]
    analytic = z
    return Prepared(time_zero_ns=tz, frequency_mhz=f, period_ns=period, dt_ns=dt * q, t_first_ns=-tz,
                    dx_m=dx_w, distance_m=col_dist, col_trace=col_trace, envelope=envelope, magnitude=mag,
                    analytic=analytic,
                    level=level, omega_rad_ns=omega, direct_phase=direct_phase, has_direct_wave=has_direct,
                    decimate_time=q, decimate_traces=p, background=background, background_centres=centres,
                    amplitude_scale=_ricker_scale(f, dt, window))


# ---------------------------------------------------------------------------
# candidates


def _local_maxima(img: np.ndarray, mask: np.ndarray, hr: int, hc: int) -> tuple[np.ndarray, np.ndarray]:
    """Rows and columns of the cells in ``mask`` that are the maximum of
    their (2hr+1) x (2hc+1) neighbourhood of ``img`` (ties kept). Only the
    masked cells are examined, so a sparse mask is cheap on a large image."""
    n_r, n_c = img.shape
    m = mask.copy()  # first the 4 direct neighbours, on the whole image
    m[1:, :] &= img[1:, :] >= img[:-1, :]
    m[:-1, :] &= img[:-1, :] >= img[1:, :]
    m[:, 1:] &= img[:, 1:] >= img[:, :-1]
    m[:, :-1] &= img[:, :-1] >= img[:, 1:]
    rr, cc = np.nonzero(m)
    if rr.size == 0:
        return rr, cc
    vals = img[rr, cc]
    keep = np.ones(rr.size, dtype=bool)
    for dr in range(-hr, hr + 1):
        r2 = _clip(rr + dr, 0, n_r - 1)
        for dc in range(-hc, hc + 1):
            if dr == 0 and dc == 0:
                continue
            keep &= img[r2, _clip(cc + dc, 0, n_c - 1)] <= vals
    return rr[keep], cc[keep]


# ---------------------------------------------------------------------------
# refinement


@dataclass
class _Fit:
    x0: float
    t0: float
    v: float
    tau: float
    rms: float
    v_rel_sd: float
    n: int
    ok: bool


def _fit_batch(x: np.ndarray, t: np.ndarray, sd: np.ndarray, taus: np.ndarray, prior_v: tuple[float, float] | None,
               fixed_v: float | None, x_ref: float, iterations: int = 4, keep: np.ndarray | None = None):
    """Robust weighted fits of ``(t + tau)^2 = c0 + c1 u + c2 u^2``,
    ``u = x - x_ref``, for every tau at once (closed-form normal equations).

    ``c2 = 4 / v^2`` is fixed when ``fixed_v`` is given, else it may have a
    Gaussian prior from ``prior_v = (v, relative sd of v)``. Each fit is
    repeated (up to ``iterations`` times) without the points beyond 3
    robust standard deviations; ``keep`` (n,) sets the points of the first
    pass (all by default).

    :param x, t, sd: (n,) limb points: distance (m), time (ns), time sd (ns).
    :param taus: (K,) values of tau = 2R/v (ns).
    :return: dict of (K,) arrays x0, t0, v, v_rel_sd, rms, loss (robust
        misfit over all points), valid, and the (K, n) mask of points kept.
    """
    taus = np.asarray(taus, dtype=np.float64)
    K, n = taus.size, x.size
    u = x - x_ref
    tt = t[None, :] + taus[:, None]
    y = tt * tt
    w_all = 1.0 / (2.0 * np.maximum(tt, 1e-6) * sd[None, :]) ** 2
    keep = np.ones((K, n), dtype=bool) if keep is None else np.repeat(np.asarray(keep, bool)[None, :], K, axis=0)
    u1, u2 = u[None, :], (u * u)[None, :]
    if prior_v is not None and fixed_v is None:
        c2p = 4.0 / prior_v[0] ** 2
        pw = 1.0 / (2.0 * prior_v[1] * c2p) ** 2
    else:
        c2p, pw = 0.0, 0.0
    out = {}
    while True:
        w = np.where(keep, w_all, 0.0)
        s0 = w.sum(1)
        s1 = (w * u1).sum(1)
        s2 = (w * u2).sum(1)
        if fixed_v is not None:
            c2 = np.full(K, 4.0 / fixed_v ** 2)
            yy = y - c2[:, None] * u2
            b0 = (w * yy).sum(1)
            b1 = (w * yy * u1).sum(1)
            det = s0 * s2 - s1 * s1
            with np.errstate(divide="ignore", invalid="ignore"):
                c0 = (b0 * s2 - b1 * s1) / det
                c1 = (s0 * b1 - s1 * b0) / det
            var_c2 = np.zeros(K)
        else:
            s3 = (w * u1 * u2).sum(1)
            s4 = (w * u2 * u2).sum(1) + pw
            b0 = (w * y).sum(1)
            b1 = (w * y * u1).sum(1)
            b2 = (w * y * u2).sum(1) + pw * c2p
            # symmetric 3x3 [[s0 s1 s2] [s1 s2 s3] [s2 s3 s4]]: cofactors
            m00 = s2 * s4 - s3 * s3
            m01 = s1 * s4 - s3 * s2
            m02 = s1 * s3 - s2 * s2
            m11 = s0 * s4 - s2 * s2
            m12 = s0 * s3 - s1 * s2
            m22 = s0 * s2 - s1 * s1
            det = s0 * m00 - s1 * m01 + s2 * m02
            with np.errstate(divide="ignore", invalid="ignore"):
                c0 = (b0 * m00 - b1 * m01 + b2 * m02) / det
                c1 = (-b0 * m01 + b1 * m11 - b2 * m12) / det
                c2 = (b0 * m02 - b1 * m12 + b2 * m22) / det
                var_c2 = m22 / det
        with np.errstate(divide="ignore", invalid="ignore"):
            x0r = -c1 / (2.0 * c2)
            tc2 = c0 - c2 * x0r * x0r
            valid = np.isfinite(det) & (det > 0) & (c2 > 0) & (tc2 > 0) & np.isfinite(c0)
            model = np.sqrt(np.maximum(c0[:, None] + c1[:, None] * u1 + c2[:, None] * u2, 0.0)) - taus[:, None]
        r = (t[None, :] - model) / sd[None, :]
        if iterations > 1:
            mad = np.ones(K)
            for i in range(K):
                rk = np.sort(r[i][keep[i]])
                if rk.size:
                    mad[i] = np.sort(np.abs(rk - rk[rk.size // 2]))[rk.size // 2]
            scale = np.maximum(1.4826 * mad, 1.0)
            new_keep = np.abs(r) <= 3.0 * scale[:, None]
            new_keep &= valid[:, None]
            enough = new_keep.sum(1) >= (3 if fixed_v is not None else 4)
            new_keep = np.where(enough[:, None], new_keep, keep)
        with np.errstate(invalid="ignore", divide="ignore"):
            wk = np.where(keep, 1.0 / sd[None, :] ** 2, 0.0)
            rms = np.sqrt(((t[None, :] - model) ** 2 * wk).sum(1) / np.maximum(wk.sum(1), 1e-300))
            v = 2.0 / np.sqrt(c2)
            t0 = np.sqrt(np.maximum(tc2, 0.0)) - taus
            v_rel_sd = 0.5 * np.sqrt(np.maximum(var_c2, 0.0)) / c2
        out = {"x0": x0r + x_ref, "t0": t0, "v": v, "v_rel_sd": v_rel_sd, "rms": rms, "valid": valid & (t0 > 0),
               "keep": keep, "loss": np.minimum(r * r, 9.0).sum(1), "n": keep.sum(1)}
        if iterations <= 1 or np.array_equal(new_keep, keep):
            break
        iterations -= 1
        keep = new_keep
    return out


def _fit_one(x, t, sd, tau, prior_v, fixed_v, x_ref, iterations: int = 4) -> tuple[_Fit, np.ndarray] | None:
    """One robust fit (the single-tau case of :func:`_fit_batch`, with
    plain dot products and a scalar 3x3 solve: it runs thousands of times).

    :return: the fit and the (n,) mask of points kept, or None when it is
        invalid (no positive curvature, no real apex, too few points).
    """
    need = 3 if fixed_v is not None else 4
    n = x.size
    if n < need:
        return None
    u = x - x_ref
    u2 = u * u
    u3 = u2 * u
    u4 = u2 * u2
    tt = t + tau
    y = tt * tt
    inv_sd2 = 1.0 / (sd * sd)
    w_all = 1.0 / (2.0 * np.maximum(tt, 1e-6) * sd) ** 2
    if prior_v is not None and fixed_v is None:
        c2p = 4.0 / prior_v[0] ** 2
        pw = 1.0 / (2.0 * prior_v[1] * c2p) ** 2
    else:
        c2p = pw = 0.0
    keep = np.ones(n, dtype=bool)
    result = None
    for _ in range(iterations):
        w = np.where(keep, w_all, 0.0)
        s0 = float(w.sum())
        s1 = float(w @ u)
        s2 = float(w @ u2)
        b0 = float(w @ y)
        b1 = float(w @ (y * u))
        if fixed_v is not None:
            c2 = 4.0 / fixed_v ** 2
            b0 -= c2 * s2
            b1 -= c2 * float(w @ u3)
            det = s0 * s2 - s1 * s1
            if not det > 0:
                return result
            c0 = (b0 * s2 - b1 * s1) / det
            c1 = (s0 * b1 - s1 * b0) / det
            var_c2 = 0.0
        else:
            s3 = float(w @ u3)
            s4 = float(w @ u4) + pw
            b2 = float(w @ (y * u2)) + pw * c2p
            m00 = s2 * s4 - s3 * s3
            m01 = s1 * s4 - s3 * s2
            m02 = s1 * s3 - s2 * s2
            m11 = s0 * s4 - s2 * s2
            m12 = s0 * s3 - s1 * s2
            m22 = s0 * s2 - s1 * s1
            det = s0 * m00 - s1 * m01 + s2 * m02
            if not det > 0:
                return result
            c0 = (b0 * m00 - b1 * m01 + b2 * m02) / det
            c1 = (-b0 * m01 + b1 * m11 - b2 * m12) / det
            c2 = (b0 * m02 - b1 * m12 + b2 * m22) / det
            var_c2 = m22 / det
        if not c2 > 0:
            return result
        x0r = -c1 / (2.0 * c2)
        tc2 = c0 - c2 * x0r * x0r
        if not tc2 > 0 or math.sqrt(tc2) - tau <= 0:
            return result
        model = np.sqrt(np.maximum(c0 + c1 * u + c2 * u2, 0.0)) - tau
        res = t - model
        rms = math.sqrt(float((res * res * inv_sd2)[keep].sum()) / float(inv_sd2[keep].sum()))
        v = 2.0 / math.sqrt(c2)
        v_rel_sd = 0.5 * math.sqrt(max(var_c2, 0.0)) / c2 if fixed_v is None else 0.0
        result = (_Fit(x0r + x_ref, math.sqrt(tc2) - tau, v, float(tau), rms, v_rel_sd, int(keep.sum()), True),
                  keep)
        r = res / sd
        rk = np.sort(r[keep])
        mad = float(np.sort(np.abs(rk - rk[rk.size // 2]))[rk.size // 2])
        new_keep = np.abs(r) <= 3.0 * max(1.4826 * mad, 1.0)
        if new_keep.sum() < need or np.array_equal(new_keep, keep):
            break
        keep = new_keep
    return result


class _Refiner:
    """Tracks and fits the hyperbola of one candidate on the working grid."""

    def __init__(self, prep: Prepared, velocity_m_ns: float | None, v_bounds: tuple[float, float],
                 max_aperture_m: float, point_sd_t: float) -> None:
        self.p = prep
        self.given_v = velocity_m_ns
        self.v_bounds = v_bounds
        self.v_lo, self.v_hi = 0.85 * v_bounds[0], 1.1 * v_bounds[1]
        self.max_aperture_m = max_aperture_m
        self.T = prep.period_ns
        self.half_rows = max(2, int(round(0.5 * self.T / prep.dt_ns)))
        self.offsets = np.arange(-self.half_rows, self.half_rows + 1)
        self.distance = np.abs(self.offsets)
        self.point_sd_t = point_sd_t  # time sd (ns) of a limb point at envelope/background = 1
        self.min_envelope = 2.5  # a limb point must stand this far above the background
        self.prior_v: tuple[float, float] | None = None  # (velocity, relative sd) replacing the stack's

    def v_ok(self, v: float) -> bool:
        """A physical shape: within the trial velocities (10-15 % margin);
        flatter curves are layers, steeper ones crossing limbs."""
        return self.v_lo <= v <= self.v_hi

    def model_t(self, x: np.ndarray, x0: float, t0: float, v: float, tau: float) -> np.ndarray:
        tc = t0 + tau
        return np.sqrt(tc * tc + (2.0 * (x - x0) / v) ** 2) - tau

    def aperture(self, t0: float, v: float, reach_periods: float) -> float:
        reach = reach_periods * self.T
        u = 0.5 * v * math.sqrt(max((t0 + reach) ** 2 - t0 ** 2, 0.0))
        return min(u, self.max_aperture_m)

    def track(self, cols: np.ndarray, t_pred: np.ndarray):
        """Per column, the envelope peak within half a period of t_pred: the
        local maximum nearest the prediction among those at least half the
        window's largest (so a neighbour's apex or limb in the same window is
        not taken for this limb), refined by a parabola.

        :return: time (ns), envelope / background, and the accepted mask
            (an interior peak at least ``min_envelope``).
        """
        p = self.p
        h = self.half_rows
        n = p.n_rows
        centre = np.rint((t_pred - p.t_first_ns) / p.dt_ns).astype(np.int64)
        rows = centre[:, None] + self.offsets[None, :]
        rows_c = _clip(rows, 0, n - 1)
        vals = p.magnitude[rows_c, cols[:, None]]
        edge = centre.min() < h or centre.max() >= n - h
        if edge:
            vals = np.where(rows == rows_c, vals, -1.0)
        is_max = np.zeros(vals.shape, dtype=bool)
        mid = vals[:, 1:-1]
        is_max[:, 1:-1] = (mid > vals[:, :-2]) & (mid >= vals[:, 2:]) & (mid >= 0.5 * vals.max(axis=1)[:, None])
        j = np.argmin(np.where(is_max, self.distance[None, :], 2 * h + 2), axis=1)
        none = ~is_max.any(axis=1)
        if none.any():
            j[none] = np.argmax(vals[none], axis=1)
        idx = np.arange(cols.size)
        interior = (j > 0) & (j < 2 * h)
        jm = np.maximum(j - 1, 0)
        jp = np.minimum(j + 1, 2 * h)
        a, b, c = vals[idx, jm], vals[idx, j], vals[idx, jp]
        den = a - 2 * b + c
        good = interior & (den < 0)
        delta = np.where(good, 0.5 * (a - c) / np.where(good, den, -1.0), 0.0)
        delta = _clip(delta, -0.5, 0.5)
        row_pk = rows_c[idx, j]
        t = p.row_time_ns(row_pk + delta)
        e = p.envelope[row_pk, cols]
        ok = interior & (e >= self.min_envelope)
        if edge:
            ok &= rows[idx, j] == row_pk
        return t, e, ok

    def sample(self, arr: np.ndarray, cols: np.ndarray, t_ns: np.ndarray) -> np.ndarray:
        """Linear interpolation of a (rows, cols) array at times t_ns in columns cols."""
        p = self.p
        pos = (t_ns - p.t_first_ns) / p.dt_ns
        r0 = _clip(np.floor(pos).astype(np.int64), 0, p.n_rows - 2)
        fr = _clip(pos - r0, 0.0, 1.0)
        return arr[r0, cols] * (1 - fr) + arr[r0 + 1, cols] * fr

    def _columns(self, x0: float, t0: float, v: float, reach: float) -> np.ndarray:
        x_all = self.p.distance_m
        u_max = max(self.aperture(t0, v, reach), 2.5 * self.p.dx_m)
        lo = int(np.searchsorted(x_all, x0 - u_max, side="left"))
        hi = int(np.searchsorted(x_all, x0 + u_max, side="right"))
        return np.arange(lo, hi)

    def refine(self, col: int, row: int, v_start: float):
        """Track and fit the hyperbola through a candidate apex.

        :return: ((fit, cols, t_pick, e_pick, ok, keep), "") or (None, reason).
        """
        p = self.p
        x_all = p.distance_m
        x0 = float(x_all[col])
        t0 = float(p.row_time_ns(row))
        v = float(self.given_v or (self.prior_v[0] if self.prior_v else v_start))
        prior_sd = self.prior_v[1] if self.prior_v else 0.08
        fit = None
        for reach in (1.5, 3.0, 5.0):
            cols = self._columns(x0, t0, v, reach)
            if cols.size < 5:
                return None, "too few traces"
            t_pick, e_pick, ok = self.track(cols, self.model_t(x_all[cols], x0, t0, v, 0.0))
            if ok.sum() < 4:
                if fit is None:
                    return None, "limb not found"
                break
            xs, ts, es = x_all[cols][ok], t_pick[ok], e_pick[ok]
            if fit is None:  # a limb on each side, or it is not an apex
                half_dx = 0.5 * p.dx_m
                if (xs < x0 - half_dx).sum() < 2 or (xs > x0 + half_dx).sum() < 2:
                    return None, "one-sided"
            sd = self.point_sd(es)
            prior = None if self.given_v else (v, prior_sd)
            res = _fit_one(xs, ts, sd, 0.0, prior, self.given_v, x0)
            if res is None:
                if fit is None:
                    return None, "fit failed"
                break
            new = res[0]
            if not self.v_ok(new.v):
                return None, f"velocity {new.v:.3f} m/ns out of range"
            if abs(new.x0 - x0) > max(0.5 * (x_all[cols[-1]] - x_all[cols[0]]), 0.3) or new.t0 <= 0:
                return None, "apex moved away"
            fit = new
            x0, t0, v = fit.x0, fit.t0, fit.v
            prior_sd = max(min(prior_sd, 2 * fit.v_rel_sd), 0.03)
        if fit is None:
            return None, "no fit"
        # final: track the whole visible limb on the final curve, then the
        # point and cylinder fits compared on the same points (robust loss)
        cols = self._columns(x0, t0, v, 8.0)
        t_pick, e_pick, ok = self.track(cols, self.model_t(x_all[cols], x0, t0, v, 0.0))
        if ok.sum() < 5:
            return None, "limb lost"
        xs, ts, es = x_all[cols][ok], t_pick[ok], e_pick[ok]
        sd = self.point_sd(es)
        weak_prior = None if self.given_v else (v, 0.25)
        res = _fit_one(xs, ts, sd, 0.0, weak_prior, self.given_v, x0)
        if res is None:
            return None, "final fit failed"
        fit, keep = res
        if not self.v_ok(fit.v):
            return None, f"velocity {fit.v:.3f} m/ns out of range"
        fit, keep = self.cylinder(xs, ts, sd, fit, keep, weak_prior, self.given_v)
        return (fit, cols, t_pick, e_pick, ok, keep), ""

    def cylinder(self, xs, ts, sd, fit: _Fit, keep, prior, fixed_v):
        """Point or cylinder: scan tau = 2R/v for R up to 0.6 m (all at once);
        a radius is kept when its robust misfit beats the point's by a
        BIC-like margin. The velocity's relative sd becomes the formal one
        combined with half the spread of the velocities of every radius
        that fits about as well (within that margin): a shape that cannot
        tell a point from a cylinder gets an honest, large uncertainty."""
        penalty = max(2.0 * math.log(xs.size), 6.0)
        v_ref = fit.v
        taus = np.linspace(0.0, min(2 * 0.6 / v_ref, 2.0 * fit.t0), 25)
        b = _fit_batch(xs, ts, sd, taus, prior, fixed_v, fit.x0, iterations=1, keep=keep)
        ok_v = b["valid"] & (b["v"] >= self.v_lo) & (b["v"] <= self.v_hi)
        losses = np.where(ok_v, b["loss"] + penalty * (taus > 0), np.inf)
        if not np.isfinite(losses).any():
            return fit, keep
        k = int(np.argmin(losses))
        plausible = losses <= losses[k] + penalty
        spread = 0.5 * (b["v"][plausible].max() - b["v"][plausible].min()) / v_ref if fixed_v is None else 0.0
        if k > 0:
            tau = float(taus[k])
            if k < taus.size - 1 and np.isfinite(losses[k - 1]) and np.isfinite(losses[k + 1]):
                den = losses[k - 1] - 2 * losses[k] + losses[k + 1]
                if den > 0:
                    tau += float(np.clip(0.5 * (losses[k - 1] - losses[k + 1]) / den, -0.5, 0.5)) * (taus[1] - taus[0])
            r2 = _fit_one(xs, ts, sd, tau, prior, fixed_v, fit.x0)
            if r2 is not None and self.v_ok(r2[0].v):
                fit, keep = r2
        fit.v_rel_sd = float(math.hypot(fit.v_rel_sd, spread))
        return fit, keep

    def point_sd(self, e: np.ndarray) -> np.ndarray:
        """Time standard deviation (ns) of a limb point with envelope/background e."""
        return self.point_sd_t * self.T / np.sqrt(np.maximum(e - 1.0, 0.25))

# ---------------------------------------------------------------------------
# the picker


def _velocity_grid(eps_r_range: tuple[float, float], n: int) -> np.ndarray:
    lo, hi = float(eps_r_range[0]), float(eps_r_range[1])
    if not (1.0 <= lo < hi):
        raise PickingError("eps_r_range must be increasing and at least 1, not {r}.", r=eps_r_range)
    if n < 2:
        raise PickingError("n_velocities must be at least 2, not {n}.", n=n)
    eps = np.geomspace(hi, lo, n)
    return C_M_PER_NS / np.sqrt(eps)


def _confidence(snr: float, coherence: float, symmetry: float, coverage: float, rms_periods: float) -> float:
    """Confidence in [0, 1]: a product of factors that are 1 for a clean
    hyperbola. Apex envelope over background (``snr``: 0.43 at 3, 0.79 at
    4, 0.95 at 5), phase coherence along the curve (0 at 0.3, 1 from 0.7), symmetry and
    coverage of the two limbs (1 from 0.4) and RMS time residual of the fit
    in periods (1 up to 0.06, 0.5 at 0.14). On the synthetic test scenes
    true picks have a median of 0.98 and 96 % of the false ones stay under
    the default threshold 0.3."""
    s_snr = 1.0 - math.exp(-((max(snr - 1.5, 0.0) / 2.0) ** 2))
    s_coh = min(1.0, max(0.0, (coherence - 0.3) / 0.4))
    s_sym = min(1.0, symmetry / 0.4)
    s_cov = min(1.0, coverage / 0.4)
    s_fit = math.exp(-((max(rms_periods - 0.06, 0.0) / 0.1) ** 2))
    return float(s_snr * s_coh * s_sym * s_cov * s_fit)


def run_picking(rg: Radargram, velocity_m_ns: float | None = None, min_confidence: float = 0.3, *,
                frequency_mhz: float | None = None, time_zero_ns: float | None = None,
                eps_r_range: tuple[float, float] = (3.0, 40.0), n_velocities: int = 12,
                clutter_depth_m: float = 0.15, background_window_m: float | None = None,
                max_aperture_m: float = 3.0,
                detect_z: float = 5.0, detect_level: float = 4.0, envelope_level: float = 6.0,
                max_candidates: int | None = None,
                use_native: bool | None = None, progress: Progress | None = None) -> PickingRun:
    """:func:`pick_hyperbolas` with everything it computed (see :class:`PickingRun`).

    :param frequency_mhz: demodulation frequency (default: measured).
    :param time_zero_ns: ground-surface time from the first sample, used as
        is (default: ``rg.time_zero_ns`` or the direct wave, see step 2).
    :param eps_r_range: relative permittivities the velocity may have.
    :param n_velocities: trial velocities of the stack.
    :param clutter_depth_m: picks shallower than this are surface clutter.
    :param background_window_m: see :func:`prepare`.
    :param max_aperture_m: largest half-width of a hyperbola looked at (m).
    :param detect_z, detect_level: a stack maximum is a candidate when it is
        ``detect_z`` robust deviations above the stack's median or at least
        ``detect_level`` (background units); ``envelope_level`` likewise for
        envelope maxima.
    :param max_candidates: cap on candidates (default 40 + columns / 10).
    :param use_native: True: C kernel required; False: numpy twins; None:
        the kernel when built.
    :param progress: asked for cancellation between the stages and before
        each candidate is refined (raises :class:`~pipemap.core.errors.CancelledError`).
    """

    def stop_if_cancelled() -> None:
        if progress is not None:
            check_cancel(progress)

    timings: dict[str, float] = {}
    t_start = time.perf_counter()
    if velocity_m_ns is not None:
        if not (math.isfinite(velocity_m_ns) and 0 < velocity_m_ns <= C_M_PER_NS):
            raise PickingError("velocity_m_ns must be in (0, {c}] m/ns, not {v}; use None to estimate it.",
                               c=round(C_M_PER_NS, 4), v=velocity_m_ns)
    if not (0.0 <= min_confidence <= 1.0):
        raise PickingError("min_confidence must be between 0 and 1, not {c}.", c=min_confidence)
    if clutter_depth_m < 0:
        raise PickingError("clutter_depth_m must be >= 0, not {d}.", d=clutter_depth_m)
    prep = prepare(rg, frequency_mhz=frequency_mhz, time_zero_ns=time_zero_ns,
                   background_window_m=background_window_m, use_native=use_native)
    timings["prepare"] = time.perf_counter() - t_start
    stop_if_cancelled()
    T = prep.period_ns

    velocities = np.array([velocity_m_ns]) if velocity_m_ns else _velocity_grid(eps_r_range, n_velocities)
    v_bounds = (float(velocities.min()), float(velocities.max()))
    t_min = 0.6 * T
    t1 = time.perf_counter()
    best, best_idx = kernel.hyperbola_stack(prep.envelope, prep.dt_ns, prep.t_first_ns, prep.dx_m, velocities,
                                            reach_ns=3.0 * T, aperture_max_m=max_aperture_m, t_min_ns=t_min,
                                            aperture_velocity_m_ns=float(np.exp(np.mean(np.log(velocities)))),
                                            max_side=16, min_weight_fraction=0.4, use_native=use_native)
    timings["stack"] = time.perf_counter() - t1
    stop_if_cancelled()

    def stack_v_at(r: int, c: int) -> float:
        i = int(best_idx[r, c])
        return float(velocities[i]) if i >= 0 else float(np.sqrt(v_bounds[0] * v_bounds[1]))

    # candidates
    t2 = time.perf_counter()
    active = best > 0
    if active.any():
        vals = best[active]
        sub = vals[:: max(1, vals.size // 200000)]
        med = float(np.median(sub))
        mad = float(np.median(np.abs(sub - med))) * 1.4826
    else:
        med, mad = 0.0, 1.0
    mad = max(mad, 0.05 * med, 1e-6)
    hr = max(1, int(round(0.6 * T / prep.dt_ns)))
    hc = max(1, int(round(0.12 / prep.dx_m)))
    zimg = (best - med) / mad
    rr, cc = _local_maxima(best, ((zimg >= detect_z) | (best >= detect_level)) & (best >= 2.0), hr, hc)
    order = np.argsort(-best[rr, cc])
    limit = max_candidates or (40 + prep.n_cols // 10)
    rr, cc = rr[order][:limit], cc[order][:limit]
    candidates = [(int(r), int(c), float(zimg[r, c])) for r, c in zip(rr, cc)]
    # apexes whose stack response is swallowed by a stronger neighbour's are
    # still local maxima of the envelope itself, with a flat top
    rows_ok = prep.row_time_ns(np.arange(prep.n_rows)) >= t_min
    taken = np.zeros(best.shape, dtype=bool)
    for r, c in zip(rr, cc):
        taken[max(0, r - hr): r + hr + 1, max(0, c - hc): c + hc + 1] = True
    extra = [(r, c) for r, c in _envelope_candidates(prep.envelope, best, rows_ok, hr, hc, envelope_level, prep.dx_m)
             if not taken[r, c]]
    candidates += [(r, c, float(zimg[r, c])) for r, c in extra[: max(0, limit - len(candidates))]]
    timings["candidates"] = time.perf_counter() - t2

    # refinement, strongest candidates first; each clean pick is peeled off
    # working copies of the data before its weaker neighbours are refined
    t3 = time.perf_counter()
    work = prep  # peeled in place: afterwards it holds the residual
    refiner = _Refiner(work, velocity_m_ns, v_bounds, max_aperture_m, point_sd_t=0.15)
    raw: list[dict] = []
    rejected: list[tuple[float, float, str]] = []
    found: list[tuple[float, float]] = []
    peel_conf = max(min_confidence, 0.5)

    found_grid: dict[int, list[tuple[float, float]]] = {}

    def near_found(xc: float, tc: float) -> bool:
        b = int(math.floor(xc / 0.12))
        return any(abs(xc - fx) < 0.12 and abs(tc - ft) < 0.75 * T
                   for k in (b - 1, b, b + 1) for fx, ft in found_grid.get(k, ()))

    def refine_all(cands: list[tuple[int, int, float]]) -> None:
        for r, c, _z in cands:
            stop_if_cancelled()
            xc, tc = float(prep.distance_m[c]), float(prep.row_time_ns(r))
            if near_found(xc, tc):
                rejected.append((xc, tc, "duplicate candidate"))
                continue
            # nothing left here once the stronger picks were peeled off
            if work.envelope[max(0, r - hr): r + hr + 1, max(0, c - 1): c + 2].max() < refiner.min_envelope:
                rejected.append((xc, tc, "explained by a stronger pick"))
                continue
            v0 = stack_v_at(r, c)
            out, reason = refiner.refine(c, r, v0)
            if out is None:
                rejected.append((xc, tc, reason))
                continue
            fit, cols, t_pick, e_pick, ok, keep = out
            info = _describe(work, refiner, fit, cols, t_pick, e_pick, ok, keep)
            if info is None:
                rejected.append((xc, tc, "no curvature"))
                continue
            info["fit"] = fit
            raw.append(info)
            found.append((fit.x0, fit.t0))
            found_grid.setdefault(int(math.floor(fit.x0 / 0.12)), []).append((fit.x0, fit.t0))
            if info["confidence"] >= peel_conf:
                _peel(work, refiner, fit, cols, t_pick, ok)

    refine_all(candidates)
    failed = [(r, c, z) for r, c, z in candidates
              if not near_found(float(prep.distance_m[c]), float(prep.row_time_ns(r)))]
    # second look at the peeled envelope: apexes that were hidden by a
    # stronger neighbour's limbs or flat top
    tried = np.zeros(best.shape, dtype=bool)
    for r, c, _z in candidates:
        tried[max(0, r - hr): r + hr + 1, max(0, c - hc): c + hc + 1] = True
    more = _envelope_candidates(work.envelope, best, rows_ok, hr, hc, envelope_level, prep.dx_m)
    more = [(r, c, float(zimg[r, c])) for r, c in more if not tried[r, c]][: max(10, limit // 4)]
    refine_all(more)
    candidates = candidates + more
    # weak hyperbolas: retry what failed, with the confident picks' velocity
    # as the prior and a lower threshold for limb points
    v_first = _profile_velocity(raw) if velocity_m_ns is None else None
    if v_first is not None and failed:
        refiner.prior_v = (v_first, 0.10)
        refiner.min_envelope = 2.0
        n_raw = len(raw)
        refine_all(failed[: max(10, limit // 4)])
        for d in raw[n_raw:]:
            d["second_pass"] = True
        refiner.prior_v = None
        refiner.min_envelope = 2.5
    timings["refine"] = time.perf_counter() - t3

    # profile velocity and per-pick combination
    v_profile = _profile_velocity(raw) if velocity_m_ns is None else None

    picks: list[Pick] = []
    limbs: dict[int, tuple[np.ndarray, np.ndarray]] = {}
    for d in raw:
        fit: _Fit = d["fit"]
        v = fit.v
        source = "given" if velocity_m_ns else "fit"
        if v_profile is not None:
            s_i = max(fit.v_rel_sd, 1e-3)
            s_p = 0.10  # velocities along one profile differ by about this much
            dv = abs(v / v_profile - 1.0)
            if dv > 0.2 and dv / math.hypot(s_i, s_p) > 2.0:
                # a shape far from the profile's velocity: crossing limbs, not a pipe
                d["confidence"] *= max(0.0, 1.0 - (dv - 0.2) / 0.15)
            wi, wp = 1.0 / s_i ** 2, 1.0 / s_p ** 2
            v_comb = (v * wi + v_profile * wp) / (wi + wp)
            if abs(v_comb - v) > 0.02 * v:
                source = "profile"
                fit = _refit_with_velocity(refiner, d, fit, v_comb)
            v = v_comb
        picks.append(_make_pick(rg, prep, fit, v, source, d))
        limbs[id(picks[-1])] = d["limb"]

    all_picks = list(picks)
    picks = _clean(picks, limbs, prep, clutter_depth_m, min_confidence, rejected)
    timings["total"] = time.perf_counter() - t_start
    return PickingRun(picks=picks, all_picks=all_picks, prepared=prep, stack=best, stack_index=best_idx,
                      velocities_m_ns=velocities,
                      candidates=candidates,
                      rejected=rejected, velocity_profile_m_ns=v_profile, timings_s=timings,
                      native=kernel.native_available() and use_native is not False)


def _envelope_candidates(env: np.ndarray, best: np.ndarray, rows_ok: np.ndarray, hr: int, hc: int,
                         level: float, dx_m: float) -> list[tuple[int, int]]:
    """Local maxima of the normalised envelope at least ``level``, with a
    flat top (the envelope 5 cm to either side is at least 60 % of the
    peak), where the stack is defined; strongest first."""
    er, ec = _local_maxima(env, (env >= level) & rows_ok[:, None] & (best > 0), hr, hc)
    flat = max(1, int(round(0.05 / dx_m)))
    if env.shape[1] > 2 * flat:
        ok = (ec >= flat) & (ec < env.shape[1] - flat)
        er, ec = er[ok], ec[ok]
        side = np.minimum(env[er, ec - flat], env[er, ec + flat])
        ok = side >= 0.6 * env[er, ec]
        er, ec = er[ok], ec[ok]
    order = np.argsort(-env[er, ec])
    return [(int(r), int(c)) for r, c in zip(er[order], ec[order])]


def _peel(work: Prepared, refiner: _Refiner, fit: _Fit, cols: np.ndarray, t_pick: np.ndarray,
          ok: np.ndarray) -> None:
    """Subtract a picked hyperbola from the working data, in place.

    The wavelet is measured on the pick itself: the demodulated signal from
    1.5 periods before to 3.5 periods after the arrival (so antenna ringing
    goes too), divided by its value at the arrival, averaged over the
    traces where the reflection is strong. Each trace of the aperture then
    loses its value at the arrival times that template. The arrival is the
    tracked envelope peak where the limb was tracked within a tenth of a
    period of the curve, else the fitted curve.
    """
    T = refiner.T
    dtw = work.dt_ns
    lo, hi = int(math.floor(-1.5 * T / dtw)), int(math.ceil(3.5 * T / dtw))
    offs = np.arange(lo, hi + 1)
    tc = refiner.model_t(work.distance_m[cols], fit.x0, fit.t0, fit.v, fit.tau)
    use_pick = ok & (np.abs(t_pick - tc) <= 0.1 * T)
    tc = np.where(use_pick, t_pick, tc)
    pos = (tc - work.t_first_ns) / dtw
    inside = (pos + lo >= 0) & (pos + hi < work.n_rows - 1)
    if inside.sum() < 3:
        return
    cols, pos = cols[inside], pos[inside]
    r0 = np.floor(pos).astype(np.int64)
    fr = (pos - r0).astype(np.float32)
    z = work.analytic
    a = z[r0, cols] * (1 - fr) + z[r0 + 1, cols] * fr  # value on the curve
    strong = np.abs(a) >= 3.0 * work.level[r0]
    if strong.sum() < 3:
        return
    rows = r0[:, None] + offs[None, :]
    frc = fr[:, None]
    seg = z[rows, cols[:, None]] * (1 - frc) + z[np.minimum(rows + 1, work.n_rows - 1), cols[:, None]] * frc
    template = (seg[strong] / a[strong][:, None]).mean(axis=0)
    i0 = int(np.nonzero(offs == 0)[0][0])
    if abs(template[i0]) <= 0:
        return
    template = template / template[i0]
    # subtract on the integer rows: template interpolated at (row - pos)
    rr = r0[:, None] + offs[None, :]
    tau_rows = rr - pos[:, None]
    k = _clip(np.floor(tau_rows - lo).astype(np.int64), 0, offs.size - 2)
    f2 = (tau_rows - lo - k).astype(np.float32)
    g = template[k] * (1 - f2) + template[k + 1] * f2
    cc = np.repeat(cols[:, None], offs.size, axis=1)
    z[rr, cc] -= (a[:, None] * g).astype(np.complex64)
    mag = np.abs(z[rr, cc])
    work.magnitude[rr, cc] = mag
    work.envelope[rr, cc] = mag / work.level[rr].astype(np.float32)


def _refit_with_velocity(refiner: _Refiner, d: dict, fit: _Fit, v: float) -> _Fit:
    """The pick's apex and radius again, its limb fitted with velocity v."""
    xs, ts = d["limb"]
    if xs.size < 4:
        return replace(fit, v=v)
    sd = refiner.point_sd(d["limb_e"])
    res = _fit_one(xs, ts, sd, 0.0, None, v, fit.x0)
    if res is None:
        return replace(fit, v=v)
    new, keep = refiner.cylinder(xs, ts, sd, res[0], res[1], None, v)
    return replace(new, v=v, v_rel_sd=fit.v_rel_sd)


def _profile_velocity(raw: list[dict]) -> float | None:
    """Weighted median of the velocities of the confident (>= 0.5) picks,
    weights confidence / (relative sd)^2; None without such picks."""
    good = [d for d in raw if d["confidence"] >= 0.5 and d["fit"].v_rel_sd > 0 and not d.get("second_pass")]
    if not good:
        return None
    vs = np.array([d["fit"].v for d in good])
    ws = np.array([d["confidence"] / max(d["fit"].v_rel_sd, 0.01) ** 2 for d in good])
    o = np.argsort(vs)
    cw = np.cumsum(ws[o])
    return float(vs[o][np.searchsorted(cw, 0.5 * cw[-1])])


def _describe(prep: Prepared, refiner: _Refiner, fit: _Fit, cols, t_pick, e_pick, ok, keep) -> dict | None:
    """Quality figures of a fitted hyperbola; None when it has no curvature
    (limbs missing on a side, or not dropping below the apex)."""
    T = prep.period_ns
    x_all = prep.distance_m
    xc = x_all[cols]
    eps_x = 0.5 * prep.dx_m
    left = xc < fit.x0 - eps_x
    right = xc > fit.x0 + eps_x
    acc = np.zeros(cols.size, dtype=bool)
    acc[np.nonzero(ok)[0][keep]] = True
    model = refiner.model_t(xc, fit.x0, fit.t0, fit.v, fit.tau)
    drop = model - fit.t0
    limb = drop >= 0.5 * T
    n_l = int((acc & left & limb).sum())
    n_r = int((acc & right & limb).sum())
    avail_l = int((left & limb).sum())
    avail_r = int((right & limb).sum())
    if n_l < 2 or n_r < 2:
        return None
    cov_l = n_l / max(avail_l, 1)
    cov_r = n_r / max(avail_r, 1)
    symmetry = min(cov_l, cov_r) / max(cov_l, cov_r)
    coverage = float((acc & (left | right)).sum()) / max(int((left | right).sum()), 1)
    # phase coherence along the fitted curve (obliquity-weighted)
    zc = refiner.sample(prep.analytic, cols, model)
    z_apex_depth = max(0.5 * fit.v * (fit.t0 + fit.tau), 1e-3)
    w = (z_apex_depth ** 2) / ((xc - fit.x0) ** 2 + z_apex_depth ** 2)
    rot = zc * np.exp(1j * prep.omega_rad_ns * (model + prep.time_zero_ns))
    coherence = float(np.abs(np.sum(w * rot)) / max(np.sum(w * np.abs(rot)), 1e-12))
    # apex: envelope and phase averaged over the flat top of the curve
    near = np.abs(drop) <= 0.25 * T
    if not near.any():
        near = np.abs(xc - fit.x0) <= np.min(np.abs(xc - fit.x0))
    env_apex = refiner.sample(prep.envelope, cols[near], model[near])
    snr = float(np.max(env_apex))
    apex_magnitude = float(np.max(refiner.sample(prep.magnitude, cols[near], model[near])))
    apex_phase = float(np.angle(np.sum(w[near] * rot[near])))
    polarity = 1 if math.cos(apex_phase - prep.direct_phase) >= 0 else -1
    rms_periods = fit.rms / T
    # layer contrast: on the limbs (a period or more under the apex), the
    # envelope on the horizontal line through the apex minus the envelope
    # along the curve (background units); an "apex" on a layer remnant has
    # its energy on the line: from 5 more on the line the confidence falls,
    # to 0 at 15 more
    outer = drop >= T
    if outer.sum() >= 4:
        on_curve = float(np.median(refiner.sample(prep.envelope, cols[outer], model[outer])))
        on_line = float(np.median(refiner.sample(prep.envelope, cols[outer], np.full(outer.sum(), fit.t0))))
        layer = on_line - on_curve
    else:
        layer = 0.0
    conf = _confidence(snr, coherence, symmetry, coverage, rms_periods) * min(1.0, max(0.0, 1.0 - (layer - 5.0) / 10.0))
    return {"confidence": conf, "snr": snr, "coherence": coherence, "symmetry": symmetry,
            "coverage": coverage, "polarity": polarity, "aperture": float(np.max(np.abs(xc - fit.x0))),
            "n_points": int(acc.sum()), "apex_magnitude": apex_magnitude,
            "limb": (xc[acc], t_pick[acc]), "limb_e": e_pick[acc], "layer": layer}


def _make_pick(rg: Radargram, prep: Prepared, fit: _Fit, v: float, source: str, d: dict) -> Pick:
    dist = prep.distance_m
    col_pos = float(np.interp(fit.x0, dist, np.arange(dist.size)))
    trace_f = float(np.interp(col_pos, np.arange(dist.size), prep.col_trace))
    trace = int(np.clip(round(trace_f), 0, rg.n_traces - 1))
    x = y = None
    if rg.x is not None and rg.y is not None:
        tr = np.arange(rg.n_traces, dtype=np.float64)
        x = float(np.interp(trace_f, tr, np.asarray(rg.x, dtype=np.float64)))
        y = float(np.interp(trace_f, tr, np.asarray(rg.y, dtype=np.float64)))
    t0 = fit.t0
    depth = 0.5 * v * t0
    radius = 0.5 * v * fit.tau if fit.tau > 0 else None
    tau = fit.tau
    sample = (t0 + prep.time_zero_ns) / rg.dt_ns
    amp = _apex_amplitude(prep, d["apex_magnitude"], d["polarity"])
    return Pick(trace=trace, distance_m=float(fit.x0), x=x, y=y, t0_ns=float(t0), velocity_m_ns=float(v),
                eps_r=float((C_M_PER_NS / v) ** 2), depth_m=float(depth), radius_m=radius, amplitude=amp,
                polarity=int(d["polarity"]), confidence=float(d["confidence"]), curve_tau_ns=float(tau),
                aperture_m=d["aperture"], sample=float(sample), snr=d["snr"], coherence=d["coherence"],
                symmetry=d["symmetry"], fit_rms_ns=float(fit.rms), n_points=d["n_points"],
                velocity_source=source, velocity_rel_sd=float(fit.v_rel_sd), layer_excess=float(d["layer"]))


def _apex_amplitude(prep: Prepared, envelope_apex: float, polarity: int) -> float:
    """Apex amplitude in input units: the apex envelope (background removed)
    converted to a peak value (exact for a Ricker wavelet), with the sign of
    the polarity."""
    return float(polarity * envelope_apex * prep.amplitude_scale)


def _is_shadow(p: Pick, k: Pick, period_ns: float, limb: tuple[np.ndarray, np.ndarray]) -> bool:
    """True when pick p looks like k's ringing: weaker, at most 4.5 periods
    under k, at the same place, and its limb follows k's curve shifted down
    (a deeper pipe's curve is flatter than the shifted one)."""
    if not (0 < p.t0_ns - k.t0_ns < 4.5 * period_ns and p.snr < k.snr):
        return False
    if abs(p.distance_m - k.distance_m) > max(0.15, 0.15 * k.depth_m):
        return False
    x, t = limb  # p's tracked limb points: distance (m), time (ns)
    near = t - p.t0_ns <= 2.0 * period_ns  # the strong part, near the apex
    if near.sum() < 3:
        return True
    shifted = k.curve_time_ns(x[near]) + (p.t0_ns - k.t0_ns)
    return float(np.median(np.abs(t[near] - shifted))) <= max(2.0 * p.fit_rms_ns, 0.1 * period_ns)


def _neighbours(picks: list[Pick], radius_m: float) -> list[list[int]]:
    """For each pick, the indices of the other picks within radius_m along
    the profile (sorted sweep, not all pairs)."""
    order = sorted(range(len(picks)), key=lambda i: picks[i].distance_m)
    xs = [picks[i].distance_m for i in order]
    out: list[list[int]] = [[] for _ in picks]
    for a, i in enumerate(order):
        lo = bisect.bisect_left(xs, xs[a] - radius_m)
        hi = bisect.bisect_right(xs, xs[a] + radius_m)
        out[i] = [order[b] for b in range(lo, hi) if b != a]
    return out


def _clean(picks: list[Pick], limbs: dict[int, tuple[np.ndarray, np.ndarray]], prep: Prepared,
           clutter_depth_m: float, min_confidence: float, rejected: list[tuple[float, float, str]]) -> list[Pick]:
    """Drop duplicates, ringing shadows, peeling residues, surface clutter
    and low confidence. ``limbs`` maps id(pick) to its tracked limb points."""
    T = prep.period_ns
    order = sorted(picks, key=lambda p: (-p.confidence * min(p.snr, 50.0)))
    kept: list[Pick] = []
    grid: dict[int, list[Pick]] = {}
    for p in order:  # the same apex found from several candidates
        b = int(math.floor(p.distance_m / 0.12))
        if any(abs(p.distance_m - k.distance_m) < max(0.12, 0.05 * k.depth_m) and abs(p.t0_ns - k.t0_ns) < 0.75 * T
               for bb in (b - 2, b - 1, b, b + 1, b + 2) for k in grid.get(bb, ())):
            rejected.append((p.distance_m, p.t0_ns, "duplicate"))
            continue
        kept.append(p)
        grid.setdefault(b, []).append(p)
    max_depth = max((k.depth_m for k in kept), default=0.0)
    neighbours = _neighbours(kept, max(0.15, 0.15 * max_depth))
    unshadowed = []
    for i, p in enumerate(kept):  # antenna ringing under a stronger reflection (also under clutter)
        others = [kept[j] for j in neighbours[i]]
        if any(_is_shadow(p, k, T, limbs[id(p)]) for k in others):
            rejected.append((p.distance_m, p.t0_ns, "ringing shadow"))
            continue
        if any(abs(p.distance_m - k.distance_m) < 0.12 and abs(p.t0_ns - k.t0_ns) < 2.0 * T
               and p.snr < 0.35 * k.snr for k in others):  # what peeling a strong pick left behind
            rejected.append((p.distance_m, p.t0_ns, "residue of a stronger pick"))
            continue
        unshadowed.append(p)
    out = []
    for p in unshadowed:
        if p.depth_m < clutter_depth_m:
            rejected.append((p.distance_m, p.t0_ns, "surface clutter"))
        elif p.confidence < min_confidence:
            rejected.append((p.distance_m, p.t0_ns, f"confidence {p.confidence:.2f}"))
        else:
            out.append(p)
    out.sort(key=lambda p: p.distance_m)
    return out


def pick_hyperbolas(rg: Radargram, velocity_m_ns: float | None = None, min_confidence: float = 0.3,
                    **options) -> list[Pick]:
    """Find the diffraction hyperbolas in a B-scan automatically.

    :param rg: the radargram (samples x traces), with trace distances or a
        trace spacing; time zero from ``rg.time_zero_ns`` (or the direct wave
        when that is 0).
    :param velocity_m_ns: the wave velocity (m/ns) to use for every pick;
        None (the default; ``VELOCITY=0`` in Processing) estimates it from
        each hyperbola's shape.
    :param min_confidence: picks below this confidence are dropped (0..1).
    :param options: keyword options of :func:`run_picking`:
        ``frequency_mhz``, ``time_zero_ns``, ``eps_r_range`` (3, 40),
        ``n_velocities`` (12), ``clutter_depth_m`` (0.15),
        ``background_window_m`` (30 wavelengths, 1.5-5 m), ``max_aperture_m``
        (3), ``detect_z`` (5), ``detect_level`` (4), ``envelope_level`` (6),
        ``max_candidates``, ``use_native``, ``progress`` (cancellation).
    :return: the picks, ordered along the profile.
    :raises PickingError: (an InputError and ValueError) for unusable input.
    """
    return run_picking(rg, velocity_m_ns, min_confidence, **options).picks


# ---------------------------------------------------------------------------
# benchmark


def bench_picking(n_traces: int = 20000, n_samples: int = 512, *, twin_traces: int = 2000,
                  seed: int = 7) -> dict:
    """Time preprocessing + picking of a synthetic profile (one pipe every
    ~2 m) with the C kernel, and the hyperbola stack with the C kernel and
    its numpy twin on the same ``twin_traces``-trace slice.

    :return: dict of timings (s), sizes, the kernel speed-up and pick count.
    """
    from .synth import Scene, Target, scene_radargram

    rng = np.random.default_rng(seed)
    dx = 0.02
    length = n_traces * dx
    n_targets = max(1, int(length / 2.0))
    xs = np.linspace(1.0, length - 1.0, n_targets) + rng.uniform(-0.3, 0.3, n_targets)
    v = 0.1
    max_depth = (n_samples - 60) * 0.125 * v / 2
    targets = [Target(float(x), float(rng.uniform(0.3, min(2.0, 0.8 * max_depth))),
                      float(rng.choice([0.0, 0.05, 0.1])), float(rng.choice([1.0, -0.8, 0.4]))) for x in xs]
    scene = Scene(n_traces=n_traces, dx_m=dx, n_samples=n_samples, dt_ns=0.125, velocity_m_ns=v, freq_mhz=400.0,
                  targets=targets, noise_rms=0.01, ringing=0.2, clutter=n_traces // 200, seed=seed)
    rg, truth = scene_radargram(scene)
    _ = rg.data
    out: dict = {"n_traces": n_traces, "n_samples": n_samples, "native": kernel.native_available(),
                 "threads": kernel.native_threads(), "n_targets": len(truth)}
    t0 = time.perf_counter()
    run = run_picking(rg)
    out["total_s"] = time.perf_counter() - t0
    out["timings_s"] = {k: round(v_, 4) for k, v_ in run.timings_s.items()}
    out["n_picks"] = len(run.picks)
    prep = run.prepared
    sl = prep.envelope[:, : min(twin_traces, prep.n_cols)]
    vel = _velocity_grid((3.0, 40.0), 12)
    kw = dict(reach_ns=3.0 * prep.period_ns, aperture_max_m=3.0, t_min_ns=0.6 * prep.period_ns, max_side=16,
              min_weight_fraction=0.4)
    if kernel.native_available():
        t1 = time.perf_counter()
        kernel.hyperbola_stack(sl, prep.dt_ns, prep.t_first_ns, prep.dx_m, vel, use_native=True, **kw)
        c_s = time.perf_counter() - t1
        t1 = time.perf_counter()
        kernel.hyperbola_stack(sl, prep.dt_ns, prep.t_first_ns, prep.dx_m, vel, use_native=False, **kw)
        py_s = time.perf_counter() - t1
        out.update({"stack_slice_traces": int(sl.shape[1]), "stack_c_s": c_s, "stack_numpy_s": py_s,
                    "stack_speedup": py_s / max(c_s, 1e-9)})
    return out
