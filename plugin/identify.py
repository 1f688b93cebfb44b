"""Identify a pipe: its attributes, its clearances to the neighbouring pipes
and its cover, computed with the same core checks the Processing algorithms
use (on the pipes within reach only), in a background task."""

from __future__ import annotations

import html
import math
from typing import Any

import numpy as np
from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsRectangle,
)
from qgis.PyQt.QtCore import QCoreApplication, QLocale
from qgis.PyQt.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from .tasks import FunctionTask

#: pipes whose bounding box comes within this distance (m) are the neighbours checked
NEIGHBOUR_REACH_M = 15.0


def _subset(seg: Any, idx: list[int]) -> Any:
    """A SegmentArrays with the pipes ``idx`` only."""
    from dataclasses import fields, replace

    verts, offsets = [], [0]
    for k in idx:
        v = seg.coords(k)
        verts.append(v)
        offsets.append(offsets[-1] + len(v))
    changes: dict[str, Any] = {"vertices": np.concatenate(verts) if verts else np.zeros((0, 3)),
                               "offsets": np.array(offsets, dtype=np.int64)}
    for f in fields(seg):
        if f.name in changes:
            continue
        value = getattr(seg, f.name)
        if value is None:
            continue
        if isinstance(value, np.ndarray):
            changes[f.name] = value[idx]
        else:
            changes[f.name] = [value[k] for k in idx]
    return replace(seg, **changes)


def pipe_report(map_path: str, seg_id: str, dem_path: str = "", roads_wkb: tuple[bytes, ...] = (),
                clash_rules: str = "", cover_rules: str = "", reach_m: float = NEIGHBOUR_REACH_M) -> dict[str, Any]:
    """Clearances of one pipe to its neighbours (every figure, PASS included)
    and its cover. QGIS-free; runs in a task."""
    from ..core import mapread
    from ..core.checks.clash import check_clash
    from ..core.checks.cover import check_cover
    from ..core.checks.ground import dem_ground
    from ..core.checks.pipes import Pipes
    from ..core.checks.rules import RuleSet

    seg = mapread.read_segments(map_path)
    if seg_id not in seg.ids:
        raise ValueError(f"{seg_id} is not in the map")
    k = seg.ids.index(seg_id)
    v = seg.vertices
    starts, ends = seg.offsets[:-1], seg.offsets[1:]
    lo_x = np.minimum.reduceat(v[:, 0], starts)
    hi_x = np.maximum.reduceat(v[:, 0], starts)
    lo_y = np.minimum.reduceat(v[:, 1], starts)
    hi_y = np.maximum.reduceat(v[:, 1], starts)
    near = np.flatnonzero((lo_x <= hi_x[k] + reach_m) & (hi_x >= lo_x[k] - reach_m)
                          & (lo_y <= hi_y[k] + reach_m) & (hi_y >= lo_y[k] - reach_m) & (ends > starts))
    sub = _subset(seg, [int(i) for i in near])
    rules = RuleSet.shipped()
    if clash_rules:
        rules = rules.with_user_clearances(clash_rules)
    if cover_rules:
        rules = rules.with_user_cover(cover_rules)
    pipes = Pipes.from_segments(sub, rules)  # class attributes come with the segments
    ground = dem_ground(dem_path) if dem_path else None
    clash = check_clash(pipes, rules, ground, include_pass=True)
    clearances = []
    for rec in clash.records():
        if seg_id not in (rec["pipe_a"], rec["pipe_b"]):
            continue
        other = rec["pipe_b"] if rec["pipe_a"] == seg_id else rec["pipe_a"]
        clearances.append({"pipe": str(other), "kind": str(rec["kind"]), "clearance_m": rec["clearance_m"],
                           "required_m": rec["required_m"], "margin_m": rec["margin_m"],
                           "verdict": str(rec["verdict"]), "reason": str(rec.get("reason") or "")})
    order = {"FAIL": 0, "UNCERTAIN": 1, "UNKNOWN": 2, "PASS": 3}
    clearances.sort(key=lambda r: (order.get(r["verdict"], 9), _finite(r["margin_m"], 1e9)))
    one = _subset(seg, [k])
    pipe1 = Pipes.from_segments(one, rules)
    roads = None
    if roads_wkb:
        import shapely

        roads = [shapely.from_wkb(w) for w in roads_wkb]
    cover_rec = None
    if ground is not None:
        cover = check_cover(pipe1, rules, ground, roads, include_pass=True)
        recs = cover.records()
        cover_rec = recs[0] if recs else None
    return {"seg_id": seg_id, "neighbours": int(len(near) - 1), "clearances": clearances, "cover": cover_rec}


