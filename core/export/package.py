"""Build a share package atomically: temp folder, one sub-folder per format, manifest, rename.

A failed or cancelled export removes its temporary folder and leaves the
target as it was; an existing target is replaced only when asked
(``overwrite``) and only after the new package is complete.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CancelledError, InputError, OutputError, PipeMapError
from ..progress import NullProgress, Progress, check_cancel
from ..version import __version__
from . import formats as fmt
from .manifest import build_manifest, write_manifest
from .model import MapData, now_utc


@dataclass
class ExportResult:
    path: Path
    files: list[Path]
    manifest: dict[str, Any]
    warnings: list[str] = field(default_factory=list)


class _Span:
    """Progress of one part of a longer job, mapped into [lo, hi] of the whole."""

    def __init__(self, outer: Progress, lo: float, hi: float, warnings: list[str]) -> None:
        self.outer, self.lo, self.hi, self.warnings_ = outer, lo, hi, warnings

    def report(self, fraction: float, message: str = "") -> None:
        self.outer.report(self.lo + (self.hi - self.lo) * min(max(fraction, 0.0), 1.0), message)

    def cancelled(self) -> bool:
        return self.outer.cancelled()

    def info(self, message: str) -> None:
        self.outer.info(message)

    def warning(self, message: str) -> None:
        self.warnings_.append(message)
        self.outer.warning(message)


def _check_target(out: Path, overwrite: bool) -> None:
    if not out.parent.is_dir():
        raise OutputError("Cannot write {path}: the folder {folder} does not exist.", code="output.no_folder",
                          path=str(out), folder=str(out.parent))
    if out.is_dir() and not out.is_symlink() and out.suffix.lower() != ".zip" and not any(out.iterdir()):
        return  # an empty folder (e.g. just made in a folder picker) is filled without asking
    if out.exists() or out.is_symlink():
        if not overwrite:
            raise OutputError("{path} already exists; choose another name or allow overwriting.",
                              code="export.exists", path=str(out))
        if out.is_symlink() or (out.is_dir() and out.suffix.lower() == ".zip") or \
                (out.is_file() and out.suffix.lower() != ".zip"):
            raise OutputError("{path} exists and is not a share package of the same kind; it is left alone.",
                              code="export.exists_other", path=str(out))
        if out.is_dir() and any(out.iterdir()) and not (out / "manifest.json").is_file():
            raise OutputError("{path} is a folder with other files in it (no manifest.json): PipeMap will not "
                              "replace it.", code="export.exists_other", path=str(out))


def _zip_folder(folder: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(folder).as_posix())


def _replace(tmp: Path, out: Path) -> None:
    """Move the finished ``tmp`` (file or folder) to ``out``, replacing an old package only now."""
    if not out.exists():
        os.replace(tmp, out)
        return
    if out.is_file():
        os.replace(tmp, out)
        return
    backup = out.parent / f".{out.name}.old-{os.getpid()}"
    os.replace(out, backup)
    try:
        os.replace(tmp, out)
    except OSError:
        os.replace(backup, out)
        raise
    shutil.rmtree(backup, ignore_errors=True)


def export_package(data: MapData, formats: Sequence[str], output: str | os.PathLike[str], *,
                   options: fmt.ExportOptions | None = None, overwrite: bool = False,
                   filters: dict[str, Any] | None = None, progress: Progress | None = None) -> ExportResult:
    """Write ``data`` in each of ``formats`` into the share package ``output``.

    ``output`` is a folder, or a ``.zip`` file holding the same folder's content.
    """
    progress = progress or NullProgress()
    options = options or fmt.ExportOptions()
    keys = list(dict.fromkeys(formats))
    if not keys:
        raise InputError("Choose at least one export format.", code="export.no_format")
    specs = [fmt.spec(k) for k in keys]
    out = Path(output).absolute()  # the writers' files are checked against it as resolved paths
    _check_target(out, overwrite)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.part-", dir=out.parent))
    except OSError as exc:
        raise OutputError("Cannot write in the folder {folder}: {reason}", code="output.unwritable",
                          folder=str(out.parent), reason=exc.strerror or str(exc)) from None
    warnings: list[str] = []
    written: list[Path] = []
    tmp_zip: Path | None = None
    try:
        n = len(specs)
        for k, spec in enumerate(specs):
            check_cancel(progress)
            progress.info(f"{spec.key}: {spec.label_en}")
            sub = tmp / spec.key
            sub.mkdir()
            span = _Span(progress, 0.9 * k / n, 0.9 * (k + 1) / n, warnings)
            try:
                files = fmt.writer(spec.key)(data, sub, options, span)
            except (PipeMapError, MemoryError):
                raise
            except ImportError as exc:
                raise InputError("The {format} export needs the Python package {package}: {reason}",
                                 code="export.dependency", format=spec.key,
                                 package=", ".join(spec.needs) or "?", reason=str(exc)) from None
            except OSError as exc:
                raise OutputError("Writing the {format} export failed: {reason}", code="export.io",
                                  format=spec.key, reason=exc.strerror or str(exc)) from None
            for f in files:
                if tmp.resolve() not in Path(f).resolve().parents:
                    raise OutputError("The {format} writer wrote outside its package folder ({path}).",
                                      code="export.escape", format=spec.key, path=str(f))
            written.extend(Path(f) for f in files)
        check_cancel(progress)
        progress.report(0.92, "manifest")
        manifest = build_manifest(
            tmp, software=f"PipeMap {__version__}", created_at=now_utc(), description=data.describe(),
            formats=keys, counts=data.counts(), profile=data.profile.describe(), removed=data.removed,
            filters=filters or {}, warnings=warnings)
        write_manifest(tmp, manifest)
        check_cancel(progress)
        if out.suffix.lower() == ".zip":
            fd, name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".part.zip", dir=out.parent)
            os.close(fd)
            tmp_zip = Path(name)
            _zip_folder(tmp, tmp_zip)
            check_cancel(progress)
            _replace(tmp_zip, out)
            tmp_zip = None
            shutil.rmtree(tmp, ignore_errors=True)
            final_files = [out]
        else:
            _replace(tmp, out)
            final_files = [out / p.relative_to(tmp) for p in written] + [out / "manifest.json"]
        progress.report(1.0)
        return ExportResult(out, final_files, manifest, warnings)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if tmp_zip is not None:
            with contextlib.suppress(OSError):
                tmp_zip.unlink()
        raise


__all__ = ["export_package", "ExportResult", "CancelledError"]
