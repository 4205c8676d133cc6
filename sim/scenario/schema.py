"""The Scenario: a community and a strategy to test on it, with every default in one place
(the dataclass fields of this package), and the checks that involve more than one field."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from .behaviour import Behaviour
from .changes import check_changes, raw_change_errors, with_levers
from .community import Community
from .errors import ScenarioError
from .fields import build, field_docs, set_path, spec
from .strategy import Strategy

UNCHANGING = ("schedule", "triggers")  # strategy fields that to_dict leaves out when empty


@dataclass
class Scenario:
    """A community and a strategy to test on it."""

    name: str = spec("scenario", "short name (used for the result folder)")
    description: str = spec("", "one line for `community-sim scenarios`")
    days: int = spec(730, "days simulated (one step = one day)", 1, 36500)
    seed: int = spec(1, "random seed: same scenario and seed give identical results", 0, 2**63 - 1)
    community: Community = spec(Community(), "the community")
    strategy: Strategy = spec(Strategy(), "the operator's strategy")
    behaviour: Behaviour = spec(Behaviour(), "response constants (calibrated; change for sensitivity studies)")

    def to_dict(self) -> dict:
        """The resolved scenario as plain data, every default filled in; an empty schedule or
        list of triggers is left out, so a strategy that does not change over time reads (and
        hashes to an experiment's run id) as it did before they existed."""
        data = dataclasses.asdict(self)
        for key in UNCHANGING:
            if not data["strategy"][key]:
                del data["strategy"][key]
        for trigger in data["strategy"].get("triggers", []):
            if trigger["from_day"] == 0:  # followed from the start: reads as before rules could start later
                del trigger["from_day"]
        return data

    def with_overrides(self, overrides: dict[str, Any], source: str = "overrides") -> Scenario:
        """A copy with dotted-path overrides applied and validated (e.g. 'strategy.entry.kind')."""
        data = dataclasses.asdict(self)
        errors: list[ScenarioError] = []  # a path naming no field, and the values of the others, all reported
        for dotted, value in overrides.items():
            try:
                set_path(data, dotted, value, source)
            except ScenarioError as exc:
                errors.append(exc)
        try:
            scenario = scenario_from_dict(data, source)
        except ScenarioError as exc:
            errors.append(exc)
        if errors:
            raise ScenarioError.collect(errors)
        return scenario


def _cross_checks(s: Scenario, source: str) -> None:
    """Checks that involve more than one field; every one that fails is reported."""
    errors: list[ScenarioError] = []

    def bad(path: str, message: str) -> None:
        errors.append(ScenarioError(source, path, message))

    e = s.strategy.entry
    if e.kind in ("screening", "invite") and e.level > 1:
        bad("strategy.entry.level", f"given {e.level:g} with kind {e.kind}, allowed a number from 0 to 1")
    r = s.community.roles
    total = r.pioneer + r.replicator + r.collaborator + r.payer
    if total > 0.9:
        bad("community.roles", f"given role shares summing to {total:g}, allowed a sum of at most 0.9 "
            "(participants take the rest)")
    if s.community.managers + 1 > s.community.initial_members:
        bad("community.managers", f"given {s.community.managers}, allowed at most initial_members - 1 = "
            f"{s.community.initial_members - 1:,}")
    n = s.community.network
    if n.kind == "edge_list" and not n.edge_list:
        bad("community.network.edge_list", "given nothing, allowed a file path (kind is edge_list)")
    if n.kind != "edge_list" and n.mean_degree >= s.community.initial_members:
        smallest = "" if s.community.initial_members > 2 else (
            "; a generated network needs initial_members of at least 3 (mean_degree is at least 2): for a group "
            "founded by two, give network kind edge_list with a file holding their one tie")
        bad("community.network.mean_degree", f"given {n.mean_degree}, allowed less than initial_members "
            f"({s.community.initial_members:,}){smallest}")
    for i, c in enumerate(s.strategy.recruiting.campaigns):
        if c.end_day < c.start_day:
            bad(f"strategy.recruiting.campaigns[{i}].end_day",
                f"given {c.end_day}, allowed a day not before start_day ({c.start_day})")
    a = s.behaviour.attention
    if a.visit_max < a.visit_min:
        bad("behaviour.attention.visit_max", f"given {a.visit_max:g}, allowed at least visit_min ({a.visit_min:g})")
    if errors:
        raise ScenarioError.collect(errors)


def _changed_checks(s: Scenario, source: str) -> None:
    """The cross-field checks again on the strategy as each schedule step leaves it, and as each
    trigger's set action would leave the starting one (e.g. screening with a level over 1)."""
    errors: list[ScenarioError] = []
    cases, current = [], s.strategy
    for i, st in enumerate(s.strategy.schedule):
        current = with_levers(current, st.set)
        cases.append((f"strategy.schedule[{i}].set", current))
    for i, tr in enumerate(s.strategy.triggers):
        if "set" in tr.do:
            cases.append((f"strategy.triggers[{i}].do.set", with_levers(s.strategy, tr.do["set"])))
    for where, strategy in cases:
        try:
            _cross_checks(dataclasses.replace(s, strategy=strategy), source)
        except ScenarioError as exc:
            errors.extend(ScenarioError(source, where, f"after it, field '{e.path}': {e.message}") for e in exc.errors)
    if errors:
        raise ScenarioError.collect(errors)


def scenario_field_docs() -> list[tuple[str, Any, str]]:
    """(path, default, doc) for every leaf field of a scenario: the parameter reference."""
    return field_docs(Scenario)


def scenario_from_dict(data: dict, source: str = "") -> Scenario:
    """Validate plain data (as read from YAML) into a Scenario."""
    try:
        s = build(Scenario, data, source)
    except ScenarioError as exc:  # the schedule's and triggers' own errors are independent: list them too
        raise ScenarioError.collect([exc, *raw_change_errors(data, source)]) from None
    s = dataclasses.replace(s, strategy=check_changes(s.strategy, s.days, source))
    _cross_checks(s, source)
    _changed_checks(s, source)
    return s

