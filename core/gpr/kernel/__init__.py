"""Native (C, OpenMP) kernel for GPR picking, with numpy twins.

The public functions here check and convert their arguments
(``np.ascontiguousarray`` with the right dtype), allocate the outputs in
Python and call the C function when the library is loaded, else its numpy
twin from :mod:`.reference` (the log says so once). ``use_native`` forces
one or the other: True raises :class:`~.lib.KernelLoadError` when the
library is missing, False always runs the twin.
"""

from __future__ import annotations

import numpy as np

from . import lib, reference
from .lib import KernelLoadError

__all__ = ["KernelLoadError", "demodulate", "hyperbola_stack", "native_available", "native_threads"]


def native_available() -> bool:
    """True when the C library is loaded (or loadable)."""
    return lib.get_library() is not None


def native_threads() -> int:
    """OpenMP threads the C kernel uses (0 when it is not loaded)."""
    handle = lib.get_library()
    return int(handle.pm_kernel_threads()) if handle is not None else 0


def _choose(use_native: bool | None):
    if use_native is False:
        return None
    handle = lib.get_library()
    if handle is None and use_native:
        lib.load_library()  # raises KernelLoadError with every path tried
    return handle


def _check(code: int, name: str) -> None:
    if code == -2:
        raise MemoryError(f"{name}: out of memory")
    if code != 0:
        raise ValueError(f"{name}: invalid arguments (code {code})")


