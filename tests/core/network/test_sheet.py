"""What the response sheet says, in English and Chinese."""

from __future__ import annotations

import shapely

from pipemap.core.network import isolate as iso
from pipemap.core.network.sheet import sheet_content


def burst(make_graph, category="JS"):
    lines = [(f"e{i}", [(10 * i, 0), (10 * i + 10, 0)]) for i in range(6)]
    points = [("P", 0, 0, "plant" if category == "JS" else "regulator"), ("V1", 10, 0, "valve"),
              ("V2", 30, 0, "valve"), ("H", 50, 0, "hydrant")]
    g = make_graph(lines, points, category=category, dn=[200] * 6)
    return g, iso.isolate_at({category: g}, 25, 1)


def test_english_sheet(make_graph):
    g, r = burst(make_graph)
    s = sheet_content(r, g, {"map": "city.gpkg", "created": "2024-05-01 10:00"}, "en_US",
                      notes=["check the hydrant"])
    assert s.title == "Response sheet \u2014 burst on water supply main e2"
    facts = dict(s.facts)
    assert facts["Map"] == "city.gpkg" and facts["Issued"] == "2024-05-01 10:00"
    assert facts["Valves to close"] == "2"
    assert facts["Segments isolated"] == "2 (20 m)"
    assert facts["Segments losing supply"] == "3 (30 m)"
    assert facts["Hydrants out of service"] == "1: H"
    assert facts["Failed segment"] == "e2, DN200"
    assert facts["Failure at"].startswith("(25.00, 0.00), 1.0 m")
    assert [row[:3] for row in s.rows] == [["1", "V2", "close"], ["2", "V1", "close"]]
    assert s.rows[0][6:] == ["5", "5", "network"]
    assert s.more == 0 and s.more_text == "" and s.notes == ["check the hydrant"]


def test_chinese_gas_sheet_with_customers_and_a_long_list(make_graph):
    g, r = burst(make_graph, "RQ")
    r.hazard_radius_m = 10
    r.customers = iso.customers_affected(g, r, [shapely.Point(25, 2), shapely.Point(45, 2)], 10, 10)
    s = sheet_content(r, g, None, "zh_CN", max_rows=1)
    assert s.title == "应急处置单 \u2014 燃气管道 e2 泄漏"
    facts = dict(s.facts)
    assert facts["受影响用户"] == "2" and facts["危险区内建筑"] == "10 米内 1 栋"
    assert len(s.rows) == 1 and s.rows[0][2] == "关闭"
    assert s.more == 1 and s.more_text == "另有 1 项操作见 VALVES 图层。"
    assert s.header[0] == "序号"
