"""Statistics for comparing strategies over replicates: intervals of means, Kaplan-Meier
survival with censoring, the log-rank test and bootstrap intervals of (paired) differences.

Everything here works on plain arrays; reading result folders is ``sim.results``' job. Lifespans
are whole days; a censored lifespan (still alive at the horizon) counts as "at least that long".
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy import stats

CONFIDENCE = 0.95
N_RESAMPLES = 4999  # bootstrap resamples per interval
MIN_BOOTSTRAP = 3  # fewer runs than this per arm: no interval (two points resample to nonsense)
HALF = 0.5 + 1e-9  # survival at or below this counts as "half gone" (absorbs rounding)
BELOW_HALF = 0.5 - (HALF - 0.5)  # survival under this is past one half (the same rounding)


# --------------------------------------------------------------------------------------------
# Means and their intervals
# --------------------------------------------------------------------------------------------


def t_interval(mean: np.ndarray, sd: np.ndarray, n: int,
               confidence: float = CONFIDENCE) -> tuple[np.ndarray, np.ndarray]:
    """Student-t interval of a mean from its sample standard deviation; NaN when n < 2."""
    mean = np.asarray(mean, dtype=float)
    if n < 2:
        nan = np.full_like(mean, np.nan)
        return nan, nan.copy()
    half = stats.t.ppf(0.5 + confidence / 2, n - 1) * np.asarray(sd, dtype=float) / np.sqrt(n)
    return mean - half, mean + half


def mean_ci(x: np.ndarray, confidence: float = CONFIDENCE) -> tuple[float, float, float]:
    """(mean, low, high) of the mean of ``x`` (NaNs dropped); the interval is NaN for n < 2."""
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    if len(x) == 0:
        return (np.nan, np.nan, np.nan)
    m = float(x.mean())
    lo, hi = t_interval(m, x.std(ddof=1) if len(x) > 1 else 0.0, len(x), confidence)
    return (m, float(lo), float(hi))


def percentile_interval(x: np.ndarray, rng: np.random.Generator, statistic: Callable | None = None,
                        n_resamples: int = N_RESAMPLES, confidence: float = CONFIDENCE) -> tuple[float, float]:
    """(low, high): the percentile bootstrap interval of ``statistic`` (default: the mean) of ``x``.
    Every resample's mean lies between the smallest and largest value, so an interval of
    counts never goes below zero, nor one of shares past 0 or 1 (a t interval can). NaN for
    fewer than ``MIN_BOOTSTRAP`` values; zero width when every value is the same."""
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    if len(x) < MIN_BOOTSTRAP:
        return (np.nan, np.nan)
    stat = statistic or _mean
    if np.ptp(x) == 0:
        value = float(stat(x))
        return (value, value)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = stats.bootstrap((x,), stat, vectorized=True, n_resamples=n_resamples,
                              confidence_level=confidence, method="percentile", rng=rng)
    return (float(res.confidence_interval.low), float(res.confidence_interval.high))


class RunningMean:
    """Mean and variance of equal-length series added one at a time (Welford), so per-day
    curves over many runs need memory for one series, not for every run."""

    def __init__(self) -> None:
        self.n = 0
        self.mean: np.ndarray | None = None
        self._m2: np.ndarray | None = None

    def add(self, x: np.ndarray) -> None:
        """Add one series (same length as the earlier ones)."""
        x = np.asarray(x, dtype=float)
        if self.mean is None:
            self.mean = np.zeros_like(x)
            self._m2 = np.zeros_like(x)
        if x.shape != self.mean.shape:
            raise ValueError(f"series of length {x.shape} does not match earlier ones {self.mean.shape}")
        self.n += 1
        delta = x - self.mean
        self.mean += delta / self.n
        self._m2 += delta * (x - self.mean)

    def interval(self, confidence: float = CONFIDENCE) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(mean, low, high) per element: the t-interval of the mean over the series added."""
        if self.mean is None:
            raise ValueError("no series added")
        sd = np.sqrt(self._m2 / (self.n - 1)) if self.n > 1 else np.zeros_like(self.mean)
        lo, hi = t_interval(self.mean, sd, self.n, confidence)
        return self.mean.copy(), lo, hi


# --------------------------------------------------------------------------------------------
# Survival
# --------------------------------------------------------------------------------------------


