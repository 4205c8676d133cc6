"""Levers moved during a run on the dashboard: each change (day, levers), its words for the
mark on the curves, and the scenario whose schedule reproduces the live run from day 0 (what
"save as arm" and the downloaded scenario.yaml hold)."""

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


def _words(path: str, value: Any) -> str:
    if path == "content.events":
        return "events: " + (", ".join(f"{e['kind']} every {e['every_days']} d" for e in value) or "none")
    if path == "recruiting.campaigns":
        return "campaigns: " + (", ".join(f"{c['applicants_per_day']:g}/day to day {c['end_day']}" for c in value)
                                or "none")
    return f"{path} {value:g}" if isinstance(value, float) else f"{path} {value}"


def with_live_changes(scenario: Scenario, live: list[LiveChange]) -> Scenario:
    """``scenario`` whose schedule also holds the live changes, each after the scenario's own
    steps of its day (where ``CommunityModel.change_from_today`` puts it): a run of the result
    from day 0 is the live run, day by day."""
    if not live:
        return scenario
    steps = [dataclasses.asdict(s) for s in scenario.strategy.schedule] + [c.step() for c in live]
    steps.sort(key=lambda s: s["from_day"])  # stable: the live ones stay after their day's own
    return scenario.with_overrides({"strategy.schedule": steps}, source="dashboard live changes")
