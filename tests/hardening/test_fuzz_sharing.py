"""Fuzzing the sharing side: sharing profiles and share-package verification (issue 10, point 1).

* Sharing profiles (``core.export.profiles``): JSON documents with the known
  keys holding drawn values (wrong types, unknown codes, NaN/huge precision,
  deep nesting), and arbitrary text.
* Share packages (``core.export.manifest.verify_package``): a valid package
  (folder or zip, built with the package's own manifest writer) is changed:
  a file edited, added or removed, the manifest garbled, member names made
  hostile, zip bytes flipped or cut. Besides "a Verification or a
  PipeMapError naming the package", the integrity promise is checked: a
  package that was changed never verifies as intact.
"""

from __future__ import annotations

import json
import os
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipemap.core.export import manifest as mf
from pipemap.core.export import profiles as sp

pytestmark = pytest.mark.fuzz


def _settings(fraction: float) -> settings:
    return settings(max_examples=max(5, int(settings.default.max_examples * fraction)), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


JSON = st.recursive(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                              st.text(max_size=8)),
                    lambda inner: st.one_of(st.lists(inner, max_size=4),
                                            st.dictionaries(st.text(max_size=6), inner, max_size=4)),
                    max_leaves=10)
CODES = st.lists(st.one_of(st.sampled_from(["JS", "RQ", "GY", "XX", "public", "internal", "restricted", "secret",
                                            "pipe_segment", "pipe_point", "gpr_pick", "owner_contact", "seg_id"]),
                           st.text(max_size=5)), max_size=4)
VALUE_FOR = {
    "name": st.one_of(st.sampled_from(["planning", "", "  ", "公开"]), JSON),
    "title": st.one_of(st.dictionaries(st.sampled_from(["en", "zh_CN"]), st.text(max_size=10)), JSON),
    "categories": st.one_of(st.fixed_dictionaries({}, optional={"allow": CODES, "deny": CODES}), JSON),
    "sensitivity": st.one_of(CODES, JSON),
    "fields": st.one_of(st.fixed_dictionaries({}, optional={"allow": CODES, "deny": CODES}), JSON),
    "layer_fields": st.one_of(st.dictionaries(st.sampled_from(["pipe_point", "pipe_segment", "roads"]),
                                              st.fixed_dictionaries({}, optional={"allow": CODES, "deny": CODES})),
                              JSON),
    "owner_contacts": st.one_of(st.booleans(), JSON),
    "precision_m": st.one_of(st.sampled_from([0, 0.5, -1, 1e9, 10000, 10000.0001, True]),
                             st.floats(allow_nan=True, allow_infinity=True), JSON),
    "layers": st.one_of(CODES, JSON),
}


@st.composite
def profile_doc(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 9)) == 0:
        return draw(JSON)
    doc = {"name": "fuzz"}
    for key in draw(st.lists(st.sampled_from(sorted(VALUE_FOR) + ["unknown_key"]), max_size=5, unique=True)):
        doc[key] = draw(VALUE_FOR.get(key, JSON))
    return doc


@_settings(1.0)
@given(doc=profile_doc())
def test_fuzz_sharing_profile(doc: Any, harness: Any) -> None:
    path = harness.example_dir() / "profile.json"
    path.write_text(json.dumps(doc, ensure_ascii=False, allow_nan=True), encoding="utf-8")
    outcome = harness.attempt("share.profile", lambda: sp.load_profile(path), [path])
    if outcome.kind == "ok":
        prof = outcome.value
        assert prof.name.strip()
        assert 0 <= prof.precision_m <= 10000
        assert prof.field_allowed("pipe_segment", "seg_id"), "a profile removed a required field"


@_settings(0.5)
@given(text=st.one_of(st.text(max_size=200), st.sampled_from(["[" * 50000, '{"a":' * 50000, "\ufeff{}", "null",
                                                               '"' + "x" * 2_000_000 + '"'])))
def test_fuzz_sharing_profile_text(text: str, harness: Any) -> None:
    path = harness.example_dir() / "profile.json"
    path.write_text(text, encoding="utf-8")
    harness.attempt("share.profile_text", lambda: sp.load_profile(path), [path])


# --- share packages -----------------------------------------------------------------------------------------

FILES = {"gpkg/map.gpkg": b"SQLite format 3\x00" + bytes(200), "csv/points.csv": "点号,X\nJS1,1\n".encode(),
         "readme.txt": b"PipeMap share package\n"}
HOSTILE_NAMES = ["../evil.txt", "/etc/passwd", "a/../../b", "C:\\win.ini", "c:x", "a\\b", "", ".", "a//b", "./a",
                 "manifest.json/x", "\x00", "x" * 300, "dir/"]


def _build(folder: Path) -> None:
    for rel, data in FILES.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_bytes(data)
    manifest = mf.build_manifest(folder, software="PipeMap test", created_at="2024-01-01T00:00:00+00:00",
                                 description={"crs": "EPSG:4547"}, formats=["gpkg", "csv"], counts={}, profile={},
                                 removed={}, filters={}, warnings=[])
    mf.write_manifest(folder, manifest)


