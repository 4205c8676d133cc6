"""Each lever's direction at three sizes (50, 500 and 5,000 founding members): paired arms of the
baseline, lever off and on, over replicates; a lever whose claim names a direction passes when
that direction holds in at least 70% of paired seeds at every size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .facts import retention_facts
from .harness import Arm, Check, Runner

SIZES = (50, 500, 5000)
DAYS = 365
REPLICATES = 10
SPAM = (("strategy.recruiting.spam_per_day", 0.5),)
PRODUCT = (("strategy.selling.price_yuan", 99),)  # hard selling needs something to sell
CULL = (("strategy.cleanup.every_days", 30), ("strategy.cleanup.rule", "misfits"), ("strategy.cleanup.min_fit", 0.25))
CAP = 5  # size cap, in multiples of the founding size: growth in a year stays under it


@dataclass(frozen=True)
class Lever:
    """A lever: its claim, the arms without and with it (overrides, or a function of the founding
    size giving them), the outcome read and the direction the claim states (+1 up, -1 down)."""

    name: str
    claim: str
    off: tuple | Callable[[int], tuple]
    on: tuple | Callable[[int], tuple]
    outcome: str
    direction: int


def _bloated(size: int) -> tuple:
    """A bulk campaign in the first 30 days bringing about one and a half times the founding size."""
    return (("strategy.recruiting.campaigns", ({"start_day": 0, "end_day": 30, "applicants_per_day": size / 20},)),)


LEVERS: tuple[Lever, ...] = (
    Lever("content cadence", "C10", (("strategy.content.creator_posts_per_week", 0), ("strategy.content.manager_posts_per_week", 0)),
          (), "active_late", +1),
    Lever("events (fortnightly sharing)", "C10", (), (("strategy.content.events", ({"kind": "sharing", "every_days": 14, "start_day": 5},)),),
          "active_late", +1),
    Lever("moderation under spam", "C9", SPAM + (("strategy.moderation", 0.0),), SPAM + (("strategy.moderation", 0.9),), "ad_share", -1),
    Lever("entry fee 99 yuan, spam", "C5", SPAM, SPAM + (("strategy.entry.kind", "fee"), ("strategy.entry.level", 99)), "ad_share", -1),
    Lever("rewards (monthly, top 5)", "C6", (), (("strategy.rewards.every_days", 30), ("strategy.rewards.top_k", 5)), "member_posts", +1),
    Lever("perks (weekly, 5 yuan)", "C7", (), (("strategy.perks.every_days", 7), ("strategy.perks.value_yuan", 5)), "members_365", +1),
    Lever("hard selling 0.5 (a 99-yuan product)", "C15", PRODUCT, PRODUCT + (("strategy.selling.hard_selling", 0.5),), "members_365", -1),
    Lever("word of mouth (6 referrals a year)", "C16", (), (("strategy.recruiting.referral_per_year", 6.0),), "members_365", +1),
    Lever("monthly cull of misfits after a bulk campaign", "C8", _bloated, lambda size: _bloated(size) + CULL,
          "active_late", +1),
)


def _arm(overrides: tuple | Callable[[int], tuple], size: int) -> tuple:
    return overrides(size) if callable(overrides) else overrides


def _sized(size: int) -> tuple:
    return (("community.initial_members", size), ("strategy.entry.size_cap", CAP * size), ("days", DAYS))


def _wins(off: list[dict], on: list[dict], key: str, direction: int) -> tuple[int, float]:
    a = np.array([r[key] for r in off], dtype=float)
    b = np.array([r[key] for r in on], dtype=float)
    wins = int(((b - a) * direction > 0).sum())
    base = float(np.median(a))
    return wins, (float(np.median(b)) / base if base else float("inf"))


def check_levers(run: Runner, reduce: Callable = retention_facts) -> list[Check]:
    """One check per lever: its effect at each size."""
    reps = min(REPLICATES, run.replicates)
    out = []
    for lever in LEVERS:
        parts, ok, table = [], True, []
        for size in SIZES:
            off = run.runs(Arm("baseline", _sized(size) + _arm(lever.off, size)), reduce, reps)
            on = run.runs(Arm("baseline", _sized(size) + _arm(lever.on, size)), reduce, reps)
            wins, ratio = _wins(off, on, lever.outcome, lever.direction)
            ok &= wins >= 0.7 * reps
            parts.append(f"{size}: x{ratio:.2f} ({wins}/{reps})")
            table.append({"size": size, "ratio": ratio, "wins": wins, "replicates": reps})
        word = "up" if lever.direction > 0 else "down"
        out.append(Check(f"lever: {lever.name}", lever.claim,
                         f"{lever.outcome.replace('_', ' ')} {word} in at least 70% of paired seeds at 50, 500 and 5,000 members (day {DAYS})",
                         "; ".join(parts), ok, {"lever": lever.name, "outcome": lever.outcome, "by_size": table}))
    return out
