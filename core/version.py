"""PipeMap's version, read from metadata.txt (the one place it is written)."""

from __future__ import annotations

import configparser
from pathlib import Path

_METADATA = Path(__file__).resolve().parent.parent / "metadata.txt"


def _read_version() -> str:
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(_METADATA, encoding="utf-8")
        return parser.get("general", "version")
    except (OSError, configparser.Error):
        return "0+unknown"


__version__ = _read_version()
