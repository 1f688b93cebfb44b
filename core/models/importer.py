"""Import a hydraulic model (SWMM 5 or EPANET 2 ``.inp``) into an integrated map.

Flow: parse the file (:mod:`.inp`) -> detect SWMM or EPANET -> convert to
points and segments (:mod:`.swmm`, :mod:`.epanet`) with the checks of
:mod:`.validate` -> check the CRS and the coordinate scale -> reproject into
the map's CRS -> write in one transaction (:mod:`.mapwrite`).

Problems are collected as the survey import's :class:`Issue` objects:
``error`` = the object was left out, ``warning`` = imported but suspicious.
Only an error about the whole file (``crs.outside`` with an explicit CRS)
stops the import; the map is then left unchanged.
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import InputError, OutputError
from ..progress import NullProgress, Progress, SubProgress, check_cancel
from . import epanet, mapwrite, swmm, validate
from .common import ELEVATION_MEANINGS, ModelOptions, check_area, crs_unit_m, reproject
from .inp import detect_format, read_inp
from .records import Converted, Issue, ModelImportResult, parse_category

#: values every imported model feature gets (records: ASCE 38 quality level D)
MODEL_DEFAULTS = {"quality_level": "QL-D"}
#: node and link sections only the other engine has: never read, so reported when a file holds them
FOREIGN_SECTIONS = {"epanet": ("CONDUITS", "OUTFALLS", "STORAGE", "DIVIDERS", "WEIRS", "ORIFICES", "OUTLETS"),
                    "swmm": ("PIPES", "RESERVOIRS", "TANKS", "VALVES")}


def options(source: str, coordinate_scale: float = 1.0, category: str | None = None,
            elevation_means: str = "ground", default_cover_m: float = 1.0) -> ModelOptions:
    """Checked options.

    :raises InputError: an unknown category or elevation meaning, a scale or cover out of range.
    """
    try:
        cat = parse_category(category)
    except KeyError:
        raise InputError("Unknown category {category!r}: use a CJJ 61 code (PS, YS, WS, HS, JS...) or a name such "
                         "as storm, sewage, combined, drainage or water.", code="model.category",
                         category=category) from None
    if elevation_means not in ELEVATION_MEANINGS:
        raise InputError("ELEVATION_MEANS must be one of {choices}, not {value!r}.", code="model.elevation_means",
                         choices=", ".join(ELEVATION_MEANINGS), value=elevation_means)
    if not (coordinate_scale > 0):
        raise InputError("COORDINATE_SCALE must be a positive number, not {value}.", code="model.scale",
                         value=coordinate_scale)
    if not (0 <= default_cover_m <= 20):
        raise InputError("DEFAULT_COVER_M must lie between 0 and 20 m, not {value}.", code="model.cover",
                         value=default_cover_m)
    return ModelOptions(source, coordinate_scale, cat, elevation_means, default_cover_m)


def convert_file(path: str | os.PathLike[str], opts: ModelOptions) -> Converted:
    """Parse and convert a model file (no CRS handling, nothing written)."""
    inp = read_inp(path)
    fmt = detect_format(inp)
    conv = swmm.convert(inp, opts) if fmt == "swmm" else epanet.convert(inp, opts)
    for section in FOREIGN_SECTIONS[fmt]:
        rows = inp.rows(section)
        if rows:  # a mixed-up file: its objects would otherwise vanish without a word
            conv.issues.append(Issue("warning", "model.other_sections",
                                     f"The {fmt.upper()} model also has a [{section}] section ({len(rows)} row(s)), "
                                     f"which {fmt.upper()} does not have: it is not read.", opts.source,
                                     rows[0].line, section))
    if not conv.points and not conv.segments:
        raise InputError("The model {path} holds no nodes or links with coordinates: nothing to import.",
                         code="model.empty", path=str(path))
    return conv


def import_model(map_path: str | os.PathLike[str], model_path: str | os.PathLike[str], crs: str | None = None,
                 coordinate_scale: float = 1.0, category: str | None = None, elevation_means: str = "ground",
                 default_cover_m: float = 1.0, progress: Progress | None = None) -> ModelImportResult:
    """Import a SWMM or EPANET model into the map at ``map_path``.

    :param crs: the model's CRS (models rarely state one; empty: the map's). Data are
        reprojected into the map's CRS.
    :param coordinate_scale: factor applied to the model's coordinates first (0.001 for
        a model drawn in millimetres).
    :param category: CJJ 61 category or sub-category code or name; empty: drainage for
        SWMM (sub-category from CJJ 61 id prefixes), water supply for EPANET.
    :param elevation_means: EPANET only: ``ground``, ``centre`` or ``top``.
    :param default_cover_m: EPANET with ``ground``: cover above the pipe top (m).
    :returns: counts and problems; ``committed`` says whether the map was changed.
    :raises InputError: unusable input; :class:`OutputError` when the map cannot be written.
    """
    from ..mapfile import read_metadata

    progress = progress or NullProgress()
    target = Path(map_path)
    meta = read_metadata(target)
    if not os.access(target, os.W_OK):
        raise OutputError("The map {path} is read-only; nothing was imported.", code="import.readonly",
                          path=str(target))
    source = Path(model_path).name
    opts = options(source, coordinate_scale, category, elevation_means, default_cover_m)
    conv = convert_file(model_path, opts)
    progress.report(0.2)
    check_cancel(progress)
    result = ModelImportResult(mode="model", format=conv.format, units=conv.units, source=source)
    result.files.append(str(model_path))
    result.counts = dict(conv.counts)
    result.skipped = dict(conv.skipped)
    result.points_read = len(conv.points)
    result.segments_read = len(conv.segments)
    result.notes.extend(conv.notes)
    map_wkt = meta.get("crs_wkt", "")
    given = (crs or "").strip()
    model_crs = given or map_wkt
    result.source_crs = given or (meta.get("crs_authid") or "the map's CRS")
    validate.coordinate_scale(conv, crs_unit_m(model_crs), opts.coordinate_scale, source, conv.issues)
    check_area(model_crs, conv, bool(given), source)
    reproject(model_crs, map_wkt, conv, source)
    result.issues = conv.issues
    result.issues.sort(key=lambda i: (i.row or 0))
    progress.report(0.3)
    if any(i.severity == "error" and i.row is None for i in result.issues):
        return result
    mapwrite.write(target, source, conv.points, conv.segments, result, SubProgress(progress, 0.3, 1.0),
                   defaults={**MODEL_DEFAULTS, "survey_method": f"hydraulic model ({conv.format.upper()})"})
    result.committed = True
    progress.report(1.0)
    return result
