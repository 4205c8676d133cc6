"""Reading result folders back (an experiment's, or single runs') and turning them into the
comparison tables: runs, per-day curves with intervals, survival, tenure and paired differences.

Per-day aggregates stream over the per-run files one run at a time (``RunningMean`` and tenure
histograms), so memory does not grow with the number of runs or members.
"""

from __future__ import annotations

import csv
import hashlib
import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
import yaml

from . import analysis
from .metrics import moving_mean
from .output import read_csv
from .scenario import ROLES

DEFAULT_METRICS: tuple[str, ...] = ("lifespan_days", "peak_active", "active_day365_14d", "lurker_share",
                                    "total_revenue")
PARTICIPATION = ("lurker_share", "occasional_share", "heavy_share")
RUN_DATA_FILES = ("summary.json", "timeseries.csv", "members.csv")
PLAN_COLUMNS = ("arm", "replicate", "seed", "run_id")

# Per-day series in curves.csv: name -> how it is made from a run's timeseries.csv columns.
CURVE_SERIES: dict[str, Callable[[dict[str, np.ndarray]], np.ndarray]] = {
    "active": lambda ts: ts["active"],
    "active_14d": lambda ts: moving_mean(ts["active"]),
    "members": lambda ts: ts["members"],
    "payers": lambda ts: ts["payers"],
    "revenue_cumulative": lambda ts: np.cumsum(ts["revenue"]),
}


# --------------------------------------------------------------------------------------------
# What is on disk
# --------------------------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    """sha256 of a file's bytes, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def run_complete(folder: Path) -> bool:
    """True when a run folder holds all its data. Experiment runs list their files' hashes in
    manifest.json and every one must match (a deleted or truncated file means rerun it);
    single-run folders need their data files."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    hashes = manifest.get("files") if isinstance(manifest, dict) else None
    if isinstance(hashes, dict) and hashes:
        return all((folder / name).is_file() and sha256_file(folder / name) == digest
                   for name, digest in hashes.items())
    return all((folder / name).is_file() for name in RUN_DATA_FILES)


def read_plan(path: Path) -> list[dict[str, Any]]:
    """An experiment's plan.csv: one row per run (arm, replicate, seed, run_id), as written."""
    with open(path, newline="", encoding="utf-8") as fh:
        return [{"arm": r["arm"], "replicate": int(r["replicate"]), "seed": int(r["seed"]), "run_id": r["run_id"]}
                for r in csv.DictReader(fh)]


@dataclass
class RunRef:
    """One run of an arm: where its folder is and how it went (ok, failed, missing)."""

    arm: str
    replicate: int
    seed: int
    run_id: str
    status: str
    folder: Path
    summary: dict | None = None
    error_file: Path | None = None


@dataclass
class ArmResults:
    """The runs of one arm, in replicate order, and what set it apart."""

    name: str
    overrides: dict = field(default_factory=dict)
    runs: list[RunRef] = field(default_factory=list)
    description: str = ""

    def ok(self) -> list[RunRef]:
        """The finished runs (failed and missing ones left out)."""
        return [r for r in self.runs if r.status == "ok"]


@dataclass
class ResultSet:
    """Everything the tables, figures and report are made from."""

    title: str
    description: str
    base: str
    arms: list[ArmResults]
    baseline: str
    metrics: list[str]
    seed: int
    days: int
    replicates: int
    sources: list[Path]

    def arm(self, name: str) -> ArmResults:
        """The arm called ``name``."""
        return next(a for a in self.arms if a.name == name)

    def runs(self) -> list[RunRef]:
        """Every run, arm by arm."""
        return [r for a in self.arms for r in a.runs]


def is_experiment_folder(path: Path) -> bool:
    """An experiment folder has its plan and resolved experiment."""
    return (Path(path) / "plan.csv").is_file() and (Path(path) / "experiment.yaml").is_file()


def is_run_folder(path: Path) -> bool:
    """A single run's folder (from `community-sim run`, or an experiment's runs/<id>/)."""
    return all((Path(path) / name).is_file() for name in ("summary.json", "timeseries.csv"))


