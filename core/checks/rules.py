"""Rule tables as data: GB 50289-2016 clearances and cover, or the user's.

Shipped tables (``resources/rules/``, copied from the research notes with
their provenance and confidence columns):

* ``gb50289_horizontal.csv`` -- Table 4.1.9, minimum horizontal clearance;
* ``gb50289_vertical.csv`` -- Table 4.1.14, minimum vertical clearance at
  crossings;
* ``gb50289_cover.csv`` -- Table 4.1.1, minimum cover (non-motor / motor lane);
* ``class_map.csv`` -- CJJ 61 category + attributes -> ``h_class``,
  ``v_class``, ``cover_class`` (the three tables differ in granularity);
* ``quality_levels.csv`` -- positional uncertainty per quality level.

A user can instead pass one symmetric clearance table
(``class_a,class_b,min_horizontal_m,min_vertical_m``) used with a single
class field, and a cover table (``class,min_cover_non_motor_m,
min_cover_motor_m``); optional columns ``rule_id``, ``confidence``,
``sources``, ``note`` are kept.

A rule cell is *verified* when its confidence starts with ``verified`` (the
shipped ``verified_secondary`` cells) or is ``user`` (the default for a
user's own table). Findings from other cells get severity ``warning``
unless the check runs with ``strict=True`` (``STRICT_RULES``).
"""

from __future__ import annotations

import csv
import io
import os
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from ..errors import InputError

RULES_DIR = Path(__file__).resolve().parent.parent.parent / "resources" / "rules"
SHIPPED_HORIZONTAL = RULES_DIR / "gb50289_horizontal.csv"
SHIPPED_VERTICAL = RULES_DIR / "gb50289_vertical.csv"
SHIPPED_COVER = RULES_DIR / "gb50289_cover.csv"
SHIPPED_CLASS_MAP = RULES_DIR / "class_map.csv"
SHIPPED_QUALITY_LEVELS = RULES_DIR / "quality_levels.csv"

#: status of a pipe's rule class (per figure)
CLASS_OK = 0
CLASS_NONE = 1  #: no class: the category is outside the tables (counted as no_rule)
CLASS_MISSING = 2  #: an attribute needed to choose the class is missing (UNKNOWN)

#: gas classes of Table 4.1.9 (gas-to-gas clearance depends on the DN, not the pressure)
GAS_CLASSES = ("G_L", "G_MB", "G_MA", "G_HB", "G_HA")
GAS_DN_LIMIT_MM = 300.0

#: GB 50289-2016 4.1.12: top-down order at crossings (rank 1 = topmost).
ORDER_RANK = {"TX": 1, "DL": 2, "RQ": 3, "RL": 4, "JS": 5, "RW": 6, "YS": 7, "WS": 8}
#: the part of 4.1.12 that is a "shall" (应): water, reclaimed water and drainage top-down.
ORDER_MANDATORY = frozenset({"JS", "RW", "YS", "WS"})


def is_verified(confidence: str) -> bool:
    c = (confidence or "").strip().lower()
    return c.startswith("verified") or c == "user"


@dataclass(frozen=True)
class Rule:
    """One rule cell."""

    rule_id: str
    value_m: float
    confidence: str
    sources: str = ""
    note: str = ""
    table: str = ""

    @property
    def verified(self) -> bool:
        return is_verified(self.confidence)


#: the crossing-order rule (clause 4.1.12), quoted by secondary sources only
ORDER_RULE = Rule("GB50289-4.1.12", 0.0, "secondary", "S7;S11",
                  "water, reclaimed water and drainage shall be laid top-down in that order (water never below sewer)",
                  "GB 50289-2016 4.1.12")
ORDER_RULE_ADVISORY = Rule("GB50289-4.1.12a", 0.0, "secondary", "S7;S11",
                           "advisory top-down order at crossings: telecom, power, gas, heat, water, reclaimed, storm, "
                           "sewer", "GB 50289-2016 4.1.12")


#: a rule table larger than this is refused (the shipped ones are a few KB)
MAX_TABLE_BYTES = 10_000_000
#: a clearance table is a dense class x class matrix: at most this many classes
MAX_CLASSES = 2000


