"""Figures and words for the room: the dashboard's curves (active members, messages by kind,
members by role), the social network, the strategy in force and the status lines; big fonts,
the palette of ``sim.style``, titles that state what the curve shows now."""

from __future__ import annotations

import io
import time
from typing import Any

from ..style import ROLE_COLOURS  # first: it sets the Agg backend

import numpy as np  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator  # noqa: E402

from ..run.metrics import moving_mean  # noqa: E402
from ..scenario import ROLES, Scenario  # noqa: E402
from .charts import LOG_FLOOR, Chart, active_chart, messages_chart, roles_chart  # noqa: E402
from .frames import Frame, RunFrame  # noqa: E402
from .live import entry_words  # noqa: E402


def describe_strategy(s: Scenario) -> list[str]:
    """The levers in force, in words with units (read from a run's own scenario)."""
    st = s.strategy
    e = st.entry
    entry = "entry: " + entry_words(e.kind, e.level)  # the words of the rules and plans that switch it
    cap = f"cap {e.size_cap} members" if e.size_cap else "no size cap"
    r = st.rewards
    rewards = f"rewards top {r.top_k} every {r.every_days} days" if r.every_days else "no rewards"
    p = st.perks
    perks = f"perk {p.value_yuan:g} yuan every {p.every_days} days" if p.every_days else "no perks"
    c = st.cleanup
    if not c.every_days:
        cleanup = "no cleanups"
    elif c.rule == "inactive":
        cleanup = f"cleanup every {c.every_days} days (inactive {c.inactive_days} days)"
    elif c.rule == "bottom_share":
        cleanup = f"cleanup every {c.every_days} days (bottom {c.bottom_share:.0%})"
    elif c.rule == "misfits":
        cleanup = f"cleanup every {c.every_days} days (judged fit under {c.min_fit:g})"
    else:
        cleanup = f"cleanup every {c.every_days} days (ad posters)"
    ct = st.content
    content = (f"creator {ct.creator_posts_per_week:g} posts/week, managers {ct.manager_posts_per_week:g}/week, "
               f"quality {ct.quality:g}")
    events = ("events: " + ", ".join(f"{e.kind} every {e.every_days} days from day {e.start_day}"
                                     + (" (branded)" if e.branded else "") for e in ct.events)) if ct.events else "no events"
    rc = st.recruiting
    campaigns = [f"campaign {c.applicants_per_day:g}/day, days {c.start_day}-{c.end_day}" for c in rc.campaigns]
    return [f"{s.community.initial_members} founding members", entry, cap, rewards, perks, cleanup, content, events,
            *campaigns, f"{rc.organic_per_day:g} newcomers/day find the group",
            f"{s.community.managers} managers removing {st.moderation:.0%} of ads",
            f"hard selling {st.selling.hard_selling:.0%}"]


# Projection style: bigger than the report figures, readable from the back of a room.
WALL = {"font.size": 15, "axes.titlesize": 16, "axes.labelsize": 15, "legend.fontsize": 13,
        "xtick.labelsize": 13, "ytick.labelsize": 13, "axes.spines.top": False, "axes.spines.right": False}
A_STYLE = {"ls": (0, (5, 3)), "lw": 2.4, "alpha": 0.9}


def _figure(width: float = 6.2, height: float = 3.9, right: float = 0.97, left: float = 0.13,
            bottom: float = 0.16) -> tuple[Figure, Any]:
    """A figure with fixed margins (a constrained layout costs a third of the drawing time)."""
    import matplotlib as mpl

    with mpl.rc_context(WALL):
        fig = Figure(figsize=(width, height), dpi=100)
        ax = fig.add_subplot()
    fig.subplots_adjust(left=left, right=right, top=1 - 0.47 / height, bottom=bottom)
    _style(ax)
    return fig, ax


def _style(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=WALL["xtick.labelsize"])
    ax.grid(alpha=0.25)


def _text(ax, title: str, xlabel: str, ylabel: str) -> None:
    ax.set_title(title, fontsize=WALL["axes.titlesize"], loc="left", fontweight="bold")
    ax.set_xlabel(xlabel, fontsize=WALL["axes.labelsize"])
    ax.set_ylabel(ylabel, fontsize=WALL["axes.labelsize"])


