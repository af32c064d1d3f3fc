"""The one error type for input the user can fix: it names the file, the line and the reason."""

from __future__ import annotations


class InputError(Exception):
    """Bad input: printed as `FILE:LINE: reason` (or `FILE: reason` when no line applies)."""

    def __init__(self, file: str, reason: str, line: int | None = None) -> None:
        self.file = str(file)
        self.line = line
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is None:
            return f"{self.file}: {self.reason}"
        return f"{self.file}:{self.line}: {self.reason}"
