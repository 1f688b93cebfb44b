"""Fill unfinished entries of a Qt .ts file from a JSON {source: translation}.

Usage: python scripts/ts_fill.py i18n/pipemap_zh_CN.ts translations.json
Entries already translated are kept; sources missing from the JSON stay
unfinished (a test counts them).
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET


def main(ts_path: str, json_path: str) -> int:
    with open(json_path, encoding="utf-8") as fh:
        table = json.load(fh)
    tree = ET.parse(ts_path)
    filled = missing = 0
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        tr = message.find("translation")
        if tr is None:
            tr = ET.SubElement(message, "translation")
        forms = tr.findall("numerusform")
        done = all((f.text or "").strip() for f in forms) if forms else bool((tr.text or "").strip())
        if done and tr.get("type") != "unfinished":
            continue
        if message.get("numerus") == "yes" and source in table:
            # one plural form in Chinese: the translation goes inside a single <numerusform>
            for extra in forms[1:]:
                tr.remove(extra)
            form = forms[0] if forms else ET.SubElement(tr, "numerusform")
            form.text = table[source]
            tr.text = None
            tr.attrib.pop("type", None)
            filled += 1
        elif source in table:
            tr.text = table[source]
            tr.attrib.pop("type", None)
            filled += 1
        else:
            missing += 1
    tree.write(ts_path, encoding="utf-8", xml_declaration=True)
    with open(ts_path, encoding="utf-8") as fh:
        text = fh.read()
    with open(ts_path, "w", encoding="utf-8") as fh:
        header = '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>'
        fh.write(text.replace("<?xml version='1.0' encoding='utf-8'?>", header, 1))
    print(f"ts_fill: {filled} filled, {missing} still unfinished")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))