def _read_summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def load_experiment_folder(path: Path) -> ResultSet:
    """An experiment folder: its resolved experiment, plan, and the state of every run."""
    path = Path(path)
    exp = yaml.safe_load((path / "experiment.yaml").read_text(encoding="utf-8"))
    base = yaml.safe_load((path / "base_scenario.yaml").read_text(encoding="utf-8")) or {}
    arms = {a["name"]: ArmResults(a["name"], a.get("overrides") or {}, description=a.get("description", ""))
            for a in exp["arms"]}
    for row in read_plan(path / "plan.csv"):
        folder = path / "runs" / row["run_id"]
        failed = path / "failed" / f"{row['run_id']}.txt"
        if run_complete(folder):
            ref = RunRef(**row, status="ok", folder=folder, summary=_read_summary(folder))
        elif failed.is_file():
            ref = RunRef(**row, status="failed", folder=folder, error_file=failed)
        else:
            ref = RunRef(**row, status="missing", folder=folder)
        arms[row["arm"]].runs.append(ref)
    for a in arms.values():
        a.runs.sort(key=lambda r: r.replicate)
    base_line = f"{base.get('name', '')}: {base.get('description', '')}".strip(": ")
    return ResultSet(exp["name"], exp.get("description", ""), base_line, list(arms.values()),
                     exp["baseline_arm"], list(exp["metrics"]), int(exp["seed"]), int(exp["days"]),
                     int(exp["replicates"]), [path])


def load_run_folder(path: Path) -> ResultSet:
    """A single `community-sim run` folder as a one-arm, one-replicate result set."""
    path = Path(path)
    summary = _read_summary(path)
    manifest = {}
    if (path / "manifest.json").is_file():
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    scen = {}
    if (path / "scenario.yaml").is_file():
        scen = yaml.safe_load((path / "scenario.yaml").read_text(encoding="utf-8")) or {}
    name = str(manifest.get("arm") or scen.get("name") or path.name)
    seed = int(manifest.get("seed", scen.get("seed", 0)))
    run = RunRef(name, 0, seed, str(manifest.get("run_id", path.name)), "ok" if run_complete(path) else "missing",
                 path, summary)
    return ResultSet(name, scen.get("description", ""), name, [ArmResults(name, {}, [run])], name,
                     list(DEFAULT_METRICS), 0, int(summary.get("days", scen.get("days", 0))), 1, [path])


def load_results(paths: list[Path]) -> ResultSet:
    """One or more result folders as one result set. One experiment folder is itself; several
    experiments get their arm names prefixed with the experiment's name; single runs of the same
    scenario become one arm (replicates in the order given). The baseline, metrics and master
    seed come from the first experiment given."""
    sets = []
    for p in paths:
        p = Path(p)
        if is_experiment_folder(p):
            sets.append(load_experiment_folder(p))
        elif is_run_folder(p):
            sets.append(load_run_folder(p))
        else:
            raise FileNotFoundError(f"{p}: not a result folder (no plan.csv + experiment.yaml, nor summary.json + timeseries.csv)")
    if len(sets) == 1:
        return sets[0]
    experiments = [s for s in sets if is_experiment_folder(s.sources[0])]
    is_exp = {id(s) for s in experiments}
    arms: dict[str, ArmResults] = {}
    first = experiments[0] if experiments else sets[0]
    baseline = None
    for s in sets:
        prefix = f"{s.title}: " if id(s) in is_exp and len(experiments) > 1 else ""
        for a in s.arms:
            name = prefix + a.name
            if id(s) in is_exp and name in arms:
                k = 2
                while f"{name} ({k})" in arms:
                    k += 1
                name = f"{name} ({k})"
            if s is first and a.name == s.baseline:
                baseline = name
            merged = arms.setdefault(name, ArmResults(name, a.overrides, description=a.description))
            for r in a.runs:
                r.arm = name
                if id(s) not in is_exp:
                    r.replicate = len(merged.runs)
                merged.runs.append(r)
    title = " vs ".join(dict.fromkeys(s.title for s in sets))
    return ResultSet(title, first.description if experiments else "", first.base, list(arms.values()),
                     baseline or next(iter(arms)), first.metrics, first.seed, max(s.days for s in sets),
                     max(len(a.runs) for a in arms.values()), [p for s in sets for p in s.sources])


# --------------------------------------------------------------------------------------------
# Tables
# --------------------------------------------------------------------------------------------


def runs_table(rs: ResultSet) -> tuple[dict[str, np.ndarray], dict]:
    """runs.csv: one row per run (arm, replicate, seed, run id, status, every summary metric);
    and the empty-cell rules for ``output.table_csv`` (metrics of failed runs are empty)."""
    runs = rs.runs()
    keys: list[str] = []
    for r in runs:
        for k in r.summary or {}:
            if k not in keys:
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
    return isinstance(v, float) and v != v


