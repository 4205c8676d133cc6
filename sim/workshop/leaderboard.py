"""Room mode's leaderboard: every arm's value on the chosen metric with its 95% interval, from a
finished experiment folder's comparison.csv or, while the runs go on, computed the same way over
the runs finished so far; ranked best first, and shown as a room reads it. No Solara here."""

from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path

from ..results.comparison import comparison_rows
from ..results.folders import load_experiment_folder
from ..results.stats import MIN_BOOTSTRAP

# What the leaderboard may rank by (rows of comparison.csv; higher is better for each).
METRICS: dict[str, str] = {
    "mean_active": "Mean active members per day",
    "lifespan_days": "Lifespan (days, Kaplan-Meier median)",
    "peak_active": "Peak active members",
    "total_revenue": "Total revenue (yuan)",
    "ever_joined": "Members who ever joined",
}



@dataclass
class LeaderRow:
    """One line of the leaderboard: an arm's value on the metric with its 95% interval."""

    rank: int
    arm: str
    value: float
    low: float
    high: float
    n: int
    baseline: bool



def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return math.nan


def _check_metric(metric: str) -> None:
    if metric not in METRICS:
        raise ValueError(f"metric {metric!r}: allowed one of {', '.join(METRICS)}")


def _ranked(board: list[LeaderRow]) -> list[LeaderRow]:
    """Best (highest) first, an arm without a value last; ties share a rank."""
    board.sort(key=lambda r: (math.isnan(r.value), -r.value if not math.isnan(r.value) else 0.0, r.arm))
    for i, row in enumerate(board):
        same = i and board[i - 1].value == row.value
        row.rank = board[i - 1].rank if same else i + 1
    return board


def leaderboard(folder: str | Path, metric: str) -> list[LeaderRow]:
    """Every arm's value on ``metric`` with its 95% interval, from the finished experiment
    folder's comparison.csv, ranked (``_ranked``)."""
    _check_metric(metric)
    with (Path(folder) / "comparison.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if r["metric"] == metric]
    return _ranked([LeaderRow(0, r["arm"], _number(r["value"]), _number(r["value_low"]), _number(r["value_high"]),
                              int(_number(r["n"]) if r["n"] else 0), r["arm"] == r["baseline"]) for r in rows])


def live_leaderboard(folder: str | Path, metric: str) -> list[LeaderRow]:
    """The same leaderboard while the runs go on: the comparison computed the way comparison.csv
    is (``sim.results.comparison``) over the runs finished so far; empty until the baseline
    has a finished run."""
    _check_metric(metric)
    try:
        rs = load_experiment_folder(Path(folder))
    except (OSError, ValueError):  # the plan is still being written
        return []
    rs.metrics = [metric]
    rows = [r for r in comparison_rows(rs) if r.metric == metric]
    return _ranked([LeaderRow(0, r.arm, float(r.value), float(r.value_low), float(r.value_high), int(r.n),
                              r.arm == r.baseline) for r in rows])


def shown_value(value: float, metric: str, days: int) -> str:
    """A leaderboard number as a room reads it (a lifespan past the horizon says so)."""
    if math.isnan(value):
        return "n/a"
    if math.isinf(value):
        return f"> {days}" if metric == "lifespan_days" else "inf"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.1f}"


def shown_interval(row: LeaderRow, metric: str, days: int) -> str:
    """A row's 95% interval as a room reads it: none from fewer runs than the comparison tests
    (``MIN_BOOTSTRAP``; two runs give an interval some 13 standard errors wide)."""
    if row.n < MIN_BOOTSTRAP:
        return f"too few runs (needs {MIN_BOOTSTRAP})"
    return f"{shown_value(row.low, metric, days)} to {shown_value(row.high, metric, days)}"
