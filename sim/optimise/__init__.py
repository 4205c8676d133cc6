"""Strategy search (`community-sim optimise`): the levers an operator can set, searched with
Optuna's seeded multi-objective samplers for the strategies that best trade off several
objectives (lifespan, activity at day 365, revenue) under the operator's limits (cost per
month, organisers' hours per week), each candidate scored over paired replicates.

Layer above ``sim.experiments`` (it reads files with the experiments' checks, runs on their
worker pool and writes its Pareto set as an experiment file); it runs the model only through
``sim.run``. ``spec`` reads the file (the levers' ranges through ``sim.scenario.ranges``), ``search`` runs the search,
``outputs`` and ``figures`` make the result folder, ``session`` runs it all
(``run_optimisation``).
"""

from .search import Search, Trial, non_dominated, search
from .session import OptimiseOutcome, run_optimisation
from .spec import Lever, Objective, Optimisation, load_optimisation, parse_levers

__all__ = ["Lever", "Objective", "Optimisation", "OptimiseOutcome", "Search", "Trial", "load_optimisation",
           "non_dominated", "parse_levers", "run_optimisation", "search"]
