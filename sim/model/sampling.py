"""Weighted sampling that scales with the draws, not with the size of the group."""

from __future__ import annotations

import numpy as np


def weighted_pick(weights: np.ndarray, k: int, rng: np.random.Generator,
                  max_weight: float | None = None) -> np.ndarray:
    """``k`` indices drawn with replacement in proportion to non-negative ``weights``. With a
    known ``max_weight`` it samples by rejection (cost grows with k, not with len(weights))."""
    if k == 0 or len(weights) == 0:
        return np.zeros(0, dtype=np.int64)
    if max_weight is None:
        cdf = np.cumsum(weights)
        if cdf[-1] <= 0:
            return np.zeros(0, dtype=np.int64)
        return np.minimum(np.searchsorted(cdf, rng.random(k) * cdf[-1], side="right"), len(weights) - 1)
    picks: list[np.ndarray] = []
    need = k
    while need > 0:
        cand = rng.integers(0, len(weights), 4 * need + 16)
        kept = cand[rng.random(len(cand)) * max_weight < weights[cand]]
        picks.append(kept[:need])
        need -= len(picks[-1])
    return np.concatenate(picks)
