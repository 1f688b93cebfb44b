"""Share packages are atomic: complete, or nothing (no partial output, no temporary folder)."""

from __future__ import annotations

import zipfile

import pytest

from pipemap.core.errors import CancelledError, InputError, OutputError
from pipemap.core.export import manifest, model, package, profiles
from pipemap.core.progress import RecordingProgress


@pytest.fixture(scope="module")
def planning(rich_map):
    path, _, _ = rich_map
    return model.read_map(path, profiles.load_profile("planning"))


def listing(folder):
    return sorted(p.name for p in folder.iterdir())


def test_package_with_three_formats(planning, tmp_path):
    out = tmp_path / "share"
    progress = RecordingProgress()
    result = package.export_package(planning, ["gpkg", "shapefile", "jsonfg"], out, progress=progress,
                                    filters={"categories": None})
    assert result.path == out and listing(tmp_path) == ["share"]
    assert listing(out) == ["gpkg", "jsonfg", "manifest.json", "shapefile"]
    assert out / "manifest.json" in result.files
    assert all(f.is_file() for f in result.files)
    assert len(result.files) == 1 + 2 + 11 + 1  # gpkg, 2 json, 2 x 5 shapefile parts + field map, manifest
    assert manifest.verify_package(out).ok
    assert progress.fractions[-1] == 1.0
    assert all(b >= a - 1e-9 for a, b in zip(progress.fractions, progress.fractions[1:])), "progress goes forward"


def test_a_failing_writer_leaves_nothing(planning, tmp_path):
    assert planning.picks is None
    with pytest.raises(InputError, match="no GPR picks were given"):
        package.export_package(planning, ["gpkg", "jsonfg", "las"], tmp_path / "share")
    assert listing(tmp_path) == []


def test_unknown_or_no_format(planning, tmp_path):
    with pytest.raises(InputError, match="Unknown export format kml"):
        package.export_package(planning, ["gpkg", "kml"], tmp_path / "share")
    with pytest.raises(InputError, match="at least one export format"):
        package.export_package(planning, [], tmp_path / "share")
    assert listing(tmp_path) == []


@pytest.mark.parametrize("suffix", ["", ".zip"])
def test_cancel_at_any_point_leaves_nothing(planning, tmp_path, suffix):
    probe = RecordingProgress()
    package.export_package(planning, ["gpkg", "jsonfg"], tmp_path / f"probe{suffix}", progress=probe)
    reports = len(probe.fractions)
    assert reports >= 5
    work = tmp_path / "work"
    work.mkdir()
    for n in range(1, reports):
        with pytest.raises(CancelledError):
            package.export_package(planning, ["gpkg", "jsonfg"], work / f"share{suffix}",
                                   progress=RecordingProgress(cancel_after=n))
        assert listing(work) == [], f"cancelled after {n} reports"
    package.export_package(planning, ["gpkg", "jsonfg"], work / f"share{suffix}",
                           progress=RecordingProgress(cancel_after=reports))
    assert listing(work) == [f"share{suffix}"]


def test_overwrite_replaces_only_after_success(planning, tmp_path):
    out = tmp_path / "share"
    package.export_package(planning, ["jsonfg"], out)
    before = (out / "manifest.json").read_bytes()
    with pytest.raises(OutputError, match="already exists"):
        package.export_package(planning, ["gpkg"], out)
    assert (out / "manifest.json").read_bytes() == before
    with pytest.raises(InputError):
        package.export_package(planning, ["gpkg", "las"], out, overwrite=True)
    assert (out / "manifest.json").read_bytes() == before and listing(out) == ["jsonfg", "manifest.json"]
    with pytest.raises(CancelledError):
        package.export_package(planning, ["gpkg"], out, overwrite=True, progress=RecordingProgress(cancel_after=3))
    assert (out / "manifest.json").read_bytes() == before
    package.export_package(planning, ["gpkg"], out, overwrite=True)
    assert listing(out) == ["gpkg", "manifest.json"]
    assert manifest.verify_package(out).ok
    assert listing(tmp_path) == ["share"], "no backup or temporary folder left"


def test_zip_output(planning, tmp_path):
    out = tmp_path / "share.zip"
    result = package.export_package(planning, ["gpkg", "shapefile"], out)
    assert result.files == [out] and listing(tmp_path) == ["share.zip"]
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert "manifest.json" in names and "gpkg/pipemap.gpkg" in names
        assert "shapefile/pipemap_segment.shp" in names
        assert zf.testzip() is None
    v = manifest.verify_package(out)
    assert v.ok and v.checked == 12
    before = out.read_bytes()
    with pytest.raises(InputError):
        package.export_package(planning, ["jsonfg", "las"], out, overwrite=True)
    assert out.read_bytes() == before and listing(tmp_path) == ["share.zip"]
    package.export_package(planning, ["jsonfg"], out, overwrite=True)
    with zipfile.ZipFile(out) as zf:
        assert sorted(zf.namelist()) == ["jsonfg/pipemap_point.json", "jsonfg/pipemap_segment.json", "manifest.json"]


def test_targets_that_are_not_ours_are_left_alone(planning, tmp_path):
    empty = tmp_path / "picked"
    empty.mkdir()
    package.export_package(planning, ["jsonfg"], empty)  # an empty folder is simply filled
    assert manifest.verify_package(empty).ok
    other = tmp_path / "documents"
    other.mkdir()
    (other / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(OutputError, match="other files in it"):
        package.export_package(planning, ["jsonfg"], other, overwrite=True)
    assert listing(other) == ["thesis.docx"]
    plain = tmp_path / "report.pdf"
    plain.write_bytes(b"%PDF")
    with pytest.raises(OutputError, match="not a share package of the same kind"):
        package.export_package(planning, ["jsonfg"], plain, overwrite=True)
    assert plain.read_bytes() == b"%PDF"
    with pytest.raises(OutputError, match="does not exist"):
        package.export_package(planning, ["jsonfg"], tmp_path / "no" / "such" / "share")
    assert listing(tmp_path) == ["documents", "picked", "report.pdf"]


def test_a_relative_output_path_works(planning, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = package.export_package(planning, ["jsonfg"], "share_rel")
    assert result.path == tmp_path / "share_rel"
    assert manifest.verify_package(tmp_path / "share_rel").ok
