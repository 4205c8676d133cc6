"""The validation harness: a check's record (what was expected, what was measured, whether it
held) and a runner that runs scenario arms over seeds in worker processes, reducing each run to
the few figures a check needs so memory stays small."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..experiments.executors import worker_pool
from ..experiments.progress import Progress
from ..run.runner import RunResult, simulate
from ..scenario import load_scenario


@dataclass
class Check:
    """One validation check: what was expected, what was measured, and whether it held."""

    name: str
    source: str
    expected: str
    measured: str
    passed: bool
    figures: dict

    def __post_init__(self) -> None:
        self.passed = bool(self.passed)


@dataclass(frozen=True)
class Arm:
    """A scenario file plus overrides, run over replicates."""

    scenario: str
    overrides: tuple = ()
    days: int | None = None


def _run(job: tuple[str, tuple, int | None, int, Callable]) -> object:
    path, overrides, days, seed, reduce = job
    s = load_scenario(path)
    if overrides:
        plain = {k: list(v) if isinstance(v, tuple) else v for k, v in overrides}
        s = s.with_overrides(plain, source=f"validation of {Path(path).name}")
    return reduce(simulate(s, seed=seed, days=days))


class Runner:
    """Runs arms over seeds in a pool of worker processes (kept for the whole validation); each
    run is reduced in the worker to the few figures a check needs, so memory stays small."""

    def __init__(self, scenarios_dir: Path, replicates: int, jobs: int | None = None, seed0: int = 1000):
        self.dir = Path(scenarios_dir)
        self.replicates = replicates
        self.jobs = jobs or os.cpu_count() or 1
        self.seeds = [seed0 + i for i in range(replicates)]
        self._pool: ProcessPoolExecutor | None = None
        self.progress = Progress(None, "check-model", unit="run")  # the total is known only at the end

    def __enter__(self) -> Runner:
        if self.jobs > 1:
            self._pool = worker_pool(self.jobs)  # workers end with their parent
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None
        self.progress.close()

    def runs(self, arm: Arm, reduce: Callable[[RunResult], object], replicates: int | None = None) -> list:
        """``reduce`` of each replicate run of ``arm`` (seeds shared by every arm: paired)."""
        seeds = self.seeds[: replicates or self.replicates]
        jobs = [(str(self.dir / f"{arm.scenario}.yaml"), arm.overrides, arm.days, s, reduce) for s in seeds]
        results = []
        for r in (_run(j) for j in jobs) if self._pool is None else self._pool.map(_run, jobs):
            results.append(r)
            self.progress.update(True)
        return results
