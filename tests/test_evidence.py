"""sim.evidence: message logs and the statistics of /work/shared/data/README.md.

Hand-made logs with answers worked out by hand in the comments, reading errors, and the
README's figures reproduced on the real data (skipped when /work/shared/data is absent).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from sim.evidence import (
    MessageLog,
    group_lifecycles,
    log_statistics,
    newcomer_replies,
    participation_shares,
    read_log,
    read_messages_csv,
    still_posting,
)
from sim.evidence.reference import REFERENCE

# The reference data: beside the checkout, or where COMMUNITY_SIM_DATA says (a worktree elsewhere).
DATA = Path(os.environ.get("COMMUNITY_SIM_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))
HEADER = "timestamp,author,thread,reply_to_author,is_bot\n"


def test_participation_shares_by_hand():
    # 20 authors: author 0 posts 20 messages, author 1 posts 10, authors 2..19 one each: 48 in all.
    # Top 1% = ceil(20/100) = 1 author (20/48); top 10% = ceil(20/10) = 2 authors, so the next 9%
    # is author 1 (10/48) and the other 90% the 18 one-message authors (18/48).
    author = [0] * 20 + [1] * 10 + list(range(2, 20))
    log = MessageLog.from_arrays(np.arange(48.0), author)
    shares = participation_shares(log)
    assert shares["top1_share"] == pytest.approx(20 / 48)
    assert shares["next9_share"] == pytest.approx(10 / 48)
    assert shares["rest90_share"] == pytest.approx(18 / 48)
    assert shares["one_message_share"] == pytest.approx(18 / 20)
    # Gini = sum over ordered pairs |x_i - x_j| / (2 n^2 mean): pairs (1, 10): 18 x 9, (1, 20):
    # 18 x 19, (10, 20): 1 x 10, i.e. 514 unordered, 1028 ordered; 2 n^2 mean = 2 * 400 * 2.4 = 1920
    assert shares["gini"] == pytest.approx(1028 / 1920)
    assert shares["n_authors"] == 20 and shares["n_messages"] == 48


def test_participation_rounds_the_top_groups_up():
    # 30 authors with 30, 29, ..., 1 messages (465): top 1% = ceil(0.3) = 1 author, top 10% =
    # ceil(3) = 3 authors (30 + 29 + 28 = 87), not 4 (0.1 * 30 is 3.0000000000000004 in floats)
    author = np.repeat(np.arange(30), np.arange(30, 0, -1))
    shares = participation_shares(MessageLog.from_arrays(np.arange(465.0), author))
    assert shares["top1_share"] == pytest.approx(30 / 465)
    assert shares["next9_share"] == pytest.approx((29 + 28) / 465)


def small_log() -> MessageLog:
    """Five authors over 400 days, one group, no threads (end_day 400)."""
    rows = [  # (day, author, reply_to)
        (0.0, 0, -1),     # a0 first message
        (5.0, 2, -1),     # a2 first message
        (5.5, 2, 2),      # a2 answers itself: not an answer, and 0.5 days is too soon to "return"
        (7.0, 1, 0),      # a1 first message, a reply to a0 exactly 7 days after a0's first: answered
        (10.0, 0, -1),    # a0 again, 10 days after its first: returned
        (12.5, 3, -1),    # a3 first message
        (20.0, 1, 3),     # a1 again (13 days: returned); reply to a3 after 7.5 days: too late
        (200.0, 3, -1),   # a3 again after 187.5 days: still posting, but past the 180-day window
        (300.0, 4, 1),    # a4 first message, 300 > 400 - 180: not in the return cohort
    ]
    day, author, reply_to = zip(*rows)
    return MessageLog.from_arrays(day, author, reply_to, end_day=400.0)


def test_still_posting_by_hand():
    # first / last day: a0 0 / 10, a1 7 / 20, a2 5 / 5.5, a3 12.5 / 200, a4 300 / 300
    s = still_posting(small_log(), after_days=(10, 30, 180, 365))
    # X=10: all five start by day 390; last - first >= 10 for a0 (exactly 10), a1 (13), a3 (187.5)
    assert s["n_eligible_10d"] == 5 and s["still_posting_10d"] == pytest.approx(3 / 5)
    # X=30: all five eligible (first <= 370); only a3
    assert s["n_eligible_30d"] == 5 and s["still_posting_30d"] == pytest.approx(1 / 5)
    # X=180: a4 (first 300 > 220) is not counted; a3 of a0..a3
    assert s["n_eligible_180d"] == 4 and s["still_posting_180d"] == pytest.approx(1 / 4)
    # X=365: a0..a3 start by day 35; none posts 365 days on
    assert s["n_eligible_365d"] == 4 and s["still_posting_365d"] == 0


def test_newcomer_replies_by_hand():
    r = newcomer_replies(small_log())
    # answered within 7 days: a0 only (a1's reply at day 7); a3's reply came after 7.5 days,
    # a1's after 293 days, a2 only answered itself, a4 never
    assert r["n_newcomers"] == 5 and r["n_answered"] == 1 and r["answered_share"] == pytest.approx(1 / 5)
    # return cohort (first <= 220): a0..a3. Answered: a0, returned. Unanswered: a1 (returned at
    # 13 days), a2 (0.5 days: too soon), a3 (187.5 days: too late)
    assert r["n_return_answered"] == 1 and r["return_answered"] == 1.0
    assert r["n_return_unanswered"] == 3 and r["return_unanswered"] == pytest.approx(1 / 3)
    assert r["n_returned_unanswered"] == 1


def test_a_post_in_the_newcomers_thread_counts_as_an_answer():
    # Q&A: a0 asks in thread 0; a1 answers (a reply to a0) a day later; a2 answers 3 days after
    # the question, 2 days after a1's first message, in a1's thread: a1 is answered too. Nobody
    # posts in thread 0 after a2 (a0's next post, day 20, is in thread 1): a2 is not answered.
    log = MessageLog.from_arrays([0, 1, 3, 20], [0, 1, 2, 0], [-1, 0, 0, -1], thread=[0, 0, 0, 1])
    assert newcomer_replies(log)["n_answered"] == 2
    # without threads (chat) only the replies count: a0
    no_threads = MessageLog.from_arrays([0, 1, 3, 20], [0, 1, 2, 0], [-1, 0, 0, -1])
    assert newcomer_replies(no_threads)["n_answered"] == 1


def test_group_lifecycles_by_hand():
    rows = [  # (day, author, group); censored_after_day = 100
        (0, 0, 0), (10, 1, 0),                        # g0: 2 messages, 2 authors, 0..10: 10 days
        (90, 2, 1), (100, 2, 1), (110, 2, 1),         # g1: 3, 1, 90..110: 20 days, ends after 100: censored
        (0, 0, 2), (30, 0, 2),                        # g2: 2, 1, 30 days
        (70, 1, 3), (80, 2, 3), (90, 3, 3), (110, 4, 3),  # g3: 4, 4, 40 days, censored
        (0, 0, 4), (50, 5, 4),                        # g4: 2, 2, 50 days
    ]
    day, author, group = zip(*rows)
    g = group_lifecycles(MessageLog.from_arrays(day, author, group=group, censored_after_day=100.0))
    assert list(g["messages"]) == [2, 3, 2, 4, 2] and list(g["authors"]) == [2, 1, 1, 4, 2]
    assert list(g["lifespan_days"]) == [10, 20, 30, 40, 50]
    assert list(g["censored"]) == [False, True, False, True, False]
    assert g["median_messages"] == 2 and g["median_authors"] == 2
    assert g["median_lifespan_days"] == 30                  # plain median of 10, 20, 30, 40, 50
    # Kaplan-Meier: at 10, 1 of 5 ends (S = 4/5); 20 is censored; at 30, 1 of the 3 at risk ends
    # (S = 4/5 * 2/3 = 8/15 > 1/2); 40 censored; at 50 the last one ends (S = 0): median 50
    assert g["km_median_lifespan_days"] == 50


def test_log_statistics_is_a_flat_dict_of_floats():
    stats = log_statistics(small_log())
    assert all(isinstance(v, float) for v in stats.values())
    for key in ("top1_share", "still_posting_30d", "answered_share", "return_answered",
                "group_median_lifespan_days", "group_km_median_lifespan_days"):
        assert key in stats
    assert stats["group_n_groups"] == 1 and stats["group_median_lifespan_days"] == 300


def test_read_messages_csv(tmp_path):
    path = tmp_path / "messages.csv"
    path.write_text(HEADER + "2015-03-01T12:00:00Z,aa,,,0\n2015-03-02T00:00:00Z,bb,,aa,0\n"
                    "2015-03-02T06:00:00Z,cc,,bb,1\n2015-03-03T18:00:00Z,aa,,bb,0\n")
    log = read_messages_csv(path)
    # day 0 is 2015-03-01 00:00 UTC; the bot row (cc) is dropped; end_day is the last row's day
    assert list(log.day) == [0.5, 1.0, 2.75] and log.end_day == 2.75 and log.epoch == "2015-03-01"
    assert list(log.author) == [0, 1, 0] and list(log.reply_to) == [-1, 0, 1]
    assert list(log.group) == [-1, -1, -1] and log.author_names[:2] == ("aa", "bb")
    assert read_messages_csv(path, drop_bots=False).n_messages == 4


def test_reading_errors_name_the_file_and_line(tmp_path):
    missing = tmp_path / "missing.csv"
    missing.write_text("timestamp,author,thread\n2015-03-01T12:00:00Z,aa,\n")
    with pytest.raises(ValueError, match=r"missing\.csv, line 1: missing required column.*reply_to_author"):
        read_messages_csv(missing)
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "2015-03-01T12:00:00Z,aa,,,0\n2015-13-01T12:00:00Z,bb,,,0\n")
    with pytest.raises(ValueError, match=r"bad\.csv, line 3: bad timestamp '2015-13-01T12:00:00Z'"):
        read_messages_csv(bad)
    short = tmp_path / "short.csv"
    short.write_text(HEADER + "2015-03-01T12:00:00Z,aa,,,0\n2015-03-01T12:00:00Z,aa\n")
    with pytest.raises(ValueError, match=r"short\.csv, line 3: 2 fields"):
        read_messages_csv(short)


# README figures: (statistic key, README value). Tolerances: +-0.02 (the README rounds to two
# decimals) for duraspace_irc and beer_se, whose folders hold the data the README measured;
# fcc_gitter_rooms holds about half the README's 381 rooms, so +-0.06 for shares and +-25% for the
# room medians. fcc's top-1% share (README .50, here .41) is outside that and is left out below:
# it is not reproduced with half the rooms, and its tolerance is not loosened to hide that.
SHARED = ("top1_share", "next9_share", "rest90_share", "one_message_share", "still_posting_30d",
          "still_posting_90d", "still_posting_365d", "answered_share", "return_answered", "return_unanswered")
README = {
    "duraspace_irc": dict(zip(SHARED, (.56, .36, .07, .17, .36, .32, .20, .38, .49, .34))),
    "beer_se": dict(zip(SHARED, (.15, .39, .46, .67, .16, .12, .06, .56, .24, .21))),
    "fcc_gitter_rooms": dict(zip(SHARED[1:], (.33, .17, .31, .25, .15, .04, .50, .56, .37))),
}
FCC_ROOMS = {"group_median_messages": 36, "group_median_authors": 8, "group_median_lifespan_days": 275}


def real_statistics(name: str, **kwargs) -> dict[str, float]:
    path = DATA / name / "messages.csv"
    if not path.exists():
        pytest.skip(f"real data not here: {path} (the shared data folder is absent)")
    return log_statistics(read_messages_csv(path, **kwargs))


@pytest.mark.parametrize("name", ["duraspace_irc", "beer_se"])
def test_readme_figures_reproduced(name):
    stats = real_statistics(name)
    for key, value in README[name].items():
        assert stats[key] == pytest.approx(value, abs=0.02), key


def test_readme_figures_close_on_half_the_fcc_rooms():
    stats = real_statistics("fcc_gitter_rooms", censored_after="2016-09-01")
    for key, value in README["fcc_gitter_rooms"].items():
        assert stats[key] == pytest.approx(value, abs=0.06), key
    for key, value in FCC_ROOMS.items():
        assert stats[key] == pytest.approx(value, rel=0.25), key
    # the README's 275 days is the plain median; the Kaplan-Meier median, treating rooms closed
    # after 2016-09-01 as censored, is much longer
    assert stats["group_km_median_lifespan_days"] > 300 and stats["group_n_censored"] > 0


def test_fcc_archive_gap_is_empty():
    path = DATA / "fcc_gitter_rooms" / "messages.csv"
    if not path.exists():
        pytest.skip(f"real data not here: {path}")
    log = read_messages_csv(path, drop_bots=False)
    # days since the log's epoch of 2015-04-11 00:00 and 2015-06-21 00:00 UTC
    after, before = ((np.datetime64(d) - np.datetime64(log.epoch)).astype(float) for d in ("2015-04-11", "2015-06-21"))
    assert not np.any((log.day >= after) & (log.day < before))


@pytest.mark.parametrize("name", ["fcc_gitter_rooms", "duraspace_irc", "beer_se"])
def test_read_log_reads_the_reference_csvs(name):
    """`read_log` (format told from the file) gives the CSV reader's log, names hashed; on the
    one-group logs every statistic is the published reference value to 0.01."""
    path = DATA / name / "messages.csv"
    if not path.exists():
        pytest.skip(f"real data not here: {path}")
    log, plain = read_log(path), read_messages_csv(path)
    for column in ("day", "author", "reply_to", "group", "thread"):
        assert np.array_equal(getattr(log, column), getattr(plain, column)), column
    assert len(log.author_names) == len(plain.author_names) and not set(log.author_names) & set(plain.author_names)
    if name in ("duraspace_irc", "beer_se"):
        stats = log_statistics(log)
        for key, value in REFERENCE[name].items():
            assert stats[key] == pytest.approx(value, abs=0.01), key
