"""A deterministic sample district: a block of streets with all 8 CJJ 61
categories, written as Chinese (GBK) survey result tables, a DEM and
carriageway polygons, with a handful of deliberate data errors.

Used by ``make demo``, the tests and the benchmarks. Everything follows from
``seed``; ``scale`` repeats the street grid to make large districts.

Layout (EPSG:4547, CGCS2000 3-degree GK CM 114E): streets on a grid, red-line
width 40 m, carriageway 24 m. Lines lie parallel to the street centre lines at
offsets in the GB 50289-2016 4.1.3 order (power and telecom under the
sidewalks, then water, gas, heat, and the drains under the carriageway).
Lines of one category meet at street crossings (tees and crosses); lines of
different categories cross at different depths.
"""

from __future__ import annotations

import csv
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import OutputError

CRS = "EPSG:4547"
ORIGIN = (538_000.0, 3_380_000.0)


@dataclass(frozen=True)
class LineSpec:
    """How one kind of line is laid in every street that carries it."""

    prefix: str  #: file / point-number prefix (category or sub-category code)
    category: str
    subcategory: str
    offset_m: float  #: from the street centre line (positive: north / east side)
    size: str  #: as written in the table ("DN300", "600X400", "")
    material: str  #: Chinese name as in the tables
    burial: str  #: Chinese burial method
    depth_ref: str  #: "top", "invert" or "struct_top"
    depth_m: float  #: surveyed depth at the reference
    outer_m: float  #: outer height (m) for z computations in tests
    inner_m: float  #: inner height (m)
    spacing_m: float
    streets: str = "all"  #: "all", "ew" or "ns" or "ew0"/"ns1" (one street)
    extra: dict[str, str] = field(default_factory=dict)


# outer diameters follow resources/rules/wall_thickness.csv
SPECS: tuple[LineSpec, ...] = (
    LineSpec("DL", "DL", "GD", -17.0, "600X400", "铜", "管块", "struct_top", 0.70, 0.4, 0.4, 40.0,
             extra={"电压": "10kV", "电缆条数": "6", "总孔数": "12", "已用孔数": "6", "权属单位": "市供电公司"}),
    LineSpec("LD", "DL", "LD", -19.0, "", "铜", "直埋", "top", 0.80, 0.0, 0.0, 30.0, streets="ew",
             extra={"电压": "0.4kV", "电缆条数": "1", "权属单位": "市路灯管理处"}),
    LineSpec("TX", "TX", "XX", 17.0, "500X300", "光纤", "管块", "struct_top", 0.80, 0.3, 0.3, 40.0,
             extra={"总孔数": "9", "已用孔数": "4", "权属单位": "市通信公司"}),
    LineSpec("JS", "JS", "JP", -14.0, "DN300", "球墨铸铁", "直埋", "top", 1.10, 0.3144, 0.300, 40.0,
             extra={"压力": "0.3", "权属单位": "市自来水公司"}),
    LineSpec("RQ", "RQ", "TR", 14.0, "DN200", "钢", "直埋", "top", 1.00, 0.2120, 0.200, 40.0,
             extra={"压力": "中压A", "权属单位": "市燃气集团"}),
    LineSpec("RL", "RL", "RS", -10.0, "DN300", "钢", "直埋", "top", 1.50, 0.3160, 0.300, 40.0,
             streets="ew", extra={"压力": "1.6", "权属单位": "市热力公司"}),
    LineSpec("YS", "PS", "YS", -4.0, "DN800", "混凝土", "直埋", "invert", 2.60, 0.960, 0.800, 40.0,
             extra={"权属单位": "市排水公司"}),
    LineSpec("WS", "PS", "WS", 4.0, "DN500", "混凝土", "直埋", "invert", 3.20, 0.600, 0.500, 40.0,
             extra={"权属单位": "市排水公司"}),
    LineSpec("GY", "GY", "YQ", 10.0, "DN150", "钢", "直埋", "top", 1.20, 0.1600, 0.150, 40.0, streets="ns1",
             extra={"压力": "0.8", "权属单位": "某化工厂"}),
    LineSpec("ZH", "QT", "ZH", 8.0, "3000X2800", "混凝土", "综合管廊", "struct_top", 2.50, 2.8, 2.8, 100.0,
             streets="ew0", extra={"权属单位": "市管廊公司"}),
)

