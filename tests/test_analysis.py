"""Statistics for experiments, checked against hand-worked examples and synthetic data with a
known answer (no model runs here)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.results import stats as analysis


def test_kaplan_meier_matches_hand_worked_example_with_censoring():
    # Six groups. Deaths on days 4, 6, 9; still alive (censored) when last seen on 2, 4, 7.
    # Day 2: one censored, 5 at risk afterwards. Day 4: 5 at risk (the censored-on-4 counts), 1
    # death -> S = 4/5. Day 6: 3 at risk (6, 7+, 9) -> S = 4/5 * 2/3 = 8/15. Day 7: censored.
    # Day 9: 1 at risk, 1 death -> S = 0.
    times = [2, 4, 4, 6, 7, 9]
    observed = [False, True, False, True, False, True]
    km = analysis.kaplan_meier(times, observed)
    at = km.at([0, 1.9, 2, 3.9, 4, 5.9, 6, 7, 8.9, 9, 100])
    want = [1, 1, 1, 1, 4 / 5, 4 / 5, 8 / 15, 8 / 15, 8 / 15, 0, 0]
    np.testing.assert_allclose(at, want, atol=1e-12)
    assert km.median() == 9  # 8/15 > 1/2, so the curve first reaches one half at day 9
    assert km.n == 6 and km.events == 3


def test_kaplan_meier_median_with_tied_deaths_and_interval():
    # 6 subjects: deaths 3, 5, 5, 8; censored 6, 10. S(3)=5/6, S(5)=5/6*3/5=1/2 -> median 5.
    km = analysis.kaplan_meier([3, 5, 5, 8, 6, 10], [1, 1, 1, 1, 0, 0])
    assert km.median() == 5
    lo, hi = km.median_ci()
    assert lo <= 5 <= hi
    assert np.all(km.low <= km.survival + 1e-12) and np.all(km.high >= km.survival - 1e-12)


def test_kaplan_meier_all_censored_never_reaches_the_median():
    km = analysis.kaplan_meier([730, 730, 730], [False, False, False])
    assert np.isinf(km.median())
    assert km.at(729) == 1.0
    assert km.events == 0


def test_count_based_and_batched_kaplan_meier_agree_with_scipy():
    rng = np.random.default_rng(5)
    for _ in range(200):
        n = int(rng.integers(1, 40))
        t = rng.integers(0, 60, n)
        obs = rng.random(n) < 0.6
        km = analysis.kaplan_meier(t, obs)
        from_counts = analysis.km_from_counts(np.bincount(t[obs], minlength=60), np.bincount(t[~obs], minlength=60))
        np.testing.assert_allclose(from_counts, km.at(np.arange(60)), atol=1e-12)
        median = km.median()
        assert analysis.km_median_batch(t, obs, cap=999) == (median if np.isfinite(median) else 999)


def test_km_median_batch_is_vectorised_over_resamples():
    t = np.array([[1, 2, 3, 4], [10, 10, 10, 10], [5, 6, 7, 8]], dtype=float)
    obs = np.array([[1, 1, 1, 1], [0, 0, 0, 0], [1, 0, 1, 0]], dtype=bool)
    out = analysis.km_median_batch(t, obs, cap=50)
    assert out.shape == (3,)
    assert out[1] == 50  # nobody died: the median is beyond the data, reported as the cap
    for i in range(3):
        assert out[i] == analysis.km_median_batch(t[i], obs[i], cap=50)


def test_encode_decode_censored_round_trip():
    t = np.array([3, 730, 12, 730])
    cens = np.array([False, True, False, True])
    back_t, back_obs = analysis.decode_censored(analysis.encode_censored(t, cens))
    np.testing.assert_array_equal(back_t, t)
    np.testing.assert_array_equal(back_obs, ~cens)


def test_bootstrap_interval_covers_a_known_paired_difference():
    """Over many synthetic experiments with a true difference of 2, the 95% interval covers 2
    about 95% of the time, and the paired interval is narrower than an unpaired one."""
    true_diff, n, trials = 2.0, 20, 150
    rng = np.random.default_rng(2026)
    covered, widths_paired, widths_unpaired = 0, [], []
    for k in range(trials):
        luck = rng.normal(50, 10, n)  # what both arms of a replicate share (same seed)
        base = luck + rng.normal(0, 1, n)
        arm = luck + true_diff + rng.normal(0, 1, n)
        d = analysis.bootstrap_difference(arm, base, np.random.default_rng(k), paired=True, n_resamples=999)
        covered += d.low <= true_diff <= d.high
        widths_paired.append(d.high - d.low)
        if k < 10:
            u = analysis.bootstrap_difference(arm, base, np.random.default_rng(k), paired=False, n_resamples=999)
            widths_unpaired.append(u.high - u.low)
    assert 0.88 <= covered / trials <= 0.995
    assert np.median(widths_paired) * 3 < np.median(widths_unpaired)


def test_bootstrap_is_reproducible_and_degenerate_safe():
    x = np.arange(10.0)
    a = analysis.bootstrap_difference(x + 1, x, np.random.default_rng(1), paired=True)
    # Every pair differs by exactly 1: the interval has no width.
    assert (a.estimate, a.low, a.high) == (1.0, 1.0, 1.0)
    y = np.random.default_rng(3).normal(size=12)
    b1 = analysis.bootstrap_difference(y + 0.5, y[::-1], np.random.default_rng(7), paired=True)
    b2 = analysis.bootstrap_difference(y + 0.5, y[::-1], np.random.default_rng(7), paired=True)
    assert (b1.low, b1.high) == (b2.low, b2.high)
    one = analysis.bootstrap_difference([1.0], [2.0], np.random.default_rng(0), paired=True)
    assert one.estimate == -1 and np.isnan(one.low)


def test_bootstrap_of_median_lifespan_difference():
    # Arm groups die around day 400, baseline groups around day 200; a few are censored at 730.
    rng = np.random.default_rng(11)
    arm_t = np.minimum(rng.normal(400, 30, 20).round(), 730)
    base_t = np.minimum(rng.normal(200, 30, 20).round(), 730)
    arm = analysis.encode_censored(arm_t, np.zeros(20, bool))
    base = analysis.encode_censored(base_t, np.zeros(20, bool))
    stat = analysis.median_lifespan_statistic(730)
    d = analysis.bootstrap_difference(arm, base, np.random.default_rng(0), paired=True, statistic=stat,
                                      method="percentile")
    assert d.estimate == pytest.approx(np.sort(arm_t)[9] - np.sort(base_t)[9])
    assert 100 < d.low <= d.estimate <= d.high < 300


def test_logrank_separates_different_curves_and_not_identical_ones():
    rng = np.random.default_rng(3)
    early = rng.integers(50, 150, 30)
    late = rng.integers(300, 400, 30)
    obs = np.ones(30, bool)
    chi2, p = analysis.logrank_test(early, obs, late, obs)
    assert p < 1e-6 and chi2 > 20
    chi2, p = analysis.logrank_test(early, obs, early, obs)
    assert p > 0.99 and chi2 == pytest.approx(0, abs=1e-9)
    assert all(np.isnan(analysis.logrank_test([730, 730], [0, 0], [730], [0])))


def test_mean_ci_and_running_mean_agree_with_direct_formulas():
    from scipy import stats

    x = np.array([1.0, 2.0, 3.0])
    m, lo, hi = analysis.mean_ci(x)
    half = stats.t.ppf(0.975, 2) * 1.0 / np.sqrt(3)
    assert (m, lo, hi) == pytest.approx((2.0, 2 - half, 2 + half))
    assert np.isnan(analysis.mean_ci([5.0])[1])

    rng = np.random.default_rng(0)
    series = rng.normal(10, 3, (7, 50))
    acc = analysis.RunningMean()
    for s in series:
        acc.add(s)
    mean, lo, hi = acc.interval()
    np.testing.assert_allclose(mean, series.mean(axis=0))
    sd = series.std(axis=0, ddof=1)
    np.testing.assert_allclose(hi - mean, stats.t.ppf(0.975, 6) * sd / np.sqrt(7))
    with pytest.raises(ValueError):
        acc.add(np.zeros(49))
