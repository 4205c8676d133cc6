"""Benchmark: member-days per second of the model against plain Mesa loops in the same run.

References, each a Mesa model of the same number of agents, timed in the same run (ratios of
costs are robust to how busy the machine is):

- ``bare``: each agent draws one numpy random number per step, ``agents.do`` (the cheapest
  per-agent Python loop; the ratio printed since v1);
- ``do``: the same with ``self.random`` (Python's generator), ``agents.do``;
- ``shuffle_do``: the same in random order, ``agents.shuffle_do``, the idiom of Mesa's examples;
- ``community``: a plain-Mesa community model in that idiom: each agent visits with a chance
  that grows with its commitment, reads three neighbours' posts, may post, and moves its
  commitment toward what the visit gave (about the least a per-agent community model does).

Each ratio is the reference's cost per agent-step over the model's cost per member-day.
"""

from __future__ import annotations

import time
from typing import Callable

import mesa

from ..model import CommunityModel
from ..scenario import Scenario

SIZES = ((500, 730), (100_000, 90))  # (members, days)


class _Draw(mesa.Agent):
    def step(self) -> None:
        self.value = self.model.rng.random()


class BareMesa(mesa.Model):
    """The reference: n agents, each drawing one random number per step."""

    def __init__(self, n: int, rng: int = 0):
        super().__init__(rng=rng)
        for _ in range(n):
            _Draw(self)

    def step(self) -> None:
        self.agents.do("step")


class _PyDraw(mesa.Agent):
    def step(self) -> None:
        self.value = self.random.random()


class PyDrawMesa(mesa.Model):
    """n agents drawing one number from ``self.random`` per step, in order or shuffled."""

    def __init__(self, n: int, rng: int = 0, shuffled: bool = False):
        super().__init__(rng=rng)
        self.shuffled = shuffled
        for _ in range(n):
            _PyDraw(self)

    def step(self) -> None:
        if self.shuffled:
            self.agents.shuffle_do("step")
        else:
            self.agents.do("step")


class _Member(mesa.Agent):
    def __init__(self, model: mesa.Model):
        super().__init__(model)
        self.commitment = 0.5
        self.posted = False
        self.neighbours: list[_Member] = []

    def step(self) -> None:
        rnd = self.random
        if rnd.random() >= 0.1 + 0.5 * self.commitment:
            self.posted = False
            return
        seen = sum(1 for other in rnd.sample(self.neighbours, 3) if other.posted)
        self.posted = rnd.random() < 0.05 + 0.1 * self.commitment
        self.commitment = min(1.0, max(0.0, self.commitment + 0.02 * (seen / 3 - 0.3)))


class CommunityMesa(mesa.Model):
    """A plain-Mesa community: agents on a ring of six neighbours visit, read three neighbours'
    posts, post, and update their commitment, in random order (``shuffle_do``)."""

    def __init__(self, n: int, rng: int = 0):
        super().__init__(rng=rng)
        members = [_Member(self) for _ in range(n)]
        for i, m in enumerate(members):
            m.neighbours = [members[(i + k) % n] for k in (-3, -2, -1, 1, 2, 3)]

    def step(self) -> None:
        self.agents.shuffle_do("step")


REFERENCES: dict[str, Callable[[int], mesa.Model]] = {
    "bare": BareMesa,
    "do": PyDrawMesa,
    "shuffle_do": lambda n: PyDrawMesa(n, shuffled=True),
    "community": CommunityMesa,
}


def reference_seconds_per_agent_step(kind: str, n: int, steps: int) -> float:
    """Seconds per agent-step of reference ``kind`` with ``n`` agents (setup not timed)."""
    model = REFERENCES[kind](n)
    t0 = time.perf_counter()
    for _ in range(steps):
        model.step()
    return (time.perf_counter() - t0) / (n * steps)


def bench_scenario(members: int, days: int) -> Scenario:
    """A free-entry group of ``members`` capped at that size, so it stays about that size."""
    return Scenario().with_overrides({
        "name": f"bench-{members}", "days": days, "seed": 7,
        "community.initial_members": members,
        "community.managers": max(2, members // 200),
        "strategy.entry.size_cap": members,
    }, source="bench")


def _nothing() -> None:
    return None


def measure(members: int, days: int, repeats: int = 3, tick: Callable[[], None] = _nothing) -> dict:
    """Best of ``repeats`` for the model and for each reference at the same size; ``tick()``
    after each model timing and after each reference's timings (``repeats`` + the number of
    references), for a progress bar."""
    s = bench_scenario(members, days)
    best_sim, best_setup, member_days = float("inf"), float("inf"), 0
    for _ in range(repeats):
        t0 = time.perf_counter()
        model = CommunityModel(s)
        t1 = time.perf_counter()
        model.run()
        t2 = time.perf_counter()
        best_setup = min(best_setup, t1 - t0)
        if t2 - t1 < best_sim:
            best_sim = t2 - t1
            member_days = int(model.records["members"].sum())
        tick()
    steps = max(3, min(200, 2_000_000 // members))
    cost = {}
    for kind in REFERENCES:
        cost[kind] = min(reference_seconds_per_agent_step(kind, members, steps) for _ in range(repeats))
        tick()
    per_member_day = best_sim / member_days
    out = {
        "members": members,
        "days": days,
        "member_days": member_days,
        "setup_s": round(best_setup, 4),
        "simulation_s": round(best_sim, 4),
        "member_days_per_s": round(member_days / best_sim, 1),
        "bare_mesa_agent_steps_per_s": round(1.0 / cost["bare"], 1),
        "ratio_vs_bare_mesa": round(cost["bare"] / per_member_day, 2),
    }
    for kind in ("do", "shuffle_do", "community"):
        out[f"ratio_vs_{kind}"] = round(cost[kind] / per_member_day, 2)
    return out


def timings(sizes=SIZES, repeats: int = 3) -> int:
    """How many timings ``run_bench`` makes (the progress bar's total): the model's repeats,
    then one per reference."""
    return (repeats + len(REFERENCES)) * len(sizes)


def run_bench(sizes=SIZES, repeats: int = 3, tick: Callable[[], None] = _nothing) -> list[dict]:
    """``measure`` at each (members, days); ``tick()`` after every timing."""
    return [measure(n, d, repeats, tick) for n, d in sizes]
