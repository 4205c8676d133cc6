"""A statistician's reading of an experiment report: a verdict picked from several strategies is
adjusted for the number of comparisons (and says how many); a headline on activity does not hide
survival going the other way; a Kaplan-Meier median sitting on exactly one half over a stretch
is reported as that stretch; lifespan differences that cannot be measured are empty cells with a
reason; the survival caption says what the code counts as dead."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from sim.reports import titles
from sim.reports.figures import survival_figure
from sim.reports.html import FIGURE_CAPTIONS, FIGURES, report_html
from sim.reports.words import arm_sentence
from sim.results.comparison import ComparisonRow, comparison_rows, comparison_table, direction
from sim.results.folders import ArmResults, ResultSet, RunRef
from sim.results.stats import kaplan_meier
from sim.run.metrics import lifespan

HORIZON = 730
NOISE = np.array([-1.0, 1.0, -0.5, 0.5, 0.0, -1.0, 1.0, -0.5, 0.5, 0.0])  # mean 0, paired noise


def _arm(name: str, summaries: list[dict]) -> ArmResults:
    return ArmResults(name, runs=[RunRef(name, i, 100 + i, f"r{i}", "ok", Path("."), s)
                                  for i, s in enumerate(summaries)])


def _rs(arms: list[ArmResults], metrics: list[str]) -> ResultSet:
    return ResultSet("t", "", "base", arms, arms[0].name, metrics, 1, HORIZON, 10, [Path(".")])


def _five_arms() -> ResultSet:
    """A baseline and five arms on mean_active: 'edge' is up by about 2.3 standard errors of the
    paired difference (clear alone, not once five arms are compared), 'strong' by far more."""
    base = 10.0 + np.arange(10) * 0.3
    shifts = {"a": 0.0, "b": 0.0, "c": 0.0, "edge": 0.36, "strong": 3.0}
    alive = {"lifespan_days": HORIZON, "censored": True}
    arms = [_arm("none", [{"mean_active": v, **alive} for v in base])]
    arms += [_arm(n, [{"mean_active": v + d + 0.7 * e, **alive} for v, e in zip(base, NOISE)])
             for n, d in shifts.items()]
    return _rs(arms, ["mean_active"])


def test_a_verdict_picked_from_several_arms_is_adjusted_and_says_how_many_comparisons():
    rows = [r for r in comparison_rows(_five_arms()) if r.metric == "mean_active"]
    by = {r.arm: r for r in rows}
    edge, strong = by["edge"], by["strong"]
    assert edge.difference_low > 0, "precondition: the unadjusted 95% interval excludes zero"
    assert edge.comparisons == 5 and strong.comparisons == 5
    assert edge.difference_low_adjusted < edge.difference_low and edge.difference_high_adjusted > edge.difference_high
    assert edge.difference_low_adjusted <= 0 and direction(edge) == 0  # the verdict follows the adjusted interval
    assert direction(strong) == 1
    table = comparison_table(rows)
    assert {"difference_low", "difference_low_adjusted", "difference_high_adjusted", "comparisons"} <= set(table)
    said = titles.activity_title(rows, "none", HORIZON)
    assert said.startswith("strong keeps more members active than none"), said
    assert "5 strategies" in said and "Bonferroni" in said, said
    rs = _five_arms()  # without 'strong', 'edge' must still not be called clear among 4
    rows4 = [r for r in comparison_rows(_rs([a for a in rs.arms if a.name != "strong"], ["mean_active"]))
             if r.metric == "mean_active"]
    said = titles.activity_title(rows4, "none", HORIZON)
    assert said.startswith("No clear difference in active members") and "4 strategies" in said, said


def test_the_report_names_the_adjustment_in_its_method_paragraph():
    rs = _five_arms()
    rows = comparison_rows(rs)
    page = report_html(rs, rows, [], {f"figures/{n}.png": b"" for n in FIGURES})
    assert "Bonferroni" in page and "comparisons" in page


def test_an_activity_headline_mentions_survival_going_the_other_way():
    base = ComparisonRow("none", "none", "mean_active", "mean", 10, 1.2, 1.0, 1.4, 1.2, 0.0, 0.0, 0.0)
    better = ComparisonRow("cull", "none", "mean_active", "mean", 10, 1.7, 1.4, 2.0, 1.2, 0.5, 0.2, 0.8)
    died = ComparisonRow("cull", "none", "community_survival", "log-rank test", 10, value=0.5, baseline_value=0.3)
    died.p_value = 0.4
    said = titles.activity_title([base, better, died], "none", HORIZON)
    assert said.startswith("cull keeps more members active"), said
    assert "5 of 10" in said and "3 of 10" in said, said


def _lives(deaths: list[int], alive: int) -> list[dict]:
    return ([{"lifespan_days": d, "censored": False} for d in deaths]
            + [{"lifespan_days": HORIZON, "censored": True}] * alive)


def test_a_median_on_a_flat_half_is_reported_as_a_range():
    flat = _lives([296] * 5, 5)  # half the groups die on day 296, the rest live to the horizon
    curve = kaplan_meier(np.array([s["lifespan_days"] for s in flat], float),
                         np.array([not s["censored"] for s in flat]))
    assert curve.median_range() == (296.0, float("inf"))
    assert kaplan_meier(np.array([296.0] * 5 + [400.0] * 5), np.ones(10, bool)).median_range() == (296.0, 400.0)
    clear = kaplan_meier(np.array([100.0] * 3 + [200.0] * 3 + [HORIZON] * 4), np.array([True] * 6 + [False] * 4))
    assert clear.median_range() == (200.0, 200.0)

    rs = _rs([_arm("none", _lives([100, 200, 300, 400, 500, 600], 4)), _arm("flat", flat)], ["lifespan_days"])
    rows = comparison_rows(rs)
    life = next(r for r in rows if r.arm == "flat" and r.metric == "lifespan_days")
    assert life.median_identified is False and np.isinf(life.median_high)
    text = arm_sentence(rs, "flat", rows)
    assert "between day 296 and beyond day 730" in text, text
    assert "median lifespan 296 days" not in text, text
    fig = survival_figure({"none": kaplan_meier(np.array([500.0] * 10), np.ones(10, bool)), "flat": curve},
                          ["none", "flat"], "none", HORIZON, "t")
    labels = [t.get_text() for legend in fig.legends for t in legend.get_texts()]
    assert any("between day 296 and beyond day 730" in s for s in labels), labels
    said = titles.survival_title(rows, {"none": curve, "flat": curve}, "none", HORIZON)
    assert "296 days" not in said or "between" in said, said


def test_lifespan_differences_beyond_the_horizon_are_empty_with_a_reason():
    rs = _rs([_arm("none", _lives([], 10)), _arm("alive", _lives([], 10)),
              _arm("short", _lives([100, 200, 296, 296, 296, 296], 4))], ["lifespan_days"])
    rows = {r.arm: r for r in comparison_rows(rs) if r.metric == "lifespan_days"}
    for arm in ("alive", "short"):
        r = rows[arm]
        assert np.isnan(r.difference) and np.isnan(r.difference_low) and np.isnan(r.difference_high), r
    assert rows["alive"].measurable == "both alive beyond the horizon"
    assert "beyond the horizon" in rows["short"].measurable and "-434" in rows["short"].measurable
    table = comparison_table(list(rows.values()))
    assert "measurable" in table


def test_the_survival_caption_states_the_rule_the_code_applies():
    said = FIGURE_CAPTIONS["survival"]
    m = re.search(r"under max\(([\d.]+), (\d+)% of the highest (\d+)-day mean[^)]*\) for (\d+) days", said)
    assert m, said
    floor, share, window, days = float(m[1]), float(m[2]) / 100, int(m[3]), int(m[4])
    peak = 40.0
    launch = np.full(window + 10, peak)  # a 90-day (window) mean of 40 a day
    level = max(floor, share * peak)
    for quiet, dead in ((level * 0.9, True), (level * 1.1, False)):
        active = np.concatenate([launch, np.full(days * 3, quiet)])
        _, censored = lifespan(active)
        assert censored is (not dead), (quiet, level)
    # Quiet for one day fewer than the caption says: not dead yet.
    active = np.concatenate([launch, np.full(days + 13 - 1, level * 0.9)])  # 13: the 14-day mean's lag
    assert lifespan(active)[1] is True
