"""CJJ 61-2017 code lists (Appendix B, C, F) as shipped in core.codes."""

from __future__ import annotations

from pipemap.core import codes


def test_eight_categories_with_standard_codes_and_colours():
    expected = {  # CJJ 61-2017 Appendix B
        "JS": (1, "给水", (0, 255, 255)),
        "PS": (2, "排水", (76, 57, 38)),
        "RQ": (3, "燃气", (255, 0, 255)),
        "RL": (4, "热力", (255, 128, 0)),
        "DL": (5, "电力", (255, 0, 0)),
        "TX": (6, "通信", (0, 255, 0)),
        "GY": (7, "工业", (0, 0, 0)),
        "QT": (8, "其他", (0, 0, 0)),
    }
    got = {c.code: (c.digit, c.name_zh, c.rgb) for c in codes.CATEGORIES}
    assert got == expected


def test_subcategories_belong_to_known_categories_and_are_unique():
    cats = {c.code for c in codes.CATEGORIES}
    seen = set()
    for sub in codes.SUBCATEGORIES:
        assert sub.category in cats
        key = (sub.category, sub.code)
        assert key not in seen
        seen.add(key)
    by_cat = {c: [s for s in codes.SUBCATEGORIES if s.category == c] for c in cats}
    assert [s.code for s in by_cat["PS"]] == ["YS", "WS", "HS"]
    assert len(by_cat["JS"]) == 8 and len(by_cat["GY"]) == 10
    unknown = next(s for s in codes.SUBCATEGORIES if s.code == "BM")
    assert unknown.rgb == (102, 0, 204)


def test_feature_codes_follow_appendix_f():
    assert codes.feature_code("JS", 1, 1, 0, 0) == "51011000"  # raw-water segment
    assert codes.feature_code("JS", 1, 2, 1, 1) == "51012101"  # bend
    assert codes.feature_code("PS", 2, 2, 2, 5) == "52022205"  # sewer manhole


def test_dictionaries_have_unique_codes_and_both_languages():
    for table in (codes.MATERIALS, codes.BURIAL_METHODS, codes.STATUSES, codes.POINT_FEATURES,
                  codes.APPURTENANCES, codes.DEPTH_REFERENCES, codes.QUALITY_LEVELS, codes.SENSITIVITIES):
        assert len({c.code for c in table}) == len(table)
        assert all(c.name_zh and c.name_en for c in table)
    assert {c.code for c in codes.MATERIALS} >= {"ZT", "G", "T", "PE", "PVC", "QM", "GX"}
    assert {c.code for c in codes.BURIAL_METHODS} >= {"ZM", "GM", "GK", "GG", "DG", "ZH"}


def test_default_depth_reference_is_invert_for_drains_only():
    refs = {c.code: c.depth_ref for c in codes.CATEGORIES}
    assert refs["PS"] == "invert"
    assert {v for k, v in refs.items() if k != "PS"} == {"top"}
