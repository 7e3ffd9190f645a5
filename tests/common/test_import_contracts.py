"""The layers of DESIGN.md, checked by import-linter with the contracts in pyproject.toml: an
upward import (a lower app importing a higher one) fails the test run as it fails CI."""

import json
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(*config_files: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LINT_IMPORTS, "--no-cache", "--no-logo", *map(str, config_files)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def config_toml(config: dict) -> str:
    """`[tool.importlinter]` as TOML (strings and lists of strings are written as JSON is)."""
    lines = ["[tool.importlinter]"]
    lines += [f"{key} = {json.dumps(value)}" for key, value in config.items() if key != "contracts"]
    for contract in config["contracts"]:
        lines.append("[[tool.importlinter.contracts]]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in contract.items()]
    return "\n".join(lines) + "\n"


def test_import_contracts_kept():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 1 kept, 0 broken." in result.stdout


def test_import_contracts_fail_on_an_upward_import(tmp_path):
    # Positive control: without its listed exceptions the layers contract finds the upward
    # imports the tree still has, so the check really runs over the apps.
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
    for contract in config["contracts"]:
        contract.pop("ignore_imports", None)
    path = tmp_path / "pyproject.toml"
    path.write_text(config_toml(config))
    result = lint_imports(path)
    assert result.returncode == 1
    assert "Contracts: 0 kept, 1 broken." in result.stdout
    assert "workshops.demo -> agents.models" in result.stdout
