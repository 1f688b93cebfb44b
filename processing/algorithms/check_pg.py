"""The check algorithms on a PostGIS map (``MAP=service=... schema=...``): the checks run in the database
(:mod:`core.pg.checks`) and give the findings the in-process checks give on the same map."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsCoordinateReferenceSystem,
    QgsDataSourceUri,
    QgsProcessingException,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QCoreApplication

from ...core.checks.pipes import require_projected
from ...core.pg.connect import PgMap, quote_value
from ..pgmap import is_postgis_map, parse, resolve
from . import check_common as cc


def tr(text: str) -> str:
    return QCoreApplication.translate("PipeMapChecks", text)


def postgis_map(parameters: dict[str, Any], feedback: Any) -> PgMap | None:
    """The PostGIS map named by ``MAP`` (QGIS authentication config expanded), or None for a GeoPackage
    map or none."""
    raw = parameters.get(cc.MAP)
    if not isinstance(raw, str) or not is_postgis_map(raw):
        return None
    if parameters.get(cc.INPUT):
        feedback.reportError(tr("MAP is given: its pipe_segment layer is checked and INPUT is ignored."), False)
    return resolve(parse(raw))


def open_map(pgmap: PgMap, feedback: Any) -> tuple[Any, QgsCoordinateReferenceSystem]:
    """A :class:`core.pg.checks.PgMapChecks` snapshot of the map, and the map's CRS (must be in metres)."""
    from ...core.pg.checks import PgMapChecks

    db = PgMapChecks(pgmap)
    try:
        crs = QgsCoordinateReferenceSystem(db.meta.get("crs_authid") or "")
        if not crs.isValid():
            crs = QgsCoordinateReferenceSystem.fromWkt(db.meta.get("crs_wkt", ""))
        if not crs.isValid():
            raise QgsProcessingException(tr("The PostGIS map {map} records no valid CRS.").format(
                map=pgmap.display()))
        require_projected(cc.crs_text(crs))
    except BaseException:
        db.close()
        raise
    feedback.pushInfo(tr("Checking the PostGIS map {map} in the database.").format(map=pgmap.display()))
    return db, crs


def report_search(db: Any, feedback: Any) -> None:
    """A log line on what the database did (timings of the stages)."""
    stats = db.stats
    if "search_s" in stats:
        feedback.pushInfo(tr("Read {read:.1f} s, pair search in the database {search:.1f} s, figures {judge:.1f} s.")
                          .format(read=stats.get("read_s", 0.0), search=stats["search_s"],
                                  judge=stats.get("judge_s", 0.0)))


class PgMapText(str):
    """A PostGIS map as shown to users (no password), carrying the map itself for the layers drawn in
    reports (which live in memory only, never in a project)."""

    pgmap: PgMap
    srid: int

    def __new__(cls, pgmap: PgMap, srid: int) -> PgMapText:
        text = super().__new__(cls, pgmap.display())
        text.pgmap = pgmap
        text.srid = srid
        return text


def map_pipes_layer(map_path: str) -> QgsVectorLayer:
    """The map's ``pipe_segment`` layer for a report's map: a GeoPackage's, or a PostGIS map's through the
    postgres provider (styled like the GeoPackage's)."""
    from .. import report as qreport

    if not isinstance(map_path, PgMapText):
        return qreport.map_pipes_layer(map_path)
    uri = QgsDataSourceUri(" ".join(f"{k}={quote_value(v)}" for k, v in map_path.pgmap.params))
    uri.setDataSource(map_path.pgmap.schema, "pipe_segment", "geom", "", "fid")
    uri.setSrid(str(map_path.srid))
    layer = QgsVectorLayer(uri.uri(False), "pipe_segment", "postgres")
    if not layer.isValid():
        raise ValueError(f"{map_path} has no readable pipe_segment layer")
    if not isinstance(layer.renderer(), QgsCategorizedSymbolRenderer) and qreport.PIPE_STYLE.is_file():
        layer.loadNamedStyle(str(qreport.PIPE_STYLE))
    return layer
