"""Strategies that change over time (``strategy.schedule`` and ``strategy.triggers``): what they
change, when, and what they leave alone; how they are recorded; and the errors a bad one gives.
Thresholds were written before the runs."""

from __future__ import annotations

import json

import numpy as np
import pytest

from helpers import small_baseline
from sim.run import run_scenario, simulate
from sim.scenario import ScenarioError, load_scenario

FEE_FROM_180 = [{"from_day": 180, "set": {"entry.kind": "fee", "entry.level": 99}}]
QUIET_CLEANUP = {"when": {"metric": "active", "window_days": 14, "below": 2},
                 "do": {"cleanup": {"rule": "inactive", "inactive_days": 30}}, "cooldown_days": 60}


def same_series(a: dict, b: dict, days: slice) -> bool:
    """Whether every column of two timeseries is identical on ``days``."""
    return all(np.array_equal(a[k][days], b[k][days]) for k in a)


def test_schedule_changes_nothing_before_its_day_and_something_after():
    plain = simulate(small_baseline(days=365), seed=3)
    fee = simulate(small_baseline(days=365, **{"strategy.schedule": FEE_FROM_180}), seed=3)
    assert same_series(plain.timeseries, fee.timeseries, slice(0, 180))
    assert not same_series(plain.timeseries, fee.timeseries, slice(180, 365))
    # the fee is charged to newcomers from day 180 on: money the open group never makes
    assert fee.timeseries["revenue"][180:].sum() > plain.timeseries["revenue"][180:].sum()
    assert fee.timeseries["interventions"][180] == 1 and fee.timeseries["interventions"].sum() == 1
    assert fee.summary["intervention_log"] == [
        {"day": 180, "what": "set entry.kind=fee, entry.level=99.0", "why": "schedule: from day 180"}]


def test_cleanup_trigger_fires_when_the_group_is_quiet_and_waits_out_its_cool_down():
    plain = simulate(small_baseline(), seed=1)
    run = simulate(small_baseline(**{"strategy.triggers": [QUIET_CLEANUP]}), seed=1)
    log = run.summary["intervention_log"]
    days = [e["day"] for e in log]
    assert len(days) >= 2, log
    assert all("cleanup (rule inactive)" == e["what"] and e["why"].startswith("trigger 0: active 14-day mean")
               for e in log)
    assert np.all(np.diff(days) >= 60)  # the cool-down
    ts = run.timeseries
    mean14 = {d: ts["active"][d - 14: d].mean() for d in range(14, len(ts["active"]))}
    assert all(mean14[d] < 2 for d in days)  # fired only when its condition held
    held_in_cool_down = [d for d in range(days[0] + 1, days[0] + 60) if mean14[d] < 2]
    assert held_in_cool_down  # the condition held again within the cool-down, and it waited
    assert list(np.flatnonzero(ts["interventions"])) == days
    assert same_series(plain.timeseries, ts, slice(0, days[0]))  # nothing changed before it first fired
    assert ts["removed"][days].sum() > 0  # the cleanups removed members the calendar would not have
    assert plain.timeseries["removed"].sum() == 0


def test_trigger_whose_condition_never_holds_changes_nothing():
    never = {**QUIET_CLEANUP, "when": {"metric": "members", "window_days": 7, "below": -1}}
    plain = simulate(small_baseline(), seed=2)
    run = simulate(small_baseline(**{"strategy.triggers": [never]}), seed=2)
    assert same_series(plain.timeseries, run.timeseries, slice(None))
    assert all(np.array_equal(plain.members[k], run.members[k]) for k in plain.members)
    assert run.summary["intervention_log"] == [] and run.summary["interventions"] == 0


def test_event_series_runs_for_its_days_only():
    series = {"when": {"metric": "ad_share", "window_days": 7, "above": -1},
              "do": {"events": {"kind": "live_talk", "every_days": 7, "for_days": 28}}, "cooldown_days": 1000}
    base = small_baseline(**{"strategy.content.events": [], "strategy.triggers": [series]})
    ts = simulate(base, seed=4).timeseries
    assert np.flatnonzero(ts["interventions"]).tolist() == [7]
    held = np.flatnonzero(ts["events"]).tolist()
    assert set(held) <= {7, 14, 21, 28} and held  # from its day, weekly, for 28 days, and then no more


