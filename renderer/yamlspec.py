"""Load YAML and refuse keys outside an allowed spec, reporting the key's file line.

Used for `_quarto.yml`, chapter front matter and `#|` cell options, so that an option this
renderer would silently ignore (and Quarto would honour) stops the render instead.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from renderer.errors import UnsupportedSyntaxError

ANY = object()  # spec marker: any value accepted at this key


def load_checked(text: str, spec: dict, path: Path | str, first_line: int = 1) -> dict:
    """Parse YAML `text`, check every mapping key against `spec`, return the plain data.

    `spec` maps allowed keys to a nested spec dict (for mappings) or ANY. `first_line` is the
    file line of the text's first line, so messages point at the right line of the file.
    """
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = first_line + mark.line if mark else first_line
        raise UnsupportedSyntaxError(path, line, f"invalid YAML: {getattr(err, 'problem', err)}") from None
    if node is None:
        return {}
    if not isinstance(node, yaml.MappingNode):
        raise UnsupportedSyntaxError(path, first_line, "expected a YAML mapping")
    _check(node, spec, path, first_line, prefix="")
    return data or {}


def _check(node: yaml.Node, spec: Any, path, first_line: int, prefix: str) -> None:
    """Recursively compare a composed mapping node with its spec."""
    if spec is ANY:
        return
    if not isinstance(node, yaml.MappingNode):
        raise UnsupportedSyntaxError(path, first_line + node.start_mark.line, f"'{prefix.rstrip('.')}' must be a mapping")
    for key_node, value_node in node.value:
        key = key_node.value
        if key not in spec:
            raise UnsupportedSyntaxError(
                path, first_line + key_node.start_mark.line, f"option '{prefix}{key}' is not supported"
            )
        _check(value_node, spec[key], path, first_line, f"{prefix}{key}.")
