"""The diagnosis's figures (matplotlib, the project's palette): daily activity with the 14-day
means and the model's death floor, participation inequality, newcomers' answers and returns,
member retention (Kaplan-Meier with its 95% band), and the weekly and daily rhythm. Each is drawn
against the reference communities' range (grey) where they measured the same thing.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from scipy import stats

from ..evidence.reference import REFERENCE
from ..reports.figures import png_bytes
from ..style import PALETTE, STYLE
from .findings import reference_span
from .measures import WEEKDAYS

GREY = "#B0B0B0"
CAPTIONS = {
    "activity": "Daily messages and daily active members (members who posted that day), with their 14-day means. "
                "Dashed: the model's death floor (0.5 a day, or 5% of the busiest 90-day mean so far); a group whose "
                "14-day mean stays under it for 30 days counts as dead.",
    "participation": "How unequally messages are spread: shares of all messages sent by the most active 1% of "
                     "members, the next 9% and the other 90%, and the share of members who posted once. Grey bars: "
                     "the range of the reference communities (dots: each of them).",
    "newcomers": "Newcomers answered within their first week, and how many came back (posted again 1 to 180 days "
                 "after their first message) when answered and when not. Black lines: 95% intervals (Wilson); grey "
                 "bars: the reference communities' range.",
    "retention": "Member retention: the share of members still posting so many days after their first message "
                 "(Kaplan-Meier; members who posted in the last 30 days of the log count as still posting; band: 95% "
                 "interval). Grey bars: the reference communities' range of the share still posting 30, 90 and 365 "
                 "days after their first message.",
    "rhythm": "Share of messages on each weekday and in each hour of the day (UTC; WhatsApp and old Telegram "
              "exports: the device's local time). Dashed: an even spread. The reference communities differ too much here to give a range (a "
              "meeting channel has 90% of its messages on Wednesdays).",
}
FIGURES = tuple(CAPTIONS)


def _dates(daily: dict) -> np.ndarray:
    return np.asarray(daily["date"], dtype="datetime64[D]")


def activity_figure(daily: dict):
    """Two panels over the log's dates: messages a day and active members a day."""
    with plt.rc_context(STYLE):
        fig, (top, bottom) = plt.subplots(2, 1, figsize=(11, 6.5), sharex=True)
        x = _dates(daily)
        top.plot(x, daily["messages"], color=PALETTE[5], lw=0.6, alpha=0.6, label="messages that day")
        top.plot(x, daily["messages_14d_mean"], color=PALETTE[0], lw=2, label="14-day mean")
        top.set_ylabel("messages per day")
        bottom.plot(x, daily["active_members"], color=PALETTE[5], lw=0.6, alpha=0.6, label="active members that day")
        bottom.plot(x, daily["active_members_14d_mean"], color=PALETTE[2], lw=2, label="14-day mean")
        bottom.plot(x, daily["death_floor"], color=PALETTE[3], lw=1.5, ls="--", label="model's death floor")
        bottom.set_ylabel("active members per day")
        bottom.set_xlabel("date (UTC)")
        for ax in (top, bottom):
            ax.legend(loc="upper right", frameon=False)
            ax.set_ylim(bottom=0)
        top.set_title("Activity")
        fig.tight_layout()
        return fig


def participation_figure(participation: dict):
    stats_ = ("top1_share", "next9_share", "rest90_share", "one_message_share")
    labels = ("top 1%\nof members", "next 9%", "other 90%", "members who\nposted once")
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(9, 5))
        x = np.arange(len(stats_))
        ax.bar(x - 0.2, [100 * participation[s] for s in stats_], width=0.35, color=PALETTE[0], label="this group")
        _reference_bars_percent(ax, x, stats_)
        ax.set_xticks(x, labels)
        return _finish(fig, ax, "share of messages, or of members (%)", "Participation inequality")


def _reference_bars_percent(ax, positions, statistics) -> None:
    """Grey bars over each reference range (percent) and a dot per reference community."""
    for i, (x, stat) in enumerate(zip(positions, statistics)):
        lo, hi = reference_span(stat)
        ax.bar(x + 0.2, 100 * (hi - lo), bottom=100 * lo, width=0.35, color=GREY,
               label="reference range" if i == 0 else None)
        values = [100 * REFERENCE[d][stat] for d in REFERENCE]
        ax.plot([x + 0.2] * len(values), values, "o", color="#555555", ms=4,
                label="reference communities" if i == 0 else None)


