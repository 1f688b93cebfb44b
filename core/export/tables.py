"""CJJ 61 result tables: one point table and one segment table per category.

The layout is the one ``pipemap:importsurvey`` reads with its default (``zh``)
import profile, so exporting a map and importing the folder into an empty map
gives the same map back:

* files ``<CODE>Point.csv`` / ``<CODE>Line.csv`` (or ``.xlsx``: one workbook
  per table, its one sheet named like the file) for each CJJ 61 category code,
  e.g. ``JSPoint.csv``, ``PSLine.csv`` (the export's ``basename`` is not used:
  importsurvey tells the category and the kind of table from these names);
* Chinese headers (``图上点号``, ``X``, ``Y``, ``地面高程``, ``起点点号``, ...);
  ``X`` is the northing and ``Y`` the easting (Chinese survey convention);
* codes as stored in the map (category ``JS``, material ``QM``, depth
  reference ``top``...), numbers in metres / millimetres / MPa / kV, dates as
  ``YYYY-MM-DD``;
* CSV in UTF-8 with a byte-order mark (Excel opens it as UTF-8) or GBK; the
  delimiter is a comma unless the values are so full of semicolons or tabs
  that the importer's delimiter sniffing would guess otherwise.

Elevations. The map stores the segment's centreline z; the tables carry, at
each end, the elevation and depth of the surveyed reference (``埋深基准``: top,
invert, ...). The importer derives z from the elevation, the reference and
the section (size, wall, material). The elevation written is therefore the
stored one when it gives the map's z back within 0.5 mm, else the one
computed from z (counted in a warning). A segment whose depth reference is
withheld gets its elevations at the centre (``埋深基准 = centre``).

Only fields the sharing profile kept are written (a missing field is a
missing column; the importer needs only point numbers, X and Y, and the end
point numbers). Columns for fields the importer does not read (owner
contact, symbol rotation, provenance...) are written too so nothing kept is
lost; they are listed in ``tables_metadata.json``. Segments whose end points
are not in the point tables (withheld by the profile) are left out, because
a result table cannot place a segment without its points.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import math
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from .. import codes
from ..errors import OutputError
from ..progress import Progress, check_cancel
from ..survey import values as V  # noqa: N812
from .formats import ExportOptions
from .model import LayerData, MapData

#: the importer strips this much disagreement between ground - depth and the elevation (import profile default)
ELEVATION_TOLERANCE_M = 0.05
#: a stored elevation is kept when it gives the map's z back within this
Z_TOLERANCE_M = 0.0005
#: the importer sniffs the delimiter from this many characters
SNIFF_CHARS = 65536
#: Excel's limit on the characters of one cell
EXCEL_CELL_CHARS = 32767


@dataclass(frozen=True)
class Column:
    header: str
    field: str  #: data-model field the column comes from ("" for derived columns)
    kind: str = "text"  #: text | real | integer | date | datetime
    imported: bool = True  #: whether importsurvey's zh profile reads the column


# Point table: importer-read columns first (headers = the zh import profile's first alias), then the rest.
POINT_COLUMNS: tuple[Column, ...] = (
    Column("图上点号", "point_id"),
    Column("物探点号", "survey_no"),
    Column("管线类别", "category"),
    Column("管线小类", "subcategory"),
    Column("特征", "feature"),
    Column("附属物", "appurtenance"),
    Column("点代码", "point_code"),
    Column("X", "", "real"),  # northing
    Column("Y", "", "real"),  # easting
    Column("地面高程", "", "real"),  # ground: the point's z (or ground_elev_m)
    Column("井深", "well_depth_m", "real"),
    Column("井径", ""),  # from well_shape / well_diameter_mm / well_width_mm / well_length_mm
    Column("道路名称", "road"),
    Column("权属单位", "owner"),
    Column("质量等级", "quality_level"),
    Column("探测日期", "survey_date", "date"),
    Column("状态", "status"),
    Column("备注", "remark"),
    Column("符号旋转角", "rotation_deg", "real", False),
    Column("权属单位联系方式", "owner_contact", "text", False),
    Column("探测方法", "survey_method", "text", False),
    Column("探测单位", "survey_org", "text", False),
    Column("密级", "sensitivity", "text", False),
    Column("数据来源", "source", "text", False),
    Column("来源编号", "source_id", "text", False),
    Column("版本", "version", "integer", False),
    Column("修改时间", "modified_at", "datetime", False),
)

SEGMENT_COLUMNS: tuple[Column, ...] = (
    Column("管段编号", "seg_id"),
    Column("起点点号", "start_point"),
    Column("终点点号", "end_point"),
    Column("管线类别", "category"),
    Column("管线小类", "subcategory"),
    Column("起点埋深", "start_depth_m", "real"),
    Column("终点埋深", "end_depth_m", "real"),
    Column("起点高程", "", "real"),  # elevation of the depth reference, consistent with z
    Column("终点高程", "", "real"),
    Column("埋深基准", ""),  # depth_ref, or "centre" when it is withheld
    Column("材质", "material"),
    Column("管径", ""),  # DN300 / 600X400 from dn_mm or width_mm x height_mm
    Column("壁厚", "", "real"),  # wall_mm, or (outer_diameter_mm - dn_mm) / 2
    Column("埋设方式", "burial_method"),
    Column("压力", "pressure_mpa", "real"),
    Column("电压", "voltage_kv", "real"),
    Column("电缆条数", "cable_count", "integer"),
    Column("总孔数", "hole_count", "integer"),
    Column("已用孔数", "holes_used", "integer"),
    Column("保护材料", "protection"),
    Column("权属单位", "owner"),
    Column("埋设年代", "year_built", "integer"),
    Column("道路名称", "road"),
    Column("状态", "status"),
    Column("质量等级", "quality_level"),
    Column("探测日期", "survey_date", "date"),
    Column("探测方法", "survey_method"),
    Column("密级", "sensitivity"),
    Column("备注", "remark"),
    Column("断面形状", "section", "text", False),
    Column("外径", "outer_diameter_mm", "real", False),
    Column("权属单位联系方式", "owner_contact", "text", False),
    Column("探测单位", "survey_org", "text", False),
    Column("数据来源", "source", "text", False),
    Column("来源编号", "source_id", "text", False),
    Column("版本", "version", "integer", False),
    Column("修改时间", "modified_at", "datetime", False),
)

_WELL_FIELDS = ("well_shape", "well_diameter_mm", "well_width_mm", "well_length_mm")
_SIZE_FIELDS = ("dn_mm", "width_mm", "height_mm")
_KNOWN_REFS = {c.code for c in codes.DEPTH_REFERENCES}
_CODE_RE = re.compile(r"^[A-Za-z0-9]{1,8}$")
_XML_BAD = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --- cell text -----------------------------------------------------------------------

def number_text(value: Any) -> str:
    """A number as plain decimal text that reads back as the same float (no exponent)."""
    if value is None:
        return ""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return str(int(value))
    v = float(value)
    if not math.isfinite(v):
        return ""
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return np.format_float_positional(v, trim="-")


def _size_number(v: float) -> str:
    # sizes go through the importer's size pattern, which takes digits and one decimal point only
    text = f"{v:.6f}".rstrip("0").rstrip(".")
    return text or "0"


def _date_text(value: Any, with_time: bool) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    m = re.match(r"^(\d{4})[/-](\d{1,2})[/-](\d{1,2})(.*)$", text)
    if not m:
        return text
    rest = m.group(4) if with_time else ""
    return f"{m.group(1)}-{int(m.group(2)):02d}-{int(m.group(3)):02d}{rest}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return number_text(value)
    return str(value)


def _finite(v: Any) -> float | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


# --- building the rows -------------------------------------------------------------------

@dataclass
class _Table:
    name: str  #: e.g. JSPoint
    columns: list[Column]
    rows: Callable[[], Iterator[list[Any]]]  #: cell values (numbers as float/int, text as str, None)
    count: int


class _Counts:
    def __init__(self) -> None:
        self.n: dict[str, int] = {}
        self.examples: dict[str, list[str]] = {}

    def add(self, key: str, example: str) -> None:
        self.n[key] = self.n.get(key, 0) + 1
        ex = self.examples.setdefault(key, [])
        if len(ex) < 3:
            ex.append(example)


def _present(layer: LayerData, columns: tuple[Column, ...], derived: dict[str, bool]) -> list[Column]:
    out = []
    for c in columns:
        if c.field:
            if c.field in layer.columns:
                out.append(c)
        elif derived.get(c.header, False):
            out.append(c)
    return out


def _well_size(layer: LayerData, i: int) -> str:
    shape = layer.value("well_shape", i)
    d = _finite(layer.value("well_diameter_mm", i))
    w = _finite(layer.value("well_width_mm", i))
    length = _finite(layer.value("well_length_mm", i))
    if shape == "rect" or (shape is None and w and length):
        if w and length:
            return f"{_size_number(w)}X{_size_number(length)}"
        return ""
    if d:
        return _size_number(d)
    return ""


def _point_tables(points: LayerData, counts: _Counts,
                  progress: Progress) -> tuple[list[_Table], dict[str, float], dict[str, tuple[float, float]]]:
    """Point tables per category, the ground elevation written for each point id, and each point's x/y."""
    has_well = any(f in points.columns for f in _WELL_FIELDS)
    cols = _present(points, POINT_COLUMNS, {"X": True, "Y": True, "地面高程": True, "井径": has_well})
    ground: dict[str, float] = {}
    xy: dict[str, tuple[float, float]] = {}
    by_cat: dict[str, list[int]] = {}
    verts = points.vertices
    ground_col = points.columns.get("ground_elev_m")
    for i in range(len(points)):
        pid = points.value("point_id", i)
        cat = points.value("category", i) or ""
        if not pid:
            counts.add("point_no_id", f"#{i}")
            continue
        if not _CODE_RE.match(cat):
            counts.add("bad_category", f"point {pid} ({cat!r})")
            continue
        z = _finite(verts[i, 2])
        if z is None and ground_col is not None:
            z = _finite(ground_col[i])
        if z is None:
            counts.add("point_no_ground", str(pid))
        else:
            ground[str(pid)] = z
        xy[str(pid)] = (float(verts[i, 0]), float(verts[i, 1]))
        by_cat.setdefault(cat, []).append(i)

    def make_rows(idx: list[int]) -> Callable[[], Iterator[list[Any]]]:
        def rows() -> Iterator[list[Any]]:
            for n, i in enumerate(idx):
                if n % 2000 == 0:
                    check_cancel(progress)
                pid = str(points.value("point_id", i))
                out: list[Any] = []
                for c in cols:
                    if c.header == "X":
                        out.append(float(verts[i, 1]))
                    elif c.header == "Y":
                        out.append(float(verts[i, 0]))
                    elif c.header == "地面高程":
                        out.append(ground.get(pid))
                    elif c.header == "井径":
                        out.append(_well_size(points, i))
                    else:
                        out.append(points.value(c.field, i))
                yield out
        return rows

    tables = [_Table(f"{cat}Point", cols, make_rows(idx), len(idx)) for cat, idx in sorted(by_cat.items())]
    return tables, ground, xy


