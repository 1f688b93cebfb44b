"""``pipemap:importlayers`` -- GIS layers of another system into the integrated map."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessing,
    QgsProcessingContext,
    QgsProcessingParameterCrs,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)

from ...core.models import layers
from ..base import FeedbackProgress, PipeMapAlgorithm
from .create_map import crs_for_core
from .import_model import add_count_outputs, publish
from .import_survey import FileOrFolderParameter

#: Z_REFERENCE choices, in order (0 = the mapping's, per category)
Z_CHOICES = (None, "top", "centre", "invert")


class ImportLayersAlgorithm(PipeMapAlgorithm):
    NAME = "importlayers"
    GROUP_ID = "map"

    INPUT = "INPUT"
    LAYERS = "LAYERS"
    MAP = "MAP"
    MAPPING = "MAPPING"
    CRS = "CRS"
    CATEGORY = "CATEGORY"
    CATEGORY_FIELD = "CATEGORY_FIELD"
    DEPTH_FIELD = "DEPTH_FIELD"
    ELEVATION_FIELD = "ELEVATION_FIELD"
    Z_REFERENCE = "Z_REFERENCE"
    DEFAULT_COVER_M = "DEFAULT_COVER_M"
    GROUND = "GROUND"
    OUTPUT_ISSUES = "OUTPUT_ISSUES"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Import GIS layers (GeoPackage, Shapefile, DXF, OSM...)")

    def initAlgorithm(self, config: Any = None) -> None:  # noqa: N802
        self.addParameter(FileOrFolderParameter(
            self.INPUT, self.tr("Vector file or folder (any OGR format; path|layername=NAME selects a layer)"),
            QgsProcessingParameterFile.File))
        self.addParameter(QgsProcessingParameterString(
            self.LAYERS, self.tr("Layers to import, comma-separated (empty: every point and line layer)"), "",
            optional=True))
        self.addParameter(QgsProcessingParameterFile(
            self.MAP, self.tr("Integrated map (GeoPackage)"), QgsProcessingParameterFile.File,
            fileFilter="GeoPackage (*.gpkg)"))
        self.addParameter(QgsProcessingParameterString(
            self.MAPPING, self.tr("Field mapping: default, osm, or a JSON/YAML file"), "default"))
        self.addParameter(QgsProcessingParameterCrs(
            self.CRS, self.tr("CRS of the layers (empty: each layer's own, else the map's)"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.CATEGORY, self.tr("One category for every feature (code or name; empty: from the fields)"), "",
            optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.CATEGORY_FIELD, self.tr("Field holding the category (e.g. Layer for DXF)"), "", optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.DEPTH_FIELD, self.tr("Field with the depth below ground (m)"), "", optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.ELEVATION_FIELD, self.tr("Field with the elevation (m)"), "", optional=True))
        self.addParameter(QgsProcessingParameterEnum(
            self.Z_REFERENCE, self.tr("Depths and elevations refer to"),
            [self.tr("The mapping's choice (drainage: invert, others: top)"), self.tr("Pipe top"),
             self.tr("Pipe centre"), self.tr("Invert")], defaultValue=0))
        self.addParameter(QgsProcessingParameterNumber(
            self.DEFAULT_COVER_M, self.tr("Cover above the pipe top where no depth is known (m; needs GROUND)"),
            QgsProcessingParameterNumber.Double, None, optional=True, minValue=0.0, maxValue=20.0))
        self.addParameter(QgsProcessingParameterRasterLayer(
            self.GROUND, self.tr("Ground surface DEM"), optional=True))
        self.addParameter(QgsProcessingParameterFeatureSink(
            self.OUTPUT_ISSUES, self.tr("Import problems"), QgsProcessing.TypeVectorPoint, optional=True,
            createByDefault=True))
        add_count_outputs(self)

    def execute(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        source = self.parameterAsFile(parameters, self.INPUT, context) or str(parameters.get(self.INPUT) or "")
        names = [n.strip() for n in (self.parameterAsString(parameters, self.LAYERS, context) or "").split(",")
                 if n.strip()]
        map_path = self.parameterAsFile(parameters, self.MAP, context)
        mapping = self.parameterAsString(parameters, self.MAPPING, context) or "default"
        crs = self.parameterAsCrs(parameters, self.CRS, context)
        cover = None
        if parameters.get(self.DEFAULT_COVER_M) not in (None, ""):
            cover = self.parameterAsDouble(parameters, self.DEFAULT_COVER_M, context)
        dem = self.parameterAsRasterLayer(parameters, self.GROUND, context) if parameters.get(self.GROUND) else None
        result = layers.import_layers(
            map_path, source, names, mapping=mapping, crs=crs_for_core(crs) if crs.isValid() else "",
            category=self.parameterAsString(parameters, self.CATEGORY, context) or None,
            category_field=self.parameterAsString(parameters, self.CATEGORY_FIELD, context) or None,
            depth_field=self.parameterAsString(parameters, self.DEPTH_FIELD, context) or None,
            elevation_field=self.parameterAsString(parameters, self.ELEVATION_FIELD, context) or None,
            z_reference=Z_CHOICES[self.parameterAsEnum(parameters, self.Z_REFERENCE, context)],
            default_cover_m=cover, ground=dem.source() if dem is not None else None,
            progress=FeedbackProgress(feedback))
        return publish(self, parameters, context, feedback, result, map_path, self.OUTPUT_ISSUES)
