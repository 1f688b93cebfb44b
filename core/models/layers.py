"""Import GIS layers of another system (any OGR format: GeoPackage,
Shapefile, DXF with its layer names, OSM extracts, GeoJSON, ...) into an
integrated map, through a field mapping.

A mapping is a small JSON or YAML file (like the survey import profiles)::

    {"name": "city water GIS", "base": "default",
     "id_field": "ASSET_ID",
     "category_field": ["UTILITY", "Layer"],
     "categories": {"WATERMAIN": "JS", "SAN*": "WS", "STORM*": "YS"},
     "default_category": null,
     "fields": {"dn": "DIAM", "material": "MAT", "depth": "COVER", "owner": "OWNER"},
     "values": {"material": {"DI": "QM", "CI": "ZT"}},
     "units": {"dn": "in", "depth": "ft"},
     "z_reference": "top",
     "default_cover_m": null,
     "where": "STATUS <> 'ABANDONED'"}

* ``base``: a built-in mapping whose entries the file's replace: ``default``
  (common English and Chinese field names, DXF ``Layer``) or ``osm``
  (OpenStreetMap tags, read from ``other_tags`` too).
* ``categories`` keys are values of the category field(s), matched without
  regard to case, ``*``/``?`` wildcards allowed, or ``field=value``; the
  codes are CJJ 61 category or sub-category codes or names. A value not
  listed is looked up as a code or name itself (``JS``, ``给水``, ``water``),
  then by its first two letters (DXF layers like ``JS_main``). The layer's
  own name is the last resort.
* ``fields``: data-model attribute -> source field(s) (first non-empty
  wins). Attributes: id, dn, size (``DN300``, ``600X300``, ``4"``), width,
  height, wall, material, burial_method, status, owner, road, year_built,
  pressure, voltage, depth, start_depth, end_depth, elevation, start_elev,
  end_elev, ground_elev, well_depth, appurtenance, feature, subcategory,
  quality_level, remark.
* ``values``: attribute -> {source value: code} (``*`` matches any value,
  ``null`` ignores a value); code attributes without an entry use the CJJ 61
  dictionaries (codes, Chinese and English names).
* ``units``: sizes in ``mm`` (default), ``cm``, ``m`` or ``in``; depths and
  elevations in ``m`` (default), ``cm``, ``mm`` or ``ft``.
* ``where``: an attribute filter, an OGR SQL expression over the layer's
  fields (``STATUS <> 'ABANDONED'``); sub-queries, ``;`` and functions OGR
  SQL does not know are refused (a GeoPackage would hand them to SQLite).
* ``z_reference``: what depths and elevations (and a 3D geometry's z) refer
  to: ``top``, ``centre`` or ``invert``, or a mapping per category
  (``{"PS": "invert", "*": "top"}``, the default).

Centreline z of a line: elevation fields at the reference; else depth
fields below the ground (from the ``GROUND`` DEM at the end); else the
geometry's own z at the reference (DXF 3D polylines); else, with
``default_cover_m`` and a DEM, the pipe top at that cover below the DEM at
every vertex; else unknown (NaN: checks report UNKNOWN). Point z = ground:
the ground field, else the DEM, else the geometry's z, else unknown.
"""

from __future__ import annotations

import fnmatch
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import InputError, OutputError
from ..gdalutil import gdal_exceptions
from ..progress import NullProgress, Progress, SubProgress, check_cancel
from ..survey import values as V  # noqa: N812
from ..xmlguard import find_declaration
from . import mapwrite
from .common import check_area, reproject
from .inp import MAX_COORDINATE, MAX_NUMBER
from .records import NAN, Converted, Issue, MapPoint, MapSegment, ModelImportResult, parse_category

SEGMENT_ATTRS = ("id", "dn", "size", "width", "height", "wall", "material", "burial_method", "status", "owner",
                 "road", "year_built", "pressure", "voltage", "depth", "start_depth", "end_depth", "elevation",
                 "start_elev", "end_elev", "subcategory", "quality_level", "remark")
POINT_ATTRS = ("id", "ground_elev", "well_depth", "appurtenance", "feature", "owner", "road", "status",
               "subcategory", "quality_level", "remark")
Z_REFERENCES = ("top", "centre", "invert")
_SIZE_UNITS = {"mm": 1.0, "cm": 10.0, "m": 1000.0, "in": 25.4, "inch": 25.4}
_LENGTH_UNITS = {"m": 1.0, "cm": 0.01, "mm": 0.001, "ft": 0.3048}
_CODE_TABLES = {"material": V.MATERIAL_LOOKUP, "burial_method": V.BURIAL_LOOKUP, "status": V.STATUS_LOOKUP,
                "appurtenance": V.APPURTENANCE_LOOKUP, "feature": V.FEATURE_LOOKUP,
                "quality_level": V.QUALITY_LOOKUP}
#: snapping distance (map units) between a line end and an imported point
SNAP_M = 0.01

_DEFAULT: dict[str, Any] = {
    "name": "default",
    "id_field": ["seg_id", "point_id", "id", "fid_1", "osm_id", "EntityHandle", "编号", "管线编号", "点号"],
    "category_field": ["category", "subcategory", "utility", "管线类别", "类别", "Layer"],
    "categories": {},
    "default_category": None,
    "fields": {
        "dn": ["dn_mm", "dn", "diameter_mm", "diameter", "内径", "公称直径"],
        "size": ["size", "管径", "规格", "断面尺寸"],
        "width": ["width_mm", "width", "宽"], "height": ["height_mm", "height", "高"],
        "wall": ["wall_mm", "wall"],
        "material": ["material", "材质", "管材"], "burial_method": ["burial_method", "埋设方式"],
        "status": ["status", "状态"], "owner": ["owner", "operator", "权属单位", "权属"],
        "road": ["road", "street", "道路名称"], "year_built": ["year_built", "year", "埋设年代"],
        "pressure": ["pressure_mpa", "pressure", "压力"], "voltage": ["voltage_kv", "voltage", "电压"],
        "depth": ["depth_m", "depth", "埋深"], "start_depth": ["start_depth_m", "start_depth", "起点埋深"],
        "end_depth": ["end_depth_m", "end_depth", "终点埋深"], "elevation": ["elev_m", "elevation", "管线高程"],
        "start_elev": ["start_elev_m", "start_elev", "起点高程"], "end_elev": ["end_elev_m", "end_elev", "终点高程"],
        "ground_elev": ["ground_elev_m", "ground_elev", "ground", "rim_elev", "rim", "地面高程"],
        "well_depth": ["well_depth_m", "well_depth", "井深"], "appurtenance": ["appurtenance", "附属物"],
        "feature": ["feature", "特征"], "quality_level": ["quality_level"], "remark": ["remark", "备注", "name"],
    },
    "values": {},
    "units": {},
    "z_reference": {"PS": "invert", "*": "top"},
    "default_cover_m": None,
    "where": None,
    "hstore_field": "other_tags",
    "quality_level": "QL-D",
}