def _size_of(segments: LayerData, i: int) -> tuple[str, float | None]:
    """(size text for 管径, wall thickness in mm or None)."""
    section = segments.value("section", i)
    dn = _finite(segments.value("dn_mm", i))
    w = _finite(segments.value("width_mm", i))
    h = _finite(segments.value("height_mm", i))
    wall = _finite(segments.value("wall_mm", i))
    outer = _finite(segments.value("outer_diameter_mm", i))
    if section == "box" or (section is None and not dn and w and h):
        text = f"{_size_number(w)}X{_size_number(h)}" if w and h and w > 0 and h > 0 else ""
        return text, wall
    if dn and dn > 0:
        if wall is None and outer is not None and outer >= dn:
            wall = (outer - dn) / 2.0
        return f"DN{_size_number(dn)}", wall
    return "", wall


def _segment_tables(segments: LayerData, ground: dict[str, float], xy: dict[str, tuple[float, float]],
                    counts: _Counts, progress: Progress) -> list[_Table]:
    has_size = any(f in segments.columns for f in _SIZE_FIELDS)
    cols = _present(segments, SEGMENT_COLUMNS, {"起点高程": True, "终点高程": True, "埋深基准": True,
                                                 "管径": has_size, "壁厚": has_size or "wall_mm" in segments.columns})
    has_ref = "depth_ref" in segments.columns
    has_material = "material" in segments.columns
    by_cat: dict[str, list[int]] = {}
    for i in range(len(segments)):
        sid = segments.value("seg_id", i)
        cat = segments.value("category", i) or ""
        a, b = segments.value("start_point", i), segments.value("end_point", i)
        if not _CODE_RE.match(cat):
            counts.add("bad_category", f"segment {sid} ({cat!r})")
            continue
        if not a or not b or str(a) not in xy or str(b) not in xy:
            counts.add("segment_no_points", str(sid))
            continue
        c = segments.coords(i)
        if len(c) > 2:
            counts.add("bends", str(sid))
        for end, pid in ((c[0], str(a)), (c[-1], str(b))):
            px, py = xy[pid]
            if math.hypot(end[0] - px, end[1] - py) > 0.001:
                counts.add("moved", str(sid))
                break
        by_cat.setdefault(cat, []).append(i)

    def values_of(i: int) -> dict[str, Any]:
        """The derived cells of segment ``i`` (elevations, reference, size, wall, depths)."""
        sid = str(segments.value("seg_id", i))
        size_text, wall = _size_of(segments, i) if has_size else ("", _finite(segments.value("wall_mm", i)))
        ref = segments.value("depth_ref", i) if has_ref else None
        if ref not in _KNOWN_REFS:
            ref = "centre"
        material = segments.value("material", i) if has_material else None
        try:
            size = V.parse_size(size_text)
        except ValueError:  # pragma: no cover - _size_of writes only what parse_size reads
            size = None
        try:
            mat_code = V.lookup(V.MATERIAL_LOOKUP, material) if material else None
        except KeyError:
            mat_code = None
        section = V.section_of(size, mat_code, wall)
        offset = V.centre_z(0.0, ref, section)  # z = elevation + offset
        c = segments.coords(i)
        out: dict[str, Any] = {"埋深基准": ref, "管径": size_text, "壁厚": wall}
        for tag, zval, elev_field, depth_field, pid in (
                ("起点", c[0, 2], "start_elev_m", "start_depth_m", segments.value("start_point", i)),
                ("终点", c[-1, 2], "end_elev_m", "end_depth_m", segments.value("end_point", i))):
            z = _finite(zval)
            stored = _finite(segments.value(elev_field, i))
            if z is not None:
                if stored is not None and abs(stored + offset - z) <= Z_TOLERANCE_M:
                    elev = stored
                else:
                    elev = round(z - offset, 6)
                    if stored is not None:
                        counts.add("elev_from_z", sid)
            else:
                elev = stored
                if stored is None:
                    counts.add("no_z", sid)
            out[f"{tag}高程"] = elev
            if depth_field in segments.columns:
                depth = _finite(segments.value(depth_field, i))
                g = ground.get(str(pid))
                if depth is not None and elev is not None and g is not None \
                        and abs(g - depth - elev) > ELEVATION_TOLERANCE_M:
                    depth = round(g - elev, 6)
                    counts.add("depth_from_z", sid)
                out[f"{tag}埋深"] = depth
        return out

    derived_headers = {"起点高程", "终点高程", "埋深基准", "管径", "壁厚", "起点埋深", "终点埋深"}

    def make_rows(idx: list[int]) -> Callable[[], Iterator[list[Any]]]:
        def rows() -> Iterator[list[Any]]:
            for n, i in enumerate(idx):
                if n % 2000 == 0:
                    check_cancel(progress)
                d = values_of(i)
                yield [d.get(c.header) if c.header in derived_headers else segments.value(c.field, i)
                       for c in cols]
        return rows

    return [_Table(f"{cat}Line", cols, make_rows(idx), len(idx)) for cat, idx in sorted(by_cat.items())]


