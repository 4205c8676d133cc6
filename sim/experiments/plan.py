"""The run plan: one seed per replicate from the master seed (common random numbers across
arms), a run id hashed from each resolved scenario, and the work of one run as a pure function
that returns its folder's files as bytes, so any executor can call it."""

from __future__ import annotations

import hashlib
import json
import time
import traceback
from dataclasses import dataclass
from typing import Iterable

import numpy as np

from ..results.folders import PLAN_COLUMNS
from ..run.files import dump_json, sha256_bytes, table_csv, utc_now
from ..run.runner import run_files, simulate
from ..scenario import Scenario
from .spec import Experiment


def replicate_seeds(master: int, n: int) -> list[int]:
    """One seed per replicate from the master seed (``SeedSequence`` children, so replicate i's
    seed does not depend on how many replicates there are). Every arm uses the same list."""
    return [int(np.random.SeedSequence(master, spawn_key=(i,)).generate_state(1, np.uint64)[0]) >> 1
            for i in range(n)]


def run_id(scenario: Scenario) -> str:
    """A short hash of the resolved scenario (its seed and days included): same inputs, same id."""
    canon = json.dumps(scenario.to_dict(), sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(canon.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class RunTask:
    """One run of the plan; everything a worker needs, picklable."""

    experiment: str
    arm: str
    replicate: int
    seed: int
    run_id: str
    scenario: Scenario
    command: tuple[str, ...] = ()


def plan_runs(exp: Experiment, command: Iterable[str] = ()) -> list[RunTask]:
    """Every (arm, replicate) run, replicate by replicate (an interrupted sweep then holds
    complete pairs across arms)."""
    tasks = []
    for rep, seed in enumerate(replicate_seeds(exp.seed, exp.replicates)):
        for arm in exp.arms:
            scenario = arm.scenario.with_overrides({"seed": seed}, source=str(exp.source))
            tasks.append(RunTask(exp.name, arm.name, rep, seed, run_id(scenario), scenario, tuple(command)))
    return tasks


@dataclass
class RunOutput:
    """What a worker returns: the run folder's files, or the traceback of its failure."""

    run_id: str
    files: dict[str, bytes] | None
    error: str | None
    wall_seconds: float


def execute_run(task: RunTask) -> RunOutput:
    """Simulate one run and return its folder's files as bytes (no I/O, so any executor can
    call it). Timings go only into manifest.json; the data files depend on the task alone."""
    started = utc_now()
    t0 = time.perf_counter()
    try:
        result = simulate(task.scenario)
        files = run_files(result, started, time.perf_counter() - t0, plots=False)
        manifest = json.loads(files.pop("manifest.json"))
        manifest.update(kind="experiment run", experiment=task.experiment, arm=task.arm, replicate=task.replicate,
                        run_id=task.run_id, command=list(task.command),
                        files={name: sha256_bytes(data) for name, data in files.items()})
        files["manifest.json"] = dump_json(manifest)
        return RunOutput(task.run_id, files, None, time.perf_counter() - t0)
    except Exception:  # noqa: BLE001 - any failure of a run is reported, never fatal to the sweep
        return RunOutput(task.run_id, None, traceback.format_exc(), time.perf_counter() - t0)


def plan_table(tasks: list[RunTask]) -> bytes:
    """plan.csv: arm, replicate, seed and run id of every planned run."""
    cols = {c: [getattr(t, c) for t in tasks] for c in PLAN_COLUMNS}
    return table_csv({c: np.array(v, dtype=object) for c, v in cols.items()})
