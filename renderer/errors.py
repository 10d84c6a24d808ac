"""The renderer's exceptions: every failure the user can act on names a file and a line."""

from __future__ import annotations


class RenderError(Exception):
    """A render failed; `str()` is the message for the user (file, cell or line, cause)."""


class UnsupportedSyntaxError(RenderError):
    """Quarto syntax outside the supported subset: refused so the two engines never differ."""

    def __init__(self, path, line: int | None, message: str):
        self.path, self.line, self.detail = str(path), line, message
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {message} (not supported by this renderer; see renderer/README.md)")
