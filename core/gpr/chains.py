"""Processing chains: named presets and user step lists applied to a Radargram.

A chain is a list of ``(step, params)`` pairs. :func:`parse_steps` reads one
from text such as::

    dewow(window_ns=5); background; gain_agc(window_ns=20); bandpass(low_mhz=100, high_mhz=800)

or a preset name (``none``, ``default``, ``strong``). :func:`apply_chain`
runs the steps through the pure functions of :mod:`.filters` and
:mod:`.migration`; each step returns a new radargram via
:meth:`Radargram.with_data`, whose history records the step with the
parameters actually used (defaults resolved, e.g. the dewow window derived
from the antenna frequency), so a history can be replayed exactly.

The presets run: blank the GSSI mark samples -> time zero (first break) ->
dewow -> background removal -> gain -> band-pass (-> AGC for "strong").
The mark samples go first because a counter word would be taken for the
first break. The time-zero step removes each trace's mean (DC) before
shifting, so the zero padding it adds at the bottom makes no step on raw
data with a large offset (dewow would remove that mean anyway). The first
break is searched on the undewowed traces because dewow's running mean,
shrinking at the top of the trace, distorts a direct wave that arrives
within one window of the first sample.

Defaults never require the antenna frequency: without it the dewow and AGC
windows come from the data's dominant frequency, and the band-pass is
skipped with a warning. Migration is never part of a preset.
"""

from __future__ import annotations

import ast
import copy
import logging
import math
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Union

import numpy as np

from ..errors import CancelledError, InputError
from . import filters as flt
from . import migration as mig
from .model import C_M_PER_NS, Radargram

log = logging.getLogger(__name__)

__all__ = ["PRESETS", "STEPS", "Step", "apply_chain", "format_steps", "parse_steps"]

StepList = list[tuple[str, dict[str, Any]]]
#: what a step function returns: (new data or None to skip, parameters used,
#: radargram attributes to change, message when skipped)
_Result = tuple[Union[np.ndarray, None], dict[str, Any], dict[str, Any], str]

#: time zero further down than this fraction of the record is not trusted
_MAX_TIME_ZERO_FRACTION = 1.0 / 3.0


@dataclass(frozen=True)
class Step:
    """One processing step the chain knows."""

    name: str
    run: Callable[..., _Result]
    params: tuple[str, ...]
    doc: str


# --- defaults derived from the radargram ----------------------------------------


def _frequency_mhz(rg: Radargram) -> float | None:
    f = rg.antenna.frequency_mhz if rg.antenna is not None else None
    return float(f) if f and f > 0 else None


def _period_ns(rg: Radargram) -> tuple[float, str]:
    """One period of the antenna frequency, or of the data's dominant one."""
    f = _frequency_mhz(rg)
    if f:
        return 1000.0 / f, "antenna"
    f = flt.dominant_frequency_mhz(rg.data, rg.dt_ns)
    if f > 0:
        return 1000.0 / f, "data"
    return rg.n_samples * rg.dt_ns / 10.0, "record"


def _trace_spacing_m(rg: Radargram) -> float:
    if rg.trace_spacing_m and rg.trace_spacing_m > 0:
        return float(rg.trace_spacing_m)
    if rg.distance_m is not None and len(rg.distance_m) > 1:
        step = float(np.median(np.diff(np.asarray(rg.distance_m, dtype=np.float64))))
        if step > 0:
            return step
    raise InputError("Migration needs the trace spacing: give TRACE_SPACING_M (the file has no distances).",
                     code="gpr.spacing")


def _velocity(rg: Radargram, velocity_m_ns: float | None) -> float:
    if velocity_m_ns:
        return float(velocity_m_ns)
    if rg.header.get("velocity_m_ns"):
        return float(rg.header["velocity_m_ns"])
    for key in ("epsr", "rhf_epsr"):  # relative permittivity (GSSI: rhf_epsr)
        try:
            epsr = float(rg.header.get(key) or 0.0)
        except (TypeError, ValueError):
            continue
        if math.isfinite(epsr) and epsr >= 1.0:
            return C_M_PER_NS / math.sqrt(epsr)
    raise InputError("Migration needs a velocity: give velocity_m_ns (the file gives no permittivity).",
                     code="gpr.velocity")


# --- steps ------------------------------------------------------------------------


