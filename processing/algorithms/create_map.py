"""``pipemap:createmap`` -- create an empty integrated map (GeoPackage, or a schema in PostGIS)."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from ...core import mapfile, schema
from ..base import FeedbackProgress, PipeMapAlgorithm
from ..pgmap import MapDestinationParameter, is_postgis_map, layer_source, map_destination, parse, resolve


def crs_for_core(crs: QgsCoordinateReferenceSystem) -> str:
    """An authority id for EPSG CRSs, otherwise the full WKT (local grids)."""
    authid = crs.authid()
    if authid.upper().startswith("EPSG:"):
        return authid
    return crs.toWkt(QgsCoordinateReferenceSystem.WKT_PREFERRED)


class CreateMapAlgorithm(PipeMapAlgorithm):
    NAME = "createmap"
    GROUP_ID = "map"

    OUTPUT = "OUTPUT"
    CRS = "CRS"
    OVERWRITE = "OVERWRITE"
    HEIGHT_DATUM = "HEIGHT_DATUM"
    SCHEMA_VERSION = "SCHEMA_VERSION"

    def displayName(self) -> str:
        return self.tr("Create integrated map")

    def initAlgorithm(self, config: Any = None) -> None:
        self.addParameter(
            MapDestinationParameter(
                self.OUTPUT, self.tr("Integrated map (GeoPackage, or PostGIS: service=NAME schema=NAME)"),
                self.tr("GeoPackage (*.gpkg)")
            )
        )
        self.addParameter(
            QgsProcessingParameterCrs(self.CRS, self.tr("Coordinate reference system"), "EPSG:4547")
        )
        self.addParameter(
            QgsProcessingParameterBoolean(self.OVERWRITE, self.tr("Overwrite an existing file (or PostGIS map)"),
                                          False)
        )
        datum = QgsProcessingParameterString(
            self.HEIGHT_DATUM, self.tr("Height datum"), schema.DEFAULT_HEIGHT_DATUM, optional=True
        )
        datum.setFlags(datum.flags() | QgsProcessingParameterDefinition.FlagAdvanced)
        self.addParameter(datum)
        self.addOutput(QgsProcessingOutputNumber(self.SCHEMA_VERSION, self.tr("Schema version")))

    def execute(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        path = map_destination(self, parameters, self.OUTPUT, context)
        if not path:
            raise QgsProcessingException(self.tr("No output file was given for the integrated map."))
        crs = self.parameterAsCrs(parameters, self.CRS, context)
        if not crs.isValid():
            raise QgsProcessingException(
                self.tr("The coordinate reference system {crs} is not valid.").format(
                    crs=repr(parameters.get(self.CRS))
                )
            )
        overwrite = self.parameterAsBoolean(parameters, self.OVERWRITE, context)
        datum = self.parameterAsString(parameters, self.HEIGHT_DATUM, context) or schema.DEFAULT_HEIGHT_DATUM
        if is_postgis_map(path):
            return self._create_postgis(path, crs, overwrite, datum, context, feedback)
        info = mapfile.create_map(path, crs_for_core(crs), overwrite=overwrite, height_datum=datum,
                                  progress=FeedbackProgress(feedback))
        feedback.pushInfo(
            self.tr("Created {path} ({crs}, schema version {version}).").format(
                path=path, crs=info.metadata.get("crs_name", ""), version=info.schema_version
            )
        )
        if info.metadata.get("crs_kind") == "geographic":
            feedback.reportError(
                self.tr("The map's CRS is geographic; clearance and cover checks need a projected CRS in metres."),
                False,
            )
        if context.project() is not None:
            for layer in ("pipe_segment", "pipe_point"):
                details = QgsProcessingContext.LayerDetails(layer, context.project(), self.OUTPUT)
                context.addLayerToLoadOnCompletion(f"{path}|layername={layer}", details)
        return {self.OUTPUT: path, self.SCHEMA_VERSION: info.schema_version}

    def _create_postgis(self, text: str, crs: QgsCoordinateReferenceSystem, overwrite: bool, datum: str,
                        context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        from ...core.pg import mapdb

        pgmap = parse(text)
        info = mapdb.create_map(resolve(pgmap), crs_for_core(crs), overwrite=overwrite, height_datum=datum,
                                progress=FeedbackProgress(feedback))
        feedback.pushInfo(
            self.tr("Created the PostGIS map {map} ({crs}, SRID {srid}, schema version {version}).").format(
                map=pgmap.display(), crs=info.metadata.get("crs_name", ""), srid=info.srid,
                version=info.schema_version))
        if info.metadata.get("crs_kind") == "geographic":
            feedback.reportError(
                self.tr("The map's CRS is geographic; clearance and cover checks need a projected CRS in metres."),
                False,
            )
        if context.project() is not None:
            for layer, wkb in (("pipe_segment", QgsWkbTypes.LineStringZ), ("pipe_point", QgsWkbTypes.PointZ)):
                details = QgsProcessingContext.LayerDetails(layer, context.project(), self.OUTPUT)
                context.addLayerToLoadOnCompletion(
                    "postgres://" + layer_source(pgmap, layer, info.srid, wkb), details)
        return {self.OUTPUT: pgmap.display(), self.SCHEMA_VERSION: info.schema_version}
