"""Rule tables as data, the class mapping, quality levels and verdicts."""

from __future__ import annotations

import csv
import filecmp
from pathlib import Path

import numpy as np
import pytest

from pipemap.core.checks import rules, verdict
from pipemap.core.checks.rules import CLASS_MISSING, CLASS_NONE, CLASS_OK, RuleSet
from pipemap.core.errors import InputError

RESEARCH = Path(__file__).resolve().parents[3].parent / "shared" / "research"


@pytest.fixture(scope="module")
def shipped() -> RuleSet:
    return RuleSet.shipped()


# --------------------------------------------------------------------------- shipped tables


@pytest.mark.parametrize("name", ["gb50289_horizontal.csv", "gb50289_vertical.csv", "gb50289_cover.csv"])
def test_shipped_tables_are_the_research_tables_with_provenance(name):
    shipped = rules.RULES_DIR / name
    with open(shipped, encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert "sources" in header and any(h.startswith("confidence") for h in header)
    if not (RESEARCH / name).is_file():
        pytest.skip("research notes not available")
    assert filecmp.cmp(shipped, RESEARCH / name, shallow=False), f"{name} differs from research/{name}"


def test_shipped_rules_load_with_their_cells(shipped):
    h, v, c = shipped.horizontal, shipped.vertical, shipped.cover
    assert len(h.rules) == 199  # 201 rows minus the two gas/gas-by-DN rules
    assert len(v.rules) == 79  # 81 rows; utility trench / power is "—" (no rule) in the table
    assert sorted(c.classes) == sorted(["WS", "DR", "RW", "P_D", "P_C", "T_D", "T_S", "H", "G", "TR"])
    # symmetric lookups, with rule ids and confidence
    val, idx = h.lookup(h.codes(["SD", "WS_L"]), h.codes(["WS_L", "SD"]))
    assert val.tolist() == [1.5, 1.5]
    assert h.rules[idx[0]].rule_id == "H037" and h.rules[idx[0]].verified
    val, idx = v.lookup(v.codes(["SD"]), v.codes(["WS"]))
    assert val[0] == pytest.approx(0.40) and v.rules[idx[0]].rule_id == "V002" and v.rules[idx[0]].verified
    val, idx = v.lookup(v.codes(["P_D"]), v.codes(["WS"]))
    assert not v.rules[idx[0]].verified  # recalled_unverified -> warnings
    # no rule: NaN / -1, never a number
    val, idx = h.lookup(h.codes(["P_D"]), h.codes(["P_C"]))
    assert np.isnan(val[0]) and idx[0] == -1
    val, idx = h.lookup(h.codes(["nonsense"]), h.codes(["SD"]))
    assert np.isnan(val[0]) and idx[0] == -1
    # cover: the utility trench has no sidewalk value (local practice)
    k = c.index["TR"]
    assert np.isnan(c.value[k, 0]) and c.value[k, 1] == 0.5
    k = c.index["G"]
    assert c.value[k].tolist() == [0.6, 0.9]


def test_gas_to_gas_clearance_depends_on_the_larger_dn(shipped):
    h = shipped.horizontal
    ca = h.codes(["G_MA", "G_L", "G_HA", "G_MB"])
    cb = h.codes(["G_MB", "G_L", "G_L", "G_MB"])
    req, idx, needs = shipped.horizontal_required(ca, cb, np.array([200, 400, np.nan, np.nan]),
                                                  np.array([300, 100, 500, 200]))
    assert req[0] == pytest.approx(0.4) and req[1] == pytest.approx(0.5) and req[2] == pytest.approx(0.5)
    assert [h.rules[i].rule_id for i in idx[:3]] == ["H096", "H097", "H097"]
    assert needs.tolist() == [False, False, False, True]  # 200 mm and an unknown DN: undecided
    assert np.isnan(req[3])


# --------------------------------------------------------------------------- class mapping


def test_class_map_examples(shipped):
    cl = shipped.classify(
        category=["JS", "JS", "JS", "JS", "RQ", "RQ", "RQ", "DL", "DL", "DL", "TX", "TX", "PS", "GY", "QT", "RL", ""],
        subcategory=["", "", "", "ZS", "", "", "", "", "", "", "", "", "WS", "", "ZH", "", ""],
        burial_method=["ZM", "ZM", "ZM", "ZM", "", "", "", "ZM", "GK", "", "GM", "GM", "", "", "", "", ""],
        material=["", "", "", "", "", "", "", "", "", "", "G", "PVC", "", "", "", "", ""],
        pressure_mpa=[np.nan, np.nan, np.nan, np.nan, 0.3, 2.0, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan,
                      np.nan, np.nan, np.nan, np.nan, np.nan],
        dn_mm=[150, 300, np.nan, 100, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan,
               np.nan, np.nan, np.nan, np.nan])
    h, v, c = cl.h_class.tolist(), cl.v_class.tolist(), cl.cover_class.tolist()
    assert h[:4] == ["WS_S", "WS_L", "", "RW"] and v[:4] == ["WS", "WS", "WS", "RW"]
    # water without DN: the vertical and cover classes do not depend on it; the horizontal one does
    assert cl.h_status[2] == CLASS_MISSING and cl.v_status[2] == CLASS_OK and "dn_mm" in cl.missing[2]
    assert h[4] == "G_MA" and v[4] == "G"
    assert h[5] == "" and cl.h_status[5] == CLASS_NONE and c[5] == "G"  # above 1.6 MPa: outside Tab. 4.1.9
    # gas without pressure: above 1.6 MPa the class map gives no class, so even the vertical class is undecided
    assert cl.h_status[6] == CLASS_MISSING and cl.v_status[6] == CLASS_MISSING and c[6] == "G"
    assert "pressure_mpa" in cl.missing[6]
    assert h[7:9] == ["P_D", "P_C"] and cl.h_status[9] == CLASS_MISSING  # power without burial method
    assert (h[10], c[10]) == ("T_C", "T_S") and (h[11], c[11]) == ("T_C", "T_D")  # steel vs plastic duct
    assert h[12] == "SD" and c[12] == "DR"
    assert cl.h_status[13] == CLASS_NONE and cl.cover_status[13] == CLASS_NONE  # industrial: no rule
    assert h[14] == "TR" and h[15] == "H"
    assert cl.h_status[16] == CLASS_MISSING and cl.missing[16] == "category"


def test_class_map_from_map_rows_matches_csv(shipped):
    from pipemap.core import schema

    from_rows = rules.ClassMap.from_rows(schema.load_class_map())
    a = from_rows.classify(["RQ", "JS"], pressure_mpa=[0.1, np.nan], dn_mm=[np.nan, 250])
    b = shipped.class_map.classify(["RQ", "JS"], pressure_mpa=[0.1, np.nan], dn_mm=[np.nan, 250])
    assert a.h_class.tolist() == b.h_class.tolist() == ["G_MB", "WS_L"]


# --------------------------------------------------------------------------- user tables


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_user_clearance_and_cover_tables(tmp_path, shipped):
    p = write(tmp_path / "clear.csv", "class_a,class_b,min_horizontal_m,min_vertical_m,confidence\n"
                                      "水管,气管,1.2,0.3,\n气管,气管,0.8,,draft\n", "gbk")
    user = shipped.with_user_clearances(p)
    val, idx = user.horizontal.lookup(user.horizontal.codes(["气管"]), user.horizontal.codes(["水管"]))
    assert val[0] == 1.2 and user.horizontal.rules[idx[0]].verified  # a user's own cell counts as verified
    val, idx = user.horizontal.lookup(user.horizontal.codes(["气管"]), user.horizontal.codes(["气管"]))
    assert val[0] == 0.8 and not user.horizontal.rules[idx[0]].verified  # ... unless it says otherwise
    val, _ = user.vertical.lookup(user.vertical.codes(["气管"]), user.vertical.codes(["气管"]))
    assert np.isnan(val[0])  # empty cell: no rule
    assert user.gas_small is None
    c = write(tmp_path / "cover.csv", "class,min_cover_non_motor_m,min_cover_motor_m\n水管,0.7,1.0\n")
    user2 = user.with_user_cover(c)
    k = user2.cover.index["水管"]
    assert user2.cover.value[k].tolist() == [0.7, 1.0]


@pytest.mark.parametrize("text, code", [
    ("class_a,class_b,min_horizontal_m\nA,B,1\n", "rules.columns"),
    ("class_a,class_b,min_horizontal_m,min_vertical_m\nA,B,one,1\n", "rules.value"),
    ("class_a,class_b,min_horizontal_m,min_vertical_m\nA,B,-1,1\n", "rules.value"),
    ("class_a,class_b,min_horizontal_m,min_vertical_m\nA,B,1,1\nB,A,2,1\n", "rules.duplicate"),
    ("class_a,class_b,min_horizontal_m,min_vertical_m\n,B,1,1\n", "rules.class"),
    ("class_a,class_b,min_horizontal_m,min_vertical_m\n", "rules.empty"),
])
def test_bad_user_clearance_tables_say_what_is_wrong(tmp_path, shipped, text, code):
    p = write(tmp_path / "bad.csv", text)
    with pytest.raises(InputError) as err:
        shipped.with_user_clearances(p)
    assert err.value.code == code
    assert "bad.csv" in str(err.value)


def test_missing_user_table(tmp_path, shipped):
    with pytest.raises(InputError) as err:
        shipped.with_user_cover(tmp_path / "nope.csv")
    assert err.value.code == "rules.missing"


# --------------------------------------------------------------------------- quality levels and verdicts


def test_quality_levels_have_sources():
    q = rules.load_quality_levels()
    assert (q["CJJ61-concealed"].u_plan_per_h, q["CJJ61-concealed"].u_depth_per_h) == (0.10, 0.15)
    assert q["QL-A"].u_depth_min_m == 0.015
    assert np.isnan(q["QL-D"].u_plan_min_m) and np.isnan(q["QL-C"].u_depth_per_h)
    assert np.isnan(q["PAS128-B3"].u_depth_min_m) and q["PAS128-B3"].u_plan_min_m == 0.5
    assert all(v.sources for v in q.values())


def test_decide_boundaries():
    m = np.array([0.3, 0.2, 0.1, 0.0, -0.2, -0.2001, np.nan, 0.5, -0.0005, -0.0011])
    u = np.array([0.2, 0.2, 0.2, 0.2, 0.2, 0.2, 0.2, np.nan, 0.0, 0.0])
    got = verdict.VERDICTS[verdict.decide(m, u)].tolist()
    assert got == ["PASS", "PASS", "UNCERTAIN", "UNCERTAIN", "UNCERTAIN", "FAIL", "UNKNOWN", "UNKNOWN", "UNCERTAIN",
                   "FAIL"]


def test_severity_follows_rule_confidence_unless_strict():
    codes = np.array([verdict.V_FAIL, verdict.V_FAIL, verdict.V_UNCERTAIN])
    assert verdict.severity(codes, np.array([True, False, True])).tolist() == ["error", "warning", "warning"]
    assert verdict.severity(codes, np.array([True, False, True]), strict=True).tolist() == ["error", "error",
                                                                                            "warning"]