# --- writing --------------------------------------------------------------------------------

def _cell_text(c: Column, value: Any) -> str:
    if c.kind in ("real", "integer"):
        return number_text(value) if not isinstance(value, str) else value
    if c.kind == "date":
        return _date_text(value, False)
    if c.kind == "datetime":
        return _date_text(value, True)
    return _text(value)


def _sniff(sample: str) -> str:
    """The delimiter importsurvey's table reader would pick for this text (core.survey.tables)."""
    commas, tabs, semis = sample.count(","), sample.count("\t"), sample.count(";")
    if tabs > commas and tabs > 0:
        return "\t"
    if semis > commas and semis > 0:
        return ";"
    return ","


def _lines(table: _Table, delimiter: str) -> Iterator[tuple[str, list[str]]]:
    """(CSV line, the row's cells) for the header and each row."""
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    headers = [c.header for c in table.columns]
    writer.writerow(headers)
    yield buf.getvalue(), headers
    for values in table.rows():
        cells = [_cell_text(c, v) for c, v in zip(table.columns, values)]
        buf.seek(0)
        buf.truncate()
        writer.writerow(cells)
        yield buf.getvalue(), cells


def _choose_delimiter(table: _Table) -> str:
    for delimiter in (",", ";", "\t"):
        head: list[str] = []
        size = 0
        for line, _ in _lines(table, delimiter):
            head.append(line)
            size += len(line)
            if size >= SNIFF_CHARS:
                break
        if _sniff("".join(head)[:SNIFF_CHARS]) == delimiter:
            return delimiter
    raise OutputError("The values of table {table} are so full of commas, semicolons and tabs that no delimiter "
                      "can be read back reliably.", code="export.tables_delimiter", table=table.name)


