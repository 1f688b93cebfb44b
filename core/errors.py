"""Coded exceptions for PipeMap's domain logic.

Core never translates: an error carries a stable ``code``, an English
message template and its parameters. The Processing layer and the GUI turn
them into user-facing (and translated) text. ``str(error)`` is always a
complete English sentence naming the file or field concerned.
"""

from __future__ import annotations

from typing import Any


class PipeMapError(Exception):
    """Base class for every error PipeMap raises on purpose.

    :param code: stable machine-readable identifier, e.g. ``"map.exists"``.
    :param template: English message with ``{name}`` placeholders.
    :param params: values for the placeholders (file names, field names...).
    """

    code = "error"

    def __init__(self, template: str, code: str | None = None, **params: Any) -> None:
        self.template = template
        if code is not None:
            self.code = code
        self.params = params
        super().__init__(self.message)

    @property
    def message(self) -> str:
        try:
            return self.template.format(**self.params)
        except (KeyError, IndexError, ValueError):
            return self.template


class InputError(PipeMapError):
    """The user's input (a file, a parameter, a table) is unusable."""

    code = "input"


class OutputError(PipeMapError):
    """An output cannot be written (exists, unwritable, disk full...)."""

    code = "output"


class SchemaError(PipeMapError):
    """A map does not have the structure PipeMap expects."""

    code = "schema"


class CancelledError(PipeMapError):
    """The user cancelled a long-running job; nothing was written."""

    code = "cancelled"

    def __init__(self, template: str = "Cancelled by the user; nothing was written.", **params: Any) -> None:
        super().__init__(template, **params)