def test_campaign_trigger_keeps_more_members_when_the_group_shrinks():
    """A group with no recruiting of its own shrinks; a trigger launching a 30-day campaign of 3
    applicants a day when the week's mean of members falls below 140 keeps more members at
    day 365 than no trigger in at least 8 of 10 seeds (threshold written before running)."""
    shrinking = {"days": 365, "strategy.recruiting.organic_per_day": 0.0,
                 "strategy.recruiting.outreach_per_week": 0.0, "strategy.recruiting.referral_per_year": 0.0}
    rescue = {"when": {"metric": "members", "window_days": 7, "below": 140},
              "do": {"campaign": {"days": 30, "applicants_per_day": 3}}, "cooldown_days": 60}
    plain, kept = [], []
    for seed in range(10):
        plain.append(simulate(small_baseline(**shrinking), seed=seed).timeseries["members"][-1])
        r = simulate(small_baseline(**shrinking, **{"strategy.triggers": [rescue]}), seed=seed)
        kept.append(r.timeseries["members"][-1])
    wins = int(np.sum(np.array(kept) > np.array(plain)))
    assert wins >= 8, (plain, kept)


def test_run_folder_records_the_interventions(tmp_path):
    s = small_baseline(**{"strategy.triggers": [QUIET_CLEANUP]})
    r = run_scenario(s, seed=1, out=tmp_path / "run", plots=False)
    summary = json.loads((r.folder / "summary.json").read_text())
    assert summary["interventions"] == len(summary["intervention_log"]) >= 1
    assert set(summary["intervention_log"][0]) == {"day", "what", "why"}
    header = (r.folder / "timeseries.csv").read_text().splitlines()[0].split(",")
    assert "interventions" in header
    again = load_scenario(r.folder / "scenario.yaml")  # the resolved scenario reads back, triggers and all
    assert again.strategy.triggers == s.strategy.triggers


def _load(tmp_path, strategy_yaml: str, days: int = 365):
    f = tmp_path / "bad.yaml"
    f.write_text(f"name: bad\ndays: {days}\nstrategy:\n{strategy_yaml}")
    return load_scenario(f)


@pytest.mark.parametrize("strategy_yaml, path, words", [
    ("  schedule:\n    - {from_day: 10, set: {entry.kind: fee}}\n    - {from_day: 20, set: {entry.levl: 3}}\n",
     "strategy.schedule[1].set.entry.levl", "did you mean 'entry.level'"),
    ("  schedule:\n    - {from_day: 10, set: {entry.kind: fee}}\n    - {from_day: 20, set: {entry.level: -5}}\n",
     "strategy.schedule[1].set.entry.level", "given -5, allowed a number from 0 to 100,000"),
    ("  schedule:\n    - {from_day: 400, set: {entry.kind: fee}}\n",
     "strategy.schedule[0].from_day", "allowed a day from 0 to 364"),
    ("  schedule:\n    - {from_day: -1, set: {entry.kind: fee}}\n",
     "strategy.schedule[0].from_day", "given -1"),
    ("  schedule:\n    - {from_day: 90, set: {entry.kind: fee}}\n    - {from_day: 30, set: {entry.level: 9}}\n",
     "strategy.schedule[1].from_day", "in order of from_day"),
    ("  triggers:\n    - {when: {metric: happiness, window_days: 14, below: 5}, do: {cleanup: {}}}\n",
     "strategy.triggers[0].when.metric", "allowed one of active, members"),
    ("  triggers:\n    - {when: {metric: active, window_days: 14, below: 5}, do: {party: {}}}\n",
     "strategy.triggers[0].do", "given action 'party', allowed one of cleanup, events, campaign, set"),
    ("  triggers:\n    - {when: {metric: active, window_days: 14}, do: {cleanup: {}}}\n",
     "strategy.triggers[0].when", "neither below nor above"),
    ("  triggers:\n    - {when: {metric: active, below: 5}, do: {set: {entry.kind: screening, entry.level: 5}}}\n",
     "strategy.triggers[0].do.set", "given 5 with kind screening"),
    ("  triggers:\n    - {when: {metric: active, below: 5}, do: {cleanup: {rule: everyone}}}\n",
     "strategy.triggers[0].do.cleanup.rule", "allowed one of misfits"),
])
def test_bad_schedule_or_trigger_is_one_line_naming_the_field(tmp_path, strategy_yaml, path, words):
    with pytest.raises(ScenarioError) as err:
        _load(tmp_path, strategy_yaml)
    text = str(err.value)
    assert "\n" not in text
    assert "bad.yaml" in text and f"field '{path}'" in text and words in text, text
