"""Errors the command line reports as one line ``file:line: message``."""

from __future__ import annotations


class EditionError(Exception):
    """Base of the errors the edition reports to its users without a traceback."""


class InputError(EditionError):
    """A file the edition cannot read: encoding, syntax, structure."""

    def __init__(self, path: str, line: int, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.line = line
        self.message = message

    def __str__(self) -> str:
        """``file:line: message``; ``file: message`` when no line applies (line 0)."""
        where = f"{self.path}:{self.line}" if self.line > 0 else self.path
        return f"{where}: {self.message}"


class ContentError(EditionError):
    """The input was read but the result is invalid (exit code 1)."""
