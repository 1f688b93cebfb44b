"""A GPR forward model for tests, demos and benchmarks (zero-offset B-scans).

Targets are points or horizontal cylinders (pipes, voids) crossed at right
angles by the profile. For a cylinder of radius ``R`` whose top is at depth
``d`` below the ground, the two-way time at horizontal offset ``u`` from its
axis is ``t(u) = 2 (sqrt(u^2 + (d + R)^2) - R) / v`` (a point is ``R = 0``).
The wavelet is a Ricker of the antenna's centre frequency; amplitudes fall
with geometric spreading (``1/sqrt(r)`` for line targets), attenuation
``exp(-alpha r)`` and an antenna directivity ``cos^k``. A scene may add the
direct wave with ringing, flat or gently dipping layers, surface clutter and
Gaussian noise. Time zero is the ground surface (the direct-wave arrival).

Optional realism (all off by default, so older scenes are unchanged): an
asymmetric antenna-like ``wavelet`` ("damped"), the antenna ringing on every
reflection (``ringing_targets``), the centre frequency falling with path
length (``freq_drop_per_m``, a stand-in for frequency-dependent
attenuation) and a laterally correlated, band-limited soil ``texture``.

Everything follows from ``seed``; ``truth`` lists every target with the
apex time, depth and apex amplitude actually drawn (for scoring pickers).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .model import Antenna, Radargram

C_M_PER_NS = 0.299792458


@dataclass
class Target:
    x_m: float  #: position along the profile
    depth_m: float  #: depth of the target's top below the ground
    radius_m: float = 0.0  #: 0 for a point
    reflectivity: float = 1.0  #: signed: > 0 metal (same polarity as the direct wave), < 0 air void
    kind: str = "pipe"


@dataclass
class Layer:
    depth_m: float
    reflectivity: float = 0.3
    dip: float = 0.0  #: depth change per metre along the profile


@dataclass
class Scene:
    n_traces: int = 400
    dx_m: float = 0.02
    n_samples: int = 512
    dt_ns: float = 0.1
    velocity_m_ns: float = 0.1
    freq_mhz: float = 400.0
    targets: list[Target] = field(default_factory=list)
    layers: list[Layer] = field(default_factory=list)
    noise_rms: float = 0.0
    attenuation_db_m: float = 2.0
    direct_wave: float = 3.0  #: amplitude of the direct wave (0: none)
    ringing: float = 0.0  #: relative amplitude of antenna ringing repeats
    clutter: int = 0  #: number of small shallow scatterers
    t0_samples: int = 20  #: sample index of time zero (the direct wave)
    seed: int = 0
    wavelet: str = "ricker"  #: "ricker" (zero phase) or "damped" (causal, antenna-like; see :func:`wavelet`)
    ringing_targets: bool = False  #: the ringing repeats follow every reflection, not only the direct wave
    freq_drop_per_m: float = 0.0  #: relative fall of the centre frequency per metre of two-way path
    texture_rms: float = 0.0  #: RMS of band-limited, laterally correlated soil texture (clutter)


@dataclass
class TruthTarget:
    x_m: float
    depth_m: float
    radius_m: float
    t0_ns: float  #: apex two-way time from time zero
    velocity_m_ns: float
    apex_amplitude: float  #: peak amplitude of the apex trace (signed)
    kind: str
    polarity: int


#: scales the damped wavelet's largest lobe to +1 (measured once, for any frequency)
_DAMPED_SCALE = 1.0 / 0.98417964


def ricker(t_ns: np.ndarray, freq_mhz: float) -> np.ndarray:
    """Ricker wavelet (peak 1 at t = 0) for a centre frequency in MHz."""
    f = np.asarray(freq_mhz, dtype=np.float64) / 1000.0  # GHz = 1/ns
    a = (math.pi * f * t_ns) ** 2
    return (1.0 - 2.0 * a) * np.exp(-a)


def damped(t_ns: np.ndarray, freq_mhz) -> np.ndarray:
    """Causal antenna-like wavelet: the time derivative of a cosine of the
    centre frequency under a ``(s / tau)^2 exp(-s / tau)`` envelope (tau =
    0.3 period), so it has no DC (a radiated field) and starts smoothly at
    ``s = 0``, a quarter period before ``t = 0`` (like a first-break time
    zero, ``t = 0`` is near the onset, not at the envelope peak); largest
    lobe scaled to 1 and positive."""
    f = np.asarray(freq_mhz, dtype=np.float64) / 1000.0
    s = np.maximum(t_ns + 0.25 / f, 0.0)
    tau = 0.3 / f
    a = s / tau
    omega = 2.0 * math.pi * f
    # d/ds [a^2 exp(-a) cos(omega s)]
    w = (2.0 * a - a * a) / tau * np.exp(-a) * np.cos(omega * s) - a * a * np.exp(-a) * omega * np.sin(omega * s)
    return w * (_DAMPED_SCALE * tau)


def wavelet(t_ns: np.ndarray, freq_mhz, kind: str = "ricker") -> np.ndarray:
    """The scene's wavelet: ``"ricker"`` or ``"damped"``; ``freq_mhz`` may be
    an array broadcasting against ``t_ns``."""
    if kind == "ricker":
        return ricker(t_ns, freq_mhz)
    if kind == "damped":
        return damped(t_ns, freq_mhz)
    raise ValueError(f"unknown wavelet {kind!r} (use 'ricker' or 'damped')")


def cylinder_time_ns(u_m: np.ndarray, depth_m: float, radius_m: float, velocity_m_ns: float) -> np.ndarray:
    """Two-way time of the reflection from a cylinder (top at depth_m) at offset u."""
    centre = depth_m + radius_m
    return 2.0 * (np.sqrt(u_m ** 2 + centre ** 2) - radius_m) / velocity_m_ns


def _pulse(t_ns: np.ndarray, freq_mhz, scene: Scene, ringing: bool) -> np.ndarray:
    """The scene's wavelet, followed by the antenna ringing repeats when asked."""
    out = wavelet(t_ns, freq_mhz, scene.wavelet)
    if ringing and scene.ringing:
        period = 1000.0 / np.asarray(freq_mhz, dtype=np.float64)
        for k in range(1, 4):
            out = out + scene.ringing ** k * wavelet(t_ns - k * 1.6 * period, freq_mhz, scene.wavelet) * (-1) ** k
    return out


