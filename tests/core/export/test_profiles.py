"""Sharing profiles: the shipped ones, what they remove, and clear refusals of bad files."""

from __future__ import annotations

import json

import numpy as np
import pytest

from pipemap.core.errors import InputError
from pipemap.core.export import model, profiles


def write_profile(tmp_path, content, name="p.json"):
    path = tmp_path / name
    if isinstance(content, (bytes, bytearray)):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return path


def test_shipped_profiles_load():
    full, planning, public = (profiles.load_profile(n) for n in profiles.SHIPPED)
    assert (full.name, planning.name, public.name) == ("full", "planning", "public")
    assert full.owner_contacts and not planning.owner_contacts and not public.owner_contacts
    assert full.sensitivity_allowed("secret") and not planning.sensitivity_allowed("restricted")
    assert not planning.category_allowed("GY") and planning.category_allowed("JS")
    assert public.precision_m == 0.5 and planning.precision_m == 0
    assert "gpr_pick" not in public.layers
    assert len(planning.sha256) == 64 and planning.source.endswith("planning.json")
    assert planning.title["zh_CN"] and planning.title["en"]


def test_field_rules():
    p = profiles.parse_profile({"name": "x", "fields": {"deny": ["road"]},
                                "layer_fields": {"pipe_point": {"allow": ["point_id", "ground_elev_m"]}}})
    assert not p.field_allowed("pipe_segment", "road")
    assert p.field_allowed("pipe_segment", "material")
    assert not p.field_allowed("pipe_segment", "owner_contact")  # contacts need owner_contacts: true
    assert p.field_allowed("pipe_point", "ground_elev_m") and not p.field_allowed("pipe_point", "material")
    assert p.field_allowed("pipe_point", "category")  # required fields always stay
    assert p.sensitivity_allowed(None) and p.sensitivity_allowed("internal") and not p.sensitivity_allowed("secret")


def test_a_custom_profile_file_is_read_with_its_hash(tmp_path):
    path = write_profile(tmp_path, {"name": "水务", "categories": {"allow": ["JS"]}, "precision_m": 1})
    p = profiles.load_profile(path)
    assert p.name == "水务" and p.categories_allow == ("JS",) and p.precision_m == 1.0
    assert p.describe()["file"] == "p.json" and p.describe()["settings"]["name"] == "水务"
    import hashlib

    assert p.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("content, message", [
    ("{not json", "is not valid UTF-8 JSON"),
    (b"\xff\xfe{}", "is not valid UTF-8 JSON"),
    ("[1, 2]", "must hold a JSON object"),
    ({"name": "x", "colour": "red"}, "has unknown keys: colour"),
    ({"title": "no name"}, 'has no "name"'),
    ({"name": "  "}, 'has no "name"'),
    ({"name": "x", "categories": {"deny": ["XX"]}}, "names the unknown category XX"),
    ({"name": "x", "categories": {"only": ["JS"]}}, "categories must be an object"),
    ({"name": "x", "categories": {"allow": "JS"}}, "categories.allow must be a list of text codes"),
    ({"name": "x", "sensitivity": ["open"]}, "unknown sensitivity class open"),
    ({"name": "x", "fields": ["road"]}, "fields must be an object"),
    ({"name": "x", "layer_fields": {"pipes": {"deny": ["road"]}}}, "layer_fields may only name"),
    ({"name": "x", "precision_m": -1}, "precision_m must be a number of metres >= 0"),
    ({"name": "x", "precision_m": "0.5"}, "precision_m must be a number"),
    ({"name": "x", "precision_m": True}, "precision_m must be a number"),
    ({"name": "x", "owner_contacts": "no"}, "owner_contacts must be true or false"),
    ({"name": "x", "layers": ["pipe_segment", "wells"]}, "unknown layer wells"),
])
def test_bad_profiles_are_refused_with_a_clear_message(tmp_path, content, message):
    path = write_profile(tmp_path, content)
    with pytest.raises(InputError) as info:
        profiles.load_profile(path)
    assert message in str(info.value)
    assert str(path) in str(info.value)  # the message names the file


def test_missing_and_oversized_profiles(tmp_path):
    with pytest.raises(InputError, match="does not exist.*shipped profiles: full, planning, public"):
        profiles.load_profile(tmp_path / "nope.json")
    with pytest.raises(InputError, match="does not exist"):
        profiles.load_profile("secret-sauce")
    big = write_profile(tmp_path, "{" + " " * 1_000_001 + "}", "big.json")
    with pytest.raises(InputError, match="too large"):
        profiles.load_profile(big)


def test_profiles_remove_what_they_say(rich_map):
    path, _, facts = rich_map
    full = model.read_map(path, profiles.load_profile("full"))
    planning = model.read_map(path, profiles.load_profile("planning"))
    public = model.read_map(path, profiles.load_profile("public"))
    for layer in (planning.segments, planning.points):
        assert "owner_contact" not in layer.field_names and "remark" not in layer.field_names
        assert "survey_org" not in layer.field_names and "GY" not in layer.category_counts()
        assert "restricted" not in layer.columns["sensitivity"] and "secret" not in layer.columns["sensitivity"]
    assert not set(facts["secret_points"]) & set(planning.points.columns["point_id"])
    assert planning.removed and any("category GY" in k for k in planning.removed)
    n_gy = full.segments.category_counts()["GY"]
    assert len(full.segments) - len(planning.segments) >= n_gy + len(facts["restricted_segments"])
    assert public.segments.field_names == ["seg_id", "category", "subcategory"]
    assert public.points.field_names == ["point_id", "category", "subcategory"]
    v = public.segments.vertices
    assert np.array_equal(v * 2, np.round(v * 2))
    assert public.layers() == [public.segments, public.points]
    # a category filter on top of the profile
    water = model.read_map(path, profiles.load_profile("planning"), categories=["JS"])
    assert set(water.segments.category_counts()) == {"JS"}
    with pytest.raises(InputError, match="Unknown category codes XX"):
        model.read_map(path, profiles.load_profile("planning"), categories=["XX"])
