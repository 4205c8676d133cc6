"""Words no firmer than the data: an exploration ranks two factors only when their 95% intervals
do not overlap, calls a factor "hardly mattering" only when its whole interval lies under the
noise floor, and says that lifespans are cut off at the horizon; a diagnosis's sentences carry
the counts and the "too few to tell" flag the table has, a top-1% of one person says so, and
diagnosis.json holds null with a reason wherever the page says "not measurable"."""

from __future__ import annotations

import json
import re
import textwrap

import numpy as np
import pytest

from helpers import SCENARIOS
from sim.diagnosis import diagnose_log, findings
from sim.diagnosis.report import _table_html, diagnosis_json
from sim.evidence import MessageLog
from sim.evidence.formats import Export
from sim.explore import load_exploration
from sim.explore.analysis import IndexRow, indices, order_is_clear, point_means
from sim.explore.report import explore_files, metric_sentence
from sim.results.folders import ArmResults, ResultSet, RunRef

FACTORS = ("strategy.moderation", "strategy.selling.price_yuan", "behaviour.leaving.leave_rate")


@pytest.fixture
def study(tmp_path):
    path = tmp_path / "study.yaml"
    path.write_text(f"base: {SCENARIOS / 'baseline.yaml'}\n" + textwrap.dedent("""
        method: morris
        samples: 4
        replicates: 2
        days: 730
        metrics: [total_revenue, lifespan_days]
        factors:
          strategy.moderation: [0.2, 1.0]
          strategy.selling.price_yuan: [0, 100]
          behaviour.leaving.leave_rate: [0.005, 0.02]
    """), encoding="utf-8")
    return load_exploration(path)


def _rows(metric: str, mu: list[tuple[float, float, float]]) -> list[IndexRow]:
    """mu* rows (value, low, high) for FACTORS, ranked by value."""
    order = np.argsort([-v for v, _, _ in mu], kind="stable")
    rank = {int(i): k + 1 for k, i in enumerate(order)}
    return [IndexRow(metric, f, "assumption" if f.startswith("behaviour") else "lever", "mu_star", v, lo, hi, rank[i])
            for i, (f, (v, lo, hi)) in enumerate(zip(FACTORS, mu))]


def test_overlapping_intervals_are_not_ranked_and_separate_ones_are(study):
    # the review's figures: moderation 45,119 (0 to 113,600), price 30,681 (5,575 to 55,788)
    overlapping = _rows("total_revenue", [(45119, 0, 113600), (30681, 5575, 55788), (500, 0, 900)])
    assert not order_is_clear(overlapping[0], overlapping[1])
    text = metric_sentence("total_revenue", overlapping, study, noise_floor=1000.0)
    assert "matters most" not in text and "comes second" not in text, text
    assert "have the largest effects" in text and "order is not clear at this sample size" in text, text
    separate = _rows("total_revenue", [(45119, 40000, 50000), (30681, 25000, 36000), (500, 0, 900)])
    assert order_is_clear(separate[0], separate[1])
    text = metric_sentence("total_revenue", separate, study, noise_floor=1000.0)
    assert "strategy.moderation" in text.split("matters most")[0] and "comes second" in text, text
    # no interval (a single elementary effect): no order either
    bare = _rows("total_revenue", [(45119, np.nan, np.nan), (30681, np.nan, np.nan), (500, np.nan, np.nan)])
    assert not order_is_clear(bare[0], bare[1])


def test_hardly_mattering_needs_the_whole_interval_under_the_noise_floor(study):
    wide = _rows("lifespan_days", [(400, 300, 500), (350, 250, 450), (12, 0, 260)])
    text = metric_sentence("lifespan_days", wide, study, noise_floor=187.0)
    assert "Hardly mattering" not in text, text
    assert "not distinguishable from noise at this sample size" in text and "leave_rate" in text, text
    narrow = _rows("lifespan_days", [(400, 300, 500), (350, 250, 450), (12, 0, 30)])
    text = metric_sentence("lifespan_days", narrow, study, noise_floor=187.0)
    assert "Hardly mattering" in text and "leave_rate" in text.split("Hardly mattering")[1], text
    assert "not distinguishable" not in text, text


