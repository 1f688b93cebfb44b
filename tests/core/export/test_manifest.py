"""manifest.json: what it records, and verify_package refusing every kind of tampering."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import stat
import zipfile

import pytest

from pipemap.core.errors import InputError
from pipemap.core.export import manifest, model, package, profiles
from pipemap.core.version import __version__


@pytest.fixture(scope="module")
def good_package(rich_map, tmp_path_factory):
    """A planning package (GeoPackage + JSON-FG) as a folder and as a zip, built once."""
    path, _, _ = rich_map
    data = model.read_map(path, profiles.load_profile("planning"))
    root = tmp_path_factory.mktemp("manifest")
    folder = package.export_package(data, ["gpkg", "jsonfg"], root / "share").path
    zpath = package.export_package(data, ["gpkg", "jsonfg"], root / "share.zip").path
    return folder, zpath, data


def copy_of(folder, tmp_path):
    target = tmp_path / "copy"
    shutil.copytree(folder, target)
    return target


def test_manifest_records_files_and_facts(good_package):
    folder, _, data = good_package
    m = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    names = sorted(e["path"] for e in m["files"])
    assert names == ["gpkg/pipemap.gpkg", "jsonfg/pipemap_point.json", "jsonfg/pipemap_segment.json"]
    for e in m["files"]:
        raw = (folder / e["path"]).read_bytes()
        assert e["sha256"] == hashlib.sha256(raw).hexdigest() and e["bytes"] == len(raw)
    assert m["software"] == f"PipeMap {__version__}"
    assert m["created_at"].endswith("+00:00")
    assert m["profile"]["name"] == "planning" and len(m["profile"]["sha256"]) == 64
    assert m["formats"] == ["gpkg", "jsonfg"]
    assert m["crs"]["authid"] == "EPSG:4547" and m["crs"]["wkt"].startswith("PROJCRS")
    assert "1985" in m["height_datum"]
    assert m["z_convention"]["pipe_segment"] == "pipe centreline elevation"
    assert m["counts"] == data.counts() and "GY" not in m["counts"]["pipe_segment"]
    assert sum(m["counts"]["pipe_segment"].values()) == len(data.segments)
    assert m["removed"] and "accuracy" in m


def test_intact_packages_verify(good_package):
    folder, zpath, _ = good_package
    for p in (folder, zpath):
        v = manifest.verify_package(p)
        assert v.ok and v.problems == [] and v.checked == 3
        assert v.manifest["profile"]["name"] == "planning"


def test_a_changed_byte_is_refused(good_package, tmp_path):
    folder, _, _ = good_package
    pkg = copy_of(folder, tmp_path)
    target = pkg / "jsonfg" / "pipemap_point.json"
    raw = bytearray(target.read_bytes())
    raw[len(raw) // 2] ^= 0x01  # same size, one bit different
    target.write_bytes(bytes(raw))
    v = manifest.verify_package(pkg)
    assert not v.ok
    assert v.problems == ["changed file (size or SHA-256 differs): jsonfg/pipemap_point.json"]


def test_missing_and_extra_files_are_refused(good_package, tmp_path):
    folder, _, _ = good_package
    pkg = copy_of(folder, tmp_path)
    (pkg / "gpkg" / "pipemap.gpkg").unlink()
    (pkg / "jsonfg" / "notes.txt").write_text("added later")
    v = manifest.verify_package(pkg)
    assert not v.ok
    assert "missing file: gpkg/pipemap.gpkg" in v.problems
    assert "file not in the manifest: jsonfg/notes.txt" in v.problems
    assert len(v.problems) == 2


def test_symlinks_are_refused(good_package, tmp_path):
    folder, _, _ = good_package
    pkg = copy_of(folder, tmp_path)
    outside = tmp_path / "outside.txt"
    outside.write_text("secret")
    os.symlink(outside, pkg / "jsonfg" / "link.json")
    v = manifest.verify_package(pkg)
    assert not v.ok and "symbolic link in the package: jsonfg/link.json" in v.problems
    # a listed file replaced by a link to an identical copy is refused too
    pkg2 = tmp_path / "copy2"
    shutil.copytree(folder, pkg2)
    real = pkg2 / "jsonfg" / "pipemap_point.json"
    keep = tmp_path / "elsewhere.json"
    shutil.move(real, keep)
    os.symlink(keep, real)
    v = manifest.verify_package(pkg2)
    assert not v.ok and "symbolic link in the package: jsonfg/pipemap_point.json" in v.problems


def rezip(src, dst, extra=(), drop=(), change=None):
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            if info.filename in drop:
                continue
            data = zin.read(info)
            if change and info.filename == change:
                data = data[:-2] + bytes([data[-2] ^ 1]) + data[-1:]
            zout.writestr(info, data)
        for item in extra:  # a name or a ZipInfo
            zout.writestr(item, b"x")
    return dst


def test_zip_tampering_is_refused(good_package, tmp_path):
    _, zpath, _ = good_package
    v = manifest.verify_package(rezip(zpath, tmp_path / "changed.zip", change="jsonfg/pipemap_segment.json"))
    assert v.problems == ["changed file (SHA-256 differs): jsonfg/pipemap_segment.json"]
    v = manifest.verify_package(rezip(zpath, tmp_path / "missing.zip", drop={"gpkg/pipemap.gpkg"}))
    assert v.problems == ["missing file: gpkg/pipemap.gpkg"]
    v = manifest.verify_package(rezip(zpath, tmp_path / "extra.zip", extra=["gpkg/readme.txt"]))
    assert v.problems == ["file not in the manifest: gpkg/readme.txt"]


@pytest.mark.parametrize("member", ["../x", "/abs", "gpkg/../../x", "C:/x", "a\\..\\x"])
def test_unsafe_zip_members_are_refused(good_package, tmp_path, member):
    _, zpath, _ = good_package
    bad = rezip(zpath, tmp_path / "unsafe.zip", extra=[member])
    v = manifest.verify_package(bad)
    assert not v.ok
    assert f"unsafe path in the zip: {member!r}" in v.problems


def test_symlink_member_in_a_zip_is_refused(good_package, tmp_path):
    _, zpath, _ = good_package
    link = zipfile.ZipInfo("jsonfg/link.json")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    v = manifest.verify_package(rezip(zpath, tmp_path / "link.zip", extra=[link]))
    assert not v.ok and "symbolic link in the zip: jsonfg/link.json" in v.problems


def test_unsafe_paths_in_the_manifest_are_refused(good_package, tmp_path):
    folder, _, _ = good_package
    pkg = copy_of(folder, tmp_path)
    m = json.loads((pkg / "manifest.json").read_text(encoding="utf-8"))
    m["files"].append({"path": "../../etc/passwd", "bytes": 1, "sha256": "0" * 64})
    (pkg / "manifest.json").write_text(json.dumps(m), encoding="utf-8")
    v = manifest.verify_package(pkg)
    assert not v.ok and v.problems == ["unsafe path in the manifest: '../../etc/passwd'"]


def test_not_a_package(tmp_path):
    with pytest.raises(InputError, match="no manifest.json at its top"):
        manifest.verify_package(tmp_path)
    (tmp_path / "manifest.json").write_text("{broken", encoding="utf-8")
    with pytest.raises(InputError, match="not valid UTF-8 JSON"):
        manifest.verify_package(tmp_path)
    (tmp_path / "manifest.json").write_text('{"files": []}', encoding="utf-8")
    with pytest.raises(InputError, match="not a PipeMap manifest"):
        manifest.verify_package(tmp_path)
    other = tmp_path / "x.txt"
    other.write_text("hello")
    with pytest.raises(InputError, match="neither a package folder nor a zip file"):
        manifest.verify_package(other)
    with pytest.raises(InputError, match="neither a package folder nor a zip file"):
        manifest.verify_package(tmp_path / "does-not-exist")
