"""Run an exploration: its experiment through the experiment runner (so ``--resume``, ``--jobs``,
``--executor dask``, the progress bar, failed-run records and the refusal to overwrite all work
as for any experiment), then the indices, charts and report, written into the same folder
(each file atomically; their hashes go into the folder's manifest.json under ``explore``).
``--resume`` on a finished folder runs nothing and redoes the analysis. The design (method,
samples, seed, factors) is recorded in manifest.json (``design``) before the first run, so a
resume draws the folder's own sample points: its samples stand unless --samples is given, a
differing --samples is refused, and a file whose method, seed or factors changed is refused
(naming the field), as an edited experiment file is (``sim.experiments.resume``)."""

from __future__ import annotations

import dataclasses
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from ..experiments.resume import changed, first_difference, flat, recorded_replicates
from ..experiments.session import ExperimentOutcome, is_experiment_dir, run_experiment, target_folder
from ..experiments.spec import bad_value
from ..reports.outputs import write_outputs
from ..results.folders import load_experiment_folder
from ..run.files import dump_json, sha256_bytes
from ..run.output import write_file_atomic
from .analysis import indices, point_means
from .report import explore_files
from .spec import Exploration, load_exploration


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
    if resume:
        study = resumed_design(study, target_folder(study.experiment, out, results_root, resume), log)
    log(f"explore {study.experiment.name}: {study.method}, {len(study.factors)} factors, "
        f"{len(study.experiment.arms):,} sample points")
    outcome = run_experiment(study.experiment, out=out, results_root=results_root, jobs=jobs, resume=resume,
                             force=force, executor=executor, scheduler=scheduler, cli_args=cli_args, report=False,
                             log=log, progress_stream=progress_stream, record={"design": study.design()})
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


def recorded_design(folder: Path, name: str) -> dict | None:
    """The design an exploration folder of experiment ``name`` records (``design``, written at
    its start; a finished folder of an older version: the method and samples under ``explore``),
    or None."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("name") != name:
            return None
        design = manifest.get("design") or {k: manifest["explore"][k] for k in ("method", "samples")}
    except (OSError, ValueError, AttributeError, KeyError, TypeError):
        return None
    return design if isinstance(design, dict) and isinstance(design.get("samples"), int) else None


def resumed_design(study: Exploration, folder: Path, log: Callable[[str], None]) -> Exploration:
    """``study`` as resumed in ``folder``: drawn with the folder's samples when --samples was
    not given; a differing --samples, method, seed or factor refused in one line."""
    held = recorded_design(folder, study.experiment.name) if is_experiment_dir(folder) else None
    if held is None:
        return study
    source = str(study.experiment.source)
    if held.get("method", study.method) != study.method:
        raise changed(source, "method", held["method"], study.method, folder)
    now = json.loads(dump_json(study.design()))  # (seed and factors do not depend on the samples)
    diff = first_difference(*(flat({k: d[k] for k in ("seed", "factors") if k in held}) for d in (held, now)))
    if diff is not None:
        raise changed(source, *diff, folder)
    if held["samples"] != study.samples:
        if study.given_samples is not None:
            raise bad_value("command line", "--samples", study.given_samples, f"{held['samples']} (what {folder} holds)",
                            "; to continue it, resume without --samples; for a new experiment, use --force or another --out")
        log(f"resuming with the {held['samples']} samples {folder} holds (the file says {study.samples})")
        study = load_exploration(source, samples=held["samples"], replicates=study.experiment.given.get("replicates"))
    return study
