"""The lines `community-sim run` prints about one run: counts as whole numbers, members who
ever joined and members who are gone counted over the same people (everyone in members.csv,
spammers included, as the line says), members gone by why (left, removed by cleanups, kicked for
ads, ...), and money only where the scenario sells something, charges a fee or pays for
something, each total followed by what it is made of; a group called dead is told in the same line
what that means (members' own posting under the floor, while organisers and members may remain)."""

from __future__ import annotations

from typing import Mapping

import numpy as np

from ..plural import count
from ..scenario import Scenario
from .metrics import DEAD_FOR_DAYS, FLOOR_MIN, FLOOR_SHARE, PEAK_DAYS, death_floor

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


def lifespan_line(summary: Mapping, members: Mapping[str, np.ndarray], ts: Mapping[str, np.ndarray]) -> str:
    """The lifespan, and for a dead group what "dead" means (the rule of ``metrics.lifespan``,
    with the floor it fell under on that day) and who is still there at the horizon, so that
    "dead" is not read as "empty"."""
    life = int(summary["lifespan_days"])
    if summary["censored"]:
        return f"{count(life, 'day')} (still alive at the horizon)"
    if np.asarray(ts["members"])[life] <= 0:
        return f"{count(life, 'day')}: dead from day {life:,}, when no members were left"
    left = np.asarray(members["leave_day"], dtype=float) >= 0
    organisers = int(np.sum(~left & np.isin(np.asarray(members["role"]).astype(str), ("creator", "manager"))))
    others = int(np.sum(~left)) - organisers
    floor = float(death_floor(np.asarray(ts["active"], dtype=float))[life])
    posts = float(np.mean(np.asarray(ts["posts"], dtype=float)[-14:]))
    remain = (f"{count(organisers, 'organiser')} and {count(others, 'other member')} remain at the horizon, "
              f"{posts:,.1f} messages a day over its last 14 days" if organisers + others else "no one remains")
    return (f"{count(life, 'day')}: dead from day {life:,}, meaning members' own posting (organisers' not counted) "
            f"stayed under {floor:.1f} active members a day (14-day mean; the floor is {FLOOR_SHARE:.0%} of the "
            f"busiest {PEAK_DAYS}-day mean so far, at least {FLOOR_MIN:g}) for {DEAD_FOR_DAYS} days; {remain}")


def summary_lines(scenario: Scenario, seed: int, summary: Mapping, members: Mapping[str, np.ndarray],
                  ts: Mapping[str, np.ndarray]) -> list[str]:
    """The printed summary of one run, one line each, labels in a column."""
    s = summary
    life = lifespan_line(s, members, ts)
    rows = [("scenario", f"{scenario.name}  (seed {seed}, {scenario.days:,} days)"),
            ("lifespan", life),
            ("peak activity", f"{s['peak_active']:,.0f} members posting on day {s['peak_day']:,}"),
            *member_lines(members, int(s["final_members"])),
            ("lurker share", f"{s['lurker_share']:.0%} never posted (top 1% wrote {s['top1_post_share']:.0%} of posts)"),
            ("ads", f"{s['ad_share']:.1%} of visible messages"),
            *money_lines(scenario, s)]
    return [f"{label:<13} {text}" for label, text in rows]
