"""What each comparison figure's title may claim, in words, from the rows of comparison.csv
(and the tenure table): a title names a difference only where the arm's 95% interval of the
difference to the baseline excludes zero (survival: log-rank p < 0.05), both Bonferroni-adjusted
for the number of strategies compared (which a title picking from several says), else it says
"no clear difference"; an activity headline says when group survival went the other way; it reads metrics over the whole run (a mean or a total over every day), never one
snapshot day; member tenure, pooled over replicates and not tested, is described, never ranked.
Every number a title gives is a row of comparison.csv or tenure.csv in the same folder.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np

from ..results.comparison import ADJUSTMENT, ComparisonRow, direction, tested
from ..results.stats import SurvivalCurve
from ..plural import count
from .words import adjusted_text, fmt, interval_text, median_days, metric_label, survival_p, too_few_runs


def _rows(rows: Sequence[ComparisonRow], metric: str) -> tuple[ComparisonRow | None, list[ComparisonRow]]:
    """(the baseline's row, the other arms' rows) of one metric."""
    mine = [r for r in rows if r.metric == metric]
    base = next((r for r in mine if r.arm == r.baseline), None)
    return base, [r for r in mine if r.arm != r.baseline]


def _clearest(others: list[ComparisonRow]) -> ComparisonRow | None:
    """The arm that clearly differs from the baseline by the most, or None."""
    clear = [r for r in others if direction(r)]
    return max(clear, key=lambda r: (abs(r.difference), r.arm)) if clear else None


def _untested(base: ComparisonRow, others: list[ComparisonRow]) -> tuple[list[str], str]:
    """(the tested arms, '' or why the others could not be tested) when no arm clearly differs."""
    untested = [r for r in others if not tested(r)]
    return [r.arm for r in others if tested(r)], too_few_runs(base, untested) if untested else ""


def _difference(r: ComparisonRow) -> str:
    ci = interval_text(r.difference_low, r.difference_high, r.metric, signed=True)
    adjusted = adjusted_text(r)
    return (f"difference {fmt(r.difference, r.metric, signed=True)}" + (f", {ci}" if ci else "")
            + (f"; {adjusted}" if adjusted else ""))


def _every_interval(others: list[ComparisonRow]) -> str:
    """'95% interval' for one arm; for several, the adjusted interval and how many were compared."""
    k = max((r.comparisons for r in others), default=1)
    return "95% interval" if k <= 1 else f"interval (Bonferroni-adjusted for {count(k, 'strategy', 'strategies')})"


def _contrary_survival(rows: Sequence[ComparisonRow], best: ComparisonRow, base: ComparisonRow, horizon: int) -> str:
    """'' unless the arm's groups died more often than the baseline's while it did better on
    the metric (or less often while it did worse): then how many died in each, with the test."""
    test = next((r for r in rows if r.metric == "community_survival" and r.arm == best.arm), None)
    if test is None or not (np.isfinite(test.value) and np.isfinite(test.baseline_value)):
        return ""
    died, base_died = round(test.value * test.n), round(test.baseline_value * base.n)
    if np.sign(test.value - test.baseline_value) != direction(best) or died == base_died:
        return ""
    verdict = "a clear difference" if direction(test) else "no clear difference"
    p = f"; {survival_p(test)}" if np.isfinite(test.p_value) else ""
    return (f"; but {died} of {test.n} of its groups died within {horizon:,} days vs {base_died} of {base.n} under "
            f"{base.arm} (survival: {verdict}{p})")


def _window(days: int) -> str:
    return f"mean over days 1-{days:,}"


def activity_title(rows: Sequence[ComparisonRow], baseline: str, days: int) -> str:
    """Daily active members, read as the mean over every day of the run."""
    base, others = _rows(rows, "mean_active")
    if base is None:
        return "No finished runs to plot"
    level = f"{fmt(base.value, 'mean_active')} members active a day under {baseline} ({_window(days)})"
    if not others:
        return level[0].upper() + level[1:]
    best = _clearest(others)
    if best is None:
        arms, few = _untested(base, others)
        if not arms:
            return f"Active members: {few}; {level}"
        return (f"No clear difference in active members: every {'tested ' * bool(few)}strategy's "
                f"{_every_interval(others)} of the difference to {baseline} includes zero; {level}" + f"; {few}" * bool(few))
    word = "more" if direction(best) > 0 else "fewer"
    return (f"{best.arm} keeps {word} members active than {baseline}: {fmt(best.value, best.metric)} vs "
            f"{fmt(best.baseline_value, best.metric)} a day ({_window(days)}; {_difference(best)})"
            + _contrary_survival(rows, best, base, days))


def survival_title(rows: Sequence[ComparisonRow], survival: Mapping[str, SurvivalCurve], baseline: str,
                   horizon: int) -> str:
    """Group survival: a strategy lives longer or dies sooner only where the log-rank test says so."""
    if not survival:
        return "No finished runs to plot"
    if not any(c.events for c in survival.values()):
        return f"No group died within {horizon:,} days in any strategy"
    medians = {a: median_days(*c.median_range(), horizon) for a, c in survival.items()}
    if all(not np.isfinite(c.median()) for c in survival.values()):
        return f"In every strategy, most groups are still alive at day {horizon:,}"
    tests = [r for r in rows if r.metric == "community_survival" and r.arm != r.baseline]
    base_median = medians.get(baseline, "n/a")
    if not tests:
        return f"{baseline}: median lifespan {base_median} (Kaplan-Meier over its groups)"
    clear = [r for r in tests if direction(r)]
    if not clear:
        lowest = min((r for r in tests if np.isfinite(r.p_value)), key=lambda r: (r.p_value, r.arm), default=None)
        p = f"lowest {survival_p(lowest)}" if lowest is not None else "no deaths to compare"
        return (f"No clear difference in group survival between strategies and {baseline} ({p}); "
                f"{baseline}'s median lifespan {base_median}")
    r = min(clear, key=lambda r: (r.p_value, r.arm))
    verb = "live longer than" if direction(r) > 0 else "die sooner than"
    return (f"{r.arm} groups {verb} {baseline}'s: median lifespan {medians.get(r.arm, 'n/a')} vs "
            f"{base_median} ({survival_p(r)})")


def tenure_title(medians: Mapping[str, float], baseline: str, horizon: int) -> str:
    """Member tenure (pooled over replicates, so not tested): described for the baseline, no ranking."""
    if baseline not in medians:
        return "Member tenure" if medians else "No finished runs to plot"
    m = medians[baseline]
    half = (f"half of {baseline}'s members leave within {m:,.0f} days of joining" if np.isfinite(m) else
            f"most of {baseline}'s members are still there at day {horizon:,}")
    return half[0].upper() + half[1:] + " (pooled over replicates; differences between strategies not tested)"


def tenure_by_role_title(medians: Mapping[str, float], baseline: str, horizon: int) -> str:
    """Median tenure of each role under the baseline, described (pooled, not tested)."""
    if not medians:
        return "Member tenure by role"
    if not any(np.isfinite(m) for m in medians.values()):
        return f"Under {baseline}, more than half of every role is still there at day {horizon:,} (pooled over replicates)"
    parts = ", ".join(f"{role}s {median_days(m, m, horizon)}" for role, m in medians.items())
    return f"Median tenure by role under {baseline}: {parts} (pooled over replicates; not tested)"


def participation_title(rows: Sequence[ComparisonRow], baseline: str) -> str:
    """Lurkers: the baseline's share, and the arms that clearly differ from it."""
    base, others = _rows(rows, "lurker_share")
    if base is None:
        return "No finished runs to plot"
    text = f"{fmt(base.value, 'lurker_share')} of {baseline}'s members never post"
    if not others:
        return text[0].upper() + text[1:] if text[0].isalpha() else text
    clear = [r for r in others if direction(r)]
    if not clear:
        arms, few = _untested(base, others)
        if not arms:
            return f"{text}; {few}"
        return (f"{text}; no {'tested ' * bool(few)}strategy clearly differs (every {_every_interval(others)} of the "
                f"difference includes zero)" + f"; {few}" * bool(few))
    more = [f"{r.arm} ({fmt(r.value, r.metric)})" for r in clear if direction(r) > 0]
    fewer = [f"{r.arm} ({fmt(r.value, r.metric)})" for r in clear if direction(r) < 0]
    said = [f"clearly more under {', '.join(more)}"] * bool(more) + [f"clearly fewer under {', '.join(fewer)}"] * bool(fewer)
    return f"{text}; {'; '.join(said)}"