def _read_csv(path: str | os.PathLike[str]) -> tuple[list[str], list[dict[str, str]]]:
    p = Path(path)
    if not p.is_file():
        raise InputError("The rule table {path} does not exist.", code="rules.missing", path=str(p))
    size = p.stat().st_size
    if size > MAX_TABLE_BYTES:
        raise InputError("The rule table {path} is {size} bytes, more than the {limit} bytes of a rule table.",
                         code="rules.too_large", path=str(p), size=size, limit=MAX_TABLE_BYTES)
    raw = p.read_bytes()
    for enc in ("utf-8-sig", "gbk"):
        try:
            text = raw.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise InputError("The rule table {path} is neither UTF-8 nor GBK text.", code="rules.encoding",
                         path=str(p))
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [h.strip() for h in (reader.fieldnames or [])]
        rows = [{(k or "").strip(): (v or "").strip() for k, v in r.items() if k is not None} for r in reader]
    except csv.Error as exc:  # a field over the csv module's limit, a NUL byte...
        raise InputError("The rule table {path} is not valid CSV near line {line}: {reason}.", code="rules.csv",
                         path=str(p), line=reader.line_num, reason=str(exc)) from None
    return header, rows


def _require_columns(header: list[str], needed: Sequence[str], path: str | os.PathLike[str]) -> None:
    missing = [c for c in needed if c not in header]
    if missing:
        raise InputError("The rule table {path} lacks the column(s) {columns} (it has: {header}).",
                         code="rules.columns", path=str(path), columns=", ".join(missing),
                         header=", ".join(header))


def _value(raw: str, path: str | os.PathLike[str], row: int, column: str) -> float | None:
    if raw == "" or raw == "-" or raw == "—":
        return None
    try:
        v = float(raw)
    except ValueError:
        raise InputError("Row {row} of {path}: {column} = {value!r} is not a number.", code="rules.value",
                         row=row, path=str(path), column=column, value=raw) from None
    if not np.isfinite(v) or v < 0:
        raise InputError("Row {row} of {path}: {column} = {value!r} must be a distance of 0 m or more.",
                         code="rules.value", row=row, path=str(path), column=column, value=raw)
    return v


