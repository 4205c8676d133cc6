"""Optimisation files: a base scenario, the levers to search (field ranges, ``sim.scenario.ranges``), the objectives (summary
metrics or the file's own custom metrics, each to maximise or minimise), the operator's limits
(cost per month, organisers' hours per week) and the budget (trials, replicates, batch).
Loading checks everything before any run and collects every error of the file, each naming the
file, the field path, what was given and what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..experiments.spec import (
    MAX_SEED,
    FileChecks,
    apply_overrides,
    bad_value,
    base_field,
    did_you_mean,
    integer_field,
    name_field,
    summary_metric_names,
    text_field,
)
from ..results.custom import CustomMetric, parse_custom_metrics
from ..scenario import Scenario, ScenarioError, existing_file
from ..scenario.errors import shown
from ..scenario.ranges import FieldRange, parse_ranges

KEYS = ("name", "description", "base", "days", "seed", "replicates", "trials", "batch", "sampler", "levers",
        "objectives", "constraints", "custom_metrics", "confirm_replicates")
SAMPLERS = ("nsga2", "tpe")
DIRECTIONS = ("max", "min")
# The default objectives: how long the group lives, how many members post around day 365 (14-day
# mean; at the horizon for shorter runs) and the money it brings in.
DEFAULT_OBJECTIVES = {"lifespan_days": "max", "active_day365_14d": "max", "total_revenue": "max"}
# The operator's limits, each averaged over the horizon: operator cost (the timeseries' operator_cost,
# yuan a day, times DAYS_PER_MONTH) and organisers' hours worked (organiser_hours, a day, times 7).
CONSTRAINTS = ("operator_cost_yuan_per_month_max", "organiser_hours_per_week_max")
MAX_TRIALS = 10_000
MAX_REPLICATES = 1_000
MAX_OBJECTIVES = 6
SECTIONS = ("strategy.", "community.")  # what an operator chooses; behaviour is calibrated, not chosen
FIXED = {"community.network.edge_list": "given 'community.network.edge_list', allowed a lever path whose value can "
                                        "be searched (this one names a file)"}
MAX_LEVERS = 50
Lever = FieldRange  # a lever is a field range (``sim.scenario.ranges``)


def parse_levers(source: str, raw: Any, base: Scenario | None = None) -> list[Lever]:
    """Every lever of a ``levers`` mapping (path under strategy. or community. -> [low, high] or
    choices), checked against the schema and, when given, the base; every error collected."""
    return parse_ranges(raw, source, "levers", base, prefixes=SECTIONS, excluded=FIXED, max_count=MAX_LEVERS)


@dataclass(frozen=True)
class Objective:
    """A metric to maximise ("max") or minimise ("min"), averaged over a candidate's replicates."""

    metric: str
    direction: str


@dataclass
class Optimisation:
    """A validated optimisation file."""

    name: str
    description: str
    source: Path
    base_path: Path
    base: Scenario
    seed: int
    replicates: int
    trials: int
    batch: int
    sampler: str
    levers: list[Lever]
    objectives: list[Objective]
    constraints: dict[str, float]
    custom_metrics: list[CustomMetric]
    custom_forms: dict[str, dict]  # name -> form, as in the file
    confirm_replicates: int

    def to_dict(self, base: str | None = None) -> dict:
        """The resolved file (every default filled in); ``base`` replaces the base's path."""
        out = {"name": self.name, "description": self.description, "base": base or str(self.base_path),
               "days": self.base.days, "seed": self.seed, "replicates": self.replicates, "trials": self.trials,
               "batch": self.batch, "sampler": self.sampler,
               "levers": {lv.path: lv.to_plain() for lv in self.levers},
               "objectives": {o.metric: o.direction for o in self.objectives},
               "constraints": dict(self.constraints), "confirm_replicates": self.confirm_replicates}
        if self.custom_forms:
            out["custom_metrics"] = {k: dict(v) for k, v in self.custom_forms.items()}
        return out


