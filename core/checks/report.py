"""Checks reports: the findings of ``clashcheck``, ``covercheck`` and ``excavationcheck`` as readable pages.

QGIS-free. Input is finding records, one dict per finding as the check algorithms output them (the fields of
:class:`~.clash.ClashFindings`, :class:`~.cover.CoverFindings` and :class:`~.excavation.ExcavationFindings`, or
the attributes of their output layers plus the point's ``x``/``y``). Output is self-contained UTF-8 HTML (inline
CSS, snapshots embedded as PNG data URIs); the Processing layer renders the snapshots and the PDF versions and
uses the same tables (:func:`count_rows`, :func:`findings_rows`) and captions so the two agree.

Every label lives in :data:`LABELS` (English and Chinese). A report takes a language code (``"en"``,
``"zh_CN"``...) or a mapping of labels (missing keys fall back to English), so a caller with its own
translations can pass them in. Every value that reaches the HTML is escaped.
"""

from __future__ import annotations

import base64
import datetime as _dt
import html
import math
import os
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from ..version import __version__

FAIL, UNCERTAIN, UNKNOWN, PASS = "FAIL", "UNCERTAIN", "UNKNOWN", "PASS"
#: order of verdicts in count tables and in :func:`worst` (worst first)
VERDICT_ORDER = (FAIL, UNCERTAIN, UNKNOWN, PASS)
_RANK = {v: i for i, v in enumerate(VERDICT_ORDER)}
CHECKS = ("clash", "cover", "excavation")
#: findings tables in the HTML list at most this many rows; the rest are in the layer
MAX_TABLE_ROWS = 2000

