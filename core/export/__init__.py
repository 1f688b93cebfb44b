"""Data-sharing export of the integrated map (issue 7).

:mod:`.model` reads a map (after a sharing profile is applied) into columnar
:class:`~.model.MapData`; one writer module per format turns it into files
(:data:`.formats.FORMATS`); :mod:`.package` assembles a share package in a
temporary folder, writes :mod:`.manifest` and renames it into place.
"""
