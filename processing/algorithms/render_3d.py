"""``pipemap:render3d`` -- render a 3D view of pipe layers to a PNG."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsVectorLayer,
    QgsWkbTypes,
)

from .. import scene3d
from ..base import PipeMapAlgorithm

TERRAINS = ("off", "flat", "dem")


class Render3DAlgorithm(PipeMapAlgorithm):
    NAME = "render3d"
    GROUP_ID = "map"

    LAYERS = "LAYERS"
    GROUND = "GROUND"
    TERRAIN = "TERRAIN"
    WIDTH = "WIDTH"
    HEIGHT = "HEIGHT"
    PITCH = "PITCH"
    HEADING = "HEADING"
    EXTENT = "EXTENT"
    OUTPUT = "OUTPUT"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Render 3D view of pipes")

    def flags(self) -> Any:
        # the 3D engine needs the main thread (OpenGL context)
        return super().flags() | self.FlagNoThreading

    def initAlgorithm(self, config: Any = None) -> None:  # noqa: N802
        self.addParameter(QgsProcessingParameterMultipleLayers(
            self.LAYERS, self.tr("3D pipe layers (from build3d) or pipe segments"),
            QgsProcessing.TypeVectorAnyGeometry))
        self.addParameter(QgsProcessingParameterRasterLayer(self.GROUND, self.tr("Ground DEM"), optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.TERRAIN, self.tr("Terrain (with a DEM: seen through)"),
            [self.tr("Off"), self.tr("Flat"), self.tr("DEM, see-through")], defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            self.WIDTH, self.tr("Image width (px)"), QgsProcessingParameterNumber.Integer, 1600, minValue=64,
            maxValue=8000))
        self.addParameter(QgsProcessingParameterNumber(
            self.HEIGHT, self.tr("Image height (px)"), QgsProcessingParameterNumber.Integer, 1000, minValue=64,
            maxValue=8000))
        self.addParameter(QgsProcessingParameterNumber(
            self.PITCH, self.tr("Camera pitch (degrees, 0 = straight down)"), QgsProcessingParameterNumber.Double,
            55.0, minValue=0.0, maxValue=89.0))
        self.addParameter(QgsProcessingParameterNumber(
            self.HEADING, self.tr("Camera heading (degrees)"), QgsProcessingParameterNumber.Double, 20.0,
            minValue=-360.0, maxValue=360.0))
        self.addParameter(QgsProcessingParameterExtent(
            self.EXTENT, self.tr("Area to show (default: all layers)"), optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, self.tr("3D view (PNG)"), self.tr("PNG (*.png)")))

    def execute(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        layers = self.parameterAsLayerList(parameters, self.LAYERS, context)
        vectors = [layer for layer in layers if isinstance(layer, QgsVectorLayer) and layer.isValid()]
        if not vectors:
            raise QgsProcessingException(self.tr("No valid vector layer to render."))
        for layer in vectors:
            if layer.renderer3D() is not None:
                continue
            if QgsWkbTypes.geometryType(layer.wkbType()) == QgsWkbTypes.PolygonGeometry:
                scene3d.apply_pipe_3d_renderer(layer)
            elif QgsWkbTypes.geometryType(layer.wkbType()) == QgsWkbTypes.LineGeometry:
                scene3d.apply_line_3d_renderer(layer)
        dem = self.parameterAsRasterLayer(parameters, self.GROUND, context)
        terrain = TERRAINS[self.parameterAsEnum(parameters, self.TERRAIN, context)]
        if terrain == "dem" and dem is None:
            raise QgsProcessingException(self.tr("The DEM terrain needs a GROUND raster."))
        out = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        crs = vectors[0].crs()
        extent = None
        if parameters.get(self.EXTENT):
            extent = self.parameterAsExtent(parameters, self.EXTENT, context, crs)
        camera = {"pitch": self.parameterAsDouble(parameters, self.PITCH, context),
                  "heading": self.parameterAsDouble(parameters, self.HEADING, context)}
        try:
            path = scene3d.render_3d_png(vectors, crs, extent, out,
                                         width_px=self.parameterAsInt(parameters, self.WIDTH, context),
                                         height_px=self.parameterAsInt(parameters, self.HEIGHT, context),
                                         camera=camera, dem_layer=dem if terrain == "dem" else None,
                                         terrain=terrain)
        except RuntimeError as exc:
            raise QgsProcessingException(self.tr("The 3D view could not be rendered: {reason}").format(
                reason=str(exc))) from None
        feedback.pushInfo(self.tr("Wrote {path}").format(path=str(path)))
        return {self.OUTPUT: str(path)}
