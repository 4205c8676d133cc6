"""Who is waiting for the organisers: newcomers whose posts nobody has answered yet. Moderation
charges the organisers' time for welcoming them and the answers phase welcomes them, from this
one list (C3, C14)."""

from __future__ import annotations

import numpy as np

from ..scenario import Scenario
from .day import Today
from .table import MemberTable


def welcome_candidates(m: MemberTable, s: Scenario, today: Today) -> np.ndarray:
    """Rows of newcomers (organisers aside) with a post no one has answered yet that is still open
    (posted today or within the answer window)."""
    n = m.n
    r = s.behaviour.replies
    young = m.join_day[:n] > today.day - r.newcomer_days
    pending = m.pending_since[:n]
    waiting = today.talked | ((pending >= 0) & (pending > today.day - r.window_days))  # posts still open
    keep = today.alive & young & waiting & ~m.spammer[:n] & ~m.organisers(today.alive)
    return keep.nonzero()[0]
