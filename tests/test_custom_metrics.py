"""Custom metrics of an experiment file (issue 12 item 5): forms over timeseries columns give
the values computed by hand from each run's timeseries.csv, reach runs.csv and comparison.csv,
and a wrong form fails the file at load with one line naming file, field, given and allowed."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
import yaml

from sim.experiments import load_experiment, run_experiment
from sim.run.files import read_csv
from sim.scenario import ScenarioError

BASE = {"name": "tiny-base", "days": 60, "community": {"initial_members": 60, "managers": 1}}
ARMS = [{"name": "open", "overrides": {}},
        {"name": "fee", "overrides": {"strategy.entry.kind": "fee", "strategy.entry.level": 99}}]
CUSTOM = {"late_activity": {"mean": "active", "from_day": 40, "to_day": 60},
          "late_ad_share": {"share": "ad_posts", "of": "posts", "from_day": 20},
          "members_day_10": {"at_day": 10, "of": "members"},
          "final_payers_custom": {"last": "payers"}}


def write_experiment(folder: Path, **fields) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "base.yaml").write_text(yaml.safe_dump(BASE))
    data = {"name": "tiny", "base": "base.yaml", "replicates": 2, "seed": 11, "arms": ARMS,
            "metrics": ["mean_active", "late_activity", "late_ad_share"], "custom_metrics": CUSTOM, **fields}
    path = folder / "exp.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("custom")
    out = folder / "out"
    run_experiment(load_experiment(write_experiment(folder)), out=out, jobs=1, log=lambda msg: None)
    return out


def _rows(path: Path) -> list[dict]:
    with open(path, newline="") as fh:
        return list(csv.DictReader(fh))


def test_values_equal_those_computed_by_hand_from_each_runs_timeseries(finished):
    runs = _rows(finished / "runs.csv")
    assert len(runs) == 4
    for row in runs:
        ts = read_csv(finished / "runs" / row["run_id"] / "timeseries.csv")
        active, ads, posts = (np.asarray(ts[c], dtype=float) for c in ("active", "ad_posts", "posts"))
        assert float(row["late_activity"]) == pytest.approx(active[40:60].mean())
        share = ads[20:].sum() / posts[20:].sum() if posts[20:].sum() else None
        assert (row["late_ad_share"] == "") if share is None else float(row["late_ad_share"]) == pytest.approx(share)
        assert float(row["members_day_10"]) == pytest.approx(float(ts["members"][10]))
        assert float(row["final_payers_custom"]) == pytest.approx(float(ts["payers"][-1]))


def test_listed_custom_metrics_are_compared_with_intervals(finished):
    rows = {(r["arm"], r["metric"]): r for r in _rows(finished / "comparison.csv")}
    runs = [r for r in _rows(finished / "runs.csv") if r["arm"] == "fee"]
    fee = rows[("fee", "late_activity")]
    assert float(fee["value"]) == pytest.approx(np.mean([float(r["late_activity"]) for r in runs]))
    assert fee["value_low"] != "" and fee["value_high"] != "" and fee["difference"] != ""
    assert ("fee", "late_ad_share") in rows
    assert ("fee", "members_day_10") not in rows  # defined but not listed in metrics
    assert "late activity" in (finished / "report.html").read_text()


def _error(tmp_path: Path, **fields) -> str:
    with pytest.raises(ScenarioError) as err:
        load_experiment(write_experiment(tmp_path, **fields))
    text = str(err.value)
    assert "\n" not in text and text.startswith(str(tmp_path / "exp.yaml"))
    return text


@pytest.mark.parametrize("form, path, allowed", [
    ({"mean": "activity"}, "custom_metrics.bad.mean", "a column of timeseries.csv"),
    ({"share": "ad_posts", "of": "nothing"}, "custom_metrics.bad.of", "a column of timeseries.csv"),
    ({"mean": "active", "from_day": 30, "to_day": 90}, "custom_metrics.bad.to_day", "from 31 to 60"),
    ({"mean": "active", "from_day": 50, "to_day": 40}, "custom_metrics.bad.to_day", "from 51 to 60"),
    ({"sum": "active", "from_day": -1}, "custom_metrics.bad.from_day", "from 0 to 59"),
    ({"at_day": 60, "of": "active"}, "custom_metrics.bad.at_day", "from 0 to 59"),
    ({"mean": "active", "of": "posts"}, "custom_metrics.bad.of", "from_day, to_day"),
    ({"median": "active"}, "custom_metrics.bad", "exactly one of mean"),
])
def test_a_bad_form_is_one_line_naming_file_field_given_and_allowed(tmp_path, form, path, allowed):
    text = _error(tmp_path, custom_metrics={"bad": form})
    assert f"field '{path}'" in text and "given" in text and allowed in text


def test_the_day_range_is_checked_against_every_arms_horizon(tmp_path):
    arms = ARMS + [{"name": "short", "overrides": {"days": 30}}]
    text = _error(tmp_path, arms=arms)  # late_activity reads days 40 to 59
    assert "field 'custom_metrics.late_activity.from_day'" in text and "given 40" in text


@pytest.mark.parametrize("name, allowed", [("mean_active", "no built-in metric"), ("arm", "no built-in metric"),
                                           ("Late Activity", "lower-case letters")])
def test_a_clashing_or_invalid_name_is_refused(tmp_path, name, allowed):
    text = _error(tmp_path, custom_metrics={name: {"last": "active"}}, metrics=["mean_active"])
    assert f"field 'custom_metrics.{name}'" in text and allowed in text


def test_an_unknown_metric_name_is_still_refused(tmp_path):
    assert "field 'metrics[1]'" in _error(tmp_path, metrics=["mean_active", "late_activty"])
