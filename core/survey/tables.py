"""Read tabular survey files: CSV/TXT (UTF-8, GBK/GB18030, UTF-16) and Excel.

Every cell comes back as a stripped string with its spreadsheet row number
(the header is row 1), so validation can point at the exact cell. Excel files
(XLSX, XLS, ODS) are read through GDAL's drivers, all cells as text.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..xmlguard import DECLARATIONS, xml_prolog

#: refuse files larger than this (bytes) unless the caller raises the limit
MAX_TABLE_BYTES = 2 * 1024**3
TEXT_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xls", ".ods"}


@dataclass
class Table:
    path: Path
    headers: list[str]
    rows: list[list[str]]
    #: spreadsheet row number of each data row (header row = 1)
    row_numbers: list[int]
    encoding: str = ""
    sheet: str = ""
    notes: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.rows)


def detect_encoding(data: bytes) -> str:
    """Guess a text file's encoding: BOMs, then strict UTF-8, then GB18030.

    GB18030 is a superset of GBK and GB2312, so it decodes any of them.
    :raises InputError: never; callers decode with the result and report
        undecodable bytes themselves.
    """
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("gb18030")
        return "gb18030"
    except UnicodeDecodeError:
        return ""


def _normalise_encoding(name: str | None) -> str:
    if not name:
        return ""
    low = name.strip().lower().replace("_", "-")
    if low in {"gbk", "gb2312", "cp936", "gb-2312", "936"}:
        return "gb18030"
    try:
        return codecs.lookup(low).name
    except LookupError:
        raise InputError("Unknown text encoding {encoding!r}.", code="table.encoding_name", encoding=name) from None


def read_table(path: str | os.PathLike[str], encoding: str | None = None, sheet: str | None = None,
               max_bytes: int = MAX_TABLE_BYTES) -> Table:
    """Read a CSV/TXT or Excel table.

    :param encoding: text encoding of a CSV; ``None`` or ``""`` detects it.
    :param sheet: Excel sheet name (default: the first sheet with data).
    :raises InputError: missing/empty/oversized file, undecodable text, no header.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError("The table {path} does not exist.", code="table.missing", path=str(p))
    size = p.stat().st_size
    if size == 0:
        raise InputError("The table {path} is empty.", code="table.empty", path=str(p))
    if size > max_bytes:
        raise InputError("The table {path} is {size} bytes, more than the {limit} bytes PipeMap reads.",
                         code="table.too_big", path=str(p), size=size, limit=max_bytes)
    suffix = p.suffix.lower()
    try:
        with open(p, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        raise InputError("The table {path} cannot be read: {reason}", code="table.unreadable", path=str(p),
                         reason=exc.strerror or str(exc)) from None
    if head.startswith(b"PK\x03\x04"):
        _check_zipped_sheet(p, max_bytes)  # XLSX / ODS: XML in a zip
    if suffix in EXCEL_SUFFIXES or head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0"):
        return _read_excel(p, sheet)  # (also an Excel file with a .csv name)
    return _read_text(p, encoding)


#: a spreadsheet whose parts unpack to more than this many times its size is refused (a zip bomb)
MAX_UNPACK_RATIO = 100
#: ... unless the unpacked parts are smaller than this (bytes)
UNPACK_CHECK_BYTES = 64 * 1024**2


def _check_zipped_sheet(p: Path, max_bytes: int) -> None:
    """Refuse a zipped spreadsheet (XLSX, ODS) that unpacks to far more than it holds, or whose XML parts
    declare a DOCTYPE or entities (spreadsheets never do; entity expansion is the "billion laughs" attack,
    external entities read local files or the network). Reads the zip directory and the start of each part."""
    try:
        with zipfile.ZipFile(p) as zf:
            infos = zf.infolist()
            unpacked = sum(i.file_size for i in infos)
            packed = max(1, p.stat().st_size)
            if unpacked > max_bytes or (unpacked > UNPACK_CHECK_BYTES and unpacked > MAX_UNPACK_RATIO * packed):
                raise InputError("The spreadsheet {path} unpacks to {unpacked} bytes from {size} bytes (a zip bomb?); "
                                 "PipeMap reads spreadsheets that unpack to at most {ratio} times their size and "
                                 "{limit} bytes. Save it as CSV.", code="table.too_big", path=str(p),
                                 unpacked=unpacked, size=packed, ratio=MAX_UNPACK_RATIO, limit=max_bytes)
            for info in infos:
                if not info.filename.lower().endswith((".xml", ".rels")):
                    continue
                with zf.open(info) as fh:
                    prolog = xml_prolog(fh)
                if DECLARATIONS.search(prolog):
                    raise InputError("The spreadsheet {path} declares XML entities or a DOCTYPE in {part}, which "
                                     "spreadsheets never do; it is refused (entity expansion attack?).",
                                     code="table.xml_entities", path=str(p), part=info.filename[:100])
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError,
            ValueError, OSError) as exc:
        raise InputError("The spreadsheet {path} is not a valid XLSX/ODS file (a damaged zip): {reason}",
                         code="table.excel", path=str(p), reason=str(exc)[:200]) from None


