"""What a benchmark ran on: the machine, the package versions and the BLAS configuration, so a
figure in a JSON file can be read (and compared) later. The model makes no BLAS call on its day
path; the configuration is recorded so that a reader can check that, not because it matters."""

from __future__ import annotations

import os
import platform
from pathlib import Path

import numpy as np

from ..run.files import git_commit, utc_now, versions

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS",
                    "VECLIB_MAXIMUM_THREADS", "NUMEXPR_NUM_THREADS")


def cpu_model() -> str:
    """The processor's name (from /proc/cpuinfo on Linux; platform.processor() elsewhere)."""
    info = Path("/proc/cpuinfo")
    if info.is_file():
        for line in info.read_text(errors="replace").splitlines():
            if line.lower().startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def machine() -> dict:
    """Processor, logical cores (all, and those this process may use), memory in GiB, OS."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    memory_gib = None
    if hasattr(os, "sysconf") and "SC_PHYS_PAGES" in os.sysconf_names:
        memory_gib = round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1)
    return {"cpu": cpu_model(), "logical_cores": os.cpu_count(), "usable_cores": usable,
            "memory_gib": memory_gib, "os": platform.platform(), "machine": platform.machine()}


def blas() -> dict:
    """numpy's BLAS library (name, version, build configuration), the thread-limit variables set
    in the environment, and, where threadpoolctl is installed, the thread pools loaded now."""
    out: dict = {}
    try:
        deps = np.show_config(mode="dicts").get("Build Dependencies", {})
        lib = deps.get("blas", {})
        out = {k: lib.get(k) for k in ("name", "version", "openblas configuration") if k in lib}
    except (TypeError, AttributeError):  # numpy < 1.25 has no mode="dicts"
        out = {"name": "unknown (numpy too old to say)"}
    out["thread_variables"] = {v: os.environ[v] for v in THREAD_VARIABLES if v in os.environ}
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        out["thread_pools"] = "threadpoolctl not installed"
    else:
        out["thread_pools"] = [{k: p.get(k) for k in ("internal_api", "num_threads", "version")}
                               for p in threadpool_info()]
    return out


def environment() -> dict:
    """Everything a benchmark file records besides its figures."""
    return {"recorded_utc": utc_now(), "machine": machine(), "versions": versions(), "blas": blas(),
            "git_commit": git_commit()}
