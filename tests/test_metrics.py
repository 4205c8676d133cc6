"""Run metrics on hand-made series."""

from __future__ import annotations

import numpy as np

from sim.run.metrics import gini, lifespan, moving_mean, participation, top_share


def test_moving_mean_is_trailing():
    x = np.arange(20, dtype=float)
    mm = moving_mean(x, 14)
    assert mm[0] == 0 and mm[1] == 0.5 and mm[13] == np.mean(np.arange(14)) and mm[19] == np.mean(np.arange(6, 20))


def test_lifespan_dead_when_mean_stays_under_floor_for_30_days():
    active = np.r_[np.full(100, 20.0), np.zeros(200)]
    life, censored = lifespan(active)
    # the 90-day mean peaks at 20 (days 89-99), so the floor is max(0.5, 5% of 20) = 1; on day
    # 100 + k the 14-day window holds 13 - k days of 20: its mean, 20 (13 - k) / 14, is under 1
    # from k = 13 on
    assert not censored and life == 113


def test_lifespan_not_dead_if_it_recovers_within_30_days():
    active = np.r_[np.full(100, 20.0), np.zeros(25), np.full(100, 20.0)]
    assert lifespan(active) == (225, True)


def test_lifespan_floor_scales_with_peak():
    active = np.r_[np.full(100, 400.0), np.full(200, 15.0)]  # 15 < 5% of 400 (the 90-day peak)
    life, censored = lifespan(active)
    assert not censored and 100 <= life <= 114


def test_a_small_group_that_talks_every_day_lives():
    # eight members, one or two of whom post each day: the floor is 0.5 a day
    assert lifespan(np.tile([1.0, 2.0], 365), np.full(730, 8.0)) == (730, True)


def test_a_launch_burst_does_not_set_the_bar():
    # 40 posters on each of the first 7 days, then one a day for two years: the 90-day mean's
    # peak (full windows) is (7 x 40 + 83) / 90 = 4.0, so the floor stays max(0.5, 0.2) = 0.5
    active = np.r_[np.full(7, 40.0), np.ones(723)]
    assert lifespan(active) == (730, True)


def test_lifespan_empty_group_is_dead_that_day():
    active = np.full(50, 10.0)
    members = np.r_[np.full(20, 30.0), np.zeros(30)]
    assert lifespan(active, members) == (20, False)


def test_inequality_measures():
    assert gini(np.ones(10)) == 0
    assert abs(gini(np.r_[np.zeros(99), 1.0]) - 0.99) < 1e-9
    assert top_share(np.r_[np.ones(99), 101.0], 0.01) == 101 / 200
    p = participation(np.array([0, 0, 0, 1, 50]), np.array([70, 70, 70, 70, 70]))
    assert p == {"lurker_share": 0.6, "occasional_share": 0.2, "heavy_share": 0.2}
