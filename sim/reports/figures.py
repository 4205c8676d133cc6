"""Figures comparing strategy arms over replicates, for a room with a projector: large type,
units on every axis, a legend, 95% bands, and a title that states the finding (worded by
``sim.reports.titles`` from the comparison table, so it claims only what the statistics
support). Text the user wrote (arm and scenario names) is drawn literally: a '$' never starts
matplotlib math text.

Inputs are the aggregates ``sim.results`` computes from result files (never the model).
"""

from __future__ import annotations

import io
import textwrap
from typing import Mapping, Sequence

from ..plural import plural
from ..style import PALETTE, STYLE  # first: it sets the Agg backend

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.ticker import PercentFormatter  # noqa: E402

from ..results.stats import MIN_BOOTSTRAP, SurvivalCurve, first_at_or_below_half  # noqa: E402
from .words import median_days  # noqa: E402

WALL = {**STYLE, "font.size": 14, "axes.titlesize": 17, "axes.labelsize": 15, "legend.fontsize": 13,
        "xtick.labelsize": 13, "ytick.labelsize": 13, "figure.titlesize": 19, "lines.linewidth": 2.6}
LINESTYLES = ("-", "--", ":", "-.")
BAND_ALPHA = 0.15
EDGE_ALPHA, EDGE_WIDTH = 0.35, 0.7  # many arms' band edges: light and thin, so the means stay on top
TITLE_CHAR_WIDTH = 0.62  # width of an average bold character, in units of the font size
TITLE_LINES, MIN_TITLE_SIZE = 2, 14  # a finding's title: at most two lines, in type no smaller than this
FILLED_BANDS_MAX = 3  # more arms than this: 95% bands drawn as thin outlines, not stacked fills
SURVIVAL_NUDGE = 0.004  # vertical gap between survival lines of neighbouring arms (0.4 points)
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


def literal(text: str) -> str:
    """Text drawn as written: '$' escaped, so a name such as '$\\frac{}$' is not math text."""
    return str(text).replace("$", r"\$")


def title_lines(text: str, width_inches: float, size_points: float) -> list[str]:
    """``text`` wrapped to the lines a bold title of ``size_points`` fits across the figure."""
    return textwrap.wrap(text, int(width_inches * 72 / (size_points * TITLE_CHAR_WIDTH)))


def headline(fig, finding: str, ax=None, note: str = "") -> None:
    """The finding as the figure's bold title (wrapped to fit), ``note`` (how to read it) above
    the axes in small grey type."""
    size = plt.rcParams["figure.titlesize"]
    size = float(size) if isinstance(size, (int, float)) else WALL["figure.titlesize"]
    lines = title_lines(finding, fig.get_figwidth(), size)
    while len(lines) > TITLE_LINES and size > MIN_TITLE_SIZE:  # smaller type before a third line
        size -= 1
        lines = title_lines(finding, fig.get_figwidth(), size)
    fig.suptitle(literal("\n".join(lines)), x=0.01, ha="left", fontweight="bold", fontsize=size)
    if ax is not None and note:
        ax.set_title(literal(note), loc="left", fontsize=12, color="#444444")


def _label(arm: str, baseline: str) -> str:
    return literal(f"{arm} (baseline)" if arm == baseline else arm)


def legend_below(ax, n: int) -> None:
    """The legend under the plot, where it never hides a curve; fewer columns for long labels."""
    handles, labels = ax.get_legend_handles_labels()
    ncol = min(n, 3 if max((len(lab) for lab in labels), default=0) <= 32 else 2)
    ax.figure.legend(handles, labels, loc="outside lower center", ncol=max(ncol, 1), frameon=False)


def _fmt_days(d: float, horizon: int | None = None) -> str:
    if np.isfinite(d):
        return f"{d:.0f} days"
    return f"beyond day {horizon}" if horizon else "beyond the horizon"


