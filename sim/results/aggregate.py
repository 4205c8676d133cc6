"""Tables made from result folders, each run's files read once and reduced to what the tables
need (in worker processes when given a pool): runs.csv, per-day curves with 95% intervals
(curves.csv), member tenure histograms and community survival."""

from __future__ import annotations

from collections import deque
from concurrent.futures import Executor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator

import numpy as np

from ..run.files import read_csv
from ..run.metrics import moving_mean
from ..scenario import ROLES
from . import stats
from .folders import ArmResults, ResultSet

# Per-day series in curves.csv: name -> how it is made from a run's timeseries.csv columns.
CURVE_SERIES: dict[str, Callable[[dict[str, np.ndarray]], np.ndarray]] = {
    "active": lambda ts: ts["active"],
    "active_14d": lambda ts: moving_mean(ts["active"]),
    "members": lambda ts: ts["members"],
    "payers": lambda ts: ts["payers"],
    "revenue_cumulative": lambda ts: np.cumsum(ts["revenue"]),
}
CURVE_COLUMNS = ("day", "active", "members", "payers", "revenue")  # what CURVE_SERIES reads
TENURE_COLUMNS = ("spammer", "join_day", "leave_day", "role")  # what _add_tenure reads


def runs_table(rs: ResultSet) -> tuple[dict[str, np.ndarray], dict]:
    """runs.csv: one row per run (arm, replicate, seed, run id, status, every summary metric;
    lists such as the intervention log stay in summary.json); and the empty-cell rules for
    ``sim.run.files.table_csv`` (metrics of failed runs are empty)."""
    runs = rs.runs()
    keys: list[str] = []
    for r in runs:
        for k, v in (r.summary or {}).items():
            if k not in keys and not isinstance(v, (list, dict)):
                keys.append(k)
    cols: dict[str, np.ndarray] = {
        "arm": np.array([r.arm for r in runs], dtype=object),
        "replicate": np.array([r.replicate for r in runs], dtype=np.int64),
        "seed": np.array([r.seed for r in runs], dtype=object),
        "run_id": np.array([r.run_id for r in runs], dtype=object),
        "status": np.array([r.status for r in runs], dtype=object),
    }
    for k in keys:
        cols[k] = np.array([(r.summary or {}).get(k, np.nan) for r in runs], dtype=object)
    empty = {k: _is_nan for k in keys}
    return cols, empty


def _is_nan(v: Any) -> bool:
    return v is None or (isinstance(v, float) and v != v)


@dataclass
class Aggregates:
    """Per arm: per-day curves (series -> mean, low, high) and member tenure histograms
    (role -> [left, stayed] counts by days of membership, 'all' for everyone)."""

    curves: dict[str, dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]]
    runs_used: dict[str, int]
    tenure: dict[str, dict[str, np.ndarray]]


@dataclass
class RunReduction:
    """What one finished run adds to its arm's aggregates: its days, its per-day series
    (``CURVE_SERIES``) and its members' tenure histograms (role -> [left, stayed] counts)."""

    days: int
    series: dict[str, np.ndarray]
    tenure: dict[str, np.ndarray]


def reduce_run(folder: Path) -> RunReduction:
    """Read one run's files and reduce them to what the tables and figures need. A plain
    top-level function of a path, so worker processes can read many runs at once."""
    ts = read_csv(folder / "timeseries.csv", CURVE_COLUMNS)
    days = len(ts["day"])
    return RunReduction(days, {name: make(ts) for name, make in CURVE_SERIES.items()},
                        _run_tenure(read_csv(folder / "members.csv", TENURE_COLUMNS), days))


READ_AHEAD = 64  # runs a pool reads ahead of the one being added up (bounds the memory held)


