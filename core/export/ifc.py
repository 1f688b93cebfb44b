"""IFC 4.3 writer (schema IFC4X3_ADD2, ISO 16739-1:2024) for BIM / CIM platforms.

What a receiver finds in ``<basename>.ifc``:

* **Project and units**: one ``IfcProject`` with SI units (length = metre with no prefix,
  area m2, volume m3, plane angle radian, pressure pascal), a 3D ``Model`` context with ``Body``
  and ``Axis`` sub-contexts, and one ``IfcSite`` that contains every element.
* **Georeferencing**: ``IfcMapConversion`` from the model context to an ``IfcProjectedCRS``
  named ``EPSG:<code>`` (a local grid without an EPSG code: the CRS name from its WKT), with the
  map's WKT2 attached as ``IfcWellKnownText`` and the height datum in ``VerticalDatum``. The local
  origin is a round point at or below the data's minimum corner (100 m in plan, 1 m in height)
  and is written as Eastings / Northings / OrthogonalHeight; every coordinate in the file is
  relative to it, so numbers stay small. x is the easting and y the northing, as in the map.
* **Systems**: one ``IfcDistributionSystem`` per CJJ 61 category present, named
  ``"<code> <Chinese name>"`` with the closest ``IfcDistributionSystemEnum`` (:data:`SYSTEM_TYPES`),
  serving the site; every element of the category is assigned to it.
* **Segments** (z = pipe centreline): placed at their first vertex, with an ``Axis``
  representation (the 3D centreline as an ``IfcPolyline``) and a ``Body``:
  circular sections an ``IfcSweptDiskSolid`` along that polyline with the outer radius
  (outer diameter, else DN + 2 walls, else DN); box sections one ``IfcExtrudedAreaSolid`` of the
  outer width x height rectangle per straight piece (width horizontal, height vertical). A
  segment without a size gets a thin tube of ``MIN_VISIBLE_RADIUS_M`` (a warning says how many;
  ``PipeMap_Geometry.SizeKnown`` is false). Classes (:func:`segment_class`): power and telecom
  lines buried directly (``burial_method`` ZM) are ``IfcCableSegment`` (optical fibre:
  OPTICALCABLESEGMENT); power and telecom lines in ducts, duct banks, trenches or tunnels are
  the carrier, ``IfcCableCarrierSegment`` CONDUITSEGMENT; utility tunnels (QT / ZH) are
  ``IfcBuildingElementProxy`` USERDEFINED "utility tunnel" (IFC 4.3 has no tunnel class);
  everything else is ``IfcPipeSegment`` (box drains CULVERT, PE FLEXIBLESEGMENT, otherwise
  RIGIDSEGMENT).
* **Points** (z = ground): wells and chambers ``IfcDistributionChamberElement`` (with a body
  from the ground down to the well depth when the depth is known), valves ``IfcValve``,
  hydrants ``IfcFireSuppressionTerminal``, meters ``IfcFlowMeter``, gullies ``IfcWasteTerminal``,
  fittings ``IfcPipeFitting`` / ``IfcCableCarrierFitting``, other appurtenances
  ``IfcBuildingElementProxy``, and survey-only points (straight-line points, turning points,
  depth changes...) ``IfcAnnotation`` SURVEY (not assigned to a system). See :func:`point_class`.
* **Attributes**: ``PipeMap_Segment`` / ``PipeMap_Point`` property sets with every field the
  sharing profile kept (text ``IfcText``, integers ``IfcInteger``, reals ``IfcReal``, dates
  ``IfcDate`` and times ``IfcDateTime`` in ISO 8601 -- ``IfcText`` if the map holds something
  else; nulls are left out), plus
  ``Pset_PipeSegmentTypeCommon`` (NominalDiameter, OuterDiameter, WorkingPressure, Length, in
  metres and pascals) on pipe segments, ``PipeMap_Geometry`` (the body size used and where it
  came from) and a project property set ``PipeMap_Export`` (CRS, height datum, Z convention,
  accuracy, profile).

Not written: connectivity (ports and ``IfcRelConnectsPorts``), materials, types
(``IfcPipeSegmentType``...), symbol rotation of wells. GlobalIds are derived from the ids
(name-based UUIDs), so a re-export of the same map keeps them.
"""

from __future__ import annotations

import json
import math
import os
import re
import uuid
from pathlib import Path
from typing import Any

import numpy as np

