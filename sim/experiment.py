"""Experiments: one base scenario under several strategy arms, many replicates each.

An experiment file names a base scenario and the arms to compare (named override sets, or a
grid over field values). Replicate ``i`` of every arm runs with the same seed, derived from the
master seed with numpy's ``SeedSequence`` (common random numbers), so arm differences are
paired. Each run has an id hashed from its resolved scenario (seed included) and is written to
``runs/<id>/`` atomically as it finishes; ``--resume`` skips runs whose files are all there and
intact. A failing run leaves ``failed/<id>.txt`` (its traceback) and the sweep goes on. Runs go
through a local process pool or a Dask cluster; both give byte-identical files, because workers
only compute and return bytes and the parent writes them.
"""

from __future__ import annotations

import dataclasses
import difflib
import hashlib
import itertools
import json
import multiprocessing
import os
import re
import shutil
import signal
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

import numpy as np

from .metrics import summarize
from .output import (OutputExists, command_line, dump_json, dump_yaml, git_commit, sha256_bytes, table_csv,
                     utc_now, utc_stamp, versions, write_file_atomic, write_folder)
from .results import DEFAULT_METRICS, PLAN_COLUMNS, run_complete, sha256_file
from .runner import run_files, simulate
from .scenario import Scenario, ScenarioError, load_scenario, read_yaml

EXPERIMENT_KEYS = ("name", "description", "base", "replicates", "days", "seed", "baseline_arm", "metrics",
                   "arms", "grid")
ARM_KEYS = ("name", "description", "overrides")
MAX_REPLICATES = 100_000
MAX_SEED = 2**63 - 1
EXECUTORS = ("local", "dask")
PROGRESS_EVERY_SECONDS = 10.0


# --------------------------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------------------------


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
        if self.grid:
            out["grid"] = {k: list(v) for k, v in self.grid.items()}
        return out


def _bad(source: str, path: str, given: Any, allowed: str, extra: str = "") -> ScenarioError:
    return ScenarioError(source, path, f"given {given!r}, allowed {allowed}{extra}")


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    hint = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{hint[0]}'?)" if hint else ""


def _integer(data: dict, key: str, source: str, default: int | None, lo: int, hi: int) -> int:
    value = data.get(key, default)
    allowed = f"an integer from {lo} to {hi}"
    if value is None:
        raise ScenarioError(source, key, f"missing, allowed {allowed}")
    if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, float) and value.is_integer())):
        raise _bad(source, key, value, allowed)
    if not lo <= value <= hi:
        raise _bad(source, key, value, allowed)
    return int(value)


def _text(data: dict, key: str, source: str, default: str | None) -> str:
    value = data.get(key, default)
    if value is None:
        raise ScenarioError(source, key, "missing, allowed a string")
    if not isinstance(value, str):
        raise _bad(source, key, value, "a string")
    return value


@cache
def summary_metric_names() -> tuple[str, ...]:
    """The numeric keys of summary.json, found by summarising an empty record (so the list
    follows ``metrics.summarize`` as it changes). Empty if that cannot be worked out."""
    from collections import defaultdict

    try:
        summary = summarize(defaultdict(lambda: np.zeros(2)), defaultdict(lambda: np.zeros(0)))
    except Exception:  # noqa: BLE001 - a summary that needs real data: skip the check
        return ()
    return tuple(k for k, v in summary.items() if isinstance(v, (bool, int, float, np.number)))


def _apply(base: Scenario, overrides: dict[str, Any], source: str, prefix: str, here: Path) -> Scenario:
    """The base with ``overrides`` applied and validated; errors name ``prefix.<field>``.
    A relative edge-list path given in the overrides resolves against the experiment file."""
    try:
        scenario = base.with_overrides(overrides, source=source)
    except ScenarioError as exc:
        path = ".".join(p for p in (prefix, exc.path) if p)
        raise ScenarioError(source, path, exc.message) from None
    net = scenario.community.network
    if "community.network.edge_list" in overrides and net.edge_list and not Path(net.edge_list).is_absolute():
        net.edge_list = str((here / net.edge_list).resolve())
    if net.kind == "edge_list" and not Path(net.edge_list).is_file():
        raise _bad(source, ".".join(p for p in (prefix, "community.network.edge_list") if p), net.edge_list,
                   "an existing file")
    return scenario


