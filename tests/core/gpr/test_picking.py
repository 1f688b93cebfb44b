"""Automatic hyperbola picking: accuracy on generated scenes, hand cases,
the rules (layers, clutter, given velocity, polarity), and the scorer.

The scene-set figures are printed with ``pytest -s``; a PNG of a few picked
scenes is written to the test-output folder.
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from pipemap.core.errors import InputError
from pipemap.core.gpr import kernel, picking, scoring, synth
from pipemap.core.gpr.model import C_M_PER_NS
from pipemap.core.gpr.synth import Layer, Scene, Target

N_SCENES = 60  #: generated scenes in the accuracy set (seeds 0..59)


def pick_scene(scene: Scene, **options):
    rg, truth = synth.scene_radargram(scene)
    return rg, truth, picking.run_picking(rg, **options)


# --- the generated scene set ------------------------------------------------------------


@pytest.fixture(scope="module")
def scene_set():
    """Every scene of the set picked with default parameters (velocity
    estimated), scored with the CJJ 61 limits."""
    scenes, scores, runs = [], [], []
    for seed in range(N_SCENES):
        scene = synth.random_scene(seed)
        rg, truth, run = pick_scene(scene)
        scenes.append(scene)
        runs.append((rg, truth, run))
        scores.append(scoring.score_picks(run.picks, truth, synth.scene_noise_rms(scene), label=str(seed)))
    pooled = scoring.pool_scores(scores)
    ve = np.abs(np.asarray(pooled.velocity_rel_errors))
    print(f"\nGPR picking on {N_SCENES} generated scenes (native kernel: {kernel.native_available()}):")
    print(f"  recall    {pooled.recall:.3f}  ({pooled.n_detected}/{pooled.n_detectable} detectable targets, "
          f"{pooled.n_targets} in all)")
    print(f"  precision {pooled.precision:.3f}  ({pooled.n_true_picks}/{pooled.n_picks} picks)")
    print(f"  depth within CJJ 61 0.15 h: {pooled.depth_ok:.3f} of matched picks; "
          f"median |error| {np.median(np.abs(pooled.depth_errors_m)):.3f} m")
    print(f"  velocity within 10 %: {pooled.velocity_ok:.3f}; median |relative error| {np.median(ve):.3f}, "
          f"95th percentile {np.percentile(ve, 95):.3f}")
    print(f"  polarity correct: {pooled.polarity_ok:.3f}")
    print(f"  missed (seed, x, depth, kind): "
          f"{[(s.labels[0], round(t.x_m, 2), round(t.depth_m, 2), t.kind) for s in scores for t in s.misses]}")
    print(f"  false picks (seed, x, depth): "
          f"{[(s.labels[0], round(p.distance_m, 2), round(p.depth_m, 2)) for s in scores for p in s.false_picks]}")
    return scenes, scores, pooled, runs


def test_scene_set_recall_and_precision(scene_set):
    _, _, pooled, _ = scene_set
    assert pooled.n_detectable >= 100
    assert pooled.recall >= 0.95
    assert pooled.precision >= 0.95


def test_scene_set_depth_within_cjj61(scene_set):
    _, _, pooled, _ = scene_set
    assert pooled.depth_ok >= 0.95


def test_scene_set_velocity_within_ten_percent(scene_set):
    _, _, pooled, _ = scene_set
    assert pooled.velocity_ok >= 0.95
    assert np.median(np.abs(pooled.velocity_rel_errors)) < 0.03


def test_scene_set_polarity_of_voids_and_metal(scene_set):
    _, _, pooled, _ = scene_set
    voids = [(p, t) for p, t in pooled.matches if t.kind == "void"]
    metal = [(p, t) for p, t in pooled.matches if t.kind == "pipe"]
    assert len(voids) >= 10 and len(metal) >= 30
    assert np.mean([p.polarity == -1 for p, _ in voids]) >= 0.95
    assert np.mean([p.polarity == 1 for p, _ in metal]) >= 0.95
    assert pooled.polarity_ok >= 0.95
    # the amplitude carries the polarity's sign and is the right size
    for p, _ in pooled.matches:
        assert np.sign(p.amplitude) == p.polarity


def test_scene_generator_is_varied(scene_set):
    scenes, _, _, _ = scene_set
    n_targets = [len(s.targets) for s in scenes]
    assert min(n_targets) == 1 and max(n_targets) == 5
    kinds = {t.kind for s in scenes for t in s.targets}
    assert kinds == {"pipe", "void", "plastic"}
    close = sum(1 for s in scenes for a in s.targets for b in s.targets
                if a is not b and abs(a.x_m - b.x_m) < 1.0 and abs(a.depth_m - b.depth_m) < 0.3) // 2
    stacked = sum(1 for s in scenes for a in s.targets for b in s.targets
                  if a is not b and abs(a.x_m - b.x_m) < 0.2 and a.depth_m < b.depth_m)
    assert close >= 10 and stacked >= 3
    assert sum(1 for s in scenes if s.layers) >= 20
    assert sum(1 for s in scenes if s.clutter) >= 40
    assert sum(1 for s in scenes if s.ringing_targets) >= 15
    assert sum(1 for s in scenes if s.texture_rms) >= 15
    assert sum(1 for s in scenes if s.wavelet == "damped") >= 10
    assert len({s.freq_mhz for s in scenes}) == 4 and len({s.dx_m for s in scenes}) == 4
    v = [s.velocity_m_ns for s in scenes]
    assert max(v) / min(v) > 2.0
    assert {r for s in scenes for r in (t.radius_m for t in s.targets)} >= {0.0, 0.3}


def test_scene_set_runs_fast(scene_set):
    _, _, _, runs = scene_set
    mean_s = np.mean([run.timings_s["total"] for _, _, run in runs])
    assert mean_s < (0.5 if kernel.native_available() else 3.0)


def test_picked_scenes_png(scene_set, output_dir):
    """A picture to look at: radargrams with the picks' fitted curves (cyan)
    and the true apexes (red crosses)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    _, scores, _, runs = scene_set
    chosen = [0, 1, 6, 14, 26, 45]
    fig = Figure(figsize=(15, 4.2 * len(chosen) / 2))
    FigureCanvasAgg(fig)
    for k, i in enumerate(chosen):
        rg, truth, run = runs[i]
        ax = fig.add_subplot(len(chosen) // 2, 2, k + 1)
        data = rg.data - np.median(rg.data, axis=1, keepdims=True)
        t = rg.twt_ns
        d = rg.distance_m
        lim = float(np.percentile(np.abs(data[t > 2 * run.prepared.period_ns]), 99.5)) or 1.0
        ax.imshow(data, aspect="auto", cmap="gray", vmin=-lim, vmax=lim, extent=[d[0], d[-1], t[-1], t[0]])
        for p in run.picks:
            u = np.linspace(-p.aperture_m, p.aperture_m, 200)
            ax.plot(p.distance_m + u, p.curve_time_ns(p.distance_m + u), "c-", lw=1.2)
            ax.plot(p.distance_m, p.t0_ns, "co", ms=5)
            ax.annotate(f"{p.depth_m:.2f} m\n{p.velocity_m_ns:.3f} m/ns\n{p.confidence:.2f}",
                        (p.distance_m, p.t0_ns), xytext=(4, -22), textcoords="offset points", color="c", fontsize=7)
        for tt in truth:
            ax.plot(tt.x_m, tt.t0_ns, "r+", ms=12, mew=1.5)
        ax.set_xlim(d[0], d[-1])
        ax.set_ylim(t[-1], t[0])
        s = scores[i]
        ax.set_title(f"seed {i}: {s.n_detected}/{s.n_detectable} found, {len(s.false_picks)} false", fontsize=9)
        ax.set_xlabel("distance (m)", fontsize=8)
        ax.set_ylabel("two-way time (ns)", fontsize=8)
    fig.tight_layout()
    path = output_dir / "gpr_picking_scenes.png"
    fig.savefig(path, dpi=90)
    assert path.stat().st_size > 10000


# --- hand cases ---------------------------------------------------------------------------


def test_single_point_diffractor_exact_apex():
    scene = Scene(n_traces=300, dx_m=0.02, n_samples=512, dt_ns=0.1, velocity_m_ns=0.1, freq_mhz=400.0,
                  targets=[Target(3.01, 0.8, 0.0, 1.0)], noise_rms=0.002, ringing=0.2, seed=1)
    rg, truth, run = pick_scene(scene)
    assert len(run.picks) == 1
    p, t = run.picks[0], truth[0]
    assert abs(p.distance_m - t.x_m) <= 0.005
    assert abs(p.t0_ns - t.t0_ns) <= 0.02 * run.prepared.period_ns
    assert abs(p.depth_m - t.depth_m) <= 0.005
    assert p.velocity_m_ns == pytest.approx(0.1, rel=0.01)
    assert p.eps_r == pytest.approx((C_M_PER_NS / p.velocity_m_ns) ** 2)
    assert p.depth_m == pytest.approx(p.velocity_m_ns * p.t0_ns / 2)
    assert p.radius_m is None  # a point: no radius
    assert p.polarity == 1 and p.amplitude == pytest.approx(t.apex_amplitude, rel=0.1)
    assert p.trace == 150 and p.confidence > 0.9
    assert p.velocity_source == "fit"
    # time zero: the header's, moved to the direct wave's envelope peak (here the same within 0.1 sample)
    assert run.prepared.time_zero_ns == pytest.approx(rg.time_zero_ns, abs=0.1 * rg.dt_ns)
    assert p.sample == pytest.approx((p.t0_ns + run.prepared.time_zero_ns) / rg.dt_ns)
    assert float(p.curve_time_ns(p.distance_m)) == pytest.approx(p.t0_ns)
    assert p.x is None and p.y is None


@pytest.mark.parametrize("separation_m", [0.3, 0.4, 0.5])
def test_two_hyperbolas_close_together_are_both_found(separation_m):
    scene = Scene(n_traces=400, dx_m=0.01, n_samples=512, dt_ns=1000 / 900 / 20, velocity_m_ns=0.1, freq_mhz=900.0,
                  targets=[Target(1.8, 0.45, 0.0, 1.0), Target(1.8 + separation_m, 0.48, 0.0, -0.8, "void")],
                  noise_rms=0.003, ringing=0.1, seed=2)
    _, truth, run = pick_scene(scene)
    assert len(run.picks) == 2
    for p, t in zip(run.picks, truth):
        assert abs(p.distance_m - t.x_m) <= 0.02
        assert abs(p.depth_m - t.depth_m) <= 0.02
        assert p.polarity == t.polarity


@pytest.mark.parametrize("depth_m,freq_mhz", [(0.5, 400.0), (0.8, 400.0), (0.5, 900.0)])
def test_cylinder_radius_estimated(depth_m, freq_mhz):
    scene = Scene(n_traces=400, dx_m=0.02, n_samples=512, dt_ns=1000 / freq_mhz / 20, velocity_m_ns=0.1,
                  freq_mhz=freq_mhz, targets=[Target(4.0, depth_m, 0.3, 1.0)], noise_rms=0.003, ringing=0.1, seed=3)
    _, truth, run = pick_scene(scene)
    assert len(run.picks) == 1
    p = run.picks[0]
    assert p.radius_m is not None and p.radius_m == pytest.approx(0.3, rel=0.3)
    assert p.velocity_m_ns == pytest.approx(0.1, rel=0.05)
    assert abs(p.depth_m - depth_m) <= 0.03  # the top of the pipe, not its centre
    assert p.curve_tau_ns == pytest.approx(2 * p.radius_m / p.velocity_m_ns)


@pytest.mark.parametrize("seed,freq", [(11, 250.0), (12, 400.0), (13, 900.0)])
def test_flat_layers_alone_give_no_pick(seed, freq):
    scene = Scene(n_traces=400, dx_m=0.02, n_samples=512, dt_ns=1000 / freq / 20, velocity_m_ns=0.1, freq_mhz=freq,
                  layers=[Layer(0.3 * 1000 / freq, 0.4), Layer(0.6 * 1000 / freq, 0.3, 0.004),
                          Layer(0.9 * 1000 / freq, 0.2)],
                  noise_rms=0.005, ringing=0.3, ringing_targets=True, seed=seed)
    _, _, run = pick_scene(scene)
    assert run.picks == []


def test_surface_clutter_is_not_reported():
    """Scatterers within 0.12 m of the surface: never picks (the rule:
    nothing shallower than clutter_depth_m = 0.15 m is reported)."""
    scene = Scene(n_traces=500, dx_m=0.02, n_samples=512, dt_ns=0.125, velocity_m_ns=0.1, freq_mhz=400.0,
                  clutter=12, noise_rms=0.004, seed=5)
    _, _, run = pick_scene(scene)
    assert run.picks == []
    assert any(reason == "surface clutter" for _, _, reason in run.rejected)
    with_target = dataclasses.replace(scene, targets=[Target(5.0, 0.7, 0.05, 1.0)])
    _, truth, run = pick_scene(with_target)
    assert [round(p.distance_m, 1) for p in run.picks] == [5.0]


def test_given_velocity_is_used_as_is():
    scene = synth.random_scene(8)
    rg, truth = synth.scene_radargram(scene)
    v = 0.9 * scene.velocity_m_ns
    picks = picking.pick_hyperbolas(rg, velocity_m_ns=v)
    assert picks
    for p in picks:
        assert p.velocity_m_ns == v and p.velocity_source == "given"
        assert p.depth_m == pytest.approx(v * p.t0_ns / 2)
    estimated = picking.pick_hyperbolas(rg)
    assert {round(p.distance_m, 1) for p in estimated} <= {round(p.distance_m, 1) for p in picks}


def test_time_zero_found_from_the_direct_wave():
    """A file without a time zero (SEG-Y as GPR software writes it): the
    direct wave gives it, and the depths do not move."""
    for seed in (3, 9, 18):  # Ricker and antenna-like (damped) wavelets
        rg, truth = synth.scene_radargram(synth.random_scene(seed))
        with_header = picking.pick_hyperbolas(rg)
        rg.time_zero_ns = 0.0
        without = picking.pick_hyperbolas(rg)
        assert len(with_header) == len(without) > 0
        for a, b in zip(with_header, without):
            assert abs(a.depth_m - b.depth_m) < 0.01 and abs(a.distance_m - b.distance_m) < 0.01


def test_time_zero_ignores_mark_samples():
    """GSSI files carry a scan counter and marks in their first samples: huge
    values that are not the direct wave."""
    scene = Scene(n_traces=300, dx_m=0.02, n_samples=512, dt_ns=0.1, velocity_m_ns=0.1, freq_mhz=400.0,
                  targets=[Target(3.0, 0.7, 0.0, 1.0)], noise_rms=0.003, t0_samples=60, seed=7)
    rg, truth = synth.scene_radargram(scene)
    data = rg.data.copy()
    data[:2] = -30000.0 + np.arange(rg.n_traces, dtype=np.float32)[None, :]
    rg = rg.with_data(data, "marks", {}, time_zero_ns=0.0)
    run = picking.run_picking(rg)
    assert run.prepared.time_zero_ns == pytest.approx(6.0, abs=0.1)
    [p] = run.picks
    assert p.depth_m == pytest.approx(0.7, abs=0.01)


def test_map_coordinates_of_the_apex():
    scene = Scene(n_traces=300, dx_m=0.02, n_samples=512, dt_ns=0.1, velocity_m_ns=0.1, freq_mhz=400.0,
                  targets=[Target(2.5, 0.6, 0.0, 1.0)], noise_rms=0.002, seed=4)
    rg, _ = synth.scene_radargram(scene)
    rg.x = 500000.0 + 0.6 * rg.distance_m
    rg.y = 3400000.0 + 0.8 * rg.distance_m
    [p] = picking.pick_hyperbolas(rg)
    assert p.x == pytest.approx(500000.0 + 0.6 * p.distance_m, abs=1e-6)
    assert p.y == pytest.approx(3400000.0 + 0.8 * p.distance_m, abs=1e-6)


@pytest.mark.parametrize("wavelet", ["ricker", "damped"])
def test_polarity_metal_and_void(wavelet):
    scene = Scene(n_traces=400, dx_m=0.02, n_samples=512, dt_ns=0.125, velocity_m_ns=0.09, freq_mhz=400.0,
                  targets=[Target(2.5, 0.7, 0.05, 1.0, "pipe"), Target(5.5, 0.9, 0.2, -1.0, "void"),
                           Target(7.0, 0.5, 0.1, 0.3, "plastic")],
                  noise_rms=0.004, ringing=0.2, ringing_targets=True, wavelet=wavelet, freq_drop_per_m=0.1, seed=6)
    _, truth, run = pick_scene(scene)
    assert [p.polarity for p in run.picks] == [1, -1, 1]


def test_numpy_twin_gives_the_same_picks():
    rg, _ = synth.scene_radargram(synth.random_scene(1))
    native = picking.pick_hyperbolas(rg)
    twin = picking.pick_hyperbolas(rg, use_native=False)
    assert len(native) == len(twin) > 0
    for a, b in zip(native, twin):
        assert a.distance_m == pytest.approx(b.distance_m, abs=1e-3)
        assert a.t0_ns == pytest.approx(b.t0_ns, abs=1e-3)
        assert a.velocity_m_ns == pytest.approx(b.velocity_m_ns, rel=1e-3)


def test_unusable_input_raises():
    rg, _ = synth.scene_radargram(Scene(n_traces=50, n_samples=128, seed=1))
    for kwargs in ({"velocity_m_ns": -0.1}, {"velocity_m_ns": 0.5}, {"min_confidence": 1.5},
                   {"eps_r_range": (10.0, 3.0)}, {"background_window_m": 0.0}):
        with pytest.raises(picking.PickingError):
            picking.pick_hyperbolas(rg, **kwargs)
    no_positions = dataclasses.replace(rg, distance_m=None, trace_spacing_m=None)
    with pytest.raises(InputError, match="TRACE_SPACING_M"):
        picking.pick_hyperbolas(no_positions)
    with pytest.raises(ValueError):  # PickingError is a ValueError too
        picking.pick_hyperbolas(rg.with_data(rg.data[:8, :2], "cut", {}))


def test_bench_picking_reports_its_figures():
    out = picking.bench_picking(1500, 256, twin_traces=300)
    assert out["n_picks"] >= 0.9 * out["n_targets"]
    assert out["total_s"] > 0 and set(out["timings_s"]) >= {"prepare", "stack", "refine"}
    if kernel.native_available():
        assert out["stack_speedup"] > 1.0


# --- the scorer ---------------------------------------------------------------------------


def truth_target(x, depth, radius=0.0, amp=1.0, v=0.1, kind="pipe"):
    return synth.TruthTarget(x, depth, radius, 2 * depth / v, v, amp, kind, 1 if amp > 0 else -1)


def a_pick(x, depth, v=0.1, polarity=1):
    return {"distance_m": x, "depth_m": depth, "velocity_m_ns": v, "polarity": polarity}


def test_cjj61_limits_use_the_centre_depth_with_a_one_metre_floor():
    assert scoring.cjj61_limits_m(0.4) == (pytest.approx(0.10), pytest.approx(0.15))
    assert scoring.cjj61_limits_m(1.8, 0.2) == (pytest.approx(0.20), pytest.approx(0.30))


def test_score_matches_within_the_limits():
    truth = [truth_target(1.0, 0.5), truth_target(3.0, 1.8, 0.2), truth_target(6.0, 0.9, amp=0.01)]
    picks = [a_pick(1.08, 0.62, 0.108), a_pick(3.15, 2.05), a_pick(8.0, 1.0), a_pick(5.0, 0.1)]
    s = scoring.score_picks(picks, truth, noise_rms=0.01)
    assert s.n_detectable == 2  # the third is under 3 x noise
    assert s.n_picks == 3  # the 0.1 m deep pick is surface clutter, not counted
    assert s.recall == 1.0 and s.precision == pytest.approx(2 / 3)
    assert s.depth_ok == 1.0 and s.velocity_ok == 1.0
    assert [p["distance_m"] for p in s.false_picks] == [8.0]
    s2 = scoring.score_picks([a_pick(1.0, 0.70)], truth, 0.01)  # plan fine, depth 0.2 m off (> 0.15 h)
    assert s2.recall == 0.5 and s2.depth_ok == 0.0
    s3 = scoring.score_picks([a_pick(1.11, 0.5)], truth, 0.01)  # 0.11 m across at h = 1 m: not matched
    assert s3.n_detected == 0 and s3.false_picks


def test_score_is_one_to_one_and_pools():
    truth = [truth_target(1.0, 0.5), truth_target(1.35, 0.5)]
    s = scoring.score_picks([a_pick(1.02, 0.5), a_pick(1.04, 0.5)], truth, 0.0)
    assert s.n_true_picks == 1 and len(s.misses) == 1 and len(s.false_picks) == 1
    pooled = scoring.pool_scores([s, scoring.score_picks([a_pick(1.36, 0.52)], truth, 0.0)])
    assert pooled.n_detectable == 4 and pooled.n_detected == 2 and pooled.n_picks == 3
    assert "recall 0.500" in pooled.summary()
    with pytest.raises(ValueError):
        scoring.score_picks([], truth, -1.0)


def test_velocity_error_is_relative():
    truth = [truth_target(1.0, 0.5, v=0.1)]
    s = scoring.score_picks([a_pick(1.0, 0.5, v=0.112)], truth, 0.0)
    assert s.velocity_rel_errors == [pytest.approx(0.12)] and s.velocity_ok == 0.0
    assert math.isclose(scoring.score_picks([a_pick(1.0, 0.5, v=0.109)], truth, 0.0).velocity_ok, 1.0)


def test_cancel_is_honoured_inside_one_radargram():
    """Cancelling stops the picking of a radargram between its candidates, not
    only between channels: the request is seen at the next check."""
    from pipemap.core.errors import CancelledError
    from pipemap.core.progress import NullProgress

    rg, _truth = synth.scene_radargram(synth.random_scene(8))

    class CancelAfter(NullProgress):
        def __init__(self, n: int) -> None:
            self.asked = 0
            self.n = n

        def cancelled(self) -> bool:
            self.asked += 1
            return self.asked > self.n

    counting = CancelAfter(10 ** 9)
    full = picking.run_picking(rg, progress=counting)
    checks = counting.asked
    assert checks >= 3 + len(full.picks)  # after preparing, after the stack, before each candidate
    for n in (0, 1, 2, checks // 2, checks - 1):
        prog = CancelAfter(n)
        with pytest.raises(CancelledError):
            picking.run_picking(rg, progress=prog)
        assert prog.asked == n + 1  # stopped at the first check after the request
    assert [p.distance_m for p in picking.run_picking(rg, progress=CancelAfter(checks)).picks] == \
        [p.distance_m for p in full.picks]
