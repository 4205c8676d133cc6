"""Visits: who opens the group today; attention grows with commitment (C4 fading, C8, C10)."""

from __future__ import annotations

import numpy as np

from ...scenario import Behaviour
from ..day import GroupState, Today
from ..luck import Dice
from ..table import MemberTable


def visit_probability(commitment: np.ndarray, quiet: np.ndarray, b: Behaviour, lift: float) -> np.ndarray:
    """Daily chance to visit: rises with commitment; quiet (muted) members look in rarely;
    urgency after a cleanup and event days lift it for everyone (C4, C8, C10)."""
    a = b.attention
    p = commitment * (a.visit_max - a.visit_min)
    p += a.visit_min
    np.multiply(p, a.quiet_visit_factor, out=p, where=quiet)
    if lift:
        p += lift
    return np.minimum(p, 1.0, out=p)


def draw_visits(m: MemberTable, g: GroupState, b: Behaviour, today: Today, rng: Dice) -> None:
    """Decide who visits. The creator and managers visit as their energy allows; spammers come to
    post (C1). Sets ``today.visited`` and who read the group today."""
    n = m.n
    c = m.commitment[:n]
    p = visit_probability(c, c < b.attention.quiet_below, b, g.urgency + today.event_visit)
    organisers = np.concatenate([today.creators, today.managers])
    p[organisers] = np.maximum(p[organisers], b.attention.organiser_visit * m.energy[organisers])
    np.copyto(p, b.attention.spammer_visit, where=m.spammer[:n])
    today.visited = today.alive & (rng.member_uniform("visit", today.day, m.member_id[:n]) < p)
    visitors = today.visitor_ids = today.visited.nonzero()[0]
    today.reader_ids = (today.visited & ~m.spammer[:n]).nonzero()[0]
    today.previous_visit = m.last_visit_day[today.reader_ids]
    m.last_visit_day[visitors] = today.day
    m.visits[:n] += today.visited  # (a pass over the column beats a gather and a scatter)