def _overrides(value: Any, source: str, path: str) -> dict[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _bad(source, path, value, "a mapping of field path to value, e.g. {strategy.entry.kind: fee}")
    for key in value:
        if not isinstance(key, str):
            raise _bad(source, f"{path}.{key}", key, "a field path such as strategy.entry.kind")
        if key == "seed":
            raise ScenarioError(source, f"{path}.seed", "each replicate's seed comes from the experiment's master "
                                "seed; set `seed` at the top of the experiment file instead")
    return dict(value)


def _named_arms(raw: Any, source: str) -> list[tuple[str, str, dict, str]]:
    """(name, description, overrides, error prefix) of a list of named arms."""
    if not isinstance(raw, list) or not raw:
        raise _bad(source, "arms", raw, "a non-empty list of arms, each with name and overrides")
    out, seen = [], set()
    for i, item in enumerate(raw):
        where = f"arms[{i}]"
        if not isinstance(item, dict):
            raise _bad(source, where, item, "a mapping with name and overrides")
        for key in item:
            if key not in ARM_KEYS:
                raise ScenarioError(source, f"{where}.{key}", f"unknown field '{key}'{_did_you_mean(key, ARM_KEYS)} "
                                    f"(allowed: {', '.join(ARM_KEYS)})")
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            raise _bad(source, f"{where}.name", name, "a non-empty string")
        if name in seen:
            raise _bad(source, f"{where}.name", name, "a name no other arm has")
        seen.add(name)
        desc = item.get("description", "")
        if not isinstance(desc, str):
            raise _bad(source, f"{where}.description", desc, "a string")
        out.append((name, desc, _overrides(item.get("overrides"), source, f"{where}.overrides"),
                    f"{where}.overrides"))
    return out


def _value_label(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, (list, dict)):
        return json.dumps(v, sort_keys=True)
    return str(v)


def _grid_arms(raw: Any, source: str) -> list[tuple[str, str, dict, str]]:
    """Arms of a grid: the cartesian product of the values listed per field path, named
    'field=value, ...' with each path's last part (the whole path where two share it)."""
    if not isinstance(raw, dict) or not raw:
        raise _bad(source, "grid", raw, "a mapping of field path to a list of values")
    paths = list(raw)
    for p in paths:
        if not isinstance(p, str):
            raise _bad(source, f"grid.{p}", p, "a field path such as strategy.entry.kind")
        if p == "seed":
            raise ScenarioError(source, "grid.seed", "seeds come from the experiment's master seed")
        values = raw[p]
        if not isinstance(values, list) or not values:
            raise _bad(source, f"grid.{p}", values, "a non-empty list of values")
    last = [p.rsplit(".", 1)[-1] for p in paths]
    labels = [lab if last.count(lab) == 1 else p for lab, p in zip(last, paths)]
    out = []
    for combo in itertools.product(*(raw[p] for p in paths)):
        name = ", ".join(f"{lab}={_value_label(v)}" for lab, v in zip(labels, combo))
        out.append((name, "", dict(zip(paths, combo)), f"grid[{name}]"))
    if len({n for n, *_ in out}) != len(out):
        raise ScenarioError(source, "grid", "lists a value twice for one field, allowed distinct values")
    return out


def load_experiment(path: str | Path, replicates: int | None = None) -> Experiment:
    """Read and validate an experiment file. Every error names the file, the field path (arms
    prefixed, e.g. 'arms[1].overrides.strategy.entry.kind'), what was given and what is allowed.
    ``replicates`` overrides the file's (the --replicates option)."""
    path = Path(path)
    source = str(path)
    data = read_yaml(path)
    if not isinstance(data, dict):
        raise _bad(source, "(top level)", data, "a mapping with base, arms or grid, replicates, seed")
    for key in data:
        if key not in EXPERIMENT_KEYS:
            raise ScenarioError(source, str(key), f"unknown field '{key}'{_did_you_mean(key, EXPERIMENT_KEYS)} "
                                f"(allowed: {', '.join(EXPERIMENT_KEYS)})")
    name = _text(data, "name", source, path.stem).strip()
    if not name:
        raise _bad(source, "name", name, "a non-empty string")
    description = _text(data, "description", source, "")
    base_given = _text(data, "base", source, None)
    base_path = (path.parent / base_given).resolve()
    if not base_path.is_file():
        raise _bad(source, "base", base_given, "a scenario file (path relative to the experiment file)",
                   f"; {base_path} does not exist")
    base = load_scenario(base_path)
    n = replicates if replicates is not None else data.get("replicates", 10)
    n = _integer({"replicates": n}, "replicates", source if replicates is None else "command line", None, 1,
                 MAX_REPLICATES)
    seed = _integer(data, "seed", source, 1, 0, MAX_SEED)
    if "days" in data:
        base = _apply(base, {"days": data["days"]}, source, "", path.parent)
    if ("arms" in data) == ("grid" in data):
        raise ScenarioError(source, "arms", "give either `arms` (a list of named arms) or `grid` (values per field), "
                            "not both" if "arms" in data else "missing: give `arms` or `grid`")
    specs = _named_arms(data["arms"], source) if "arms" in data else _grid_arms(data["grid"], source)
    if "grid" in data:  # each value on its own first, so an error points at the value
        for p, values in data["grid"].items():
            for j, v in enumerate(values):
                _check_grid_value(base, p, j, v, source, path.parent)
    arms = []
    for arm_name, desc, over, prefix in specs:
        named = base.with_overrides({"name": f"{name}.{arm_name}"}, source=source)
        arms.append(Arm(arm_name, over, _apply(named, over, source, prefix, path.parent), desc))
    names = [a.name for a in arms]
    baseline = _text(data, "baseline_arm", source, names[0])
    if baseline not in names:
        raise _bad(source, "baseline_arm", baseline, "one of " + ", ".join(names), _did_you_mean(baseline, names))
    metrics = _metrics(data.get("metrics", list(DEFAULT_METRICS)), source)
    return Experiment(name, description, path, base_path, base, n, base.days, seed, baseline, metrics, arms,
                      dict(data["grid"]) if "grid" in data else None)


def _check_grid_value(base: Scenario, path: str, j: int, value: Any, source: str, here: Path) -> None:
    try:
        _apply(base, {path: value}, source, "grid", here)
    except ScenarioError as exc:
        value_error = exc.path == f"grid.{path}" and not exc.message.startswith("no such field")
        where = f"grid.{path}[{j}]" if value_error else exc.path
        raise ScenarioError(source, where, exc.message) from None


def _metrics(raw: Any, source: str) -> list[str]:
    if not isinstance(raw, list) or not raw or not all(isinstance(m, str) for m in raw):
        raise _bad(source, "metrics", raw, "a non-empty list of summary.json keys")
    known = summary_metric_names()
    for i, m in enumerate(raw):
        if known and m not in known:
            raise _bad(source, f"metrics[{i}]", m, "one of " + ", ".join(known), _did_you_mean(m, known))
    if len(set(raw)) != len(raw):
        raise _bad(source, "metrics", raw, "each metric once")
    return list(raw)


# --------------------------------------------------------------------------------------------
# Run plan: seeds and ids
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# Executors: each yields RunOutputs as runs finish
# --------------------------------------------------------------------------------------------


class WorkerCrashed(RuntimeError):
    """A worker process died (killed, out of memory); the runs it had are not finished."""


def _serial(tasks: list[RunTask]) -> Iterator[RunOutput]:
    for t in tasks:
        yield execute_run(t)


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle


def _start_method() -> multiprocessing.context.BaseContext:
    """Fork where it is safe (a single-threaded parent: workers start at once with everything
    imported); otherwise spawn. Explicit, because importing mesa forces spawn globally."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _process_pool(tasks: list[RunTask], jobs: int) -> Iterator[RunOutput]:
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    pool = ProcessPoolExecutor(max_workers=jobs, initializer=_ignore_sigint, mp_context=_start_method())
    try:
        pending = {pool.submit(execute_run, t): t for t in tasks}
        for fut in as_completed(list(pending)):
            pending.pop(fut)
            try:
                out = fut.result()
            except BrokenProcessPool as exc:
                raise WorkerCrashed(f"a worker process died (killed, or out of memory?): {exc}") from None
            yield out
    finally:
        procs = list((pool._processes or {}).values())  # noqa: SLF001 - to stop them on Ctrl-C
        pool.shutdown(wait=False, cancel_futures=True)
        for p in procs:
            if p.is_alive():
                p.terminate()
        for p in procs:
            p.join(timeout=5)


def _dask(tasks: list[RunTask], scheduler: str | None, jobs: int) -> Iterator[RunOutput]:
    try:
        from distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ScenarioError("command line", "--executor", "given 'dask', but dask.distributed is not installed; "
                            "install it with: pip install 'community-sim[distributed]'") from None
    cluster = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="20s")
        else:
            cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, dashboard_address=None)
            client = Client(cluster)
    except (OSError, TimeoutError) as exc:
        raise _bad("command line", "--scheduler", scheduler, "the address of a running Dask scheduler",
                   f" (could not connect: {exc})") from None
    try:
        by_key = {}
        for t in tasks:
            fut = client.submit(execute_run, t, pure=False)
            by_key[fut.key] = (fut, t)
        for fut in as_completed([f for f, _ in by_key.values()]):
            _, task = by_key.pop(fut.key)
            try:
                out = fut.result()
            except Exception:  # noqa: BLE001 - e.g. KilledWorker: that run failed, the rest go on
                out = RunOutput(task.run_id, None, traceback.format_exc(), 0.0)
            fut.release()
            yield out
    finally:
        for fut, _ in by_key.values():
            fut.cancel()
        client.close()
        if cluster is not None:
            cluster.close()


def default_jobs() -> int:
    """All the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def executor_for(tasks: list[RunTask], executor: str, jobs: int, scheduler: str | None) -> Iterator[RunOutput]:
    """The RunOutputs of ``tasks`` from the chosen executor, as they finish."""
    if executor == "dask":
        return _dask(tasks, scheduler, jobs)
    if executor != "local":
        raise _bad("command line", "--executor", executor, "one of " + ", ".join(EXECUTORS))
    if jobs <= 1 or len(tasks) <= 1:
        return _serial(tasks)
    return _process_pool(tasks, min(jobs, len(tasks)))


# --------------------------------------------------------------------------------------------
# Progress
# --------------------------------------------------------------------------------------------


class Progress:
    """Runs done / failed, throughput and ETA: a tqdm bar on a terminal; elsewhere (CI logs) a
    plain line every 10% of the runs or every 10 seconds, whichever comes first."""

    def __init__(self, total: int, desc: str, stream: Any = None, every_seconds: float = PROGRESS_EVERY_SECONDS):
        self.total, self.desc = total, desc
        self.stream = stream if stream is not None else sys.stderr
        self.done = self.failed = 0
        self.every = every_seconds
        self.t0 = self.last = time.monotonic()
        self.next_share = 0.1
        self.bar = None
        isatty = getattr(self.stream, "isatty", None)
        if total and callable(isatty) and isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=desc, unit="run", file=self.stream, dynamic_ncols=True)

    def update(self, ok: bool) -> None:
        """One more run finished (``ok``) or failed."""
        self.done += 1
        self.failed += 0 if ok else 1
        if self.bar is not None:
            self.bar.update(1)
            if self.failed:
                self.bar.set_postfix(failed=self.failed)
            return
        now = time.monotonic()
        if self.done >= self.total or self.done >= self.next_share * self.total or now - self.last >= self.every:
            self.last = now
            while self.next_share * self.total <= self.done and self.next_share < 1:
                self.next_share += 0.1
            print(self.line(), file=self.stream, flush=True)

    def line(self) -> str:
        """The plain progress line: done, failed, throughput, elapsed, ETA."""
        elapsed = max(time.monotonic() - self.t0, 1e-9)
        rate = self.done / elapsed
        eta = (self.total - self.done) / rate if rate > 0 else float("nan")
        return (f"{self.desc}: {self.done}/{self.total} runs done ({self.done / self.total:.0%}), {self.failed} failed, "
                f"{rate:.2f} runs/s, elapsed {elapsed:.0f} s, ETA {eta:.0f} s")

    def close(self) -> None:
        """End the bar (a terminal's line is left as it is)."""
        if self.bar is not None:
            self.bar.close()


