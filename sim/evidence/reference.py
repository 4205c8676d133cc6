"""The published statistics of the reference communities (shared/data/README.md), as data: the
numbers the model is calibrated on and checked against, kept in the code so that a check needs
nothing outside the project. ``sim.evidence.statistics`` reproduces them from the message logs
(tests/test_evidence.py).

Sources: freeCodeCamp Gitter rooms (freeCodeCamp/open-data, BSD-3-Clause), the DSpace/Fedora
developers' IRC channel (duraspace/irclogs, CC BY 4.0), Beer, Wine & Spirits Stack Exchange
(CC BY-SA 3.0); Joyce & Kraut (2006) for Usenet newcomers.
"""

from __future__ import annotations

# Statistic -> value, per dataset (measured on all of its rooms/threads, bots dropped).
REFERENCE: dict[str, dict[str, float]] = {
    "fcc_gitter_rooms": {
        "top1_share": 0.50, "next9_share": 0.33, "rest90_share": 0.17, "one_message_share": 0.31,
        "still_posting_30d": 0.25, "still_posting_90d": 0.15, "still_posting_365d": 0.04,
        "answered_share": 0.50, "return_answered": 0.56, "return_unanswered": 0.37,
    },
    "duraspace_irc": {
        "top1_share": 0.56, "next9_share": 0.36, "rest90_share": 0.07, "one_message_share": 0.17,
        "still_posting_30d": 0.36, "still_posting_90d": 0.32, "still_posting_365d": 0.20,
        "answered_share": 0.38, "return_answered": 0.49, "return_unanswered": 0.34,
    },
    "beer_se": {
        "top1_share": 0.15, "next9_share": 0.39, "rest90_share": 0.46, "one_message_share": 0.67,
        "still_posting_30d": 0.16, "still_posting_90d": 0.12, "still_posting_365d": 0.06,
        "answered_share": 0.56, "return_answered": 0.24, "return_unanswered": 0.21,
    },
}
# Datasets of many groups whose statistics were measured on all the groups' messages together
# (authors pooled across rooms): a model of one room is compared on the pooled log of several.
POOLED: frozenset[str] = frozenset({"fcc_gitter_rooms"})
# Joyce & Kraut (2006), Usenet: 61% of newcomers answered; 56% vs 44% posted again.
USENET = {"answered_share": 0.61, "return_answered": 0.56, "return_unanswered": 0.44}

# What each statistic means, for tables.
LABELS: dict[str, str] = {
    "top1_share": "share of messages by the top 1% of authors",
    "next9_share": "share of messages by the next 9% of authors",
    "rest90_share": "share of messages by the other 90% of authors",
    "one_message_share": "authors with exactly one message",
    "still_posting_30d": "authors still posting 30 days after their first message",
    "still_posting_90d": "authors still posting 90 days after their first message",
    "still_posting_365d": "authors still posting 365 days after their first message",
    "answered_share": "newcomers answered within 7 days",
    "return_answered": "newcomers answered who post again within 180 days",
    "return_unanswered": "newcomers not answered who post again within 180 days",
}
STATISTICS: tuple[str, ...] = tuple(LABELS)


def span(statistic: str) -> tuple[float, float]:
    """(lowest, highest) value of ``statistic`` across the reference communities."""
    values = [REFERENCE[d][statistic] for d in REFERENCE]
    return min(values), max(values)
