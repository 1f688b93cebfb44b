"""Map snapshots and PDF reports of check findings (headless: qgis.core and QtGui only, no widgets).

The HTML pages are written by :mod:`..core.checks.report`; this module renders their PNG snapshots with a
:class:`QgsMapRendererCustomPainterJob` and lays out the PDF versions in a :class:`QgsPrintLayout` made of plain
layout items (labels, text tables, map items, scale bars: no web-kit HTML item). Both take their tables and
captions from the core module, so the HTML and the PDF say the same.

Every layer this module draws is created in the calling thread (the map's ``pipe_segment`` is opened afresh,
findings and highlights are memory layers), so an algorithm running in a background thread never renders a layer
that belongs to the GUI thread.
"""

from __future__ import annotations

import math
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsExpression,
    QgsFeature,
    QgsFeatureRequest,
    QgsField,
    QgsFillSymbol,
    QgsGeometry,
    QgsLayoutExporter,
    QgsLayoutFrame,
    QgsLayoutItemLabel,
    QgsLayoutItemMap,
    QgsLayoutItemPage,
    QgsLayoutItemScaleBar,
    QgsLayoutItemTextTable,
    QgsLayoutMultiFrame,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLayoutTable,
    QgsLayoutTableColumn,
    QgsLayoutUtils,
    QgsLineSymbol,
    QgsMapLayer,
    QgsMapRendererCustomPainterJob,
    QgsMapSettings,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsPointXY,
    QgsPrintLayout,
    QgsProject,
    QgsRectangle,
    QgsRenderContext,
    QgsRendererCategory,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QBuffer, QByteArray, QIODevice, QPointF, QRectF, QSize, Qt, QVariant
from qgis.PyQt.QtGui import QColor, QFont, QImage, QPainter, QPen

from ..core.checks import report as core_report
from ..core.version import __version__

PLUGIN_DIR = Path(__file__).resolve().parent.parent
PIPE_STYLE = PLUGIN_DIR / "resources" / "styles" / "pipe_segment.qml"

#: point colours of findings by verdict
VERDICT_COLOURS = {"FAIL": "#d7191c", "UNCERTAIN": "#f28e2b", "UNKNOWN": "#7f7f7f", "PASS": "#1a9641"}
HIGHLIGHT = "#e31a1c"
#: snapshot size in pixels and the half-width (m) of the window around a finding
SNAPSHOT_PX = (640, 420)
HALF_WIDTH_M = 18.0

# A4 portrait, in mm
PAGE_W, PAGE_H, MARGIN = 210.0, 297.0, 14.0
CONTENT_W = PAGE_W - 2 * MARGIN
BOTTOM = PAGE_H - MARGIN - 6.0  # room for the footer
CELL_MARGIN = 0.7
KEEP = 22.0  #: a heading needs this much room under it (mm)


@dataclass
class MapShot:
    """One map of a report: a caption, the extent (in ``crs``) and the layers, top first."""

    caption: str
    extent: QgsRectangle
    layers: list[QgsMapLayer]
    crs: QgsCoordinateReferenceSystem
    record: dict[str, Any] = field(default_factory=dict)
    check: str = ""


# ---------------------------------------------------------------------------------------------------------------
# layers


def map_pipes_layer(map_path: str) -> QgsVectorLayer:
    """The map's ``pipe_segment`` layer, styled by category (the style stored in the map, else the shipped QML)."""
    layer = QgsVectorLayer(f"{map_path}|layername=pipe_segment", "pipe_segment", "ogr")
    if not layer.isValid():
        raise ValueError(f"{map_path} has no readable pipe_segment layer")
    if not isinstance(layer.renderer(), QgsCategorizedSymbolRenderer) and PIPE_STYLE.is_file():
        layer.loadNamedStyle(str(PIPE_STYLE))
    return layer