def read_runs(rs: ResultSet, pool: Executor | None = None, ahead: int = READ_AHEAD) -> Iterator[RunReduction]:
    """Every finished run, arm by arm in replicate order, reduced by ``reduce_run``: one at a
    time when asked, or in ``pool``'s workers, which start on the first ``ahead`` runs now and
    on one more as each is taken, so the parent never holds more than ``ahead`` reductions
    (a pool's ``map`` would read every run at once and keep what the parent has not taken)."""
    folders = [r.folder for arm in rs.arms for r in arm.ok()]
    if pool is None:
        return map(reduce_run, folders)
    waiting = deque(pool.submit(reduce_run, f) for f in folders[:ahead])
    return _in_order(pool, waiting, iter(folders[ahead:]))


def _in_order(pool: Executor, waiting: deque, rest: Iterator[Path]) -> Iterator[RunReduction]:
    """The reductions of ``waiting`` in order, submitting one of ``rest`` as each is taken."""
    while waiting:
        done = waiting.popleft()
        more = next(rest, None)
        if more is not None:
            waiting.append(pool.submit(reduce_run, more))
        yield done.result()


def aggregate_runs(rs: ResultSet, reductions: Iterator[RunReduction] | None = None) -> Aggregates:
    """Every finished run's reduction (``read_runs``, unless given) added up arm by arm in
    replicate order, so the sums are the same bytes however the runs were read. Spammers are
    left out of tenure (they are not members in any sense a community operator cares about)."""
    reductions = read_runs(rs) if reductions is None else reductions
    curves, used, tenure = {}, {}, {}
    for arm in rs.arms:
        acc = {name: stats.RunningMean() for name in CURVE_SERIES}
        counts: dict[str, np.ndarray] = {}
        for r in arm.ok():
            run = next(reductions)
            try:
                for name, series in run.series.items():
                    acc[name].add(series)
            except ValueError:
                raise ValueError(f"arm '{arm.name}': run {r.folder} has {run.days} days, unlike the arm's "
                                 f"earlier runs; compare runs of one horizon per arm") from None
            _add_tenure(counts, run.tenure)
        used[arm.name] = len(arm.ok())
        if used[arm.name]:  # every series is a count or a sum of money: no band below zero
            curves[arm.name] = {name: _clip_low(a.interval()) for name, a in acc.items()}
        tenure[arm.name] = dict(sorted(counts.items(), key=lambda kv: _role_order(kv[0])))
    return Aggregates(curves, used, tenure)