def chart_figure(chart: Chart) -> Figure:
    """A chart as the browser draws it, for the PNGs a room takes home: the same lines, marks,
    words and legend (``charts`` holds what is drawn, here only how)."""
    # the legend to the right (many entries) or under the plot: never over the curves' marks
    fig, ax = _figure(right=0.72, left=0.16) if chart.legend_outside else _figure(height=5.2, bottom=0.36)
    for ln in chart.lines:
        style = A_STYLE if ln.dashed else {"lw": ln.width, "alpha": ln.opacity}
        ax.plot(np.arange(len(ln.values)), ln.values, color=ln.colour, **style)
    for m in chart.marks:  # each label in its row, on the side of its line where it fits (``marks.placed``)
        ax.axvline(m.day, color=m.colour, ls={"change": "-.", "rule": "--"}.get(m.style, ":"),
                   lw=2 if m.style == "death" else 1.6)
        left = m.side == "left"
        ax.annotate(m.label, (m.day, 0.97 - 0.09 * m.row), xycoords=("data", "axes fraction"), xytext=(-4 if left else 4, 0),
                    textcoords="offset points", fontsize=11, color=m.colour, va="top", ha="right" if left else "left")
    if chart.hint:
        ax.text(0.5, 0.5, chart.hint, transform=ax.transAxes, ha="center", va="center", fontsize=16, color="#555555")
    _text(ax, chart.title, chart.x_label, chart.y_label)
    ax.set_xlim(0, chart.horizon)
    if chart.log:
        top = max([float(ln.values.max()) for ln in chart.lines if len(ln.values)] or [0.0])
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(base=10))
        ax.yaxis.set_minor_locator(NullLocator())  # minor log ticks cost a third of the drawing
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else ""))
        ax.set_ylim(LOG_FLOOR, max(10.0, top * 2))
    else:
        ax.set_ylim(bottom=0)
    handles = [Line2D([], [], color=e["colour"], **_legend_style(e), label=e["name"]) for e in chart.layout()["legend"]]
    if handles:
        where = ({"loc": "center left", "bbox_to_anchor": (1.0, 0.5)} if chart.legend_outside
                 else {"loc": "upper center", "bbox_to_anchor": (0.5, -0.25), "ncol": 3 if len(handles) > 4 else 2})
        ax.legend(handles=handles, frameon=False, fontsize=12 if chart.legend_outside else 13, **where)
    return fig


MARK_SAMPLE = {"ls": "none", "marker": "|", "ms": 16, "mew": 1.6}  # a mark in the legend: a short vertical line


def _legend_style(entry: dict) -> dict:
    """How a legend entry's sample is drawn: a mark's upright, A's lines dashed, B's solid."""
    if entry.get("mark"):
        return MARK_SAMPLE
    return A_STYLE if entry["dashed"] else {"lw": 3}


def active_figure(frame: Frame) -> Figure:
    return chart_figure(active_chart(frame))


def messages_figure(frame: Frame) -> Figure:
    return chart_figure(messages_chart(frame))


def roles_figure(frame: Frame) -> Figure:
    return chart_figure(roles_chart(frame))


def _draw_network(ax, rf: RunFrame, title: str) -> None:
    ax.set_axis_off()
    ax.set_title(title, fontsize=WALL["axes.titlesize"], fontweight="bold", loc="left")
    net = rf.net
    if net is None or len(net.ids) == 0:
        ax.text(0.5, 0.5, "no members left", ha="center", va="center", fontsize=16, transform=ax.transAxes)
        return
    if len(net.edges):
        segs = net.xy[net.edges]
        ax.add_collection(LineCollection(segs, colors="#9a9a9a", linewidths=0.5, alpha=0.35, zorder=1))
    colours = np.array([ROLE_COLOURS[ROLES[r]] for r in net.role])
    crowd = min(1.5, max(0.35, 250 / max(1, len(net.ids))))  # smaller dots in a bigger crowd
    sizes = (10 + 110 * np.clip(net.commitment, 0, 1) ** 1.5) * crowd
    order = np.argsort(net.role == 2)[::-1]  # participants first, rarer roles drawn on top
    real = ~net.spammer[order]
    o = order[real]
    ax.scatter(net.xy[o, 0], net.xy[o, 1], s=sizes[o], c=colours[o], edgecolors="none", zorder=2)
    sp = order[~real]
    if len(sp):
        ax.scatter(net.xy[sp, 0], net.xy[sp, 1], s=40, c="#D55E00", marker="x", linewidths=1.6, zorder=3)
    lo, hi = net.xy.min(0), net.xy.max(0)
    pad = 0.03 * max(1e-6, float((hi - lo).max()))
    ax.set_xlim(lo[0] - pad, hi[0] + pad)
    ax.set_ylim(lo[1] - pad, hi[1] + pad)
    ax.set_aspect("equal", adjustable="box")