def own_copy(layer: QgsVectorLayer, name: str | None = None) -> QgsVectorLayer:
    """A layer for this thread with the same features as ``layer``, drawn with a plain dark line or point: a
    file-based layer is opened again from its source, a memory layer is copied."""
    if layer.providerType() != "memory":
        out = QgsVectorLayer(layer.source(), name or layer.name(), layer.providerType())
        if not out.isValid():
            raise ValueError(f"cannot open {layer.source()}")
        if layer.subsetString():
            out.setSubsetString(layer.subsetString())
    else:
        out = QgsVectorLayer(f"{QgsWkbTypes.displayString(layer.wkbType())}?crs={layer.crs().authid()}",
                             name or layer.name(), "memory")
        if not layer.crs().authid():
            out.setCrs(layer.crs())
        out.dataProvider().addAttributes(layer.fields().toList())
        out.updateFields()
        out.dataProvider().addFeatures(list(layer.getFeatures()))
    geom = QgsWkbTypes.geometryType(out.wkbType())
    if geom == QgsWkbTypes.LineGeometry:
        out.setRenderer(QgsSingleSymbolRenderer(QgsLineSymbol.createSimple(
            {"line_color": "#3a3a3a", "line_width": "0.5", "capstyle": "round"})))
    elif geom == QgsWkbTypes.PointGeometry:
        out.setRenderer(QgsSingleSymbolRenderer(QgsMarkerSymbol.createSimple(
            {"name": "circle", "color": "#3a3a3a", "size": "1.2", "outline_style": "no"})))
    return out


def findings_layer(records: Iterable[Mapping[str, Any]], crs: QgsCoordinateReferenceSystem,
                   name: str = "findings", label_field: str = "") -> QgsVectorLayer:
    """A memory point layer of the located findings, coloured by verdict, labelled with ``label_field``."""
    layer = QgsVectorLayer("Point", name, "memory")
    layer.setCrs(crs)
    layer.dataProvider().addAttributes([QgsField("verdict", QVariant.String), QgsField("label", QVariant.String)])
    layer.updateFields()
    feats = []
    for rec in records:
        x, y = core_report.number(rec.get("x")), core_report.number(rec.get("y"))
        if not (math.isfinite(x) and math.isfinite(y)):
            continue
        f = QgsFeature(layer.fields())
        text = rec.get(label_field) if label_field else None
        f.setAttributes([core_report.verdict_of(rec), "" if text is None else str(text)])
        f.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        feats.append(f)
    layer.dataProvider().addFeatures(feats)
    cats = [QgsRendererCategory(v, QgsMarkerSymbol.createSimple(
        {"name": "circle", "color": c, "size": "2.0", "outline_color": "#ffffff", "outline_width": "0.2"}), v)
        for v, c in VERDICT_COLOURS.items()]
    layer.setRenderer(QgsCategorizedSymbolRenderer("verdict", cats))
    if label_field:
        settings = QgsPalLayerSettings()
        settings.fieldName = "label"
        settings.placement = QgsPalLayerSettings.OrderedPositionsAroundPoint
        settings.setFormat(_label_format(6.5))
        layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
        layer.setLabelsEnabled(True)
    return layer


def highlight_layers(geometries: QgsGeometry | Sequence[QgsGeometry] | None, crs: QgsCoordinateReferenceSystem,
                     dashed: bool = False) -> list[QgsVectorLayer]:
    """Memory layers that mark ``geometries``: a red ring for points, a wide translucent red line for lines,
    a red outline for polygons (dashed with ``dashed``)."""
    if geometries is None:
        return []
    geoms = [geometries] if isinstance(geometries, QgsGeometry) else list(geometries)
    out = []
    for gtype, kind in ((QgsWkbTypes.PolygonGeometry, "MultiPolygon"), (QgsWkbTypes.LineGeometry, "MultiLineString"),
                        (QgsWkbTypes.PointGeometry, "MultiPoint")):
        mine = [g for g in geoms if g is not None and not g.isEmpty() and g.type() == gtype]
        if not mine:
            continue
        layer = QgsVectorLayer(kind, "highlight", "memory")
        layer.setCrs(crs)
        feats = []
        for g in mine:
            f = QgsFeature()
            g2 = QgsGeometry(g)
            g2.convertToMultiType()
            f.setGeometry(g2)
            feats.append(f)
        layer.dataProvider().addFeatures(feats)
        style = "dash" if dashed else "solid"
        if gtype == QgsWkbTypes.PolygonGeometry:
            sym = QgsFillSymbol.createSimple({"color": "255,0,0,25" if not dashed else "0,0,0,0",
                                              "outline_color": HIGHLIGHT, "outline_width": "0.6",
                                              "outline_style": style})
        elif gtype == QgsWkbTypes.LineGeometry:
            sym = QgsLineSymbol.createSimple({"line_color": "227,26,28,110", "line_width": "2.2",
                                              "capstyle": "round", "line_style": style})
        else:
            sym = QgsMarkerSymbol.createSimple({"name": "circle", "color": "0,0,0,0", "outline_color": HIGHLIGHT,
                                                "outline_width": "0.7", "size": "6"})
        layer.setRenderer(QgsSingleSymbolRenderer(sym))
        out.append(layer)
    return out