def _encode_problem(table: str, cells: list[str], headers: list[str], encoding: str) -> str:
    for h, cell in zip(headers, cells):
        for ch in cell:
            try:
                ch.encode(encoding)
            except UnicodeEncodeError:
                return f"{table} row {cells[0]!r} column {h}: {ch!r} (U+{ord(ch):04X})"
    return "?"  # pragma: no cover


def _write_csv(table: _Table, path: Path, encoding: str, progress: Progress, span: tuple[float, float]) -> bool:
    """Write one CSV table; returns True when a GBK file would be taken for UTF-8 by a reader that guesses."""
    delimiter = _choose_delimiter(table)
    gbk = encoding != "utf-8"
    tmp = path.parent / f".{path.name}.part"
    problems: list[str] = []
    utf8_check = codecs.getincrementaldecoder("utf-8")()
    looks_utf8 = gbk
    non_ascii = False
    headers = [c.header for c in table.columns]
    try:
        with open(tmp, "wb") as fh:
            if not gbk:
                fh.write(codecs.BOM_UTF8)
            for n, (line, cells) in enumerate(_lines(table, delimiter)):
                if "\x00" in line:
                    raise OutputError("Table {table}: a value in the row of {ident!r} contains a NUL character, "
                                      "which a CSV table cannot carry.", code="export.tables_nul", table=table.name,
                                      ident=cells[0])
                try:
                    data = line.encode(encoding)
                except UnicodeEncodeError:
                    problems.append(_encode_problem(table.name, cells, headers, encoding))
                    if len(problems) >= 5:
                        break
                    continue
                if looks_utf8:
                    if not non_ascii and any(b > 127 for b in data):
                        non_ascii = True
                    try:
                        utf8_check.decode(data)
                    except UnicodeDecodeError:
                        looks_utf8 = False
                fh.write(data)
                if n % 5000 == 0 and table.count:
                    progress.report(span[0] + (span[1] - span[0]) * min(1.0, n / table.count))
        if looks_utf8:
            try:
                utf8_check.decode(b"", final=True)
            except UnicodeDecodeError:
                looks_utf8 = False
        if problems:
            raise OutputError("{encoding} cannot encode some characters; export the tables as UTF-8 or change the "
                              "values. First ones: {problems}", code="export.tables_encoding",
                              encoding=encoding.upper(), problems="; ".join(problems))
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    return looks_utf8 and non_ascii


