"""DXF R2010 (AC1024) for CAD: 3D polylines, point blocks, labels and XDATA, written with ezdxf.

Layout of the drawing (units: metres, ``$INSUNITS = 6``):

* layers ``<CODE>_LINE``, ``<CODE>_POINT`` and ``<CODE>_TEXT`` for each CJJ 61
  category present (``JS_LINE``, ``PS_POINT``...), coloured with the category's
  CJJ 61 colour as true colour and the nearest AutoCAD colour index (black,
  which has no ACI of its own, gets ACI 7, drawn black or white against the
  background);
* each segment is a 3D ``POLYLINE``; its vertices are the map's vertices with
  z = pipe **centreline** elevation (a vertex without z is drawn at z = 0 and
  its XDATA says ``z_known=0``);
* each pipe point is an ``INSERT`` of a block named after its appurtenance or
  feature (``PM_valve``, ``PM_sewer_manhole``, ``PM_tee``; ``PM_POINT`` when it
  has neither), placed at the ground elevation, rotated by ``rotation_deg``;
* labels (``MTEXT``) on the ``_TEXT`` layers: segment id, size and material at
  the middle of each segment, parallel to it; the point number beside each point;
* attributes as XDATA under the registered application ``PIPEMAP``: one
  ``1000`` string ``name=value`` per non-null field the sharing profile kept.
  A value longer than one XDATA string (255 bytes) is split over several
  ``1000`` strings enclosed in a ``1002 {`` ... ``1002 }`` group. Control
  characters use DXF caret notation (``^J`` = line feed, ``^I`` = tab,
  ``^ `` = a caret), and a literal ``\\U+`` is written ``\\U+005CU+`` so
  readers that decode DXF unicode escapes get it back. An entity whose XDATA
  would exceed AutoCAD's 16 KB limit keeps the same strings in an XRECORD
  ``PIPEMAP`` of its extension dictionary (codes 1 = ``name=value`` or first
  part, 3 = continuation) and its XDATA says ``attributes=XRECORD``;
* header custom properties ``PIPEMAP_*`` (CRS, height datum, Z convention,
  profile, software) and, in the named-object dictionary ``PIPEMAP``, the
  XRECORDs ``CRS_WKT`` (the map's CRS as WKT2) and ``DESCRIBE`` (the export's
  metadata as JSON), both as code-1 strings of at most 250 bytes to be joined.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from .. import codes
from ..errors import OutputError
from ..progress import Progress, check_cancel
from ..version import __version__
from .formats import ExportOptions
from .model import LayerData, MapData
from .writeutil import iso_datetime, safe_basename

APPID = "PIPEMAP"
#: bytes of one XDATA / XRECORD string (DXF limit 255, minus a margin)
CHUNK_BYTES = 250
#: AutoCAD's limit on the XDATA of one entity is 16 KB; keep below it
XDATA_LIMIT_BYTES = 16000
LABEL_HEIGHT_M = 1.0
POINT_LABEL_HEIGHT_M = 0.6
MTEXT_BOTTOM_LEFT, MTEXT_BOTTOM_CENTER = 7, 8  #: MTEXT attachment points
TEXT_STYLE = "PIPEMAP"
TEXT_FONT = "simsun.ttc"  #: a CJK TrueType font; CAD programs substitute their own when it is missing

#: block shape per appurtenance / feature code (anything else: a small circle)
_SHAPES: dict[str, str] = {
    **{k: "circle" for k in ("manhole", "storm_manhole", "sewer_manhole", "drop_manhole", "silt_manhole",
                             "overflow_manhole", "flush_manhole", "soakaway", "seal_manhole", "cable_manhole",
                             "vent_shaft")},
    **{k: "square" for k in ("chamber", "valve_chamber", "meter_chamber", "gate_chamber", "handhole",
                             "septic_tank", "settling_tank", "junction_box")},
    **{k: "bowtie" for k in ("valve", "air_valve", "scour_valve", "regulator", "condensate_trap")},
    **{k: "circle_cross" for k in ("hydrant", "meter")},
    **{k: "rect" for k in ("gully", "sewer_gully")},
    **{k: "square_x" for k in ("pump_station", "water_tower", "plant", "transformer", "pole", "riser")},
    **{k: "junction" for k in ("tee", "cross", "multi")},
}
_BAD_NAME = re.compile(r"[^0-9A-Za-z_\-]")
_NEEDS_ESCAPE = re.compile(r"[\x00-\x1f^]|\\U\+")


# --- text encoding for XDATA ---------------------------------------------------------------

def _tokens(text: str) -> list[str]:
    """The DXF-safe pieces of ``text``: caret notation for control characters and '^',
    ``\\U+005CU+`` for a literal ``\\U+``; each piece is kept whole when strings are split."""
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and text.startswith("\\U+", i):
            out.append("\\U+005CU+")
            i += 3
            continue
        if ch == "^":
            out.append("^ ")
        elif ord(ch) < 32:
            out.append("^" + chr(ord(ch) + 64))
        else:
            out.append(ch)
        i += 1
    return out


def encode_text(text: str) -> str:
    """``text`` as one DXF-safe string (caret notation, escaped ``\\U+``)."""
    return "".join(_tokens(text))


def split_text(text: str, limit: int = CHUNK_BYTES) -> list[str]:
    """DXF-safe strings of at most ``limit`` UTF-8 bytes that join to ``encode_text(text)``."""
    if len(text) * 4 <= limit and not _NEEDS_ESCAPE.search(text):  # the usual case: short and plain
        return [text]
    chunks: list[str] = []
    cur: list[str] = []
    size = 0
    for tok in _tokens(text):
        b = len(tok.encode("utf-8"))
        if cur and size + b > limit:
            chunks.append("".join(cur))
            cur, size = [], 0
        cur.append(tok)
        size += b
    chunks.append("".join(cur))
    return chunks


def _value_text(kind: str, value: Any) -> str | None:
    if value is None:
        return None
    if kind == "real":
        try:
            v = float(value)
        except (TypeError, ValueError):
            return str(value)
        return repr(v) if math.isfinite(v) else None
    if kind == "integer":
        try:
            return str(int(value))
        except (TypeError, ValueError):
            return str(value)
    if kind in ("date", "datetime"):
        return iso_datetime(value)
    return str(value)


def attribute_strings(layer: LayerData, i: int, extra: Iterable[tuple[str, str]] = ()) -> list[list[str]]:
    """Each kept, non-null attribute of feature ``i`` as its DXF strings (``name=`` + value, split)."""
    out = []
    for f in layer.fields:
        text = _value_text(f.type, layer.columns[f.name][i])
        if text is None:
            continue
        out.append(split_text(f"{f.name}={text}"))
    for name, text in extra:
        out.append(split_text(f"{name}={text}"))
    return out


def _xdata_tags(parts: list[list[str]]) -> list[tuple[int, str]]:
    tags: list[tuple[int, str]] = []
    for chunks in parts:
        if len(chunks) == 1:
            tags.append((1000, chunks[0]))
        else:
            tags.append((1002, "{"))
            tags.extend((1000, c) for c in chunks)
            tags.append((1002, "}"))
    return tags


def _xdata_bytes(tags: list[tuple[int, str]]) -> int:
    return len(APPID) + 4 + sum(len(v.encode("utf-8")) + 4 for _, v in tags)


# --- colours, layers, blocks ----------------------------------------------------------------

def nearest_aci(rgb: tuple[int, int, int]) -> int:
    """The AutoCAD colour index closest to ``rgb`` (black -> 7, the foreground colour)."""
    from ezdxf import colors

    if tuple(rgb) == (0, 0, 0):
        return 7
    best, best_d = 7, None
    for aci in range(1, 256):
        r, g, b = colors.int2rgb(colors.DXF_DEFAULT_COLORS[aci])
        d = (r - rgb[0]) ** 2 + (g - rgb[1]) ** 2 + (b - rgb[2]) ** 2
        if best_d is None or d < best_d:
            best, best_d = aci, d
    return best


def layer_names(code: str) -> tuple[str, str, str]:
    safe = _BAD_NAME.sub("_", code) or "X"
    return f"{safe}_LINE", f"{safe}_POINT", f"{safe}_TEXT"


def _block_name(kind: str | None) -> str:
    if not kind:
        return "PM_POINT"
    return "PM_" + (_BAD_NAME.sub("_", kind)[:60] or "X")


def _draw_block(block: Any, shape: str) -> None:
    """Simple symbol geometry around (0, 0), about 1 m across; on layer 0 so the insert's layer colours it."""
    def square(h: float) -> list[tuple[float, float]]:
        return [(-h, -h), (h, -h), (h, h), (-h, h)]

    if shape == "circle":
        block.add_circle((0, 0), 0.5)
    elif shape == "square":
        block.add_lwpolyline(square(0.4), close=True)
    elif shape == "bowtie":
        block.add_lwpolyline([(-0.5, -0.3), (0.5, 0.3), (0.5, -0.3), (-0.5, 0.3)], close=True)
    elif shape == "circle_cross":
        block.add_circle((0, 0), 0.4)
        block.add_line((-0.4, 0), (0.4, 0))
        block.add_line((0, -0.4), (0, 0.4))
    elif shape == "rect":
        block.add_lwpolyline([(-0.4, -0.2), (0.4, -0.2), (0.4, 0.2), (-0.4, 0.2)], close=True)
    elif shape == "square_x":
        block.add_lwpolyline(square(0.5), close=True)
        block.add_line((-0.5, -0.5), (0.5, 0.5))
        block.add_line((-0.5, 0.5), (0.5, -0.5))
    elif shape == "junction":
        block.add_circle((0, 0), 0.25)
        block.add_point((0, 0))
    else:
        block.add_circle((0, 0), 0.15)


