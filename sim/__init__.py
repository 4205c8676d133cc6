"""community-sim: test an online community's strategy before trying it on real people.

Public API::

    from sim import load_scenario, CommunityModel, run_scenario
    scenario = load_scenario("scenarios/baseline.yaml")
    result = run_scenario(scenario, seed=3, save=False)   # or write a result folder
    result.summary["lifespan_days"]
"""

from __future__ import annotations

from .lazy import lazy_exports

# Imported on first use (sim.lazy): `community-sim --help` and `validate` need none of these.
_PUBLIC = {"CommunityModel": ".model", "RunResult": ".run", "Scenario": ".scenario", "ScenarioError": ".scenario",
           "load_experiment": ".experiments", "load_scenario": ".scenario", "run_experiment": ".experiments",
           "run_scenario": ".run", "simulate": ".run"}
__getattr__, __dir__ = lazy_exports(__name__, _PUBLIC)
__all__ = sorted(_PUBLIC)
__version__ = "0.1.0"