_OSM: dict[str, Any] = {
    "name": "osm",
    "id_field": ["osm_id", "osm_way_id"],
    "category_field": ["manhole", "substance", "type", "emergency", "power", "telecom", "communication",
                       "man_made"],
    "categories": {
        "water": "JS", "*_water": "JS", "drinking_water": "JS", "fire_hydrant": "JS", "fire_water": "XS",
        "heat": "RL", "*_heat": "RL", "hot_water": "RS", "steam": "ZQ", "cold": "QT", "*_cold": "QT",
        "gas": "RQ", "*_gas": "RQ", "natural_gas": "TR",
        "sewage": "WS", "sewer": "WS", "*_sewer": "WS", "wastewater": "WS", "drain": "PS", "*_drain": "PS",
        "rainwater": "YS", "storm": "YS", "stormwater": "YS",
        "power=*": "DL", "cable": "DL", "tram_point": "DC", "telecom=*": "TX", "communication=*": "TX",
        "telecom": "TX", "*_telecom": "TX", "oil": "GY", "unknown": "BM",
        "man_made=pipeline": "BM",
    },
    "fields": {"dn": ["diameter"], "owner": ["operator"], "remark": ["name"], "depth": ["depth"],
               "appurtenance": ["emergency", "manhole"], "burial_method": ["location"]},
    "values": {"appurtenance": {"fire_hydrant": "hydrant", "*": "manhole"},
               "burial_method": {"underground": None, "overground": "DM", "overhead": "JK", "underwater": "SX",
                                 "indoor": None, "outdoor": "DM"}},
}


@dataclass
class LayerMapping:
    name: str
    id_field: list[str]
    category_field: list[str]
    categories: dict[str, str]
    default_category: str | None
    fields: dict[str, list[str]]
    values: dict[str, dict[str, str | None]]
    units: dict[str, str]
    z_reference: dict[str, str]
    default_cover_m: float | None
    where: str | None
    hstore_field: str
    quality_level: str | None
    #: the mapping file (empty for a built-in mapping): problems with the mapping name it
    source: str = ""


#: a mapping file larger than this is not a mapping
MAX_MAPPING_BYTES = 1_000_000
_SCALAR = (str, int, float)


def _shape_error(where: str, what: str) -> InputError:
    return InputError("The mapping {path}: {what}.", code="mapping.shape", path=where, what=what)


def _names(value: Any, where: str, what: str) -> list[str]:
    """Field names: a name or a list of names (null: none)."""
    if value is None:
        return []
    if isinstance(value, _SCALAR) and not isinstance(value, bool):
        return [str(value)]
    if isinstance(value, list) and all(isinstance(v, _SCALAR) and not isinstance(v, bool) for v in value):
        return [str(v) for v in value]
    raise _shape_error(where, f"{what} must be a field name or a list of field names")


def _text(value: Any, where: str, what: str) -> str | None:
    """A text setting (null: none)."""
    if value is None:
        return None
    if isinstance(value, _SCALAR) and not isinstance(value, bool):
        return str(value)
    raise _shape_error(where, f"{what} must be a text")


