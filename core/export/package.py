"""Build a share package atomically: temp folder, one sub-folder per format, manifest, rename.

A failed or cancelled export removes its temporary folder and leaves the
target as it was; an existing target is replaced only when asked
(``overwrite``) and only after the new package is complete. A failure names
the package being written (never the hidden temporary folder).

A process killed while exporting (SIGKILL, power loss) cannot clean up: it
leaves a hidden ``.NAME.part-XXXXXXXX`` folder (and for a ``.zip`` package a
``.STEM.XXXXXXXX.part.zip``) beside the output. The next export of the same
output removes those of that output that have not changed for
:data:`~pipemap.core.mapfile.STALE_PART_S` (the temporaries of a concurrent
export are being written, so they are younger and kept).
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CancelledError, InputError, OutputError, PipeMapError
from ..progress import NullProgress, Progress, SubProgress, check_cancel
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


class _Span(SubProgress):
    """Progress of one writer within the package; its warnings are also kept for the manifest."""

    def __init__(self, outer: Progress, lo: float, hi: float, warnings: list[str]) -> None:
        super().__init__(outer, lo, hi)
        self.warnings_ = warnings

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


def _stale_patterns(out: Path) -> list[tuple[re.Pattern[str], bool]]:
    """(name pattern, is a folder) of the temporaries an export of ``out`` makes (see :func:`export_package`)."""
    pats = [(re.compile(rf"^\.{re.escape(out.name)}\.part-[A-Za-z0-9_]{{8}}$"), True)]
    if out.suffix.lower() == ".zip":
        pats.append((re.compile(rf"^\.{re.escape(out.stem)}\.[A-Za-z0-9_]{{8}}\.part\.zip$"), False))
    return pats


def clean_stale_parts(output: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporaries that an export of ``output`` killed mid-write left beside it, once nothing in
    them has changed for :data:`~pipemap.core.mapfile.STALE_PART_S` (see
    :func:`~pipemap.core.mapfile.remove_stale`: exact names only, never a symbolic link).

    :returns: what was removed.
    """
    from ..mapfile import remove_stale

    out = Path(output).absolute()
    return remove_stale(out.parent, _stale_patterns(out))


def _name_output(exc: PipeMapError, tmp: Path, out: Path) -> PipeMapError:
    """Let a writer's error name the package ``out``, not the hidden temporary folder ``tmp`` it wrote into
    (``.../.share.zip.part-x/gpkg/a.gpkg`` becomes ``.../share.zip/gpkg/a.gpkg``; the template is kept, so
    the message is still translated)."""
    changed = False
    for key, value in list(exc.params.items()):
        if isinstance(value, (str, os.PathLike)):
            text = os.fspath(value)
            new = text
            for t in dict.fromkeys((str(tmp), str(tmp.resolve()))):
                new = new.replace(t, str(out))
            if new != text:
                exc.params[key] = new
                changed = True
    if changed:
        exc.args = (exc.message,)
    return exc


def _io_error(out: Path, exc: OSError, what: str = "") -> OutputError:
    return OutputError("Could not write the share package {path}{what}: {reason}; nothing was written.",
                       code="export.io", path=str(out), what=what, reason=exc.strerror or str(exc))


def _zip_folder(folder: Path, target: Path) -> None:
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
        for p in sorted(folder.rglob("*")):
            if p.is_file():
                zf.write(p, p.relative_to(folder).as_posix())


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # (another user's process: alive)
        return True
    return True


def recover_replaced(output: str | os.PathLike[str]) -> list[str]:
    """Finish a folder replacement that a killed export left half done (see :func:`_replace`).

    Replacing a folder package moves the old one aside to ``.NAME.old-PID`` first. An export killed right
    after that left the user's previous package hidden there and nothing at ``NAME``: it is moved back. One
    killed while removing the old package after the new one was in place left its remains: they are removed.
    Only for exports that are no longer running (``PID``), never through a symbolic link.

    :returns: "restored" / "removed" for each backup handled.
    """
    out = Path(output).absolute()
    pattern = re.compile(rf"^\.{re.escape(out.name)}\.old-(\d+)$")
    done: list[str] = []
    try:
        entries = sorted(out.parent.iterdir())
    except OSError:
        return done
    for entry in entries:
        m = pattern.match(entry.name)
        if not m or int(m.group(1)) == os.getpid() or _pid_alive(int(m.group(1))):
            continue
        with contextlib.suppress(OSError):
            if not stat.S_ISDIR(entry.lstat().st_mode):
                continue
            if not os.path.lexists(out):
                os.replace(entry, out)
                done.append("restored")
            else:
                shutil.rmtree(entry)
                done.append("removed")
    return done


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
    if "restored" in recover_replaced(out):
        progress.warning(f"The previous package {out.name} was found set aside by an export that was stopped "
                         "while replacing it; it was put back.")
    _check_target(out, overwrite)
    stale = clean_stale_parts(out)
    if stale:
        progress.info(f"Removed {len(stale)} temporary file(s) or folder(s) left by an export of {out.name} "
                      "that was stopped: " + ", ".join(p.name for p in stale))
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.part-", dir=out.parent))
    except OSError as exc:
        raise OutputError("Cannot write the share package {path}: the folder {folder} is not writable ({reason}).",
                          code="output.unwritable", path=str(out), folder=str(out.parent),
                          reason=exc.strerror or str(exc)) from None
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
            except CancelledError:
                raise
            except PipeMapError as exc:
                raise _name_output(exc, tmp, out) from None
            except MemoryError:
                raise
            except ImportError as exc:
                raise InputError("The {format} export needs the Python package {package}: {reason}",
                                 code="export.dependency", format=spec.key,
                                 package=", ".join(spec.needs) or "?", reason=str(exc)) from None
            except OSError as exc:
                raise _io_error(out, exc, f" ({spec.key})") from None
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
        try:
            write_manifest(tmp, manifest)
        except OSError as exc:
            raise _io_error(out, exc, " (manifest.json)") from None
        check_cancel(progress)
        if out.suffix.lower() == ".zip":
            try:
                fd, name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".part.zip", dir=out.parent)
                os.close(fd)
                tmp_zip = Path(name)
                _zip_folder(tmp, tmp_zip)
            except OSError as exc:
                raise _io_error(out, exc) from None
            check_cancel(progress)
            try:
                _replace(tmp_zip, out)
            except OSError as exc:
                raise _io_error(out, exc) from None
            tmp_zip = None
            shutil.rmtree(tmp, ignore_errors=True)
            final_files = [out]
        else:
            try:
                _replace(tmp, out)
            except OSError as exc:
                raise _io_error(out, exc) from None
            final_files = [out / p.relative_to(tmp) for p in written] + [out / "manifest.json"]
        progress.report(1.0)
        return ExportResult(out, final_files, manifest, warnings)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        if tmp_zip is not None:
            with contextlib.suppress(OSError):
                tmp_zip.unlink()
        raise


__all__ = ["export_package", "ExportResult", "CancelledError", "clean_stale_parts", "recover_replaced"]