def _label_text(text: str) -> str:
    """MTEXT content for a label: one line, MTEXT specials escaped, non-ASCII as ``\\U+XXXX``.

    DXF R2007+ files are UTF-8, but some readers decode strings by
    ``$DWGCODEPAGE`` instead (GDAL 3.6's DXF driver does); ``\\U+`` escapes
    in MTEXT are read right by AutoCAD, ezdxf and GDAL alike. Labels are for
    display only (the exact values are in the XDATA): a backslash shows as a
    full-width backslash.
    """
    clean = "".join(" " if ord(c) < 32 else c for c in text).strip()[:120]
    clean = clean.replace("\\", "\uff3c").replace("{", "\\{").replace("}", "\\}").replace("^", "^ ")
    return "".join(f"\\U+{ord(c):04X}" if 127 < ord(c) <= 0xFFFF else c for c in clean)


def _mid_and_angle(c: np.ndarray) -> tuple[tuple[float, float, float], float]:
    """Point half-way along a polyline (x, y, z) and the direction there (degrees, kept readable)."""
    d = np.diff(c[:, :2], axis=0)
    lengths = np.hypot(d[:, 0], d[:, 1])
    total = float(lengths.sum())
    if total <= 0:
        z = float(c[0, 2]) if math.isfinite(c[0, 2]) else 0.0
        return (float(c[0, 0]), float(c[0, 1]), z), 0.0
    half = total / 2.0
    acc = np.concatenate([[0.0], np.cumsum(lengths)])
    k = int(min(np.searchsorted(acc, half, side="right") - 1, len(lengths) - 1))
    t = (half - acc[k]) / lengths[k] if lengths[k] > 0 else 0.0
    p = c[k] + t * (c[k + 1] - c[k])
    angle = math.degrees(math.atan2(d[k, 1], d[k, 0]))
    if angle > 90.0:
        angle -= 180.0
    elif angle <= -90.0:
        angle += 180.0
    z = float(p[2]) if math.isfinite(p[2]) else 0.0
    return (float(p[0]), float(p[1]), z), angle


