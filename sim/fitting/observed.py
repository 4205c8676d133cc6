"""What the fit compares: a group's own message log read into a `MessageLog` (one room, days
counted from its first message), its daily active authors, and the summary statistics measured
the same way on the real log and on every simulated one.

Statistics (all pure functions of a `MessageLog` and the span in days):
``active_w0..active_w{WINDOWS-1}``: mean distinct authors a day in each of ``WINDOWS`` equal
windows of the span (the group's size and trend); ``messages_per_author_day``: messages per
active author-day (how talkative the active are); ``top1_share``, ``next9_share``,
``one_message_share``, ``still_posting_30d``, ``answered_share``: the member statistics of
``sim.evidence.log_statistics`` (see there). An undefined statistic (no authors) is ``MISSING``,
far from any share, so an empty simulated log never matches a real one.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from ..evidence import MessageLog, log_statistics, one_group, read_log
from ..scenario import ScenarioError

WINDOWS = 8
MEMBER_STATISTICS = ("top1_share", "next9_share", "one_message_share", "still_posting_30d", "answered_share")
MISSING = -1.0


def read_group_log(path: str | Path, group: str | None = None, fmt: str | None = None) -> MessageLog:
    """One group's messages from its export (any format `sim.evidence.read_log` reads: Telegram,
    WhatsApp, Discord, Slack or a ``messages.csv``; ``fmt`` None = detected), bots dropped,
    days counted from midnight UTC of its first message, ``end_day`` its last message. A
    many-group file needs ``group``; an unknown group, or a malformed file, is a `ScenarioError`
    naming the file (and line)."""
    try:
        log = one_group(path, read_log(path, fmt), group)
    except OSError as exc:
        raise ScenarioError(str(path), "", f"cannot read the log: {exc.strerror or exc}; allowed a chat export "
                            "or a messages.csv (timestamp, author[, thread, reply_to_author])") from None
    except ValueError as exc:
        raise ScenarioError(str(path), "", str(exc).removeprefix(f"{path}, ").removeprefix(f"{path}: ")) from None
    if log.n_messages == 0:
        raise ScenarioError(str(path), "", "no messages after dropping bots")
    start = math.floor(log.day[0])  # threads are dropped: the model's log has none (like with like)
    return MessageLog.from_arrays(log.day - start, log.author, log.reply_to, end_day=float(log.day[-1] - start),
                                  name=log.name)


def span_days(log: MessageLog) -> int:
    """Whole days the log covers, from day 0 through the day of its last message."""
    return int(math.floor(log.end_day)) + 1


def truncate(log: MessageLog, days: int) -> MessageLog:
    """The messages of the first ``days`` days (a fit on the start of a group's life)."""
    kept = log.select(log.day < days)
    return MessageLog.from_arrays(kept.day, kept.author, kept.reply_to, end_day=float(days) - 1e-9, name=log.name)


def daily_active(day: np.ndarray, author: np.ndarray, days: int) -> np.ndarray:
    """Distinct authors on each of days 0..days-1 (messages at or after ``days`` are ignored)."""
    d = np.floor(np.asarray(day)).astype(np.int64)
    keep = (d >= 0) & (d < days)
    width = int(np.max(author, initial=0)) + 1
    pairs = np.unique(d[keep] * width + np.asarray(author)[keep])
    return np.bincount(pairs // width, minlength=days).astype(np.float64)


def statistic_names() -> list[str]:
    """The summary statistics' keys, in a fixed order."""
    return [f"active_w{i}" for i in range(WINDOWS)] + ["messages_per_author_day", *MEMBER_STATISTICS]


def summary_statistics(log: MessageLog, days: int) -> dict[str, float]:
    """The fit's statistics of ``log`` over days 0..days-1 (see the module docstring)."""
    active = daily_active(log.day, log.author, days)
    windows = np.array_split(active, WINDOWS)
    out = {f"active_w{i}": float(w.mean()) for i, w in enumerate(windows)}
    author_days = active.sum()
    out["messages_per_author_day"] = float(np.sum(log.day < days) / author_days) if author_days else MISSING
    stats = log_statistics(log, after_days=(30,)) if log.n_messages else {}
    for name in MEMBER_STATISTICS:
        value = stats.get(name, math.nan)
        out[name] = float(value) if math.isfinite(value) else MISSING
    return out


def weighted_quantile(x: np.ndarray, weights: np.ndarray, q: float) -> float:
    """The smallest value of ``x`` whose weighted cumulative share reaches ``q`` (0-1)."""
    x, weights = np.asarray(x, dtype=np.float64), np.asarray(weights, dtype=np.float64)
    order = np.argsort(x, kind="stable")
    cum = np.cumsum(weights[order])
    return float(x[order][min(int(np.searchsorted(cum, q * cum[-1])), len(x) - 1)])