def demodulate(data: np.ndarray, carrier_re: np.ndarray, carrier_im: np.ndarray, window: np.ndarray,
               first: int, step: int, n_out: int, *, use_native: bool | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Complex demodulation of every trace with a sliding window, decimated.

    ``out[m, x] = sum_j window[j] * carrier[c_m + j - h] * data[c_m + j - h, x]``,
    ``c_m = first + m * step``, ``h = (len(window) - 1) // 2``; samples
    outside the record are left out of the sum.

    :param data: (samples, traces) array (converted to float32).
    :param carrier_re, carrier_im: (samples,) complex carrier.
    :param window: (odd length,) window weights.
    :param first: input sample of output row 0 (may be negative).
    :param step: input samples between output rows (> 0).
    :param n_out: number of output rows (> 0).
    :return: real and imaginary parts, float32 (n_out, traces).
    :raises ValueError: impossible shapes or parameters.
    """
    data = np.ascontiguousarray(data, dtype=np.float32)
    if data.ndim != 2 or data.shape[0] < 1 or data.shape[1] < 1:
        raise ValueError(f"data must be a non-empty 2-D (samples, traces) array, not shape {data.shape}")
    n_samples, n_traces = data.shape
    carrier_re = np.ascontiguousarray(carrier_re, dtype=np.float64).ravel()
    carrier_im = np.ascontiguousarray(carrier_im, dtype=np.float64).ravel()
    window = np.ascontiguousarray(window, dtype=np.float64).ravel()
    if carrier_re.size != n_samples or carrier_im.size != n_samples:
        raise ValueError(f"the carrier needs one value per sample ({n_samples})")
    if window.size % 2 != 1:
        raise ValueError(f"the window length must be odd, not {window.size}")
    if int(step) < 1 or int(n_out) < 1:
        raise ValueError(f"step and n_out must be positive (step={step}, n_out={n_out})")
    handle = _choose(use_native)
    if handle is None:
        return reference.demodulate(data, carrier_re, carrier_im, window, int(first), int(step), int(n_out))
    out_re = np.zeros((int(n_out), n_traces), dtype=np.float32)
    out_im = np.zeros((int(n_out), n_traces), dtype=np.float32)
    code = handle.pm_demodulate(data, n_samples, n_traces, carrier_re, carrier_im, window, window.size,
                                int(first), int(step), int(n_out), out_re, out_im)
    _check(code, "pm_demodulate")
    return out_re, out_im


def hyperbola_stack(env: np.ndarray, dt_ns: float, t_first_ns: float, dx_m: float, velocities_m_ns,
                    *, reach_ns: float, aperture_max_m: float, t_min_ns: float,
                    aperture_velocity_m_ns: float | None = None, max_side: int = 16,
                    min_weight_fraction: float = 0.4, use_native: bool | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Diffraction stack of a normalised envelope along point-target
    hyperbolas ``t(u) = 2 sqrt(u^2 + z^2) / v``, the best over the trial
    velocities.

    Each cell (sample k, trace x) is a trial apex at time ``t0 = t_first_ns
    + k dt_ns`` after time zero. The envelope is averaged along each trial
    velocity's hyperbola with obliquity weights ``z^2 / (u^2 + z^2)``,
    ``z = v_a t0 / 2``, over offsets ``|u| <= min(aperture_max_m, v_a/2
    sqrt((t0 + reach_ns)^2 - t0^2))`` (the limb drops ``reach_ns`` below
    the apex), at most ``max_side`` offsets a side, ``v_a`` being
    ``aperture_velocity_m_ns`` (default: the geometric mean of the trial
    velocities): every velocity uses the same traces and weights. Cells
    with less than ``min_weight_fraction`` of the aperture's weight inside
    the profile and the record, or with ``t0 < t_min_ns``, get 0.

    :param env: non-negative (samples, traces) envelope (converted to float32).
    :param dt_ns: sample interval of ``env`` (ns).
    :param t_first_ns: time of sample 0 after time zero (ns, may be negative).
    :param dx_m: trace spacing (m, uniform).
    :param velocities_m_ns: (n_vel,) trial velocities (m/ns, > 0).
    :return: ``best`` float32 (samples, traces) and ``best_index`` int32
        (samples, traces): index of the best velocity, -1 where all gave 0.
    :raises ValueError: impossible shapes or parameters.
    """
    env = np.ascontiguousarray(env, dtype=np.float32)
    if env.ndim != 2 or env.shape[0] < 2 or env.shape[1] < 1:
        raise ValueError(f"env must be a 2-D (samples, traces) array with at least 2 samples, not shape {env.shape}")
    velocities = np.ascontiguousarray(np.atleast_1d(velocities_m_ns), dtype=np.float64).ravel()
    if velocities.size == 0 or not np.all(velocities > 0) or not np.all(np.isfinite(velocities)):
        raise ValueError("velocities_m_ns must be positive and finite")
    for name, value in (("dt_ns", dt_ns), ("dx_m", dx_m), ("reach_ns", reach_ns)):
        if not (np.isfinite(value) and value > 0):
            raise ValueError(f"{name} must be positive, not {value}")
    if not (np.isfinite(aperture_max_m) and aperture_max_m >= 0):
        raise ValueError(f"aperture_max_m must be >= 0, not {aperture_max_m}")
    if int(max_side) < 1:
        raise ValueError(f"max_side must be >= 1, not {max_side}")
    if aperture_velocity_m_ns is None:
        aperture_velocity_m_ns = float(np.exp(np.mean(np.log(velocities))))
    if not (np.isfinite(aperture_velocity_m_ns) and aperture_velocity_m_ns > 0):
        raise ValueError(f"aperture_velocity_m_ns must be positive, not {aperture_velocity_m_ns}")
    args = (float(dt_ns), float(t_first_ns), float(dx_m))
    opts = (float(aperture_velocity_m_ns), float(reach_ns), float(aperture_max_m), float(t_min_ns),
            int(max_side), float(min_weight_fraction))
    handle = _choose(use_native)
    if handle is None:
        return reference.hyperbola_stack(env, *args, velocities, *opts)
    n_samples, n_traces = env.shape
    best = np.zeros((n_samples, n_traces), dtype=np.float32)
    best_index = np.zeros((n_samples, n_traces), dtype=np.int32)
    code = handle.pm_hyperbola_stack(env, n_samples, n_traces, *args, velocities, velocities.size, *opts,
                                     best, best_index)
    _check(code, "pm_hyperbola_stack")
    return best, best_index
