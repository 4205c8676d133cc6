"""Topics and brand: the group's fresh topics are used up by the content that covers them and
renewed by newcomers' first questions and by events; branded events that members take part in
build a reputation that renews topics and draws people in (C3, C10, C13, C18)."""

from __future__ import annotations

import numpy as np

from ...scenario import Scenario
from ..day import GroupState, Today, decay_per_day


def wear_and_renew_topics(g: GroupState, s: Scenario, today: Today) -> None:
    """Each quality post uses up part of what is fresh to talk about: a group whose path is
    clear has more to cover before it repeats itself. Newcomers' first posts bring new
    questions and each event new material; a branded event renews more the stronger the brand
    (C3, C13, C18). No calendar ageing: a group that stops renewing wears out as fast as it
    talks, one that renews can stay fresh."""
    nv = s.behaviour.novelty
    covered = (float(today.content_total) + today.event_content) * s.strategy.content.quality
    topics = nv.topic_posts * (1.0 + nv.path_topics * s.community.path_clarity)
    g.novelty *= np.exp(-covered / topics)
    renewal = (nv.newcomer_renewal * today.first_posts + nv.event_renewal * len(today.events)
               + nv.brand_renewal * g.brand * today.branded)
    g.novelty += (1.0 - g.novelty) * min(1.0, renewal)


def build_brand(g: GroupState, s: Scenario, today: Today) -> None:
    """A branded event adds to the brand as far as members took part in it (members posting
    that day against ``brand_turnout`` of the group); the brand fades without them (C18)."""
    nv = s.behaviour.novelty
    g.brand *= decay_per_day(nv.brand_memory_days)
    if today.branded:
        took_part = min(1.0, today.active / (1.0 + nv.brand_turnout * today.members))
        g.brand += today.branded * took_part
