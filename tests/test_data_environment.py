"""environment.yml (conda) lists the same Python dependencies as pyproject.toml."""

from __future__ import annotations

import tomllib

import yaml
from packaging.requirements import Requirement

from analysis.data.paths import REPO


def normalised(specs) -> dict[str, str]:
    """name -> specifier set, names normalised the PyPI way (case, - _ .)."""
    out = {}
    for spec in specs:
        req = Requirement(spec)
        out[req.name.lower().replace("_", "-").replace(".", "-")] = str(req.specifier)
    return out


def pyproject_requirements() -> dict[str, str]:
    """`dependencies` + the `test` extra of pyproject.toml."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    return normalised(project["dependencies"] + project["optional-dependencies"]["test"])


def environment() -> dict:
    """environment.yml as a dict."""
    return yaml.safe_load((REPO / "environment.yml").read_text())


def test_environment_pip_section_matches_pyproject():
    deps = environment()["dependencies"]
    pip = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    assert normalised(pip) == pyproject_requirements()


def test_environment_is_conda_forge_with_python_and_quarto():
    env = environment()
    assert env["channels"] == ["conda-forge"]
    conda = {Requirement(d).name: str(Requirement(d).specifier) for d in env["dependencies"] if isinstance(d, str)}
    assert conda["python"] == ">=3.11"
    assert tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"] == ">=3.11"
    assert conda["quarto"] == ">=1.8"  # QUARTO_EXECUTE_INFO (format-aware charts) arrived in 1.8
    assert "pip" in conda