#: columns of the findings tables, per check (a column is shown when some record has it)
COLUMNS: dict[str, tuple[str, ...]] = {
    "clash": ("pipe_a", "pipe_b", "kind", "clearance_m", "required_m", "margin_m", "uncertainty_m", "verdict",
              "rule_id", "severity", "reason", "advice"),
    "cover": ("pipe_id", "category", "surface", "min_cover_m", "required_m", "margin_m", "uncertainty_m", "verdict",
              "rule_id", "severity", "reason", "advice"),
    "excavation": ("exc_id", "pipe_id", "category", "owner", "depth_m", "plan_margin_m", "depth_margin_m",
                   "verdict", "severity", "reason", "advice"),
}
#: the field that the second count table groups by, per check
GROUP_FIELD = {"clash": "rule_id", "cover": "rule_id", "excavation": "exc_id"}
#: fields a layer must have to be read as the output of a check
REQUIRED_FIELDS = {"clash": ("pipe_a", "pipe_b", "verdict"), "cover": ("pipe_id", "verdict"),
                   "excavation": ("exc_id", "pipe_id", "verdict")}

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "checks_title": "PipeMap checks report",
        "excavation_title": "Excavation {exc_id}: pipes affected and owners to notify",
        "index_title": "Excavation notices",
        "map": "Map",
        "crs": "Coordinate reference system",
        "created": "Created",
        "software": "Software",
        "source": "Findings layer",
        "check_clash": "Clearances between pipes (clash check)",
        "check_cover": "Cover depth (cover check)",
        "check_excavation": "Pipes affected by excavations (excavation check)",
        "by_verdict": "Findings by verdict",
        "by_rule_id": "Findings by rule",
        "by_exc_id": "Findings by excavation",
        "verdict": "Verdict",
        "meaning": "Meaning",
        "count": "Count",
        "total": "Total",
        "none": "(none)",
        "findings": "Findings (worst first)",
        "more_rows": "{n} more findings are in the layer {layer}.",
        "no_findings": "No findings: every figure passed.",
        "worst": "Worst findings on the map",
        "legend": "Red ring: the finding. Lines: pipes. Points: other findings (red FAIL, orange UNCERTAIN, "
                  "grey UNKNOWN).",
        "legend_excavation": "Red outline: the excavation; dashed: the safety distance. Points: pipes affected "
                             "(red FAIL, orange UNCERTAIN, grey UNKNOWN).",
        "margin": "margin",
        "meaning_FAIL": "breaks the rule beyond the survey uncertainty",
        "meaning_UNCERTAIN": "within the survey uncertainty: verify by exposure",
        "meaning_UNKNOWN": "an input is missing (depth, size, ground, rule)",
        "meaning_PASS": "meets the rule",
        "excavation": "Excavation",
        "safety": "Safety distance (m)",
        "bottom": "Bottom",
        "bottom_elevation": "elevation {z} m",
        "bottom_depth": "{d} m below ground",
        "bottom_range": "bottom elevation at the pipes {lo} to {hi} m",
        "owners": "Owners to notify",
        "owner_unknown": "(owner not recorded)",
        "categories": "Categories",
        "pipes": "Pipes",
        "min_depth": "Shallowest depth (m)",
        "worst_verdict": "Worst verdict",
        "pipe_list": "All pipes affected",
        "snapshot": "Map",
        "n_pipes": "Pipes affected",
        "report_html": "HTML",
        "report_pdf": "PDF",
        "signature": "Prepared by: ____________   Checked by: ____________   Date: ____________",
        "col_pipe_a": "Pipe A",
        "col_pipe_b": "Pipe B",
        "col_kind": "Figure",
        "col_clearance_m": "Clearance (m)",
        "col_required_m": "Required (m)",
        "col_margin_m": "Margin (m)",
        "col_uncertainty_m": "Uncertainty (m)",
        "col_verdict": "Verdict",
        "col_rule_id": "Rule",
        "col_severity": "Severity",
        "col_reason": "Reason",
        "col_advice": "Advice",
        "col_pipe_id": "Pipe",
        "col_category": "Category",
        "col_surface": "Surface",
        "col_min_cover_m": "Least cover (m)",
        "col_exc_id": "Excavation",
        "col_owner": "Owner",
        "col_depth_m": "Depth (m)",
        "col_plan_margin_m": "Plan margin (m)",
        "col_depth_margin_m": "Depth margin (m)",
    },
    "zh": {
        "checks_title": "PipeMap 管线检查报告",
        "excavation_title": "开挖 {exc_id}：受影响管线及须通知的权属单位",
        "index_title": "开挖影响通知单",
        "map": "综合图",
        "crs": "坐标参照系",
        "created": "生成时间",
        "software": "软件",
        "source": "检查结果图层",
        "check_clash": "管线间净距（碰撞检查）",
        "check_cover": "覆土深度（覆土检查）",
        "check_excavation": "开挖影响管线（开挖检查）",
        "by_verdict": "按结论统计",
        "by_rule_id": "按规则统计",
        "by_exc_id": "按开挖范围统计",
        "verdict": "结论",
        "meaning": "含义",
        "count": "数量",
        "total": "合计",
        "none": "（无）",
        "findings": "问题清单（最严重者在前）",
        "more_rows": "另有 {n} 条结果见图层 {layer}。",
        "no_findings": "无问题：全部指标合格。",
        "worst": "最严重问题位置图",
        "legend": "红圈：问题位置。线：管线。点：其他问题（红色 FAIL，橙色 UNCERTAIN，灰色 UNKNOWN）。",
        "legend_excavation": "红色轮廓：开挖范围；虚线：安全距离。点：受影响管线（红色 FAIL，橙色 UNCERTAIN，"
                             "灰色 UNKNOWN）。",
        "margin": "余量",
        "meaning_FAIL": "超出探测不确定度仍不满足规范",
        "meaning_UNCERTAIN": "在探测不确定度以内：须开挖验证",
        "meaning_UNKNOWN": "缺少输入（埋深、管径、地面或规则）",
        "meaning_PASS": "满足规范",
        "excavation": "开挖范围",
        "safety": "安全距离（米）",
        "bottom": "坑底",
        "bottom_elevation": "高程 {z} 米",
        "bottom_depth": "地面以下 {d} 米",
        "bottom_range": "管线处坑底高程 {lo} 至 {hi} 米",
        "owners": "须通知的权属单位",
        "owner_unknown": "（未记录权属单位）",
        "categories": "管线类别",
        "pipes": "管段",
        "min_depth": "最小埋深（米）",
        "worst_verdict": "最不利结论",
        "pipe_list": "全部受影响管段",
        "snapshot": "位置图",
        "n_pipes": "受影响管段数",
        "report_html": "HTML",
        "report_pdf": "PDF",
        "signature": "编制：____________   校核：____________   日期：____________",
        "col_pipe_a": "管段 A",
        "col_pipe_b": "管段 B",
        "col_kind": "净距类型",
        "col_clearance_m": "净距（米）",
        "col_required_m": "规范要求（米）",
        "col_margin_m": "余量（米）",
        "col_uncertainty_m": "不确定度（米）",
        "col_verdict": "结论",
        "col_rule_id": "规则",
        "col_severity": "严重程度",
        "col_reason": "原因",
        "col_advice": "建议",
        "col_pipe_id": "管段",
        "col_category": "类别",
        "col_surface": "地面类型",
        "col_min_cover_m": "最小覆土（米）",
        "col_exc_id": "开挖范围",
        "col_owner": "权属单位",
        "col_depth_m": "埋深（米）",
        "col_plan_margin_m": "平面余量（米）",
        "col_depth_margin_m": "竖向余量（米）",
    },
}