@dataclass
class SurvivalCurve:
    """A Kaplan-Meier curve: ``survival[i]`` holds from ``time[i]`` until the next time; the
    curve starts at (0, 1). ``low``/``high`` are pointwise intervals (log-log)."""

    time: np.ndarray
    survival: np.ndarray
    low: np.ndarray
    high: np.ndarray
    n: int
    events: int

    def at(self, t: np.ndarray | float) -> np.ndarray:
        """Survival at times ``t`` (right-continuous steps)."""
        idx = np.searchsorted(self.time, np.asarray(t, dtype=float), side="right") - 1
        return self.survival[np.maximum(idx, 0)]

    def median(self) -> float:
        """First time the curve is at or below one half; inf if it never gets there."""
        return first_at_or_below_half(self.time, self.survival)

    def median_range(self) -> tuple[float, float]:
        """(first, last) day that is a median. Where the curve sits at exactly one half over a
        stretch, every day of it is a median: (the day it reaches one half, the day it next
        falls below, inf if it stays there to the end). Otherwise both ends are ``median()``."""
        low = self.median()
        if not np.isfinite(low):
            return (low, low)
        at = int(np.searchsorted(self.time, low, side="right")) - 1
        if self.survival[at] < BELOW_HALF:
            return (low, low)
        below = np.flatnonzero((self.survival < BELOW_HALF) & (self.time > low))
        return (low, float(self.time[below[0]]) if len(below) else float("inf"))

    def median_ci(self) -> tuple[float, float]:
        """Interval of the median where the pointwise bands cross one half (Brookmeyer-Crowley
        style, as R's survfit): inf when a band never gets there."""
        return (first_at_or_below_half(self.time, self.low), first_at_or_below_half(self.time, self.high))


def first_at_or_below_half(time: np.ndarray, curve: np.ndarray) -> float:
    """The first time a (survival) curve is at or below one half; inf if never."""
    hit = np.flatnonzero(curve <= HALF)
    return float(time[hit[0]]) if len(hit) else float("inf")


