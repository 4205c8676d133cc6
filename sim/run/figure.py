"""The figure of one run (activity.png): active members, messages by kind, members, money,
with the day the group died marked; for a workshop audience (big labels, units on every axis,
the palette of ``sim.style``)."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

from ..style import KIND_COLOURS, PALETTE, STYLE  # first: it sets the Agg backend

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .metrics import moving_mean  # noqa: E402


def _mark_death(ax, summary: Mapping) -> None:
    if summary and not summary.get("censored", True):
        d = summary["lifespan_days"]
        ax.axvline(d, color="#555555", ls="--", lw=1.2)
        ax.annotate(f"dead from day {d}", (d, 0.5), xycoords=("data", "axes fraction"),
                    xytext=(5, 0), textcoords="offset points", fontsize=11, color="#333333")


NO_MONEY = "no money in this scenario\n(free entry, nothing sold, no perks or rewards paid)"


def _money_panel(ax, day: np.ndarray, ts: Mapping[str, np.ndarray]) -> bool:
    """Cumulative revenue and operator cost; where neither ever moves, a sentence saying so
    instead of an empty 0-0.05 chart (and False)."""
    revenue, cost = np.cumsum(ts["revenue"]), np.cumsum(ts["operator_cost"])
    if not (np.any(revenue) or np.any(cost)):
        ax.set_axis_off()
        ax.text(0.5, 0.5, NO_MONEY, ha="center", va="center", transform=ax.transAxes, fontsize=13, color="#444444")
        return False
    ax.plot(day, revenue, color=PALETTE[2], lw=2.5, label="revenue")
    ax.plot(day, cost, color=PALETTE[3], lw=2, label="operator cost (perks, gifts, rewards)")
    ax.set_ylabel("yuan, cumulative")
    ax.set_xlabel("day")
    ax.set_title("Money")
    ax.legend(loc="best", frameon=False)
    return True


def can_pay(strategy) -> bool:
    """Whether members of a group run by ``strategy`` can pay at all: an entry fee or a price,
    from the start or set by a step of the schedule or a trigger."""
    sets = [step.set for step in strategy.schedule] + [t.do.get("set", {}) for t in strategy.triggers]
    return (strategy.entry.kind == "fee" or strategy.selling.price_yuan > 0
            or any(v == "fee" or (k.endswith("price_yuan") and v) for s in sets for k, v in s.items()))


def activity_figure(ts: Mapping[str, np.ndarray], summary: Mapping | None = None, title: str = "",
                    paying: bool = True):
    """Four panels: active members, messages by kind, members, money; day on every x axis; each
    legend where it covers the fewest points (curves may climb anywhere in a run). ``paying``:
    whether paying members mean something in this group (``can_pay``); a 'paying' line that is
    zero throughout where nobody can pay is left out."""
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(2, 2, figsize=(13, 8.5), sharex=True, constrained_layout=True)
        day = np.asarray(ts["day"])
        ax = axes[0, 0]
        ax.plot(day, ts["active"], color=PALETTE[5], lw=0.8, alpha=0.6, label="each day")
        ax.plot(day, moving_mean(ts["active"]), color=PALETTE[0], lw=2.5, label="14-day mean")
        ax.set_ylabel("members who posted that day")
        ax.set_title("Daily active members")
        ax.legend(loc="best", frameon=False)
        _mark_death(ax, summary or {})

        ax = axes[0, 1]
        kinds = [("content", "content_posts"), ("chat", "chat_posts"), ("ads", "ad_posts")]
        stacks = [moving_mean(ts[col], 7) for _, col in kinds]
        ax.stackplot(day, *stacks, labels=[k for k, _ in kinds], colors=[KIND_COLOURS[k] for k, _ in kinds], alpha=0.85)
        ax.set_ylabel("messages per day (7-day mean)")
        ax.set_title("Messages by kind")
        ax.legend(loc="best", frameon=False)

        ax = axes[1, 0]
        ax.plot(day, ts["members"], color=PALETTE[0], lw=2.5, label="members")
        ax.plot(day, ts["quiet"], color=PALETTE[1], lw=2, label="quiet (muted)")
        if paying or np.any(ts["payers"]):
            ax.plot(day, ts["payers"], color=PALETTE[2], lw=2, label="paying")
        ax.set_ylabel("members")
        ax.set_xlabel("day")
        ax.set_title("Members")
        ax.legend(loc="best", frameon=False)

        if not _money_panel(axes[1, 1], day, ts):  # the panel above keeps its day axis
            axes[0, 1].tick_params(labelbottom=True)
            axes[0, 1].set_xlabel("day")
        for a in axes.flat:
            a.set_ylim(bottom=0)
            a.grid(alpha=0.25)
        if title:
            fig.suptitle(title.replace("$", r"\$"), fontsize=16, fontweight="bold")  # a name, not math text
    return fig


def headline(name: str, summary: Mapping) -> str:
    """One line a room can read: what happened to the group."""
    life = summary["lifespan_days"]
    fate = f"still alive at day {life}" if summary["censored"] else f"dead from day {life}"
    return (f"{name}: {fate}; peak {summary['peak_active']:.0f} active members on day "
            f"{summary['peak_day']}; {summary['lurker_share']:.0%} never posted")


def save_activity_png(path: Path, ts: Mapping[str, np.ndarray], summary: Mapping, name: str,
                      paying: bool = True) -> None:
    """Draw a run's activity.png (``paying``: see ``activity_figure``)."""
    fig = activity_figure(ts, summary, headline(name, summary), paying)
    fig.savefig(path)
    plt.close(fig)