POINT_HEADERS = ["图上点号", "物探点号", "特征", "附属物", "X", "Y", "地面高程", "井深", "井径", "道路名称", "备注"]
LINE_HEADERS = ["起点点号", "终点点号", "起点埋深", "终点埋深", "起点高程", "终点高程", "材质", "管径", "埋设方式",
                "压力", "电压", "电缆条数", "总孔数", "已用孔数", "权属单位", "埋设年代", "道路名称", "备注"]


@dataclass
class SeededError:
    file: str
    row: int
    code: str
    what: str


@dataclass
class SampleDistrict:
    folder: Path
    tables: Path  #: folder with the per-category result tables
    dem: Path
    roads: Path  #: GeoPackage with the carriageway polygons (layer ``carriageway``)
    crs: str
    extent: tuple[float, float, float, float]
    errors: list[SeededError]
    n_points: int
    n_segments: int
    encoding: str
    #: expected centreline z at both ends of every clean segment: (prefix, start, end) -> (z0, z1)
    expected_z: dict[tuple[str, str, str], tuple[float, float]] = field(default_factory=dict)


def ground_elevation(x: np.ndarray | float, y: np.ndarray | float) -> np.ndarray:
    """The district's ground surface (m, 1985 heights): a gentle slope with
    a smooth undulation. The DEM samples exactly this function."""
    dx = np.asarray(x, dtype=float) - ORIGIN[0]
    dy = np.asarray(y, dtype=float) - ORIGIN[1]
    return 25.0 + 0.004 * dx + 0.002 * dy + 0.4 * np.sin(dx / 90.0) * np.cos(dy / 120.0)


def _street_positions(n: int, spacing: float) -> list[float]:
    return [i * spacing for i in range(n)]


