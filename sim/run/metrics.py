"""Run metrics from a run's records: lifespan, participation inequality, summaries (DESIGN §5),
and the statistics of the run's message log measured as on real communities (``sim.evidence``).

Everything here reads the per-day series, the member table and the message log as plain arrays,
so the same functions serve a live model, a result folder read back from CSV, and the analysis.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

from ..evidence import MessageLog, log_statistics

SMOOTH_DAYS = 14  # days in the moving mean of daily active members
DEAD_FOR_DAYS = 30  # days the mean must stay under the floor for the group to count as dead
FLOOR_MIN = 0.5  # the floor is at least a member posting every other day...
FLOOR_SHARE = 0.05  # ...or this share of the peak (so far) of the long mean
PEAK_DAYS = 90  # the peak is of the 90-day mean, full windows only, so a launch burst does not count
HEAVY_PER_WEEK = 1.0  # posts per week of membership that make a heavy contributor


def moving_mean(x: np.ndarray, window: int = SMOOTH_DAYS) -> np.ndarray:
    """Trailing mean over ``window`` days (shorter at the start)."""
    x = np.asarray(x, dtype=float)
    c = np.concatenate([[0.0], np.cumsum(x)])
    idx = np.arange(1, len(x) + 1)
    lo = np.maximum(0, idx - window)
    return (c[idx] - c[lo]) / (idx - lo)


def death_floor(active: np.ndarray) -> np.ndarray:
    """The activity floor on each day: max(0.5, 5% of the highest 90-day mean of daily active
    members so far). Checked on the reference communities' logs: it keeps the IRC channel (nine
    years, 1.2 authors a day) and the Q&A site (three years after a launch burst of 16 a day)
    alive over their whole archives; the old rule, max(2, 5% of the 14-day peak), had them dead
    from day 1,735 and day 60 (docs/validation.md)."""
    long = moving_mean(active, PEAK_DAYS)
    long[: PEAK_DAYS - 1] = 0.0
    return np.maximum(FLOOR_MIN, FLOOR_SHARE * np.maximum.accumulate(long))


def lifespan(active: np.ndarray, members: np.ndarray | None = None) -> tuple[int, bool]:
    """(lifespan in days, censored). ``active`` counts members' own posting (organisers aside).
    The group is dead from the first day its 14-day mean of daily active members stays below
    ``death_floor`` for 30 days, or from the first day it has no members: a small group that
    talks every day lives, a large one that has gone quiet does not. Not dead by the horizon:
    (horizon, True)."""
    active = np.asarray(active, dtype=float)
    horizon = len(active)
    below = moving_mean(active) < death_floor(active)
    runs = np.concatenate([[0], np.cumsum(below)])
    span = DEAD_FOR_DAYS
    starts = np.flatnonzero(runs[span:] - runs[:-span] == span) if horizon >= span else np.zeros(0, dtype=int)
    candidates = list(starts[:1])
    if members is not None:
        candidates += list(np.flatnonzero(np.asarray(members) <= 0)[:1])
    return (int(min(candidates)), False) if candidates else (horizon, True)


def gini(x: np.ndarray) -> float:
    """Gini coefficient of non-negative values (0 = equal, 1 = one holds all)."""
    x = np.sort(np.asarray(x, dtype=float))
    n = len(x)
    if n == 0 or x.sum() == 0:
        return 0.0
    cum = np.cumsum(x)
    return float((n + 1 - 2 * (cum / cum[-1]).sum()) / n)


def top_share(x: np.ndarray, share: float = 0.01) -> float:
    """Share of the total held by the top ``share`` of members (at least one member)."""
    x = np.sort(np.asarray(x, dtype=float))[::-1]
    if len(x) == 0 or x.sum() == 0:
        return 0.0
    k = max(1, int(round(share * len(x))))
    return float(x[:k].sum() / x.sum())


def participation(posts: np.ndarray, tenure_days: np.ndarray) -> dict[str, float]:
    """90-9-1 classes (C19): lurkers never posted; heavy contributors posted at least once a
    week of membership (and 5 times); the rest are occasional."""
    posts = np.asarray(posts, dtype=float)
    n = len(posts)
    if n == 0:
        return {"lurker_share": 0.0, "occasional_share": 0.0, "heavy_share": 0.0}
    weeks = np.maximum(1.0, np.asarray(tenure_days, dtype=float) / 7.0)
    heavy = (posts >= 5) & (posts / weeks >= HEAVY_PER_WEEK)
    lurk = posts == 0
    return {"lurker_share": float(lurk.mean()), "occasional_share": float((~lurk & ~heavy).mean()),
            "heavy_share": float(heavy.mean())}


# Statistics of the message log put in the summary (keys prefixed log_); see sim.evidence.
LOG_STATISTICS = ("top1_share", "next9_share", "rest90_share", "one_message_share", "still_posting_30d",
                  "still_posting_90d", "still_posting_365d", "answered_share", "return_answered",
                  "return_unanswered", "n_authors")


def message_log_statistics(log: Mapping[str, np.ndarray], days: int) -> dict[str, float]:
    """The real-community statistics of a run's message log (members' and organisers' posts,
    day resolution; the data end at the horizon), keys prefixed ``log_``."""
    ml = MessageLog.from_arrays(log["day"], log["author"], log["reply_to"], end_day=float(max(0, days - 1)),
                                name="model")
    stats = log_statistics(ml)
    return {f"log_{k}": _number_or_none(stats[k]) for k in LOG_STATISTICS}


def _number_or_none(v: float) -> float | None:
    """A statistic with no cases (e.g. still posting after 365 days in a shorter run) is null in
    summary.json, not NaN (which JSON does not have)."""
    v = float(v)
    return v if np.isfinite(v) else None


def summarize(ts: Mapping[str, np.ndarray], members: Mapping[str, np.ndarray],
              log: Mapping[str, np.ndarray] | None = None) -> dict:
    """The run summary (summary.json). Participation counts members who ever joined, spammers
    excluded; posts exclude ads. With the message log, its statistics as measured on real
    communities (``log_...``)."""
    active = np.asarray(ts["active"], dtype=float)
    horizon = len(active)
    life, censored = lifespan(active, ts["members"])
    mm = moving_mean(active)
    # Members in earnest: not spammers, nor founders who declined a fee and never took part.
    real = ~np.asarray(members["spammer"], dtype=bool) & (np.asarray(members["leave_reason"]) != "declined_fee")
    posts = np.asarray(members["posts"])[real]
    leave = np.asarray(members["leave_day"])[real]
    join = np.asarray(members["join_day"])[real]
    tenure = np.where(leave >= 0, leave, horizon) - join
    part = participation(posts, tenure)
    total_posts = float(np.sum(ts["posts"]))
    day365 = min(364, horizon - 1)
    out = {
        "days": horizon,
        "lifespan_days": int(life),
        "censored": bool(censored),
        "peak_active": float(active.max()) if horizon else 0.0,
        "peak_day": int(active.argmax()) if horizon else 0,
        "peak_active_14d": float(mm.max()) if horizon else 0.0,
        "active_day365_14d": float(mm[day365]) if horizon else 0.0,
        "final_active_14d": float(mm[-1]) if horizon else 0.0,
        "mean_active": float(active.mean()) if horizon else 0.0,
        **part,
        "gini_posts": gini(posts),
        "top1_post_share": top_share(posts, 0.01),
        "ad_share": float(np.sum(ts["ad_posts"]) / total_posts) if total_posts else 0.0,
        "total_posts": total_posts,
        "total_revenue": float(np.sum(ts["revenue"])),
        "total_operator_cost": float(np.sum(ts["operator_cost"])),
        "final_members": int(ts["members"][-1]) if horizon else 0,
        "peak_members": int(np.max(ts["members"])) if horizon else 0,
        "ever_joined": int(real.sum()),
        "total_left": int(np.sum(ts["left"])),
        "total_removed": int(np.sum(ts["removed"])),
        "final_payers": int(ts["payers"][-1]) if horizon else 0,
        "spinoffs": int(ts["spinoffs"][-1]) if horizon else 0,
        "organiser_post_share": _share(np.sum(ts["organiser_posts"]), np.sum(ts["organiser_posts"]) + np.sum(ts["member_posts"])),
        "total_organiser_hours": float(np.sum(ts["organiser_hours"])),
        "organiser_hours_short": float(np.sum(ts["organiser_hours_asked"]) - np.sum(ts["organiser_hours"])),
        "founder_left": bool(np.any((np.asarray(members["role_at_join"]) == "creator") & (np.asarray(members["leave_day"]) >= 0))),
        "creator_left": bool(horizon and ts["role_creator"][-1] == 0),
        "successions": int(ts["successions"][-1]) if horizon else 0,
        "promotions": int(np.sum(ts["promotions"])),
        "appointments": int(np.sum(ts["appointments"])),
        "role_changes": int(np.sum(np.asarray(members["role"]) != np.asarray(members["role_at_join"]))),
        "interventions": int(np.sum(ts["interventions"])) if "interventions" in ts else 0,
    }
    if log is not None:
        out.update(message_log_statistics(log, horizon))
    return out


def _share(part: float, whole: float) -> float:
    return float(part / whole) if whole else 0.0
