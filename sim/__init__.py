"""community-sim: test an online community's strategy before trying it on real people.

Public API::

    from sim import load_scenario, CommunityModel, run_scenario
    scenario = load_scenario("scenarios/baseline.yaml")
    result = run_scenario(scenario, seed=3, save=False)   # or write a result folder
    result.summary["lifespan_days"]
"""

from .experiments import load_experiment, run_experiment
from .model import CommunityModel
from .run import RunResult, run_scenario, simulate
from .scenario import Scenario, ScenarioError, load_scenario

__all__ = ["CommunityModel", "RunResult", "Scenario", "ScenarioError", "load_experiment", "load_scenario",
           "run_experiment", "run_scenario", "simulate"]
__version__ = "0.1.0"
