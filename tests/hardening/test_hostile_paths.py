"""Symbolic links, special files and files claiming huge sizes (issue 10, point 2).

* A folder of survey tables given to the importer may hold links: a link to
  a table elsewhere is followed (a user's own link); a broken link, a FIFO or
  a folder named like a table is refused by name (before, such a table was
  skipped without a word and its rows silently missing); a link loop is
  harmless; nothing may block on a FIFO.
* Files claiming huge sizes: sparse files of 3 GB (a table) and 16 GB (a DZT
  with a valid header) are opened in constant time and memory; importing the
  16 GB radargram is refused before its samples are allocated (the memory
  check). Headers claiming 10^12 traces, tens of thousands of extended SEG-Y
  headers, a 20 MB GPS log, and a rule table of 20,000 classes (a 20,000^2
  matrix) are all bounded.
"""

from __future__ import annotations

import os
import struct
from pathlib import Path
from typing import Any

import pytest

from pipemap.core.gpr import readers, survey
from pipemap.core.survey import importer, tables

POINTS = "图上点号,X,Y,地面高程\nJS1,3379986.0,537960.0,24.6\nJS2,3380016.0,537960.0,24.7\n"
LINES = "起点点号,终点点号,起点埋深,终点埋深,管径,材质\nJS1,JS2,1.2,1.2,DN300,球墨铸铁\n"


def _tables(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "JSPoint.csv").write_text(POINTS, encoding="utf-8")
    (folder / "JSLine.csv").write_text(LINES, encoding="utf-8")
    return folder


def test_linked_table_is_followed(harness: Any, tmp_path: Path, empty_map: Path) -> None:
    real = _tables(tmp_path / "elsewhere")
    folder = tmp_path / "tables"
    folder.mkdir()
    for name in ("JSPoint.csv", "JSLine.csv"):
        (folder / name).symlink_to(real / name)
    (folder / "loop").symlink_to(folder)
    target = harness.copy(empty_map, tmp_path, "map.gpkg")
    out = harness.attempt("hostile.paths.links", lambda: importer.import_survey(target, folder), [folder],
                          seconds=20, alloc_mb=64)
    assert out.kind == "ok" and out.value.committed and out.value.segments_written == 1


@pytest.mark.parametrize("kind", ["broken_link", "fifo", "folder", "link_to_fifo"])
def test_unreadable_table_is_refused_by_name(kind: str, harness: Any, tmp_path: Path, empty_map: Path) -> None:
    folder = _tables(tmp_path / "tables")
    odd = folder / "RQLine.csv"
    if kind == "broken_link":
        odd.symlink_to(tmp_path / "gone.csv")
    elif kind == "fifo":
        os.mkfifo(odd)
    elif kind == "folder":
        odd.mkdir()
    else:
        os.mkfifo(tmp_path / "pipe")
        odd.symlink_to(tmp_path / "pipe")
    target = harness.copy(empty_map, tmp_path, "map.gpkg")
    before = harness.sha256(target)
    out = harness.attempt("hostile.paths.special", lambda: importer.import_survey(target, folder), [odd],
                          seconds=10, alloc_mb=32)
    assert out.kind == "refused" and out.error.code == "import.not_a_file"
    assert harness.sha256(target) == before


def test_fifo_given_as_a_file_does_not_block(harness: Any, tmp_path: Path) -> None:
    fifo = tmp_path / "LINE.DZT"
    os.mkfifo(fifo)
    for fn in (lambda: readers.read(fifo), lambda: tables.read_table(fifo)):
        out = harness.attempt("hostile.paths.fifo", fn, [fifo], seconds=5, alloc_mb=8)
        assert out.kind == "refused"


# --- files claiming huge sizes ---------------------------------------------------------------------------

def _dzt_header(nsamp: int = 512, bits: int = 16, range_ns: float = 50.0) -> bytes:
    block = bytearray(1024)
    struct.pack_into("<5H", block, 0, 0x00FF, 1024, nsamp, bits, 0)
    struct.pack_into("<5f", block, 10, 50.0, 50.0, 0.02, 0.0, range_ns)
    struct.pack_into("<H", block, 52, 1)
    struct.pack_into("<f", block, 54, 9.0)
    block[98:104] = b"400MHz"
    return bytes(block)


