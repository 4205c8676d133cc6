"""Explore files: an experiment file (``base``, ``replicates``, ``seed``, ``days``, ``metrics``,
``custom_metrics``) whose arms are the points of a sensitivity design over ``factors`` instead
of named strategies. Loading checks everything before any run, with the experiment loader's
own checks and error style (file, field path, given, allowed; every error collected), and then
draws the design, so an ``Exploration`` holds the ``Experiment`` the runner executes.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..experiments.spec import MAX_ARMS, MAX_RUNS, Experiment, bad_value, experiment_from_data
from ..scenario import Scenario, ScenarioError, read_yaml
from ..scenario.errors import shown
from ..scenario.ranges import FieldRange, parse_ranges
from .design import METHODS, MIN_SAMPLES, point_count, point_names, point_overrides, unit_sample

SHARED_KEYS = ("name", "description", "base", "replicates", "days", "seed", "metrics", "custom_metrics")
EXPLORE_KEYS = SHARED_KEYS + ("method", "samples", "factors")
DEFAULT_METHOD = "morris"
DEFAULT_SAMPLES = {"morris": 10, "sobol": 64, "lhs": 100}  # trajectories r / base N / points
DEFAULT_REPLICATES = 2  # every point runs on the same seeds; two or more measure the run-to-run noise
DEFAULT_METRICS = ["lifespan_days", "mean_active", "total_revenue"]
MAX_SAMPLES = 100_000
NOT_FACTORS = ("name", "description", "seed", "days")  # set elsewhere in the file, or not a number
LEVER_PREFIX = "strategy."
Factor = FieldRange  # a factor is a field range (``sim.scenario.ranges``)


def is_lever(f: Factor) -> bool:
    """A lever is the operator's (strategy.*); anything else is an assumption about people."""
    return f.path.startswith(LEVER_PREFIX)


def load_factors(raw: Any, source: str, base: Scenario) -> list[Factor]:
    """Every factor of a ``factors:`` mapping (field path -> [low, high] or the values to try),
    in the file's order, checked against the schema and the base; every error collected."""
    excluded = {p: f"{p} cannot vary (set `{p}:` at the top of the file, or leave it)" for p in NOT_FACTORS}
    return parse_ranges(raw, source, "factors", base, excluded=excluded)


@dataclass
class Exploration:
    """A validated explore file: the design (method, samples, factors, its points in the unit
    cube, one row per arm) and the experiment that runs every point."""

    experiment: Experiment
    method: str
    samples: int
    factors: list[Factor]
    unit: np.ndarray
    given_samples: int | None = None  # the command line's --samples; --resume otherwise keeps the folder's

    def design(self) -> dict:
        """What decides the sample points (method, samples, points, seed, factors), recorded
        in the folder before the first run so that --resume draws the same ones."""
        return {k: v for k, v in self.to_dict().items() if k != "replicates"}

    def to_dict(self) -> dict:
        """The resolved design as written to explore.yaml."""
        return {"method": self.method, "samples": self.samples, "points": len(self.unit),
                "replicates": self.experiment.replicates, "seed": self.experiment.seed,
                "factors": {f.path: ({"kind": f.kind, "values": list(f.choices)} if f.kind == "choice"
                                     else {"kind": f.kind, "low": f.low, "high": f.high}) for f in self.factors}}


def _method(data: dict, source: str) -> str:
    method = data.get("method", DEFAULT_METHOD)
    if method not in METHODS:
        hint = difflib.get_close_matches(method[:100], METHODS, n=1, cutoff=0.6) if isinstance(method, str) else []
        raise bad_value(source, "method", method, "one of " + ", ".join(METHODS),
                        f" (did you mean '{hint[0]}'?)" if hint else "")
    return method


def _samples(data: dict, source: str, method: str, given: int | None) -> int:
    where, field = (source, "samples") if given is None else ("command line", "--samples")
    value = data.get("samples", DEFAULT_SAMPLES[method]) if given is None else given
    low = MIN_SAMPLES[method]
    allowed = f"an integer from {low:,} to {MAX_SAMPLES:,}" + (", a power of two" if method == "sobol" else "")
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= MAX_SAMPLES:
        raise bad_value(where, field, value, allowed)
    if method == "sobol" and value & (value - 1):
        raise bad_value(where, field, value, allowed, " (Sobol' sequences balance only at powers of two)")
    return value


