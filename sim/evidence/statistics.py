"""Member- and group-level statistics of a `MessageLog`, as /work/shared/data/README.md reports them.

All times are in days (floats) and every window is elapsed time, not calendar days. The
definitions below were chosen because they reproduce the README's figures for ``duraspace_irc``
and ``beer_se`` (whose folders hold the data the README measured); each function's docstring
states its definition. Everything is vectorised over messages (no per-message Python loops).

The fcc_gitter archive has a gap (no room has a message between 2015-04-10 and 2015-06-21).
No statistic treats it specially, because it touches almost nothing: before it lie 206 of the
76,701 member messages here, 3 rooms (all of which go on after it, so their lifespans rightly
include it: the rooms existed) and the first messages of 22 of 4,131 authors (whose
still-posting and return windows partly fall in it). Dropping those 22 authors moves the
still-posting and return shares by less than 0.005, and nothing suggests the README cut them.
A log with a real gap in a large share of its data would need the gap cut from every window.
"""

from __future__ import annotations

import numpy as np

from .logs import MessageLog

AFTER_DAYS = (30, 90, 365)


def _n_codes(log: MessageLog) -> int:
    """Size of the author code space (authors and the authors they reply to)."""
    if log.n_messages == 0:
        return 0
    return int(max(log.author.max(), log.reply_to.max())) + 1


