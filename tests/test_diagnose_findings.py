"""The diagnosis's sentences and table say what the numbers allow: the numbers in the sentences
are the measured ones, "within/below/above" follows the value against the reference range, a
share resting on fewer than 20 people or a log too short to compare is flagged (sentences and
the HTML table), and newcomers whose answer week is cut short by the log's end are pointed out."""

from __future__ import annotations

import re

import numpy as np
import pytest

from sim.diagnosis import diagnose_log, findings
from sim.diagnosis.findings import reference_span
from sim.diagnosis.report import _table_html
from sim.evidence import MessageLog


def group(seed: int, members: int, days: int, top_posts: int = 0, late: int = 0, answered: float = 1.0) -> MessageLog:
    """``members`` each post 1-6 times over ``days`` days (a reply to each first message the next
    day from another member, at random, with chance ``answered``); member 0 also posts ``top_posts`` more; ``late`` newcomers post once in the
    last 3 days, unanswered."""
    rng = np.random.default_rng(seed)
    rows = []
    for m in range(members):
        times = np.sort(rng.uniform(0, days - 8, rng.integers(1, 7)))
        rows += [(t, m, -1) for t in times]
        if rng.random() < answered:
            rows.append((times[0] + 1, (m + rng.integers(1, members)) % members, m))
    rows += [(float(t), 0, -1) for t in rng.uniform(0, days - 1, top_posts)]
    rows += [(days - 1 - rng.uniform(0, 3), members + k, -1) for k in range(late)]
    day, author, reply = map(np.asarray, zip(*rows))
    log = MessageLog.from_arrays(day, author, reply, end_day=float(days - 1))
    return MessageLog(log.day, log.author, log.reply_to, log.group, log.end_day, epoch="2023-01-01")


def sentence(d: dict, start: str) -> str:
    return next(s for s in findings(d) if s.startswith(start))


@pytest.mark.parametrize("seed, top_posts", [(1, 0), (2, 400), (3, 4000)])
def test_the_top_share_sentence_gives_the_measured_share_and_its_place_in_the_range(seed, top_posts):
    d = diagnose_log(group(seed, 150, 365, top_posts))
    text = sentence(d, "The most active 1%")
    share = d["participation"]["top1_share"]
    assert f"sent {100 * share:.0f}% of the messages" in text
    lo, hi = reference_span("top1_share")
    expected = "within" if lo <= round(share, 2) <= hi else "below" if share < lo else "above"
    assert f"({expected} their range)" in text


def test_the_three_positions_all_occur_across_the_groups():
    places = {re.search(r"\((within|below|above) their range\)", sentence(diagnose_log(group(s, 150, 365, t)),
                                                                          "The most active 1%")).group(1)
              for s, t in ((1, 0), (2, 400), (3, 4000))}
    assert places == {"within", "below", "above"}


def test_a_short_log_is_not_set_against_the_references():
    short, long_ = diagnose_log(group(4, 150, 60, 400)), diagnose_log(group(4, 150, 365, 400))
    assert "not placed against their range" in sentence(short, "The most active 1%")
    assert any(s.startswith("This log covers only 60 days") for s in findings(short))
    assert any("not like with like" in s for s in findings(short))
    assert not any("covers only" in s or "not like with like" in s for s in findings(long_))
    assert "not like with like" in _table_html(short) and "not like with like" not in _table_html(long_)


def test_few_people_are_flagged_in_the_sentences_and_the_table():
    few, many = diagnose_log(group(5, 12, 365)), diagnose_log(group(5, 150, 365))
    assert any(s.startswith("Only 12 members have posted") for s in findings(few))
    assert any("only 12 newcomers: too few to tell" in s for s in findings(few))
    table = _table_html(few)
    assert "<td class='num'>12</td>" in table and table.count("too few to tell") >= 5
    assert "too few to tell" not in _table_html(many).split("newcomers answered")[0]


def test_newcomers_with_a_cut_short_week_are_pointed_out():
    d = diagnose_log(group(6, 100, 365, late=30))
    assert d["newcomers"]["n_newcomers_last_7d"] >= 30
    assert any("came in the log's last 7 days" in s for s in findings(d))
    assert not any("came in the log's last 7 days" in s for s in findings(diagnose_log(group(6, 100, 365))))


@pytest.mark.parametrize("seed", [7, 8])
def test_the_newcomer_sentences_give_the_measured_shares(seed):
    d = diagnose_log(group(seed, 200, 730, answered=0.5))
    c = d["newcomers"]
    unanswered = next(s for s in findings(d) if "got no answer in their first week" in s)
    assert unanswered.startswith(f"{round(10 * (1 - c['answered_share'])):.0f} of 10 newcomers")
    back = sentence(d, "Newcomers who got an answer")
    assert f"{100 * c['return_answered']:.0f}% of the time" in back
    assert f"none {100 * c['return_unanswered']:.0f}%" in back
