"""``manifest.json`` of a share package: what is in it, and a check that it is intact.

The manifest lists every file of the package (path relative to the package,
size, SHA-256), the CRS, height datum, Z convention, accuracy, feature counts
per layer and category, the sharing profile, the software version and the
time. :func:`verify_package` recomputes every hash and refuses a package with
a changed, missing or extra file, or a path that leaves the package.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import InputError

MANIFEST = "manifest.json"
MANIFEST_VERSION = 1
#: a manifest larger than this is not one of ours
MAX_MANIFEST_BYTES = 20_000_000


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while True:
            block = fh.read(chunk)
            if not block:
                break
            h.update(block)
    return h.hexdigest()


def file_entries(folder: Path) -> list[dict[str, Any]]:
    """Every regular file under ``folder`` (except the manifest), sorted, with size and SHA-256."""
    out = []
    for p in sorted(folder.rglob("*")):
        if p.is_symlink():
            raise InputError("The package folder {path} contains a symbolic link; a package holds files only.",
                             code="export.symlink", path=str(p))
        if not p.is_file():
            continue
        rel = p.relative_to(folder).as_posix()
        if rel == MANIFEST:
            continue
        out.append({"path": rel, "bytes": p.stat().st_size, "sha256": sha256_file(p)})
    return out


def build_manifest(folder: Path, *, software: str, created_at: str, description: dict[str, Any],
                   formats: list[str], counts: dict[str, dict[str, int]], profile: dict[str, Any],
                   removed: dict[str, int], filters: dict[str, Any], warnings: list[str]) -> dict[str, Any]:
    return {
        "pipemap_manifest": MANIFEST_VERSION,
        "software": software,
        "created_at": created_at,
        "profile": profile,
        "formats": formats,
        "crs": description.get("crs"),
        "height_datum": description.get("height_datum"),
        "z_convention": description.get("z_convention"),
        "accuracy": description.get("accuracy"),
        "source_map": description.get("source_map"),
        "counts": counts,
        "removed": removed,
        "filters": filters,
        "warnings": warnings,
        "files": file_entries(folder),
    }


def write_manifest(folder: Path, manifest: dict[str, Any]) -> Path:
    path = folder / MANIFEST
    path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


@dataclass
class Verification:
    package: str
    ok: bool = True
    checked: int = 0
    problems: list[str] = field(default_factory=list)
    manifest: dict[str, Any] = field(default_factory=dict)

    def fail(self, text: str) -> None:
        self.ok = False
        self.problems.append(text)


def _safe_member(name: str) -> bool:
    p = PurePosixPath(name)
    return bool(name) and not p.is_absolute() and ".." not in p.parts and "\\" not in name and ":" not in name


def _load_manifest(raw: bytes, where: str) -> dict[str, Any]:
    if len(raw) > MAX_MANIFEST_BYTES:
        raise InputError("{path}: manifest.json is too large to be a PipeMap manifest.", code="verify.too_large",
                         path=where)
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:  # RecursionError: "[[[[..." nesting
        raise InputError("{path}: manifest.json is not valid UTF-8 JSON: {reason}", code="verify.bad_manifest",
                         path=where, reason=str(exc)[:200]) from None
    if not isinstance(data, dict) or data.get("pipemap_manifest") != MANIFEST_VERSION \
            or not isinstance(data.get("files"), list):
        raise InputError("{path}: manifest.json is not a PipeMap manifest (version {version}).",
                         code="verify.bad_manifest", path=where, version=MANIFEST_VERSION)
    return data


def verify_package(path: str | os.PathLike[str]) -> Verification:
    """Check a share package (folder or .zip) against its manifest.

    :raises InputError: when there is no readable manifest at all.
    :returns: the verification; ``ok`` is False with one problem per changed,
        missing, extra or unsafe file.
    """
    p = Path(path)
    result = Verification(str(p))
    if p.is_dir():
        mpath = p / MANIFEST
        if not mpath.is_file():
            raise InputError("{path} has no manifest.json at its top: it is not a PipeMap share package.",
                             code="verify.no_manifest", path=str(p))
        manifest = _load_manifest(mpath.read_bytes(), str(p))
        listed = {}
        for entry in manifest["files"]:
            name = str(entry.get("path", "")) if isinstance(entry, dict) else ""
            if not _safe_member(name):
                result.fail(f"unsafe path in the manifest: {name!r}")
                continue
            listed[name] = entry
        actual = {}
        for f in sorted(p.rglob("*")):
            rel = f.relative_to(p).as_posix()
            if f.is_symlink():
                result.fail(f"symbolic link in the package: {rel}")
                continue
            if f.is_file() and rel != MANIFEST:
                actual[rel] = f
        for name, entry in listed.items():
            f = actual.get(name)
            if f is None:
                result.fail(f"missing file: {name}")
                continue
            result.checked += 1
            if f.stat().st_size != entry.get("bytes") or sha256_file(f) != entry.get("sha256"):
                result.fail(f"changed file (size or SHA-256 differs): {name}")
        for name in sorted(set(actual) - set(listed)):
            result.fail(f"file not in the manifest: {name}")
    elif p.is_file() and zipfile.is_zipfile(p):
        try:
            manifest = _verify_zip(p, result)
        except _ZIP_ERRORS as exc:  # a damaged, encrypted or truncated zip
            raise InputError("{path} is a damaged zip file: {reason}", code="verify.bad_zip", path=str(p),
                             reason=str(exc)[:200] or type(exc).__name__) from None
    else:
        raise InputError("{path} is neither a package folder nor a zip file.", code="verify.not_package",
                         path=str(p))
    result.manifest = manifest
    return result


#: what reading a damaged, encrypted or truncated zip raises
_ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, OSError, ValueError, RuntimeError,
               NotImplementedError)


def _verify_zip(p: Path, result: Verification) -> dict[str, Any]:
    """The zip half of :func:`verify_package`; returns the manifest."""
    with zipfile.ZipFile(p) as zf:
        infos = zf.infolist()
        names = [i.filename for i in infos]
        for name in sorted(n for n, k in Counter(names).items() if k > 1):
            result.fail(f"the zip holds {name!r} more than once (which copy is the package's?)")
        for info in infos:
            if not _safe_member(info.filename):
                result.fail(f"unsafe path in the zip: {info.filename!r}")
            elif stat.S_ISLNK(info.external_attr >> 16):
                result.fail(f"symbolic link in the zip: {info.filename}")
        top = MANIFEST if MANIFEST in names else next(
            (n for n in names if n.count("/") == 1 and n.endswith("/" + MANIFEST)), None)
        if top is None:
            raise InputError("{path} has no manifest.json at its top: it is not a PipeMap share package.",
                             code="verify.no_manifest", path=str(p))
        prefix = top[: -len(MANIFEST)]
        info = zf.getinfo(top)
        if info.file_size > MAX_MANIFEST_BYTES:
            raise InputError("{path}: manifest.json is too large to be a PipeMap manifest.",
                             code="verify.too_large", path=str(p))
        manifest = _load_manifest(zf.read(top), str(p))
        # (ZipInfo.is_dir() fails on an empty name: test the name itself)
        members = {i.filename[len(prefix):]: i for i in infos
                   if i.filename.startswith(prefix) and not i.filename.endswith("/") and i.filename != top}
        for i in infos:
            if not i.filename.startswith(prefix) and not i.filename.endswith("/"):
                result.fail(f"file outside the package folder {prefix!r}: {i.filename!r}")
        listed = {}
        for entry in manifest["files"]:
            name = str(entry.get("path", "")) if isinstance(entry, dict) else ""
            if not _safe_member(name):
                result.fail(f"unsafe path in the manifest: {name!r}")
                continue
            listed[name] = entry
        for name, entry in listed.items():
            info = members.get(name)
            if info is None:
                result.fail(f"missing file: {name}")
                continue
            result.checked += 1
            if info.file_size != entry.get("bytes"):
                result.fail(f"changed file (size differs): {name}")
                continue
            h = hashlib.sha256()
            try:
                with zf.open(info) as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        h.update(block)
            except _ZIP_ERRORS as exc:
                result.fail(f"unreadable file (damaged, encrypted or an unknown compression): {name} ({exc})")
                continue
            if h.hexdigest() != entry.get("sha256"):
                result.fail(f"changed file (SHA-256 differs): {name}")
        for name in sorted(set(members) - set(listed)):
            result.fail(f"file not in the manifest: {name}")
    return manifest
