"""Maps that may live in PostGIS: parameters and helpers shared by the algorithms.

``MAP``-style inputs accept a GeoPackage path or a PostGIS map string
(``service=NAME schema=NAME``, or a QGIS data-source URI with ``schema=``);
see :mod:`core.pg.connect`. A QGIS authentication config (``authcfg=``) is
expanded here, with QGIS's authentication manager, just before core opens
the connection; the expanded credentials are never logged, returned or put
into a layer source (so they never reach a project file).
"""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsApplication,
    QgsDataSourceUri,
    QgsProcessingException,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
)
from qgis.PyQt.QtCore import QCoreApplication

from ..core.pg.connect import PgMap, is_postgis_map, parse_map, quote_value


def _tr(text: str) -> str:
    return QCoreApplication.translate("PipeMapPostGIS", text)


class MapParameter(QgsProcessingParameterFile):
    """An existing map: a GeoPackage file (picked with the file dialog) or a PostGIS map string (typed)."""

    def checkValueIsAcceptable(self, value: Any, context: Any = None) -> bool:  # noqa: N802
        if isinstance(value, str) and is_postgis_map(value):
            return True
        return super().checkValueIsAcceptable(value, context)

    def clone(self) -> MapParameter:
        copy = MapParameter(self.name(), self.description(), self.behavior(), self.extension(), self.defaultValue(),
                            bool(self.flags() & self.FlagOptional), self.fileFilter())
        copy.setFlags(self.flags())
        return copy


class MapDestinationParameter(QgsProcessingParameterFileDestination):
    """A map to create: a GeoPackage file, or a PostGIS map string."""

    def checkValueIsAcceptable(self, value: Any, context: Any = None) -> bool:  # noqa: N802
        if isinstance(value, str) and is_postgis_map(value):
            return True
        return super().checkValueIsAcceptable(value, context)

    def clone(self) -> MapDestinationParameter:
        copy = MapDestinationParameter(self.name(), self.description(), self.fileFilter(), self.defaultValue(),
                                       bool(self.flags() & self.FlagOptional), self.createByDefault())
        copy.setFlags(self.flags())
        return copy


def _raw(parameters: dict[str, Any], name: str) -> str | None:
    value = parameters.get(name)
    return value if isinstance(value, str) else None


def map_input(alg: Any, parameters: dict[str, Any], name: str, context: Any) -> str:
    """The value of a :class:`MapParameter`: a GeoPackage path or a PostGIS map string (as given)."""
    raw = _raw(parameters, name)
    if raw is not None and is_postgis_map(raw):
        return raw.strip()
    return alg.parameterAsFile(parameters, name, context)


def map_destination(alg: Any, parameters: dict[str, Any], name: str, context: Any) -> str:
    """The value of a :class:`MapDestinationParameter`. The Processing dialog may add ``.gpkg`` to a
    typed PostGIS string without a dot; it is taken off again (a schema name cannot end in .gpkg)."""
    raw = _raw(parameters, name)
    if raw is not None and is_postgis_map(raw):
        text = raw.strip()
        return text[:-5] if text.lower().endswith(".gpkg") else text
    return alg.parameterAsFileOutput(parameters, name, context)


def parse(text: str) -> PgMap:
    """The map string, parsed (authcfg not expanded: for outputs and layer sources)."""
    return parse_map(text)


def resolve(pgmap: PgMap) -> PgMap:
    """The map with its QGIS authentication config (if any) expanded into user/password for libpq."""
    if not pgmap.authcfg:
        return pgmap
    manager = QgsApplication.authManager()
    items = [f"{k}={quote_value(v)}" for k, v in pgmap.params]
    ok, expanded = manager.updateDataSourceUriItems(items, pgmap.authcfg, "postgres")
    if not ok:
        raise QgsProcessingException(_tr(
            "The QGIS authentication configuration {cfg} cannot be used (unknown id, or the master password is not "
            "set).").format(cfg=pgmap.authcfg))
    creds = parse_map(" ".join(expanded), require_schema=False)
    values = dict(creds.params)
    if "username" in values and "user" not in values:
        values["user"] = values.pop("username")
    return PgMap(pgmap.schema, tuple(values.items()), "", pgmap.table)


def layer_source(pgmap: PgMap, table: str, srid: int | None = None, wkb_type: Any = None) -> str:
    """A QGIS postgres-provider data source for one table of the map -- without a password
    (``authcfg``/``service`` carry the credentials)."""
    uri = QgsDataSourceUri(" ".join(f"{k}={quote_value(v)}" for k, v in pgmap.params if k != "password"))
    if pgmap.authcfg:
        uri.setAuthConfigId(pgmap.authcfg)
    uri.setDataSource(pgmap.schema, table, "geom", "", "fid")
    if srid:
        uri.setSrid(str(srid))
    if wkb_type is not None:
        uri.setWkbType(wkb_type)
    return uri.uri(False)


def describe(value: str) -> str:
    """A map for messages: a PostGIS map without its password."""
    return parse_map(value).display() if is_postgis_map(value) else value


__all__ = ["MapDestinationParameter", "MapParameter", "describe", "is_postgis_map", "layer_source", "map_destination",
           "map_input", "parse", "resolve"]