def test_the_page_says_how_many_lifespans_were_cut_off_at_the_horizon(study, tmp_path):
    # a point's lifespan: day 730 (alive at the horizon) in 3 of every 4 runs
    arms = []
    for i, a in enumerate(study.experiment.arms):
        runs = [RunRef(a.name, rep, rep, f"{a.name}-{rep}", "ok", tmp_path,
                       {"lifespan_days": 730 if (2 * i + rep) % 4 else 400, "censored": bool((2 * i + rep) % 4),
                        "total_revenue": 1000.0 * i}) for rep in range(2)]
        arms.append(ArmResults(a.name, a.overrides, runs))
    rs = ResultSet("t", "", "base", arms, "s0001", ["total_revenue", "lifespan_days"], 1, 730, 2, [])
    points = point_means(study, rs)
    total = 2 * len(arms)
    alive = sum(1 for a in arms for r in a.runs if r.summary["censored"])
    assert points.censored["lifespan_days"] == (alive, total)
    rows, notes = indices(study, points.means)
    files, sentences = explore_files(study, points, rows, notes)
    page = files["explore.html"].decode()
    said = next(s for s in sentences if s.startswith("For lifespan"))
    for text in (said, page):
        assert f"{alive} of {total} runs were alive at day 730" in text and "a lower bound" in text, text
        assert "understated" in text, text
    assert not any("alive at day" in s for s in sentences if not s.startswith("For lifespan"))


def group(seed: int, members: int, days: int) -> MessageLog:
    """``members`` each post 1-6 times over the first half of ``days``; a reply to every other
    first message the next day; member 0 posts once more at the end."""
    rng = np.random.default_rng(seed)
    rows = []
    for m in range(members):
        times = np.sort(rng.uniform(0, days / 2, rng.integers(1, 7)))
        rows += [(t, m, -1) for t in times]
        if m % 2:
            rows.append((times[0] + 1, (m + 1) % members, m))
    rows.append((days - 1.0, 0, -1))
    day, author, reply = map(np.asarray, zip(*rows))
    log = MessageLog.from_arrays(day, author, reply, end_day=float(days - 1))
    return MessageLog(log.day, log.author, log.reply_to, log.group, log.end_day, epoch="2023-01-01")


def test_the_return_sentence_carries_the_counts_and_the_too_few_flag():
    d = diagnose_log(group(1, 35, 400))
    # the Madrid room's counts: 6 of 12 answered came back, 4 of 13 not answered
    d["newcomers"].update(n_return_answered=12.0, n_returned_answered=6.0, return_answered=0.5,
                          n_return_unanswered=13.0, n_returned_unanswered=4.0, return_unanswered=4 / 13)
    text = next(s for s in findings(d) if "came back" in s and "as often" in s)
    assert "6 of 12" in text and "4 of 13" in text and "too few to tell" in text, text
    assert "too few to tell" in _table_html(d).split("answered newcomers who came back")[1].split("</tr>")[0]


def test_a_top_one_percent_of_one_person_says_its_real_share_and_is_not_placed():
    d = diagnose_log(group(2, 35, 400))
    assert d["participation"]["n_authors"] == 35
    text = next(s for s in findings(d) if "sent" in s and "of the messages" in s)
    assert "1 of 35 members" in text and "2.9%" in text, text
    assert not re.search(r"\((within|below|above) their range\)", text), text
    assert "one person" in text and "too few to compare" in text, text


def test_the_json_holds_null_and_a_reason_where_the_page_says_not_measurable():
    log = group(3, 40, 300)  # a 300-day log: nobody can be followed for 365 days
    d = diagnose_log(log)
    out = json.loads(json.dumps(diagnosis_json(d, Export(log, "csv"), [])))
    assert out["retention"]["still_posting_365d_km"] is None
    assert "300" in out["retention"]["still_posting_365d_km_reason"]
    assert out["still_posting"]["still_posting_365d"] is None and out["still_posting"]["still_posting_365d_reason"]
    assert isinstance(out["retention"]["still_posting_30d_km"], float)
    assert "still_posting_30d_km_reason" not in out["retention"]
    row = _table_html(d).split("... 365 days after")[1].split("</tr>")[0]
    assert "not measurable" in row and out["still_posting"]["still_posting_365d_reason"] in row.replace("&#x27;", "'")
