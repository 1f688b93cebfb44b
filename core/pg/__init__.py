"""Integrated maps in PostGIS: one schema per map (QGIS-free; needs psycopg2).

* :mod:`.connect` -- MAP strings (QGIS data-source URIs, ``service=NAME schema=NAME``)
  and connections;
* :mod:`.schema_sql` -- the DDL, generated from :mod:`core.schema`;
* :mod:`.mapdb` -- create a map, read its metadata, optimistic-locking edits, grants;
* :mod:`.transfer` -- GeoPackage <-> PostGIS without loss;
* :mod:`.imports` -- survey imports into a PostGIS map (one transaction).
"""