def _first_last(log: MessageLog) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per author code: index of the first message (-1 if none), first day and last day (NaN if none)."""
    n = _n_codes(log)
    first_index = np.full(n, -1, np.int64)
    first_day = np.full(n, np.nan)
    last_day = np.full(n, np.nan)
    codes, first = np.unique(log.author, return_index=True)
    _, last_from_end = np.unique(log.author[::-1], return_index=True)
    first_index[codes] = first
    first_day[codes] = log.day[first]
    last_day[codes] = log.day[log.n_messages - 1 - last_from_end]
    return first_index, first_day, last_day


def _share(flags: np.ndarray) -> float:
    return float(flags.mean()) if len(flags) else float("nan")


def gini(values: np.ndarray) -> float:
    """Gini coefficient of non-negative values: mean absolute difference over twice the mean."""
    x = np.sort(np.asarray(values, dtype=np.float64))
    n, total = len(x), x.sum()
    if n == 0 or total == 0:
        return float("nan")
    rank = np.arange(1, n + 1)
    return float(2.0 * (rank * x).sum() / (n * total) - (n + 1) / n)


def participation_shares(log: MessageLog) -> dict[str, float]:
    """How unequally messages are spread over authors (authors with at least one message).

    Authors are ranked by message count; the top 1% are the ``ceil(n / 100)`` most active, the top
    10% the ``ceil(n / 10)`` most active (ties broken arbitrarily; this rounding reproduces the
    README). ``top1_share``, ``next9_share``, ``rest90_share``: their shares of all messages.
    ``one_message_share``: share of authors with exactly one message. ``gini``: of messages per
    author. Also ``n_authors`` and ``n_messages``.
    """
    counts = np.bincount(log.author) if log.n_messages else np.zeros(0, np.int64)
    counts = np.sort(counts[counts > 0])[::-1]
    n, total = len(counts), counts.sum()
    top1, top10 = -(-n // 100), -(-n // 10)
    share = (lambda part: float(part.sum() / total)) if total else (lambda part: float("nan"))
    return {"top1_share": share(counts[:top1]), "next9_share": share(counts[top1:top10]),
            "rest90_share": share(counts[top10:]), "one_message_share": _share(counts == 1),
            "gini": gini(counts), "n_authors": float(n), "n_messages": float(total)}


def still_posting(log: MessageLog, after_days: tuple[float, ...] = AFTER_DAYS) -> dict[str, float]:
    """Share of authors still posting X days after their first message, for each X (days).

    Still posting after X days: the author's last message is at least X days (elapsed) after the
    first. Counted only over authors whose first message is at least X days before
    ``log.end_day``. Keys ``still_posting_{X}d`` (share) and ``n_eligible_{X}d`` (authors counted).
    """
    _, first, last = _first_last(log)
    posted = ~np.isnan(first)
    out: dict[str, float] = {}
    for x in after_days:
        eligible = posted & (first <= log.end_day - x)
        out[f"still_posting_{x:g}d"] = _share((last - first)[eligible] >= x)
        out[f"n_eligible_{x:g}d"] = float(eligible.sum())
    return out


def _thread_response(log: MessageLog, first_index: np.ndarray, within_days: float) -> np.ndarray:
    """Per author code: did another author post in the thread of its first message, 0..within_days later?

    Messages are keyed by (thread, position in the log) and by (thread, author, position); two
    binary searches per newcomer count all messages and its own messages in its thread's window.
    """
    n, m = len(first_index), log.n_messages
    answered = np.zeros(n, bool)
    who = np.flatnonzero((first_index >= 0) & (log.thread[np.maximum(first_index, 0)] >= 0))
    if len(who) == 0:
        return answered
    start = first_index[who]
    thread, day = log.thread[start], log.day[start]
    lo = np.searchsorted(log.day, day, side="left")
    hi = np.searchsorted(log.day, day + within_days, side="right")
    position = np.arange(m, dtype=np.int64)
    key = np.sort(log.thread * m + position)
    in_thread = np.searchsorted(key, thread * m + hi) - np.searchsorted(key, thread * m + lo)
    width = int(log.author.max()) + 1
    own_key = np.sort((log.thread * width + log.author) * m + position)
    base = (thread * width + who) * m
    own = np.searchsorted(own_key, base + hi) - np.searchsorted(own_key, base + lo)
    answered[who] = in_thread > own
    return answered


def answered_within(log: MessageLog, within_days: float = 7) -> np.ndarray:
    """Per author code: was the author answered within ``within_days`` of its first message?

    Answered: within 0..within_days days (elapsed, both ends included) after the author's first
    message, another author either sent a message replying to it (``reply_to``, any thread or
    group), or posted in the thread of its first message (only where the log has threads). Codes
    with no message are False.
    """
    first_index, first, _ = _first_last(log)
    answered = np.zeros(len(first), bool)
    replies = (log.reply_to >= 0) & (log.reply_to != log.author)
    target = log.reply_to[replies]
    delay = log.day[replies] - first[target]     # NaN for an author who never posted: never True
    answered[target[(delay >= 0) & (delay <= within_days)]] = True
    return answered | _thread_response(log, first_index, within_days)


def newcomer_replies(log: MessageLog, within_days: float = 7,
                     return_window: tuple[float, float] = (1, 180)) -> dict[str, float]:
    """Are newcomers answered, and do answered newcomers come back more often?

    Newcomer: every author, at its first message in the log. ``answered_share``: share of
    newcomers answered within ``within_days`` (see `answered_within`; not limited to newcomers
    whose first message is ``within_days`` before the end, as in the README). Return: the
    newcomer posts again (any message, the same thread included) between ``return_window[0]`` and
    ``return_window[1]`` days (elapsed, inclusive) after the first message; counted among
    newcomers whose first message is at least ``return_window[1]`` days before ``log.end_day``.
    ``return_answered`` / ``return_unanswered``: return rates of the answered / unanswered ones;
    ``n_*`` keys are the counts behind each share.
    """
    _, first, _ = _first_last(log)
    newcomer = ~np.isnan(first)
    answered = answered_within(log, within_days) & newcomer
    since = log.day - first[log.author]
    returned = np.zeros(len(first), bool)
    returned[log.author[(since >= return_window[0]) & (since <= return_window[1])]] = True
    cohort = newcomer & (first <= log.end_day - return_window[1])
    return {"answered_share": _share(answered[newcomer]), "n_newcomers": float(newcomer.sum()),
            "n_answered": float(answered.sum()),
            "return_answered": _share(returned[cohort & answered]),
            "return_unanswered": _share(returned[cohort & ~answered]),
            "n_return_answered": float((cohort & answered).sum()),
            "n_return_unanswered": float((cohort & ~answered).sum()),
            "n_returned_answered": float((returned & cohort & answered).sum()),
            "n_returned_unanswered": float((returned & cohort & ~answered).sum())}


def km_median(durations: np.ndarray, censored: np.ndarray) -> float:
    """Kaplan-Meier median (days): the smallest duration where the survival estimate is <= 0.5.

    ``censored`` marks durations whose end was not observed. NaN when the estimate never drops
    to 0.5 (more than half censored before any end) or there are no durations.
    """
    durations = np.asarray(durations, dtype=np.float64)
    censored = np.asarray(censored, dtype=bool)
    if len(durations) == 0 or censored.all():
        return float("nan")
    from scipy import stats  # (here: SciPy takes 0.5 s to import and only this estimate needs it)

    data = stats.CensoredData(uncensored=durations[~censored], right=durations[censored])
    sf = stats.ecdf(data).sf
    below = np.flatnonzero(sf.probabilities <= 0.5 + 1e-12)
    return float(sf.quantiles[below[0]]) if len(below) else float("nan")


def group_lifecycles(log: MessageLog) -> dict[str, object]:
    """Per-group size and lifespan, and their medians (a one-group log counts as one group).

    Per group (arrays, ordered by group code): ``group``, ``messages``, ``authors`` (distinct),
    ``first_day``, ``last_day``, ``lifespan_days`` (last minus first message, days) and
    ``censored`` (its last message is after ``log.censored_after_day``: its end was not its own).
    Medians: ``median_messages``, ``median_authors``, ``median_lifespan_days`` (plain median,
    censored groups at their observed lifespan) and ``km_median_lifespan_days`` (Kaplan-Meier,
    censored groups as right-censored). The plain median is the one that reproduces the README's
    275 days for fcc_gitter (276 on the rooms here; the Kaplan-Meier median is about 322).
    """
    codes, first, inverse, messages = np.unique(log.group, return_index=True, return_inverse=True,
                                                return_counts=True)
    _, last_from_end = np.unique(log.group[::-1], return_index=True)
    last = log.n_messages - 1 - last_from_end
    width = int(log.author.max(initial=0)) + 1
    pairs = np.unique(inverse.ravel() * width + log.author)      # distinct (group, author)
    authors = np.bincount(pairs // width, minlength=len(codes))
    first_day, last_day = log.day[first], log.day[last]
    lifespan = last_day - first_day
    cutoff = log.censored_after_day
    censored = last_day > cutoff if cutoff is not None else np.zeros(len(codes), bool)
    median = (lambda x: float(np.median(x))) if len(codes) else (lambda x: float("nan"))
    return {"group": codes, "messages": messages, "authors": authors, "first_day": first_day,
            "last_day": last_day, "lifespan_days": lifespan, "censored": censored,
            "n_groups": float(len(codes)), "n_censored": float(censored.sum()),
            "median_messages": median(messages), "median_authors": median(authors),
            "median_lifespan_days": median(lifespan),
            "km_median_lifespan_days": km_median(lifespan, censored)}


def log_statistics(log: MessageLog, after_days: tuple[float, ...] = AFTER_DAYS, within_days: float = 7,
                   return_window: tuple[float, float] = (1, 180)) -> dict[str, float]:
    """All the statistics above in one flat dict of floats (stable keys; NaN where undefined).

    Group keys are prefixed ``group_`` (``group_median_messages``, ``group_km_median_lifespan_days``,
    ``group_n_groups``...); per-group arrays are left out (see `group_lifecycles`).
    """
    out: dict[str, float] = {}
    out.update(participation_shares(log))
    out.update(still_posting(log, after_days))
    out.update(newcomer_replies(log, within_days, return_window))
    groups = group_lifecycles(log)
    out.update({f"group_{k}": float(v) for k, v in groups.items() if np.ndim(v) == 0})
    return out
