"""The experiment session: one base scenario under several strategy arms, many replicates each.

An experiment file names a base scenario and the arms to compare (named override sets, or a
grid over field values). Replicate ``i`` of every arm runs with the same seed, derived from the
master seed with numpy's ``SeedSequence`` (common random numbers), so arm differences are
paired. Each run has an id hashed from its resolved scenario (seed included) and is written to
``runs/<id>/`` atomically as it finishes; ``--resume`` skips runs whose files are all there and
intact, and a lock file keeps a second live process out of the folder. ``--force`` writes the new
experiment to a hidden sibling and swaps it in only when it is complete, so a sweep that cannot
start or is stopped leaves the old folder as it was. A failing run leaves ``failed/<id>.txt`` (its traceback) and the sweep goes on. Runs go
through a local process pool or a Dask cluster; both give byte-identical files, because workers
only compute and return bytes and the parent writes them.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import signal
import sys
import threading
import time
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from ..plural import count
from ..reports.outputs import build_outputs, write_outputs
from ..results.folders import run_complete, sha256_file
from ..run.files import command_line, dump_json, dump_yaml, git_commit, sha256_bytes, utc_now, utc_stamp, versions
from ..run.output import (FolderLock, OutputExists, check_target, check_writable, clean_stale, temporary_sibling,
                          write_file_atomic, write_folder)
from .executors import WorkerCrashed, default_jobs, executor_for, start_workers, stop_pool, worker_pool
from .plan import RunTask, plan_runs, plan_table
from .progress import Progress
from .resume import resumed
from .spec import EXECUTORS, Experiment, bad_value


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


def target_folder(exp: Experiment, out: str | Path | None, results_root: str | Path, resume: bool) -> Path:
    """The folder a session works in: ``out``, else (resuming) the latest of this experiment,
    else a new timestamped one."""
    if out is not None:
        return Path(out)
    latest = latest_folder(exp, results_root) if resume else None
    return latest if latest is not None else experiments_root(exp, results_root) / utc_stamp()


def _prepare_folder(folder: Path, resume: bool, force: bool) -> tuple[bool, Path, FolderLock]:
    """Make the folder ready and lock it: (resuming?, where to write, the lock). Refuses to
    touch a folder that exists unless asked (--resume continues it, --force replaces it); --force
    only ever replaces an experiment folder (or an empty one), and the new experiment is written
    to a hidden sibling, swapped in once complete."""
    if folder.exists() and not resume and not force:
        raise OutputExists(f"{folder} already exists; pass --resume to continue it, --force to replace it, "
                           f"or choose another --out")
    if folder.exists() and resume:
        if not is_experiment_dir(folder):
            raise OutputExists(f"{folder} is not an experiment folder (no experiment manifest.json); cannot resume it")
        return True, folder, FolderLock(folder).acquire()
    if folder.exists():
        check_target(folder, True, "experiment")
        lock = FolderLock(folder).acquire()  # refuses while another process works in it
        work = temporary_sibling(folder)
        try:
            clean_stale(folder.parent)
            work.mkdir()
        except BaseException:
            lock.release()
            raise
        return False, work, lock
    check_writable(folder)
    folder.mkdir(parents=True)
    return False, folder, FolderLock(folder).acquire()


def _clean_temporaries(runs_dir: Path) -> int:
    """Remove half-written run folders left by a killed process (write_folder's temporaries)."""
    return clean_stale(runs_dir)


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C: the workers stop and the folder stays consistent."""


def _on_sigterm(signum, frame) -> None:
    raise Terminated()


def _swap_in(work: Path, folder: Path) -> None:
    """Replace ``folder`` by the finished ``work`` folder (rename old away, rename new in)."""
    old = temporary_sibling(folder, "old")
    folder.rename(old)
    work.rename(folder)
    shutil.rmtree(old, ignore_errors=True)


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
    notes: list[str] = dataclasses.field(default_factory=list)
    replaced: bool = True  # False when --force kept the old folder (the new sweep did not finish)

    @property
    def report(self) -> Path:
        """The report page of the experiment folder."""
        return self.folder / "report.html"


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def run_experiment(exp: Experiment, out: str | Path | None = None, results_root: str | Path = "results",
                   jobs: int | None = None, resume: bool = False, force: bool = False, executor: str = "local",
                   scheduler: str | None = None, cli_args: dict | None = None, report: bool = True,
                   log: Callable[[str], None] = _stderr, progress_stream: Any = None,
                   record: dict | None = None) -> ExperimentOutcome:
    """Run every (arm, replicate) not already finished, writing each run as it completes, then
    the tables, figures and report (without ``report``: the tables only). ``record``: more
    fields for manifest.json, written before the first run (an exploration's design). Ctrl-C or a crashed
    worker stops the sweep with the folder consistent (finished runs complete, the rest absent)
    and the outcome says how to resume."""
    t_start = time.perf_counter()
    started = utc_now()
    jobs = jobs or default_jobs()
    if executor not in EXECUTORS:
        raise bad_value("command line", "--executor", executor, "one of " + ", ".join(EXECUTORS))
    if scheduler and executor != "dask":
        raise bad_value("command line", "--scheduler", scheduler, "only with --executor dask")
    folder = target_folder(exp, out, results_root, resume)
    if resume and is_experiment_dir(folder):  # its own plan, checked before the folder is touched
        exp = resumed(exp, folder, log)
    resuming, work, lock = _prepare_folder(folder, resume, force)
    handler = signal.signal(signal.SIGTERM, _on_sigterm) if threading.current_thread() is threading.main_thread() else None
    # One pool for the sweep and the analysis after it: its workers start once (they are idle by then).
    # A Dask sweep gets one too, for the analysis: its workers are forked before the Dask
    # client's threads start (``start_workers``; once the client has run, a new pool would be
    # spawned and re-import everything: the analysis took 2.0 s, not 1.5 s, after a 2-worker sweep).
    pool = worker_pool(min(jobs, default_jobs())) if jobs > 1 else None
    try:
        outcome = _session(exp, folder, work, resuming, resume, started, t_start, jobs, executor, scheduler,
                           cli_args, report, log, progress_stream, pool, record or {})
        if work != folder:
            if outcome.interrupted is None and (outcome.ok or not outcome.ran):
                _swap_in(work, folder)
            elif outcome.interrupted is None:  # every run failed: keep the old folder, show the new one
                outcome.folder = folder.parent / f"{folder.name}.failed-{utc_stamp()}"
                work.rename(outcome.folder)
                outcome.replaced = False
            else:
                outcome.replaced = False
    finally:
        if pool is not None:
            stop_pool(pool)
        if work != folder and work.exists():
            shutil.rmtree(work, ignore_errors=True)
        lock.release()
        if handler is not None:
            signal.signal(signal.SIGTERM, handler)
    return outcome


def _session(exp: Experiment, folder: Path, work: Path, resuming: bool, resume: bool, started: str, t_start: float,
             jobs: int, executor: str, scheduler: str | None, cli_args: dict | None, report: bool,
             log: Callable[[str], None], progress_stream: Any, pool: Executor | None,
             record: dict) -> ExperimentOutcome:
    """The session in ``work`` (``folder`` itself, or its replacement being written); a local
    sweep and the analysis run on ``pool`` where given."""
    if resume and not resuming:
        log(f"nothing to resume at {folder}; starting the experiment there")
    previous = json.loads((folder / "manifest.json").read_text(encoding="utf-8")) if resuming else {}
    if previous.get("name", exp.name) != exp.name:
        raise OutputExists(f"{folder} holds experiment '{previous['name']}', not '{exp.name}'; "
                           f"choose another --out to run '{exp.name}'")
    runs_dir, failed_dir = work / "runs", work / "failed"
    runs_dir.mkdir(exist_ok=True)
    failed_dir.mkdir(exist_ok=True)
    if _clean_temporaries(runs_dir):
        log("removed half-written run folders left by an earlier interruption")

    tasks = plan_runs(exp, command_line())
    write_file_atomic(work / "experiment.yaml", dump_yaml(exp.to_dict()))
    write_file_atomic(work / "base_scenario.yaml", dump_yaml(exp.base.to_dict()))
    write_file_atomic(work / "plan.csv", plan_table(tasks))
    todo = [t for t in tasks if not run_complete(runs_dir / t.run_id)]
    skipped = len(tasks) - len(todo)
    log(f"experiment {exp.name}: {count(len(exp.arms), 'arm')} x {count(exp.replicates, 'replicate')} = "
        f"{count(len(tasks), 'run')}, {count(exp.days, 'day')}, master seed {exp.seed}")
    if resuming:
        log(f"resuming {folder}: {skipped} finished runs skipped, {len(todo)} to run")
        before, now = previous.get("git_commit"), git_commit()
        if skipped and before and now and before != now:
            log(f"note: the finished runs were made at git commit {before[:10]}, the code is now at {now[:10]}; "
                f"if the model changed, use --force to rerun everything")

    session = {"started_utc": started, "executor": executor, "jobs": jobs, "scheduler": scheduler,
               "command": command_line(), "arguments": cli_args or {}, "skipped": skipped, "to_run": len(todo),
               "pid": os.getpid()}
    hint = f"community-sim experiment {exp.source} --resume --out {folder}"  # (the folder records its replicates)
    manifest = {
        "kind": "experiment", "name": exp.name, "status": "running", "master_seed": exp.seed,
        "replicates": exp.replicates, "days": exp.days, "arms": [a.name for a in exp.arms],
        "runs_planned": len(tasks), "git_commit": git_commit(), "versions": versions(),
        "inputs": input_hashes(exp), "sessions": previous.get("sessions", []) + [session], **record,
    }
    if work == folder:  # if this process dies, the folder says how to go on
        manifest["if_stopped"] = f"if process {os.getpid()} is gone, it stopped early; continue with: {hint}"
    write_file_atomic(work / "manifest.json", dump_json(manifest))

    by_id = {t.run_id: t for t in todo}
    failed: list[tuple[RunTask, Path]] = []
    ran = ok = 0
    interrupted = None
    bar = Progress(len(todo), exp.name, progress_stream)
    if executor == "dask" and pool is not None:
        start_workers(pool)  # forked now, before the Dask client's threads; used for the analysis
    try:
        for result in executor_for(todo, executor, jobs, scheduler, pool) if todo else ():
            task = by_id[result.run_id]
            ran += 1
            fail_file = failed_dir / f"{task.run_id}.txt"
            if result.files is not None:
                write_folder(runs_dir / task.run_id, result.files, owned=True)
                fail_file.unlink(missing_ok=True)
                ok += 1
            else:
                head = f"run {task.run_id}: arm {task.arm!r}, replicate {task.replicate}, seed {task.seed}\n\n"
                write_file_atomic(fail_file, (head + (result.error or "")).encode())
                failed.append((task, fail_file))
            bar.update(result.files is not None)
    except Terminated:
        interrupted = "stopped by SIGTERM"
    except KeyboardInterrupt:
        interrupted = "stopped by Ctrl-C"
    except WorkerCrashed as exc:
        interrupted = str(exc)
    except Exception as exc:  # disk full, a bad scheduler: say so in the folder, then report it
        if work == folder:
            manifest.pop("if_stopped", None)
            manifest["status"] = f"stopped by an error: {exc}; after fixing it, continue with: {hint}"
            _try_write(work / "manifest.json", dump_json(manifest))
        raise
    finally:
        bar.close()

    t_analysis = time.perf_counter()
    outcome = ExperimentOutcome(folder, len(tasks), skipped, ran, ok, failed, interrupted, 0.0)
    if interrupted is None:
        try:
            built = build_outputs(work, figures=report, pool=pool)
            write_outputs(work, built.files)
            outcome.sentences = built.sentences
            outcome.notes = built.notes
            manifest["outputs"] = {name: sha256_bytes(data) for name, data in built.files.items()}
        except KeyboardInterrupt:
            interrupted = outcome.interrupted = "stopped by Ctrl-C while writing the tables and report"
    finished = skipped + ok  # found complete at the start, and written whole since (no second hashing of every file)
    manifest.pop("if_stopped", None)
    manifest["status"] = ("interrupted: " + interrupted) if interrupted else (
        "complete" if finished == len(tasks) else f"complete with {len(tasks) - finished} failed runs")
    if interrupted and work == folder:
        manifest["status"] += f"; continue with: {hint}"
    manifest["runs_finished"] = finished
    outcome.wall_seconds = time.perf_counter() - t_start
    session.update(finished_utc=utc_now(), ran=ran, ok=ok, failed=len(failed),
                   run_seconds=round(t_analysis - t_start, 3),
                   analysis_seconds=round(time.perf_counter() - t_analysis, 3),
                   wall_seconds=round(outcome.wall_seconds, 3))
    write_file_atomic(work / "manifest.json", dump_json(manifest))
    return outcome


def _try_write(path: Path, data: bytes) -> None:
    """Best effort (the disk may be full): the error being reported matters more."""
    try:
        write_file_atomic(path, data)
    except OSError:
        pass
