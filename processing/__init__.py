"""PipeMap's Processing provider and its thin algorithms (qgis.core only)."""
