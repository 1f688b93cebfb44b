"""Fuzzing the hydraulic model importer (EPANET and SWMM ``.inp``; issue 10, point 1).

Each example starts from a real model of ``shared/data/networks`` (EPANET:
Net3, Modena, Kentucky ky3; SWMM: Chaohu, Baltimore Inner Harbor), trimmed
to a few dozen links and the nodes they join so an example stays fast, and
changes it section by section: numbers become NaN, infinities, 1e308, -0,
huge integers, empty or garbage; rows and whole sections are dropped or
duplicated, unknown sections and noise rows are added, links are pointed at
nodes that do not exist, coordinates are removed or made extreme, the units
options are garbled. The text is then written in a drawn encoding (UTF-8
with or without BOM, GBK, UTF-16, Latin-1) and line end (LF, CRLF, CR
only), and at the byte level NULs are put in, bytes flipped, the file cut,
and very long lines added. The file is converted, and in a share of the
examples imported into a copy of an empty map.

Besides "a result or a PipeMapError naming the file", every example checks:

* every coordinate read is finite, and every z is finite or NaN (unknown),
  never infinite -- in the converted features and in the map;
* nothing is dropped silently: every node and link row of the file is a
  feature of the result, or an issue names it (its line, its id, or the
  node that left it out);
* a committed import wrote exactly the converted features (by source id); an
  import that committed nothing left the map byte-identical.
"""

from __future__ import annotations

import math
import sqlite3
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipemap.core.models import importer, inp

pytestmark = pytest.mark.fuzz

NETWORKS = Path(__file__).resolve().parents[3] / "shared" / "data" / "networks"
MODELS = {
    "epanet": ["epanet_net3/Net3.inp", "epanet_modena/MOD.inp", "epanet_kentucky_ky1-ky15/ky3.inp"],
    "swmm": ["swmm_chaohu_cn/chaohu.inp", "swmm_baltimore_inner_harbor_us/Inner_Harbor_Model_V19.inp"],
}
LINK_SECTIONS = {"PIPES", "PUMPS", "VALVES", "CONDUITS", "WEIRS", "ORIFICES", "OUTLETS"}
NODE_SECTIONS = {"JUNCTIONS", "RESERVOIRS", "TANKS", "OUTFALLS", "STORAGE", "DIVIDERS"}
BY_LINK = {"XSECTIONS", "VERTICES", "LOSSES"}
#: the sections the converters read, for targeted edits
READ = {"epanet": ["JUNCTIONS", "RESERVOIRS", "TANKS", "PIPES", "PUMPS", "VALVES", "COORDINATES", "VERTICES",
                   "OPTIONS"],
        "swmm": ["JUNCTIONS", "OUTFALLS", "STORAGE", "CONDUITS", "XSECTIONS", "COORDINATES", "VERTICES", "OPTIONS",
                 "WEIRS", "OUTLETS", "PUMPS", "CURVES", "STREETS", "TRANSECTS", "MAP"]}
KEEP_LINKS = 24


