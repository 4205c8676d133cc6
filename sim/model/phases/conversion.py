"""Conversion and sales: trust and a product worth having make payers; hard selling trades a
few early sales for the annoyance of everyone who does not want it (C14, C15, C16)."""

from __future__ import annotations

from ...scenario import Scenario
from ..day import Today
from ..luck import Dice
from ..population import product_interest
from ..table import MOTIVE, MemberTable


def convert_and_sell(m: MemberTable, s: Scenario, today: Today, rng: Dice) -> None:
    """Visiting members who do not pay yet, and to whom the product is worth its price (their
    willingness to pay), convert with a chance that grows with trust (commitment squared) and
    with how much they want the product; hard selling lifts it, most for those who trust least
    (C14, C15); a higher price leaves fewer who would pay it. Paying members buy at their rate,
    more on days with a group buy or deal (C16). Adds to ``today.revenue``."""
    sel = s.strategy.selling
    mo = s.behaviour.money
    n = m.n
    if sel.price_yuan <= 0:
        return  # the group sells nothing: nobody converts, nobody buys
    visitors = today.reader_ids
    prospects = visitors[~m.paying[visitors] & today.alive[visitors] & (m.wtp_yuan[visitors] >= sel.price_yuan)]
    if len(prospects):
        # Thinning: every prospect converts with p <= p_max; draw the few candidates at p_max
        # first, then keep each with p / p_max (the same law, far fewer draws).
        lift_max = 1.0 + sel.hard_selling * (mo.hard_sell_lift - 1.0)
        p_max = min(1.0, mo.conversion_rate * lift_max)
        u = rng.member_uniform("convert", today.day, m.member_id[prospects])
        keep = u < p_max
        cand, u = prospects[keep], u[keep]
        c = m.commitment[cand]
        lift = 1.0 + sel.hard_selling * (mo.hard_sell_lift - 1.0) * (1.0 - c)
        want = product_interest(s, m.motives[cand, MOTIVE["material"]])
        p = mo.conversion_rate * c * c * want * lift
        new = cand[u < p]  # u < p_max already: the same law
        m.paying[new] = True
        today.conversions = len(new)
    payers = (today.alive & m.paying[:n]).nonzero()[0]
    if len(payers) and sel.price_yuan > 0:
        rate = sel.purchases_per_year / 365.0 * (1.0 + mo.group_buy_lift * today.event_material)
        bought = rng.member_uniform("buy", today.day, m.member_id[payers]) < rate * (0.5 + m.commitment[payers])
        spend = sel.price_yuan * bought
        m.spent_yuan[payers] += spend
        today.revenue += float(spend.sum())