def _segment_label(seg: LayerData, i: int) -> str:
    parts = [str(seg.value("seg_id", i) or "")]
    dn = seg.value("dn_mm", i)
    w, h = seg.value("width_mm", i), seg.value("height_mm", i)
    if seg.value("section", i) == "box" and w and h:
        parts.append(f"{float(w):g}X{float(h):g}")
    elif dn:
        parts.append(f"DN{float(dn):g}")
    elif w and h:
        parts.append(f"{float(w):g}X{float(h):g}")
    material = seg.value("material", i)
    if material:
        parts.append(str(material))
    return _label_text(" ".join(p for p in parts if p))


# --- writing -------------------------------------------------------------------------------------

class _Attributes:
    """Attaches attribute strings to entities as XDATA (or an extension-dictionary XRECORD when too big)."""

    def __init__(self) -> None:
        self.overflow: list[str] = []

    def attach(self, entity: Any, parts: list[list[str]], ident: str) -> None:
        tags = _xdata_tags(parts)
        if _xdata_bytes(tags) <= XDATA_LIMIT_BYTES:
            entity.set_xdata(APPID, tags)
            return
        xdict = entity.new_extension_dict()
        rec = xdict.add_xrecord(APPID)
        rec.extend([(1 if k == 0 else 3, c) for chunks in parts for k, c in enumerate(chunks)])
        entity.set_xdata(APPID, [(1000, "attributes=XRECORD")])
        self.overflow.append(ident)


def _chunks_record(text: str) -> list[tuple[int, str]]:
    return [(1, c) for c in split_text(text)]


