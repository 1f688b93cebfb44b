"""Checks run while importing models and layers, reported like the survey
import's problems (:class:`core.survey.importer.Issue`).

Severity: ``error`` means the object was left out of the map; ``warning``
means it was imported but looks wrong (a defect of the source data, or a
value PipeMap had to assume).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np

from .records import Converted, Issue

#: diameters or section heights below this (mm) look like modelling dummies
TINY_SIZE_MM = 10.0
#: and above this (mm) like dummies or unit errors
HUGE_SIZE_MM = 6000.0
#: plausible elevations (m): the Dead Sea shore to the highest towns
LOWEST_M = -450.0
HIGHEST_M = 6000.0
#: a node further than max(this, 10 robust sigmas) from the model's median elevation is implausible
OUTLIER_MIN_M = 300.0
#: a conduit end whose crown is above the rim by more than this (m) is reported
CROWN_TOLERANCE_M = 0.001
#: model length / plan length outside [1/LENGTH_RATIO_OK, LENGTH_RATIO_OK] suggests scaled coordinates
LENGTH_RATIO_OK = 1.6


def elevations(items: Iterable[tuple[str, float, int, float | None, float | None]], file: str, what: str,
               issues: list[Issue], unit: str = "m", factor: float = 1.0) -> None:
    """Zero and implausible node elevations.

    :param items: (object id, elevation in model units, line, x, y)
    :param what: the column, e.g. ``"Elevation"``
    :param factor: metres per model unit
    """
    rows = [r for r in items if r[1] is not None and math.isfinite(r[1])]
    if not rows:
        return
    values = np.array([r[1] * factor for r in rows])
    zero = values == 0.0
    if zero.all():
        issues.append(Issue("warning", "node.all_zero_elevation",
                            f"All {len(rows)} node {what.lower()}s are 0: the model holds no elevations, so no depth "
                            "in the map is real.", file, rows[0][2], what))
        return
    for r, z in zip(rows, zero):
        if z:
            issues.append(Issue("warning", "node.zero_elevation",
                                f"Node {r[0]} has {what.lower()} 0 while the others do not (a missing value?).",
                                file, r[2], what, r[3], r[4], r[0]))
    rest = values[~zero]
    med = float(np.median(rest))
    mad = float(np.median(np.abs(rest - med))) * 1.4826
    limit = max(OUTLIER_MIN_M, 10.0 * mad)
    for r, v, z in zip(rows, values, zero):
        if z:
            continue
        if v < LOWEST_M or v > HIGHEST_M:
            issues.append(Issue("warning", "node.implausible_elevation",
                                f"Node {r[0]} has an implausible {what.lower()} of {r[1]:g} {unit}.", file, r[2], what,
                                r[3], r[4], r[0]))
        elif abs(v - med) > limit:
            issues.append(Issue("warning", "node.implausible_elevation",
                                f"Node {r[0]} has {what.lower()} {r[1]:g} {unit}, {abs(v - med):.0f} m from the "
                                f"model's median {med / factor:.1f} {unit}.", file, r[2], what, r[3], r[4], r[0]))


def sizes(items: Iterable[tuple[str, float, int, float | None, float | None]], file: str, what: str,
          issues: list[Issue], model_unit: str, unit_mm: float) -> None:
    """Modelling dummies (tiny or huge sizes) and sizes that look like the wrong unit.

    :param items: (link id, size in mm, line, x, y)
    :param model_unit: the unit the file states sizes in (for messages), e.g. ``"in"``
    :param unit_mm: millimetres per model size unit (25.4 for inches, 304.8 for feet, 1000 for metres...)
    """
    rows = [r for r in items if r[1] is not None and math.isfinite(r[1]) and r[1] > 0]
    for r in rows:
        if r[1] < TINY_SIZE_MM:
            issues.append(Issue("warning", "link.tiny_size",
                                f"Link {r[0]} has a {what.lower()} of {r[1]:.1f} mm: a modelling dummy, not a real "
                                "pipe?", file, r[2], what, r[3], r[4], r[0]))
        elif r[1] > HUGE_SIZE_MM:
            issues.append(Issue("warning", "link.huge_size",
                                f"Link {r[0]} has a {what.lower()} of {r[1] / 1000.0:.1f} m: a modelling dummy or a "
                                "unit error?", file, r[2], what, r[3], r[4], r[0]))
    if len(rows) < 5:
        return
    med = float(np.median([r[1] for r in rows]))
    if med > 2000.0:
        issues.append(Issue("warning", "units.size_mixup",
                            f"The median {what.lower()} is {med / unit_mm:.4g} {model_unit} ({med / 1000.0:.1f} m): "
                            f"the values look like a smaller unit (mm or inches) although the model's units say "
                            f"{model_unit}.", file, rows[0][2], what))
    elif med < 15.0:
        issues.append(Issue("warning", "units.size_mixup",
                            f"The median {what.lower()} is {med / unit_mm:.4g} {model_unit} ({med:.2f} mm): the values "
                            f"look like a larger unit (metres or feet) although the model's units say {model_unit}.",
                            file, rows[0][2], what))


def nice_scale(ratio: float) -> float:
    """A round coordinate scale close to ``ratio`` (0.001, 0.3048, 0.01, 2.5 ...)."""
    for cand in (0.001, 0.01, 0.1, 0.3048, 0.3048006096, 1.0 / 0.3048, 10.0, 100.0, 1000.0):
        if abs(math.log(ratio / cand)) < 0.1:
            return cand
    exp = math.floor(math.log10(ratio))
    return round(ratio / 10 ** exp, 1) * 10 ** exp


def coordinate_scale(conv: Converted, coord_unit_m: float | None, scale: float, file: str,
                     issues: list[Issue]) -> float | None:
    """Compare the links' model lengths with their plan lengths.

    :param coord_unit_m: metres per coordinate unit of the model's CRS (None: geographic or unknown)
    :returns: the median ratio model length / plan length (None when it cannot be told)
    """
    if coord_unit_m is None:
        return None
    pairs = np.array([(m, p) for m, p in conv.lengths if m > 0 and p > 0], dtype=float).reshape(-1, 2)
    if len(pairs) < 5:
        return None
    ratio = pairs[:, 0] / (pairs[:, 1] * coord_unit_m)
    logr = np.log10(ratio)
    med = float(10 ** np.median(logr))
    q1, q3 = np.percentile(logr, [25, 75])
    if 1.0 / LENGTH_RATIO_OK <= med <= LENGTH_RATIO_OK:
        return med
    if q3 - q1 > 0.3:
        issues.append(Issue("warning", "coords.schematic",
                            f"The pipe lengths in the model do not follow the distances between the nodes (length / "
                            f"plan distance varies from {10 ** q1:.3g} to {10 ** q3:.3g} in the middle half): the "
                            "coordinates look schematic, so the map positions are not real.", file, None,
                            "COORDINATES"))
        return med
    suggest = nice_scale(med) * scale
    issues.append(Issue("warning", "coords.scaled",
                        f"The model's pipe lengths are about {med:.4g} times the distances between its nodes: the "
                        f"coordinates look scaled (e.g. millimetres or feet). Re-import with COORDINATE_SCALE="
                        f"{suggest:.6g}, or give the model's CRS.", file, None, "COORDINATES"))
    return med
