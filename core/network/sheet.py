"""What the one-page response sheet of an isolation says (``pipemap:isolate`` ``SHEET``).

The words and the table come from here; :mod:`processing.response_sheet` lays them out on an A4
page with a map. English, or Chinese for a ``zh*`` language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence, Union

from ..codes import CATEGORY_BY_CODE
from .graph import Graph
from .isolate import IsolationResult

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Response sheet \u2014 {what} on {category} main {seg_id}",
        "burst": "burst", "leak": "leak",
        "created": "Issued", "map": "Map", "failure": "Failure at", "pipe": "Failed segment",
        "to_close": "Valves to close", "to_shut": "Sources to shut off", "verify": "Closed valves to check",
        "isolated": "Segments isolated", "cut_off": "Segments losing supply", "hydrants": "Hydrants out of service",
        "meters": "Meters without supply", "customers": "Customers affected", "hazard": "Buildings in the hazard zone",
        "failed": "Valves that failed (passed)", "supply": "Supply assumed from",
        "supply_sources": "the network's sources",
        "supply_largest": "the largest remaining part (no source in the map)",
        "table": "Operations in order of travel (from the failure, along the network)",
        "n": "#", "valve": "Point", "action": "Action", "road": "Road", "x": "X (E)", "y": "Y (N)", "leg": "Leg (m)",
        "cum": "From failure (m)", "route": "Route",
        "close": "close", "shut_source": "shut off source", "verify_closed": "check closed",
        "network": "network", "straight_line": "straight line",
        "more": "{n} more operations are in the VALVES layer.",
        "map_caption": "Wide blue: isolated segments; wide yellow: segments losing supply; numbered: operations in "
                       "order; cross: the failure; dashed circle: hazard zone.",
        "notes": "Notes", "signature": "Dispatcher: ____________   Crew: ____________   Valves closed at: ________",
        "none": "none", "segments_m": "{n} ({m:.0f} m)", "within": "{n} within {r:.0f} m",
        "at": "({x:.2f}, {y:.2f}), {d:.1f} m from the pipe",
    },
    "zh": {
        "title": "应急处置单 \u2014 {category}管道 {seg_id} {what}",
        "burst": "爆管", "leak": "泄漏",
        "created": "签发时间", "map": "地图", "failure": "事故位置", "pipe": "事故管段",
        "to_close": "需关闭阀门", "to_shut": "需关停气源/水源", "verify": "需确认已关闭的阀门",
        "isolated": "被隔离管段", "cut_off": "停供管段", "hydrants": "停用消防栓", "meters": "停供水表",
        "customers": "受影响用户", "hazard": "危险区内建筑", "failed": "失灵阀门(已越过)", "supply": "供给假定",
        "supply_sources": "管网的气源/水源", "supply_largest": "剩余最大部分(地图中无源点)",
        "table": "按行进顺序的操作(自事故点沿管网)",
        "n": "序号", "valve": "点号", "action": "操作", "road": "道路", "x": "X(东)", "y": "Y(北)", "leg": "分段(米)",
        "cum": "距事故点(米)", "route": "路线",
        "close": "关闭", "shut_source": "关停源点", "verify_closed": "确认关闭",
        "network": "沿管网", "straight_line": "直线",
        "more": "另有 {n} 项操作见 VALVES 图层。",
        "map_caption": "蓝色宽线:被隔离管段;黄色宽线:停供管段;编号:操作顺序;叉号:事故点;虚线圆:危险区。",
        "notes": "说明", "signature": "调度员:____________   抢修班组:____________   关阀完成时间:________",
        "none": "无", "segments_m": "{n} 段({m:.0f} 米)", "within": "{r:.0f} 米内 {n} 栋",
        "at": "({x:.2f}, {y:.2f}),距管道 {d:.1f} 米",
    },
}

Labels = Union[str, Mapping[str, str], None]


def labels(which: Labels = None) -> dict[str, str]:
    """English labels, or Chinese for a ``zh*`` code, or a mapping that overrides some of them."""
    base = dict(LABELS["en"])
    if isinstance(which, str):
        base.update(LABELS.get(which.replace("-", "_").split("_")[0].lower(), {}))
    elif which is not None:
        base.update({str(k): str(v) for k, v in which.items()})
    return base


@dataclass
class SheetContent:
    title: str
    facts: list[tuple[str, str]]
    header: list[str]
    rows: list[list[str]]
    more: int  #: operations not in the table (the VALVES layer has them all)
    caption: str
    table_title: str = ""
    more_text: str = ""  #: says where the operations left out of the table are ("" when none is)
    notes: list[str] = field(default_factory=list)
    signature: str = ""


def _num(v: float, digits: int = 0) -> str:
    return f"{v:.{digits}f}" if isinstance(v, (int, float)) and math.isfinite(v) else "\u2014"


def _ids(ids: Sequence[str], lab: Mapping[str, str], most: int = 8) -> str:
    if not ids:
        return lab["none"]
    shown = ", ".join(ids[:most])
    return f"{len(ids)}: {shown}" + (", \u2026" if len(ids) > most else "")


def sheet_content(result: IsolationResult, graph: Graph, meta: Mapping[str, Any] | None = None,
                  language: Labels = None, max_rows: int = 18, notes: Sequence[str] = ()) -> SheetContent:
    """The sheet's title, facts, operations table (at most ``max_rows`` rows: the first operations in
    order of travel, then the valves to check) and notes.

    :param meta: ``map`` (name), ``created`` (time text), optional.
    :param notes: warnings already in the reader's language.
    """
    meta = dict(meta or {})
    lab = labels(language)
    zh = lab.get("burst") == LABELS["zh"]["burst"]
    cat = CATEGORY_BY_CODE.get(result.category)
    cat_name = (cat.name_zh if zh else cat.name_en) if cat else result.category
    what = lab["leak"] if result.category == "RQ" else lab["burst"]
    title = lab["title"].format(what=what, category=cat_name, seg_id=result.seg_id)
    ops = result.operations
    n_close = sum(1 for o in ops if o.action == "close")
    n_shut = sum(1 for o in ops if o.action == "shut_source")
    verify = [o.point_id for o in ops if o.action == "verify_closed"]
    road = str(graph.road[result.edge]) if result.edge < len(graph.road) else ""
    facts: list[tuple[str, str]] = []
    if meta.get("created"):
        facts.append((lab["created"], str(meta["created"])))
    if meta.get("map"):
        facts.append((lab["map"], str(meta["map"])))
    facts += [
        (lab["failure"], lab["at"].format(x=result.px, y=result.py, d=result.distance_m)),
        (lab["pipe"], f"{result.seg_id}" + (f" \u2014 {road}" if road else "")
         + (f", DN{graph.dn_mm[result.edge]:.0f}" if math.isfinite(graph.dn_mm[result.edge]) else "")),
        (lab["to_close"], str(n_close)),
    ]
    if n_shut:
        facts.append((lab["to_shut"], str(n_shut)))
    if verify:
        facts.append((lab["verify"], _ids(verify, lab)))
    facts += [
        (lab["isolated"], lab["segments_m"].format(n=len(result.isolated_edges), m=result.length_isolated_m(graph))),
        (lab["cut_off"], lab["segments_m"].format(n=len(result.cut_off_edges), m=result.length_cut_off_m(graph))),
    ]
    if result.hydrants:
        facts.append((lab["hydrants"], _ids(result.hydrants, lab)))
    if result.meters:
        facts.append((lab["meters"], str(len(result.meters))))
    if result.customers is not None:
        c = result.customers.counts()
        facts.append((lab["customers"], str(c["affected"])))
        if result.hazard_radius_m > 0:
            facts.append((lab["hazard"], lab["within"].format(n=c["in_hazard"], r=result.hazard_radius_m)))
    if result.failed_met:
        facts.append((lab["failed"], _ids(result.failed_met, lab)))
    facts.append((lab["supply"], lab["supply_sources"] if result.supply_basis == "sources" else lab["supply_largest"]))
    header = [lab["n"], lab["valve"], lab["action"], lab["road"], lab["x"], lab["y"], lab["leg"], lab["cum"],
              lab["route"]]
    rows = []
    for o in ops[:max_rows]:
        rows.append([str(o.order) if o.order else "\u2014", o.point_id or "\u2014", lab[o.action], o.road or "",
                     _num(o.x, 2), _num(o.y, 2), _num(o.leg_m), _num(o.cum_m), lab[o.route] if o.route else ""])
    more = max(0, len(ops) - max_rows)
    return SheetContent(title, facts, header, rows, more, lab["map_caption"], lab["table"],
                        lab["more"].format(n=more) if more else "", list(notes), lab["signature"])