from .. import codes
from ..errors import OutputError
from ..pipes3d import DEFAULT_WELL_DIAMETER_M, MIN_VISIBLE_RADIUS_M, WELL_APPURTENANCES
from ..progress import Progress, check_cancel
from ..version import __version__
from .formats import ExportOptions
from .model import LayerData, MapData, now_utc
from .writeutil import iso_datetime, safe_basename, temp_beside

SCHEMA = "IFC4X3_ADD2"
#: plan and height step of the local origin (m)
ORIGIN_STEP_XY = 100.0
ORIGIN_STEP_Z = 1.0
#: CJJ 61 category -> IfcDistributionSystemEnum
SYSTEM_TYPES = {
    "JS": "WATERSUPPLY", "PS": "DRAINAGE", "RQ": "GAS", "RL": "HEATING", "DL": "ELECTRICAL",
    "TX": "COMMUNICATION", "GY": "CHEMICAL", "QT": "USERDEFINED",
}
_NAMESPACE = uuid.UUID("6f1d2b0e-58c4-4d0f-9a51-2f6c3c1e7a40")
_CABLE_CATEGORIES = ("DL", "TX")
#: appurtenance -> (IFC class, PredefinedType); None = USERDEFINED with the code as ObjectType
_APPURTENANCE_CLASS: dict[str, tuple[str, str | None]] = {
    "manhole": ("IfcDistributionChamberElement", "MANHOLE"),
    "chamber": ("IfcDistributionChamberElement", "INSPECTIONCHAMBER"),
    "valve_chamber": ("IfcDistributionChamberElement", "VALVECHAMBER"),
    "meter_chamber": ("IfcDistributionChamberElement", "METERCHAMBER"),
    "storm_manhole": ("IfcDistributionChamberElement", "MANHOLE"),
    "sewer_manhole": ("IfcDistributionChamberElement", "MANHOLE"),
    "drop_manhole": ("IfcDistributionChamberElement", "MANHOLE"),
    "silt_manhole": ("IfcDistributionChamberElement", "SUMP"),
    "overflow_manhole": ("IfcDistributionChamberElement", "MANHOLE"),
    "gate_chamber": ("IfcDistributionChamberElement", "VALVECHAMBER"),
    "vent_shaft": ("IfcDistributionChamberElement", None),
    "flush_manhole": ("IfcDistributionChamberElement", "MANHOLE"),
    "soakaway": ("IfcDistributionChamberElement", "SUMP"),
    "seal_manhole": ("IfcDistributionChamberElement", "MANHOLE"),
    "cable_manhole": ("IfcDistributionChamberElement", "MANHOLE"),
    "handhole": ("IfcDistributionChamberElement", "INSPECTIONPIT"),
    "septic_tank": ("IfcDistributionChamberElement", None),
    "settling_tank": ("IfcDistributionChamberElement", None),
    "valve": ("IfcValve", "ISOLATING"),
    "air_valve": ("IfcValve", "AIRRELEASE"),
    "scour_valve": ("IfcValve", None),
    "regulator": ("IfcValve", "PRESSUREREDUCING"),
    "hydrant": ("IfcFireSuppressionTerminal", "FIREHYDRANT"),
    "meter": ("IfcFlowMeter", "NOTDEFINED"),
    "gully": ("IfcWasteTerminal", "GULLYSUMP"),
    "sewer_gully": ("IfcWasteTerminal", "GULLYSUMP"),
    "transformer": ("IfcTransformer", "VOLTAGE"),
    "junction_box": ("IfcJunctionBox", "NOTDEFINED"),
}
_METER_TYPES = {"JS": "WATERMETER", "RQ": "GASMETER", "RL": "ENERGYMETER"}
_JUNCTION_BOX_TYPES = {"DL": "POWER", "TX": "DATA"}
#: feature point -> PredefinedType of IfcPipeFitting (pipes) and IfcCableCarrierFitting (cables)
_PIPE_FITTINGS: dict[str, str | None] = {
    "bend": "BEND", "tee": "JUNCTION", "cross": "JUNCTION", "multi": "JUNCTION", "reducer": "TRANSITION",
    "material_change": "TRANSITION", "cap": "OBSTRUCTION", "inlet": "ENTRY", "outlet": "EXIT", "stub": None,
    "expansion": None,
}
_CABLE_FITTINGS: dict[str, str | None] = {
    "bend": "BEND", "tee": "TEE", "cross": "CROSS", "multi": "JUNCTION", "reducer": "REDUCER", "stub": None,
}
_NAMES = {c.code: c for c in (codes.APPURTENANCES + codes.POINT_FEATURES)}
_DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