Labels = Union[str, Mapping[str, str], None]


def labels(which: Labels = None) -> dict[str, str]:
    """The label set for a language code (``"zh_CN"`` -> Chinese, anything else English) or a mapping of
    labels (keys it lacks fall back to English)."""
    base = dict(LABELS["en"])
    if which is None:
        return base
    if isinstance(which, str):
        lang = which.replace("-", "_").split("_")[0].lower()
        base.update(LABELS.get(lang, {}))
        return base
    base.update({str(k): str(v) for k, v in which.items()})
    return base


@dataclass
class Section:
    """The findings of one check.

    :param check: ``"clash"``, ``"cover"`` or ``"excavation"``.
    :param records: one dict per finding.
    :param source: where the findings came from (layer name or file), named in the "more in the layer" note.
    """

    check: str
    records: list[dict[str, Any]]
    source: str = ""

    def __post_init__(self) -> None:
        if self.check not in CHECKS:
            raise ValueError(f"unknown check {self.check!r}: one of {', '.join(CHECKS)}")


@dataclass
class Snapshot:
    """A rendered map of one finding: ``png`` is the PNG file's bytes."""

    check: str
    record: dict[str, Any]
    png: bytes
    caption: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------------------------------------------
# figures


def number(value: Any) -> float:
    """``value`` as a float (NaN where it is missing or not a number)."""
    if value is None or isinstance(value, bool):
        return math.nan
    try:
        out = float(value)
    except (TypeError, ValueError):
        return math.nan
    return out


def margin_of(rec: Mapping[str, Any]) -> float:
    """The finding's margin (m; negative = the rule is broken by that much).

    Clash and cover findings carry ``margin_m``. An excavation finding is reached only when both its plan and
    its depth margin are negative, so its margin is the larger of the two."""
    m = number(rec.get("margin_m"))
    if math.isfinite(m):
        return m
    parts = [number(rec.get(k)) for k in ("plan_margin_m", "depth_margin_m")]
    known = [v for v in parts if math.isfinite(v)]
    return max(known) if known else math.nan


def verdict_of(rec: Mapping[str, Any]) -> str:
    return str(rec.get("verdict") or "").strip().upper()


def _worst_key(item: tuple[int, Mapping[str, Any]]) -> tuple[int, float, int]:
    i, rec = item
    m = margin_of(rec)
    return _RANK.get(verdict_of(rec), len(_RANK)), (m if math.isfinite(m) else math.inf), i


def ordered(records: Iterable[Mapping[str, Any]], include_pass: bool = False) -> list[Mapping[str, Any]]:
    """Findings worst first: FAIL (most negative margin first), UNCERTAIN (smallest margin first), UNKNOWN, then
    any other verdict; PASS rows only with ``include_pass`` (last). Ties keep their order."""
    items = [(i, r) for i, r in enumerate(records) if include_pass or verdict_of(r) != PASS]
    return [r for _, r in sorted(items, key=_worst_key)]


def worst(records: Iterable[Mapping[str, Any]], n: int | None = None) -> list[Mapping[str, Any]]:
    """The ``n`` worst findings (all when ``n`` is None); PASS rows are never among them."""
    out = ordered(records)
    return out if n is None else out[:max(0, int(n))]


def counts_by_verdict_and_rule(records: Iterable[Mapping[str, Any]],
                               group_field: str = "rule_id") -> dict[str, Any]:
    """Counts of findings.

    :returns: ``{"verdict": {verdict: n}, "rule": {group value: {verdict: n}}, "total": n}``; the verdict
        mapping always has FAIL, UNCERTAIN, UNKNOWN and PASS (other verdict texts are added as found); a
        missing group value is counted under ``""``.
    """
    by_verdict: dict[str, int] = {v: 0 for v in VERDICT_ORDER}
    by_rule: dict[str, dict[str, int]] = {}
    total = 0
    for rec in records:
        v = verdict_of(rec)
        by_verdict[v] = by_verdict.get(v, 0) + 1
        g = rec.get(group_field)
        key = "" if g is None or (isinstance(g, float) and math.isnan(g)) else str(g)
        cell = by_rule.setdefault(key, {})
        cell[v] = cell.get(v, 0) + 1
        total += 1
    return {"verdict": by_verdict, "rule": by_rule, "total": total}