def _build(data: dict[str, Any], where: str, source: str = "") -> LayerMapping:
    base = dict(_DEFAULT)
    base["fields"] = {k: list(v) for k, v in _DEFAULT["fields"].items()}
    for key, value in data.items():
        if key == "fields":
            if not isinstance(value, dict):
                raise InputError("The mapping {path}: 'fields' must map attributes to field names.",
                                 code="mapping.shape", path=where)
            for attr, names in value.items():
                if attr not in SEGMENT_ATTRS and attr not in POINT_ATTRS:
                    raise InputError("The mapping {path} names an unknown attribute {attr!r} (known: {known}).",
                                     code="mapping.field", path=where, attr=str(attr)[:100],
                                     known=", ".join(sorted(set(SEGMENT_ATTRS) | set(POINT_ATTRS))))
                base["fields"][attr] = _names(names, where, f"the field names of {attr!r}")
        elif key in ("categories", "values", "units"):
            if not isinstance(value, dict):
                raise InputError("The mapping {path}: '{key}' must be a mapping.", code="mapping.shape", path=where,
                                 key=key)
            base[key] = dict(value)
        elif key in _DEFAULT or key == "base":
            base[key] = value
        else:
            raise InputError("The mapping {path} has an unknown entry {key!r}.", code="mapping.key", path=where,
                             key=str(key)[:100])
    zref = base.get("z_reference")
    if isinstance(zref, str):
        zref = {"*": zref}
    if not isinstance(zref, dict) or any(not isinstance(v, str) or v not in Z_REFERENCES for v in zref.values()):
        raise InputError("The mapping {path}: z_reference must be top, centre or invert (or a mapping of "
                         "categories to them).", code="mapping.z_reference", path=where)
    zref = {str(k): v for k, v in zref.items()}
    for attr, unit in dict(base.get("units") or {}).items():
        table = _SIZE_UNITS if attr in ("dn", "size", "width", "height", "wall") else _LENGTH_UNITS
        if not isinstance(unit, str) or unit not in table:
            raise InputError("The mapping {path}: unknown unit {unit!r} for {attr} (use {choices}).",
                             code="mapping.unit", path=where, unit=str(unit)[:100], attr=str(attr)[:100],
                             choices=", ".join(table))
    dd = base.get("default_cover_m")
    try:
        dd = float(dd) if dd is not None and not isinstance(dd, bool) else None
    except (TypeError, ValueError):
        raise InputError("The mapping {path}: default_cover_m must be a number.", code="mapping.number",
                         path=where) from None
    if dd is not None and not (0 <= dd <= 20):
        raise InputError("The mapping {path}: default_cover_m must lie between 0 and 20 m, not {value}.",
                         code="mapping.number", path=where, value=dd)
    for attr, table in (base.get("values") or {}).items():
        if not isinstance(table, dict) or any(v is not None and not isinstance(v, _SCALAR)
                                              for v in table.values()):
            raise InputError("The mapping {path}: values of {attr!r} must be a mapping of source values to codes.",
                             code="mapping.shape", path=where, attr=str(attr)[:100])
    cats = base.get("categories") or {}
    if any(not isinstance(v, _SCALAR) for v in cats.values()):
        raise _shape_error(where, "the categories must map values to category codes or names")
    id_fields = base["fields"].pop("id", []) + _names(base.get("id_field"), where, "id_field")
    return LayerMapping(_text(base.get("name"), where, "name") or "mapping", id_fields,
                        _names(base.get("category_field"), where, "category_field"),
                        {str(k).lower(): str(v) for k, v in cats.items()},
                        _text(base.get("default_category"), where, "default_category"), base["fields"],
                        {str(a): {str(k).lower(): (str(v) if v is not None else None) for k, v in t.items()}
                         for a, t in (base.get("values") or {}).items()},
                        {str(k): str(v) for k, v in (base.get("units") or {}).items()}, zref, dd,
                        _text(base.get("where"), where, "where"),
                        _text(base.get("hstore_field"), where, "hstore_field") or "other_tags",
                        _text(base.get("quality_level"), where, "quality_level"), source)


def load_mapping(spec: str | os.PathLike[str] | None) -> LayerMapping:
    """``"default"``, ``"osm"``, or a JSON/YAML mapping file (see the module doc)."""
    text = str(spec or "default").strip()
    if text in ("default", ""):
        return _build({}, "default")
    if text == "osm":
        return _build(_OSM, "osm")
    path = Path(text)
    if not path.is_file():
        raise InputError("The field mapping {path} does not exist (built-in mappings: default, osm).",
                         code="mapping.missing", path=str(path))
    if path.stat().st_size > MAX_MAPPING_BYTES:
        raise InputError("The field mapping {path} is too large to be a mapping ({size} bytes).",
                         code="mapping.too_large", path=str(path), size=path.stat().st_size)
    try:
        raw = path.read_text(encoding="utf-8-sig")
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            from ..survey.profiles import _loader

            data = yaml.load(raw, Loader=_loader())  # noqa: S506 - a SafeLoader without anchors and aliases
        else:
            data = json.loads(raw)
    except Exception as exc:  # json.JSONDecodeError, yaml.YAMLError, UnicodeDecodeError, RecursionError, OSError
        raise InputError("The field mapping {path} is not valid {kind}: {reason}", code="mapping.syntax",
                         path=str(path), kind=path.suffix.lstrip(".").upper() or "JSON",
                         reason=(str(exc).splitlines() or [type(exc).__name__])[0][:200]) from None
    if not isinstance(data, dict):
        raise InputError("The field mapping {path} must be a mapping of settings.", code="mapping.shape",
                         path=str(path))
    base = data.get("base", "default")
    if base not in ("default", "osm"):
        raise InputError("The field mapping {path}: base must be default or osm.", code="mapping.base",
                         path=str(path))
    merged = dict(_OSM) if base == "osm" else {}
    for key, value in data.items():
        if key == "fields" and isinstance(value, dict) and isinstance(merged.get("fields"), dict):
            merged["fields"] = {**merged["fields"], **value}
        else:
            merged[key] = value
    merged.pop("base", None)
    return _build(merged, str(path), str(path))


_HSTORE = re.compile(r'"((?:[^"\\]|\\.)*)"\s*=>\s*(?:"((?:[^"\\]|\\.)*)"|NULL)')


def parse_hstore(text: str | None) -> dict[str, str]:
    """``"key"=>"value",...`` (OGR's OSM ``other_tags``) as a dict."""
    if not text:
        return {}
    return {k.replace('\\"', '"'): (v or "").replace('\\"', '"') for k, v in _HSTORE.findall(text)}


class _Row:
    """Attribute access by field name (case-insensitive), then hstore keys."""

    def __init__(self, feat: Any, names: dict[str, int], hstore: int | None) -> None:
        self.feat = feat
        self.names = names
        self.tags = parse_hstore(feat.GetField(hstore)) if hstore is not None else {}

    def raw(self, name: str) -> str:
        i = self.names.get(name.lower())
        if i is not None:
            if not self.feat.IsFieldSetAndNotNull(i):
                return ""
            return str(self.feat.GetField(i)).strip()
        return self.tags.get(name, self.tags.get(name.lower(), "")).strip()

    def first(self, names: list[str]) -> tuple[str, str]:
        for n in names:
            v = self.raw(n)
            if v:
                return n, v
        return "", ""


def _size_mm(raw: str, unit: str) -> V.Size | None:
    t = raw.strip().replace("″", '"')
    m = re.match(r'^\s*(\d+(?:\.\d+)?)\s*(?:"|in|inch|inches)\s*$', t, re.IGNORECASE)
    if m:
        return V.Size("circular", dn_mm=float(m.group(1)) * 25.4)
    m = re.match(r"^\s*(\d+(?:\.\d+)?)\s*(mm|cm|m)\s*$", t, re.IGNORECASE)
    if m:
        return V.Size("circular", dn_mm=float(m.group(1)) * _SIZE_UNITS[m.group(2).lower()])
    size = V.parse_size(t)
    if size is None or unit == "mm":
        return size
    k = _SIZE_UNITS[unit]
    if size.shape == "box":
        return V.Size("box", width_mm=(size.width_mm or 0) * k, height_mm=(size.height_mm or 0) * k)
    return V.Size("circular", dn_mm=(size.dn_mm or 0) * k)


