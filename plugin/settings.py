"""Remembered choices of the PipeMap workbench, in QgsSettings under ``pipemap/``.

One table of keys and defaults; everything the panel remembers goes through
:func:`get` and :func:`put` so the prefix and the types stay in one place.
"""

from __future__ import annotations

from typing import Any

from qgis.core import QgsSettings

PREFIX = "pipemap/"

#: key (without the prefix) -> default value; the default's type is the stored type
DEFAULTS: dict[str, Any] = {
    "map/last_path": "",
    "map/kind": "gpkg",
    "map/pg_service": "",
    "map/pg_schema": "",
    "map/crs": "EPSG:4547",
    "map/dem": "",
    "import/folder": "",
    "import/profile": "zh",
    "import/mode": 0,
    "gpr/last_file": "",
    "gpr/processing": "default",
    "gpr/min_confidence": 0.3,
    "checks/clash": True,
    "checks/cover": True,
    "checks/excavation": False,
    "checks/clash_rules": "",
    "checks/cover_rules": "",
    "checks/safety_distance": 0.5,
    "checks/excavation_depth": 2.0,
    "sharing/profile": 1,
    "sharing/formats": "gpkg",
    "sharing/folder": "",
    "sharing/overwrite": False,
    "view3d/pitch": 55.0,
    "view3d/see_through": True,
    "view3d/map_extent": False,
    "network/category": "",
    "network/search_m": 50.0,
    "network/hazard_m": 50.0,
    "network/tolerance": 0.01,
    "network/direction": "connected",
    "network/stop_valves": True,
}


def key(name: str) -> str:
    if name not in DEFAULTS:
        raise KeyError(f"unknown PipeMap setting {name!r}")
    return PREFIX + name


def get(name: str) -> Any:
    """The remembered value of a setting (its default when never set)."""
    default = DEFAULTS[name]
    kind = type(default)
    value = QgsSettings().value(key(name), default, type=kind)
    return kind(value) if value is not None else default


def put(name: str, value: Any) -> None:
    QgsSettings().setValue(key(name), value)
