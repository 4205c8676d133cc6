"""One run: simulate a scenario, summarise it (lifespan, participation, money) and write a
complete result folder atomically.

Layer 3 (imports ``sim.model`` and ``sim.scenario``): ``runner`` runs and writes, ``metrics``
computes the summary from the records alone, ``files`` owns the folder format (atomic writes,
CSV/JSON/YAML, manifests with versions and commit), ``figure`` draws activity.png.
"""

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

if TYPE_CHECKING:  # what the lazy names are, for type checkers and import-linter's layer map
    from .runner import RunResult, run_scenario, simulate

# Imported on first use (sim.lazy): reading output.py or files.py need not load the model.
__getattr__, __dir__ = lazy_exports(__name__, {"RunResult": ".runner", "run_scenario": ".runner", "simulate": ".runner"})

__all__ = ["RunResult", "run_scenario", "simulate"]