class PairTable:
    """A symmetric class-pair table (horizontal or vertical clearances).

    ``value`` is a dense (K, K) matrix (NaN: no rule) and ``rule_index`` the
    matching index into ``rules`` (-1: none), so lookups are vectorised.
    """

    def __init__(self, name: str, cells: Iterable[tuple[str, str, Rule]], source: str = "") -> None:
        self.name = name
        self.source = source
        cells = list(cells)
        classes = list(dict.fromkeys(c for a, b, _ in cells for c in (a, b)))  # first-seen order
        if len(classes) > MAX_CLASSES:
            raise InputError("The rule table {path} has {count} classes; PipeMap accepts at most {limit} in one "
                             "table.", code="rules.too_many_classes", path=source, count=len(classes),
                             limit=MAX_CLASSES)
        self.classes = classes
        self.index = {c: i for i, c in enumerate(classes)}
        k = len(classes)
        self.value = np.full((k, k), np.nan)
        self.rule_index = np.full((k, k), -1, dtype=np.int64)
        self.rules: list[Rule] = []
        for a, b, rule in cells:
            i, j = self.index[a], self.index[b]
            if self.rule_index[i, j] >= 0:
                old = self.rules[self.rule_index[i, j]]
                if old.value_m != rule.value_m:
                    raise InputError("The rule table {path} gives two values of {column} for {a} / {b}: {v1} m ({r1}) "
                                     "and {v2} m ({r2}).", code="rules.duplicate", column=name, path=source, a=a, b=b,
                                     v1=old.value_m, r1=old.rule_id, v2=rule.value_m, r2=rule.rule_id)
                continue
            self.rules.append(rule)
            self.value[i, j] = self.value[j, i] = rule.value_m
            self.rule_index[i, j] = self.rule_index[j, i] = len(self.rules) - 1
        self._refresh()

    def _refresh(self) -> None:
        self.verified = np.array([r.verified for r in self.rules] or [False], dtype=bool)
        self.rule_ids = np.array([r.rule_id for r in self.rules] or [""], dtype=object)

    def add_rule(self, rule: Rule) -> int:
        """Register a rule that has no cell of its own (e.g. gas/gas by DN); returns its index."""
        for i, r in enumerate(self.rules):
            if r is rule:
                return i
        self.rules.append(rule)
        self._refresh()
        return len(self.rules) - 1

    def codes(self, classes: Sequence[str] | np.ndarray) -> np.ndarray:
        """Integer code of each class string (-1: not in this table)."""
        arr = np.asarray(classes, dtype=object).ravel()
        if not len(arr):
            return np.zeros(0, dtype=np.int64)
        inv, uniq = factorize(arr)
        lut = np.array([self.index.get(str(u), -1) for u in uniq], dtype=np.int64)
        return lut[inv]

    def lookup(self, ca: np.ndarray, cb: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Required value and rule index for class-code pairs (NaN / -1 when none)."""
        ok = (ca >= 0) & (cb >= 0)
        i = np.where(ok, ca, 0)
        j = np.where(ok, cb, 0)
        if not len(self.classes):
            return np.full(len(ca), np.nan), np.full(len(ca), -1, dtype=np.int64)
        return np.where(ok, self.value[i, j], np.nan), np.where(ok, self.rule_index[i, j], -1)

    def max_partner(self, present: np.ndarray) -> np.ndarray:
        """(K,) largest value of each class against the classes in ``present`` (NaN when none)."""
        k = len(self.classes)
        present = np.unique(present[present >= 0])
        if k == 0 or not len(present):
            return np.full(k, np.nan)
        sub = self.value[:, present]
        with np.errstate(all="ignore"):
            out = np.nanmax(np.where(np.isnan(sub), -np.inf, sub), axis=1)
        return np.where(np.isfinite(out), out, np.nan)


@dataclass
class CoverTable:
    """Minimum cover per cover class: non-motor lane (incl. sidewalk) and motor lane."""

    classes: list[str]
    non_motor: list[Rule | None]
    motor: list[Rule | None]

    def __post_init__(self) -> None:
        self.index = {c: i for i, c in enumerate(self.classes)}
        self.rules: list[Rule] = []
        k = len(self.classes)
        self.value = np.full((k, 2), np.nan)  #: column 0 non-motor, 1 motor
        self.rule_index = np.full((k, 2), -1, dtype=np.int64)
        for i in range(k):
            for j, r in enumerate((self.non_motor[i], self.motor[i])):
                if r is not None:
                    self.rules.append(r)
                    self.value[i, j] = r.value_m
                    self.rule_index[i, j] = len(self.rules) - 1
        self.verified = np.array([r.verified for r in self.rules], dtype=bool)
        self.rule_ids = np.array([r.rule_id for r in self.rules] or [""], dtype=object)

    def codes(self, classes: Sequence[str] | np.ndarray) -> np.ndarray:
        arr = np.asarray(classes, dtype=object).ravel()
        if not len(arr):
            return np.zeros(0, dtype=np.int64)
        inv, uniq = factorize(arr)
        lut = np.array([self.index.get(str(u), -1) for u in uniq], dtype=np.int64)
        return lut[inv]


# --- class mapping ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ClassMapRow:
    priority: int
    category: str
    subcategory: str | None
    burial_methods: tuple[str, ...]
    materials: tuple[str, ...]
    pressure_min_mpa: float | None
    pressure_max_mpa: float | None
    dn_min_mm: float | None
    dn_max_mm: float | None
    h_class: str
    v_class: str
    cover_class: str
    note: str = ""


@dataclass
class Classification:
    """Rule classes of every pipe ("" = none) and their status (``CLASS_*``)."""

    h_class: np.ndarray
    v_class: np.ndarray
    cover_class: np.ndarray
    h_status: np.ndarray
    v_status: np.ndarray
    cover_status: np.ndarray
    #: per pipe, the attributes whose absence left a class undecided ("" when none)
    missing: np.ndarray


def _text_array(values: Sequence[object] | np.ndarray | None, n: int) -> np.ndarray:
    if values is None:
        return np.full(n, "", dtype=object)
    out = np.asarray(["" if v is None else str(v).strip() for v in values], dtype=object)
    if len(out) != n:
        raise ValueError(f"attribute array of length {len(out)}, expected {n}")
    return out


def _factorize_text(values: Sequence[object] | np.ndarray | None, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(codes, cleaned distinct texts): None -> "", surrounding blanks removed."""
    if values is None:
        return np.zeros(n, dtype=np.int64), np.array([""], dtype=object)
    seq = values.tolist() if isinstance(values, np.ndarray) else list(values)
    if len(seq) < n:
        raise ValueError(f"attribute array of length {len(seq)}, expected {n}")
    codes, distinct = factorize(seq[:n] if len(seq) > n else seq)  # the first n values, as before
    uniq = np.array(["" if v is None or (isinstance(v, float) and v != v) else str(v).strip() for v in distinct],
                    dtype=object)
    return codes, uniq if len(uniq) else np.array([""], dtype=object)


def factorize(values: Sequence[object] | np.ndarray) -> tuple[np.ndarray, list[object]]:
    """(codes, distinct values in first-seen order) of hashable values, without sorting them (a dict, in C:
    much faster than ``np.unique`` on object arrays)."""
    seq = values.tolist() if isinstance(values, np.ndarray) else values if isinstance(values, (list, tuple)) \
        else list(values)
    lut = dict.fromkeys(seq)
    distinct = list(lut)
    for k, v in enumerate(distinct):
        lut[v] = k
    codes = np.fromiter(map(lut.__getitem__, seq), dtype=np.int64, count=len(seq))
    return codes, distinct


def _num_array(values: Sequence[object] | np.ndarray | None, n: int) -> np.ndarray:
    if values is None:
        return np.full(n, np.nan)
    out = np.array([np.nan if v is None or v == "" else float(v) for v in values], dtype=float) \
        if not isinstance(values, np.ndarray) else values.astype(float)
    if len(out) != n:
        raise ValueError(f"attribute array of length {len(out)}, expected {n}")
    return out


class ClassMap:
    """category + attributes -> (h_class, v_class, cover_class), first row by priority.

    A pipe whose attribute needed by a row is missing "maybe" matches it
    (except the sub-category: a pipe without one is not of the sub-category a
    row names, e.g. water without sub-category is not reclaimed water). The
    class of a figure is decided by the rows that match or maybe match, up to
    the first that surely matches: when they all give the same class, a
    missing attribute does not matter (a water pipe without DN still has the
    vertical class ``WS``); otherwise the class is undecided
    (``CLASS_MISSING``, the figure is UNKNOWN). No row at all, or a row with
    an empty class (gas above 1.6 MPa), gives ``CLASS_NONE`` (no rule).
    """

    def __init__(self, rows: Iterable[ClassMapRow]) -> None:
        self.rows = sorted(rows, key=lambda r: r.priority)

    @classmethod
    def from_csv(cls, path: str | os.PathLike[str] = SHIPPED_CLASS_MAP) -> ClassMap:
        header, recs = _read_csv(path)
        _require_columns(header, ("priority", "category", "h_class", "v_class", "cover_class"), path)
        rows = []
        for n, r in enumerate(recs, start=2):
            def num(col: str, n: int = n, r: dict = r) -> float | None:
                raw = r.get(col, "")
                if raw == "":
                    return None
                try:
                    return float(raw)
                except ValueError:
                    raise InputError("Row {row} of {path}: {column} = {value!r} is not a number.",
                                     code="rules.value", row=n, path=str(path), column=col, value=raw) from None
            try:
                prio = int(r["priority"])
            except ValueError:
                raise InputError("Row {row} of {path}: {column} = {value!r} is not a number.", code="rules.value",
                                 row=n, path=str(path), column="priority", value=r["priority"]) from None
            rows.append(ClassMapRow(prio, r["category"], r.get("subcategory") or None,
                                    tuple(x for x in r.get("burial_methods", "").split("|") if x),
                                    tuple(x for x in r.get("materials", "").split("|") if x),
                                    num("pressure_min_mpa"), num("pressure_max_mpa"), num("dn_min_mm"),
                                    num("dn_max_mm"), r.get("h_class", ""), r.get("v_class", ""),
                                    r.get("cover_class", ""), r.get("note", "")))
        return cls(rows)

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[object]]) -> ClassMap:
        """From tuples in ``schema.RULE_CLASS_MAP_COLUMNS`` order (e.g. a map's ``rule_class_map`` table)."""
        out = []
        for r in rows:
            (prio, cat, sub, burials, materials, pmin, pmax, dmin, dmax, h, v, c, note) = tuple(r)[:13]

            def opt(x: object) -> float | None:
                return None if x is None or x == "" else float(x)  # type: ignore[arg-type]

            out.append(ClassMapRow(int(prio), str(cat), str(sub) if sub else None,  # type: ignore[call-overload]
                                   tuple(x for x in str(burials or "").split("|") if x),
                                   tuple(x for x in str(materials or "").split("|") if x),
                                   opt(pmin), opt(pmax), opt(dmin), opt(dmax), str(h or ""), str(v or ""),
                                   str(c or ""), str(note or "")))
        return cls(out)

    def classify(self, category: Sequence[object] | np.ndarray, subcategory: Sequence[object] | None = None,
                 burial_method: Sequence[object] | None = None, material: Sequence[object] | None = None,
                 pressure_mpa: Sequence[object] | np.ndarray | None = None,
                 dn_mm: Sequence[object] | np.ndarray | None = None) -> Classification:
        """Classes of every pipe (evaluated once per distinct attribute combination)."""
        n = len(category)
        codes, texts = [], []
        for values in (category, subcategory, burial_method, material):
            c, uniq = _factorize_text(values, n)
            codes.append(c)
            texts.append(uniq)
        nums = [_num_array(v, n) for v in (pressure_mpa, dn_mm)]
        for v in nums:
            _, inv = np.unique(np.where(np.isfinite(v), v, np.inf), return_inverse=True)
            codes.append(inv.astype(np.int64).ravel())
        key = np.zeros(n, dtype=np.int64)
        for c in codes:  # combine, re-factorising at each step so the key stays small
            key = key * (int(c.max()) + 1 if n else 1) + c
            _, key = np.unique(key, return_inverse=True)
            key = key.astype(np.int64).ravel()
        _, first, inv = np.unique(key, return_index=True, return_inverse=True)
        u = self._classify([t[c[first]] for t, c in zip(texts, codes)], [v[first] for v in nums])
        return Classification(*(getattr(u, f.name)[inv] for f in fields(Classification)))

    def _classify(self, cols: list[np.ndarray], nums: list[np.ndarray]) -> Classification:
        cat, sub, bur, mat = cols
        pre, dn = nums
        n = len(cat)
        kinds = ("h_class", "v_class", "cover_class")
        first = {k: np.full(n, "", dtype=object) for k in kinds}
        seen = {k: np.zeros(n, dtype=bool) for k in kinds}
        conflict = {k: np.zeros(n, dtype=bool) for k in kinds}
        done = {k: np.zeros(n, dtype=bool) for k in kinds}
        missing_attr: dict[str, np.ndarray] = {a: np.zeros(n, dtype=bool) for a in
                                               ("burial_method", "material", "pressure_mpa", "dn_mm")}
        for row in self.rows:
            false = cat != row.category
            unknown = {a: np.zeros(n, dtype=bool) for a in missing_attr}
            if row.subcategory:  # a pipe without a sub-category is not of the one a row names
                false |= sub != row.subcategory
            if row.burial_methods:
                unknown["burial_method"] = bur == ""
                false |= ~unknown["burial_method"] & ~np.isin(bur, row.burial_methods)
            if row.materials:
                unknown["material"] = mat == ""
                false |= ~unknown["material"] & ~np.isin(mat, row.materials)
            for name, values, lo, hi in (("pressure_mpa", pre, row.pressure_min_mpa, row.pressure_max_mpa),
                                         ("dn_mm", dn, row.dn_min_mm, row.dn_max_mm)):
                if lo is None and hi is None:
                    continue
                unknown[name] = ~np.isfinite(values)
                with np.errstate(invalid="ignore"):
                    bad = np.zeros(n, dtype=bool)
                    if lo is not None:
                        bad |= values < lo
                    if hi is not None:
                        bad |= values > hi
                false |= ~unknown[name] & bad
            any_unknown = np.zeros(n, dtype=bool)
            for u in unknown.values():
                any_unknown |= u
            candidate = ~false
            definite = candidate & ~any_unknown
            for k in kinds:
                value = getattr(row, k)
                active = candidate & ~done[k]
                new = active & ~seen[k]
                first[k][new] = value
                seen[k] |= active
                conflict[k] |= active & ~new & (first[k] != value)
                done[k] |= active & definite
            for a, u in unknown.items():
                missing_attr[a] |= candidate & u & ~done["h_class"]
        out: dict[str, np.ndarray] = {}
        for k in kinds:
            status = np.full(n, CLASS_OK, dtype=np.int8)
            cls_ = np.where(seen[k] & ~conflict[k], first[k], "").astype(object)
            status[(cls_ == "")] = CLASS_NONE
            status[conflict[k]] = CLASS_MISSING
            status[cat == ""] = CLASS_MISSING
            out[k] = cls_
            out[k.replace("class", "status")] = status
        names = np.full(n, "", dtype=object)
        undecided = (out["h_status"] == CLASS_MISSING) | (out["v_status"] == CLASS_MISSING) | \
            (out["cover_status"] == CLASS_MISSING)
        for a, m in missing_attr.items():
            sel = m & undecided
            names[sel] = np.where(names[sel] == "", a, names[sel] + "," + a)
        names[(cat == "") & undecided] = "category"
        return Classification(out["h_class"], out["v_class"], out["cover_class"], out["h_status"],
                              out["v_status"], out["cover_status"], names)