def _objectives(raw: Any, source: str, custom: list[str]) -> list[Objective]:
    if not isinstance(raw, dict) or not raw or len(raw) > MAX_OBJECTIVES:
        raise bad_value(source, "objectives", raw, f"a mapping of 1 to {MAX_OBJECTIVES} metrics to max or min, "
                        "e.g. {lifespan_days: max, total_revenue: max}")
    known = summary_metric_names() + tuple(custom)
    out = []
    for metric, direction in raw.items():
        if metric not in known:
            raise bad_value(source, f"objectives.{metric}", metric, "a summary.json metric or a custom metric: "
                            + ", ".join(known), did_you_mean(str(metric)[:100], known))
        if direction not in DIRECTIONS:
            raise bad_value(source, f"objectives.{metric}", direction, "max or min")
        out.append(Objective(metric, direction))
    return out


def _constraints(raw: Any, source: str) -> dict[str, float]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise bad_value(source, "constraints", raw, "a mapping such as {operator_cost_yuan_per_month_max: 500, "
                        "organiser_hours_per_week_max: 10}")
    out = {}
    for key, value in raw.items():
        if key not in CONSTRAINTS:
            raise ScenarioError(source, f"constraints.{key}", f"unknown constraint {shown(key)}"
                                f"{did_you_mean(str(key)[:100], CONSTRAINTS)} (allowed: {', '.join(CONSTRAINTS)})")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value < float("inf"):
            raise bad_value(source, f"constraints.{key}", value, "a number of at least 0")
        out[key] = float(value)
    return out


def load_optimisation(path: str | Path, trials: int | None = None, replicates: int | None = None,
                      seed: int | None = None) -> Optimisation:
    """Read and validate an optimisation file; ``trials``, ``replicates`` and ``seed`` override
    the file's (command-line options). All of a file's errors are collected into one
    ``ScenarioError`` (its ``errors``)."""
    path = Path(path)
    checks = FileChecks(path, KEYS, "a mapping with base, levers, objectives and constraints")
    data, source, errors, attempt = checks.data, checks.source, checks.errors, checks.attempt
    over = {"trials": trials, "replicates": replicates, "seed": seed}

    def integer(key: str, default: int, lo: int, hi: int) -> int:
        given = over.get(key)
        where = source if given is None else "command line"
        return attempt(lambda: integer_field({key: data.get(key, default) if given is None else given}, key, where,
                                             None, lo, hi), default)

    name = attempt(lambda: name_field(data, source, path.stem), path.stem)
    description = attempt(lambda: text_field(data, "description", source, ""), "")
    base = attempt(lambda: base_field(data, source, path))
    if base is not None and "days" in data:
        base = attempt(lambda: apply_overrides(base, {"days": data["days"]}, source, "", path.parent))
    n_seed = integer("seed", 1, 0, MAX_SEED)
    n_replicates = integer("replicates", 4, 1, MAX_REPLICATES)
    n_trials = integer("trials", 100, 1, MAX_TRIALS)
    batch = integer("batch", 16, 2, MAX_TRIALS)
    confirm = integer("confirm_replicates", 20, 1, MAX_REPLICATES)
    sampler = data.get("sampler", SAMPLERS[0])
    if sampler not in SAMPLERS:
        errors.append(bad_value(source, "sampler", sampler, "one of " + ", ".join(SAMPLERS),
                                did_you_mean(str(sampler)[:100], SAMPLERS)))
    levers = attempt(lambda: parse_levers(source, data.get("levers"), base), [])
    forms = data.get("custom_metrics")
    custom = attempt(lambda: parse_custom_metrics(source, forms, base.days if base is not None else None,
                                                  summary_metric_names()), [])
    names = [m.name for m in custom]
    objectives = attempt(lambda: _objectives(data.get("objectives", DEFAULT_OBJECTIVES), source, names), [])
    constraints = attempt(lambda: _constraints(data.get("constraints"), source), {})
    if errors:
        raise ScenarioError.collect(errors)
    base_path = existing_file(source, "base", data["base"], path.parent)
    return Optimisation(name, description, path, base_path, base, n_seed, n_replicates, n_trials, batch, sampler,
                        levers, objectives, constraints, custom, dict(forms) if custom else {}, confirm)