# --------------------------------------------------------------------------------------------
# The experiment folder
# --------------------------------------------------------------------------------------------


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "experiment"


def experiments_root(exp: Experiment, results_root: str | Path = "results") -> Path:
    """Where this experiment's default folders go: results/experiments/<name>/."""
    return Path(results_root) / "experiments" / _slug(exp.name)


def is_experiment_dir(path: Path) -> bool:
    """True for a folder this runner made (its manifest.json says kind: experiment)."""
    try:
        return json.loads((Path(path) / "manifest.json").read_text(encoding="utf-8")).get("kind") == "experiment"
    except (OSError, ValueError, AttributeError):
        return False


def latest_folder(exp: Experiment, results_root: str | Path = "results") -> Path | None:
    """The most recent default folder of this experiment (timestamps sort as text)."""
    root = experiments_root(exp, results_root)
    found = sorted(p for p in root.glob("*") if p.is_dir() and is_experiment_dir(p)) if root.is_dir() else []
    return found[-1] if found else None


def _prepare_folder(folder: Path, resume: bool, force: bool) -> bool:
    """Make the folder ready; True when resuming an existing experiment folder. Refuses to
    touch a folder that exists unless asked (--resume continues it, --force replaces it), and
    --force only ever deletes an experiment folder (or an empty one)."""
    if folder.exists():
        if resume:
            if not is_experiment_dir(folder):
                raise OutputExists(f"{folder} is not an experiment folder (no experiment manifest.json); cannot resume it")
            return True
        if not force:
            raise OutputExists(f"{folder} already exists; pass --resume to continue it, --force to replace it, "
                               f"or choose another --out")
        if not (is_experiment_dir(folder) or (folder.is_dir() and not any(folder.iterdir()))):
            raise OutputExists(f"{folder} exists and is not an experiment folder; --force only replaces experiment folders")
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    return False


