"""The lines `community-sim run` prints about one run: counts as whole numbers, members who
ever joined and members who are gone counted over the same people (everyone in members.csv,
spammers included, as the line says), members gone by why (left, removed by cleanups, kicked for
ads, ...), and money only where the scenario sells something, charges a fee or pays for
something, each total followed by what it is made of."""

from __future__ import annotations

from typing import Mapping

import numpy as np

from ..scenario import Scenario

GONE_WORDS = {"left": "left", "removed": "removed by cleanups", "kicked": "kicked for posting ads",
              "burnout": "organisers burnt out", "spinoff": "left with a spin-off group",
              "declined_fee": "founders who declined the fee"}


def _n(x: float) -> str:
    return f"{x:,.0f}"


def member_lines(members: Mapping[str, np.ndarray], final_members: int) -> list[tuple[str, str]]:
    """(label, text): who joined and who is gone, over the same population."""
    spam = np.asarray(members["spammer"], dtype=bool)
    gone = np.asarray(members["leave_day"], dtype=float) >= 0
    reason = np.asarray(members["leave_reason"]).astype(str)
    everyone = len(spam)
    joined = f"{_n(final_members)} at the end; {_n(everyone)} ever joined, founders and {_n(spam.sum())} spammers included"
    parts = [f"{_n(np.sum(gone & (reason == r)))} {w}" for r, w in GONE_WORDS.items() if np.sum(gone & (reason == r))]
    other = int(np.sum(gone & ~np.isin(reason, list(GONE_WORDS))))
    parts += [f"{_n(other)} for other reasons"] * bool(other)
    spam_gone = int(np.sum(gone & spam))
    left = f"{_n(gone.sum())} of them are gone" + (f": {', '.join(parts)}" if parts else "") + (
        f" ({_n(spam_gone)} of the gone were spammers)" if spam_gone else "")
    return [("members", joined), ("gone", left)]


def sells(s: Scenario) -> bool:
    """The scenario sells a product or charges an entry fee."""
    sel, e = s.strategy.selling, s.strategy.entry
    return (sel.price_yuan > 0 and sel.purchases_per_year > 0) or (e.kind == "fee" and e.level > 0)


def _cost_sources(s: Scenario) -> list[str]:
    st = s.strategy
    out = []
    paid = sorted({ev.kind for ev in st.content.events if getattr(s.behaviour.events, ev.kind).cost_yuan > 0})
    if paid:
        out.append("events (" + ", ".join(f"{k} {getattr(s.behaviour.events, k).cost_yuan:,.0f} yuan each"
                                          for k in paid) + ")")
    if st.rewards.every_days and st.rewards.yuan_each > 0:
        out.append(f"rewards ({st.rewards.yuan_each:,.0f} yuan to each of the top {st.rewards.top_k} posters "
                   f"every {st.rewards.every_days} days)")
    if st.perks.every_days and st.perks.value_yuan > 0:
        out.append(f"perks ({st.perks.value_yuan:,.0f} yuan for each member who claims one, every "
                   f"{st.perks.every_days} days)")
    if any(c.gift_yuan > 0 for c in st.recruiting.campaigns):
        out.append("gifts promised to recruits by campaigns")
    return out


def money_lines(s: Scenario, summary: Mapping) -> list[tuple[str, str]]:
    """Revenue and operator cost, each with what it is made of; nothing for a group that
    neither sells, charges nor pays for anything."""
    lines = []
    revenue, cost = float(summary["total_revenue"]), float(summary["total_operator_cost"])
    if sells(s) or revenue:
        made = []
        if s.strategy.entry.kind == "fee" and s.strategy.entry.level > 0:
            made.append(f"entry fees ({s.strategy.entry.level:,.0f} yuan from each member admitted)")
        if s.strategy.selling.price_yuan > 0:
            made.append(f"sales of the product ({s.strategy.selling.price_yuan:,.0f} yuan a purchase by paying members)")
        lines.append(("revenue", f"{revenue:,.0f} yuan: " + " and ".join(made or ["money members paid"])))
    sources = _cost_sources(s)
    if sources or cost:
        lines.append(("operator cost", f"{cost:,.0f} yuan: " + ", ".join(sources or ["money the operator paid out"])
                      + "; organisers' hours not counted"))
    return lines


def summary_lines(scenario: Scenario, seed: int, summary: Mapping, members: Mapping[str, np.ndarray]) -> list[str]:
    """The printed summary of one run, one line each, labels in a column."""
    s = summary
    life = f"{s['lifespan_days']:,} days" + (" (still alive at the horizon)" if s["censored"] else "")
    rows = [("scenario", f"{scenario.name}  (seed {seed}, {scenario.days:,} days)"),
            ("lifespan", life),
            ("peak activity", f"{s['peak_active']:,.0f} members posting on day {s['peak_day']:,}"),
            *member_lines(members, int(s["final_members"])),
            ("lurker share", f"{s['lurker_share']:.0%} never posted (top 1% wrote {s['top1_post_share']:.0%} of posts)"),
            ("ads", f"{s['ad_share']:.1%} of visible messages"),
            *money_lines(scenario, s)]
    return [f"{label:<13} {text}" for label, text in rows]