def band(ax, x: np.ndarray, lo: np.ndarray, hi: np.ndarray, color: str, n_arms: int, step: str | None = None) -> None:
    """A 95% band: filled for up to ``FILLED_BANDS_MAX`` arms, else its two edges as thin lines
    (stacked fills of many arms merge into one grey-brown block)."""
    if n_arms <= FILLED_BANDS_MAX:
        ax.fill_between(x, lo, hi, step=step, color=color, alpha=BAND_ALPHA, lw=0)
        return
    for edge in (lo, hi):
        ax.plot(x, edge, color=color, lw=EDGE_WIDTH, alpha=EDGE_ALPHA, zorder=1.5,
                drawstyle=f"steps-{step}" if step else "default")


CUT_AT_ZERO = "cut at 0"  # the curves' t intervals, clipped where a count or money cannot go (results.aggregate)
CUT_SUFFIX = f", {CUT_AT_ZERO}"


def band_note(n_arms: int) -> str:
    """How the 95% bands are drawn, for a figure's note."""
    return "bands" if n_arms <= FILLED_BANDS_MAX else "thin lines"


def too_few_for_bands(runs: Mapping[str, int] | None) -> bool:
    """Whether an arm has too few runs for a 95% interval worth drawing (the comparison's own
    minimum, ``MIN_BOOTSTRAP``: two runs give a t-interval some 13 standard errors wide)."""
    return runs is not None and min(runs.values(), default=0) < MIN_BOOTSTRAP


def interval_note(runs: Mapping[str, int] | None, n_arms: int, what: str = "95% interval of the mean",
                  how: str = "") -> str:
    """The small-type line on how a figure's intervals are drawn (``how``: e.g. where they are
    cut), or that it has none."""
    if too_few_for_bands(runs):
        return f"no {what}: too few runs (an interval needs {MIN_BOOTSTRAP} per strategy)"
    return f"{band_note(n_arms)}: {what}{how}"


def _band_lines(ax, curves: Curves, series: str, arms: Sequence[str], baseline: str, scale: float = 1.0,
                runs: Mapping[str, int] | None = None) -> None:
    """Each arm's mean of ``series`` with its 95% band, not below zero (every series is a count
    or money); no band where an arm has too few runs for one (``too_few_for_bands``)."""
    styles = arm_styles(arms)
    for arm in arms:
        if arm not in curves:
            continue
        mean, lo, hi = (np.asarray(v, dtype=float) * scale for v in curves[arm][series])
        day = np.arange(len(mean))
        st = styles[arm]
        if not too_few_for_bands({arm: runs[arm]} if runs is not None and arm in runs else None):
            band(ax, day, np.maximum(lo, 0.0), hi, st["color"], len(arms))
        ax.plot(day, mean, color=st["color"], ls=st["ls"], label=_label(arm, baseline), zorder=2.5)


def activity_figure(curves: Curves, arms: Sequence[str], baseline: str, runs: Mapping[str, int], title: str,
                    more: str = ""):
    """Daily active members (14-day mean) per arm with 95% bands (none from too few runs, said
    once in the note), under ``title``; ``more`` ends the note (where the details are)."""
    with plt.rc_context(WALL):
        fig, ax = plt.subplots(figsize=(13, 7), constrained_layout=True)
        _band_lines(ax, curves, "active_14d", arms, baseline, runs=runs)
        n = sorted(set(runs.values()))
        runs_word = plural(max(n, default=0), "run")
        headline(fig, title, ax, f"mean of {'/'.join(map(str, n))} {runs_word} per strategy; "
                                 f"{interval_note(runs, len(arms), how=CUT_SUFFIX)}" + f"; {more}" * bool(more))
        ax.set_xlabel("day")
        ax.set_ylabel("members posting per day (14-day mean)")
        ax.set_ylim(bottom=0)
        ax.grid(alpha=0.25)
        legend_below(ax, len(arms))
    return fig


