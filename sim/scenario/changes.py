"""Checking a strategy's changes over time: the schedule's steps and the triggers' conditions
and actions, with the schema's own field checks, so an error names the file, the field path
(``strategy.schedule[1].set.entry.level``), what was given and what is allowed.

Checked values are returned normalised (each lever value as the schema builds it, each
condition and action with its defaults filled in), so the model reads them without checking.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass
from typing import Any, Callable

from .errors import ScenarioError, shown
from .fields import TRIGGER_ACTIONS, TRIGGER_METRICS, build, check_path, replace_path, spec
from .strategy import Campaign, Cleanup, Event, Step, Strategy, Trigger

THRESHOLD_LIMIT = 1e12  # a condition's number, either way


@dataclass
class Condition:
    """A trigger's condition: the mean of a metric of the daily record over the days before today
    (ad_share: ad posts over all posts in those days) is below, or above, a number."""

    metric: str = spec("active", "what is watched: a column of timeseries.csv, or ad_share", choices=TRIGGER_METRICS)
    window_days: int = spec(14, "days in the mean (the days before today; no decision before there are that many)",
                            1, 3650)
    below: float = spec(0.0, "holds when the mean is under this (give below or above)", -THRESHOLD_LIMIT, THRESHOLD_LIMIT)
    above: float = spec(0.0, "holds when the mean is over this (give below or above)", -THRESHOLD_LIMIT, THRESHOLD_LIMIT)


@dataclass
class EventSeries:
    """How long a trigger's event series lasts (its kind, cadence and branding are an Event's)."""

    for_days: int = spec(28, "days the series runs, from the day the trigger fires", 1, 36500)


@dataclass
class CampaignRun:
    """How long a trigger's campaign lasts (its size and gift are a Campaign's)."""

    days: int = spec(30, "days the campaign runs, from the day the trigger fires", 1, 36500)


NOT_SET = ("schedule", "triggers")  # levers a step or a trigger may not change


def check_levers(data: Any, source: str, where: str) -> dict:
    """A mapping of strategy lever paths to values, each checked as its field is."""
    if not isinstance(data, dict) or not data:
        raise ScenarioError(source, where, f"given {shown(data)}, allowed a mapping of strategy lever paths to values, "
                            "e.g. {entry.kind: fee, entry.level: 99}")

    def lever(key: Any, value: Any) -> Any:
        if isinstance(key, str) and key.split(".")[0] in NOT_SET:
            raise ScenarioError(source, f"{where}.{key}", f"given {shown(key)}, allowed a lever (a schedule or "
                                "trigger cannot change the schedule or the triggers)")
        return check_path(Strategy, key, value, source, f"{where}.{key}")

    return check_each(data, lever)


def check_each(data: dict, check) -> dict:
    """``check(key, value)`` for every item, every error reported (as one ScenarioError)."""
    out, errors = {}, []
    for key, value in data.items():
        try:
            out[key] = check(key, value)
        except ScenarioError as exc:
            errors.append(exc)
    if errors:
        raise ScenarioError.collect(errors)
    return out


def with_levers(strategy: Strategy, levers: dict) -> Strategy:
    """A new strategy with checked lever values (path -> value) in place; the old one is kept."""
    for path, value in levers.items():
        strategy = replace_path(strategy, path, value)
    return strategy


def _check_params(data: Any, parts: tuple[type, ...], banned: tuple[str, ...], source: str, where: str) -> dict:
    """An action's parameters: each key a field of one of ``parts`` (``banned`` ones aside)."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError(source, where, f"given {shown(data)}, allowed a mapping of the action's settings")
    allowed = [f.name for cls in parts for f in dataclasses.fields(cls) if f.name not in banned]

    def setting(key: Any, value: Any) -> Any:
        owner = next((cls for cls in parts if key in {f.name for f in dataclasses.fields(cls)}), None)
        if owner is None or key in banned:
            hint = difflib.get_close_matches(str(key)[:100], allowed, n=1, cutoff=0.6)
            extra = f"; did you mean '{hint[0]}'?" if hint else ""
            raise ScenarioError(source, f"{where}.{key}", f"unknown setting {shown(key)}{extra} "
                                f"(allowed: {', '.join(allowed)})")
        return check_path(owner, key, value, source, f"{where}.{key}")

    return check_each(data, setting)