@dataclass
class Aggregates:
    """Per arm: per-day curves (series -> mean, low, high) and member tenure histograms
    (role -> [left, stayed] counts by days of membership, 'all' for everyone)."""

    curves: dict[str, dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]]
    runs_used: dict[str, int]
    tenure: dict[str, dict[str, np.ndarray]]


def aggregate_runs(rs: ResultSet) -> Aggregates:
    """Stream over every finished run once: per-day curves and tenure counts, one run's files
    in memory at a time. Spammers are left out of tenure (they are not members in any sense a
    community operator cares about)."""
    curves, used, tenure = {}, {}, {}
    for arm in rs.arms:
        acc = {name: analysis.RunningMean() for name in CURVE_SERIES}
        counts: dict[str, np.ndarray] = {}
        for r in arm.ok():
            ts = read_csv(r.folder / "timeseries.csv")
            try:
                for name, make in CURVE_SERIES.items():
                    acc[name].add(make(ts))
            except ValueError:
                raise ValueError(f"arm '{arm.name}': run {r.folder} has {len(ts['day'])} days, unlike the arm's "
                                 f"earlier runs; compare runs of one horizon per arm") from None
            horizon = len(ts["day"])
            _add_tenure(counts, read_csv(r.folder / "members.csv"), horizon)
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


def _add_tenure(counts: dict[str, np.ndarray], members: dict[str, np.ndarray], horizon: int) -> None:
    keep = np.asarray(members["spammer"], dtype=float) == 0
    join = np.asarray(members["join_day"], dtype=float)[keep]
    leave = np.asarray(members["leave_day"], dtype=float)[keep]
    role = np.asarray(members["role"]).astype(str)[keep]
    gone = ~np.isnan(leave)
    tenure = (np.where(gone, leave, horizon) - join).astype(np.int64).clip(0, None)
    for name, sel in [("all", np.ones(len(role), dtype=bool))] + [(r, role == r) for r in np.unique(role)]:
        hist = counts.setdefault(name, np.zeros((2, 0), dtype=np.int64))
        size = max(hist.shape[1], horizon + 1, int(tenure.max(initial=0)) + 1)
        if hist.shape[1] < size:
            hist = np.pad(hist, ((0, 0), (0, size - hist.shape[1])))
        hist[0] += np.bincount(tenure[sel & gone], minlength=size)
        hist[1] += np.bincount(tenure[sel & ~gone], minlength=size)
        counts[name] = hist


def tenure_curves(tenure: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """role -> Kaplan-Meier share of members still in the group after t days of membership."""
    return {role: analysis.km_from_counts(h[0], h[1]) for role, h in tenure.items() if h.sum()}


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


def survival_curves(rs: ResultSet) -> dict[str, analysis.SurvivalCurve]:
    """Community survival per arm: Kaplan-Meier over replicates, censored at the horizon."""
    return {a.name: analysis.kaplan_meier(*lifespans(a)[:2]) for a in rs.arms if a.ok()}


def metric_values(arm: ArmResults, metric: str) -> tuple[np.ndarray, np.ndarray]:
    """(values, seeds) of one summary metric over an arm's finished runs (missing -> NaN)."""
    ok = arm.ok()
    vals = np.array([float(r.summary.get(metric, np.nan)) for r in ok], dtype=float)
    return vals, np.array([r.seed for r in ok], dtype=object)


# --------------------------------------------------------------------------------------------
# Comparison against the baseline
# --------------------------------------------------------------------------------------------

COMPARISON_COLUMNS = ("arm", "baseline", "metric", "statistic", "n", "value", "value_low", "value_high",
                      "baseline_value", "difference", "difference_low", "difference_high", "ratio", "pairs",
                      "paired", "test_statistic", "p_value")


@dataclass
class ComparisonRow:
    """One line of comparison.csv: an arm against the baseline on one metric (or the log-rank test)."""

    arm: str
    baseline: str
    metric: str
    statistic: str
    n: int
    value: float = np.nan
    value_low: float = np.nan
    value_high: float = np.nan
    baseline_value: float = np.nan
    difference: float = np.nan
    difference_low: float = np.nan
    difference_high: float = np.nan
    ratio: float = np.nan
    pairs: int = 0
    paired: bool = False
    test_statistic: float = np.nan
    p_value: float = np.nan


def _pair(x: np.ndarray, sx: np.ndarray, y: np.ndarray, sy: np.ndarray) -> tuple[np.ndarray, np.ndarray, bool]:
    """Match runs by seed (common random numbers). With fewer than two shared seeds the arms
    are compared unpaired, on all their runs."""
    keep_x, keep_y = ~np.isnan(x), ~np.isnan(y)
    x, sx, y, sy = x[keep_x], sx[keep_x], y[keep_y], sy[keep_y]
    where_y = {s: i for i, s in enumerate(sy.tolist())}
    common = [(i, where_y[s]) for i, s in enumerate(sx.tolist()) if s in where_y]
    if len(common) >= 2:
        ix, iy = (np.array(v, dtype=np.int64) for v in zip(*common))
        return x[ix], y[iy], True
    return x, y, False


def _rng(seed: int, arm: str, metric: str) -> np.random.Generator:
    """A bootstrap generator fixed by the master seed, the arm and the metric (not by order)."""
    key = (zlib.crc32(arm.encode()), zlib.crc32(metric.encode()))
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=key))


