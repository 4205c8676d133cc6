"""Weighted sampling that scales with the draws, not with the size of the group; and a few of the
generator's draws made one at a time (the same numbers from the same stream, cheaper)."""

from __future__ import annotations

from typing import Callable

import numpy as np


def weighted_pick(weights: np.ndarray, k: int, rng: np.random.Generator,
                  max_weight: float | None = None) -> np.ndarray:
    """``k`` indices drawn with replacement in proportion to non-negative ``weights``. With a
    known ``max_weight`` it samples by rejection (cost grows with k, not with len(weights))."""
    if k == 0 or len(weights) == 0:
        return np.zeros(0, dtype=np.int64)
    if max_weight is None:
        cdf = weights.cumsum()
        if cdf[-1] <= 0:
            return np.zeros(0, dtype=np.int64)
        return np.minimum(cdf.searchsorted(rng.random(k) * cdf[-1], side="right"), len(weights) - 1)
    picks: list[np.ndarray] = []
    need = k
    while need > 0:
        cand = rng.integers(0, len(weights), 4 * need + 16)
        kept = cand[rng.random(len(cand)) * max_weight < weights[cand]]
        picks.append(kept[:need])
        need -= len(picks[-1])
    return np.concatenate(picks)


# Below this many draws, scalar calls of the generator beat one call with arrays, whose fixed
# cost (checks, broadcasting) is that of some twenty scalar draws. The numbers are the same:
# an array call draws element by element with the same routine.
FEW_DRAWS = 16


def binomial(rng: np.random.Generator, n: int | np.ndarray, p: float | np.ndarray) -> np.ndarray:
    """``rng.binomial(n, p)`` for a 1-D int array ``n`` and a float ``p``, or an int ``n`` and a 1-D
    float array ``p`` (an int64 array: the same numbers from the same stream), cheaper for a few."""
    draw = rng.binomial
    if isinstance(p, np.ndarray):
        if p.size > FEW_DRAWS:
            return draw(n, p)
        n = int(n)
        return np.array([draw(n, q) for q in p.tolist()], dtype=np.int64)
    if n.size > FEW_DRAWS:
        return draw(n, p)
    p = float(p)
    return np.array([draw(k, p) for k in n.tolist()], dtype=np.int64)


def poisson(rng: np.random.Generator, lam: np.ndarray | list[float]) -> np.ndarray:
    """``rng.poisson(lam)`` for a 1-D float array or list ``lam`` (an int64 array: the same numbers
    from the same stream), cheaper for a few."""
    if len(lam) > FEW_DRAWS:
        return rng.poisson(lam)
    draw = rng.poisson
    return np.array([draw(x) for x in (lam.tolist() if isinstance(lam, np.ndarray) else lam)], dtype=np.int64)


def elementwise(draw: Callable[..., np.ndarray], *params: np.ndarray) -> np.ndarray:
    """``draw(*params)`` for a float distribution of the generator (``rng.gamma``, ``rng.beta``)
    and same-shape float arrays ``params``: the same numbers from the same stream, cheaper for a
    few."""
    if params[0].size > FEW_DRAWS:
        return draw(*params)
    values = [draw(*xs) for xs in zip(*(p.ravel().tolist() for p in params))]
    return np.array(values, dtype=np.float64).reshape(params[0].shape)