@dataclass
class _Pending:
    seg: MapSegment
    section: V.Section
    ref: str
    elev: tuple[float | None, float | None]
    depth: tuple[float | None, float | None]
    geom_z: bool


@dataclass
class _Context:
    mapping: LayerMapping
    file: str
    issues: list[Issue]
    category: tuple[str, str | None] | None
    category_fields: list[str]
    depth_field: str | None
    elevation_field: str | None
    z_reference: str | None
    pending: list[_Pending] = field(default_factory=list)
    points: list[MapPoint] = field(default_factory=list)
    #: source ids given out so far (each must be unique: the map keeps one feature a source id)
    sids: set[str] = field(default_factory=set)


def _category(ctx: _Context, row: _Row, layer_name: str, line: int, ref: str) -> tuple[str, str | None] | None:
    if ctx.category is not None:
        return ctx.category
    cats = ctx.mapping.categories
    tried: list[str] = []
    for name in ctx.category_fields:
        value = row.raw(name)
        if not value:
            continue
        low = value.lower()
        tried.append(f"{name}={value}")
        for key in (f"{name.lower()}={low}", low):
            for pattern, code in cats.items():
                if fnmatch.fnmatchcase(key, pattern):
                    try:
                        found = parse_category(code)
                    except KeyError:
                        found = None
                    if found:
                        return found
        for cand in (value, re.split(r"[^A-Za-z\u4e00-\u9fff]+", value)[0] if value else ""):
            try:
                found = parse_category(cand)
            except KeyError:
                found = None
            if found:
                return found
        m = re.match(r"^([A-Za-z]{2})(?![A-Za-z])", value)
        if m:
            try:
                return parse_category(m.group(1).upper())
            except KeyError:
                pass
    for token in [layer_name, *re.split(r"[^A-Za-z\u4e00-\u9fff]+", layer_name)]:
        if not token:
            continue
        try:
            found = parse_category(token)
        except KeyError:
            found = None
        if found:
            return found
    if ctx.mapping.default_category:
        try:
            return parse_category(ctx.mapping.default_category)
        except KeyError:
            pass
    ctx.issues.append(Issue("error", "feature.no_category",
                            f"Feature {ref}: no category ({', '.join(tried) or 'no category field set'}); it is left "
                            "out. Give CATEGORY, CATEGORY_FIELD or a mapping of these values.", ctx.file, line,
                            ", ".join(ctx.category_fields), ref=ref))
    return None


def _code(ctx: _Context, row: _Row, attr: str, line: int, ref: str) -> str | None:
    names = ctx.mapping.fields.get(attr, [])
    fname, raw = row.first(names)
    if not raw:
        return None
    table = ctx.mapping.values.get(attr)
    if table is not None:
        low = raw.lower()
        for pattern, code in table.items():
            if fnmatch.fnmatchcase(low, pattern):
                return code
    lookup = _CODE_TABLES.get(attr)
    if lookup is None:
        return raw
    try:
        return V.lookup(lookup, raw)
    except KeyError:
        ctx.issues.append(Issue("warning", f"value.unknown_{attr}", f"Feature {ref}: unknown {attr.replace('_', ' ')} "
                                f"'{raw}' (field {fname}); left empty.", ctx.file, line, fname, ref=ref))
        return None


_SIZE_ATTRS = ("dn", "size", "width", "height", "wall")


def _number(ctx: _Context, row: _Row, attr: str, line: int, ref: str, names: list[str] | None = None) -> float | None:
    """A number from the first non-empty mapped field, in metres (mm for sizes), honouring the
    mapping's unit for ``attr`` or a unit written after the number (``1.2 m``, ``300mm``)."""
    fname, raw = row.first(names if names is not None else ctx.mapping.fields.get(attr, []))
    if not raw:
        return None
    sizes = attr in _SIZE_ATTRS
    table = _SIZE_UNITS if sizes else _LENGTH_UNITS
    try:
        value = V.parse_float(raw)
    except ValueError:
        m = re.match(r"^\s*(-?\d+(?:\.\d+)?)\s*(m|cm|mm|ft|in)\s*$", raw)
        if not m or m.group(2) not in table:
            ctx.issues.append(Issue("warning", "value.not_number", f"Feature {ref}: {attr.replace('_', ' ')} '{raw}' "
                                    f"(field {fname}) is not a number; left empty.", ctx.file, line, fname, ref=ref))
            return None
        return float(m.group(1)) * table[m.group(2)]
    if value is None:
        return None
    unit = ctx.mapping.units.get(attr)
    return value * table.get(unit, 1.0) if unit else value


def _linear_parts(geom: Any) -> tuple[str, list[list[tuple[float, float, float]]]]:
    """('point'|'line'|'other', parts as xyz lists; z NaN where the geometry has none)."""
    from osgeo import ogr

    if geom is None:
        return "other", []
    flat = ogr.GT_Flatten(geom.GetGeometryType())
    if flat in (ogr.wkbCircularString, ogr.wkbCompoundCurve, ogr.wkbMultiCurve):
        geom = geom.GetLinearGeometry()
        flat = ogr.GT_Flatten(geom.GetGeometryType())
    has_z = geom.Is3D() if hasattr(geom, "Is3D") else ogr.GT_HasZ(geom.GetGeometryType())

    def pts(g: Any) -> list[tuple[float, float, float]]:
        out = []
        for i in range(g.GetPointCount()):
            p = g.GetPoint(i)
            out.append((p[0], p[1], p[2] if has_z else NAN))
        return out

    if flat == ogr.wkbPoint:
        return "point", [pts(geom)]
    if flat == ogr.wkbMultiPoint:
        return "point", [pts(geom.GetGeometryRef(i)) for i in range(geom.GetGeometryCount())]
    if flat == ogr.wkbLineString:
        return "line", [pts(geom)]
    if flat == ogr.wkbMultiLineString:
        return "line", [pts(geom.GetGeometryRef(i)) for i in range(geom.GetGeometryCount())]
    return "other", []