def check_condition(data: Any, source: str, where: str) -> dict:
    """A trigger's condition, normalised: {metric, window_days, below} or {..., above}; its
    fields' errors and a missing (or doubled) side are reported together."""
    if not isinstance(data, dict) or "metric" not in data:
        raise ScenarioError(source, where, f"given {shown(data)}, allowed a mapping with metric (one of "
                            f"{', '.join(TRIGGER_METRICS)}), window_days and below or above")
    errors: list[ScenarioError] = []
    c = attempt(errors, lambda: build(Condition, data, source, where))
    sides = [k for k in ("below", "above") if k in data]
    if len(sides) != 1:
        errors.append(ScenarioError(source, where, f"given {'both below and above' if sides else 'neither below nor above'}, "
                                    "allowed exactly one of them"))
    if errors:
        raise ScenarioError.collect(errors)
    return {"metric": c.metric, "window_days": c.window_days, sides[0]: getattr(c, sides[0])}


def check_action(data: Any, source: str, where: str) -> dict:
    """A trigger's action, normalised: {cleanup: {...}} (only the settings given; the rest are
    the strategy's cleanup's on the day), {events: {kind, every_days, branded, for_days}},
    {campaign: {days, applicants_per_day, gift_yuan}} or {set: {lever path: value}}."""
    if not isinstance(data, dict) or len(data) != 1:
        raise ScenarioError(source, where, f"given {shown(data)}, allowed a mapping with one action: "
                            f"{', '.join(TRIGGER_ACTIONS)}")
    (action, params), = data.items()
    if action not in TRIGGER_ACTIONS:
        hint = difflib.get_close_matches(str(action)[:100], TRIGGER_ACTIONS, n=1)
        extra = f" (did you mean '{hint[0]}'?)" if hint else ""
        raise ScenarioError(source, where, f"given action {shown(action)}, allowed one of "
                            f"{', '.join(TRIGGER_ACTIONS)}{extra}")
    sub = f"{where}.{action}"
    if action == "set":
        return {"set": check_levers(params, source, sub)}
    if action == "cleanup":
        return {"cleanup": _check_params(params, (Cleanup,), ("every_days",), source, sub)}
    if action == "events":
        given = _check_params(params, (Event, EventSeries), ("start_day",), source, sub)
        ev, run = Event(), EventSeries()
        return {"events": {"kind": given.get("kind", ev.kind), "every_days": given.get("every_days", ev.every_days),
                           "branded": given.get("branded", ev.branded),
                           "for_days": given.get("for_days", run.for_days)}}
    given = _check_params(params, (Campaign, CampaignRun), ("start_day", "end_day"), source, sub)
    cp, run = Campaign(), CampaignRun()
    return {"campaign": {"days": given.get("days", run.days),
                         "applicants_per_day": given.get("applicants_per_day", cp.applicants_per_day),
                         "gift_yuan": given.get("gift_yuan", cp.gift_yuan)}}


def attempt(errors: list[ScenarioError], check: Callable[[], Any]) -> Any:
    """``check()``, or None with its error added to ``errors``."""
    try:
        return check()
    except ScenarioError as exc:
        errors.append(exc)
        return None


def check_trigger(trigger: Trigger, source: str, where: str) -> Trigger:
    """The rule with every field checked (types, ranges) and its condition and action
    normalised (ScenarioError if not; the errors of each part are all reported)."""
    errors: list[ScenarioError] = []
    attempt(errors, lambda: build(Trigger, {"cooldown_days": trigger.cooldown_days, "from_day": trigger.from_day},
                                  source, where))
    when = attempt(errors, lambda: check_condition(trigger.when, source, f"{where}.when"))
    do = attempt(errors, lambda: check_action(trigger.do, source, f"{where}.do"))
    if errors:
        raise ScenarioError.collect(errors)
    return dataclasses.replace(trigger, when=when, do=do)