def _zero_marks(rg: Radargram, n: int | None = None, fill: str = "edge") -> _Result:
    if n is None:
        n = rg.header.get("mark_samples")
        if n is None and rg.format.lower() == "dzt":
            n = 2
        if not n:
            return None, {}, {}, ""  # nothing to blank: skip silently
    return flt.zero_mark_samples(rg.data, int(n), fill), {"n": int(n), "fill": fill}, {}, ""


def _time_zero(rg: Radargram, t0_ns: float | None = None, threshold: float = 0.2) -> _Result:
    """First break of the mean trace, trusted when it lies in the first third
    of the record (or within a quarter record below the file's time zero,
    whose value is used instead when the first break is further down)."""
    if t0_ns is None:
        t0 = flt.first_break_ns(rg.data, rg.dt_ns, threshold)
        record = rg.n_samples * rg.dt_ns
        hint = rg.time_zero_ns if 0 < rg.time_zero_ns < record else None  # the file header's time zero
        limit = hint + record / 4.0 if hint is not None else _MAX_TIME_ZERO_FRACTION * record
        if t0 > limit:
            if hint is None:
                return None, {}, {}, (f"first break found at {t0:.2f} ns, below the first third of the record: "
                                      "no direct wave? time zero left unchanged")
            warnings.warn(f"first break found at {t0:.2f} ns, far below the file's time zero ({hint:g} ns): "
                          "the file's value is used", UserWarning, stacklevel=2)
            t0 = hint
        params = {"t0_ns": round(t0, 4), "threshold": threshold}
    else:
        t0 = float(t0_ns)
        params = {"t0_ns": t0}
    # remove each trace's DC first: the zero padding at the bottom then makes
    # no step (raw data can sit at ~1e4); dewow would remove the DC anyway
    data = rg.data
    centred = data - data.mean(axis=0, dtype=np.float64).astype(np.float32)[None, :]
    return flt.time_zero_shift(centred, rg.dt_ns, t0), params, {"time_zero_ns": 0.0}, ""


def _dewow(rg: Radargram, window_ns: float | None = None) -> _Result:
    if window_ns is None:
        period, _source = _period_ns(rg)
        window_ns = round(period, 4)
    return flt.dewow(rg.data, rg.dt_ns, window_ns), {"window_ns": window_ns}, {}, ""


def _background(rg: Radargram, window_traces: int | None = None) -> _Result:
    return flt.remove_background(rg.data, window_traces), {"window_traces": window_traces}, {}, ""


def _gain_power(rg: Radargram, power: float = 1.0, t0_ns: float | None = None) -> _Result:
    t0 = rg.time_zero_ns if t0_ns is None else float(t0_ns)
    return flt.gain_power(rg.data, rg.dt_ns, power, t0), {"power": power, "t0_ns": t0}, {}, ""


def _gain_sec(rg: Radargram, alpha_per_ns: float | None = None, power: float = 1.0,
              attenuation_db_m: float | None = None, velocity_m_ns: float | None = None,
              t0_ns: float | None = None, max_gain: float | None = None) -> _Result:
    """Without alpha_per_ns or attenuation_db_m, alpha and max_gain are fitted
    to the data's decay (:func:`filters.fit_sec_gain`)."""
    t0 = rg.time_zero_ns if t0_ns is None else float(t0_ns)
    if attenuation_db_m is not None:
        if alpha_per_ns is not None:
            raise flt.GprParameterError("Give either alpha_per_ns or attenuation_db_m, not both.")
        v = velocity_m_ns or rg.header.get("velocity_m_ns") or 0.1
        alpha_per_ns = round(flt.alpha_per_ns_from_db_m(attenuation_db_m, v), 6)
    if alpha_per_ns is None:
        alpha_per_ns, fitted_max = flt.fit_sec_gain(rg.data, rg.dt_ns, power, t0)
        if max_gain is None:
            max_gain = fitted_max
    if max_gain is None:
        max_gain = 1e6
    params = {"alpha_per_ns": alpha_per_ns, "power": power, "t0_ns": t0, "max_gain": max_gain}
    return flt.gain_sec(rg.data, rg.dt_ns, alpha_per_ns, power, t0, max_gain), params, {}, ""


