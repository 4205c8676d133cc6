"""The dashboard's curves as data: active members, messages by kind and members by role, each a
``Chart`` of lines (one value a day from day 0), marks (live changes, death) and words (title,
axis labels with units, legend). The browser draws them (``curve_widget``), and the PNGs a room
takes home are drawn from the same charts (``figures.chart_figure``), so the two always agree.

Pure functions of a ``Frame``: no Solara, no matplotlib, tested without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..run.metrics import moving_mean
from ..scenario import ROLES
from ..style import KIND_COLOURS, PALETTE, ROLE_COLOURS
from ..plural import count
from .frames import Frame, RunFrame
from .marks import MARK_FONT_PX, MARK_LABEL_CHARS, MIN_PLOT_PX, label_extent, placed  # noqa: F401 (tests)

LIVE_COLOUR = "#555555"
LOG_FLOOR = 0.8  # a log axis shows 0 members as this (under the first tick, 1)


@dataclass(frozen=True)
class Line:
    """One curve: ``values[d]`` on day ``d``. ``dashed`` is strategy A's style."""

    name: str  # its legend entry; "" keeps it out of the legend
    colour: str
    values: np.ndarray
    run_id: int  # which run it comes from: a new run (reset, replay, reload) redraws it whole
    width: float = 2.6
    dashed: bool = False
    opacity: float = 1.0


@dataclass(frozen=True)
class Mark:
    """A vertical line on one day: a live change (dash-dot), a rule acting (dashed; B's or, side
    by side, A's in the colour the chart gives A) or a death (dotted). ``label``, short, is drawn
    in ``row`` (0 at the top) on its ``side`` of the line, inside the plot ("" for none);
    ``detail`` is the whole story (the mark's tooltip). ``legend`` names such marks in the legend
    ("" for none); the legend shows it once, as a mark."""

    day: int
    label: str
    colour: str
    style: str  # "change", "rule" or "death"
    legend: str = ""
    detail: str = ""
    side: str = "right"  # "right" or "left" of the line
    row: int = 0


@dataclass(frozen=True)
class Chart:
    key: str  # "active", "messages", "roles": its CSS class is "curve-<key>"
    title: str
    y_label: str
    horizon: int  # days on the x axis
    lines: tuple[Line, ...]
    marks: tuple[Mark, ...] = ()
    log: bool = False
    hint: str = ""  # a word in the empty plot ("press Run or Step to start")
    extra_legend: tuple[tuple[str, str, bool], ...] = ()  # (label, colour, dashed) that are no line
    legend_outside: bool = False  # to the right of the plot (many entries)
    x_label: str = "day"

    def identity(self) -> tuple:
        """What, if it changes, means the lines must be sent whole again (not only new days)."""
        return (self.key, self.horizon, self.log,
                tuple((ln.name, ln.colour, ln.run_id, ln.dashed, ln.width, ln.opacity) for ln in self.lines))

    def layout(self) -> dict:
        """Everything but the values, as JSON for the browser."""
        return {"key": self.key, "title": self.title, "x_label": self.x_label, "y_label": self.y_label,
                "horizon": self.horizon, "log": self.log, "log_floor": LOG_FLOOR, "hint": self.hint,
                "legend_outside": self.legend_outside,
                "lines": [{"name": ln.name, "colour": ln.colour, "width": ln.width, "dashed": ln.dashed,
                           "opacity": ln.opacity} for ln in self.lines],
                "legend": [{"name": ln.name, "colour": ln.colour, "dashed": ln.dashed} for ln in self.lines
                           if ln.name] + [{"name": n, "colour": c, "dashed": d} for n, c, d in self.extra_legend]
                + self.marks_legend(),
                "mark_font_px": MARK_FONT_PX, "min_plot_px": MIN_PLOT_PX,
                "marks": [{"day": m.day, "label": m.label, "colour": m.colour, "style": m.style,
                           "detail": m.detail or m.label, "side": m.side, "row": m.row} for m in self.marks]}


    def marks_legend(self) -> list[dict]:
        """One legend entry for each kind of mark that is drawn and named (a vertical sample)."""
        named = dict.fromkeys((m.legend, m.colour) for m in self.marks if m.legend)
        return [{"name": n, "colour": c, "dashed": True, "mark": True} for n, c in named]


