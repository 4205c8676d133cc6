"""One dashboard session: the loaded scenario, the lever settings, one run (or two side by
side on the same seed), stepped day by day, handing out ``Frame`` snapshots that the page draws.

The model (one ``Run`` each, ``sim.workshop.runs``) is used only through its public interface:
``.day``, ``.horizon``, ``.scenario``, ``.change_from_today``, ``.follow_rule_from_today``,
``.interventions.log`` and ``.triggers`` (what the rules did), ``.interventions.own`` and
``.keep_running`` (the room's events and campaigns beside the rules').
"""

from __future__ import annotations

import dataclasses
import threading
from pathlib import Path
from typing import Any

import numpy as np

from ..scenario import Scenario, ScenarioError, check_levers, load_scenario, shipped_scenarios, with_levers
from .arms import SavedArm, save_arm
from .frames import Frame, rule_name
from .live import LiveChange, Rule, answers_an_act, checked_rule, others_acts, with_live_changes
from .levers import LEVER, apply_settings, change_setting, overrides_between, settings_of
from .runs import Run, founding_layout


class Workshop:
    """One dashboard session: the loaded scenario, the levers (strategy B, the one being edited),
    an optional strategy A for the side-by-side view, and the runs. Thread-safe: the page's play
    loop and its controls call in from different threads."""

    def __init__(self, scenario: str | Path | None = None, catalog: dict[str, Path] | None = None):
        self.lock = threading.RLock()
        self.catalog = dict(catalog) if catalog is not None else shipped_scenarios()
        self.compare = False
        self.serial = 0
        self.drawn_serial = -1  # the page sets it: the last serial it has drawn
        self.message = ""
        self._layout_cache: dict[tuple, dict[int, np.ndarray]] = {}
        first = scenario
        if first is None:
            first = "baseline" if "baseline" in self.catalog else next(iter(self.catalog), None)
        if first is None:
            raise ScenarioError("", "", "no scenario to load: give a scenario file")
        self.load(first)

    # ------------------------------------------------------------ loading and settings
    def load(self, name_or_path: str | Path) -> None:
        """Load a scenario from the menu (by name) or a file; resets the runs to day 0."""
        with self.lock:
            key = str(name_or_path)
            if key in self.catalog:
                path = self.catalog[key]
            else:
                path = Path(name_or_path).resolve()
                key = path.stem
                self.catalog.setdefault(key, path)
                if self.catalog[key] != path:
                    key = str(path)
                    self.catalog[key] = path
            base = load_scenario(path)
            self.name = key
            self.base_path = Path(path)
            self.base = base
            self.seed = int(base.seed)
            self.settings = settings_of(base)
            self.start_settings = dict(self.settings)  # in force on day 0; then the live changes
            self.live: list[LiveChange] = []
            self.rules: list[Rule] = []  # the operator's rules, in the order adopted
            self.refused = 0  # values refused so far (the page redraws its controls after one)
            self.a_scenario = base
            self.a_label = "as shipped"
            self.current = base
            self.message = ""
            self._rebuild(replay_to=0)

    def set_lever(self, path: str, value: Any, live: bool = True) -> str | None:
        """Change one lever. During a run (``live``, after day 0) a strategy lever changes from
        today on, as an operator would, and is recorded as a live change; otherwise (and for the
        founding members and managers, which are set on day 0) B replays from day 0 to today
        with the new setting on the same seed. Returns an error message (and changes nothing)
        if the value is not allowed."""
        with self.lock:
            new = self._moved(self.settings, path, value)
            changed = {p: v for p, v in new.items() if v != self.settings.get(p)}
            if live and 0 < self.day < self.horizon and all(p.startswith("strategy.") for p in changed):
                return self._change_live(new, changed)
            return self.set_settings(self._moved(self.own_settings(), path, value))  # the rules act again

    def _moved(self, settings: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
        """``settings`` with ``path`` set to ``value`` (a dashboard lever coerced, as ``change_setting`` does)."""
        return change_setting(self.base, settings, path, value) if path in LEVER else {**settings, path: value}

    def own_settings(self) -> dict[str, Any]:
        """The levers as the room set them, up to today: the day-0 settings, then the live changes
        made or planned for a day up to today, in order of day, except those that answer a rule's
        act (``_kept``). Not what the rules did: after a replay or reset the rules (from day 0) act
        again when their conditions hold, and a rule's act baked into the day-0 settings would be
        made twice (a fee from day 0, say, though the room never asked for one before the rule's
        condition held)."""
        own, kept = dict(self.start_settings), self._kept()
        for change in sorted((c for c in self.live if not any(c is k for k in kept)), key=lambda c: c.day):
            own.update(change.levers)
        return own

    def _kept(self) -> list[LiveChange]:
        """The changes that keep their day when B starts again from day 0: those announced for a
        later day, and those that moved a lever a rule (or the scenario's schedule) had set on an
        earlier day: the room's answer to that act, which a day-0 setting would not survive."""
        model = self.runs["B"].model
        acts = others_acts(model.interventions.log, model.interventions.triggers, self.base.strategy.schedule)
        return [c for c in self.live if c.day > self.day or answers_an_act(c, acts)]

    def _refuse(self, exc: ScenarioError) -> str:
        self.message = f"Not applied: {exc.message if exc.path == '' else exc.path + ': ' + exc.message}"
        self.refused += 1
        self.serial += 1
        return self.message

    def _change_live(self, new: dict[str, Any], changed: dict[str, Any], day: int | None = None) -> str | None:
        """Apply ``changed`` to B's model from today (or a later ``day``) on, no replay, and record it."""
        if not changed:
            return None
        if "strategy.entry.level" in changed:  # a level of the kind in force (a rule's, say), not of day 0's
            changed = {"strategy.entry.kind": new["strategy.entry.kind"], **changed}
        change = LiveChange(self.day if day is None else int(day), changed)
        try:
            apply_settings(self.base, new)  # the whole set, cross-checks included
            current = self._scenario_with([*self.live, change], self.rules)
            self.runs["B"].model.change_from_today(change.step()["set"], change.day)
        except ScenarioError as exc:
            return self._refuse(exc)
        if day is None:
            self.settings = dict(new)
        self.current, self.message = current, ""
        self.live.append(change)
        self.serial += 1
        return None

    def plan_change(self, day: int, path: str, value: Any, also: dict[str, Any] | None = None) -> str | None:
        """Announce a strategy lever's new value from a later ``day`` on ("from day 180 we charge
        a fee"; ``also``: more levers of the same step, e.g. the fee's level): a schedule step the
        run meets on that day (the controls follow it then)."""
        with self.lock:
            moves = {path: value, **(also or {})}
            bad = next((p for p in moves if not p.startswith("strategy.") or p not in LEVER), None)
            if bad is not None:
                return self._refuse(ScenarioError("plan", bad, "allowed a strategy lever"))
            if not self.day < int(day):
                return self._refuse(ScenarioError("plan", "from_day", f"given {day}, allowed a day after today "
                                                  f"({self.day}); to change today, move the lever"))
            new = self.settings
            for p, v in moves.items():
                new = change_setting(self.base, new, p, v)
            return self._change_live(new, {p: v for p, v in new.items() if v != self.settings.get(p)}, day=int(day))

    def set_settings(self, settings: dict[str, Any]) -> str | None:
        """Replay from day 0 with ``settings`` (the live changes made so far are dropped: the
        settings hold from day 0; a change made against a rule's act keeps its day), B back on
        today's day."""
        with self.lock:
            try:
                scenario = apply_settings(self.base, settings)
            except ScenarioError as exc:
                return self._refuse(exc)
            self._from_day_0(settings, scenario)
            self.message = ""
            self._rebuild_b(replay_to=self.day)
            self._controls_follow_the_run()  # the rules may have acted again on the way
            return None

    def in_force(self) -> Scenario:
        """B's scenario as it stands today: the model's, with the changes made today (which act
        from the start of today's step) applied."""
        with self.lock:
            model = self.runs["B"].model
            scenario = model.scenario
            for change in (c for c in self.live if c.day == self.day):
                levers = check_levers(change.step()["set"], "live change", "set")
                levers = model.interventions.keep_running(levers, self.day)  # the rules' series and campaigns go on
                scenario = dataclasses.replace(scenario, strategy=with_levers(scenario.strategy, levers))
            return scenario

    def start_events(self, kind: str, every_days: int, branded: bool = False) -> str | None:
        """An event series from today (added to the room's own): as an operator would announce it.
        The events lever holds the room's calendar only: a series a rule started runs its days
        beside it and then ends (``sim.model.interventions``), the room's events going on."""
        with self.lock:
            own = self.runs["B"].model.interventions.own("content.events", self.in_force().strategy.content.events)
            events = [dataclasses.asdict(e) for e in own]
            new = {"kind": str(kind), "every_days": int(every_days), "start_day": self.day, "branded": bool(branded)}
            return self.set_lever("strategy.content.events", [*events, new])

    def stop_events(self) -> str | None:
        """No more of the room's events from today (a rule's series runs its days)."""
        return self.set_lever("strategy.content.events", [])

    def start_campaign(self, applicants_per_day: float, days: int, gift_yuan: float = 0.0) -> str | None:
        """A recruiting campaign from today for ``days`` days (added to the room's own: a rule's
        campaign runs its days beside them, as a rule's event series does)."""
        with self.lock:
            own = self.runs["B"].model.interventions.own("recruiting.campaigns",
                                                         self.in_force().strategy.recruiting.campaigns)
            campaigns = [dataclasses.asdict(c) for c in own]
            new = {"start_day": self.day, "end_day": self.day + int(days) - 1,
                   "applicants_per_day": float(applicants_per_day), "gift_yuan": float(gift_yuan)}
            return self.set_lever("strategy.recruiting.campaigns", [*campaigns, new])

    def add_rule(self, when: dict[str, Any], do: dict[str, Any], cooldown_days: int) -> str | None:
        """Follow an operator's rule (a trigger) from today on, as announced today, the run going
        on (on day 0: from the start). Returns an error message (and changes nothing) if the
        schema refuses it."""
        with self.lock:
            if self.finished:
                return self._refuse(ScenarioError("rule", "", f"the run has ended (day {self.day})"))
            try:  # the whole scenario checked first: a refused rule changes nothing
                rules = [*self.rules, checked_rule(when, do, cooldown_days, self.day)]
                current = self._scenario_with(self.live, rules)
                self.runs["B"].model.follow_rule_from_today(rules[-1].when, rules[-1].do, rules[-1].cooldown_days)
            except ScenarioError as exc:
                return self._refuse(exc)
            self.rules, self.current = rules, current
            self.message = ""
            self.serial += 1
            return None

    def replay(self) -> str | None:
        """"Replay from day 0 with these settings": the room's levers of today from day 0 (the
        rules act again as their conditions hold), to today."""
        return self.set_settings(self.own_settings())

    def set_seed(self, seed: int) -> None:
        with self.lock:
            self.seed = int(seed)
            self._rebuild(replay_to=0)

    def set_compare(self, on: bool) -> None:
        """Side by side: strategy A (the scenario as shipped, or pinned settings) next to B."""
        with self.lock:
            self.compare = bool(on)
            self._rebuild_a(replay_to=self.day)
            self.serial += 1

    def pin_as_a(self) -> None:
        """Freeze the current settings as strategy A; the levers go on editing B."""
        with self.lock:
            self.a_scenario = self.current
            self.a_label = f"pinned at day {self.day}"  # its settings, changes and rules as they stood
            self.compare = True
            self._rebuild_a(replay_to=self.day)
            self.serial += 1

    def named_rules(self) -> list[tuple[str, Rule]]:
        """The room's rules with the names the curves give them ('rule 1' after the scenario's own)."""
        own = len(self.base.strategy.triggers)
        return [(rule_name(own + i), r) for i, r in enumerate(self.rules)]

    def overrides(self) -> dict[str, Any]:
        """B's settings that differ from the loaded scenario, as dotted paths."""
        return overrides_between(self.base, self.current)

    def save_arm(self, experiment: str | Path, arm_name: str) -> SavedArm:
        with self.lock:
            saved = save_arm(experiment, arm_name, self.current, self.base_path, seed=2026)
            self.serial += 1
            return saved

    # ------------------------------------------------------------ running
    @property
    def day(self) -> int:
        return self.runs["B"].day

    @property
    def horizon(self) -> int:
        return int(self.runs["B"].model.horizon)

    @property
    def finished(self) -> bool:
        return self.day >= self.horizon

    def step(self, days: int = 1) -> None:
        with self.lock:
            before = self.day
            for run in self.runs.values():
                run.step(days)
            if self.day != before:
                self._controls_follow_the_run()
            self.serial += 1

    def _controls_follow_the_run(self) -> None:
        """The controls show what is in force in B: planned changes and the rules' acts too (a
        lever moved from there is a change against what is in force)."""
        in_force = settings_of(self.runs["B"].model.scenario)
        self.settings.update({p: v for p, v in in_force.items() if p.startswith("strategy.")})

    def reset(self) -> None:
        """Back to day 0 with the room's levers as they are now (its live changes become day-0
        settings, except a lever moved after a rule had set it, which keeps its day; the rules,
        from day 0, act again as their conditions hold)."""
        with self.lock:
            own = self.own_settings()
            self._from_day_0(own, apply_settings(self.base, own))
            self._rebuild(replay_to=0)

    def _from_day_0(self, settings: dict[str, Any], scenario: Scenario) -> None:
        """``settings`` (giving ``scenario``) hold from day 0: the changes made so far are in them,
        changes announced for a later day or made against a rule's act stay on their day (``_kept``),
        and today's rules are followed from day 0."""
        self.settings, self.start_settings = dict(settings), dict(settings)
        self.live = self._kept()
        self.rules = [dataclasses.replace(r, day=0) for r in self.rules]
        self.current = with_live_changes(scenario, self.live, self.rules)

    def _scenario_with(self, live: list[LiveChange], rules: list[Rule]) -> Scenario:
        """The scenario whose run from day 0 is B with these live changes and rules."""
        return with_live_changes(apply_settings(self.base, self.start_settings), live, rules)

    def _new_run(self, scenario: Scenario, replay_to: int) -> Run:
        run = Run(scenario, self.seed, founding_layout(scenario, self.seed, self._layout_cache))
        run.step(replay_to)
        return run

    def _rebuild_b(self, replay_to: int) -> None:
        self.runs["B"] = self._new_run(self.current, replay_to)
        self.serial += 1

    def _rebuild_a(self, replay_to: int) -> None:
        if self.compare:
            run = self._new_run(self.a_scenario, replay_to)
            b = self.runs.get("B")
            if b is not None and self.a_scenario is self.current and b.day == run.day:
                run.layout.pos = dict(b.layout.pos)  # the same people: draw them in the same places
            self.runs["A"] = run
        else:
            self.runs.pop("A", None)

    def _rebuild(self, replay_to: int) -> None:
        self.runs: dict[str, Run] = {}
        self._rebuild_b(replay_to)
        self._rebuild_a(replay_to)

    def frame(self, with_network: bool = True) -> Frame:
        with self.lock:
            runs = {}
            for key in ("A", "B"):
                if key in self.runs:
                    rf = self.runs[key].snapshot(with_network)
                    rf.label = key
                    if key == "B":  # changes made today act from today: show them in force now
                        rf.scenario = self.in_force()
                    runs[key] = rf
            marks = [(c.day, c.label() + (" (planned)" if c.day > self.day else "")) for c in self.live] + [
                (r.day, f"{name}: {r.label()}") for name, r in self.named_rules() if r.day]
            marks = tuple(sorted(marks, key=lambda m: m[0]))  # in the order of the days they act from
            return Frame(self.day, self.horizon, runs, self.compare, self.serial, self.a_label, marks)
