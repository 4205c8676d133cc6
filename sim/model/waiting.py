"""Who is waiting for the organisers: newcomers whose posts nobody has answered yet. Moderation
charges the organisers' time for welcoming them and the answers phase welcomes them, from this
one list (C3, C14)."""

from __future__ import annotations

import numpy as np

from ..scenario import Scenario
from .day import Today
from .table import MemberTable, not_organiser


def welcome_candidates(m: MemberTable, s: Scenario, today: Today) -> np.ndarray:
    """Rows of newcomers (organisers aside) with a post no one has answered yet that is still open
    (posted today or within the answer window). Worked out once a day, when moderation first
    asks: nothing it reads changes between moderation and the answers."""
    if today.waiting is None:
        today.waiting = _waiting(m, s, today)
    return today.waiting


def _waiting(m: MemberTable, s: Scenario, today: Today) -> np.ndarray:
    """``welcome_candidates`` worked out: the newest members are the table's tail."""
    n = m.n
    r = s.behaviour.replies
    join_day = m.join_day[:n]  # ascending; the value as its type, or searchsorted converts the column
    young = int(join_day.searchsorted(join_day.dtype.type(today.day - r.newcomer_days), side="right"))
    rows = slice(young, n)
    pending = m.pending_since[rows]
    waiting = today.talked[rows] | ((pending >= 0) & (pending > today.day - r.window_days))  # posts still open
    waiting &= today.alive[rows] & ~m.spammer[rows] & not_organiser(m.role[rows])
    return waiting.nonzero()[0] + young
