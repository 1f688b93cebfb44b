"""CityJSON 2.0 export: validated offline against the official 2.0.2 JSON Schemas (tests/data), the
PipeMap Extension's City Objects against their own schemas, and read back with cjio."""

from __future__ import annotations

import copy
import dataclasses
import json
import math
import re
from pathlib import Path

import numpy as np
import pytest

from pipemap.core import schema
from pipemap.core.errors import CancelledError
from pipemap.core.export import cityjson, formats, model, profiles
from pipemap.core.export.writeutil import iso_datetime
from pipemap.core.progress import RecordingProgress

jsonschema = pytest.importorskip("jsonschema")
referencing = pytest.importorskip("referencing")
cjio_cityjson = pytest.importorskip("cjio.cityjson")
from referencing.jsonschema import DRAFT7  # noqa: E402

SCHEMAS = Path(__file__).resolve().parents[2] / "data" / "cityjson-2.0.2"
BASE = "https://www.cityjson.org/schemas/2.0.2/"
JSON_TYPES = {"text": "string", "integer": "integer", "real": "number", "date": "string", "datetime": "string"}
LOCAL_TM = ('PROJCS["Example city grid",GEOGCS["CGCS2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,'
            '298.257222101]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],'
            'PROJECTION["Transverse_Mercator"],PARAMETER["central_meridian",114.1],UNIT["metre",1]]')


@pytest.fixture(scope="module")
def registry():
    """The official (modular) schemas by their $id: every $ref resolves offline (an unknown URL raises).
    The *.min.schema.json files are single-file bundles with the same $id and are used on their own."""
    resources = []
    for p in sorted(SCHEMAS.glob("*.schema.json")):
        if p.name.endswith(".min.schema.json"):
            continue
        doc = json.loads(p.read_text(encoding="utf-8"))
        assert doc["$id"] == BASE + p.name
        resources.append((doc["$id"], referencing.Resource.from_contents(doc, default_specification=DRAFT7)))
    return referencing.Registry().with_resources(resources)