def _clean_temporaries(runs_dir: Path) -> int:
    """Remove half-written run folders left by a hard kill (write_folder's temporary siblings)."""
    n = 0
    for p in runs_dir.glob(".*.tmp-*"):
        shutil.rmtree(p, ignore_errors=True)
        n += 1
    return n


def plan_table(tasks: list[RunTask]) -> bytes:
    """plan.csv: arm, replicate, seed and run id of every planned run."""
    cols = {c: [getattr(t, c) for t in tasks] for c in PLAN_COLUMNS}
    return table_csv({c: np.array(v, dtype=object) for c, v in cols.items()})


def input_hashes(exp: Experiment) -> dict[str, str]:
    """sha256 of the files the experiment read: the experiment file, the base scenario, and
    any edge-list files the arms use."""
    files = {str(exp.source): exp.source, str(exp.base_path): exp.base_path}
    for a in exp.arms:
        net = a.scenario.community.network
        if net.kind == "edge_list":
            files[net.edge_list] = Path(net.edge_list)
    return {name: sha256_file(p) for name, p in files.items() if p.is_file()}


@dataclass
class ExperimentOutcome:
    """What happened: counts, failed runs with their traceback files, and where it all is."""

    folder: Path
    planned: int
    skipped: int
    ran: int
    ok: int
    failed: list[tuple[RunTask, Path]]
    interrupted: str | None
    wall_seconds: float
    sentences: list[str] = dataclasses.field(default_factory=list)

    @property
    def report(self) -> Path:
        """The report page of the experiment folder."""
        return self.folder / "report.html"


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run_experiment(exp: Experiment, out: str | Path | None = None, results_root: str | Path = "results",
                   jobs: int | None = None, resume: bool = False, force: bool = False, executor: str = "local",
                   scheduler: str | None = None, cli_args: dict | None = None, report: bool = True,
                   log: Callable[[str], None] = _stderr, progress_stream: Any = None) -> ExperimentOutcome:
    """Run every (arm, replicate) not already finished, writing each run as it completes, then
    the tables, figures and report (without ``report``: the tables only). Ctrl-C or a crashed
    worker stops the sweep with the folder consistent (finished runs complete, the rest absent)
    and the outcome says how to resume."""
    from .report import build_outputs, write_outputs

    t_start = time.perf_counter()
    started = utc_now()
    jobs = jobs or default_jobs()
    if executor not in EXECUTORS:
        raise _bad("command line", "--executor", executor, "one of " + ", ".join(EXECUTORS))
    if scheduler and executor != "dask":
        raise _bad("command line", "--scheduler", scheduler, "only with --executor dask")
    if out is not None:
        folder = Path(out)
    elif resume and latest_folder(exp, results_root) is not None:
        folder = latest_folder(exp, results_root)
    else:
        folder = experiments_root(exp, results_root) / utc_stamp()
    resuming = _prepare_folder(folder, resume, force)
    if resume and not resuming:
        log(f"nothing to resume at {folder}; starting the experiment there")
    previous = json.loads((folder / "manifest.json").read_text(encoding="utf-8")) if resuming else {}
    if previous.get("name", exp.name) != exp.name:
        raise OutputExists(f"{folder} holds experiment '{previous['name']}', not '{exp.name}'; "
                           f"choose another --out to run '{exp.name}'")
    runs_dir, failed_dir = folder / "runs", folder / "failed"
    runs_dir.mkdir(exist_ok=True)
    failed_dir.mkdir(exist_ok=True)
    if _clean_temporaries(runs_dir):
        log("removed half-written run folders left by an earlier interruption")

    tasks = plan_runs(exp, command_line())
    write_file_atomic(folder / "experiment.yaml", dump_yaml(exp.to_dict()))
    write_file_atomic(folder / "base_scenario.yaml", dump_yaml(exp.base.to_dict()))
    write_file_atomic(folder / "plan.csv", plan_table(tasks))
    todo = [t for t in tasks if not run_complete(runs_dir / t.run_id)]
    skipped = len(tasks) - len(todo)
    log(f"experiment {exp.name}: {len(exp.arms)} arms x {exp.replicates} replicates = {len(tasks)} runs, "
        f"{exp.days} days, master seed {exp.seed}")
    if resuming:
        log(f"resuming {folder}: {skipped} finished runs skipped, {len(todo)} to run")
        before, now = previous.get("git_commit"), git_commit()
        if skipped and before and now and before != now:
            log(f"note: the finished runs were made at git commit {before[:10]}, the code is now at {now[:10]}; "
                f"if the model changed, use --force to rerun everything")

    session = {"started_utc": started, "executor": executor, "jobs": jobs, "scheduler": scheduler,
               "command": command_line(), "arguments": cli_args or {}, "skipped": skipped, "to_run": len(todo)}
    manifest = {
        "kind": "experiment", "name": exp.name, "status": "running", "master_seed": exp.seed,
        "replicates": exp.replicates, "days": exp.days, "arms": [a.name for a in exp.arms],
        "runs_planned": len(tasks), "git_commit": git_commit(), "versions": versions(),
        "inputs": input_hashes(exp), "sessions": previous.get("sessions", []) + [session],
    }
    write_file_atomic(folder / "manifest.json", dump_json(manifest))

    by_id = {t.run_id: t for t in todo}
    failed: list[tuple[RunTask, Path]] = []
    ran = ok = 0
    interrupted = None
    bar = Progress(len(todo), exp.name, progress_stream)
    try:
        for result in executor_for(todo, executor, jobs, scheduler) if todo else ():
            task = by_id[result.run_id]
            ran += 1
            fail_file = failed_dir / f"{task.run_id}.txt"
            if result.files is not None:
                write_folder(runs_dir / task.run_id, result.files, force=True)
                fail_file.unlink(missing_ok=True)
                ok += 1
            else:
                head = f"run {task.run_id}: arm {task.arm!r}, replicate {task.replicate}, seed {task.seed}\n\n"
                write_file_atomic(fail_file, (head + (result.error or "")).encode())
                failed.append((task, fail_file))
            bar.update(result.files is not None)
    except KeyboardInterrupt:
        interrupted = "stopped by Ctrl-C"
    except WorkerCrashed as exc:
        interrupted = str(exc)
    finally:
        bar.close()

    t_analysis = time.perf_counter()
    outcome = ExperimentOutcome(folder, len(tasks), skipped, ran, ok, failed, interrupted, 0.0)
    if interrupted is None:
        try:
            built = build_outputs(folder, figures=report)
            write_outputs(folder, built.files)
            outcome.sentences = built.sentences
            manifest["outputs"] = {name: sha256_bytes(data) for name, data in built.files.items()}
        except KeyboardInterrupt:
            interrupted = outcome.interrupted = "stopped by Ctrl-C while writing the tables and report"
    finished = sum(run_complete(runs_dir / t.run_id) for t in tasks)
    manifest["status"] = ("interrupted: " + interrupted) if interrupted else (
        "complete" if finished == len(tasks) else f"complete with {len(tasks) - finished} failed runs")
    manifest["runs_finished"] = finished
    outcome.wall_seconds = time.perf_counter() - t_start
    session.update(finished_utc=utc_now(), ran=ran, ok=ok, failed=len(failed),
                   run_seconds=round(t_analysis - t_start, 3),
                   analysis_seconds=round(time.perf_counter() - t_analysis, 3),
                   wall_seconds=round(outcome.wall_seconds, 3))
    write_file_atomic(folder / "manifest.json", dump_json(manifest))
    return outcome
