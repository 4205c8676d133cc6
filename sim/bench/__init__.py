"""Benchmarks (``community-sim bench``): the model's cost per member-day against plain Mesa
references timed in the same run (``references``); a whole experiment's runs per second per
worker and parallel efficiency (``parallel``); and what the figures ran on: machine, versions,
BLAS (``environment``); a million-member group's set-up time and peak memory (``setup``). Layer 2: imports ``sim.experiments`` and, to time it, ``sim.model``."""

from .environment import environment
from .parallel import run_experiment_bench
from .references import REFERENCES, SIZES, bench_scenario, measure, run_bench, timings
from .setup import measure_setup

__all__ = ["REFERENCES", "SIZES", "bench_scenario", "environment", "measure", "measure_setup", "run_bench", "run_experiment_bench",
           "timings"]
