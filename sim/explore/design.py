"""The sample design: SALib draws points in the unit cube (one axis per factor), and each point
becomes an experiment arm whose overrides are the factors' values there (``FieldRange.value``).

Methods and how many points ``samples`` gives (D factors):

- ``morris``: ``samples`` trajectories r of D + 1 points each, on a 4-level grid (Morris 1991,
  Campolongo et al. 2007): r x (D + 1) points; screening, cheap.
- ``sobol``: Saltelli's extension of a Sobol' sequence with base ``samples`` N (a power of two),
  first and total order indices only: N x (D + 2) points.
- ``lhs``: a Latin hypercube of ``samples`` points (at least D + 2); indices by rank regression.

The sampler's seed is the study's master seed, so the same file gives the same points.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..scenario import ScenarioError
from ..scenario.ranges import FieldRange

METHODS = ("morris", "sobol", "lhs")
MORRIS_LEVELS = 4
MIN_SAMPLES = {"morris": 4, "sobol": 8, "lhs": 10}  # fewer give intervals from a handful of effects
STEADY_TRAJECTORIES = 10  # fewer Morris trajectories: the report says its intervals are rough


def problem(factors: list[FieldRange]) -> dict[str, Any]:
    """SALib's problem: every factor on [0, 1] (its own range is applied by ``FieldRange.value``)."""
    return {"num_vars": len(factors), "names": [f.path for f in factors], "bounds": [[0.0, 1.0]] * len(factors)}


def require_salib(method: str) -> None:
    """Refuse in one line (exit 2) when the optional SALib package is missing."""
    try:
        import SALib  # noqa: F401
    except ImportError:
        raise ScenarioError("", "method", f"{method} needs the SALib package; install it with: "
                            "pip install -e '.[explore]'") from None


def point_count(method: str, samples: int, factors: int) -> int:
    """How many sample points (arms) a design has, computed before drawing it."""
    if method == "morris":
        return samples * (factors + 1)
    if method == "sobol":
        return samples * (factors + 2)
    return samples


def unit_sample(method: str, factors: list[FieldRange], samples: int, seed: int) -> np.ndarray:
    """The design's points in the unit cube, one row per point, one column per factor."""
    require_salib(method)
    prob = problem(factors)
    seed = seed % 2**32  # SALib seeds numpy's legacy generator, which takes 32 bits
    if method == "morris":
        from SALib.sample import morris

        return morris.sample(prob, samples, num_levels=MORRIS_LEVELS, seed=seed)
    if method == "sobol":
        from SALib.sample import sobol

        return sobol.sample(prob, samples, calc_second_order=False, seed=seed)
    from SALib.sample import latin

    return latin.sample(prob, samples, seed=seed)


def point_names(count: int) -> list[str]:
    """Arm names of the sample points: s0001, s0002, ... (wider when there are more)."""
    width = max(4, len(str(count)))
    return [f"s{i + 1:0{width}d}" for i in range(count)]


def point_overrides(factors: list[FieldRange], row: np.ndarray) -> dict[str, Any]:
    """The scenario overrides (field path -> value) of one point of the unit cube."""
    return {f.path: f.value(u) for f, u in zip(factors, row)}
