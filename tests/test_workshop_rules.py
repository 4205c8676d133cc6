"""The dashboard's rules and plans (issue 14, item 2): an operator's rule adopted before the run
or during it, and a change planned for a later day, act from their day on, are marked, and the
downloaded scenario.yaml and the saved arm give the same run from day 0; input the schema
refuses is refused with the reason and changes nothing."""

from __future__ import annotations

import numpy as np

from helpers import SCENARIOS
from sim.model import CommunityModel
from sim.scenario import load_scenario, shipped_scenarios
from sim.workshop.session import Workshop
from sim.workshop.takeaway import run_tables

DAY = 40  # the day the room adopts a rule and plans a change
PLANNED = 60  # the day the planned fee starts
LATER = 80  # the day the runs are compared

QUIET = {"metric": "active", "window_days": 14, "below": 5}  # a 150-member group has fewer posters than this by day 40


def _session() -> Workshop:
    ws = Workshop("baseline", catalog=shipped_scenarios(SCENARIOS))
    ws.set_lever("community.initial_members", 150)
    return ws


def _run(scenario, seed: int, days: int) -> dict[str, np.ndarray]:
    model = CommunityModel(scenario, rng=seed)
    for _ in range(days):
        model.step()
    return model.timeseries()


def _fired(model: CommunityModel, rule: int) -> list[int]:
    return [e["day"] for e in model.interventions.log if e["why"].startswith(f"trigger {rule}:")]


