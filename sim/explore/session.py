"""Run an exploration: its experiment through the experiment runner (so ``--resume``, ``--jobs``,
``--executor dask``, the progress bar, failed-run records and the refusal to overwrite all work
as for any experiment), then the indices, charts and report, written into the same folder
(each file atomically; their hashes go into the folder's manifest.json under ``explore``).
``--resume`` on a finished folder runs nothing and redoes the analysis."""

from __future__ import annotations

import dataclasses
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..experiments.resume import recorded_replicates
from ..experiments.session import ExperimentOutcome, run_experiment
from ..reports.outputs import write_outputs
from ..results.folders import load_experiment_folder
from ..run.files import dump_json, sha256_bytes
from ..run.output import write_file_atomic
from .analysis import indices, point_means
from .report import explore_files
from .spec import Exploration


@dataclass
class ExploreOutcome:
    """The experiment's outcome, and what the analysis found (empty when it did not run)."""

    experiment: ExperimentOutcome
    sentences: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    analysed: bool = False

    @property
    def report(self) -> Path:
        """The exploration's report page."""
        return self.experiment.folder / "explore.html"


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def analyse_folder(study: Exploration, folder: Path) -> tuple[dict[str, bytes], list[str], list[str]]:
    """The exploration's files, findings and notes from a finished experiment folder."""
    points = point_means(study, load_experiment_folder(folder))
    rows, notes = indices(study, points.means)
    files, sentences = explore_files(study, points, rows, points.notes + notes)
    return files, sentences, notes


def run_exploration(study: Exploration, out: str | Path | None = None, results_root: str | Path = "results",
                    jobs: int | None = None, resume: bool = False, force: bool = False, executor: str = "local",
                    scheduler: str | None = None, cli_args: dict | None = None,
                    log: Callable[[str], None] = _stderr, progress_stream: Any = None) -> ExploreOutcome:
    """Run every sample point's replicates not already finished, then write the exploration's
    files into the experiment folder. A sweep that was stopped, or whose old folder was kept,
    is not analysed."""
    log(f"explore {study.experiment.name}: {study.method}, {len(study.factors)} factors, "
        f"{len(study.experiment.arms):,} sample points")
    outcome = run_experiment(study.experiment, out=out, results_root=results_root, jobs=jobs, resume=resume,
                             force=force, executor=executor, scheduler=scheduler, cli_args=cli_args, report=False,
                             log=log, progress_stream=progress_stream)
    if outcome.interrupted or not outcome.replaced:
        return ExploreOutcome(outcome)
    done = recorded_replicates(outcome.folder)  # a resume keeps the folder's count, whatever the file says
    if done is not None and done != study.experiment.replicates:
        study = dataclasses.replace(study, experiment=dataclasses.replace(study.experiment, replicates=done))
    files, sentences, notes = analyse_folder(study, outcome.folder)
    write_outputs(outcome.folder, files)
    manifest_path = outcome.folder / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["explore"] = {"method": study.method, "samples": study.samples, "factors": len(study.factors),
                           "outputs": {name: sha256_bytes(data) for name, data in files.items()}}
    write_file_atomic(manifest_path, dump_json(manifest))
    return ExploreOutcome(outcome, sentences, notes, True)
