"""A read-only target (issue 10, point 3).

Every writer is pointed at a read-only folder holding a map: it must refuse
with a PipeMapError (no traceback), leave the folder exactly as it was, and
reading the map there must still work. The folder is made read-only with
``chmod``; when the tests run as root (root ignores file modes) the child
process runs in its own mount namespace with the folder bind-mounted
read-only (``unshare -m``). Without that privilege the root variant is
skipped, with the reason.

The writers: create/overwrite a map, import survey tables, upgrade, GPR
import and map record, the import report, a share package in every export
format as a ``.zip`` and as a folder, replacing an existing package (beside a
stale temporary of it that cannot be removed there), a hydraulic model import
and a GIS layer import. Each refusal names a file in the folder.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from pathlib import Path
from typing import Any

import pytest

CHILD = r'''
import json, sys, traceback
from pathlib import Path
from pipemap.core.errors import PipeMapError

ro, fixtures = Path(sys.argv[1]), json.loads(sys.argv[2])


def attempt(name, fn, expect_refusal=True, output=None):
    rec = {"op": name, "output": str(output or ro)}
    try:
        fn()
        rec["outcome"] = "ok"
    except PipeMapError as exc:
        rec["outcome"], rec["code"], rec["message"] = "refused", exc.code, str(exc)
    except BaseException as exc:
        rec["outcome"], rec["error"] = "unexpected", "".join(traceback.format_exception(exc))[-3000:]
    rec["expect_refusal"] = expect_refusal
    print(json.dumps(rec), flush=True)


from pipemap.core import mapfile
from pipemap.core.gpr import survey
from pipemap.core.survey import importer, report
from pipemap.core.survey.importer import ImportResult

attempt("createmap", lambda: mapfile.create_map(ro / "new.gpkg", "EPSG:4547"))
attempt("createmap_overwrite", lambda: mapfile.create_map(ro / "map.gpkg", "EPSG:4547", overwrite=True))
attempt("importsurvey", lambda: importer.import_survey(ro / "map.gpkg", fixtures["tables"]))
attempt("upgrade", lambda: mapfile.upgrade_map(ro / "v1.gpkg"))
attempt("gprimport", lambda: survey.import_gpr(fixtures["dzt"], image_path=ro / "line.png", segy_path=ro / "l.sgy"))
attempt("gpr_record", lambda: survey.import_gpr(fixtures["dzt"], map_path=ro / "map.gpkg", processing="none"))
attempt("report", lambda: report.write_html(ImportResult(), "map.gpkg", ro / "report.html"))
from pipemap.core.export import formats, model, package, profiles
import numpy as np
rows = [{"pick_id": f"line1:{i}", "survey_id": "line1", "kind": "hyperbola", "distance_m": 0.5 * i, "depth_m": 1.0,
         "t0_ns": 12.0, "velocity_m_ns": 0.1, "radius_m": 0.05, "confidence": 0.8, "category": "JS"} for i in range(30)]
picks = model.LayerData.from_rows("gpr_pick", model.PICK_FIELDS, rows,
                                  np.array([[537990.0 + i, 3379990.0 + 0.5 * i, 24.0] for i in range(30)]))
data = model.read_map(fixtures["district_map"], profiles.load_profile("full"), extent=tuple(fixtures["extent"]),
                      picks=picks)
for key in formats.KEYS:
    for out in (ro / "share.zip", ro / "share"):
        attempt(f"export.{key}.{'zip' if out.suffix else 'dir'}", lambda: package.export_package(data, [key], out),
                output=out)
# replacing a package there (and the stale temporary beside it cannot be removed: it is left alone)
for out in (ro / "old.zip", ro / "old"):
    attempt(f"export_overwrite.{'zip' if out.suffix else 'dir'}",
            lambda: package.export_package(data, ["gpkg"], out, overwrite=True), output=out)
from pipemap.core.models import importer as model_importer, layers
attempt("importmodel", lambda: model_importer.import_model(ro / "local.gpkg", fixtures["net3"]))
attempt("importlayers", lambda: layers.import_layers(ro / "map3067.gpkg", fixtures["osm"], mapping="osm"))
attempt("read_metadata", lambda: mapfile.read_metadata(ro / "map.gpkg"), expect_refusal=False)
attempt("read_map_info", lambda: mapfile.read_map_info(ro / "map.gpkg"), expect_refusal=False)
'''


#: a corner of the sample district (every export stays quick)
EXTENT = (537960.0, 3379960.0, 538152.0, 3380152.0)
NETWORKS = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "networks"


def _network(harness: Any, rel: str, folder: Path) -> Path:
    """A copy of a shared real network file (the shared folder is read-only)."""
    src = NETWORKS / rel
    if not src.is_file():
        pytest.skip(f"the shared network file {rel} is not available")
    return harness.copy(src, folder)


def _can_unshare() -> tuple[bool, str]:
    if shutil.which("unshare") is None:
        return False, "the unshare command is missing"
    done = subprocess.run(["unshare", "-m", "true"], capture_output=True, text=True)
    if done.returncode != 0:
        return False, f"no mount namespace for a read-only bind mount ({done.stderr.strip()})"
    return True, ""


@pytest.fixture
def ro_folder(harness: Any, tmp_path: Path, empty_map: Path, sample_map: tuple[Path, Any]) -> Path:
    import sqlite3

    from pipemap.core import mapfile
    from pipemap.core.export import model, package, profiles

    folder = tmp_path / "readonly"
    folder.mkdir()
    harness.copy(empty_map, folder, "map.gpkg")
    mapfile.create_map(folder / "local.gpkg", 'LOCAL_CS["local grid",UNIT["metre",1]]')
    mapfile.create_map(folder / "map3067.gpkg", "EPSG:3067")
    data = model.read_map(sample_map[0], profiles.load_profile("full"), extent=EXTENT)
    for name in ("old.zip", "old"):
        package.export_package(data, ["epanet"], folder / name)
    stale = folder / ".old.zip.part-abcd1234"  # as a killed export leaves it, long ago
    stale.mkdir()
    (stale / "manifest.json").write_text("{}", encoding="utf-8")
    for p in (stale / "manifest.json", stale):
        os.utime(p, (0, 0))
    v1 = harness.copy(empty_map, folder, "v1.gpkg")
    con = sqlite3.connect(v1)
    with con:
        con.execute("UPDATE pipemap_metadata SET value = '1' WHERE key = 'schema_version'")
    con.close()
    return folder


def test_read_only_target(harness: Any, ro_folder: Path, sample_map: tuple[Path, Any], tmp_path: Path) -> None:
    map_path, district = sample_map
    dzt = harness.copy(harness.real("dzt/rgpr_gprdata_cube/FILE____001.DZT"), tmp_path)
    fixtures = {"tables": str(district.tables), "dzt": str(dzt), "district_map": str(map_path), "extent": EXTENT,
                "net3": str(_network(harness, "epanet_net3/Net3.inp", tmp_path)),
                "osm": str(_network(harness, "osm_helsinki_utilities_fi/helsinki_osm_utilities.gpkg", tmp_path))}
    before = harness.tree_state(ro_folder)
    wrap: list[str] | None = None
    if os.geteuid() == 0:
        ok, why = _can_unshare()
        if not ok:
            pytest.skip(f"running as root, where chmod does not stop writes, and {why}")
        d = str(ro_folder)
        wrap = ["unshare", "-m", "sh", "-c", f'mount --bind "{d}" "{d}" && mount -o remount,bind,ro "{d}" "{d}" '
                '&& exec "$@"', "--"]
        modes = None
    else:
        modes = {p: p.stat().st_mode for p in [ro_folder, *ro_folder.iterdir()]}
        for p in modes:
            p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))
    try:
        done = harness.run_python(CHILD, args=[str(ro_folder), json.dumps(fixtures)], wrap=wrap, timeout=300)
    finally:
        for p, mode in (modes or {}).items():
            p.chmod(mode)
    records = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert len(records) == 33, f"the child stopped early: {done.stderr[-3000:]}"
    for rec in records:
        assert rec["outcome"] != "unexpected", f"{rec['op']} into a read-only folder: {rec['error']}"
        if rec["expect_refusal"]:
            assert rec["outcome"] == "refused", f"{rec['op']} wrote into a read-only folder"
            assert "\n" not in rec["message"].strip()
            assert rec["output"] in rec["message"], f"{rec['op']}: the refusal does not name {rec['output']}: " \
                f"{rec['message']}"
        else:
            assert rec["outcome"] == "ok", f"{rec['op']} of a read-only map failed: {rec.get('message')}"
    assert harness.tree_state(ro_folder) == before, "the read-only folder changed"
    harness.record_faults("readonly", sum(r["expect_refusal"] for r in records),
                          refused=sum(r["outcome"] == "refused" for r in records),
                          mechanism="read-only bind mount" if wrap else "chmod", lost=0,
                          codes={r["op"]: r.get("code", "") for r in records})