# --- quality levels -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QualityLevel:
    """u = max(min_m, per_h x h) for plan and depth figures (NaN: not defined)."""

    level: str
    u_plan_min_m: float
    u_plan_per_h: float
    u_depth_min_m: float
    u_depth_per_h: float
    label: str = ""
    sources: str = ""


#: the default for a pipe without a quality level: CJJ 61 concealed-point limits
DEFAULT_QUALITY = QualityLevel("", 0.0, 0.10, 0.0, 0.15, "CJJ 61 concealed point (default)")


def load_quality_levels(path: str | os.PathLike[str] = SHIPPED_QUALITY_LEVELS) -> dict[str, QualityLevel]:
    header, recs = _read_csv(path)
    cols = ("level", "u_plan_min_m", "u_plan_per_h", "u_depth_min_m", "u_depth_per_h")
    _require_columns(header, cols, path)
    out: dict[str, QualityLevel] = {}
    for n, r in enumerate(recs, start=2):
        vals = [_value(r[c], path, n, c) for c in cols[1:]]
        plan, depth = vals[0:2], vals[2:4]
        # a figure with neither a minimum nor a factor is undefined (NaN: UNKNOWN); one empty cell is 0
        plan = [np.nan, np.nan] if plan == [None, None] else [v or 0.0 for v in plan]
        depth = [np.nan, np.nan] if depth == [None, None] else [v or 0.0 for v in depth]
        out[r["level"]] = QualityLevel(r["level"], plan[0], plan[1], depth[0], depth[1], r.get("label", ""),
                                       r.get("sources", ""))
    return out


