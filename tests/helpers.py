"""Test helpers: small scenarios and paired replicate runs for outcome tests."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sim.run import simulate
from sim.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
SMALL = {"community.initial_members": 150, "days": 240}


def small_baseline(**overrides):
    """The shipped baseline, shrunk to 150 members and 240 days, with dotted overrides."""
    return load_scenario(SCENARIOS / "baseline.yaml").with_overrides({**SMALL, **overrides}, source="test")


def replicate(overrides: dict, metric, seeds=range(10), base=None) -> np.ndarray:
    """``metric(RunResult)`` for each seed of the (small baseline + overrides) scenario."""
    scenario = (base or small_baseline()).with_overrides(overrides, source="test")
    return np.array([metric(simulate(scenario, seed=s)) for s in seeds], dtype=float)


def paired_wins(a: dict, b: dict, metric, seeds=range(10), base=None) -> tuple[int, np.ndarray, np.ndarray]:
    """How many seeds (paired: same seed both arms) have metric(b) > metric(a)."""
    ra = replicate(a, metric, seeds, base)
    rb = replicate(b, metric, seeds, base)
    return int((rb > ra).sum()), ra, rb


