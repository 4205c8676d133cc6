"""Sensitivity indices from a finished exploration: each sample point's mean of each metric over
its replicates (read from the experiment folder through ``sim.results``), then SALib:

- Morris: elementary effects computed here from SALib's trajectories and the values the runs
  actually had: each step's change in the metric divided by how far the factor really moved as a
  share of its range (an integer or choice may move further or less than the grid's 2/3 step;
  a choice's switch counts as a move of 1, a step whose value did not change is skipped). mu*
  (the mean absolute effect: how far the metric moves, in its own unit, when the factor moves
  across its range) with a seeded percentile bootstrap 95% interval (which stays between the
  smallest and largest absolute effect, so never below zero), mu (signed; for a choice, moving later
  in the list) and sigma (spread of the effects: interactions or curvature);
- Sobol: first order S1 and total order ST (shares of the metric's variance), 95% intervals;
- Latin hypercube: standardised rank regression coefficients (SRRC, Helton & Davis 2002): the
  metric's ranks regressed on the ranks of the factors' values, each coefficient from -1 to 1
  (its sign the direction), with a bootstrap 95% interval over the points. A choice of three or
  more values has no order, so ``lhs`` refuses it (``spec``); a true/false or two-value choice
  counts as 0 and 1 in the order listed. (SALib's RBD-FAST was tried first: at
  60 points it gave a factor with no effect a first-order index of 0.28.)

Factors are ranked per metric by the main index (mu*, ST, |SRRC|): rank 1 matters most.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field

import numpy as np

from ..results.folders import ResultSet
from ..results.stats import percentile_interval
from .design import STEADY_TRAJECTORIES, problem
from .spec import Exploration, is_lever

MAIN_INDEX = {"morris": "mu_star", "sobol": "ST", "lhs": "SRRC"}
INDEX_NAMES = {"morris": ("mu_star", "mu", "sigma"), "sobol": ("ST", "S1"), "lhs": ("SRRC",)}
RESAMPLES = 1000
CONF_LEVEL = 0.95
CENSORED_BY = {"lifespan_days": "censored"}  # metric -> the run summary's flag: cut off at the horizon


@dataclass(frozen=True)
class IndexRow:
    """One index of one factor for one metric: value, 95% interval (NaN where none) and the
    factor's rank by the method's main index (1 = matters most)."""

    metric: str
    factor: str
    role: str  # "lever" (strategy.*) or "assumption" (community.*, behaviour.*)
    index: str
    value: float
    conf_low: float
    conf_high: float
    rank: int


@dataclass
class PointMeans:
    """Each sample point's mean of each metric over the replicates that finished, with a value,
    at every point (so all points are compared on the same seeds; NaN everywhere when none did),
    in the design's order; each point's count of finished runs; per metric, the run-to-run noise
    (a point mean's standard error, averaged over the points; NaN with fewer than 2 replicates)
    and how many replicates it used; notes on replicates left out; and, per metric cut off at
    the horizon (``CENSORED_BY``), (runs whose value was cut off, runs counted) over the
    replicates used."""

    means: dict[str, np.ndarray]
    runs: np.ndarray
    noise: dict[str, float]
    used: dict[str, int]
    notes: list[str]
    censored: dict[str, tuple[int, int]] = field(default_factory=dict)


def point_means(study: Exploration, rs: ResultSet) -> PointMeans:
    """Per metric, the points x replicates table of values, cut to the replicates complete at
    every point, then averaged per point."""
    arms = [rs.arm(a.name) for a in study.experiment.arms]
    runs = np.array([len(a.ok()) for a in arms])
    means, noise, used, notes, censored = {}, {}, {}, [], {}
    for m in study.experiment.metrics:
        table = np.full((len(arms), study.experiment.replicates), np.nan)
        cut = np.zeros(table.shape, dtype=bool)
        for i, a in enumerate(arms):
            for r in a.ok():
                v = (r.summary or {}).get(m)
                if v is not None and v == v and r.replicate < table.shape[1]:
                    table[i, r.replicate] = float(v)
                    cut[i, r.replicate] = bool((r.summary or {}).get(CENSORED_BY.get(m, ""), False))
        complete = ~np.isnan(table).any(axis=0)
        k = int(complete.sum())
        if m in CENSORED_BY:
            censored[m] = (int(cut[:, complete].sum()), int(complete.sum() * len(arms)))
        means[m] = table[:, complete].mean(axis=1) if k else np.full(len(arms), np.nan)
        used[m] = k
        noise[m] = float(np.mean(table[:, complete].std(axis=1, ddof=1)) / np.sqrt(k)) if k > 1 else np.nan
        if 0 < k < table.shape[1]:
            kept = ", ".join(str(j) for j in np.flatnonzero(complete))
            notes.append(f"{m}: only replicate(s) {kept} of {table.shape[1]} finished with a value at every sample "
                         "point; the others are left out so that every point is compared on the same seeds")
        elif k == 0:
            notes.append(f"{m}: no replicate finished with a value at every sample point (rerun with --resume)")
    return PointMeans(means, runs, noise, used, notes, censored)


def _raw_indices(method: str, study: Exploration, y: np.ndarray) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """index name -> (values, lows, highs of the 95% intervals; NaN where the method gives none)."""
    prob = problem(study.factors)
    seed = study.experiment.seed % 2**32
    d = len(study.factors)
    if np.ptp(y) == 0:  # the metric did not move: nothing matters, and the variance-based methods divide by 0
        zeros = np.zeros(d)
        return {name: (zeros, zeros, zeros) for name in INDEX_NAMES[method]}
    if method == "morris":
        return morris_indices(study, y, seed)
    if method == "sobol":
        from SALib.analyze import sobol

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            r = sobol.analyze(prob, y, calc_second_order=False, num_resamples=RESAMPLES, conf_level=CONF_LEVEL,
                              seed=seed)
        return {k: _symmetric(np.asarray(r[k], float), np.asarray(r[f"{k}_conf"], float)) for k in ("ST", "S1")}
    return {"SRRC": _symmetric(*srrc(positions(study), y, seed))}


def _symmetric(values: np.ndarray, half: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(values, lows, highs) of intervals ``half`` wide on either side."""
    return values, values - half, values + half


def positions(study: Exploration) -> np.ndarray:
    """Where each point's realised factor values lie (points x factors): a number's value as a
    share of its range (0 at low, 1 at high), a choice's index in the list."""
    cols = []
    for f in study.factors:
        vals = [a.overrides[f.path] for a in study.experiment.arms]
        if f.kind == "choice":
            cols.append([float(f.choices.index(v)) for v in vals])
        else:
            cols.append([(float(v) - f.low) / (f.high - f.low) for v in vals])
    return np.array(cols, dtype=float).T.reshape(len(study.experiment.arms), len(study.factors))


def elementary_effects(study: Exploration, y: np.ndarray) -> list[np.ndarray]:
    """Per factor, the Morris elementary effects of ``y``: along each trajectory, each step's
    change in ``y`` over the factor's realised move as a share of its range (a choice's switch:
    +1 to a value later in the list, -1 to an earlier one); steps where the value stayed put are
    skipped."""
    d = len(study.factors)
    x, u = positions(study), study.unit
    effects: list[list[float]] = [[] for _ in range(d)]
    for start in range(0, len(u) - d, d + 1):
        for a in range(start, start + d):
            i = int(np.argmax(np.abs(u[a + 1] - u[a])))
            move = x[a + 1, i] - x[a, i]
            if study.factors[i].kind == "choice":
                move = float(np.sign(move))
            if move != 0:
                effects[i].append((y[a + 1] - y[a]) / move)
    return [np.array(e, dtype=float) for e in effects]


def morris_indices(study: Exploration, y: np.ndarray, seed: int) -> dict[str, tuple[np.ndarray, ...]]:
    """mu* (with its bootstrap interval), mu and sigma of every factor from its elementary effects."""
    effects = elementary_effects(study, y)
    rng = np.random.default_rng(seed)
    nan = np.full(len(effects), np.nan)

    def each(fn) -> np.ndarray:
        return np.array([fn(e) if len(e) else np.nan for e in effects], dtype=float)

    # mu*'s interval: the percentile bootstrap of a mean of absolute effects, which lies between
    # the smallest and largest of them (never below zero), left as it is, not made symmetric
    ci = np.array([percentile_interval(np.abs(e), rng, n_resamples=RESAMPLES, confidence=CONF_LEVEL)
                   for e in effects], dtype=float).reshape(len(effects), 2)
    return {"mu_star": (each(lambda e: np.abs(e).mean()), ci[:, 0], ci[:, 1]),
            "mu": (each(np.mean), nan, nan),
            "sigma": (each(lambda e: e.std(ddof=1) if len(e) > 1 else np.nan), nan, nan)}


def _rank_coefficients(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Least-squares coefficients of the standardised ranks of ``y`` on those of ``x``'s columns."""
    from scipy.stats import rankdata

    rx = rankdata(x, axis=0)
    ry = rankdata(y)
    sx, sy = rx.std(axis=0), ry.std()
    zx = (rx - rx.mean(axis=0)) / np.where(sx > 0, sx, 1.0)
    zy = (ry - ry.mean()) / (sy if sy > 0 else 1.0)
    return np.linalg.lstsq(zx, zy, rcond=None)[0]


def srrc(x: np.ndarray, y: np.ndarray, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Standardised rank regression coefficients and the half-widths of their bootstrap 95%
    intervals (percentile intervals, made symmetric about the estimate by their larger side)."""
    beta = _rank_coefficients(x, y)
    rng = np.random.default_rng(seed)
    boots = np.array([_rank_coefficients(x[i], y[i]) for i in rng.integers(0, len(y), (RESAMPLES, len(y)))])
    lo, hi = np.percentile(boots, [50 * (1 - CONF_LEVEL), 50 * (1 + CONF_LEVEL)], axis=0)
    return beta, np.maximum(beta - lo, hi - beta)


def abs_interval(r: IndexRow) -> tuple[float, float]:
    """The 95% interval of the index's size |value| (an SRRC's is signed): (NaN, NaN) where none."""
    lo, hi = r.conf_low, r.conf_high
    if np.isnan(lo) or np.isnan(hi):
        return np.nan, np.nan
    if lo <= 0 <= hi:
        return 0.0, max(-lo, hi)
    return min(abs(lo), abs(hi)), max(abs(lo), abs(hi))


def order_is_clear(first: IndexRow, second: IndexRow) -> bool:
    """May the words say that ``first`` matters more than ``second``? Only when the 95% interval
    of its index's size lies wholly above the other's (the lower end of the first's above the
    upper end of the second's). Where the intervals overlap, or either has none (a Morris factor
    with a single elementary effect), the sample cannot tell their order: the words name both
    without ranking them."""
    lo, _ = abs_interval(first)
    _, hi = abs_interval(second)
    return bool(np.isfinite(lo) and np.isfinite(hi) and lo > hi)


def _ranks(values: np.ndarray) -> np.ndarray:
    """1 for the largest value; ties keep the file's order (a stable sort)."""
    order = np.argsort(-np.nan_to_num(values, nan=-np.inf), kind="stable")
    ranks = np.empty(len(values), dtype=int)
    ranks[order] = np.arange(1, len(values) + 1)
    return ranks


def indices(study: Exploration, means: dict[str, np.ndarray]) -> tuple[list[IndexRow], list[str]]:
    """Every index of every factor for every metric that can be analysed, and a note for each
    metric that cannot (a point without a finished run, or an empty metric)."""
    rows: list[IndexRow] = []
    notes: list[str] = []
    main = MAIN_INDEX[study.method]
    if study.method == "morris" and study.samples < STEADY_TRAJECTORIES:
        notes.append(f"mu*'s intervals rest on {study.samples} elementary effects per factor (one per trajectory): "
                     f"rough; {STEADY_TRAJECTORIES} or more trajectories give steadier ones")
    for metric, y in means.items():
        if np.isnan(y).any():
            notes.append(f"{metric}: {int(np.isnan(y).sum())} of {len(y)} sample points have no value "
                         "(failed runs or an empty metric); no indices")
            continue
        raw = _raw_indices(study.method, study, y)
        ranks = _ranks(np.abs(raw[main][0]))
        for name, (values, lows, highs) in raw.items():
            for i, f in enumerate(study.factors):
                low, high = lows[i], highs[i]
                rows.append(IndexRow(metric, f.path, "lever" if is_lever(f) else "assumption", name,
                                     float(values[i]), float(low), float(high), int(ranks[i])))
    return rows, notes