def segment_class(row: dict[str, Any]) -> tuple[str, str, str | None]:
    """(IFC class, PredefinedType, ObjectType) of one segment row."""
    cat = row.get("category") or ""
    burial = row.get("burial_method")
    if cat == "QT" and (row.get("subcategory") == "ZH" or burial == "ZH"):
        return "IfcBuildingElementProxy", "USERDEFINED", "utility tunnel 综合管廊"
    if cat in _CABLE_CATEGORIES:
        if burial == "ZM" or (burial is None and row.get("section") != "box"):
            return "IfcCableSegment", ("OPTICALCABLESEGMENT" if row.get("material") == "GX" else "CABLESEGMENT"), None
        return "IfcCableCarrierSegment", "CONDUITSEGMENT", None
    if row.get("section") == "box" and cat == "PS":
        return "IfcPipeSegment", "CULVERT", None
    if row.get("material") == "PE":
        return "IfcPipeSegment", "FLEXIBLESEGMENT", None
    return "IfcPipeSegment", "RIGIDSEGMENT", None


def _label(code: str) -> str:
    c = _NAMES.get(code)
    return f"{code} {c.name_zh}" if c else code


def point_class(row: dict[str, Any]) -> tuple[str, str, str | None]:
    """(IFC class, PredefinedType, ObjectType) of one point row."""
    cat = row.get("category") or ""
    app = row.get("appurtenance")
    if app:
        cls, ptype = _APPURTENANCE_CLASS.get(app, ("IfcBuildingElementProxy", None))
        if cls == "IfcFlowMeter":
            ptype = _METER_TYPES.get(cat, "NOTDEFINED")
        elif cls == "IfcJunctionBox":
            ptype = _JUNCTION_BOX_TYPES.get(cat, "NOTDEFINED")
        return (cls, ptype, None) if ptype else (cls, "USERDEFINED", _label(app))
    feat = row.get("feature")
    table, cls = (_CABLE_FITTINGS, "IfcCableCarrierFitting") if cat in _CABLE_CATEGORIES \
        else (_PIPE_FITTINGS, "IfcPipeFitting")
    if feat in table:
        ptype = table[feat]
        return (cls, ptype, None) if ptype else (cls, "USERDEFINED", _label(feat))
    return "IfcAnnotation", "SURVEY", _label(feat) if feat else "survey point"


def local_origin(*arrays: np.ndarray) -> np.ndarray:
    """A round point at or below the minimum corner of the finite coordinates (x, y, z)."""
    stacked = np.concatenate([a.reshape(-1, 3) for a in arrays]) if arrays else np.zeros((0, 3))
    out = np.zeros(3)
    for k, step in enumerate((ORIGIN_STEP_XY, ORIGIN_STEP_XY, ORIGIN_STEP_Z)):
        col = stacked[:, k]
        col = col[np.isfinite(col)]
        out[k] = math.floor(col.min() / step) * step if len(col) else 0.0
    return out


def fill_z(xyz: np.ndarray) -> tuple[np.ndarray, str]:
    """The vertices with unknown z interpolated along the line; ("ok" | "interpolated" | "none")."""
    z = xyz[:, 2]
    bad = ~np.isfinite(z)
    if not bad.any():
        return xyz, "ok"
    if bad.all():
        return xyz, "none"
    out = xyz.copy()
    along = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(xyz[:, :2], axis=0).T))])
    out[bad, 2] = np.interp(along[bad], along[~bad], z[~bad])
    return out, "interpolated"


def _finite(v: Any) -> float | None:
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return f if math.isfinite(f) else None


def section_size(row: dict[str, Any]) -> tuple[str, float, float, str]:
    """(shape, width_m, height_m, source) of the body; circular: width = height = outer diameter."""
    if row.get("section") == "box":
        w, h = _finite(row.get("width_mm")), _finite(row.get("height_mm"))
        if w and h and w > 0 and h > 0:
            return "box", w / 1000.0, h / 1000.0, "width_mm x height_mm"
    od = _finite(row.get("outer_diameter_mm"))
    if od and od > 0:
        return "circular", od / 1000.0, od / 1000.0, "outer_diameter_mm"
    dn = _finite(row.get("dn_mm"))
    if dn and dn > 0:
        wall = _finite(row.get("wall_mm")) or 0.0
        d = (dn + 2 * max(wall, 0.0)) / 1000.0
        return "circular", d, d, "dn_mm + 2 x wall_mm" if wall > 0 else "dn_mm"
    d = 2 * MIN_VISIBLE_RADIUS_M
    return "circular", d, d, "default (size unknown)"


