"""Survey imports into a PostGIS map, in one transaction.

The tables are read, validated and placed exactly as for a GeoPackage map
(:func:`core.survey.importer.import_survey`) into a private staging
GeoPackage made in the PostGIS map's CRS; the staged points and segments are
then merged into the database in **one transaction**: a point number or
segment id already in the map is updated (its ``version`` goes up, the
audit table keeps the old values), a new one is inserted. Any failure --
a database rule, a lost connection, a cancel -- rolls the whole import back
and leaves the map as it was.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from .. import mapfile, schema
from ..errors import OutputError
from ..progress import NullProgress, Progress, SubProgress, check_cancel
from ..survey import importer
from ..survey.profiles import ImportProfile
from . import mapdb
from . import schema_sql as ddl
from .connect import PgMap, commit, connect, connection_lost, lost_error, psycopg2_module, rollback_quietly
from .transfer import GpkgReader

#: the layers an import writes, and their keys
IMPORTED_LAYERS = (("pipe_point", "point_id"), ("pipe_segment", "seg_id"))
#: columns the merge never sets (the key sequence and the triggers keep them)
_NOT_MERGED = ("fid", "version")


def merge_layers(cur: Any, schema_name: str, staging: Path, srid: int, progress: Progress | None = None
                 ) -> dict[str, tuple[int, int]]:
    """Upsert the staged layers into the map by key; returns {layer: (inserted, updated)}.

    Runs in the caller's transaction.
    """
    sql = psycopg2_module().sql
    out: dict[str, tuple[int, int]] = {}
    reader = GpkgReader(staging)
    try:
        for layer, key in IMPORTED_LAYERS:
            t = ddl.TABLES_BY_NAME[layer]
            d = reader.describe(t)
            if d.count == 0:
                out[layer] = (0, 0)
                continue
            keep = [i for i, c in enumerate(d.columns) if c not in _NOT_MERGED]
            columns = [d.columns[i] for i in keep] + ["geom"]
            types = [d.pg_types[i] for i in keep] + ["geometry"]
            stage = sql.Identifier("pipemap_stage")
            cur.execute(sql.SQL("DROP TABLE IF EXISTS pg_temp.pipemap_stage"))
            cur.execute(sql.SQL("CREATE TEMP TABLE {} ON COMMIT DROP AS SELECT {} FROM {} WITH NO DATA").format(
                stage, sql.SQL(", ").join(sql.Identifier(c) for c in columns), sql.Identifier(schema_name, layer)))
            rows = ([r[i] for i in keep] + [r[-1]] for r in reader.rows(d, srid))
            mapdb.copy_rows(cur, "pg_temp", "pipemap_stage", columns, types, rows, progress)
            updates = [c for c in columns if c != key and c != "modified_at"]
            cur.execute(sql.SQL(
                "INSERT INTO {target} ({cols}) SELECT {cols} FROM {stage} ORDER BY {key} "
                "ON CONFLICT ({key}) DO UPDATE SET {sets} RETURNING (xmax = 0)").format(
                    target=sql.Identifier(schema_name, layer), cols=sql.SQL(", ").join(map(sql.Identifier, columns)),
                    stage=stage, key=sql.Identifier(key),
                    sets=sql.SQL(", ").join(sql.SQL("{c} = EXCLUDED.{c}").format(c=sql.Identifier(c))
                                            for c in updates)))
            flags = [bool(r[0]) for r in cur.fetchall()]
            out[layer] = (sum(flags), len(flags) - sum(flags))
            cur.execute(sql.SQL("DROP TABLE {}").format(stage))
            if progress is not None:
                check_cancel(progress)
    finally:
        reader.close()
    return out


def import_survey(target: PgMap | str, points: str | os.PathLike[str] | None,
                  segments: str | os.PathLike[str] | None = None, profile: str | ImportProfile | None = "zh",
                  crs: str | None = None, mode: str = "all_or_nothing", encoding: str | None = None,
                  progress: Progress | None = None) -> importer.ImportResult:
    """Import survey result tables into a PostGIS map (the same rules and result as
    :func:`core.survey.importer.import_survey`; ``points_updated`` / ``segments_updated`` count the
    features that were already in the map).

    :raises InputError: unusable input or unreachable database.
    :raises OutputError: the database refused the rows; the map is unchanged.
    """
    progress = progress or NullProgress()
    pgmap = mapdb.as_pgmap(target)
    psycopg2 = psycopg2_module()
    meta = mapdb.read_metadata(pgmap)
    mapdb.check_version(meta, pgmap.display())
    workdir = Path(tempfile.mkdtemp(prefix="pipemap-import-"))
    try:
        staging = workdir / "staging.gpkg"
        mapfile.create_map(staging, meta.get("crs_authid") or meta.get("crs_wkt", ""),
                           height_datum=meta.get("height_datum", schema.DEFAULT_HEIGHT_DATUM))
        result = importer.import_survey(staging, points, segments, profile=profile, crs=crs, mode=mode,
                                        encoding=encoding, progress=SubProgress(progress, 0.0, 0.7))
        if not result.committed:
            return result
        result.committed = False
        con = connect(pgmap)
        try:
            with con.cursor() as cur:
                cur.execute("SELECT Find_SRID(%s, 'pipe_segment', 'geom')", (pgmap.schema,))
                srid = int(cur.fetchone()[0])
                merged = merge_layers(cur, pgmap.schema, staging, srid, SubProgress(progress, 0.7, 0.98))
                mapdb.audit_event(cur, pgmap.schema, "IMPORT", {
                    "files": [Path(f).name for f in result.files],
                    "inserted": {k: v[0] for k, v in merged.items()},
                    "updated": {k: v[1] for k, v in merged.items()}})
                check_cancel(progress)
            commit(con, pgmap)
        except psycopg2.Error as exc:
            rollback_quietly(con)
            if connection_lost(exc, con):
                raise lost_error(pgmap, exc) from None
            raise OutputError("Could not write into the PostGIS map {map}: {reason}; the map is unchanged.",
                              code="import.write", map=pgmap.display(), reason=mapdb.db_reason(exc)) from None
        except BaseException:
            rollback_quietly(con)
            raise
        finally:
            con.close()
        result.points_updated = merged["pipe_point"][1]
        result.segments_updated = merged["pipe_segment"][1]
        result.committed = True
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    progress.report(1.0)
    return result