def _has(rf: RunFrame | None) -> bool:
    return rf is not None and len(rf.ts["day"]) > 0


def _hint(frame: Frame) -> str:
    return "press Run or Step to start" if frame.day == 0 else ""


RULE_COLOUR = "#CC79A7"  # B's rules acting
A_RULE_COLOUR = PALETTE[1]  # A's rules acting where A has a curve of its own colour: the colour of A's curve
STRATEGY_KEY = "#333333"  # where A's lines take other colours (messages by kind): the legend's key to A and B
RULE_LABELS = 3  # the first firings are labelled; later ones are marked only (a rule may act every month)
RULE_MARKS = 40  # at most this many firings drawn (the latest), so a rule acting daily does not flood the page


def _side_by_side(frame: Frame) -> bool:
    """Whether A is shown beside B: then every rule mark says whose, from day 0 to the end."""
    return frame.compare and "A" in frame.runs


def _fired_marks(rf: RunFrame, colour: str, who: str) -> list[Mark]:
    """Each time ``rf``'s rules acted, the first few labelled with the rule's name; side by side
    each named after its strategy ``who`` ("A: rule 1", and "A's rule acted" in the legend)."""
    fired, tag = rf.fired, f"{who}: " if who else ""
    legend = f"{who}'s rule acted" if who else ""
    return [Mark(day, tag + what.split(":")[0] if i < RULE_LABELS else "", colour, "rule", legend,
                 f"{who + ', ' if who else ''}day {day}: {what}")
            for i, (day, what) in enumerate(fired) if i < RULE_LABELS or i >= len(fired) - RULE_MARKS]


def _by_day(marks: tuple[tuple[int, str], ...]) -> dict[int, list[str]]:
    days: dict[int, list[str]] = {}
    for day, what in marks:
        days.setdefault(day, []).append(what)
    return dict(sorted(days.items()))


def day_changes(marks: tuple[tuple[int, str], ...]) -> dict[int, str]:
    """The live changes and adopted rules of each day, in words: {120: 'day 120: rule 1: when
    ...; creator posts 0 per week'} (the mark's tooltip and the 'Changed during the run' line)."""
    return {day: f"day {day}: " + "; ".join(whats) for day, whats in _by_day(marks).items()}


def _change_label(day: int, whats: list[str]) -> str:
    """A day's changes in a few words: 'day 120: rule 1', 'day 200: clean up off', else a count."""
    rules = [w.split(":")[0] for w in whats if w.startswith("rule ")]
    others = len(whats) - len(rules)
    parts = rules + ([whats[0]] if others == 1 and not rules else [count(others, "change")] if others else [])
    label = f"day {day}: " + ", ".join(parts)
    return label if len(label) <= MARK_LABEL_CHARS else f"day {day}: {count(len(whats), 'change')}"


def _change_marks(frame: Frame) -> list[Mark]:
    """One mark a day listing that day's live changes and adopted rules."""
    words = day_changes(frame.marks)
    return [Mark(day, _change_label(day, whats), LIVE_COLOUR, "change", detail=words[day])
            for day, whats in _by_day(frame.marks).items()]


def _marks(frame: Frame, deaths: tuple[tuple[RunFrame, str], ...], a_colour: str) -> tuple[Mark, ...]:
    """Each day's live changes and adopted rules (an operator acts from a day on), each run's
    death day, then each time B's rules acted and, side by side, A's (in ``a_colour``: the
    colour the chart's legend gives A), their labels placed inside the plot."""
    out = _change_marks(frame)
    pair = _side_by_side(frame)
    tag = {rf.label: f"{rf.label}: " if frame.compare else "" for rf, _ in deaths}
    out += [Mark(rf.lifespan, f"{tag[rf.label]}dead from day {rf.lifespan}", colour, "death")
            for rf, colour in deaths if rf.dead]
    out += _fired_marks(frame.runs["B"], RULE_COLOUR, "B" if pair else "")
    if pair:
        out += _fired_marks(frame.runs["A"], a_colour, "A")
    return placed(out, frame.horizon)


