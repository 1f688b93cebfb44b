"""Bring existing data into the integrated map: hydraulic models (SWMM, EPANET)
and other systems' GIS layers. QGIS-free."""
