"""The layers of docs/architecture.md, held by import-linter's contracts in pyproject.toml: the
core imports no feature app, content apps sit on groups, cross-cutting apps reach content apps
only through registries, nothing names a search backend or imports the demo, and no app has an
import circle."""

import subprocess
import sys
import tomllib
from pathlib import Path

from tests.helpers import repository_packages

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(*arguments):
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_layers_hold():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_every_package_of_the_repository_is_under_contract():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    roots = set(config["tool"]["importlinter"]["root_packages"])
    missing = sorted(repository_packages() - roots)
    assert not missing, f"add {missing} to [tool.importlinter] root_packages and its contracts"


def test_a_broken_layer_is_reported(tmp_path):
    """The check can fail: groups does import the core, so forbidding that breaks."""
    config = tmp_path / "contracts.toml"
    config.write_text(
        "[tool.importlinter]\n"
        'root_packages = ["meent", "groups"]\n'
        "[[tool.importlinter.contracts]]\n"
        'name = "groups without the core"\n'
        'type = "forbidden"\n'
        'source_modules = ["groups"]\n'
        'forbidden_modules = ["meent.access"]\n'
    )
    result = lint_imports(str(config))
    assert result.returncode != 0
    assert "groups without the core BROKEN" in result.stdout
