"""`bench --million`: a million-member group's set-up time and peak memory, measured in a fresh
process (so the peak is this group's, not whatever the benchmark ran before), with the time of
its first days (issue 13, goal 3: set-up under 3 s, peak under 1.5 GB)."""

from __future__ import annotations

import multiprocessing
import resource
import sys
import time
from concurrent.futures import ProcessPoolExecutor

from ..model import CommunityModel
from .references import bench_scenario


def _peak_mib() -> float:
    """This process's peak resident memory so far, in MiB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024


def _set_up_and_step(members: int, days: int) -> dict:
    """In the worker: build the group, run ``days`` days; times and peak memory."""
    before = _peak_mib()
    t0 = time.perf_counter()
    model = CommunityModel(bench_scenario(members, days))
    t1 = time.perf_counter()
    model.run()
    t2 = time.perf_counter()
    return {"members": members, "days": days, "setup_s": round(t1 - t0, 3),
            "seconds_per_day": round((t2 - t1) / days, 4), "peak_mib": round(_peak_mib(), 1),
            "peak_before_setup_mib": round(before, 1)}


def measure_setup(members: int = 1_000_000, days: int = 10) -> dict:
    """Set-up seconds, seconds per day and peak resident memory (MiB) of a ``members`` group,
    in a freshly spawned Python process (imports done before the peak is counted from)."""
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        pool.submit(_peak_mib).result()  # the worker has started and imported everything
        return pool.submit(_set_up_and_step, members, days).result()