def _read_text(p: Path, encoding: str | None) -> Table:
    data = p.read_bytes()
    if b"\x00" in data[:4096] and not (data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE)):
        raise InputError("The table {path} is not a text table (it contains binary data).",
                         code="table.binary", path=str(p))
    enc = _normalise_encoding(encoding) or detect_encoding(data)
    if not enc:
        raise InputError("The table {path} is neither UTF-8 nor GBK/GB18030 text; give its encoding.",
                         code="table.encoding", path=str(p))
    try:
        text = data.decode(enc)
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError("The table {path} cannot be read as {encoding}: bad bytes on line {line}.",
                         code="table.decode", path=str(p), encoding=enc, line=line) from None
    text = text.lstrip("\ufeff")
    sample = text[:65536]
    delimiter = ","
    if p.suffix.lower() == ".tsv" or (sample.count("\t") > sample.count(",") and sample.count("\t") > 0):
        delimiter = "\t"
    elif sample.count(";") > sample.count(",") and sample.count(";") > 0:
        delimiter = ";"
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    headers: list[str] | None = None
    rows: list[list[str]] = []
    numbers: list[int] = []
    try:
        for record in reader:
            line = reader.line_num
            cells = [c.strip() for c in record]
            if headers is None:
                if not any(cells):
                    continue
                headers = cells
                continue
            if not any(cells):
                continue
            rows.append(cells)
            numbers.append(line)
    except csv.Error as exc:
        raise InputError("The table {path} is not valid CSV near line {line}: {reason}",
                         code="table.csv", path=str(p), line=reader.line_num, reason=str(exc)) from None
    if headers is None:
        raise InputError("The table {path} has no header row.", code="table.no_header", path=str(p))
    return Table(p, headers, rows, numbers, encoding=enc)


def _read_excel(p: Path, sheet: str | None) -> Table:
    from osgeo import gdal

    # GDAL 3.6 honours these as configuration options (not open options), and
    # reads the sheet lazily: keep them set until the rows are read.
    config = {f"OGR_{d}_{k}": v for d in ("XLSX", "XLS", "ODS") for k, v in (("HEADERS", "FORCE"),
                                                                          ("FIELD_TYPES", "STRING"))}
    previous = {k: gdal.GetConfigOption(k) for k in config}
    for k, v in config.items():
        gdal.SetConfigOption(k, v)
    try:
        return _read_excel_sheet(p, sheet)
    finally:
        for k, v in previous.items():
            gdal.SetConfigOption(k, v)


def _read_excel_sheet(p: Path, sheet: str | None) -> Table:
    from osgeo import gdal

    from ..gdalutil import gdal_exceptions

    drivers = {".xlsx": "XLSX", ".xls": "XLS", ".ods": "ODS"}
    driver = drivers.get(p.suffix.lower())
    with gdal_exceptions():
        try:
            ds = gdal.OpenEx(str(p), gdal.OF_VECTOR, allowed_drivers=[driver] if driver else ["XLSX", "XLS", "ODS"])
        except RuntimeError as exc:
            raise InputError("The spreadsheet {path} cannot be opened: {reason}", code="table.excel",
                             path=str(p), reason=str(exc).strip()) from None
    if ds is None:
        raise InputError("The spreadsheet {path} cannot be opened.", code="table.excel", path=str(p), reason="")
    try:
        layer = None
        if sheet:
            layer = ds.GetLayerByName(sheet)
            if layer is None:
                raise InputError("The spreadsheet {path} has no sheet named {sheet!r}.", code="table.sheet",
                                 path=str(p), sheet=sheet)
        else:
            for i in range(ds.GetLayerCount()):
                candidate = ds.GetLayerByIndex(i)
                if candidate.GetFeatureCount() > 0:
                    layer = candidate
                    break
        if layer is None:
            raise InputError("The spreadsheet {path} has no sheet with data.", code="table.empty", path=str(p))
        defn = layer.GetLayerDefn()
        headers = [defn.GetFieldDefn(i).GetName().strip() for i in range(defn.GetFieldCount())]
        rows: list[list[str]] = []
        numbers: list[int] = []
        layer.ResetReading()
        for index, feat in enumerate(layer, start=2):
            cells = []
            for i in range(len(headers)):
                if not feat.IsFieldSetAndNotNull(i):
                    cells.append("")
                    continue
                value = feat.GetFieldAsString(i).strip()
                cells.append(_tidy_number(value))
            if any(cells):
                rows.append(cells)
                numbers.append(index)
        return Table(p, headers, rows, numbers, encoding="", sheet=layer.GetName())
    finally:
        ds = None  # noqa: F841


def _tidy_number(value: str) -> str:
    """Excel stores 300 as 300.0 and point numbers as floats; keep them tidy."""
    if value.endswith(".0") and value[:-2].lstrip("-").isdigit():
        return value[:-2]
    return value
