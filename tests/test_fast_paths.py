"""The day's shortcuts give the same numbers as the plain computation they replace: the
satisfaction of a large group's readers (looked up by first unread day, readers with nothing of
their own apart), ties' posts added up one by one, a few generator draws made one at a time,
a few members' keyed numbers in Python integers, the table's rows in order of joining."""

from __future__ import annotations

import numpy as np
import pytest

from sim import CommunityModel
from sim.model import luck, ties
from sim.model.luck import PURPOSES, dice_for_phases
from sim.model.phases import commitment
from sim.model.sampling import binomial, elementwise, poisson
from sim.scenario import load_scenario

from helpers import SCENARIOS


def _outputs(scenario, seed: int) -> list[np.ndarray]:
    model = CommunityModel(scenario, rng=seed)
    model.run()
    cols = [*model.timeseries().values(), *model.member_records().values(), *model.message_log().values()]
    return cols


# Fees and expectations, the product and hard selling, joining gifts, events and perks: every
# term a reader can have of its own.
@pytest.mark.parametrize("name", ["well-run-paid.yaml", "sheep-shearing.yaml", "fruit-shop.yaml"])
def test_large_group_shortcuts_give_the_same_run(name, monkeypatch):
    scenario = load_scenario(SCENARIOS / name).with_overrides({"days": 150}, source="test")
    direct = _outputs(scenario, seed=4)
    monkeypatch.setattr(commitment, "LOOKUP_READERS", 0)  # the shortcut from 15 readers up
    monkeypatch.setattr(ties, "SCATTER_ABOVE", 0)  # ties' posts added up one by one at any size
    shortcut = _outputs(scenario, seed=4)
    assert len(direct) == len(shortcut)
    for a, b in zip(direct, shortcut):
        assert a.dtype == b.dtype and np.array_equal(a, b)


@pytest.mark.parametrize("k", [0, 1, 3, 16, 17, 40])
def test_few_draws_one_at_a_time_are_the_array_draws(k):
    for seed in range(5):
        ours, numpy_s = np.random.default_rng(seed), np.random.default_rng(seed)
        n = numpy_s.integers(0, 60, k).astype(np.int32)
        p = numpy_s.random(k)
        alpha = numpy_s.random((k, 5)) * 3 + 0.01
        ours.integers(0, 60, k), ours.random(k), ours.random((k, 5))
        pairs = [(numpy_s.binomial(n, 0.3), binomial(ours, n, 0.3)),
                 (numpy_s.binomial(4, p), binomial(ours, 4, p)),
                 (numpy_s.poisson(p * 7), poisson(ours, p * 7)),
                 (numpy_s.poisson(list(p * 7)), poisson(ours, list(p * 7))),
                 (numpy_s.gamma(alpha), elementwise(ours.gamma, alpha)),
                 (numpy_s.beta(p + 0.1, p + 0.5), elementwise(ours.beta, p + 0.1, p + 0.5))]
        for a, b in pairs:
            assert a.dtype == b.dtype and a.shape == b.shape and np.array_equal(a, b)
        assert ours.random() == numpy_s.random()  # the streams are at the same place after


def test_rows_stay_in_order_of_joining_through_compaction():
    scenario = load_scenario(SCENARIOS / "ad-dump.yaml").with_overrides({"days": 200}, source="test")
    model = CommunityModel(scenario, rng=2)
    model.run()
    t = model.table
    assert t.archive, "the table was compacted"
    assert model.timeseries()["joined"].sum() > 0
    assert np.all(np.diff(t.join_day[: t.n]) >= 0)


def test_keyed_numbers_of_a_few_members_are_those_of_the_array_hash(monkeypatch):
    dice = dice_for_phases(np.random.default_rng(3))["attention"]
    rng = np.random.default_rng(8)
    cases = [(rng.integers(0, 2**40, k), int(rng.integers(0, 5000)), PURPOSES[i % len(PURPOSES)])
             for i, k in enumerate([0, 1, 2, 5, 12] * 20)]
    few = [dice.member_uniform(purpose, day, ids) for ids, day, purpose in cases]
    monkeypatch.setattr(luck, "FEW_IDS", -1)  # the array hash for any number of ids
    for (ids, day, purpose), ours in zip(cases, few):
        theirs = dice.member_uniform(purpose, day, ids)
        assert ours.dtype == theirs.dtype and ours.shape == theirs.shape and np.array_equal(ours, theirs)
