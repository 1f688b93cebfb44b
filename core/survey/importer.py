"""Import CJJ 61 survey result tables into an integrated map.

Flow: find the tables (a point/segment file pair, or a folder of per-category
tables such as ``JSPoint.csv``/``JSLine.csv``) -> map columns with an import
profile -> parse every cell -> validate (RULES.md 2.5 and more) -> derive 3D
centrelines -> write into the map in one transaction on a temporary copy,
renamed over the map only when complete.

In ``all_or_nothing`` mode (the default) any error leaves the map byte-for-byte
untouched; in ``valid_rows`` mode rows with errors (and segments whose end
points have errors) are left out and everything else is imported. Nothing is
dropped silently: every problem becomes an :class:`Issue` with its file, row
and column.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
import re
import shutil
import struct
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError, OutputError, SchemaError
from ..gdalutil import gdal_exceptions, spatial_reference, temp_path_beside
from ..progress import NullProgress, Progress, check_cancel
from . import values as V  # noqa: N812
from .profiles import REQUIRED_POINT, REQUIRED_SEGMENT, ImportProfile, load_profile, map_columns
from .tables import Table, read_table

MODES = ("all_or_nothing", "valid_rows")
TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xls", ".ods")
_POINT_WORDS = ("point", "points", "pt", "node", "nodes", "点", "管线点", "点表")
_LINE_WORDS = ("line", "lines", "ln", "segment", "segments", "seg", "pipe", "pipes", "线", "管线段", "线表", "段")


@dataclass
class Issue:
    severity: str  #: "error" or "warning"
    code: str
    message: str
    file: str = ""
    row: int | None = None
    column: str = ""
    x: float | None = None
    y: float | None = None
    ref: str = ""


@dataclass
class PointRec:
    point_id: str
    category: str | None
    subcategory: str | None
    file: str
    row: int
    values: dict[str, Any] = field(default_factory=dict)
    easting: float | None = None
    northing: float | None = None
    ground: float | None = None
    bad: bool = False
    degree: int = 0


@dataclass
class SegmentRec:
    category: str | None
    subcategory: str | None
    start: str
    end: str
    file: str
    row: int
    values: dict[str, Any] = field(default_factory=dict)
    bad: bool = False
    seg_id: str = ""
    z: tuple[float, float] | None = None
    ref_elev: tuple[float | None, float | None] = (None, None)
    depth: tuple[float | None, float | None] = (None, None)
    section: V.Section | None = None
    size: V.Size | None = None
    depth_ref: str = ""


@dataclass
class ImportResult:
    points_read: int = 0
    segments_read: int = 0
    points_written: int = 0
    segments_written: int = 0
    points_updated: int = 0
    segments_updated: int = 0
    issues: list[Issue] = field(default_factory=list)
    committed: bool = False
    mode: str = "all_or_nothing"
    files: list[str] = field(default_factory=list)
    encodings: dict[str, str] = field(default_factory=dict)
    source_crs: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]


@dataclass
class TableSet:
    category: str | None
    subcategory: str | None
    points: Path | None
    segments: Path | None


# --- finding the tables ----------------------------------------------------

def _category_from_name(stem: str) -> tuple[str | None, str | None, str]:
    """(category, subcategory, kind) from a file name like ``JSPoint``,
    ``ys_line``, ``给水点`` or ``污水管线段``; kind is 'point', 'line' or ''."""
    low = stem.lower()
    kind = ""
    rest = low
    for word in sorted(_LINE_WORDS, key=len, reverse=True):
        if low.endswith(word):
            kind, rest = "line", low[: -len(word)]
            break
    if not kind:
        for word in sorted(_POINT_WORDS, key=len, reverse=True):
            if low.endswith(word):
                kind, rest = "point", low[: -len(word)]
                break
    rest = rest.strip(" _-.")
    cat = sub = None
    if rest:
        try:
            cat, sub = V.category_of(rest)
        except KeyError:
            m = re.match(r"^([a-z]{2})(?![a-z])", rest)
            if m:
                try:
                    cat, sub = V.category_of(m.group(1))
                except KeyError:
                    cat = sub = None
    return cat, sub, kind


def discover(points: str | os.PathLike[str] | None, segments: str | os.PathLike[str] | None) -> list[TableSet]:
    """Pair point and segment tables. ``points`` may be a folder of
    per-category tables (then ``segments`` may be empty or the same folder)."""
    p = Path(points) if points else None
    s = Path(segments) if segments else None
    if p is None and s is None:
        raise InputError("Give a point table, a segment table, or a folder of tables.", code="import.no_input")
    for path in (p, s):
        if path is not None and not path.exists():
            raise InputError("{path} does not exist.", code="import.missing", path=str(path))
    if (p is not None and p.is_dir()) or (s is not None and s.is_dir()):
        folders = {x for x in (p, s) if x is not None}
        files = [f for folder in folders for f in sorted(folder.iterdir())
                 if f.suffix.lower() in TABLE_SUFFIXES and not f.name.startswith((".", "~$"))]
        for f in files:  # a table that cannot be read must not vanish from the import without a word
            if not f.is_file():
                raise InputError("{path} is named like a table but is not a readable file (a broken link, a folder "
                                 "or a device); nothing was imported.", code="import.not_a_file", path=str(f))
        if not files:
            raise InputError("The folder {path} holds no CSV or Excel tables.", code="import.empty_folder",
                             path=str(next(iter(folders))))
        groups: dict[tuple[str | None, str | None], TableSet] = {}
        for f in files:
            cat, sub, kind = _category_from_name(f.stem)
            if not kind:
                raise InputError("Cannot tell whether {path} is a point or a segment table: name it like "
                                 "JSPoint.csv / JSLine.csv.", code="import.unknown_table", path=str(f))
            ts = groups.setdefault((cat, sub), TableSet(cat, sub, None, None))
            if kind == "point":
                if ts.points is not None:
                    raise InputError("Two point tables for the same category: {a} and {b}.",
                                     code="import.two_tables", a=str(ts.points), b=str(f))
                ts.points = f
            else:
                if ts.segments is not None:
                    raise InputError("Two segment tables for the same category: {a} and {b}.",
                                     code="import.two_tables", a=str(ts.segments), b=str(f))
                ts.segments = f
        return list(groups.values())
    cat = sub = None
    for path in (p, s):
        if path is not None:
            c, sb, _ = _category_from_name(path.stem)
            if c:
                cat, sub = c, sb
                break
    return [TableSet(cat, sub, p, s)]


# --- parsing ---------------------------------------------------------------

class _RowReader:
    """Reads typed cells of one table, recording issues with file/row/column."""

    def __init__(self, table: Table, columns: dict[str, int], issues: list[Issue]):
        self.table = table
        self.columns = columns
        self.issues = issues
        self.file = table.path.name
        self.headers = table.headers

    def text(self, cells: list[str], name: str) -> str:
        idx = self.columns.get(name)
        if idx is None or idx >= len(cells):
            return ""
        return cells[idx].strip()

    def issue(self, severity: str, code: str, message: str, row: int, name: str = "", ref: str = "") -> None:
        column = self.headers[self.columns[name]] if name in self.columns else name
        self.issues.append(Issue(severity, code, message, self.file, row, column, ref=ref))

    def number(self, cells: list[str], name: str, row: int, ref: str = "") -> tuple[float | None, bool]:
        raw = self.text(cells, name)
        try:
            return V.parse_float(raw), True
        except ValueError:
            self.issue("error", "cell.not_number", f"'{raw}' is not a number.", row, name, ref)
            return None, False

    def category(self, cells: list[str], ts: TableSet, row: int, ref: str) -> tuple[str | None, str | None, str]:
        """(category, sub-category, raw category cell): from the row's columns,
        else from the table's file name."""
        cat, sub = ts.category, ts.subcategory
        raw_cat = self.text(cells, "category")
        if raw_cat:
            try:
                cat, sub2 = V.category_of(raw_cat)
                sub = sub2 or sub
            except KeyError:
                self.issue("error", "code.unknown_category", f"Unknown category '{raw_cat}'.", row, "category", ref)
                cat = None
        raw_sub = self.text(cells, "subcategory")
        if raw_sub:
            try:
                c2, s2 = V.category_of(raw_sub)
                if s2 and (cat is None or c2 == cat):
                    cat, sub = c2, s2
            except KeyError:
                self.issue("warning", "code.unknown_subcategory", f"Unknown sub-category '{raw_sub}'.", row,
                           "subcategory", ref)
        return cat, sub, raw_cat

    def code(self, cells: list[str], name: str, table: dict[str, str], row: int, what: str,
             ref: str = "") -> tuple[str | None, bool]:
        raw = self.text(cells, name)
        try:
            return V.lookup(table, raw), True
        except KeyError:
            self.issue("error", f"code.unknown_{name}", f"Unknown {what} '{raw}'.", row, name, ref)
            return None, False


