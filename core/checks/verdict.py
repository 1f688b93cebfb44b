"""Verdicts and severities (DESIGN.md section 5).

margin = clearance - required (cover: cover - required); U = u_a + u_b (one
pipe: u). FAIL if margin < -max(U, 0.001 m); PASS if margin >= U; otherwise
UNCERTAIN ("verify by exposure"); UNKNOWN when an input of the figure
(z, size, ground, rule class, a quality level with a defined accuracy) is
missing. A class pair without a rule is UNKNOWN with reason ``no_rule``,
never PASS.

Severity: ``error`` for a FAIL against a verified rule cell (or any cell
with ``strict``), ``warning`` for everything else that is reported.
"""

from __future__ import annotations

from typing import Any

import numpy as np

PASS, UNCERTAIN, FAIL, UNKNOWN = "PASS", "UNCERTAIN", "FAIL", "UNKNOWN"
#: integer codes used inside the checks; ``VERDICTS[code]`` is the text
V_PASS, V_UNCERTAIN, V_FAIL, V_UNKNOWN = 0, 1, 2, 3
VERDICTS = np.array([PASS, UNCERTAIN, FAIL, UNKNOWN], dtype=object)
#: a conflict needs at least this much (m) beyond the requirement
CONFLICT_TOL_M = 0.001
ADVICE = {V_PASS: "", V_UNCERTAIN: "verify by exposure", V_FAIL: "", V_UNKNOWN: "missing input"}


def decide(margin: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Verdict codes (int8) from margins and combined uncertainties (NaN: UNKNOWN)."""
    margin = np.asarray(margin, dtype=float)
    u = np.asarray(u, dtype=float)
    out = np.full(margin.shape, V_UNCERTAIN, dtype=np.int8)
    with np.errstate(invalid="ignore"):
        out[margin >= u] = V_PASS
        out[margin < -np.maximum(u, CONFLICT_TOL_M)] = V_FAIL
    out[~(np.isfinite(margin) & np.isfinite(u))] = V_UNKNOWN
    return out


def severity(codes: np.ndarray, verified: np.ndarray, strict: bool = False) -> np.ndarray:
    """``error`` for FAIL on a verified (or, with ``strict``, any) rule cell, else ``warning``."""
    err = (codes == V_FAIL) & (np.asarray(verified, dtype=bool) | bool(strict))
    return _SEVERITIES[err.astype(np.int64)]


_SEVERITIES = np.array(["warning", "error"], dtype=object)


#: rank for choosing the governing verdict of a group (higher governs): FAIL, UNCERTAIN, UNKNOWN, PASS
GOVERNING_RANK = np.array([0, 2, 3, 1], dtype=np.int8)


def counts(codes: np.ndarray) -> dict[str, int]:
    c = np.bincount(np.asarray(codes, dtype=np.int64), minlength=4)
    return {PASS: int(c[V_PASS]), UNCERTAIN: int(c[V_UNCERTAIN]), FAIL: int(c[V_FAIL]), UNKNOWN: int(c[V_UNKNOWN])}


class FindingTable:
    """Columns of equal length (numpy arrays); ``FIELDS`` gives the output order."""

    FIELDS: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(getattr(self, self.FIELDS[0]))

    def records(self) -> list[dict[str, Any]]:
        """One dict per finding, plain Python values (for sinks and reports)."""
        cols = [getattr(self, f) for f in self.FIELDS]
        out = []
        for row in zip(*cols):
            out.append({f: (v.item() if isinstance(v, np.generic) else v) for f, v in zip(self.FIELDS, row)})
        return out

    def verdict_counts(self) -> dict[str, int]:
        v = self.verdict  # type: ignore[attr-defined]
        return {k: int(np.sum(v == k)) for k in (PASS, UNCERTAIN, FAIL, UNKNOWN)}