class _Writer:
    """Builds the IFC model entity by entity (ifcopenshell's low-level API: fast and explicit)."""

    def __init__(self, data: MapData, basename: str) -> None:
        import ifcopenshell
        import ifcopenshell.guid

        self.data = data
        self._compress = ifcopenshell.guid.compress
        self.f = ifcopenshell.file(schema=SCHEMA)
        self.f.header.file_description.description = ("ViewDefinition [ReferenceView]",)
        self.f.header.file_name.name = f"{basename}.ifc"
        self.f.header.file_name.originating_system = f"PipeMap {__version__}"
        self.f.header.file_name.preprocessor_version = f"PipeMap {__version__} (ifcopenshell)"
        self._dirs: dict[tuple[float, ...], Any] = {}

    # -- small helpers ------------------------------------------------------------------------
    def guid(self, kind: str, key: str) -> str:
        return self._compress(uuid.uuid5(_NAMESPACE, f"{kind}\x1f{key}").hex)

    def new(self, cls: str, *args: Any, **kw: Any) -> Any:
        return self.f.create_entity(cls, *args, **kw)

    def point(self, xyz: Any) -> Any:
        return self.new("IfcCartesianPoint", Coordinates=tuple(float(v) for v in xyz))

    def direction(self, d: tuple[float, ...]) -> Any:
        key = tuple(round(v, 12) for v in d)
        if key not in self._dirs:
            self._dirs[key] = self.new("IfcDirection", DirectionRatios=tuple(float(v) for v in d))
        return self._dirs[key]

    def placement3d(self, origin: Any = (0.0, 0.0, 0.0), axis: Any = None, ref: Any = None) -> Any:
        return self.new("IfcAxis2Placement3D", Location=self.point(origin),
                        Axis=self.direction(tuple(axis)) if axis is not None else None,
                        RefDirection=self.direction(tuple(ref)) if ref is not None else None)

    def text(self, value: str) -> Any:
        return self.new("IfcText", value)

    def prop(self, name: str, kind: str, value: Any) -> Any:
        return self.new("IfcPropertySingleValue", Name=name, NominalValue=self.new(kind, value))

    # -- project set-up -----------------------------------------------------------------------
    def setup(self, origin: np.ndarray) -> None:
        new = self.new
        self.metre = new("IfcSIUnit", UnitType="LENGTHUNIT", Name="METRE")
        units = [self.metre, new("IfcSIUnit", UnitType="AREAUNIT", Name="SQUARE_METRE"),
                 new("IfcSIUnit", UnitType="VOLUMEUNIT", Name="CUBIC_METRE"),
                 new("IfcSIUnit", UnitType="PLANEANGLEUNIT", Name="RADIAN"),
                 new("IfcSIUnit", UnitType="PRESSUREUNIT", Name="PASCAL")]
        self.model = new("IfcGeometricRepresentationContext", ContextType="Model", CoordinateSpaceDimension=3,
                         Precision=1e-5, WorldCoordinateSystem=self.placement3d())
        self.body = new("IfcGeometricRepresentationSubContext", ContextIdentifier="Body", ContextType="Model",
                        ParentContext=self.model, TargetView="MODEL_VIEW")
        self.axis = new("IfcGeometricRepresentationSubContext", ContextIdentifier="Axis", ContextType="Model",
                        ParentContext=self.model, TargetView="GRAPH_VIEW")
        profile = self.data.profile.name
        self.project = new("IfcProject", GlobalId=self.guid("project", self.data.source), Name="PipeMap export",
                           LongName=f"PipeMap integrated pipeline map ({profile} profile)",
                           RepresentationContexts=[self.model],
                           UnitsInContext=new("IfcUnitAssignment", Units=units))
        self._georeference(origin)
        site_placement = new("IfcLocalPlacement", RelativePlacement=self.placement3d())
        self.site_placement = site_placement
        self.site = new("IfcSite", GlobalId=self.guid("site", self.data.source), Name="PipeMap site",
                        ObjectPlacement=site_placement, CompositionType="ELEMENT")
        new("IfcRelAggregates", GlobalId=self.guid("aggregates", "site"), RelatingObject=self.project,
            RelatedObjects=[self.site])
        self._project_pset(origin)

    def _georeference(self, origin: np.ndarray) -> None:
        d = self.data
        name, description, datum, projection, zone = _crs_names(d.crs_authid, d.crs_wkt)
        vertical = (d.height_datum or "")[:255] or None
        crs = self.new("IfcProjectedCRS", Name=name, Description=description, GeodeticDatum=datum,
                       VerticalDatum=vertical, MapProjection=projection, MapZone=zone, MapUnit=self.metre)
        if d.crs_wkt:
            self.new("IfcWellKnownText", WellKnownText=d.crs_wkt, CoordinateReferenceSystem=crs)
        self.new("IfcMapConversion", SourceCRS=self.model, TargetCRS=crs, Eastings=float(origin[0]),
                 Northings=float(origin[1]), OrthogonalHeight=float(origin[2]), XAxisAbscissa=1.0,
                 XAxisOrdinate=0.0, Scale=1.0)

    def _project_pset(self, origin: np.ndarray) -> None:
        d = self.data
        desc = d.describe()
        values = {
            "Profile": d.profile.name,
            "ProfileTitle": d.profile.title.get("en", ""),
            "ProfileTitleZh": d.profile.title.get("zh_CN", ""),
            "ProfileSHA256": d.profile.sha256,
            "CRS": d.crs_authid or "(local grid, see CRSWKT)",
            "CRSWKT": d.crs_wkt,
            "HeightDatum": d.height_datum,
            "ZConventionSegments": d.z_convention.get("pipe_segment", ""),
            "ZConventionPoints": d.z_convention.get("pipe_point", ""),
            "Accuracy": json.dumps(desc.get("accuracy", {}), ensure_ascii=False, sort_keys=True),
            "LocalOrigin": "E {:.3f} N {:.3f} H {:.3f} (IfcMapConversion)".format(*origin),
            "SourceMap": desc.get("source_map", ""),
            "SchemaVersion": str(desc.get("schema_version", "")),
            "Software": f"PipeMap {__version__}",
            "ExportedAt": now_utc(),
        }
        props = [self.new("IfcPropertySingleValue", Name=k, NominalValue=self.text(v)) for k, v in values.items() if v]
        self.attach(self.project, "PipeMap_Export", props, "project")

    def attach(self, obj: Any, name: str, props: list[Any], key: str) -> None:
        if not props:
            return
        pset = self.new("IfcPropertySet", GlobalId=self.guid("pset/" + name, key), Name=name, HasProperties=props)
        self.new("IfcRelDefinesByProperties", GlobalId=self.guid("defines/" + name, key), RelatedObjects=[obj],
                 RelatingPropertyDefinition=pset)

    def field_props(self, layer: LayerData, i: int) -> list[Any]:
        props = []
        for fld in layer.fields:
            v = layer.columns[fld.name][i]
            if v is None:
                continue
            if fld.type == "integer":
                try:
                    val = self.new("IfcInteger", int(v))
                except (TypeError, ValueError):
                    continue
            elif fld.type == "real":
                fv = _finite(v)
                if fv is None:
                    continue
                val = self.new("IfcReal", fv)
            elif fld.type in ("date", "datetime"):
                iso = iso_datetime(v) or ""
                kind = "IfcDate" if _DATE_RE.match(iso) else "IfcDateTime" if _DATETIME_RE.match(iso) else "IfcText"
                val = self.new(kind, iso)
            else:
                val = self.text(str(v))
            props.append(self.new("IfcPropertySingleValue", Name=fld.name, NominalValue=val))
        return props

    # -- systems ----------------------------------------------------------------------------
    def systems(self, categories: list[str]) -> dict[str, Any]:
        out = {}
        for code in categories:
            cat = codes.CATEGORY_BY_CODE.get(code)
            zh, en = (cat.name_zh, cat.name_en) if cat else ("", code or "unknown")
            ptype = SYSTEM_TYPES.get(code, "USERDEFINED")
            sys_ = self.new("IfcDistributionSystem", GlobalId=self.guid("system", code), Name=f"{code} {zh}".strip(),
                            Description=f"CJJ 61 category {code}: {zh} / {en}",
                            ObjectType=en if ptype == "USERDEFINED" else None, LongName=f"{zh} {en}".strip(),
                            PredefinedType=ptype)
            self.new("IfcRelServicesBuildings", GlobalId=self.guid("services", code), RelatingSystem=sys_,
                     RelatedBuildings=[self.site])
            out[code] = sys_
        return out

    # -- geometry ---------------------------------------------------------------------------
    def local_placement(self, xyz: np.ndarray) -> Any:
        return self.new("IfcLocalPlacement", PlacementRelTo=self.site_placement,
                        RelativePlacement=self.placement3d(xyz))

    def segment_shape(self, local: np.ndarray, shape: str, width: float, height: float) -> Any:
        """Axis + Body representations of a centreline given relative to its placement."""
        pts = [self.point(p) for p in local]
        line = self.new("IfcPolyline", Points=pts)
        reps = [self.new("IfcShapeRepresentation", ContextOfItems=self.axis, RepresentationIdentifier="Axis",
                         RepresentationType="Curve3D", Items=[line])]
        keep = np.concatenate([[True], np.linalg.norm(np.diff(local, axis=0), axis=1) > 1e-6])
        clean = local[keep]
        if len(clean) >= 2:
            if shape == "box":
                items = self.box_pieces(clean, width, height)
                rtype = "SweptSolid"
            else:
                directrix = line if len(clean) == len(local) else \
                    self.new("IfcPolyline", Points=[self.point(p) for p in clean])
                items = [self.new("IfcSweptDiskSolid", Directrix=directrix, Radius=width / 2.0)]
                rtype = "AdvancedSweptSolid"
            reps.append(self.new("IfcShapeRepresentation", ContextOfItems=self.body,
                                 RepresentationIdentifier="Body", RepresentationType=rtype, Items=items))
        return self.new("IfcProductDefinitionShape", Representations=reps)

    def box_pieces(self, local: np.ndarray, width: float, height: float) -> list[Any]:
        prof = self.new("IfcRectangleProfileDef", ProfileType="AREA", XDim=width, YDim=height)
        items = []
        up = self.direction((0.0, 0.0, 1.0))
        for a, b in zip(local[:-1], local[1:]):
            d = b - a
            length = float(np.linalg.norm(d))
            d = d / length
            h = np.array([-d[1], d[0], 0.0])
            h = h / np.linalg.norm(h) if np.linalg.norm(h) > 1e-9 else np.array([1.0, 0.0, 0.0])
            pos = self.placement3d(a, d, h)
            items.append(self.new("IfcExtrudedAreaSolid", SweptArea=prof, Position=pos, ExtrudedDirection=up,
                                  Depth=length))
        return items

    def well_shape(self, row: dict[str, Any]) -> tuple[Any, str] | None:
        depth = _finite(row.get("well_depth_m"))
        if not depth or depth <= 0:
            return None
        diam = _finite(row.get("well_diameter_mm"))
        width, length = _finite(row.get("well_width_mm")), _finite(row.get("well_length_mm"))
        if row.get("well_shape") == "rect" and width and width > 0:
            prof = self.new("IfcRectangleProfileDef", ProfileType="AREA", XDim=width / 1000.0,
                            YDim=(length if length and length > 0 else width) / 1000.0)
            source = "well_width_mm x well_length_mm"
        elif diam and diam > 0:
            prof = self.new("IfcCircleProfileDef", ProfileType="AREA", Radius=diam / 2000.0)
            source = "well_diameter_mm"
        else:
            prof = self.new("IfcCircleProfileDef", ProfileType="AREA", Radius=DEFAULT_WELL_DIAMETER_M / 2.0)
            source = "default diameter (size unknown)"
        solid = self.new("IfcExtrudedAreaSolid", SweptArea=prof, Position=self.placement3d((0.0, 0.0, -depth)),
                         ExtrudedDirection=self.direction((0.0, 0.0, 1.0)), Depth=depth)
        rep = self.new("IfcShapeRepresentation", ContextOfItems=self.body, RepresentationIdentifier="Body",
                       RepresentationType="SweptSolid", Items=[solid])
        return self.new("IfcProductDefinitionShape", Representations=[rep]), source


