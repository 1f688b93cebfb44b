"""The integrated-map data model, as data.

Layers, fields, code-list tables and metadata keys are declared here once;
:mod:`core.mapfile` writes them into a GeoPackage (and, later, PostGIS).
See DESIGN.md section 4 for the meaning of each part.

Z convention (recorded in every map's metadata):

* ``pipe_point``: z = ground surface elevation at the point;
* ``pipe_segment``: z = elevation of the pipe **centreline** (derived from
  the surveyed depth/elevation and its reference, never typed by hand).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from . import codes

#: Version of the map schema written by this PipeMap. A map with a lower
#: version is upgraded in one transaction by :func:`core.mapfile.upgrade_map`.
SCHEMA_VERSION = 2

RESOURCES = Path(__file__).resolve().parent.parent / "resources"
CLASS_MAP_CSV = RESOURCES / "rules" / "class_map.csv"


@dataclass(frozen=True)
class Field:
    name: str
    type: str  #: "text" | "integer" | "real" | "date" | "datetime"
    nullable: bool = True
    unique: bool = False
    default: str | None = None  #: SQL literal
    domain: str | None = None  #: name of a code list (coded field domain)
    width: int = 0
    description: str = ""


@dataclass(frozen=True)
class Layer:
    name: str
    geometry: str | None  #: "PointZ" | "LineStringZ" | None for plain tables
    fields: tuple[Field, ...]
    description: str = ""
    identifier_zh: str = ""


@dataclass(frozen=True)
class CodeList:
    table: str
    domain: str
    description: str
    columns: tuple[Field, ...]
    rows: tuple[tuple[object, ...], ...] = field(default_factory=tuple)


_COMMON_TAIL = (
    Field("road", "text", description="road name"),
    Field("owner", "text", description="owning or managing organisation"),
    Field("owner_contact", "text", description="owner's contact (withheld by sharing profiles)"),
    Field("status", "text", default="'0'", domain="pm_status", description="CJJ 61 C.0.3 status"),
    Field("survey_date", "date", description="date of the survey"),
    Field("survey_method", "text", description="how the position was obtained"),
    Field("survey_org", "text", description="organisation that surveyed it"),
    Field("quality_level", "text", domain="pm_quality_level", description="ASCE 38 QL or CJJ 61 point class"),
    Field(
        "sensitivity",
        "text",
        nullable=False,
        default="'internal'",
        domain="pm_sensitivity",
        description="sharing class",
    ),
    Field("source", "text", description="file or system the feature came from"),
    Field("source_id", "text", description="the feature's id in its source"),
    Field("remark", "text"),
    Field("version", "integer", nullable=False, default="1", description="edit counter"),
    Field("modified_at", "datetime", description="time of the last change (UTC)"),
)

PIPE_POINT = Layer(
    "pipe_point",
    "PointZ",
    (
        Field("point_id", "text", nullable=False, unique=True, description="map point number 图上点号"),
        Field("survey_no", "text", description="survey point number 物探点号"),
        Field("category", "text", nullable=False, domain="pm_category", description="CJJ 61 category code"),
        Field("subcategory", "text", domain="pm_subcategory", description="CJJ 61 sub-category code"),
        Field("feature", "text", domain="pm_point_feature", description="feature point 特征点"),
        Field("appurtenance", "text", domain="pm_appurtenance", description="appurtenance 附属物"),
        Field("point_code", "text", description="CJJ 61 Appendix F 8-digit code"),
        Field("ground_elev_m", "real", description="ground elevation (m, map height datum)"),
        Field("well_depth_m", "real", description="depth of a well or chamber below ground (m)"),
        Field("well_shape", "text", description="round | rect"),
        Field("well_diameter_mm", "real", description="inner diameter of a round well (mm)"),
        Field("well_width_mm", "real", description="inner width of a rectangular well (mm)"),
        Field("well_length_mm", "real", description="inner length of a rectangular well (mm)"),
        Field("rotation_deg", "real", description="symbol rotation (degrees)"),
    )
    + _COMMON_TAIL,
    "Pipe points (ground surface): feature points and appurtenances",
    "管线点",
)

PIPE_SEGMENT = Layer(
    "pipe_segment",
    "LineStringZ",
    (
        Field("seg_id", "text", nullable=False, unique=True, description="stable segment id"),
        Field("category", "text", nullable=False, domain="pm_category", description="CJJ 61 category code"),
        Field("subcategory", "text", domain="pm_subcategory", description="CJJ 61 sub-category code"),
        Field("start_point", "text", description="map point number at the start"),
        Field("end_point", "text", description="map point number at the end"),
        Field("start_depth_m", "real", description="surveyed depth at the start (m, at depth_ref)"),
        Field("end_depth_m", "real", description="surveyed depth at the end (m, at depth_ref)"),
        Field("start_elev_m", "real", description="surveyed elevation at the start (m, at depth_ref)"),
        Field("end_elev_m", "real", description="surveyed elevation at the end (m, at depth_ref)"),
        Field("depth_ref", "text", domain="pm_depth_reference", description="what the depth refers to"),
        Field("section", "text", default="'circular'", description="circular | box"),
        Field("dn_mm", "real", description="nominal (inner) diameter (mm)"),
        Field("wall_mm", "real", description="wall thickness (mm)"),
        Field("outer_diameter_mm", "real", description="outer diameter (mm)"),
        Field("width_mm", "real", description="outer width of a box section (mm)"),
        Field("height_mm", "real", description="outer height of a box section (mm)"),
        Field("material", "text", domain="pm_material", description="CJJ 61 C.0.1 material"),
        Field("burial_method", "text", domain="pm_burial_method", description="CJJ 61 C.0.2 burial method"),
        Field("pressure_mpa", "real", description="design pressure (MPa)"),
        Field("voltage_kv", "real", description="voltage (kV)"),
        Field("cable_count", "integer", description="number of cables"),
        Field("hole_count", "integer", description="duct holes in total"),
        Field("holes_used", "integer", description="duct holes in use"),
        Field("protection", "text", description="protective material or casing"),
        Field("year_built", "integer", description="year built"),
    )
    + _COMMON_TAIL,
    "Pipe segments: z is the pipe centreline elevation",
    "管线段",
)

GPR_SURVEY = Layer(
    "gpr_survey",
    "LineString",
    (
        Field("survey_id", "text", nullable=False, unique=True, description="file name + channel"),
        Field("file", "text", nullable=False, description="the radar file as imported"),
        Field("format", "text", description="dzt | dt1 | rd3 | segy"),
        Field("channel", "integer"),
        Field("n_channels", "integer"),
        Field("traces", "integer"),
        Field("samples", "integer"),
        Field("dt_ns", "real", description="sample interval (ns)"),
        Field("time_window_ns", "real"),
        Field("antenna", "text"),
        Field("frequency_mhz", "real"),
        Field("trace_spacing_m", "real"),
        Field("length_m", "real"),
        Field("georeference", "text", description="gps | xy | line | none"),
        Field("acquired", "text", description="acquisition date from the file header"),
        Field("processing", "text", description="processing history (step, parameters, version)"),
        Field("warnings", "text"),
        Field("source", "text"),
        Field("version", "integer", nullable=False, default="1"),
        Field("modified_at", "datetime"),
    ),
    "GPR survey lines (one per radar file and channel)",
    "探地雷达测线",
)

METADATA = Layer(
    "pipemap_metadata",
    None,
    (
        Field("key", "text", nullable=False, unique=True),
        Field("value", "text"),
    ),
    "PipeMap map metadata: schema version, CRS, height datum, Z convention",
)

_LABELS = (
    Field("code", "text", nullable=False, unique=True),
    Field("name_zh", "text", nullable=False),
    Field("name_en", "text", nullable=False),
)


def _plain(table: str, domain: str, description: str, entries: tuple[codes.Code, ...]) -> CodeList:
    return CodeList(table, domain, description, _LABELS, tuple((c.code, c.name_zh, c.name_en) for c in entries))


CODE_LISTS: tuple[CodeList, ...] = (
    CodeList(
        "code_category",
        "pm_category",
        "CJJ 61-2017 Appendix B pipeline categories and colours",
        _LABELS
        + (
            Field("digit", "integer", nullable=False),
            Field("colour", "text", nullable=False, description="#rrggbb"),
            Field("red", "integer", nullable=False),
            Field("green", "integer", nullable=False),
            Field("blue", "integer", nullable=False),
            Field("depth_ref", "text", nullable=False, description="default surveyed depth reference"),
        ),
        tuple(
            (c.code, c.name_zh, c.name_en, c.digit, codes.hex_colour(c.rgb), *c.rgb, c.depth_ref)
            for c in codes.CATEGORIES
        ),
    ),
    CodeList(
        "code_subcategory",
        "pm_subcategory",
        "CJJ 61-2017 Appendix B sub-categories",
        (
            Field("code", "text", nullable=False, unique=True),
            Field("category", "text", nullable=False),
            Field("name_zh", "text", nullable=False),
            Field("name_en", "text", nullable=False),
            Field("digit", "integer", nullable=False),
            Field("colour", "text", nullable=False),
        ),
        tuple(
            (s.code, s.category, s.name_zh, s.name_en, s.digit, codes.hex_colour(s.rgb)) for s in codes.SUBCATEGORIES
        ),
    ),
    _plain("code_material", "pm_material", "CJJ 61-2017 C.0.1 materials", codes.MATERIALS),
    _plain("code_burial_method", "pm_burial_method", "CJJ 61-2017 C.0.2 burial methods", codes.BURIAL_METHODS),
    _plain("code_status", "pm_status", "CJJ 61-2017 C.0.3 status", codes.STATUSES),
    _plain("code_depth_reference", "pm_depth_reference", "Surveyed depth references", codes.DEPTH_REFERENCES),
    _plain("code_point_feature", "pm_point_feature", "CJJ 61 feature points", codes.POINT_FEATURES),
    _plain("code_appurtenance", "pm_appurtenance", "CJJ 61 appurtenances", codes.APPURTENANCES),
    _plain("code_sensitivity", "pm_sensitivity", "Sharing sensitivity classes", codes.SENSITIVITIES),
    _plain("code_quality_level", "pm_quality_level", "Survey quality levels", codes.QUALITY_LEVELS),
)

RULE_CLASS_MAP_COLUMNS: tuple[Field, ...] = (
    Field("priority", "integer", nullable=False),
    Field("category", "text", nullable=False),
    Field("subcategory", "text"),
    Field("burial_methods", "text", description="'|'-separated codes; empty = any"),
    Field("materials", "text", description="'|'-separated codes; empty = any"),
    Field("pressure_min_mpa", "real"),
    Field("pressure_max_mpa", "real"),
    Field("dn_min_mm", "real"),
    Field("dn_max_mm", "real"),
    Field("h_class", "text", description="GB 50289 Tab. 4.1.9 class id"),
    Field("v_class", "text", description="GB 50289 Tab. 4.1.14 class id"),
    Field("cover_class", "text", description="GB 50289 Tab. 4.1.1 class id"),
    Field("note", "text"),
)


def load_class_map(path: Path = CLASS_MAP_CSV) -> tuple[tuple[object, ...], ...]:
    """Read the shipped rule-class mapping (category + attributes -> classes).

    Empty cells become ``None``; numeric columns become floats/ints.
    """
    rows: list[tuple[object, ...]] = []
    with open(path, encoding="utf-8", newline="") as fh:
        for rec in csv.DictReader(fh):
            row: list[object] = []
            for col in RULE_CLASS_MAP_COLUMNS:
                raw = (rec.get(col.name) or "").strip()
                if raw == "":
                    row.append(None)
                elif col.type == "integer":
                    row.append(int(raw))
                elif col.type == "real":
                    row.append(float(raw))
                else:
                    row.append(raw)
            rows.append(tuple(row))
    return tuple(rows)


SPATIAL_LAYERS: tuple[Layer, ...] = (PIPE_POINT, PIPE_SEGMENT, GPR_SURVEY)

Z_CONVENTION = {
    "pipe_point": "ground surface elevation",
    "pipe_segment": "pipe centreline elevation",
    "gpr_survey": "none (2D survey line)",
}

DEFAULT_HEIGHT_DATUM = "1985 National Height Datum (EPSG:5737)"


def all_table_names() -> list[str]:
    """Every table PipeMap creates in a map, in creation order."""
    return (
        [layer.name for layer in SPATIAL_LAYERS]
        + [cl.table for cl in CODE_LISTS]
        + ["rule_class_map", METADATA.name]
    )
