"""Hostile zip files (issue 10, point 2): share packages and zipped spreadsheets.

``verify_package`` never extracts; it must still flag every member a user's
unzip tool could turn against them (``..``, absolute paths, drive letters,
backslashes, symbolic links, duplicate names, files outside the package
folder), survive damaged and lying archives, and stay within bounded time and
memory on an archive with 10,000 members or a member that inflates to
100 MB. The survey importer accepts zips too (XLSX/ODS are zips): a
zip bomb and a spreadsheet with hostile member names are checked there.
"""

from __future__ import annotations

import hashlib
import json
import struct
import zipfile
from pathlib import Path
from typing import Any

import pytest

from pipemap.core.export import manifest as mf
from pipemap.core.survey import importer, tables


def _package(folder: Path, files: dict[str, bytes]) -> dict[str, Any]:
    entries = [{"path": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
               for name, data in sorted(files.items())]
    return {"pipemap_manifest": mf.MANIFEST_VERSION, "files": entries}


def _zip(target: Path, members: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for info, data in members:
            zf.writestr(info, data)
    return target


GOOD = {"readme.txt": b"PipeMap share package\n", "csv/points.csv": b"point_id,x\nJS1,1\n"}


def _symlink_member(name: str, target: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.external_attr = (0o120777 << 16)
    info.create_system = 3
    return info


HOSTILE = {
    "dotdot": ("../evil.txt", "unsafe path"),
    "deep_dotdot": ("csv/../../evil.txt", "unsafe path"),
    "absolute": ("/tmp/evil.txt", "unsafe path"),
    "drive_letter": ("C:/evil.txt", "unsafe path"),
    "backslash": ("..\\evil.txt", "unsafe path"),
    "symlink": (None, "symbolic link"),
    "duplicate": ("readme.txt", "more than once"),
    "outside_folder": (None, "outside the package folder"),
}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_member_is_flagged(case: str, harness: Any, tmp_path: Path) -> None:
    name, expected = HOSTILE[case]
    prefix = "pkg/" if case == "outside_folder" else ""
    members: list[tuple[zipfile.ZipInfo | str, bytes]] = [
        (prefix + "manifest.json", json.dumps(_package(tmp_path, GOOD)).encode())]
    members += [(prefix + n, d) for n, d in GOOD.items()]
    if case == "symlink":
        members.append((_symlink_member("link.txt", "/etc/passwd"), b"/etc/passwd"))
    elif case == "outside_folder":
        members.append(("evil.txt", b"not in the package"))
    else:
        members.append((name, b"tampered"))
    target = tmp_path / "share.zip"
    with pytest.warns(UserWarning) if case == "duplicate" else _nothing():
        _zip(target, members)
    before = harness.tree_state(tmp_path)
    out = harness.attempt(f"hostile.zip.{case}", lambda: mf.verify_package(target), [target], seconds=10,
                          alloc_mb=32)
    assert out.kind == "ok" and not out.value.ok, f"{case}: the package verified as intact"
    assert any(expected in problem for problem in out.value.problems), out.value.problems
    assert harness.tree_state(tmp_path) == before, "verification wrote files"
    assert not Path("/tmp/evil.txt").exists()


class _nothing:  # noqa: N801 - a do-nothing context manager
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def test_many_members_in_bounded_time(harness: Any, tmp_path: Path) -> None:
    files = {f"csv/{i:05d}.csv": b"x" for i in range(10_000)}
    target = tmp_path / "many.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as zf:
        zf.writestr("manifest.json", json.dumps(_package(tmp_path, files)))
        for name, data in files.items():
            zf.writestr(name, data)
    out = harness.attempt("hostile.zip.many_members", lambda: mf.verify_package(target), [target], seconds=60,
                          alloc_mb=256)
    assert out.kind == "ok" and out.value.ok and out.value.checked == 10_000
    harness.record_faults("hostile.zip.many_members", 1, members=10_000, seconds=round(out.seconds, 2),
                          alloc_mb=round(out.peak_mb, 1))


def test_inflating_member_is_hashed_in_bounded_memory(harness: Any, tmp_path: Path) -> None:
    size = 100 * 1024**2  # 100 MB of zeros: about 100 KB compressed
    target = tmp_path / "bomb.zip"
    digest = hashlib.sha256()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open("gpkg/map.gpkg", "w", force_zip64=True) as fh:
            block = bytes(1 << 20)
            for _ in range(size >> 20):
                fh.write(block)
                digest.update(block)
        zf.writestr("manifest.json", json.dumps({"pipemap_manifest": 1, "files": [
            {"path": "gpkg/map.gpkg", "bytes": size, "sha256": digest.hexdigest()}]}))
    assert target.stat().st_size < 1024**2
    out = harness.attempt("hostile.zip.inflating", lambda: mf.verify_package(target), [target], seconds=60,
                          alloc_mb=32)
    assert out.kind == "ok" and out.value.ok
    harness.record_faults("hostile.zip.inflating_member", 1, unpacked_mb=size >> 20,
                          packed_kb=target.stat().st_size >> 10, seconds=round(out.seconds, 2),
                          alloc_mb=round(out.peak_mb, 1))


def test_member_lying_about_its_size(harness: Any, tmp_path: Path) -> None:
    """The directory says 10 bytes; the data inflate to 1 MB: reading stops at 10, the hash differs."""
    data = bytes(1 << 20)
    target = _zip(tmp_path / "liar.zip", [("manifest.json", json.dumps({"pipemap_manifest": 1, "files": [
        {"path": "a.bin", "bytes": 10, "sha256": hashlib.sha256(data[:10]).hexdigest()}]}).encode()),
        ("a.bin", data)])
    raw = bytearray(target.read_bytes())
    # patch the uncompressed size in the central directory and the local header of a.bin
    central = raw.rfind(b"PK\x01\x02")
    struct.pack_into("<I", raw, central + 24, 10)
    local = raw.find(b"PK\x03\x04", raw.find(b"a.bin") - 40)
    struct.pack_into("<I", raw, local + 22, 10)
    target.write_bytes(bytes(raw))
    out = harness.attempt("hostile.zip.liar", lambda: mf.verify_package(target), [target], seconds=10, alloc_mb=32)
    assert out.kind == "refused" or not out.value.ok, "a member lying about its size verified as intact"


@pytest.mark.parametrize("damage", ["truncated", "central_directory", "encrypted_flag", "method_99"])
def test_damaged_zip_is_refused_cleanly(damage: str, harness: Any, tmp_path: Path) -> None:
    target = _zip(tmp_path / "share.zip", [("manifest.json", json.dumps(_package(tmp_path, GOOD)).encode()),
                                           *GOOD.items()])
    raw = bytearray(target.read_bytes())
    member = raw.find(b"PK\x01\x02", raw.find(b"PK\x01\x02") + 4)  # the second member's directory entry
    if damage == "truncated":
        raw = raw[:len(raw) - 30]
    elif damage == "central_directory":
        raw[member + 46:member + 52] = b"\xff" * 6
    elif damage == "encrypted_flag":
        struct.pack_into("<H", raw, member + 8, 1)
    else:
        struct.pack_into("<H", raw, member + 10, 99)
    target.write_bytes(bytes(raw))
    out = harness.attempt(f"hostile.zip.{damage}", lambda: mf.verify_package(target), [target], seconds=10,
                          alloc_mb=32)
    assert out.kind == "refused" or not out.value.ok


def test_package_folder_with_symlinks(harness: Any, tmp_path: Path) -> None:
    folder = tmp_path / "pkg"
    (folder / "csv").mkdir(parents=True)
    for name, data in GOOD.items():
        (folder / name).write_bytes(data)
    (folder / "manifest.json").write_text(json.dumps(_package(folder, GOOD)), encoding="utf-8")
    (folder / "passwd").symlink_to("/etc/passwd")
    (folder / "csv" / "loop").symlink_to(folder)  # a directory loop
    out = harness.attempt("hostile.zip.folder_symlinks", lambda: mf.verify_package(folder), [folder], seconds=10,
                          alloc_mb=32)
    assert out.kind == "ok" and not out.value.ok
    assert sum("symbolic link" in p for p in out.value.problems) == 2, out.value.problems


# --- zips the survey importer accepts: XLSX / ODS --------------------------------------------------------

def test_spreadsheet_zip_bomb_is_refused(harness: Any, tmp_path: Path, empty_map: Path) -> None:
    folder = tmp_path / "tables"
    folder.mkdir()
    target = harness.make_xlsx(folder / "JSPoint.xlsx", ["图上点号", "X", "Y", "JS1", "1", "2"], [[0, 1, 2], [3, 4, 5]])
    with zipfile.ZipFile(target, "a", compression=zipfile.ZIP_DEFLATED) as zf:
        with zf.open("xl/media/padding.xml", "w", force_zip64=True) as fh:
            block = b"<x/>" * (1 << 18)
            for _ in range(300):  # 300 MB
                fh.write(block)
    out = harness.attempt("hostile.zip.xlsx_bomb", lambda: tables.read_table(target), [target], seconds=10,
                          alloc_mb=32)
    assert out.kind == "refused" and out.error.code == "table.too_big"
    the_map = harness.copy(empty_map, tmp_path, "map.gpkg")
    out = harness.attempt("hostile.zip.xlsx_bomb", lambda: importer.import_survey(the_map, folder), [target],
                          seconds=10, alloc_mb=64)
    assert out.kind == "refused"


def test_spreadsheet_with_hostile_member_names_writes_nothing(harness: Any, tmp_path: Path) -> None:
    folder = tmp_path / "inner" / "tables"
    folder.mkdir(parents=True)
    target = harness.make_xlsx(folder / "JSPoint.xlsx", ["图上点号", "X", "Y", "JS1", "1", "2"], [[0, 1, 2], [3, 4, 5]],
                               extra={"../../evil.txt": b"x", "/tmp/pipemap-evil.txt": b"x"})
    before = harness.tree_state(tmp_path)
    out = harness.attempt("hostile.zip.xlsx_names", lambda: tables.read_table(target), [target], seconds=10,
                          alloc_mb=32)
    assert harness.tree_state(tmp_path) == before
    assert not Path("/tmp/pipemap-evil.txt").exists()
    if out.kind == "ok":
        assert out.value.rows == [["JS1", "1", "2"]]
