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


def ricker(t_ns: np.ndarray, freq_mhz: float) -> np.ndarray:
    """Ricker wavelet (peak 1 at t = 0) for a centre frequency in MHz."""
    f = freq_mhz / 1000.0  # GHz = 1/ns
    a = (math.pi * f * t_ns) ** 2
    return (1.0 - 2.0 * a) * np.exp(-a)


def cylinder_time_ns(u_m: np.ndarray, depth_m: float, radius_m: float, velocity_m_ns: float) -> np.ndarray:
    """Two-way time of the reflection from a cylinder (top at depth_m) at offset u."""
    centre = depth_m + radius_m
    return 2.0 * (np.sqrt(u_m ** 2 + centre ** 2) - radius_m) / velocity_m_ns


def simulate(scene: Scene) -> tuple[np.ndarray, list[TruthTarget]]:
    """float32 samples x traces and the truth for every target."""
    rng = np.random.default_rng(scene.seed)
    ns, nt = scene.n_samples, scene.n_traces
    t = (np.arange(ns) - scene.t0_samples) * scene.dt_ns  # time from time zero (ns)
    x = np.arange(nt) * scene.dx_m
    data = np.zeros((ns, nt), dtype=np.float64)
    v = scene.velocity_m_ns
    alpha = scene.attenuation_db_m / 8.686  # nepers per metre
    period = 1000.0 / scene.freq_mhz
    if scene.direct_wave:
        wave = scene.direct_wave * ricker(t, scene.freq_mhz)
        for k in range(1, 4):
            wave += scene.direct_wave * scene.ringing ** k * ricker(t - k * 1.6 * period, scene.freq_mhz) * (-1) ** k
        data += wave[:, None] * (1.0 + 0.02 * rng.standard_normal(nt))[None, :]
    for layer in scene.layers:
        depth = layer.depth_m + layer.dip * (x - x[0])
        tl = 2.0 * depth / v
        amp = layer.reflectivity * np.exp(-alpha * 2 * depth) / np.sqrt(np.maximum(2 * depth, 0.05))
        data += amp[None, :] * ricker(t[:, None] - tl[None, :], scene.freq_mhz)
    for _ in range(scene.clutter):
        cx = rng.uniform(x[0], x[-1])
        cz = rng.uniform(0.02, 0.12)
        camp = rng.uniform(0.2, 0.8) * rng.choice([-1, 1])
        u = x - cx
        tc = 2.0 * np.sqrt(u ** 2 + cz ** 2) / v
        r = np.sqrt(u ** 2 + cz ** 2)
        w = camp * (cz / r) ** 4 / np.sqrt(r + 0.05)
        near = np.abs(u) < 1.0
        data[:, near] += w[near][None, :] * ricker(t[:, None] - tc[near][None, :], scene.freq_mhz)
    truth: list[TruthTarget] = []
    for tg in scene.targets:
        u = x - tg.x_m
        centre = tg.depth_m + tg.radius_m
        r = np.sqrt(u ** 2 + centre ** 2) - tg.radius_m
        tt = 2.0 * r / v
        directivity = (centre / np.sqrt(u ** 2 + centre ** 2)) ** 2
        amp = tg.reflectivity * directivity * np.exp(-alpha * 2 * r) / np.sqrt(2 * r + 0.05)
        window = np.abs(u) < max(3.0, 4 * centre)
        contrib = amp[window][None, :] * ricker(t[:, None] - tt[window][None, :], scene.freq_mhz)
        data[:, window] += contrib
        apex_amp = float(tg.reflectivity * np.exp(-alpha * 2 * tg.depth_m) / np.sqrt(2 * tg.depth_m + 0.05))
        truth.append(TruthTarget(tg.x_m, tg.depth_m, tg.radius_m, float(2 * tg.depth_m / v), v, apex_amp,
                                 tg.kind, 1 if tg.reflectivity > 0 else -1))
    if scene.noise_rms:
        data += scene.noise_rms * rng.standard_normal(data.shape)
    return data.astype(np.float32), truth


def scene_radargram(scene: Scene) -> tuple[Radargram, list[TruthTarget]]:
    """The scene as a Radargram (time zero set, distances, antenna)."""
    data, truth = simulate(scene)
    rg = Radargram(path=None, format="synthetic", dt_ns=scene.dt_ns, antenna=Antenna("synthetic", scene.freq_mhz))
    rg = rg.with_data(data, "simulate", {"seed": scene.seed, "velocity_m_ns": scene.velocity_m_ns},
                      distance_m=np.arange(scene.n_traces) * scene.dx_m, trace_spacing_m=scene.dx_m,
                      time_zero_ns=scene.t0_samples * scene.dt_ns)
    return rg, truth


def random_scene(seed: int, n_traces: int = 500, n_samples: int = 512) -> Scene:
    """A varied realistic scene: 1-5 pipes and voids (some close together or
    overlapping), a layer or two, clutter, ringing and noise, one velocity."""
    rng = np.random.default_rng(seed)
    eps = rng.uniform(4.0, 20.0)
    v = C_M_PER_NS / math.sqrt(eps)
    freq = float(rng.choice([250.0, 400.0, 500.0, 900.0]))
    dt = 1000.0 / freq / 20.0  # 20 samples a period
    dx = float(rng.choice([0.01, 0.02, 0.025, 0.05]))
    t0 = 20
    max_depth = (n_samples - t0 - 40) * dt * v / 2.0
    length = n_traces * dx
    targets = []
    for _ in range(int(rng.integers(1, 6))):
        depth = float(rng.uniform(0.25, min(2.5, 0.8 * max_depth)))
        radius = float(rng.choice([0.0, 0.025, 0.05, 0.1, 0.2, 0.3]))
        kind = "void" if rng.random() < 0.2 else "pipe"
        refl = float(rng.uniform(0.6, 1.5)) * (-1.0 if kind == "void" else 1.0)
        if kind == "pipe" and rng.random() < 0.3:  # plastic: weak
            refl *= 0.4
        targets.append(Target(float(rng.uniform(0.15 * length, 0.85 * length)), depth, radius, refl, kind))
    layers = [Layer(float(rng.uniform(0.3, 0.9 * max_depth)), float(rng.uniform(0.1, 0.4)),
                    float(rng.uniform(-0.02, 0.02))) for _ in range(int(rng.integers(0, 3)))]
    return Scene(n_traces=n_traces, dx_m=dx, n_samples=n_samples, dt_ns=dt, velocity_m_ns=v, freq_mhz=freq,
                 targets=targets, layers=layers, noise_rms=float(rng.uniform(0.002, 0.02)),
                 attenuation_db_m=float(rng.uniform(1.0, 6.0)), direct_wave=3.0,
                 ringing=float(rng.uniform(0.0, 0.4)), clutter=int(rng.integers(0, 8)), t0_samples=t0, seed=seed)