def _dxf_is_utf8(path: Path) -> bool:
    """True for a DXF of AutoCAD 2007 or later ($ACADVER AC1021+), whose text is UTF-8."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return False
    m = re.search(rb"\$ACADVER\s*\r?\n\s*1\s*\r?\n\s*AC(\d{4})", head)
    return bool(m) and int(m.group(1)) >= 1021


def _open(path: str) -> tuple[Any, str | None]:
    """(dataset, layer name from a ``|layername=`` suffix)."""
    from osgeo import gdal

    name = None
    if "|" in path:
        path, _, rest = path.partition("|")
        for part in rest.split("|"):
            if part.lower().startswith("layername="):
                name = part.split("=", 1)[1]
    p = Path(path)
    if not p.exists():
        raise InputError("The layer file {path} does not exist.", code="layers.missing", path=str(p))
    if p.is_file():
        try:
            part = find_declaration(p)
        except OSError as exc:
            raise InputError("The layer file {path} cannot be read: {reason}", code="layers.open", path=str(p),
                             reason=exc.strerror or str(exc)) from None
        if part is not None:
            raise InputError("The layer file {path} declares XML entities or an external DTD{where}, which data files "
                             "never need; it is refused (an entity expansion or external entity attack?).",
                             code="layers.xml_entities", path=str(p), where=f" in {part}" if part else "")
    utf8 = p.suffix.lower() == ".dxf" and _dxf_is_utf8(p)
    with gdal_exceptions():
        if utf8:  # GDAL 3.6 decodes by $DWGCODEPAGE, but DXF files from AutoCAD 2007 on are UTF-8
            gdal.SetConfigOption("DXF_ENCODING", "UTF-8")
        try:
            ds = gdal.OpenEx(str(p), gdal.OF_VECTOR | gdal.OF_READONLY)
        except RuntimeError as exc:
            raise InputError("{path} cannot be opened as a vector data set: {reason}", code="layers.open",
                             path=str(p), reason=str(exc).strip()) from None
        finally:
            if utf8:
                gdal.SetConfigOption("DXF_ENCODING", None)
    if ds is None:
        raise InputError("{path} cannot be opened as a vector data set.", code="layers.open", path=str(p))
    return ds, name


def _check_where(ctx: _Context, layer: Any) -> None:
    """Refuse a where clause that is not a plain OGR SQL expression over the layer's fields.

    Drivers backed by SQLite (GeoPackage, SpatiaLite) paste the clause into their own SQL: there a
    clause could close the parenthesis around it, read other tables, call SQLite functions
    (``randomblob(1e9)``) or run a recursive query that never ends. The clause is therefore first
    compiled by OGR's own SQL parser on an empty in-memory layer with the same fields, which knows
    only fields, literals, operators and a few functions, and has no sub-queries.
    """
    from osgeo import ogr

    where = ctx.mapping.where or ""
    defn = layer.GetLayerDefn()
    with gdal_exceptions():
        mem = ogr.GetDriverByName("Memory").CreateDataSource("where-check")
        try:
            probe = mem.CreateLayer("probe", None, ogr.wkbNone)
            for i in range(defn.GetFieldCount()):
                probe.CreateField(defn.GetFieldDefn(i))
            fid = layer.GetFIDColumn()
            if fid and defn.GetFieldIndex(fid) < 0:
                probe.CreateField(ogr.FieldDefn(fid, ogr.OFTInteger64))
            try:
                if ";" in where:
                    raise RuntimeError("';' is not allowed")
                probe.SetAttributeFilter(where)
            except RuntimeError as exc:
                raise InputError("The mapping {path}: its where clause {where!r} is not an OGR SQL expression over "
                                 "the fields of layer {layer}: {reason}", code="mapping.where",
                                 path=ctx.mapping.source or ctx.file, where=where[:200], layer=layer.GetName(),
                                 reason=str(exc).strip()[:300]) from None
        finally:
            mem = None  # noqa: F841


def _read_layer(ctx: _Context, layer: Any, conv: Converted) -> tuple[str, int]:
    """Read one OGR layer into ``conv``; returns (its CRS as WKT or '', features read).

    :raises InputError: the driver fails part way (a damaged file, a where clause its SQL rejects):
        the features after the failure would otherwise be missing without a word.
    """
    try:
        with gdal_exceptions():
            return _read_features(ctx, layer, conv)
    except RuntimeError as exc:
        raise InputError("{path}: layer {layer} cannot be read: {reason}", code="layers.read", path=ctx.file,
                         layer=layer.GetName(), reason=str(exc).strip()[:300]) from None


def _usable_parts(parts: list[list[tuple[float, float, float]]]) -> list[list[tuple[float, float, float]]] | None:
    """The parts with an unusable z (infinite, beyond MAX_NUMBER) made unknown (NaN); None when an x or y
    is not finite or lies beyond MAX_COORDINATE."""
    out = []
    for part in parts:
        fixed = []
        for x, y, z in part:
            if not (abs(x) <= MAX_COORDINATE and abs(y) <= MAX_COORDINATE):
                return None
            fixed.append((x, y, z if abs(z) <= MAX_NUMBER else NAN))
        out.append(fixed)
    return out


def _read_features(ctx: _Context, layer: Any, conv: Converted) -> tuple[str, int]:
    defn = layer.GetLayerDefn()
    names = {defn.GetFieldDefn(i).GetName().lower(): i for i in range(defn.GetFieldCount())}
    hstore = names.get(ctx.mapping.hstore_field.lower())
    lname = layer.GetName()
    if ctx.mapping.where:
        _check_where(ctx, layer)
        with gdal_exceptions():
            try:
                layer.SetAttributeFilter(ctx.mapping.where)
            except RuntimeError as exc:
                raise InputError("The mapping {path}: its where clause {where!r} does not work on layer {layer}: "
                                 "{reason}", code="mapping.where", path=ctx.mapping.source or ctx.file,
                                 where=ctx.mapping.where[:200], layer=lname, reason=str(exc).strip()) from None
    srs = layer.GetSpatialRef()
    wkt = srs.ExportToWkt(["FORMAT=WKT2_2019"]) if srs is not None else ""
    n = 0
    other = 0
    layer.ResetReading()
    for feat in layer:
        n += 1
        row = _Row(feat, names, hstore)
        line = feat.GetFID()
        _, fid_text = row.first(ctx.mapping.id_field)
        ident = fid_text or str(feat.GetFID())
        ref = f"{lname}/{ident}"
        kind, parts = _linear_parts(feat.GetGeometryRef())
        if kind == "other" or not parts:
            other += 1
            continue
        usable = _usable_parts(parts)
        if usable is None:
            ctx.issues.append(Issue("error", "feature.bad_coordinates", f"Feature {ref} has coordinates that are "
                                    f"not finite or lie beyond {MAX_COORDINATE:g} map units; it is left out.",
                                    ctx.file, line, "geometry", ref=ref))
            conv.skip("unusable coordinates")
            continue
        parts = usable
        sids = [f"{lname}/{ident}" + (f"/{k + 1}" if len(parts) > 1 else "") for k in range(len(parts))]
        if any(sid in ctx.sids for sid in sids):  # the map keeps one feature a source id: make it unique
            first = ident
            n_dup = 1
            while any(sid in ctx.sids for sid in sids):
                ident = f"{first}#{feat.GetFID()}" + (f"-{n_dup}" if n_dup > 1 else "")
                sids = [f"{lname}/{ident}" + (f"/{k + 1}" if len(parts) > 1 else "") for k in range(len(parts))]
                n_dup += 1
            ctx.issues.append(Issue("warning", "feature.duplicate_id",
                                    f"Feature {ref}: another feature of the layer has the same id; it is written "
                                    f"as {lname}/{ident}.", ctx.file, line, "id", ref=f"{lname}/{ident}"))
            ref = f"{lname}/{ident}"
        ctx.sids.update(sids)
        cat = _category(ctx, row, lname, line, ref)
        if cat is None:
            conv.skip("no category", len(parts))
            continue
        sub_raw = row.first(ctx.mapping.fields.get("subcategory", []))[1]
        category, sub = cat
        if sub_raw and ctx.category is None:
            try:
                c2, s2 = parse_category(sub_raw)
                if s2 and c2 == category:
                    sub = s2
            except KeyError:
                pass
        quality = _code(ctx, row, "quality_level", line, ref) or ctx.mapping.quality_level
        common = {"owner": row.first(ctx.mapping.fields.get("owner", []))[1] or None,
                  "road": row.first(ctx.mapping.fields.get("road", []))[1] or None,
                  "remark": row.first(ctx.mapping.fields.get("remark", []))[1] or None,
                  "status": _code(ctx, row, "status", line, ref), "quality_level": quality,
                  "survey_method": f"GIS layer import ({lname})"}
        for k, part in enumerate(parts):
            sid = f"{lname}/{ident}" + (f"/{k + 1}" if len(parts) > 1 else "")
            pref = ident + (f"-{k + 1}" if len(parts) > 1 else "")
            if kind == "point":
                if not part:
                    conv.skip("empty point")
                    ctx.issues.append(Issue("warning", "feature.empty", f"Feature {sid}: an empty point; it is "
                                            "left out.", ctx.file, line, "geometry", ref=sid))
                    continue
                x, y, z = part[0]
                values = dict(common)
                ground = _number(ctx, row, "ground_elev", line, ref)
                if ground is None and math.isfinite(z) and z != 0.0:
                    ground = z  # a 3D point: its z is the ground
                values.update(ground_elev_m=ground, well_depth_m=_number(ctx, row, "well_depth", line, ref),
                              appurtenance=_code(ctx, row, "appurtenance", line, ref),
                              feature=_code(ctx, row, "feature", line, ref))
                p = MapPoint(sid, "point", x, y, ground if ground is not None else NAN, category, sub, values, pref)
                conv.points.append(p)
                ctx.points.append(p)
                continue
            if len(part) < 2:
                conv.skip("line with fewer than two vertices")
                ctx.issues.append(Issue("warning", "feature.short_line", f"Feature {sid}: a line with "
                                        f"{len(part)} vertex/vertices; it is left out.", ctx.file, line, "geometry",
                                        ref=sid))
                continue
            size = None
            fname, raw = row.first(ctx.mapping.fields.get("size", []) + ctx.mapping.fields.get("dn", []))
            if raw:
                try:
                    size = _size_mm(raw, ctx.mapping.units.get("size" if fname in ctx.mapping.fields.get("size", [])
                                                              else "dn", "mm"))
                except ValueError:
                    ctx.issues.append(Issue("warning", "value.bad_size", f"Feature {ref}: unreadable size '{raw}' "
                                            f"(field {fname}); drawn as a line.", ctx.file, line, fname, ref=ref))
            if size is None:
                w = _number(ctx, row, "width", line, ref)
                h = _number(ctx, row, "height", line, ref)
                if w and h and w > 0 and h > 0:
                    size = V.Size("box", width_mm=w, height_mm=h)
            material = _code(ctx, row, "material", line, ref)
            wall = _number(ctx, row, "wall", line, ref)
            section = V.section_of(size, material, wall)
            values = dict(common)
            values.update(material=material, burial_method=_code(ctx, row, "burial_method", line, ref),
                          section=section.shape)
            if size is not None and size.shape == "circular":
                values.update(dn_mm=size.dn_mm, outer_diameter_mm=section.outer_width_m * 1000.0,
                              wall_mm=(section.outer_width_m - section.inner_height_m) * 500.0)
            elif size is not None:
                values.update(width_mm=size.width_mm, height_mm=size.height_mm)
            for attr, fname_out in (("pressure", "pressure_mpa"), ("voltage", "voltage_kv")):
                values[fname_out] = _number(ctx, row, attr, line, ref)
            year = _number(ctx, row, "year_built", line, ref)
            values["year_built"] = int(year) if year is not None and 1800 <= year <= 2200 else None
            extra = [ctx.elevation_field] if ctx.elevation_field else []
            e_both = _number(ctx, row, "elevation", line, ref, extra + ctx.mapping.fields.get("elevation", []))
            e0 = _number(ctx, row, "start_elev", line, ref)
            e1 = _number(ctx, row, "end_elev", line, ref)
            extra = [ctx.depth_field] if ctx.depth_field else []
            d_both = _number(ctx, row, "depth", line, ref, extra + ctx.mapping.fields.get("depth", []))
            d0 = _number(ctx, row, "start_depth", line, ref)
            d1 = _number(ctx, row, "end_depth", line, ref)
            ref_kind = ctx.z_reference or ctx.mapping.z_reference.get(category) or \
                ctx.mapping.z_reference.get("*", "top")
            values["depth_ref"] = ref_kind
            seg = MapSegment(sid, "line", list(part), None, None, category, sub, values, pref)
            geom_z = all(math.isfinite(p[2]) for p in part) and any(p[2] != 0.0 for p in part)
            ctx.pending.append(_Pending(seg, section, ref_kind,
                                        (e0 if e0 is not None else e_both, e1 if e1 is not None else e_both),
                                        (d0 if d0 is not None else d_both, d1 if d1 is not None else d_both), geom_z))
            conv.segments.append(seg)
    conv.counts[lname] = n
    if other:
        conv.skip(f"{lname}: polygons or features without geometry", other)
        ctx.issues.append(Issue("warning", "layer.not_point_or_line",
                                f"Layer {lname}: {other} feature(s) are neither points nor lines (or have no "
                                "geometry); they are not imported.", ctx.file, None, "", ref=lname))
    return wkt, n


class _Ground:
    """Ground elevation from a DEM, sampled in the DEM's CRS from map coordinates."""

    def __init__(self, path: str | None, map_wkt: str) -> None:
        self.sampler = None
        self.tr = None
        if not path:
            return
        from ..gdalutil import spatial_reference
        from ..raster import DemSampler

        self.sampler = DemSampler(path)
        if self.sampler.wkt:
            a, b = spatial_reference(map_wkt), spatial_reference(self.sampler.wkt)
            if not a.IsSame(b):
                from pyproj import CRS, Transformer

                self.tr = Transformer.from_crs(CRS.from_wkt(a.ExportToWkt(["FORMAT=WKT2_2019"])),
                                               CRS.from_wkt(b.ExportToWkt(["FORMAT=WKT2_2019"])), always_xy=True)

    def __call__(self, xs: list[float], ys: list[float]) -> np.ndarray:
        if self.sampler is None:
            return np.full(len(xs), np.nan)
        if self.tr is not None:
            xs, ys = self.tr.transform(xs, ys)
        return np.asarray(self.sampler.sample(np.asarray(xs, float), np.asarray(ys, float)), dtype=float)


