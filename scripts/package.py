"""Build the plugin zip that QGIS's "Install from ZIP" accepts.

The zip holds one folder, ``pipemap/``, with the runtime files of the
checkout (git-tracked and new, not ignored), without tests and developer
tooling, plus the built translations (.qm) and native kernel (.so).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNTIME_TOP = ("metadata.txt", "__init__.py", "LICENSE", "README.md", "requirements.txt")
RUNTIME_DIRS = ("core", "processing", "plugin", "resources", "i18n", "docs")
BUILT = ("*.qm", "*.so")


def runtime_files() -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT, capture_output=True, check=True,
    ).stdout.decode("utf-8").split("\0")
    files = {ROOT / p for p in out if p and (ROOT / p).is_file()}
    for pattern in BUILT:  # built artefacts are git-ignored
        files |= {p for d in RUNTIME_DIRS for p in (ROOT / d).rglob(pattern)}
    keep = []
    for path in sorted(files):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in RUNTIME_DIRS or str(rel) in RUNTIME_TOP:
            if "__pycache__" in rel.parts or rel.suffix == ".pyc":
                continue
            keep.append(path)
    return keep


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", default=str(ROOT / "build" / "pipemap.zip"))
    args = parser.parse_args()
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    files = runtime_files()
    if not any(p.suffix == ".qm" for p in files):
        print("package: no compiled translation (.qm); run `make qm` first", file=sys.stderr)
        return 1
    tmp = out.with_suffix(".zip.part")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for path in files:
            zf.write(path, "pipemap/" + str(path.relative_to(ROOT)))
    tmp.replace(out)
    print(f"package: {out} ({out.stat().st_size / 1024:.0f} KiB, {len(files)} files)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