def per_day(count: float) -> str:
    """A count a day for a title: one decimal below 10 (0.8 and 1.4 are different groups), whole above."""
    return f"{count:.1f}" if abs(count) < 9.95 else f"{count:.0f}"


def active_chart(frame: Frame) -> Chart:
    """Members posting a day: B each day and its 14-day mean; A's 14-day mean dashed."""
    b, a = frame.runs["B"], frame.runs.get("A")
    tag = " (B)" if frame.compare else ""
    lines, deaths = [], []
    if _has(b):
        lines += [Line("each day" + tag, PALETTE[5], b.ts["active"], b.run_id, width=1.2, opacity=0.7),
                  Line("14-day mean" + tag, PALETTE[0], moving_mean(b.ts["active"]), b.run_id, width=3)]
        deaths.append((b, PALETTE[0]))
    now = float(moving_mean(b.ts["active"])[-1]) if _has(b) else 0.0
    title = f"Active members: {per_day(now)} a day (14-day mean)"
    if _has(a):
        mean_a = moving_mean(a.ts["active"])
        lines.append(Line("14-day mean (A)", PALETTE[1], mean_a, a.run_id, width=2.4, dashed=True))
        deaths.append((a, PALETTE[1]))
        title = f"Active members a day: B {per_day(now)}, A {per_day(mean_a[-1])}"
    return Chart("active", title, "members posting", frame.horizon, tuple(lines),
                 _marks(frame, tuple(deaths), A_RULE_COLOUR), hint=_hint(frame))


MESSAGE_KINDS = (("content", "content_posts"), ("chat", "chat_posts"), ("ads", "ad_posts"))


def messages_chart(frame: Frame) -> Chart:
    """Messages a day by kind (7-day means); the title gives this week's share of ads."""
    b, a = frame.runs["B"], frame.runs.get("A")
    lines = []
    for kind, col in MESSAGE_KINDS:
        if _has(b):
            lines.append(Line(kind, KIND_COLOURS[kind], moving_mean(b.ts[col], 7), b.run_id, width=3))
        if _has(a):
            lines.append(Line("", KIND_COLOURS[kind], moving_mean(a.ts[col], 7), a.run_id, width=2.4, dashed=True))
    extra: tuple[tuple[str, str, bool], ...] = ()
    if not _has(b):
        extra = tuple((kind, KIND_COLOURS[kind], False) for kind, _ in MESSAGE_KINDS)
    if frame.compare:
        extra += (("B: your settings", STRATEGY_KEY, False), (f"A: {frame.a_label}", STRATEGY_KEY, True))
    week = {col: float(b.ts[col][-7:].sum()) if _has(b) else 0.0 for _, col in MESSAGE_KINDS}
    total = sum(week.values())
    share = f"{week['ad_posts'] / total:.0%} ads this week" if total else "none yet"
    return Chart("messages", f"Messages a day: {share}" + (" (B)" if frame.compare else ""), "messages a day",
                 frame.horizon, tuple(lines), _marks(frame, (), STRATEGY_KEY), hint=_hint(frame),
                 extra_legend=extra)


def roles_chart(frame: Frame) -> Chart:
    """Members by role on a log scale (rare roles stay visible beside hundreds of participants)."""
    b, a = frame.runs["B"], frame.runs.get("A")
    lines = []
    for role in ROLES:
        col = f"role_{role}"
        if _has(b):
            lines.append(Line(role, ROLE_COLOURS[role], np.maximum(b.ts[col], LOG_FLOOR), b.run_id))
        if _has(a):
            lines.append(Line("", ROLE_COLOURS[role], np.maximum(a.ts[col], LOG_FLOOR), a.run_id, width=2.4,
                              dashed=True))
    members = int(b.ts["members"][-1]) if _has(b) else b.scenario.community.initial_members
    return Chart("roles", f"Members by role: {members:,} now" + (" (B)" if frame.compare else ""),
                 "members (log scale)", frame.horizon, tuple(lines), log=True, hint=_hint(frame),
                 legend_outside=True)


def curves(frame: Frame) -> tuple[Chart, Chart, Chart]:
    """The dashboard's three curves, in the order the page shows them."""
    return active_chart(frame), messages_chart(frame), roles_chart(frame)