def test_sparse_16_gb_radargram(harness: Any, tmp_path: Path) -> None:
    path = tmp_path / "HUGE.DZT"
    with open(path, "wb") as fh:
        fh.write(_dzt_header())
        fh.truncate(16 * 1024**3)  # sparse: no disk used
    # opening maps the samples; it allocates only the trace distances (8 bytes a trace: 0.8 % of the file)
    out = harness.attempt("hostile.size.dzt", lambda: readers.read(path), [path], seconds=10,
                          alloc_mb=0.01 * path.stat().st_size / 2**20)
    assert out.kind == "ok" and out.value[0].n_traces > 16_000_000
    open_s, open_mb = out.seconds, out.peak_mb
    block = out.value[0].traces_float32(0, 8)  # a few traces read on demand
    assert block.shape == (512, 8)
    out = harness.attempt("hostile.size.dzt", lambda: survey.import_gpr(path), [path], seconds=30,
                          alloc_mb=0.01 * path.stat().st_size / 2**20)
    assert out.kind == "refused" and out.error.code == "gpr.too_big", out
    harness.record_faults("hostile.size.sparse_dzt_16gb", 1, open_s=round(open_s, 3), open_alloc_mb=round(open_mb, 1),
                          import_s=round(out.seconds, 3), import_alloc_mb=round(out.peak_mb, 1),
                          outcome="import refused before allocating the samples")


def test_sparse_3_gb_table(harness: Any, tmp_path: Path) -> None:
    path = tmp_path / "JSPoint.csv"
    with open(path, "wb") as fh:
        fh.write(POINTS.encode("utf-8"))
        fh.truncate(3 * 1024**3)
    out = harness.attempt("hostile.size.table", lambda: tables.read_table(path), [path], seconds=5, alloc_mb=8)
    assert out.kind == "refused" and out.error.code == "table.too_big"


def test_headers_claiming_huge_counts(harness: Any, tmp_path: Path) -> None:
    # DT1 + HD: NUMBER OF TRACES = 10^12 with two traces on disk -> the file size wins
    hd, dt1 = tmp_path / "LINE.HD", tmp_path / "LINE.DT1"
    hd.write_text("1234\nNUMBER OF TRACES = 1000000000000\nNUMBER OF PTS/TRC = 100\nTOTAL TIME WINDOW = 50\n"
                  "POSITION UNITS = m\nSTEP SIZE USED = 0.05\n", encoding="ascii")
    trace = struct.pack("<32f", 1, 0, 100, 0, 0, 2, 50, 1, *([0.0] * 24)) + bytes(200)
    dt1.write_bytes(trace + trace)
    out = harness.attempt("hostile.size.headers", lambda: readers.read(dt1), [dt1, hd], seconds=5, alloc_mb=16)
    assert out.kind == "ok" and out.value[0].n_traces == 2
    # MALA: LAST TRACE = 10^12, SAMPLES at the limit
    rad, rd3 = tmp_path / "line.rad", tmp_path / "line.rd3"
    rad.write_text("SAMPLES:1048576\nFREQUENCY:1000\nLAST TRACE:1000000000000\n", encoding="ascii")
    rd3.write_bytes(bytes(4096))
    out = harness.attempt("hostile.size.headers", lambda: readers.read(rd3), [rd3, rad], seconds=5, alloc_mb=16)
    assert out.kind == "refused" and out.error.code == "gpr.truncated"
    # SEG-Y: 65535 samples a trace, 32767 extended textual headers claimed, a tiny file
    sgy = tmp_path / "line.sgy"
    head = bytearray(b" " * 3200 + bytes(400) + bytes(240))
    struct.pack_into(">HHHH", head, 3216, 400, 400, 65535, 65535)
    struct.pack_into(">H", head, 3224, 5)
    struct.pack_into(">h", head, 3504, 32767)
    sgy.write_bytes(bytes(head) + bytes(10000))
    out = harness.attempt("hostile.size.headers", lambda: readers.read(sgy), [sgy], seconds=5, alloc_mb=16)
    assert out.kind == "refused"


def test_huge_gps_log_is_skipped(harness: Any, tmp_path: Path) -> None:
    path = tmp_path / "LINE.DZT"
    path.write_bytes(_dzt_header(nsamp=64) + bytes(64 * 2 * 100))
    dzg = tmp_path / "LINE.DZG"
    block = "".join(f"$GSSIS,{i},-1\n$GPGGA,000320,4739.2552,N,12218.5815,W,1,08,,,M,,M,,\n" for i in range(100_000))
    with open(dzg, "w", encoding="ascii") as fh:
        while fh.tell() < 20 * 1024**2:
            fh.write(block)
    out = harness.attempt("hostile.size.dzg", lambda: readers.read(path), [path, dzg], seconds=10, alloc_mb=16)
    assert out.kind == "ok" and out.value[0].gps is None
    assert any("not read" in w for w in out.value[0].warnings)


def test_rule_table_with_too_many_classes(harness: Any, tmp_path: Path) -> None:
    from pipemap.core.checks import rules

    path = tmp_path / "clearances.csv"
    rows = "".join(f"A{i},B{i},1.0,0.5\n" for i in range(10_000))  # 20,000 classes: a 3.2 GB matrix
    path.write_text("class_a,class_b,min_horizontal_m,min_vertical_m\n" + rows, encoding="utf-8")
    out = harness.attempt("hostile.size.rules", lambda: rules.load_user_clearances(path), [path], seconds=10,
                          alloc_mb=64)
    assert out.kind == "refused" and out.error.code == "rules.too_many_classes"
