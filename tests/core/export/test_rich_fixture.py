"""The rich map fixture really carries what the export tests rely on."""

from pipemap.core.export import model, profiles


def test_rich_map_has_contacts_restricted_and_hostile_values(rich_map):
    path, _, facts = rich_map
    data = model.read_map(path, profiles.load_profile("full"))
    seg = data.segments
    assert facts["contact"] in seg.columns["owner_contact"]
    assert facts["chinese_id"] in seg.columns["seg_id"]
    k = seg.columns["seg_id"].index(facts["hostile_segment"])
    assert seg.columns["remark"][k] == facts["hostile"][0]
    assert set(facts["restricted_segments"]) <= set(seg.columns["seg_id"])
    planning = model.read_map(path, profiles.load_profile("planning"))
    assert not set(facts["restricted_segments"]) & set(planning.segments.columns["seg_id"])
    assert "owner_contact" not in planning.segments.field_names
    assert "GY" not in planning.segments.category_counts()


def test_segments_never_name_a_withheld_point(rich_map):
    path, _, facts = rich_map
    full = model.read_map(path, profiles.load_profile("full"))
    named = set(full.segments.columns["start_point"]) | set(full.segments.columns["end_point"])
    secret = set(facts["secret_points"]) & named
    assert secret, "the fixture should have secret points that segments name"
    planning = model.read_map(path, profiles.load_profile("planning"))
    left = set(planning.segments.columns["start_point"]) | set(planning.segments.columns["end_point"])
    assert not secret & left
    assert not secret & set(planning.points.columns["point_id"])
    assert planning.removed.get("pipe_segment: start_point naming a withheld point blanked", 0) \
        + planning.removed.get("pipe_segment: end_point naming a withheld point blanked", 0) >= len(secret)