def _finite(value: Any, default: float) -> float:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return default
    return out if math.isfinite(out) else default


def _num(value: Any) -> str:
    try:
        out = float(value)
    except (TypeError, ValueError):
        return ""
    return QLocale().toString(out, "f", 2) if math.isfinite(out) else ""


def report_html(attributes: list[tuple[str, Any]], report: dict[str, Any] | None, error: str = "") -> str:
    """The identified pipe as HTML: attributes, cover, clearances to its neighbours."""
    esc = html.escape
    texts = {
        "pipe": QCoreApplication.translate("PipeMapIdentify", "Pipe"),
        "failed": QCoreApplication.translate("PipeMapIdentify", "The clearances could not be computed:"),
        "cover": QCoreApplication.translate("PipeMapIdentify", "Cover"),
        "no_dem": QCoreApplication.translate("PipeMapIdentify", "Unknown: choose the ground DEM in the Map section."),
        "cover_line": QCoreApplication.translate("PipeMapIdentify",
                                                 "{verdict}: cover {cover} m, required {required} m ({surface})."),
        "clearances": QCoreApplication.translate("PipeMapIdentify", "Clearances to neighbouring pipes"),
        "none": QCoreApplication.translate("PipeMapIdentify", "No other pipe within reach."),
    }
    head = (QCoreApplication.translate("PipeMapIdentify", "Pipe"),
            QCoreApplication.translate("PipeMapIdentify", "Figure"),
            QCoreApplication.translate("PipeMapIdentify", "Clearance (m)"),
            QCoreApplication.translate("PipeMapIdentify", "Required (m)"),
            QCoreApplication.translate("PipeMapIdentify", "Verdict"))
    seg_id = str(dict(attributes).get("seg_id", ""))
    parts = [f"<h3>{esc(texts['pipe'])} {esc(seg_id)}</h3>", "<table border='0' cellspacing='0' cellpadding='2'>"]
    for name, value in attributes:
        if value is None or str(value) in ("", "NULL"):
            continue
        parts.append(f"<tr><td><b>{esc(name)}</b></td><td>{esc(str(value))}</td></tr>")
    parts.append("</table>")
    if error:
        parts.append(f"<p>{esc(texts['failed'])} {esc(error)}</p>")
    if report is None:
        return "".join(parts)
    cover = report.get("cover")
    parts.append(f"<h4>{esc(texts['cover'])}</h4>")
    if cover is None:
        parts.append(f"<p>{esc(texts['no_dem'])}</p>")
    else:
        line = texts["cover_line"].format(verdict=cover.get("verdict", ""), cover=_num(cover.get("min_cover_m")),
                                          required=_num(cover.get("required_m")), surface=cover.get("surface") or "")
        parts.append(f"<p>{esc(line)}</p>")
    parts.append(f"<h4>{esc(texts['clearances'])}</h4>")
    rows = report.get("clearances") or []
    if not rows:
        parts.append(f"<p>{esc(texts['none'])}</p>")
        return "".join(parts)
    parts.append("<table border='1' cellspacing='0' cellpadding='2'><tr>"
                 + "".join(f"<th>{esc(h)}</th>" for h in head) + "</tr>")
    colours = {"FAIL": "#dc1e1e", "UNCERTAIN": "#e08800", "UNKNOWN": "#808080", "PASS": "#1e8c3c"}
    for r in rows[:60]:
        colour = colours.get(r["verdict"], "#000000")
        parts.append(f"<tr><td>{esc(r['pipe'])}</td><td>{esc(r['kind'])}</td><td>{_num(r['clearance_m'])}</td>"
                     f"<td>{_num(r['required_m'])}</td><td style='color:{colour}'><b>{esc(r['verdict'])}</b></td></tr>")
    parts.append("</table>")
    return "".join(parts)


