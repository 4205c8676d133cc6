"""pareto.png: every pair of objectives as a scatter of the trials, the Pareto strategies
highlighted with 95% percentile bootstrap intervals over their replicates (which stay within
what a metric can take: no count below zero, no share past 0-100%, no lifespan past the horizon), the base strategy marked, strategies over
the operator's limits shown apart; with one objective, the objective against the trial number."""

from __future__ import annotations

import itertools
from pathlib import Path

import numpy as np

from ..reports.words import UNITS, metric_kind, metric_label
from ..results.stats import MIN_BOOTSTRAP, percentile_interval
from ..style import PALETTE, STYLE
from .search import Search
from .spec import Optimisation


def objective_label(metric: str, days: int) -> str:
    """What an objective means in a few words (a lifespan here is a mean, censored at ``days``)."""
    if metric == "lifespan_days":
        return "lifespan"
    if metric == "active_day365_14d":
        return f"active members a day around day {min(365, days)}"
    return metric_label(metric, days)


def axis_label(metric: str, days: int) -> str:
    """An axis label with its unit in brackets."""
    kind = metric_kind(metric)
    unit = {"share": "%", "count": "members"}.get(kind, UNITS.get(kind, ""))
    return f"{objective_label(metric, days)} ({unit})" if unit else objective_label(metric, days)


def _scale(metric: str) -> float:
    return 100.0 if metric_kind(metric) == "share" else 1.0


def _interval(trials: list, metric: str, seed: int) -> np.ndarray:
    """Below and above each trial's mean: the 95% percentile bootstrap interval of the mean of
    its replicates (seeded by ``seed`` and the trial), which lies between the smallest and the
    largest replicate, so within the metric's range; no whisker with too few replicates."""
    scale = _scale(metric)
    ends = []
    for t in trials:
        mean = t.means[metric]
        lo, hi = percentile_interval(np.array(t.values.get(metric, [])), np.random.default_rng([seed, t.number]))
        ends.append([mean - lo, hi - mean])
    return np.maximum(np.nan_to_num(np.array(ends, dtype=float).T), 0.0) * scale


def _whisker_note(replicates: int) -> str:
    """What the Pareto strategies' whiskers are, for the figure's title."""
    if replicates < MIN_BOOTSTRAP:
        return f"no intervals (fewer than {MIN_BOOTSTRAP} replicates)"
    return "whiskers: 95% percentile bootstrap interval of the mean"


def save_pareto_png(path: Path, found: Search, opt: Optimisation) -> None:
    """Draw the trials and the Pareto set of ``found`` into ``path``."""
    import matplotlib.pyplot as plt

    fig = pareto_figure(found, opt)
    fig.savefig(path)
    plt.close(fig)


def pareto_figure(found: Search, opt: Optimisation):
    """The trials and the Pareto set of ``found``, one panel per pair of objectives."""
    import matplotlib.pyplot as plt

    metrics = [o.metric for o in opt.objectives]
    pairs = list(itertools.combinations(range(len(metrics)), 2)) or [(None, 0)]
    with plt.rc_context(STYLE):
        fig, axes = plt.subplots(1, len(pairs), figsize=(5.6 * len(pairs), 5.0), squeeze=False)
        scored = [t for t in found.trials if t.means]
        groups = (("over the limits", [t for t in scored if not t.feasible], dict(marker="x", color="#B0B0B0")),
                  ("within the limits", [t for t in scored if t.feasible and not t.pareto],
                   dict(marker="o", color="#707070", alpha=0.6)),
                  ("Pareto strategy (95% interval)", found.pareto, dict(marker="o", color=PALETTE[0], s=60, zorder=3)))
        for ax, (i, j) in zip(axes[0], pairs):
            def xy(ts, m_i=i, m_j=j):
                x = [t.number if m_i is None else t.means[metrics[m_i]] * _scale(metrics[m_i]) for t in ts]
                return np.array(x, dtype=float), np.array([t.means[metrics[m_j]] * _scale(metrics[m_j]) for t in ts])

            for label, ts, style in groups:
                if ts:
                    ax.scatter(*xy(ts), label=label, **style)
            if found.pareto:
                x, y = xy(found.pareto)
                yerr = _interval(found.pareto, metrics[j], opt.seed)
                xerr = None if i is None else _interval(found.pareto, metrics[i], opt.seed)
                ax.errorbar(x, y, yerr=yerr, xerr=xerr, fmt="none", ecolor=PALETTE[0], alpha=0.5, zorder=2)
            if found.base_first and found.trials[0].means:
                ax.scatter(*xy(found.trials[:1]), marker="*", s=380, facecolor="none", edgecolor=PALETTE[1],
                           linewidths=2, label="base strategy", zorder=4)  # hollow: a Pareto dot under it shows
            ax.set_xlabel("trial (in the order tried)" if i is None else axis_label(metrics[i], opt.base.days))
            ax.set_ylabel(axis_label(metrics[j], opt.base.days))
        axes[0][0].legend(loc="best", fontsize=9)
        feasible = sum(t.feasible for t in found.trials)
        fig.suptitle(f"{opt.name}: {len(found.pareto)} Pareto strategies of {len(found.trials)} tried "
                     f"({feasible} within the limits)\nmeans of {opt.replicates} paired replicates each; "
                     f"lifespans censored at day {opt.base.days}\n{_whisker_note(opt.replicates)}")
        fig.tight_layout()
    return fig