# --- the rule set -------------------------------------------------------------------------------------------


@dataclass
class RuleSet:
    """Everything a check needs to know about the rules."""

    horizontal: PairTable
    vertical: PairTable
    cover: CoverTable
    class_map: ClassMap | None = None
    quality: dict[str, QualityLevel] = field(default_factory=dict)
    #: gas-to-gas horizontal rules (other pipe DN <= 300 mm, > 300 mm); None for user tables
    gas_small: Rule | None = None
    gas_large: Rule | None = None
    name: str = "GB 50289-2016"

    @classmethod
    def shipped(cls) -> RuleSet:
        """The GB 50289-2016 tables shipped with PipeMap."""
        horizontal, gas_small, gas_large = _load_shipped_horizontal(SHIPPED_HORIZONTAL)
        return cls(horizontal, _load_shipped_vertical(SHIPPED_VERTICAL), _load_shipped_cover(SHIPPED_COVER),
                   ClassMap.from_csv(SHIPPED_CLASS_MAP), load_quality_levels(), gas_small, gas_large)

    def with_user_clearances(self, path: str | os.PathLike[str]) -> RuleSet:
        """This rule set with the clearances replaced by a user's table (classes from one class field)."""
        h, v = load_user_clearances(path)
        return RuleSet(h, v, self.cover, self.class_map, self.quality, None, None, f"user ({Path(path).name})")

    def with_user_cover(self, path: str | os.PathLike[str]) -> RuleSet:
        """This rule set with the cover table replaced by a user's table."""
        return RuleSet(self.horizontal, self.vertical, load_user_cover(path), self.class_map, self.quality,
                       self.gas_small, self.gas_large, self.name)

    # -- lookups

    def horizontal_required(self, ca: np.ndarray, cb: np.ndarray, dn_a: np.ndarray | None = None,
                            dn_b: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Required horizontal clearance for class-code pairs.

        :returns: (required_m, rule index or -1, needs_dn) -- ``needs_dn`` marks
            gas/gas pairs whose rule depends on a missing DN (UNKNOWN).
        """
        req, idx = self.horizontal.lookup(ca, cb)
        needs = np.zeros(len(ca), dtype=bool)
        if self.gas_small is None or self.gas_large is None or not len(ca):
            return req, idx, needs
        gas = np.array([self.horizontal.index.get(g, -2) for g in GAS_CLASSES])
        both = np.isin(ca, gas) & np.isin(cb, gas) & (idx < 0)
        if both.any():
            da = dn_a if dn_a is not None else np.full(len(ca), np.nan)
            db = dn_b if dn_b is not None else np.full(len(ca), np.nan)
            with np.errstate(invalid="ignore"):
                large = (da > GAS_DN_LIMIT_MM) | (db > GAS_DN_LIMIT_MM)
            known = (np.isfinite(da) & np.isfinite(db)) | large
            small_idx = self.horizontal.add_rule(self.gas_small)
            large_idx = self.horizontal.add_rule(self.gas_large)
            sel = both & known
            req = np.where(sel, np.where(large, self.gas_large.value_m, self.gas_small.value_m), req)
            idx = np.where(sel, np.where(large, large_idx, small_idx), idx)
            needs = both & ~known
        return req, idx, needs

    def horizontal_max_partner(self, codes: np.ndarray) -> np.ndarray:
        """(K,) largest horizontal requirement of each class against the classes present."""
        out = self.horizontal.max_partner(codes)
        if self.gas_large is not None and len(out):
            gas = [self.horizontal.index[g] for g in GAS_CLASSES if g in self.horizontal.index]
            if np.isin(codes, gas).any():
                for g in gas:
                    out[g] = np.nanmax([out[g], self.gas_large.value_m])
        return out

    def classify(self, category: Sequence[object], subcategory: Sequence[object] | None = None,
                 burial_method: Sequence[object] | None = None, material: Sequence[object] | None = None,
                 pressure_mpa: Sequence[object] | np.ndarray | None = None,
                 dn_mm: Sequence[object] | np.ndarray | None = None) -> Classification:
        if self.class_map is None:
            raise InputError("These rules have no class mapping: give a class field instead.",
                             code="rules.no_class_map")
        return self.class_map.classify(category, subcategory, burial_method, material, pressure_mpa, dn_mm)


def _shipped_rule(r: dict[str, str], value: float, confidence: str) -> Rule:
    return Rule(r["rule_id"], value, confidence, r.get("sources", ""), r.get("notes", ""), r.get("table", ""))


def _load_shipped_horizontal(path: Path) -> tuple[PairTable, Rule | None, Rule | None]:
    header, recs = _read_csv(path)
    _require_columns(header, ("rule_id", "item_a_id", "item_b_id", "min_horizontal_clearance_m", "confidence"),
                     path)
    cells = []
    gas_small = gas_large = None
    for n, r in enumerate(recs, start=2):
        v = _value(r["min_horizontal_clearance_m"], path, n, "min_horizontal_clearance_m")
        if v is None:
            continue
        rule = _shipped_rule(r, v, r["confidence"])
        a, b = r["item_a_id"], r["item_b_id"]
        if a == "GAS_OTHER_S" or b == "GAS_OTHER_S":
            gas_small = rule
        elif a == "GAS_OTHER_L" or b == "GAS_OTHER_L":
            gas_large = rule
        else:
            cells.append((a, b, rule))
    return PairTable("horizontal", cells, str(path)), gas_small, gas_large


def _load_shipped_vertical(path: Path) -> PairTable:
    header, recs = _read_csv(path)
    _require_columns(header, ("rule_id", "item_a_id", "item_b_id", "min_vertical_clearance_m", "confidence"),
                     path)
    cells = []
    for n, r in enumerate(recs, start=2):
        v = _value(r["min_vertical_clearance_m"], path, n, "min_vertical_clearance_m")
        if v is not None:
            cells.append((r["item_a_id"], r["item_b_id"], _shipped_rule(r, v, r["confidence"])))
    return PairTable("vertical", cells, str(path))


def _load_shipped_cover(path: Path) -> CoverTable:
    header, recs = _read_csv(path)
    cols = ("rule_id", "pipe_id", "min_cover_non_motor_lane_incl_sidewalk_m", "min_cover_motor_lane_m",
            "confidence_non_motor", "confidence_motor")
    _require_columns(header, cols, path)
    classes, non_motor, motor = [], [], []
    for n, r in enumerate(recs, start=2):
        nm = _value(r[cols[2]], path, n, cols[2])
        mo = _value(r[cols[3]], path, n, cols[3])
        if nm is None and mo is None:
            continue  # the frost rule and the definition rows
        classes.append(r["pipe_id"])
        non_motor.append(None if nm is None else _shipped_rule(r, nm, r["confidence_non_motor"]))
        motor.append(None if mo is None else _shipped_rule(r, mo, r["confidence_motor"]))
    return CoverTable(classes, non_motor, motor)


def load_user_clearances(path: str | os.PathLike[str]) -> tuple[PairTable, PairTable]:
    """A user's symmetric table ``class_a,class_b,min_horizontal_m,min_vertical_m``."""
    header, recs = _read_csv(path)
    _require_columns(header, ("class_a", "class_b", "min_horizontal_m", "min_vertical_m"), path)
    hcells, vcells = [], []
    for n, r in enumerate(recs, start=2):
        a, b = r["class_a"], r["class_b"]
        if not a or not b:
            raise InputError("Row {row} of {path}: class_a and class_b must both be given.", code="rules.class",
                             row=n, path=str(path))
        rid = r.get("rule_id") or f"U{n}"
        conf = r.get("confidence") or "user"
        src = r.get("sources") or f"{Path(path).name} row {n}"
        for col, cells in (("min_horizontal_m", hcells), ("min_vertical_m", vcells)):
            v = _value(r[col], path, n, col)
            if v is not None:
                cells.append((a, b, Rule(rid, v, conf, src, r.get("note", ""), Path(path).name)))
    if not hcells and not vcells:
        raise InputError("The clearance table {path} has no rule.", code="rules.empty", path=str(path))
    return PairTable("horizontal", hcells, str(path)), PairTable("vertical", vcells, str(path))


def load_user_cover(path: str | os.PathLike[str]) -> CoverTable:
    """A user's cover table ``class,min_cover_non_motor_m,min_cover_motor_m``."""
    header, recs = _read_csv(path)
    _require_columns(header, ("class", "min_cover_non_motor_m", "min_cover_motor_m"), path)
    classes: list[str] = []
    non_motor: list[Rule | None] = []
    motor: list[Rule | None] = []
    for n, r in enumerate(recs, start=2):
        c = r["class"]
        if not c:
            raise InputError("Row {row} of {path}: the class is empty.", code="rules.class", row=n, path=str(path))
        if c in classes:
            raise InputError("Row {row} of {path}: the class {cls} is listed twice.", code="rules.duplicate",
                             row=n, path=str(path), cls=c)
        rid = r.get("rule_id") or f"U{n}"
        conf = r.get("confidence") or "user"
        src = r.get("sources") or f"{Path(path).name} row {n}"
        vals = [_value(r[col], path, n, col) for col in ("min_cover_non_motor_m", "min_cover_motor_m")]
        classes.append(c)
        non_motor.append(None if vals[0] is None else Rule(rid, vals[0], conf, src, r.get("note", ""),
                                                           Path(path).name))
        motor.append(None if vals[1] is None else Rule(rid, vals[1], conf, src, r.get("note", ""), Path(path).name))
    if not classes:
        raise InputError("The cover table {path} has no rule.", code="rules.empty", path=str(path))
    return CoverTable(classes, non_motor, motor)