def _write_xlsx(table: _Table, path: Path, progress: Progress, span: tuple[float, float],
                counts: _Counts) -> None:
    from osgeo import gdal, ogr

    from ..gdalutil import gdal_exceptions

    tmp = path.parent / f".{path.stem}.part{path.suffix}"
    kinds = {"real": ogr.OFTReal, "integer": ogr.OFTInteger64}
    try:
        with gdal_exceptions():
            drv = gdal.GetDriverByName("XLSX")
            ds = drv.Create(str(tmp), 0, 0, 0, gdal.GDT_Unknown)
            try:
                lyr = ds.CreateLayer(table.name, geom_type=ogr.wkbNone)
                for c in table.columns:
                    lyr.CreateField(ogr.FieldDefn(c.header, kinds.get(c.kind, ogr.OFTString)))
                defn = lyr.GetLayerDefn()
                for n, values in enumerate(table.rows()):
                    feat = ogr.Feature(defn)
                    for k, (c, v) in enumerate(zip(table.columns, values)):
                        if v is None or (isinstance(v, str) and not v):
                            continue
                        if c.kind == "real" and not isinstance(v, str):
                            fv = _finite(v)
                            if fv is not None:
                                feat.SetField(k, fv)
                        elif c.kind == "integer" and not isinstance(v, str):
                            feat.SetFieldInteger64(k, int(v))
                        else:
                            text = _cell_text(c, v)
                            if _XML_BAD.search(text):
                                raise OutputError("Table {table}: a value in the row of {ident!r} holds a control "
                                                  "character that a spreadsheet cannot carry; export as CSV.",
                                                  code="export.tables_control", table=table.name,
                                                  ident=_text(values[0]))
                            if len(text) > EXCEL_CELL_CHARS:
                                counts.add("long_cell", f"{table.name} {_text(values[0])} {c.header}")
                            feat.SetField(k, text)
                    lyr.CreateFeature(feat)
                    if n % 5000 == 0 and table.count:
                        progress.report(span[0] + (span[1] - span[0]) * min(1.0, n / table.count))
            finally:
                ds = None  # noqa: F841
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


