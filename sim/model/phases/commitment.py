"""Satisfaction and commitment: what a visit gave each member against what it wanted, and the
member's progress toward the goal it came for (C2-C5, C7, C10, C12, C13, C15, C16)."""

from __future__ import annotations

import numpy as np

from ...scenario import Scenario
from ..day import GroupState, Today
from ..population import product_interest
from ..table import MOTIVE, MemberTable


def identity(s: Scenario, g: GroupState, near_leader: np.ndarray) -> np.ndarray:
    """How much members feel part of something: a base, the leader's pull while present (a
    successor's charisma is less than the founder's), and a sub-leader among one's ties as a
    secondary centre (C12)."""
    sat = s.behaviour.satisfaction
    return np.minimum(1.0, sat.identity_base + sat.identity_leader * g.leader_charisma * g.creator_presence
                      + sat.identity_sub_leader * near_leader)


def visit_satisfaction(s: Scenario, g: GroupState, m: MemberTable, today: Today,
                       who: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(satisfaction, growth) of today's visit for members ``who`` (today's readers): benefits
    weighted by each one's motivation profile, minus costs.

    A visitor catches up on what was posted since its last visit (``unread_days`` at most). A
    community larger than ``channel_size`` splits its chat and ads into channels; each member
    sees one channel's share. Reading is bounded: volume past the read capacity dilutes what is
    read and is a cost in itself (overload). Content feeds information, as far as its topics are
    fresh and the member has not already learned them, and growth toward the goal with a clear
    goal and path (C2, C10, C13); ties' posts and answers give warmth multiplied by belonging
    (C3, C12); perks, gifts, deals and the product are material (C7, C15, C16). Costs: ads and
    off-topic chat read (C1, C4, C5), a post left unanswered (C4), hard selling to one who does
    not want the product (C15), and a fee's raised expectations (C5); a cleanup's urgency lifts
    it for a while (C8)."""
    b = s.behaviour
    sat_b, rd = b.satisfaction, b.reading
    c = s.community
    day = today.day
    first = today.previous_visit + 1  # aligned with today.reader_ids, which ``who`` is
    np.maximum(first, day - rd.unread_days + 1, out=first)
    content_seen, chat_seen, ads_seen, noise_seen = g.unread_since(first, day)
    channel_share = min(1.0, c.channel_size / max(1, today.members))
    if channel_share < 1.0:
        chat_seen *= channel_share
        ads_seen *= channel_share
        noise_seen *= channel_share
    volume = content_seen + chat_seen + ads_seen
    read = np.minimum(1.0, rd.read_capacity / np.maximum(volume, 1e-9))
    info_sat = 1.0 - np.exp(-read * content_seen * s.strategy.content.quality / rd.info_saturation)
    w = m.motives[who]
    progress = np.minimum(1.0, m.progress[who])
    replies = today.replies[who]
    warmth = (today.tie_posts[who] + rd.chat_warmth * chat_seen) * read
    warmth += rd.reply_warmth * replies + rd.warmth_saturation * today.event_social
    social = identity(s, g, m.near_leader[who]) * (1.0 - np.exp(-warmth / rd.warmth_saturation))
    information = info_sat * g.novelty * (1.0 - b.novelty.progress_staleness * progress)
    growth = (sat_b.growth_floor + (1.0 - sat_b.growth_floor) * info_sat) * m.fit[who]
    growth *= c.goal_clarity * c.path_clarity * (1.0 - (1.0 - b.goal.reached_growth) * progress)
    recognition = np.minimum(1.0, sat_b.reply_recognition * replies + m.recognition[who])
    paying = m.paying[who]
    material = m.gift_glow[who] + g.perk_glow + today.event_material + sat_b.product_benefit * c.product_value * paying
    sat = (w[:, MOTIVE["social"]] * social + w[:, MOTIVE["information"]] * information
           + w[:, MOTIVE["growth"]] * growth + w[:, MOTIVE["recognition"]] * recognition
           + w[:, MOTIVE["material"]] * np.minimum(material, 1.0))
    if ads_seen.any():
        sat -= sat_b.ad_cost * ads_seen / np.maximum(volume, 1e-9) * np.minimum(1.0, read * ads_seen / sat_b.ads_noticed)
    if noise_seen.any():
        sat -= sat_b.noise_cost * noise_seen / np.maximum(volume, 1e-9)
    over = volume / rd.read_capacity - 1.0
    if (over > 0).any():
        sat -= sat_b.overload_cost * np.log1p(np.maximum(over, 0.0))
    hard = s.strategy.selling.hard_selling if s.strategy.selling.price_yuan > 0 else 0.0
    if hard > 0:
        sat -= sat_b.hard_sell_cost * hard * (1.0 - product_interest(s, w[:, MOTIVE["material"]])) * ~paying
    sat += sat_b.urgency_satisfaction * g.urgency
    sat -= sat_b.fee_expectation * m.fee_weight[who]
    return sat, growth


def update_commitment(s: Scenario, g: GroupState, m: MemberTable, today: Today) -> None:
    """Commitment follows satisfaction: a visit that gives more than the member needs (and, for
    fee payers, more than they expect) raises it, less lowers it; members who stay away slowly
    forget the group; a post left unanswered stings (C3, C4, C5). Each visit's growth moves the
    member toward its goal; a goal reached leaves less to grow by (C2, C13). Spammers are not
    members in this sense."""
    sat_b = s.behaviour.satisfaction
    n = m.n
    who = today.reader_ids
    if len(who):
        sat, growth = visit_satisfaction(s, g, m, today, who)
        m.commitment[who] = np.minimum(np.maximum(m.commitment[who] + sat_b.learning_rate * (sat - sat_b.need), 0.0), 1.0)
        m.commitment[who] += sat_b.forget_rate  # given back below: visitors do not forget
        m.progress[who] += s.behaviour.goal.progress_per_visit * growth
    ignored = today.ignored
    if ignored is not None and len(ignored):
        m.commitment[ignored] -= sat_b.learning_rate * sat_b.ignored_cost
    c = m.commitment[:n]
    c -= sat_b.forget_rate
    np.maximum(c, 0.0, out=c)
