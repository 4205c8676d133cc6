"""Experiment files: one base scenario under several strategy arms (named override sets, or a
grid over field values), many replicates each. Loading checks everything before any run starts
(edge-list files named by arms included); every error names the file, the field path (arms
prefixed), what was given and what is allowed, and every error of the file is collected. A grid
is counted before it is expanded: more than ``MAX_ARMS`` arms, or more than ``MAX_RUNS`` runs,
is refused at once. ``custom_metrics`` (forms over timeseries columns, ``sim.results.custom``)
are checked against every arm's horizon and may then be named in ``metrics``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from ..results.custom import parse_custom_metrics
from ..results.folders import DEFAULT_METRICS
from ..run.metrics import summarize
from ..scenario import (Scenario, ScenarioError, check_name, existing_file, load_scenario, read_edge_list, read_yaml,
                        scenario_file)
from ..scenario.errors import bad_value, did_you_mean, shown  # re-exported from scenario.errors
from .arms import MAX_ARMS, grid_arms, named_arms  # noqa: F401 - MAX_ARMS re-exported

EXPERIMENT_KEYS = ("name", "description", "base", "replicates", "days", "seed", "baseline_arm", "metrics",
                   "custom_metrics", "arms", "grid")
MAX_REPLICATES = 100_000
MAX_SEED = 2**63 - 1
MAX_RUNS = 1_000_000  # arms x replicates
EXECUTORS = ("local", "dask")


@dataclass
class Arm:
    """A strategy to compare: overrides (field path -> value) on the base scenario."""

    name: str
    overrides: dict[str, Any]
    scenario: Scenario
    description: str = ""


@dataclass
class Experiment:
    """A validated experiment file: the base scenario, the arms and how many paired runs."""

    name: str
    description: str
    source: Path
    base_path: Path
    base: Scenario
    replicates: int
    days: int
    seed: int
    baseline_arm: str
    metrics: list[str]
    arms: list[Arm]
    grid: dict[str, list] | None = None
    custom_metrics: dict[str, dict] | None = None  # name -> form, as in the file (sim.results.custom)
    # What the command line gave (e.g. {"replicates": 8}); --resume keeps the folder's own value of the rest.
    given: dict[str, Any] = field(default_factory=dict)

    def arm(self, name: str) -> Arm:
        """The arm called ``name``."""
        return next(a for a in self.arms if a.name == name)

    def to_dict(self) -> dict:
        """The resolved experiment (grid expanded into arms) as written to experiment.yaml."""
        out = {
            "name": self.name, "description": self.description, "base": str(self.base_path),
            "replicates": self.replicates, "days": self.days, "seed": self.seed,
            "baseline_arm": self.baseline_arm, "metrics": list(self.metrics),
            "arms": [{"name": a.name, **({"description": a.description} if a.description else {}),
                      "overrides": dict(a.overrides)} for a in self.arms],
        }
        if self.custom_metrics:
            out["custom_metrics"] = {k: dict(v) for k, v in self.custom_metrics.items()}
        if self.grid:
            out["grid"] = {k: list(v) for k, v in self.grid.items()}
        return out


def integer_field(data: dict, key: str, source: str, default: int | None, lo: int, hi: int) -> int:
    """``data[key]`` (or ``default``) as an integer from ``lo`` to ``hi``; errors name ``key``."""
    value = data.get(key, default)
    allowed = f"an integer from {lo:,} to {hi:,}"
    if value is None:
        raise ScenarioError(source, key, f"missing, allowed {allowed}")
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, float) and value.is_integer())):
        raise bad_value(source, key, value, allowed)
    if not lo <= value <= hi:
        raise bad_value(source, key, value, allowed)
    return int(value)


def text_field(data: dict, key: str, source: str, default: str | None) -> str:
    """``data[key]`` (or ``default``) as a string; errors name ``key``."""
    value = data.get(key, default)
    if value is None:
        raise ScenarioError(source, key, "missing, allowed a string")
    if not isinstance(value, str):
        raise bad_value(source, key, value, "a string")
    return value


@cache
def summary_metric_names() -> tuple[str, ...]:
    """The numeric keys of summary.json, found by summarising an empty record (so the list
    follows ``sim.run.metrics.summarize`` as it changes). Empty if that cannot be worked out."""
    from collections import defaultdict

    try:
        summary = summarize(defaultdict(lambda: np.zeros(2)), defaultdict(lambda: np.zeros(0)),
                            defaultdict(lambda: np.zeros(0, dtype=np.int64)))
    except Exception:  # noqa: BLE001 - a summary that needs real data: skip the check
        return ()
    return tuple(k for k, v in summary.items() if v is None or isinstance(v, (bool, int, float, np.number)))


def apply_overrides(base: Scenario, overrides: dict[str, Any], source: str, prefix: str, here: Path) -> Scenario:
    """The base with ``overrides`` applied and validated; errors name ``prefix.<field>``.
    A relative edge-list path given in the overrides resolves against the experiment file."""
    try:
        scenario = base.with_overrides(overrides, source=source)
    except ScenarioError as exc:  # every error of the overrides, each named under the prefix
        raise ScenarioError.collect([ScenarioError(source, ".".join(p for p in (prefix, e.path) if p), e.message)
                                     for e in exc.errors]) from None
    net = scenario.community.network
    if net.kind == "edge_list":
        where = ".".join(p for p in (prefix, "community.network.edge_list") if p)
        named_here = "community.network.edge_list" in overrides
        net.edge_list = str(existing_file(source, where, net.edge_list, here if named_here else Path("/")))
        try:  # read now, once per file: a bad edge list fails the experiment file, not every run
            stat = Path(net.edge_list).stat()
            scenario.community.initial_members = _founders(net.edge_list, stat.st_mtime_ns, stat.st_size)
        except ScenarioError as exc:
            raise ScenarioError(source, where, f"{exc.source}: {exc.message}") from None
    return scenario


@cache
def _founders(path: str, mtime_ns: int, size: int) -> int:
    """Founders in an edge-list file (read once per version of the file, however many arms name it)."""
    return read_edge_list(path)[0]


class FileChecks:
    """A YAML file of known top-level fields (``keys``), read and checked for unknown ones, and
    every error of it collected: ``attempt(check, default)`` records a failing check's error
    and goes on, so one ``ScenarioError`` can list them all. ``top_level`` says what is allowed
    when the file holds no mapping. ``data``: the file's contents if already read."""

    def __init__(self, path: Path, keys: tuple[str, ...], top_level: str, data: Any = None):
        self.source = str(path)
        self.data = read_yaml(path) if data is None else data
        if not isinstance(self.data, dict):
            raise bad_value(self.source, "(top level)", self.data, top_level)
        self.errors: list[ScenarioError] = [
            ScenarioError(self.source, str(key), f"unknown field {shown(key)}{did_you_mean(str(key)[:100], keys)} "
                          f"(allowed: {', '.join(keys)})") for key in self.data if key not in keys]

    def attempt(self, check, default=None):
        """``check()``, or ``default`` with its error recorded."""
        try:
            return check()
        except ScenarioError as exc:
            self.errors.append(exc)
            return default


