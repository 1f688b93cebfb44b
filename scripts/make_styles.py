"""Generate resources/styles/pipe_segment.qml and pipe_point.qml from the
CJJ 61 code list (core/codes.py) with QGIS's own renderer classes, so the QML
is exactly what QGIS writes. Run by ``make styles``; the files are committed.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    from _bootstrap import use_checkout

    use_checkout()
    from qgis.core import (
        QgsApplication,
        QgsCategorizedSymbolRenderer,
        QgsLineSymbol,
        QgsMarkerSymbol,
        QgsRendererCategory,
        QgsVectorLayer,
    )
    from qgis.PyQt.QtGui import QColor

    from pipemap.core import codes

    app = QgsApplication([], False)
    app.initQgis()
    out = ROOT / "resources" / "styles"
    out.mkdir(parents=True, exist_ok=True)
    expression = "if(\"subcategory\" = 'BM', 'BM', \"category\")"
    entries = [(c.code, f"{c.name_zh} {c.name_en}", c.rgb) for c in codes.CATEGORIES]
    bm = next(s for s in codes.SUBCATEGORIES if s.code == "BM")
    entries.append(("BM", f"{bm.name_zh} {bm.name_en}", bm.rgb))
    for table, geom, make in (
        ("pipe_segment", "LineStringZ", lambda c: QgsLineSymbol.createSimple(
            {"line_color": c, "line_width": "0.6", "capstyle": "round", "joinstyle": "round"})),
        ("pipe_point", "PointZ", lambda c: QgsMarkerSymbol.createSimple(
            {"name": "circle", "color": "255,255,255", "outline_color": c, "outline_width": "0.4", "size": "2"})),
    ):
        layer = QgsVectorLayer(f"{geom}?crs=EPSG:4547&field=category:string&field=subcategory:string", table, "memory")
        cats = []
        for code, label, rgb in entries:
            colour = "{},{},{}".format(*rgb)
            symbol = make(colour)
            symbol.setColor(QColor(*rgb)) if table == "pipe_segment" else None
            cats.append(QgsRendererCategory(code, symbol, label))
        fallback = make("128,128,128")
        cats.append(QgsRendererCategory(None, fallback, "?"))
        layer.setRenderer(QgsCategorizedSymbolRenderer(expression, cats))
        path = out / f"{table}.qml"
        msg, ok = layer.saveNamedStyle(str(path))
        if not ok:
            print(f"failed to write {path}: {msg}", file=sys.stderr)
            return 1
        print(f"wrote {path}")
    app.exitQgis()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
