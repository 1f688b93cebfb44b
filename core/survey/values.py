"""Parse survey table values: numbers, sizes (DN300, 600X300), codes given
as letters or Chinese/English names, and derive centreline elevations."""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from functools import lru_cache

from .. import codes, schema

WALL_CSV = schema.RESOURCES / "rules" / "wall_thickness.csv"


def parse_float(text: str) -> float | None:
    """A number from a cell ('' -> None). Accepts full-width digits and a
    decimal comma; raises ValueError for anything else."""
    t = (text or "").strip()
    if not t:
        return None
    t = t.translate(str.maketrans("０１２３４５６７８９．－＋，", "0123456789.-+,"))
    if t.count(",") == 1 and "." not in t:
        t = t.replace(",", ".")
    value = float(t)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


@dataclass(frozen=True)
class Size:
    shape: str  #: "circular" | "box"
    dn_mm: float | None = None  #: inner (nominal) diameter
    width_mm: float | None = None
    height_mm: float | None = None


_SIZE_BOX = re.compile(
    r"^\s*(?:[bB]\s*[x×X*]\s*[hH]\s*[=:：]?)?\s*(\d+(?:\.\d+)?)\s*[xX×*＊]\s*(\d+(?:\.\d+)?)\s*(mm)?\s*$")
_SIZE_ROUND = re.compile(r"^\s*(?:DN|dn|De|de|D|d|Φ|φ|Ф|ф|ø|Ø|∅)?\s*(\d+(?:\.\d+)?)\s*(mm)?\s*$")


def parse_size(text: str) -> Size | None:
    """``DN300`` / ``300`` / ``Φ300`` -> circular DN 300 mm;
    ``600X300`` / ``600×300`` / ``600*300`` -> box 600 wide x 300 high (mm).
    Empty -> None. Raises ValueError for anything else."""
    t = (text or "").strip()
    if not t:
        return None
    m = _SIZE_BOX.match(t)
    if m:
        w, h = float(m.group(1)), float(m.group(2))
        if not (0 < w < math.inf and 0 < h < math.inf):  # 400 digits parse to inf
            raise ValueError(text)
        return Size("box", width_mm=w, height_mm=h)
    m = _SIZE_ROUND.match(t)
    if m:
        d = float(m.group(1))
        if not 0 < d < math.inf:
            raise ValueError(text)
        return Size("circular", dn_mm=d)
    raise ValueError(text)


def _lookup_table(entries: tuple[codes.Code, ...], extra: dict[str, str] | None = None) -> dict[str, str]:
    table: dict[str, str] = {}
    for c in entries:
        for key in (c.code, c.name_zh, c.name_en):
            table[key.strip().lower()] = c.code
    for key, value in (extra or {}).items():
        table[key.lower()] = value
    return table


MATERIAL_LOOKUP = _lookup_table(codes.MATERIALS, {
    "砼": "T", "钢筋混凝土": "T", "钢筋砼": "T", "水泥": "T", "灰口铸铁": "ZT", "球铁": "QM", "球墨": "QM",
    "钢管": "G", "镀锌钢": "G", "不锈钢": "G", "pe管": "PE", "hdpe": "PE", "mpp": "PE", "upvc": "PVC",
    "pvc-u": "PVC", "玻璃钢夹砂": "BLG", "frp": "BLG", "grp": "BLG", "陶土": "TC", "砖砌": "Z", "石砌": "S",
    "铜芯": "TZ", "光缆": "GX", "concrete": "T", "steel": "G", "cast iron": "ZT", "ductile iron": "QM",
    "polyethylene": "PE",
})
BURIAL_LOOKUP = _lookup_table(codes.BURIAL_METHODS, {
    "管沟敷设": "GG", "直埋敷设": "ZM", "穿管": "GM", "排管": "GK", "拖拉管": "DG", "定向钻": "DG",
    "非开挖": "DG", "综合管廊": "ZH", "管廊": "ZH", "direct": "ZM", "conduit": "GM", "duct": "GK",
    "trench": "GG", "tunnel": "ZH", "hdd": "DG",
})
FEATURE_LOOKUP = _lookup_table(codes.POINT_FEATURES, {
    "弯头": "bend", "拐点": "turn", "变坡": "depth_change", "直线": "line_point", "非普查": "line_point",
    "三通点": "tee", "四通点": "cross", "多通": "multi", "五通": "multi", "预留": "stub", "出水口": "outlet",
    "进水口": "inlet", "堵头": "cap", "盖堵点": "cap", "变径点": "reducer", "出地点": "exit_surface",
    "交叉点": "line_point",
})
APPURTENANCE_LOOKUP = _lookup_table(codes.APPURTENANCES, {
    "检查井": "manhole", "窨井": "chamber", "阀门": "valve", "阀门井": "valve_chamber", "消火栓": "hydrant",
    "消防栓": "hydrant", "雨水篦": "gully", "雨篦": "gully", "雨水口": "gully", "水表": "meter",
    "人孔": "cable_manhole", "手孔": "handhole", "电力井": "cable_manhole", "通信井": "cable_manhole",
    "排气阀": "air_valve", "排泥阀": "scour_valve", "凝水缸": "condensate_trap", "调压箱": "regulator",
    "变电箱": "transformer", "接线箱": "junction_box", "化粪池": "septic_tank", "泵站": "pump_station",
})
DEPTH_REF_LOOKUP = _lookup_table(codes.DEPTH_REFERENCES, {
    "管顶": "top", "外顶": "top", "顶": "top", "管中": "centre", "中心": "centre", "管底": "invert",
    "内底": "invert", "管内底": "invert", "沟顶": "struct_top", "沟底": "struct_bottom", "center": "centre",
    "crown": "top", "invert": "invert", "obvert": "top",
})
STATUS_LOOKUP = _lookup_table(codes.STATUSES, {"使用": "0", "在用": "0", "废弃": "1", "空管": "2"})
QUALITY_LOOKUP = _lookup_table(codes.QUALITY_LEVELS, {"明显点": "CJJ61-exposed", "隐蔽点": "CJJ61-concealed",
                                                      "a": "QL-A", "b": "QL-B", "c": "QL-C", "d": "QL-D"})