def pipes_by_id(layer: QgsVectorLayer, id_field: str, ids: Iterable[Any],
                crs: QgsCoordinateReferenceSystem) -> list[QgsVectorLayer]:
    """The pipes of ``layer`` whose ``id_field`` is one of ``ids``, as a memory layer drawn as a wide translucent
    red line and labelled with the id (empty list when none is found)."""
    wanted = sorted({str(i) for i in ids if i not in (None, "")})
    if not wanted or id_field not in layer.fields().names():
        return []
    expr = f"{QgsExpression.quotedColumnRef(id_field)} IN ({', '.join(QgsExpression.quotedValue(i) for i in wanted)})"
    xform = QgsCoordinateTransform(layer.crs(), crs, QgsProject.instance().transformContext()) \
        if layer.crs().isValid() and crs.isValid() and layer.crs() != crs else None
    out = QgsVectorLayer("MultiLineString", "pipes of the finding", "memory")
    out.setCrs(crs)
    out.dataProvider().addAttributes([QgsField("label", QVariant.String)])
    out.updateFields()
    feats = []
    for feat in layer.getFeatures(QgsFeatureRequest().setFilterExpression(expr)):
        geom = QgsGeometry(feat.geometry())
        if geom.isEmpty():
            continue
        if xform is not None:
            geom.transform(xform)
        geom.convertToMultiType()
        f = QgsFeature(out.fields())
        f.setAttributes([str(feat[id_field])])
        f.setGeometry(geom)
        feats.append(f)
    if not feats:
        return []
    out.dataProvider().addFeatures(feats)
    out.setRenderer(QgsSingleSymbolRenderer(QgsLineSymbol.createSimple(
        {"line_color": "227,26,28,90", "line_width": "2.4", "capstyle": "round"})))
    settings = QgsPalLayerSettings()
    settings.fieldName = "label"
    settings.placement = QgsPalLayerSettings.Line
    settings.setFormat(_label_format(7.0))
    out.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    out.setLabelsEnabled(True)
    return [out]


def _label_format(size: float) -> QgsTextFormat:
    fmt = QgsTextFormat()
    fmt.setFont(QFont())
    fmt.setSize(size)
    fmt.setSizeUnit(QgsUnitTypes.RenderPoints)
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(0.7)
    buffer.setColor(QColor("#ffffff"))
    fmt.setBuffer(buffer)
    return fmt


def around(x: float, y: float, half_width_m: float = HALF_WIDTH_M,
           aspect: float = SNAPSHOT_PX[0] / SNAPSHOT_PX[1]) -> QgsRectangle:
    """A window centred on (x, y), ``2 * half_width_m`` wide, of the given width/height ratio."""
    return QgsRectangle(x - half_width_m, y - half_width_m / aspect, x + half_width_m, y + half_width_m / aspect)


def grown(rect: QgsRectangle, fraction: float = 0.25, least_m: float = 8.0,
          aspect: float = SNAPSHOT_PX[0] / SNAPSHOT_PX[1]) -> QgsRectangle:
    """``rect`` with a margin on every side, widened to the given width/height ratio."""
    pad = max(least_m, fraction * max(rect.width(), rect.height()))
    out = QgsRectangle(rect.xMinimum() - pad, rect.yMinimum() - pad, rect.xMaximum() + pad, rect.yMaximum() + pad)
    w, h = out.width(), out.height()
    if w / h < aspect:
        d = (h * aspect - w) / 2
        out = QgsRectangle(out.xMinimum() - d, out.yMinimum(), out.xMaximum() + d, out.yMaximum())
    else:
        d = (w / aspect - h) / 2
        out = QgsRectangle(out.xMinimum(), out.yMinimum() - d, out.xMaximum(), out.yMaximum() + d)
    return out


