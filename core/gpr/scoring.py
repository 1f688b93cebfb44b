"""Scoring hyperbola picks against known targets with the CJJ 61 limits.

A pick matches a target when it is within the plan limit ``0.10 h``
across the profile and within a loose depth gate (``depth_gate`` x h,
default 0.5 h, so a pick of another target stacked above or below is not
taken for it), h being the target's centre depth (top depth + radius),
at least 1 m. Matching is one-to-one, greedy by normalised distance
(closest pairs first). Then:

* **recall** = matched detectable targets / detectable targets, where a
  target is detectable when its apex amplitude is at least ``snr_min``
  (3) x the noise RMS and its top is at least ``clutter_depth_m`` deep
  (shallower ones are surface clutter by the picker's rule);
* **precision** = matched picks / picks, over picks at least
  ``clutter_depth_m`` (0.15 m) deep (shallower picks are surface clutter
  by rule and must not be reported); a pick matched to an undetectable
  target counts as correct;
* **depth_ok** = fraction of matched picks whose depth is within the CJJ 61
  depth limit ``0.15 h``;
* **velocity_ok** = fraction of matched picks whose velocity is within
  ``velocity_tol`` (10 %) of the truth; the relative errors are listed.

:func:`pool_scores` adds several scenes' scores into one (the figures are
computed over the pooled counts, not averaged).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

__all__ = ["Score", "cjj61_limits_m", "pool_scores", "score_picks"]


def cjj61_limits_m(depth_m: float, radius_m: float = 0.0) -> tuple[float, float]:
    """CJJ 61 plan and depth limits (m) for a target: 0.10 h and 0.15 h with
    h = centre depth (top depth + radius), at least 1 m."""
    h = max(1.0, float(depth_m) + float(radius_m or 0.0))
    return 0.10 * h, 0.15 * h


@dataclass
class Score:
    """Counts and figures of one scene (or of pooled scenes)."""

    n_targets: int = 0  #: every truth target
    n_detectable: int = 0  #: targets with apex amplitude >= snr_min x noise RMS, below the clutter depth
    n_detected: int = 0  #: detectable targets matched by a pick
    n_picks: int = 0  #: picks deeper than the clutter limit
    n_true_picks: int = 0  #: of those, matched to a target
    n_depth_ok: int = 0  #: matched picks within the CJJ 61 depth limit
    n_polarity_ok: int = 0  #: matched picks with the target's polarity
    n_velocity_ok: int = 0  #: matched picks with velocity within velocity_tol
    velocity_tol: float = 0.10
    velocity_rel_errors: list[float] = field(default_factory=list)
    depth_errors_m: list[float] = field(default_factory=list)
    plan_errors_m: list[float] = field(default_factory=list)
    matches: list[tuple[Any, Any]] = field(default_factory=list)  #: (pick, target)
    misses: list[Any] = field(default_factory=list)  #: detectable targets without a pick
    false_picks: list[Any] = field(default_factory=list)  #: picks matched to no target
    labels: list[str] = field(default_factory=list)  #: scene labels (pooled scores)

    @property
    def recall(self) -> float:
        return self.n_detected / self.n_detectable if self.n_detectable else 1.0

    @property
    def precision(self) -> float:
        return self.n_true_picks / self.n_picks if self.n_picks else 1.0

    @property
    def depth_ok(self) -> float:
        n = len(self.matches)
        return self.n_depth_ok / n if n else 1.0

    @property
    def velocity_ok(self) -> float:
        n = len(self.matches)
        return self.n_velocity_ok / n if n else 1.0

    @property
    def polarity_ok(self) -> float:
        n = len(self.matches)
        return self.n_polarity_ok / n if n else 1.0

    def summary(self) -> str:
        ve = np.abs(np.asarray(self.velocity_rel_errors)) if self.velocity_rel_errors else np.zeros(1)
        de = np.abs(np.asarray(self.depth_errors_m)) if self.depth_errors_m else np.zeros(1)
        return (f"recall {self.recall:.3f} ({self.n_detected}/{self.n_detectable} detectable of "
                f"{self.n_targets}), precision {self.precision:.3f} ({self.n_true_picks}/{self.n_picks}), "
                f"depth within 0.15h {self.depth_ok:.3f}, velocity within {self.velocity_tol:.0%} "
                f"{self.velocity_ok:.3f} (median |err| {np.median(ve):.3f}), polarity {self.polarity_ok:.3f}, "
                f"median |depth err| {np.median(de):.3f} m")


def _get(obj: Any, name: str, default: Any = None) -> Any:
    return obj.get(name, default) if isinstance(obj, dict) else getattr(obj, name, default)


def score_picks(picks: Sequence[Any], truth: Sequence[Any], noise_rms: float, *, clutter_depth_m: float = 0.15,
                snr_min: float = 3.0, velocity_tol: float = 0.10, depth_gate: float = 0.5,
                label: str = "") -> Score:
    """Score one scene's picks.

    :param picks: objects (or dicts) with ``distance_m``, ``depth_m``,
        ``velocity_m_ns`` and ``polarity`` (a :class:`~.picking.Pick`).
    :param truth: objects with ``x_m``, ``depth_m``, ``radius_m``,
        ``velocity_m_ns``, ``apex_amplitude`` and ``polarity`` (a
        :class:`~.synth.TruthTarget`).
    :param noise_rms: RMS of the noise (input units) for detectability.
    :return: the :class:`Score`.
    """
    if noise_rms < 0:
        raise ValueError(f"noise_rms must be >= 0, not {noise_rms}")
    kept = [p for p in picks if float(_get(p, "depth_m")) >= clutter_depth_m]
    score = Score(n_targets=len(truth), n_picks=len(kept), velocity_tol=velocity_tol,
                  labels=[label] if label else [])
    detectable = [abs(float(_get(t, "apex_amplitude", 0.0))) >= snr_min * noise_rms
                  and float(_get(t, "depth_m")) >= clutter_depth_m for t in truth]
    score.n_detectable = int(sum(detectable))
    pairs = []
    for i, p in enumerate(kept):
        px, pd = float(_get(p, "distance_m")), float(_get(p, "depth_m"))
        for j, t in enumerate(truth):
            lim_x, lim_d = cjj61_limits_m(_get(t, "depth_m"), _get(t, "radius_m", 0.0))
            dx = abs(px - float(_get(t, "x_m")))
            dd = abs(pd - float(_get(t, "depth_m")))
            gate = depth_gate * lim_d / 0.15
            if dx <= lim_x and dd <= gate:
                pairs.append((max(dx / lim_x, dd / lim_d), i, j))
    pairs.sort()
    used_p: set[int] = set()
    used_t: set[int] = set()
    for _, i, j in pairs:
        if i in used_p or j in used_t:
            continue
        used_p.add(i)
        used_t.add(j)
        p, t = kept[i], truth[j]
        score.matches.append((p, t))
        _, lim_d = cjj61_limits_m(_get(t, "depth_m"), _get(t, "radius_m", 0.0))
        d_err = float(_get(p, "depth_m")) - float(_get(t, "depth_m"))
        score.depth_errors_m.append(d_err)
        score.plan_errors_m.append(float(_get(p, "distance_m")) - float(_get(t, "x_m")))
        score.n_depth_ok += int(abs(d_err) <= lim_d)
        v_err = float(_get(p, "velocity_m_ns")) / float(_get(t, "velocity_m_ns")) - 1.0
        score.velocity_rel_errors.append(v_err)
        score.n_velocity_ok += int(abs(v_err) <= velocity_tol)
        score.n_polarity_ok += int(int(_get(p, "polarity", 0)) == int(_get(t, "polarity", 0)))
    score.n_true_picks = len(used_p)
    score.n_detected = sum(1 for j in used_t if detectable[j])
    score.misses = [t for j, t in enumerate(truth) if detectable[j] and j not in used_t]
    score.false_picks = [p for i, p in enumerate(kept) if i not in used_p]
    return score


def pool_scores(scores: Sequence[Score]) -> Score:
    """One score over several scenes (pooled counts and lists)."""
    out = Score(velocity_tol=scores[0].velocity_tol if scores else 0.10)
    for s in scores:
        for name in ("n_targets", "n_detectable", "n_detected", "n_picks", "n_true_picks", "n_depth_ok",
                     "n_polarity_ok", "n_velocity_ok"):
            setattr(out, name, getattr(out, name) + getattr(s, name))
        for name in ("velocity_rel_errors", "depth_errors_m", "plan_errors_m", "matches", "misses",
                     "false_picks", "labels"):
            getattr(out, name).extend(getattr(s, name))
    return out
