"""``pipemap:profile`` -- longitudinal profile or cross-section drawings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
from qgis.core import (
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingOutputFile,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterGeometry,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
    QgsWkbTypes,
)

from ...core import profile as core_profile
from ...core import profile_map
from ..base import PipeMapAlgorithm
from .build_3d import map_crs


class ProfileAlgorithm(PipeMapAlgorithm):
    NAME = "profile"
    GROUP_ID = "map"

    MAP = "MAP"
    KIND = "KIND"
    FROM_POINT = "FROM_POINT"
    TO_POINT = "TO_POINT"
    CATEGORY = "CATEGORY"
    SECTION = "SECTION"
    GROUND = "GROUND"
    OUTPUT = "OUTPUT"
    ALL_FORMATS = "ALL_FORMATS"

    def displayName(self) -> str:  # noqa: N802
        return self.tr("Profile drawing (longitudinal or cross-section)")

    def initAlgorithm(self, config: Any = None) -> None:  # noqa: N802
        self.addParameter(QgsProcessingParameterFile(
            self.MAP, self.tr("Integrated map (GeoPackage)"), QgsProcessingParameterFile.File,
            fileFilter="GeoPackage (*.gpkg)"))
        self.addParameter(QgsProcessingParameterEnum(
            self.KIND, self.tr("Drawing"), [self.tr("Longitudinal profile along a run"),
                                            self.tr("Cross-section along a line")], defaultValue=0))
        self.addParameter(QgsProcessingParameterString(
            self.FROM_POINT, self.tr("Run from point number"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.TO_POINT, self.tr("Run to point number"), optional=True))
        self.addParameter(QgsProcessingParameterString(
            self.CATEGORY, self.tr("Run category code (e.g. PS)"), optional=True))
        self.addParameter(QgsProcessingParameterGeometry(
            self.SECTION, self.tr("Section line"), geometryTypes=[QgsWkbTypes.LineGeometry], optional=True))
        self.addParameter(QgsProcessingParameterRasterLayer(self.GROUND, self.tr("Ground DEM"), optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(
            self.OUTPUT, self.tr("Drawing"), self.tr("PNG (*.png);;SVG (*.svg);;PDF (*.pdf)")))
        self.addParameter(QgsProcessingParameterBoolean(
            self.ALL_FORMATS, self.tr("Also write the other formats (PNG, SVG, PDF)"), True))
        self.addOutput(QgsProcessingOutputFile("FIGURES", self.tr("Figures (JSON)")))

    def execute(self, parameters: dict[str, Any], context: QgsProcessingContext, feedback: Any) -> dict[str, Any]:
        map_path = self.parameterAsFile(parameters, self.MAP, context)
        kind = self.parameterAsEnum(parameters, self.KIND, context)
        out = Path(self.parameterAsFileOutput(parameters, self.OUTPUT, context))
        fmt = out.suffix.lower().lstrip(".") or "png"
        formats = ("png", "svg", "pdf") if self.parameterAsBoolean(parameters, self.ALL_FORMATS, context) else (fmt,)
        dem_layer = self.parameterAsRasterLayer(parameters, self.GROUND, context)
        dem = dem_layer.source() if dem_layer is not None else None
        crs = map_crs(map_path)
        if dem_layer is not None and dem_layer.crs() != crs:
            raise QgsProcessingException(self.tr("The DEM must be in the map's CRS ({crs}).").format(
                crs=crs.authid() or crs.description()))
        if kind == 0:
            a = self.parameterAsString(parameters, self.FROM_POINT, context).strip()
            b = self.parameterAsString(parameters, self.TO_POINT, context).strip()
            if not a or not b:
                raise QgsProcessingException(self.tr("A longitudinal profile needs FROM_POINT and TO_POINT."))
            cat = self.parameterAsString(parameters, self.CATEGORY, context).strip() or None
            result = profile_map.long_profile_from_map(map_path, a, b, cat, dem)
            title = f"{a} – {b} 纵断面图 Longitudinal profile"
            files = core_profile.render_long_profile(result, out, title=title, formats=formats)
        else:
            geom = self.parameterAsGeometry(parameters, self.SECTION, context, crs)
            if geom is None or geom.isEmpty():
                raise QgsProcessingException(self.tr("A cross-section needs a SECTION line."))
            line = geom.constGet()
            if geom.isMultipart():
                line = line.geometryN(0)
            xy = np.array([(p.x(), p.y()) for p in line.vertices()], dtype=float)
            result = profile_map.cross_section_from_map(map_path, xy, dem)
            title = "横断面图 Cross-section"
            files = core_profile.render_cross_section(result, out, title=title, formats=formats)
            feedback.pushInfo(self.tr("{n} pipes cross the section.").format(n=len(result.crossings)))
        figures = profile_map.write_figures(result, out.with_suffix(".json"))
        main = next((f for f in files if f.suffix.lower() == f".{fmt}"), files[0])
        for f in files:
            feedback.pushInfo(self.tr("Wrote {path}").format(path=str(f)))
        return {self.OUTPUT: str(main), "FIGURES": str(figures)}