def file_kind(path: str | Path) -> str:
    """What a YAML file holds, from its top-level fields: 'optimisation' (a base scenario and
    levers to search), 'explore' (a base and factors), 'experiment' (a base and arms or a grid)
    or 'scenario'; a file that cannot be read is left to the scenario loader, whose error says why."""
    try:
        data = read_yaml(path)
    except ScenarioError:
        return "scenario"
    if not isinstance(data, dict) or "base" not in data:
        return "scenario"
    for key, kind in (("levers", "optimisation"), ("factors", "explore"), ("arms", "experiment"), ("grid", "experiment")):
        if key in data:
            return kind
    return "scenario"


def load_experiment(path: str | Path, replicates: int | None = None) -> Experiment:
    """Read and validate an experiment file. Every error names the file, the field path (arms
    prefixed, e.g. 'arms[1].overrides.strategy.entry.kind'), what was given and what is allowed;
    all of a file's errors are collected into one ``ScenarioError`` (its ``errors``).
    ``replicates`` overrides the file's (the --replicates option)."""
    path = Path(path)
    return experiment_from_data(read_yaml(path), path, replicates)


def experiment_from_data(data: Any, path: Path, replicates: int | None = None) -> Experiment:
    """``load_experiment`` on the file's data as read (an explore file builds its arms here);
    ``path`` names the file in errors, and relative paths in it resolve against its folder."""
    checks = FileChecks(path, EXPERIMENT_KEYS, "a mapping with base, arms or grid, replicates, seed", data)
    data, source, errors, attempt = checks.data, checks.source, checks.errors, checks.attempt
    name = attempt(lambda: name_field(data, source, path.stem), path.stem)
    description = attempt(lambda: text_field(data, "description", source, ""), "")
    base = attempt(lambda: base_field(data, source, path))
    n = replicates if replicates is not None else data.get("replicates", 10)
    n = attempt(lambda: integer_field({"replicates": n}, "replicates", source if replicates is None else "command line",
                                 None, 1, MAX_REPLICATES), 1)
    seed = attempt(lambda: integer_field(data, "seed", source, 1, 0, MAX_SEED), 1)
    if base is not None and "days" in data:
        base = attempt(lambda: apply_overrides(base, {"days": data["days"]}, source, "", path.parent))
    specs = attempt(lambda: _arm_specs(data, source, n, errors))
    arms: list[Arm] = []
    if base is not None and specs is not None:
        before = len(errors)
        if "grid" in data:  # each value on its own first, so an error points at the value
            for p, values in data["grid"].items():
                for j, v in enumerate(values):
                    attempt(lambda: _check_grid_value(base, p, j, v, source, path.parent))
        if len(errors) == before:  # (a bad grid value would fail every arm holding it again)
            for arm_name, desc, over, prefix in specs:
                named = base.with_overrides({"name": f"{name}.{arm_name}"}, source=source)
                scenario = attempt(lambda: apply_overrides(named, over, source, prefix, path.parent))
                if scenario is not None:
                    arms.append(Arm(arm_name, over, scenario, desc))
    horizon = min((a.scenario.days for a in arms), default=base.days if base is not None else None)
    custom = attempt(lambda: parse_custom_metrics(source, data.get("custom_metrics"), horizon,
                                                  summary_metric_names()), [])
    custom_names = [m for m in data["custom_metrics"] if isinstance(m, str)] if isinstance(
        data.get("custom_metrics"), dict) else []  # (a wrong one is reported once, above)
    metrics = attempt(lambda: _metrics(data.get("metrics", list(DEFAULT_METRICS)), source, custom_names), [])
    names = [sp[0] for sp in specs or [] if isinstance(sp[0], str)]
    baseline = attempt(lambda: _baseline(data, source, names))
    if errors:
        raise ScenarioError.collect(errors)
    base_path = base_file(data, source, path)
    return Experiment(name, description, path, base_path, base, n, base.days, seed, baseline,
                      metrics, arms, dict(data["grid"]) if "grid" in data else None,
                      dict(data["custom_metrics"]) if custom else None,
                      {} if replicates is None else {"replicates": n})


