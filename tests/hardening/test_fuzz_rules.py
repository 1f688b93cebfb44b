"""Fuzzing the rule tables a user can give the checks (issue 10, point 1).

Targets: the user clearance table (``class_a,class_b,min_horizontal_m,
min_vertical_m``), the user cover table, the class map (category +
attributes -> classes, also the shape of a map's ``rule_class_map`` table) and
the quality levels. Each example is the header the loader needs (sometimes
with a column dropped or renamed, extra columns, a BOM) and rows whose cells
are drawn from valid values and malformed ones, written as UTF-8 or GBK; or
arbitrary bytes. A loaded table is then used once (a lookup / a
classification), so a table that loads but cannot be used is found too.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipemap.core.checks import rules

pytestmark = pytest.mark.fuzz


def _settings(fraction: float) -> settings:
    return settings(max_examples=max(5, int(settings.default.max_examples * fraction)), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def mostly(draw: st.DrawFn, good: st.SearchStrategy[str], bad: st.SearchStrategy[str], one_in: int = 6) -> str:
    """A valid cell, and a malformed one one time in ``one_in``: a table gets past its first row."""
    return draw(bad) if draw(st.integers(0, one_in - 1)) == 0 else draw(good)


NUMBER = mostly(st.one_of(st.floats(0, 20).map(lambda v: f"{v:.2f}"), st.sampled_from(["", "0", "1.0", "-"])),
                st.one_of(st.sampled_from(["—", "-1", "nan", "inf", "1e309", "1e-320", "1,5", "3.0 m", "0x1", "１.０",
                                           "9" * 400]),
                          st.floats(allow_nan=True, allow_infinity=True).map(repr), st.text(max_size=6)))
CLASS = mostly(st.sampled_from(["WS", "WS_S", "RQ_L", "DL", "TX", "PS", "RW", "RQ_M"]),
               st.one_of(st.sampled_from(["", " ", "x" * 300]), st.text(max_size=6)))
TEXT = mostly(st.sampled_from(["", "JS", "RQ", "ZS", "ZM|GG", "QM", "verified", "user"]),
              st.one_of(st.sampled_from(["\n", '"', "\x00"]), st.text(max_size=8)))
PRIORITY = mostly(st.integers(0, 1000).map(str), st.one_of(st.integers(-5, 10**20).map(str), NUMBER))


SPECS: dict[str, tuple[list[str], dict[str, st.SearchStrategy[str]]]] = {
    "clearances": (["class_a", "class_b", "min_horizontal_m", "min_vertical_m", "rule_id", "confidence", "sources"],
                   {"class_a": CLASS, "class_b": CLASS, "min_horizontal_m": NUMBER, "min_vertical_m": NUMBER}),
    "cover": (["class", "min_cover_non_motor_m", "min_cover_motor_m", "rule_id", "confidence"],
              {"class": CLASS, "min_cover_non_motor_m": NUMBER, "min_cover_motor_m": NUMBER}),
    "class_map": (["priority", "category", "subcategory", "burial_methods", "materials", "pressure_min_mpa",
                   "pressure_max_mpa", "dn_min_mm", "dn_max_mm", "h_class", "v_class", "cover_class", "note"],
                  {"priority": PRIORITY, "category": TEXT,
                   "pressure_min_mpa": NUMBER, "pressure_max_mpa": NUMBER, "dn_min_mm": NUMBER, "dn_max_mm": NUMBER,
                   "h_class": CLASS, "v_class": CLASS, "cover_class": CLASS}),
    "quality": (["level", "u_plan_min_m", "u_plan_per_h", "u_depth_min_m", "u_depth_per_h", "label"],
                {"level": TEXT, "u_plan_min_m": NUMBER, "u_plan_per_h": NUMBER, "u_depth_min_m": NUMBER,
                 "u_depth_per_h": NUMBER}),
}


def _use(kind: str, loaded: Any) -> None:
    """Use a loaded table once, as a check would."""
    if kind == "clearances":
        h, v = loaded
        for table in (h, v):
            codes = table.codes(table.classes[:3] + ["nope"])
            req, idx = table.lookup(codes, codes[::-1])
            assert req.shape == idx.shape == (len(codes),)
            table.max_partner(codes)
    elif kind == "cover":
        assert len(loaded.classes) >= 1
    elif kind == "class_map":
        out = loaded.classify(["JS", "RQ", "DL"], [None, None, None], ["ZM", None, None], [None, None, None],
                              np.array([np.nan, 0.3, np.nan]), np.array([300.0, np.nan, np.nan]))
        assert out is not None
    else:
        for level in loaded.values():
            assert isinstance(level.u_plan_per_h, float) or math.isnan(level.u_plan_per_h)


LOADERS: dict[str, Callable[[Any], Any]] = {
    "clearances": rules.load_user_clearances,
    "cover": rules.load_user_cover,
    "class_map": rules.ClassMap.from_csv,
    "quality": rules.load_quality_levels,
}


@st.composite
def rule_table(draw: st.DrawFn) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(sorted(SPECS)))
    columns, cells = SPECS[kind]
    header = list(columns)
    if draw(st.integers(0, 7)) == 0:
        header[draw(st.integers(0, len(header) - 1))] = draw(st.sampled_from(["", "CLASS_A", " class_b", "x"]))
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        row = [draw(cells.get(c, TEXT)) for c in header]
        if draw(st.integers(0, 7)) == 0:
            row = row[:draw(st.integers(0, len(row)))] + draw(st.lists(TEXT, max_size=2))
        rows.append(row)
    buf = io.StringIO()
    csv.writer(buf, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows([header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "gbk"]))
    return kind, buf.getvalue().encode(encoding, errors="replace")


@_settings(1.0)
@given(table=rule_table())
# found: a carriage return inside a row (and a cell over the csv module's 128 KB) raised csv.Error
@example(table=("clearances", b"class_a,class_b,min_horizontal_m,min_vertical_m,rule_id,confidence,sources\n"
                               b"WS,WS,,,,,\r0\n"))
@example(table=("cover", b"class,min_cover_non_motor_m,min_cover_motor_m\nA," + b"9" * 200_000 + b",1\n"))
def test_fuzz_rule_tables(table: tuple[str, bytes], harness: Any) -> None:
    kind, data = table
    path = harness.example_dir() / f"{kind}.csv"
    path.write_bytes(data)
    outcome = harness.attempt(f"rules.{kind}", lambda: LOADERS[kind](path), [path])
    if outcome.kind == "ok":
        harness.attempt(f"rules.{kind}", lambda: _use(kind, outcome.value), [path])


@_settings(0.5)
@given(kind=st.sampled_from(sorted(SPECS)), data=st.binary(max_size=2000))
def test_fuzz_rule_tables_bytes(kind: str, data: bytes, harness: Any) -> None:
    path = harness.example_dir() / f"{kind}.csv"
    path.write_bytes(data)
    harness.attempt("rules.bytes", lambda: LOADERS[kind](path), [path])