def _check_size(method: str, samples: int, factors: int, replicates: int, source: str) -> None:
    points = point_count(method, samples, factors)
    if method == "lhs" and samples < factors + 2:
        raise ScenarioError(source, "samples", f"given {samples:,} points for {factors} factors, allowed at least "
                            f"{factors + 2} (a rank regression needs more points than factors)")
    if points > MAX_ARMS:
        raise ScenarioError(source, "samples", f"given {samples:,} with {method} over {factors} factors = {points:,} "
                            f"sample points, allowed at most {MAX_ARMS:,} points (fewer samples or factors)")
    if points * replicates > MAX_RUNS:
        raise ScenarioError(source, "replicates", f"given {points:,} points x {replicates:,} replicates, allowed "
                            f"at most {MAX_RUNS:,} runs")


def _check_choices(method: str, factors: list[Factor], source: str) -> None:
    """A Latin hypercube is analysed by rank regression, which orders a factor's values: a choice
    of three or more values has no order (a middle value that matters would look inert)."""
    if method != "lhs":
        return
    errors = [ScenarioError(source, f"factors.{f.path}", f"given {len(f.choices)} values with method lhs, allowed "
                            "at most 2 (rank regression needs ordered values); use method morris or sobol for it")
              for f in factors if f.kind == "choice" and len(f.choices) > 2]
    if errors:
        raise ScenarioError.collect(errors)


def _point_error(exc: ScenarioError, names: list[str], overrides: list[dict], source: str) -> ScenarioError:
    """An arm's error said of the sample point (its factor values), e.g. two factors whose values
    the scenario's cross-checks refuse together."""
    m = re.match(r"arms\[(\d+)\]", exc.path)
    if not m:
        return exc
    i = int(m.group(1))
    values = ", ".join(f"{k}={shown(v)}" for k, v in overrides[i].items())
    field = exc.path[m.end():].removeprefix(".overrides").lstrip(".")
    return ScenarioError(source, "factors", f"sample point {names[i]} ({values}) is not a valid scenario: "
                         f"{field + ': ' if field else ''}{exc.message}; narrow the ranges so every combination is valid")


def load_exploration(path: str | Path, samples: int | None = None, replicates: int | None = None) -> Exploration:
    """Read and validate an explore file, then draw its design. ``samples`` and ``replicates``
    override the file's (the command line's --samples and --replicates)."""
    path = Path(path)
    source = str(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise bad_value(source, "(top level)", data, "a mapping with base, method, samples and factors")
    errors: list[ScenarioError] = []
    for key in data:
        if key not in EXPLORE_KEYS:
            hint = difflib.get_close_matches(str(key)[:100], EXPLORE_KEYS, n=1, cutoff=0.6)
            errors.append(ScenarioError(source, str(key), f"unknown field {shown(key)}"
                                        f"{f' (did you mean {hint[0]!r}?)' if hint else ''} "
                                        f"(allowed: {', '.join(EXPLORE_KEYS)})"))
    shared = {k: data[k] for k in SHARED_KEYS if k in data}
    shared.setdefault("replicates", DEFAULT_REPLICATES)
    shared.setdefault("metrics", list(DEFAULT_METRICS))
    exp = factors = method = n = None
    for step in ("experiment", "method", "samples", "factors"):
        try:
            if step == "experiment":
                exp = experiment_from_data({**shared, "arms": [{"name": "base"}]}, path, replicates)
            elif step == "method":
                method = _method(data, source)
            elif step == "samples" and method is not None:
                n = _samples(data, source, method, samples)
            elif step == "factors" and exp is not None:
                factors = load_factors(data.get("factors"), source, exp.base)
        except ScenarioError as exc:
            errors.extend(exc.errors)
    if not errors:
        try:
            _check_size(method, n, len(factors), exp.replicates, source)
            _check_choices(method, factors, source)
        except ScenarioError as exc:
            errors.extend(exc.errors)
    if errors:
        raise ScenarioError.collect(errors)
    unit = unit_sample(method, factors, n, exp.seed)
    names = point_names(len(unit))
    overrides = [point_overrides(factors, row) for row in unit]
    arms = [{"name": name, "overrides": over} for name, over in zip(names, overrides)]
    try:
        exp = experiment_from_data({**shared, "arms": arms}, path, replicates)
    except ScenarioError as exc:
        raise ScenarioError.collect([_point_error(e, names, overrides, source) for e in exc.errors[:1]]) from None
    return Exploration(dataclasses.replace(exp, description=exp.description or _describe(method, factors)),
                       method, n, factors, unit, samples)


def _describe(method: str, factors: list[Factor]) -> str:
    return f"{method} sensitivity study of {len(factors)} factors"