# ---------------------------------------------------------------------------------------------------------------
# snapshots


def _nice_length(target: float) -> float:
    if target <= 0 or not math.isfinite(target):
        return 1.0
    exp = 10 ** math.floor(math.log10(target))
    for m in (5, 2, 1):
        if m * exp <= target:
            return m * exp
    return exp


def snapshot(layers: Sequence[QgsMapLayer], extent: QgsRectangle, size_px: tuple[int, int] = SNAPSHOT_PX,
             highlight_geometry: QgsGeometry | Sequence[QgsGeometry] | None = None,
             crs: QgsCoordinateReferenceSystem | None = None, scale_bar: bool = True) -> bytes:
    """A PNG of ``layers`` (top first) over ``extent``, rendered headless, with an optional highlight and a
    scale bar. ``crs`` defaults to the first layer's."""
    crs = crs if crs is not None and crs.isValid() else (layers[0].crs() if layers else QgsCoordinateReferenceSystem())
    marks = highlight_layers(highlight_geometry, crs)
    settings = QgsMapSettings()
    settings.setLayers([*marks, *layers])
    settings.setDestinationCrs(crs)
    settings.setOutputSize(QSize(int(size_px[0]), int(size_px[1])))
    settings.setOutputDpi(96)
    settings.setExtent(extent)
    settings.setBackgroundColor(QColor("#ffffff"))
    settings.setFlag(QgsMapSettings.Antialiasing, True)
    image = QImage(settings.outputSize(), QImage.Format_ARGB32_Premultiplied)
    image.fill(QColor("#ffffff"))
    painter = QPainter(image)
    try:
        job = QgsMapRendererCustomPainterJob(settings, painter)
        job.renderSynchronously()
        if scale_bar:
            _draw_scale_bar(painter, settings)
        painter.setPen(QPen(QColor("#999999"), 1))
        painter.drawRect(0, 0, image.width() - 1, image.height() - 1)
    finally:
        painter.end()
    data = QByteArray()
    buf = QBuffer(data)
    buf.open(QIODevice.WriteOnly)
    image.save(buf, "PNG")
    buf.close()
    return bytes(data)


def _draw_scale_bar(painter: QPainter, settings: QgsMapSettings) -> None:
    mupp = settings.mapUnitsPerPixel()
    if not (mupp > 0 and math.isfinite(mupp)):
        return
    w = settings.outputSize().width()
    length = _nice_length(w / 5 * mupp)
    px = length / mupp
    unit = QgsUnitTypes.toAbbreviatedString(settings.destinationCrs().mapUnits())
    x0, y0 = 12.0, settings.outputSize().height() - 14.0
    painter.setRenderHint(QPainter.Antialiasing, True)
    painter.fillRect(QRectF(x0 - 6, y0 - 20, px + 60, 28), QColor(255, 255, 255, 210))
    painter.setPen(QPen(QColor("#222222"), 2))
    painter.drawLine(QPointF(x0, y0), QPointF(x0 + px, y0))
    for xx in (x0, x0 + px):
        painter.drawLine(QPointF(xx, y0 - 5), QPointF(xx, y0 + 1))
    font = QFont()
    font.setPixelSize(12)
    painter.setFont(font)
    painter.drawText(QPointF(x0 + px + 6, y0 + 4), f"{length:g} {unit}".strip())