def _derive_z(ctx: _Context, ground: _Ground, default_cover: float | None) -> dict[str, int]:
    """Centreline z of every pending line (map coordinates); returns counts by z source."""
    from .common import polyline_z

    used: dict[str, int] = {}
    for p in ctx.pending:
        seg = p.seg
        xy = [(x, y) for x, y, _ in seg.xyz]
        ends_g = ground([xy[0][0], xy[-1][0]], [xy[0][1], xy[-1][1]])
        z_ends: list[float] = []
        refs: list[float | None] = []
        for i in (0, 1):
            elev = p.elev[i]
            if elev is None and p.depth[i] is not None and math.isfinite(ends_g[i]):
                elev = float(ends_g[i]) - p.depth[i]
            refs.append(elev)
            z_ends.append(V.centre_z(elev, p.ref, p.section) if elev is not None else NAN)
        if all(math.isfinite(z) for z in z_ends):
            seg.xyz = polyline_z(xy, z_ends[0], z_ends[1])
            seg.values.update(start_elev_m=refs[0], end_elev_m=refs[1], start_depth_m=p.depth[0],
                              end_depth_m=p.depth[1])
            src = "elevation fields" if p.elev[0] is not None and p.elev[1] is not None else "depth fields and DEM"
        elif p.geom_z:
            seg.xyz = [(x, y, V.centre_z(z, p.ref, p.section)) for x, y, z in seg.xyz]
            src = "geometry z"
        elif default_cover is not None and ground.sampler is not None:
            g = ground([a for a, _ in xy], [b for _, b in xy])
            half = p.section.outer_height_m / 2.0
            seg.xyz = [(x, y, float(gz) - default_cover - half) for (x, y), gz in zip(xy, g)]
            seg.values["depth_ref"] = "top"
            src = "default depth below the DEM"
            if not np.isfinite(g).all():
                src = "default depth below the DEM (partly outside it)"
        else:
            seg.xyz = [(x, y, NAN) for x, y in xy]
            src = "unknown"
        used[src] = used.get(src, 0) + 1
    todo = [pt for pt in ctx.points if pt.values.get("ground_elev_m") is None]
    if todo and ground.sampler is not None:
        g = ground([pt.x for pt in todo], [pt.y for pt in todo])
        for pt, gz in zip(todo, g):
            if math.isfinite(gz):
                pt.z = float(gz)
                pt.values["ground_elev_m"] = float(gz)
    return used