def _same(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(np.array_equal(a[c], b[c]) for c in a)


def test_rules_and_a_planned_fee_act_from_their_day_and_the_downloaded_scenario_reproduces_them(tmp_path):
    ws = _session()
    # before the run: part of the strategy from day 0
    quieter = {"metric": "active", "window_days": 14, "below": 2}
    assert ws.add_rule(quieter, {"cleanup": {"rule": "inactive"}}, 60) is None
    assert ws.rules[0].day == 0 and "from_day" not in ws.current.to_dict()["strategy"]["triggers"][0]
    ws.step(DAY)
    ws.pin_as_a()  # A: the same start (the day-0 rule included), nothing adopted later
    words = [ws.add_rule(QUIET, {"campaign": {"days": 30, "applicants_per_day": 20}}, 60),
             ws.plan_change(PLANNED, "strategy.entry.kind", "fee", {"strategy.entry.level": 50})]
    assert words == [None, None]
    label = ws.rules[1].label()
    assert "14-day" in label and "under 5" in label and "60 days" in label and "<" not in label
    assert ws.in_force().strategy.entry.kind == "open"
    ws.step(LATER - DAY)
    b_model, a_model = ws.runs["B"].model, ws.runs["A"].model
    b, a = b_model.timeseries(), a_model.timeseries()

    assert _fired(b_model, 1) == [DAY]  # the rule adopted today acts today (the group is quiet), then waits
    assert DAY in np.nonzero(b["interventions"])[0] and PLANNED in np.nonzero(b["interventions"])[0]
    assert _fired(a_model, 0)[:1] == _fired(b_model, 0)[:1] and _fired(b_model, 0)[0] < DAY
    assert _same({c: v[:DAY] for c, v in a.items()}, {c: v[:DAY] for c, v in b.items()})
    assert b["joined"][DAY:PLANNED].sum() > a["joined"][DAY:PLANNED].sum()  # the campaign brings people in
    entry = ws.in_force().strategy.entry
    assert (entry.kind, entry.level) == ("fee", 50)
    frame = ws.frame(with_network=False)
    assert DAY in [d for d, _ in frame.runs["B"].fired] and any(d == PLANNED for d, _ in frame.marks)

    (tmp_path / "scenario.yaml").write_bytes(run_tables(ws)["scenario.yaml"])
    assert _same(_run(load_scenario(tmp_path / "scenario.yaml"), ws.seed, LATER), b)
    saved = ws.save_arm(tmp_path / "exp.yaml", "quiet-group campaign and a fee from day 60")
    arm = load_scenario(SCENARIOS / "baseline.yaml").with_overrides(saved.overrides)
    assert _same(_run(arm, ws.seed, LATER), b)


def test_a_rule_or_plan_the_schema_refuses_is_refused_with_the_reason_and_changes_nothing():
    ws = _session()
    ws.step(DAY)
    ws.pin_as_a()
    current, rules, live = ws.current, list(ws.rules), list(ws.live)
    followed = len(ws.runs["B"].model.interventions.triggers)
    refused = {
        "below": ws.add_rule({**QUIET, "above": 1}, {"cleanup": {}}, 30),
        "everyone": ws.add_rule(QUIET, {"cleanup": {"rule": "everyone"}}, 30),
        "teleport": ws.add_rule(QUIET, {"teleport": {}}, 30),
        "cooldown_days": ws.add_rule(QUIET, {"cleanup": {}}, -1),
        "community.initial_members": ws.plan_change(PLANNED, "strategy.entry.kind", "fee",
                                                    {"community.initial_members": 10}),
    }
    for word, message in refused.items():
        assert message and word in message, (word, message)
    assert ws.current is current and ws.rules == rules and ws.live == live
    assert len(ws.runs["B"].model.interventions.triggers) == followed
    ws.step(20)
    assert _same(ws.runs["A"].model.timeseries(), ws.runs["B"].model.timeseries())


def test_both_runs_rules_are_marked_on_the_curves_a_in_its_own_colour():
    """Found after issue 14: a run with rules pinned as A had its rules' acts left off the
    curves. Side by side, each run's acts are marked on their days, A's in its own colour (the
    one the chart's legend gives A: test_workshop_marks) and named A, B's named B; alone, B's
    as before."""
    from sim.workshop.charts import active_chart, messages_chart

    ws = _session()
    ws.step(DAY)
    assert ws.add_rule({"metric": "members", "window_days": 7, "below": 100_000},
                       {"campaign": {"days": 30, "applicants_per_day": 20}}, 30) is None
    ws.step(LATER - DAY)
    alone = [m for m in active_chart(ws.frame(with_network=False)).marks if m.style == "rule"]
    assert [m.day for m in alone] == [DAY, DAY + 30] and all(m.label in ("rule 1", "") for m in alone)
    assert all(m.detail.startswith(f"day {m.day}: rule 1: run a campaign") for m in alone), alone
    ws.pin_as_a()  # A: the rule from day 40
    ws.reset()  # B: the rule from day 0, acting on day 7 and every 30 days
    ws.step(LATER)
    frame = ws.frame(with_network=False)
    a_days = [d for d, _ in frame.runs["A"].fired]
    b_days = [d for d, _ in frame.runs["B"].fired]
    assert a_days == [DAY, DAY + 30] and b_days[0] == 7 and b_days != a_days
    for chart in (active_chart(frame), messages_chart(frame)):
        a_colour = next(e["colour"] for e in chart.layout()["legend"] if e["name"] == "A's rule acted")
        rules = [m for m in chart.layout()["marks"] if m["style"] == "rule"]
        a_marks = [m for m in rules if m["colour"] == a_colour]
        assert [m["day"] for m in a_marks] == a_days and all(m["label"].startswith("A: ") for m in a_marks if m["label"])
        b_marks = [m for m in rules if m["colour"] != a_colour]
        assert [m["day"] for m in b_marks] == b_days and all(m["label"].startswith("B: ") for m in b_marks if m["label"])


def test_an_entry_reads_the_same_in_force_as_in_the_rule_that_switches_to_it():
    """One wording of an entry threshold: the strategy in force says what the rule or plan that
    switched to it said."""
    from sim.scenario import ENTRY_KINDS
    from sim.workshop.figures import describe_strategy
    from sim.workshop.levers import ENTRY_LEVEL_DEFAULT
    from sim.workshop.live import action_words

    base = load_scenario(SCENARIOS / "baseline.yaml")
    for kind in ENTRY_KINDS:
        level = ENTRY_LEVEL_DEFAULT[kind]
        switch = action_words({"set": {"entry.kind": kind, "entry.level": level}})
        lines = describe_strategy(base.with_overrides({"strategy.entry.kind": kind, "strategy.entry.level": level}))
        said = switch.removeprefix("switch entry to ")
        assert said != switch and any(line.endswith(said) for line in lines), (kind, switch, lines)


def _fee_rule_adopted(members: int, day: int) -> Workshop:
    """A session of ``members`` at ``day`` that has just adopted a rule switching entry to a
    50-yuan fee whenever (it acts the same day), then run 5 days."""
    always = {"metric": "members", "window_days": 7, "below": 100_000}
    ws = Workshop("baseline", catalog=shipped_scenarios(SCENARIOS))
    ws.set_lever("community.initial_members", members)
    ws.step(day)
    assert ws.add_rule(always, {"set": {"entry.kind": "fee", "entry.level": 50}}, 1000) is None
    ws.step(5)
    return ws


def test_a_replay_or_reset_leaves_the_rules_acts_to_the_rules():
    """A rule that switched entry to a fee on day 40 is not baked into the day-0 settings by a
    reset or a replay (the controls show the fee while it is in force): from day 0 the entry is
    the room's, and the rule switches it again once its condition holds (day 7, the first day
    with a week recorded). The room's own live change does carry over."""
    ws = _fee_rule_adopted(150, 40)
    assert ws.settings["strategy.entry.kind"] == "fee"  # the controls follow the rule's act
    assert ws.set_lever("strategy.moderation", 0.8) is None  # the room's own, live on day 45
    ws.step(5)
    for again in (ws.replay, ws.reset):
        again()
        entry = [(c.day, c.levers) for c in ws.live]
        assert ws.start_settings["strategy.entry.kind"] == "open" and ws.start_settings["strategy.moderation"] == 0.8
        assert entry == [] and len(ws.rules) == 1
        model = CommunityModel(ws.current, rng=ws.seed)
        kinds = []
        for _ in range(10):
            kinds.append(model.scenario.strategy.entry.kind)
            model.step()
        assert kinds[:7] == ["open"] * 7 and model.scenario.strategy.entry.kind == "fee", kinds


def test_after_a_replay_the_controls_show_what_the_rules_did_and_a_lever_moved_back_acts():
    """A replay re-runs the rules; the controls then show their acts again, so moving entry back
    to open (against the fee a rule set) is a live change that acts (reviewer's finding: the
    controls showed 'open' while a fee was in force, and the move was ignored)."""
    ws = _fee_rule_adopted(120, 20)
    for again in (ws.replay, lambda: ws.set_lever("community.initial_members", 130)):
        again()
        in_force = ws.in_force().strategy.entry
        assert (ws.settings["strategy.entry.kind"], ws.settings["strategy.entry.level"]) == (in_force.kind, in_force.level)
    assert ws.set_lever("strategy.entry.kind", "open") is None and ws.live
    ws.step(1)
    assert ws.in_force().strategy.entry.kind == "open"
