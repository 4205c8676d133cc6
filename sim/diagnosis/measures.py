"""What a group's message log says about it, as pure functions of a `MessageLog`: the daily
series (messages, active members, newcomers, 14-day means), participation inequality, whether
newcomers are answered and come back, member retention (Kaplan-Meier), the weekly and daily
rhythm, and whether the group is alive by the model's death rule (``sim.run.metrics.lifespan``,
reused, not re-implemented). Times are UTC days; the statistics are those of ``sim.evidence``.
"""

from __future__ import annotations

import warnings

import numpy as np
from scipy import stats

from ..evidence import MessageLog, newcomer_replies, participation_shares, still_posting
from ..run.metrics import DEAD_FOR_DAYS, SMOOTH_DAYS, death_floor, lifespan, moving_mean

RETENTION_CENSOR_DAYS = 30  # a member whose last message is this close to the log's end may still be posting
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def daily_series(log: MessageLog) -> dict[str, np.ndarray]:
    """Per calendar day (UTC) from the first message's date to the last's: ``date`` (ISO),
    ``messages``, ``active_members`` (distinct authors), ``new_members`` (authors' first
    messages), their 14-day trailing means, and the model's death ``floor`` for that day."""
    index = np.floor(log.day).astype(np.int64)
    n_days = int(np.floor(log.end_day)) + 1
    messages = np.bincount(index, minlength=n_days)
    width = int(log.author.max()) + 1
    pairs = np.unique(index * width + log.author)
    active = np.bincount(pairs // width, minlength=n_days)
    _, first = np.unique(log.author, return_index=True)
    new = np.bincount(index[first], minlength=n_days)
    dates = np.datetime64(log.epoch or "1970-01-01", "D") + np.arange(n_days)
    return {"date": dates.astype(str), "messages": messages, "active_members": active, "new_members": new,
            "messages_14d_mean": moving_mean(messages, SMOOTH_DAYS),
            "active_members_14d_mean": moving_mean(active, SMOOTH_DAYS),
            "death_floor": death_floor(active)}


def alive(daily: dict[str, np.ndarray]) -> dict[str, object]:
    """The model's death rule on the daily active members. A real group can come back, so the
    rule is read twice: ``first_death`` (ISO date or None) is where `lifespan` ends the group;
    ``alive`` is whether the group is alive at the log's end (the rule applied to the final run
    of days below the floor), and ``dead_since`` the first day of that run when it is not."""
    active = daily["active_members"]
    life, censored = lifespan(active)
    below = moving_mean(active, SMOOTH_DAYS) < death_floor(active)
    run = int(np.argmin(below[::-1])) if not below.all() else len(below)  # days below the floor at the end
    dead = run >= DEAD_FOR_DAYS
    return {"alive": not dead, "dead_since": str(daily["date"][len(below) - run]) if dead else None,
            "first_death": None if censored else str(daily["date"][life]),
            "days_below_floor_at_end": run, "days_observed": int(len(active))}


def retention(log: MessageLog, censor_days: float = RETENTION_CENSOR_DAYS) -> dict[str, object]:
    """Kaplan-Meier curve of how long members keep posting: from each member's first to last
    message (days); members whose last message is within ``censor_days`` of the log's end are
    censored (they may still be posting). ``days``, ``still_posting`` and its 95% ``low``/``high``
    (arrays), ``median_days`` (NaN if more than half remain), ``n_members``, ``n_censored``,
    ``followed_days`` (the longest any member was followed: the curve says nothing past it)."""
    codes, first = np.unique(log.author, return_index=True)
    _, last_from_end = np.unique(log.author[::-1], return_index=True)
    duration = log.day[log.n_messages - 1 - last_from_end] - log.day[first]
    censored = log.day[log.n_messages - 1 - last_from_end] > log.end_day - censor_days
    out: dict[str, object] = {"n_members": int(len(codes)), "n_censored": int(censored.sum()),
                              "censor_days": float(censor_days), "followed_days": float(duration.max())}
    if censored.all():
        return {**out, "days": np.zeros(1), "still_posting": np.ones(1), "low": np.ones(1), "high": np.ones(1),
                "median_days": float("nan")}
    sf = stats.ecdf(stats.CensoredData(uncensored=duration[~censored], right=duration[censored])).sf
    with warnings.catch_warnings():  # scipy warns where the interval is undefined (the curve at 0): NaN, filled below
        warnings.simplefilter("ignore", RuntimeWarning)
        ci = sf.confidence_interval(0.95)
    days = np.concatenate([[0.0], sf.quantiles])
    at = np.concatenate([[1.0], sf.probabilities])
    low = np.nan_to_num(np.concatenate([[1.0], ci.low.probabilities]), nan=0.0)
    high = np.nan_to_num(np.concatenate([[1.0], ci.high.probabilities]), nan=1.0)
    below = np.flatnonzero(at <= 0.5 + 1e-12)
    return {**out, "days": days, "still_posting": at, "low": low, "high": high,
            "median_days": float(days[below[0]]) if len(below) else float("nan")}


def survival_at(curve: dict[str, object], day: float) -> float:
    """The retention curve's share still posting ``day`` days after the first message; NaN past
    the longest any member was followed (``followed_days``), where the curve is not measured."""
    if day > curve.get("followed_days", np.inf):
        return float("nan")
    days = np.asarray(curve["days"])
    return float(np.asarray(curve["still_posting"])[np.searchsorted(days, day, side="right") - 1])


def rhythm(log: MessageLog) -> dict[str, list[float]]:
    """Share of messages on each weekday (Monday first) and in each hour of the day (UTC)."""
    weekday0 = (np.datetime64(log.epoch or "1970-01-01", "D").astype(np.int64) + 3) % 7  # 1970-01-01 was a Thursday
    day = np.floor(log.day).astype(np.int64)
    weekday = np.bincount((day + weekday0) % 7, minlength=7) / log.n_messages
    hour = np.bincount(np.minimum((log.day - day) * 24, 23.999).astype(np.int64), minlength=24) / log.n_messages
    return {"weekday_share": weekday.tolist(), "hour_share": hour.tolist()}


def late_newcomers(log: MessageLog, within_days: float = 7) -> int:
    """Newcomers whose first message is within ``within_days`` of the log's end: their answer
    window is cut short (``newcomer_replies`` counts them, as the reference figures do)."""
    _, first = np.unique(log.author, return_index=True)
    return int((log.day[first] > log.end_day - within_days).sum())


def has_replies(log: MessageLog) -> bool:
    """Does the log record who answers whom (replies or threads)?"""
    return bool((log.reply_to >= 0).any() or (log.thread >= 0).any())


def diagnose_log(log: MessageLog) -> dict[str, object]:
    """Every measure above for one log, as a dict of plain values and arrays (see report.py)."""
    daily = daily_series(log)
    last = slice(-SMOOTH_DAYS, None)
    activity = {"messages": int(log.n_messages), "members": int(len(np.unique(log.author))),
                "first_date": str(daily["date"][0]), "last_date": str(daily["date"][-1]),
                "days": int(len(daily["date"])),
                "messages_per_day_last_14d": float(daily["messages"][last].mean()),
                "active_members_per_day_last_14d": float(daily["active_members"][last].mean()),
                "peak_active_members_14d_mean": float(daily["active_members_14d_mean"].max()),
                "peak_date": str(daily["date"][int(daily["active_members_14d_mean"].argmax())]),
                "messages_per_active_member_day": float(daily["messages"].sum() / max(1, daily["active_members"].sum()))}
    return {"activity": activity, "alive": alive(daily), "participation": participation_shares(log),
            "newcomers": {**newcomer_replies(log), "replies_recorded": has_replies(log),
                          "n_newcomers_last_7d": late_newcomers(log)},
            "still_posting": still_posting(log), "retention": retention(log), "rhythm": rhythm(log),
            "daily": daily}
