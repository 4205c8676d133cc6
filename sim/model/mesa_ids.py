"""A workaround for Mesa 3.3's agent-id counters keeping every model alive.

Mesa 3.3 numbers agents with a class-level ``Agent._ids``: a ``defaultdict`` keyed by the model
itself, so every model ever built stays reachable from the class, with all its agents and
arrays (mesa issue 3179, fixed upstream in later releases). A process that runs many models (an
experiment worker, the validation, the dashboard) grows by the size of each model it ran. Here
the counters are held by weak reference instead: a model's counter lives as long as the model.
Installed once, on import; a Mesa without that attribute (or with another shape) is left alone.
"""

from __future__ import annotations

import itertools
import weakref
from collections import defaultdict

import mesa


class WeakCounters(weakref.WeakKeyDictionary):
    """Agent-id counters per model, forgotten with the model (counting starts at 1, as Mesa's)."""

    def __getitem__(self, model):
        try:
            return super().__getitem__(model)
        except KeyError:
            counter = itertools.count(1)
            self[model] = counter
            return counter


def install() -> bool:
    """Swap Mesa's strong per-model counters for weak ones, keeping counters already handed out.
    Returns whether it changed anything."""
    ids = mesa.Agent.__dict__.get("_ids")
    if not isinstance(ids, defaultdict):
        return False
    weak = WeakCounters()
    for model, counter in ids.items():
        weak[model] = counter
    mesa.Agent._ids = weak
    return True


install()
