"""A reduced run of the validation suite (`community-sim check-model`): few replicates, the
checks whose effects are large enough to show at that size."""

from __future__ import annotations

import csv

from helpers import SCENARIOS
from sim.cli import main
from sim.validation import run_checks
from sim.validation.checks import check_bimodal


def test_reduced_validation_checks_pass():
    checks = run_checks(SCENARIOS, replicates=4, jobs=2, only=["gatekeeping", "marketing"])
    assert [c.name for c in checks] == ["harsh gatekeeping of newcomers",
                                        "marketing-driven growth fades; word of mouth sustains"]
    for c in checks:
        assert c.passed, (c.name, c.measured)


def test_bimodality_check_reads_lifespans():
    short_and_long = {"a": [{"lifespan": d} for d in (30, 40, 60, 700, 730, 730)]}
    spread = {"a": [{"lifespan": d} for d in (100, 200, 300, 400, 500, 600)]}
    assert check_bimodal(short_and_long).passed
    assert not check_bimodal(spread).passed


def test_check_model_cli_writes_table_and_plots(tmp_path, capsys):
    out = tmp_path / "v"
    assert main(["check-model", "--replicates", "2", "--jobs", "2", "--only", "sheep", "--out", str(out)]) == 2
    assert "unknown checks" in capsys.readouterr().err
    assert main(["check-model", "--replicates", "2", "--jobs", "2", "--only", "moderation", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "moderation" in printed and "expected:" in printed
    with open(out / "validation.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert rows[0]["check"].startswith("moderation") and rows[0]["result"] in ("pass", "FAIL")
    assert (out / "validation.md").read_text().startswith("| check |")