CATEGORY_LOOKUP: dict[str, tuple[str, str | None]] = {}
for _c in codes.CATEGORIES:
    for _k in (_c.code, _c.name_zh, _c.name_en):
        CATEGORY_LOOKUP[_k.lower()] = (_c.code, None)
for _s in codes.SUBCATEGORIES:
    for _k in (_s.code, _s.name_zh, _s.name_en):
        CATEGORY_LOOKUP.setdefault(_k.lower(), (_s.category, _s.code))
CATEGORY_LOOKUP.update({
    "上水": ("JS", None), "自来水": ("JS", None), "雨水": ("PS", "YS"), "污水": ("PS", "WS"),
    "合流": ("PS", "HS"), "煤气": ("RQ", "MQ"), "天然气": ("RQ", "TR"), "电信": ("TX", None),
    "路灯": ("DL", "LD"), "信号": ("DL", "XH"), "综合管廊": ("QT", "ZH"), "不明": ("QT", "BM"),
    "water": ("JS", None), "sewer": ("PS", "WS"), "storm": ("PS", "YS"), "power": ("DL", None),
    "electric": ("DL", None), "telecom": ("TX", None), "heat": ("RL", None), "gas": ("RQ", None),
})


def lookup(table: dict[str, str], text: str) -> str | None:
    """Code for a cell ('' -> None); raises KeyError for an unknown value."""
    t = (text or "").strip()
    if not t:
        return None
    return table[t.lower()]


def category_of(text: str) -> tuple[str, str | None]:
    """(category code, sub-category code or None) for a code or name."""
    t = (text or "").strip().lower()
    if not t:
        raise KeyError(text)
    return CATEGORY_LOOKUP[t]


@lru_cache(maxsize=1)
def wall_table() -> dict[str, tuple[float, float, float]]:
    table: dict[str, tuple[float, float, float]] = {}
    with open(WALL_CSV, encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            table[rec["material"]] = (float(rec["wall_fixed_mm"]), float(rec["wall_per_dn"]),
                                      float(rec["wall_min_mm"]))
    return table


def wall_mm(material: str | None, dn_mm: float | None) -> float:
    """Typical wall thickness for a material and DN (0 where unknown)."""
    if not material or not dn_mm:
        return 0.0
    entry = wall_table().get(material)
    if entry is None:
        return 0.0
    fixed, per_dn, minimum = entry
    if fixed == 0 and per_dn == 0:
        return 0.0
    return max(minimum, fixed + per_dn * dn_mm)


@dataclass(frozen=True)
class Section:
    """A pipe's section in metres: outer and inner height, outer width."""

    shape: str
    outer_width_m: float
    outer_height_m: float
    inner_height_m: float


def section_of(size: Size | None, material: str | None, wall_given_mm: float | None = None) -> Section:
    """Outer/inner dimensions. Circular: outer = DN + 2 x wall (wall from the
    table when not given); box: the given width x height is the outer size.
    No size -> a line (0 x 0), e.g. a direct-buried cable."""
    if size is None:
        return Section("circular", 0.0, 0.0, 0.0)
    if size.shape == "box":
        w = (size.width_mm or 0.0) / 1000.0
        h = (size.height_mm or 0.0) / 1000.0
        wall = (wall_given_mm or 0.0) / 1000.0
        return Section("box", w, h, max(0.0, h - 2 * wall))
    dn = size.dn_mm or 0.0
    wall = wall_given_mm if wall_given_mm is not None else wall_mm(material, dn)
    outer = (dn + 2 * wall) / 1000.0
    return Section("circular", outer, outer, dn / 1000.0)


def centre_z(reference_elev_m: float, depth_ref: str, section: Section) -> float:
    """Centreline elevation from the surveyed elevation of a reference.

    * ``top``: outer top of the pipe (pressure pipes, cables) -> minus half the outer height;
    * ``invert``: inner bottom (gravity drains) -> plus half the inner height;
    * ``centre``: the centre itself;
    * ``struct_top`` / ``struct_bottom``: top / bottom of a trench or duct structure (outer).
    """
    if depth_ref == "top" or depth_ref == "struct_top":
        return reference_elev_m - section.outer_height_m / 2.0
    if depth_ref == "invert":
        return reference_elev_m + section.inner_height_m / 2.0
    if depth_ref == "struct_bottom":
        return reference_elev_m + section.outer_height_m / 2.0
    if depth_ref == "centre":
        return reference_elev_m
    raise ValueError(f"unknown depth reference {depth_ref!r}")