def _header(doc: Any, data: MapData, bounds: tuple[np.ndarray, np.ndarray] | None) -> None:
    hdr = doc.header
    hdr["$DWGCODEPAGE"] = "ANSI_936"  # Chinese; the file itself is UTF-8 as R2010 requires
    hdr["$INSUNITS"] = 6  # metres
    hdr["$MEASUREMENT"] = 1  # metric
    hdr["$LUNITS"] = 2  # decimal
    hdr["$LUPREC"] = 3
    if bounds is not None:  # ezdxf copies the model space's extents and limits into the header on saving
        lo, hi = bounds
        msp = doc.modelspace()
        msp.dxf.extmin = (float(lo[0]), float(lo[1]), float(lo[2]))
        msp.dxf.extmax = (float(hi[0]), float(hi[1]), float(hi[2]))
        msp.dxf.limmin = (float(lo[0]), float(lo[1]))
        msp.dxf.limmax = (float(hi[0]), float(hi[1]))
    z_seg = data.z_convention.get("pipe_segment", "pipe centreline elevation")
    z_pt = data.z_convention.get("pipe_point", "ground surface elevation")
    props = [
        ("PIPEMAP_CRS", data.crs_authid or "local CRS: WKT in dictionary PIPEMAP, XRECORD CRS_WKT"),
        ("PIPEMAP_CRS_WKT", "dictionary PIPEMAP, XRECORD CRS_WKT (code-1 strings, joined)"),
        ("PIPEMAP_HEIGHT_DATUM", data.height_datum or "unknown"),
        ("PIPEMAP_Z_LINES", f"*_LINE 3D polylines: z = {z_seg} (m)"),
        ("PIPEMAP_Z_POINTS", f"*_POINT inserts: z = {z_pt} (m)"),
        ("PIPEMAP_UNITS", "metres"),
        ("PIPEMAP_PROFILE", data.profile.name),
        ("PIPEMAP_ATTRIBUTES", "XDATA APPID PIPEMAP: name=value strings; {} groups join split values; "
                               "^J caret notation for control characters"),
        ("PIPEMAP_SOFTWARE", f"PipeMap {__version__}"),
    ]
    for tag, value in props:
        hdr.custom_vars.append(tag, split_text(value)[0])
    root = doc.rootdict.add_new_dict(APPID)
    root.add_xrecord("CRS_WKT").extend(_chunks_record(data.crs_wkt or ""))
    root.add_xrecord("DESCRIBE").extend(_chunks_record(json.dumps(data.describe(), ensure_ascii=False)))


def _bounds(data: MapData, layers: set[str]) -> tuple[np.ndarray, np.ndarray] | None:
    arrays = [lyr.vertices for lyr in (data.segments, data.points) if lyr.name in layers and len(lyr.vertices)]
    if not arrays:
        return None
    v = np.concatenate(arrays)
    lo, hi = np.zeros(3), np.zeros(3)
    for k in range(3):
        col = v[:, k][np.isfinite(v[:, k])]
        if len(col):
            lo[k], hi[k] = col.min(), col.max()
    margin = np.array([1.0, 1.0, 0.0])  # symbols reach about 0.5 m beyond their insertion points
    return lo - margin, hi + margin


