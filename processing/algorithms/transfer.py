"""``pipemap:transfer`` -- move an integrated map GeoPackage <-> PostGIS without loss."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterFile,
    QgsWkbTypes,
)

from ..base import FeedbackProgress, PipeMapAlgorithm
from ..pgmap import (
    MapDestinationParameter,
    MapParameter,
    is_postgis_map,
    layer_source,
    map_destination,
    map_input,
    parse,
    resolve,
)


class TransferAlgorithm(PipeMapAlgorithm):
    NAME = "transfer"
    GROUP_ID = "map"

    INPUT = "INPUT"
    OUTPUT = "OUTPUT"
    OVERWRITE = "OVERWRITE"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Transfer integrated map (GeoPackage / PostGIS)")

    def initAlgorithm(self, config: Any = None) -> None:  # noqa: N802
        self.addParameter(MapParameter(
            self.INPUT, self.tr("Map to copy (GeoPackage, or PostGIS: service=NAME schema=NAME)"),
            QgsProcessingParameterFile.File, fileFilter=self.tr("GeoPackage (*.gpkg)")))
        self.addParameter(MapDestinationParameter(
            self.OUTPUT, self.tr("New map (GeoPackage, or PostGIS: service=NAME schema=NAME)"),
            self.tr("GeoPackage (*.gpkg)")))
        self.addParameter(QgsProcessingParameterBoolean(
            self.OVERWRITE, self.tr("Replace an existing map"), False))
        self.addOutput(QgsProcessingOutputString("MAP", self.tr("The new map (as MAP for other algorithms)")))
        self.addOutput(QgsProcessingOutputNumber("POINTS", self.tr("Points copied")))
        self.addOutput(QgsProcessingOutputNumber("SEGMENTS", self.tr("Segments copied")))

    def execute(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        from ...core.pg import transfer

        source = map_input(self, parameters, self.INPUT, context)
        target = map_destination(self, parameters, self.OUTPUT, context)
        if not source:
            raise QgsProcessingException(self.tr("No map to copy was given."))
        if not target:
            raise QgsProcessingException(self.tr("No new map was given."))
        overwrite = self.parameterAsBoolean(parameters, self.OVERWRITE, context)
        src = resolve(parse(source)) if is_postgis_map(source) else source
        dst_map = parse(target) if is_postgis_map(target) else None
        dst = resolve(dst_map) if dst_map is not None else target
        result = transfer.transfer(src, dst, overwrite=overwrite, progress=FeedbackProgress(feedback))
        shown = dst_map.display() if dst_map is not None else target
        feedback.pushInfo(self.tr("Copied {source} to {target} in {s:.1f} s: {p} points, {n} segments.").format(
            source=transfer.describe(source), target=shown, s=result.seconds,
            p=result.counts.get("pipe_point", 0), n=result.counts.get("pipe_segment", 0)))
        if context.project() is not None:
            for layer, wkb in (("pipe_segment", QgsWkbTypes.LineStringZ), ("pipe_point", QgsWkbTypes.PointZ)):
                details = QgsProcessingContext.LayerDetails(layer, context.project(), self.OUTPUT)
                source_string = ("postgres://" + layer_source(dst_map, layer, None, wkb) if dst_map is not None
                                 else f"{target}|layername={layer}")
                context.addLayerToLoadOnCompletion(source_string, details)
        return {self.OUTPUT: shown, "MAP": shown, "POINTS": result.counts.get("pipe_point", 0),
                "SEGMENTS": result.counts.get("pipe_segment", 0)}