def name_field(data: dict, source: str, default: str) -> str:
    """The file's ``name`` (default: the file's stem), usable as a folder name."""
    name = text_field(data, "name", source, default).strip()
    check_name(source, "name", name)
    return name


def base_field(data: dict, source: str, path: Path) -> Scenario:
    """The scenario ``base`` names (relative to the file at ``path``; a scenario file or a fit
    folder), loaded and checked."""
    return load_scenario(base_file(data, source, path))


def base_file(data: dict, source: str, path: Path) -> Path:
    """The scenario file ``base`` names: a scenario file, or a fit folder's ``fitted.yaml``."""
    return scenario_file(source, "base", text_field(data, "base", source, None), path.parent)


def _arm_specs(data: dict, source: str, replicates: int,
               errors: list[ScenarioError]) -> list[tuple[str, str, dict, str]]:
    """The arms to check (named arms, or a grid's); named arms' errors are added to ``errors``."""
    if ("arms" in data) == ("grid" in data):
        raise ScenarioError(source, "arms", "give either `arms` (a list of named arms) or `grid` (values per field), "
                            "not both" if "arms" in data else "missing: give `arms` or `grid`")
    specs = named_arms(data["arms"], source, errors) if "arms" in data else grid_arms(data["grid"], source)
    if len(specs) * replicates > MAX_RUNS:
        raise ScenarioError(source, "replicates", f"given {len(specs):,} arms x {replicates:,} replicates = "
                            f"{len(specs) * replicates:,} runs, allowed at most {MAX_RUNS:,} runs")
    return specs


def _baseline(data: dict, source: str, names: list[str]) -> str | None:
    if not names:
        return None
    baseline = text_field(data, "baseline_arm", source, names[0])
    if baseline not in names:
        raise bad_value(source, "baseline_arm", baseline, "one of " + ", ".join(names),
                        did_you_mean(str(baseline)[:100], names))
    return baseline


def _check_grid_value(base: Scenario, path: str, j: int, value: Any, source: str, here: Path) -> None:
    try:
        apply_overrides(base, {path: value}, source, "grid", here)
    except ScenarioError as exc:
        value_error = exc.path == f"grid.{path}" and not exc.message.startswith("no such field")
        where = f"grid.{path}[{j}]" if value_error else exc.path
        raise ScenarioError(source, where, exc.message) from None


def _metrics(raw: Any, source: str, custom: list[str]) -> list[str]:
    if not isinstance(raw, list) or not raw or not all(isinstance(m, str) for m in raw):
        raise bad_value(source, "metrics", raw, "a non-empty list of summary.json keys or custom metric names")
    known = summary_metric_names()
    known = known + tuple(custom) if known else ()
    errors = [bad_value(source, f"metrics[{i}]", m, "one of " + ", ".join(known), did_you_mean(m[:100], known))
              for i, m in enumerate(raw) if known and m not in known]
    if len(set(raw)) != len(raw):
        errors.append(bad_value(source, "metrics", raw, "each metric once"))
    if errors:
        raise ScenarioError.collect(errors)
    return list(raw)
