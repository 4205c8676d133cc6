"""The network's layout on the dashboard: seeded, fast, and cached by member id so that
members keep their place as the group changes."""

from __future__ import annotations

import math

import numpy as np

LAYOUT_RELAX_MAX = 1500  # larger groups: newcomers are placed, nobody is moved


def _relax(pos: np.ndarray, edges: np.ndarray, iterations: int, temperature: float,
           movable: np.ndarray | None = None) -> np.ndarray:
    """Fruchterman-Reingold on a dense distance matrix (fine up to ~1,500 members), with a weak
    pull to the centre so that stray pieces stay in view. Deterministic: no randomness."""
    n = len(pos)
    if n < 2:
        return pos
    pos = pos.copy()
    k = 1.0 / math.sqrt(n)
    t = temperature
    cool = (0.02 / temperature) ** (1 / max(1, iterations)) if temperature > 0.02 else 1.0
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        d2 = np.einsum("ijk,ijk->ij", delta, delta)
        np.fill_diagonal(d2, 1.0)
        np.maximum(d2, 1e-4, out=d2)
        disp = np.einsum("ijk,ij->ik", delta, (k * k) / d2)
        if len(edges):
            e = pos[edges[:, 0]] - pos[edges[:, 1]]
            dl = np.sqrt((e * e).sum(1)) + 1e-9
            f = e * (dl / k)[:, None]
            np.subtract.at(disp, edges[:, 0], f)
            np.add.at(disp, edges[:, 1], f)
        disp -= 0.8 * (pos - 0.5) * math.sqrt(n) * k
        length = np.sqrt((disp * disp).sum(1)) + 1e-9
        move = disp * (np.minimum(length, t) / length)[:, None]
        if movable is not None:
            move[~movable] = 0.0
        pos += move
        t *= cool
    return pos


class NetworkLayout:
    """Positions of members in the unit square, kept by member id from day to day so a room sees
    the same person in the same place. The first layout is seeded; a newcomer is placed beside
    the members it is tied to (with a small jitter seeded by its id) and a short relaxation lets
    the picture settle. Leavers simply disappear."""

    def __init__(self, seed: int, start: dict[int, np.ndarray] | None = None):
        self.seed = int(seed)
        self.pos: dict[int, np.ndarray] = dict(start or {})

    def _jitter(self, member_id: int) -> np.ndarray:
        return np.random.default_rng([self.seed, int(member_id)]).normal(0.0, 0.02, 2)

    def update(self, ids: np.ndarray, edges: np.ndarray) -> np.ndarray:
        """Positions (len(ids) x 2) for the current members; ``edges`` index into ``ids``."""
        n = len(ids)
        index = {int(m): i for i, m in enumerate(ids)}
        fresh = not self.pos
        known = np.array([int(m) in self.pos for m in ids], dtype=bool)
        xy = np.zeros((n, 2))
        if fresh:
            rng = np.random.default_rng(self.seed)
            xy = rng.uniform(0.05, 0.95, (n, 2))
        else:
            for i in np.flatnonzero(known):
                xy[i] = self.pos[int(ids[i])]
            nbrs: dict[int, list[int]] = {}
            for a, b in edges:
                nbrs.setdefault(int(a), []).append(int(b))
                nbrs.setdefault(int(b), []).append(int(a))
            placed = known.copy()
            for i in np.flatnonzero(~known):  # ids ascend in joining order
                near = [j for j in nbrs.get(int(i), []) if placed[j]]
                centre = xy[near].mean(0) if near else np.array([0.5, 0.5])
                xy[i] = centre + self._jitter(ids[i])
                placed[i] = True
        if n <= LAYOUT_RELAX_MAX:
            if fresh:
                xy = _relax(xy, edges, 80, 0.1)
            elif (~known).any():
                # Only newcomers move: whoever was there stays put, so the picture does not
                # depend on how often it was drawn (and A and B line up side by side).
                new = int((~known).sum())
                xy = _relax(xy, edges, min(40, 4 + new // 3), 0.03 if new > 5 else 0.015, movable=~known)
        xy = np.clip(xy, -0.2, 1.2)
        self.pos = {int(m): xy[i] for m, i in index.items()}
        return xy