def _gain_agc(rg: Radargram, window_ns: float | None = None) -> _Result:
    if window_ns is None:
        period, _source = _period_ns(rg)
        window_ns = round(10.0 * period, 4)
    return flt.gain_agc(rg.data, rg.dt_ns, window_ns), {"window_ns": window_ns}, {}, ""


def _bandpass(rg: Radargram, low_mhz: float | None = None, high_mhz: float | None = None, order: int = 4,
              method: str = "auto") -> _Result:
    if low_mhz is None and high_mhz is None:
        f = _frequency_mhz(rg)
        if f is None:
            return None, {}, {}, ("antenna frequency unknown: band-pass skipped "
                                  "(give bandpass(low_mhz=..., high_mhz=...) to filter)")
        low_mhz, high_mhz = round(f / 2.0, 3), round(2.0 * f, 3)
        nyquist = 500.0 / rg.dt_ns
        if low_mhz >= flt.NYQUIST_FRACTION * nyquist:  # corners derived, not asked for: skip, do not fail
            return None, {}, {}, (f"the antenna's band ({low_mhz:g}-{high_mhz:g} MHz) lies above the Nyquist "
                                  f"frequency of the sampling ({nyquist:.1f} MHz): band-pass skipped")
    params = {"low_mhz": low_mhz, "high_mhz": high_mhz, "order": order, "method": method}
    return flt.bandpass(rg.data, rg.dt_ns, low_mhz, high_mhz, order, method), params, {}, ""


def _migration_inputs(rg: Radargram, velocity_m_ns: float | None,
                      dx_m: float | None) -> tuple[float, float, str]:
    v = _velocity(rg, velocity_m_ns)
    dx = float(dx_m) if dx_m is not None else _trace_spacing_m(rg)
    note = ""
    if abs(rg.time_zero_ns) > rg.dt_ns:
        note = f"time zero is at {rg.time_zero_ns:g} ns, not at the first sample: run time_zero before migrating"
    return v, dx, note


def _migrate_kirchhoff(rg: Radargram, velocity_m_ns: float | None = None, aperture_m: float | None = None,
                       dx_m: float | None = None) -> _Result:
    v, dx, note = _migration_inputs(rg, velocity_m_ns, dx_m)
    data = mig.migrate_kirchhoff(rg.data, rg.dt_ns, dx, v, aperture_m)
    if note:
        warnings.warn(note, UserWarning, stacklevel=2)
    return data, {"velocity_m_ns": v, "dx_m": dx, "aperture_m": aperture_m}, {}, ""


def _migrate_stolt(rg: Radargram, velocity_m_ns: float | None = None, dx_m: float | None = None) -> _Result:
    v, dx, note = _migration_inputs(rg, velocity_m_ns, dx_m)
    data = mig.migrate_stolt(rg.data, rg.dt_ns, dx, v)
    if note:
        warnings.warn(note, UserWarning, stacklevel=2)
    return data, {"velocity_m_ns": v, "dx_m": dx}, {}, ""


def _step(name: str, run: Callable[..., _Result], params: Sequence[str], doc: str) -> Step:
    return Step(name, run, tuple(params), doc)


#: every step the chain knows, by canonical name
STEPS: dict[str, Step] = {s.name: s for s in (
    _step("zero_marks", _zero_marks, ("n", "fill"),
          "blank the first n samples (GSSI counter/mark words); default from the file header"),
    _step("time_zero", _time_zero, ("t0_ns", "threshold"),
          "remove each trace's mean, then shift time zero to the direct-wave arrival (first break) or to t0_ns"),
    _step("dewow", _dewow, ("window_ns",), "subtract a running mean (default: one antenna period)"),
    _step("background", _background, ("window_traces",),
          "subtract the mean trace (of all traces, or of a moving window)"),
    _step("gain_power", _gain_power, ("power", "t0_ns"), "t ** power gain"),
    _step("gain_sec", _gain_sec, ("alpha_per_ns", "power", "attenuation_db_m", "velocity_m_ns", "t0_ns",
                                  "max_gain"),
          "spreading and exponential compensation gain (default: fitted to the data's decay)"),
    _step("gain_agc", _gain_agc, ("window_ns",), "automatic gain control (default: 10 antenna periods)"),
    _step("bandpass", _bandpass, ("low_mhz", "high_mhz", "order", "method"),
          "zero-phase Butterworth band-pass (default: antenna frequency / 2 .. x 2; skipped if unknown)"),
    _step("migrate_kirchhoff", _migrate_kirchhoff, ("velocity_m_ns", "aperture_m", "dx_m"),
          "Kirchhoff time migration (velocity from the header permittivity when not given)"),
    _step("migrate_stolt", _migrate_stolt, ("velocity_m_ns", "dx_m"),
          "Stolt f-k time migration (velocity from the header permittivity when not given)"),
)}

