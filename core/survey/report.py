"""Readable import reports (HTML) listing every problem with file, row and column."""

from __future__ import annotations

import html
import os
from collections import Counter
from pathlib import Path

from ..gdalutil import write_text_atomic
from ..version import __version__
from .importer import ImportResult


def render_html(result: ImportResult, map_path: str, title: str = "PipeMap survey import report") -> str:
    esc = html.escape
    counts = Counter((i.severity, i.code) for i in result.issues)
    status = ("imported" if result.committed else
              "NOT imported: the map was left unchanged" if result.mode == "all_or_nothing" else "not imported")
    parts = [
        "<!DOCTYPE html><html><head><meta charset='utf-8'>",
        f"<title>{esc(title)}</title>",
        "<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}"
        "td,th{border:1px solid #bbb;padding:2px 6px;font-size:90%}th{background:#eee}"
        ".error{color:#b00020}.warning{color:#a06000}</style></head><body>",
        f"<h1>{esc(title)} / 探测成果导入报告</h1>",
        f"<p>Map 综合图: <code>{esc(map_path)}</code><br>Mode 模式: {esc(result.mode)}<br>"
        f"Result 结果: <b>{esc(status)}</b><br>Source CRS 源坐标系: {esc(result.source_crs)}<br>"
        f"Software 软件: PipeMap {esc(__version__)}</p>",
        "<h2>Counts 统计</h2><table><tr><th></th><th>points 管线点</th><th>segments 管线段</th></tr>",
        f"<tr><td>read 读入</td><td>{result.points_read}</td><td>{result.segments_read}</td></tr>",
        f"<tr><td>written 写入</td><td>{result.points_written}</td><td>{result.segments_written}</td></tr>",
        f"<tr><td>of which updated 其中更新</td><td>{result.points_updated}</td>"
        f"<td>{result.segments_updated}</td></tr></table>",
        f"<p><span class='error'>{len(result.errors)} error(s) 错误</span>, "
        f"<span class='warning'>{len(result.warnings)} warning(s) 警告</span></p>",
    ]
    if result.notes:
        parts.append("<ul>" + "".join(f"<li>{esc(n)}</li>" for n in result.notes) + "</ul>")
    if counts:
        parts.append("<h2>By kind 分类</h2><table><tr><th>severity</th><th>code</th><th>count</th></tr>")
        for (sev, code), n in sorted(counts.items()):
            parts.append(f"<tr><td class='{sev}'>{sev}</td><td>{esc(code)}</td><td>{n}</td></tr>")
        parts.append("</table>")
    parts.append("<h2>Problems 问题清单</h2><table><tr><th>#</th><th>severity</th><th>file 文件</th>"
                 "<th>row 行</th><th>column 列</th><th>feature 要素</th><th>problem 问题</th></tr>")
    for n, i in enumerate(result.issues, start=1):
        parts.append(f"<tr><td>{n}</td><td class='{i.severity}'>{i.severity}</td><td>{esc(i.file)}</td>"
                     f"<td>{'' if i.row is None else i.row}</td><td>{esc(i.column)}</td><td>{esc(i.ref)}</td>"
                     f"<td>{esc(i.message)}</td></tr>")
    parts.append("</table>")
    parts.append("<h2>Files 文件</h2><ul>" + "".join(
        f"<li>{esc(f)} ({esc(result.encodings.get(Path(f).name, ''))})</li>" for f in result.files) + "</ul>")
    parts.append("</body></html>")
    return "\n".join(parts)


def write_html(result: ImportResult, map_path: str, path: str | os.PathLike[str]) -> Path:
    return write_text_atomic(path, render_html(result, map_path), "import report")
