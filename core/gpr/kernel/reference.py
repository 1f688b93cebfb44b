"""Pure-numpy twins of the C functions in ``src/pick.c``.

Each function computes exactly what its C namesake computes (same tables,
same order of validity tests), vectorised over whole rows, with float64
accumulators where C uses float32; results agree to about 1e-6 relative
(the tests allow 1e-5). They run when the native library is missing and
are the executable specification of the kernel.
"""

from __future__ import annotations

import numpy as np


def demodulate(data: np.ndarray, carrier_re: np.ndarray, carrier_im: np.ndarray, window: np.ndarray,
               first: int, step: int, n_out: int) -> tuple[np.ndarray, np.ndarray]:
    """Complex demodulation with a sliding window, decimated.

    ``out[m, x] = sum_j window[j] * carrier[c_m + j - h] * data[c_m + j - h, x]``
    with ``c_m = first + m * step``, ``h = (len(window) - 1) // 2``, terms
    outside the record left out.

    :param data: float32 (samples, traces).
    :param carrier_re, carrier_im: float64 (samples,) complex carrier.
    :param window: float64 (odd length,) window weights.
    :param first: input sample of output row 0.
    :param step: input samples between output rows (> 0).
    :param n_out: number of output rows.
    :return: real and imaginary parts, float32 (n_out, traces).
    """
    n_samples, n_traces = data.shape
    h = (len(window) - 1) // 2
    centres = first + np.arange(n_out, dtype=np.int64) * step
    re = np.zeros((n_out, n_traces), dtype=np.float64)
    im = np.zeros((n_out, n_traces), dtype=np.float64)
    for j in range(len(window)):
        k = centres + j - h
        ok = (k >= 0) & (k < n_samples)
        if not ok.any():
            continue
        rows = data[k[ok]].astype(np.float64)
        re[ok] += (window[j] * carrier_re[k[ok]])[:, None] * rows
        im[ok] += (window[j] * carrier_im[k[ok]])[:, None] * rows
    return re.astype(np.float32), im.astype(np.float32)


def hyperbola_stack(env: np.ndarray, dt_ns: float, t_first_ns: float, dx_m: float, velocities: np.ndarray,
                    aperture_velocity: float, reach_ns: float, aperture_max_m: float, t_min_ns: float,
                    max_side: int, min_weight_fraction: float, return_all: bool = False):
    """Diffraction stack of a normalised envelope along point-target
    hyperbolas, best over the velocities (see ``pm_hyperbola_stack`` in
    ``src/pick.c`` for the exact definition).

    :param env: float32 (samples, traces), sample k at ``t_first_ns + k dt_ns``
        after time zero, trace x at ``x dx_m``.
    :param velocities: float64 (n_vel,) trial velocities (m/ns).
    :param aperture_velocity: velocity (m/ns) setting the aperture and the
        weights, the same for every trial velocity.
    :param return_all: also return the float32 (n_vel, samples, traces)
        stack of every velocity (for tests).
    :return: ``best`` float32 (samples, traces) and ``best_index`` int32
        (samples, traces), -1 where every velocity gave 0.
    """
    n_samples, n_traces = env.shape
    env64 = env.astype(np.float64)
    k = np.arange(n_samples)
    t0 = t_first_ns + k * dt_ns
    active = (t0 >= t_min_ns) & (t0 > 0.0)
    x = np.arange(n_traces)
    best = np.zeros((n_samples, n_traces), dtype=np.float32)
    best_index = np.full((n_samples, n_traces), -1, dtype=np.int32)
    stacks = []
    zr = 0.5 * aperture_velocity * t0
    with np.errstate(invalid="ignore"):
        aperture = 0.5 * aperture_velocity * np.sqrt((t0 + reach_ns) * (t0 + reach_ns) - t0 * t0)
    aperture = np.where(aperture > aperture_max_m, aperture_max_m, aperture)
    nu = np.where(active, np.floor(np.where(active, aperture, 0.0) / dx_m), 0).astype(np.int64)
    s = np.maximum(1, (nu + max_side - 1) // max_side)
    jmax = nu // s
    for iv, v in enumerate(np.asarray(velocities, dtype=np.float64)):
        z = 0.5 * v * t0
        acc = np.zeros((n_samples, n_traces))
        wsum = np.zeros((n_samples, n_traces))
        wfull = np.zeros(n_samples)
        for j in range(-max_side, max_side + 1):
            use = active & (abs(j) <= jmax)
            off = j * s
            u = off.astype(np.float64) * dx_m
            with np.errstate(invalid="ignore", divide="ignore"):
                w_all = (zr * zr) / (u * u + zr * zr)
                wfull[use] += w_all[use]
                r = np.sqrt(u * u + z * z)
                p = (2.0 * r / v - t_first_ns) / dt_ns
                use &= (p < n_samples - 1) & (p >= 0.0)
            if not use.any():
                continue
            kk = np.nonzero(use)[0]
            i0 = np.floor(p[kk]).astype(np.int64)
            frac = p[kk] - i0
            w = w_all[kk]
            xi = x[None, :] + off[kk][:, None]
            inside = (xi >= 0) & (xi < n_traces)
            xc = np.clip(xi, 0, n_traces - 1)
            rows = i0[:, None]
            vals = (w * (1.0 - frac))[:, None] * env64[rows, xc] + (w * frac)[:, None] * env64[rows + 1, xc]
            acc[kk] += np.where(inside, vals, 0.0)
            wsum[kk] += np.where(inside, w[:, None], 0.0)
        need = min_weight_fraction * wfull
        ok = (wsum > 0.0) & (wsum >= need[:, None])
        with np.errstate(invalid="ignore", divide="ignore"):
            val = np.where(ok, acc / np.where(ok, wsum, 1.0), 0.0).astype(np.float32)
        better = val > best
        best[better] = val[better]
        best_index[better] = iv
        if return_all:
            stacks.append(val)
    if return_all:
        return best, best_index, np.stack(stacks) if stacks else np.zeros((0, n_samples, n_traces), np.float32)
    return best, best_index
