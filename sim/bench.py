"""Benchmark: member-days per second of the model against a bare Mesa loop in the same run.

The bare reference is a Mesa model whose agents each draw one random number per step, the
cheapest thing a per-agent Python loop can do. The ratio (bare cost per agent-step / model
cost per member-day) is robust to how busy the machine is.
"""

from __future__ import annotations

import time
from typing import Callable

import mesa

from .model import CommunityModel
from .scenario import Scenario

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


def bare_mesa_seconds_per_agent_step(n: int, steps: int) -> float:
    model = BareMesa(n)
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
    """Best of ``repeats`` for the model and for the bare loop at the same size; ``tick()``
    after each timing (2 x ``repeats`` of them), for a progress bar."""
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
    bare_steps = max(3, min(200, 2_000_000 // members))
    bare = float("inf")
    for _ in range(repeats):
        bare = min(bare, bare_mesa_seconds_per_agent_step(members, bare_steps))
        tick()
    per_member_day = best_sim / member_days
    return {
        "members": members,
        "days": days,
        "member_days": member_days,
        "setup_s": round(best_setup, 4),
        "simulation_s": round(best_sim, 4),
        "member_days_per_s": round(member_days / best_sim, 1),
        "bare_mesa_agent_steps_per_s": round(1.0 / bare, 1),
        "ratio_vs_bare_mesa": round(bare / per_member_day, 2),
    }


def timings(sizes=SIZES, repeats: int = 3) -> int:
    """How many timings ``run_bench`` makes (the progress bar's total)."""
    return 2 * repeats * len(sizes)


def run_bench(sizes=SIZES, repeats: int = 3, tick: Callable[[], None] = _nothing) -> list[dict]:
    """``measure`` at each (members, days); ``tick()`` after every timing."""
    return [measure(n, d, repeats, tick) for n, d in sizes]
