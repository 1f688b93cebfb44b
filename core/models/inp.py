"""A section parser for SWMM 5 and EPANET 2 input files (``.inp``).

Both engines write the same kind of file: ``[SECTION]`` headers followed by
whitespace-separated rows, ``;`` starting a comment. Real files add their own
quirks, all handled here:

* any encoding (UTF-8 with or without BOM, GBK/GB18030 for Chinese ids,
  UTF-16/32 by their byte-order mark, UTF-16 without one by its NULs,
  Latin-1 as the last resort); CR/LF, LF or CR line ends; tabs or spaces;
* NUL padding (the Modena benchmark is padded with NUL bytes to 64 KiB);
* section names in any case (``[Polygons]``), repeated sections (merged, in
  file order), unknown sections (kept, ignored by the converters);
* names in double quotes with spaces (SWMM 5.2), ``;`` inside quotes.

The file is detected as SWMM or EPANET from the sections it holds, and its
unit system from ``FLOW_UNITS`` (SWMM) or ``Units`` (EPANET): US flow units
mean feet (and inches for EPANET diameters), SI flow units metres (and mm).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError

#: SWMM flow units and whether they make the model US customary
SWMM_FLOW_UNITS = {"CFS": True, "GPM": True, "MGD": True, "CMS": False, "LPS": False, "MLD": False}
#: EPANET flow units and whether they make the model US customary
EPANET_FLOW_UNITS = {"CFS": True, "GPM": True, "MGD": True, "IMGD": True, "AFD": True,
                     "LPS": False, "LPM": False, "MLD": False, "CMH": False, "CMD": False, "CMS": False}
FEET_M = 0.3048
INCH_MM = 25.4

_SWMM_ONLY = {"CONDUITS", "OUTFALLS", "XSECTIONS", "SUBCATCHMENTS", "SUBAREAS", "STORAGE", "DIVIDERS", "ORIFICES",
              "WEIRS", "OUTLETS", "RAINGAGES", "TRANSECTS", "LOSSES", "POLYGONS", "STREETS", "INLETS",
              "INLET_USAGE", "INFILTRATION", "LID_CONTROLS", "AQUIFERS", "GROUNDWATER", "DWF", "SYMBOLS"}
_EPANET_ONLY = {"PIPES", "RESERVOIRS", "TANKS", "VALVES", "DEMANDS", "EMITTERS", "ENERGY", "MIXING", "STATUS",
                "REACTIONS", "SOURCES", "QUALITY", "LEAKAGE"}
_TOKEN = re.compile(r'"[^"]*"|[^\s"]+')
_ENCODINGS = ("utf-8-sig", "gb18030", "latin-1")


@dataclass
class Row:
    """One data row of a section: its tokens (quotes removed) and its 1-based line number."""

    tokens: list[str]
    line: int

    def get(self, index: int, default: str = "") -> str:
        return self.tokens[index] if index < len(self.tokens) else default


@dataclass
class InpFile:
    path: Path
    encoding: str
    sections: dict[str, list[Row]] = field(default_factory=dict)
    #: raw text lines of [TITLE] (comments stripped)
    title: list[str] = field(default_factory=list)

    def rows(self, name: str) -> list[Row]:
        return self.sections.get(name.upper(), [])

    def has(self, name: str) -> bool:
        return bool(self.sections.get(name.upper()))

    def option(self, *keys: str) -> str | None:
        """The value of an ``[OPTIONS]`` entry whose (possibly multi-word) key is ``keys``
        (compared without regard to case); None when absent."""
        want = [k.upper() for k in keys]
        for row in self.rows("OPTIONS"):
            head = [t.upper() for t in row.tokens[:len(want)]]
            if head == want and len(row.tokens) > len(want):
                return row.tokens[len(want)]
        return None


def _strip_comment(line: str) -> str:
    if ";" not in line:
        return line
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == ";" and not quoted:
            return line[:i]
    return line


def tokens(line: str) -> list[str]:
    """Whitespace-separated tokens of a row, double-quoted ones kept whole (quotes removed)."""
    return [t[1:-1] if len(t) >= 2 and t[0] == '"' and t[-1] == '"' else t for t in _TOKEN.findall(line)]


_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe", "utf-16-le"),
         (b"\xfe\xff", "utf-16-be"))


def _wide(data: bytes) -> str | None:
    """The UTF-16/32 encoding of a file with a byte-order mark, or of UTF-16 text without one (NUL in
    nearly every other byte of its start); None for byte-oriented text."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    head = data[:4096]
    half = len(head) // 2
    if half < 8:
        return None
    odd, even = head[1::2].count(0), head[0::2].count(0)
    if odd > 0.4 * half and even < 0.05 * half:
        return "utf-16-le"
    if even > 0.4 * half and odd < 0.05 * half:
        return "utf-16-be"
    return None


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding) of a model file's bytes."""
    wide = _wide(data)
    if wide is not None:  # before the NULs go: they are half of every character
        bom = next((len(b) for b, e in _BOMS if e == wide and data.startswith(b)), 0)
        return data[bom:].decode(wide, errors="replace").replace("\x00", ""), wide
    data = data.replace(b"\x00", b"")
    for enc in _ENCODINGS:
        try:
            return data.decode(enc), enc
        except UnicodeDecodeError:
            continue
    raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover


