"""`make bench`: benchmarks, each measured against its baseline in the same run.

Figures go to stdout and to build/bench/results.json. Benchmarks are added
with the capabilities they measure (survey import, GPR reading/picking,
clash checks...).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench_createmap(out: Path, repeat: int = 5) -> dict:
    from pipemap.core import mapfile

    times = []
    for i in range(repeat):
        target = out / f"bench_{i}.gpkg"
        t0 = time.perf_counter()
        mapfile.create_map(target, "EPSG:4547", overwrite=True)
        times.append(time.perf_counter() - t0)
        target.unlink()
    return {"name": "createmap", "median_s": statistics.median(times), "runs": repeat}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "build" / "bench"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from _bootstrap import use_checkout

    use_checkout()

    results = [bench_createmap(out)]
    for r in results:
        print(f"{r['name']:12s} median {r['median_s'] * 1000:.0f} ms over {r['runs']} runs")
    (out / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