def _settings(fraction: float) -> settings:
    return settings(max_examples=max(5, int(settings.default.max_examples * fraction)), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- real models, trimmed ----------------------------------------------------------------------------------

Section = tuple[str, list[str]]  # (header line, body lines)


def _split(text: str) -> list[Section]:
    """The file's sections: (header line, lines) in file order; text before the first header is dropped."""
    out: list[Section] = []
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("[") and "]" in s:
            out.append((s, []))
        elif out:
            out[-1][1].append(line)
    return out


def _name(header: str) -> str:
    return header[1:header.index("]")].strip().upper()


def _data(line: str) -> list[str]:
    return inp.tokens(line.split(";", 1)[0])


@cache
def trimmed(rel: str) -> tuple[Section, ...]:
    """A real model cut to its first links (of every link section) and the nodes they join."""
    path = NETWORKS / rel
    if not path.is_file():
        pytest.skip(f"the shared network file {rel} is not available")
    text, _ = inp.decode(path.read_bytes())
    sections = _split(text)
    links: set[str] = set()
    nodes: set[str] = set()
    for header, body in sections:
        if _name(header) in LINK_SECTIONS:
            rows = [t for t in (_data(line) for line in body) if t]
            for t in rows[:KEEP_LINKS]:
                links.add(t[0])
                nodes.update(t[1:3])
    out: list[Section] = []
    for header, body in sections:
        name = _name(header)
        keep: list[str] = []
        for line in body:
            t = _data(line)
            if not t:
                if line.strip().startswith(";") and len(keep) < 3:
                    keep.append(line)
                continue
            if name in LINK_SECTIONS or name in BY_LINK:
                if t[0] in links:
                    keep.append(line)
            elif name in NODE_SECTIONS or name == "COORDINATES":
                if t[0] in nodes:
                    keep.append(line)
            elif name in ("OPTIONS", "MAP", "TITLE", "STREETS") or len(keep) < 30:
                keep.append(line)
        out.append((header, keep))
    return tuple(out)


# --- mutations ----------------------------------------------------------------------------------------------

NASTY = ["", "nan", "NaN", "inf", "-inf", "Infinity", "1e308", "-1e308", "1e309", "-0", "0", "-1", "1e-320",
         "99999999999999999999999", "9" * 400, "-" + "9" * 40, "1,5", "0x10", "*", ";", '"', '""', '"a b"', "\x00",
         "１２", "💥", "\u202e", "NONE", "FEET", "CIRCULAR", "DUMMY", "FILLED_CIRCULAR", "RECT_OPEN", "CUSTOM",
         "IRREGULAR", "STREET", "ARCH", "X" * 3000, "[JUNCTIONS]", "[", "]"]
TOKEN = st.one_of(st.sampled_from(NASTY), st.floats(allow_nan=True, allow_infinity=True).map(repr),
                  st.integers(-(10**30), 10**30).map(str), st.text(max_size=8))
OPTION_LINES = ["Units GARBLED", "Units", "UNITS LPS", "Units CFS", "FLOW_UNITS", "FLOW_UNITS nonsense",
                "FLOW_UNITS CMS", "FLOW_UNITS CFS", "LINK_OFFSETS ELEVATION", "LINK_OFFSETS nonsense", "LINK_OFFSETS",
                "Headloss D-W", "Units LPS LPS LPS"]
EXTRA_SECTIONS = ["[UNKNOWN_SECTION]", "[pipes]", "[Conduits]", "[ JUNCTIONS ]", "[]", "[END]", "[TITLE]",
                  "[OPTIONS]", "[COORDINATES]", "[VERTICES]", "[XSECTIONS]", "[" + "S" * 500 + "]"]


@st.composite
def edits(draw: st.DrawFn, kind: str, base: tuple[Section, ...]) -> list[tuple[Any, ...]]:
    """A few section-aware edits (applied by :func:`apply`), by indexes into the trimmed model."""
    names = [_name(h) for h, _ in base]
    targets = [i for i, n in enumerate(names) if n in READ[kind]] or list(range(len(base)))
    out: list[tuple[Any, ...]] = []
    for _ in range(draw(st.integers(0, 6))):
        action = draw(st.sampled_from(["value", "value", "value", "value", "drop_line", "dup_line", "missing_ref",
                                       "drop_section", "dup_section", "new_section", "option", "noise",
                                       "coords"]))
        s = draw(st.sampled_from(targets))
        line = draw(st.integers(0, 200))
        if action == "value":
            out.append((action, s, line, draw(st.integers(0, 8)), draw(TOKEN)))
        elif action == "missing_ref":
            out.append((action, s, line, draw(st.integers(1, 2)), draw(st.sampled_from(["NOPE", "", "*", "1e308"]))))
        elif action == "new_section":
            rows = draw(st.lists(st.lists(TOKEN, max_size=5).map(" ".join), max_size=4))
            out.append((action, s, draw(st.sampled_from(EXTRA_SECTIONS)), rows))
        elif action == "option":
            out.append((action, s, draw(st.sampled_from(OPTION_LINES))))
        elif action == "noise":
            out.append((action, s, line, draw(st.one_of(st.text(max_size=60), st.sampled_from(
                ["\t\t", ";only a comment", '"unterminated quote', "a" * 200_000, "[", "x]y[z"])))))
        elif action == "coords":
            out.append((action, s, line, draw(st.sampled_from(["1e308 1e308", "-1e308 1e308", "nan nan", "inf 0",
                                                               "", "1e300 -1e300", "0 0", "3.4e38 1"]))))
        else:
            out.append((action, s, line))
    return out


def apply(base: tuple[Section, ...], todo: list[tuple[Any, ...]]) -> list[Section]:
    sections = [(h, list(b)) for h, b in base]
    for edit in todo:
        action, s = edit[0], edit[1] % max(1, len(sections))
        if not sections:
            sections.append(("[JUNCTIONS]", []))
        header, body = sections[s]
        rows = [i for i, line in enumerate(body) if _data(line)]
        if action == "value" and rows:
            i = rows[edit[2] % len(rows)]
            toks = _data(body[i])
            toks += [""] * (edit[3] + 1 - len(toks))
            toks[edit[3]] = edit[4]
            body[i] = "\t".join(toks)
        elif action == "missing_ref" and rows:
            i = rows[edit[2] % len(rows)]
            toks = _data(body[i]) + ["", ""]
            toks[edit[3]] = edit[4]
            body[i] = "\t".join(toks)
        elif action == "drop_line" and rows:
            del body[rows[edit[2] % len(rows)]]
        elif action == "dup_line" and rows:
            i = rows[edit[2] % len(rows)]
            body.insert(i, body[i])
        elif action == "drop_section":
            del sections[s]
        elif action == "dup_section":
            sections.insert(s, (header, list(body)))
        elif action == "new_section":
            sections.insert(s, (edit[2], list(edit[3])))
        elif action == "option":
            sections.append(("[OPTIONS]", [edit[2]]))
        elif action == "noise":
            body.insert(edit[2] % (len(body) + 1), edit[3])
        elif action == "coords" and rows:
            i = rows[edit[2] % len(rows)]
            toks = _data(body[i])
            body[i] = "\t".join(toks[:1] + edit[3].split())
    return sections


@st.composite
def damage(draw: st.DrawFn) -> dict[str, Any]:
    """How the text is written: encoding, line end, and rare byte-level damage (applied by :func:`encode`)."""
    return {
        "newline": draw(st.sampled_from(["\r\n", "\n", "\r"])),
        "encoding": draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "gbk", "utf-16", "latin-1"])),
        "flips": draw(st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=8))
        if draw(st.integers(0, 5)) == 0 else [],
        "nuls": (draw(st.floats(0, 1)), draw(st.integers(1, 64))) if draw(st.integers(0, 7)) == 0 else None,
        "cut": draw(st.floats(0, 1)) if draw(st.integers(0, 7)) == 0 else None,
        "pad": draw(st.integers(0, 9)) == 0,
    }


