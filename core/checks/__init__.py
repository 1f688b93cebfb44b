"""Clearance (clash), cover-depth and excavation checks (DESIGN.md section 5).

No QGIS here. The modules import numpy at module level and shapely/scipy/
laspy lazily inside the functions that need them, so importing this package
never fails on a QGIS without them:

* :mod:`.rules` -- GB 50289-2016 rule tables (or the user's), the
  category + attributes -> rule-class mapping, quality levels;
* :mod:`.pipes` -- the :class:`~.pipes.Pipes` input (arrays) and its checks;
* :mod:`.verdict` -- PASS / FAIL / UNCERTAIN / UNKNOWN and severities;
* :mod:`.clash` -- horizontal, vertical, stacked and crossing-order findings;
* :mod:`.cover` -- cover depth along every pipe;
* :mod:`.excavation` -- pipes affected by a planned excavation;
* :mod:`.ground` -- ground surfaces from a DEM, a LAS/LAZ cloud or points.
"""
