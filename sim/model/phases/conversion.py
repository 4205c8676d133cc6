"""Conversion and sales: trust and product value make payers; hard selling trades a few early
sales for everyone's annoyance (C14, C15, C16)."""

from __future__ import annotations

import numpy as np

from ...scenario import Scenario
from ..day import Today
from ..table import MOTIVE, MemberTable


def convert_and_sell(m: MemberTable, s: Scenario, today: Today, rng: np.random.Generator) -> None:
    """Members who are not paying yet convert with a chance that grows with commitment (trust)
    squared, product value and material motive; hard selling lifts it, most for those who
    trust least (C14, C15). Paying members buy at their rate; group buys on event days add
    purchases (C16). Adds to ``today.revenue``."""
    sel = s.strategy.selling
    b = s.behaviour
    n = m.n
    visitors = today.reader_ids
    prospects = visitors[~m.paying[visitors] & today.alive[visitors]]
    if len(prospects):
        # Thinning: every prospect converts with p <= p_max; draw the few candidates at
        # p_max first, then keep each with p / p_max (the same law, far fewer draws).
        p_max = (b.conversion_rate * s.community.product_value * (1.0 + sel.hard_selling * 0.2)
                 * 2.5 * (1.0 + sel.hard_selling * (b.hard_sell_lift - 1.0)))
        cand = prospects[rng.random(len(prospects)) < p_max] if p_max < 1 else prospects
        c = m.commitment[cand]
        lift = 1.0 + sel.hard_selling * (b.hard_sell_lift - 1.0) * (1.0 - c)
        trust = c * c + sel.hard_selling * 0.2
        want = 0.5 + m.motives[cand, MOTIVE["material"]] * 2.0
        p = b.conversion_rate * s.community.product_value * trust * want * lift
        new = cand[rng.random(len(cand)) * min(1.0, p_max) < p]
        m.paying[new] = True
        today.conversions = len(new)
    payers = (today.alive & m.paying[:n]).nonzero()[0]
    if len(payers) and sel.price_yuan > 0:
        rate = sel.purchases_per_year / 365.0 * (1.0 + 3.0 * today.event_material)
        bought = rng.random(len(payers)) < rate * (0.5 + m.commitment[payers])
        spend = sel.price_yuan * bought
        m.spent_yuan[payers] += spend
        today.revenue += float(spend.sum())