def _finish(fig, ax, ylabel: str, title: str):
    """Percent axis from 0 to 100, labels, legend; the figure, laid out."""
    ax.set_ylabel(ylabel)
    ax.set_ylim(0, 100)
    ax.set_title(title)
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


def _wilson(k: float, n: float) -> tuple[float, float]:
    if n <= 0:
        return float("nan"), float("nan")
    ci = stats.binomtest(int(k), int(n)).proportion_ci(method="wilson")
    return ci.low, ci.high


def newcomers_figure(newcomers: dict):
    c = newcomers
    bars = (("answered in\nfirst week", "answered_share", c["n_answered"], c["n_newcomers"]),
            ("came back,\nanswered", "return_answered", c["n_returned_answered"], c["n_return_answered"]),
            ("came back,\nnot answered", "return_unanswered", c["n_returned_unanswered"], c["n_return_unanswered"]))
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(9, 5))
        x = np.arange(len(bars))
        if c["replies_recorded"]:
            values = [100 * (k / n) if n else np.nan for _, _, k, n in bars]
            ax.bar(x - 0.2, values, width=0.35, color=PALETTE[1], label="this group")
            for xi, (_, _, k, n) in zip(x, bars):
                lo, hi = _wilson(k, n)
                ax.plot([xi - 0.2] * 2, [100 * lo, 100 * hi], color="black", lw=2)
        else:
            ax.text(0.5, 0.9, "this log records no replies: not measurable", transform=ax.transAxes, ha="center")
        _reference_bars_percent(ax, x, [b[1] for b in bars])
        ax.set_xticks(x, [b[0] for b in bars])
        return _finish(fig, ax, "share of newcomers (%)", "Newcomers: answered, and coming back")


def retention_figure(retention: dict):
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(9, 5))
        days = np.asarray(retention["days"])
        ax.step(days, 100 * np.asarray(retention["still_posting"]), where="post", color=PALETTE[0], lw=2,
                label="this group (Kaplan-Meier)")
        ax.fill_between(days, 100 * np.asarray(retention["low"]), 100 * np.asarray(retention["high"]), step="post",
                        color=PALETTE[0], alpha=0.2, label="95% interval")
        for i, x in enumerate((30, 90, 365)):
            lo, hi = reference_span(f"still_posting_{x}d")
            ax.plot([x, x], [100 * lo, 100 * hi], color=GREY, lw=8, solid_capstyle="butt",
                    label="reference range" if i == 0 else None)
        ax.set_xlim(0, max(400, float(days.max()) if len(days) else 400))
        ax.set_xlabel("days since the member's first message")
        return _finish(fig, ax, "members still posting (%)", "Member retention")


def rhythm_figure(rhythm: dict, zone: str = "UTC"):
    with plt.rc_context(STYLE):
        fig, (week, day) = plt.subplots(1, 2, figsize=(12, 4.5), gridspec_kw={"width_ratios": [7, 12]})
        week.bar(np.arange(7), 100 * np.asarray(rhythm["weekday_share"]), color=PALETTE[2])
        week.axhline(100 / 7, color="black", ls="--", lw=1, label="even spread")
        week.set_xticks(np.arange(7), [w[:3] for w in WEEKDAYS])
        week.set_ylabel("share of messages (%)")
        week.set_xlabel("weekday")
        week.legend(frameon=False)
        day.bar(np.arange(24), 100 * np.asarray(rhythm["hour_share"]), color=PALETTE[4])
        day.axhline(100 / 24, color="black", ls="--", lw=1)
        day.set_xticks(np.arange(0, 24, 3))
        day.set_xlabel(f"hour of the day ({zone})")
        day.set_ylabel("share of messages (%)")
        fig.suptitle("Weekly and daily rhythm")
        fig.tight_layout()
        return fig


def diagnosis_figures(d: dict, local_time: bool = False) -> dict[str, bytes]:
    """figure name -> PNG bytes, for every figure in FIGURES; ``local_time``: the log's clock is
    local, not UTC (WhatsApp, Telegram's ``date``)."""
    return {"activity": png_bytes(activity_figure(d["daily"])),
            "participation": png_bytes(participation_figure(d["participation"])),
            "newcomers": png_bytes(newcomers_figure(d["newcomers"])),
            "retention": png_bytes(retention_figure(d["retention"])),
            "rhythm": png_bytes(rhythm_figure(d["rhythm"], "local time" if local_time else "UTC"))}
