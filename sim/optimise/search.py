"""The search: Optuna's seeded multi-objective sampler (NSGA-II by default, or TPE) proposes
strategies, each candidate runs on the same replicate seeds (common random numbers) and is
scored by the means of its objectives over them; the operator's limits are Optuna constraints,
so the sampler steers toward feasible strategies, and the Pareto set holds feasible ones only.

Why Optuna: several noisy objectives of a simulation that takes seconds, over integer, real and
categorical levers, with constraints; its NSGA-II keeps a population of trade-offs and is seeded.
Candidates are asked and told in batches of ``batch`` (a NSGA-II generation) whatever the
number of worker processes, and a batch's runs come back in order, so the same file and seed
give the same trials with one job or many.
"""

from __future__ import annotations

import math
import traceback
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as np

from ..experiments.executors import worker_pool
from ..experiments.plan import replicate_seeds
from ..results.custom import CustomMetric, add_custom_values
from ..run.runner import simulate
from ..scenario import Scenario, ScenarioError
from ..scenario.ranges import value_at
from .spec import Lever, Optimisation

DAYS_PER_MONTH = 365.25 / 12
COST = "operator_cost_yuan_per_month"
HOURS = "organiser_hours_per_week"
LIMITS = {COST: "operator_cost_yuan_per_month_max", HOURS: "organiser_hours_per_week_max"}
FAILURE = "failure"  # the key of a run's result that holds the traceback of a run that raised
INVALID_VIOLATION = 1e12  # a candidate the scenario refuses: worse than any feasible or merely costly one


@dataclass
class Trial:
    """One candidate: its lever values, objective means and standard errors over the
    replicates, its cost and hours (means), whether it keeps the limits, and its status ("ok",
    "over the limits" or "invalid: <why>"); ``failure`` is the traceback of a run that raised;
    ``values`` each objective's value in every replicate (for the figure's intervals)."""

    number: int
    levers: dict[str, Any]
    means: dict[str, float]
    errors: dict[str, float]
    usage: dict[str, float]
    feasible: bool
    status: str
    pareto: bool = False
    failure: str = ""
    values: dict[str, list[float]] = field(default_factory=dict)


@dataclass
class Search:
    """What a search found: every trial in order, the replicate seeds and the runs made."""

    trials: list[Trial]
    seeds: list[int]
    runs: int
    base_first: bool  # trial 0 is the base scenario's own strategy
    interrupted: str | None = None  # why the search stopped before its last trial (Ctrl-C)

    @property
    def pareto(self) -> list[Trial]:
        """The Pareto strategies, in trial order."""
        return [t for t in self.trials if t.pareto]


def score_run(job: tuple[Scenario, tuple[str, ...], tuple[CustomMetric, ...]]) -> dict[str, float | None]:
    """One replicate of a candidate (job = scenario with its seed, metrics, custom metrics):
    the metrics' values, operator cost per month and organisers' hours per week (means over
    the horizon), or the traceback under ``FAILURE`` if it raised. Runs in a worker process."""
    scenario, metrics, custom = job
    try:
        r = simulate(scenario)
    except Exception:  # one failing run makes its candidate invalid, not the search
        return {FAILURE: traceback.format_exc()}
    summary = add_custom_values(r.summary, r.timeseries, list(custom), scenario.name)
    out: dict[str, float | None] = {m: None if summary[m] is None else float(summary[m]) for m in metrics}
    out[COST] = float(np.mean(r.timeseries["operator_cost"])) * DAYS_PER_MONTH
    out[HOURS] = float(np.mean(r.timeseries["organiser_hours"])) * 7.0
    return out


def non_dominated(points: np.ndarray, maximise: Sequence[bool]) -> np.ndarray:
    """A boolean mask of the rows of ``points`` (candidates x objectives) that no other row
    dominates (as good in every objective and better in one), each objective maximised or not."""
    p = np.asarray(points, dtype=float) * np.where(maximise, -1.0, 1.0)  # all minimised
    keep = np.ones(len(p), dtype=bool)
    for i in range(len(p)):
        dominates_i = np.all(p <= p[i], axis=1) & np.any(p < p[i], axis=1)
        keep[i] = not dominates_i.any()
    return keep


def mark_pareto(trials: list[Trial], opt: Optimisation) -> None:
    """Flag the feasible trials on the Pareto front (the first of any with the same levers)."""
    feasible = [t for t in trials if t.feasible]
    if not feasible:
        return
    points = np.array([[t.means[o.metric] for o in opt.objectives] for t in feasible])
    seen = set()
    for t, front in zip(feasible, non_dominated(points, [o.direction == "max" for o in opt.objectives])):
        key = tuple(sorted((k, repr(v)) for k, v in t.levers.items()))
        t.pareto = bool(front) and key not in seen
        seen.add(key)


def _sampler(opt: Optimisation):
    import optuna

    if opt.sampler == "tpe":
        return optuna.samplers.TPESampler(seed=opt.seed % 2**32, multivariate=True, n_startup_trials=opt.batch)
    return optuna.samplers.NSGAIISampler(seed=opt.seed % 2**32, population_size=opt.batch)