def network_figure(frame: Frame) -> Figure:
    import matplotlib as mpl

    pair = frame.compare and "A" in frame.runs
    with mpl.rc_context(WALL):
        fig = Figure(figsize=(11 if pair else 6.2, 5.4 if pair else 5.6), dpi=100)
        axes = fig.subplots(1, 2 if pair else 1, squeeze=False)[0]
    fig.subplots_adjust(left=0.01, right=0.99, top=0.92, bottom=0.17 if pair else 0.2, wspace=0.04)
    runs = [frame.runs["A"], frame.runs["B"]] if pair else [frame.runs["B"]]
    for ax, rf in zip(axes, runs):
        n = 0 if rf.net is None else len(rf.net.ids)
        who = {"A": "A", "B": "B" if pair else "Who is here"}[rf.label]
        _draw_network(ax, rf, f"{who}: {n} members on day {frame.day}")
    handles = [Line2D([], [], ls="", marker="o", ms=11, color=ROLE_COLOURS[r], label=r) for r in ROLES]
    handles.append(Line2D([], [], ls="", marker="x", ms=9, mew=2, color="#D55E00", label="spammer"))
    handles += [Line2D([], [], ls="", marker="o", ms=ms, color="#777777", label=lab)
                for ms, lab in ((3.5, "low commitment"), (11, "high commitment"))]
    fig.legend(handles=handles, loc="lower center", ncol=5 if pair else 4, frameon=False, fontsize=12,
               columnspacing=1.0, handletextpad=0.3)
    return fig


def png(fig: Figure, dpi: int = 80) -> bytes:
    """PNG bytes of a figure (no pyplot: safe from the page's worker threads)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})  # fast: it only travels to localhost
    return buf.getvalue()


def status_lines(frame: Frame) -> list[tuple[str, str]]:
    """(label, value) pairs for the headline row, B first."""
    out = []
    for key in ("B", "A"):
        rf = frame.runs.get(key)
        if rf is None:
            continue
        ts = rf.ts
        tag = f" ({key})" if frame.compare else ""
        if len(ts["day"]):
            members = int(ts["members"][-1])
            active = float(moving_mean(ts["active"])[-1])
        else:
            members = rf.scenario.community.initial_members
            active = 0.0
        fate = f"dead from day {rf.lifespan}" if rf.dead else "alive"
        out += [(f"members{tag}", f"{members:,}"), (f"active a day{tag}", f"{active:.0f}"), (f"status{tag}", fate)]
    return out


def network_picture(frame: Frame, debug: bool = False) -> bytes:
    """The network as the page shows it (a PNG: a picture of the whole group, drawn on the server)."""
    t0 = time.perf_counter()
    out = png(network_figure(frame))
    if debug:
        print(f"[app] day {frame.day}: network drawn in {time.perf_counter() - t0:.3f} s", flush=True)
    return out


def network_due(day: int, last_day: int, days_per_second: int, playing: bool) -> bool:
    """Whether the network picture of the same runs is redrawn on this frame: on a new day while
    the run stands still, and about once a second while it runs (a picture of the whole group is
    the costly part of a frame; the curves are drawn by the browser and keep the run's pace)."""
    if day < last_day or not playing:
        return day != last_day
    return day - last_day >= max(1, days_per_second)
