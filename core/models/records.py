"""What the model and layer readers hand to the map writer: points and
segments in the data model's terms, the problems found, and the counts."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from ..survey.importer import ImportResult, Issue
from ..survey.values import category_of

NAN = math.nan

__all__ = ["Issue", "MapPoint", "MapSegment", "Converted", "ModelImportResult", "parse_category", "NAN"]


@dataclass
class MapPoint:
    """A future ``pipe_point``: z is the ground elevation (NaN where unknown)."""

    source_id: str
    kind: str  #: the model's object type, e.g. "junction", "pump"
    x: float
    y: float
    z: float
    category: str | None
    subcategory: str | None
    values: dict[str, Any] = field(default_factory=dict)
    preferred_id: str = ""


@dataclass
class MapSegment:
    """A future ``pipe_segment``: z is the pipe centreline elevation (NaN where unknown)."""

    source_id: str
    kind: str
    xyz: list[tuple[float, float, float]]
    start: str | None  #: source id of the point at the start (same import), if any
    end: str | None
    category: str | None
    subcategory: str | None
    values: dict[str, Any] = field(default_factory=dict)
    preferred_id: str = ""


@dataclass
class Converted:
    """A model or layer set converted to map features, before reprojection and writing."""

    format: str
    points: list[MapPoint] = field(default_factory=list)
    segments: list[MapSegment] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    #: objects read, by model section / layer (e.g. {"JUNCTIONS": 129})
    counts: dict[str, int] = field(default_factory=dict)
    #: objects not written, by reason (e.g. {"open channel": 102})
    skipped: dict[str, int] = field(default_factory=dict)
    units: str = ""
    #: (model length in m, plan length in model coordinate units) per link, for the scale check
    lengths: list[tuple[float, float]] = field(default_factory=list)

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + n


@dataclass
class ModelImportResult(ImportResult):
    """The survey importer's result (so its report renders it) plus what a
    model or layer import adds."""

    format: str = ""
    units: str = ""
    source: str = ""
    counts: dict[str, int] = field(default_factory=dict)
    skipped: dict[str, int] = field(default_factory=dict)
    points_removed: int = 0
    segments_removed: int = 0


#: names PipeMap accepts for CATEGORY beyond the CJJ 61 codes and names
_EXTRA_CATEGORIES: dict[str, tuple[str, str | None]] = {
    "drainage": ("PS", None), "drain": ("PS", None), "sewerage": ("PS", None), "排水": ("PS", None),
    "storm": ("PS", "YS"), "stormwater": ("PS", "YS"), "storm water": ("PS", "YS"), "rain": ("PS", "YS"),
    "sewage": ("PS", "WS"), "sewer": ("PS", "WS"), "wastewater": ("PS", "WS"), "sanitary": ("PS", "WS"),
    "foul": ("PS", "WS"), "combined": ("PS", "HS"), "combined sewer": ("PS", "HS"),
    "water": ("JS", None), "water supply": ("JS", None), "drinking water": ("JS", None),
    "gas": ("RQ", None), "heat": ("RL", None), "district heating": ("RL", None), "steam": ("RL", "ZQ"),
    "power": ("DL", None), "telecom": ("TX", None), "industrial": ("GY", None), "other": ("QT", None),
    "unknown": ("QT", "BM"),
}


def parse_category(text: str | None) -> tuple[str, str | None] | None:
    """(category, sub-category) for a code or name (``PS``, ``YS``, ``storm``, ``雨水``...);
    None for an empty text; raises KeyError for an unknown one."""
    t = (text or "").strip()
    if not t:
        return None
    low = t.lower()
    if low in _EXTRA_CATEGORIES:
        return _EXTRA_CATEGORIES[low]
    return category_of(t)
