"""CJJ 61 result tables: exported tables re-imported with importsurvey give the same map."""

from __future__ import annotations

import copy
import csv
import io
import math
import re
from pathlib import Path

import pytest

from pipemap.core import mapfile
from pipemap.core.errors import OutputError
from pipemap.core.export import model, profiles, tables
from pipemap.core.export.formats import ExportOptions
from pipemap.core.progress import RecordingProgress
from pipemap.core.survey import importer
from pipemap.core.survey.tables import read_table

#: fields importsurvey does not read back (provenance is set by the import itself); the export still writes them
SEGMENT_NOT_IMPORTED = {"owner_contact", "survey_org", "source", "source_id", "version", "modified_at"}
POINT_NOT_IMPORTED = {"owner_contact", "survey_org", "survey_method", "sensitivity", "rotation_deg", "source",
                      "source_id", "version", "modified_at"}


def _export(data, folder: Path, **options) -> tuple[list[Path], RecordingProgress]:
    folder.mkdir(parents=True, exist_ok=True)
    progress = RecordingProgress()
    files = tables.write(data, folder, ExportOptions(**options), progress)
    return files, progress


def _reimport(folder: Path, crs: str, encoding: str | None = None):
    target = folder.parent / f"{folder.name}_reimported.gpkg"
    mapfile.create_map(target, crs)
    result = importer.import_survey(target, folder, encoding=encoding)
    assert result.committed, [(i.code, i.file, i.row, i.message) for i in result.errors][:10]
    return model.read_map(target, profiles.load_profile("full")), result


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        return a is not None and b is not None and math.isclose(float(a), float(b), abs_tol=1e-6)
    return a == b


def _assert_layers_equal(src: model.LayerData, back: model.LayerData, key: str, skip: set[str]) -> int:
    """Every feature of ``src`` is in ``back`` with the same geometry (1 mm) and attributes; returns the count."""
    where = {v: i for i, v in enumerate(back.columns[key])}
    assert sorted(where) == sorted(src.columns[key])
    compared = 0
    for i, ident in enumerate(src.columns[key]):
        j = where[ident]
        a, b = src.coords(i), back.coords(j)
        assert a.shape == b.shape, ident
        assert abs(a - b).max() <= 0.001, (ident, a, b)
        for f in src.fields:
            if f.name in skip:
                continue
            va, vb = src.columns[f.name][i], back.columns[f.name][j]
            assert _same(va, vb), (ident, f.name, va, vb)
            compared += 1
    return compared


def _cells(folder: Path, encoding: str = "utf-8-sig") -> dict[str, list[dict[str, str]]]:
    """Every CSV table of ``folder`` read with the csv module: file name -> rows as dicts."""
    out = {}
    for p in sorted(folder.glob("*.csv")):
        text = p.read_bytes().decode(encoding)
        out[p.name] = list(csv.DictReader(io.StringIO(text, newline="")))
    return out


@pytest.fixture(scope="module")
def full_data(rich_map):
    path, _, facts = rich_map
    return model.read_map(path, profiles.load_profile("full")), facts


def test_full_profile_round_trip_is_lossless(full_data, tmp_path):
    data, facts = full_data
    folder = tmp_path / "tables"
    files, progress = _export(data, folder)
    names = sorted(p.name for p in files)
    cats = sorted(data.segments.category_counts())
    assert [n for n in names if n.endswith("Line.csv")] == sorted(f"{c}Line.csv" for c in cats)
    assert "tables_metadata.json" in names
    assert progress.warnings == []
    assert all(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in files if p.suffix == ".csv")

    back, result = _reimport(folder, data.crs_authid)
    assert result.errors == []
    assert result.segments_written == len(data.segments) == 604
    assert result.points_written == len(data.points) == 594
    n_seg = _assert_layers_equal(data.segments, back.segments, "seg_id", SEGMENT_NOT_IMPORTED)
    n_pt = _assert_layers_equal(data.points, back.points, "point_id", POINT_NOT_IMPORTED)
    assert n_seg > 604 * 25 and n_pt > 594 * 15
    # the hostile and Chinese values came back exactly
    k = back.segments.columns["seg_id"].index(facts["hostile_segment"])
    assert back.segments.columns["remark"][k] == facts["hostile"][0]
    assert back.segments.columns["road"][k] == facts["hostile"][1]
    assert back.segments.columns["owner"][k] == facts["hostile"][2]
    assert facts["chinese_id"] in back.segments.columns["seg_id"]

    # what importsurvey cannot read back is still in the tables, in its own column
    cells = _cells(folder)
    contacts = [r["权属单位联系方式"] for rows in cells.values() for r in rows if "管段编号" in r]
    assert contacts.count(facts["contact"]) == data.segments.columns["owner_contact"].count(facts["contact"])
    secret = {r["图上点号"] for rows in cells.values() for r in rows if r.get("密级") == "secret"}
    assert secret == set(facts["secret_points"])


