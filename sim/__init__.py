"""community-sim: test an online community's strategy before trying it on real people.

Public API::

    from sim import load_scenario, CommunityModel, run_scenario
    scenario = load_scenario("scenarios/baseline.yaml")
    result = run_scenario(scenario, seed=3, save=False)   # or write a result folder
    result.summary["lifespan_days"]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .lazy import lazy_exports

if TYPE_CHECKING:  # what the lazy names are, for type checkers and import-linter's layer map
    from .experiments import load_experiment, run_experiment
    from .model import CommunityModel
    from .run import RunResult, run_scenario, simulate
    from .scenario import Scenario, ScenarioError, load_scenario

# Imported on first use (sim.lazy): `community-sim --help` and `validate` need none of these.
_PUBLIC = {"CommunityModel": ".model", "RunResult": ".run", "Scenario": ".scenario", "ScenarioError": ".scenario",
           "load_experiment": ".experiments", "load_scenario": ".scenario", "run_experiment": ".experiments",
           "run_scenario": ".run", "simulate": ".run"}
__getattr__, __dir__ = lazy_exports(__name__, _PUBLIC)
__all__ = ["CommunityModel", "RunResult", "Scenario", "ScenarioError", "load_experiment", "load_scenario",
           "run_experiment", "run_scenario", "simulate"]
__version__ = "0.1.0"
