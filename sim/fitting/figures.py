"""The fit's and the forecast's figures: observed against simulated statistics (fit.png), and the
observed past joined to the forecast band (forecast.png); labelled axes with units, legends,
uncertainty bands, the palette of ``sim.style``."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping, Sequence

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from ..style import PALETTE, STYLE  # first: it sets the Agg backend
from .observed import MEMBER_STATISTICS, MISSING, WINDOWS  # noqa: E402
from .quality import spread  # noqa: E402

LABELS = {"top1_share": "messages by top 1%", "next9_share": "messages by next 9%",
          "one_message_share": "authors with one message", "still_posting_30d": "still posting after 30 days",
          "answered_share": "newcomers answered in 7 days"}


def _spread(predictive: list[dict[str, float]], weights: np.ndarray, key: str) -> tuple[float, float, float]:
    """Weighted 5th, 50th and 95th percentiles of a statistic over the last population."""
    return spread(np.array([row[key] for row in predictive]), weights)


def save_fit_png(path: Path, observed: Mapping[str, float], predictive: list[dict[str, float]],
                 weights: np.ndarray, days: int, title: str, notes: Sequence[str] = ()) -> None:
    """Three panels: daily active authors per window of the span, the member statistics, and
    messages per active author-day; observed as black points, the posterior predictive median
    with its 5-95% range in colour; ``notes`` (estimates with intervals, ESS, checks) under the title."""
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, 3, figsize=(16, 5.5 + 0.3 * len(notes)), constrained_layout=True,
                                 gridspec_kw={"width_ratios": [3, 3, 1]})
        ax = axes[0]
        mid = (np.arange(WINDOWS) + 0.5) * days / WINDOWS
        spread = np.array([_spread(predictive, weights, f"active_w{i}") for i in range(WINDOWS)])
        ax.fill_between(mid, spread[:, 0], spread[:, 2], color=PALETTE[5], alpha=0.35, label="simulated, 5-95%")
        ax.plot(mid, spread[:, 1], color=PALETTE[0], lw=2.5, label="simulated, median")
        ax.plot(mid, [observed[f"active_w{i}"] for i in range(WINDOWS)], "o-", color="black", label="observed")
        ax.set_xlabel("day of the log (window middles)")
        ax.set_ylabel("distinct authors per day (window mean)")
        ax.set_title("Daily active authors")
        ax.legend(frameon=False)
        ax = axes[1]
        keys = list(MEMBER_STATISTICS)
        y = np.arange(len(keys))
        s = np.array([_spread(predictive, weights, k) for k in keys])
        ax.errorbar(s[:, 1], y, xerr=[s[:, 1] - s[:, 0], s[:, 2] - s[:, 1]], fmt="s", color=PALETTE[0], capsize=4,
                    label="simulated, median and 5-95%")
        ax.plot([observed[k] if observed[k] != MISSING else np.nan for k in keys], y, "o", color="black",
                label="observed")
        ax.set_yticks(y, [LABELS[k] for k in keys])
        ax.set_xlim(0, 1)
        ax.set_xlabel("share (0-1)")
        ax.set_title("Member statistics")
        ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2)
        ax = axes[2]
        lo, med, hi = _spread(predictive, weights, "messages_per_author_day")
        ax.errorbar([0], [med], yerr=[[med - lo], [hi - med]], fmt="s", color=PALETTE[0], capsize=6,
                    label="simulated, median and 5-95%")
        ax.plot([0], [observed["messages_per_author_day"]], "o", color="black", label="observed")
        ax.set_xticks([])
        ax.set_ylabel("messages per active author-day")
        ax.set_title("Talkativeness")
        ax.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.02))
        fig.suptitle("\n".join([title, *notes]), **({"fontsize": 11} if notes else {}))
        fig.savefig(path)
        plt.close(fig)


def save_forecast_png(path: Path, observed14: np.ndarray, bands: Mapping[str, np.ndarray], today: int,
                      title: str, held_out: np.ndarray | None = None) -> None:
    """Observed daily active authors (14-day mean) up to ``today``, the simulated median with
    its 50% and 90% bands after it (and, faint, the simulated reconstruction before it), a
    vertical line at today; ``held_out``: observed days after today (a held-out test)."""
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(12, 6), constrained_layout=True)
        day = np.asarray(bands["day"])
        past, future = day < today, day >= today - 1
        ax.fill_between(day[past], bands["p05"][past], bands["p95"][past], color="#BBBBBB", alpha=0.35,
                        label="simulated past (a reconstruction), 90%")
        ax.fill_between(day[future], bands["p05"][future], bands["p95"][future], color=PALETTE[5], alpha=0.3,
                        label="forecast, 90% band")
        ax.fill_between(day[future], bands["p25"][future], bands["p75"][future], color=PALETTE[5], alpha=0.55,
                        label="forecast, 50% band")
        ax.plot(day[future], bands["median"][future], color=PALETTE[0], lw=2.5, label="forecast, median")
        ax.plot(np.arange(len(observed14)), observed14, color="black", lw=2, label="observed")
        if held_out is not None:
            ax.plot(np.arange(today, today + len(held_out)), held_out, color=PALETTE[3], lw=2,
                    label="observed later (held out)")
        ax.axvline(today, color="#555555", ls="--", lw=1.2)
        ax.annotate("today (end of the log)", (today, 0.5), xycoords=("data", "axes fraction"), rotation=90,
                    xytext=(-16, 0), textcoords="offset points", fontsize=11, color="#333333", va="center")
        ax.set_xlabel("day since the log's first message")
        ax.set_ylabel("distinct authors per day (14-day mean)")
        ax.set_title(title)
        ax.set_ylim(bottom=0)
        ax.legend(frameon=False, loc="upper right")
        fig.savefig(path)
        plt.close(fig)