def parse(text: str, path: Path, encoding: str = "utf-8") -> InpFile:
    inp = InpFile(path, encoding)
    current: str | None = None
    for number, raw in enumerate(text.splitlines(), start=1):
        stripped = raw.strip()
        if stripped.startswith("[") and "]" in stripped:
            current = stripped[1:stripped.index("]")].strip().upper()
            inp.sections.setdefault(current, [])
            continue
        if current is None:
            continue
        if current == "TITLE":
            body = _strip_comment(raw).strip()
            if body:
                inp.title.append(body)
            continue
        body = _strip_comment(raw)
        if not body.strip():
            continue
        toks = tokens(body)
        if toks:
            inp.sections[current].append(Row(toks, number))
    return inp


def read_inp(path: str | Path) -> InpFile:
    """Read and split a model file into sections.

    :raises InputError: the file is missing, unreadable or has no sections.
    """
    p = Path(path)
    if not p.is_file():
        raise InputError("The model file {path} does not exist.", code="model.missing", path=str(p))
    try:
        data = p.read_bytes()
    except OSError as exc:
        raise InputError("The model file {path} cannot be read: {reason}", code="model.unreadable", path=str(p),
                         reason=exc.strerror or str(exc)) from None
    text, enc = decode(data)
    inp = parse(text, p, enc)
    if not inp.sections:
        raise InputError("{path} is not a SWMM or EPANET input file: it has no [SECTION] headers.",
                         code="model.not_inp", path=str(p))
    return inp


def detect_format(inp: InpFile) -> str:
    """``"swmm"`` or ``"epanet"`` from the sections present.

    :raises InputError: neither kind of section is present, or both equally.
    """
    names = set(inp.sections)
    swmm = len(names & _SWMM_ONLY) + (2 if "CONDUITS" in names or "XSECTIONS" in names else 0)
    epanet = len(names & _EPANET_ONLY) + (2 if "PIPES" in names else 0)
    if inp.option("FLOW_UNITS"):
        swmm += 2
    if inp.option("UNITS") or inp.option("HEADLOSS"):
        epanet += 2
    if swmm > epanet:
        return "swmm"
    if epanet > swmm:
        return "epanet"
    raise InputError("Cannot tell whether {path} is a SWMM or an EPANET model: it has neither [CONDUITS]/"
                     "[XSECTIONS] nor [PIPES]/[RESERVOIRS]/[TANKS].", code="model.unknown_format",
                     path=str(inp.path))


#: no length, elevation, size or coordinate in a model is larger than this: beyond it a value is unreadable
#: (sums and products of such values then stay finite)
MAX_NUMBER = 1e15
#: coordinates (after COORDINATE_SCALE) beyond this lie on no map
MAX_COORDINATE = 1e9


def number(text: str) -> float | None:
    """A finite float from a token, or None (``*``, empty, text, beyond :data:`MAX_NUMBER`)."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) and abs(value) <= MAX_NUMBER else None


def position(row: Row, scale: float) -> tuple[float, float] | None:
    """The scaled (x, y) of a ``[COORDINATES]`` or ``[VERTICES]`` row; None when unreadable or off any map."""
    x, y = number(row.get(1)), number(row.get(2))
    if x is None or y is None:
        return None
    x, y = x * scale, y * scale
    if not (abs(x) <= MAX_COORDINATE and abs(y) <= MAX_COORDINATE):
        return None
    return x, y


@dataclass(frozen=True)
class Units:
    """The model's unit system."""

    flow_units: str
    us: bool
    #: metres per model length unit (elevations, depths, SWMM section sizes)
    length_m: float
    #: millimetres per model diameter unit (EPANET: inches or mm)
    diameter_mm: float

    @property
    def length_name(self) -> str:
        return "ft" if self.us else "m"


def swmm_units(inp: InpFile) -> tuple[Units, bool]:
    """(units, given): SWMM's default flow unit is CFS when ``FLOW_UNITS`` is absent."""
    raw = (inp.option("FLOW_UNITS") or "").upper()
    given = raw in SWMM_FLOW_UNITS
    flow = raw if given else "CFS"
    us = SWMM_FLOW_UNITS[flow]
    return Units(flow, us, FEET_M if us else 1.0, FEET_M * 1000.0 if us else 1000.0), given


def epanet_units(inp: InpFile) -> tuple[Units, bool]:
    """(units, given): EPANET's default flow unit is GPM when ``Units`` is absent."""
    raw = (inp.option("UNITS") or "").upper()
    given = raw in EPANET_FLOW_UNITS
    flow = raw if given else "GPM"
    us = EPANET_FLOW_UNITS[flow]
    return Units(flow, us, FEET_M if us else 1.0, INCH_MM if us else 1.0), given
