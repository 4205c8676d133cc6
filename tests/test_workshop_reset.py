"""Reset and replay after a rule has acted (found in review): a lever the room moved after a
rule had set it keeps its day, so the rule, acting again from day 0, does not undo it and the
day-0 settings stay the room's; an entry level moved after a rule switched the entry kind is
read (and checked) as a level of the kind in force that day, not of the day-0 kind."""

from __future__ import annotations

from helpers import SCENARIOS
from sim.scenario import shipped_scenarios
from sim.workshop.session import Workshop

RULE_DAY = 20  # the day the room adopts a rule that switches entry to a 50-yuan fee
MOVE = 25  # the day the room lowers that fee (and, separately, raises moderation)
NOW = 40  # the day of the reset or replay
ALWAYS = {"metric": "members", "window_days": 7, "below": 100_000}  # holds every day


def _session(entry_kind: str | None = None) -> Workshop:
    ws = Workshop("baseline", catalog=shipped_scenarios(SCENARIOS))
    ws.set_lever("community.initial_members", 120)
    if entry_kind is not None:
        assert ws.set_lever("strategy.entry.kind", entry_kind) is None
    return ws


def _entry(ws: Workshop) -> tuple[str, float]:
    e = ws.in_force().strategy.entry
    return e.kind, e.level


def _fee_lowered_after_the_rule() -> tuple[Workshop, tuple[str, float]]:
    """A session at day NOW whose rule set a 50-yuan fee on day RULE_DAY; on day MOVE the room
    lowered the fee to 20 and raised moderation; (the session, its day-0 entry)."""
    ws = _session()
    day0 = _entry(ws)
    ws.step(RULE_DAY)
    assert ws.add_rule(ALWAYS, {"set": {"entry.kind": "fee", "entry.level": 50}}, 1000) is None
    ws.step(MOVE - RULE_DAY)
    assert ws.set_lever("strategy.entry.level", 20) is None
    assert ws.set_lever("strategy.moderation", 0.8) is None
    ws.step(NOW - MOVE)
    assert _entry(ws) == ("fee", 20)
    return ws, day0


def test_a_lever_moved_after_a_rule_set_it_keeps_its_day_on_reset_and_the_rule_does_not_undo_it():
    ws, day0 = _fee_lowered_after_the_rule()
    ws.reset()
    assert (ws.start_settings["strategy.entry.kind"], ws.start_settings["strategy.entry.level"]) == day0
    assert ws.start_settings["strategy.moderation"] == 0.8  # a lever no rule set: a day-0 setting
    entries = [_entry(ws)]
    for _ in range(NOW):
        ws.step(1)
        entries.append(_entry(ws))
    fired = [e["day"] for e in ws.runs["B"].model.interventions.log if e["why"].startswith("trigger")]
    assert entries[0] == day0 and fired and fired[0] < MOVE, (entries[:3], fired)
    assert all(e != ("fee", 20) for e in entries[:MOVE]), entries[:MOVE]  # not from day 0
    assert set(entries[MOVE:]) == {("fee", 20)}, entries[MOVE:]  # the room's fee from its day on


def test_a_replay_keeps_a_lever_moved_after_a_rule_set_it_at_its_day():
    ws, day0 = _fee_lowered_after_the_rule()
    assert ws.replay() is None and ws.day == NOW
    assert (ws.start_settings["strategy.entry.kind"], ws.start_settings["strategy.entry.level"]) == day0
    assert _entry(ws) == ("fee", 20)  # the rule acted again from day 0, the room's fee after it
    sets = [(e["day"], e["what"]) for e in ws.runs["B"].model.interventions.log if "entry.level" in e["what"]]
    assert [d for d, _ in sets][-1] == MOVE and "20" in sets[-1][1], sets


def test_an_entry_level_moved_after_a_rule_switched_the_kind_is_a_level_of_the_kind_in_force():
    ws = _session("screening")  # day 0: screening, a 0-1 bar
    ws.step(RULE_DAY)
    assert ws.add_rule(ALWAYS, {"set": {"entry.kind": "fee", "entry.level": 50}}, 1000) is None
    ws.step(MOVE - RULE_DAY)
    assert _entry(ws) == ("fee", 50)
    assert ws.set_lever("strategy.entry.level", 80) is None  # yuan: the fee is in force
    ws.step(1)
    assert _entry(ws) == ("fee", 80)
    assert ws.plan_change(NOW, "strategy.entry.level", 120) is None
    ws.step(NOW - ws.day + 1)
    assert _entry(ws) == ("fee", 120)
    ws.reset()  # the two fees keep their days after the rule's act
    ws.step(NOW + 1)
    assert _entry(ws) == ("fee", 120)

    ws = _session("fee")  # day 0: a fee; the rule switches to screening
    ws.step(RULE_DAY)
    assert ws.add_rule(ALWAYS, {"set": {"entry.kind": "screening", "entry.level": 0.5}}, 1000) is None
    ws.step(MOVE - RULE_DAY)
    message = ws.set_lever("strategy.entry.level", 5)
    assert message and "entry.level" in message and "screening" in message and _entry(ws) == ("screening", 0.5)
    assert ws.set_lever("strategy.entry.level", 0.8) is None
    ws.step(1)
    assert _entry(ws) == ("screening", 0.8)
