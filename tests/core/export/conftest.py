"""Fixtures for the export tests: the sample district with hostile and sensitive content."""

from __future__ import annotations

import shutil

import pytest

#: values no writer may break on (quotes, separators, newlines, non-ASCII, very long)
HOSTILE = ("O'Brien \"&\" Co; <b>x</b>, 1\n2\t3", "管线权属单位（测试）；\"引号\"", "x" * 600)


@pytest.fixture(scope="session")
def rich_map(imported_district, tmp_path_factory):
    """A copy of the imported sample district where some features carry owner contacts,
    restricted / secret sensitivity classes, hostile text and non-ASCII ids.

    :returns: (map path, SampleDistrict, facts) with facts = dict of what was planted:
        ``contact`` (the owner_contact text planted), ``restricted_segments`` and
        ``secret_points`` (ids), ``hostile_segment`` (id of the segment whose remark/road/owner are hostile),
        ``chinese_id`` (a segment id with Chinese characters), ``hostile`` (the hostile texts).
    """
    from osgeo import ogr

    src, district = imported_district
    folder = tmp_path_factory.mktemp("rich")
    target = folder / "rich.gpkg"
    shutil.copyfile(src, target)
    ds = ogr.Open(str(target), 1)
    seg = ds.GetLayerByName("pipe_segment")
    pts = ds.GetLayerByName("pipe_point")
    contact = "张工 13800000000 zhang@example.cn"
    facts = {"contact": contact, "restricted_segments": [], "secret_points": [], "hostile": HOSTILE}
    ds.StartTransaction()
    feats = [f for f in seg]
    for k, f in enumerate(feats):
        changed = False
        if k % 5 == 0:
            f.SetField("owner_contact", contact)
            changed = True
        if k % 50 == 7 and f.GetField("category") != "GY":
            f.SetField("sensitivity", "restricted")
            facts["restricted_segments"].append(f.GetField("seg_id"))
            changed = True
        if k == 11:
            f.SetField("remark", HOSTILE[0])
            f.SetField("road", HOSTILE[1])
            f.SetField("owner", HOSTILE[2])
            facts["hostile_segment"] = f.GetField("seg_id")
            changed = True
        if k == 13:
            new_id = "给水-管段-甲" + f.GetField("seg_id")
            f.SetField("seg_id", new_id)
            facts["chinese_id"] = new_id
            changed = True
        if changed:
            seg.SetFeature(f)
    for k, f in enumerate(pts):
        if k % 7 == 0:
            f.SetField("owner_contact", contact)
            pts.SetFeature(f)
        if k % 60 == 5:
            f.SetField("sensitivity", "secret")
            facts["secret_points"].append(f.GetField("point_id"))
            pts.SetFeature(f)
    ds.CommitTransaction()
    ds = None
    return target, district, facts
