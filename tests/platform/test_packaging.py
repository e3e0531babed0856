"""A built wheel holds every app of the project: `pyproject.toml`'s package list names each
top-level package that INSTALLED_APPS loads from this repository (moderation was once missing)."""

import fnmatch
import tomllib
from pathlib import Path

from tests.helpers import repository_packages

ROOT = Path(__file__).resolve().parents[2]


def test_every_app_of_the_repository_is_packaged():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    patterns = config["tool"]["setuptools"]["packages"]["find"]["include"]
    ours = repository_packages()
    assert ours >= {"config", "meent", "accounts", "groups", "blog", "moderation"}
    missing = sorted(name for name in ours if not any(fnmatch.fnmatch(name, p) for p in patterns))
    assert not missing, f"add {missing} to [tool.setuptools.packages.find] include"


def test_the_projects_own_publiccode_yml_passes_the_toolboxs_validator():
    from toolbox.publiccode.schema import validate_text

    report = validate_text((ROOT / "publiccode.yml").read_bytes())
    assert report.is_valid, [f"{problem.path}: {problem.message}" for problem in report.errors]
