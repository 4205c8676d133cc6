"""Experiments: the same community under several strategies, many paired replicates each, run
on local processes or a Dask cluster, resumable, ending in the comparison tables and report.

Layer 6 (imports ``sim.reports``, ``sim.results``, ``sim.run``, ``sim.scenario``): ``spec``
reads experiment files, ``plan`` derives seeds and run ids and runs one task, ``executors``
spread tasks over workers (``watchdog``: each worker's first step, ending it with its parent),
``progress`` shows the sweep, ``session`` owns the experiment folder (refusal to overwrite,
resume, failures) and ``run_experiment``.
"""

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

if TYPE_CHECKING:  # what the lazy names are, for type checkers and import-linter's layer map
    from .plan import RunTask, plan_runs, replicate_seeds, run_id
    from .session import ExperimentOutcome, run_experiment
    from .spec import Arm, Experiment, experiment_from_data, file_kind, load_experiment

# Imported on first use (sim.lazy): reading an experiment file need not load the model or Matplotlib.
__getattr__, __dir__ = lazy_exports(__name__, {
    **dict.fromkeys(["RunTask", "plan_runs", "replicate_seeds", "run_id"], ".plan"),
    **dict.fromkeys(["ExperimentOutcome", "run_experiment"], ".session"),
    **dict.fromkeys(["Arm", "Experiment", "experiment_from_data", "file_kind", "load_experiment"], ".spec")})

__all__ = ["Arm", "Experiment", "ExperimentOutcome", "RunTask", "experiment_from_data", "file_kind", "load_experiment",
           "plan_runs", "replicate_seeds", "run_experiment", "run_id"]
