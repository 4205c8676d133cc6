"""Running one scenario: simulate, summarise, and write a complete result folder (the files of
a run are made as bytes first, so an experiment's workers can return them unwritten)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..model import MESSAGE_KINDS, CommunityModel
from ..scenario import Scenario, check_name, load_scenario
from .files import (check_target, command_line, dump_json, dump_yaml, git_commit, sha256_bytes, table_csv,
                    utc_now, utc_stamp, versions, write_folder)
from .metrics import summarize

PROGRESS_MIN_MEMBER_DAYS = 5_000_000  # show a progress bar for runs at least this big


@dataclass
class RunResult:
    """What one run produced. ``folder`` is set when it was written to disk."""

    scenario: Scenario
    seed: int
    timeseries: dict[str, np.ndarray]
    members: dict[str, np.ndarray]
    summary: dict
    timings: dict = field(default_factory=dict)
    folder: Path | None = None
    messages: dict[str, np.ndarray] | None = None  # the message log: day, author, reply_to, kind


def simulate(scenario: Scenario, seed: int | None = None, days: int | None = None,
             progress: bool = False) -> RunResult:
    """Run the model to the horizon and summarise; no files. ``seed``/``days`` override the
    scenario's (the returned scenario records what was used)."""
    over = {}
    if seed is not None:
        over["seed"] = int(seed)
    if days is not None:
        over["days"] = int(days)
    if over:
        scenario = scenario.with_overrides(over, source="command line")
    t0 = time.perf_counter()
    model = CommunityModel(scenario)
    t1 = time.perf_counter()
    bar = None
    if progress and scenario.community.initial_members * scenario.days >= PROGRESS_MIN_MEMBER_DAYS:
        from tqdm import tqdm

        bar = tqdm(total=scenario.days, unit="day", desc=scenario.name, disable=None)
    model.run(progress=(lambda d: bar.update(1)) if bar is not None else None)
    if bar is not None:
        bar.close()
    t2 = time.perf_counter()
    ts = model.timeseries()
    members = model.member_records()
    messages = model.message_log()
    summary = summarize(ts, members, messages)
    summary["intervention_log"] = list(model.interventions.log)  # day, what, why of each change
    timings = {"setup_seconds": round(t1 - t0, 4), "simulation_seconds": round(t2 - t1, 4)}
    return RunResult(scenario, scenario.seed, ts, members, summary, timings, messages=messages)


def default_folder(scenario: Scenario, results_root: Path | str = "results") -> Path:
    """results/<scenario name>/<UTC timestamp>: the name must be a folder name."""
    check_name("scenario", "name", scenario.name)
    return Path(results_root) / scenario.name / utc_stamp()


def members_csv(members: dict[str, np.ndarray]) -> bytes:
    """members.csv: one row per member ever present (-1 days and ids written as empty cells)."""
    return table_csv(members, empty_if={"leave_day": lambda v: v < 0, "brought_by": lambda v: v < 0,
                                        "first_post_day": lambda v: v < 0, "first_post_answered": lambda v: v < 0})


def run_files(result: RunResult, started: str, wall: float, plots: bool = True, messages: bool = False) -> dict:
    """The files of a run folder (name -> bytes or writer); ``messages`` adds the message log."""
    resolved = dump_yaml(result.scenario.to_dict())
    manifest = {
        "kind": "run",
        "scenario": result.scenario.name,
        "scenario_sha256": sha256_bytes(resolved),
        "seed": result.seed,
        "days": result.scenario.days,
        "command": command_line(),
        "started_utc": started,
        "finished_utc": utc_now(),
        "wall_seconds": round(wall, 3),
        **result.timings,
        "versions": versions(),
        "git_commit": git_commit(),
    }
    files: dict = {
        "scenario.yaml": resolved,
        "timeseries.csv": table_csv(result.timeseries),
        "members.csv": members_csv(result.members),
        "summary.json": dump_json(result.summary),
    }
    if messages and result.messages is not None:
        log = result.messages
        files["messages.csv"] = table_csv({"day": log["day"], "author": log["author"], "reply_to": log["reply_to"],
                                           "kind": np.array(MESSAGE_KINDS)[log["kind"]]},
                                          empty_if={"reply_to": lambda v: v < 0})
    if plots:
        from .figure import can_pay, save_activity_png

        files["activity.png"] = lambda p: save_activity_png(p, result.timeseries, result.summary, result.scenario.name,
                                                            can_pay(result.scenario.strategy))
    files["manifest.json"] = dump_json(manifest)
    return files


def run_scenario(scenario: Scenario | str | Path, seed: int | None = None, days: int | None = None,
                 out: str | Path | None = None, force: bool = False, results_root: str | Path = "results",
                 plots: bool = True, save: bool = True, progress: bool = False, messages: bool = False) -> RunResult:
    """Load (if a path), run and, with ``save``, write the result folder (default
    ``results/<name>/<UTC timestamp>/``; ``messages`` adds messages.csv, the message log). An
    existing folder is replaced only with ``force``."""
    if not isinstance(scenario, Scenario):
        scenario = load_scenario(scenario)
    started = utc_now()
    t0 = time.perf_counter()
    target = None
    if save:
        target = Path(out) if out is not None else default_folder(scenario, results_root)
        check_target(target, force, "run")
    result = simulate(scenario, seed, days, progress=progress)
    if save:
        files = run_files(result, started, time.perf_counter() - t0, plots, messages)
        result.folder = write_folder(target, files, force=force, kind="run")
    return result