def survival_figure(survival: Mapping[str, SurvivalCurve], arms: Sequence[str], baseline: str, horizon: int,
                    title: str):
    """Community survival: share of replicate groups still alive by day (Kaplan-Meier,
    censored at the horizon) with 95% bands."""
    styles = arm_styles(arms)
    shown = [a for a in arms if a in survival]
    with plt.rc_context(WALL):
        fig, ax = plt.subplots(figsize=(13, 7), constrained_layout=True)
        for i, arm in enumerate(shown):
            c, st = survival[arm], styles[arm]
            t = np.append(c.time, horizon)
            s, lo, hi = (np.append(v, v[-1]) for v in (c.survival, c.low, c.high))
            band(ax, t, lo, hi, st["color"], len(shown), step="post")
            nudge = (i - (len(shown) - 1) / 2) * SURVIVAL_NUDGE  # coinciding lines (all alive) lie side by side
            ax.step(t, s + nudge, where="post", color=st["color"], ls=st["ls"],
                    label=f"{_label(arm, baseline)}: median {median_days(*c.median_range(), horizon)}")
        note = "" if len(shown) < 2 else f"; lines moved ±{SURVIVAL_NUDGE * (len(shown) - 1) * 50:.1f} points at most, so overlaps show"
        headline(fig, title, ax, "Kaplan-Meier over replicate groups, censored at the horizon; "
                                 f"{band_note(len(shown))}: 95% interval" + note)
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
    legend_below(ax, n_arms)


def _median_tenure(s: np.ndarray) -> float:
    """Days of membership by which half the members had left (inf if fewer did)."""
    return first_at_or_below_half(np.arange(len(s)), s)


def tenure_figure(tenure: Mapping[str, Mapping[str, np.ndarray]], arms: Sequence[str], baseline: str, title: str):
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
        headline(fig, title, ax, "Kaplan-Meier over all members who ever joined (spammers left out), pooled over replicates")
        _survival_axes(ax, "days since joining", "members still in the group", len(arms))
        ax.set_xlim(left=0)
    return fig


def tenure_by_role_figure(tenure: Mapping[str, Mapping[str, np.ndarray]], arms: Sequence[str], baseline: str,
                          title: str):
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
        for ax, role in zip(axes.flat, roles):
            for arm in arms:
                s = tenure.get(arm, {}).get(role)
                if s is None:
                    continue
                ax.step(np.arange(len(s)), s, where="post", color=styles[arm]["color"], ls=styles[arm]["ls"],
                        label=_label(arm, baseline))
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
        headline(fig, title)
        if roles:
            legend_below(axes.flat[0], len(arms))
    return fig


def participation_figure(shares: Mapping[str, Mapping[str, float]], arms: Sequence[str], baseline: str, title: str):
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
        headline(fig, title)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18 if len(shown) > 2 else -0.3), ncol=3, frameon=False)
    return fig


def members_revenue_figure(curves: Curves, arms: Sequence[str], baseline: str, title: str, money: bool = True,
                           runs: Mapping[str, int] | None = None):
    """Members (left) and cumulative revenue (right) per arm, with 95% bands (none where
    ``runs`` are too few: the report's notes say so); without ``money`` (no strategy sells
    anything or charges a fee), members alone."""
    with plt.rc_context(WALL):
        fig, axes = plt.subplots(1, 2 if money else 1, figsize=(17, 7) if money else (13, 7), constrained_layout=True,
                                 squeeze=False)
        ax1 = axes[0, 0]
        _band_lines(ax1, curves, "members", arms, baseline, runs=runs)
        ax1.set_title(f"Members\n({interval_note(runs, len(arms), how=CUT_SUFFIX)})")
        ax1.set_ylabel("members in the group")
        if money:
            ax2 = axes[0, 1]
            _band_lines(ax2, curves, "revenue_cumulative", arms, baseline, scale=1e-3, runs=runs)
            ax2.set_title("Revenue")
            ax2.set_ylabel("revenue, thousand yuan (cumulative)")
        for ax in axes.flat:
            ax.set_xlabel("day")
            ax.set_ylim(bottom=0)
            ax.grid(alpha=0.25)
        legend_below(axes.flat[-1], len(arms))
        headline(fig, title)
    return fig
