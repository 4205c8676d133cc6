"""Figures of a grid experiment: each metric drawn against the swept value, beside the curves of
``figures``. One swept field gives a line of the arms' values with their 95% intervals as a band;
two give a heatmap with every cell annotated. Every plotted number is a row of comparison.csv
(the arm's value and interval: a mean, or the Kaplan-Meier median for lifespan), and the title
comes from ``titles.grid_title``, so it claims only what the intervals support.

Inputs are the result set (the grid and each arm's overrides) and the comparison rows, never
the model; a field's doc (with its unit) comes from the scenario schema.
"""

from __future__ import annotations

import re
import textwrap
from typing import Any, Sequence

from ..style import PALETTE  # first: it sets the Agg backend

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

from ..results.comparison import ComparisonRow  # noqa: E402
from ..results.folders import ResultSet  # noqa: E402
from ..scenario import scenario_field_docs  # noqa: E402
from .figures import BAND_ALPHA, WALL, headline, legend_below, literal  # noqa: E402
from .titles import grid_title  # noqa: E402
from .words import UNITS, fmt, metric_kind, metric_label  # noqa: E402

NOTE = "each point: one setting's value in comparison.csv ({stat}); band: its 95% interval"
CUT_NOTE = ", cut at 0 (shares at 100%)"  # a mean's t interval, clipped in results.comparison


def grid_figure_name(metric: str) -> str:
    """The figure's name (figures/<name>.png) for one metric."""
    return "grid_" + re.sub(r"[^A-Za-z0-9_.-]", "_", metric)


def field_label(path: str) -> str:
    """A swept field's axis label: its path and, where the schema knows it, its doc (with unit)."""
    docs = {p: doc for p, _, doc in scenario_field_docs()}
    doc = docs.get(path, "")
    return literal(path + (f"\n({textwrap.shorten(doc, 70, placeholder='...')})" if doc else ""))


def metric_axis_label(metric: str, horizon: int) -> str:
    unit = UNITS.get(metric_kind(metric))
    return literal(metric_label(metric, horizon) + (f" ({unit})" if unit else ""))


def _scale(metric: str) -> float:
    return 100.0 if metric_kind(metric) == "share" else 1.0


def _finite(x: float) -> float:
    return float(x) if np.isfinite(x) else np.nan


def beyond_label(horizon: int) -> str:
    """How a value past the horizon reads: a group still alive when the runs ended."""
    return f"alive beyond day {horizon}"


def _plotted(x: float, metric: str, horizon: int) -> float:
    """A comparison value as drawn: a lifespan beyond the horizon (a censored Kaplan-Meier
    median or bound, inf in comparison.csv) at the horizon, other non-finite values left out."""
    if metric_kind(metric) == "days" and np.isposinf(x):
        return float(horizon)
    return _finite(x)


def _numeric(values: Sequence[Any]) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


def _by_setting(rs: ResultSet, rows: Sequence[ComparisonRow], metric: str) -> dict[tuple, ComparisonRow]:
    """(value of each swept field) -> the arm's row of ``metric``."""
    mine = {r.arm: r for r in rows if r.metric == metric}
    paths = list(rs.grid or {})
    return {tuple(a.overrides.get(p) for p in paths): mine[a.name] for a in rs.arms if a.name in mine}


def line_figure(rs: ResultSet, rows: Sequence[ComparisonRow], metric: str, title: str):
    """One swept field: the arms' values against the field's value, 95% band, baseline marked."""
    (path, values), = rs.grid.items()
    found = _by_setting(rs, rows, metric)
    values = [v for v in values if (v,) in found]
    x = np.asarray(values, dtype=float) if _numeric(values) else np.arange(len(values), dtype=float)
    k = _scale(metric)
    got = [found[(v,)] for v in values]
    y, lo, hi = (np.array([_plotted(getattr(r, c), metric, rs.days) * k for r in got])
                 for c in ("value", "value_low", "value_high"))
    beyond = np.array([metric_kind(metric) == "days" and np.isposinf(r.value) for r in got], dtype=bool)
    stat = got[0].statistic if got else "mean"
    with plt.rc_context(WALL):
        fig, ax = plt.subplots(figsize=(13, 7), constrained_layout=True)
        ax.fill_between(x, lo, hi, color=PALETTE[0], alpha=BAND_ALPHA, lw=0, label="95% interval")
        ax.plot(x, y, color=PALETTE[0], marker="o", markevery=list(np.flatnonzero(~beyond)),
                label=literal(metric_label(metric, rs.days)))
        base = [i for i, r in enumerate(got) if r.arm == rs.baseline]
        for i in base:
            ax.plot(x[i], y[i], marker="*", ms=26, mfc="none", mec=PALETTE[1], mew=3, ls="none", zorder=5,
                    label=literal(f"baseline ({rs.baseline})"))  # hollow: the point under it shows
        if beyond.any():
            ax.plot(x[beyond], y[beyond], marker="^", ms=12, color=PALETTE[0], mec="black", ls="none", zorder=4,
                    label=f"{beyond_label(rs.days)} (drawn at the horizon)")
        if not _numeric(values):
            ax.set_xticks(x, [literal(str(v)) for v in values])
        headline(fig, title, ax, NOTE.format(stat=stat) + (CUT_NOTE if stat == "mean" else ""))
        ax.set_xlabel(field_label(path))
        ax.set_ylabel(metric_axis_label(metric, rs.days))
        ax.set_ylim(bottom=0, top=max(ax.get_ylim()[1], rs.days * 1.08 if beyond.any() else 0))
        ax.grid(alpha=0.25)
        legend_below(ax, 3)
    return fig