def pick_snapshots(sections: Sequence[Section], n: int) -> list[tuple[str, Mapping[str, Any]]]:
    """Up to ``n`` findings to draw: the worst of each check in turn (so one busy check does not take every
    snapshot), only findings with a location."""
    queues = []
    for s in sections:
        located = [r for r in worst(s.records) if math.isfinite(number(r.get("x"))) and
                   math.isfinite(number(r.get("y")))]
        queues.append((s.check, located))
    out: list[tuple[str, Mapping[str, Any]]] = []
    depth = 0
    while len(out) < n and any(depth < len(q) for _, q in queues):
        for check, q in queues:
            if depth < len(q) and len(out) < n:
                out.append((check, q[depth]))
        depth += 1
    return out


# ---------------------------------------------------------------------------------------------------------------
# text shared by the HTML and the PDF


def fmt(value: Any, digits: int = 3) -> str:
    """A cell's text: numbers rounded, missing values as an em dash."""
    if value is None:
        return "\u2014"
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return "\u2014"
        text = f"{value:.{digits}f}"
        return text[1:] if text.startswith("-") and not text.strip("-0.") else text  # no "-0.000"
    text = str(value)
    return text if text.strip() else "\u2014"


def check_title(check: str, lab: Mapping[str, str]) -> str:
    return lab.get(f"check_{check}", check)


def _has_value(v: Any) -> bool:
    if v is None:
        return False
    if isinstance(v, float):
        return math.isfinite(v)
    return bool(str(v).strip())


def columns_for(check: str, records: Sequence[Mapping[str, Any]], leave_out: Sequence[str] = ()) -> list[str]:
    """The columns of :data:`COLUMNS` that some record fills, less ``leave_out``."""
    present: set[str] = set()
    for r in records:
        present.update(k for k, v in r.items() if k not in present and _has_value(v))
    cols = [c for c in COLUMNS[check] if c in present and c not in leave_out]
    return cols or ["verdict"]


def count_rows(check: str, records: Sequence[Mapping[str, Any]],
               lab: Mapping[str, str]) -> tuple[list[list[str]], list[str], list[list[str]]]:
    """The two count tables of a check.

    :returns: (verdict rows ``[verdict, meaning, count]``, group table header, group rows ``[value,
        n FAIL, n UNCERTAIN, n UNKNOWN, (n PASS,) total]``); PASS appears only when some record is PASS.
    """
    c = counts_by_verdict_and_rule(records, GROUP_FIELD[check])
    shown = [v for v in c["verdict"] if v != PASS or c["verdict"][v]]
    vrows = [[v, lab.get(f"meaning_{v}", ""), str(c["verdict"][v])] for v in shown]
    vrows.append([lab["total"], "", str(c["total"])])
    header = [lab[f"col_{GROUP_FIELD[check]}"], *shown, lab["total"]]
    groups = sorted(c["rule"].items(), key=lambda kv: (-kv[1].get(FAIL, 0), -sum(kv[1].values()), kv[0]))
    grows = [[k if k else lab["none"], *(str(v.get(s, 0)) for s in shown), str(sum(v.values()))]
             for k, v in groups]
    return vrows, header, grows


def findings_rows(check: str, records: Sequence[Mapping[str, Any]], lab: Mapping[str, str],
                  max_rows: int = MAX_TABLE_ROWS,
                  leave_out: Sequence[str] = ()) -> tuple[list[str], list[str], list[list[str]], int]:
    """The findings table: every non-PASS finding, worst first, at most ``max_rows``; the columns that some
    finding fills, less ``leave_out``.

    :returns: (column field names, header labels, rows of cell texts, number of rows left out).
    """
    rows = ordered(records)
    cols = columns_for(check, rows, leave_out)
    shown = rows[:max(0, int(max_rows))]
    return (cols, [lab.get(f"col_{c}", c) for c in cols], [[cell(c, r.get(c)) for c in cols] for r in shown],
            len(rows) - len(shown))


def cell(column: str, value: Any) -> str:
    """A table cell: figures in metres (``*_m``) always with 3 decimals, even when given as integers."""
    if column.endswith("_m") and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    return fmt(value)


