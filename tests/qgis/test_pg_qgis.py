"""PostGIS maps through QGIS: the postgres provider, Processing and the real qgis_process."""

from __future__ import annotations

import json
import os
import subprocess

import pipemap_test_pgsupport as support  # (loaded by tests/conftest.py)
import pytest

pytestmark = pytest.mark.qgis


@pytest.fixture(scope="module")
def postgis():
    """The session's PostGIS test database (shared with tests/pg)."""
    return support.database()


@pytest.fixture(scope="module")
def district_map(imported_district, postgis):
    """The sample district transferred into PostGIS once for this module (tests must only read it,
    except through their own features)."""
    from pipemap.core.pg import transfer
    from pipemap.core.pg.connect import parse_map

    pg_map = parse_map(support.map_string(postgis, support.unique_schema("district")))
    transfer.transfer(imported_district[0], pg_map)
    return pg_map


def _layer(pg_map, table):
    from qgis.core import QgsDataSourceUri, QgsVectorLayer

    uri = QgsDataSourceUri()
    uri.setConnection(pg_map.get("host"), pg_map.get("port"), pg_map.get("dbname"), pg_map.get("user"), "")
    uri.setDataSource(pg_map.schema, table, "geom", "", "fid")
    return QgsVectorLayer(uri.uri(False), table, "postgres")


def test_postgres_provider_reads_3d_and_the_default_style(district_map):
    from qgis.core import QgsCategorizedSymbolRenderer, QgsWkbTypes

    layer = _layer(district_map, "pipe_segment")
    assert layer.isValid(), layer.error().summary()
    assert layer.wkbType() == QgsWkbTypes.LineStringZ
    assert layer.crs().authid() == "EPSG:4547"
    assert layer.featureCount() == 604
    feat = next(layer.getFeatures())
    assert feat.geometry().constGet().is3D()
    points = _layer(district_map, "pipe_point")
    assert points.wkbType() == QgsWkbTypes.PointZ and points.featureCount() == 594
    message, ok = layer.loadDefaultStyle()
    assert ok, message
    assert isinstance(layer.renderer(), QgsCategorizedSymbolRenderer)
    assert {c.value() for c in layer.renderer().categories() if c.value()} >= {"JS", "PS", "RQ", "DL"}


def test_an_edit_through_the_provider_is_versioned_and_audited(district_map, postgis):
    layer = _layer(district_map, "pipe_segment")
    feat = next(layer.getFeatures("\"fid\" = 7"))
    idx = layer.fields().indexOf("remark")
    assert feat["version"] == 1
    assert layer.startEditing()
    assert layer.changeAttributeValue(feat.id(), idx, "edited in QGIS 在QGIS中编辑")
    assert layer.commitChanges(), layer.commitErrors()
    con = support.connect(postgis)
    with con.cursor() as cur:
        cur.execute(f'SELECT version, remark FROM "{district_map.schema}".pipe_segment WHERE fid = 7')
        assert cur.fetchone() == (2, "edited in QGIS 在QGIS中编辑")
        cur.execute(f'SELECT operation, new_values, changed_by FROM "{district_map.schema}".audit_log '
                    "WHERE row_fid = 7 AND table_name = 'pipe_segment'")
        op, new, who = cur.fetchone()
    con.close()
    assert op == "UPDATE" and new["remark"] == "edited in QGIS 在QGIS中编辑" and new["version"] == 2
    assert who == postgis["user"]
    # a geometry edit through QGIS stays 3D and is versioned too
    from qgis.core import QgsGeometry

    layer = _layer(district_map, "pipe_segment")
    assert layer.startEditing()
    feat = next(layer.getFeatures("\"fid\" = 7"))
    assert feat.id() == 7  # QGIS uses fid as the feature id, as in a GeoPackage
    assert layer.changeGeometry(feat.id(), QgsGeometry.fromWkt("LineStringZ (500000 3380000 10, 500010 3380000 9)"))
    assert layer.commitChanges(), layer.commitErrors()
    feat = next(_layer(district_map, "pipe_segment").getFeatures("\"fid\" = 7"))
    assert feat["version"] == 3 and feat.geometry().constGet().pointN(1).z() == 9


