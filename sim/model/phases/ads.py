"""Ads, spam and moderation: who posts ads, how many the organisers have time to remove, and how
the ads left visible set the group's norm (C1, C4, C9)."""

from __future__ import annotations

import numpy as np

from ...scenario import Scenario
from ..day import GroupState, Today
from ..luck import Dice
from ..table import MemberTable
from ..waiting import welcome_candidates


def draw_ads(m: MemberTable, g: GroupState, s: Scenario, today: Today, rng: Dice) -> None:
    """Spammers who visit post ads; low-fit members post some too, more when ads are already
    the norm and less when the group has a clear goal. Unchecked, ads breed ads (C1, C9).
    Sets ``today.ads``."""
    a = s.behaviour.ads
    n = m.n
    today.ads = np.zeros(n, dtype=np.int32)
    spammer = m.spammer[:n]
    spam = (today.visited & spammer).nonzero()[0]
    today.ads[spam] = rng.member_uniform("spam_ad", today.day, m.member_id[spam]) < a.spammer_ads
    low = m.fit[:n] < s.behaviour.satisfaction.low_fit
    low &= today.visited
    low &= ~spammer
    low = low.nonzero()[0]  # visitors who do not share the goal
    p = a.low_fit_ads * (1.0 + a.norm_pull * g.ad_norm) * (1.0 - a.goal_deterrence * s.community.goal_clarity)
    today.ads[low] = rng.member_uniform("member_ad", today.day, m.member_id[low]) < min(1.0, p)


def moderate(m: MemberTable, g: GroupState, s: Scenario, today: Today, rng: Dice) -> np.ndarray:
    """The organisers spend time on the day's ads and on welcoming newcomers, managers first,
    then the creator as far as it is present (an absent creator sees nothing). They remove the
    moderation strength's share of the ads they have time for and expel some of the spammers
    they catch; the share of ads left visible moves the group's norm (C4, C9). Sets
    ``g.manager_coverage``; returns the rows expelled."""
    a = s.behaviour.ads
    o = s.behaviour.organisers
    ad_posters = (today.ads != 0).nonzero()[0]  # one ad each (faster than nonzero on ints)
    ads_posted = len(ad_posters)
    newcomers = welcome_candidates(m, s, today)
    welcomes = len(newcomers) * s.behaviour.replies.welcome  # the welcomes they mean to give
    demand = (ads_posted * o.minutes_per_ad + welcomes * o.minutes_per_welcome) / 60.0
    g.manager_coverage = today.hours.take_team(demand, creator_share=g.creator_presence)
    p_remove = s.strategy.moderation * g.manager_coverage
    today.ads_removed = int(rng.binomial(ads_posted, p_remove)) if ads_posted else 0
    today.ads_kept = ads_posted - today.ads_removed
    caught = ad_posters[m.spammer[ad_posters]]
    kicked = caught[rng.member_uniform("kick", today.day, m.member_id[caught]) < a.kick_share * p_remove]
    m.ads_since_cleanup[ad_posters] += 1
    total_msgs = today.ads_kept + (today.content_total + today.chat_total) + today.event_content
    share = today.ads_kept / total_msgs if total_msgs > 0 else g.ad_norm
    g.ad_norm += (share - g.ad_norm) / a.norm_days
    return kicked
