"""The workshop's exercises (docs/workshop.md) tell the room what to expect only where the model
shows it robustly (measured at full size over seeds 1-12, in at least 5 of each 6). Here each
stated direction is checked again over 6 seeds on the dashboard's own session (``Workshop``), at
reduced cost, and must hold in at least 5 of 6 (thresholds written before the first run):
Exercise 1 with 150 founders for 365 days (the exercise: 300 for 730), Exercise 2 over 365 of its
730 days. What differs by seed (a fee's effect on activity and lifespan, managers rescuing the
study group) the exercise says so, and it is not asserted here."""

from __future__ import annotations

import numpy as np

from helpers import SCENARIOS
from sim.run.metrics import lifespan
from sim.scenario import shipped_scenarios
from sim.workshop.charts import per_day
from sim.workshop.session import Workshop

SEEDS = range(1, 7)
HOLDS = 5  # of the 6 seeds
FEE = 99.0  # yuan, Exercise 1's entry fee
LATE_FEE_DAY = 120  # Exercise 1's variation: the fee brought in on this day
EX1_DAYS = 365
EX1_MEMBERS = 150  # founders in the test (the exercise's baseline has 300): half the cost
EX2_DAYS = 365  # of invite-only-study's 730 (the shipped group is dead by day 50 at most seeds)
CREATOR = "strategy.content.creator_posts_per_week"
NO_LONGER_DAYS = 30  # doubling the creator's posts "does not make the group live longer" by more than this


def _session(scenario: str, seed: int) -> Workshop:
    ws = Workshop(scenario, catalog=shipped_scenarios(SCENARIOS))
    ws.set_seed(seed)
    if scenario == "baseline":
        assert ws.set_lever("community.initial_members", EX1_MEMBERS) is None
    return ws


def _set_fee(ws: Workshop) -> None:
    assert ws.set_lever("strategy.entry.kind", "fee") is None
    assert ws.set_lever("strategy.entry.level", FEE) is None


def _series(ws: Workshop, arm: str, name: str) -> np.ndarray:
    return np.asarray(ws.runs[arm].model.timeseries()[name], dtype=float)


def _fee_seed(seed: int) -> dict[str, float]:
    """Exercise 1 on one seed: founders on day 1 side by side (A as pinned, B with the fee from
    day 0), then revenue by day EX1_DAYS with the fee from day 0 and from day LATE_FEE_DAY."""
    ws = _session("baseline", seed)
    ws.pin_as_a()
    _set_fee(ws)
    ws.step(1)
    founders = {"members_a": _series(ws, "A", "members")[0], "members_b": _series(ws, "B", "members")[0]}
    ws.set_compare(False)  # the rest is B's own
    ws.step(EX1_DAYS - 1)
    late = _session("baseline", seed)
    late.step(LATE_FEE_DAY)
    _set_fee(late)
    late.step(EX1_DAYS - LATE_FEE_DAY)
    return {**founders, "revenue_b": _series(ws, "B", "revenue").sum(),
            "revenue_late": _series(late, "B", "revenue").sum()}


def _study(seed: int, creator_posts_per_week: float | None) -> tuple[int, float]:
    """Exercise 2 on one seed: (lifespan in days, mean active members a day over the run) of
    invite-only-study with the creator's posts set from day 0 (None: as shipped)."""
    ws = _session("invite-only-study", seed)
    if creator_posts_per_week is not None:
        assert ws.set_lever(CREATOR, creator_posts_per_week) is None
    ws.step(EX2_DAYS)
    active, members = _series(ws, "B", "active"), _series(ws, "B", "members")
    return lifespan(active, members)[0], float(active.mean())


def test_exercise_1_fee_group_starts_smaller_and_earns_more_from_day_0() -> None:
    runs = {seed: _fee_seed(seed) for seed in SEEDS}
    smaller = [r["members_b"] < r["members_a"] for r in runs.values()]
    earlier_pays = [r["revenue_b"] > r["revenue_late"] for r in runs.values()]
    assert sum(smaller) >= HOLDS, runs
    assert sum(earlier_pays) >= HOLDS, runs


def test_exercise_2_silent_creator_no_better_doubling_no_rescue() -> None:
    doubled = 2 * float(Workshop("invite-only-study", catalog=shipped_scenarios(SCENARIOS)).settings[CREATOR])
    runs = {seed: {"shipped": _study(seed, None), "silent": _study(seed, 0.0), "doubled": _study(seed, doubled)}
            for seed in SEEDS}
    silent_no_longer = [r["silent"][0] <= r["shipped"][0] for r in runs.values()]
    silent_quieter = [r["silent"][1] < r["shipped"][1] for r in runs.values()]
    doubling_no_rescue = [r["doubled"][0] <= r["shipped"][0] + NO_LONGER_DAYS for r in runs.values()]
    assert sum(silent_no_longer) >= HOLDS, runs
    assert sum(silent_quieter) >= HOLDS, runs
    assert sum(doubling_no_rescue) >= HOLDS, runs


def test_active_title_tells_small_groups_apart() -> None:
    """Exercise 1's groups post 0.8 and 1.0 a day: the dashboard's title must not round both to 1."""
    assert (per_day(0.84), per_day(1.04), per_day(9.4), per_day(12.4)) == ("0.8", "1.0", "9.4", "12")
