"""Constant-velocity migration of GPR profiles.

Migration moves dipping energy to its true position and collapses the
diffraction hyperbola of a small target (a pipe) onto its apex. Both methods
here take a time-zero-corrected section (sample 0 = ground surface) of shape
(samples, traces) and return a **migrated time section** of the same shape
and float32 dtype: row ``i`` is vertical two-way time ``i * dt_ns``, i.e.
depth ``i * dt_ns * velocity_m_ns / 2``. The input is never modified.

* :func:`migrate_kirchhoff` -- diffraction summation along hyperbolae, with
  the 2-D half-derivative (rho) filter and an obliquity weight; handles a
  limited aperture.
* :func:`migrate_stolt` -- frequency-wavenumber (Stolt) migration by linear
  interpolation of the spectrum, zero-padded in time and distance.

Output amplitudes are relative (only the shape of the image is meaningful).
Spatial aliasing is not treated: the trace spacing should be below a quarter
of the shortest wavelength in the ground, ``velocity_m_ns / (4 * f_max)``.
"""

from __future__ import annotations

import math

import numpy as np

from .filters import _FFT_KW, GprParameterError, _as_data, _fft, _next_fast_len, _positive

__all__ = ["migrate_kirchhoff", "migrate_stolt"]


def _check(data: np.ndarray, dt_ns: float, dx_m: float, velocity_m_ns: float) -> tuple[np.ndarray, float, float, float]:
    arr = _as_data(data)
    dt = _positive(dt_ns, "dt_ns")
    dx = _positive(dx_m, "dx_m")
    v = _positive(velocity_m_ns, "velocity_m_ns")
    if v > 0.3:
        raise GprParameterError("velocity_m_ns ({v}) is faster than light in vacuum (0.2998 m/ns).", v=v)
    if arr.shape[0] < 2 or arr.shape[1] < 1:
        raise GprParameterError("Cannot migrate a section of shape {shape}.", shape=arr.shape)
    return arr, dt, dx, v


def _half_derivative(arr: np.ndarray, dt_ns: float) -> np.ndarray:
    """(i omega)^(1/2) filter along time (float32; omega in rad/ns), zero-padded."""
    n = arr.shape[0]
    nfft = _next_fast_len(2 * n)
    spec = _fft.rfft(arr, n=nfft, axis=0, **_FFT_KW)
    omega = 2.0 * np.pi * np.fft.rfftfreq(nfft, dt_ns)
    # rfft uses exp(-i omega t), so d/dt is a multiplication by +i omega
    filt = np.sqrt(omega) * np.exp(1j * np.pi / 4.0)
    spec *= filt.astype(spec.dtype)[:, None]
    return np.ascontiguousarray(_fft.irfft(spec, n=nfft, axis=0, **_FFT_KW)[:n], dtype=np.float32)


def migrate_kirchhoff(data: np.ndarray, dt_ns: float, dx_m: float, velocity_m_ns: float,
                      aperture_m: float | None = None) -> np.ndarray:
    """Kirchhoff (diffraction-summation) time migration at constant velocity.

    Every output sample at trace ``x`` and vertical time ``tau`` is the sum,
    over input traces ``x + h`` within the aperture, of the input sample at
    ``t = sqrt(tau**2 + (2 h / v)**2)`` (linear interpolation in time),
    weighted by the obliquity ``tau / t`` and by ``dx_m``. The input is first
    filtered with the 2-D half-derivative ``sqrt(i omega)`` (the "rho"
    filter), so a physically modelled 2-D diffraction (the 2-D Green's function
    convolved with a zero-phase wavelet) focuses into a zero-phase point.
    The summation loops over the offsets ``h`` (not over traces or samples):
    each offset is one vectorised operation on the whole section, so the cost
    is (2 * aperture / dx + 1) x samples x traces.

    :param data: samples x traces array, time zero at sample 0.
    :param dt_ns: sample interval (ns).
    :param dx_m: trace spacing (m), constant.
    :param velocity_m_ns: ground velocity (m/ns).
    :param aperture_m: half-width of the summation (m). ``None`` takes the
        largest offset that can still reach the record:
        ``velocity_m_ns * t_max / 2`` (the deepest imaged depth).
    :return: new float32 samples x traces migrated time section.
    """
    arr, dt, dx, v = _check(data, dt_ns, dx_m, velocity_m_ns)
    n, m = arr.shape
    t_max = (n - 1) * dt
    aperture = v * t_max / 2.0 if aperture_m is None else _positive(aperture_m, "aperture_m")
    half = min(m - 1, int(math.floor(aperture / dx + 1e-9)))
    filtered = _half_derivative(arr, dt)
    tau = np.arange(n, dtype=np.float64) * dt
    out = np.zeros((n, m), dtype=np.float32)
    for k in range(-half, half + 1):
        t = np.sqrt(tau * tau + (2.0 * k * dx / v) ** 2)
        n_valid = int(np.searchsorted(t, t_max, side="right"))
        if n_valid == 0:
            continue
        t = t[:n_valid]
        pos = t / dt
        i0 = np.minimum(pos.astype(np.int64), n - 1)
        i1 = np.minimum(i0 + 1, n - 1)
        frac = pos - i0
        with np.errstate(invalid="ignore", divide="ignore"):
            obliquity = np.where(t > 0, tau[:n_valid] / t, 1.0)
        w1 = (frac * obliquity).astype(np.float32)[:, None]
        w0 = ((1.0 - frac) * obliquity).astype(np.float32)[:, None]
        src = slice(max(k, 0), m + min(k, 0))
        dst = slice(max(-k, 0), m - max(k, 0))
        block = filtered[:, src]
        out[:n_valid, dst] += w0 * block[i0] + w1 * block[i1]
    out *= np.float32(dx)
    return out