def members_revenue_title(rows: Sequence[ComparisonRow], baseline: str, days: int, money: bool) -> str:
    """Revenue over the whole run where something is sold, else members who ever joined."""
    metric = "total_revenue" if money else "ever_joined"
    what = "revenue" if money else "members who ever joined"
    base, others = _rows(rows, metric)
    if base is None:
        return "No finished runs to plot"
    unit = " yuan" if money else ""
    level = f"{baseline}: {fmt(base.value, metric, unit=False)}{unit} {what} over days 1-{days:,}"
    if not others:
        return level
    best = _clearest(others)
    if best is None:
        arms, few = _untested(base, others)
        if not arms:
            return f"{what[0].upper()}{what[1:]}: {few} ({level})"
        named = ", ".join(arms) if few else "strategies"
        k = max(r.comparisons for r in others)
        family = f"; {ADJUSTMENT}-adjusted for {count(k, 'strategy', 'strategies')}" * (k > 1)
        return f"No clear difference in {what} between {named} and {baseline} ({level}{family})" + f"; {few}" * bool(few)
    word = "more" if direction(best) > 0 else "less" if money else "fewer"
    verb = "earns" if money else "brings in"
    return (f"{best.arm} {verb} {word} {'revenue' if money else 'members'} than {baseline}: "
            f"{fmt(best.value, metric, unit=False)} vs {fmt(best.baseline_value, metric, unit=False)}{unit} over days "
            f"1-{days:,} ({_difference(best)})")


def grid_title(rows: Sequence[ComparisonRow], metric: str, fields: Sequence[str], baseline: str, horizon: int) -> str:
    """A grid figure's title: the setting that differs most clearly from the baseline (its 95%
    interval of the difference excludes zero), else neutral ("<metric> by <field>"). No trend
    and no best setting is claimed beyond that one supported difference."""
    label = metric_label(metric, horizon)
    neutral = f"{label[0].upper()}{label[1:]} by {' and '.join(fields)}"
    base, others = _rows(rows, metric)
    best = _clearest(others) if base is not None else None
    if best is None:
        return neutral
    word = "higher" if direction(best) > 0 else "lower"
    return (f"{label[0].upper()}{label[1:]} is clearly {word} at {best.arm} than at "
            f"{baseline} (baseline): {fmt(best.value, metric, horizon=horizon)} vs "
            f"{fmt(best.baseline_value, metric, horizon=horizon)} ({_difference(best)})")