def encode(sections: list[Section], how: dict[str, Any]) -> bytes:
    newline = how["newline"]
    text = newline.join(line for h, body in sections for line in (h, *body)) + newline
    data = bytearray(text.encode(how["encoding"], errors="replace"))
    for where, value in how["flips"]:
        if data:
            data[min(len(data) - 1, int(where * len(data)))] = value
    if how["nuls"] is not None:
        at = int(how["nuls"][0] * len(data))
        data[at:at] = b"\x00" * how["nuls"][1]
    if how["cut"] is not None:
        data = data[:int(how["cut"] * len(data))]
    if how["pad"]:
        data += b"\x00" * (65536 - len(data) % 65536)  # padded like the Modena file
    return bytes(data)


PLAIN = {"newline": "\n", "encoding": "utf-8", "flips": [], "nuls": None, "cut": None, "pad": False}


@st.composite
def model_case(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    rel = draw(st.sampled_from(MODELS[kind]))
    return {
        "rel": rel,
        "edits": draw(edits(kind, trimmed(rel))),
        "how": draw(damage()),
        "scale": draw(st.sampled_from([1.0, 1.0, 1.0, 0.001, 1e-300, 1e300])),
        "means": draw(st.sampled_from(["ground", "centre", "top"])),
        "category": draw(st.sampled_from([None, None, "YS", "water"])),
        "crs": draw(st.sampled_from(["", "", "", "EPSG:4547", "EPSG:4326"])),
        "import": draw(st.integers(0, 3)) == 0,
    }


# --- the attempt and its checks -------------------------------------------------------------------------------

def _finite_xy_z(x: float, y: float, z: float, what: str) -> None:
    assert math.isfinite(x) and math.isfinite(y), f"{what}: non-finite coordinate ({x}, {y})"
    assert not math.isinf(z), f"{what}: infinite z"


def _check_converted(conv: Any, path: Path) -> None:
    for p in conv.points:
        _finite_xy_z(p.x, p.y, p.z, f"point {p.source_id}")
    for s in conv.segments:
        assert len(s.xyz) >= 2, f"segment {s.source_id} has {len(s.xyz)} vertices"
        for x, y, z in s.xyz:
            _finite_xy_z(x, y, z, f"segment {s.source_id}")
    for rec in [*conv.points, *conv.segments]:
        for key, value in rec.values.items():
            assert not (isinstance(value, float) and math.isinf(value)), f"{rec.source_id}: {key} = {value}"
    # nothing dropped silently
    model = inp.read_inp(path)
    features = {p.source_id for p in conv.points} | {p.preferred_id for p in conv.points} | \
        {s.source_id for s in conv.segments}
    lines = {i.row for i in conv.issues if i.row is not None}
    refs = {i.ref for i in conv.issues if i.ref}
    foreign = {i.column for i in conv.issues if i.code == "model.other_sections"}
    for name in NODE_SECTIONS | LINK_SECTIONS:
        if name in foreign:
            continue  # a section of the other engine: reported as a whole
        for row in model.rows(name):
            ident = row.tokens[0]
            if ident in features or row.line in lines or ident in refs:
                continue
            if name in LINK_SECTIONS and (row.get(1) in refs or row.get(2) in refs):
                continue  # left out with a node the issues name
            raise AssertionError(f"[{name}] {ident} (line {row.line}) is neither imported nor reported")


def _check_map(map_path: Path, conv: Any) -> None:
    con = sqlite3.connect(f"file:{map_path}?mode=ro", uri=True)
    try:
        points = {r[0] for r in con.execute("SELECT source_id FROM pipe_point")}
        segments = {r[0] for r in con.execute("SELECT source_id FROM pipe_segment")}
    finally:
        con.close()
    assert points == {p.source_id for p in conv.points}, "points written differ from those converted"
    assert segments == {s.source_id for s in conv.segments}, "segments written differ from those converted"
    from osgeo import ogr

    ds = ogr.Open(str(map_path))
    try:
        for name in ("pipe_point", "pipe_segment"):
            for feat in ds.GetLayerByName(name):
                geom = feat.GetGeometryRef()
                assert geom is not None, f"{name} {feat.GetField('source_id')} has no geometry"
                for i in range(geom.GetPointCount()):
                    _finite_xy_z(*geom.GetPoint(i), f"{name} {feat.GetField('source_id')} in the map")
    finally:
        ds = None  # noqa: F841


def _run(case: dict[str, Any], harness: Any, empty_map: Path, target_name: str) -> None:
    folder = harness.example_dir()
    path = folder / Path(case["rel"]).name
    data = case.get("data")
    path.write_bytes(data if data is not None else encode(apply(trimmed(case["rel"]), case["edits"]), case["how"]))
    opts = importer.options(path.name, case["scale"], case["category"], case["means"])
    outcome = harness.attempt(target_name, lambda: importer.convert_file(path, opts), [path])
    if outcome.kind == "ok":
        _check_converted(outcome.value, path)
    if not case["import"]:
        return
    target = harness.copy(empty_map, folder, "map.gpkg")
    before = harness.sha256(target)
    result = harness.attempt(
        f"{target_name}.import",
        lambda: importer.import_model(target, path, crs=case["crs"], coordinate_scale=case["scale"],
                                      category=case["category"], elevation_means=case["means"]),
        [path, target])
    assert harness.leftovers(folder) == [], "temporary files left beside the map"
    if result.kind == "ok" and result.value.committed:
        conv = importer.convert_file(path, opts)
        _check_map(target, conv)
    else:
        assert harness.sha256(target) == before, "an import that committed nothing changed the map"


def _found(rel: str, todo: list[tuple[Any, ...]], **extra: Any) -> dict[str, Any]:
    """A pinned example: the trimmed model with ``todo`` applied, UTF-8, LF."""
    case = {"rel": rel, "edits": todo, "how": dict(PLAIN), "scale": 1.0, "means": "ground", "category": None,
            "crs": "", "import": True}
    case.update(extra)
    return case


NET3, CHAOHU = MODELS["epanet"][0], MODELS["swmm"][0]


@_settings(0.25)
@given(case=model_case("epanet"))
# found: a coordinate of 1e308 (or any coordinate with COORDINATE_SCALE 1e300) became an infinite position
@example(case=_found(NET3, [("coords", 24, 0, "1e308 1e308")], scale=1e300))
@example(case=_found(NET3, [("coords", 24, 0, "1e308 1e308"), ("coords", 24, 1, "-1e308 -1e308")]))
# found: the conduits of a [CONDUITS] section in an EPANET file were dropped without a word
@example(case=_found(NET3, [("new_section", 1, "[CONDUITS]", ["C1 10 20 100"])]))
def test_fuzz_epanet(case: dict[str, Any], harness: Any, empty_map: Path) -> None:
    _run(case, harness, empty_map, "model.epanet")


@_settings(0.25)
@given(case=model_case("swmm"))
def test_fuzz_swmm(case: dict[str, Any], harness: Any, empty_map: Path) -> None:
    _run(case, harness, empty_map, "model.swmm")


# --- arbitrary bytes and loose text as .inp -------------------------------------------------------------------

HEADERS = ["[TITLE]", "[OPTIONS]", "[JUNCTIONS]", "[PIPES]", "[CONDUITS]", "[XSECTIONS]", "[COORDINATES]",
           "[VERTICES]", "[OUTFALLS]", "[TANKS]", "[RESERVOIRS]", "[VALVES]", "[PUMPS]", "[WEIRS]", "[STORAGE]",
           "[CURVES]", "[TRANSECTS]", "[STREETS]", "[MAP]"]
LOOSE_ROW = st.lists(st.one_of(st.sampled_from(["J1", "J2", "P1", "C1", "0", "1", "10", "CIRCULAR", "1e308", "nan",
                                                "X1", "GR", "UNITS", "FLOW_UNITS", "LPS"]), TOKEN), max_size=7)


@_settings(0.25)
@given(data=st.one_of(
    st.binary(max_size=2000),
    st.lists(st.one_of(st.sampled_from(HEADERS), LOOSE_ROW.map(" ".join)), max_size=30).map(
        lambda lines: "\n".join(lines).encode("utf-8", errors="replace")),
    st.lists(st.one_of(st.sampled_from(HEADERS), LOOSE_ROW.map(" ".join)), max_size=30).map(
        lambda lines: "\r".join(lines).encode("utf-16"))),
    do_import=st.integers(0, 4))
def test_fuzz_inp_any_bytes(data: bytes, do_import: int, harness: Any, empty_map: Path) -> None:
    case = {"rel": "model.inp", "data": data, "scale": 1.0, "means": "ground", "category": None, "crs": "",
            "import": do_import == 0}
    _run(case, harness, empty_map, "model.any_bytes")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "gb18030", "utf-8-sig"])
def test_wide_encodings_keep_the_ids(encoding: str, harness: Any) -> None:
    """Found: a UTF-16 model lost its NULs before decoding, so its Chinese ids came out garbled
    without a word. The byte-order mark (or, without one, the NULs of UTF-16) now chooses the decoder."""
    sections = apply(trimmed(CHAOHU), [])
    text = "\n".join(line for h, body in sections for line in (h, *body)).replace("HS02", "合流")
    want = {p.source_id for p in importer.convert_file(_write(harness, text.encode("utf-8")), importer.options(
        "m.inp")).points}
    assert any(i.startswith("合流") for i in want)
    path = _write(harness, text.encode(encoding))
    outcome = harness.attempt("model.encodings", lambda: importer.convert_file(path, importer.options(path.name)),
                              [path])
    assert {p.source_id for p in outcome.value.points} == want


def _write(harness: Any, data: bytes) -> Path:
    path = harness.example_dir() / "m.inp"
    path.write_bytes(data)
    return path
