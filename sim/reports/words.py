"""Numbers and findings in words a workshop audience reads: what each metric means, values
with their units (%, yuan, days), counts as whole numbers with thousands separators, intervals
(of counts, money and shares never below zero), and one plain sentence per strategy that names
only the differences whose interval excludes zero (survival: log-rank p < 0.05)."""

from __future__ import annotations

import numpy as np

from typing import Sequence

from ..plural import count
from ..results.comparison import ADJUSTMENT, ComparisonRow, direction, tested
from ..results.folders import ResultSet
from ..results.stats import MIN_BOOTSTRAP

# metric -> (plain label, kind of number)
METRIC_INFO: dict[str, tuple[str, str]] = {
    "lifespan_days": ("median lifespan", "days"),
    "peak_active": ("peak daily active members", "count"),
    "peak_active_14d": ("peak active members (14-day mean)", "count"),
    "active_day365_14d": ("active members a day around day 365", "count"),
    "final_active_14d": ("active members a day at the horizon", "count"),
    "mean_active": ("mean daily active members", "count"),
    "lurker_share": ("lurker share", "share"),
    "occasional_share": ("occasional contributor share", "share"),
    "heavy_share": ("heavy contributor share", "share"),
    "total_revenue": ("total revenue", "yuan"),
    "total_operator_cost": ("operator cost", "yuan"),
    "final_members": ("members at the horizon", "count"),
    "ever_joined": ("members who ever joined", "count"),
    "ad_share": ("share of messages that are ads", "share"),
    "total_left": ("members who left", "count"),
    "total_removed": ("members removed by cleanups", "count"),
    "peak_members": ("most members at once", "count"),
    "final_payers": ("paying members at the horizon", "count"),
    "total_posts": ("posts", "count"),
    "interventions": ("changes made by the schedule and triggers", "count"),
}


def metric_label(metric: str, horizon: int | None = None) -> str:
    """What a metric means in words (day-365 activity says 'at the horizon' for short runs)."""
    if metric == "active_day365_14d" and horizon is not None and horizon < 365:
        return f"active members a day at the horizon (day {horizon})"
    return METRIC_INFO.get(metric, (metric.replace("_", " "), ""))[0]


def metric_kind(metric: str) -> str:
    if metric in METRIC_INFO:
        return METRIC_INFO[metric][1]
    if metric.endswith("_share"):
        return "share"
    if "revenue" in metric or "cost" in metric or "yuan" in metric:
        return "yuan"
    return "days" if metric.endswith("_days") else "number"


UNITS = {"share": "%", "yuan": "yuan", "days": "days"}


def fmt(value: float, metric: str, signed: bool = False, horizon: int | None = None, unit: bool = True) -> str:
    """A number as a person reads it: shares in %, money in yuan, days whole (``unit=False``
    leaves the unit to a table header)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "n/a"
    if np.isinf(value):
        return f"beyond day {horizon}" if horizon else "beyond the horizon"
    kind = metric_kind(metric)
    sign = "+" if signed else ""
    if kind == "share":
        return f"{value * 100:{sign}.1f}" + ((" points" if signed else "%") if unit else "")
    if kind in ("yuan", "days"):
        return f"{value:{sign},.0f}" + (f" {UNITS[kind]}" if unit else "")
    if kind == "count" and ((float(value).is_integer() and not signed) or abs(value) >= 100):
        return f"{value:{sign},.0f}"  # whole members: '2,363', not '2,363.0'
    if 0 < abs(value) < 0.05:
        return f"{value:{sign}.1g}"  # '+0.02', not '+0.0', which reads as no difference
    return f"{value:{sign},.1f}"


def interval_text(lo: float, hi: float, metric: str, signed: bool = False, horizon: int | None = None,
              unit: bool = True) -> str:
    if np.isnan(lo) or np.isnan(hi) or (np.isinf(lo) and np.isinf(hi)):
        return ""
    if not signed and metric_kind(metric) != "number":  # counts, shares, money, days: not below zero
        lo = max(lo, 0.0)
    text = f"{fmt(lo, metric, signed, horizon, unit)} to {fmt(hi, metric, signed, horizon, unit)}"
    return f"95% CI {text}" if unit else f"({text})"


def median_days(low: float, high: float, horizon: int) -> str:
    """A Kaplan-Meier median in words from its (first, last) median day (``median_range``):
    '296 days', 'beyond day 730', or, where the curve sits at exactly one half over a stretch,
    'between day 296 and beyond day 730' (any day of it is a median)."""
    if not np.isfinite(low):
        return f"beyond day {horizon:,}"
    if high == low:
        return f"{low:,.0f} days"
    return f"between day {low:,.0f} and {f'day {high:,.0f}' if np.isfinite(high) else f'beyond day {horizon:,}'}"


def adjusted_text(r: ComparisonRow, horizon: int | None = None) -> str:
    """'' for a single comparison, else the verdict's interval: 'Bonferroni-adjusted for 5
    strategies: +0.0 to +1.0'."""
    if r.comparisons <= 1:
        return ""
    ci = interval_text(r.difference_low_adjusted, r.difference_high_adjusted, r.metric, True, horizon)
    return f"{ADJUSTMENT}-adjusted for {count(r.comparisons, 'strategy', 'strategies')}: {ci.removeprefix('95% CI ') or 'n/a'}"