def png_variance(png: bytes) -> float:
    """Variance of the grey levels of a PNG (0 for a blank image); for tests and sanity checks."""
    image = QImage.fromData(QByteArray(png), "PNG")
    if image.isNull():
        return 0.0
    step = max(1, min(image.width(), image.height()) // 200)
    values = [QColor(image.pixel(x, y)).lightness() for y in range(0, image.height(), step)
              for x in range(0, image.width(), step)]
    mean = sum(values) / len(values)
    return sum((v - mean) ** 2 for v in values) / len(values)


# ---------------------------------------------------------------------------------------------------------------
# PDF layouts


class _Flow:
    """Places items one under another on A4 pages, starting a new page when one does not fit."""

    def __init__(self, title: str) -> None:
        self.project = QgsProject()
        self.layout = QgsPrintLayout(self.project)
        self.layout.initializeDefaults()
        self.layout.setName(title)
        info = self.project.metadata()
        info.setTitle(title)
        info.setAuthor(f"PipeMap {__version__}")
        self.project.setMetadata(info)
        self.pages = self.layout.pageCollection()
        self.pages.page(0).setPageSize(QgsLayoutSize(PAGE_W, PAGE_H, QgsUnitTypes.LayoutMillimeters))
        self.page = 0
        self.y = MARGIN
        self.keep: list[Any] = []  # layers the map items draw, alive until export
        self.context = QgsLayoutUtils.createRenderContextForLayout(self.layout, None)

    def new_page(self) -> None:
        page = QgsLayoutItemPage(self.layout)
        page.setPageSize(QgsLayoutSize(PAGE_W, PAGE_H, QgsUnitTypes.LayoutMillimeters))
        self.pages.addPage(page)
        self.page = self.pages.pageCount() - 1
        self.y = MARGIN

    def ensure(self, height: float) -> None:
        if self.y + height > BOTTOM and self.y > MARGIN + 0.1:
            self.new_page()

    def _place(self, item: Any, x: float, y: float, w: float, h: float) -> None:
        item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))
        item.attemptMove(QgsLayoutPoint(x, y, QgsUnitTypes.LayoutMillimeters), page=self.page)

    def text(self, text: str, size: float = 8.5, bold: bool = False, gap: float = 1.5,
             colour: str = "#222222", keep: float = 0.0) -> None:
        """A label as wide as the page's content; ``keep``: room (mm) that must be left under it on the same
        page (keeps a heading with what follows)."""
        label = QgsLayoutItemLabel(self.layout)
        label.setText(text)
        font = QFont()
        font.setPointSizeF(size)
        font.setBold(bold)
        label.setFont(font)
        label.setFontColor(QColor(colour))
        label.setMargin(0)
        self.layout.addLayoutItem(label)
        lines = sum(max(1, math.ceil(QgsLayoutUtils.textWidthMM(font, line) / (CONTENT_W - 2)))
                    for line in text.split("\n"))
        height = QgsLayoutUtils.fontHeightMM(font) * 1.2 * lines + 0.6
        self.ensure(height + keep)
        self._place(label, MARGIN, self.y, CONTENT_W, height)
        self.y += height + gap

    def table(self, header: Sequence[str], rows: Sequence[Sequence[str]], size: float = 6.5,
              widths: Sequence[float] | None = None, gap: float = 3.0) -> None:
        """A text table, continued on the next pages as needed (the header is repeated)."""
        table = QgsLayoutItemTextTable(self.layout)
        self.layout.addMultiFrame(table)
        widths = list(widths) if widths else _column_widths(header, rows, size)
        cols = []
        for h, w in zip(header, widths):
            c = QgsLayoutTableColumn()
            c.setHeading(h)
            c.setWidth(w)
            cols.append(c)
        table.setColumns(cols)
        fmt = QgsTextFormat()
        fmt.setFont(QFont())
        fmt.setSize(size)
        fmt.setSizeUnit(QgsUnitTypes.RenderPoints)
        table.setContentTextFormat(fmt)
        head = QgsTextFormat(fmt)
        bold = QFont()
        bold.setBold(True)
        head.setFont(bold)
        table.setHeaderTextFormat(head)
        table.setCellMargin(CELL_MARGIN)
        table.setGridStrokeWidth(0.15)
        table.setGridColor(QColor("#999999"))
        table.setWrapBehavior(QgsLayoutTable.WrapText)
        table.setHeaderHAlignment(QgsLayoutTable.FollowColumn)
        table.setContents([list(r) for r in rows])
        table.setResizeMode(QgsLayoutMultiFrame.UseExistingFrames)
        width = sum(widths) + len(widths) * (2 * CELL_MARGIN + 0.2) + 0.5
        shown, n = 0, len(rows)
        while True:
            avail = BOTTOM - self.y
            fits = table.rowsVisible(self.context, avail, shown, True, False)
            if fits < min(3, n - shown) and self.y > MARGIN + 0.1:
                self.new_page()
                continue
            take = min(fits, n - shown)
            height = _height_for(table, self.context, shown, take, avail)
            frame = QgsLayoutFrame(self.layout, table)
            self._place(frame, MARGIN, self.y, width, height)
            table.addFrame(frame)
            shown += max(take, 1 if n else 0)
            self.y += height + gap
            if shown >= n:
                break
            self.new_page()
        table.recalculateFrameSizes()

    def map(self, shot: MapShot, height: float = 112.0, scale_bar: bool = True) -> None:
        cap_h = 9.0
        self.ensure(height + cap_h + 2)
        item = QgsLayoutItemMap(self.layout)
        self.layout.addLayoutItem(item)
        self._place(item, MARGIN, self.y, CONTENT_W, height)
        item.setCrs(shot.crs)
        item.setLayers(list(shot.layers))
        item.setKeepLayerSet(True)
        item.zoomToExtent(shot.extent)
        item.setFrameEnabled(True)
        item.setFrameStrokeColor(QColor("#999999"))
        item.setBackgroundColor(QColor("#ffffff"))
        self.keep.extend(shot.layers)
        if scale_bar:
            bar = QgsLayoutItemScaleBar(self.layout)
            bar.setStyle("Single Box")
            bar.setLinkedMap(item)
            bar.applyDefaultSize()
            bar.setNumberOfSegments(2)
            bar.setNumberOfSegmentsLeft(0)
            bar.setBackgroundEnabled(True)
            bar.setBackgroundColor(QColor(255, 255, 255, 210))
            fmt = QgsTextFormat()
            fmt.setFont(QFont())
            fmt.setSize(7)
            fmt.setSizeUnit(QgsUnitTypes.RenderPoints)
            bar.setTextFormat(fmt)
            bar.setHeight(1.5)
            self.layout.addLayoutItem(bar)
            bar.attemptMove(QgsLayoutPoint(MARGIN + 2, self.y + height - 9, QgsUnitTypes.LayoutMillimeters),
                            page=self.page)
        self.y += height + 1
        self.text(shot.caption, size=7.5, gap=4)

    def footer(self, text: str) -> None:
        count = self.pages.pageCount()
        for i in range(count):
            label = QgsLayoutItemLabel(self.layout)
            label.setText(f"{text} \u2014 {i + 1}/{count}")
            font = QFont()
            font.setPointSizeF(6.5)
            label.setFont(font)
            label.setFontColor(QColor("#777777"))
            label.setHAlign(Qt.AlignRight)
            self.layout.addLayoutItem(label)
            label.attemptResize(QgsLayoutSize(CONTENT_W, 4, QgsUnitTypes.LayoutMillimeters))
            label.attemptMove(QgsLayoutPoint(MARGIN, PAGE_H - MARGIN - 3, QgsUnitTypes.LayoutMillimeters), page=i)

    def export(self, path: str | os.PathLike[str]) -> Path:
        """Export to a temporary file beside ``path``, then move it into place."""
        target = Path(path)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".pdf", dir=target.parent)
        os.close(fd)
        try:
            settings = QgsLayoutExporter.PdfExportSettings()
            settings.textRenderFormat = QgsRenderContext.TextFormatAlwaysText
            settings.rasterizeWholeImage = False
            settings.forceVectorOutput = True
            settings.dpi = 200
            result = QgsLayoutExporter(self.layout).exportToPdf(tmp, settings)
            if result != QgsLayoutExporter.Success or os.path.getsize(tmp) == 0:
                raise OSError(f"the PDF export failed (QgsLayoutExporter code {int(result)})")
            core_report.usual_mode(tmp, target)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        return target