def snapshot_caption(check: str, rec: Mapping[str, Any], rank: int, lab: Mapping[str, str]) -> str:
    """A one-line caption: rank, what, verdict, margin and rule."""
    if check == "clash":
        what = f"{fmt(rec.get('pipe_a'))} \u00d7 {fmt(rec.get('pipe_b'))} ({fmt(rec.get('kind'))})"
    elif check == "cover":
        what = fmt(rec.get("pipe_id"))
    else:
        what = f"{lab['excavation']} {fmt(rec.get('exc_id'))}: {fmt(rec.get('pipe_id'))} ({fmt(rec.get('owner'))})"
    m = margin_of(rec)
    parts = [f"{rank}. {check_title(check, lab)} \u2014 {what}", verdict_of(rec) or "\u2014"]
    if math.isfinite(m):
        parts.append(f"{lab['margin']} {m:.3f} m")
    if rec.get("rule_id"):
        parts.append(str(rec["rule_id"]))
    return ", ".join(parts)


def meta_rows(meta: Mapping[str, Any], lab: Mapping[str, str]) -> list[tuple[str, str]]:
    """(label, value) lines of the report header: map, CRS, time, software version."""
    created = meta.get("created") or _dt.datetime.now().astimezone().isoformat(timespec="seconds")
    out = []
    if meta.get("map"):
        out.append((lab["map"], str(meta["map"])))
    if meta.get("crs"):
        out.append((lab["crs"], str(meta["crs"])))
    out.append((lab["created"], str(created)))
    out.append((lab["software"], f"PipeMap {meta.get('version') or __version__}"))
    return out


# ---------------------------------------------------------------------------------------------------------------
# HTML

_CSS = ("body{font-family:'Noto Sans','Helvetica Neue',Arial,'Microsoft YaHei','WenQuanYi Micro Hei',sans-serif;"
        "margin:1.5em;color:#222}h1{font-size:150%}h2{font-size:125%;margin-top:1.6em;border-bottom:1px solid #ccc}"
        "h3{font-size:105%}table{border-collapse:collapse;margin:.4em 0}td,th{border:1px solid #bbb;padding:2px 6px;"
        "font-size:88%;text-align:left;vertical-align:top}th{background:#eee}td.n{text-align:right}"
        ".FAIL{color:#b00020;font-weight:bold}.UNCERTAIN{color:#b25e00}.UNKNOWN{color:#666}"
        "figure{display:inline-block;margin:.5em 1em .5em 0;max-width:660px}figure img{border:1px solid #999;"
        "max-width:100%}figcaption{font-size:85%}table.findings td,table.pipes td{white-space:nowrap}"
        ".note{color:#555;font-size:90%}dl.meta dt{font-weight:bold;"
        "float:left;clear:left;width:14em}dl.meta dd{margin-left:14.5em}")


def esc(value: Any) -> str:
    """HTML-escaped text (quotes included) of any value."""
    return html.escape(str(value), quote=True)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(bytes(png)).decode("ascii")


def _page(title: str, body: list[str], lang: str) -> str:
    return "\n".join([
        "<!DOCTYPE html>",
        f"<html lang=\"{esc(lang)}\"><head><meta charset=\"utf-8\">",
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        f"<title>{esc(title)}</title><style>{_CSS}</style></head><body>",
        *body,
        "</body></html>",
    ])


