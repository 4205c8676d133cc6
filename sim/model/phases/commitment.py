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


# Above this many readers, what a visit reads is worked out once for each first unread day and
# looked up: the day's readers share a handful of those (``unread_days`` at most).
LOOKUP_READERS = 4096


def reading(s: Scenario, g: GroupState, today: Today, first: np.ndarray) -> dict[str, np.ndarray]:
    """What a visit that catches up from day ``first`` (an array) reads, as far as that depends
    on ``first`` alone: messages seen by kind (in a community larger than ``channel_size`` chat
    and ads split into channels and each member sees one channel's share), the share of them
    read (volume past the read capacity dilutes what is read), the information it gives as far
    as topics are fresh, the growth it gives before the member's fit and progress (C2, C10,
    C13), the warmth of chat read, and its costs: ads and off-topic chat read (C1, C4, C5) and
    overload, each None where it is nothing for every ``first``."""
    sat_b, rd = s.behaviour.satisfaction, s.behaviour.reading
    content, chat, ads, noise = g.unread_since(first, today.day)
    channel_share = min(1.0, s.community.channel_size / max(1, today.members))
    if channel_share < 1.0:
        chat *= channel_share
        ads *= channel_share
        noise *= channel_share
    volume = content + chat + ads
    read = np.minimum(1.0, rd.read_capacity / np.maximum(volume, 1e-9))
    info_sat = 1.0 - np.exp(-read * content * s.strategy.content.quality / rd.info_saturation)
    over = volume / rd.read_capacity - 1.0
    out = {"read": read, "chat_warmth": rd.chat_warmth * chat, "information": info_sat * g.novelty,
           "growth": sat_b.growth_floor + (1.0 - sat_b.growth_floor) * info_sat,
           "ad_cost": None, "noise_cost": None, "overload_cost": None}
    if ads.any():
        out["ad_cost"] = (sat_b.ad_cost * ads / np.maximum(volume, 1e-9)
                          * np.minimum(1.0, read * ads / sat_b.ads_noticed))
    if noise.any():
        out["noise_cost"] = sat_b.noise_cost * noise / np.maximum(volume, 1e-9)
    if (over > 0).any():
        out["overload_cost"] = sat_b.overload_cost * np.log1p(np.maximum(over, 0.0))
    return out


def _social(s: Scenario, g: GroupState, today: Today, chat_warmth: np.ndarray, read: np.ndarray,
            tie_posts: np.ndarray, replies: np.ndarray, near_leader: np.ndarray) -> np.ndarray:
    """Social benefit: warmth from ties' posts, chat read and answers, saturating, times belonging
    (C3, C12). ``chat_warmth`` (the chat read's warmth before reading) is used up."""
    rd = s.behaviour.reading
    warmth = chat_warmth
    warmth += tie_posts
    warmth *= read
    answered = rd.reply_warmth * replies
    answered += rd.warmth_saturation * today.event_social
    warmth += answered
    np.negative(warmth, out=warmth)
    warmth /= rd.warmth_saturation
    np.exp(warmth, out=warmth)
    np.subtract(1.0, warmth, out=warmth)
    social = identity(s, g, near_leader)
    social *= warmth
    return social


def _material(s: Scenario, g: GroupState, today: Today, gift_glow: np.ndarray, paying: np.ndarray) -> np.ndarray:
    """Material benefit, at most 1: gifts, perks, the day's deals and the product (C7, C15, C16).
    ``gift_glow`` is used up."""
    material = gift_glow
    material += g.perk_glow
    material += today.event_material
    material += s.behaviour.satisfaction.product_benefit * s.community.product_value * paying
    return np.minimum(material, 1.0, out=material)


def _benefits(s: Scenario, g: GroupState, m: MemberTable, today: Today, who: np.ndarray, r: dict,
              information: np.ndarray, growth: np.ndarray) -> np.ndarray:
    """The benefits of readers ``who`` weighted by their motives (``r``: their reading; the
    information and growth their visit gives)."""
    motives = m.motives  # column-major: each motive's column is contiguous
    replies = today.replies[who]
    sat = _social(s, g, today, r["chat_warmth"], r["read"], today.tie_posts[who], replies, m.near_leader[who])
    sat *= motives[:, MOTIVE["social"]].take(who)
    sat += information * motives[:, MOTIVE["information"]].take(who)
    sat += motives[:, MOTIVE["growth"]].take(who) * growth
    recognition = s.behaviour.satisfaction.reply_recognition * replies
    recognition += m.recognition[who]
    np.minimum(recognition, 1.0, out=recognition)
    recognition *= motives[:, MOTIVE["recognition"]].take(who)
    sat += recognition
    sat += _material(s, g, today, m.gift_glow[who], m.paying[who]) * motives[:, MOTIVE["material"]].take(who)
    return sat


def _plain_benefits(s: Scenario, g: GroupState, m: MemberTable, today: Today, who: np.ndarray,
                    by_day: dict, at: np.ndarray, information: np.ndarray, growth: np.ndarray) -> np.ndarray:
    """``_benefits`` of readers with nothing of their own: no ties' posts or answers today, no
    sub-leader near, no recognition, gifts, product or fee. Their social benefit depends on
    their first unread day alone (``at``: its place in ``by_day``, the reading by day) and their
    material one on nobody, so both are worked out once; the same numbers as ``_benefits``."""
    motives = m.motives
    k = len(by_day["read"])
    social = _social(s, g, today, by_day["chat_warmth"].copy(), by_day["read"], np.zeros(k),
                     np.zeros(k, dtype=np.int32), np.zeros(k))
    sat = social.take(at)
    sat *= motives[:, MOTIVE["social"]].take(who)
    sat += information * motives[:, MOTIVE["information"]].take(who)
    sat += motives[:, MOTIVE["growth"]].take(who) * growth
    sat += 0.0  # recognition: min(1, 0) x its weight
    material = _material(s, g, today, np.zeros(1), np.zeros(1, dtype=bool))[0]
    sat += motives[:, MOTIVE["material"]].take(who) * material
    return sat


