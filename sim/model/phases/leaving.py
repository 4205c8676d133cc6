"""Leaving: members whose commitment ran out go, quiet first and gone after (C4, C13, C15)."""

from __future__ import annotations

import numpy as np

from ...scenario import Behaviour
from ..day import Today
from ..luck import Dice
from ..table import MemberTable, not_organiser


def leave_probability(commitment: np.ndarray, b: Behaviour) -> np.ndarray:
    """Daily chance to leave: zero above ``leave_below``, rising to ``leave_rate`` at zero
    commitment (C4: fading away)."""
    lv = b.leaving
    return np.where(commitment < lv.leave_below, lv.leave_rate * (1.0 - commitment / lv.leave_below), 0.0)


def draw_leavers(m: MemberTable, b: Behaviour, today: Today, rng: Dice) -> np.ndarray:
    """Members who leave today (only those under ``leave_below`` can). Organisers leave through
    their energy instead (``organisers.hand_over``); spammers leave a group with no one left to
    read them (C1: 'dies of ads'). Returns rows."""
    n = m.n
    at_risk = (m.commitment[:n] < b.leaving.leave_below) | m.spammer[:n]
    at_risk &= today.alive
    at_risk &= not_organiser(m.role[:n])
    rows = at_risk.nonzero()[0]
    p = leave_probability(m.commitment[rows], b)
    spam = m.spammer[rows]
    if spam.any():
        audience = int(len(today.visitor_ids) - today.visited[rows[spam]].sum())
        p[spam] = b.ads.spammer_give_up if audience < b.ads.spammer_audience else 0.0
    return rows[rng.member_uniform("leave", today.day, m.member_id[rows]) < p]
