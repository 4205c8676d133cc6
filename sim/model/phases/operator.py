"""Operator actions on a calendar: rewards, perks, cleanups (C6, C7, C8)."""

from __future__ import annotations

import numpy as np

from ...scenario import Scenario
from ..day import GroupState, Today
from ..table import ROLE, MemberTable
from ..ties import Ties

CLEANUP_GRACE_DAYS = 14  # newcomers younger than this are spared by cleanups
URGENCY_RECOVERY_DAYS = 30.0  # days after a cull before the next one stirs most of the urgency again


def due(every_days: int, day: int) -> bool:
    """Whether a lever set to act every ``every_days`` days (0 = off) acts on ``day``."""
    return every_days > 0 and day > 0 and day % every_days == 0


def give_rewards(m: MemberTable, s: Scenario, today: Today) -> None:
    """Every N days the top-k posters of the period (organisers aside) get recognition, which lifts both their
    satisfaction and their posting while it lasts (resources tilted toward them), and any
    material prize; the window then restarts (C6)."""
    r = s.strategy.rewards
    if not due(r.every_days, today.day):
        return
    n = m.n
    role = m.role[:n]
    members = (role != ROLE["creator"]) & (role != ROLE["manager"]) & ~m.spammer[:n]
    cand = (today.alive & members & (m.window_posts[:n] > 0)).nonzero()[0]
    if len(cand):
        top = cand[np.argsort(-m.window_posts[cand], kind="stable")[: r.top_k]]
        m.recognition[top] += r.size
        m.gift_glow[top] += r.yuan_each / (r.yuan_each + s.behaviour.material_scale_yuan)
        today.operator_cost += r.yuan_each * len(top)
    m.window_posts[:n] = 0


def give_perks(m: MemberTable, g: GroupState, s: Scenario, today: Today) -> None:
    """Every N days every member gets a small material benefit, at a cost to the operator (C7)."""
    p = s.strategy.perks
    if not due(p.every_days, today.day) or p.value_yuan <= 0:
        return
    g.perk_glow += p.value_yuan / (p.value_yuan + s.behaviour.material_scale_yuan)
    today.operator_cost += p.value_yuan * today.members


def select_for_cleanup(m: MemberTable, s: Scenario, today: Today, rng: np.random.Generator) -> np.ndarray:
    """Who a cleanup removes: members with no post for D days, or the bottom share by recent
    posts, or those who posted ads since the last cleanup. Creator, managers and recent
    newcomers are spared. Quiet members removed include quiet future payers (C8)."""
    c = s.strategy.cleanup
    n = m.n
    day = today.day
    role = m.role[:n]
    eligible = (today.alive & (role != ROLE["creator"]) & (role != ROLE["manager"])
                & (m.join_day[:n] <= day - CLEANUP_GRACE_DAYS))
    ids = eligible.nonzero()[0]
    if c.rule == "inactive":
        last = np.maximum(m.last_post_day[ids], m.join_day[ids])
        return ids[last < day - c.inactive_days]
    if c.rule == "ad_posters":
        return ids[m.ads_since_cleanup[ids] > 0]
    k = int(round(c.bottom_share * len(ids)))
    if not k:
        return ids[:0]
    tiebreak = rng.random(len(ids))
    order = np.lexsort((tiebreak, m.last_post_day[ids], m.cleanup_posts[ids]))
    return np.sort(ids[order[:k]])


def clean_up(m: MemberTable, ties: Ties, g: GroupState, s: Scenario, today: Today,
             rng: np.random.Generator) -> np.ndarray:
    """Run the cleanup when due: remove the selected members; survivors feel urgency for a
    while (C8), less when culls come often, but those who saw their ties removed resent it and lose commitment in
    proportion (harsh gatekeeping drives people away: Halfaker et al. 2013). Returns who was
    removed."""
    c = s.strategy.cleanup
    if not due(c.every_days, today.day):
        return np.zeros(0, dtype=np.int64)
    out = select_for_cleanup(m, s, today, rng)
    m.ads_since_cleanup[: m.n] = 0
    m.cleanup_posts[: m.n] = 0
    if len(out):
        # People get used to culls: one soon after the last stirs less urgency.
        habituation = 1.0 - np.exp(-c.every_days / URGENCY_RECOVERY_DAYS)
        g.urgency = max(g.urgency, s.behaviour.urgency * habituation)
        n = m.n
        removed = np.zeros(n)
        removed[out] = 1.0
        lost = ties.neighbour_sum(removed) / np.maximum(1.0, ties.neighbour_sum(today.alive.astype(float)))
        m.commitment[:n] = np.maximum(0.0, m.commitment[:n] - s.behaviour.cleanup_resentment * lost)
    return out