class PipeDialog(QDialog):
    """Non-modal window with the identified pipe."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("PipeMap: pipe"))
        self.setObjectName("PipeMapPipeDialog")
        self.browser = QTextBrowser(self)
        buttons = QDialogButtonBox(QDialogButtonBox.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        self.resize(520, 560)


def nearest_pipe(dock: Any, point: QgsPointXY, pixels: float = 8.0) -> Any:
    """The pipe_segment feature nearest to a canvas point (within ``pixels``)."""
    layer = dock.map_layer("pipe_segment")
    if layer is None:
        return None, None
    tol = pixels * dock.canvas.mapUnitsPerPixel()
    rect = QgsRectangle(point.x() - tol, point.y() - tol, point.x() + tol, point.y() + tol)
    dest = dock.canvas.mapSettings().destinationCrs()
    target = QgsGeometry.fromPointXY(point)
    if dest.isValid() and layer.crs().isValid() and dest != layer.crs():
        xform = QgsCoordinateTransform(dest, layer.crs(), QgsProject.instance())
        rect = xform.transformBoundingBox(rect)
        target.transform(xform)
    best, best_d = None, math.inf
    for f in layer.getFeatures(QgsFeatureRequest().setFilterRect(rect)):
        if not f.hasGeometry():
            continue
        d = f.geometry().distance(target)
        if d < best_d:
            best, best_d = f, d
    return layer, best


def identify_at(dock: Any, point: QgsPointXY) -> FunctionTask | None:
    """Show the pipe nearest to a canvas point; the clearances follow from a task."""
    layer, feat = nearest_pipe(dock, point)
    if feat is None:
        dock.push(QCoreApplication.translate("PipeMapIdentify", "No pipe here: click on a pipe of the open map."),
                  Qgis.Info, 4)
        return None
    attributes = [(name, feat[name]) for name in layer.fields().names() if name != "fid"]
    seg_id = str(feat["seg_id"])
    dock.canvas.flashGeometries([dock.to_canvas(QgsGeometry(feat.geometry()), layer.crs())],
                                dock.canvas.mapSettings().destinationCrs())
    dialog = dock.pipe_dialog
    if dialog is None:
        dialog = dock.pipe_dialog = PipeDialog(dock.iface.mainWindow())
    waiting = QCoreApplication.translate("PipeMapIdentify", "Computing clearances…")
    dialog.browser.setHtml(report_html(attributes, None) + "<p>" + html.escape(waiting) + "</p>")
    dialog.show()
    dem = dock.dem_layer()
    roads_layer = dock.checks_section.roads_combo.currentLayer()
    roads_wkb: tuple[bytes, ...] = ()
    if roads_layer is not None:
        xform = QgsCoordinateTransform(roads_layer.crs(), layer.crs(), QgsProject.instance())
        wkbs = []
        for f in roads_layer.getFeatures():
            if f.hasGeometry():
                g = QgsGeometry(f.geometry())
                g.transform(xform)
                wkbs.append(bytes(g.asWkb()))
        roads_wkb = tuple(wkbs)
    args = dict(map_path=dock.map_path, seg_id=seg_id, dem_path=dem.source() if dem is not None else "",
                roads_wkb=roads_wkb, clash_rules=dock.checks_section.clash_rules.filePath().strip(),
                cover_rules=dock.checks_section.cover_rules.filePath().strip())

    def done(ok: bool, result: Any, error: str) -> None:
        dock.identify_result = result if ok else None
        if dialog is not None:
            dialog.browser.setHtml(report_html(attributes, result if ok else None, "" if ok else error))
        dock.identify_task = None

    title = QCoreApplication.translate("PipeMapIdentify", "PipeMap: clearances of {id}").format(id=seg_id)
    task = FunctionTask(title, lambda t: pipe_report(**args), done)
    dock.identify_task = task
    QgsApplication.taskManager().addTask(task)
    return task
