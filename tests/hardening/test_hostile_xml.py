"""Hostile XML (issue 10, point 2).

Where PipeMap meets XML (searched in the code, see docs/reliability.md):

* PipeMap's own code parses no user XML: the QML styles it stores in a new
  map are its own resource files, the 3D scene XML is generated and read by
  PipeMap itself, and GSSI's ``.DZX`` XML side file is not read.
* **Spreadsheets** are XML in a zip: XLSX (Office Open XML) and ODS survey
  tables go to GDAL's XLSX/ODS drivers (expat). A billion-laughs entity
  expansion, an external entity reading ``/etc/passwd`` or an URL, and an
  external parameter entity must be refused before GDAL sees them.
* **Layers** given to the layer import (``importlayers``: any OGR format) may be
  XML: KML, KMZ (zipped), GPX, GML, OSM. GDAL's parsers neither expand nor fetch
  entities (measured: a bomb aborts the parse, an external entity is left out,
  so the value is read silently empty). A layer file declaring entities or an
  external DTD is refused before GDAL opens it; a bare ``<!DOCTYPE kml>`` (no
  subset, no external id) is harmless and still imports.
* XML handed to the readers that could meet it by mistake (a ``.DZX`` renamed
  ``.DZT``, XML named ``.hd``, ``.rad``, ``.sgy``, ``.csv``, profiles) must be
  refused as "not that format" -- no reader may expand or fetch an entity.

Each is run through the harness: refused with a PipeMapError naming the file,
in bounded time and allocation; the local HTTP server of the XXE cases must
see no connection.
"""

from __future__ import annotations

import re
import shutil
import socket
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pipemap.core.survey import importer, tables

ROOT = Path(__file__).resolve().parents[2]
LAUGHS = ('<!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
          + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(9)) + "]>")
HEADER = ["图上点号", "X", "Y", "地面高程"]
VALUES = ["3379986.0", "537960.0", "24.6"]
ROWS = [[0, 1, 2, 3], [4, 5, 6, 7]]