def test_createmap_transfer_and_import_through_processing(provider_only, postgis, imported_district, tmp_path):
    from qgis import processing
    from qgis.core import QgsProcessingException

    gpkg, district = imported_district
    text = support.map_string(postgis, support.unique_schema("proc"))
    result = processing.run("pipemap:createmap", {"OUTPUT": text, "CRS": "EPSG:4547"})
    assert result["SCHEMA_VERSION"] >= 2 and "schema=" in result["OUTPUT"]
    with pytest.raises(QgsProcessingException, match="already exists"):
        processing.run("pipemap:createmap", {"OUTPUT": text, "CRS": "EPSG:4547"})
    imported = processing.run("pipemap:importsurvey", {"POINTS": str(district.tables), "MAP": text,
                                                       "OUTPUT_ISSUES": "memory:"})
    assert imported["COMMITTED"] and imported["SEGMENTS_WRITTEN"] == 604
    back = tmp_path / "back.gpkg"
    moved = processing.run("pipemap:transfer", {"INPUT": text, "OUTPUT": str(back)})
    assert moved["SEGMENTS"] == 604 and moved["POINTS"] == 594 and back.is_file()
    # the GeoPackage map is the same as one imported straight into a GeoPackage
    a, b = support.read_gpkg(gpkg), support.read_gpkg(back)
    key = {"pipe_segment": "seg_id", "pipe_point": "point_id"}
    for layer, k in key.items():
        rows_a = {dict(v)[k]: dict(v)["geom"] for v in a[layer].values()}
        rows_b = {dict(v)[k]: dict(v)["geom"] for v in b[layer].values()}
        assert rows_a == rows_b


def test_qgis_authentication_config_supplies_the_user(provider_only, postgis, tmp_path):
    """authcfg=... in MAP: QGIS's authentication manager gives the credentials; none is in the string."""
    from qgis import processing
    from qgis.core import QgsApplication, QgsAuthMethodConfig

    manager = QgsApplication.authManager()
    if manager.isDisabled():
        pytest.skip("QGIS authentication system is disabled (no QCA)")
    if not manager.setMasterPassword("pipemap-test-master", True):
        pytest.skip("the test profile's QGIS authentication database has another master password")
    con = support.connect(postgis)
    with con.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_roles WHERE rolname = 'carol'")
        if cur.fetchone() is None:
            cur.execute("CREATE ROLE carol LOGIN CREATEDB")
        cur.execute("GRANT CREATE ON DATABASE pipemap_test TO carol")
    con.commit()
    config = QgsAuthMethodConfig("Basic")
    config.setName("pipemap test carol")
    config.setConfig("username", "carol")
    config.setConfig("password", "not-checked-by-trust-auth")
    ok, config = manager.storeAuthenticationConfig(config)
    assert ok
    schema = support.unique_schema("auth")
    text = f"host=127.0.0.1 port={postgis['port']} dbname={postgis['dbname']} authcfg={config.id()} schema={schema}"
    try:
        result = processing.run("pipemap:createmap", {"OUTPUT": text, "CRS": "EPSG:4547"})
    finally:
        manager.removeAuthenticationConfig(config.id())
    assert "password" not in result["OUTPUT"] and f"authcfg={config.id()}" in result["OUTPUT"]
    with con.cursor() as cur:
        cur.execute("SELECT nspowner::regrole::text FROM pg_namespace WHERE nspname = %s", (schema,))
        assert cur.fetchone() == ("carol",)
        cur.execute(f'SELECT changed_by FROM "{schema}".audit_log')
        assert cur.fetchone() == ("carol",)
    con.close()


