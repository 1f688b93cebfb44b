"""PipeMap domain logic. Imports neither qgis nor Qt (a test enforces it)."""