def kaplan_meier(times: np.ndarray, observed: np.ndarray, confidence: float = CONFIDENCE) -> SurvivalCurve:
    """Kaplan-Meier estimate via ``scipy.stats.ecdf`` on right-censored data: ``observed`` is
    true where the event (death, leaving) happened at ``times``, false where the subject was
    still there at that time (censored)."""
    times = np.asarray(times, dtype=float)
    observed = np.asarray(observed, dtype=bool)
    if len(times) == 0:
        one = np.ones(1)
        return SurvivalCurve(np.zeros(1), one, one.copy(), one.copy(), 0, 0)
    data = stats.CensoredData(uncensored=times[observed], right=times[~observed])
    sf = stats.ecdf(data).sf
    q, p = np.asarray(sf.quantiles, dtype=float), np.asarray(sf.probabilities, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # undefined where S is 0 or 1
        ci = sf.confidence_interval(confidence, method="log-log")
        lo, hi = np.asarray(ci.low.probabilities, dtype=float), np.asarray(ci.high.probabilities, dtype=float)
    lo, hi = np.where(np.isnan(lo), p, lo), np.where(np.isnan(hi), p, hi)
    start = q[0] > 0 if len(q) else True
    if start:
        q, p, lo, hi = (np.concatenate([[v0], a]) for v0, a in ((0.0, q), (1.0, p), (1.0, lo), (1.0, hi)))
    return SurvivalCurve(q, p, lo, hi, int(len(times)), int(observed.sum()))


def km_from_counts(left: np.ndarray, stayed: np.ndarray) -> np.ndarray:
    """Kaplan-Meier survival S(t) for t = 0..len-1 from counts: ``left[t]`` subjects had the
    event at time t, ``stayed[t]`` were censored at t (at risk at t, gone after). Lets member
    tenure curves be built from per-run histograms instead of every member row."""
    left = np.asarray(left, dtype=float)
    stayed = np.asarray(stayed, dtype=float)
    at_risk = (left + stayed)[::-1].cumsum()[::-1]
    with np.errstate(invalid="ignore", divide="ignore"):
        hazard = np.where(at_risk > 0, left / at_risk, 0.0)
    return np.cumprod(1.0 - hazard)


def km_median_batch(times: np.ndarray, observed: np.ndarray, cap: float) -> np.ndarray:
    """Kaplan-Meier median over the last axis, vectorised over leading axes (for bootstrap
    resamples). A median beyond the data is reported as ``cap`` (the horizon): medians are
    restricted to what was observed. Agrees with ``kaplan_meier(...).median()`` below the cap."""
    times = np.asarray(times, dtype=float)
    observed = np.asarray(observed, dtype=bool)
    n = times.shape[-1]
    order = np.argsort(times * 2 + ~observed, axis=-1, kind="stable")  # events before censorings
    t = np.take_along_axis(times, order, axis=-1)
    e = np.take_along_axis(observed, order, axis=-1)
    # Leaving one at a time telescopes to the product-limit factor (n - d) / n at tied times.
    s = np.cumprod(1.0 - e / (n - np.arange(n)), axis=-1)
    hit = s <= HALF
    first = np.take_along_axis(t, np.argmax(hit, axis=-1)[..., None], axis=-1)[..., 0]
    return np.where(hit.any(axis=-1), np.minimum(first, cap), cap)


def logrank_test(times_a: np.ndarray, observed_a: np.ndarray, times_b: np.ndarray,
                 observed_b: np.ndarray) -> tuple[float, float]:
    """(chi-square statistic with 1 degree of freedom, two-sided p) of the log-rank test that
    two survival curves are the same; NaNs when there are no events to compare."""
    a = np.asarray(observed_a, dtype=bool)
    b = np.asarray(observed_b, dtype=bool)
    if not (a.any() or b.any()) or len(a) == 0 or len(b) == 0:
        return (np.nan, np.nan)
    ta, tb = np.asarray(times_a, dtype=float), np.asarray(times_b, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        res = stats.logrank(stats.CensoredData(uncensored=ta[a], right=ta[~a]),
                            stats.CensoredData(uncensored=tb[b], right=tb[~b]))
    return (float(res.statistic) ** 2, float(res.pvalue))


# --------------------------------------------------------------------------------------------
# Differences with bootstrap intervals
# --------------------------------------------------------------------------------------------


def encode_censored(times: np.ndarray, censored: np.ndarray) -> np.ndarray:
    """Whole-day lifespans as one array: a censored one gets +0.25, so resampling keeps each
    lifespan with its censoring flag (``decode_censored`` undoes it)."""
    return np.asarray(times, dtype=float) + 0.25 * np.asarray(censored, dtype=bool)


def decode_censored(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(times, observed) from ``encode_censored`` values."""
    t = np.floor(values)
    return t, values == t


def median_lifespan_statistic(cap: float) -> Callable:
    """A statistic for ``bootstrap_difference``: the restricted KM median of encoded lifespans."""
    def median(values: np.ndarray, axis: int = -1) -> np.ndarray:
        t, obs = decode_censored(np.moveaxis(np.asarray(values, dtype=float), axis, -1))
        return km_median_batch(t, obs, cap)
    return median


def _mean(values: np.ndarray, axis: int = -1) -> np.ndarray:
    return np.mean(values, axis=axis)


@dataclass
class Difference:
    """``estimate`` = statistic(arm) - statistic(baseline) with its bootstrap interval."""

    estimate: float
    low: float
    high: float
    n_arm: int
    n_baseline: int
    paired: bool
    adjusted_low: float = np.nan  # the interval at ``adjusted_confidence`` (same resamples)
    adjusted_high: float = np.nan


def bootstrap_difference(arm: np.ndarray, baseline: np.ndarray, rng: np.random.Generator,
                         paired: bool, statistic: Callable = _mean, method: str = "BCa",
                         n_resamples: int = N_RESAMPLES, confidence: float = CONFIDENCE,
                         adjusted_confidence: float | None = None) -> Difference:
    """statistic(arm) - statistic(baseline) with a bootstrap interval. ``paired``: element i of
    both arrays share a seed (common random numbers) and are resampled together, which cancels
    the luck both runs share. ``statistic(values, axis)`` must be vectorised. Degenerate
    resamples (every resample the same value) give a zero-width interval; BCa falls back to the
    percentile method where it is undefined. ``adjusted_confidence``: a second interval (e.g. a
    Bonferroni level) from the same resamples, so the first interval's bytes do not change."""
    x = np.asarray(arm, dtype=float)
    y = np.asarray(baseline, dtype=float)
    if paired and len(x) != len(y):
        raise ValueError("paired samples need equal lengths")
    est = float(statistic(x) - statistic(y)) if len(x) and len(y) else np.nan
    out = Difference(est, np.nan, np.nan, len(x), len(y), paired)
    if len(x) < MIN_BOOTSTRAP or len(y) < MIN_BOOTSTRAP:
        return out
    if (np.ptp(x - y) == 0) if paired else (np.ptp(x) == 0 and np.ptp(y) == 0):
        out.low = out.high = est  # every resample gives the same difference
        out.adjusted_low = out.adjusted_high = est if adjusted_confidence is not None else np.nan
        return out

    def diff(a, b, axis=-1):
        return statistic(a, axis=axis) - statistic(b, axis=axis)

    def interval(m: str, level: float, previous=None):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return stats.bootstrap((x, y), diff, paired=paired, vectorized=True,
                                   n_resamples=n_resamples if previous is None else 0, bootstrap_result=previous,
                                   confidence_level=level, method=m, rng=rng)

    methods = (method, "percentile") if method != "percentile" else (method,)
    for m in methods:
        res = interval(m, confidence)
        lo, hi = float(res.confidence_interval.low), float(res.confidence_interval.high)
        if np.isfinite(lo) and np.isfinite(hi):
            out.low, out.high = lo, hi
            if adjusted_confidence is not None:
                for m2 in methods[methods.index(m):]:
                    adj = interval(m2, adjusted_confidence, res).confidence_interval
                    if np.isfinite(adj.low) and np.isfinite(adj.high):
                        out.adjusted_low, out.adjusted_high = float(adj.low), float(adj.high)
                        break
            return out
        if np.ptp(res.bootstrap_distribution) == 0:
            out.low = out.high = float(res.bootstrap_distribution.flat[0])
            out.adjusted_low = out.adjusted_high = out.low if adjusted_confidence is not None else np.nan
            return out
    return out