def generate(folder: str | os.PathLike[str], seed: int = 61, scale: int = 1, errors: bool = True,
             encoding: str = "gbk", street_length_m: float = 400.0) -> SampleDistrict:
    """Write the sample district into ``folder`` (created if needed).

    :param scale: the number of blocks along each axis grows with it
        (scale 1: 3 x 3 streets; a district of N segments needs scale ~ sqrt(N/250)).
    :param errors: inject the deliberate data errors (see ``SampleDistrict.errors``).
    :param encoding: "gbk" (as Chinese survey tables usually are) or "utf-8".
    """
    rng = np.random.default_rng(seed)
    out = Path(folder)
    tables = out / "tables"
    tables.mkdir(parents=True, exist_ok=True)
    n_streets = 3 * scale
    spacing = street_length_m / 2.0
    ew = [ORIGIN[1] + v for v in _street_positions(n_streets, spacing)]  # street centre northings
    ns = [ORIGIN[0] + v for v in _street_positions(n_streets, spacing)]  # street centre eastings
    x0, x1 = ns[0] - 60.0, ns[-1] + 60.0
    y0, y1 = ew[0] - 60.0, ew[-1] + 60.0
    road_names_ew = [f"建设{_cn_number(i + 1)}路" for i in range(n_streets)]
    road_names_ns = [f"解放{_cn_number(i + 1)}街" for i in range(n_streets)]

    point_rows: dict[str, list[list[str]]] = {}
    line_rows: dict[str, list[list[str]]] = {}
    expected: dict[tuple[str, str, str], tuple[float, float]] = {}
    n_points = n_segments = 0
    for spec in SPECS:
        nodes: dict[tuple[float, float], dict] = {}
        edges: list[tuple[tuple[float, float], tuple[float, float], str]] = []

        def node(x: float, y: float, road: str, nodes: dict = nodes) -> tuple[float, float]:
            key = (round(x, 3), round(y, 3))
            nodes.setdefault(key, {"road": road, "degree": 0})
            return key

        use_ew = spec.streets in ("all", "ew") or spec.streets == "ew0"
        use_ns = spec.streets in ("all", "ns") or spec.streets == "ns1"
        ew_list = [0] if spec.streets == "ew0" else range(len(ew)) if use_ew else []
        ns_list = [1] if spec.streets == "ns1" else range(len(ns)) if use_ns else []
        cross_x = [ns[j] + spec.offset_m for j in ns_list]
        cross_y = [ew[k] + spec.offset_m for k in ew_list]
        for k in ew_list:
            y = ew[k] + spec.offset_m
            xs = _stations(x0 + 20.0, x1 - 20.0, spec.spacing_m, cross_x)
            keys = [node(x, y, road_names_ew[k]) for x in xs]
            for a, b in zip(keys, keys[1:]):
                edges.append((b, a, road_names_ew[k]) if spec.depth_ref == "invert" else (a, b, road_names_ew[k]))
        for j in ns_list:
            x = ns[j] + spec.offset_m
            ys = _stations(y0 + 20.0, y1 - 20.0, spec.spacing_m, cross_y)
            keys = [node(x, y, road_names_ns[j]) for y in ys]
            for a, b in zip(keys, keys[1:]):
                edges.append((b, a, road_names_ns[j]) if spec.depth_ref == "invert" else (a, b, road_names_ns[j]))
        for a, b, _ in edges:
            nodes[a]["degree"] += 1
            nodes[b]["degree"] += 1
        ids: dict[tuple[float, float], str] = {}
        prows: list[list[str]] = []
        for i, (key, info) in enumerate(sorted(nodes.items()), start=1):
            pid = f"{spec.prefix}{i}"
            ids[key] = pid
            x, y = key
            ground = round(float(ground_elevation(x, y)), 3)
            info["ground"] = ground
            feature, appurtenance, well_depth, well_size = _point_kind(spec, info["degree"], i, rng, ground)
            prows.append([pid, f"W{spec.prefix}{1000 + i}", feature, appurtenance, f"{y:.3f}", f"{x:.3f}",
                          f"{ground:.3f}", well_depth, well_size, info["road"], ""])
        lrows: list[list[str]] = []
        year = 1995 + int(rng.integers(0, 25))
        for a, b, road in edges:
            ga, gb = nodes[a]["ground"], nodes[b]["ground"]
            da = round(spec.depth_m + float(rng.uniform(-0.05, 0.05)), 2)
            db = round(spec.depth_m + float(rng.uniform(-0.05, 0.05)), 2)
            # one depth per point, shared by every pipe meeting there
            da = nodes[a].setdefault("depth", da)
            db = nodes[b].setdefault("depth", db)
            ea, eb = round(ga - da, 3), round(gb - db, 3)
            if spec.depth_ref == "invert":
                za, zb = ea + spec.inner_m / 2, eb + spec.inner_m / 2
            else:
                za, zb = ea - spec.outer_m / 2, eb - spec.outer_m / 2
            expected[(spec.prefix, ids[a], ids[b])] = (za, zb)
            extra = spec.extra
            lrows.append([ids[a], ids[b], f"{da:.2f}", f"{db:.2f}", f"{ea:.3f}", f"{eb:.3f}", spec.material,
                          spec.size, spec.burial, extra.get("压力", ""), extra.get("电压", ""),
                          extra.get("电缆条数", ""), extra.get("总孔数", ""), extra.get("已用孔数", ""),
                          extra.get("权属单位", ""), str(year), road, ""])
        point_rows[spec.prefix] = prows
        line_rows[spec.prefix] = lrows
        n_points += len(prows)
        n_segments += len(lrows)

    seeded: list[SeededError] = []
    if errors:
        seeded = _inject_errors(point_rows, line_rows, expected)
    for prefix in point_rows:
        _write_csv(tables / f"{prefix}Point.csv", POINT_HEADERS, point_rows[prefix], encoding)
        _write_csv(tables / f"{prefix}Line.csv", LINE_HEADERS, line_rows[prefix], encoding)
    dem = out / "dem.tif"
    _write_dem(dem, (x0 - 20, y0 - 20, x1 + 20, y1 + 20), 2.0)
    roads = out / "roads.gpkg"
    _write_roads(roads, ew, ns, x0, x1, y0, y1, road_names_ew, road_names_ns)
    return SampleDistrict(out, tables, dem, roads, CRS, (x0, y0, x1, y1), seeded,
                          sum(len(v) for v in point_rows.values()), sum(len(v) for v in line_rows.values()),
                          encoding, expected)