def test_xlsx_round_trip(full_data, tmp_path):
    data, facts = full_data
    folder = tmp_path / "xlsx"
    files, progress = _export(data, folder, table_format="xlsx")
    assert all(p.read_bytes()[:4] == b"PK\x03\x04" for p in files if p.suffix == ".xlsx")
    assert {p.suffix for p in files} == {".xlsx", ".json"}
    sheet = read_table(folder / "JSLine.xlsx")
    assert sheet.sheet == "JSLine" and sheet.headers[:3] == ["管段编号", "起点点号", "终点点号"]
    back, _ = _reimport(folder, data.crs_authid)
    _assert_layers_equal(data.segments, back.segments, "seg_id", SEGMENT_NOT_IMPORTED)
    _assert_layers_equal(data.points, back.points, "point_id", POINT_NOT_IMPORTED)
    k = back.segments.columns["seg_id"].index(facts["hostile_segment"])
    assert back.segments.columns["remark"][k] == facts["hostile"][0]


def test_gbk_round_trip(full_data, tmp_path):
    data, facts = full_data
    folder = tmp_path / "gbk"
    files, _ = _export(data, folder, encoding="GBK")
    raw = (folder / "JSLine.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "权属单位".encode("gbk") in raw
    back, result = _reimport(folder, data.crs_authid)
    assert set(result.encodings.values()) == {"gb18030"}
    _assert_layers_equal(data.segments, back.segments, "seg_id", SEGMENT_NOT_IMPORTED)
    _assert_layers_equal(data.points, back.points, "point_id", POINT_NOT_IMPORTED)
    assert facts["chinese_id"] in back.segments.columns["seg_id"]


def test_gbk_refuses_characters_it_cannot_hold(full_data, tmp_path):
    data = copy.deepcopy(full_data[0])
    data.segments.columns["road"][3] = "한국 road"
    folder = tmp_path / "gbk_bad"
    with pytest.raises(OutputError) as err:
        _export(data, folder, encoding="GBK")
    assert "U+D55C" in str(err.value) and "GBK" in str(err.value)
    assert not any(p.name.endswith(".part") for p in folder.iterdir())
    # the same data in UTF-8 keeps the text
    files, _ = _export(data, tmp_path / "utf8")
    assert "한국 road".encode() in b"".join(p.read_bytes() for p in files)


def test_planning_profile_removes_what_it_says(rich_map, tmp_path):
    path, _, facts = rich_map
    data = model.read_map(path, profiles.load_profile("planning"))
    folder = tmp_path / "planning"
    files, progress = _export(data, folder)
    names = {p.name for p in files}
    assert not any(n.startswith("GY") for n in names) and "JSLine.csv" in names
    blob = b"".join(p.read_bytes() for p in files)
    for text in (facts["contact"], "13800000000", facts["hostile"][0]):
        assert text.encode("utf-8") not in blob and text.encode("gbk") not in blob
    cells = _cells(folder)
    every_cell = {v for rows in cells.values() for r in rows for v in r.values()}
    headers = {h for rows in cells.values() for r in rows[:1] for h in r}
    assert "备注" not in headers and "权属单位联系方式" not in headers and "探测单位" not in headers
    assert not set(facts["restricted_segments"]) & every_cell
    assert not set(facts["secret_points"]) & every_cell  # neither as points nor as segment ends
    assert "GY" not in every_cell
    # segments ending at a withheld point cannot be placed: left out, and the receiver is told
    assert any("end point is not in the point tables" in w for w in progress.warnings)
    for pid in facts["secret_points"]:  # warnings go into the manifest: they must not name withheld points
        assert not any(re.search(rf"(?<![0-9A-Za-z]){re.escape(pid)}(?![0-9])", w) for w in progress.warnings)
    back, result = _reimport(folder, data.crs_authid)
    assert result.errors == []
    assert 0 < len(data.segments) - result.segments_written < 40
    assert result.points_written == len(data.points)


def test_public_profile_writes_point_tables_only(rich_map, tmp_path):
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("public"))
    folder = tmp_path / "public"
    files, progress = _export(data, folder)
    assert all("Line" not in p.name for p in files)
    assert any("start and end point numbers" in w for w in progress.warnings)
    table = read_table(folder / "JSPoint.csv")
    assert table.headers == ["图上点号", "管线类别", "管线小类", "X", "Y", "地面高程"]
    for row in table.rows:  # positions rounded to the profile's 0.5 m
        assert float(row[3]) * 2 == pytest.approx(round(float(row[3]) * 2))


