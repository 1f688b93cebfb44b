"""The export formats, in a stable order (``pipemap:export`` FORMAT indexes this list).

Each writer is a function ``write(data, folder, options, progress) -> list[Path]``
in its own module: it writes only inside ``folder`` (a fresh, empty folder of
the package being built) and returns the files it wrote. Writers are imported
when used, so a missing optional package only affects its format.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class ExportOptions:
    basename: str = "pipemap"  #: stem of the files written
    encoding: str = "UTF-8"  #: Shapefile .dbf and CJJ 61 tables: "UTF-8" or "GBK"
    table_format: str = "csv"  #: CJJ 61 result tables: "csv" or "xlsx"


@dataclass(frozen=True)
class FormatSpec:
    key: str
    label_en: str
    label_zh: str
    module: str  #: module under core.export
    needs: tuple[str, ...] = ()  #: Python packages the writer imports
    layers: tuple[str, ...] = ("pipe_segment", "pipe_point")


FORMATS: tuple[FormatSpec, ...] = (
    FormatSpec("gpkg", "GeoPackage (with code lists and metadata)", "GeoPackage（含代码表与元数据）", "gpkg"),
    FormatSpec("shapefile", "Shapefile (PolyLineZ / PointZ, .cpg, field map)", "Shapefile（PolyLineZ / PointZ）",
               "shapefile"),
    FormatSpec("tables", "CJJ 61 result tables (JSPoint / JSLine per category)", "CJJ 61 成果表（分类点表与线表）",
               "tables"),
    FormatSpec("dxf", "DXF R2010 (3D polylines, CJJ 61 layers and colours)", "DXF R2010（三维多段线）", "dxf",
               ("ezdxf",)),
    FormatSpec("epanet", "EPANET .inp (water supply)", "EPANET .inp（给水）", "epanet", (), ("pipe_segment",)),
    FormatSpec("swmm", "SWMM .inp (drainage)", "SWMM .inp（排水）", "swmm", (), ("pipe_segment",)),
    FormatSpec("ifc", "IFC 4.3 (IfcPipeSegment, georeferenced)", "IFC 4.3（管段，带地理参考）", "ifc",
               ("ifcopenshell",)),
    FormatSpec("cityjson", "CityJSON 2.0 (+ pipe extension)", "CityJSON 2.0（含管线扩展）", "cityjson"),
    FormatSpec("jsonfg", "GeoJSON / JSON-FG (web)", "GeoJSON / JSON-FG（网络发布）", "jsonfg"),
    FormatSpec("las", "LAS/LAZ of GPR picks", "探地雷达拾取点 LAS/LAZ", "las", ("laspy",), ("gpr_pick",)),
)

KEYS: tuple[str, ...] = tuple(f.key for f in FORMATS)


def spec(key: str) -> FormatSpec:
    for f in FORMATS:
        if f.key == key:
            return f
    from ..errors import InputError

    raise InputError("Unknown export format {key} (known: {known}).", code="export.bad_format", key=key,
                     known=", ".join(KEYS))


def writer(key: str) -> Callable[..., Any]:
    """The ``write`` function of a format (imports its module)."""
    mod = importlib.import_module(f"{__package__}.{spec(key).module}")
    return mod.write
