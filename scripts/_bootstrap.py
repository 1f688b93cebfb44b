"""Make the checkout importable as the package ``pipemap`` for scripts.

The repo root is the plugin package and must never be on sys.path itself
(its processing/ would shadow QGIS's); a temporary folder with a
``pipemap`` symlink to the root is put first on sys.path instead.
"""

from __future__ import annotations

import atexit
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def use_checkout() -> Path:
    """Put the checkout on sys.path as ``pipemap``; returns the repo root."""
    if not any((Path(p) / "pipemap").resolve() == ROOT for p in sys.path if p):
        link_dir = Path(tempfile.mkdtemp(prefix="pipemap-"))
        (link_dir / "pipemap").symlink_to(ROOT)
        sys.path.insert(0, str(link_dir))
        atexit.register(shutil.rmtree, link_dir, True)
    return ROOT
