"""Figures for a workshop audience: big labels, units on every axis, a colour-blind-safe
palette (Okabe-Ito) and titles that say what happened. Reads results, never the model."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from .metrics import moving_mean  # noqa: E402

# Okabe-Ito colour-blind-safe palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
KIND_COLOURS = {"content": "#0072B2", "chat": "#009E73", "ads": "#D55E00"}
STYLE = {
    "font.size": 12, "axes.titlesize": 14, "axes.labelsize": 12, "legend.fontsize": 11,
    "xtick.labelsize": 11, "ytick.labelsize": 11, "axes.spines.top": False, "axes.spines.right": False,
    "figure.dpi": 100, "savefig.dpi": 110,
}


def _mark_death(ax, summary: Mapping) -> None:
    if summary and not summary.get("censored", True):
        d = summary["lifespan_days"]
        ax.axvline(d, color="#555555", ls="--", lw=1.2)
        ax.annotate(f"dead from day {d}", (d, 0.5), xycoords=("data", "axes fraction"),
                    xytext=(5, 0), textcoords="offset points", fontsize=11, color="#333333")


def activity_figure(ts: Mapping[str, np.ndarray], summary: Mapping | None = None, title: str = ""):
    """Four panels: active members, messages by kind, members, money; day on every x axis."""
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(2, 2, figsize=(13, 8.5), sharex=True, constrained_layout=True)
        day = np.asarray(ts["day"])
        ax = axes[0, 0]
        ax.plot(day, ts["active"], color=PALETTE[5], lw=0.8, alpha=0.6, label="each day")
        ax.plot(day, moving_mean(ts["active"]), color=PALETTE[0], lw=2.5, label="14-day mean")
        ax.set_ylabel("members who posted that day")
        ax.set_title("Daily active members")
        ax.legend(loc="upper right", frameon=False)
        _mark_death(ax, summary or {})

        ax = axes[0, 1]
        kinds = [("content", "content_posts"), ("chat", "chat_posts"), ("ads", "ad_posts")]
        stacks = [moving_mean(ts[col], 7) for _, col in kinds]
        ax.stackplot(day, *stacks, labels=[k for k, _ in kinds], colors=[KIND_COLOURS[k] for k, _ in kinds], alpha=0.85)
        ax.set_ylabel("messages per day (7-day mean)")
        ax.set_title("Messages by kind")
        ax.legend(loc="upper right", frameon=False)

        ax = axes[1, 0]
        ax.plot(day, ts["members"], color=PALETTE[0], lw=2.5, label="members")
        ax.plot(day, ts["quiet"], color=PALETTE[1], lw=2, label="quiet (muted)")
        ax.plot(day, ts["payers"], color=PALETTE[2], lw=2, label="paying")
        ax.set_ylabel("members")
        ax.set_xlabel("day")
        ax.set_title("Members")
        ax.legend(loc="upper right", frameon=False)

        ax = axes[1, 1]
        ax.plot(day, np.cumsum(ts["revenue"]), color=PALETTE[2], lw=2.5, label="revenue")
        ax.plot(day, np.cumsum(ts["operator_cost"]), color=PALETTE[3], lw=2, label="operator cost (perks, gifts, rewards)")
        ax.set_ylabel("yuan, cumulative")
        ax.set_xlabel("day")
        ax.set_title("Money")
        ax.legend(loc="upper left", frameon=False)
        for a in axes.flat:
            a.set_ylim(bottom=0)
            a.grid(alpha=0.25)
        if title:
            fig.suptitle(title, fontsize=16, fontweight="bold")
    return fig


def headline(name: str, summary: Mapping) -> str:
    """One line a room can read: what happened to the group."""
    life = summary["lifespan_days"]
    fate = f"still alive at day {life}" if summary["censored"] else f"dead from day {life}"
    return (f"{name}: {fate}; peak {summary['peak_active']:.0f} active members on day "
            f"{summary['peak_day']}; {summary['lurker_share']:.0%} never posted")


def save_activity_png(path: Path, ts: Mapping[str, np.ndarray], summary: Mapping, name: str) -> None:
    fig = activity_figure(ts, summary, headline(name, summary))
    fig.savefig(path)
    plt.close(fig)


def validation_figures(figures: Mapping[str, Mapping]) -> dict:
    """Figures for `community-sim check-model`, from the figures each check recorded
    (keyed by check name). Returns file stem -> matplotlib Figure."""
    out = {}
    with plt.rc_context(STYLE):
        bimodal = next((f for f in figures.values() if "lifespans" in f), None)
        if bimodal:
            fig, ax = plt.subplots(figsize=(10, 5.5), constrained_layout=True)
            ax.hist(bimodal["lifespans"], bins=np.arange(0, max(bimodal["lifespans"]) + 61, 60), color=PALETTE[0])
            ax.set_xlabel("lifespan, days (censored groups at their horizon)")
            ax.set_ylabel("groups (case replicates)")
            ax.set_title("Group lifespans split into short-lived and long-lived")
            out["lifespans"] = fig
        cadence = next((f for f in figures.values() if "cadence" in f), None)
        if cadence:
            fig, ax = plt.subplots(figsize=(10, 5.5), constrained_layout=True)
            ax.plot(cadence["cadence"], cadence["mean_active"], "o-", color=PALETTE[0], lw=2.5, label="mean active members a day")
            ax.set_xscale("log")
            ax.set_xlabel("creator's quality posts per week (log scale)")
            ax.set_ylabel("mean active members a day")
            ax2 = ax.twinx()
            ax2.plot(cadence["cadence"], cadence["left"], "s--", color=PALETTE[3], lw=2, label="members who left")
            ax2.set_ylabel("members who left over the run")
            fig.legend(loc="upper left", bbox_to_anchor=(0.08, 0.95), frameon=False)
            ax.set_title("More content helps up to a point; past it, overload drives people out")
            out["cadence"] = fig
        marketing = next((f for f in figures.values() if "campaign" in f), None)
        if marketing:
            fig, ax = plt.subplots(figsize=(10, 5.5), constrained_layout=True)
            ax.plot(marketing["campaign"], color=PALETTE[1], lw=2.5, label="bulk campaign, days 0-90 only")
            ax.plot(marketing["referral"], color=PALETTE[2], lw=2.5, label="word of mouth (referrals)")
            ax.axvspan(0, 90, color=PALETTE[1], alpha=0.12)
            ax.set_xlabel("day")
            ax.set_ylabel("members (median over replicates)")
            ax.set_title("Marketing-driven growth fades when the campaign stops")
            ax.legend(frameon=False)
            out["marketing"] = fig
    return out
