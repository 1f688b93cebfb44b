"""Create, inspect and upgrade integrated-map GeoPackages.

The map is written with GDAL/OGR to a temporary file beside the target and
renamed into place only when complete, so a failure never leaves a
half-written map and never touches an existing one.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import os
import re
import shutil
import sqlite3
import stat
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import schema
from .errors import CancelledError, InputError, OutputError, PipeMapError, SchemaError
from .gdalutil import gdal_exceptions, remove_quietly, spatial_reference, temp_path_beside
from .progress import NullProgress, Progress, check_cancel
from .version import __version__

STYLE_DIR = schema.RESOURCES / "styles"

_OGR_TYPES = {
    "text": ("OFTString", None),
    "integer": ("OFTInteger64", None),
    "real": ("OFTReal", None),
    "date": ("OFTDate", None),
    "datetime": ("OFTDateTime", None),
    "boolean": ("OFTInteger", "OFSTBoolean"),
}


@dataclass
class MapInfo:
    """What a map contains (used by the demo, tests and the GUI)."""

    path: Path
    schema_version: int
    metadata: dict[str, str]
    layers: dict[str, dict[str, Any]]  #: name -> {geometry, count, fields, srs_wkt}
    categories: list[dict[str, Any]]


def _field_defn(f: schema.Field) -> Any:
    from osgeo import ogr

    type_name, subtype_name = _OGR_TYPES[f.type]
    defn = ogr.FieldDefn(f.name, getattr(ogr, type_name))
    if subtype_name:
        defn.SetSubType(getattr(ogr, subtype_name))
    if f.width:
        defn.SetWidth(f.width)
    defn.SetNullable(f.nullable)
    if f.unique:
        defn.SetUnique(True)
    if f.default is not None:
        defn.SetDefault(f.default)
    if f.domain:
        defn.SetDomainName(f.domain)
    if f.description and hasattr(defn, "SetComment"):
        defn.SetComment(f.description)
    return defn


def _geometry_type(name: str | None) -> int:
    from osgeo import ogr

    return {
        None: ogr.wkbNone,
        "LineString": ogr.wkbLineString,
        "PointZ": ogr.wkbPoint25D,
        "LineStringZ": ogr.wkbLineString25D,
        "MultiPolygonZ": ogr.wkbMultiPolygon25D,
        "MultiLineStringZ": ogr.wkbMultiLineString25D,
    }[name]


def _add_domains(ds: Any) -> None:
    from osgeo import ogr

    for cl in schema.CODE_LISTS:
        labels = {str(row[0]): f"{row[1]} {row[2]}" for row in cl.rows}
        domain = ogr.CreateCodedFieldDomain(cl.domain, cl.description, ogr.OFTString, ogr.OFSTNone, labels)
        if not ds.AddFieldDomain(domain):  # pragma: no cover - GDAL raises first
            raise SchemaError("Could not add the code list {name}.", code="schema.domain", name=cl.domain)


def _create_table(ds: Any, name: str, geometry: str | None, fields: tuple[schema.Field, ...], srs: Any,
                  description: str = "", identifier: str = "") -> Any:
    options = ["FID=fid"]
    if geometry:
        options += ["GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES"]
    if description:
        options.append(f"DESCRIPTION={description}")
    if identifier:
        options.append(f"IDENTIFIER={identifier}")
    layer = ds.CreateLayer(name, srs if geometry else None, _geometry_type(geometry), options=options)
    if layer is None:
        raise SchemaError("Could not create the table {name}.", code="schema.table", name=name)
    for f in fields:
        layer.CreateField(_field_defn(f))
    return layer


def _fill(layer: Any, fields: tuple[schema.Field, ...], rows: tuple[tuple[object, ...], ...]) -> None:
    from osgeo import ogr

    defn = layer.GetLayerDefn()
    for row in rows:
        feat = ogr.Feature(defn)
        for f, value in zip(fields, row):
            if value is not None:
                feat.SetField(f.name, value)
        layer.CreateFeature(feat)


def metadata_rows(srs: Any, crs_input: str, height_datum: str) -> tuple[tuple[str, str], ...]:
    """The key/value pairs written into ``pipemap_metadata``."""
    auth = srs.GetAuthorityName(None)
    code = srs.GetAuthorityCode(None)
    units = srs.GetLinearUnitsName() if (srs.IsProjected() or srs.IsLocal()) else "degree"
    now = _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat()
    return (
        ("schema_version", str(schema.SCHEMA_VERSION)),
        ("software", f"PipeMap {__version__}"),
        ("created_at", now),
        ("crs_input", crs_input[:4000]),
        ("crs_authid", f"{auth}:{code}" if auth and code else ""),
        ("crs_name", srs.GetName() or ""),
        ("crs_wkt", srs.ExportToWkt(["FORMAT=WKT2_2019"])),
        ("crs_kind", "projected" if srs.IsProjected() else "geographic" if srs.IsGeographic() else "local"),
        ("linear_unit", units or ""),
        ("height_datum", height_datum),
        ("z_convention_pipe_point", schema.Z_CONVENTION["pipe_point"]),
        ("z_convention_pipe_segment", schema.Z_CONVENTION["pipe_segment"]),
        ("diameter_convention", "dn_mm inner (nominal); outer = dn + 2 x wall; boxes outer width x height"),
    )


def _write_styles(ds: Any) -> None:
    """Store the shipped QML styles in the map's ``layer_styles`` table, so
    QGIS colours the layers by CJJ 61 category as soon as they are opened."""
    fields = (
        schema.Field("f_table_catalog", "text"),
        schema.Field("f_table_schema", "text"),
        schema.Field("f_table_name", "text"),
        schema.Field("f_geometry_column", "text"),
        schema.Field("styleName", "text"),
        schema.Field("styleQML", "text"),
        schema.Field("styleSLD", "text"),
        schema.Field("useAsDefault", "boolean"),
        schema.Field("description", "text"),
        schema.Field("owner", "text"),
        schema.Field("ui", "text"),
        schema.Field("update_time", "datetime"),
    )
    layer = ds.CreateLayer("layer_styles", None, _geometry_type(None), options=["FID=id"])
    for f in fields:
        layer.CreateField(_field_defn(f))
    rows = []
    now = _dt.datetime.now(_dt.timezone.utc).strftime("%Y/%m/%d %H:%M:%S")
    for table in ("pipe_point", "pipe_segment"):
        qml_path = STYLE_DIR / f"{table}.qml"
        if not qml_path.is_file():
            continue
        qml = qml_path.read_text(encoding="utf-8")
        rows.append(("", "", table, "geom", f"PipeMap {table}", qml, "", 1, "CJJ 61 category colours", "", None, now))
    _fill(layer, fields, tuple(rows))


def create_map(
    path: str | os.PathLike[str],
    crs: str,
    overwrite: bool = False,
    height_datum: str = schema.DEFAULT_HEIGHT_DATUM,
    progress: Progress | None = None,
) -> MapInfo:
    """Create an empty integrated map (GeoPackage) with the CJJ 61 data model.

    :param path: target ``.gpkg`` file.
    :param crs: the map's CRS: ``"EPSG:4547"``, WKT (local grids) or PROJ.
    :param overwrite: replace an existing file; otherwise an existing file is
        refused and left untouched.
    :param height_datum: the height datum of every z in the map.
    :param progress: progress/cancel sink.
    :raises InputError: invalid CRS or file name.
    :raises OutputError: the file exists (without ``overwrite``) or cannot be written.
    """
    progress = progress or NullProgress()
    target = Path(path).expanduser()
    if target.suffix.lower() != ".gpkg":
        raise InputError(
            "The map {path} must be a GeoPackage file ending in .gpkg.", code="map.extension", path=str(target)
        )
    if target.exists() and not overwrite:
        raise OutputError(
            "The file {path} already exists; it was left untouched. Choose another name or allow overwriting.",
            code="map.exists",
            path=str(target),
        )
    if target.exists() and not target.is_file():
        raise OutputError("{path} is not a file; it was left untouched.", code="map.not_file", path=str(target))
    srs = spatial_reference(crs)
    clean_stale_parts(target)
    if target.exists() and not os.access(target, os.W_OK):
        raise OutputError("The file {path} is read-only; it was left untouched.", code="map.readonly",
                          path=str(target))
    tmp = temp_path_beside(target, ".gpkg")
    try:
        _write_new_map(tmp, srs, crs, height_datum, progress)
        check_cancel(progress)
        if target.is_file() and _is_sqlite(target):  # overwriting a map another program may have open
            with write_lock(target):
                replace_map(tmp, target)
        else:
            os.replace(tmp, target)
    except (PipeMapError, CancelledError):
        remove_quietly(tmp)
        raise
    except (RuntimeError, OSError) as exc:
        remove_quietly(tmp)
        raise OutputError(
            "Could not write the map {path}: {reason}", code="map.write", path=str(target), reason=str(exc)
        ) from None
    except BaseException:
        remove_quietly(tmp)
        raise
    progress.report(1.0)
    return read_map_info(target)


def _write_new_map(tmp: Path, srs: Any, crs_input: str, height_datum: str, progress: Progress) -> None:
    from osgeo import gdal

    with gdal_exceptions():
        driver = gdal.GetDriverByName("GPKG")
        ds = driver.Create(str(tmp), 0, 0, 0, gdal.GDT_Unknown)
        try:
            ds.StartTransaction()
            _add_domains(ds)
            steps = len(schema.SPATIAL_LAYERS) + len(schema.CODE_LISTS) + 3
            done = 0
            for layer in schema.SPATIAL_LAYERS:
                _create_table(ds, layer.name, layer.geometry, layer.fields, srs, layer.description,
                              layer.identifier_zh)
                done += 1
                progress.report(done / steps)
                check_cancel(progress)
            for cl in schema.CODE_LISTS:
                lyr = _create_table(ds, cl.table, None, cl.columns, None, cl.description)
                _fill(lyr, cl.columns, cl.rows)
                done += 1
                progress.report(done / steps)
            lyr = _create_table(ds, "rule_class_map", None, schema.RULE_CLASS_MAP_COLUMNS, None,
                                "Category + attributes -> GB 50289 rule classes (user-editable)")
            _fill(lyr, schema.RULE_CLASS_MAP_COLUMNS, schema.load_class_map())
            lyr = _create_table(ds, schema.METADATA.name, None, schema.METADATA.fields, None,
                                schema.METADATA.description)
            _fill(lyr, schema.METADATA.fields, metadata_rows(srs, crs_input, height_datum))
            _write_styles(ds)
            check_cancel(progress)
            ds.CommitTransaction()
        finally:
            ds = None


def read_metadata(path: str | os.PathLike[str]) -> dict[str, str]:
    """Key/value metadata of a map (read with sqlite, no GDAL needed).

    :raises InputError: the file is missing, unreadable, not SQLite, or locked
        by another program for longer than :data:`LOCK_TIMEOUT_S`.
    :raises SchemaError: an SQLite file without PipeMap's metadata table.
    """
    con = _open_sqlite(Path(path), readonly=True)
    con.text_factory = lambda raw: raw.decode("utf-8", errors="replace")  # a damaged byte must not crash it
    try:
        try:
            rows = con.execute("SELECT key, value FROM pipemap_metadata").fetchall()
        except sqlite3.DatabaseError as exc:
            if _is_lock_error(exc):
                raise _locked_error(Path(path), InputError) from None
            if "no such table" in str(exc):
                raise SchemaError(
                    "{path} is not a PipeMap integrated map (no pipemap_metadata table).",
                    code="map.not_pipemap",
                    path=str(path),
                ) from None
            raise InputError("{path} is damaged or not a GeoPackage: {reason}.", code="map.damaged",
                             path=str(path), reason=str(exc)) from None
        except UnicodeDecodeError as exc:  # a damaged byte in the schema's text (column names are decoded strictly)
            raise InputError("{path} is damaged or not a GeoPackage: {reason}.", code="map.damaged",
                             path=str(path), reason=str(exc)) from None
    finally:
        con.close()
    return {str(k): str(v) if v is not None else "" for k, v in rows}


def schema_version_of(meta: dict[str, str], path: str | os.PathLike[str]) -> int:
    """The map's schema version from its metadata (0 when absent).

    :raises SchemaError: the recorded version is not a whole number.
    """
    raw = meta.get("schema_version") or "0"
    try:
        return int(raw)
    except ValueError:
        raise SchemaError("The map {path} records an invalid schema version {value!r}.", code="map.bad_version",
                          path=str(path), value=raw[:40]) from None


#: how long a map locked by another writer is waited for before giving up (seconds)
LOCK_TIMEOUT_S = 5.0


def _is_lock_error(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _locked_error(path: Path, kind: type[PipeMapError] = OutputError) -> PipeMapError:
    # (two literal calls, so that the message catalogue of scripts/extract_messages.py finds the template)
    if kind is InputError:
        return InputError("The map {path} is locked: another program is writing to it. Nothing was changed; try "
                          "again when it has finished (save or discard the edits there).", code="map.locked",
                          path=str(path))
    return OutputError("The map {path} is locked: another program is writing to it. Nothing was changed; try again "
                       "when it has finished (save or discard the edits there).", code="map.locked", path=str(path))


def _is_sqlite(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def _open_sqlite(path: Path, readonly: bool, timeout: float | None = None) -> sqlite3.Connection:
    if not path.is_file():
        raise InputError("The map {path} does not exist.", code="map.missing", path=str(path))
    try:
        with open(path, "rb") as fh:
            magic = fh.read(16)
    except OSError as exc:
        raise InputError("The map {path} cannot be read: {reason}", code="map.unreadable", path=str(path),
                         reason=exc.strerror or str(exc)) from None
    if magic != b"SQLite format 3\x00":
        raise InputError("{path} is not a GeoPackage (not an SQLite file).", code="map.not_gpkg",
                         path=str(path))
    uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    return sqlite3.connect(uri, uri=True, timeout=LOCK_TIMEOUT_S if timeout is None else timeout,
                           isolation_level=None)


#: a temporary copy of a map older than this (seconds) is what a killed writer left: it is removed
STALE_PART_S = 3600.0


def clean_stale_parts(target: str | os.PathLike[str]) -> list[Path]:
    """Remove the temporary copies (``.<stem>.XXXXXXXX.part.gpkg`` and their journals) that a writer killed
    mid-write left beside ``target``, once they are older than :data:`STALE_PART_S`. Live copies of a running
    writer are younger (it writes them continuously) and are kept.

    :returns: the files removed.
    """
    p = Path(target)
    pattern = re.compile(rf"^\.{re.escape(p.stem)}\.[A-Za-z0-9_]{{8}}\.part\.gpkg(-journal|-wal|-shm)?$")
    return remove_stale(p.parent, [(pattern, False)])


def _newest_change(path: Path, limit: int = 10000) -> float:
    """The latest modification time of ``path`` and (a folder) of anything under it; symbolic links are not
    followed. A live writer keeps writing some file in its folder, so this stays young while it runs."""
    newest = path.lstat().st_mtime
    if not stat.S_ISDIR(path.lstat().st_mode):
        return newest
    seen = 0
    for root, dirs, files in os.walk(path, followlinks=False):
        for name in dirs + files:
            seen += 1
            if seen > limit:  # (a huge folder: what was seen decides)
                return newest
            with contextlib.suppress(OSError):
                newest = max(newest, os.lstat(os.path.join(root, name)).st_mtime)
    return newest


def remove_stale(folder: Path, patterns: list[tuple[re.Pattern[str], bool]]) -> list[Path]:
    """Remove what a killed writer left in ``folder``: entries whose name matches one of ``patterns``
    (``(pattern, is a folder)``: a folder only if it is a real folder, a file only if it is a regular file),
    never a symbolic link, and only when nothing in them changed for :data:`STALE_PART_S`.

    :returns: what was removed.
    """
    removed: list[Path] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    now = time.time()
    for entry in entries:
        kind = next((is_dir for pat, is_dir in patterns if pat.match(entry.name)), None)
        if kind is None:
            continue
        with contextlib.suppress(OSError):
            mode = entry.lstat().st_mode
            if stat.S_ISLNK(mode) or stat.S_ISDIR(mode) != kind or (not kind and not stat.S_ISREG(mode)):
                continue
            if now - _newest_change(entry) <= STALE_PART_S:
                continue
            if kind:
                shutil.rmtree(entry)
            else:
                entry.unlink()
            removed.append(entry)
    return removed


@contextlib.contextmanager
def write_lock(path: str | os.PathLike[str], timeout: float | None = None) -> Iterator[None]:
    """Hold the map's SQLite write lock while it is rewritten through a copy.

    Writers that copy the map, change the copy and rename it over the map
    must hold this lock from the copy to the rename: otherwise the edits
    another program commits in between are silently lost (they go into the
    file that the rename throws away). Inside the block no other program can
    commit; readers are not blocked. A map in WAL mode is checkpointed first,
    so that the map file alone holds every committed change.

    :raises OutputError: (code ``map.locked``) another program holds the lock
        for longer than ``timeout`` (default :data:`LOCK_TIMEOUT_S`), or keeps
        committed changes in the WAL that cannot be checkpointed.
    """
    p = Path(path)
    con = _open_sqlite(p, readonly=False, timeout=timeout)
    key = str(p.resolve())
    try:
        try:
            wal = con.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
            if wal:
                con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            con.execute("BEGIN IMMEDIATE")
            con.execute("SELECT count(*) FROM sqlite_master").fetchone()  # rolls back a hot journal
        except sqlite3.DatabaseError as exc:
            if _is_lock_error(exc):
                raise _locked_error(p) from None
            if "readonly" in str(exc).lower() or "read-only" in str(exc).lower():
                raise OutputError("The map {path} is read-only; nothing was changed.", code="map.readonly",
                                  path=str(p)) from None
            raise InputError("{path} is damaged or not a GeoPackage: {reason}.", code="map.damaged",
                             path=str(p), reason=str(exc)) from None
        wal_file = Path(str(p) + "-wal")
        if wal and wal_file.is_file() and wal_file.stat().st_size > 0:
            raise _locked_error(p)
        clean_stale_parts(p)  # no writer of this map is running now: left copies are stale
        _LOCKS[key] = con
        yield
    finally:
        _LOCKS.pop(key, None)
        with contextlib.suppress(sqlite3.Error):
            if con.in_transaction:
                con.execute("ROLLBACK")
        con.close()


#: pages copied by one step of :func:`replace_map` when it reports progress (64 MB of 4 KB pages)
BACKUP_STEP_PAGES = 16384

@contextlib.contextmanager
def copy_errors(map_path: str | os.PathLike[str], tmp: str | os.PathLike[str]) -> Iterator[None]:
    """Around a write of the map through its copy ``tmp``: any failure removes the copy; a PipeMapError that
    names the copy (the upgrade of the copy, say) names the map instead; GDAL's and the system's errors
    become an OutputError naming the map (the system's reason alone: its text would name the hidden copy)."""
    try:
        yield
    except PipeMapError as exc:
        remove_quietly(Path(tmp))
        if exc.params.get("path") == str(tmp):
            exc.params["path"] = str(map_path)
            exc.args = (exc.message,)
        raise
    except (RuntimeError, OSError) as exc:
        remove_quietly(Path(tmp))
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise OutputError("Could not write into the map {path}: {reason}; the map is unchanged.",
                          code="import.write", path=str(map_path), reason=reason) from None
    except BaseException:
        remove_quietly(Path(tmp))
        raise


#: the connections holding :func:`write_lock`, by resolved map path
_LOCKS: dict[str, sqlite3.Connection] = {}


def replace_map(tmp: str | os.PathLike[str], target: str | os.PathLike[str],
                report: Callable[[float], None] | None = None) -> None:
    """Put the finished copy ``tmp`` in the place of the map ``target``; ``tmp`` is removed.

    Under :func:`write_lock` the copy's pages are written into the map through SQLite (its backup API)
    instead of renaming the copy over the map: the map stays the same file, so a program that has it open
    (QGIS with a layer loaded) reads the new content through its own connection. A rename would leave that
    program on the old, unlinked file; in WAL mode its next commit would go into the map's write-ahead log
    and corrupt the new map ("database disk image is malformed": measured). The copy is one SQLite
    transaction: interrupted (disk full, killed), SQLite's journal rolls it back.
    Without the lock (a new file, a copy being upgraded) the file is renamed.

    :param report: called with the fraction copied (0..1) now and then: a large map takes seconds.
    :raises OutputError: the map cannot be written (disk full, read-only, locked for longer than
        :data:`LOCK_TIMEOUT_S`); the map is unchanged.
    """
    t = Path(target)
    con = _LOCKS.get(str(t.resolve()))
    if con is None:
        os.replace(tmp, t)
        return
    if con.in_transaction:
        con.execute("ROLLBACK")  # the backup takes the write lock itself, at once
    started = time.monotonic()

    def give_up_when_locked(status: int, remaining: int, total: int) -> None:
        if status in (5, 6) and time.monotonic() - started > LOCK_TIMEOUT_S:  # SQLITE_BUSY, SQLITE_LOCKED
            raise _locked_error(t)
        if report is not None and total:
            report(1.0 - remaining / total)

    src = sqlite3.connect(f"file:{tmp}?mode=ro", uri=True)
    try:
        # in steps (the map stays locked, the copy is still one transaction); -1 when nobody listens
        src.backup(con, pages=BACKUP_STEP_PAGES if report is not None else -1, progress=give_up_when_locked)
    except sqlite3.Error as exc:
        raise OutputError("Could not write into the map {path}: {reason}; the map is unchanged.",
                          code="map.write", path=str(t), reason=str(exc)) from None
    finally:
        src.close()
    remove_quietly(Path(tmp))


def read_map_info(path: str | os.PathLike[str]) -> MapInfo:
    """Describe a map: metadata, layers with geometry type and count, categories."""
    p = Path(path)
    meta = read_metadata(p)
    try:
        layers, cats = _describe_layers(p)
    except (RuntimeError, UnicodeDecodeError) as exc:  # GDAL on a damaged file
        raise InputError("{path} is damaged or not a GeoPackage: {reason}.", code="map.damaged", path=str(p),
                         reason=str(exc).strip()[:300]) from None
    return MapInfo(p, schema_version_of(meta, p), meta, layers, cats)


def _describe_layers(p: Path) -> tuple[dict[str, dict[str, Any]], list[dict[str, Any]]]:
    from osgeo import ogr

    layers: dict[str, dict[str, Any]] = {}
    with gdal_exceptions():
        ds = ogr.Open(str(p))
        try:
            for i in range(ds.GetLayerCount()):
                lyr = ds.GetLayerByIndex(i)
                defn = lyr.GetLayerDefn()
                srs = lyr.GetSpatialRef()
                layers[lyr.GetName()] = {
                    "geometry": ogr.GeometryTypeToName(lyr.GetGeomType()),
                    "geom_type": lyr.GetGeomType(),
                    "has_z": bool(ogr.GT_HasZ(lyr.GetGeomType())),
                    "count": lyr.GetFeatureCount(),
                    "fields": [defn.GetFieldDefn(j).GetName() for j in range(defn.GetFieldCount())],
                    "srs_wkt": srs.ExportToWkt() if srs is not None else "",
                }
            cats = []
            lyr = ds.GetLayerByName("code_category")
            if lyr is not None:
                for feat in lyr:
                    cats.append({k: feat.GetField(k) for k in ("code", "name_zh", "name_en", "colour")})
        finally:
            ds = None
    return layers, cats


# --- schema upgrades -------------------------------------------------------

def _map_srs(meta: dict[str, str], path: Path) -> Any:
    """The map's CRS from its metadata (authority code, else WKT).

    :raises SchemaError: neither is a valid CRS.
    """
    for text in (meta.get("crs_authid"), meta.get("crs_wkt")):
        if text:
            try:
                return spatial_reference(text)
            except InputError:
                continue
    raise SchemaError("The map {path} does not record a valid coordinate reference system (crs_authid, crs_wkt in "
                      "its pipemap_metadata table).", code="map.bad_crs", path=str(path))


def _add_layer_step(layer: schema.Layer):
    """A migration step creating a spatial layer in the map's CRS (with OGR)."""

    def step(path: Path) -> None:
        from osgeo import gdal

        meta = read_metadata(path)
        srs = _map_srs(meta, path)
        with gdal_exceptions():
            ds = gdal.OpenEx(str(path), gdal.OF_VECTOR | gdal.OF_UPDATE, allowed_drivers=["GPKG"])
            try:
                if ds.GetLayerByName(layer.name) is None:
                    _create_table(ds, layer.name, layer.geometry, layer.fields, srs, layer.description,
                                  layer.identifier_zh)
                ds.FlushCache()  # GDAL's deferred work (index, triggers) fails here, not unseen at close
            finally:
                ds = None  # noqa: F841

    step.__name__ = f"add_{layer.name}"
    return step


#: from_version -> steps bringing a map to from_version + 1: SQL statements
#: (run with sqlite) or callables taking the path of the copy being upgraded.
MIGRATIONS: dict[int, tuple[Any, ...]] = {
    1: (_add_layer_step(schema.GPR_SURVEY),),
}


def upgrade_map(path: str | os.PathLike[str], progress: Progress | None = None) -> tuple[int, int]:
    """Bring a map to :data:`schema.SCHEMA_VERSION`, all or nothing.

    The steps run on a copy beside the map, which replaces the map only when
    every step succeeded (the map is otherwise left byte-identical).

    :returns: (version before, version after).
    :raises SchemaError: the map is newer than this PipeMap, or has no upgrade path.
    """
    progress = progress or NullProgress()
    p = Path(path)
    before = schema_version_of(read_metadata(p), p)
    if before > schema.SCHEMA_VERSION:
        raise SchemaError(
            "The map {path} has schema version {found}; this PipeMap understands up to {known}. "
            "Update PipeMap to open it.",
            code="map.too_new",
            path=str(p),
            found=before,
            known=schema.SCHEMA_VERSION,
        )
    if before == schema.SCHEMA_VERSION:
        return before, before
    for version in range(before, schema.SCHEMA_VERSION):
        if version not in MIGRATIONS:
            raise SchemaError("No upgrade path from schema version {version} for {path}.", code="map.no_upgrade",
                              version=version, path=str(p))
    with write_lock(p):
        _upgrade_copy(p, before, progress)
    return before, schema.SCHEMA_VERSION


def _upgrade_copy(p: Path, before: int, progress: Progress) -> None:
    tmp = temp_path_beside(p, ".gpkg")
    try:
        shutil.copy2(p, tmp)  # inside the try: a full disk fails here too
        for version in range(before, schema.SCHEMA_VERSION):
            for step in MIGRATIONS[version]:
                if callable(step):
                    step(tmp)
                else:
                    con = sqlite3.connect(tmp)
                    try:
                        with con:
                            con.execute(step)
                    finally:
                        con.close()
            progress.info(f"Upgraded {p.name} from schema version {version} to {version + 1}.")
        con = sqlite3.connect(tmp)
        try:
            with con:
                con.execute("UPDATE pipemap_metadata SET value = ? WHERE key = 'schema_version'",
                            (str(schema.SCHEMA_VERSION),))
        finally:
            con.close()
        replace_map(tmp, p)
    except PipeMapError as exc:
        remove_quietly(tmp)
        if exc.params.get("path") == str(tmp):  # a step's error: name the map, not its copy
            exc.params["path"] = str(p)
            exc.args = (exc.message,)
        raise
    except (OSError, RuntimeError, sqlite3.Error) as exc:
        remove_quietly(tmp)
        if isinstance(exc, sqlite3.Error) and not _is_environment_error(exc):
            raise  # a broken migration step is PipeMap's bug: keep its traceback
        raise OutputError("Could not upgrade the map {path}: {reason}; the map is unchanged.", code="map.upgrade",
                          path=str(p), reason=getattr(exc, "strerror", None) or str(exc)) from None
    except BaseException:
        remove_quietly(tmp)
        raise


#: SQLite result codes that describe the file or the machine, not the SQL: busy, locked, read-only, I/O error,
#: damaged (corrupt), full, cannot open, not a database
_ENVIRONMENT_CODES = {5, 6, 8, 10, 11, 13, 14, 26}


def _is_environment_error(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in _ENVIRONMENT_CODES


def ensure_current(path: str | os.PathLike[str], progress: Progress | None = None) -> None:
    """Upgrade an older map in place (saying so); refuse a newer one."""
    before, after = upgrade_map(path, progress)
    if before != after and progress is not None:
        progress.info(f"The map was upgraded from schema version {before} to {after}.")
