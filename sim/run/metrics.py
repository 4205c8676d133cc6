"""Run metrics from a run's records: lifespan, participation inequality, summaries (DESIGN §5).

Everything here reads the per-day series and the member table as plain arrays, so the same
functions serve a live model, a result folder read back from CSV, and the experiment analysis.
"""

from __future__ import annotations

from typing import Mapping

import numpy as np

SMOOTH_DAYS = 14  # days in the moving mean of daily active members
DEAD_FOR_DAYS = 30  # days the mean must stay under the floor for the group to count as dead
FLOOR_MIN = 2.0  # the floor is at least this many active members a day...
FLOOR_SHARE = 0.05  # ...or this share of the peak (so far) of the moving mean
HEAVY_PER_WEEK = 1.0  # posts per week of membership that make a heavy contributor


def moving_mean(x: np.ndarray, window: int = SMOOTH_DAYS) -> np.ndarray:
    """Trailing mean over ``window`` days (shorter at the start)."""
    x = np.asarray(x, dtype=float)
    c = np.concatenate([[0.0], np.cumsum(x)])
    idx = np.arange(1, len(x) + 1)
    lo = np.maximum(0, idx - window)
    return (c[idx] - c[lo]) / (idx - lo)


def lifespan(active: np.ndarray, members: np.ndarray | None = None) -> tuple[int, bool]:
    """(lifespan in days, censored). The group is dead from the first day its 14-day mean of
    daily active members stays below max(2, 5% of its peak so far) for 30 days, or from the
    first day it has no members. Not dead by the horizon: (horizon, True)."""
    active = np.asarray(active, dtype=float)
    horizon = len(active)
    mm = moving_mean(active)
    floor = np.maximum(FLOOR_MIN, FLOOR_SHARE * np.maximum.accumulate(mm))
    below = mm < floor
    # run[t] = how many consecutive days from t on are below the floor
    run = np.zeros(horizon + 1, dtype=int)
    for t in range(horizon - 1, -1, -1):
        run[t] = run[t + 1] + 1 if below[t] else 0
    candidates = list(np.flatnonzero(run[:horizon] >= DEAD_FOR_DAYS)[:1])
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


def summarize(ts: Mapping[str, np.ndarray], members: Mapping[str, np.ndarray]) -> dict:
    """The run summary (summary.json). Participation counts members who ever joined, spammers
    excluded; posts exclude ads."""
    active = np.asarray(ts["active"], dtype=float)
    horizon = len(active)
    life, censored = lifespan(active, ts["members"])
    mm = moving_mean(active)
    real = ~np.asarray(members["spammer"], dtype=bool)
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
    }
    return out