@pytest.fixture
def listener() -> Iterator[tuple[int, list[int]]]:
    """A local TCP server counting connections (an external entity fetched over HTTP would connect)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(8)
    srv.settimeout(0.05)
    hits: list[int] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            hits.append(1)
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield srv.getsockname()[1], hits
    stop.set()
    thread.join(1)
    srv.close()


def test_core_parses_no_xml_itself() -> None:
    """If this fails, a new XML parser reads user files: harden it (no DTD, no entities) and test it here."""
    imports = re.compile(r"^\s*(?:import|from)\s+(xml|lxml|defusedxml|xmltodict|bs4)\b", re.MULTILINE)
    found = [f"{path.relative_to(ROOT)}: {m.group(1)}" for path in sorted((ROOT / "core").rglob("*.py"))
             for m in imports.finditer(path.read_text(encoding="utf-8"))]
    assert found == []


def _ods(path: Path) -> Path:
    content = ('<?xml version="1.0" encoding="UTF-8"?>' + LAUGHS.replace("sst", "office:document-content")
               + '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
               'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
               'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
               '<table:table table:name="S"><table:table-row><table:table-cell><text:p>&j;</text:p>'
               '</table:table-cell></table:table-row></table:table></office:spreadsheet></office:body>'
               '</office:document-content>')
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
    return path


def _cases(harness: Any, folder: Path, port: int) -> dict[str, Path]:
    def sheet(name: str, first: str, doctype: str, extra: dict[str, bytes] | None = None) -> Path:
        sub = folder / name
        sub.mkdir()
        return harness.make_xlsx(sub / "JSPoint.xlsx", [*HEADER, first, *VALUES], ROWS, doctype=doctype, extra=extra)

    (folder / "ods").mkdir()
    return {
        "billion_laughs": sheet("laughs", "&j;", LAUGHS),
        "xxe_file": sheet("xxe_file", "&x;", '<!DOCTYPE sst [<!ENTITY x SYSTEM "file:///etc/passwd">]>'),
        "xxe_http": sheet("xxe_http", "&x;", f'<!DOCTYPE sst [<!ENTITY x SYSTEM "http://127.0.0.1:{port}/x">]>'),
        "xxe_parameter": sheet("xxe_param", "JS1",
                               f'<!DOCTYPE sst [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p"> %p;]>'),
        "doctype_in_utf16_part": sheet("utf16", "JS1", "", {"xl/extra.xml": (
            '<?xml version="1.0" encoding="UTF-16"?><!-- ' + "x" * 70000 + " -->" + LAUGHS + "<x>&j;</x>"
        ).encode("utf-16")}),
        "ods_billion_laughs": _ods(folder / "ods" / "JSPoint.ods"),
    }


@pytest.mark.parametrize("case", ["billion_laughs", "xxe_file", "xxe_http", "xxe_parameter", "doctype_in_utf16_part",
                                  "ods_billion_laughs"])
def test_hostile_spreadsheet_is_refused(case: str, harness: Any, tmp_path: Path, empty_map: Path,
                                        listener: tuple[int, list[int]]) -> None:
    port, hits = listener
    path = _cases(harness, tmp_path, port)[case]
    out = harness.attempt(f"hostile.xml.{case}", lambda: tables.read_table(path), [path], seconds=10, alloc_mb=64)
    assert out.kind == "refused" and out.error.code == "table.xml_entities", out
    target = harness.copy(empty_map, tmp_path, "map.gpkg")
    before = harness.sha256(target)
    out = harness.attempt(f"hostile.xml.{case}", lambda: importer.import_survey(target, path.parent), [path],
                          seconds=10, alloc_mb=64)
    assert out.kind == "refused"
    assert harness.sha256(target) == before
    assert hits == [], "an external entity was fetched over the network"


def test_plain_spreadsheet_still_reads(harness: Any, tmp_path: Path) -> None:
    path = harness.make_xlsx(tmp_path / "JSPoint.xlsx", [*HEADER, "JS1", *VALUES], ROWS)
    table = tables.read_table(path)
    assert table.headers == HEADER and table.rows == [["JS1", "3379986", "537960", "24.6"]]  # (".0" tidied)


DZX = ('<?xml version="1.0" encoding="UTF-8"?>' + LAUGHS.replace("sst", "DZX")
       + '<DZX xmlns="www.geophysical.com/DZX/1.02"><File><System>SIR4K</System><Comment>&j;</Comment></File></DZX>')


@pytest.mark.parametrize("name", ["LINE.DZT", "LINE.dt1", "LINE.HD", "line.rad", "line.rd3", "line.sgy",
                                  "JSPoint.csv", "profile.json", "profile.yaml", "share.json", "rules.csv"])
def test_xml_given_to_a_reader_is_refused(name: str, harness: Any, tmp_path: Path) -> None:
    """A GSSI DZX (XML, with an entity bomb) under the name of every other input PipeMap reads."""
    from pipemap.core.checks import rules
    from pipemap.core.export import profiles as sharing
    from pipemap.core.gpr import readers
    from pipemap.core.survey import profiles

    path = tmp_path / name
    path.write_text(DZX + "\n" * 3000, encoding="utf-8")  # (long enough for every size check)
    if name.endswith(".rd3"):
        (tmp_path / "line.rad").write_text(DZX, encoding="utf-8")
    readers_by_name = {
        "JSPoint.csv": lambda: importer.import_survey(_map(harness, tmp_path), tmp_path / name),
        "profile.json": lambda: profiles.load_profile(path),
        "profile.yaml": lambda: profiles.load_profile(path),
        "share.json": lambda: sharing.load_profile(path),
        "rules.csv": lambda: rules.load_user_clearances(path),
    }
    fn = readers_by_name.get(name, lambda: readers.read(path))
    out = harness.attempt("hostile.xml.readers", fn, [path, tmp_path / "line.rad"], seconds=10, alloc_mb=64)
    if name == "JSPoint.csv" and out.kind == "ok":  # read as text: one garbled header, nothing imported
        assert not out.value.committed and out.value.errors
        return
    assert out.kind == "refused", f"{name}: XML was accepted"


def _map(harness: Any, folder: Path) -> Path:
    from pipemap.core import mapfile

    target = folder / "map.gpkg"
    if not target.exists():
        mapfile.create_map(target, "EPSG:4547")
    return target


# --- layers (importlayers): KML, KMZ, GPX, GML, OSM -----------------------------------------------------------------

LON, LAT = 114.1, 30.5  # inside the CGCS2000 zone of the empty map (EPSG:4547)


def _layer_xml(fmt: str, doctype: str, text: str) -> str:
    """A one-line layer in ``fmt`` whose name is ``text`` (an entity reference in the hostile cases)."""
    a, b = (LON, LAT), (LON + 0.001, LAT + 0.001)
    if fmt == "kml":
        return (f'<?xml version="1.0"?>{doctype}<kml xmlns="http://www.opengis.net/kml/2.2"><Document><Placemark>'
                f'<name>{text}</name><LineString><coordinates>{a[0]},{a[1]},0 {b[0]},{b[1]},0</coordinates>'
                '</LineString></Placemark></Document></kml>')
    if fmt == "gpx":
        return (f'<?xml version="1.0"?>{doctype}<gpx version="1.1" creator="t" '
                f'xmlns="http://www.topografix.com/GPX/1/1"><rte><name>{text}</name>'
                f'<rtept lat="{a[1]}" lon="{a[0]}"/><rtept lat="{b[1]}" lon="{b[0]}"/></rte></gpx>')
    if fmt == "gml":
        return (f'<?xml version="1.0"?>{doctype}<ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/" '
                'xmlns:gml="http://www.opengis.net/gml"><gml:featureMember><ogr:pipes fid="p.0">'
                '<ogr:geometryProperty><gml:LineString srsName="EPSG:4326"><gml:coordinates>'
                f'{a[0]},{a[1]} {b[0]},{b[1]}</gml:coordinates></gml:LineString></ogr:geometryProperty>'
                f'<ogr:name>{text}</ogr:name></ogr:pipes></gml:featureMember></ogr:FeatureCollection>')
    assert fmt == "osm"
    return (f'<?xml version="1.0"?>{doctype}<osm version="0.6" generator="t">'
            f'<node id="1" lat="{a[1]}" lon="{a[0]}"/><node id="2" lat="{b[1]}" lon="{b[0]}"/>'
            f'<way id="3"><nd ref="1"/><nd ref="2"/><tag k="man_made" v="pipeline"/><tag k="name" v="{text}"/>'
            '</way></osm>')


def _layer_case(folder: Path, fmt: str, case: str, port: int, secret: Path) -> Path:
    root = {"kml": "kml", "kmz": "kml", "gpx": "gpx", "gml": "ogr:FeatureCollection", "osm": "osm"}[fmt]
    doctype, text = {
        "billion_laughs": (LAUGHS.replace("sst", root), "&j;"),
        "xxe_file": (f'<!DOCTYPE {root} [<!ENTITY x SYSTEM "file://{secret}">]>', "&x;"),
        "xxe_http": (f'<!DOCTYPE {root} [<!ENTITY x SYSTEM "http://127.0.0.1:{port}/x">]>', "&x;"),
        "xxe_parameter": (f'<!DOCTYPE {root} [<!ENTITY % p SYSTEM "http://127.0.0.1:{port}/p"> %p;]>', "pipe"),
        "external_dtd": (f'<!DOCTYPE {root} SYSTEM "http://127.0.0.1:{port}/d.dtd">', "pipe"),
        "plain": ("", "pipe"),
        "bare_doctype": (f"<!DOCTYPE {root}>", "pipe"),
    }[case]
    xml = _layer_xml("kml" if fmt == "kmz" else fmt, doctype, text)
    if fmt == "kmz":
        path = folder / "lines.kmz"
        with zipfile.ZipFile(path, "w") as zf:
            zf.writestr("doc.kml", xml)
        return path
    path = folder / f"lines.{fmt}"
    path.write_text(xml, encoding="utf-8")
    return path


LAYER_FORMATS = ["kml", "kmz", "gpx", "gml", "osm"]


@pytest.mark.parametrize("fmt", LAYER_FORMATS)
@pytest.mark.parametrize("case", ["billion_laughs", "xxe_file", "xxe_http", "xxe_parameter", "external_dtd"])
def test_hostile_layer_file_is_refused(fmt: str, case: str, harness: Any, tmp_path: Path, empty_map: Path,
                                       listener: tuple[int, list[int]]) -> None:
    from pipemap.core.models.layers import import_layers

    port, hits = listener
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-4711", encoding="utf-8")
    path = _layer_case(tmp_path, fmt, case, port, secret)
    target = harness.copy(empty_map, tmp_path, "map.gpkg")
    before = harness.sha256(target)
    out = harness.attempt(f"hostile.xml.layers.{case}", lambda: import_layers(target, str(path), category="JS"),
                          [path], seconds=10, alloc_mb=64)
    assert out.kind == "refused" and out.error.code == "layers.xml_entities", out
    assert harness.sha256(target) == before
    assert hits == [], "an external entity or DTD was fetched over the network"


@pytest.mark.parametrize("fmt", LAYER_FORMATS)
@pytest.mark.parametrize("case", ["plain", "bare_doctype"])
def test_plain_layer_file_still_imports(fmt: str, case: str, tmp_path: Path, empty_map: Path,
                                        listener: tuple[int, list[int]]) -> None:
    """The same files without declarations import their line (the refusal is not of the format)."""
    from pipemap.core.models.layers import import_layers

    port, hits = listener
    path = _layer_case(tmp_path, fmt, case, port, tmp_path / "unused")
    target = tmp_path / "map.gpkg"
    shutil.copyfile(empty_map, target)
    result = import_layers(target, str(path), category="JS")
    assert result.segments_written == 1, (fmt, case, result)
    assert hits == []