def _clip_low(interval: tuple[np.ndarray, np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    mean, lo, hi = interval
    return mean, np.maximum(lo, 0.0), hi


def _role_order(role: str) -> tuple[int, str]:
    if role == "all":
        return (-1, role)
    return (ROLES.index(role) if role in ROLES else len(ROLES), role)


def _run_tenure(members: dict[str, np.ndarray], horizon: int) -> dict[str, np.ndarray]:
    """One run's tenure histograms: role ('all' first) -> [left, stayed] member counts by days
    of membership, each as wide as the horizon or the longest tenure (spammers left out)."""
    keep = np.asarray(members["spammer"], dtype=float) == 0
    join = np.asarray(members["join_day"], dtype=float)[keep]
    leave = np.asarray(members["leave_day"], dtype=float)[keep]
    role = np.asarray(members["role"]).astype(str)[keep]
    gone = ~np.isnan(leave)
    tenure = (np.where(gone, leave, horizon) - join).astype(np.int64).clip(0, None)
    size = max(horizon + 1, int(tenure.max(initial=0)) + 1)
    return {name: np.stack([np.bincount(tenure[sel & gone], minlength=size),
                            np.bincount(tenure[sel & ~gone], minlength=size)]).astype(np.int64)
            for name, sel in [("all", np.ones(len(role), dtype=bool))] + [(r, role == r) for r in np.unique(role)]}


def _add_tenure(counts: dict[str, np.ndarray], run: dict[str, np.ndarray]) -> None:
    """Add one run's tenure histograms to the arm's, widening either to the longer of the two."""
    for name, hist in run.items():
        total = counts.get(name, np.zeros((2, 0), dtype=np.int64))
        size = max(total.shape[1], hist.shape[1])
        counts[name] = (np.pad(total, ((0, 0), (0, size - total.shape[1])))
                        + np.pad(hist, ((0, 0), (0, size - hist.shape[1]))))


def tenure_curves(tenure: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """role -> Kaplan-Meier share of members still in the group after t days of membership."""
    return {role: stats.km_from_counts(h[0], h[1]) for role, h in tenure.items() if h.sum()}


def curves_table(rs: ResultSet, agg: Aggregates) -> dict[str, np.ndarray]:
    """curves.csv: per arm and day, mean and 95% interval (of the mean over replicates) of each
    series in ``CURVE_SERIES``."""
    cols: dict[str, list] = {"arm": [], "day": [], "runs": []}
    for name in CURVE_SERIES:
        for suffix in ("mean", "low", "high"):
            cols[f"{name}_{suffix}"] = []
    for arm in rs.arms:
        if arm.name not in agg.curves:
            continue
        series = agg.curves[arm.name]
        days = len(next(iter(series.values()))[0])
        cols["arm"].extend([arm.name] * days)
        cols["day"].extend(range(days))
        cols["runs"].extend([agg.runs_used[arm.name]] * days)
        for name, (mean, lo, hi) in series.items():
            for suffix, values in (("mean", mean), ("low", lo), ("high", hi)):
                cols[f"{name}_{suffix}"].extend(np.asarray(values).tolist())
    return {k: np.array(v, dtype=object) for k, v in cols.items()}


def lifespans(arm: ArmResults) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(lifespan days, observed death, seeds) of an arm's finished runs."""
    ok = arm.ok()
    life = np.array([r.summary["lifespan_days"] for r in ok], dtype=float)
    observed = np.array([not r.summary["censored"] for r in ok], dtype=bool)
    return life, observed, np.array([r.seed for r in ok], dtype=object)


def survival_curves(rs: ResultSet) -> dict[str, stats.SurvivalCurve]:
    """Community survival per arm: Kaplan-Meier over replicates, censored at the horizon."""
    return {a.name: stats.kaplan_meier(*lifespans(a)[:2]) for a in rs.arms if a.ok()}


def metric_values(arm: ArmResults, metric: str) -> tuple[np.ndarray, np.ndarray]:
    """(values, seeds) of one summary metric over an arm's finished runs (missing or null -> NaN)."""
    ok = arm.ok()
    vals = np.array([np.nan if r.summary.get(metric) is None else float(r.summary[metric]) for r in ok], dtype=float)
    return vals, np.array([r.seed for r in ok], dtype=object)


def tenure_medians(curve: dict[str, np.ndarray]) -> dict[str, float]:
    """role -> days of membership by which half the members had left (inf if fewer did)."""
    return {role: stats.first_at_or_below_half(np.arange(len(s)), s) for role, s in curve.items()}


def tenure_table(tenure: dict[str, dict[str, np.ndarray]], curves: dict[str, dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """tenure.csv: per arm and role ('all' for everyone), the members who ever joined (spammers
    left out, pooled over replicates), how many left, the Kaplan-Meier median tenure in days
    (empty when fewer than half left) and the share still there after the longest tenure."""
    cols: dict[str, list] = {"arm": [], "role": [], "members": [], "left": [], "median_tenure_days": [],
                             "still_there_share": []}
    for arm, by_role in tenure.items():
        medians = tenure_medians(curves.get(arm, {}))
        for role, hist in by_role.items():
            if role not in medians:
                continue
            cols["arm"].append(arm)
            cols["role"].append(role)
            cols["members"].append(int(hist.sum()))
            cols["left"].append(int(hist[0].sum()))
            cols["median_tenure_days"].append(medians[role] if np.isfinite(medians[role]) else np.nan)
            cols["still_there_share"].append(float(curves[arm][role][-1]))
    return {k: np.array(v, dtype=object) for k, v in cols.items()}