def _cn_number(n: int) -> str:
    digits = "零一二三四五六七八九"
    if n < 10:
        return digits[n]
    if n < 20:
        return "十" + (digits[n - 10] if n > 10 else "")
    return digits[n // 10] + "十" + (digits[n % 10] if n % 10 else "")


def _stations(start: float, stop: float, step: float, crossings: list[float]) -> list[float]:
    """Regular stations plus the crossings; regular ones within 5 m of a
    crossing are dropped."""
    regular = list(np.arange(start, stop + 1e-6, step))
    keep = [s for s in regular if all(abs(s - c) > 5.0 for c in crossings)]
    allx = sorted(set([round(v, 3) for v in keep] + [round(c, 3) for c in crossings if start <= c <= stop]))
    return allx


def _point_kind(spec: LineSpec, degree: int, index: int, rng: np.random.Generator,
                ground: float) -> tuple[str, str, str, str]:
    """(feature, appurtenance, well depth, well size) for a point."""
    if spec.category == "PS":
        depth = spec.depth_m + 0.3
        manhole = "雨水井" if spec.subcategory == "YS" else "污水井"
        return "", manhole, f"{depth:.2f}", "1000"
    if spec.category in ("DL", "TX") and spec.burial != "直埋":
        if degree >= 3 or index % 3 == 0:
            return "", "人孔", f"{spec.depth_m + 0.8:.2f}", "1200X1000"
    if spec.category == "QT":
        return "", "通风井", f"{spec.depth_m + 2.8:.2f}", "2000X1500"
    if degree == 1:
        return "预留口", "", "", ""
    if degree == 3:
        return "三通", "", "", ""
    if degree == 4:
        return "四通", "", "", ""
    if spec.category == "JS" and index % 5 == 0:
        return "", "消防栓", "", ""
    if spec.category in ("JS", "RQ") and index % 4 == 0:
        return "", "阀门", "", ""
    return "直线点", "", "", ""


def _inject_errors(points: dict[str, list[list[str]]], lines: dict[str, list[list[str]]],
                   expected: dict) -> list[SeededError]:
    """The deliberate data errors; rows are spreadsheet rows (header = 1)."""
    seeded: list[SeededError] = []
    js = points["JS"]
    dup = list(js[3])
    dup[4] = f"{float(dup[4]) + 7.5:.3f}"
    js.insert(6, dup)
    seeded.append(SeededError("JSPoint.csv", 8, "point.duplicate_id", f"point number {dup[0]} used twice"))

    jl = lines["JS"]
    row = list(jl[2])
    row[1] = "JS9999"
    jl.append(row)
    seeded.append(SeededError("JSLine.csv", len(jl) + 1, "seg.missing_point", "end point JS9999 not in JSPoint"))

    rq = lines["RQ"]
    row = list(rq[1])
    row[1] = row[0]
    rq.append(row)
    seeded.append(SeededError("RQLine.csv", len(rq) + 1, "seg.same_ends", "start = end"))

    ws = lines["WS"]
    row = list(ws[4])
    row[0], row[1] = row[1], row[0]
    row[2], row[3] = row[3], row[2]
    row[4], row[5] = row[5], row[4]
    ws.append(row)
    seeded.append(SeededError("WSLine.csv", len(ws) + 1, "seg.reversed_duplicate", "reversed duplicate"))

    ys = lines["YS"]
    ys[5][4] = f"{float(ys[5][4]) + 0.5:.3f}"
    seeded.append(SeededError("YSLine.csv", 7, "seg.ground_mismatch", "start elevation 0.5 m off"))
    expected.pop(("YS", ys[5][0], ys[5][1]), None)

    rl = lines["RL"]
    rl[3][6] = "XYZ"
    seeded.append(SeededError("RLLine.csv", 5, "code.unknown_material", "material XYZ"))
    expected.pop(("RL", rl[3][0], rl[3][1]), None)

    tx = lines["TX"]
    tx[2][2] = "25.00"
    tx[2][4] = ""
    seeded.append(SeededError("TXLine.csv", 4, "seg.implausible_depth", "start depth 25 m"))
    expected.pop(("TX", tx[2][0], tx[2][1]), None)
    return seeded


def _write_csv(path: Path, headers: list[str], rows: list[list[str]], encoding: str) -> None:
    tmp = path.with_name(path.name + ".part")
    with open(tmp, "w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(headers)
        writer.writerows(rows)
    os.replace(tmp, path)


def _write_dem(path: Path, bounds: tuple[float, float, float, float], cell_m: float) -> None:
    from osgeo import gdal, osr

    from .gdalutil import gdal_exceptions

    xmin, ymin, xmax, ymax = bounds
    nx = int(math.ceil((xmax - xmin) / cell_m))
    ny = int(math.ceil((ymax - ymin) / cell_m))
    xs = xmin + (np.arange(nx) + 0.5) * cell_m
    ys = ymax - (np.arange(ny) + 0.5) * cell_m
    grid = ground_elevation(xs[None, :], ys[:, None]).astype(np.float32)
    tmp = path.with_name(path.name + ".part.tif")
    with gdal_exceptions():
        ds = gdal.GetDriverByName("GTiff").Create(str(tmp), nx, ny, 1, gdal.GDT_Float32,
                                                  options=["COMPRESS=DEFLATE", "TILED=YES"])
        if ds is None:
            raise OutputError("Cannot write the DEM {path}.", code="sample.dem", path=str(path))
        ds.SetGeoTransform((xmin, cell_m, 0.0, ymax, 0.0, -cell_m))
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(4547)
        ds.SetProjection(srs.ExportToWkt())
        band = ds.GetRasterBand(1)
        band.WriteArray(grid)
        band.SetNoDataValue(-9999.0)
        ds = None  # noqa: F841
    os.replace(tmp, path)


def _write_roads(path: Path, ew: list[float], ns: list[float], x0: float, x1: float, y0: float, y1: float,
                 names_ew: list[str], names_ns: list[str]) -> None:
    from osgeo import gdal, ogr, osr

    from .gdalutil import gdal_exceptions

    half = 12.0  # carriageway 24 m
    tmp = path.with_name(path.name + ".part.gpkg")
    if tmp.exists():
        tmp.unlink()
    with gdal_exceptions():
        ds = gdal.GetDriverByName("GPKG").Create(str(tmp), 0, 0, 0, gdal.GDT_Unknown)
        srs = osr.SpatialReference()
        srs.ImportFromEPSG(4547)
        lyr = ds.CreateLayer("carriageway", srs, ogr.wkbPolygon, options=["GEOMETRY_NAME=geom", "FID=fid"])
        lyr.CreateField(ogr.FieldDefn("road", ogr.OFTString))
        lyr.CreateField(ogr.FieldDefn("surface", ogr.OFTString))
        for y, name in zip(ew, names_ew):
            _road_rect(lyr, x0, y - half, x1, y + half, name)
        for x, name in zip(ns, names_ns):
            _road_rect(lyr, x - half, y0, x + half, y1, name)
        ds = None  # noqa: F841
    os.replace(tmp, path)


def _road_rect(layer, xmin: float, ymin: float, xmax: float, ymax: float, name: str) -> None:
    from osgeo import ogr

    feat = ogr.Feature(layer.GetLayerDefn())
    feat.SetField("road", name)
    feat.SetField("surface", "motor")
    feat.SetGeometry(ogr.CreateGeometryFromWkt(
        f"POLYGON(({xmin} {ymin},{xmax} {ymin},{xmax} {ymax},{xmin} {ymax},{xmin} {ymin}))"))
    layer.CreateFeature(feat)
