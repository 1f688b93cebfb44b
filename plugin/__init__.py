"""PipeMap's QGIS desktop integration (menus, toolbar, panels)."""
