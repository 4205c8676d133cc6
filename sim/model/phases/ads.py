"""Ads, spam and moderation: who posts ads, how many the managers remove, and how the ads left
visible set the group's norm (C1, C4, C9)."""

from __future__ import annotations

import numpy as np

from ...scenario import Behaviour
from ..day import GroupState, Today
from ..table import MemberTable

LOW_FIT = 0.25  # value fit under which a member treats the group as an audience (C1)
NORM_DAYS = 7.0  # days over which the visible share of ads sets the group's norm


def draw_ads(m: MemberTable, g: GroupState, b: Behaviour, goal_clarity: float, today: Today,
             rng: np.random.Generator) -> None:
    """Spammers who visit post ads; low-fit members post some too, more when ads are already
    the norm and less when the group has a clear goal. Unchecked, ads breed ads (C1, C9).
    Sets ``today.ads``."""
    n = m.n
    today.ads = np.zeros(n, dtype=np.int32)
    visitors = today.visitor_ids
    spamming = m.spammer[visitors]
    spam = visitors[spamming]
    today.ads[spam] = rng.random(len(spam)) < b.spammer_ads_per_visit
    low = visitors[~spamming & (m.fit[visitors] < LOW_FIT)]
    p = b.ad_propensity_low_fit * (1.0 + b.ad_norm_pull * g.ad_norm) * (1.0 - 0.5 * goal_clarity)
    today.ads[low] = rng.random(len(low)) < min(1.0, p)


def moderation_capacity(m: MemberTable, b: Behaviour, today: Today) -> float:
    """Ads and newcomers the organisers can handle today: managers by their energy; a creator
    without managers does a little of it alone (C9)."""
    return float(m.energy[today.managers].sum() * b.manager_capacity
                 + m.energy[today.creators].sum() * 0.2 * b.manager_capacity)


def moderate(m: MemberTable, g: GroupState, b: Behaviour, strength: float, newcomers: int,
             today: Today, rng: np.random.Generator) -> np.ndarray:
    """Managers remove a share of the ads (the moderation strength, as far as their time
    covers the day's ads and yesterday's newcomers) and kick some of the spammers they catch; the share of
    ads left visible moves the group's norm (C4, C9). Returns the ids kicked."""
    ads_posted = int(today.ads.sum())
    demand = ads_posted + newcomers
    capacity = moderation_capacity(m, b, today)
    g.manager_coverage = 1.0 if demand == 0 else min(1.0, capacity / demand)
    p_remove = strength * g.manager_coverage
    today.ads_removed = int(rng.binomial(ads_posted, p_remove)) if ads_posted else 0
    today.ads_kept = ads_posted - today.ads_removed
    ad_posters = today.ads.nonzero()[0]
    caught = ad_posters[m.spammer[ad_posters]]
    kicked = caught[rng.random(len(caught)) < 0.5 * p_remove]
    m.ads_since_cleanup[ad_posters] += today.ads[ad_posters]
    total_msgs = today.ads_kept + int(today.content.sum() + today.chat.sum()) + today.event_content
    share = today.ads_kept / total_msgs if total_msgs > 0 else g.ad_norm
    g.ad_norm += (share - g.ad_norm) / NORM_DAYS
    return kicked

