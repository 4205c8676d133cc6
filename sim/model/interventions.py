"""Strategies that change over time: the schedule's steps and the triggers, applied at the start
of a day, before its phases.

The scenario is never changed in place: each change makes a new ``Strategy`` (and the model a
new ``Scenario`` holding it), which every phase of the day then reads. Nothing here draws a
random number, so a run is the same as one without the schedule or triggers until the first
change (member-keyed luck, ``sim.model.luck``).

Order on a day: event series that ran their course end; schedule steps whose day has come are
set; then each trigger in turn (those past their cool-down) checks its condition on the days
before today and, if it holds, acts. A trigger's cleanup runs at the cleanup's place in the day
(``sim.model.phases.operator.clean_up``), with the strategy's cleanup settings and the action's.

A trigger's event series and recruiting campaign run their days on top of the operator's own: a
step (or a ``set`` action) that sets ``content.events`` or ``recruiting.campaigns`` while one runs
sets the operator's own list, and the trigger's goes on beside it until its last day, then
leaves; the operator's stay as set. (A dashboard room that starts events or a campaign of its own
sets its lists without the triggers': ``Interventions.own``.)
"""

from __future__ import annotations

import bisect
import dataclasses

import numpy as np

from ..scenario import Campaign, Cleanup, Event, Step, Strategy, Trigger, with_levers


def _levers_text(levers: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in levers.items())


def condition_value(when: dict, records: dict[str, np.ndarray], day: int) -> float | None:
    """The watched mean over the ``window_days`` days before ``day`` (ad_share: ad posts over
    all posts in them, 0 with no posts); None before a full window has been recorded."""
    w = when["window_days"]
    if day < w:
        return None
    if when["metric"] == "ad_share":
        posts = float(records["posts"][day - w: day].sum())
        return float(records["ad_posts"][day - w: day].sum()) / posts if posts else 0.0
    return float(records[when["metric"]][day - w: day].mean())


def holds(when: dict, value: float | None) -> bool:
    """Whether the condition holds for the watched value."""
    if value is None:
        return False
    return value < when["below"] if "below" in when else value > when["above"]