def survival_p(test: ComparisonRow) -> str:
    """'log-rank p = 0.03' and, for several arms, its adjusted value."""
    text = f"log-rank p = {test.p_value:.3g}"
    if test.comparisons > 1 and np.isfinite(test.p_value_adjusted):
        text += f", {ADJUSTMENT}-adjusted for {count(test.comparisons, 'strategy', 'strategies')}: {test.p_value_adjusted:.3g}"
    return text


def too_few_runs(base: ComparisonRow | None, untested: Sequence[ComparisonRow], what: str = "") -> str:
    """Why ``untested`` arms' differences could not be tested, naming the arms (the baseline too)
    short of runs: 'too few runs to test a difference (fruit-shop: 1 run; a test needs 3 runs per
    strategy)'."""
    short = [r for r in [*([base] if base is not None else []), *untested] if r.n < MIN_BOOTSTRAP] or list(untested)
    named = "; ".join(dict.fromkeys(f"{r.arm}: {count(r.n, 'run')}" for r in short))
    return f"too few runs to test a difference{' in ' + what if what else ''} ({named}; a test needs {count(MIN_BOOTSTRAP, 'run')} per strategy)"


def arm_sentence(rs: ResultSet, arm: str, rows: list[ComparisonRow]) -> str:
    """A plain-language sentence: the arm's median lifespan (and ratio to the baseline), then
    the differences whose interval excludes zero, then the log-rank verdict."""
    # Money only where some arm earned or spent any: a free group's sentences name no yuan.
    no_money = {r.metric for r in rows if metric_kind(r.metric) == "yuan"} - {
        r.metric for r in rows if metric_kind(r.metric) == "yuan" and r.value}
    mine = [r for r in rows if r.arm == arm and r.metric not in no_money
            and (r.metric in rs.metrics or r.metric == "community_survival")]
    is_base = arm == rs.baseline
    parts = []
    life = next((r for r in mine if r.metric == "lifespan_days"), None)
    n = max((r.n for r in mine if r.metric != "community_survival"), default=0)  # runs behind the figures
    if life is not None:
        if np.isinf(life.value):
            text = f"most groups still alive at day {rs.days} (median lifespan beyond the horizon)"
        else:
            high = life.median_high if np.isfinite(life.value) and life.median_identified is False else life.value
            text = f"median lifespan {median_days(life.value, high, rs.days)}"
            ci = interval_text(life.value_low, life.value_high, "lifespan_days", horizon=rs.days)
            notes = ["survival is exactly 50% over that stretch, so any day of it is a median"] * (high != life.value)
            text += f" ({'; '.join(notes + [ci] * bool(ci))})" if notes or ci else ""
        if not is_base and np.isfinite(life.ratio) and direction(life):
            text += f", {life.ratio:.1f}x the baseline"
        if not is_base and life.measurable not in ("yes", ""):
            text += f"; difference in median lifespan not measurable within the horizon ({life.measurable})"
        parts.append(text)
    if is_base:
        others = [r for r in mine if r.metric != "lifespan_days" and r.statistic == "mean"]
        parts.extend(f"{metric_label(r.metric, rs.days)} {fmt(r.value, r.metric)}" for r in others)
        return f"{arm} (baseline, {count(n, 'run')}): " + "; ".join(parts) + "."
    clear, unclear, untested = [], [], []
    for r in mine:
        if r.statistic != "mean":
            continue
        if not tested(r):
            untested.append(r)
            continue
        d = direction(r)
        if d:
            word = "higher" if d > 0 else "lower"
            clear.append(f"{metric_label(r.metric, rs.days)} {word}: {fmt(r.value, r.metric)} vs "
                         f"{fmt(r.baseline_value, r.metric)} "
                         f"(difference {fmt(r.difference, r.metric, True)}, "
                         f"{interval_text(r.difference_low, r.difference_high, r.metric, True)}"
                         + f"; {adjusted_text(r)}" * bool(adjusted_text(r)) + ")")
        else:
            unclear.append(metric_label(r.metric, rs.days))
    parts.extend(clear)
    if unclear:
        parts.append("no clear difference in " + ", ".join(unclear))
    if untested:
        base = next((r for r in rows if r.arm == rs.baseline and r.metric == untested[0].metric), None)
        parts.append(too_few_runs(base, untested[:1], ", ".join(metric_label(r.metric, rs.days) for r in untested)))
    test = next((r for r in mine if r.metric == "community_survival"), None)
    if test is not None and np.isfinite(test.p_value):
        verdict = "differ from" if direction(test) else "do not clearly differ from"
        parts.append(f"survival curves {verdict} the baseline's ({survival_p(test)})")
    return f"{arm} ({count(n, 'run')}): " + "; ".join(parts) + "."
