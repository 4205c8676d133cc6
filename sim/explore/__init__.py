"""Sensitivity analysis (``community-sim explore``): which levers and which assumptions matter
most for a community's lifespan, activity and revenue.

Layer 2, beside the workshop, validation and bench (imports ``sim.experiments`` and below; runs
the model only through the experiment runner): ``spec`` reads explore files (factor ranges through
``sim.scenario.ranges``), ``design`` draws Morris, Sobol and Latin
hypercube samples with SALib, ``analysis`` computes the indices, ``figures`` and ``report``
write the charts, tables and page, and ``session`` runs it all (``run_exploration``).
"""

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

if TYPE_CHECKING:  # what the lazy names are, for type checkers and import-linter's layer map
    from .session import ExploreOutcome, analyse_folder, run_exploration
    from .spec import Exploration, Factor, load_exploration, load_factors

# Imported on first use (sim.lazy): reading an exploration file need not load the runner.
__getattr__, __dir__ = lazy_exports(__name__, {
    **dict.fromkeys(["ExploreOutcome", "analyse_folder", "run_exploration"], ".session"),
    **dict.fromkeys(["Exploration", "Factor", "load_exploration", "load_factors"], ".spec")})

__all__ = ["ExploreOutcome", "Exploration", "Factor", "analyse_folder", "load_exploration",
           "load_factors", "run_exploration"]