def _ratio(a: float, b: float) -> float:
    return a / b if np.isfinite(a) and np.isfinite(b) and b != 0 else np.nan


def compare_metric(rs: ResultSet, arm: ArmResults, base: ArmResults, metric: str) -> ComparisonRow:
    """One arm against the baseline on one summary metric: the arm's value with its interval,
    and the (paired) difference with a bootstrap interval. Lifespan uses the Kaplan-Meier
    median (censored at the horizon); other metrics the mean over replicates."""
    rng = _rng(rs.seed, arm.name, metric)
    if metric == "lifespan_days":
        life, obs, seeds = lifespans(arm)
        blife, bobs, bseeds = lifespans(base)
        curve, bcurve = analysis.kaplan_meier(life, obs), analysis.kaplan_meier(blife, bobs)
        row = ComparisonRow(arm.name, base.name, metric, "median (Kaplan-Meier)", len(life), curve.median(),
                            *curve.median_ci(), baseline_value=bcurve.median())
        x, y, paired = _pair(analysis.encode_censored(life, ~obs), seeds, analysis.encode_censored(blife, ~bobs), bseeds)
        diff = analysis.bootstrap_difference(x, y, rng, paired, analysis.median_lifespan_statistic(rs.days),
                                             method="percentile")
    else:
        vals, seeds = metric_values(arm, metric)
        bvals, bseeds = metric_values(base, metric)
        m, lo, hi = analysis.mean_ci(vals)
        row = ComparisonRow(arm.name, base.name, metric, "mean", int((~np.isnan(vals)).sum()), m, lo, hi,
                            baseline_value=analysis.mean_ci(bvals)[0])
        x, y, paired = _pair(vals, seeds, bvals, bseeds)
        diff = analysis.bootstrap_difference(x, y, rng, paired)
    row.difference, row.difference_low, row.difference_high = diff.estimate, diff.low, diff.high
    row.ratio = _ratio(row.value, row.baseline_value)
    row.pairs, row.paired = (len(x) if paired else 0), paired
    return row


def compare_survival(arm: ArmResults, base: ArmResults) -> ComparisonRow:
    """Log-rank test of the arm's community survival curve against the baseline's."""
    life, obs, _ = lifespans(arm)
    blife, bobs, _ = lifespans(base)
    chi2, p = analysis.logrank_test(life, obs, blife, bobs)
    return ComparisonRow(arm.name, base.name, "community_survival", "log-rank test", len(life),
                         value=float(obs.mean()) if len(obs) else np.nan,
                         baseline_value=float(bobs.mean()) if len(bobs) else np.nan,
                         test_statistic=chi2, p_value=p)


def comparison_rows(rs: ResultSet) -> list[ComparisonRow]:
    """Every arm (the baseline too, as the reference) on every metric, plus the log-rank test.
    For community_survival, value is the share of groups that died within the horizon."""
    base = rs.arm(rs.baseline)
    rows = []
    for arm in rs.arms:
        if not arm.ok() or not base.ok():
            continue
        rows.extend(compare_metric(rs, arm, base, m) for m in rs.metrics)
        if arm is not base:
            rows.append(compare_survival(arm, base))
    return rows


def comparison_table(rows: list[ComparisonRow]) -> dict[str, np.ndarray]:
    """comparison.csv's columns from the comparison rows."""
    return {c: np.array([getattr(r, c) for r in rows], dtype=object) for c in COMPARISON_COLUMNS}