def test_edited_map_z_and_delimiters_survive(full_data, tmp_path):
    """A stored elevation that no longer matches z, a withheld depth reference, and values full of
    semicolons and tabs (which would fool the importer's delimiter sniffing) still round-trip."""
    data = copy.deepcopy(full_data[0])
    seg = data.segments
    js = [i for i, c in enumerate(seg.columns["category"]) if c == "JS"]
    seg.columns["start_elev_m"][js[0]] += 0.30  # z is what counts
    for i in js:
        seg.columns["remark"][i] = ";" * 40 + "\t" * 3 + " a;b"
    folder = tmp_path / "edited"
    _, progress = _export(data, folder)
    assert any("computed from z" in w for w in progress.warnings)
    text = (folder / "JSLine.csv").read_bytes().decode("utf-8-sig")
    assert text.splitlines()[0].count("\t") > 30  # tab-delimited: commas would be sniffed as ';'
    table = read_table(folder / "JSLine.csv")
    assert table.rows[0][table.headers.index("备注")] == ";" * 40 + "\t" * 3 + " a;b"
    back, _ = _reimport(folder, data.crs_authid)
    sid = seg.columns["seg_id"][js[0]]
    k = back.segments.columns["seg_id"].index(sid)
    assert abs(back.segments.coords(k) - seg.coords(js[0])).max() <= 0.001
    skip = SEGMENT_NOT_IMPORTED | {"start_elev_m", "start_depth_m"}
    _assert_layers_equal(seg, back.segments, "seg_id", skip)

    # withhold the depth reference and the sizes: elevations are then written at the centre
    data2 = copy.deepcopy(full_data[0])
    keep = {f.name for f in data2.segments.fields} - {"depth_ref", "dn_mm", "width_mm", "height_mm", "wall_mm",
                                                       "outer_diameter_mm", "section", "start_elev_m", "end_elev_m"}
    data2.segments.fields = [f for f in data2.segments.fields if f.name in keep]
    data2.segments.columns = {k2: v for k2, v in data2.segments.columns.items() if k2 in keep}
    folder2 = tmp_path / "no_ref"
    _export(data2, folder2)
    back2, _ = _reimport(folder2, data2.crs_authid)
    assert set(back2.segments.columns["depth_ref"]) == {"centre"}
    where = {v: i for i, v in enumerate(back2.segments.columns["seg_id"])}
    for i, sid in enumerate(data2.segments.columns["seg_id"]):
        assert abs(back2.segments.coords(where[sid]) - data2.segments.coords(i)).max() <= 0.001


def test_nul_in_a_value_is_refused(full_data, tmp_path):
    data = copy.deepcopy(full_data[0])
    data.points.columns["road"][0] = "a\x00b"
    with pytest.raises(OutputError, match="NUL"):
        _export(data, tmp_path / "nul")
    with pytest.raises(OutputError, match="control character"):
        _export(data, tmp_path / "nul_xlsx", table_format="xlsx")


def test_number_text_reads_back_exactly():
    for v in (0.1 + 0.2, 1e-7, 3380123.456789012, -0.0005, 12.0, 1e20, 5):
        text = tables.number_text(v)
        assert "e" not in text.lower()
        assert float(text) == float(v)
