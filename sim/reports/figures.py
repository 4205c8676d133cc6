"""Figures comparing strategy arms over replicates, for a room with a projector: large type,
units on every axis, a legend, 95% bands, and a title that states the finding.

Inputs are the aggregates ``sim.results`` computes from result files (never the model).
"""

from __future__ import annotations

import io
import textwrap
from typing import Mapping, Sequence

from ..style import PALETTE, STYLE  # first: it sets the Agg backend

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

from ..results.stats import SurvivalCurve, first_at_or_below_half  # noqa: E402

WALL = {**STYLE, "font.size": 14, "axes.titlesize": 17, "axes.labelsize": 15, "legend.fontsize": 13,
        "xtick.labelsize": 13, "ytick.labelsize": 13, "figure.titlesize": 19, "lines.linewidth": 2.6}
LINESTYLES = ("-", "--", ":", "-.")
BAND_ALPHA = 0.18
TITLE_CHAR_WIDTH = 0.62  # width of an average bold character, in units of the font size
Curves = Mapping[str, Mapping[str, tuple[np.ndarray, np.ndarray, np.ndarray]]]


def arm_styles(arms: Sequence[str]) -> dict[str, dict]:
    """A colour (Okabe-Ito) and line style per arm, stable in arm order."""
    n = len(PALETTE)
    return {a: {"color": PALETTE[i % n], "ls": LINESTYLES[(i // n) % len(LINESTYLES)]} for i, a in enumerate(arms)}


def png_bytes(fig) -> bytes:
    """The figure as PNG bytes (no timestamps: the same figure gives the same bytes)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def headline(fig, finding: str, ax=None, note: str = "") -> None:
    """The finding as the figure's bold title (wrapped to fit), ``note`` (how to read it) above
    the axes in small grey type."""
    size = plt.rcParams["figure.titlesize"]
    size = size if isinstance(size, (int, float)) else WALL["figure.titlesize"]
    width = int(fig.get_figwidth() * 72 / (size * TITLE_CHAR_WIDTH))
    fig.suptitle(textwrap.fill(finding, width), x=0.01, ha="left", fontweight="bold")
    if ax is not None and note:
        ax.set_title(note, loc="left", fontsize=12, color="#444444")


def _label(arm: str, baseline: str) -> str:
    return f"{arm} (baseline)" if arm == baseline else arm


def _legend(ax, n: int) -> None:
    """The legend under the plot, where it never hides a curve; fewer columns for long labels."""
    handles, labels = ax.get_legend_handles_labels()
    ncol = min(n, 3 if max((len(lab) for lab in labels), default=0) <= 32 else 2)
    ax.figure.legend(handles, labels, loc="outside lower center", ncol=max(ncol, 1), frameon=False)


def _fmt_days(d: float) -> str:
    return f"{d:.0f} days" if np.isfinite(d) else "beyond the horizon"


def _band_lines(ax, curves: Curves, series: str, arms: Sequence[str], baseline: str, scale: float = 1.0) -> None:
    styles = arm_styles(arms)
    for arm in arms:
        if arm not in curves:
            continue
        mean, lo, hi = (np.asarray(v, dtype=float) * scale for v in curves[arm][series])
        day = np.arange(len(mean))
        st = styles[arm]
        ax.fill_between(day, lo, hi, color=st["color"], alpha=BAND_ALPHA, lw=0)
        ax.plot(day, mean, color=st["color"], ls=st["ls"], label=_label(arm, baseline))


def _at_day(curves: Curves, series: str, day: int) -> dict[str, float]:
    out = {}
    for arm, c in curves.items():
        mean = np.asarray(c[series][0], dtype=float)
        out[arm] = float(mean[min(day, len(mean) - 1)])
    return out


def activity_figure(curves: Curves, arms: Sequence[str], baseline: str, runs: Mapping[str, int]):
    """Daily active members (14-day mean) per arm with 95% bands; the title names the arm with
    the most activity around day 365 (or the horizon, if shorter)."""
    with plt.rc_context(WALL):
        fig, ax = plt.subplots(figsize=(13, 7), constrained_layout=True)
        _band_lines(ax, curves, "active_14d", arms, baseline)
        horizon = max(len(c["active_14d"][0]) for c in curves.values()) if curves else 1
        day = min(364, horizon - 1)
        at = _at_day(curves, "active_14d", day)
        if at:
            best = max(at, key=at.get)
            title = (f"{best} keeps the most members active at day {day + 1}: "
                     f"{at[best]:.0f} a day" + (f" vs {at[baseline]:.0f} for {baseline}" if best != baseline and baseline in at else ""))
            ax.axvline(day, color="#777777", lw=1, ls=":")
        else:
            title = "No finished runs to plot"
        n = sorted(set(runs.values()))
        headline(fig, title, ax, f"mean of {'/'.join(map(str, n))} runs per strategy; bands: 95% interval of the mean")
        ax.set_xlabel("day")
        ax.set_ylabel("members posting per day (14-day mean)")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.25)
        _legend(ax, len(arms))
    return fig


def survival_figure(survival: Mapping[str, SurvivalCurve], arms: Sequence[str], baseline: str, horizon: int):
    """Community survival: share of replicate groups still alive by day (Kaplan-Meier,
    censored at the horizon) with 95% bands."""
    styles = arm_styles(arms)
    with plt.rc_context(WALL):
        fig, ax = plt.subplots(figsize=(13, 7), constrained_layout=True)
        for arm in arms:
            if arm not in survival:
                continue
            c, st = survival[arm], styles[arm]
            t = np.append(c.time, horizon)
            s, lo, hi = (np.append(v, v[-1]) for v in (c.survival, c.low, c.high))
            ax.fill_between(t, lo, hi, step="post", color=st["color"], alpha=BAND_ALPHA, lw=0)
            med = c.median()
            ax.step(t, s, where="post", color=st["color"], ls=st["ls"],
                    label=f"{_label(arm, baseline)}: median {_fmt_days(med)}")
        medians = {a: survival[a].median() for a in arms if a in survival}
        if survival and not any(survival[a].events for a in medians):
            title = f"No group died within {horizon} days in any strategy"
        elif medians and all(not np.isfinite(m) for m in medians.values()):
            title = f"In every strategy, most groups are still alive at day {horizon}"
        elif medians:
            best = max(medians, key=lambda a: (medians[a], survival[a].at(horizon)[()]))
            worst = min(medians, key=medians.get)
            title = (f"{best} groups live longest (median {_fmt_days(medians[best])}); "
                     f"{worst} groups die first (median {_fmt_days(medians[worst])})")
        else:
            title = "No finished runs to plot"
        headline(fig, title, ax, "Kaplan-Meier over replicate groups, censored at the horizon; bands: 95% interval")
        _survival_axes(ax, "day", "groups still alive (% of replicates)", len(arms))
        ax.set_xlim(0, horizon)
    return fig


def _survival_axes(ax, xlabel: str, ylabel: str, n_arms: int) -> None:
    """Axes of a survival plot: 0-100%, a dotted line at one half (the median), labels, legend."""
    ax.axhline(0.5, color="#777777", lw=1, ls=":")
    ax.set_ylim(0, 1.04)
    ax.yaxis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.25)
    _legend(ax, n_arms)


def _median_tenure(s: np.ndarray) -> float:
    """Days of membership by which half the members had left (inf if fewer did)."""
    return first_at_or_below_half(np.arange(len(s)), s)


def tenure_figure(tenure: Mapping[str, Mapping[str, np.ndarray]], arms: Sequence[str], baseline: str):
    """Member tenure survival, all members, per arm: share still in the group after d days."""
    styles = arm_styles(arms)
    with plt.rc_context(WALL):
        fig, ax = plt.subplots(figsize=(13, 7), constrained_layout=True)
        medians = {}
        for arm in arms:
            s = tenure.get(arm, {}).get("all")
            if s is None:
                continue
            medians[arm] = _median_tenure(s)
            ax.step(np.arange(len(s)), s, where="post", color=styles[arm]["color"], ls=styles[arm]["ls"],
                    label=f"{_label(arm, baseline)}: median {_fmt_days(medians[arm])}")
        if medians:
            best = max(medians, key=lambda a: (medians[a], tenure[a]["all"][-1]))
            title = f"Members stay longest under {best} (median tenure {_fmt_days(medians[best])})"
        else:
            title = "No finished runs to plot"
        headline(fig, title, ax, "Kaplan-Meier over all members who ever joined (spammers left out), pooled over replicates")
        _survival_axes(ax, "days since joining", "members still in the group", len(arms))
        ax.set_xlim(left=0)
    return fig


def tenure_by_role_figure(tenure: Mapping[str, Mapping[str, np.ndarray]], arms: Sequence[str], baseline: str):
    """Member tenure survival per role (one panel each), arms as lines."""
    styles = arm_styles(arms)
    roles = []
    for arm in arms:
        roles.extend(r for r in tenure.get(arm, {}) if r != "all" and r not in roles)
    ncol = 4
    nrow = max(1, -(-len(roles) // ncol))
    with plt.rc_context(WALL):
        fig, axes = plt.subplots(nrow, ncol, figsize=(18, 4.6 * nrow + 1), sharex=True, sharey=True,
                                 constrained_layout=True, squeeze=False)
        base_rank = {}
        for ax, role in zip(axes.flat, roles):
            for arm in arms:
                s = tenure.get(arm, {}).get(role)
                if s is None:
                    continue
                ax.step(np.arange(len(s)), s, where="post", color=styles[arm]["color"], ls=styles[arm]["ls"],
                        label=_label(arm, baseline))
                if arm == baseline:
                    base_rank[role] = (_median_tenure(s), float(s[-1]))
            ax.set_title(role + "s")
            ax.set_ylim(0, 1.04)
            ax.yaxis.set_major_formatter(PercentFormatter(1.0))
            ax.grid(alpha=0.25)
        for ax in axes.flat[len(roles):]:
            ax.axis("off")
        for ax in axes[-1]:
            ax.set_xlabel("days since joining")
        for ax in axes[:, 0]:
            ax.set_ylabel("still in the group")
        if len(base_rank) > 1 and len({v for v in base_rank.values()}) > 1:
            order = sorted(base_rank, key=lambda r: (base_rank[r], r))
            title = f"Under {baseline}, {order[-1]}s stay longest and {order[0]}s leave first " + (
                f"(median tenure {_fmt_days(base_rank[order[-1]][0])} vs {_fmt_days(base_rank[order[0]][0])})"
                if np.isfinite(base_rank[order[0]][0]) else
                f"({base_rank[order[-1]][1]:.0%} vs {base_rank[order[0]][1]:.0%} still there at the end)")
        elif base_rank:
            title = f"Under {baseline}, every role stays alike"
        else:
            title = "Member tenure by role"
        headline(fig, title)
        if roles:
            _legend(axes.flat[0], len(arms))
    return fig


def participation_figure(shares: Mapping[str, Mapping[str, float]], arms: Sequence[str], baseline: str):
    """Lurkers / occasional / heavy contributors per arm (mean share of members who ever joined)."""
    kinds = [("lurker_share", "lurkers (never posted)", "#BBBBBB"),
             ("occasional_share", "occasional contributors", PALETTE[5]),
             ("heavy_share", "heavy contributors (weekly+)", PALETTE[0])]
    shown = [a for a in arms if a in shares]
    with plt.rc_context(WALL):
        fig, ax = plt.subplots(figsize=(13, 1.1 * len(shown) + 2.6), constrained_layout=True)
        y = np.arange(len(shown))[::-1]
        left = np.zeros(len(shown))
        for key, label, colour in kinds:
            vals = np.array([shares[a].get(key, np.nan) for a in shown], dtype=float)
            ax.barh(y, vals, left=left, color=colour, label=label, height=0.65)
            for yi, l0, v in zip(y, left, vals):
                if v >= 0.06:
                    ax.text(l0 + v / 2, yi, f"{v:.0%}", ha="center", va="center", fontsize=13,
                            color="white" if key == "heavy_share" else "black")
            left = left + np.nan_to_num(vals)
        ax.set_yticks(y, [_label(a, baseline) for a in shown])
        ax.set_xlim(0, 1)
        ax.xaxis.set_major_formatter(PercentFormatter(1.0))
        ax.set_xlabel("share of members who ever joined (mean over replicates)")
        lurk = {a: shares[a].get("lurker_share", np.nan) for a in shown}
        if lurk:
            lo, hi = min(lurk, key=lurk.get), max(lurk, key=lurk.get)
            title = (f"Most members never post: lurkers from {lurk[lo]:.0%} ({lo}) to {lurk[hi]:.0%} ({hi})"
                     if lo != hi else f"{lurk[lo]:.0%} of members never post")
        else:
            title = "No finished runs to plot"
        headline(fig, title)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18 if len(shown) > 2 else -0.3), ncol=3, frameon=False)
    return fig


def members_revenue_figure(curves: Curves, arms: Sequence[str], baseline: str):
    """Members (left) and cumulative revenue (right) per arm, with 95% bands."""
    with plt.rc_context(WALL):
        fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(17, 7), constrained_layout=True)
        _band_lines(ax1, curves, "members", arms, baseline)
        ax1.set_title("Members")
        ax1.set_ylabel("members in the group")
        _band_lines(ax2, curves, "revenue_cumulative", arms, baseline, scale=1e-3)
        ax2.set_title("Revenue")
        ax2.set_ylabel("revenue, thousand yuan (cumulative)")
        for ax in (ax1, ax2):
            ax.set_xlabel("day")
            ax.set_ylim(bottom=0)
            ax.grid(alpha=0.25)
        _legend(ax2, len(arms))
        if curves:
            end = {a: float(np.asarray(c["revenue_cumulative"][0])[-1]) for a, c in curves.items()}
            mem = {a: float(np.asarray(c["members"][0])[-1]) for a, c in curves.items()}
            rich, big = max(end, key=end.get), max(mem, key=mem.get)
            members_part = f"ends with the most members ({mem[big]:.0f})"
            title = f"{rich} earns the most ({end[rich]:,.0f} yuan by the horizon) " + (
                f"and {members_part}" if big == rich else f"; {big} {members_part}")
        else:
            title = "No finished runs to plot"
        headline(fig, title)
    return fig