def _crs_names(authid: str, wkt: str) -> tuple[str, str | None, str | None, str | None, str | None]:
    """(Name, Description, GeodeticDatum, MapProjection, MapZone) of IfcProjectedCRS."""
    crs_name = datum = method = None
    if wkt:
        from osgeo import osr

        srs = osr.SpatialReference()
        if srs.ImportFromWkt(wkt) == 0:
            crs_name = srs.GetName()
            datum = srs.GetAttrValue("DATUM")
            method = srs.GetAttrValue("PROJECTION")
    name = authid or crs_name or "local grid (no EPSG code)"
    zone = None
    if crs_name and "CM " in crs_name:
        zone = crs_name[crs_name.index("CM "):]
    return (name[:255], crs_name, (datum or "")[:255] or None, (method or "")[:255] or None,
            (zone or "")[:255] or None)


def write(data: MapData, folder: Path, options: ExportOptions, progress: Progress) -> list[Path]:
    """Write ``<basename>.ifc`` (IFC4X3_ADD2) into ``folder``; see the module docstring."""
    import ifcopenshell  # noqa: F401  (a missing package only affects this format)

    basename = safe_basename(options.basename)
    exported = {lyr.name for lyr in data.layers()}
    segs = data.segments if "pipe_segment" in exported else None
    pts = data.points if "pipe_point" in exported else None
    empty = np.zeros((0, 3))
    origin = local_origin(segs.vertices if segs is not None else empty, pts.vertices if pts is not None else empty)
    w = _Writer(data, basename)
    w.setup(origin)
    cats = sorted({c or "" for lyr in (segs, pts) if lyr is not None for c in lyr.columns.get("category", [])})
    run = _Run(w, w.systems(cats), origin, progress, max(1, (len(segs) if segs else 0) + (len(pts) if pts else 0)))
    if segs is not None:
        run.segments(segs)
    if pts is not None:
        run.points(pts)
    run.finish()
    target = Path(folder) / f"{basename}.ifc"
    _write_atomic(w.f, target)
    progress.report(1.0)
    return [target]