_MESSAGES = {
    "point_no_id": "{n} points without a point number were left out of the result tables",
    "bad_category": "{n} features with a missing or unusable category code were left out of the result tables",
    "point_no_ground": "{n} points have no ground elevation; importsurvey will refuse them",
    "segment_no_points": "{n} segments were left out of the result tables because an end point is not in the "
                         "point tables (withheld by the sharing profile, or missing from the map)",
    "bends": "{n} segments have intermediate vertices; result tables carry only the end points",
    "moved": "{n} segments do not start or end exactly (within 1 mm) on their points; re-imported, they run "
             "between the points",
    "elev_from_z": "{n} segments: the stored elevation did not match the centreline z; the elevation written "
                   "was computed from z",
    "depth_from_z": "{n} segments: ground - depth disagreed with the elevation by more than 5 cm; the depth "
                    "written was computed from the ground and the elevation",
    "no_z": "{n} segments have no elevation at an end; importsurvey will refuse them",
    "long_cell": "{n} spreadsheet cells are longer than Excel's 32,767 characters (other readers keep them)",
}


def _legend(columns: tuple[Column, ...]) -> list[dict[str, Any]]:
    notes = {"X": "northing (m)", "Y": "easting (m)", "地面高程": "ground elevation (m): the point's z",
             "井径": "well size (mm): diameter, or width X length", "起点高程": "elevation of the depth reference "
             "at the start (m)", "终点高程": "elevation of the depth reference at the end (m)",
             "埋深基准": "depth reference of depths and elevations (top, centre, invert, struct_top, struct_bottom)",
             "管径": "size (mm): DN<inner diameter> or <width>X<height>", "壁厚": "wall thickness (mm)"}
    return [{"header": c.header, "field": c.field, "type": c.kind, "read_by_importsurvey": c.imported,
             **({"note": notes[c.header]} if c.header in notes else {})} for c in columns]


