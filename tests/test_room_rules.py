"""Room mode's rules: a team adopts an operator's rule ("when the 7-day mean of active members
is under 1, start check-in events, then wait 30 days") into its strategy, with the single-user
dashboard's rule code and checks. The rule acts in the team's preview on the days its condition
holds, is marked on the preview's curves, a bad rule is refused in one line and changes nothing,
and the room's saved experiment file holds the rule, so that it reproduces the room's run.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pytest
import yaml

from sim.experiments import load_experiment, replicate_seeds
from sim.model import CommunityModel
from sim.workshop.charts import active_chart, messages_chart
from sim.workshop.live import Rule
from sim.workshop.room import Room, RoomError

# 100 founders, 120 days: the group goes quiet within a month or so (fewer than one poster a day).
BASE = {"name": "quiet-room", "description": "a small group that goes quiet", "days": 120, "seed": 5,
        "community": {"initial_members": 100, "managers": 2}}
QUIET = {"metric": "active", "window_days": 7, "below": 1.0}
EVENTS = {"events": {"kind": "check_in", "every_days": 3, "for_days": 21}}
COOLDOWN = 30


@pytest.fixture
def room(tmp_path) -> Room:
    path = tmp_path / "quiet.yaml"
    path.write_text(yaml.safe_dump(BASE), encoding="utf-8")
    return Room(path, results_root=tmp_path / "results")


def _condition_days(active: np.ndarray, when: dict, cooldown: int) -> list[int]:
    """The days a rule with this condition and cool-down acts, read off a run's active members
    (as the rule is written: the mean over the ``window_days`` days before the day is under the
    level, and at least ``cooldown`` days since it last acted)."""
    out: list[int] = []
    w = when["window_days"]
    for day in range(w, len(active)):
        if active[day - w: day].mean() < when["below"] and (not out or day - out[-1] >= cooldown):
            out.append(day)
    return out


def _finished(*previews):
    for p in previews:
        assert p.done.wait(60) and not p.error, p.error
    return previews


def test_a_teams_rule_acts_on_the_days_its_condition_holds_changes_the_run_and_is_marked(room):
    s = room.default_settings()
    rule = room.check_rule(QUIET, EVENTS, COOLDOWN)
    assert isinstance(rule, Rule) and rule.day == 0
    plain, ruled = _finished(room.preview("b1", s), room.preview("b2", s, [rule]))
    fired = [day for day, _ in ruled.result.fired]
    assert plain.result.fired == ()
    assert len(fired) >= 2, fired  # the group stays quiet: the rule acts again after its cool-down
    assert fired == _condition_days(ruled.result.ts["active"], QUIET, COOLDOWN)
    assert fired[0] == _condition_days(plain.result.ts["active"], QUIET, COOLDOWN)[0]
    first = fired[0]
    for column, values in plain.result.ts.items():  # the same run until the rule first acts ...
        assert np.array_equal(values[:first], ruled.result.ts[column][:first]), column
    assert any(not np.array_equal(v[first:], ruled.result.ts[c][first:]) for c, v in plain.result.ts.items())
    assert ruled.result.ts["active"][first:].sum() > plain.result.ts["active"][first:].sum()  # ... then not
    for chart in (active_chart(ruled.frame()), messages_chart(ruled.frame())):  # marked as on the dashboard
        assert [m.day for m in chart.marks if m.style == "rule"] == fired
        assert "rule acted" not in str(chart.layout()["legend"])  # alone, as single-user mode without A
    assert not [m for m in active_chart(plain.frame()).marks if m.style == "rule"]
    assert ruled.current(s, [rule]) and not ruled.current(s) and plain.current(s)


@pytest.mark.parametrize("when, do, cooldown, word", [
    ({**QUIET, "metric": "happiness"}, EVENTS, COOLDOWN, "metric"),
    ({**QUIET, "window_days": 0}, EVENTS, COOLDOWN, "window_days"),
    ({**QUIET, "below": "low"}, EVENTS, COOLDOWN, "below"),
    (QUIET, {"events": {**EVENTS["events"], "kind": "rave"}}, COOLDOWN, "kind"),
    (QUIET, {"teleport": {}}, COOLDOWN, "teleport"),
    (QUIET, {"cleanup": {"rule": "everyone"}}, COOLDOWN, "everyone"),
    (QUIET, EVENTS, -1, "cooldown_days"),
])
def test_a_bad_rule_is_refused_in_one_line_and_changes_nothing(room, when, do, cooldown, word):
    s = room.default_settings()
    with pytest.raises(RoomError) as err:
        room.check_rule(when, do, cooldown)
    text = str(err.value)
    assert text.startswith("rule") and word in text and "\n" not in text, text
    assert "Traceback" not in text and len(text) < 300
    bad = Rule(0, when, do, cooldown)  # a rule that bypassed the check is refused where it is used
    for use in (lambda: room.submit("Owls", s, "b1", [bad]), lambda: room.preview("b1", s, [bad])):
        with pytest.raises(RoomError) as err:
            use()
        assert "\n" not in str(err.value) and "rule" in str(err.value), str(err.value)
    assert room.teams == {} and room.previews == {}


def test_the_rooms_saved_strategy_holds_the_rule_and_reproduces_the_rooms_run(room, tmp_path):
    s = room.default_settings()
    rule = room.check_rule(QUIET, EVENTS, COOLDOWN)
    note = room.submit("Owls", s, "b1", [rule])  # the levers as shipped: only the rule differs
    assert "1 rule" in note and room.teams["Owls"].rules == [rule]
    preview, = _finished(room.preview("b1", s, [rule]))
    run = room.start(1, jobs=1, log=lambda _m: None, progress_stream=io.StringIO())
    room.wait(120)
    assert not run.running and not run.error, run.error
    saved = tmp_path / "elsewhere" / "room.yaml"  # as the presenter downloads it
    saved.parent.mkdir()
    saved.write_text(room.experiment_yaml(replicates=1), encoding="utf-8")
    scenario = load_experiment(saved).arm("Owls").scenario
    assert len(scenario.strategy.triggers) == 1
    model = CommunityModel(scenario, rng=replicate_seeds(room.seed, 1)[0])
    model.run()
    again = model.timeseries()
    plan = list(csv.DictReader((run.folder / "plan.csv").open(encoding="utf-8")))

    def ran(arm: str) -> dict[str, list[float]]:
        run_id = next(r["run_id"] for r in plan if r["arm"] == arm and r["replicate"] == "0")
        rows = list(csv.DictReader((Path(run.folder) / "runs" / run_id / "timeseries.csv").open(encoding="utf-8")))
        return {c: [float(r[c]) for r in rows] for c in rows[0]}

    owls = ran("Owls")
    for column in owls:  # the saved scenario gives the room's run, day by day
        assert again[column].tolist() == pytest.approx(owls[column], rel=1e-9, abs=1e-12), column
    for column, values in preview.result.ts.items():  # and the team's preview
        assert again[column].tolist() == values.tolist(), column
    assert [e["day"] for e in model.interventions.log] == [d for d, _ in preview.result.fired]
    base = ran(room.experiment_data(1)["baseline_arm"])
    assert base["events"] != owls["events"]  # the rule made the difference