def _own_terms(m: MemberTable, today: Today) -> np.ndarray:
    """Whether each member has a term of its own in a visit's satisfaction today (ties' posts,
    answers, a sub-leader near, recognition, gifts, the product, a fee)."""
    n = m.n
    own = today.replies != 0
    own |= today.tie_posts != 0
    for col in (m.near_leader, m.recognition, m.gift_glow, m.fee_weight):
        own |= col[:n] != 0
    own |= m.paying[:n]
    return own


def visit_satisfaction(s: Scenario, g: GroupState, m: MemberTable, today: Today, who: np.ndarray,
                       progress: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(satisfaction, growth) of today's visit for members ``who`` (today's readers): benefits
    weighted by each one's motivation profile, minus costs. ``progress``: their progress, if the
    caller has read it (``m.progress[who]``; left as it is).

    A visitor catches up on what was posted since its last visit (``unread_days`` at most; see
    ``reading``). Content feeds information, as far as its topics are fresh and the member has
    not already learned them, and growth toward the goal with a clear goal and path (C2, C10,
    C13); ties' posts and answers give warmth multiplied by belonging (C3, C12); perks, gifts,
    deals and the product are material (C7, C15, C16). Costs: ads and off-topic chat read (C1,
    C4, C5), overload, a post left unanswered (C4), hard selling to one who does not want the
    product (C15), and a fee's raised expectations (C5); a cleanup's urgency lifts it for a
    while (C8).

    In a large group (over ``LOOKUP_READERS`` readers) the reading is worked out once per first
    unread day and looked up, and readers with nothing of their own (``_plain_benefits``) are
    worked out apart: the same numbers with far fewer operations."""
    b = s.behaviour
    sat_b, rd = b.satisfaction, b.reading
    c = s.community
    day = today.day
    first = today.previous_visit + 1  # aligned with today.reader_ids, which ``who`` is
    np.maximum(first, day - rd.unread_days + 1, out=first)
    lo = max(0, day - rd.unread_days + 1)
    lookup = len(first) > max(LOOKUP_READERS, 2 * (day + 1 - lo))
    if lookup:
        at = (first - lo).astype(np.intp)  # (index type: each lookup would convert it)
        by_day = reading(s, g, today, np.arange(lo, day + 1))
        r = {"information": by_day["information"].take(at), "growth": by_day["growth"].take(at)}
        seen = None  # first days some visit has (worked out if it matters)
        for cost in ("ad_cost", "noise_cost", "overload_cost"):  # (costs nobody reading today bears are none)
            v = by_day[cost]
            if v is not None and not v.all():
                if seen is None:
                    seen = np.bincount(at, minlength=day + 1 - lo).astype(bool)
                v = v if v[seen].any() else None
            r[cost] = None if v is None else v.take(at)
    else:
        r = reading(s, g, today, first)
    progress = np.minimum(m.progress[who] if progress is None else progress, 1.0)
    information = b.novelty.progress_staleness * progress
    np.subtract(1.0, information, out=information)
    information *= r["information"]
    growth = r["growth"] * m.fit[who]
    reached = (1.0 - b.goal.reached_growth) * progress
    np.subtract(1.0, reached, out=reached)
    reached *= c.goal_clarity * c.path_clarity
    growth *= reached
    if lookup:
        sat = _plain_benefits(s, g, m, today, who, by_day, at, information, growth)
        own = _own_terms(m, today)[who].nonzero()[0]  # positions in ``who``
        if len(own):
            at_own = at[own]
            mine = {"chat_warmth": by_day["chat_warmth"].take(at_own), "read": by_day["read"].take(at_own)}
            sat[own] = _benefits(s, g, m, today, who[own], mine, information[own], growth[own])
    else:
        sat = _benefits(s, g, m, today, who, r, information, growth)
    for cost in ("ad_cost", "noise_cost", "overload_cost"):
        if r[cost] is not None:
            sat -= r[cost]
    hard = s.strategy.selling.hard_selling if s.strategy.selling.price_yuan > 0 else 0.0
    if hard > 0:
        wants = m.motives[:, MOTIVE["material"]].take(who)
        sat -= sat_b.hard_sell_cost * hard * (1.0 - product_interest(s, wants)) * ~m.paying[who]
    sat += sat_b.urgency_satisfaction * g.urgency
    if lookup:  # a fee is a reader's own term
        if len(own):
            sat[own] -= sat_b.fee_expectation * m.fee_weight[who[own]]
    else:
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
        progress = m.progress[who]
        sat, growth = visit_satisfaction(s, g, m, today, who, progress)
        sat -= sat_b.need
        sat *= sat_b.learning_rate
        sat += m.commitment[who]
        np.maximum(sat, 0.0, out=sat)
        np.minimum(sat, 1.0, out=sat)
        sat += sat_b.forget_rate  # given back below: visitors do not forget
        m.commitment[who] = sat
        growth *= s.behaviour.goal.progress_per_visit
        progress += growth
        m.progress[who] = progress
    ignored = today.ignored
    if ignored is not None and len(ignored):
        m.commitment[ignored] -= sat_b.learning_rate * sat_b.ignored_cost
    c = m.commitment[:n]
    c -= sat_b.forget_rate
    np.maximum(c, 0.0, out=c)