#: other spellings accepted by :func:`parse_steps`
ALIASES: dict[str, str] = {
    "zero_mark_samples": "zero_marks", "marks": "zero_marks",
    "time_zero_shift": "time_zero", "timezero": "time_zero", "t0": "time_zero",
    "remove_background": "background", "bgr": "background", "background_removal": "background",
    "gain": "gain_sec", "sec": "gain_sec", "agc": "gain_agc", "power": "gain_power",
    "kirchhoff": "migrate_kirchhoff", "stolt": "migrate_stolt", "migrate": "migrate_kirchhoff",
}

#: named chains; "default" is what a plain import/pick run uses
PRESETS: dict[str, StepList] = {
    "none": [],
    "default": [
        ("zero_marks", {}),
        ("time_zero", {}),
        ("dewow", {}),
        ("background", {}),
        ("gain_sec", {}),
        ("bandpass", {}),
    ],
    "strong": [
        ("zero_marks", {}),
        ("time_zero", {}),
        ("dewow", {}),
        ("background", {}),
        ("bandpass", {}),
        ("gain_agc", {}),
    ],
}


# --- parsing ------------------------------------------------------------------------


def _split_top_level(text: str) -> list[str]:
    """Split on ';' and new lines outside parentheses."""
    parts, depth, current = [], 0, []
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch in ";\n" and depth <= 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(ch)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def _canonical(name: str, source: str) -> str:
    key = name.strip().lower()
    key = ALIASES.get(key, key)
    if key not in STEPS:
        known = ", ".join([*STEPS, *PRESETS])
        raise InputError("Unknown processing step '{name}' in '{source}'. Known steps and presets: {known}.",
                         code="gpr.steps", name=name, source=source, known=known)
    return key


def _check_params(step: str, params: dict[str, Any], source: str) -> None:
    allowed = STEPS[step].params
    for key in params:
        if key not in allowed:
            raise InputError("The step '{step}' has no argument '{arg}' (in '{source}'); its arguments are: {allowed}.",
                             code="gpr.steps", step=step, arg=key, source=source,
                             allowed=", ".join(allowed) or "none")


def parse_steps(text: str) -> StepList:
    """Read a processing step list.

    Steps are separated by ``;`` or new lines; each is a step name, optionally
    followed by ``(name=value, ...)`` with numbers, ``None``, ``True``/``False``
    or quoted strings as values. A preset name (``none``, ``default``,
    ``strong``) may stand alone or among the steps, and is expanded. Names are
    case-insensitive and a few aliases are accepted (``remove_background``,
    ``agc``, ``stolt``...).

    :return: list of ``(canonical step name, parameters)``.
    :raises InputError: unknown step, unknown argument, positional argument,
        or a value that is not a literal, with the offending text quoted.
    """
    if text is None:
        return []
    if not isinstance(text, str):
        raise InputError("A processing step list must be text, not {kind}.", code="gpr.steps",
                         kind=type(text).__name__)
    steps: StepList = []
    for piece in _split_top_level(text):
        try:
            node = ast.parse(piece, mode="eval").body
        except SyntaxError:
            raise InputError("Cannot read the processing step '{source}': write name or name(arg=value, ...).",
                             code="gpr.steps", source=piece) from None
        if isinstance(node, ast.Name):
            name, params = node.id, {}
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            if node.args:
                raise InputError("Write the arguments of '{source}' as name=value.", code="gpr.steps", source=piece)
            params = {}
            for kw in node.keywords:
                if kw.arg is None:
                    raise InputError("Write the arguments of '{source}' as name=value.", code="gpr.steps",
                                     source=piece)
                try:
                    params[kw.arg] = ast.literal_eval(kw.value)
                except ValueError:
                    raise InputError("The value of '{arg}' in '{source}' must be a number, None, True/False "
                                     "or a quoted text.", code="gpr.steps", arg=kw.arg, source=piece) from None
        else:
            raise InputError("Cannot read the processing step '{source}': write name or name(arg=value, ...).",
                             code="gpr.steps", source=piece)
        if name.lower() in PRESETS:
            if params:
                raise InputError("The preset '{name}' takes no arguments (in '{source}').", code="gpr.steps",
                                 name=name, source=piece)
            steps.extend((s, dict(p)) for s, p in PRESETS[name.lower()])
            continue
        step = _canonical(name, piece)
        _check_params(step, params, piece)
        steps.append((step, params))
    return steps


