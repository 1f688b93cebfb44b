"""``pipemap:build3d`` -- true-size 3D pipe and well meshes."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingMultiStepFeedback,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from ...core import mapfile, pipes3d
from ..base import FeedbackProgress, PipeMapAlgorithm, add_feature, finish_sink


def map_crs(map_path: str) -> QgsCoordinateReferenceSystem:
    meta = mapfile.read_metadata(map_path)
    crs = QgsCoordinateReferenceSystem(meta.get("crs_authid") or "")
    if not crs.isValid():
        crs = QgsCoordinateReferenceSystem.fromWkt(meta.get("crs_wkt", ""))
    return crs


class Pipe3DStyler(QgsProcessingLayerPostProcessorInterface):
    """Gives an output layer the category-coloured 3D renderer once loaded."""

    instances: list[Pipe3DStyler] = []  # keep alive until QGIS calls them

    def postProcessLayer(self, layer: Any, context: Any, feedback: Any) -> None:  # noqa: N802
        from .. import scene3d

        try:
            scene3d.apply_pipe_3d_renderer(layer)
        except Exception as exc:  # a styling problem must not lose the output
            feedback.reportError(f"3D style not applied: {exc}", False)


class Build3DAlgorithm(PipeMapAlgorithm):
    NAME = "build3d"
    GROUP_ID = "map"

    MAP = "MAP"
    SIDES = "SIDES"
    OUTPUT = "OUTPUT"
    OUTPUT_WELLS = "OUTPUT_WELLS"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Build true-size 3D pipes")

    def initAlgorithm(self, config: Any = None) -> None:  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            self.MAP, self.tr("Integrated map (GeoPackage)"), QgsProcessingParameterFile.File,
            fileFilter="GeoPackage (*.gpkg)"))
        self.addParameter(QgsProcessingParameterNumber(
            self.SIDES, self.tr("Facets around a circular pipe"), QgsProcessingParameterNumber.Integer, 12,
            minValue=3, maxValue=64))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT, self.tr("3D pipes"), QgsProcessing.TypeVectorPolygon))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_WELLS, self.tr("3D wells"), QgsProcessing.TypeVectorPolygon, optional=True,
            createByDefault=True))
        self.addOutput(QgsProcessingOutputNumber("PIPES", self.tr("Pipes built")))
        self.addOutput(QgsProcessingOutputNumber("WELLS", self.tr("Wells built")))

    def execute(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        map_path = self.parameterAsFile(parameters, self.MAP, context)
        sides = self.parameterAsInt(parameters, self.SIDES, context)
        steps = QgsProcessingMultiStepFeedback(4, feedback)
        meshes = pipes3d.build_pipes(map_path, sides=sides, progress=FeedbackProgress(steps))
        crs = map_crs(map_path)
        fields = QgsFields()
        for name, kind in (("seg_id", QVariant.String), ("category", QVariant.String),
                           ("subcategory", QVariant.String), ("shape", QVariant.String),
                           ("width_m", QVariant.Double), ("height_m", QVariant.Double),
                           ("size_known", QVariant.Bool)):
            fields.append(QgsField(name, kind))
        steps.setCurrentStep(1)
        sink, sink_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, QgsWkbTypes.MultiPolygonZ, crs)
        n = len(meshes.ids)
        written = 0
        for k in range(n):
            if feedback.isCanceled():
                break
            geom = QgsGeometry()
            geom.fromWkb(meshes.wkb[k])
            if geom.isEmpty():
                continue
            feat = QgsFeature(fields)
            feat.setGeometry(geom)
            feat.setAttributes([meshes.ids[k], meshes.category[k], meshes.subcategory[k], meshes.shape[k],
                                float(meshes.width_m[k]), float(meshes.height_m[k]), bool(meshes.size_known[k])])
            add_feature(sink, feat, f"the 3D pipe {meshes.ids[k]}")
            written += 1
            if k % 2000 == 0:
                steps.setProgress(100.0 * k / max(1, n))
        for sid in meshes.skipped[:50]:
            feedback.reportError(self.tr("Segment {id} has no usable geometry; no 3D pipe built.").format(id=sid),
                                 False)
        finish_sink(sink)
        results: dict[str, Any] = {self.OUTPUT: sink_id, "PIPES": written, "WELLS": 0}
        self._style_on_load(context, sink_id)
        steps.setCurrentStep(2)
        wells = pipes3d.build_wells(map_path)
        wfields = QgsFields()
        for name, kind in (("point_id", QVariant.String), ("category", QVariant.String),
                           ("appurtenance", QVariant.String), ("depth_m", QVariant.Double)):
            wfields.append(QgsField(name, kind))
        wsink, wsink_id = self.parameterAsSink(parameters, self.OUTPUT_WELLS, context, wfields,
                                               QgsWkbTypes.MultiPolygonZ, crs)
        if wsink is not None:
            steps.setCurrentStep(3)
            count = 0
            for k, wid in enumerate(wells.ids):
                if feedback.isCanceled():
                    break
                geom = QgsGeometry()
                geom.fromWkb(wells.wkb[k])
                if geom.isEmpty():
                    continue
                feat = QgsFeature(wfields)
                feat.setGeometry(geom)
                feat.setAttributes([wid, wells.category[k], wells.appurtenance[k], float(wells.depth_m[k])])
                add_feature(wsink, feat, f"the 3D well {wid}")
                count += 1
            finish_sink(wsink)
            results[self.OUTPUT_WELLS] = wsink_id
            results["WELLS"] = count
            self._style_on_load(context, wsink_id)
        feedback.pushInfo(self.tr("Built {pipes} 3D pipes and {wells} wells.").format(
            pipes=written, wells=results["WELLS"]))
        return results

    def _style_on_load(self, context: QgsProcessingContext, layer_id: str) -> None:
        if context.willLoadLayerOnCompletion(layer_id):
            styler = Pipe3DStyler()
            Pipe3DStyler.instances.append(styler)
            context.layerToLoadOnCompletionDetails(layer_id).setPostProcessor(styler)