def migrate_stolt(data: np.ndarray, dt_ns: float, dx_m: float, velocity_m_ns: float) -> np.ndarray:
    """Stolt (frequency-wavenumber) time migration at constant velocity.

    The section is transformed to frequency ``f`` and wavenumber ``k``
    (zero-padded to twice the record length in time, and by the deepest
    imaged depth on both sides in distance). With the exploding-reflector
    velocity ``u = velocity_m_ns / 2``, the migrated spectrum at output
    frequency ``f_tau`` is the input spectrum at
    ``f = sqrt(f_tau**2 + (u k)**2)`` (linear interpolation between
    frequency bins) times the Jacobian ``f_tau / f``; the inverse transform is
    cropped to the input shape.

    Phase: the exploding-reflector mapping alone returns the image rotated
    by -90 degrees relative to :func:`migrate_kirchhoff` (it images the field
    rather than its time derivative). The spectrum is therefore rotated by
    +90 degrees so both methods give the same image: a 2-D diffraction
    modelled physically (2-D Green's function convolved with a zero-phase
    wavelet, which is how a pipe crossing the profile responds) focuses into
    a zero-phase point at its apex.

    :param data: samples x traces array, time zero at sample 0.
    :param dt_ns: sample interval (ns).
    :param dx_m: trace spacing (m), constant.
    :param velocity_m_ns: ground velocity (m/ns).
    :return: new float32 samples x traces migrated time section.
    """
    arr, dt, dx, v = _check(data, dt_ns, dx_m, velocity_m_ns)
    n, m = arr.shape
    nt = _next_fast_len(2 * n)
    reach = int(math.ceil(v * (n - 1) * dt / 2.0 / dx))  # largest lateral move, in traces
    nx = _next_fast_len(m + min(max(reach, 8), 2 * m))
    spec = _fft.rfft(arr, n=nt, axis=0, **_FFT_KW)
    spec = _fft.fft(spec, n=nx, axis=1, **_FFT_KW)
    nf = spec.shape[0]
    df = 1.0 / (nt * dt)                              # cycles/ns per bin
    f_tau = np.arange(nf, dtype=np.float64) * df
    kx = np.fft.fftfreq(nx, dx)                       # cycles/m
    u = v / 2.0
    f_in = np.sqrt(f_tau[:, None] ** 2 + (u * kx[None, :]) ** 2)
    pos = f_in / df
    valid = pos <= nf - 1
    i0 = np.minimum(pos.astype(np.int64), nf - 2)
    frac = (pos - i0).astype(np.float32)
    with np.errstate(invalid="ignore", divide="ignore"):
        jacobian = np.where(f_in > 0, f_tau[:, None] / f_in, 1.0).astype(np.float32)
    lo = np.take_along_axis(spec, i0, axis=0)
    hi = np.take_along_axis(spec, i0 + 1, axis=0)
    # +90 degree rotation (factor i): see the docstring
    mig = (lo * (1.0 - frac) + hi * frac) * np.where(valid, jacobian, np.float32(0.0)) * np.complex64(1j)
    out = _fft.ifft(mig, axis=1, **_FFT_KW)
    out = _fft.irfft(out, n=nt, axis=0, **_FFT_KW)
    return np.ascontiguousarray(out[:n, :m], dtype=np.float32)
