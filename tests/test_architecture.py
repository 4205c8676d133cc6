"""The layout shows the architecture and stays that way (docs/architecture.md): the
import-linter contracts in pyproject.toml hold, every module says what it owns, and no module
grows past the size a reader takes in at once."""

from __future__ import annotations

import ast
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "sim"
MAX_LINES = 400


def test_import_contracts_hold(capsys):
    lint_imports = pytest.importorskip("importlinter.cli").lint_imports
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        code = lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True, no_logo=True)
    finally:
        os.chdir(here)
    report = capsys.readouterr().out
    assert code == 0, report
    assert "0 broken" in report


@pytest.mark.parametrize("path", sorted(PACKAGE.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_each_module_is_small_and_says_what_it_owns(path):
    text = path.read_text(encoding="utf-8")
    lines = text.count("\n")
    assert lines <= MAX_LINES, f"{path.name} has {lines} lines; split it (at most {MAX_LINES})"
    doc = ast.get_docstring(ast.parse(text))
    assert doc and len(doc.split()) >= 8, f"{path.name} needs a docstring saying what it owns"


def test_the_public_api_stays():
    import sim

    for name in ("load_scenario", "CommunityModel", "run_scenario", "simulate", "RunResult", "Scenario",
                 "ScenarioError", "load_experiment", "run_experiment"):
        assert hasattr(sim, name), name
