"""Test set-up: import the checkout as the package ``pipemap``.

The repo root is the plugin package and contains a ``processing`` folder that
would shadow QGIS's own ``processing`` module, so the root must never be on
sys.path. Instead a temporary folder with a ``pipemap`` symlink to the root is
put first on sys.path (see PLATFORM.md section 4).
"""

from __future__ import annotations

import atexit
import os
import shutil
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# 1. drop the repo root (and anything imported from it) from sys.path
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT]
for name, module in list(sys.modules.items()):
    file = getattr(module, "__file__", None) or ""
    if file and Path(file).resolve().is_relative_to(ROOT) and not name.startswith("pipemap"):
        if name.split(".")[0] in {"processing", "plugin", "core"}:
            del sys.modules[name]

# 2. a private folder with pipemap -> repo root, first on sys.path
_LINK_DIR = Path(tempfile.mkdtemp(prefix="pipemap-import-"))
(_LINK_DIR / "pipemap").symlink_to(ROOT)
sys.path.insert(0, str(_LINK_DIR))
atexit.register(shutil.rmtree, _LINK_DIR, True)

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def _load_helper(name: str, relative: str) -> None:
    """Make a helper module of the tests importable by ``name`` (under ``--import-mode=importlib`` test
    modules cannot import each other or a conftest): ``import pipemap_test_pgsupport as support``."""
    import importlib.util

    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).parent / relative)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)


_load_helper("pipemap_test_pgsupport", "pg/support.py")  # the throw-away PostgreSQL + PostGIS cluster
_load_helper("pipemap_test_workbench", "qgis/workbench_support.py")  # the workbench GUI tests' helpers


def _qgis_available() -> bool:
    try:
        import qgis.core  # noqa: F401
    except ImportError:
        return False
    return True


QGIS_AVAILABLE = _qgis_available()


def pytest_configure(config: pytest.Config) -> None:
    if IN_CI and not QGIS_AVAILABLE:
        raise pytest.UsageError("CI=true but QGIS cannot be imported: a missing QGIS is a failure in CI.")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if QGIS_AVAILABLE:
        return
    skip = pytest.mark.skip(reason="QGIS is not installed (run make setup)")
    for item in items:
        if "qgis" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """Folder for files a person may want to look at after the run."""
    path = Path(os.environ.get("PIPEMAP_TEST_OUTPUT", ROOT / "build" / "test-output"))
    path.mkdir(parents=True, exist_ok=True)
    return path


try:  # property-based fuzzing: a short fixed-seed run in the suite, long runs with `make fuzz`
    from hypothesis import settings as _hyp_settings

    _hyp_settings.register_profile("default", max_examples=200, deadline=None, derandomize=True)
    _hyp_settings.register_profile("long", max_examples=20000, deadline=None)
    _hyp_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))
except ImportError:  # pragma: no cover
    pass


@pytest.fixture(scope="session")
def imported_district(tmp_path_factory):
    """The sample district (clean tables) imported into a map, built once per run.

    Tests must only read the map; a test that changes it builds its own.
    :returns: (map path, SampleDistrict)
    """
    from pipemap.core import mapfile, sample_district
    from pipemap.core.survey import importer

    folder = tmp_path_factory.mktemp("district")
    district = sample_district.generate(folder, errors=False)
    target = folder / "map.gpkg"
    mapfile.create_map(target, "EPSG:4547")
    assert importer.import_survey(target, district.tables).committed
    return target, district


@pytest.fixture(autouse=True)
def _genuine_json_encoder():
    """cjio (an independent reader some tests use) replaces the standard library's JSON float
    encoder process-wide when it is imported, which would change what PipeMap's own JSON
    writers produce in later tests. PipeMap never imports cjio; the tests undo its patch."""
    import builtins
    import json.encoder

    try:
        from _json import make_encoder as c_make_encoder
    except ImportError:  # pragma: no cover - CPython always has it
        c_make_encoder = None

    def restore():
        json.encoder.c_make_encoder = c_make_encoder
        json.encoder.float = builtins.float

    restore()
    yield
    restore()
