"""Levers moved during a run on the dashboard: each change (day, levers), each rule the operator
adopted (a trigger from a day on), their words for the marks on the curves, and the scenario
whose schedule and triggers reproduce the live run from day 0 (what "save as arm" and the
downloaded scenario.yaml hold)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from ..scenario import Scenario


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
        """Short words for the mark on the curves, e.g. 'entry.level 99', 'events: check_in every 1 d'."""
        return ", ".join(_words(p.removeprefix("strategy."), v) for p, v in self.levers.items())


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
        """Plain words: 'when active members (14-day mean) < 3: cleanup misfits, then wait 60 days'."""
        w = self.when
        side, sign = ("below", "<") if "below" in w else ("above", ">")
        value = f"{w[side]:.0%}" if w["metric"] == "ad_share" else f"{w[side]:g}"
        (action, p), = self.do.items()
        if action == "cleanup":
            act = "clean up" + (f" ({p['rule']})" if "rule" in p else "")
        elif action == "events":
            act = f"{p['kind']} every {p['every_days']} d for {p['for_days']} d"
        elif action == "campaign":
            act = f"campaign {p['applicants_per_day']:g}/day for {p['days']} d"
        else:
            act = ", ".join(_words(k, v) for k, v in p.items())
        return (f"when {METRIC_WORDS.get(w['metric'], w['metric'])} ({w['window_days']}-day mean) {sign} {value}: "
                f"{act}, then wait {self.cooldown_days} d")


def _words(path: str, value: Any) -> str:
    if path == "content.events":
        return "events: " + (", ".join(f"{e['kind']} every {e['every_days']} d" for e in value) or "none")
    if path == "recruiting.campaigns":
        return "campaigns: " + (", ".join(f"{c['applicants_per_day']:g}/day to day {c['end_day']}" for c in value)
                                or "none")
    return f"{path} {value:g}" if isinstance(value, float) else f"{path} {value}"


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
