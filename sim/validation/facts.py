"""Reducers: the figures each check reads from one run (module-level functions, so worker
processes can receive them)."""

from __future__ import annotations

import numpy as np

from ..run.metrics import moving_mean
from ..run.runner import RunResult


def lifespan_facts(r: RunResult) -> dict:
    ts, su = r.timeseries, r.summary
    life = su["lifespan_days"]
    alive = slice(0, max(1, life))
    posts = ts["posts"][alive].sum()
    mm = moving_mean(ts["active"])
    peak = mm.max() if len(mm) else 0.0
    tail = mm[max(0, life - 90): life] if life > 0 else mm[:1]
    return {
        "lifespan": life, "censored": su["censored"], "peak_day": su["peak_day"],
        "ad_share_alive": float(ts["ad_posts"][alive].sum() / posts) if posts else 0.0,
        "end_over_peak": float(tail.mean() / peak) if peak else 0.0,
        "members_start": float(ts["members"][0]), "members_end": float(ts["members"][-1]),
        "members_365": float(ts["members"][min(364, len(ts["members"]) - 1)]),
        "payer_share_end": float(ts["payers"][-1] / max(1.0, ts["members"][-1])),
        "lurker_share": su["lurker_share"], "top1": su["top1_post_share"],
        "creator_content_share": _creator_content_share(r),
        "referral_share": _joined_share(r, "referral"),
    }


def _creator_content_share(r: RunResult) -> float:
    m = r.members
    total = m["content_posts"].sum()
    return float(m["content_posts"][m["role"] == "creator"].sum() / total) if total else 0.0


def _joined_share(r: RunResult, channel: str) -> float:
    m = r.members
    new = m["joined_via"] != "founding"
    return float((m["joined_via"][new] == channel).mean()) if new.any() else 0.0


def inequality_facts(r: RunResult) -> dict:
    return {"top1": r.summary["top1_post_share"], "never_posted": r.summary["lurker_share"]}


def newcomer_facts(r: RunResult) -> dict:
    """Members who joined after day 0 and posted: was their first post answered, did they
    post again (Joyce & Kraut 2006)."""
    m = r.members
    newcomer = (m["join_day"] > 0) & ~m["spammer"] & (m["first_post_day"] >= 0)
    answered = newcomer & (m["first_post_answered"] == 1)
    ignored = newcomer & (m["first_post_answered"] == 0)
    return {"answered": int(answered.sum()), "answered_again": int((answered & m["posted_again"]).sum()),
            "ignored": int(ignored.sum()), "ignored_again": int((ignored & m["posted_again"]).sum())}


def retention_facts(r: RunResult) -> dict:
    ts, m = r.timeseries, r.members
    real = ~m["spammer"]
    founders = real & (m["join_day"] == 0)
    days = len(ts["day"])
    kept = founders & ((m["leave_day"] < 0) | (m["leave_day"] >= days))
    newcomers = real & (m["join_day"] > 0) & (m["join_day"] < days - 30)
    stayed30 = newcomers & ((m["leave_day"] < 0) | (m["leave_day"] - m["join_day"] >= 30))
    return {
        "founder_retention": float(kept.sum() / max(1, founders.sum())),
        "newcomer_30d_retention": float(stayed30.sum() / max(1, newcomers.sum())),
        "posts_per_day": float((ts["content_posts"] + ts["chat_posts"]).mean()),
        "visits_per_member": float(m["visits"][real].sum() / max(1.0, ts["members"].sum())),
        "final_members": float(ts["members"][-1]),
        "members_365": float(ts["members"][min(364, days - 1)]),
        "active_end": float(ts["active"][-30:].mean()),
        "ad_share": r.summary["ad_share"],
        "member_posts": float((ts["content_posts"] + ts["chat_posts"]).sum()),
        "posts_per_member_day": float((ts["content_posts"] + ts["chat_posts"]).sum() / max(1.0, ts["members"].sum())),
        "left": float(ts["left"].sum()),
        "mean_active": float(ts["active"].mean()),
        "lifespan": r.summary["lifespan_days"],
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
    return r.timeseries["members"].astype(float)
