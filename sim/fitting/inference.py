"""Simulation-based inference of a group's scenario from its own log: pyabc's ABC-SMC.

Why pyabc (ABC-SMC): the model has no likelihood, only simulations; ABC-SMC needs nothing but
a simulator and a distance, shrinks its acceptance threshold (epsilon) adaptively generation by
generation, re-weights the statistics by their spread (``AdaptivePNormDistance``), and its
last population is a weighted sample of plausible parameter sets that the forecast uses as it
is. ``sbi`` (neural posterior estimation) would need torch, far too heavy for a 2-core laptop;
Optuna (the calibration) finds one best point, not a sample.

Reproducibility: pyabc's own parallel samplers reseed every worker from the clock. Here each
generation is drawn by ``population`` tasks, each drawing until one particle is accepted from
its own seed (the fit's seed, the call number and the task number), and the tasks' results
are taken in task order, so a fit with the same log, seed and settings gives the same
posterior with any number of worker processes (unless ``max_minutes`` stops it early: how many
generations fit in a wall-clock limit depends on the machine).
"""

from __future__ import annotations

import functools
import logging
import math
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any, Callable

import numpy as np

from ..evidence import MessageLog
from ..experiments.executors import worker_pool
from ..experiments.progress import Progress
from ..plural import count
from ..run import simulate
from ..scenario import Scenario
from .observed import statistic_names, summary_statistics, weighted_quantile


@dataclass(frozen=True)
class FitParameter:
    """A scenario field the fit estimates: prior uniform on [low, high], on a log10 scale if
    ``log``; ``integer`` fields are rounded."""

    path: str
    low: float
    high: float
    log: bool = False
    integer: bool = False

    def value(self, x: float) -> float | int:
        """The field's value for the sampler's coordinate ``x``."""
        v = 10.0 ** x if self.log else x
        return int(round(v)) if self.integer else float(v)

    def bounds(self) -> tuple[float, float]:
        """The prior's range in the sampler's coordinates."""
        return (math.log10(self.low), math.log10(self.high)) if self.log else (self.low, self.high)


def _get(s: Scenario, path: str) -> float:
    node = s
    for part in path.split("."):
        node = getattr(node, part)
    return float(node)


def default_parameters(base: Scenario, log: MessageLog, days: int) -> tuple[FitParameter, ...]:
    """The six quantities fitted, with priors set from the log and the base scenario: the
    founding group's size (members who post and lurk: 1 to 10 times the authors of the first
    four weeks, never fewer than the base's ties per member + 1 or its organisers + 2),
    newcomers per day (0.2 to 20 times the log's new authors a day), the median posting propensity and the leave rate (a tenth to ten times, a fifth to five times the
    base's), the share of messages that answer someone, and the creator's posts a week."""
    early = len(np.unique(log.author[log.day < 28]))
    c = base.community  # a group smaller than its founders' ties or its organisers is no group
    smallest = max(2, early, c.managers + 2, c.network.mean_degree + 1 if c.network.kind != "edge_list" else 2)
    arrivals = max(len(np.unique(log.author)) / max(days, 1), 0.01)
    prop, leave = _get(base, "behaviour.posting.propensity_median"), _get(base, "behaviour.leaving.leave_rate")
    return (
        FitParameter("community.initial_members", smallest, max(10 * early, 2 * smallest), log=True, integer=True),
        FitParameter("strategy.recruiting.organic_per_day", 0.2 * arrivals, 20 * arrivals, log=True),
        FitParameter("behaviour.posting.propensity_median", prop / 10, min(1.0, prop * 10), log=True),
        FitParameter("behaviour.leaving.leave_rate", leave / 5, min(1.0, leave * 5), log=True),
        FitParameter("behaviour.replies.reply_share", 0.1, 0.95),
        FitParameter("strategy.content.creator_posts_per_week", 0.0, 7.0),
    )


def overrides(parameters: tuple[FitParameter, ...], coords: dict[str, float]) -> dict[str, float | int]:
    """Scenario overrides (dotted path -> value) for one particle's coordinates."""
    return {p.path: p.value(coords[p.path]) for p in parameters}


@dataclass
class Simulator:
    """The model as pyabc sees it: one particle's coordinates -> the statistics of the group's
    simulated log over the observed span. The run's seed is drawn from numpy's global state,
    which the seeded sampler sets per task."""

    base: Scenario
    parameters: tuple[FitParameter, ...]
    days: int

    def __call__(self, coords: dict) -> dict[str, float]:
        seed = int(np.random.randint(0, 2**31 - 1))
        scenario = self.base.with_overrides({**overrides(self.parameters, coords), "days": self.days}, source="fit")
        return simulated_statistics(scenario, seed, self.days)


