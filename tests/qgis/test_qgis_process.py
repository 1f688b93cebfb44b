"""The real qgis_process, through scripts/qgis_process.sh and from a zip."""

from __future__ import annotations

import json
import os
import subprocess
import zipfile
from pathlib import Path

import pytest

from pipemap.core import schema

pytestmark = [pytest.mark.qgis, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "qgis_process.sh"


def qgis_process(*args, cwd=None, env=None, timeout=180):
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, cwd=cwd, env=env,
                          timeout=timeout)


def test_list_shows_the_provider(tmp_path):
    proc = qgis_process("list", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "pipemap:createmap" in proc.stdout


def test_createmap_from_any_directory(tmp_path):
    target = tmp_path / "m.gpkg"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    proc = qgis_process("run", "pipemap:createmap", "--json", "--", f"OUTPUT={target}", "CRS=EPSG:4547",
                        cwd=elsewhere)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    payload = json.loads(proc.stdout[proc.stdout.index("{"):])
    assert payload["results"]["OUTPUT"] == str(target)
    assert payload["results"]["SCHEMA_VERSION"] == schema.SCHEMA_VERSION

    from osgeo import ogr

    ds = ogr.Open(str(target))
    try:
        seg = ds.GetLayerByName("pipe_segment")
        assert ogr.GT_HasZ(seg.GetGeomType())
        assert seg.GetSpatialRef().GetAuthorityCode(None) == "4547"
        assert ds.GetLayerByName("code_category").GetFeatureCount() == 8
    finally:
        ds = None


def test_bad_input_gives_a_message_not_a_traceback(tmp_path):
    target = tmp_path / "m.gpkg"
    target.write_bytes(b"keep")
    proc = qgis_process("run", "pipemap:createmap", "--", f"OUTPUT={target}", "CRS=EPSG:4547")
    assert proc.returncode != 0
    assert "already exists" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert target.read_bytes() == b"keep"

    bad = tmp_path / "bad.gpkg"
    proc = qgis_process("run", "pipemap:createmap", "--", f"OUTPUT={bad}", "CRS=EPSG:999999")
    assert proc.returncode != 0
    assert "coordinate reference system" in (proc.stdout + proc.stderr).lower()
    assert "Traceback" not in proc.stdout + proc.stderr
    assert not bad.exists()


def test_packaged_zip_installs_into_a_scratch_profile(tmp_path):
    """make package builds a zip whose pipemap/ folder QGIS loads."""
    build = subprocess.run(["make", "--no-print-directory", "package"], cwd=ROOT, capture_output=True,
                           text=True, timeout=300)
    assert build.returncode == 0, build.stdout + build.stderr
    zpath = ROOT / "build" / "pipemap.zip"
    with zipfile.ZipFile(zpath) as zf:
        names = zf.namelist()
        assert all(n.startswith("pipemap/") for n in names)
        assert "pipemap/metadata.txt" in names and "pipemap/__init__.py" in names
        assert "pipemap/i18n/pipemap_zh_CN.qm" in names
        assert "pipemap/core/gpr/kernel/libpipemap_kernel.so" in names, "the zip must carry the built kernel"
        assert not any(n.startswith("pipemap/tests/") for n in names)
        assert not any("__pycache__" in n for n in names)
        config = tmp_path / "config"
        plugins = config / "profiles" / "default" / "python" / "plugins"
        plugins.mkdir(parents=True)
        zf.extractall(plugins)
    ini = config / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    ini.parent.mkdir(parents=True)
    ini.write_text("[PythonPlugins]\npipemap=true\n", encoding="utf-8")
    env = dict(os.environ)
    env.pop("QGIS_PLUGINPATH", None)
    env["QGIS_CUSTOM_CONFIG_PATH"] = str(config)
    env["QT_QPA_PLATFORM"] = "offscreen"
    exe = "/usr/bin/qgis_process.bin" if Path("/usr/bin/qgis_process.bin").exists() else "qgis_process"
    proc = subprocess.run([exe, "list"], capture_output=True, text=True, env=env, timeout=180)
    assert "pipemap:createmap" in proc.stdout, proc.stdout[-2000:] + proc.stderr[-2000:]
    target = tmp_path / "from-zip.gpkg"
    proc = subprocess.run([exe, "run", "pipemap:createmap", "--", f"OUTPUT={target}", "CRS=EPSG:4490"],
                          capture_output=True, text=True, env=env, timeout=180)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert target.is_file()
