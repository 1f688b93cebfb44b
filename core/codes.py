"""CJJ 61-2017 code lists: categories, sub-categories, colours and dictionaries.

Source: CJJ 61-2017 Appendix B (category codes and colours), Appendix C
(material, burial method, status) and Appendix F (feature coding), as
summarised in the project's research note RULES.md sections 2.2-2.4.

Everything here is plain data; :mod:`core.schema` writes it into every map.
Codes are the letter codes used in Chinese survey result tables; the English
and Chinese labels are for display. Colours are RGB triples.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    code: str  #: two-letter code, e.g. "JS"
    digit: int  #: class digit in the 8-digit feature code (1-8)
    name_zh: str
    name_en: str
    rgb: tuple[int, int, int]
    #: depth reference surveyed by default: "top" (pressure pipes, cables)
    #: or "invert" (gravity drains) -- CJJ 61 practice, RULES.md 2.5
    depth_ref: str


@dataclass(frozen=True)
class SubCategory:
    category: str
    code: str
    digit: int  #: two-digit serial in the feature code
    name_zh: str
    name_en: str
    rgb: tuple[int, int, int]


@dataclass(frozen=True)
class Code:
    """A generic dictionary entry (material, burial method, status, ...)."""

    code: str
    name_zh: str
    name_en: str


CATEGORIES: tuple[Category, ...] = (
    Category("JS", 1, "给水", "water supply", (0, 255, 255), "top"),
    Category("PS", 2, "排水", "drainage", (76, 57, 38), "invert"),
    Category("RQ", 3, "燃气", "gas", (255, 0, 255), "top"),
    Category("RL", 4, "热力", "heat", (255, 128, 0), "top"),
    Category("DL", 5, "电力", "power", (255, 0, 0), "top"),
    Category("TX", 6, "通信", "telecom", (0, 255, 0), "top"),
    Category("GY", 7, "工业", "industrial", (0, 0, 0), "top"),
    Category("QT", 8, "其他", "other", (0, 0, 0), "top"),
)

_PURPLE = (102, 0, 204)


def _subs(cat: str, rows: list[tuple[str, str, str]], rgb: tuple[int, int, int]) -> list[SubCategory]:
    return [SubCategory(cat, code, i + 1, zh, en, rgb) for i, (code, zh, en) in enumerate(rows)]


SUBCATEGORIES: tuple[SubCategory, ...] = tuple(
    _subs(
        "JS",
        [
            ("JY", "原水", "raw water"),
            ("SS", "输水", "transmission water"),
            ("ZS", "中水", "reclaimed water"),
            ("JP", "配水", "distribution water"),
            ("JZ", "直饮水", "direct drinking water"),
            ("XS", "消防水", "fire water"),
            ("LS", "绿化水", "irrigation water"),
            ("JH", "循环水", "circulating water"),
        ],
        (0, 255, 255),
    )
    + _subs(
        "PS",
        [("YS", "雨水", "storm water"), ("WS", "污水", "sewage"), ("HS", "雨污合流", "combined sewer")],
        (76, 57, 38),
    )
    + _subs(
        "RQ",
        [("MQ", "煤气", "town gas"), ("YH", "液化气", "liquefied petroleum gas"), ("TR", "天然气", "natural gas")],
        (255, 0, 255),
    )
    + _subs("RL", [("RS", "热水", "hot water"), ("ZQ", "蒸汽", "steam")], (255, 128, 0))
    + _subs(
        "DL",
        [
            ("GD", "供电", "power supply"),
            ("LD", "路灯", "street lighting"),
            ("XH", "交通信号", "traffic signal"),
            ("DC", "电车", "tram power"),
            ("GG", "广告", "advertising"),
        ],
        (255, 0, 0),
    )
    + _subs(
        "TX",
        [
            ("DH", "电话", "telephone"),
            ("DS", "有线电视", "cable television"),
            ("XX", "信息网络", "data network"),
            ("GB", "广播", "broadcast"),
        ],
        (0, 255, 0),
    )
    + _subs(
        "GY",
        [
            ("QQ", "氢气", "hydrogen"),
            ("YQ", "氧气", "oxygen"),
            ("GQ", "乙炔", "acetylene"),
            ("YX", "乙烯", "ethylene"),
            ("BQ", "苯", "benzene"),
            ("LQ", "氯气", "chlorine"),
            ("DQ", "氮气", "nitrogen"),
            ("EY", "二氧化碳", "carbon dioxide"),
            ("AQ", "氨气", "ammonia"),
            ("JB", "甲苯", "toluene"),
        ],
        (0, 0, 0),
    )
    + [
        SubCategory("QT", "ZH", 1, "综合管沟", "utility tunnel", (0, 0, 0)),
        SubCategory("QT", "BM", 2, "不明管线", "unidentified line", _PURPLE),
    ]
)

#: CJJ 61-2017 C.0.1
MATERIALS: tuple[Code, ...] = (
    Code("ZT", "铸铁", "cast iron"),
    Code("G", "钢", "steel"),
    Code("T", "混凝土", "concrete"),
    Code("PE", "聚乙烯", "polyethylene"),
    Code("PVC", "聚氯乙烯", "polyvinyl chloride"),
    Code("BLG", "玻璃钢", "glass-fibre reinforced plastic"),
    Code("QM", "球墨铸铁", "ductile iron"),
    Code("ZS", "砖石", "masonry"),
    Code("Z", "砖", "brick"),
    Code("S", "石", "stone"),
    Code("SM", "石棉", "asbestos cement"),
    Code("TC", "陶瓷", "vitrified clay"),
    Code("TZ", "铜", "copper"),
    Code("VL", "钢芯铝绞线", "aluminium conductor steel reinforced"),
    Code("GX", "光纤", "optical fibre"),
)

#: CJJ 61-2017 C.0.2
BURIAL_METHODS: tuple[Code, ...] = (
    Code("ZM", "直埋", "direct burial"),
    Code("GM", "管埋", "in conduit"),
    Code("GK", "管块", "duct bank"),
    Code("GG", "管沟", "trench"),
    Code("JK", "架空", "overhead"),
    Code("DM", "地面", "on the surface"),
    Code("SJ", "上架", "riser"),
    Code("XTD", "小通道", "inside another drain"),
    Code("ZH", "综合管廊(沟)", "utility tunnel"),
    Code("RF", "人防", "civil-defence tunnel"),
    Code("JN", "井内连线", "link inside a chamber"),
    Code("DG", "顶管", "trenchless (pipe jacking / HDD)"),
    Code("SX", "水下", "underwater"),
)

#: CJJ 61-2017 C.0.3
STATUSES: tuple[Code, ...] = (
    Code("0", "在用", "in use"),
    Code("1", "废弃", "abandoned"),
    Code("2", "空管", "empty"),
    Code("3", "其他", "other"),
)

#: Depth (or elevation) reference of a surveyed segment end.
DEPTH_REFERENCES: tuple[Code, ...] = (
    Code("top", "管顶", "outer top of the pipe or cable"),
    Code("centre", "管中心", "pipe centre"),
    Code("invert", "管内底", "inner invert (bottom inside)"),
    Code("struct_top", "结构顶", "top of a trench or duct structure"),
    Code("struct_bottom", "结构底", "bottom of a trench or duct structure"),
)

#: CJJ 61 Appendix F feature points (特征点).
POINT_FEATURES: tuple[Code, ...] = (
    Code("bend", "弯头", "bend"),
    Code("tee", "三通", "tee"),
    Code("cross", "四通", "cross"),
    Code("multi", "多通", "multi-way junction"),
    Code("reducer", "变径", "reducer"),
    Code("stub", "预留口", "reserved outlet"),
    Code("inlet", "进水口", "inlet"),
    Code("outlet", "出水口", "outlet"),
    Code("meas_flow", "流量测量点", "flow measuring point"),
    Code("meas_pressure", "压力测量点", "pressure measuring point"),
    Code("meas_quality", "水质监测点", "quality monitoring point"),
    Code("expansion", "伸缩器", "expansion joint"),
    Code("material_change", "变材", "change of material"),
    Code("turn", "转折点", "turning point"),
    Code("exit_surface", "出地", "exit to the surface"),
    Code("cap", "盖堵", "cap"),
    Code("line_point", "直线点", "straight-line point"),
    Code("depth_change", "变深", "change of depth"),
)

#: CJJ 61 Appendix F appurtenances (附属物).
APPURTENANCES: tuple[Code, ...] = (
    Code("manhole", "检修井", "inspection manhole"),
    Code("chamber", "窨井", "chamber"),
    Code("valve_chamber", "阀门井", "valve chamber"),
    Code("meter_chamber", "水表井", "meter chamber"),
    Code("storm_manhole", "雨水井", "storm-water manhole"),
    Code("sewer_manhole", "污水井", "sewer manhole"),
    Code("drop_manhole", "跌水井", "drop manhole"),
    Code("silt_manhole", "沉泥井", "silt trap manhole"),
    Code("overflow_manhole", "溢流井", "overflow manhole"),
    Code("gate_chamber", "闸门井", "sluice-gate chamber"),
    Code("vent_shaft", "通风井", "ventilation shaft"),
    Code("flush_manhole", "冲洗井", "flushing manhole"),
    Code("soakaway", "渗水井", "soakaway"),
    Code("seal_manhole", "水封井", "water-seal manhole"),
    Code("cable_manhole", "人孔井", "cable manhole"),
    Code("handhole", "手孔井", "handhole"),
    Code("valve", "阀门", "valve"),
    Code("hydrant", "消防栓", "fire hydrant"),
    Code("meter", "水表", "meter"),
    Code("air_valve", "排气阀", "air valve"),
    Code("scour_valve", "排污阀", "scour valve"),
    Code("gully", "雨箅", "gully"),
    Code("sewer_gully", "污箅", "sewer gully"),
    Code("septic_tank", "化粪池", "septic tank"),
    Code("settling_tank", "沉淀池", "settling tank"),
    Code("pump_station", "泵站", "pumping station"),
    Code("water_tower", "水塔", "water tower"),
    Code("plant", "水厂", "treatment plant"),
    Code("regulator", "调压箱", "pressure regulator"),
    Code("condensate_trap", "凝水缸", "condensate trap"),
    Code("transformer", "变压器", "transformer"),
    Code("junction_box", "接线箱", "junction box"),
    Code("pole", "电杆", "pole"),
    Code("riser", "上杆", "riser"),
)

#: Sensitivity classes used by sharing profiles (issue 7).
SENSITIVITIES: tuple[Code, ...] = (
    Code("public", "公开", "public"),
    Code("internal", "内部", "internal"),
    Code("restricted", "限制", "restricted"),
    Code("secret", "涉密", "classified"),
)

#: Survey quality levels: ASCE 38-22 QL-A..D and CJJ 61 concealed/exposed points.
QUALITY_LEVELS: tuple[Code, ...] = (
    Code("QL-A", "开挖实测", "ASCE 38 QL-A: exposed and measured"),
    Code("QL-B", "物探定位", "ASCE 38 QL-B: located by surface geophysics"),
    Code("QL-C", "资料结合地面标志", "ASCE 38 QL-C: records correlated with visible features"),
    Code("QL-D", "资料或口述", "ASCE 38 QL-D: records or oral information"),
    Code("CJJ61-exposed", "明显点", "CJJ 61 exposed point"),
    Code("CJJ61-concealed", "隐蔽点", "CJJ 61 concealed point (0.10 h plan, 0.15 h depth)"),
)

CATEGORY_BY_CODE: dict[str, Category] = {c.code: c for c in CATEGORIES}


def category_of_subcategory(sub_code: str) -> str | None:
    """Return the category code owning a sub-category code (None if unknown).

    Sub-category codes are unique across categories except where noted by
    CJJ 61 (``ZS`` is both reclaimed water and a material code, but not two
    sub-categories), so a plain lookup is safe.
    """
    for sub in SUBCATEGORIES:
        if sub.code == sub_code:
            return sub.category
    return None


def feature_code(category: str, sub_digit: int, feature_type: int, point_type: int, serial: int) -> str:
    """Build the CJJ 61 Appendix F 8-digit feature code.

    :param category: category code (``"JS"``...)
    :param sub_digit: sub-category serial (1-99)
    :param feature_type: 1 line, 2 point, 3 polygon
    :param point_type: 1 feature point, 2 appurtenance, 0 for lines/polygons
    :param serial: serial number (0-99)
    """
    cat = CATEGORY_BY_CODE[category]
    return f"5{cat.digit}{sub_digit:02d}{feature_type}{point_type}{serial:02d}"


def hex_colour(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)
