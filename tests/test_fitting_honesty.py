"""The fit and the forecast say how well they fit: credible intervals rounded to what they
support, the final population's effective sample size with a warning when it is small,
posterior predictive checks, epsilon per generation, held-out coverage, and the forecast's
reconstruction checked against the observed curve (with the observed recent level stated).

Thresholds written before the first run: ESS warning below max(10, population / 4); the
reconstruction warning when more than 10% of the log's days fall outside its 90% band."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import shutil

import numpy as np
import pytest

pytest.importorskip("pyabc")

from test_fitting import write_log  # noqa: E402

from sim.cli import main  # noqa: E402
from sim.fitting.quality import (  # noqa: E402
    effective_sample_size,
    epsilon_warning,
    ess_warning,
    estimate_text,
    predictive_checks,
    reconstruction_check,
)

TINY = ["--population", "6", "--generations", "2", "--seed", "5"]


def test_effective_sample_size_and_its_warning():
    assert effective_sample_size(np.full(20, 1 / 20)) == pytest.approx(20)
    skewed = np.array([0.49] + [0.51 / 19] * 19)
    ess = effective_sample_size(skewed)
    assert 3 < ess < 5
    assert ess_warning(ess, 20) is not None and "effective" in ess_warning(ess, 20)
    assert ess_warning(20.0, 20) is None
    assert ess_warning(12.0, 80) is not None  # under a quarter of the particles carry the weight


def test_estimates_are_rounded_to_what_their_interval_supports():
    wide = estimate_text(0.29345, 0.0712, 0.7105)
    narrow = estimate_text(0.29345, 0.2901, 0.2969)
    assert "0.07" in wide and "0.71" in wide and "0.2934" not in wide
    assert len(narrow.split()[0]) > len(wide.split()[0])  # more digits where the interval is narrow
    assert estimate_text(14, 9, 31, integer=True).split()[0] == "14"


def test_predictive_checks_count_observed_inside_the_simulated_range():
    rng = np.random.default_rng(1)
    predictive = [{"a": float(x), "b": float(y)} for x, y in zip(rng.normal(0, 1, 200), rng.normal(5, 1, 200))]
    checks = predictive_checks({"a": 0.1, "b": 0.0}, predictive, np.full(200, 1 / 200))
    inside = {c["statistic"]: c["inside"] for c in checks}
    assert inside == {"a": True, "b": False}


def test_epsilon_that_did_not_decrease_is_warned():
    assert epsilon_warning([4.20, 9.47]) is not None
    assert epsilon_warning([9.0, 4.0, 2.0]) is None
    assert epsilon_warning([3.0]) is None


def test_a_reconstruction_above_the_observed_curve_is_warned():
    day = np.arange(100)
    bands = {"day": day, "p05": np.full(100, 1.0), "p95": np.full(100, 3.0), "median": np.full(100, 2.0)}
    inside = reconstruction_check(np.full(100, 2.0), bands, today=100)
    assert inside["outside_share"] == 0 and inside["warning"] is None
    dead = np.concatenate([np.full(60, 2.0), np.full(40, 0.1)])  # a room that died on day 60
    check = reconstruction_check(dead, bands, today=100)
    assert check["above_share"] == pytest.approx(0.4)
    assert "inherits" in check["warning"] and "above" in check["warning"]


@pytest.fixture(scope="module")
def held_out_fit(tmp_path_factory):
    """A tiny fit on the first 40 days of a 60-day room: (stdout, fit folder)."""
    root = tmp_path_factory.mktemp("honest")
    log = root / "room.csv"
    write_log(log, founders=12)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["fit", str(log), "--first-days", "40", "--out", str(root / "fit"), *TINY]) == 0
    return out.getvalue(), root / "fit"


def test_fit_states_intervals_ess_predictive_checks_and_epsilons(held_out_fit):
    printed, folder = held_out_fit
    quality = json.loads((folder / "fit_quality.json").read_text())
    assert len(quality["estimates"]) == 6
    for path, e in quality["estimates"].items():
        assert e["p05"] <= e["median"] <= e["p95"], path
        assert path in printed
    assert printed.count("90% credible interval") >= 6
    assert f"{quality['effective_sample_size']:.1f}" in printed and "effective sample size" in printed
    checks = quality["predictive_checks"]
    assert quality["inside"] == sum(bool(c["inside"]) for c in checks) and quality["checked"] == len(checks) == 14
    assert f"{quality['inside']} of {quality['checked']}" in printed
    assert len(quality["epsilons"]) == 2 and "epsilon" in printed
    held = quality["held_out_days"]  # the log's days after day 40 (its last message is on day 58 or 59)
    assert held in (19, 20) and "held out" in printed and f"--days {held}" in printed


def test_forecast_states_the_recent_level_and_held_out_coverage(held_out_fit, tmp_path, capsys):
    _, folder = held_out_fit
    held = json.loads((folder / "fit_quality.json").read_text())["held_out_days"]
    assert main(["forecast", str(folder), "--days", str(held), "--draws", "6", "--seed", "2",
                 "--out", str(tmp_path / "f")]) == 0
    printed = capsys.readouterr().out
    summary = json.loads((tmp_path / "f" / "forecast.json").read_text())
    assert "last 14 days" in printed and "last 30 days" in printed
    assert f"{summary['observed_recent']['last_14_days']:.2f}" in printed
    assert 0 <= summary["held_out"]["coverage_90"] <= 1 and summary["held_out"]["days"] == held
    assert f"{summary['held_out']['coverage_90']:.0%}" in printed
    assert 0 <= summary["reconstruction"]["outside_share"] <= 1


def test_forecast_of_a_room_that_died_warns_that_it_inherits_the_bias(held_out_fit, tmp_path, capsys):
    _, folder = held_out_fit
    dead = tmp_path / "dead"
    shutil.copytree(folder, dead)
    rows = list(csv.DictReader((dead / "observed_daily.csv").read_text().splitlines()))
    for r in rows[10:]:
        r["active_authors"] = "0"  # nobody wrote after day 10
    with open(dead / "observed_daily.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    assert main(["forecast", str(dead), "--days", "10", "--draws", "6", "--seed", "2",
                 "--out", str(tmp_path / "f")]) == 0
    printed = capsys.readouterr().out
    assert "last 14 days 0.00" in printed
    assert "warning" in printed and "inherits" in printed
    assert json.loads((tmp_path / "f" / "forecast.json").read_text())["reconstruction"]["warning"]


def test_fit_and_forecast_folders_hold_only_files_the_tool_owns(held_out_fit, tmp_path):
    """``--force`` may replace them: every file they write is one ``sim.run.ownership`` knows
    (the fit's quality and held-out files were new, and a fit folder holding them was refused)."""
    from sim.cli import main
    from sim.run.ownership import foreign_paths

    _, folder = held_out_fit
    assert foreign_paths(folder) == []
    forecast = tmp_path / "forecast"
    assert main(["forecast", str(folder), "--days", "5", "--out", str(forecast)]) == 0
    assert foreign_paths(forecast) == []