def _freq(scene: Scene, path_m) -> np.ndarray:
    """Centre frequency (MHz) of a reflection after ``path_m`` of two-way path."""
    return scene.freq_mhz * np.exp(-scene.freq_drop_per_m * np.asarray(path_m, dtype=np.float64))


def texture(scene: Scene, rng: np.random.Generator) -> np.ndarray:
    """Heterogeneous-soil clutter: white noise filtered by the wavelet in time
    and a ~0.1 m running mean across traces, scaled to ``texture_rms``
    (float64, samples x traces)."""
    ns, nt = scene.n_samples, scene.n_traces
    white = rng.standard_normal((ns, nt))
    tw = (np.arange(ns) - ns // 2) * scene.dt_ns
    kernel = np.fft.ifftshift(ricker(tw, scene.freq_mhz))
    field_ = np.fft.irfft(np.fft.rfft(white, axis=0) * np.fft.rfft(kernel)[:, None], n=ns, axis=0)
    width = max(1, int(round(0.1 / scene.dx_m)))
    if width > 1:
        cs = np.cumsum(np.pad(field_, ((0, 0), (width, 0)), mode="edge"), axis=1)
        field_ = (cs[:, width:] - cs[:, :-width]) / width
    rms = float(np.sqrt(np.mean(field_ ** 2))) or 1.0
    return field_ * (scene.texture_rms / rms)


def scene_noise_rms(scene: Scene) -> float:
    """RMS of everything random in the scene that is not a reflector: the
    Gaussian noise and the soil texture (used to decide which targets are
    detectable)."""
    return float(math.hypot(scene.noise_rms, scene.texture_rms))


def simulate(scene: Scene) -> tuple[np.ndarray, list[TruthTarget]]:
    """float32 samples x traces and the truth for every target."""
    rng = np.random.default_rng(scene.seed)
    ns, nt = scene.n_samples, scene.n_traces
    t = (np.arange(ns) - scene.t0_samples) * scene.dt_ns  # time from time zero (ns)
    x = np.arange(nt) * scene.dx_m
    data = np.zeros((ns, nt), dtype=np.float64)
    v = scene.velocity_m_ns
    alpha = scene.attenuation_db_m / 8.686  # nepers per metre
    if scene.direct_wave:
        wave = scene.direct_wave * _pulse(t, scene.freq_mhz, scene, True)
        data += wave[:, None] * (1.0 + 0.02 * rng.standard_normal(nt))[None, :]
    for layer in scene.layers:
        depth = layer.depth_m + layer.dip * (x - x[0])
        tl = 2.0 * depth / v
        amp = layer.reflectivity * np.exp(-alpha * 2 * depth) / np.sqrt(np.maximum(2 * depth, 0.05))
        f = _freq(scene, 2 * depth)[None, :]
        data += amp[None, :] * _pulse(t[:, None] - tl[None, :], f, scene, scene.ringing_targets)
    for _ in range(scene.clutter):
        cx = rng.uniform(x[0], x[-1])
        cz = rng.uniform(0.02, 0.12)
        camp = rng.uniform(0.2, 0.8) * rng.choice([-1, 1])
        u = x - cx
        tc = 2.0 * np.sqrt(u ** 2 + cz ** 2) / v
        r = np.sqrt(u ** 2 + cz ** 2)
        w = camp * (cz / r) ** 4 / np.sqrt(r + 0.05)
        near = np.abs(u) < 1.0
        data[:, near] += w[near][None, :] * _pulse(t[:, None] - tc[near][None, :], scene.freq_mhz, scene,
                                                   scene.ringing_targets)
    truth: list[TruthTarget] = []
    for tg in scene.targets:
        u = x - tg.x_m
        centre = tg.depth_m + tg.radius_m
        r = np.sqrt(u ** 2 + centre ** 2) - tg.radius_m
        tt = 2.0 * r / v
        directivity = (centre / np.sqrt(u ** 2 + centre ** 2)) ** 2
        amp = tg.reflectivity * directivity * np.exp(-alpha * 2 * r) / np.sqrt(2 * r + 0.05)
        window = np.abs(u) < max(3.0, 4 * centre)
        f = _freq(scene, 2 * r[window])[None, :]
        contrib = amp[window][None, :] * _pulse(t[:, None] - tt[window][None, :], f, scene, scene.ringing_targets)
        data[:, window] += contrib
        apex_amp = float(tg.reflectivity * np.exp(-alpha * 2 * tg.depth_m) / np.sqrt(2 * tg.depth_m + 0.05))
        truth.append(TruthTarget(tg.x_m, tg.depth_m, tg.radius_m, float(2 * tg.depth_m / v), v, apex_amp,
                                 tg.kind, 1 if tg.reflectivity > 0 else -1))
    if scene.noise_rms:
        data += scene.noise_rms * rng.standard_normal(data.shape)
    if scene.texture_rms:
        data += texture(scene, rng)
    return data.astype(np.float32), truth


def scene_radargram(scene: Scene) -> tuple[Radargram, list[TruthTarget]]:
    """The scene as a Radargram (time zero set, distances, antenna)."""
    data, truth = simulate(scene)
    rg = Radargram(path=None, format="synthetic", dt_ns=scene.dt_ns, antenna=Antenna("synthetic", scene.freq_mhz))
    rg = rg.with_data(data, "simulate", {"seed": scene.seed, "velocity_m_ns": scene.velocity_m_ns},
                      distance_m=np.arange(scene.n_traces) * scene.dx_m, trace_spacing_m=scene.dx_m,
                      time_zero_ns=scene.t0_samples * scene.dt_ns)
    return rg, truth


def fresnel_width_m(centre_depth_m: float, wavelength_m: float) -> float:
    """Diameter of the first Fresnel zone, sqrt(2 z lambda): two reflectors
    closer than this across the profile merge into one hyperbola top in an
    unmigrated B-scan."""
    return math.sqrt(2.0 * max(centre_depth_m, 0.0) * wavelength_m)


def _apart(a: Target, b: Target, wavelength_m: float) -> bool:
    """True when two targets are resolvable in a B-scan: edge to edge across
    the profile at least 0.3 m and one Fresnel zone of the deeper centre,
    or the lower one's top at least max(0.3 m, 2 wavelengths) under the
    upper one's bottom."""
    lateral = abs(a.x_m - b.x_m) - a.radius_m - b.radius_m
    deeper = max(a.depth_m + a.radius_m, b.depth_m + b.radius_m)
    if lateral >= max(0.3, fresnel_width_m(deeper, wavelength_m)):
        return True
    upper, lower = (a, b) if a.depth_m <= b.depth_m else (b, a)
    return lower.depth_m - (upper.depth_m + 2 * upper.radius_m) >= max(0.3, 2.0 * wavelength_m)


def random_scene(seed: int, n_traces: int = 500, n_samples: int = 512) -> Scene:
    """A varied realistic scene drawn from ``seed``.

    One soil velocity (relative permittivity 3.5-25), antenna 250-900 MHz
    sampled 12-24 times a period, trace spacing 1-5 cm, time zero at sample
    10-40; 1-5 targets (55 % metal pipes, 20 % air voids, 25 % weak plastic
    pipes of either polarity; radius 0-0.3 m; apex depth 0.25-2.5 m and in
    the record, far enough from the ends for both limbs to show), often in
    close pairs or stacked, always resolvable in an unmigrated B-scan (at
    least 0.3 m and one Fresnel zone apart edge to edge, or two wavelengths
    apart in depth: see :func:`_apart`); 0-2 gently dipping layers,
    surface clutter, direct-wave ringing (on every reflection in half the
    scenes), Gaussian noise, soil texture in 40 % of the scenes, an
    antenna-like causal wavelet in 30 % and a falling centre frequency in
    half of them.
    """
    rng = np.random.default_rng(seed)
    eps = rng.uniform(3.5, 25.0)
    v = C_M_PER_NS / math.sqrt(eps)
    freq = float(rng.choice([250.0, 400.0, 500.0, 900.0]))
    dt = 1000.0 / freq / float(rng.uniform(12.0, 24.0))
    dx = float(rng.choice([0.01, 0.02, 0.025, 0.05]))
    t0 = int(rng.integers(10, 41))
    max_depth = (n_samples - t0 - 40) * dt * v / 2.0
    length = (n_traces - 1) * dx
    wavelength = v / (freq / 1000.0)
    deepest = min(2.5, 0.75 * max_depth)
    targets: list[Target] = []
    for _ in range(int(rng.integers(1, 6))):
        for _attempt in range(60):
            radius = float(rng.choice([0.0, 0.025, 0.05, 0.1, 0.2, 0.3]))
            mode = rng.random()
            if targets and mode < 0.35:  # a close pair
                other = targets[int(rng.integers(len(targets)))]
                depth = float(np.clip(other.depth_m + rng.uniform(-0.15, 0.15), 0.25, deepest))
                gap = max(0.3, fresnel_width_m(max(depth + radius, other.depth_m + other.radius_m), wavelength))
                side = rng.choice([-1.0, 1.0])
                x = other.x_m + side * (gap + other.radius_m + radius + rng.uniform(0.0, 0.3))
            elif targets and mode < 0.5:  # stacked
                other = targets[int(rng.integers(len(targets)))]
                x = other.x_m + rng.uniform(-0.1, 0.1)
                depth = other.depth_m + 2 * other.radius_m + max(0.3, 2.0 * wavelength) + rng.uniform(0.0, 0.4)
            else:
                x = float(rng.uniform(0.15 * length, 0.85 * length))
                depth = float(rng.uniform(0.25, deepest))
            # both limbs on the profile: 15 % of it, and 0.8 x centre depth + 0.3 m
            # (at most 40 % of it), from either end
            margin = max(0.15 * length, min(0.8 * (depth + radius) + 0.3, 0.4 * length))
            if not (0.25 <= depth <= deepest and margin <= x <= length - margin):
                continue
            kind_draw = rng.random()
            if kind_draw < 0.55:
                kind, refl = "pipe", float(rng.uniform(0.6, 1.5))
            elif kind_draw < 0.75:
                kind, refl = "void", -float(rng.uniform(0.6, 1.5))
            else:
                kind, refl = "plastic", float(rng.uniform(0.15, 0.5)) * float(rng.choice([-1.0, 1.0]))
            cand = Target(float(x), float(depth), radius, refl, kind)
            if all(_apart(cand, other, wavelength) for other in targets):
                targets.append(cand)
                break
    layers = [Layer(float(rng.uniform(0.3, 0.9 * max_depth)), float(rng.uniform(0.1, 0.4)),
                    float(rng.uniform(-0.03, 0.03))) for _ in range(int(rng.integers(0, 3)))]
    return Scene(n_traces=n_traces, dx_m=dx, n_samples=n_samples, dt_ns=dt, velocity_m_ns=v, freq_mhz=freq,
                 targets=targets, layers=layers, noise_rms=float(rng.uniform(0.002, 0.02)),
                 attenuation_db_m=float(rng.uniform(1.0, 6.0)), direct_wave=3.0,
                 ringing=float(rng.uniform(0.0, 0.4)), clutter=int(rng.integers(0, 8)), t0_samples=t0, seed=seed,
                 wavelet="damped" if rng.random() < 0.3 else "ricker",
                 ringing_targets=bool(rng.random() < 0.5),
                 freq_drop_per_m=float(rng.uniform(0.0, 0.15)) if rng.random() < 0.5 else 0.0,
                 texture_rms=float(rng.uniform(0.003, 0.015)) if rng.random() < 0.4 else 0.0)


def survey_across_map(crossings: list[dict], line_length_m: float, *, velocity_m_ns: float = 0.1,
                      freq_mhz: float = 400.0, dx_m: float = 0.05, dt_ns: float = 0.1, n_samples: int = 1024,
                      skip: tuple[str, ...] = (), depth_shift: dict[str, float] | None = None,
                      voids: tuple[tuple[float, float], ...] = (), noise_rms: float = 0.004,
                      seed: int = 0) -> tuple[Scene, list[TruthTarget]]:
    """A synthetic survey along a line crossing mapped pipes.

    :param crossings: dicts with ``pipe_id``, ``distance_m`` (along the line),
        ``depth_m`` (pipe top below ground) and ``radius_m``, e.g. from
        :func:`pipemap.core.gpr.reconcile.reconcile` with no picks.
    :param skip: pipes the radar does not see (to test "not detected").
    :param depth_shift: pipe id -> metres added to its true depth (the map is wrong there).
    :param voids: (distance_m, depth_m) of air voids nobody mapped.
    """
    shift = depth_shift or {}
    targets = []
    for c in crossings:
        if c["pipe_id"] in skip:
            continue
        metal = c.get("category") in ("JS", "RQ", "RL", "DL", "TX", "GY")
        targets.append(Target(float(c["distance_m"]), float(c["depth_m"]) + shift.get(c["pipe_id"], 0.0),
                              float(c.get("radius_m") or 0.0), 1.0 if metal else 0.6, "pipe"))
    for x, d in voids:
        targets.append(Target(float(x), float(d), 0.2, -0.8, "void"))
    scene = Scene(n_traces=int(line_length_m / dx_m) + 1, dx_m=dx_m, n_samples=n_samples, dt_ns=dt_ns,
                  velocity_m_ns=velocity_m_ns, freq_mhz=freq_mhz, targets=targets, noise_rms=noise_rms,
                  attenuation_db_m=2.0, clutter=3, ringing=0.2, seed=seed)
    _, truth = simulate(scene)
    return scene, truth


def district_survey_file(map_path: str, dem_path: str, line_xy: np.ndarray, out_path: str, crs: str, *,
                         skip: tuple[str, ...] = (), depth_shift: dict[str, float] | None = None,
                         voids: tuple[tuple[float, float], ...] = (), seed: int = 0, **scene_kw: float):
    """Write a synthetic GPR survey (SEG-Y as GPR software writes it: ps
    sample interval, coordinates in mm) along ``line_xy`` across a map's
    pipes at their mapped depths, except where told otherwise.

    :returns: (path, truth targets, crossings) -- the crossings as the map has them.
    """
    from ..mapread import read_segments
    from ..raster import DemSampler
    from . import georef
    from .reconcile import reconcile
    from .segy_write import write_segy

    segs = read_segments(map_path)
    dem = DemSampler(dem_path)
    line = np.asarray(line_xy, dtype=float)
    found = reconcile(line, [], segs, ground=dem)
    index = {sid: k for k, sid in enumerate(segs.ids)}
    crossings = [{"pipe_id": f.pipe_id, "category": f.category, "distance_m": f.distance_m,
                  "depth_m": f.map_depth_m, "radius_m": float(segs.height_m[index[f.pipe_id]]) / 2.0}
                 for f in found.findings if f.map_depth_m is not None]
    length = float(np.hypot(*np.diff(line, axis=0).T).sum())
    scene, truth = survey_across_map(crossings, length, skip=skip, depth_shift=depth_shift, voids=voids,
                                     seed=seed, **scene_kw)
    rg, _ = scene_radargram(scene)
    rg = georef.from_line(rg, line, crs, 0.0, scene.dx_m)
    rg.antenna = Antenna("synthetic 400 MHz", scene.freq_mhz)
    path = write_segy(rg, out_path, textual_lines=["SYNTHETIC GPR SURVEY ACROSS THE PIPEMAP SAMPLE DISTRICT",
                                                   f"ANTENNA {scene.freq_mhz:.0f} MHZ"])
    return path, truth, crossings