def _height_for(table: QgsLayoutItemTextTable, context: QgsRenderContext, first: int, count: int,
                most: float) -> float:
    """The least frame height (mm, to 0.1 mm) that shows the header and ``count`` rows from ``first``."""
    lo, hi = 0.0, max(most, 1.0)
    if count <= 0:
        lo, hi = 0.0, 30.0
        while hi - lo > 0.1:  # header only: rows visible stays 0; find where the header fits
            mid = (lo + hi) / 2
            if table.rowsVisible(context, mid, first, True, True) >= 1:
                hi = mid
            else:
                lo = mid
        return hi
    while hi - lo > 0.1:
        mid = (lo + hi) / 2
        if table.rowsVisible(context, mid, first, True, False) >= count:
            hi = mid
        else:
            lo = mid
    return hi + 0.3


def _column_widths(header: Sequence[str], rows: Sequence[Sequence[str]], size: float,
                   margin: float = CELL_MARGIN) -> list[float]:
    """Column widths (mm, without the cell margins) that fill at most the content width.

    Each column gets the width of its longest cell (at most 45 mm) or of the longest word of its (bold) header,
    which wraps. When that is too wide, columns whose text has spaces give way first, down to their longest word,
    so ids and numbers stay whole; only then are all columns scaled down."""
    body = QFont()
    body.setPointSizeF(size)
    head = QFont(body)
    head.setBold(True)
    need, least = [], []
    for i, h in enumerate(header):
        words = [QgsLayoutUtils.textWidthMM(head, w) for w in str(h).split()] or [0.0]
        widest, word = max(words), max(words)
        for r in rows[:500]:
            text = str(r[i])
            widest = max(widest, QgsLayoutUtils.textWidthMM(body, text))
            word = max(word, max((QgsLayoutUtils.textWidthMM(body, w) for w in text.split()), default=0.0))
        need.append(min(widest, 45.0) + 0.8)
        least.append(min(word, 45.0) + 0.8)
    room = CONTENT_W - len(need) * (2 * margin + 0.2)
    total = sum(need)
    if total <= room:
        return need
    give = total - room
    slack = sum(n - m for n, m in zip(need, least))
    if slack >= give:
        return [n - (n - m) * give / slack for n, m in zip(need, least)]
    return [m * room / sum(least) for m in least]


