"""Intervals of quantities that cannot leave a range stay in it (review: pareto.png drew 95%
intervals of 'active members' down to -20): an optimise search whose replicates are skewed (most
groups dead, a few busy) never draws a count's or a share's whisker below 0 (or a share's
above 100%), over several seeds; and a run's Members panel leaves out 'paying' where nobody can
pay (no fee, nothing sold) but keeps it in a paid group."""

from __future__ import annotations

import importlib

import matplotlib.pyplot as plt
import numpy as np
import pytest

from sim.scenario import load_scenario

from helpers import ROOT

BASE = """name: skewed
days: 120
community: {initial_members: 100, managers: 1}
"""
SEARCH = """name: skewed-search
base: base.yaml
seed: {seed}
replicates: 4
trials: 8
batch: 4
levers:
  strategy.rewards.every_days: [7, 60]
  strategy.content.creator_posts_per_week: [1, 10]
objectives: {{active_day365_14d: max, lurker_share: max}}
"""


def _skewed_scores(job):
    """A made-up replicate: most groups end with nobody active, one in three is busy; a share
    near 0 or 1. The shape that made the normal interval cross zero."""
    scenario, metrics, _ = job
    rng = np.random.default_rng([scenario.seed, int(scenario.strategy.rewards.every_days),
                                 int(10 * scenario.strategy.content.creator_posts_per_week)])
    busy = rng.random() < 0.35
    return {"active_day365_14d": float(rng.uniform(20, 60)) if busy else 0.0,
            "lurker_share": float(rng.uniform(0.9, 1.0) if rng.random() < 0.5 else rng.uniform(0.0, 0.05)),
            "operator_cost_yuan_per_month": 0.0, "organiser_hours_per_week": 1.0}


def _whisker_ends(ax) -> tuple[np.ndarray, np.ndarray]:
    """x and y of every end of the error bars drawn in ``ax``."""
    ends = [np.asarray(seg) for c in ax.collections if type(c).__name__ == "LineCollection"
            for seg in c.get_segments()]
    pts = np.vstack(ends) if ends else np.empty((0, 2))
    return pts[:, 0], pts[:, 1]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pareto_whiskers_of_counts_and_shares_stay_in_range(tmp_path, monkeypatch, seed):
    pytest.importorskip("optuna")
    from sim.optimise import load_optimisation
    from sim.optimise.figures import pareto_figure

    searching = importlib.import_module("sim.optimise.search")
    monkeypatch.setattr(searching, "score_run", _skewed_scores)
    (tmp_path / "base.yaml").write_text(BASE)
    (tmp_path / "search.yaml").write_text(SEARCH.format(seed=seed))
    opt = load_optimisation(tmp_path / "search.yaml")
    found = searching.search(opt)
    assert found.pareto
    fig = pareto_figure(found, opt)
    active, share = _whisker_ends(fig.axes[0])  # x: active members, y: lurker share (%)
    assert len(active) > 0
    assert active.min() >= 0.0, f"active members' interval reaches {active.min():.1f}"
    assert share.min() >= 0.0 and share.max() <= 100.0, (share.min(), share.max())
    plt.close(fig)


def _members_labels(scenario_file: str, **strategy) -> list[str]:
    from sim.run.runner import simulate
    from sim.run.figure import activity_figure, can_pay

    s = load_scenario(ROOT / "scenarios" / scenario_file).with_overrides(
        {"days": 60, "community.initial_members": 100, **strategy}, source="test")
    r = simulate(s)
    fig = activity_figure(r.timeseries, r.summary, paying=can_pay(s.strategy))
    members = next(ax for ax in fig.axes if ax.get_title() == "Members")
    labels = [ln.get_label() for ln in members.get_lines()]
    plt.close(fig)
    return labels


def test_members_panel_shows_paying_only_where_members_can_pay():
    assert "paying" not in _members_labels("baseline.yaml")
    assert "paying" in _members_labels("fruit-shop.yaml")  # a shop: paying members are its point
    assert "paying" in _members_labels("baseline.yaml", **{"strategy.entry.kind": "fee", "strategy.entry.level": 99})


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_morris_mu_star_interval_of_a_factor_that_always_matters_stays_above_zero(tmp_path, seed):
    """mu* is a mean of absolute effects: every effect of moderation here is at least 1 (and a
    few, where charisma and rewards are both high, 301), so its interval cannot reach 0, however
    skewed the effects (a symmetric interval cut at zero did)."""
    pytest.importorskip("SALib")
    from sim.explore import load_exploration
    from sim.explore.analysis import indices

    path = tmp_path / "study.yaml"
    path.write_text(f"base: {ROOT / 'scenarios' / 'baseline.yaml'}\nmethod: morris\nsamples: 20\nseed: {seed}\n"
                    "metrics: [mean_active]\nfactors: {strategy.moderation: [0, 1], community.charisma: [0.2, 0.8], "
                    "strategy.rewards.size: [0, 2]}\n")
    study = load_exploration(path)
    m, c, r = (np.array([a.overrides[f] for a in study.experiment.arms], dtype=float)
               for f in ("strategy.moderation", "community.charisma", "strategy.rewards.size"))
    rows, _ = indices(study, {"mean_active": m * (1 + 300 * (c > 0.79) * (r > 1.9))})
    mu = next(x for x in rows if x.index == "mu_star" and x.factor == "strategy.moderation")
    assert 1.0 <= mu.conf_low <= mu.value <= mu.conf_high, (mu.conf_low, mu.value, mu.conf_high)