def _suggest(trial, lever: Lever) -> Any:
    if lever.kind == "int":
        return trial.suggest_int(lever.path, int(lever.low), int(lever.high))
    if lever.kind == "float":
        return trial.suggest_float(lever.path, lever.low, lever.high)
    return trial.suggest_categorical(lever.path, list(lever.choices))


def _base_values(opt: Optimisation) -> dict[str, Any] | None:
    """The base scenario's own lever values, if every one lies in the search space."""
    values = {lv.path: value_at(opt.base, lv.path) for lv in opt.levers}
    return values if all(lv.contains(values[lv.path]) for lv in opt.levers) else None


def _failed(number: int, levers: dict, runs: list[dict], seeds: list[int]) -> Trial | None:
    """An invalid trial if a replicate raised: its status names the error, ``failure`` holds
    the traceback (written to failed/trial-<number>.txt)."""
    for i, r in enumerate(runs):
        if FAILURE in r:
            last = r[FAILURE].strip().splitlines()[-1]
            head = f"trial {number}, replicate {i}, seed {seeds[i]}, levers {levers}\n\n"
            return Trial(number, levers, {}, {}, {}, False,
                         f"invalid: replicate {i} raised {last} (failed/trial-{number}.txt)", failure=head + r[FAILURE])
    return None


def _score(number: int, levers: dict, runs: list[dict], opt: Optimisation) -> Trial:
    metrics = [o.metric for o in opt.objectives]
    missing = [m for m in metrics if any(r[m] is None or not math.isfinite(r[m]) for r in runs)]
    if missing:
        return Trial(number, levers, {}, {}, {}, False, f"invalid: {missing[0]} has no value in some replicate")
    means = {m: float(np.mean([r[m] for r in runs])) for m in metrics}
    errors = {m: float(np.std([r[m] for r in runs], ddof=1) / math.sqrt(len(runs))) if len(runs) > 1 else 0.0
              for m in metrics}
    usage = {k: float(np.mean([r[k] for r in runs])) for k in LIMITS}
    over = [k for k, limit in LIMITS.items() if limit in opt.constraints and usage[k] > opt.constraints[limit]]
    values = {m: [float(r[m]) for r in runs] for m in metrics}
    return Trial(number, levers, means, errors, usage, not over, "ok" if not over else "over the limits",
                 values=values)


def _tell(study, trial, result: Trial, opt: Optimisation) -> None:
    for key, limit in LIMITS.items():
        if limit in opt.constraints:
            # scaled by the limit, so yuan and hours over their limits weigh alike
            value = ((result.usage[key] - opt.constraints[limit]) / max(opt.constraints[limit], 1.0)
                     if result.usage else INVALID_VIOLATION)
            trial.set_constraint(key, value)
    trial.set_constraint("valid", 0.0 if result.usage else INVALID_VIOLATION)  # every trial has the same keys
    values = [result.means.get(o.metric, -INVALID_VIOLATION if o.direction == "max" else INVALID_VIOLATION)
              for o in opt.objectives]
    study.tell(trial, values)


def _runs(jobs: list, pool: ProcessPoolExecutor | None):
    return pool.map(score_run, jobs) if pool is not None else map(score_run, jobs)


def search(opt: Optimisation, jobs: int = 1, progress: Callable[[Trial], None] | None = None) -> Search:
    """Run the search of ``opt`` on ``jobs`` worker processes; ``progress(trial)`` is called as
    each candidate is scored. Trial 0 is the base scenario's strategy when it lies in the space."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.create_study(directions=["maximize" if o.direction == "max" else "minimize"
                                            for o in opt.objectives], sampler=_sampler(opt))
    base = _base_values(opt)
    if base is not None:
        study.enqueue_trial(base)
    seeds = replicate_seeds(opt.seed, opt.replicates)
    metrics = tuple(o.metric for o in opt.objectives)
    custom = tuple(m for m in opt.custom_metrics if m.name in metrics)
    trials: list[Trial] = []
    runs = 0
    pool = worker_pool(jobs) if jobs > 1 else None
    interrupted = None
    try:
        while len(trials) < opt.trials:
            asked = [study.ask() for _ in range(min(opt.batch, opt.trials - len(trials)))]
            candidates = []
            for t in asked:
                levers = {lv.path: _suggest(t, lv) for lv in opt.levers}
                try:
                    scenario = opt.base.with_overrides(levers, source="candidate")
                    candidates.append((t, levers, [scenario.with_overrides({"seed": s}) for s in seeds], None))
                except ScenarioError as exc:
                    candidates.append((t, levers, [], f"invalid: {exc.path}: {exc.message}"))
            results = iter(list(_runs([(s, metrics, custom) for c in candidates for s in c[2]], pool)))
            for t, levers, scenarios, why in candidates:
                if why is None:
                    done = [next(results) for _ in scenarios]
                    result = _failed(t.number, levers, done, seeds) or _score(t.number, levers, done, opt)
                    runs += len(scenarios)
                else:
                    result = Trial(t.number, levers, {}, {}, {}, False, why)
                _tell(study, t, result, opt)
                trials.append(result)
                if progress is not None:
                    progress(result)
    except KeyboardInterrupt:  # keep the finished trials; the batch under way is lost
        interrupted = f"stopped by Ctrl-C after {len(trials)} of {opt.trials} trials"
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    mark_pareto(trials, opt)
    return Search(trials, seeds, runs, base is not None, interrupted)