def _meta_lines(meta: Mapping[str, Any], lab: Mapping[str, str]) -> str:
    return "\n".join(f"{k}: {v}" for k, v in core_report.meta_rows(meta, lab))


def checks_pdf(path: str | os.PathLike[str], sections: Sequence[core_report.Section], shots: Sequence[MapShot],
               meta: Mapping[str, Any] | None = None, language: core_report.Labels = None,
               max_rows: int = 500, feedback: Any = None) -> Path:
    """The checks report as a PDF: title, per check the counts by verdict and by rule and the findings table
    (the first ``max_rows``), then a map of each of ``shots``."""
    meta = dict(meta or {})
    lab = core_report.labels(language)
    title = str(meta.get("title") or lab["checks_title"])
    flow = _Flow(title)
    flow.text(title, size=16, bold=True, gap=2)
    flow.text(_meta_lines(meta, lab), size=8, gap=4, colour="#444444")
    for s in sections:
        flow.ensure(40)
        flow.text(core_report.check_title(s.check, lab), size=12, bold=True, gap=1.5)
        if s.source:
            flow.text(f"{lab['source']}: {s.source}", size=7.5, colour="#555555")
        vrows, gheader, grows = core_report.count_rows(s.check, s.records, lab)
        flow.text(lab["by_verdict"], size=9, bold=True, gap=1, keep=KEEP)
        flow.table([lab["verdict"], lab["meaning"], lab["count"]], vrows, size=7.5)
        if not s.records:
            continue
        flow.text(lab["by_" + core_report.GROUP_FIELD[s.check]], size=9, bold=True, gap=1, keep=KEEP)
        flow.table(gheader, grows, size=7.5)
    for s in sections:
        if not s.records:
            continue
        cols, header, rows, more = core_report.findings_rows(s.check, s.records, lab, max_rows)
        if feedback is not None and feedback.isCanceled():
            break
        flow.new_page()
        flow.text(f"{core_report.check_title(s.check, lab)} \u2014 {lab['findings']}", size=11, bold=True, gap=1.5)
        flow.table(["#", *header], [[str(i), *r] for i, r in enumerate(rows, start=1)], size=6)
        if more:
            flow.text(lab["more_rows"].format(n=more, layer=s.source or "-"), size=7.5, colour="#555555")
    if shots:
        flow.new_page()
        flow.text(lab["worst"], size=12, bold=True, gap=1)
        flow.text(lab["legend"], size=7.5, colour="#555555", gap=3)
        for shot in shots:
            flow.map(shot)
    flow.footer(f"PipeMap {meta.get('version') or __version__} \u2014 {title}")
    return flow.export(path)