@pytest.fixture(scope="module")
def validator(registry):
    main = json.loads((SCHEMAS / "cityjson.schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft7Validator(main, registry=registry, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)


@pytest.fixture(scope="module")
def bundled_validator():
    """The official single-file schema: a second, independent check with no $ref resolution."""
    return jsonschema.Draft7Validator(json.loads((SCHEMAS / "cityjson.min.schema.json").read_text(encoding="utf-8")))


def extension_validators(ext: dict, registry) -> dict[str, object]:
    """One validator per extra City Object, built the way cjval does: the object's schema with the
    Extension's other members beside it, $refs resolved against the official schema folder."""
    fixed = {"type", "name", "url", "uri", "version", "versionCityJSON", "description"}
    out = {}
    for name, sch in ext["extraCityObjects"].items():
        full = dict(copy.deepcopy(sch), **{"$schema": "http://json-schema.org/draft-07/schema#",
                                           "$id": BASE + "pipemap-extension.json"})
        for k, v in ext.items():
            if k not in fixed:
                full.setdefault(k, v)
        out[name] = jsonschema.Draft7Validator(full, registry=registry)
    for name, sch in ext["extraRootProperties"].items():
        out[name] = jsonschema.Draft7Validator(sch, registry=registry)
    return out


def export(data, folder: Path, progress=None, **opts) -> tuple[Path, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    progress = progress or RecordingProgress()
    files = cityjson.write(data, folder, formats.ExportOptions(**opts), progress)
    assert [f.name for f in files] == [f"{opts.get('basename', 'pipemap')}.city.json", "pipemap.ext.json"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(f.name for f in files), "temporary files left"
    return files[0], files[1]


def load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def expected_attributes(layer, i: int) -> dict:
    out = {}
    for fld in layer.fields:
        v = layer.columns[fld.name][i]
        if v is None or (fld.type == "real" and not math.isfinite(v)):
            continue
        out[fld.name] = iso_datetime(v) if fld.type in ("date", "datetime") else v
    return out


@pytest.fixture(scope="module")
def full(rich_map, tmp_path_factory):
    path, _, facts = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    progress = RecordingProgress()
    city, ext = export(data, tmp_path_factory.mktemp("cj_full"), progress)
    return data, city, ext, progress, facts


@pytest.fixture(scope="module")
def planning(rich_map, tmp_path_factory):
    path, _, facts = rich_map
    data = model.read_map(path, profiles.load_profile("planning"))
    city, ext = export(data, tmp_path_factory.mktemp("cj_planning"))
    return data, city, ext, facts


def check_extension_objects(doc: dict, extension: dict, registry) -> dict[str, int]:
    checks = extension_validators(extension, registry)
    counts = {"+PipeSegment": 0, "+PipePoint": 0}
    for key, co in doc["CityObjects"].items():
        assert [e.message for e in checks[co["type"]].iter_errors(co)] == [], key
        counts[co["type"]] += 1
    assert [e.message for e in checks["+PipeMapExport"].iter_errors(doc["+PipeMapExport"])] == []
    return counts


def test_full_export_validates_against_the_official_schemas(full, validator, registry):
    """The modular 2.0.2 schemas with format checks (dates, URIs) -- ~15 s for 1200 City Objects."""
    data, city, ext, _, _ = full
    doc = load(city)
    assert [e.message for e in validator.iter_errors(doc)] == []
    counts = check_extension_objects(doc, load(ext), registry)
    assert counts == {"+PipeSegment": len(data.segments), "+PipePoint": len(data.points)}


def test_planning_export_validates_against_the_bundled_schema(planning, bundled_validator, registry):
    data, city, ext, _ = planning
    doc = load(city)
    assert [e.message for e in bundled_validator.iter_errors(doc)] == []
    counts = check_extension_objects(doc, load(ext), registry)
    assert counts == {"+PipeSegment": len(data.segments), "+PipePoint": len(data.points)}


def test_validation_is_not_vacuous(full, validator, bundled_validator, registry):
    """Broken copies are rejected: by the official schemas where CityJSON itself is broken, by the
    Extension's schemas where a pipe is (the core schema checks only the "+Type" of extra objects)."""
    doc, extension = load(full[1]), load(full[2])
    keys = list(doc["CityObjects"])[:3]
    doc["CityObjects"] = {k: doc["CityObjects"][k] for k in keys}
    assert not list(validator.iter_errors(doc)) and not list(bundled_validator.iter_errors(doc))
    for path, value in ((("version",), "3.0"), (("transform", "scale"), [0.001, 0.001]),
                        (("CityObjects", keys[0], "type"), "PipeSegment"), (("vertices", 0), [1, 2]),
                        (("metadata", "referenceSystem"), "EPSG:4547"), (("metadata", "referenceDate"), "26/11/2026")):
        bad = copy.deepcopy(doc)
        target = bad
        for step in path[:-1]:
            target = target[step]
        target[path[-1]] = value
        assert list(validator.iter_errors(bad)), path
        if path[-1] != "referenceDate":  # the bundled validator runs without format checks
            assert list(bundled_validator.iter_errors(bad)), path
    check = extension_validators(extension, registry)["+PipeSegment"]
    co = doc["CityObjects"][keys[0]]
    assert not list(check.iter_errors(co))
    for change in ({"geometry": [dict(co["geometry"][0], type="MultiPolyline")]},
                   {"geometry": [dict(co["geometry"][0], lod="7")]},
                   {"attributes": {k: v for k, v in co["attributes"].items() if k != "seg_id"}},
                   {"attributes": dict(co["attributes"], dn_mm="300")}):
        assert list(check.iter_errors(dict(co, **change))), change


def test_document_structure_and_metadata(full):
    data, city, _, progress, _ = full
    doc = load(city)
    assert doc["type"] == "CityJSON" and doc["version"] == "2.0"
    assert doc["transform"]["scale"] == [0.001, 0.001, 0.001]
    lo = np.concatenate([data.segments.vertices, data.points.vertices]).min(axis=0)
    assert doc["transform"]["translate"] == [math.floor(lo[0] / 100) * 100, math.floor(lo[1] / 100) * 100,
                                             math.floor(lo[2])]
    meta = doc["metadata"]
    assert meta["referenceSystem"] == "https://www.opengis.net/def/crs/EPSG/0/4547"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", meta["referenceDate"]) and "full profile" in meta["title"]
    hi = np.concatenate([data.segments.vertices, data.points.vertices]).max(axis=0)
    assert np.allclose(meta["geographicalExtent"], np.concatenate([lo, hi]), atol=0.001)
    info = doc["+PipeMapExport"]
    assert info["profile"] == "full" and info["crs"]["authid"] == "EPSG:4547" and info["crs"]["wkt"] == data.crs_wkt
    assert info["height_datum"] == data.height_datum
    assert info["z_convention"] == {"+PipeSegment": data.z_convention["pipe_segment"],
                                    "+PipePoint": data.z_convention["pipe_point"]}
    assert doc["extensions"] == {"PipeMap": {"url": "pipemap.ext.json", "version": "1.0"}}
    assert all(isinstance(v, int) for vert in doc["vertices"] for v in vert)
    assert len({tuple(v) for v in doc["vertices"]}) == len(doc["vertices"]), "duplicate vertices"
    used = {j for co in doc["CityObjects"].values() for g in co["geometry"]
            for j in (np.ravel(g["boundaries"]).tolist())}
    assert used == set(range(len(doc["vertices"]))), "unused or missing vertices"
    assert progress.warnings == []


def test_extension_file(full, planning):
    """The shipped Extension follows the CityJSON 2.0 Extension rules and documents every field of the
    data model; the copy in a package is self-describing (url relative to the CityJSON file)."""
    shipped = json.loads(cityjson.EXTENSION_FILE.read_text(encoding="utf-8"))
    required = {"type", "name", "version", "versionCityJSON", "extraAttributes", "extraCityObjects",
                "extraRootProperties", "extraSemanticSurfaces"}
    assert required <= set(shipped) and ("url" in shipped or "uri" in shipped)
    assert shipped["type"] == "CityJSONExtension" and shipped["versionCityJSON"] == "2.0"
    assert re.fullmatch(r"\w[a-zA-Z@#0-9._]*", shipped["name"])
    assert re.fullmatch(r"(\d\.)(\d+\.)?(\*|\d+)", shipped["version"])
    assert all(re.fullmatch(r"\+[A-Z]\w+", k) for k in shipped["extraCityObjects"])
    assert all(re.fullmatch(r"[+@]\w+", k) for k in shipped["extraRootProperties"])
    for co_type, layer in (("+PipeSegment", schema.PIPE_SEGMENT), ("+PipePoint", schema.PIPE_POINT)):
        props = shipped["extraCityObjects"][co_type]["allOf"][1]["properties"]["attributes"]["properties"]
        assert {k: v["type"] for k, v in props.items()} == {f.name: JSON_TYPES[f.type] for f in layer.fields}
    _, city, ext, _, _ = full
    assert (city.parent / load(city)["extensions"]["PipeMap"]["url"]) == ext
    written = load(ext)
    assert written["extraCityObjects"] == shipped["extraCityObjects"]  # full profile: every field
    assert written["version"] == shipped["version"] and written["name"] == shipped["name"]
    seg_props = load(planning[2])["extraCityObjects"]["+PipeSegment"]["allOf"][1]["properties"]["attributes"]
    assert "owner_contact" not in seg_props["properties"] and "remark" not in seg_props["properties"]
    assert set(seg_props["properties"]) == set(planning[0].segments.field_names)


def test_cjio_reads_it_and_vertices_round_trip(full):
    data, city, _, _, _ = full
    with open(city, encoding="utf-8") as fh:
        cm = cjio_cityjson.reader(fh)
    cm.check_version()
    assert cm.get_version() == "2.0" and cm.get_epsg() == 4547
    info = "\n".join(cm.get_info(long=True))
    assert "+PipeSegment (604)" in info and f"+PipePoint ({len(data.points)})" in info
    assert "Extensions = ['PipeMap']" in info
    assert cm.decompress()
    verts = np.asarray(cm.j["vertices"], dtype=float)
    cos = cm.j["CityObjects"]
    worst = 0.0
    for i, sid in enumerate(data.segments.columns["seg_id"]):
        (geom,) = cos[sid]["geometry"]
        assert geom["type"] == "MultiLineString" and geom["lod"] == "1" and len(geom["boundaries"]) == 1
        got = verts[geom["boundaries"][0]]
        worst = max(worst, float(np.abs(got - data.segments.coords(i)).max()))
    for i, pid in enumerate(data.points.columns["point_id"]):
        (geom,) = cos[pid]["geometry"]
        assert geom["type"] == "MultiPoint"
        worst = max(worst, float(np.abs(verts[geom["boundaries"]] - data.points.vertices[i]).max()))
    assert worst <= 0.0005 + 1e-9, worst


def test_attributes_chinese_and_hostile_text(full):
    data, city, _, _, facts = full
    doc = load(city)
    cos = doc["CityObjects"]
    for i, sid in enumerate(data.segments.columns["seg_id"]):
        assert cos[sid]["type"] == "+PipeSegment"
        assert cos[sid]["attributes"] == expected_attributes(data.segments, i)
    for i, pid in enumerate(data.points.columns["point_id"]):
        assert cos[pid]["type"] == "+PipePoint"
        assert cos[pid]["attributes"] == expected_attributes(data.points, i)
    cid = facts["chinese_id"]
    assert cos[cid]["attributes"]["seg_id"] == cid
    hostile = cos[facts["hostile_segment"]]["attributes"]
    assert (hostile["remark"], hostile["road"], hostile["owner"]) == tuple(facts["hostile"])
    raw = city.read_bytes()
    assert json.dumps(cid, ensure_ascii=False).encode("utf-8") in raw  # Chinese written as UTF-8, not \u escapes
    assert facts["contact"].encode("utf-8") in raw  # positive control for the planning test


def test_planning_profile_leaves_nothing_out(planning):
    data, city, ext, facts = planning
    for path in (city, ext):
        raw = path.read_bytes()
        contact = facts["contact"]
        assert contact.encode("utf-8") not in raw and contact.encode("gbk") not in raw
        assert json.dumps(contact).encode("ascii") not in raw
        for ident in facts["restricted_segments"]:
            assert json.dumps(ident, ensure_ascii=False).encode("utf-8") not in raw
        assert b'"GY"' not in raw and b'"GY-' not in raw
        for field in (b'"owner_contact"', b'"remark"', b'"survey_org"'):
            assert field not in raw
    doc = load(city)
    assert not set(facts["secret_points"]) & set(doc["CityObjects"])
    assert len(doc["CityObjects"]) == len(data.segments) + len(data.points)
    assert {co["attributes"]["category"] for co in doc["CityObjects"].values()} == \
        set(data.segments.category_counts()) and "GY" not in data.segments.category_counts()


def test_local_grid_missing_z_and_id_clash(rich_map, tmp_path, validator, registry):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    keep_s = np.zeros(len(data.segments), bool)
    keep_s[:10] = True
    keep_p = np.zeros(len(data.points), bool)
    keep_p[:10] = True
    segs, pts = data.segments.subset(keep_s), data.points.subset(keep_p)
    verts = segs.vertices.copy()
    verts[0:2, 2] = np.nan  # segment 0: no z at all
    verts[2, 2] = np.nan  # segment 1: one vertex interpolated
    pts.columns["point_id"][1] = segs.columns["seg_id"][3]  # a point id that is also a segment id
    local = dataclasses.replace(data, segments=dataclasses.replace(segs, vertices=verts), points=pts,
                                crs_authid="", crs_wkt=LOCAL_TM)
    progress = RecordingProgress()
    city, ext = export(local, tmp_path, progress, basename="城市管线")
    doc = load(city)
    assert [e.message for e in validator.iter_errors(doc)] == []
    checks = extension_validators(load(ext), registry)
    assert all(not list(checks[co["type"]].iter_errors(co)) for co in doc["CityObjects"].values())
    assert "referenceSystem" not in doc["metadata"] and doc["+PipeMapExport"]["crs"]["wkt"] == LOCAL_TM
    assert any("no EPSG code" in w for w in progress.warnings)
    assert any("1 segments had vertices without elevation" in w for w in progress.warnings)
    assert any("1 features have no elevation" in w for w in progress.warnings)
    assert "geometry" not in doc["CityObjects"][segs.columns["seg_id"][0]]
    clash = segs.columns["seg_id"][3]
    assert doc["CityObjects"][clash]["type"] == "+PipeSegment"
    assert doc["CityObjects"][clash + "#point"]["attributes"]["point_id"] == clash
    second = doc["CityObjects"][segs.columns["seg_id"][1]]["geometry"][0]["boundaries"][0]
    z = [doc["vertices"][j][2] * 0.001 + doc["transform"]["translate"][2] for j in second]
    assert z == pytest.approx([verts[3, 2]] * 2, abs=0.0006)
    with open(city, encoding="utf-8") as fh:
        cm = cjio_cityjson.reader(fh)
    assert cm.get_epsg() is None and len(cm.j["CityObjects"]) == 20


def test_cancel_leaves_no_file(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    with pytest.raises(CancelledError):
        cityjson.write(data, tmp_path, formats.ExportOptions(), RecordingProgress(cancel_after=1))
    assert list(tmp_path.iterdir()) == []
