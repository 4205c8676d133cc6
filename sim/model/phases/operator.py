"""The operator's calendar: rewards, perks and cleanups, each costing money and organiser time
(C6, C7, C8)."""

from __future__ import annotations

import numpy as np

from ...scenario import Cleanup, Scenario
from ..day import GroupState, Today
from ..luck import Dice
from ..table import MemberTable
from ..ties import Ties


def due(every_days: int, day: int) -> bool:
    """Whether a lever set to act every ``every_days`` days (0 = off) acts on ``day``."""
    return every_days > 0 and day > 0 and day % every_days == 0


def give_rewards(m: MemberTable, s: Scenario, today: Today) -> None:
    """Every N days the top-k posters of the period (organisers aside) get recognition, which
    lifts both their satisfaction and their posting while it lasts (resources tilted toward
    them), and any prize money; a round takes organiser time. The window then restarts (C6)."""
    r = s.strategy.rewards
    if not due(r.every_days, today.day):
        return
    n = m.n
    if today.hours.take_team(s.behaviour.organisers.hours_per_reward_round) <= 0:
        return  # no organiser with time to run it: no round, and the window goes on
    members = today.alive & ~m.organisers(today.alive) & ~m.spammer[:n]
    cand = (members & (m.window_posts[:n] > 0)).nonzero()[0]
    if len(cand):
        top = cand[np.argsort(-m.window_posts[cand], kind="stable")[: r.top_k]]
        m.recognition[top] += r.size
        m.gift_glow[top] += r.yuan_each / (r.yuan_each + s.behaviour.money.material_scale_yuan)
        today.operator_cost += r.yuan_each * len(top)
    m.window_posts[:n] = 0


def give_perks(m: MemberTable, g: GroupState, s: Scenario, today: Today) -> None:
    """Every N days members get a small material benefit (C7); each one who visits that day
    claims it, at the operator's cost; a round takes organiser time."""
    p = s.strategy.perks
    if not due(p.every_days, today.day) or p.value_yuan <= 0:
        return
    today.hours.take_team(s.behaviour.organisers.hours_per_perk_round)
    g.perk_glow += p.value_yuan / (p.value_yuan + s.behaviour.money.material_scale_yuan)
    claimed = int(np.count_nonzero(today.visited & today.alive & ~m.spammer[: len(today.alive)]))
    today.operator_cost += p.value_yuan * claimed


def judged_fit(m: MemberTable, rows: np.ndarray, s: Scenario, rng: Dice) -> np.ndarray:
    """The organisers' judgement of members' fit, seen through their messages: sharp for the
    talkative, rough for those who said little; an ad is a plain sign of not sharing the goal.
    The impression is standing: each member's error is drawn the first time it is judged and
    shrinks as it posts more, so monthly reviews do not re-roll the dice on the same person
    (C8: a cull removes those who do not fit, not a fresh random few each time)."""
    noise = s.behaviour.operator.fit_signal_noise / np.sqrt(1.0 + m.posts[rows])
    new = rows[np.isnan(m.impression[rows])]
    m.impression[new] = rng.member_normal(0, m.member_id[new])
    judged = m.fit[rows] + noise * m.impression[rows]
    judged[m.ad_posts[rows] > 0] = 0.0  # an ad is a plain sign of not sharing the goal
    return judged


def select_for_cleanup(m: MemberTable, s: Scenario, today: Today, rng: Dice, c: Cleanup | None = None) -> np.ndarray:
    """Who a cleanup removes: members judged not to fit from what they posted (misfits; a lurker
    gives nothing to judge and stays), or with no post for D days, or the bottom share by recent
    posts, or those who posted ads since the last cleanup. Organisers and recent newcomers are
    spared. The inactive and bottom-share rules remove quiet future payers too (C8). ``c`` is the
    cleanup's settings (default: the strategy's)."""
    c = s.strategy.cleanup if c is None else c
    n = m.n
    day = today.day
    eligible = today.alive & ~m.organisers(today.alive)
    eligible &= m.join_day[:n] <= day - s.behaviour.operator.cleanup_grace_days
    rows = eligible.nonzero()[0]
    if c.rule == "misfits":
        rows = rows[m.posts[rows] + m.ad_posts[rows] > 0]
        return rows[judged_fit(m, rows, s, rng) < c.min_fit]
    if c.rule == "inactive":
        last = np.maximum(m.last_post_day[rows], m.join_day[rows])
        return rows[last < day - c.inactive_days]
    if c.rule == "ad_posters":
        return rows[m.ads_since_cleanup[rows] > 0]
    k = int(round(c.bottom_share * len(rows)))
    if not k:
        return rows[:0]
    tiebreak = rng.member_uniform("tiebreak", day, m.member_id[rows])
    order = np.lexsort((tiebreak, m.last_post_day[rows], m.cleanup_posts[rows]))
    return np.sort(rows[order[:k]])


def clean_up(m: MemberTable, ties: Ties, g: GroupState, s: Scenario, today: Today,
             rng: Dice) -> np.ndarray:
    """Run the cleanup when due, as far as the organisers have time to review members (a
    review of part of the group removes that part's share). Survivors feel urgency for a while
    (C8), the more the larger the share removed (a visible cull), less when culls come often;
    those who saw their ties removed resent it and lose commitment in proportion, the more the
    more committed the removed were (nobody minds a drive-by recruit going; harsh gatekeeping
    of real members drives people away: Halfaker et al. 2013). A trigger's cleanup
    (``today.cleanup_now``) runs today whatever the calendar says, with its own settings.
    Returns the rows removed."""
    c = s.strategy.cleanup if today.cleanup_now is None else today.cleanup_now
    op = s.behaviour.operator
    if today.cleanup_now is None and not due(c.every_days, today.day):
        return np.zeros(0, dtype=np.int64)
    reviewed = today.hours.take_team(today.members * s.behaviour.organisers.minutes_per_review / 60.0)
    out = select_for_cleanup(m, s, today, rng, c)
    out = out[rng.member_uniform("review", today.day, m.member_id[out]) < reviewed]
    m.ads_since_cleanup[: m.n] = 0
    m.cleanup_posts[: m.n] = 0
    if len(out):
        since = today.day - g.last_cull_day
        visible = 1.0 - np.exp(-len(out) / max(1, today.members) / op.urgency_share)
        g.urgency = max(g.urgency, op.urgency * visible * (1.0 - np.exp(-since / op.urgency_recovery_days)))
        g.last_cull_day = today.day
        n = m.n
        removed = np.zeros(n)
        removed[out] = m.commitment[out]
        lost = ties.neighbour_sum(removed) / np.maximum(1.0, ties.neighbour_sum(today.alive.astype(float)))
        m.commitment[:n] = np.maximum(0.0, m.commitment[:n] - op.cleanup_resentment * lost)
    return out