class _Run:
    """One export: the elements of both layers, their system groups, and what to warn about."""

    def __init__(self, w: _Writer, systems: dict[str, Any], origin: np.ndarray, progress: Progress,
                 total: int) -> None:
        self.w, self.systems, self.origin, self.progress, self.total = w, systems, origin, progress, total
        self.members: dict[str, list[Any]] = {c: [] for c in systems}
        self.contained: list[Any] = []
        self.done = 0
        self.unsized = self.no_z = self.interpolated = self.wells_default = 0

    def _tick(self) -> None:
        if self.done % 200 == 0:
            check_cancel(self.progress)
            self.progress.report(0.9 * self.done / self.total)
        self.done += 1

    def segments(self, segs: LayerData) -> None:
        w = self.w
        for i in range(len(segs)):
            self._tick()
            row = segs.row(i)
            sid = str(row.get("seg_id") or f"segment {i + 1}")
            cls, ptype, otype = segment_class(row)
            xyz, zstate = fill_z(segs.coords(i))
            shape, width, height, source = section_size(row)
            self.unsized += source.startswith("default")
            self.interpolated += zstate == "interpolated"
            if zstate == "none":
                self.no_z += 1
                placement = w.local_placement(np.array([xyz[0, 0] - self.origin[0], xyz[0, 1] - self.origin[1], 0.0]))
                rep = None
            else:
                rel = xyz - self.origin
                placement = w.local_placement(rel[0])
                rep = w.segment_shape(rel - rel[0], shape, width, height)
            elem = w.new(cls, GlobalId=w.guid("pipe_segment", sid), Name=sid[:255], Description=_describe(row),
                         ObjectType=otype, ObjectPlacement=placement, Representation=rep, Tag=sid[:255],
                         PredefinedType=ptype)
            w.attach(elem, "PipeMap_Segment", w.field_props(segs, i), sid)
            w.attach(elem, "PipeMap_Geometry", [
                w.prop("BodyShape", "IfcLabel", shape), w.prop("BodyWidth", "IfcPositiveLengthMeasure", width),
                w.prop("BodyHeight", "IfcPositiveLengthMeasure", height), w.prop("SizeSource", "IfcLabel", source),
                w.prop("SizeKnown", "IfcBoolean", not source.startswith("default")),
                w.prop("ZKnown", "IfcBoolean", zstate == "ok")], sid)
            if cls == "IfcPipeSegment":
                w.attach(elem, "Pset_PipeSegmentTypeCommon", _pipe_common(w, row, None if zstate == "none" else xyz),
                         sid)
            self.contained.append(elem)
            self.members[row.get("category") or ""].append(elem)

    def points(self, pts: LayerData) -> None:
        w = self.w
        for i in range(len(pts)):
            self._tick()
            row = pts.row(i)
            pid = str(row.get("point_id") or f"point {i + 1}")
            cls, ptype, otype = point_class(row)
            rel = pts.vertices[i] - self.origin
            if not math.isfinite(rel[2]):
                self.no_z += 1
                rel = np.array([rel[0], rel[1], 0.0])
            shape_rep = None
            if cls == "IfcDistributionChamberElement" or row.get("appurtenance") in WELL_APPURTENANCES:
                built = w.well_shape(row)
                if built is not None:
                    shape_rep, source = built
                    self.wells_default += source.startswith("default")
            kw: dict[str, Any] = dict(GlobalId=w.guid("pipe_point", pid), Name=pid[:255], Description=_describe(row),
                                      ObjectType=otype, ObjectPlacement=w.local_placement(rel),
                                      Representation=shape_rep, PredefinedType=ptype)
            if cls != "IfcAnnotation":  # annotations have no Tag and belong to no distribution system
                kw["Tag"] = pid[:255]
            elem = w.new(cls, **kw)
            w.attach(elem, "PipeMap_Point", w.field_props(pts, i), pid)
            self.contained.append(elem)
            if cls != "IfcAnnotation":
                self.members[row.get("category") or ""].append(elem)

    def finish(self) -> None:
        w, warn = self.w, self.progress.warning
        if self.contained:
            w.new("IfcRelContainedInSpatialStructure", GlobalId=w.guid("contained", "site"),
                  RelatedElements=self.contained, RelatingStructure=w.site)
        for code, elems in self.members.items():
            if elems:
                w.new("IfcRelAssignsToGroup", GlobalId=w.guid("group", code), RelatedObjects=elems,
                      RelatingGroup=self.systems[code])
        if self.unsized:
            warn(f"IFC: {self.unsized} segments without a size were drawn as {2000 * MIN_VISIBLE_RADIUS_M:.0f} mm "
                 "tubes (PipeMap_Geometry.SizeKnown = false).")
        if self.wells_default:
            warn(f"IFC: {self.wells_default} wells without a size were drawn {DEFAULT_WELL_DIAMETER_M:g} m wide.")
        if self.interpolated:
            warn(f"IFC: {self.interpolated} segments had vertices without elevation; their z was interpolated "
                 "along the line.")
        if self.no_z:
            warn(f"IFC: {self.no_z} features have no elevation at all: they were placed at the origin height "
                 "without a 3D body (PipeMap_Geometry.ZKnown = false).")
        if not self.contained:
            warn("IFC: nothing to export; the file holds the project, site and georeferencing only.")