def simulated_log(scenario: Scenario, seed: int, days: int) -> MessageLog:
    """The message log of one run of ``scenario`` over ``days`` days."""
    m = simulate(scenario, seed=seed, days=days).messages
    return MessageLog.from_arrays(m["day"], m["author"], m["reply_to"], end_day=float(days) - 1e-9, name="model")


def simulated_statistics(scenario: Scenario, seed: int, days: int) -> dict[str, float]:
    """`summary_statistics` of one run's log."""
    return summary_statistics(simulated_log(scenario, seed, days), days)


def _seeded_sampler(jobs: int, seed: int, tick: Callable[[], None] | None):
    """The seeded sampler (``sampler.SeededSampler``) over ``jobs`` processes, and its pool."""
    from .sampler import SeededSampler

    pool = worker_pool(jobs) if jobs > 1 else None
    mapper = functools.partial(pool.map, chunksize=1) if pool is not None else map
    return SeededSampler(mapper, seed, tick), pool


@dataclass
class Fit:
    """A fit's outcome: the parameters' posterior sample (field values, one row each, and weights),
    the observed statistics, the last population's simulated statistics (posterior predictive),
    with its weights, the epsilons, the number of simulations, and the pyabc history database's bytes."""

    parameters: tuple[FitParameter, ...]
    sample: dict[str, np.ndarray]
    weights: np.ndarray
    observed: dict[str, float]
    predictive: list[dict[str, float]]
    predictive_weights: np.ndarray
    epsilons: list[float]
    evaluations: int
    database: bytes = field(repr=False, default=b"")

    def point(self) -> dict[str, float | int]:
        """Weighted median of each parameter: the fitted scenario's values."""
        out: dict[str, float | int] = {}
        for p in self.parameters:
            v = weighted_quantile(self.sample[p.path], self.weights, 0.5)
            out[p.path] = int(round(v)) if p.integer else v
        return out


def fit_progress(name: str, population: int, generations: int, stream: Any = None) -> Progress:
    """The fit's progress bar, ticked by ``run_fit`` once per accepted particle: its total counts
    pyabc's calibration sample (``population`` prior draws) and each generation's ``population``
    particles, and its label says so, so that "30/30 particles" of a 10-particle, 2-generation fit
    reads as what it is. How many simulations that takes depends on the acceptance rate, unknown
    in advance (the printed summary gives it)."""
    rounds = (f"a calibration sample and {count(generations, 'generation')}, "
              f"{count(population, 'accepted particle')} each")
    return Progress(population * (generations + 1), f"fitting {name} (ABC-SMC: {rounds})", stream=stream,
                    unit="accepted particle")


def run_fit(base: Scenario, log: MessageLog, days: int, population: int = 40, generations: int = 4,
            jobs: int = 1, seed: int = 0, max_minutes: float | None = None,
            tick: Callable[[], None] | None = None, parameters: tuple[FitParameter, ...] | None = None) -> Fit:
    """ABC-SMC of ``parameters`` (default `default_parameters`) on ``log``'s first ``days`` days:
    ``generations`` populations of ``population`` particles after pyabc's calibration sample;
    ``tick()`` after each accepted particle (progress)."""
    import pyabc

    for name in ("ABC", "pyabc", "Sampler", "Epsilon", "Distance", "Acceptor", "History", "Transition"):
        logging.getLogger(name).setLevel(logging.WARNING)
    params = parameters or default_parameters(base, log, days)
    observed = summary_statistics(log, days)
    prior = pyabc.Distribution(**{p.path: pyabc.RV("uniform", lo, hi - lo) for p in params
                                  for lo, hi in [p.bounds()]})
    sampler, pool = _seeded_sampler(jobs, seed, tick)
    np.random.seed(seed)
    try:
        with tempfile.TemporaryDirectory(prefix="community-sim-fit-") as tmp:
            db = Path(tmp) / "abc.db"
            abc = pyabc.ABCSMC(Simulator(base, params, days), prior, pyabc.AdaptivePNormDistance(p=2),
                               population_size=population, sampler=sampler)
            abc.new(f"sqlite:///{db}", observed)
            wall = timedelta(minutes=max_minutes) if max_minutes else None
            history = abc.run(max_nr_populations=generations, max_walltime=wall)
            frame, weights = history.get_distribution(m=0, t=history.max_t)
            stat_weights, stats = history.get_weighted_sum_stats(t=history.max_t)
            epsilons = [float(e) for e in history.get_all_populations()["epsilon"] if np.isfinite(e)]
            evaluations = int(history.total_nr_simulations)
            data = db.read_bytes()
    finally:
        if pool is not None:
            pool.shutdown()
    sample = {p.path: np.array([p.value(x) for x in frame[p.path].to_numpy()]) for p in params}
    names = statistic_names()
    predictive = [{k: float(s[k]) for k in names} for s in stats]
    return Fit(params, sample, np.asarray(weights, float) / np.sum(weights), observed, predictive,
               np.asarray(stat_weights, float), epsilons, evaluations, data)
