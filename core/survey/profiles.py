"""Column mappings ("import profiles") from survey tables to the data model.

A profile names, for each field PipeMap reads, the table headers that may
hold it. Two profiles are built in: ``zh`` (the common Chinese CJJ 61 result
table headers) and ``en`` (English headers). Users can write their own as a
small JSON or YAML file::

    {"name": "my city", "base": "zh", "xy_order": "northing_easting",
     "points": {"point_id": ["点号"], "x": ["北坐标"]},
     "segments": {"size": ["规格"]}}

Keys given replace the base profile's aliases for that field.
Headers are matched case-insensitively, ignoring spaces, units in brackets
and full-width punctuation.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

POINT_FIELDS = (
    "point_id", "survey_no", "category", "subcategory", "feature", "appurtenance", "point_code",
    "x", "y", "ground_elev", "well_depth", "well_size", "road", "owner", "quality_level", "survey_date",
    "status", "remark", "owner_contact", "survey_org", "survey_method", "sensitivity", "rotation",
)
SEGMENT_FIELDS = (
    "start_point", "end_point", "category", "subcategory", "start_depth", "end_depth", "start_elev",
    "end_elev", "depth_ref", "material", "size", "dn", "width", "height", "wall", "burial_method",
    "pressure", "voltage", "cable_count", "hole_count", "holes_used", "protection", "owner", "year_built",
    "road", "status", "quality_level", "survey_date", "survey_method", "sensitivity", "seg_id", "remark",
    "owner_contact", "survey_org",
)
REQUIRED_POINT = ("point_id", "x", "y")
REQUIRED_SEGMENT = ("start_point", "end_point")

_ZH_POINTS: dict[str, list[str]] = {
    "point_id": ["图上点号", "点号", "管线点号", "图上编号", "point_id"],
    "survey_no": ["物探点号", "外业点号", "野外点号"],
    "category": ["管线类别", "类别", "管类", "大类"],
    "subcategory": ["管线小类", "小类", "种类"],
    "feature": ["特征", "特征点", "点特征"],
    "appurtenance": ["附属物", "附属设施", "附属物名称"],
    "point_code": ["点代码", "要素代码", "编码"],
    "x": ["X", "X坐标", "纵坐标", "X(m)", "北坐标"],
    "y": ["Y", "Y坐标", "横坐标", "Y(m)", "东坐标"],
    "ground_elev": ["地面高程", "地面高程(m)", "地面标高", "高程"],
    "well_depth": ["井深", "井底深", "井深(m)"],
    "well_size": ["井径", "井室尺寸", "井规格", "井盖尺寸"],
    "road": ["道路名称", "所在道路", "路名"],
    "owner": ["权属单位", "权属"],
    "quality_level": ["质量等级", "精度等级"],
    "survey_date": ["探测日期", "测量日期"],
    "status": ["状态", "使用状态"],
    "remark": ["备注"],
    "owner_contact": ["权属单位联系方式", "联系方式"],
    "survey_org": ["探测单位"],
    "survey_method": ["探测方法"],
    "sensitivity": ["密级", "敏感等级"],
    "rotation": ["符号旋转角", "旋转角"],
}
_ZH_SEGMENTS: dict[str, list[str]] = {
    "start_point": ["起点点号", "起点", "起始点号", "本点号"],
    "end_point": ["终点点号", "终点", "连接点号", "连接方向"],
    "category": ["管线类别", "类别", "管类", "大类"],
    "subcategory": ["管线小类", "小类", "种类"],
    "start_depth": ["起点埋深", "起点埋深(m)", "本点埋深"],
    "end_depth": ["终点埋深", "终点埋深(m)", "连接点埋深"],
    "start_elev": ["起点高程", "起点管线高程", "起点管顶高程", "起点管底高程", "起点高程(m)"],
    "end_elev": ["终点高程", "终点管线高程", "终点管顶高程", "终点管底高程", "终点高程(m)"],
    "depth_ref": ["埋深基准", "埋深位置", "高程基准位置"],
    "material": ["材质", "管材"],
    "size": ["管径", "规格", "断面尺寸", "管径(mm)", "断面", "管径或断面"],
    "dn": ["内径", "公称直径"],
    "width": ["宽", "宽度"],
    "height": ["高", "高度"],
    "wall": ["壁厚"],
    "burial_method": ["埋设方式", "埋设类型"],
    "pressure": ["压力", "压力(MPa)", "设计压力"],
    "voltage": ["电压", "电压(kV)", "电压等级"],
    "cable_count": ["电缆条数", "条数", "根数"],
    "hole_count": ["总孔数", "孔数"],
    "holes_used": ["已用孔数", "占用孔数"],
    "protection": ["保护材料", "套管"],
    "owner": ["权属单位", "权属"],
    "year_built": ["埋设年代", "建设年代", "埋设日期", "年代"],
    "road": ["道路名称", "所在道路", "路名"],
    "status": ["状态", "使用状态"],
    "quality_level": ["质量等级", "精度等级"],
    "survey_date": ["探测日期", "测量日期"],
    "survey_method": ["探测方法"],
    "sensitivity": ["密级", "敏感等级"],
    "seg_id": ["管段编号", "线号"],
    "remark": ["备注"],
    "owner_contact": ["权属单位联系方式", "联系方式"],
    "survey_org": ["探测单位"],
}
_EN_POINTS: dict[str, list[str]] = {
    "point_id": ["point_id", "point", "point no", "map point no", "node", "id"],
    "survey_no": ["survey_no", "survey point no", "field no"],
    "category": ["category", "utility", "class"],
    "subcategory": ["subcategory", "sub_category", "type"],
    "feature": ["feature", "fitting"],
    "appurtenance": ["appurtenance", "structure", "asset"],
    "point_code": ["point_code", "code"],
    "x": ["easting", "x"],
    "y": ["northing", "y"],
    "ground_elev": ["ground_elev", "ground elevation", "ground", "surface", "rim"],
    "well_depth": ["well_depth", "well depth", "chamber depth"],
    "well_size": ["well_size", "well size", "chamber size"],
    "road": ["road", "street"],
    "owner": ["owner"],
    "quality_level": ["quality_level", "quality level", "ql"],
    "survey_date": ["survey_date", "date"],
    "status": ["status"],
    "remark": ["remark", "remarks", "note", "notes"],
    "owner_contact": ["owner_contact", "owner contact", "contact"],
    "survey_org": ["survey_org", "surveyed by", "survey organisation"],
    "survey_method": ["survey_method", "method"],
    "sensitivity": ["sensitivity"],
    "rotation": ["rotation", "rotation_deg", "symbol rotation"],
}
_EN_SEGMENTS: dict[str, list[str]] = {
    "start_point": ["start_point", "start", "from", "from node", "upstream"],
    "end_point": ["end_point", "end", "to", "to node", "downstream"],
    "category": ["category", "utility", "class"],
    "subcategory": ["subcategory", "sub_category", "type"],
    "start_depth": ["start_depth", "start depth", "from depth"],
    "end_depth": ["end_depth", "end depth", "to depth"],
    "start_elev": ["start_elev", "start elevation", "from elevation", "us invert"],
    "end_elev": ["end_elev", "end elevation", "to elevation", "ds invert"],
    "depth_ref": ["depth_ref", "depth reference", "reference"],
    "material": ["material"],
    "size": ["size", "diameter", "section"],
    "dn": ["dn", "nominal diameter", "inner diameter"],
    "width": ["width"],
    "height": ["height"],
    "wall": ["wall", "wall thickness"],
    "burial_method": ["burial_method", "burial", "laying"],
    "pressure": ["pressure", "pressure_mpa"],
    "voltage": ["voltage", "voltage_kv"],
    "cable_count": ["cable_count", "cables"],
    "hole_count": ["hole_count", "ducts"],
    "holes_used": ["holes_used", "ducts used"],
    "protection": ["protection", "casing"],
    "owner": ["owner"],
    "year_built": ["year_built", "year", "installed"],
    "road": ["road", "street"],
    "status": ["status"],
    "quality_level": ["quality_level", "quality level", "ql"],
    "survey_date": ["survey_date", "date"],
    "survey_method": ["survey_method", "method"],
    "sensitivity": ["sensitivity"],
    "seg_id": ["seg_id", "segment id", "pipe id", "link id"],
    "remark": ["remark", "remarks", "note", "notes"],
    "owner_contact": ["owner_contact", "owner contact", "contact"],
    "survey_org": ["survey_org", "surveyed by", "survey organisation"],
}


@dataclass
class ImportProfile:
    name: str
    points: dict[str, list[str]]
    segments: dict[str, list[str]]
    #: "northing_easting" (Chinese tables: X is northing) or "easting_northing"
    xy_order: str = "northing_easting"
    #: default depth reference per category code ('*' = any other)
    depth_ref: dict[str, str] = field(default_factory=lambda: {"PS": "invert", "*": "top"})
    #: tolerance for ground = depth + elevation (m)
    elevation_tolerance_m: float = 0.05
    max_segment_length_m: float = 150.0
    min_segment_length_m: float = 0.05
    max_depth_m: float = 15.0
    max_slope: float = 0.30


def builtin(name: str) -> ImportProfile:
    if name == "zh":
        return ImportProfile("zh", {k: list(v) for k, v in _ZH_POINTS.items()},
                             {k: list(v) for k, v in _ZH_SEGMENTS.items()}, "northing_easting")
    if name == "en":
        return ImportProfile("en", {k: list(v) for k, v in _EN_POINTS.items()},
                             {k: list(v) for k, v in _EN_SEGMENTS.items()}, "easting_northing")
    raise InputError("Unknown import profile {name!r}: use 'zh', 'en' or a JSON/YAML file.",
                     code="profile.unknown", name=name)


#: a profile file larger than this is not a profile
MAX_PROFILE_BYTES = 1_000_000


def _loader() -> type:
    """A YAML SafeLoader that refuses anchors and aliases: a profile needs none, and aliases nested in
    aliases make a few hundred bytes expand to billions of values ("billion laughs")."""
    import yaml

    class _NoAliasLoader(yaml.SafeLoader):
        def compose_node(self, parent: object, index: object) -> object:
            if self.check_event(yaml.AliasEvent) or (self.check_event(yaml.NodeEvent)
                                                     and self.peek_event().anchor is not None):
                event = self.peek_event()
                raise yaml.YAMLError(f"anchors and aliases are not allowed (line {event.start_mark.line + 1})")
            return super().compose_node(parent, index)

    return _NoAliasLoader


def load_profile(spec: str | Path | None) -> ImportProfile:
    """``"zh"`` (default), ``"en"``, or a path to a JSON/YAML profile file."""
    text = str(spec or "zh").strip()
    if text in {"zh", "en"}:
        return builtin(text)
    path = Path(text)
    if not path.is_file():
        raise InputError("The import profile {path} does not exist (built-in profiles: zh, en).",
                         code="profile.missing", path=str(path))
    if path.stat().st_size > MAX_PROFILE_BYTES:
        raise InputError("The import profile {path} is too large to be a profile ({size} bytes).",
                         code="profile.too_large", path=str(path), size=path.stat().st_size)
    try:
        raw = path.read_text(encoding="utf-8-sig")
        if path.suffix.lower() in {".yaml", ".yml"}:
            import yaml

            data = yaml.load(raw, Loader=_loader())  # noqa: S506 - a SafeLoader without aliases
        else:
            data = json.loads(raw)
    except Exception as exc:  # json.JSONDecodeError, yaml.YAMLError, UnicodeDecodeError, RecursionError
        raise InputError("The import profile {path} is not valid {kind}: {reason}", code="profile.syntax",
                         path=str(path), kind=path.suffix.lstrip(".").upper() or "JSON",
                         reason=str(exc).splitlines()[0][:200]) from None
    if not isinstance(data, dict):
        raise InputError("The import profile {path} must be a mapping of settings.", code="profile.shape",
                         path=str(path))
    base = data.get("base", "zh")
    if base not in ("zh", "en"):
        raise InputError("The import profile {path}: base must be 'zh' or 'en', not {value!r}.",
                         code="profile.unknown", path=str(path), value=str(base)[:40])
    profile = builtin(base)
    name = data.get("name", path.stem)
    profile.name = name if isinstance(name, str) else path.stem
    for section, known in (("points", POINT_FIELDS), ("segments", SEGMENT_FIELDS)):
        entries = data.get(section) or {}
        if not isinstance(entries, dict):
            raise InputError("The import profile {path}: '{section}' must map fields to header lists.",
                             code="profile.shape", path=str(path), section=section)
        target = profile.points if section == "points" else profile.segments
        for key, aliases in entries.items():
            if key not in known:
                raise InputError("The import profile {path} names an unknown {section} field {field!r}.",
                                 code="profile.field", path=str(path), section=section, field=key)
            if isinstance(aliases, str):
                aliases = [aliases]
            if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
                raise InputError("The import profile {path}: field {field!r} needs a list of headers.",
                                 code="profile.shape", path=str(path), field=key)
            target[key] = list(aliases)
    if "xy_order" in data:
        if not isinstance(data["xy_order"], str) or data["xy_order"] not in {"northing_easting", "easting_northing"}:
            raise InputError("The import profile {path}: xy_order must be northing_easting or easting_northing.",
                             code="profile.xy", path=str(path))
        profile.xy_order = data["xy_order"]
    if "depth_ref" in data and isinstance(data["depth_ref"], dict):
        profile.depth_ref.update({str(k): str(v) for k, v in data["depth_ref"].items()
                                  if isinstance(v, (str, int, float))})
    for key in ("elevation_tolerance_m", "max_segment_length_m", "min_segment_length_m", "max_depth_m",
                "max_slope"):
        if key in data:
            try:
                setattr(profile, key, float(data[key]))
            except (TypeError, ValueError):
                raise InputError("The import profile {path}: {key} must be a number.", code="profile.number",
                                 path=str(path), key=key) from None
    return profile


_STRIP = re.compile(r"[\s_\-:：]+")
_BRACKETS = re.compile(r"[（(\[【].*?[)）\]】]")


def normalise_header(header: str) -> str:
    h = header.replace("\ufeff", "").strip().lower()
    h = h.translate(str.maketrans("ＸＹｘｙ", "xyxy"))
    h = _BRACKETS.sub("", h)
    return _STRIP.sub("", h)


def map_columns(headers: list[str], aliases: dict[str, list[str]]) -> dict[str, int]:
    """Field name -> column index. The first alias (in profile order) that
    matches a header wins; exact matches beat matches after normalisation."""
    exact = {h.strip(): i for i, h in reversed(list(enumerate(headers)))}
    normal = {normalise_header(h): i for i, h in reversed(list(enumerate(headers)))}
    found: dict[str, int] = {}
    used: set[int] = set()
    for fname, names in aliases.items():
        for name in names:
            idx = exact.get(name)
            if idx is None:
                idx = normal.get(normalise_header(name))
            if idx is not None and idx not in used:
                found[fname] = idx
                used.add(idx)
                break
    return found