def _describe(row: dict[str, Any]) -> str:
    cat = codes.CATEGORY_BY_CODE.get(row.get("category") or "")
    text = f"{cat.code} {cat.name_zh} {cat.name_en}" if cat else str(row.get("category") or "")
    sub = row.get("subcategory")
    if sub:
        names = {s.code: s for s in codes.SUBCATEGORIES}
        text += f" / {sub} {names[sub].name_zh}" if sub in names else f" / {sub}"
    return text


def _pipe_common(w: _Writer, row: dict[str, Any], xyz: np.ndarray | None) -> list[Any]:
    out = []

    def prop(name: str, value: float | None, kind: str) -> None:
        if value is not None and value > 0:
            out.append(w.new("IfcPropertySingleValue", Name=name, NominalValue=w.new(kind, float(value))))

    dn = _finite(row.get("dn_mm"))
    prop("NominalDiameter", dn / 1000.0 if dn else None, "IfcPositiveLengthMeasure")
    shape, width, _, source = section_size(row)
    if shape == "circular" and not source.startswith("default") and source != "dn_mm":
        prop("OuterDiameter", width, "IfcPositiveLengthMeasure")
    mpa = _finite(row.get("pressure_mpa"))
    prop("WorkingPressure", mpa * 1e6 if mpa else None, "IfcPressureMeasure")
    if xyz is not None:
        prop("Length", float(np.linalg.norm(np.diff(xyz, axis=0), axis=1).sum()), "IfcPositiveLengthMeasure")
    return out


def _write_atomic(model: Any, target: Path) -> None:
    tmp = temp_beside(target)
    try:
        model.write(str(tmp))
        os.replace(tmp, target)
    except (OSError, RuntimeError) as exc:  # ifcopenshell: RuntimeError "Failed to write to path ..."
        raise OutputError("Cannot write {path}: {reason}", code="output.write_failed", path=str(target),
                          reason=exc.strerror or str(exc) if isinstance(exc, OSError) else
                          "the file could not be written (disk full or not writable?)") from None
    finally:
        if tmp.exists():
            tmp.unlink()
