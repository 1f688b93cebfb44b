"""`make demo`: the main job on the embedded GeoPackage default.

Creates an integrated map with the real qgis_process (through
scripts/qgis_process.sh) and prints what it contains. Results go to
build/demo/. Later capabilities add their steps here.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _import_pipemap():
    from _bootstrap import use_checkout

    use_checkout()
    import pipemap.core.mapfile as mapfile

    return mapfile


def qgis_process(*args: str) -> dict:
    proc = subprocess.run([str(ROOT / "scripts" / "qgis_process.sh"), *args], capture_output=True, text=True)
    if proc.returncode != 0:
        sys.stderr.write(proc.stdout[-3000:] + proc.stderr[-3000:])
        raise SystemExit(f"demo: qgis_process {' '.join(args[:2])} failed (exit {proc.returncode})")
    return json.loads(proc.stdout[proc.stdout.index("{"):])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "build" / "demo"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    mapfile = _import_pipemap()

    target = out / "pipemap_demo.gpkg"
    t0 = time.perf_counter()
    result = qgis_process("run", "pipemap:createmap", "--json", "--",
                          f"OUTPUT={target}", "CRS=EPSG:4547", "OVERWRITE=true")
    elapsed = time.perf_counter() - t0
    info = mapfile.read_map_info(result["results"]["OUTPUT"])

    print(f"PipeMap demo -- integrated map created with qgis_process in {elapsed:.1f} s")
    print(f"  map:            {info.path}")
    print(f"  CRS:            {info.metadata['crs_authid']} {info.metadata['crs_name']}")
    print(f"  height datum:   {info.metadata['height_datum']}")
    print(f"  schema version: {info.schema_version}")
    print("  layers and tables:")
    for name, layer in info.layers.items():
        geom = layer["geometry"] if layer["geometry"] != "None" else "table"
        print(f"    {name:22s} {geom:16s} {layer['count']:5d} rows")
    print("  CJJ 61 categories:")
    for cat in info.categories:
        print(f"    {cat['code']}  {cat['colour']}  {cat['name_zh']}  {cat['name_en']}")
    print(f"Open {info.path} in QGIS: both layers are styled by category.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
