"""One ranked bar chart per metric: the factors sorted by the method's main index (largest on
top), levers and assumptions in two colours of the shared palette, 95% interval whiskers, and
for Sobol the first-order index as a dot beside each total-order bar."""

from __future__ import annotations

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from ..reports.figures import literal, png_bytes  # noqa: E402
from ..reports.words import UNITS, metric_kind  # noqa: E402
from ..style import PALETTE, STYLE  # first: it sets the Agg backend
from .analysis import MAIN_INDEX, IndexRow  # noqa: E402

ROLE_COLOURS = {"lever": PALETTE[0], "assumption": PALETTE[1]}


def metric_words(metric: str) -> str:
    """A metric in words for an exploration (a point's lifespan is a mean of censored lifespans)."""
    from ..reports.words import metric_label

    return "lifespan" if metric == "lifespan_days" else metric_label(metric)


def axis_label(method: str, metric: str) -> str:
    """What the bars measure, with the unit."""
    if method == "morris":
        unit = UNITS.get(metric_kind(metric), "")
        unit = "percentage points" if unit == "%" else (unit or "units of the metric")
        return f"mu*: mean change in {metric_words(metric)} ({unit})\nwhen a factor moves across its range"
    if method == "sobol":
        return f"share of the variance of {metric_words(metric)} (0-1):\nbars total order ST, dots first order S1"
    return (f"SRRC: standardised rank regression coefficient of {metric_words(metric)}\n"
            "(-1 to 1; right: higher values raise it, left: lower it)")


def _scale(method: str, metric: str) -> float:
    return 100.0 if method == "morris" and metric_kind(metric) == "share" else 1.0


def sensitivity_figure(metric: str, rows: list[IndexRow], method: str) -> bytes:
    """The ranked bar chart of one metric as PNG bytes."""
    main = [r for r in rows if r.metric == metric and r.index == MAIN_INDEX[method]]
    main.sort(key=lambda r: r.rank, reverse=True)  # rank 1 drawn last: on top
    k = _scale(method, metric)
    y = np.arange(len(main))
    value = np.array([r.value for r in main]) * k
    low = np.array([r.conf_low for r in main]) * k
    high = np.array([r.conf_high for r in main]) * k
    err = np.vstack([np.nan_to_num(value - low), np.nan_to_num(high - value)]).clip(min=0)
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(10, 1.6 + 0.55 * len(main)), layout="constrained")
        ax.barh(y, value, xerr=err, color=[ROLE_COLOURS[r.role] for r in main], capsize=4,
                error_kw={"elinewidth": 1.4, "ecolor": "#333333"})
        handles = [Patch(color=c, label=f"{role} ({'strategy' if role == 'lever' else 'community, behaviour'})")
                   for role, c in ROLE_COLOURS.items()]
        if method == "sobol":
            first = {r.factor: r for r in rows if r.metric == metric and r.index == "S1"}
            s1 = np.array([first[r.factor].value for r in main])
            s1_err = np.vstack([s1 - [first[r.factor].conf_low for r in main],
                                [first[r.factor].conf_high for r in main] - s1]).clip(min=0)
            ax.errorbar(s1, y + 0.25, xerr=s1_err, fmt="D", color=PALETTE[7], ms=6, capsize=3)
            handles.append(Line2D([], [], marker="D", color=PALETTE[7], ls="", label="first order S1"))
        handles.append(Line2D([], [], color="#333333", label="95% interval"))
        ax.set_yticks(y, [literal(r.factor) for r in main])
        ax.set_xlabel(axis_label(method, metric))
        ax.set_ylabel("factor (ranked)")
        ax.set_xlim(left=min(0.0, float(np.nanmin(low, initial=0.0)) * 1.05))
        ax.axvline(0, color="#333333", lw=0.8)
        ax.set_title(literal(f"What moves {metric_words(metric)} most ({method})"))
        ax.legend(handles=handles, loc="lower right", frameon=False)
        return png_bytes(fig)