def format_steps(steps: Iterable[tuple[str, dict[str, Any]]]) -> str:
    """The text form of a step list (what :func:`parse_steps` reads back)."""
    out = []
    for name, params in steps:
        args = ", ".join(f"{k}={v!r}" for k, v in params.items())
        out.append(f"{name}({args})" if args else name)
    return "; ".join(out)


# --- applying -------------------------------------------------------------------------


def _normalise(steps: str | Iterable[tuple[str, dict[str, Any]]] | None) -> StepList:
    if steps is None:
        return []
    if isinstance(steps, str):
        return parse_steps(steps)
    out: StepList = []
    for item in steps:
        if isinstance(item, str):
            out.extend(parse_steps(item))
            continue
        name, params = item
        source = f"{name}({params})"
        step = _canonical(name, source)
        params = dict(params or {})
        _check_params(step, params, source)
        out.append((step, params))
    return out


def _with_warnings(rg: Radargram, messages: list[str]) -> Radargram:
    if not messages:
        return rg
    new = copy.copy(rg)
    new.warnings = [*rg.warnings, *messages]
    return new


def apply_chain(rg: Radargram, steps: str | Iterable[tuple[str, dict[str, Any]]] | None,
                progress: Any = None) -> Radargram:
    """Run processing steps on a radargram.

    :param rg: input radargram (not modified).
    :param steps: a step-list text or preset name (see :func:`parse_steps`), or
        a list of ``(step, params)``.
    :param progress: optional :class:`~pipemap.core.progress.Progress`; checked
        for cancellation between steps.
    :return: a new radargram; its history has one ``(step, parameters used,
        version)`` entry per step that ran, and its ``warnings`` the messages
        of steps that warned or were skipped (prefixed with the step name).
        Non-finite samples are set to 0 first, with a warning.
    :raises InputError: unknown step or argument, or a step's parameters are
        impossible (the message names the step).
    :raises CancelledError: the user cancelled; nothing is returned.
    """
    plan = _normalise(steps)
    current = rg
    pad_rows = 0
    if plan:
        data = rg.data
        bad = ~np.isfinite(data)
        if bad.any():
            count = int(bad.sum())
            clean = np.where(bad, np.float32(0.0), data)
            current = rg.with_data(clean, "replace_nonfinite", {"count": count})
            current.warnings.append(f"{count} non-finite samples set to 0")
    for index, (name, params) in enumerate(plan):
        if progress is not None:
            if progress.cancelled():
                raise CancelledError()
            progress.report(index / len(plan), name)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            try:
                data, used, changes, skipped = STEPS[name].run(current, **params)
            except (ValueError, TypeError, ArithmeticError, np.linalg.LinAlgError) as exc:  # GprParameterError is a
                # ValueError; the others come from extreme values a file may hold (filter design, fits)
                raise InputError("Processing step '{step}' failed{where}: {reason}", code="gpr.step",
                                 step=name, where=f" on {rg.path}" if rg.path else "", reason=str(exc)) from exc
        messages = [f"{name}: {w.message}" for w in caught]
        if data is None:
            if skipped:
                messages.append(f"{name}: {skipped}")
            current = _with_warnings(current, messages)
        else:
            if name == "time_zero":
                # the samples shifted in at the bottom are padding, not signal: keep them
                # at zero through the later steps (gain would turn them into stripes)
                pad_rows = min(int(round(float(used.get("t0_ns") or 0.0) / current.dt_ns)), data.shape[0])
            elif pad_rows > 0:
                if np.shares_memory(data, current.data):
                    data = data.copy()
                data[-pad_rows:] = 0.0
            current = current.with_data(data, name, used, **changes)
            current.warnings.extend(messages)
        for message in messages:
            log.warning(message)
            if progress is not None:
                progress.warning(message)
    if progress is not None and plan:
        progress.report(1.0, "")
    return current
