"""Refuse XML that declares a DOCTYPE or entities before a parser sees it.

PipeMap's own code parses no user XML; the XML it meets is parsed by GDAL's
drivers (XLSX/ODS survey tables, and KML, GPX, GML, OSM ... layers given to
the layer import). Entity declarations are the way in for the "billion
laughs" expansion and for external entities that read local files or the
network. GDAL does not expand or fetch them (measured: it aborts, or leaves
the entity out), but then the data are read silently garbled, a value
missing without a word. Data files of these formats never need them, so a
file that declares any is refused with a message instead.

Only the prolog (the bytes before the first element) is looked at: a
DOCTYPE cannot appear anywhere else.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from pathlib import Path
from typing import Any, BinaryIO

#: ``<!DOCTYPE`` or ``<!ENTITY`` in a prolog
DECLARATIONS = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
#: what can expand or fetch: an entity declaration, or a DOCTYPE with an external id or an internal subset
#: (a bare ``<!DOCTYPE kml>`` names the root element only)
HARMFUL = re.compile(rb"<!ENTITY|<!DOCTYPE[^>\[]*(?:\[|\bSYSTEM\b|\bPUBLIC\b)", re.IGNORECASE)
_ELEMENT = re.compile(rb"<[A-Za-z_]")
#: zip members that are XML
XML_MEMBER_SUFFIXES = (".xml", ".rels", ".kml", ".gml", ".gpx", ".osm", ".xsd")
#: at most this many bytes of a prolog are read
PROLOG_LIMIT = 1024**2


def _utf16(data: bytes) -> bool:
    return data[:2] in (b"\xff\xfe", b"\xfe\xff") or (len(data) > 1 and b"\x00" in data[:4])


def xml_prolog(fh: BinaryIO | Any, limit: int = PROLOG_LIMIT) -> bytes:
    """The bytes of an XML document before its first element (at most ``limit``), as UTF-8."""
    data = b""
    while len(data) < limit:
        block = fh.read(65536)
        if not block:
            break
        data += block
        text = data.decode("utf-16", errors="ignore").encode("utf-8") if _utf16(data) else data
        element = _ELEMENT.search(text)
        if element:
            return text[:element.start()]
    return data.decode("utf-16", errors="ignore").encode("utf-8") if _utf16(data) else data


def _looks_like_xml(head: bytes) -> bool:
    if _utf16(head):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def find_declaration(path: str | Path) -> str | None:
    """Where ``path`` (an XML file, or a zip of XML parts such as KMZ) declares entities or a DOCTYPE with
    an external id or an internal subset (:data:`HARMFUL`): ``""`` for the file itself, a member name for a
    zip, None when nowhere.

    A damaged zip is not judged here (the reader that opens it says what is wrong).
    """
    p = Path(path)
    with open(p, "rb") as fh:
        head = fh.read(4)
        fh.seek(0)
        if head.startswith(b"PK\x03\x04"):
            try:
                with zipfile.ZipFile(fh) as zf:
                    for info in zf.infolist():
                        if info.filename.lower().endswith(XML_MEMBER_SUFFIXES):
                            with zf.open(info) as member:
                                if HARMFUL.search(xml_prolog(member)):
                                    return info.filename[:100]
            except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError,
                    RuntimeError, ValueError):
                return None
            return None
        if not _looks_like_xml(fh.read(256)):
            return None
        fh.seek(0)
        return "" if HARMFUL.search(xml_prolog(fh)) else None
