"""Content cadence and events (C10, C2, C17, C18)."""

from __future__ import annotations

import numpy as np

from ...scenario import Content, Event
from ..day import GroupState, Today
from ..table import MemberTable

# What one occurrence of each event kind gives that day: quality content (in posts), a lift to
# visit and posting probability, warmth, and material benefit. These profiles are the model's
# reading of C10 (sharing sessions, live talks, prize interactions, meetups), C17 (rituals)
# and C16 (group buys); docs/model.md lists them.
EVENT_PROFILES: dict[str, dict[str, float]] = {
    "sharing": {"content": 3.0, "visit": 0.10, "post": 0.3, "social": 0.1, "material": 0.0},
    "live_talk": {"content": 4.0, "visit": 0.15, "post": 0.3, "social": 0.1, "material": 0.0},
    "prize": {"content": 1.0, "visit": 0.20, "post": 1.0, "social": 0.1, "material": 0.3},
    "meetup": {"content": 1.0, "visit": 0.05, "post": 0.5, "social": 0.6, "material": 0.0},
    "check_in": {"content": 0.3, "visit": 0.35, "post": 3.0, "social": 0.3, "material": 0.0},
    "group_buy": {"content": 0.5, "visit": 0.15, "post": 0.3, "social": 0.05, "material": 0.6},
}


def posts_due(posts_per_week: float, day: int) -> int:
    """Posts a steady cadence of ``posts_per_week`` puts on ``day`` (spread evenly over days)."""
    rate = posts_per_week / 7.0
    return int(np.floor((day + 1) * rate + 1e-9) - np.floor(day * rate + 1e-9))


def events_today(events: list[Event], day: int) -> list[Event]:
    """The recurring events that fall on ``day``."""
    return [e for e in events if day >= e.start_day and (day - e.start_day) % e.every_days == 0]


def post_scheduled_content(m: MemberTable, g: GroupState, content: Content, today: Today,
                           rng: np.random.Generator) -> None:
    """Creator and managers post quality content on the cadence, each post made with a
    probability that rises with the author's energy and commitment, so a burnt-out or bored
    author falls silent (C10, C2, C13).

    Events run when someone is left to run them (a creator or manager with energy), adding a
    day's content, visits, posting, warmth and material benefit; branded events renew the
    group's novelty (C18, C17, C16)."""
    n = m.n
    today.content = np.zeros(n, dtype=np.int32)
    creators, managers = today.creators, today.managers
    for who, rate in ((creators, content.creator_posts_per_week), (managers, content.manager_posts_per_week)):
        due = posts_due(rate, today.day)
        if due and len(who):
            energy = m.energy[who] * (0.5 + 0.5 * m.commitment[who])
            made = (rng.random(len(who)) < energy).astype(np.int32) if due == 1 else rng.binomial(due, energy)
            today.content[who] += made.astype(np.int32)
    organisers = np.concatenate([creators, managers])
    if not len(organisers) or m.energy[organisers].max() < 0.2:
        return
    for ev in events_today(content.events, today.day):
        prof = EVENT_PROFILES[ev.kind]
        today.events.append(ev.kind)
        today.event_content += prof["content"]
        today.event_visit += prof["visit"]
        today.event_post += prof["post"]
        today.event_social += prof["social"]
        today.event_material += prof["material"]
        today.branded += int(ev.branded)
