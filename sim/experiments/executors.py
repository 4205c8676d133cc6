"""Executors: each yields the RunOutputs of a list of runs as they finish, serially, from a
local process pool (fork where safe; workers ignore Ctrl-C and exit on their own when their
parent dies, however it died) or from a Dask cluster. Workers only
compute and return bytes; the caller writes them, so every executor gives the same files."""

from __future__ import annotations

import multiprocessing
import os
import threading
import traceback
from concurrent.futures import ProcessPoolExecutor
from typing import Iterator

from ..scenario import ScenarioError
from .plan import RunOutput, RunTask, execute_run
from .spec import EXECUTORS, bad_value
from .watchdog import worker_init


class WorkerCrashed(RuntimeError):
    """A worker process died (killed, out of memory); the runs it had are not finished."""


def _serial(tasks: list[RunTask]) -> Iterator[RunOutput]:
    for t in tasks:
        yield execute_run(t)


def start_method() -> multiprocessing.context.BaseContext:
    """Fork where it is safe (a single-threaded parent: workers start at once with everything
    imported); otherwise spawn. Explicit, because importing mesa forces spawn globally."""
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def worker_pool(jobs: int) -> ProcessPoolExecutor:
    """A pool of ``jobs`` worker processes started the safe way (``start_method``), each ending
    when this process is gone (``worker_init``): experiments, the validation and the calibration
    all run on one of these. Its workers start at the first task (``start_workers`` to start
    them sooner)."""
    return ProcessPoolExecutor(max_workers=jobs, initializer=worker_init, initargs=(os.getpid(),),
                               mp_context=start_method())


def start_workers(pool: ProcessPoolExecutor) -> None:
    """Start a forked pool's workers now, while this process has one thread: before a Dask
    client starts its threads, for the analysis that runs on the pool after the Dask sweep (a
    fork of a process with other threads can deadlock the child). Spawned workers need not."""
    if pool._mp_context.get_start_method() == "fork":  # noqa: SLF001 - the context it was made with
        pool.submit(int).result()  # (forked workers all start at the first task)


def stop_pool(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's workers now (queued work cancelled, running work killed), e.g. on Ctrl-C,
    and wait for its manager thread: a pool started while that thread lives would spawn its
    workers (``start_method``), each importing everything again (seconds) instead of forking."""
    procs = list((pool._processes or {}).values())  # noqa: SLF001 - to stop them on Ctrl-C
    manager = pool._executor_manager_thread  # noqa: SLF001
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        if p.is_alive():
            p.terminate()
    for p in procs:
        p.join(timeout=5)
    if manager is not None:
        manager.join(timeout=5)


def _process_pool(tasks: list[RunTask], jobs: int, pool: ProcessPoolExecutor | None = None) -> Iterator[RunOutput]:
    """The runs on ``pool`` (kept running when every run came back, for the caller's next
    work) or on a pool of ``jobs`` workers of its own (stopped at the end)."""
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    own, pool = pool is None, pool or worker_pool(jobs)
    done = False
    try:
        pending = {pool.submit(execute_run, t): t for t in tasks}
        for fut in as_completed(list(pending)):
            pending.pop(fut)
            try:
                out = fut.result()
            except BrokenProcessPool as exc:
                raise WorkerCrashed(f"a worker process died (killed, or out of memory?): {exc}") from None
            yield out
        done = True
    finally:
        if own or not done:
            stop_pool(pool)


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
        raise bad_value("command line", "--scheduler", scheduler, "the address of a running Dask scheduler",
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


def executor_for(tasks: list[RunTask], executor: str, jobs: int, scheduler: str | None,
                 pool: ProcessPoolExecutor | None = None) -> Iterator[RunOutput]:
    """The RunOutputs of ``tasks`` from the chosen executor, as they finish; a local sweep runs
    on ``pool`` where given (the caller's workers, for its analysis afterwards)."""
    if executor == "dask":
        return _dask(tasks, scheduler, jobs)
    if executor != "local":
        raise bad_value("command line", "--executor", executor, "one of " + ", ".join(EXECUTORS))
    if jobs <= 1 or len(tasks) <= 1:
        return _serial(tasks)
    return _process_pool(tasks, min(jobs, len(tasks)), pool)
