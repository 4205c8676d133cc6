"""Satisfaction and commitment: what a visit gave each member against what it wanted."""

from __future__ import annotations

import numpy as np

from ...scenario import Scenario
from ..day import GroupState, Today
from ..table import MOTIVE, MemberTable

INFO_SATURATION = 1.0  # quality-weighted posts read per day that give ~63% of full information
WARMTH_SATURATION = 3.0  # tie posts read (and answers, REPLY_WARMTH each) that give ~63% of full warmth
UNREAD_DAYS = 7  # a visitor catches up on at most this many days of messages
PRODUCT_BENEFIT = 0.3  # material benefit a paying member draws daily at full product value
REPLY_WARMTH = 1.0  # an answer to one's post counts as this many tie posts read, for warmth
REPLY_RECOGNITION = 0.25  # recognition from each answer (saturating at 1)


def identity(charisma: float, presence: float, near_leader: np.ndarray) -> np.ndarray:
    """How much members feel part of something: the creator's pull while present, and a
    sub-leader among one's ties as a secondary centre (C12)."""
    return np.minimum(1.0, 0.3 + 0.7 * charisma * presence + 0.3 * near_leader)


def visit_satisfaction(s: Scenario, g: GroupState, m: MemberTable, today: Today,
                       who: np.ndarray) -> np.ndarray:
    """What today's visit gave members ``who``: benefits weighted by each one's motivation
    profile, minus costs.

    A visitor catches up on what was posted since its last visit (at most a week back). A
    community larger than ``channel_size`` splits its chat and ads into channels; each member
    sees one channel's share. Reading is bounded, so volume past the read capacity dilutes
    what is read and is a cost in itself (overload); ads read are a cost (C4); being ignored
    is a cost (C4); content feeds information and, with a goal and a path, growth (C2, C10);
    ties' posts and answers give warmth multiplied by identity (C3, C12); perks, gifts and the
    product are material (C7, C15, C16); the group's fading novelty wears content down and a
    member's fading freshness wears down information, warmth, answers and growth (C3, C13); hard selling annoys
    (C15); a fee raises what a visit must give (C5)."""
    b = s.behaviour
    c = s.community
    day = today.day
    first = today.previous_visit + 1  # aligned with today.reader_ids, which ``who`` is
    np.maximum(first, day - UNREAD_DAYS + 1, out=first)
    content_seen, chat_seen, ads_seen = g.unread_since(first, day)
    channel_share = min(1.0, c.channel_size / max(1, today.members))
    if channel_share < 1.0:
        chat_seen *= channel_share
        ads_seen *= channel_share
    volume = content_seen + chat_seen
    volume += ads_seen
    read = b.read_capacity / np.maximum(volume, 1e-9)
    np.minimum(read, 1.0, out=read)
    info_sat = read * content_seen
    info_sat *= -s.strategy.content.quality / INFO_SATURATION
    np.exp(info_sat, out=info_sat)
    np.subtract(1.0, info_sat, out=info_sat)
    w = np.take(m.motives, who, axis=0)
    replies = np.take(today.replies, who)
    fresh = np.take(m.freshness, who)
    warmth = np.take(today.tie_posts, who) + 0.02 * chat_seen
    warmth *= read
    warmth += REPLY_WARMTH * replies + 3.0 * today.event_social
    warmth *= -1.0 / WARMTH_SATURATION
    np.exp(warmth, out=warmth)
    social = identity(c.charisma, g.creator_presence, np.take(m.near_leader, who))
    social *= 1.0 - warmth
    social *= fresh
    sat = w[:, MOTIVE["social"]] * social
    sat += w[:, MOTIVE["information"]] * (g.novelty * fresh * info_sat)
    growth = (0.4 + 0.6 * info_sat) * np.take(m.fit, who)
    growth *= fresh * (c.goal_clarity * c.path_clarity)
    sat += w[:, MOTIVE["growth"]] * growth
    recognition = fresh * (REPLY_RECOGNITION * replies)
    recognition += np.take(m.recognition, who)
    sat += w[:, MOTIVE["recognition"]] * np.minimum(recognition, 1.0, out=recognition)
    paying = np.take(m.paying, who)
    material = np.take(m.gift_glow, who) + (g.perk_glow + today.event_material)
    material += (PRODUCT_BENEFIT * c.product_value) * paying
    sat += w[:, MOTIVE["material"]] * np.minimum(material, 1.0, out=material)
    if today.ads_kept or ads_seen.any():
        ad_share = ads_seen / np.maximum(volume, 1e-9)
        sat -= b.ad_cost * ad_share * np.minimum(1.0, read * ads_seen / 3.0)
    over = volume / b.read_capacity - 1.0
    if (over > 0).any():
        sat -= b.overload_cost * np.log1p(np.maximum(over, 0.0, out=over), out=over)
    posted = np.take(today.talked, who)
    sat -= b.ignored_cost * (posted & (replies == 0))
    if s.strategy.selling.hard_selling > 0:
        sat -= b.hard_sell_cost * s.strategy.selling.hard_selling * ~paying
    sat += 0.5 * g.urgency
    sat -= b.fee_expectation * np.take(m.fee_weight, who)
    sat -= (b.habituation / max(1e-9, 1.0 - b.member_novelty_floor)) * (1.0 - fresh)
    return sat


def update_commitment(s: Scenario, g: GroupState, m: MemberTable, today: Today) -> None:
    """Commitment follows satisfaction: a visit that gives more than the member needs (and,
    for fee payers, more than they expect) raises it; less lowers it. Members who stay away
    slowly forget the group (C3, C4, C5). Spammers are not members in this sense."""
    b = s.behaviour
    n = m.n
    who = today.reader_ids
    if len(who):
        sat = visit_satisfaction(s, g, m, today, who)  # who is today.reader_ids
        m.commitment[who] = np.clip(m.commitment[who] + b.learning_rate * (sat - b.need), 0.0, 1.0) + b.forget_rate
    # Everyone forgets a little; visitors got it back above (their update adds forget_rate).
    c = m.commitment[:n]
    c -= b.forget_rate
    np.maximum(c, 0.0, out=c)


def age_group(s: Scenario, g: GroupState, m: MemberTable, today: Today) -> None:
    """Topics wear out: the group's novelty decays toward a floor over its life, and each
    member's freshness over its own tenure, so even a well-run group ages unless new people
    and new events renew it (C3, C13); a branded recurring event renews some of both (C18).
    Short-lived boosts (perks, rewards, gifts, urgency) fade."""
    b = s.behaviour
    n = m.n
    g.novelty -= (g.novelty - b.novelty_floor) / b.novelty_days
    fresh = m.freshness[:n]
    fresh -= (fresh - b.member_novelty_floor) / b.member_novelty_days
    for _ in range(today.branded):
        g.novelty += b.event_novelty * (1.0 - g.novelty)
        fresh += b.event_novelty * (1.0 - fresh)
    perk_decay = np.exp(-1.0 / b.perk_memory_days)
    g.perk_glow *= perk_decay
    st = s.strategy
    if st.rewards.yuan_each > 0 or any(cp.gift_yuan > 0 for cp in st.recruiting.campaigns):
        m.gift_glow[:n] *= perk_decay  # otherwise it is zero for everyone
    if st.rewards.every_days > 0:
        m.recognition[:n] *= np.exp(-1.0 / b.reward_memory_days)
    g.urgency *= np.exp(-1.0 / b.urgency_days) if b.urgency_days > 0 else 0.0
