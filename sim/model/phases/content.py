"""Content cadence and events: what the organisers put on, as far as their hours allow (C2, C10,
C16, C17, C18)."""

from __future__ import annotations

import math

import numpy as np

from ...scenario import Content, Event, Scenario
from ..day import Today
from ..sampling import binomial
from ..table import MemberTable


def posts_due(posts_per_week: float, day: int) -> int:
    """Posts a steady cadence of ``posts_per_week`` puts on ``day`` (spread evenly over days)."""
    rate = posts_per_week / 7.0
    return math.floor((day + 1) * rate + 1e-9) - math.floor(day * rate + 1e-9)


def events_today(events: list[Event], day: int) -> list[Event]:
    """The recurring events that fall on ``day``."""
    return [e for e in events if day >= e.start_day and (day - e.start_day) % e.every_days == 0]


def post_scheduled_content(m: MemberTable, s: Scenario, today: Today, rng: np.random.Generator) -> None:
    """The creator and the managers post quality content on the cadence. Each post takes its
    author time (``hours_per_post``): what the day's hours cannot cover is not posted, and the
    shortfall strains the author (C2: a creator carrying the content alone burns out). A tired
    author plans fewer posts (below ``cut_back_energy``, in proportion to its energy), so a
    cadence beyond one's hours settles at what one can sustain, tiredly, rather than breaking
    at once. Sets ``today.scheduled`` and ``today.content`` (and their totals)."""
    n = m.n
    content: Content = s.strategy.content
    o = s.behaviour.organisers
    today.scheduled = np.zeros(n, dtype=np.int32)
    for who, rows, rate in (("creator", today.creators, content.creator_posts_per_week),
                            ("managers", today.managers, content.manager_posts_per_week)):
        due = posts_due(rate, today.day)
        if not (due and len(rows)):
            continue
        keen = np.minimum(1.0, m.energy[rows] / max(o.cut_back_energy, 1e-9))
        planned = binomial(rng, due, keen)
        done = today.hours.take(who, float(planned.sum()) * o.hours_per_post)
        posted = binomial(rng, planned, done)
        today.scheduled[rows] = posted
        today.scheduled_total += int(posted.sum())
    today.content = today.scheduled.copy()
    today.content_total = today.scheduled_total


def hold_events(s: Scenario, today: Today, rng: np.random.Generator) -> None:
    """The day's events happen when an organiser has the hours to run them (a creator or
    manager; pro rata: half the hours, half the chance) and cost their money. Each adds a
    day's content, visits, posting, warmth and material benefit (C10, C16, C17); branded ones
    build the group's brand (C18, see ``novelty``)."""
    profiles = s.behaviour.events
    for ev in events_today(s.strategy.content.events, today.day):
        prof = getattr(profiles, ev.kind)
        done = today.hours.take_team(prof.hours)
        if rng.random() >= done:  # no organiser, or no hours left: it does not happen
            continue
        today.events.append(ev.kind)
        today.operator_cost += prof.cost_yuan
        today.event_content += prof.content
        today.event_visit += prof.visit
        today.event_post += prof.post
        today.event_social += prof.social
        today.event_material += prof.material
        today.branded += int(ev.branded)
