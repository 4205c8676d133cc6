"""Leaving: members whose commitment ran out go (C4, C13, C15)."""

from __future__ import annotations

import numpy as np

from ...scenario import Behaviour
from ..day import Today
from ..table import MemberTable

SPAMMER_NO_AUDIENCE = 5  # visitors below which a spammer gives up on the group
SPAMMER_GIVE_UP = 0.05  # daily chance a spammer without an audience leaves


def leave_probability(commitment: np.ndarray, b: Behaviour) -> np.ndarray:
    """Daily chance to leave: zero above ``leave_below``, rising to ``leave_rate`` at zero
    commitment. Quiet comes first, leaving after (C4: fading away)."""
    return np.where(commitment < b.leave_below, b.leave_rate * (1.0 - commitment / b.leave_below), 0.0)


def draw_leavers(m: MemberTable, b: Behaviour, today: Today, rng: np.random.Generator) -> np.ndarray:
    """Members who leave today (only those under ``leave_below`` can). The creator never
    leaves (it may fall silent instead);
    spammers leave a group with no one left to read them (C1: 'dies of ads')."""
    n = m.n
    at_risk = (m.commitment[:n] < b.leave_below) | m.spammer[:n]
    at_risk &= today.alive
    at_risk[today.creators] = False
    alive = at_risk.nonzero()[0]
    p = leave_probability(m.commitment[alive], b)
    spam = m.spammer[alive]
    if spam.any():
        audience = int(today.visited.sum() - today.visited[alive[spam]].sum())
        p[spam] = SPAMMER_GIVE_UP if audience < SPAMMER_NO_AUDIENCE else 0.0
    return alive[rng.random(len(alive)) < p]