_PRESSURE_CLASSES = {
    "低压": 0.005, "中压": 0.2, "中压b": 0.1, "中压a": 0.3, "次高压": 0.8, "次高压b": 0.6, "次高压a": 1.2,
    "高压": 2.5, "高压b": 2.0, "高压a": 3.0, "low": 0.005, "medium": 0.2,
}


def _parse_pressure(raw: str) -> float | None:
    t = raw.strip().lower().replace(" ", "").replace("级", "")
    if not t:
        return None
    if t in _PRESSURE_CLASSES:
        return _PRESSURE_CLASSES[t]
    m = re.match(r"^(-?\d+(?:\.\d+)?)(mpa|kpa|pa)?$", t)
    if not m:
        raise ValueError(raw)
    value = float(m.group(1))
    unit = m.group(2) or "mpa"
    return value / 1000.0 if unit == "kpa" else value / 1e6 if unit == "pa" else value


def _parse_voltage(raw: str) -> float | None:
    t = raw.strip().lower().replace(" ", "")
    if not t:
        return None
    m = re.match(r"^(-?\d+(?:\.\d+)?)(kv|v)?$", t)
    if not m:
        raise ValueError(raw)
    value = float(m.group(1))
    return value / 1000.0 if m.group(2) == "v" else value


def _parse_year(raw: str) -> int | None:
    t = raw.strip()
    if not t:
        return None
    m = re.match(r"^(\d{4})", t)
    if not m or not 1800 <= int(m.group(1)) <= 2200:
        raise ValueError(raw)
    return int(m.group(1))


