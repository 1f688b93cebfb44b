"""A read-only target (issue 10, point 3).

Every writer is pointed at a read-only folder holding a map: it must refuse
with a PipeMapError (no traceback), leave the folder exactly as it was, and
reading the map there must still work. The folder is made read-only with
``chmod``; when the tests run as root (root ignores file modes) the child
process runs in its own mount namespace with the folder bind-mounted
read-only (``unshare -m``). Without that privilege the root variant is
skipped, with the reason.
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


def attempt(name, fn, expect_refusal=True):
    rec = {"op": name}
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
def export():
    from pipemap.core.export import model, package, profiles
    data = model.read_map(fixtures["district_map"], profiles.load_profile("full"))
    package.export_package(data, ["gpkg"], ro / "share.zip")
attempt("export", export)
attempt("read_metadata", lambda: mapfile.read_metadata(ro / "map.gpkg"), expect_refusal=False)
attempt("read_map_info", lambda: mapfile.read_map_info(ro / "map.gpkg"), expect_refusal=False)
'''


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

    folder = tmp_path / "readonly"
    folder.mkdir()
    harness.copy(empty_map, folder, "map.gpkg")
    v1 = harness.copy(empty_map, folder, "v1.gpkg")
    con = sqlite3.connect(v1)
    with con:
        con.execute("UPDATE pipemap_metadata SET value = '1' WHERE key = 'schema_version'")
    con.close()
    return folder


def test_read_only_target(harness: Any, ro_folder: Path, sample_map: tuple[Path, Any], tmp_path: Path) -> None:
    map_path, district = sample_map
    dzt = harness.copy(harness.real("dzt/rgpr_gprdata_cube/FILE____001.DZT"), tmp_path)
    fixtures = {"tables": str(district.tables), "dzt": str(dzt), "district_map": str(map_path)}
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
    assert len(records) == 10, f"the child stopped early: {done.stderr[-3000:]}"
    for rec in records:
        assert rec["outcome"] != "unexpected", f"{rec['op']} into a read-only folder: {rec['error']}"
        if rec["expect_refusal"]:
            assert rec["outcome"] == "refused", f"{rec['op']} wrote into a read-only folder"
            assert "\n" not in rec["message"].strip()
        else:
            assert rec["outcome"] == "ok", f"{rec['op']} of a read-only map failed: {rec.get('message')}"
    assert harness.tree_state(ro_folder) == before, "the read-only folder changed"
    harness.record_faults("readonly", sum(r["expect_refusal"] for r in records),
                          refused=sum(r["outcome"] == "refused" for r in records),
                          mechanism="read-only bind mount" if wrap else "chmod", lost=0,
                          codes={r["op"]: r.get("code", "") for r in records})
