"""Validation (`community-sim check-model`): does the model reproduce the source cases and
published findings? Each check runs replicates, measures a figure and compares it with a range
stated in advance, from the sources, never from the model's output.

Layer 7, beside ``sim.workshop`` and ``sim.bench`` (imports ``sim.run`` and ``sim.scenario``):
``harness`` runs arms over seeds, ``facts`` reduces each run to what a check reads, ``checks``
holds the checks, ``figures`` and ``outputs`` make the validation folder.
"""

from .checks import CHECKS, run_checks
from .harness import Check
from .outputs import validation_files

__all__ = ["CHECKS", "Check", "run_checks", "validation_files"]