def check_changes(strategy: Strategy, days: int, source: str) -> Strategy:
    """The strategy with its schedule and triggers checked and normalised; every error found
    is reported. Steps must fall inside the horizon (0 to days - 1) in order of from_day."""
    steps, triggers, errors = _changes(strategy.schedule, strategy.triggers, days, source)
    if errors:
        raise ScenarioError.collect(errors)
    return dataclasses.replace(strategy, schedule=steps, triggers=triggers)


def raw_change_errors(data: Any, source: str) -> list[ScenarioError]:
    """The errors of the schedule steps' ``set`` and the triggers' ``when`` and ``do`` in a
    scenario's data as read, for a scenario that failed to build: they do not depend on the
    rest, so `validate` lists them with its other errors. A step or trigger that cannot be
    built is skipped (its own error is reported by the build), and so is the horizon check
    when ``days`` is not a valid number of days."""
    strategy = data.get("strategy") if isinstance(data, dict) else None
    if not isinstance(strategy, dict):
        return []
    days = data.get("days", 730)
    days = days if isinstance(days, int) and not isinstance(days, bool) and days > 0 else None

    def built(cls: type, key: str) -> list:
        raw = strategy.get(key)
        return [_lenient(cls, item, source, f"strategy.{key}[{i}]") for i, item in enumerate(raw)] \
            if isinstance(raw, list) else []

    return _changes(built(Step, "schedule"), built(Trigger, "triggers"), days, source)[2]


def _lenient(cls: type, item: Any, source: str, where: str) -> Any:
    """``cls`` built from the fields of ``item`` that are right (None if it is no mapping); a
    step's from_day left out is None, so no order check uses it (a trigger's is 0, in range)."""
    if not isinstance(item, dict):
        return None
    good = {k: v for k, v in item.items() if attempt([], lambda: build(cls, {k: v}, source, where)) is not None}
    out = build(cls, good, source, where)
    if cls is Step and "from_day" not in good and "from_day" in item:
        out.from_day = None
    return out


def _changes(schedule: list, rules: list, days: int | None, source: str) -> tuple[list, list, list[ScenarioError]]:
    """Checked steps, checked triggers and every error; None entries (not built) are skipped,
    and the horizon is not checked when ``days`` is None."""
    errors: list[ScenarioError] = []
    steps, triggers = [], []
    previous = 0
    for i, st in enumerate(schedule):
        if st is None:
            continue
        where = f"strategy.schedule[{i}]"
        if st.from_day is None:
            pass
        elif days is not None and st.from_day >= days:
            errors.append(ScenarioError(source, f"{where}.from_day", f"given {st.from_day}, allowed a day from 0 to "
                                        f"{days - 1} (the scenario runs {days} days)"))
        elif st.from_day < previous:
            errors.append(ScenarioError(source, f"{where}.from_day", f"given {st.from_day}, allowed at least "
                                        f"{previous} (steps in order of from_day)"))
        previous = max(previous, st.from_day or 0)
        levers = attempt(errors, lambda: check_levers(st.set, source, f"{where}.set"))
        if levers is not None:
            steps.append(dataclasses.replace(st, set=levers))
    for i, tr in enumerate(rules):
        if tr is None:
            continue
        where = f"strategy.triggers[{i}]"
        if days is not None and tr.from_day is not None and tr.from_day >= days:
            errors.append(ScenarioError(source, f"{where}.from_day", f"given {tr.from_day}, allowed a day from 0 to "
                                        f"{days - 1} (the scenario runs {days} days)"))
        checked = attempt(errors, lambda: check_trigger(tr, source, where))
        if checked is not None:
            triggers.append(checked)
    return steps, triggers, errors
