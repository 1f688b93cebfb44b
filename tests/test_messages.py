"""Translatable texts stay in step with the code."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_error_message_catalogue_is_current():
    """processing/error_messages.py lists every core error template (make ts)."""
    proc = subprocess.run([sys.executable, "-P", str(ROOT / "scripts" / "extract_messages.py"), "--check"])
    assert proc.returncode == 0, "run `make ts`: core error templates changed"


def _translations(message) -> list[str]:
    """The translated text(s) of a message: one, or one per plural form (numerus)."""
    tr = message.find("translation")
    forms = tr.findall("numerusform")
    return [f.text or "" for f in forms] if forms else [tr.text or ""]


def test_zh_cn_has_no_unfinished_entry():
    tree = ET.parse(ROOT / "i18n" / "pipemap_zh_CN.ts")
    messages = list(tree.iter("message"))
    assert len(messages) >= 20
    unfinished = [m.findtext("source") for m in messages
                  if m.find("translation").get("type") == "unfinished" or not all(_translations(m))]
    assert unfinished == []


def test_placeholders_survive_translation():
    """A translation keeps every {placeholder} of its source."""
    import re

    tree = ET.parse(ROOT / "i18n" / "pipemap_zh_CN.ts")
    for m in tree.iter("message"):
        src = m.findtext("source") or ""
        for dst in _translations(m):
            assert sorted(re.findall(r"\{[^}]*\}", src)) == sorted(re.findall(r"\{[^}]*\}", dst)), src
            if m.get("numerus") == "yes":
                assert ("%Ln" in src) == ("%Ln" in dst) and ("%n" in src) == ("%n" in dst), src
