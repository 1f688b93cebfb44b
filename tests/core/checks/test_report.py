"""Checks reports (core, no QGIS): counts, worst-first order, escaping, Chinese text, capped tables, files."""

from __future__ import annotations

import base64
import html
import math
import os
import re
from html.parser import HTMLParser

import pytest

from pipemap.core.checks import report as r
from pipemap.core.checks.clash import check_clash
from pipemap.core.checks.pipes import Pipes
from pipemap.core.checks.rules import RuleSet
from pipemap.core.version import __version__

PNG = base64.b64decode(  # a real 1 x 1 PNG
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")
HOSTILE = "<script>alert('x')</script> & \"q\" 'a'"


def clash(pipe_a, pipe_b, verdict, margin, rule="V001", **kw):
    rec = {"pipe_a": pipe_a, "pipe_b": pipe_b, "kind": "vertical", "required_m": 0.15, "clearance_m": 0.15 + margin,
           "margin_m": margin, "uncertainty_m": 0.3, "verdict": verdict, "rule_id": rule, "severity": "warning",
           "reason": "", "advice": "", "x": 10.0, "y": 20.0}
    rec.update(kw)
    return rec


class Collector(HTMLParser):
    """Text of every element and every attribute value, as a browser would read them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> Collector:
    c = Collector()
    c.feed(page)
    c.close()
    return c


def test_worst_orders_fail_by_margin_then_uncertain_then_unknown():
    recs = [clash("a", "b", "UNCERTAIN", 0.05), clash("c", "d", "FAIL", -0.2), clash("e", "f", "PASS", -9.0),
            clash("g", "h", "UNKNOWN", math.nan), clash("i", "j", "FAIL", -0.9), clash("k", "l", "UNCERTAIN", -0.1)]
    got = [(x["pipe_a"], x["verdict"]) for x in r.worst(recs)]
    assert got == [("i", "FAIL"), ("c", "FAIL"), ("k", "UNCERTAIN"), ("a", "UNCERTAIN"), ("g", "UNKNOWN")]
    assert [x["pipe_a"] for x in r.worst(recs, 2)] == ["i", "c"]
    assert r.worst(recs, 0) == []


def test_excavation_margin_is_the_larger_of_plan_and_depth():
    rows = [{"exc_id": "E", "pipe_id": "p1", "verdict": "FAIL", "plan_margin_m": -3.0, "depth_margin_m": -0.2},
            {"exc_id": "E", "pipe_id": "p2", "verdict": "FAIL", "plan_margin_m": -0.5, "depth_margin_m": -0.4}]
    assert r.margin_of(rows[0]) == pytest.approx(-0.2)
    assert [x["pipe_id"] for x in r.worst(rows)] == ["p2", "p1"]


def test_counts_by_verdict_and_rule():
    recs = [clash("a", "b", "FAIL", -1, "V1"), clash("a", "c", "FAIL", -1, "V1"), clash("a", "d", "UNCERTAIN", 0, "V2"),
            clash("a", "e", "UNKNOWN", math.nan, None)]
    c = r.counts_by_verdict_and_rule(recs)
    assert c["verdict"] == {"FAIL": 2, "UNCERTAIN": 1, "UNKNOWN": 1, "PASS": 0}
    assert c["rule"] == {"V1": {"FAIL": 2}, "V2": {"UNCERTAIN": 1}, "": {"UNKNOWN": 1}}
    assert c["total"] == 4


def test_counts_of_a_real_clash_check_match_its_own_counts(tmp_path):
    import numpy as np

    rules_csv = tmp_path / "rules.csv"
    rules_csv.write_text("class_a,class_b,min_horizontal_m,min_vertical_m\nX,X,1.0,0.5\n", encoding="utf-8")
    rules = RuleSet.shipped().with_user_clearances(str(rules_csv))
    # four parallel pipes at 1.5 m depth, 0.3 / 0.9 / 1.6 m apart: a FAIL, an UNCERTAIN and a PASS or two
    lines = [np.array([[0, y, -1.5], [20, y, -1.5]]) for y in (0.0, 0.3, 1.2, 2.8)]
    pipes = Pipes.from_arrays(["A", "B", "C", "D"], np.concatenate(lines), np.array([0, 2, 4, 6, 8]), [0.05] * 4,
                              [0.05] * 4, h_class=["X"] * 4, v_class=["X"] * 4)
    found = check_clash(pipes, rules)
    got = r.counts_by_verdict_and_rule(found.records())["verdict"]
    assert {k: got[k] for k in ("FAIL", "UNCERTAIN", "UNKNOWN", "PASS")} == found.verdict_counts()
    assert sum(got.values()) == len(found) > 0
    assert got["FAIL"] >= 1


def test_html_shows_the_counts_per_check():
    recs = [clash("a", "b", "FAIL", -1, "V1"), clash("a", "c", "FAIL", -0.5, "V1"),
            clash("a", "d", "UNCERTAIN", 0, "V2")]
    cover = [{"pipe_id": "p", "min_cover_m": 0.4, "required_m": 0.7, "margin_m": -0.3, "verdict": "FAIL",
              "rule_id": "C01", "x": 1.0, "y": 2.0}]
    page = r.checks_html([r.Section("clash", recs, "clash.gpkg"), r.Section("cover", cover, "cover.gpkg")], [],
                         {"map": "m.gpkg", "crs": "EPSG:4547"})
    cells = {(c, v): int(n) for c, v, n in re.findall(r'data-check="(\w+)" data-verdict="(\w+)">(\d+)<', page)}
    assert cells[("clash", "FAIL")] == 2 and cells[("clash", "UNCERTAIN")] == 1 and cells[("clash", "UNKNOWN")] == 0
    assert cells[("clash", "total")] == 3
    assert cells[("cover", "FAIL")] == 1
    assert "PipeMap " + __version__ in page
    assert "EPSG:4547" in page and "m.gpkg" in page
    assert page.startswith("<!DOCTYPE html>") and 'charset="utf-8"' in page
    # the findings table lists the FAILs worst first
    body = parse(page)
    text = "".join(body.text)
    assert text.index("-1.000") < text.index("-0.500")


def test_hostile_values_are_escaped_and_intact():
    recs = [clash(HOSTILE, "管线<乙>&", "FAIL", -1.0, rule="V&1\"")]
    snap = r.Snapshot("clash", recs[0], PNG)
    page = r.checks_html([r.Section("clash", recs, "层<1>.gpkg")], [snap], {"title": "报告 <b>&", "map": HOSTILE})
    assert "<script>" not in page
    assert "<b>&" not in page
    parsed = parse(page)
    text = "".join(parsed.text)
    assert HOSTILE in text  # a browser shows the value exactly
    assert "管线<乙>&" in text and "层<1>.gpkg" in text and "报告 <b>&" in text and 'V&1"' in text
    assert [t for t, _ in parsed.tags].count("script") == 0
    (img,) = [a for t, a in parsed.tags if t == "img"]
    assert base64.b64decode(img["src"].split(",", 1)[1]) == PNG
    assert HOSTILE in img["alt"]  # caption in the attribute, quotes escaped


def test_chinese_labels_and_text():
    recs = [clash("给水管一", "燃气管二", "FAIL", -0.3)]
    page = r.checks_html([r.Section("clash", recs)], [], {}, language="zh_CN")
    text = "".join(parse(page).text)
    assert "PipeMap 管线检查报告" in text and "管线间净距（碰撞检查）" in text and "按结论统计" in text
    assert "给水管一" in text and "燃气管二" in text
    assert 'lang="zh-CN"' in page
    assert r.labels("zh_CN")["verdict"] == "结论" and r.labels("en_US")["verdict"] == "Verdict"
    assert r.labels({"verdict": "V"})["verdict"] == "V" and r.labels({"verdict": "V"})["count"] == "Count"
    assert set(r.LABELS["zh"]) == set(r.LABELS["en"])  # every label is translated


def test_findings_table_is_capped_with_a_note():
    recs = [clash(f"p{i}", "q", "FAIL", -i / 100) for i in range(30)]
    page = r.checks_html([r.Section("clash", recs, "clash.gpkg")], [], {}, max_rows=10)
    table = page.split('class="findings"', 1)[1].split("</table>", 1)[0]
    assert table.count("<tr>") == 11  # header + 10
    assert "20 more findings are in the layer clash.gpkg." in page
    assert "p29" in table and "p10" not in table  # the worst ones are kept
    full = r.checks_html([r.Section("clash", recs, "clash.gpkg")], [], {})
    assert "more findings" not in full


def test_pass_rows_are_counted_but_not_listed():
    recs = [clash("a", "b", "PASS", 0.5), clash("c", "d", "FAIL", -0.5)]
    page = r.checks_html([r.Section("clash", recs)], [], {})
    table = page.split('class="findings"', 1)[1].split("</table>", 1)[0]
    assert ">c<" in table and ">a<" not in table
    assert 'data-verdict="PASS">1<' in page


def test_empty_section_says_no_findings():
    page = r.checks_html([r.Section("cover", [], "cover.gpkg")], [], {})
    assert "No findings" in page and 'data-check="cover" data-verdict="total">0<' in page


def test_pick_snapshots_takes_turns_between_checks():
    sec = [r.Section("clash", [clash(f"c{i}", "x", "FAIL", -i) for i in range(5)]),
           r.Section("cover", [{"pipe_id": "v1", "verdict": "UNCERTAIN", "margin_m": 0.1, "x": 1.0, "y": 1.0},
                               {"pipe_id": "v2", "verdict": "FAIL", "margin_m": -0.1, "x": None, "y": None}])]
    got = r.pick_snapshots(sec, 4)
    assert [(c, x.get("pipe_a") or x.get("pipe_id")) for c, x in got] == [
        ("clash", "c4"), ("cover", "v1"), ("clash", "c3"), ("clash", "c2")]


def excavation_rows():
    return [
        {"exc_id": "K<1>", "pipe_id": "JS-1", "category": "JS", "owner": "市自来水公司", "depth_m": 1.2,
         "plan_margin_m": -1, "depth_margin_m": -0.5, "verdict": "FAIL", "bottom_z": 20.1},
        {"exc_id": "K<1>", "pipe_id": "JS-2", "category": "JS", "owner": "市自来水公司", "depth_m": 0.8,
         "plan_margin_m": 0.05, "depth_margin_m": -0.5, "verdict": "UNCERTAIN", "bottom_z": 20.4},
        {"exc_id": "K<1>", "pipe_id": "RQ-1", "category": "RQ", "owner": "Gas & <Co>", "depth_m": 1.5,
         "plan_margin_m": 0.05, "depth_margin_m": 0.05, "verdict": "UNCERTAIN", "bottom_z": 20.2},
        {"exc_id": "K<1>", "pipe_id": "X-9", "category": "DL", "owner": None, "depth_m": None,
         "plan_margin_m": -1, "depth_margin_m": None, "verdict": "UNKNOWN", "bottom_z": None},
    ]


def test_owners_to_notify_grouped_worst_first():
    got = r.owners_to_notify(excavation_rows())
    assert [g["owner"] for g in got] == ["市自来水公司", "Gas & <Co>", ""]
    water = got[0]
    assert water["pipe_ids"] == ["JS-1", "JS-2"] and water["categories"] == ["JS"]
    assert water["min_depth_m"] == pytest.approx(0.8) and water["worst_verdict"] == "FAIL"
    assert got[1]["worst_verdict"] == "UNCERTAIN"
    assert got[2]["worst_verdict"] == "UNKNOWN" and math.isnan(got[2]["min_depth_m"])


def test_excavation_notice():
    page = r.excavation_html("K<1>", excavation_rows(), PNG, {"safety_m": 0.5, "depth_m": 2.5, "map": "m.gpkg"})
    parsed = parse(page)
    text = "".join(parsed.text)
    assert "Excavation K<1>: pipes affected and owners to notify" in text
    assert "2.50 m below ground" in text and "20.10 to 20.40" in text and "0.50" in text
    owners = page.split('class="owners"', 1)[1].split("</table>", 1)[0]
    assert html.escape("Gas & <Co>") in owners and "(owner not recorded)" in owners
    assert owners.index("市自来水公司") < owners.index("Gas &amp;")
    pipes = page.split('class="pipes"', 1)[1].split("</table>", 1)[0]
    assert all(p in pipes for p in ("JS-1", "JS-2", "RQ-1", "X-9"))
    assert "K&lt;1&gt;" not in pipes  # the excavation's own id is not repeated on every row
    assert any(t == "img" and a["src"].startswith("data:image/png;base64,") for t, a in parsed.tags)
    zh = r.excavation_html("K1", excavation_rows(), None, {"safety_m": 0.5, "bottom_z": 19.0}, "zh_CN")
    assert "须通知的权属单位" in zh and "高程 19.00 米" in zh and "<img" not in zh


def test_index_links_to_the_notices():
    page = r.excavation_index_html([{"exc_id": "K<1>", "html": "K_1.html", "pdf": "K_1.pdf",
                                     "rows": excavation_rows()}], {})
    parsed = parse(page)
    hrefs = [a["href"] for t, a in parsed.tags if t == "a"]
    assert hrefs == ["K_1.html", "K_1.pdf"]
    assert "K<1>" in "".join(parsed.text)


def test_safe_stem():
    taken: set[str] = set()
    assert r.safe_stem("K1", taken) == "K1"
    assert r.safe_stem("k1", taken) == "k1-2"  # case-insensitive file systems
    assert r.safe_stem("../../etc/passwd", taken) == "etc_passwd"
    assert r.safe_stem("开挖 <1>", taken) == "开挖_1"
    assert r.safe_stem("CON", taken) == "excavation_CON"
    assert r.safe_stem("", taken) == "excavation"
    assert r.safe_stem("index", taken) == "index-2"
    assert r.safe_stem("a/b", taken) == "a_b" and r.safe_stem("a\\b", taken) == "a_b-2"
    assert len(r.safe_stem("x" * 500)) <= 60


def test_write_text_is_atomic_and_keeps_nothing_behind(tmp_path):
    target = tmp_path / "r.html"
    r.write_text(target, "<p>一</p>")
    assert target.read_text(encoding="utf-8") == "<p>一</p>"
    assert os.stat(target).st_mode & 0o777 == 0o644
    with pytest.raises(TypeError):
        r.write_bytes(target, "not bytes")  # fails while writing: the old file stays, no temp file is left
    assert target.read_text(encoding="utf-8") == "<p>一</p>"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html"]


def test_publish_folder_new_and_existing(tmp_path):
    stage = r.staging_folder(tmp_path / "out")
    (stage / "a.html").write_text("a", encoding="utf-8")
    r.publish_folder(stage, tmp_path / "out")
    assert (tmp_path / "out" / "a.html").read_text(encoding="utf-8") == "a"
    assert not stage.exists()
    assert os.stat(tmp_path / "out").st_mode & 0o777 == 0o755
    (tmp_path / "out" / "mine.txt").write_text("user's", encoding="utf-8")
    stage = r.staging_folder(tmp_path / "out")
    (stage / "a.html").write_text("new", encoding="utf-8")
    (stage / "b.html").write_text("b", encoding="utf-8")
    r.publish_folder(stage, tmp_path / "out")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.html", "b.html", "mine.txt"]
    assert (tmp_path / "out" / "mine.txt").read_text(encoding="utf-8") == "user's"
    assert (tmp_path / "out" / "a.html").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]
