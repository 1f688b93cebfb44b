"""Loading the native kernel and declaring every C function it exports.

This is the ONE module that talks ctypes: every ``argtypes`` and ``restype``
is declared here, with ``np.ctypeslib.ndpointer(dtype, ndim, "C_CONTIGUOUS")``
for arrays, so a call with a wrong dtype, shape or memory layout raises
:class:`ctypes.ArgumentError` instead of reading garbage.

The library (``libpipemap_kernel.so``, built by ``make kernel`` from
``src/*.c``) is looked for, in order, at ``$PIPEMAP_KERNEL_LIB`` (when set)
and beside this file under the platform's names. :func:`load_library`
raises :class:`KernelLoadError` listing every path tried and why it failed;
:func:`get_library` returns None instead and logs that the numpy twins are
used -- once per process (``logging.getLogger(__name__)``).
"""

from __future__ import annotations

import ctypes
import logging
import os
import sys
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

#: must equal PM_KERNEL_ABI in src/pick.c
KERNEL_ABI = 2

LIBRARY_NAMES = {
    "linux": ("libpipemap_kernel.so",),
    "darwin": ("libpipemap_kernel.dylib", "libpipemap_kernel.so"),
    "win32": ("pipemap_kernel.dll", "libpipemap_kernel.dll"),
}
ENV_VAR = "PIPEMAP_KERNEL_LIB"

#: the folder searched for the library (tests monkeypatch it)
LIBRARY_DIR = Path(__file__).resolve().parent


class KernelLoadError(OSError):
    """The native kernel could not be loaded from any of the paths tried.

    :ivar tried: (path, reason) for every candidate path.
    """

    def __init__(self, tried: list[tuple[str, str]]) -> None:
        self.tried = tried
        lines = "; ".join(f"{path}: {reason}" for path, reason in tried) or "no candidate path"
        super().__init__(f"PipeMap native kernel not loaded (run `make kernel`). Tried {lines}")


def _f32(ndim: int) -> type:
    return np.ctypeslib.ndpointer(dtype=np.float32, ndim=ndim, flags="C_CONTIGUOUS")


def _f64(ndim: int) -> type:
    return np.ctypeslib.ndpointer(dtype=np.float64, ndim=ndim, flags="C_CONTIGUOUS")


def _i32(ndim: int) -> type:
    return np.ctypeslib.ndpointer(dtype=np.int32, ndim=ndim, flags="C_CONTIGUOUS")


_i = ctypes.c_int32
_d = ctypes.c_double

#: name -> (restype, argtypes) of every exported function
DECLARATIONS: dict[str, tuple[type, list[type]]] = {
    "pm_kernel_abi": (ctypes.c_int32, []),
    "pm_kernel_threads": (ctypes.c_int32, []),
    # data, n_samples, n_traces, carrier_re, carrier_im, window, n_window,
    # first, step, n_out, out_re, out_im
    "pm_demodulate": (ctypes.c_int32, [_f32(2), _i, _i, _f64(1), _f64(1), _f64(1), _i,
                                       _i, _i, _i, _f32(2), _f32(2)]),
    # env, n_samples, n_traces, dt_ns, t_first_ns, dx_m, velocities, n_vel, aperture_velocity,
    # reach_ns, aperture_max_m, t_min_ns, max_side, min_weight_fraction, best, best_index
    "pm_hyperbola_stack": (ctypes.c_int32, [_f32(2), _i, _i, _d, _d, _d, _f64(1), _i, _d,
                                            _d, _d, _d, _i, _d, _f32(2), _i32(2)]),
}


def candidate_paths() -> list[Path]:
    """Every path :func:`load_library` tries, in order."""
    paths: list[Path] = []
    env = os.environ.get(ENV_VAR)
    if env:
        paths.append(Path(env))
    key = "win32" if sys.platform.startswith("win") else ("darwin" if sys.platform == "darwin" else "linux")
    paths += [LIBRARY_DIR / name for name in LIBRARY_NAMES[key]]
    return paths


def declare(lib: ctypes.CDLL) -> ctypes.CDLL:
    """Set ``restype`` and ``argtypes`` of every function in DECLARATIONS."""
    for name, (restype, argtypes) in DECLARATIONS.items():
        func = getattr(lib, name)
        func.restype = restype
        func.argtypes = argtypes
    return lib


def load_library() -> ctypes.CDLL:
    """Load and declare the kernel, or raise :class:`KernelLoadError`
    naming every path tried (missing file, unloadable, missing symbol or a
    different ABI version)."""
    tried: list[tuple[str, str]] = []
    for path in candidate_paths():
        if not path.is_file():
            tried.append((str(path), "no such file"))
            continue
        try:
            lib = ctypes.CDLL(str(path))
            declare(lib)
        except (OSError, AttributeError) as exc:
            tried.append((str(path), str(exc)))
            continue
        abi = lib.pm_kernel_abi()
        if abi != KERNEL_ABI:
            tried.append((str(path), f"ABI version {abi}, expected {KERNEL_ABI} (rebuild with `make kernel`)"))
            continue
        return lib
    raise KernelLoadError(tried)


_state: dict[str, object] = {}


def get_library() -> ctypes.CDLL | None:
    """The loaded kernel, or None when it cannot be loaded (then the numpy
    twins run, and the log says so once)."""
    if "lib" not in _state:
        try:
            _state["lib"] = load_library()
            log.debug("PipeMap native kernel loaded")
        except KernelLoadError as exc:
            _state["lib"] = None
            log.warning("%s -- using the numpy versions instead (same results, slower).", exc)
    return _state["lib"]  # type: ignore[return-value]


def reset() -> None:
    """Forget the loaded library (tests use it to exercise the loader)."""
    _state.clear()