class Interventions:
    """The schedule and triggers of one run, and what they did: ``log`` lists each change made
    (day, what, why), in order."""

    def __init__(self, strategy: Strategy):
        self.steps = list(strategy.schedule)
        self.triggers = list(strategy.triggers)
        self.next_step = 0
        self.last_fired: list[int | None] = [None] * len(self.triggers)
        self.series_end: list[tuple[int, Event]] = []  # (last day, the event) of triggers' event series
        self.campaigns: list[Campaign] = []  # the triggers' recruiting campaigns
        self.log: list[dict] = []

    def add_step(self, step: Step, today: int) -> None:
        """Add a checked schedule step from ``today`` or later, after the steps of the same day or
        earlier: where it would stand in a scenario's schedule listing it last among its day's."""
        if step.from_day < today:
            raise ValueError(f"a step from day {step.from_day} cannot be added on day {today}")
        at = bisect.bisect_right([s.from_day for s in self.steps], step.from_day, lo=self.next_step)
        self.steps.insert(at, step)

    def add_trigger(self, trigger: Trigger, today: int) -> None:
        """Follow a checked rule from ``today`` (its ``from_day``) on, after the rules already
        followed: where it would stand in a scenario's triggers listing it last."""
        if trigger.from_day < today:
            raise ValueError(f"a rule from day {trigger.from_day} cannot be adopted on day {today}")
        self.triggers.append(trigger)
        self.last_fired.append(None)

    def start_day(self, day: int, strategy: Strategy, records: dict[str, np.ndarray]) -> tuple[Strategy, Cleanup | None, int]:
        """(the day's strategy, a cleanup to run today or None, how many changes were made)."""
        if not self.steps and not self.triggers:
            return strategy, None, 0
        strategy = self._end_series(day, strategy)
        made = 0
        while self.next_step < len(self.steps) and self.steps[self.next_step].from_day <= day:
            step = self.steps[self.next_step]
            strategy = self._set(day, strategy, step.set)
            self._note(day, f"set {_levers_text(step.set)}", f"schedule: from day {step.from_day}")
            self.next_step += 1
            made += 1
        cleanup = None
        for i, tr in enumerate(self.triggers):
            last = self.last_fired[i]
            if day < tr.from_day or (last is not None and day - last < tr.cooldown_days):
                continue
            value = condition_value(tr.when, records, day)
            if not holds(tr.when, value):
                continue
            strategy, what, cleanup = self._act(day, tr.do, strategy, cleanup)
            side = "below" if "below" in tr.when else "above"
            self._note(day, what, f"trigger {i}: {tr.when['metric']} {tr.when['window_days']}-day mean "
                       f"{value:.4g} {side} {tr.when[side]:g}")
            self.last_fired[i] = day
            made += 1
        return strategy, cleanup, made

    def _note(self, day: int, what: str, why: str) -> None:
        self.log.append({"day": day, "what": what, "why": why})

    def running(self, lever: str, day: int) -> list:
        """The triggers' own items of ``lever`` ("content.events" or "recruiting.campaigns")
        still running on ``day`` (their last day not passed)."""
        if lever == "content.events":
            return [ev for last, ev in self.series_end if last >= day]
        return [cp for cp in self.campaigns if cp.end_day >= day]

    def own(self, lever: str, items: list) -> list:
        """``items`` of ``lever`` without the triggers' (running, or ending this morning): the
        operator's own events or campaigns."""
        theirs = [ev for _, ev in self.series_end] if lever == "content.events" else self.campaigns
        return [x for x in items if not any(x is t for t in theirs)]

    def keep_running(self, levers: dict, day: int) -> dict:
        """``levers`` as the operator sets them on ``day``, with the triggers' event series and
        campaigns still running that day added to the events and campaigns set, unless an equal
        one is set already, in order of start day: a dashboard arm saved before this rule listed
        copies of them, and gives the same run as one that does not."""
        out = dict(levers)
        for lever in ("content.events", "recruiting.campaigns"):
            if lever in out:
                items = list(out[lever])  # (an equal item is the same one: arms saved before 2026-11-28 copied them)
                items += [x for x in self.running(lever, day) if x not in items]
                out[lever] = sorted(items, key=lambda x: x.start_day)  # (stable: the order a copy had)
        return out

    def _set(self, day: int, strategy: Strategy, levers: dict) -> Strategy:
        """``strategy`` with the levers set, the triggers' running series and campaigns kept."""
        strategy = with_levers(strategy, levers)
        now = {"content.events": strategy.content.events, "recruiting.campaigns": strategy.recruiting.campaigns}
        kept = self.keep_running({lever: now[lever] for lever in now if lever in levers}, day)
        return with_levers(strategy, kept) if kept else strategy

    def _end_series(self, day: int, strategy: Strategy) -> Strategy:
        """Take out of the calendar the triggers' event series whose last day has passed."""
        ended = [ev for last, ev in self.series_end if last < day]
        if not ended:
            return strategy
        self.series_end = [(last, ev) for last, ev in self.series_end if last >= day]
        events = [ev for ev in strategy.content.events if not any(ev is e for e in ended)]
        return with_levers(strategy, {"content.events": events})

    def _act(self, day: int, do: dict, strategy: Strategy, cleanup: Cleanup | None) -> tuple[Strategy, str, Cleanup | None]:
        """Apply one action: (the new strategy, what was done, today's cleanup)."""
        (action, p), = do.items()
        if action == "set":
            return self._set(day, strategy, p), f"set {_levers_text(p)}", cleanup
        if action == "cleanup":
            run = dataclasses.replace(strategy.cleanup, **p)
            return strategy, f"cleanup (rule {run.rule})", run
        if action == "events":
            ev = Event(kind=p["kind"], every_days=p["every_days"], start_day=day, branded=p["branded"])
            self.series_end.append((day + p["for_days"] - 1, ev))
            events = list(strategy.content.events) + [ev]
            return (with_levers(strategy, {"content.events": events}),
                    f"events ({p['kind']} every {p['every_days']} days for {p['for_days']} days)", cleanup)
        cp = Campaign(start_day=day, end_day=day + p["days"] - 1, applicants_per_day=p["applicants_per_day"],
                      gift_yuan=p["gift_yuan"])
        self.campaigns.append(cp)
        campaigns = list(strategy.recruiting.campaigns) + [cp]
        return (with_levers(strategy, {"recruiting.campaigns": campaigns}),
                f"campaign ({p['applicants_per_day']:g} applicants a day for {p['days']} days)", cleanup)
