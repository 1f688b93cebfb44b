"""The .inp section parser: file quirks, format detection, units."""

from __future__ import annotations

import pytest

from pipemap.core.errors import InputError
from pipemap.core.models import inp

from .conftest import NETWORKS, network


def test_quirks_bom_crlf_nul_quotes_comments_case_and_repeats(tmp_path):
    text = ("; header comment before any section\r\n"
            "[TITLE]\r\nA title ; with a comment\r\n"
            "[OPTIONS]\r\nFLOW_UNITS\tLPS\r\n"
            "[junctions]\r\n;;Name Elevation MaxDepth\r\n"
            "J1\t1.5   2 ; trailing\r\n"
            '"Node with; space"  3.25 1\r\n'
            "\r\n   \r\n"
            "[Polygons]\r\nS1 0 0\r\n"
            "[JUNCTIONS]\r\nJ3 4 1\r\n")
    path = tmp_path / "m.inp"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8") + b"\x00" * 500)
    f = inp.read_inp(path)
    assert f.encoding == "utf-8-sig"
    assert f.title == ["A title"]
    rows = f.rows("JUNCTIONS")
    assert [r.tokens for r in rows] == [["J1", "1.5", "2"], ["Node with; space", "3.25", "1"], ["J3", "4", "1"]]
    assert [r.line for r in rows] == [8, 9, 15]
    assert f.has("POLYGONS") and f.rows("polygons")[0].tokens == ["S1", "0", "0"]
    assert f.option("FLOW_UNITS") == "LPS"
    assert inp.detect_format(f) == "swmm"


def test_gbk_ids_are_decoded(tmp_path):
    path = tmp_path / "gbk.inp"
    path.write_bytes("[JUNCTIONS]\n雨水井1 5 2\n[CONDUITS]\n管1 雨水井1 雨水井1 10 0.013\n".encode("gbk"))
    f = inp.read_inp(path)
    assert f.encoding == "gb18030"
    assert f.rows("JUNCTIONS")[0].tokens[0] == "雨水井1"


def test_multi_word_options_and_units(tmp_path):
    path = tmp_path / "e.inp"
    path.write_text("[PIPES]\nP1 A B 10 100 100\n[OPTIONS]\n Units \tIMGD\n Specific Gravity\t1.0\n", "utf-8")
    f = inp.read_inp(path)
    assert inp.detect_format(f) == "epanet"
    assert f.option("Specific", "Gravity") == "1.0"
    units, given = inp.epanet_units(f)
    assert given and units.us and units.length_m == pytest.approx(0.3048) and units.diameter_mm == 25.4
    units, given = inp.swmm_units(inp.parse("[CONDUITS]\n", path))
    assert not given and units.flow_units == "CFS" and units.us  # SWMM's default
    for flow, us in (("CMH", False), ("LPS", False), ("GPM", True), ("AFD", True)):
        u, _ = inp.epanet_units(inp.parse(f"[OPTIONS]\nUNITS {flow}\n", path))
        assert u.us is us and u.diameter_mm == (25.4 if us else 1.0)


def test_neither_format_and_no_sections_are_refused(tmp_path):
    empty = tmp_path / "x.inp"
    empty.write_text("just text\n", "utf-8")
    with pytest.raises(InputError, match="no \\[SECTION\\] headers"):
        inp.read_inp(empty)
    other = tmp_path / "y.inp"
    other.write_text("[COORDINATES]\nA 1 2\n", "utf-8")
    with pytest.raises(InputError, match="Cannot tell whether"):
        inp.detect_format(inp.read_inp(other))
    with pytest.raises(InputError, match="does not exist"):
        inp.read_inp(tmp_path / "missing.inp")


@pytest.mark.parametrize("relative, fmt, us", [
    ("swmm_chaohu_cn/chaohu.inp", "swmm", False),
    ("swmm_baltimore_inner_harbor_us/Inner_Harbor_Model_V19.inp", "swmm", True),
    ("epanet_modena/MOD.inp", "epanet", False),
    ("epanet_ltown/L-TOWN.inp", "epanet", False),
    ("epanet_net3/Net3.inp", "epanet", True),
    ("epanet_bwsn2/BWSN_Network_2.inp", "epanet", True),
    ("epanet_kentucky_ky1-ky15/ky1.inp", "epanet", True),
])
def test_real_files_are_detected_with_their_units(relative, fmt, us):
    f = inp.read_inp(network(relative))
    assert inp.detect_format(f) == fmt
    units, given = inp.swmm_units(f) if fmt == "swmm" else inp.epanet_units(f)
    assert given and units.us is us


def test_modena_nul_padding_and_repeated_sections():
    path = network("epanet_modena/MOD.inp")
    assert path.read_bytes().endswith(b"\x00")
    f = inp.read_inp(path)
    assert len(f.rows("JUNCTIONS")) == 268 and len(f.rows("PIPES")) == 317
    assert len(f.rows("COORDINATES")) == 272
    assert NETWORKS.is_dir()
