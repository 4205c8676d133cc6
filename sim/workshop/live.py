"""Levers moved during a run on the dashboard: each change (day, levers), each rule the operator
adopted (a trigger from a day on), their words for the marks on the curves, and the scenario
whose schedule and triggers reproduce the live run from day 0 (what "save as arm" and the
downloaded scenario.yaml hold)."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from ..plural import count
from ..scenario import Scenario, Trigger, check_trigger
from .levers import CLEANUP_LABELS, apply_settings, lever_words


@dataclass(frozen=True)
class LiveChange:
    """Levers moved during a run: from ``day`` on (set at the start of that day, before its
    phases), ``levers`` (dashboard paths such as ``strategy.entry.level``) hold these values."""

    day: int
    levers: dict[str, Any] = field(default_factory=dict)

    def step(self) -> dict[str, Any]:
        """The change as a step of a scenario's schedule (lever paths under ``strategy``)."""
        return {"from_day": self.day, "set": {p.split(".", 1)[1]: v for p, v in self.levers.items()}}

    def label(self) -> str:
        """Short words for the mark on the curves, e.g. 'entry: a 99 yuan fee', 'events: check in every 7 days'."""
        levers, words = dict(self.levers), []
        if {"strategy.entry.kind", "strategy.entry.level"} <= levers.keys():  # a level is read with its kind
            words.append("entry: " + entry_words(levers.pop("strategy.entry.kind"), levers.pop("strategy.entry.level")))
        return ", ".join(words + [_words(p.removeprefix("strategy."), v) for p, v in levers.items()])


METRIC_WORDS = {"active": "active members", "members": "members", "visitors": "visitors", "posts": "posts",
                "member_posts": "members' posts", "joined": "newcomers", "left": "leavers",
                "quiet": "quiet members", "mean_commitment": "mean commitment", "ad_share": "share of ads"}


@dataclass(frozen=True)
class Rule:
    """An operator's rule adopted on ``day`` (0: from the start): when ``when`` holds, ``do``,
    then wait ``cooldown_days`` (a scenario trigger, checked and normalised)."""

    day: int
    when: dict[str, Any]
    do: dict[str, Any]
    cooldown_days: int

    def trigger(self) -> dict[str, Any]:
        """The rule as a scenario's trigger (``from_day`` left out from day 0, as scenarios write it)."""
        out = {"when": self.when, "do": self.do, "cooldown_days": self.cooldown_days}
        return {**out, "from_day": self.day} if self.day else out

    def label(self) -> str:
        """Plain words: 'when the 14-day mean of active members is under 5: clean up members
        inactive for a while, then wait 30 days'."""
        return f"when {condition_words(self.when)}: {action_words(self.do)}, {_wait_words(self.cooldown_days)}"


def checked_rule(when: dict[str, Any], do: dict[str, Any], cooldown_days: int, day: int = 0) -> Rule:
    """An operator's rule adopted on ``day``, checked and normalised as a scenario's trigger is
    (``ScenarioError`` at field ``rule.<...>`` if the schema refuses it): the one check of a rule,
    on the dashboard (``Workshop.add_rule``) and in room mode (``Room.check_rule``)."""
    trigger = check_trigger(Trigger(when=when, do=do, cooldown_days=cooldown_days, from_day=day), "rule", "rule")
    return Rule(day, trigger.when, trigger.do, trigger.cooldown_days)


def condition_words(when: dict[str, Any]) -> str:
    """A trigger's condition in words: 'the 14-day mean of active members is under 5', 'the
    share of ads over 7 days is over 20%'."""
    side = "below" if "below" in when else "above"
    word = "under" if side == "below" else "over"
    days = when["window_days"]
    if when["metric"] == "ad_share":
        return f"the share of ads over {_days(days)} is {word} {when[side]:.0%}"
    return f"the {days}-day mean of {METRIC_WORDS.get(when['metric'], when['metric'])} is {word} {when[side]:g}"


