"""The input of every check: pipes as arrays (DESIGN.md sections 4 and 5).

A :class:`Pipes` holds M polylines (``vertices`` (N, 3), z = centreline
elevation, NaN where unknown; ``offsets`` (M + 1,) CSR), their plan and
vertical radii (half the outer width / height; NaN where the size is
unknown), rule classes (``""`` = none) with their status, category, quality
level, DN and owner. Build it from :class:`core.mapread.SegmentArrays`
(:meth:`Pipes.from_segments`) or from plain arrays (:meth:`Pipes.from_arrays`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

from ..errors import InputError, PipeMapError
from .rules import CLASS_MISSING, CLASS_NONE, CLASS_OK, DEFAULT_QUALITY, QualityLevel, RuleSet, factorize

#: (x, y) -> ground elevation, NaN where unknown
Ground = Callable[[np.ndarray, np.ndarray], np.ndarray]

#: categories whose zero size means "a cable" (a line), not "unknown"
CABLE_CATEGORIES = frozenset({"DL", "TX"})


def _obj(values: Sequence[Any] | np.ndarray | None, n: int, name: str) -> np.ndarray:
    if values is None:
        return np.full(n, "", dtype=object)
    seq = values.tolist() if isinstance(values, np.ndarray) and values.dtype == object else values
    kinds = set(map(type, seq)) if isinstance(seq, (list, tuple)) else None
    if kinds is not None and kinds <= {str}:  # already text: no per-value conversion
        out = np.empty(len(seq), dtype=object)
        out[:] = seq
    else:
        out = np.array(["" if v is None else str(v) for v in values], dtype=object)
    if len(out) != n:
        raise InputError("{name} has {got} values for {n} pipes.", code="pipes.length", name=name, got=len(out), n=n)
    return out


def _num(values: Sequence[Any] | np.ndarray | None, n: int, name: str, default: float = np.nan) -> np.ndarray:
    if values is None:
        return np.full(n, default)
    out = np.array([np.nan if v is None or v == "" else v for v in values], dtype=float) \
        if not isinstance(values, np.ndarray) else values.astype(float)
    if len(out) != n:
        raise InputError("{name} has {got} values for {n} pipes.", code="pipes.length", name=name, got=len(out), n=n)
    return out


@dataclass
class Pipes:
    ids: np.ndarray  #: (M,) feature ids (str)
    vertices: np.ndarray  #: (N, 3) float64; z = centreline elevation (NaN: unknown)
    offsets: np.ndarray  #: (M + 1,) int64
    radius_h_m: np.ndarray  #: (M,) half the outer width (NaN: unknown)
    radius_v_m: np.ndarray  #: (M,) half the outer height (NaN: unknown)
    category: np.ndarray  #: (M,) CJJ 61 category code ("" unknown)
    subcategory: np.ndarray
    h_class: np.ndarray  #: (M,) Table 4.1.9 class ("" none)
    v_class: np.ndarray  #: (M,) Table 4.1.14 class
    cover_class: np.ndarray  #: (M,) Table 4.1.1 class
    h_status: np.ndarray  #: (M,) int8 CLASS_OK / CLASS_NONE / CLASS_MISSING
    v_status: np.ndarray
    cover_status: np.ndarray
    quality_level: np.ndarray  #: (M,) quality level code ("" = default CJJ 61 concealed)
    dn_mm: np.ndarray  #: (M,) nominal diameter (gas/gas clearances), NaN unknown
    owner: np.ndarray
    class_missing: np.ndarray  #: (M,) attributes whose absence left a class undecided

    def __len__(self) -> int:
        return len(self.ids)

    # -- builders

    @classmethod
    def from_arrays(cls, ids: Sequence[Any], vertices: np.ndarray, offsets: np.ndarray,
                    radius_h_m: Sequence[float] | np.ndarray, radius_v_m: Sequence[float] | np.ndarray | None = None,
                    *, category: Sequence[Any] | None = None, subcategory: Sequence[Any] | None = None,
                    h_class: Sequence[Any] | None = None, v_class: Sequence[Any] | None = None,
                    cover_class: Sequence[Any] | None = None, rules: RuleSet | None = None,
                    burial_method: Sequence[Any] | None = None, material: Sequence[Any] | None = None,
                    pressure_mpa: Sequence[Any] | None = None, dn_mm: Sequence[Any] | None = None,
                    quality_level: Sequence[Any] | None = None, owner: Sequence[Any] | None = None) -> Pipes:
        """Pipes from plain arrays.

        Classes: either given (``h_class``/``v_class``/``cover_class``, e.g.
        one ``CLASS_FIELD`` for all three; an empty class is UNKNOWN), or
        derived with ``rules.classify`` from category + attributes.
        """
        m = len(ids)
        vertices = np.asarray(vertices, dtype=float)
        if vertices.ndim != 2 or vertices.shape[1] not in (2, 3):
            raise InputError("Vertices must be an (N, 3) array of x, y, z.", code="pipes.vertices")
        if vertices.shape[1] == 2:
            vertices = np.column_stack([vertices, np.full(len(vertices), np.nan)])
        offsets = np.asarray(offsets, dtype=np.int64)
        if len(offsets) != m + 1 or (m and (offsets[0] != 0 or offsets[-1] != len(vertices)
                                            or np.any(np.diff(offsets) < 0))):
            raise InputError("Offsets must run from 0 to the number of vertices, one more than the pipes.",
                             code="pipes.offsets")
        rh = _num(radius_h_m, m, "radius_h_m")
        rv = rh.copy() if radius_v_m is None else _num(radius_v_m, m, "radius_v_m")
        cat = _obj(category, m, "category")
        sub = _obj(subcategory, m, "subcategory")
        dn = _num(dn_mm, m, "dn_mm")
        given = [h_class, v_class, cover_class]
        if any(g is not None for g in given):
            classes = [_obj(g, m, "class") for g in given]
            status = [np.where(c == "", CLASS_MISSING, CLASS_OK).astype(np.int8) for c in classes]
            missing = np.where(classes[0] == "", "class", "").astype(object)
        elif rules is not None and category is not None:
            cl = rules.classify(cat, sub, burial_method, material, pressure_mpa, dn)
            classes = [cl.h_class, cl.v_class, cl.cover_class]
            status = [cl.h_status, cl.v_status, cl.cover_status]
            missing = cl.missing
        else:
            classes = [np.full(m, "", dtype=object) for _ in range(3)]
            status = [np.full(m, CLASS_MISSING, dtype=np.int8) for _ in range(3)]
            missing = np.full(m, "class", dtype=object)
        return cls(_obj(ids, m, "ids"), vertices, offsets, rh, rv, cat, sub, classes[0], classes[1], classes[2],
                   status[0], status[1], status[2], _obj(quality_level, m, "quality_level"), dn,
                   _obj(owner, m, "owner"), missing)

    @classmethod
    def from_segments(cls, seg: Any, rules: RuleSet, *, attributes: dict[str, Sequence[Any]] | None = None) -> Pipes:
        """Pipes from :class:`core.mapread.SegmentArrays`.

        Class attributes (``burial_method``, ``material``, ``pressure_mpa``,
        ``dn_mm``, ``quality_level``) are taken from ``attributes`` or, when
        absent there, from the attributes of ``seg`` of the same name (which
        :func:`core.mapread.read_segments` fills). A size of 0 m (mapread's "no size")
        is a cable for power and telecom, and unknown (NaN) otherwise.
        """
        attrs = dict(attributes or {})
        for name in ("burial_method", "material", "pressure_mpa", "dn_mm", "quality_level"):
            if name not in attrs and getattr(seg, name, None) is not None:
                attrs[name] = getattr(seg, name)
        cat = np.array(seg.category, dtype=object)
        width = np.asarray(seg.width_m, dtype=float).copy()
        height = np.asarray(seg.height_m, dtype=float).copy()
        cat_codes, cat_values = factorize(cat)
        cable = np.array([c in CABLE_CATEGORIES for c in cat_values], dtype=bool)
        unknown = ~(cable[cat_codes] if len(cat) else np.zeros(0, dtype=bool)) & ((width <= 0) | (height <= 0))
        width[unknown] = np.nan
        height[unknown] = np.nan
        return cls.from_arrays(seg.ids, seg.vertices, seg.offsets, width / 2.0, height / 2.0, category=cat,
                               subcategory=seg.subcategory, rules=rules, burial_method=attrs.get("burial_method"),
                               material=attrs.get("material"), pressure_mpa=attrs.get("pressure_mpa"),
                               dn_mm=attrs.get("dn_mm"), quality_level=attrs.get("quality_level"),
                               owner=getattr(seg, "owner", None))

    # -- derived arrays

    def segments(self) -> tuple[np.ndarray, np.ndarray]:
        """(start-vertex index, pipe index) of every straight piece of every usable pipe."""
        counts = np.diff(self.offsets)
        usable = self.usable()
        nseg = np.where(usable, np.maximum(counts - 1, 0), 0)
        pipe = np.repeat(np.arange(len(self)), nseg)
        local = np.arange(len(pipe)) - np.repeat(np.cumsum(nseg) - nseg, nseg)
        return self.offsets[pipe] + local, pipe

    def usable(self) -> np.ndarray:
        """Pipes with at least two vertices and finite plan coordinates."""
        counts = np.diff(self.offsets)
        ok = counts >= 2
        bad_v = ~np.isfinite(self.vertices[:, :2]).all(axis=1)
        if bad_v.any():
            owner = np.repeat(np.arange(len(self)), counts)
            ok[np.unique(owner[bad_v])] = False
        return ok

    def endpoints(self) -> tuple[np.ndarray, np.ndarray]:
        """(M, 2) plan start and end points (NaN for pipes without vertices)."""
        counts = np.diff(self.offsets)
        has = counts > 0
        first = np.where(has, self.offsets[:-1], 0)
        last = np.where(has, self.offsets[1:] - 1, 0)
        a = self.vertices[first, :2].copy()
        b = self.vertices[last, :2].copy()
        a[~has] = np.nan
        b[~has] = np.nan
        return a, b

    def centre_depth(self, ground: Ground | None) -> np.ndarray:
        """(M,) h: the greatest centre depth at the pipe's vertices, at least 1 m;
        1 m where the ground or z is unknown."""
        z = self.vertices[:, 2]
        if ground is not None and len(z):
            g = np.asarray(ground(self.vertices[:, 0], self.vertices[:, 1]), dtype=float)
            d = g - z
        else:
            d = np.full(len(z), np.nan)
        d = np.where(np.isfinite(d), np.maximum(d, 1.0), 1.0)
        out = np.ones(len(self))
        counts = np.diff(self.offsets)
        nz = counts > 0
        if nz.any():
            out[nz] = np.maximum.reduceat(d, self.offsets[:-1][nz]) if len(d) else 1.0
        return out

    def quality_params(self, quality: dict[str, QualityLevel]) -> tuple[np.ndarray, list[PipeMapError]]:
        """(M, 4) u parameters (plan min, plan per h, depth min, depth per h) and messages."""
        codes, distinct = factorize(self.quality_level)
        names = np.array([str(v) for v in distinct], dtype=str)
        levels, back = np.unique(names, return_inverse=True)  # sorted, as the messages come out
        inv = back[codes] if len(codes) else np.zeros(0, dtype=np.int64)
        table = np.zeros((len(levels), 4))
        msgs: list[PipeMapError] = []
        for i, lv in enumerate(levels):
            q = quality.get(lv) if lv else DEFAULT_QUALITY
            if q is None:
                n = int(np.sum(inv == i))
                msgs.append(InputError("{n} pipes have the unknown quality level {level!r}; the CJJ 61 concealed-"
                                       "point limits are used for them.", code="check.quality_level", n=n, level=lv))
                q = DEFAULT_QUALITY
            table[i] = (q.u_plan_min_m, q.u_plan_per_h, q.u_depth_min_m, q.u_depth_per_h)
        return table[inv] if len(self) else np.zeros((0, 4)), msgs

    def uncertainty(self, ground: Ground | None, quality: dict[str, QualityLevel]) -> tuple[np.ndarray, np.ndarray,
                                                                                            list[PipeMapError]]:
        """(u_plan, u_depth) per pipe: max(min, factor x h) of its quality level (NaN: undefined)."""
        h = self.centre_depth(ground)
        q, msgs = self.quality_params(quality)
        return np.maximum(q[:, 0], q[:, 1] * h), np.maximum(q[:, 2], q[:, 3] * h), msgs

    # -- input problems

    def problems(self, classes: Sequence[str] = ("horizontal", "vertical", "cover")) -> list[PipeMapError]:
        """Clear, non-fatal messages about inputs that make figures UNKNOWN.

        :param classes: the rule classes the check uses (their gaps are reported).
        """
        msgs: list[PipeMapError] = []
        n = len(self)
        if n == 0:
            return msgs
        counts = np.diff(self.offsets)
        short = counts < 2
        if short.any():
            msgs.append(InputError("{n} pipes have fewer than two vertices and are not checked (e.g. {ids}).",
                                   code="check.short_pipe", n=int(short.sum()), ids=_some(self.ids[short])))
        bad = ~self.usable() & ~short
        if bad.any():
            msgs.append(InputError("{n} pipes have vertices without x/y and are not checked (e.g. {ids}).",
                                   code="check.bad_xy", n=int(bad.sum()), ids=_some(self.ids[bad])))
        z = self.vertices[:, 2]
        if len(z) and not np.isfinite(z).any():
            msgs.append(InputError("The pipes have no elevations (a 2D layer or z missing everywhere): every "
                                   "vertical, crossing-order, cover and excavation figure is UNKNOWN.",
                                   code="check.no_z"))
        elif len(z):
            owner = np.repeat(np.arange(n), counts)
            noz = np.zeros(n, dtype=bool)
            noz[np.unique(owner[~np.isfinite(z)])] = True
            if noz.any():
                msgs.append(InputError("{n} pipes have vertices without z: their vertical, cover and excavation "
                                       "figures are UNKNOWN (e.g. {ids}).", code="check.missing_z",
                                       n=int(noz.sum()), ids=_some(self.ids[noz])))
        nosize = ~np.isfinite(self.radius_h_m) | ~np.isfinite(self.radius_v_m)
        if nosize.any():
            msgs.append(InputError("{n} pipes have no diameter or box size: their clearances and cover are UNKNOWN "
                                   "(e.g. {ids}).", code="check.no_size", n=int(nosize.sum()),
                                   ids=_some(self.ids[nosize])))
        neg = (self.radius_h_m < 0) | (self.radius_v_m < 0)
        if neg.any():
            raise InputError("{n} pipes have a negative size (e.g. {ids}).", code="check.negative_size",
                             n=int(neg.sum()), ids=_some(self.ids[neg]))
        for status, what in ((self.h_status, "horizontal"), (self.v_status, "vertical"),
                             (self.cover_status, "cover")):
            if what not in classes:
                continue
            miss = status == CLASS_MISSING
            if miss.any():
                attrs = sorted({a for s in self.class_missing[miss] for a in str(s).split(",") if a})
                msgs.append(_class_message(what, True, n=int(miss.sum()), attrs=", ".join(attrs) or "class",
                                           ids=_some(self.ids[miss])))
            none = status == CLASS_NONE
            if none.any():
                cats = sorted({str(c) or "?" for c in self.category[none]})
                msgs.append(_class_message(what, False, n=int(none.sum()), cats=", ".join(cats)))
        return msgs


def _class_message(what: str, missing: bool, **params: Any) -> InputError:
    """The message for pipes without a rule class (literal templates, so they can be translated)."""
    if missing:
        if what == "horizontal":
            return InputError("{n} pipes have no horizontal rule class because {attrs} is missing: their horizontal "
                              "clearances are UNKNOWN (e.g. {ids}).", code="check.class_missing", **params)
        if what == "vertical":
            return InputError("{n} pipes have no vertical rule class because {attrs} is missing: their vertical "
                              "clearances are UNKNOWN (e.g. {ids}).", code="check.class_missing", **params)
        return InputError("{n} pipes have no cover rule class because {attrs} is missing: their cover is UNKNOWN "
                          "(e.g. {ids}).", code="check.class_missing", **params)
    if what == "horizontal":
        return InputError("{n} pipes (categories {cats}) have no horizontal rule class in the tables: their "
                          "horizontal pairs are counted as no_rule.", code="check.class_none", **params)
    if what == "vertical":
        return InputError("{n} pipes (categories {cats}) have no vertical rule class in the tables: their vertical "
                          "pairs are counted as no_rule.", code="check.class_none", **params)
    return InputError("{n} pipes (categories {cats}) have no cover rule class in the tables: their cover is counted "
                      "as no_rule.", code="check.class_none", **params)


def _some(ids: np.ndarray, k: int = 5) -> str:
    shown = ", ".join(str(i) for i in ids[:k])
    return shown + (", ..." if len(ids) > k else "")


def require_projected(crs: str) -> None:
    """Raise unless ``crs`` is projected or a local grid in metres (checks measure in metres)."""
    from ..gdalutil import spatial_reference

    srs = spatial_reference(crs)
    if srs.IsGeographic():
        raise InputError("The layer's CRS {crs} is geographic (degrees); clearances and depths need metres: "
                         "reproject it to a projected CRS (e.g. the CGCS2000 Gauss-Kruger zone).",
                         code="check.geographic_crs", crs=_crs_name(srs, crs))
    units = srs.GetLinearUnits() if (srs.IsProjected() or srs.IsLocal()) else 1.0
    if units and abs(units - 1.0) > 1e-9:
        raise InputError("The layer's CRS {crs} is not in metres (1 unit = {units} m); reproject it first.",
                         code="check.crs_units", crs=_crs_name(srs, crs), units=units)


def _crs_name(srs: Any, fallback: str) -> str:
    name = srs.GetName() if hasattr(srs, "GetName") else None
    return name or fallback[:80]