def _qgis_process(repo_root, env, *args):
    proc = subprocess.run(["bash", str(repo_root / "scripts" / "qgis_process.sh"), "run", *args],
                          capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return json.loads(proc.stdout[proc.stdout.index("{"):])


def test_qgis_process_with_a_service_file(postgis, imported_district, tmp_path, repo_root):
    """createmap -> importsurvey -> transfer to a GeoPackage, all through the real qgis_process, with the
    connection in a pg_service file (no credentials on the command line)."""
    _, district = imported_district
    service = support.write_service_file(tmp_path / "pg_service.conf", "pipemap_test", postgis)
    env = dict(os.environ, PGSERVICEFILE=str(service))
    schema = support.unique_schema("qp") + '_管线"; x'
    text = f"service=pipemap_test schema='{schema}'"
    out = _qgis_process(repo_root, env, "pipemap:createmap", "--json", "--", f"OUTPUT={text}", "CRS=EPSG:4547")
    assert out["results"]["SCHEMA_VERSION"] >= 2
    out = _qgis_process(repo_root, env, "pipemap:importsurvey", "--json", "--", f"POINTS={district.tables}",
                        f"MAP={text}")
    assert out["results"]["COMMITTED"] and out["results"]["SEGMENTS_WRITTEN"] == 604
    back = tmp_path / "back.gpkg"
    out = _qgis_process(repo_root, env, "pipemap:transfer", "--json", "--", f"INPUT={text}", f"OUTPUT={back}")
    assert out["results"]["SEGMENTS"] == 604
    assert support.read_gpkg(back)["pipe_segment"].__len__() == 604
    con = support.connect(postgis)
    with con.cursor() as cur:
        cur.execute("SELECT count(*) FROM pg_namespace WHERE nspname = %s", (schema,))
        assert cur.fetchone() == (1,)
    con.close()


def test_layers_to_load_have_no_password(provider_only, postgis):
    """The layers createmap asks QGIS to load open through the postgres provider, and a password given in
    the MAP string is in neither the outputs nor the layer sources (which a project would store)."""
    from qgis import processing
    from qgis.core import (
        QgsProcessingContext,
        QgsProcessingFeedback,
        QgsProcessingUtils,
        QgsProject,
        QgsWkbTypes,
    )

    schema = support.unique_schema("load")
    text = support.map_string(dict(postgis, password="pl41n-t3xt"), schema)
    assert "pl41n-t3xt" in text
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    result = processing.run("pipemap:createmap", {"OUTPUT": text, "CRS": "EPSG:4547"}, context=context,
                            feedback=QgsProcessingFeedback())
    assert "pl41n" not in str(result)
    sources = list(context.layersToLoadOnCompletion())
    assert len(sources) == 2
    kinds = set()
    for source in sources:
        assert "pl41n" not in source
        layer = QgsProcessingUtils.mapLayerFromString(source, context)
        assert layer is not None and layer.isValid() and layer.providerType() == "postgres"
        assert "pl41n" not in layer.source()
        kinds.add(layer.wkbType())
    assert kinds == {QgsWkbTypes.LineStringZ, QgsWkbTypes.PointZ}


def test_map_parameters_accept_postgis_strings(provider_only):
    from qgis.core import QgsApplication, QgsProcessingContext

    from pipemap.processing.pgmap import map_destination

    alg = QgsApplication.processingRegistry().createAlgorithmById("pipemap:transfer")
    context = QgsProcessingContext()
    assert alg.parameterDefinition("INPUT").checkValueIsAcceptable("service=city schema=pipes")
    assert alg.parameterDefinition("OUTPUT").checkValueIsAcceptable("service=city schema=pipes")
    assert alg.parameterDefinition("INPUT").clone().checkValueIsAcceptable("service=city schema=pipes")
    # the Processing dialog adds .gpkg to a typed string without a dot; it is taken off again
    assert map_destination(alg, {"OUTPUT": "service=city schema=pipes.gpkg"}, "OUTPUT", context) == \
        "service=city schema=pipes"
    assert map_destination(alg, {"OUTPUT": "/tmp/x.gpkg"}, "OUTPUT", context) == "/tmp/x.gpkg"