def action_words(do: dict[str, Any]) -> str:
    """A trigger's action in words: 'clean up members who posted ads', 'start check in events
    every 7 days for 42 days', 'run a campaign of 20 applicants a day for 30 days', 'switch
    entry to a 50 yuan fee'."""
    (action, p), = do.items()
    if action == "cleanup":
        rest = {k: v for k, v in p.items() if k != "rule"}
        who = CLEANUP_LABELS.get(p["rule"], p["rule"]) if "rule" in p else "as the strategy's cleanup says"
        return f"clean up {who}" + (f" ({', '.join(_words(k, v) for k, v in rest.items())})" if rest else "")
    if action == "events":
        return (f"start {p['kind'].replace('_', ' ')} events{' (branded)' if p.get('branded') else ''} every "
                f"{_days(p['every_days'])} for {_days(p['for_days'])}")
    if action == "campaign":
        gift = f" with a {p['gift_yuan']:g} yuan gift" if p.get("gift_yuan") else ""
        return f"run a campaign of {p['applicants_per_day']:g} applicants a day{gift} for {_days(p['days'])}"
    if set(p) == {"entry.kind", "entry.level"}:
        return "switch entry to " + entry_words(p["entry.kind"], p["entry.level"])
    return "set " + ", ".join(_words(k, v) for k, v in p.items())


def entry_words(kind: str, level: float) -> str:
    """An entry threshold in words: 'a 50 yuan fee', 'screening (fit at least 0.5)'; the one
    wording of an entry on the dashboard (rules, plans and the strategy in force)."""
    if kind == "fee":
        return f"a {level:g} yuan fee"
    if kind == "screening":
        return f"screening (fit at least {level:g})"
    if kind == "invite":
        return f"invite only (inviters' commitment at least {level:g})"
    return "open (anyone joins)"


def _days(n: int) -> str:
    return count(n, "day")


def _wait_words(cooldown_days: int) -> str:
    return f"then wait {_days(cooldown_days)}" if cooldown_days else "and check again the next day"


def _words(path: str, value: Any) -> str:
    if path == "content.events":
        return "events: " + (", ".join(f"{e['kind'].replace('_', ' ')} every {_days(e['every_days'])}" for e in value)
                              or "none")
    if path == "recruiting.campaigns":
        return "campaigns: " + (", ".join(f"{c['applicants_per_day']:g}/day to day {c['end_day']}" for c in value)
                                or "none")
    if "." not in path and path in CLEANUP_FIELDS:  # a cleanup rule's own parameters
        path = "cleanup." + path
    return lever_words(path, value)


CLEANUP_FIELDS = ("inactive_days", "bottom_share", "min_fit", "every_days")


def others_acts(log: list[dict], triggers: list, schedule: list = ()) -> list[tuple[int, frozenset[str]]]:
    """(day, dashboard lever paths) of each act of a run that set levers and was not the room's:
    a rule's (a trigger's, as numbered in the run's ``triggers``) ``set`` action, read from the
    run's interventions ``log``, and each step of the scenario's own ``schedule``."""
    acts = [(int(s.from_day), s.set) for s in schedule]
    for entry in log:
        fired = re.match(r"trigger (\d+):", entry["why"])
        if fired:
            acts.append((int(entry["day"]), triggers[int(fired.group(1))].do.get("set", {})))
    return [(day, frozenset("strategy." + p for p in levers)) for day, levers in acts if levers]


def answers_an_act(change: LiveChange, acts: list[tuple[int, frozenset[str]]]) -> bool:
    """Whether ``change`` moved a lever that a rule (or the scenario's schedule) had set on an
    earlier day (``acts``: ``others_acts``): the room's answer to that act, which keeps its day
    when the run starts again from day 0 (made a day-0 setting, the act would undo it)."""
    return any(day < change.day and paths & change.levers.keys() for day, paths in acts)


def strategy_scenario(base: Scenario, settings: dict[str, Any], rules: list[Rule] = (),
                      source: str = "dashboard settings") -> Scenario:
    """``base`` with the lever settings and the rules (triggers from their days) applied and
    validated (ScenarioError): a strategy planned before the run, such as a room team's."""
    return with_live_changes(apply_settings(base, settings, source=source), [], rules)


def with_live_changes(scenario: Scenario, live: list[LiveChange], rules: list[Rule] = ()) -> Scenario:
    """``scenario`` whose schedule also holds the live changes, each after the scenario's own
    steps of its day (where ``CommunityModel.change_from_today`` puts it), and whose triggers
    end with the rules adopted (``follow_rule_from_today`` appends them): a run of the result
    from day 0 is the live run, day by day."""
    overrides = {}
    if live:
        steps = [dataclasses.asdict(s) for s in scenario.strategy.schedule] + [c.step() for c in live]
        steps.sort(key=lambda s: s["from_day"])  # stable: the live ones stay after their day's own
        overrides["strategy.schedule"] = steps
    if rules:
        own = [dataclasses.asdict(t) for t in scenario.strategy.triggers]
        overrides["strategy.triggers"] = own + [r.trigger() for r in rules]
    return scenario.with_overrides(overrides, source="dashboard live changes") if overrides else scenario