def _parse_date(raw: str) -> str | None:
    t = raw.strip()
    if not t:
        return None
    m = re.match(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", t)
    if not m:
        m2 = re.match(r"^(\d{4})(\d{2})(\d{2})$", t)
        if not m2:
            raise ValueError(raw)
        m = m2
    y, mo, d = (int(g) for g in m.groups())
    return _dt.date(y, mo, d).isoformat()


def _row_reader(table: Table, aliases: dict[str, list[str]], required: tuple[str, ...],
                issues: list[Issue]) -> _RowReader | None:
    """Map the table's columns; None (with an issue naming them) when required ones are missing."""
    columns = map_columns(table.headers, aliases)
    missing = [f for f in required if f not in columns]
    if missing:
        issues.append(Issue("error", "table.missing_column",
                            f"Missing column(s) for {', '.join(missing)} (headers: {', '.join(table.headers)}).",
                            table.path.name, 1, ", ".join(missing)))
        return None
    return _RowReader(table, columns, issues)


def _read_points(ts: TableSet, table: Table, profile: ImportProfile, issues: list[Issue]) -> list[PointRec]:
    rd = _row_reader(table, profile.points, REQUIRED_POINT, issues)
    if rd is None:
        return []
    out: list[PointRec] = []
    for cells, row in zip(table.rows, table.row_numbers):
        pid = rd.text(cells, "point_id")
        if not pid:
            rd.issue("error", "point.no_id", "The point has no point number.", row, "point_id")
            continue
        cat, sub, raw_cat = rd.category(cells, ts, row, pid)
        rec = PointRec(pid, cat, sub, rd.file, row)
        n_before = len(issues)
        if cat is None and not raw_cat:
            rd.issue("error", "point.no_category", "The point's category is unknown (no category column and "
                     "none in the file name).", row, "category", pid)
        x, _ = rd.number(cells, "x", row, pid)
        y, _ = rd.number(cells, "y", row, pid)
        if x is None or y is None:
            if rd.text(cells, "x") == "" or rd.text(cells, "y") == "":
                rd.issue("error", "point.no_xy", "The point has no coordinates.", row, "x", pid)
        else:
            if profile.xy_order == "northing_easting":
                rec.northing, rec.easting = x, y
            else:
                rec.easting, rec.northing = x, y
        rec.ground, _ = rd.number(cells, "ground_elev", row, pid)
        rec.values["well_depth_m"], _ = rd.number(cells, "well_depth", row, pid)
        feature, _ = rd.code(cells, "feature", V.FEATURE_LOOKUP, row, "feature point", pid)
        appurtenance, _ = rd.code(cells, "appurtenance", V.APPURTENANCE_LOOKUP, row, "appurtenance", pid)
        if feature and appurtenance:
            rd.issue("warning", "point.feature_and_appurtenance",
                     "The point has both a feature and an appurtenance; CJJ 61 allows one.", row, "appurtenance", pid)
        rec.values["feature"] = feature
        rec.values["appurtenance"] = appurtenance
        well = rd.text(cells, "well_size")
        if well:
            try:
                size = V.parse_size(well)
                if size and size.shape == "box":
                    rec.values.update(well_shape="rect", well_width_mm=size.width_mm, well_length_mm=size.height_mm)
                elif size:
                    rec.values.update(well_shape="round", well_diameter_mm=size.dn_mm)
            except ValueError:
                rd.issue("error", "point.bad_well_size", f"Unreadable well size '{well}'.", row, "well_size", pid)
        rec.values["status"], _ = rd.code(cells, "status", V.STATUS_LOOKUP, row, "status", pid)
        rec.values["quality_level"], _ = rd.code(cells, "quality_level", V.QUALITY_LOOKUP, row, "quality level",
                                                 pid)
        try:
            rec.values["survey_date"] = _parse_date(rd.text(cells, "survey_date"))
        except ValueError:
            rd.issue("error", "cell.bad_date", f"Unreadable date '{rd.text(cells, 'survey_date')}'.", row,
                     "survey_date", pid)
        for name in ("survey_no", "point_code", "road", "owner", "remark", "owner_contact", "survey_org",
                     "survey_method"):
            rec.values[name] = rd.text(cells, name) or None
        rec.values["sensitivity"] = _sensitivity(rd, cells, row, pid, cat)
        rot, _ = rd.number(cells, "rotation", row, pid)
        if rot is not None:
            rec.values["rotation_deg"] = rot
        rec.bad = any(i.severity == "error" for i in issues[n_before:])
        out.append(rec)
    return out


def _sensitivity(rd: Any, cells: list[str], row: int, ref: str, category: str | None) -> str:
    """The sharing class of a row: a known code (or its Chinese / English name); blank gives the default
    (industrial lines are restricted, everything else internal)."""
    from .. import codes

    raw = rd.text(cells, "sensitivity")
    if not raw:
        return "restricted" if category == "GY" else "internal"
    for c in codes.SENSITIVITIES:
        if raw in (c.code, c.name_zh, c.name_en) or raw.lower() == c.code:
            return c.code
    rd.issue("error", "cell.bad_sensitivity", f"Unknown sensitivity class '{raw}' (known: "
             + ", ".join(c.code for c in codes.SENSITIVITIES) + ").", row, "sensitivity", ref)
    return "internal"


def _read_segments(ts: TableSet, table: Table, profile: ImportProfile, issues: list[Issue]) -> list[SegmentRec]:
    rd = _row_reader(table, profile.segments, REQUIRED_SEGMENT, issues)
    if rd is None:
        return []
    out: list[SegmentRec] = []
    for cells, row in zip(table.rows, table.row_numbers):
        start, end = rd.text(cells, "start_point"), rd.text(cells, "end_point")
        ref = f"{start}-{end}"
        n_before = len(issues)
        if not start or not end:
            rd.issue("error", "seg.no_ends", "The segment needs a start and an end point number.", row,
                     "start_point" if not start else "end_point", ref)
        cat, sub, raw_cat = rd.category(cells, ts, row, ref)
        if cat is None and not raw_cat:
            rd.issue("error", "seg.no_category", "The segment's category is unknown (no category column and "
                     "none in the file name).", row, "category", ref)
        rec = SegmentRec(cat, sub, start, end, rd.file, row)
        sd, _ = rd.number(cells, "start_depth", row, ref)
        ed, _ = rd.number(cells, "end_depth", row, ref)
        se, _ = rd.number(cells, "start_elev", row, ref)
        ee, _ = rd.number(cells, "end_elev", row, ref)
        rec.depth = (sd, ed)
        rec.ref_elev = (se, ee)
        depth_ref, ok = rd.code(cells, "depth_ref", V.DEPTH_REF_LOOKUP, row, "depth reference", ref)
        rec.values["material"], _ = rd.code(cells, "material", V.MATERIAL_LOOKUP, row, "material", ref)
        rec.values["burial_method"], _ = rd.code(cells, "burial_method", V.BURIAL_LOOKUP, row, "burial method", ref)
        rec.values["status"], _ = rd.code(cells, "status", V.STATUS_LOOKUP, row, "status", ref)
        rec.values["quality_level"], _ = rd.code(cells, "quality_level", V.QUALITY_LOOKUP, row, "quality level",
                                                 ref)
        size_text = rd.text(cells, "size")
        size = None
        try:
            size = V.parse_size(size_text)
        except ValueError:
            rd.issue("error", "seg.bad_size", f"Unreadable size '{size_text}' (expected e.g. DN300 or 600X300).",
                     row, "size", ref)
        dn, _ = rd.number(cells, "dn", row, ref)
        width, _ = rd.number(cells, "width", row, ref)
        height, _ = rd.number(cells, "height", row, ref)
        wall, _ = rd.number(cells, "wall", row, ref)
        if size is None and dn:
            size = V.Size("circular", dn_mm=dn)
        if size is None and width and height:
            size = V.Size("box", width_mm=width, height_mm=height)
        rec.size = size
        rec.values["wall_mm"] = wall
        burial = rec.values["burial_method"]
        if depth_ref is None:
            if burial in ("GG", "ZH") and size is not None and size.shape == "box":
                depth_ref = "struct_top"
            else:
                depth_ref = profile.depth_ref.get(cat or "", profile.depth_ref.get("*", "top"))
        rec.depth_ref = depth_ref
        for name, parser, field_name in (("pressure", _parse_pressure, "pressure_mpa"),
                                         ("voltage", _parse_voltage, "voltage_kv"),
                                         ("year_built", _parse_year, "year_built"),
                                         ("survey_date", _parse_date, "survey_date")):
            raw = rd.text(cells, name)
            try:
                rec.values[field_name] = parser(raw)
            except ValueError:
                rd.issue("error", f"cell.bad_{name}", f"Unreadable {name.replace('_', ' ')} '{raw}'.", row, name,
                         ref)
        for name in ("cable_count", "hole_count", "holes_used"):
            value, _ = rd.number(cells, name, row, ref)
            if value is not None and not (value == int(value) and 0 <= value <= 1_000_000):
                rd.issue("error", "cell.bad_count", f"'{rd.text(cells, name)}' is not a count (a whole number "
                         "from 0 to 1000000).", row, name, ref)
                value = None
            rec.values[name] = int(value) if value is not None else None
        for name in ("protection", "owner", "road", "survey_method", "remark", "owner_contact", "survey_org"):
            rec.values[name] = rd.text(cells, name) or None
        rec.values["sensitivity"] = _sensitivity(rd, cells, row, ref, cat)
        rec.seg_id = rd.text(cells, "seg_id") or f"{cat or '?'}-{start}-{end}"
        rec.bad = any(i.severity == "error" for i in issues[n_before:])
        out.append(rec)
    return out


# --- coordinates -------------------------------------------------------------

def _gk_zone_crs(eastings: list[float]) -> str | None:
    """EPSG code of the CGCS2000 3-degree zone for 8-digit eastings with a zone
    prefix (EPSG:4513-4533 = zones 25-45), or None."""
    prefixed = [e for e in eastings if 10_000_000 <= e < 100_000_000]
    if not prefixed or len(prefixed) < len(eastings):
        return None
    zones = {int(e // 1_000_000) for e in prefixed}
    if len(zones) != 1:
        return None
    zone = zones.pop()
    if 25 <= zone <= 45:
        return f"EPSG:{4513 + zone - 25}"
    return None


def _resolve_source_crs(crs: str | None, map_crs_wkt: str, points: list[PointRec],
                        issues: list[Issue], notes: list[str]) -> str:
    eastings = [p.easting for p in points if p.easting is not None]
    zone_crs = _gk_zone_crs(eastings) if eastings else None
    given = (crs or "").strip()
    if not given:
        if zone_crs:
            notes.append(f"Eastings carry a zone prefix: tables read as {zone_crs} (CGCS2000 3-degree zone).")
            return zone_crs
        return map_crs_wkt
    m = re.match(r"^EPSG:(\d+)$", given.upper())
    if m and zone_crs:
        code = int(m.group(1))
        if 4534 <= code <= 4554:  # CM without prefix; the data carry the prefix of the same zone
            zone = 25 + (code - 4534)
            if f"EPSG:{4513 + zone - 25}" == zone_crs:
                notes.append(f"Eastings carry the zone prefix {zone}: tables read as {zone_crs}, "
                             f"the zone-prefixed twin of {given}.")
                return zone_crs
            issues.append(Issue("error", "crs.zone_mismatch",
                                 f"Eastings carry a zone prefix for {zone_crs}, which does not match CRS {given}.",
                                 "", None, "y"))
    return given


def _check_area(srs_wkt: str, points: list[PointRec], profile: ImportProfile, issues: list[Issue]) -> None:
    """Refuse swapped X/Y (or a wrong CRS) instead of importing nonsense:
    check the points fall inside the CRS's area of use."""
    try:
        from pyproj import CRS, Transformer
    except ImportError:  # pragma: no cover - pyproj ships with QGIS on Debian
        return
    try:
        crs = CRS.from_user_input(srs_wkt)
    except Exception:  # pyproj.exceptions.CRSError: a CRS GDAL read but PROJ cannot use here: no area check
        return
    area = crs.area_of_use
    if area is None or not crs.is_projected:
        return
    sample = [p for p in points if p.easting is not None][:2000]
    if not sample:
        return
    to_geo = Transformer.from_crs(crs, crs.geodetic_crs, always_xy=True)
    margin = 2.0

    def inside(xs: list[float], ys: list[float]) -> float:
        lon, lat = to_geo.transform(xs, ys)
        ok = sum(1 for a, b in zip(lon, lat) if math.isfinite(a) and math.isfinite(b)
                 and area.west - margin <= a <= area.east + margin and area.south - margin <= b <= area.north + margin)
        return ok / len(xs)

    xs = [p.easting for p in sample]
    ys = [p.northing for p in sample]
    direct = inside(xs, ys)
    if direct >= 0.5:
        return
    swapped = inside(ys, xs)
    if swapped >= 0.5:
        issues.append(Issue("error", "crs.xy_swapped",
                            f"The coordinates fall outside {crs.name} unless X and Y are swapped: the tables put "
                            f"{'northing in X' if profile.xy_order == 'easting_northing' else 'easting in X'}. "
                            "Set the import profile's xy_order (Chinese tables: X = northing).",
                            sample[0].file, None, "x"))
    else:
        issues.append(Issue("error", "crs.outside",
                            f"The coordinates fall outside the area of {crs.name}; check the CRS of the tables.",
                            sample[0].file, None, "x"))


# --- validation ----------------------------------------------------------------

def _validate(points: list[PointRec], segments: list[SegmentRec], profile: ImportProfile,
              issues: list[Issue], progress: Progress | None = None,
              span: tuple[float, float] = (0.35, 0.45)) -> dict[str, PointRec]:
    """Check the rows against each other (ids, ends, depths, slopes); returns the points by id.

    ``progress`` gets a report (within ``span``) and a cancel check every 20,000 segments: at a million
    segments this takes tens of seconds.
    """
    by_id: dict[str, PointRec] = {}
    n_segments = max(1, len(segments))
    for p in points:
        first = by_id.get(p.point_id)
        if first is not None:
            issues.append(Issue("error", "point.duplicate_id",
                                f"Duplicate point number {p.point_id} (first at {first.file} row {first.row}).",
                                p.file, p.row, "point_id", p.easting, p.northing, p.point_id))
            p.bad = True
            continue
        by_id[p.point_id] = p
    for p in by_id.values():
        if p.ground is None and not p.bad:
            issues.append(Issue("error", "point.no_ground", "The point has no ground elevation.",
                                p.file, p.row, "ground_elev", p.easting, p.northing, p.point_id))
            p.bad = True
        wd = p.values.get("well_depth_m")
        if wd is not None and (wd <= 0 or wd > profile.max_depth_m * 2):
            issues.append(Issue("error", "point.implausible_well_depth", f"Implausible well depth {wd} m.",
                                p.file, p.row, "well_depth", p.easting, p.northing, p.point_id))
            p.bad = True

    seen: dict[tuple[str | None, str, str], SegmentRec] = {}
    seen_ids: dict[str, SegmentRec] = {}
    ends_z: dict[str, list[tuple[float, SegmentRec, str]]] = defaultdict(list)
    for k, s in enumerate(segments):
        if progress is not None and k % 20000 == 0 and k:
            progress.report(span[0] + (span[1] - span[0]) * k / n_segments)
            check_cancel(progress)
        if not s.start or not s.end:
            continue
        sp, ep = by_id.get(s.start), by_id.get(s.end)
        where_x = sp.easting if sp else (ep.easting if ep else None)
        where_y = sp.northing if sp else (ep.northing if ep else None)

        def err(code: str, msg: str, column: str, severity: str = "error", s=s, wx=where_x, wy=where_y) -> None:
            issues.append(Issue(severity, code, msg, s.file, s.row, column, wx, wy, f"{s.start}-{s.end}"))
            if severity == "error":
                s.bad = True

        if s.start == s.end:
            err("seg.same_ends", f"The segment starts and ends at the same point {s.start}.", "end_point")
            continue
        for pid, col in ((s.start, "start_point"), (s.end, "end_point")):
            if pid not in by_id:
                err("seg.missing_point", f"Point {pid} is not in the point table.", col)
        key = (s.category, s.start, s.end)
        rkey = (s.category, s.end, s.start)
        if key in seen:
            first = seen[key]
            err("seg.duplicate", f"Duplicate of the segment at {first.file} row {first.row}.", "start_point")
            continue
        if rkey in seen:
            first = seen[rkey]
            err("seg.reversed_duplicate", f"Reversed duplicate of the segment at {first.file} row {first.row}.",
                "start_point")
            continue
        seen[key] = s
        if s.seg_id in seen_ids:
            first = seen_ids[s.seg_id]
            err("seg.duplicate_id", f"Segment id {s.seg_id} is used twice (first at row {first.row}).", "seg_id")
            continue
        seen_ids[s.seg_id] = s
        if sp is None or ep is None:
            continue
        for p in (sp, ep):
            if p.category and s.category and p.category != s.category:
                err("seg.category_mismatch", f"Point {p.point_id} is a {p.category} point but the segment is "
                    f"{s.category}.", "start_point" if p is sp else "end_point", "warning")
        sp.degree += 1
        ep.degree += 1
        s.section = V.section_of(s.size, s.values.get("material"), s.values.get("wall_mm"))
        if s.size is None and s.category not in ("DL", "TX"):
            err("seg.no_size", "The segment has no size; it is drawn as a line.", "size", "warning")
        zs: list[float] = []
        for i, (p, depth, elev, tag) in enumerate(((sp, s.depth[0], s.ref_elev[0], "start"),
                                                    (ep, s.depth[1], s.ref_elev[1], "end"))):
            ground = p.ground
            ref_elev = elev
            if elev is None and depth is not None and ground is not None:
                ref_elev = ground - depth
            if elev is not None and depth is not None and ground is not None:
                if abs(ground - depth - elev) > profile.elevation_tolerance_m:
                    err("seg.ground_mismatch",
                        f"At the {tag} point {p.point_id} ground {ground:.3f} − depth {depth:.3f} = "
                        f"{ground - depth:.3f} ≠ elevation {elev:.3f} (difference {ground - depth - elev:+.3f} m).",
                        f"{tag}_elev")
            if ref_elev is None:
                err("seg.no_depth", f"No depth or elevation at the {tag} point {p.point_id}.", f"{tag}_depth")
                continue
            if depth is None and ground is not None:
                depth = ground - ref_elev
            burial = s.values.get("burial_method")
            if depth is not None and burial not in ("JK", "DM", "SJ"):
                if depth < -0.05:
                    err("seg.above_ground", f"The {tag} of the segment is {-depth:.2f} m above ground.",
                        f"{tag}_depth")
                elif depth > profile.max_depth_m:
                    err("seg.implausible_depth", f"Implausible depth {depth:.2f} m at the {tag} point.",
                        f"{tag}_depth")
            try:
                z = V.centre_z(ref_elev, s.depth_ref, s.section)
            except ValueError:
                err("seg.bad_depth_ref", f"Unknown depth reference {s.depth_ref!r}.", "depth_ref")
                continue
            zs.append(z)
            if i == 0:
                s.ref_elev = (ref_elev, s.ref_elev[1])
                s.depth = (depth, s.depth[1])
            else:
                s.ref_elev = (s.ref_elev[0], ref_elev)
                s.depth = (s.depth[0], depth)
        if len(zs) == 2:
            s.z = (zs[0], zs[1])
            if not s.bad:  # a row already in error must not cast doubt on its neighbours
                ends_z[s.start].append((zs[0], s, "start_depth"))
                ends_z[s.end].append((zs[1], s, "end_depth"))
            if sp.easting is not None and ep.easting is not None:
                length = math.hypot(ep.easting - sp.easting, ep.northing - sp.northing)
                if length > profile.max_segment_length_m:
                    err("seg.too_long", f"Implausible length {length:.1f} m.", "end_point", "warning")
                elif length < profile.min_segment_length_m:
                    err("seg.too_short", f"Implausibly short segment ({length:.3f} m).", "end_point", "warning")
                elif abs(zs[1] - zs[0]) / length > profile.max_slope:
                    err("seg.steep", f"Implausible slope {100 * (zs[1] - zs[0]) / length:.1f} %.", "end_depth",
                        "warning")

    for pid, entries in ends_z.items():
        if len(entries) < 2:
            continue
        zmin = min(e[0] for e in entries)
        for z, s, column in entries:
            if z - zmin > 0.10:
                drain = s.category == "PS"
                issues.append(Issue("warning" if drain else "error", "point.two_depths",
                                    f"Point {pid} has pipes at centre elevations {zmin:.2f} and {z:.2f} m"
                                    + (" (a drop connection?)" if drain else "") + ".",
                                    s.file, s.row, column, by_id[pid].easting, by_id[pid].northing, pid))
                if not drain:
                    s.bad = True

    expected_degree = {"tee": 3, "cross": 4, "line_point": 2, "bend": 2, "turn": 2, "reducer": 2,
                       "material_change": 2, "cap": 1}
    for p in by_id.values():
        feature = p.values.get("feature")
        want = expected_degree.get(feature or "")
        if want is not None and p.degree and p.degree != want:
            issues.append(Issue("warning", "point.degree_mismatch",
                                f"Point {p.point_id} is a {feature} but {p.degree} segment(s) meet there "
                                f"(expected {want}).", p.file, p.row, "feature", p.easting, p.northing, p.point_id))
        if p.degree == 0 and not p.values.get("appurtenance") and not p.bad:
            issues.append(Issue("warning", "point.orphan", f"Point {p.point_id} is not used by any segment.",
                                p.file, p.row, "point_id", p.easting, p.northing, p.point_id))
    return by_id


# --- writing ---------------------------------------------------------------------

#: the private copy is committed every this many features: GDAL finishes the spatial index at each commit,
#: and one commit of a million features was a 15 s pause without progress (chunks of 50,000: < 1 s each, and
#: faster overall). The map itself changes only when the finished copy replaces it, so the import stays all or
#: nothing.
COMMIT_EVERY = 50_000
_POINT_WKB = struct.Struct("<BIddd")
_LINE_WKB = struct.Struct("<BIIdddddd")


def _now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Setter:
    """Sets fields by cached index with OGR's typed setters (setting by name
    costs a Python loop over the field list on every call)."""

    def __init__(self, defn: Any) -> None:
        from osgeo import ogr

        self.index: dict[str, tuple[int, int]] = {}
        for i in range(defn.GetFieldCount()):
            fd = defn.GetFieldDefn(i)
            self.index[fd.GetName()] = (i, fd.GetType())
        self.ogr = ogr

    def __call__(self, feat: Any, name: str, value: Any) -> None:
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return
        i, kind = self.index[name]
        ogr = self.ogr
        if kind == ogr.OFTString:
            feat.SetFieldString(i, str(value))
        elif kind == ogr.OFTReal:
            feat.SetField(i, float(value))
        elif kind in (ogr.OFTInteger64, ogr.OFTInteger):
            feat.SetFieldInteger64(i, int(value))
        else:
            feat.SetField(i, value)


def _write(map_path: Path, points: list[PointRec], segments: list[SegmentRec], result: ImportResult,
           progress: Progress) -> None:
    from osgeo import gdal, ogr

    from ..mapfile import copy_errors, replace_map, upgrade_map

    tmp = temp_path_beside(map_path, ".gpkg")
    now = _now()
    with copy_errors(map_path, tmp):  # (the copy is removed, errors name the map)
        shutil.copy2(map_path, tmp)  # inside the block: a full disk fails here too
        before, after = upgrade_map(tmp)  # an older map is upgraded in the same all-or-nothing write
        if before != after:
            result.notes.append(f"The map was upgraded from schema version {before} to {after}.")
        with gdal_exceptions():
            ds = gdal.OpenEx(str(tmp), gdal.OF_VECTOR | gdal.OF_UPDATE, allowed_drivers=["GPKG"])
            try:
                ds.StartTransaction()
                plyr = ds.GetLayerByName("pipe_point")
                slyr = ds.GetLayerByName("pipe_segment")
                if plyr is None or slyr is None:
                    raise InputError("{path} is not an integrated map (no pipe_point/pipe_segment layer).",
                                     code="map.not_pipemap", path=str(map_path))
                result.points_updated = _delete_existing(plyr, "point_id", [p.point_id for p in points])
                result.segments_updated = _delete_existing(slyr, "seg_id", [s.seg_id for s in segments])
                pdefn = plyr.GetLayerDefn()
                _set = _Setter(pdefn)
                total = max(1, len(points) + len(segments))
                for i, p in enumerate(points):
                    feat = ogr.Feature(pdefn)
                    feat.SetGeometryDirectly(ogr.CreateGeometryFromWkb(
                        _POINT_WKB.pack(1, 1001, p.easting, p.northing, p.ground)))
                    _set(feat, "point_id", p.point_id)
                    _set(feat, "category", p.category)
                    _set(feat, "subcategory", p.subcategory)
                    _set(feat, "ground_elev_m", p.ground)
                    for key, value in p.values.items():
                        _set(feat, key, value)
                    _set(feat, "source", p.file)
                    _set(feat, "source_id", f"row {p.row}")
                    _set(feat, "modified_at", now)
                    plyr.CreateFeature(feat)
                    if (i + 1) % COMMIT_EVERY == 0:
                        ds.CommitTransaction()
                        ds.StartTransaction()
                    if i % 5000 == 0:
                        progress.report(0.5 + 0.4 * i / total)
                        check_cancel(progress)
                sdefn = slyr.GetLayerDefn()
                _set = _Setter(sdefn)
                pts = {p.point_id: p for p in points}
                for i, s in enumerate(segments):
                    a, b = pts[s.start], pts[s.end]
                    sec = s.section or V.Section("circular", 0, 0, 0)
                    feat = ogr.Feature(sdefn)
                    feat.SetGeometryDirectly(ogr.CreateGeometryFromWkb(_LINE_WKB.pack(
                        1, 1002, 2, a.easting, a.northing, s.z[0], b.easting, b.northing, s.z[1])))
                    _set(feat, "seg_id", s.seg_id)
                    _set(feat, "category", s.category)
                    _set(feat, "subcategory", s.subcategory)
                    _set(feat, "start_point", s.start)
                    _set(feat, "end_point", s.end)
                    _set(feat, "start_depth_m", s.depth[0])
                    _set(feat, "end_depth_m", s.depth[1])
                    _set(feat, "start_elev_m", s.ref_elev[0])
                    _set(feat, "end_elev_m", s.ref_elev[1])
                    _set(feat, "depth_ref", s.depth_ref)
                    _set(feat, "section", sec.shape)
                    if s.size is not None and s.size.shape == "circular":
                        _set(feat, "dn_mm", s.size.dn_mm)
                        _set(feat, "outer_diameter_mm", round(sec.outer_width_m * 1000.0, 3))
                        _set(feat, "wall_mm", round((sec.outer_width_m - sec.inner_height_m) * 500.0, 3))
                    elif s.size is not None:
                        _set(feat, "width_mm", s.size.width_mm)
                        _set(feat, "height_mm", s.size.height_mm)
                    for key, value in s.values.items():
                        if key != "wall_mm":
                            _set(feat, key, value)
                    _set(feat, "source", s.file)
                    _set(feat, "source_id", f"row {s.row}")
                    _set(feat, "modified_at", now)
                    slyr.CreateFeature(feat)
                    if (i + 1) % COMMIT_EVERY == 0:
                        ds.CommitTransaction()
                        ds.StartTransaction()
                    if i % 5000 == 0:
                        progress.report(0.5 + 0.4 * (len(points) + i) / total)
                        check_cancel(progress)
                progress.report(0.9)
                ds.CommitTransaction()
                progress.report(0.93)
                ds.FlushCache()  # GDAL's deferred work (extents, index) fails here, not unseen at close
                progress.report(0.96)
            finally:
                ds = None  # noqa: F841
        check_cancel(progress)
        progress.report(0.97)
        # into the locked map through SQLite (see mapfile.replace_map)
        replace_map(tmp, map_path, lambda f: progress.report(0.97 + 0.03 * f))


def _delete_existing(layer: Any, key: str, ids: list[str]) -> int:
    """Delete features whose key is re-imported (a re-import updates)."""
    if layer.GetFeatureCount() == 0 or not ids:
        return 0
    wanted = set(ids)
    doomed = [f.GetFID() for f in layer if f.GetField(key) in wanted]
    for fid in doomed:
        layer.DeleteFeature(fid)
    return len(doomed)


# --- entry point --------------------------------------------------------------------

def import_survey(map_path: str | os.PathLike[str], points: str | os.PathLike[str] | None,
                  segments: str | os.PathLike[str] | None = None, profile: str | ImportProfile | None = "zh",
                  crs: str | None = None, mode: str = "all_or_nothing", encoding: str | None = None,
                  progress: Progress | None = None) -> ImportResult:
    """Import survey result tables into the integrated map at ``map_path``.

    :param crs: CRS of the tables (``""``: the map's, or the CGCS2000 zone
        given by an 8-digit zone-prefixed easting). Data are reprojected
        into the map's CRS.
    :param mode: ``all_or_nothing`` (any error leaves the map untouched) or
        ``valid_rows``.
    :returns: counts and every issue found; ``committed`` says whether the
        map was changed.
    :raises InputError: unusable input (missing files, unreadable tables,
        not a map); :class:`OutputError` when the map cannot be written.
    """
    from ..mapfile import read_metadata, write_lock

    progress = progress or NullProgress()
    if mode not in MODES:
        raise InputError("Unknown import mode {mode!r}: use all_or_nothing or valid_rows.", code="import.mode",
                         mode=mode)
    target = Path(map_path)
    meta = read_metadata(target)
    try:
        spatial_reference(meta.get("crs_wkt", ""))
    except InputError:
        raise SchemaError("The map {path} does not record a valid coordinate reference system (crs_wkt in its "
                          "pipemap_metadata table).", code="map.bad_crs", path=str(target)) from None
    if crs and crs.strip():
        spatial_reference(crs)  # an invalid CRS parameter is refused before any table is read
    if not os.access(target, os.W_OK):
        raise OutputError("The map {path} is read-only; nothing was imported.", code="import.readonly",
                          path=str(target))
    prof = profile if isinstance(profile, ImportProfile) else load_profile(profile)
    result = ImportResult(mode=mode)
    sets = discover(points, segments)
    all_points: list[PointRec] = []
    all_segments: list[SegmentRec] = []
    issues = result.issues
    n_tables = sum((ts.points is not None) + (ts.segments is not None) for ts in sets)
    done = 0
    for ts in sets:
        for path, reader in ((ts.points, _read_points), (ts.segments, _read_segments)):
            if path is None:
                continue
            table = read_table(path, encoding)
            result.files.append(str(path))
            result.encodings[path.name] = table.encoding or "excel"
            if not table.rows:
                issues.append(Issue("warning", "table.no_rows", "The table has a header but no rows.", path.name, 1))
            recs = reader(ts, table, prof, issues)
            if reader is _read_points:
                all_points.extend(recs)  # type: ignore[arg-type]
            else:
                all_segments.extend(recs)  # type: ignore[arg-type]
            done += 1
            progress.report(0.3 * done / max(1, n_tables))
            check_cancel(progress)
    result.points_read = len(all_points)
    result.segments_read = len(all_segments)
    if not all_points and not all_segments:
        if result.errors:  # e.g. missing columns: report them, change nothing
            return result
        raise InputError("No rows to import in {files}.", code="import.nothing", files=", ".join(result.files))

    map_wkt = meta.get("crs_wkt", "")
    source = _resolve_source_crs(crs, map_wkt, all_points, issues, result.notes)
    result.source_crs = source if not source.startswith(("PROJCRS", "PROJCS", "GEOG", "LOCAL", "ENGCRS")) \
        else meta.get("crs_authid") or "the map's CRS"
    _check_area(source, all_points, prof, issues)
    _reproject(source, map_wkt, all_points)
    for pt in all_points:  # coordinates outside the range of the tables' CRS transform to inf
        if pt.easting is not None and not (math.isfinite(pt.easting) and math.isfinite(pt.northing or math.nan)):
            issues.append(Issue("error", "point.bad_xy", f"The coordinates of point {pt.point_id} cannot be placed "
                                f"in the map's CRS: they are outside the range of {result.source_crs}.", pt.file,
                                pt.row, "x", ref=pt.point_id))
            pt.easting = pt.northing = None
            pt.bad = True
    progress.report(0.35)
    by_id = _validate(all_points, all_segments, prof, issues, progress)
    progress.report(0.45)
    check_cancel(progress)

    for s in all_segments:  # a segment whose end point has errors cannot be placed
        if s.bad:
            continue
        for pid in (s.start, s.end):
            p = by_id.get(pid)
            if p is not None and p.bad:
                s.bad = True
                issues.append(Issue("warning" if mode == "valid_rows" else "error", "seg.point_rejected",
                                    f"Point {pid} has errors, so the segment cannot be placed.", s.file, s.row,
                                    "start_point" if pid == s.start else "end_point", p.easting, p.northing,
                                    f"{s.start}-{s.end}"))
                break
    issues.sort(key=lambda i: (i.file, i.row or 0))
    fatal = [i for i in issues if i.severity == "error" and i.row is None]
    if mode == "all_or_nothing" and result.errors or fatal:
        return result
    good_points = [p for p in by_id.values() if not p.bad]
    good_segments = [s for s in all_segments if not s.bad and s.z is not None]
    with write_lock(target):  # no other program may commit between the copy and the rename
        _write(target, good_points, good_segments, result, progress)
    result.points_written = len(good_points)
    result.segments_written = len(good_segments)
    result.committed = True
    progress.report(1.0)
    return result


def _reproject(source: str, target_wkt: str, points: list[PointRec]) -> None:
    src = spatial_reference(source)
    dst = spatial_reference(target_wkt)
    if src.IsSame(dst):
        return
    from pyproj import CRS, Transformer

    tr = Transformer.from_crs(CRS.from_wkt(src.ExportToWkt(["FORMAT=WKT2_2019"])),
                              CRS.from_wkt(dst.ExportToWkt(["FORMAT=WKT2_2019"])), always_xy=True)
    sel = [p for p in points if p.easting is not None and p.northing is not None]
    if not sel:
        return
    xs, ys = tr.transform([p.easting for p in sel], [p.northing for p in sel])
    for p, x, y in zip(sel, xs, ys):
        p.easting, p.northing = float(x), float(y)
