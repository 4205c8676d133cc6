"""Reducers: the figures each check reads from one run (module-level functions, so worker
processes can receive them)."""

from __future__ import annotations

import numpy as np

from ..evidence.reference import STATISTICS
from ..run.metrics import moving_mean
from ..run.runner import RunResult


def lifespan_facts(r: RunResult) -> dict:
    """What the case checks read: lifespan, activity against its peak, ads, members, payers,
    lurkers, who wrote the content and how newcomers came."""
    ts, su = r.timeseries, r.summary
    life = su["lifespan_days"]
    alive = slice(0, max(1, life))
    posts = ts["posts"][alive].sum()
    mm = moving_mean(ts["active"])
    peak = mm.max() if len(mm) else 0.0
    tail = mm[max(0, life - 90): life] if life > 0 else mm[:1]
    days = len(ts["day"])
    return {
        "lifespan": life, "censored": su["censored"], "days": days,
        "peak_day": int(mm.argmax()) if len(mm) else 0,
        "ad_share_alive": float(ts["ad_posts"][alive].sum() / posts) if posts else 0.0,
        "end_over_peak": float(tail.mean() / peak) if peak else 0.0,
        "members_start": float(ts["members"][0]),
        "members_730": float(ts["members"][min(729, days - 1)]), "members_end": float(ts["members"][-1]),
        "alive_730": bool(life >= min(730, days)),
        "payer_share_end": float(ts["payers"][-1] / max(1.0, ts["members"][-1])),
        "lurker_share": su["lurker_share"], "top1": su["top1_post_share"],
        "creator_content_share": _creator_content_share(r),
        "referral_share": _joined_share(r, "referral"),
    }


def _creator_content_share(r: RunResult) -> float:
    """Share of the quality content written by whoever was the creator (founder or successor)."""
    m = r.members
    total = m["content_posts"].sum()
    creator = (m["role"] == "creator") | (m["role_at_join"] == "creator")
    return float(m["content_posts"][creator].sum() / total) if total else 0.0


def _joined_share(r: RunResult, channel: str) -> float:
    m = r.members
    new = m["joined_via"] != "founding"
    return float((m["joined_via"][new] == channel).mean()) if new.any() else 0.0


def inequality_facts(r: RunResult) -> dict:
    return {"top1": r.summary["top1_post_share"], "never_posted": r.summary["lurker_share"]}


def log_facts(r: RunResult) -> dict:
    """The run's message-log statistics, as measured on the reference communities."""
    return {s: r.summary[f"log_{s}"] for s in STATISTICS}


def retention_facts(r: RunResult) -> dict:
    """Members kept, newcomers' 30-day retention, posting and activity, ads, lifespan."""
    ts, m = r.timeseries, r.members
    real = ~m["spammer"]
    days = len(ts["day"])
    newcomers = real & (m["join_day"] > 0) & (m["join_day"] < days - 30)
    stayed30 = newcomers & ((m["leave_day"] < 0) | (m["leave_day"] - m["join_day"] >= 30))
    member_posts = float(ts["member_posts"].sum())
    return {
        "newcomer_30d_retention": float(stayed30.sum() / max(1, newcomers.sum())),
        "posts_per_day": float(ts["member_posts"].mean()),
        "final_members": float(ts["members"][-1]),
        "members_90": float(ts["members"][min(89, days - 1)]),
        "members_365": float(ts["members"][min(364, days - 1)]),
        "active_late": float(ts["active"][120:].mean()) if days > 120 else float(ts["active"].mean()),
        "active_end": float(ts["active"][-30:].mean()),
        "ad_share": r.summary["ad_share"],
        "member_posts": member_posts,
        "posts_per_member_day": member_posts / max(1.0, float(ts["members"].sum())),
        "left": float(ts["left"].sum()),
        "mean_active": float(ts["active"].mean()),
        "lifespan": r.summary["lifespan_days"], "censored": r.summary["censored"],
    }


def reward_facts(r: RunResult) -> dict:
    m = r.members
    ok = ~m["spammer"] & (m["role"] != "creator") & (m["role"] != "manager")
    posts = np.sort(m["posts"][ok])[::-1]
    k = max(1, len(posts) // 100)
    posters = posts[posts > 0]
    return {"top1_output": float(posts[:k].sum()), "median_poster_output": float(np.median(posters)) if len(posters) else 0.0,
            "gini": r.summary["gini_posts"]}


def members_curve(r: RunResult) -> np.ndarray:
    return np.asarray(r.timeseries["members"], dtype=float)
