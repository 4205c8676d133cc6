"""Each arm against the baseline: the arm's value with its interval (Kaplan-Meier median for
lifespan, mean otherwise), the difference paired by seed with a bootstrap interval, the ratio,
and a log-rank test of the survival curves (comparison.csv).

Every summary metric is a count, a share, money or days, so an arm's interval is clipped at
zero (and shares at one): a mean of counts never gets a band below zero. Besides the metrics an
experiment asks for, comparison.csv holds the metrics the figures' titles speak of
(``TITLE_METRICS``), so every claim of a title is a row of the table; ``direction`` says whether
a difference is clear, the only case a title or sentence may name one.

Several arms against one baseline are several tests of the same question, so the verdict on a
metric is adjusted for the number of arms compared on it (``comparisons``): Bonferroni, i.e. the
paired bootstrap interval at level 1 - 0.05 / k (log-rank: p x k). Bonferroni rather than Holm
because it gives an interval in the metric's own units, so "clear" keeps meaning "the
(adjusted) interval excludes zero" as everywhere else in the reports, and it is computed from the
same bootstrap resamples as the 95% interval (whose bytes therefore do not change); with the
handful of arms an experiment has, Holm's step-down would call at most a few more differences
clear. The unadjusted 95% intervals stay in comparison.csv beside the adjusted ones.

A difference of Kaplan-Meier medians is empty (``measurable`` says why) where a median is beyond
the horizon or not identified (the curve sits at exactly one half over a stretch)."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from . import stats
from .aggregate import lifespans, metric_values
from .folders import ArmResults, ResultSet


# What the figures' titles compare, each over a window (the whole horizon), never one day:
# daily active members (mean over every day), members who ever joined, revenue (total), lurkers.
TITLE_METRICS = ("mean_active", "ever_joined", "total_revenue", "lurker_share")
SIGNIFICANCE = 0.05  # log-rank p below this: survival curves clearly differ
ADJUSTMENT = "Bonferroni"  # how verdicts are adjusted for several arms (named in the report's method)

COMPARISON_COLUMNS = ("arm", "baseline", "metric", "statistic", "n", "value", "value_low", "value_high",
                      "baseline_value", "difference", "difference_low", "difference_high", "ratio", "pairs",
                      "paired", "test_statistic", "p_value", "comparisons", "difference_low_adjusted",
                      "difference_high_adjusted", "p_value_adjusted", "measurable", "median_identified",
                      "median_high")


@dataclass
class ComparisonRow:
    """One line of comparison.csv: an arm against the baseline on one metric (or the log-rank test)."""

    arm: str
    baseline: str
    metric: str
    statistic: str
    n: int
    value: float = np.nan
    value_low: float = np.nan
    value_high: float = np.nan
    baseline_value: float = np.nan
    difference: float = np.nan
    difference_low: float = np.nan
    difference_high: float = np.nan
    ratio: float = np.nan
    pairs: int = 0
    paired: bool = False
    test_statistic: float = np.nan
    p_value: float = np.nan
    comparisons: int = 1  # arms compared with the baseline on this metric (0 on the baseline's own row)
    difference_low_adjusted: float = np.nan  # Bonferroni over ``comparisons``
    difference_high_adjusted: float = np.nan
    p_value_adjusted: float = np.nan
    measurable: str = "yes"  # or why the difference is left empty
    median_identified: bool | float = np.nan  # lifespan: False where the KM curve sits at one half
    median_high: float = np.nan  # lifespan: the last day that is a median (inf: beyond the horizon)


def _pair(x: np.ndarray, sx: np.ndarray, y: np.ndarray, sy: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """Match runs by seed (common random numbers). With fewer than two shared seeds the arms
    are compared unpaired, on all their runs."""
    keep_x, keep_y = ~np.isnan(x), ~np.isnan(y)
    x, sx, y, sy = x[keep_x], sx[keep_x], y[keep_y], sy[keep_y]
    where_y = {s: i for i, s in enumerate(sy.tolist())}
    common = [(i, where_y[s]) for i, s in enumerate(sx.tolist()) if s in where_y]
    if len(common) >= 2:
        ix, iy = (np.array(v, dtype=np.int64) for v in zip(*common))
        return x[ix], y[iy], True
    return x, y, False


def _rng(seed: int, arm: str, metric: str) -> np.random.Generator:
    """A bootstrap generator fixed by the master seed, the arm and the metric (not by order)."""
    key = (zlib.crc32(arm.encode()), zlib.crc32(metric.encode()))
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


def _ratio(a: float, b: float) -> float:
    return a / b if np.isfinite(a) and np.isfinite(b) and b != 0 else np.nan


def _days(d: float) -> str:
    return f"{d:,.0f}" if np.isfinite(d) else "beyond the horizon"


def lifespan_measurable(arm: tuple[float, float], base: tuple[float, float], horizon: int) -> str:
    """'yes', or why the difference of two Kaplan-Meier medians (each a (first, last) median day
    range, see ``SurvivalCurve.median_range``) cannot be measured within the horizon."""
    if not np.isfinite(arm[0]) and not np.isfinite(base[0]):
        return "both alive beyond the horizon"
    for who, (lo, hi) in (("arm", arm), ("baseline", base)):
        if np.isfinite(lo) and lo != hi:
            return (f"{who}'s median not identified: survival is exactly 50% from day {lo:,.0f} to "
                    f"{'beyond day ' + format(horizon, ',') if not np.isfinite(hi) else 'day ' + format(hi, ',.0f')}")
    if not np.isfinite(arm[0]):
        return f"arm's median beyond the horizon: difference at least {horizon - base[0]:+,.0f} days"
    if not np.isfinite(base[0]):
        return f"baseline's median beyond the horizon: difference at most {arm[0] - horizon:+,.0f} days"
    return "yes"


def compare_metric(rs: ResultSet, arm: ArmResults, base: ArmResults, metric: str,
                   comparisons: int = 1) -> ComparisonRow:
    """One arm against the baseline on one summary metric: the arm's value with its interval,
    and the (paired) difference with a bootstrap interval, also at the Bonferroni level for
    ``comparisons`` arms. Lifespan uses the Kaplan-Meier median (censored at the horizon); other
    metrics the mean over replicates."""
    rng = _rng(rs.seed, arm.name, metric)
    adjusted = 1 - (1 - stats.CONFIDENCE) / comparisons if comparisons > 1 else None
    if metric == "lifespan_days":
        life, obs, seeds = lifespans(arm)
        blife, bobs, bseeds = lifespans(base)
        curve, bcurve = stats.kaplan_meier(life, obs), stats.kaplan_meier(blife, bobs)
        row = ComparisonRow(arm.name, base.name, metric, "median (Kaplan-Meier)", len(life), curve.median(),
                            *curve.median_ci(), baseline_value=bcurve.median())
        span = curve.median_range()
        row.median_identified, row.median_high = bool(span[0] == span[1]), span[1]
        row.measurable = lifespan_measurable(span, bcurve.median_range(), rs.days) if len(life) else "yes"
        x, y, paired = _pair(stats.encode_censored(life, ~obs), seeds, stats.encode_censored(blife, ~bobs), bseeds)
        if row.measurable != "yes":
            row.pairs, row.paired, row.comparisons = (len(x) if paired else 0), paired, comparisons
            return row
        diff = stats.bootstrap_difference(x, y, rng, paired, stats.median_lifespan_statistic(rs.days),
                                             method="percentile", adjusted_confidence=adjusted)
    else:
        vals, seeds = metric_values(arm, metric)
        bvals, bseeds = metric_values(base, metric)
        m, lo, hi = stats.mean_ci(vals)
        lo = max(lo, 0.0) if np.isfinite(lo) else lo  # counts, shares, money, days: never below zero
        hi = min(hi, 1.0) if metric.endswith("_share") and np.isfinite(hi) else hi
        row = ComparisonRow(arm.name, base.name, metric, "mean", int((~np.isnan(vals)).sum()), m, lo, hi,
                            baseline_value=stats.mean_ci(bvals)[0])
        x, y, paired = _pair(vals, seeds, bvals, bseeds)
        diff = stats.bootstrap_difference(x, y, rng, paired, adjusted_confidence=adjusted)
    row.difference, row.difference_low, row.difference_high = diff.estimate, diff.low, diff.high
    row.comparisons = comparisons
    row.difference_low_adjusted, row.difference_high_adjusted = (
        (diff.adjusted_low, diff.adjusted_high) if adjusted is not None else (diff.low, diff.high))
    row.ratio = _ratio(row.value, row.baseline_value)
    row.pairs, row.paired = (len(x) if paired else 0), paired
    return row


def compare_survival(arm: ArmResults, base: ArmResults, comparisons: int = 1) -> ComparisonRow:
    """Log-rank test of the arm's community survival curve against the baseline's; the
    Bonferroni-adjusted p multiplies p by the ``comparisons`` (arms tested)."""
    life, obs, _ = lifespans(arm)
    blife, bobs, _ = lifespans(base)
    chi2, p = stats.logrank_test(life, obs, blife, bobs)
    return ComparisonRow(arm.name, base.name, "community_survival", "log-rank test", len(life),
                         value=float(obs.mean()) if len(obs) else np.nan,
                         baseline_value=float(bobs.mean()) if len(bobs) else np.nan,
                         test_statistic=chi2, p_value=p, comparisons=comparisons, measurable="",
                         p_value_adjusted=min(1.0, p * comparisons) if np.isfinite(p) else np.nan)


def direction(row: ComparisonRow) -> int:
    """+1 / -1 where the arm clearly differs from the baseline (the difference's interval,
    Bonferroni-adjusted for the arms compared, excludes zero; for the survival test, adjusted
    log-rank p < 0.05 with the sign of the median difference), else 0: no clear difference."""
    adjusted = row.comparisons > 1
    if row.metric == "community_survival":
        p = row.p_value_adjusted if adjusted else row.p_value
        return 0 if not (np.isfinite(p) and p < SIGNIFICANCE) else (
            1 if row.value < row.baseline_value else -1)  # fewer deaths: lives longer
    lo, hi = ((row.difference_low_adjusted, row.difference_high_adjusted) if adjusted
              else (row.difference_low, row.difference_high))
    if np.isnan(lo) or np.isnan(hi):
        return 0
    return 1 if lo > 0 else -1 if hi < 0 else 0


def tested(row: ComparisonRow) -> bool:
    """Whether the row's difference could be tested at all: it has a 95% interval (survival: a
    log-rank p). Without one (fewer than ``stats.MIN_BOOTSTRAP`` runs in an arm) a title or
    sentence says too few runs, never "no clear difference"."""
    if row.metric == "community_survival":
        return bool(np.isfinite(row.p_value))
    return not (np.isnan(row.difference_low) or np.isnan(row.difference_high))


def comparison_rows(rs: ResultSet) -> list[ComparisonRow]:
    """Every arm (the baseline too, as the reference) on every metric the experiment names and
    every metric a figure's title uses, plus the log-rank test. For community_survival, value is
    the share of groups that died within the horizon."""
    base = rs.arm(rs.baseline)
    rows = []
    metrics = list(rs.metrics) + [m for m in TITLE_METRICS if m not in rs.metrics]
    k = sum(1 for a in rs.arms if a is not base and a.ok())  # the family: arms compared on each metric
    for arm in rs.arms:
        if not arm.ok() or not base.ok():
            continue
        rows.extend(compare_metric(rs, arm, base, m, 0 if arm is base else k) for m in metrics)
        if arm is not base:
            rows.append(compare_survival(arm, base, k))
    return rows


def comparison_table(rows: list[ComparisonRow]) -> dict[str, np.ndarray]:
    """comparison.csv's columns from the comparison rows."""
    return {c: np.array([getattr(r, c) for r in rows], dtype=object) for c in COMPARISON_COLUMNS}
