"""One strategy search from start to finish (what `community-sim optimise` calls): refuse an
output folder that may not be replaced before any run, search with a progress bar (ETA), and
write the folder atomically (a temporary sibling renamed into place when complete); a search
stopped by Ctrl-C writes the trials it finished (its manifest says so)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from ..experiments.progress import Progress
from ..run.files import utc_now, utc_stamp
from ..run.output import check_target, write_folder
from ..scenario import ScenarioError
from .outputs import optimisation_files, pareto_lines
from .search import Search, search
from .spec import Optimisation


@dataclass
class OptimiseOutcome:
    """The search and where its folder is."""

    found: Search
    folder: Path
    lines: list[str]
    wall_seconds: float


def default_folder(opt: Optimisation, results_root: str | Path = "results") -> Path:
    """results/optimise/<name>/<UTC timestamp>."""
    return Path(results_root) / "optimise" / opt.name / utc_stamp()


def run_optimisation(opt: Optimisation, out: str | Path | None = None, force: bool = False, jobs: int = 1,
                     results_root: str | Path = "results", settings: dict | None = None) -> OptimiseOutcome:
    """Search ``opt`` on ``jobs`` processes and write the folder (default
    ``results/optimise/<name>/<UTC timestamp>``); an existing folder is replaced only with
    ``force`` and only if it is an optimisation folder."""
    try:
        import optuna  # noqa: F401 - fail before any run
    except ImportError:
        raise ScenarioError("command line", "optimise", "needs Optuna, which is not installed; install it with: "
                            "pip install 'community-sim[optimise]'") from None
    target = Path(out) if out is not None else default_folder(opt, results_root)
    check_target(target, force, "optimisation")
    started = utc_now()
    t0 = time.perf_counter()
    bar = Progress(opt.trials, f"optimise {opt.name}", unit="trial")
    try:
        found = search(opt, jobs=jobs, progress=lambda t: bar.update(not t.status.startswith("invalid")))
    finally:
        bar.close()
    wall = time.perf_counter() - t0
    if found.interrupted and not found.trials:
        raise KeyboardInterrupt  # nothing finished: nothing is written
    files = optimisation_files(found, opt, settings or {}, started, wall)
    folder = write_folder(target, files, force=force, kind="optimisation")
    return OptimiseOutcome(found, folder, pareto_lines(found, opt), wall)