def _table(header: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "",
           verdict_col: int | None = None, numeric: Sequence[int] = ()) -> str:
    out = [f"<table class=\"{esc(cls)}\"><thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in header)
           + "</tr></thead><tbody>"]
    for row in rows:
        cells = []
        for i, v in enumerate(row):
            klass = []
            if i == verdict_col and v in _RANK:
                klass.append(v)
            if i in numeric:
                klass.append("n")
            attr = f" class=\"{' '.join(klass)}\"" if klass else ""
            cells.append(f"<td{attr}>{esc(v)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return "".join(out)


def _lang(which: Labels) -> str:
    if isinstance(which, str):
        lang = which.replace("-", "_").split("_")[0].lower()
        if lang in LABELS:
            return which.replace("_", "-")
    return "en"


def _meta_html(meta: Mapping[str, Any], lab: Mapping[str, str]) -> str:
    return "<dl class=\"meta\">" + "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in meta_rows(meta, lab)) \
        + "</dl>"


def checks_html(sections: Sequence[Section], snapshots: Sequence[Snapshot], meta: Mapping[str, Any] | None = None,
                language: Labels = None, max_rows: int = MAX_TABLE_ROWS) -> str:
    """The checks report as one self-contained HTML page.

    :param sections: the findings of each check that was run.
    :param snapshots: maps of the worst findings (PNG bytes), in the order they are shown.
    :param meta: ``title``, ``map``, ``crs``, ``created``, ``version`` (all optional).
    :param language: a language code or a mapping of labels (see :func:`labels`).
    :param max_rows: findings table rows per check; a note tells how many more the layer holds.
    """
    meta = meta or {}
    lab = labels(language)
    title = str(meta.get("title") or lab["checks_title"])
    body = [f"<h1>{esc(title)}</h1>", _meta_html(meta, lab)]
    for s in sections:
        body.append(f"<section class=\"check\" data-check=\"{esc(s.check)}\">")
        body.append(f"<h2>{esc(check_title(s.check, lab))}</h2>")
        if s.source:
            body.append(f"<p class=\"note\">{esc(lab['source'])}: <code>{esc(s.source)}</code></p>")
        vrows, gheader, grows = count_rows(s.check, s.records, lab)
        body.append(f"<h3>{esc(lab['by_verdict'])}</h3>")
        body.append(_verdict_table(s.check, vrows, lab))
        if not s.records:
            body.append(f"<p>{esc(lab['no_findings'])}</p></section>")
            continue
        body.append(f"<h3>{esc(lab['by_' + GROUP_FIELD[s.check]])}</h3>")
        body.append(_table(gheader, grows, "groups", numeric=range(1, len(gheader))))
        cols, header, rows, more = findings_rows(s.check, s.records, lab, max_rows)
        body.append(f"<h3>{esc(lab['findings'])}</h3>")
        if rows:
            numeric = [i for i, c in enumerate(cols) if c.endswith("_m")]
            body.append(_table(["#", *header], [[str(i), *r] for i, r in enumerate(rows, start=1)], "findings",
                               verdict_col=cols.index("verdict") + 1 if "verdict" in cols else None,
                               numeric=[0, *(i + 1 for i in numeric)]))
        else:
            body.append(f"<p>{esc(lab['no_findings'])}</p>")
        if more:
            body.append(f"<p class=\"note more\">{esc(lab['more_rows'].format(n=more, layer=s.source or '-'))}</p>")
        body.append("</section>")
    if snapshots:
        body.append(f"<section class=\"snapshots\"><h2>{esc(lab['worst'])}</h2>")
        body.append(f"<p class=\"note\">{esc(lab['legend'])}</p>")
        for i, snap in enumerate(snapshots, start=1):
            caption = snap.caption or snapshot_caption(snap.check, snap.record, i, lab)
            body.append(f"<figure><img src=\"{_data_uri(snap.png)}\" alt=\"{esc(caption)}\">"
                        f"<figcaption>{esc(caption)}</figcaption></figure>")
        body.append("</section>")
    return _page(title, body, _lang(language))


def _verdict_table(check: str, vrows: list[list[str]], lab: Mapping[str, str]) -> str:
    out = [f"<table class=\"verdicts\"><thead><tr><th>{esc(lab['verdict'])}</th><th>{esc(lab['meaning'])}</th>"
           f"<th>{esc(lab['count'])}</th></tr></thead><tbody>"]
    for v, meaning, n in vrows:
        key = v if v in _RANK else "total"
        klass = f" class=\"{v}\"" if v in _RANK else ""
        out.append(f"<tr><td{klass}>{esc(v)}</td><td>{esc(meaning)}</td>"
                   f"<td class=\"n\" data-check=\"{esc(check)}\" data-verdict=\"{esc(key)}\">{esc(n)}</td></tr>")
    out.append("</tbody></table>")
    return "".join(out)


# ---------------------------------------------------------------------------------------------------------------
# excavation notices


def owners_to_notify(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The owners of the pipes an excavation reaches, worst first.

    :returns: one dict per owner: ``owner`` (``""`` when not recorded), ``categories`` and ``pipe_ids`` (sorted,
        unique), ``min_depth_m`` (NaN when unknown), ``worst_verdict``, ``n`` (rows).
    """
    groups: dict[str, dict[str, Any]] = {}
    for r in rows:
        owner = r.get("owner")
        key = "" if owner is None else str(owner).strip()
        g = groups.setdefault(key, {"owner": key, "categories": set(), "pipe_ids": set(), "min_depth_m": math.inf,
                                    "worst_verdict": None, "n": 0})
        if r.get("category") not in (None, ""):
            g["categories"].add(str(r["category"]))
        if r.get("pipe_id") not in (None, ""):
            g["pipe_ids"].add(str(r["pipe_id"]))
        d = number(r.get("depth_m"))
        if math.isfinite(d):
            g["min_depth_m"] = min(g["min_depth_m"], d)
        v = verdict_of(r)
        if g["worst_verdict"] is None or _RANK.get(v, 9) < _RANK.get(g["worst_verdict"], 9):
            g["worst_verdict"] = v
        g["n"] += 1
    out = []
    for g in groups.values():
        g["categories"] = sorted(g["categories"])
        g["pipe_ids"] = sorted(g["pipe_ids"])
        if not math.isfinite(g["min_depth_m"]):
            g["min_depth_m"] = math.nan
        out.append(g)
    out.sort(key=lambda g: (_RANK.get(g["worst_verdict"], 9), g["owner"] == "", g["owner"]))
    return out


def bottom_text(meta: Mapping[str, Any], rows: Sequence[Mapping[str, Any]], lab: Mapping[str, str]) -> str:
    """How deep the excavation goes: the given elevation or depth, and the bottom elevations at the pipes."""
    parts = []
    z = number(meta.get("bottom_z"))
    d = number(meta.get("depth_m"))
    if math.isfinite(z):
        parts.append(lab["bottom_elevation"].format(z=f"{z:.2f}"))
    elif math.isfinite(d):
        parts.append(lab["bottom_depth"].format(d=f"{d:.2f}"))
    bz = [number(r.get("bottom_z")) for r in rows]
    bz = [v for v in bz if math.isfinite(v)]
    if bz and not math.isfinite(z):
        parts.append(lab["bottom_range"].format(lo=f"{min(bz):.2f}", hi=f"{max(bz):.2f}"))
    return "; ".join(parts) if parts else "\u2014"


def excavation_facts(exc_id: Any, rows: Sequence[Mapping[str, Any]], meta: Mapping[str, Any],
                     lab: Mapping[str, str]) -> list[tuple[str, str]]:
    """(label, value) lines about one excavation: id, safety distance, bottom, number of pipes."""
    facts = [(lab["excavation"], fmt(exc_id))]
    s = number(meta.get("safety_m"))
    facts.append((lab["safety"], f"{s:.2f}" if math.isfinite(s) else "\u2014"))
    facts.append((lab["bottom"], bottom_text(meta, rows, lab)))
    facts.append((lab["n_pipes"], str(len({str(r.get("pipe_id")) for r in rows}))))
    return facts


def owner_rows(rows: Sequence[Mapping[str, Any]], lab: Mapping[str, str]) -> tuple[list[str], list[list[str]]]:
    """Header and rows of the owners-to-notify table (shared by the HTML and the PDF)."""
    header = [lab["col_owner"], lab["categories"], lab["pipes"], lab["min_depth"], lab["worst_verdict"]]
    out = [[g["owner"] or lab["owner_unknown"], ", ".join(g["categories"]) or "\u2014",
            ", ".join(g["pipe_ids"]) or "\u2014", fmt(g["min_depth_m"], 2), g["worst_verdict"] or "\u2014"]
           for g in owners_to_notify(rows)]
    return header, out


def excavation_html(exc_id: Any, rows: Sequence[Mapping[str, Any]], snapshot: bytes | None,
                    meta: Mapping[str, Any] | None = None, language: Labels = None) -> str:
    """The notice for one excavation: its figures, the owners to notify, every pipe reached, and a map.

    :param rows: the excavation's findings (records of ``excavationcheck``).
    :param snapshot: PNG bytes of the map, or None.
    :param meta: ``safety_m``, ``bottom_z`` or ``depth_m`` (as given), ``map``, ``crs``, ``created``, ``version``.
    """
    meta = meta or {}
    lab = labels(language)
    title = lab["excavation_title"].format(exc_id=fmt(exc_id))
    body = [f"<h1>{esc(title)}</h1>", _meta_html(meta, lab), "<dl class=\"meta facts\">"]
    body += [f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in excavation_facts(exc_id, rows, meta, lab)]
    body.append("</dl>")
    header, orows = owner_rows(rows, lab)
    body.append(f"<h2>{esc(lab['owners'])}</h2>")
    body.append(_table(header, orows, "owners", verdict_col=4, numeric=[3]))
    cols, fheader, frows, _ = findings_rows("excavation", rows, lab, max_rows=len(rows), leave_out=("exc_id",))
    body.append(f"<h2>{esc(lab['pipe_list'])}</h2>")
    numeric = [i for i, c in enumerate(cols) if c.endswith("_m")]
    body.append(_table(fheader, frows, "pipes", verdict_col=cols.index("verdict") if "verdict" in cols else None,
                       numeric=numeric))
    if snapshot:
        body.append(f"<h2>{esc(lab['snapshot'])}</h2><figure><img src=\"{_data_uri(snapshot)}\" "
                    f"alt=\"{esc(title)}\"><figcaption>{esc(lab['legend_excavation'])}</figcaption></figure>")
    body.append(f"<p style=\"margin-top:3em\">{esc(lab['signature'])}</p>")
    return _page(title, body, _lang(language))


def excavation_index_html(entries: Sequence[Mapping[str, Any]], meta: Mapping[str, Any] | None = None,
                          language: Labels = None) -> str:
    """A page listing the excavation notices.

    :param entries: per excavation ``exc_id``, ``html`` and ``pdf`` (file names, ``pdf`` may be empty), ``rows``
        (its findings).
    """
    meta = meta or {}
    lab = labels(language)
    title = str(meta.get("title") or lab["index_title"])
    body = [f"<h1>{esc(title)}</h1>", _meta_html(meta, lab)]
    head = [lab["excavation"], lab["n_pipes"], lab["owners"], lab["worst_verdict"], lab["report_html"],
            lab["report_pdf"]]
    body.append("<table class=\"index\"><thead><tr>" + "".join(f"<th>{esc(h)}</th>" for h in head)
                + "</tr></thead><tbody>")
    for e in entries:
        rows = e.get("rows") or []
        owners = owners_to_notify(rows)
        worst_v = owners[0]["worst_verdict"] if owners else "\u2014"
        names = ", ".join(g["owner"] or lab["owner_unknown"] for g in owners)
        links = [f"<a href=\"{esc(_href(e[k]))}\">{esc(e[k])}</a>" if e.get(k) else "\u2014" for k in ("html", "pdf")]
        body.append(f"<tr><td>{esc(fmt(e.get('exc_id')))}</td><td class=\"n\">"
                    f"{len({str(r.get('pipe_id')) for r in rows})}</td><td>{esc(names)}</td>"
                    f"<td class=\"{esc(worst_v)}\">{esc(worst_v)}</td><td>{links[0]}</td><td>{links[1]}</td></tr>")
    body.append("</tbody></table>")
    return _page(title, body, _lang(language))


def _href(name: str) -> str:
    from urllib.parse import quote

    return quote(str(name))


# ---------------------------------------------------------------------------------------------------------------
# files

_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def safe_stem(value: Any, taken: set[str] | None = None, max_len: int = 60) -> str:
    """A file name stem for ``value`` that is safe on Windows, macOS and Linux: letters (any script) and
    digits are kept, runs of anything else become ``_``; unique within ``taken`` (case-insensitively), which
    it is added to."""
    text = unicodedata.normalize("NFC", str(value))
    stem = re.sub(r"[^\w\-.]+", "_", text, flags=re.UNICODE).strip("._ ")[:max_len].strip("._ ")
    if not stem or stem.lower() in _RESERVED:
        stem = f"excavation_{stem}" if stem else "excavation"
    if taken is None:
        return stem
    base, n = stem, 2
    while stem.lower() in taken or stem.lower() == "index":
        stem = f"{base}-{n}"
        n += 1
    taken.add(stem.lower())
    return stem


def usual_mode(path: str | os.PathLike[str], like: str | os.PathLike[str], folder: bool = False) -> None:
    """Give a file made by ``tempfile`` (mode 0600, or 0700 for a folder) the mode of the file it replaces, or
    the usual 0644 (0755 for a folder)."""
    try:
        mode = os.stat(like).st_mode & 0o777 if os.path.exists(like) else (0o755 if folder else 0o644)
        os.chmod(path, mode)
    except OSError:  # a file system without modes
        pass


def write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write a file through a temporary file in its folder and ``os.replace``: never half-written."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        usual_mode(tmp, target)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return target


def write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 text atomically (see :func:`write_bytes`)."""
    return write_bytes(path, text.encode("utf-8"))


def staging_folder(target: str | os.PathLike[str]) -> Path:
    """A new hidden folder beside ``target`` (same file system) to build a set of files in."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent))


def publish_folder(staging: str | os.PathLike[str], target: str | os.PathLike[str]) -> list[Path]:
    """Move the files built in ``staging`` to ``target``.

    A new (or empty) ``target`` is replaced by ``staging`` in one rename. Into a folder that already holds
    files, each file is moved with ``os.replace``: files of the same name are replaced, no other file is
    touched. ``staging`` is gone afterwards.

    :returns: the published files.
    """
    staging, target = Path(staging), Path(target)
    names = sorted(p.name for p in staging.iterdir())
    if target.exists() and not target.is_dir():
        raise NotADirectoryError(f"{target} is a file, not a folder")
    if target.is_dir() and not any(target.iterdir()):
        target.rmdir()
    if not target.exists():
        usual_mode(staging, target, folder=True)
        os.rename(staging, target)
    else:
        for name in names:
            os.replace(staging / name, target / name)
        staging.rmdir()
    return [target / n for n in names]