def write(data: MapData, folder: Path, options: ExportOptions, progress: Progress) -> list[Path]:
    """Write ``data`` as ``<basename>.dxf`` (DXF R2010) into ``folder``; returns the file written."""
    import ezdxf
    from ezdxf import zoom

    base = safe_basename(options.basename)
    folder = Path(folder)
    names = {lyr.name for lyr in data.layers()}
    seg = data.segments if "pipe_segment" in names else None
    pts = data.points if "pipe_point" in names else None
    doc = ezdxf.new("R2010", setup=False)
    doc.appids.new(APPID)
    doc.styles.new(TEXT_STYLE, dxfattribs={"font": TEXT_FONT})
    msp = doc.modelspace()

    present: list[str] = []
    for lyr in (seg, pts):
        if lyr is not None:
            for cat in lyr.columns.get("category", []):
                if (cat or "X") not in present:
                    present.append(cat or "X")
    rgb_of = {c.code: c.rgb for c in codes.CATEGORIES}
    sub_rgb = {s.code: s.rgb for s in codes.SUBCATEGORIES}
    for cat in sorted(present):
        rgb = rgb_of.get(cat, (128, 128, 128))
        for name in layer_names(cat):
            layer = doc.layers.add(name)
            layer.color = nearest_aci(rgb)
            layer.rgb = rgb
            layer.description = f"CJJ 61 {cat} " + name.rsplit("_", 1)[1].lower()

    attrs = _Attributes()
    no_z: list[str] = []
    n_total = (len(seg) if seg is not None else 0) + (len(pts) if pts is not None else 0)
    step = max(1, n_total // 50)
    done = 0
    if seg is not None:
        for i in range(len(seg)):
            if done % step == 0:
                check_cancel(progress)
                progress.report(0.9 * done / max(1, n_total))
            done += 1
            cat = seg.value("category", i) or ""
            line_layer, _, text_layer = layer_names(cat or "X")
            c = seg.coords(i)
            extra: list[tuple[str, str]] = []
            if not np.isfinite(c[:, 2]).all():
                no_z.append(str(seg.value("seg_id", i)))
                extra.append(("z_known", "0"))
            pts3 = [(float(x), float(y), float(z) if math.isfinite(z) else 0.0) for x, y, z in c]
            poly = msp.add_polyline3d(pts3, dxfattribs={"layer": line_layer})
            sub = seg.value("subcategory", i)
            if sub in sub_rgb and sub_rgb[sub] != rgb_of.get(cat):
                poly.rgb = sub_rgb[sub]
            attrs.attach(poly, attribute_strings(seg, i, extra), f"segment {seg.value('seg_id', i)}")
            label = _segment_label(seg, i)
            if label:
                mid, angle = _mid_and_angle(c)
                msp.add_mtext(label, dxfattribs={"layer": text_layer, "style": TEXT_STYLE, "insert": mid,
                                                 "char_height": LABEL_HEIGHT_M, "rotation": angle,
                                                 "attachment_point": MTEXT_BOTTOM_CENTER})
    if pts is not None:
        blocks: set[str] = set()
        for i in range(len(pts)):
            if done % step == 0:
                check_cancel(progress)
                progress.report(0.9 * done / max(1, n_total))
            done += 1
            cat = pts.value("category", i) or ""
            _, point_layer, text_layer = layer_names(cat or "X")
            kind = pts.value("appurtenance", i) or pts.value("feature", i)
            bname = _block_name(kind)
            if bname not in blocks:
                block = doc.blocks.new(bname, dxfattribs={"description": f"PipeMap point symbol: {kind or 'point'}"})
                _draw_block(block, _SHAPES.get(kind or "", "dot"))
                blocks.add(bname)
            x, y, z = (float(v) for v in pts.vertices[i])
            extra = []
            if not math.isfinite(z):
                no_z.append(str(pts.value("point_id", i)))
                extra.append(("z_known", "0"))
                z = 0.0
            rot = pts.value("rotation_deg", i)
            dxfattribs: dict[str, Any] = {"layer": point_layer}
            if rot is not None and math.isfinite(float(rot)):
                dxfattribs["rotation"] = float(rot)
            ins = msp.add_blockref(bname, (x, y, z), dxfattribs=dxfattribs)
            attrs.attach(ins, attribute_strings(pts, i, extra), f"point {pts.value('point_id', i)}")
            pid = _label_text(str(pts.value("point_id", i) or ""))
            if pid:
                msp.add_mtext(pid, dxfattribs={"layer": text_layer, "style": TEXT_STYLE,
                                               "insert": (x + 0.7, y + 0.7, z), "char_height": POINT_LABEL_HEIGHT_M,
                                               "attachment_point": MTEXT_BOTTOM_LEFT})

    bounds = _bounds(data, names)
    _header(doc, data, bounds)
    if bounds is not None:
        zoom.window(msp, tuple(bounds[0][:2]), tuple(bounds[1][:2]))
    if no_z:
        progress.warning(f"DXF: {len(no_z)} features without elevation were drawn at z = 0 (their XDATA says "
                         f"z_known=0), e.g. {', '.join(no_z[:3])}.")
    if attrs.overflow:
        progress.warning(f"DXF: {len(attrs.overflow)} features have more than 16 KB of attributes; they are in an "
                         f"XRECORD of the entity's extension dictionary, e.g. {', '.join(attrs.overflow[:3])}.")
    progress.report(0.95)
    check_cancel(progress)
    target = folder / f"{base}.dxf"
    tmp = folder / f".{base}.part.dxf"
    try:
        doc.saveas(tmp)
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError("Cannot write the DXF file {path}: {reason}", code="export.dxf_write", path=str(target),
                          reason=exc.strerror or str(exc)) from None
    finally:
        if tmp.exists():
            tmp.unlink()
    progress.report(1.0)
    return [target]