@st.composite
def package_change(draw: st.DrawFn) -> dict[str, Any]:
    return {
        "zip": draw(st.booleans()),
        "changes": draw(st.lists(st.sampled_from(["edit", "add", "remove", "manifest_entry", "manifest_json",
                                                  "hostile_member", "symlink", "flip", "cut", "dir"]),
                                 max_size=3)),
        "entry": draw(st.fixed_dictionaries({}, optional={"path": st.one_of(st.sampled_from(HOSTILE_NAMES),
                                                                           st.sampled_from(sorted(FILES)), JSON),
                                                          "bytes": st.one_of(st.integers(), JSON),
                                                          "sha256": st.one_of(st.text(max_size=64), JSON)})),
        "manifest": draw(st.one_of(JSON, st.sampled_from(["", "[" * 10000, "\xff", "{}"]))),
        "member": draw(st.sampled_from(HOSTILE_NAMES)),
        "flip": draw(st.tuples(st.integers(0, 10**6), st.integers(0, 255))),
        "cut": draw(st.integers(0, 10**6)),
        "prefix": draw(st.sampled_from(["", "pkg/"])),
    }


def _zip(folder: Path, target: Path, prefix: str, extra: list[tuple[zipfile.ZipInfo, bytes]]) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file() and not p.is_symlink():
                zf.write(p, prefix + p.relative_to(folder).as_posix())
        for info, data in extra:
            zf.writestr(info, data)


def _found(changes: list[str], **kw: Any) -> dict[str, Any]:
    case = {"zip": True, "changes": changes, "entry": {}, "manifest": "", "member": "x", "flip": (0, 0), "cut": 0,
            "prefix": ""}
    case.update(kw)
    return case


@_settings(0.5)
@given(case=package_change())
# found: a member with an empty name (zip names end at NUL) crashed verification (ZipInfo.is_dir)
@example(case=_found(["hostile_member"], member="\x00"))
# found: a file outside the package folder of a zip did not count as a change
@example(case=_found(["hostile_member"], member="", prefix="pkg/"))
# found: a deeply nested manifest raised RecursionError
@example(case=_found(["manifest_json"], zip=False, manifest="[" * 10000))
def test_fuzz_verify_package(case: dict[str, Any], harness: Any) -> None:
    root = harness.example_dir()
    folder = root / "package"
    folder.mkdir()
    _build(folder)
    changed = False
    extra: list[tuple[zipfile.ZipInfo, bytes]] = []
    for change in case["changes"]:
        if change == "edit":
            (folder / "readme.txt").write_bytes(b"tampered\n")
        elif change == "add":
            (folder / "csv" / "extra.csv").write_bytes(b"a,b\n")
        elif change == "remove":
            (folder / "csv" / "points.csv").unlink(missing_ok=True)
        elif change == "manifest_entry":
            try:
                data = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
                data["files"].append(case["entry"])
            except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
                continue  # the manifest was replaced by a garbled one already
            (folder / "manifest.json").write_text(json.dumps(data), encoding="utf-8")
        elif change == "manifest_json":
            text = case["manifest"] if isinstance(case["manifest"], str) else json.dumps(case["manifest"])
            (folder / "manifest.json").write_bytes(text.encode("utf-8", errors="surrogateescape"))
        elif change == "hostile_member":
            info = zipfile.ZipInfo(case["member"] or "x")
            extra.append((info, b"payload"))
        elif change == "symlink":
            link = folder / "link.txt"
            if not link.exists() and not link.is_symlink():
                os.symlink("/etc/hostname", link)
            info = zipfile.ZipInfo("link.txt")
            info.external_attr = (0o120777 << 16)
            extra.append((info, b"/etc/hostname"))
        elif change == "dir":
            (folder / "empty_dir").mkdir(exist_ok=True)
        # flips and cuts may hit bytes that carry no content (time stamps, padding): not a change of the data
        changed = changed or change not in ("flip", "cut", "dir", "hostile_member")
    # (an extra directory entry with a safe name adds no file: not a change of the package's content)
    changed = changed or case["zip"] and any(not i.filename.endswith("/") or ".." in i.filename for i, _ in extra)
    names = [folder]
    if case["zip"]:
        target = root / "package.zip"
        _zip(folder, target, case["prefix"], extra)
        shutil.rmtree(folder)
        data = bytearray(target.read_bytes())
        if "flip" in case["changes"]:
            at, value = case["flip"]
            data[at % len(data)] = value
        if "cut" in case["changes"]:
            data = data[:case["cut"] % (len(data) + 1)]
        target.write_bytes(bytes(data))
        names = [target]
    else:
        target = folder
    outcome = harness.attempt("share.verify", lambda: mf.verify_package(target), names)
    if outcome.kind == "ok" and changed:
        assert not outcome.value.ok, f"a changed package verified as intact: {case['changes']}"
    if outcome.kind == "ok" and not case["changes"]:
        assert outcome.value.ok, outcome.value.problems
