"""A rule's event series on the dashboard (found after issue 14): a series a rule starts ends
after its days even when the room starts events of its own while it runs, the room's events go
on as the room set them, and the saved arm still gives the same run day by day."""

from __future__ import annotations

import numpy as np

from helpers import SCENARIOS
from sim.run import simulate
from sim.scenario import load_scenario, shipped_scenarios
from sim.workshop.session import Workshop

DAY = 40  # the day the rule is adopted (it acts the same day)
SERIES_DAYS = 21  # the series: weekly talks on days 40, 47 and 54, the last day 60
OWN = 45  # the day the room starts its own events, every 5 days: 45, 50, 55, ...
LATER = 100
ALWAYS = {"metric": "members", "window_days": 7, "below": 100_000}  # holds every day


def _session() -> Workshop:
    ws = Workshop("baseline", catalog=shipped_scenarios(SCENARIOS))
    ws.set_lever("community.initial_members", 150)
    return ws


def _event_days(ts: dict, start: int) -> set[int]:
    return {int(d) for d in np.flatnonzero(ts["events"]) if d >= start}


def test_a_rules_event_series_ends_after_its_days_while_the_rooms_own_events_go_on(tmp_path):
    ws = _session()
    ws.step(DAY)
    assert ws.add_rule(ALWAYS, {"events": {"kind": "live_talk", "every_days": 7, "for_days": SERIES_DAYS}}, 1000) is None
    ws.step(OWN - DAY)
    assert ws.start_events("sharing", 5) is None
    in_force = [(e.kind, e.start_day) for e in ws.in_force().strategy.content.events]
    assert in_force == [("live_talk", DAY), ("sharing", OWN)]  # both show while the series runs, by start day
    ws.step(LATER - OWN)
    ts = ws.runs["B"].model.timeseries()
    own = set(range(OWN, LATER, 5))
    series = {DAY, DAY + 7, DAY + 14}
    assert _event_days(ts, DAY) == series | own  # the series' talks, then only the room's events
    kinds = [(e.kind, e.start_day) for e in ws.in_force().strategy.content.events]
    assert kinds == [("sharing", OWN)]

    saved = ws.save_arm(tmp_path / "exp.yaml", "talks when asked, and sharing from day 45")
    run = simulate(load_scenario(SCENARIOS / "baseline.yaml").with_overrides(saved.overrides), seed=ws.seed, days=LATER)
    assert all(np.array_equal(ts[c], run.timeseries[c]) for c in run.timeseries)


def test_stopping_the_rooms_events_leaves_the_series_and_a_reset_keeps_only_the_rooms_events(tmp_path):
    """The room stops its events during the series (the series goes on), starts others on the
    morning the series ends (it does not come back), and resets to day 0: the room's events
    become day-0 settings, the rule from day 0 runs its series once more, and only that long."""
    ws = _session()
    ws.step(DAY)
    assert ws.add_rule(ALWAYS, {"events": {"kind": "live_talk", "every_days": 7, "for_days": SERIES_DAYS}}, 1000) is None
    ws.step(OWN - DAY)
    assert ws.start_events("sharing", 5) is None
    ws.step(5)
    assert ws.stop_events() is None
    ws.step(DAY + SERIES_DAYS - ws.day)
    assert ws.start_events("prize", 10) is None
    ws.step(90 - ws.day)
    ts = ws.runs["B"].model.timeseries()
    assert _event_days(ts, DAY) == {DAY, OWN, DAY + 7, DAY + 14, DAY + SERIES_DAYS, 71, 81}
    saved = ws.save_arm(tmp_path / "exp.yaml", "stop and start")
    run = simulate(load_scenario(SCENARIOS / "baseline.yaml").with_overrides(saved.overrides), seed=ws.seed, days=90)
    assert all(np.array_equal(ts[c], run.timeseries[c]) for c in run.timeseries)

    ws.reset()  # the rule now from day 0: it acts on day 7, the first with a week recorded
    ws.step(90)
    assert _event_days(ws.runs["B"].model.timeseries(), 0) == {7, 14, 21, DAY + SERIES_DAYS, 71, 81}


def test_a_rules_campaign_is_not_copied_into_the_rooms_and_runs_once_after_a_reset(tmp_path):
    """The same for campaigns: the room starts a campaign while a rule's runs; the saved arm
    gives the same run, and after a reset the rule's campaign (from day 0 now) is not run twice
    (before, the room's list had copied it and replayed it as a setting of its own)."""
    ws = _session()
    ws.step(DAY)
    rule = {"campaign": {"applicants_per_day": 5.0, "days": 30, "gift_yuan": 0.0}}
    assert ws.add_rule(ALWAYS, rule, 1000) is None
    ws.step(OWN - DAY)
    assert ws.start_campaign(3.0, 10) is None
    spans = sorted((c.start_day, c.end_day) for c in ws.in_force().strategy.recruiting.campaigns)
    assert spans == [(DAY, DAY + 29), (OWN, OWN + 9)]  # both show while both run
    ws.step(LATER - OWN)
    ts = ws.runs["B"].model.timeseries()
    saved = ws.save_arm(tmp_path / "exp.yaml", "campaign when asked, and one of our own")
    run = simulate(load_scenario(SCENARIOS / "baseline.yaml").with_overrides(saved.overrides), seed=ws.seed, days=LATER)
    assert all(np.array_equal(ts[c], run.timeseries[c]) for c in run.timeseries)

    ws.reset()  # the rule from day 0 acts on day 7; the room's campaign is a setting from day 0
    ws.step(OWN + 1)
    spans = sorted((c.start_day, c.end_day) for c in ws.in_force().strategy.recruiting.campaigns)
    assert spans == [(7, 36), (OWN, OWN + 9)], spans


def test_an_arm_saved_with_a_copy_of_the_rules_campaign_runs_it_once():
    """Arms the dashboard saved before the rule above listed a copy of a rule's running campaign
    in the room's step; an equal campaign is the same one, so such an arm and one without the
    copy give the same run (not a second campaign: 121 applicants on days 17-24 instead of 58)."""
    base = load_scenario(SCENARIOS / "baseline.yaml").with_overrides({"community.initial_members": 150, "days": 50})
    rule = [{"when": ALWAYS, "do": {"campaign": {"days": 30, "applicants_per_day": 5}}, "cooldown_days": 1000}]
    ours = {"start_day": 16, "end_day": 25, "applicants_per_day": 3.0, "gift_yuan": 0.0}
    copy = {"start_day": 7, "end_day": 36, "applicants_per_day": 5.0, "gift_yuan": 0.0}  # the rule's, acting on day 7

    def run(campaigns):
        step = [{"from_day": 16, "set": {"recruiting.campaigns": campaigns}}]
        return simulate(base.with_overrides({"strategy.triggers": rule, "strategy.schedule": step}), seed=3).timeseries

    old, new = run([copy, ours]), run([ours])
    assert all(np.array_equal(old[c], new[c]) for c in new)