def heatmap_figure(rs: ResultSet, rows: Sequence[ComparisonRow], metric: str, title: str):
    """Two swept fields: the metric per pair of values, each cell annotated, baseline outlined."""
    (p1, v1), (p2, v2) = rs.grid.items()
    found = _by_setting(rs, rows, metric)
    k = _scale(metric)
    grid = np.full((len(v2), len(v1)), np.nan)
    with plt.rc_context(WALL):
        fig, ax = plt.subplots(figsize=(13, 8), constrained_layout=True)
        for j, b in enumerate(v2):
            for i, a in enumerate(v1):
                r = found.get((a, b))
                if r is None:
                    continue
                grid[j, i] = _plotted(r.value, metric, rs.days) * k
                beyond = metric_kind(metric) == "days" and np.isposinf(r.value)
                text = beyond_label(rs.days).replace(" day", "\nday") if beyond else fmt(r.value, metric, unit=False)
                ax.text(i, j, literal(text), ha="center", va="center",
                        fontsize=12, color="black", bbox={"facecolor": "white", "alpha": 0.7, "lw": 0, "pad": 1.5})
                if r.arm == rs.baseline:
                    ax.add_patch(Rectangle((i - 0.5, j - 0.5), 1, 1, fill=False, lw=3, ec="black"))
        im = ax.imshow(grid, origin="lower", aspect="auto", cmap="viridis")
        fig.colorbar(im, ax=ax).set_label(metric_axis_label(metric, rs.days))
        ax.set_xticks(range(len(v1)), [literal(str(v)) for v in v1])
        ax.set_yticks(range(len(v2)), [literal(str(v)) for v in v2])
        ax.set_xlabel(field_label(p1))
        ax.set_ylabel(field_label(p2))
        stat = next(iter(found.values())).statistic if found else "mean"
        headline(fig, title, ax, f"each cell: one setting's value in comparison.csv ({stat}); "
                                 f"outlined: the baseline ({rs.baseline})"
                                 + (f"; '{beyond_label(rs.days)}': coloured as day {rs.days}"
                                    if any(np.isposinf(r.value) for r in found.values()) else ""))
    return fig


def no_money_figure(rs: ResultSet, rows: Sequence[ComparisonRow], metric: str, title: str):
    """A money metric that is zero at every setting: the title and a sentence, no empty axes."""
    with plt.rc_context(WALL):
        fig, ax = plt.subplots(figsize=(13, 4), constrained_layout=True)
        ax.set_axis_off()
        ax.text(0.5, 0.5, f"no money in this scenario: {metric_label(metric, rs.days)} is 0 yuan at every setting\n"
                          "(free entry, nothing sold)", ha="center", va="center", transform=ax.transAxes,
                color="#444444")
        headline(fig, title)
    return fig


def _no_money(found: dict[tuple, ComparisonRow], metric: str) -> bool:
    return metric_kind(metric) == "yuan" and all(r.value == 0 and r.value_high == 0 for r in found.values())


def grid_drawings(rs: ResultSet, rows: Sequence[ComparisonRow]) -> dict[str, tuple[tuple, str]]:
    """name -> (drawing, title) per metric of a grid experiment with one or two swept fields,
    where a drawing is (figure function, its arguments...) for ``sim.reports.outputs.draw_png``
    (so worker processes can draw them at once); nothing for named arms, several result
    folders, or a grid of three or more fields."""
    if not rs.grid or len(rs.grid) > 2 or len(rs.sources) != 1:
        return {}
    paths = list(rs.grid)
    out = {}
    for metric in rs.metrics:
        found = _by_setting(rs, rows, metric)
        if not found:
            continue
        title = grid_title(list(found.values()), metric, paths, rs.baseline, rs.days)
        draw = no_money_figure if _no_money(found, metric) else line_figure if len(paths) == 1 else heatmap_figure
        out[grid_figure_name(metric)] = ((draw, rs, rows, metric, title), title)
    return out
