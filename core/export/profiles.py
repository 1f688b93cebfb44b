"""Sharing profiles: what may leave the organisation, as small JSON files.

A profile names the categories that may leave (allow or deny list), the
sensitivity classes that may leave, the fields kept (allow or deny list, per
layer or for all), whether owner contacts are kept, and a coordinate
precision (positions rounded to a multiple of it; 0 = exact). Shipped
profiles live in ``resources/profiles/``: ``full``, ``planning``, ``public``.

File format (JSON, UTF-8)::

    {
      "name": "planning",
      "title": {"en": "...", "zh_CN": "..."},
      "categories": {"deny": ["GY"]},          # or {"allow": [...]}; omitted = all
      "sensitivity": ["public", "internal"],   # classes that may leave
      "fields": {"deny": ["owner_contact"]},   # or {"allow": [...]}, for every layer
      "layer_fields": {"pipe_point": {"deny": [...]}},  # optional, per layer, applied after "fields"
      "owner_contacts": false,
      "precision_m": 0,
      "layers": ["pipe_segment", "pipe_point", "gpr_pick"]
    }
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .. import codes
from ..errors import InputError

PROFILES_DIR = Path(__file__).resolve().parent.parent.parent / "resources" / "profiles"
SHIPPED = ("full", "planning", "public")
LAYERS = ("pipe_segment", "pipe_point", "gpr_pick")
#: fields that hold contact details of people or organisations
CONTACT_FIELDS = ("owner_contact",)
#: fields every profile keeps (without them a feature means nothing)
REQUIRED_FIELDS = {"pipe_segment": ("seg_id", "category"), "pipe_point": ("point_id", "category"),
                   "gpr_pick": ()}
_KNOWN_KEYS = {"name", "title", "description", "categories", "sensitivity", "fields", "layer_fields",
               "owner_contacts", "precision_m", "layers"}


@dataclass(frozen=True)
class Profile:
    name: str
    title: dict[str, str]
    categories_allow: tuple[str, ...] | None
    categories_deny: tuple[str, ...]
    sensitivity: tuple[str, ...]
    fields_allow: dict[str, tuple[str, ...] | None]
    fields_deny: dict[str, tuple[str, ...]]
    owner_contacts: bool
    precision_m: float
    layers: tuple[str, ...]
    source: str = ""  #: the file it was read from
    sha256: str = ""  #: of that file's bytes
    raw: dict[str, Any] = field(default_factory=dict, compare=False)

    def category_allowed(self, code: str) -> bool:
        if self.categories_allow is not None and code not in self.categories_allow:
            return False
        return code not in self.categories_deny

    def sensitivity_allowed(self, value: str | None) -> bool:
        # a feature without a class is treated as "internal" (the data model's default)
        return (value or "internal") in self.sensitivity

    def field_allowed(self, layer: str, name: str) -> bool:
        if name in REQUIRED_FIELDS.get(layer, ()):
            return True
        if name in CONTACT_FIELDS and not self.owner_contacts:
            return False
        allow = self.fields_allow.get(layer)
        if allow is not None and name not in allow:
            return False
        return name not in self.fields_deny.get(layer, ())

    def describe(self) -> dict[str, Any]:
        """What the profile does, for metadata and manifests."""
        return {"name": self.name, "file": os.path.basename(self.source) if self.source else "",
                "sha256": self.sha256, "settings": self.raw}


def _codes(value: Any, what: str, path: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError("The sharing profile {path}: {what} must be a list of text codes.",
                         code="profile.bad_value", path=path, what=what)
    return tuple(value)


def _field_lists(spec: Any, what: str, path: str) -> tuple[tuple[str, ...] | None, tuple[str, ...]]:
    if spec is None:
        return None, ()
    if not isinstance(spec, dict) or set(spec) - {"allow", "deny"}:
        raise InputError("The sharing profile {path}: {what} must be an object with \"allow\" and/or \"deny\" "
                         "lists.", code="profile.bad_value", path=path, what=what)
    allow = _codes(spec["allow"], what + ".allow", path) if "allow" in spec else None
    deny = _codes(spec["deny"], what + ".deny", path) if "deny" in spec else ()
    return allow, deny


def parse_profile(data: Any, path: str = "<profile>", sha256: str = "") -> Profile:
    """Build a :class:`Profile` from decoded JSON, checking every value."""
    if not isinstance(data, dict):
        raise InputError("The sharing profile {path} must hold a JSON object.", code="profile.bad_json", path=path)
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        raise InputError("The sharing profile {path} has unknown keys: {keys}.", code="profile.unknown_key",
                         path=path, keys=", ".join(unknown))
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise InputError("The sharing profile {path} has no \"name\".", code="profile.no_name", path=path)
    title = data.get("title") or {}
    if not isinstance(title, dict):
        title = {"en": str(title)}
    cat_allow, cat_deny = _field_lists(data.get("categories"), "categories", path)
    known_cats = {c.code for c in codes.CATEGORIES}
    for c in (cat_allow or ()) + cat_deny:
        if c not in known_cats:
            raise InputError("The sharing profile {path} names the unknown category {category} (known: {known}).",
                             code="profile.bad_category", path=path, category=c, known=", ".join(sorted(known_cats)))
    sens = _codes(data.get("sensitivity", ["public", "internal"]), "sensitivity", path)
    known_sens = {c.code for c in codes.SENSITIVITIES}
    for s in sens:
        if s not in known_sens:
            raise InputError("The sharing profile {path} names the unknown sensitivity class {value} "
                             "(known: {known}).", code="profile.bad_sensitivity", path=path, value=s,
                             known=", ".join(sorted(known_sens)))
    allow_all, deny_all = _field_lists(data.get("fields"), "fields", path)
    per_layer = data.get("layer_fields") or {}
    if not isinstance(per_layer, dict) or set(per_layer) - set(LAYERS):
        raise InputError("The sharing profile {path}: layer_fields may only name {layers}.",
                         code="profile.bad_value", path=path, layers=", ".join(LAYERS))
    fields_allow: dict[str, tuple[str, ...] | None] = {}
    fields_deny: dict[str, tuple[str, ...]] = {}
    for layer in LAYERS:
        a, d = _field_lists(per_layer.get(layer), f"layer_fields.{layer}", path)
        fields_allow[layer] = a if a is not None else allow_all
        fields_deny[layer] = deny_all + d
    precision = data.get("precision_m", 0)
    if isinstance(precision, bool) or not isinstance(precision, (int, float)) or not 0 <= precision <= 10000:
        raise InputError("The sharing profile {path}: precision_m must be a number of metres >= 0.",
                         code="profile.bad_value", path=path)
    layers = _codes(data.get("layers", list(LAYERS)), "layers", path)
    for layer in layers:
        if layer not in LAYERS:
            raise InputError("The sharing profile {path}: unknown layer {layer} (known: {layers}).",
                             code="profile.bad_value", path=path, layer=layer, layers=", ".join(LAYERS))
    contacts = data.get("owner_contacts", False)
    if not isinstance(contacts, bool):
        raise InputError("The sharing profile {path}: owner_contacts must be true or false.",
                         code="profile.bad_value", path=path)
    return Profile(name.strip(), {str(k): str(v) for k, v in title.items()}, cat_allow, cat_deny, sens,
                   fields_allow, fields_deny, contacts, float(precision), layers, path, sha256, data)


def load_profile(name_or_path: str | os.PathLike[str]) -> Profile:
    """A shipped profile by name (``full``, ``planning``, ``public``) or a profile file."""
    text = str(name_or_path).strip()
    path = PROFILES_DIR / f"{text}.json" if text in SHIPPED else Path(text)
    if not path.is_file():
        raise InputError("The sharing profile {path} does not exist (shipped profiles: {names}).",
                         code="profile.missing", path=str(path), names=", ".join(SHIPPED))
    raw = path.read_bytes()
    if len(raw) > 1_000_000:
        raise InputError("The sharing profile {path} is too large to be a profile.", code="profile.too_large",
                         path=str(path))
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:  # RecursionError: "[[[[..." nesting
        raise InputError("The sharing profile {path} is not valid UTF-8 JSON: {reason}", code="profile.bad_json",
                         path=str(path), reason=str(exc)[:200]) from None
    return parse_profile(data, str(path), hashlib.sha256(raw).hexdigest())
