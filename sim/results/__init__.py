"""Results read back: result folders (an experiment's or single runs'), the statistics that
compare strategies over replicates, per-day curves with intervals, survival and tenure, and
each arm's paired difference to the baseline.

Layer 4 (imports ``sim.run`` for the file format and metrics, never ``sim.model``): ``folders``
reads what is on disk, ``stats`` holds the estimators (Kaplan-Meier, log-rank, bootstrap),
``aggregate`` streams runs into tables, ``comparison`` compares arms.
"""

from .folders import (DEFAULT_METRICS, PARTICIPATION, PLAN_COLUMNS, ArmResults, DamagedFolder, ResultSet, RunRef,
                      is_experiment_folder, is_run_folder, load_results, run_complete, sha256_file)

__all__ = ["DEFAULT_METRICS", "PARTICIPATION", "PLAN_COLUMNS", "ArmResults", "DamagedFolder", "ResultSet", "RunRef",
           "is_experiment_folder", "is_run_folder", "load_results", "run_complete", "sha256_file"]
