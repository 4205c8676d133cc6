"""The runs on the dashboard: one model with its network layout (``Run``), stepped day by day
and read as ``RunFrame`` snapshots, and the founding members' positions, shared by strategy A
and B on the same seed (``founding_layout``).

The model is read only through its public interface (``.step()``, ``.day``, ``.horizon``,
``.network``, ``.member(id)``: ``.role``, ``.commitment``, ``.is_spammer``)."""

from __future__ import annotations

import numpy as np

from ..model import CommunityModel
from ..scenario import ROLES, Scenario
from .frames import NetSnapshot, RunFrame, new_run_id, run_frame
from .layout import NetworkLayout

LAYOUTS_KEPT = 8  # founding layouts cached per session before the cache is emptied


class Run:
    """One model on the dashboard, with its network layout."""

    def __init__(self, scenario: Scenario, seed: int, layout_start: dict[int, np.ndarray] | None):
        self.run_id = new_run_id()
        self.scenario = scenario
        self.seed = seed
        self.model = CommunityModel(scenario, rng=seed)
        self.layout = NetworkLayout(seed, layout_start)

    @property
    def day(self) -> int:
        return int(self.model.day)

    def step(self, days: int) -> None:
        for _ in range(days):
            if self.model.day >= self.model.horizon:
                break
            self.model.step()

    def snapshot(self, with_network: bool = True) -> RunFrame:
        net = self.net_snapshot() if with_network else None
        # The run's own scenario, as the model holds it: what is really in force.
        return run_frame(self.model, self.run_id, net)

    def net_snapshot(self) -> NetSnapshot:
        ids, edges = _members_and_ties(self.model)
        xy = self.layout.update(ids, edges)
        # Read members through their Mesa agents (the public view; the model's arrays are its own).
        role_index = {r: i for i, r in enumerate(ROLES)}
        agents = [self.model.member(int(i)) for i in ids]
        role = np.array([role_index[a.role] for a in agents], dtype=int)
        commitment = np.array([a.commitment for a in agents], dtype=float)
        spammer = np.array([bool(getattr(a, "is_spammer", False)) for a in agents], dtype=bool)
        return NetSnapshot(ids, xy, role, commitment, edges, spammer)


def _members_and_ties(model: CommunityModel) -> tuple[np.ndarray, np.ndarray]:
    """The members' ids in order and the ties as pairs of positions in that order."""
    g = model.network
    ids = np.array(sorted(g.nodes()), dtype=np.int64)
    index = {int(m): i for i, m in enumerate(ids)}
    edges = np.array([(index[a], index[b]) for a, b in g.edges()], dtype=np.int64).reshape(-1, 2)
    return ids, edges


def founding_layout(scenario: Scenario, seed: int, cache: dict[tuple, dict[int, np.ndarray]]) -> dict[int, np.ndarray]:
    """The founding members' positions (the same for A and B: same seed, same founding graph),
    kept in ``cache``."""
    c = scenario.community
    key = (seed, c.initial_members, c.network.kind, c.network.mean_degree, c.network.rewire, c.network.edge_list)
    if key not in cache:
        layout = NetworkLayout(seed)
        layout.update(*_members_and_ties(CommunityModel(scenario, rng=seed)))
        if len(cache) > LAYOUTS_KEPT:
            cache.clear()
        cache[key] = layout.pos
    return cache[key]