def write(data: MapData, folder: Path, options: ExportOptions, progress: Progress) -> list[Path]:
    """Write the CJJ 61 result tables of ``data`` into ``folder``; returns the files written."""
    table_format = (options.table_format or "csv").lower()
    if table_format not in ("csv", "xlsx"):
        raise OutputError("Unknown table format {fmt!r}: use csv or xlsx.", code="export.tables_format",
                          fmt=options.table_format)
    enc = (options.encoding or "UTF-8").strip().lower().replace("_", "-")
    if enc in ("utf-8", "utf8"):
        encoding = "utf-8"
    elif enc in ("gbk", "cp936", "gb2312"):
        encoding = "gbk"
    else:
        raise OutputError("Unknown table encoding {encoding!r}: use UTF-8 or GBK.", code="export.tables_encoding",
                          encoding=options.encoding)
    folder = Path(folder)
    counts = _Counts()
    layers = data.layers()
    names = {lyr.name for lyr in layers}
    tables: list[_Table] = []
    ground: dict[str, float] = {}
    xy: dict[str, tuple[float, float]] = {}
    if "pipe_point" in names:
        point_tables, ground, xy = _point_tables(data.points, counts, progress)
        tables += point_tables
    if "pipe_segment" in names and len(data.segments):
        seg = data.segments
        if "start_point" not in seg.columns or "end_point" not in seg.columns:
            progress.warning("The sharing profile withholds the segments' start and end point numbers: result "
                             "tables cannot carry segments without them, so only point tables were written.")
        else:
            tables += _segment_tables(seg, ground, xy, counts, progress)
    progress.report(0.05)
    written: list[Path] = []
    total = max(1, sum(t.count for t in tables))
    done = 0
    ambiguous: list[str] = []
    for t in tables:
        check_cancel(progress)
        span = (0.05 + 0.9 * done / total, 0.05 + 0.9 * (done + t.count) / total)
        path = folder / f"{t.name}.{table_format}"
        if table_format == "csv":
            if _write_csv(t, path, encoding, progress, span):
                ambiguous.append(path.name)
        else:
            _write_xlsx(t, path, progress, span, counts)
        written.append(path)
        done += t.count
    for key, n in counts.n.items():
        # no examples for segments left out: their ids may name the withheld points
        examples = "" if key == "segment_no_points" else f" (e.g. {', '.join(counts.examples[key])})"
        progress.warning(_MESSAGES[key].format(n=n) + examples + ".")
    if ambiguous:
        progress.warning("The GBK tables {names} are also valid UTF-8 text; import them with ENCODING=GBK so they "
                         "are not read as UTF-8.".format(names=", ".join(ambiguous)))
    meta = {
        "format": "CJJ 61 result tables as read by pipemap:importsurvey (import profile zh)",
        "table_format": table_format,
        "encoding": ("UTF-8 with BOM" if encoding == "utf-8" else "GBK") if table_format == "csv" else "xlsx",
        "xy_order": "northing_easting (X = northing, Y = easting)",
        "units": "m for coordinates, elevations and depths; mm for sizes and wall thickness; MPa; kV",
        "z": "segments: 起点高程/终点高程 are elevations of the depth reference (埋深基准); importsurvey derives the "
             "centreline z from them and the section. Points: 地面高程 is the ground elevation (the point's z).",
        "tables": [{"file": p.name, "rows": t.count} for p, t in zip(written, tables)],
        "point_columns": _legend(POINT_COLUMNS),
        "segment_columns": _legend(SEGMENT_COLUMNS),
        **data.describe(),
    }
    meta_path = folder / "tables_metadata.json"
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    written.append(meta_path)
    progress.report(1.0)
    return written
