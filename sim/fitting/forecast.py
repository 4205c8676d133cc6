"""`community-sim forecast`: run a fitted group forward over its posterior sample.

Each of ``draws`` runs takes one parameter set from ``posterior.csv`` (drawn by weight, seeded)
and its own seed, and simulates the fitted scenario from day 0 over the observed span plus the
forecast days; the days after the observed end are the forecast, so its spread holds both the
parameters' uncertainty and chance. The simulated past is a reconstruction of a group like the
observed one, not the real group's state on its last day (the model cannot be started from a
real member list). Same fit folder, ``days``, ``draws`` and ``seed``: the same forecast.csv and
forecast.json, byte for byte, with any number of worker processes.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Callable

import numpy as np

from ..experiments.executors import worker_pool
from ..run import simulate
from ..run.metrics import moving_mean
from ..scenario import Scenario
from .observed import daily_active

QUANTILES = {"p05": 0.05, "p25": 0.25, "median": 0.5, "p75": 0.75, "p95": 0.95}


def draw_overrides(scenario: Scenario, posterior: dict[str, np.ndarray], draws: int,
                   seed: int) -> list[dict[str, float | int]]:
    """``draws`` parameter sets from the posterior sample, drawn with replacement by weight."""
    weights = np.asarray(posterior["weight"], dtype=np.float64)
    rows = np.random.default_rng([seed, 1]).choice(len(weights), size=draws, p=weights / weights.sum())
    paths = [k for k in posterior if k != "weight"]
    return [{p: _typed(scenario, p, float(posterior[p][i])) for p in paths} for i in rows]


def _typed(scenario: Scenario, path: str, value: float) -> float | int:
    node = scenario
    for part in path.split("."):
        node = getattr(node, part)
    return int(round(value)) if isinstance(node, int) else value


def run_seeds(draws: int, seed: int) -> list[int]:
    """One model seed per draw, from the forecast's seed."""
    return [int(s) for s in np.random.SeedSequence([seed, 2]).generate_state(draws)]


def _one(job: tuple[Scenario, int, int, int]) -> tuple[np.ndarray, float]:
    """Daily active authors of one run, and its messages on days ``start`` and later."""
    scenario, seed, days, start = job
    m = simulate(scenario, seed=seed, days=days).messages
    return daily_active(m["day"], m["author"], days), float(np.sum(np.asarray(m["day"]) >= start))


@dataclass
class Forecast:
    """Per run (rows): daily active authors over the whole horizon, and messages after today."""

    today: int
    active: np.ndarray
    messages_after: np.ndarray

    def bands(self) -> dict[str, np.ndarray]:
        """Per day: the runs' quantiles of the 14-day mean of daily active authors."""
        smooth = np.array([moving_mean(row) for row in self.active])
        out = {"day": np.arange(self.active.shape[1])}
        out.update({k: np.quantile(smooth, q, axis=0) for k, q in QUANTILES.items()})
        return out


def run_forecast(scenario: Scenario, posterior: dict[str, np.ndarray], today: int, days: int, draws: int,
                 seed: int, jobs: int = 1, tick: Callable[[], None] | None = None) -> Forecast:
    """``draws`` runs of the fitted ``scenario`` over ``today + days`` days (see the module
    docstring), in ``jobs`` processes; ``tick()`` after each run."""
    sets = draw_overrides(scenario, posterior, draws, seed)
    jobs_list = [(scenario.with_overrides(o, source="posterior.csv"), s, today + days, today)
                 for o, s in zip(sets, run_seeds(draws, seed))]
    pool: ProcessPoolExecutor | None = worker_pool(jobs) if jobs > 1 else None
    results = []
    try:
        for r in (pool.map(_one, jobs_list) if pool is not None else map(_one, jobs_list)):
            results.append(r)
            if tick is not None:
                tick()
    finally:
        if pool is not None:
            pool.shutdown()
    return Forecast(today, np.array([a for a, _ in results]), np.array([n for _, n in results]))


def coverage(observed: np.ndarray, bands: dict[str, np.ndarray], start: int, low: str = "p05",
             high: str = "p95") -> float:
    """Share of the days from ``start`` on (as far as ``observed`` goes) whose observed value
    lies inside the band [low, high]."""
    end = min(len(observed), len(bands["day"]))
    obs = np.asarray(observed)[start:end]
    if len(obs) == 0:
        return float("nan")
    return float(np.mean((obs >= bands[low][start:end]) & (obs <= bands[high][start:end])))