def excavation_pdf(path: str | os.PathLike[str], exc_id: Any, rows: Sequence[Mapping[str, Any]],
                   shot: MapShot | None, meta: Mapping[str, Any] | None = None,
                   language: core_report.Labels = None) -> Path:
    """The notice for one excavation as a PDF: figures, owners to notify, a map and every pipe reached."""
    meta = dict(meta or {})
    lab = core_report.labels(language)
    title = lab["excavation_title"].format(exc_id=core_report.fmt(exc_id))
    flow = _Flow(title)
    flow.text(title, size=14, bold=True, gap=2)
    flow.text(_meta_lines(meta, lab), size=8, gap=2, colour="#444444")
    flow.text("\n".join(f"{k}: {v}" for k, v in core_report.excavation_facts(exc_id, rows, meta, lab)), size=9,
              gap=4)
    header, orows = core_report.owner_rows(rows, lab)
    flow.text(lab["owners"], size=11, bold=True, gap=1, keep=KEEP)
    flow.table(header, orows, size=7.5)
    if shot is not None:
        flow.text(lab["snapshot"], size=11, bold=True, gap=1, keep=130)
        flow.map(shot, height=120)
    cols, fheader, frows, _ = core_report.findings_rows("excavation", rows, lab, max_rows=len(rows),
                                                        leave_out=("exc_id",))
    flow.text(lab["pipe_list"], size=11, bold=True, gap=1, keep=KEEP)
    flow.table(fheader, frows, size=6.5)
    flow.ensure(14)
    flow.y += 6
    flow.text(lab["signature"], size=8.5)
    flow.footer(f"PipeMap {meta.get('version') or __version__} \u2014 {title}")
    return flow.export(path)


@dataclass
class Excavation:
    """One excavation for a notice: its id, outline (in the report CRS), findings and given figures."""

    exc_id: str
    outline: QgsGeometry
    rows: list[dict[str, Any]]
    meta: dict[str, Any] = field(default_factory=dict)


def excavation_reports(folder: str | os.PathLike[str], excavations: Sequence[Excavation],
                       backdrop: Sequence[QgsMapLayer], crs: QgsCoordinateReferenceSystem, safety_m: float,
                       meta: Mapping[str, Any] | None = None, language: core_report.Labels = None,
                       feedback: Any = None, progress: tuple[float, float] = (0.0, 100.0)) -> list[dict[str, Any]]:
    """Write ``<id>.html`` and ``<id>.pdf`` for each excavation and ``index.html`` into ``folder`` (which the
    caller publishes when everything is written).

    :returns: the index entries (``exc_id``, ``html``, ``pdf``, ``rows``).
    """
    from ..core.errors import CancelledError

    folder = Path(folder)
    lab = core_report.labels(language)
    taken: set[str] = set()
    entries = []
    start, span = progress
    for i, exc in enumerate(excavations):
        if feedback is not None:
            if feedback.isCanceled():
                raise CancelledError()
            feedback.setProgress(start + span * i / max(1, len(excavations)))
        stem = core_report.safe_stem(exc.exc_id, taken)
        info = {**dict(meta or {}), **exc.meta, "safety_m": safety_m}
        outline = exc.outline
        safety = outline.buffer(safety_m, 16) if safety_m > 0 else None
        points = findings_layer(exc.rows, crs, "pipes affected", label_field="pipe_id")
        layers = [*highlight_layers(outline, crs)]
        if safety is not None:
            layers += highlight_layers(safety, crs, dashed=True)
        layers += [points, *backdrop]
        box = QgsRectangle(outline.boundingBox())
        if safety is not None:
            box.combineExtentWith(safety.boundingBox())
        for r in exc.rows:
            x, y = core_report.number(r.get("x")), core_report.number(r.get("y"))
            if math.isfinite(x) and math.isfinite(y):
                box.combineExtentWith(x, y)
        shot = MapShot(lab["legend_excavation"], grown(box), layers, crs)
        png = snapshot(layers, shot.extent, crs=crs)
        core_report.write_text(folder / f"{stem}.html",
                               core_report.excavation_html(exc.exc_id, exc.rows, png, info, language))
        excavation_pdf(folder / f"{stem}.pdf", exc.exc_id, exc.rows, shot, info, language)
        entries.append({"exc_id": exc.exc_id, "html": f"{stem}.html", "pdf": f"{stem}.pdf", "rows": exc.rows})
    core_report.write_text(folder / "index.html", core_report.excavation_index_html(entries, meta, language))
    return entries