def _link_ends(conv: Converted) -> None:
    """Start/end point of each line: an imported point within :data:`SNAP_M` of its end."""
    grid: dict[tuple[int, int], list[MapPoint]] = {}
    for p in conv.points:
        grid.setdefault((math.floor(p.x / SNAP_M), math.floor(p.y / SNAP_M)), []).append(p)

    def near(x: float, y: float) -> str | None:
        cx, cy = math.floor(x / SNAP_M), math.floor(y / SNAP_M)
        best, best_d = None, SNAP_M
        for i in (cx - 1, cx, cx + 1):
            for j in (cy - 1, cy, cy + 1):
                for p in grid.get((i, j), ()):
                    d = math.hypot(p.x - x, p.y - y)
                    if d <= best_d:
                        best, best_d = p.source_id, d
        return best

    for s in conv.segments:
        s.start = near(s.xyz[0][0], s.xyz[0][1])
        s.end = near(s.xyz[-1][0], s.xyz[-1][1])


def import_layers(map_path: str | os.PathLike[str], input_path: str, layers: list[str] | None = None,
                  mapping: str | os.PathLike[str] | LayerMapping | None = None, crs: str | None = None,
                  category: str | None = None, category_field: str | None = None, depth_field: str | None = None,
                  elevation_field: str | None = None, z_reference: str | None = None,
                  default_cover_m: float | None = None, ground: str | None = None,
                  progress: Progress | None = None) -> ModelImportResult:
    """Import point and line layers of an OGR data set into the map at ``map_path``.

    :param layers: layer names to import (None or empty: every point and line layer).
    :param mapping: ``default``, ``osm``, a mapping file, or a :class:`LayerMapping`.
    :param crs: CRS of the layers when their file states none or a wrong one
        (empty: each layer's own, else the map's).
    :param category: one category for every feature (code or name), overriding the fields.
    :param category_field: the field holding the category (before the mapping's).
    :param depth_field, elevation_field: fields with the depth below ground / the elevation
        at both ends (before the mapping's).
    :param z_reference: ``top``, ``centre`` or ``invert`` (None: the mapping's, by category).
    :param default_cover_m: cover (m) above the pipe top where no depth is known (needs ``ground``).
    :param ground: DEM raster for depths and the default depth.
    """
    from ..mapfile import read_metadata

    progress = progress or NullProgress()
    target = Path(map_path)
    meta = read_metadata(target)
    if not os.access(target, os.W_OK):
        raise OutputError("The map {path} is read-only; nothing was imported.", code="import.readonly",
                          path=str(target))
    mp = mapping if isinstance(mapping, LayerMapping) else load_mapping(mapping)
    try:
        fixed = parse_category(category)
    except KeyError:
        raise InputError("Unknown category {category!r}: use a CJJ 61 code or name (JS, PS, YS, RQ, water, gas...).",
                         code="layers.category", category=category) from None
    if z_reference is not None and z_reference not in Z_REFERENCES:
        raise InputError("Z_REFERENCE must be one of {choices}, not {value!r}.", code="layers.z_reference",
                         choices=", ".join(Z_REFERENCES), value=z_reference)
    if default_cover_m is None:
        default_cover_m = mp.default_cover_m
    if default_cover_m is not None and not (0 <= default_cover_m <= 20):
        raise InputError("DEFAULT_COVER_M must lie between 0 and 20 m, not {value}.", code="layers.depth",
                         value=default_cover_m)
    map_wkt = meta.get("crs_wkt", "")
    ds, named = _open(input_path)
    source_path = input_path.split("|", 1)[0]
    source = Path(source_path).name
    try:
        wanted = [n.strip() for n in (layers or []) if n and n.strip()]
        if named:
            wanted.append(named)
        all_names = [ds.GetLayer(i).GetName() for i in range(ds.GetLayerCount())]
        for n in wanted:
            if n not in all_names:
                raise InputError("{path} has no layer {layer!r} (layers: {names}).", code="layers.no_layer",
                                 path=source_path, layer=n, names=", ".join(all_names))
        chosen = wanted or all_names
        ctx = _Context(mp, source, [], fixed, ([category_field] if category_field else []) + mp.category_field,
                       depth_field or None, elevation_field or None, z_reference)
        result = ModelImportResult(mode="layers", format=ds.GetDriver().ShortName, source=source)
        result.files.append(source_path)
        by_crs: list[tuple[str, Converted]] = []
        for i, name in enumerate(chosen):
            conv = Converted("layer")
            conv.issues = ctx.issues
            wkt, _ = _read_layer(ctx, ds.GetLayerByName(name), conv)
            by_crs.append((wkt, conv))
            result.counts.update(conv.counts)
            for k, v in conv.skipped.items():
                result.skipped[k] = result.skipped.get(k, 0) + v
            progress.report(0.3 * (i + 1) / len(chosen))
            check_cancel(progress)
    finally:
        ds = None  # noqa: F841
    given = (crs or "").strip()
    merged = Converted("layer")
    merged.issues = ctx.issues
    for wkt, conv in by_crs:
        layer_crs = given or wkt or map_wkt
        if not given and not wkt:
            result.notes.append("A layer states no CRS: it was read in the map's CRS (give CRS if that is wrong).")
        check_area(layer_crs, conv, bool(given or wkt), source)
        reproject(layer_crs, map_wkt, conv, source)
        merged.points.extend(conv.points)
        merged.segments.extend(conv.segments)
    result.source_crs = given or "each layer's own"
    used = _derive_z(ctx, _Ground(ground, map_wkt), default_cover_m)
    if used:
        result.notes.append("Centreline z from: " + ", ".join(f"{k} {v}" for k, v in sorted(used.items())) + ".")
    if used.get("unknown"):
        ctx.issues.append(Issue("warning", "line.no_z",
                                f"{used['unknown']} line(s) have no depth, elevation or 3D geometry: their z is "
                                "unknown (give depth fields, DEFAULT_COVER_M with a GROUND DEM, or elevations).",
                                source, None, "depth"))
    _link_ends(merged)
    result.points_read = len(merged.points)
    result.segments_read = len(merged.segments)
    result.issues = ctx.issues
    if not merged.points and not merged.segments:
        if any(i.severity == "error" for i in result.issues):
            return result
        raise InputError("{path} holds no point or line features to import.", code="layers.empty",
                         path=source_path)
    if any(i.severity == "error" and i.row is None for i in result.issues):
        return result
    scope = tuple(f"{name}/" for name in chosen)
    mapwrite.write(target, source, merged.points, merged.segments, result, SubProgress(progress, 0.35, 1.0),
                   scope=scope)
    result.committed = True
    progress.report(1.0)
    return result
