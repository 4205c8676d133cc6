"""How well a fit fits, and how far its forecast can be trusted, in numbers and sentences.

Fit: each estimate with its 90% credible interval (weighted 5th and 95th percentiles of the last
population), rounded to what the interval supports; the final population's effective sample
size (ESS, 1 / sum of squared normalised weights); posterior predictive checks (is each observed
statistic inside the simulated 5-95% range?); epsilon per generation.

Forecast: the observed recent level (last 14 and 30 days) next to the forecast's first day, and
the reconstruction (the simulated past) checked against the observed curve.

Thresholds, written before the first result was looked at:
``ESS_FLOOR`` / ``ESS_SHARE``: warn when ESS < max(10, population / 4). Below 10 effective
particles a 5% tail holds under half a particle, so a 90% interval is set by one or two
particles; below a quarter of the population the weights have collapsed onto a few particles
whatever the population's size. ``RECONSTRUCTION_MISS``: warn when more than 10% of the log's
days fall outside the reconstruction's 90% band (the share a well-calibrated band misses).
"""

from __future__ import annotations

import math
import textwrap
from typing import Mapping

import numpy as np

from ..run.metrics import moving_mean
from .forecast import coverage
from .observed import MISSING, weighted_quantile

CREDIBLE = (0.05, 0.95)
ESS_FLOOR, ESS_SHARE = 10.0, 0.25
RECONSTRUCTION_MISS = 0.10
RECENT_DAYS = (14, 30)


def effective_sample_size(weights: np.ndarray) -> float:
    """Kish's effective sample size of a weighted sample: 1 / sum(w^2) for normalised weights."""
    w = np.asarray(weights, dtype=np.float64)
    w = w / w.sum()
    return float(1.0 / np.sum(w * w))


def ess_threshold(population: int) -> float:
    """The ESS below which the fit warns (see the module docstring)."""
    return max(ESS_FLOOR, ESS_SHARE * population)


def ess_warning(ess: float, population: int) -> str | None:
    """One line when the final population's ESS is below `ess_threshold`, else None."""
    limit = ess_threshold(population)
    if ess >= limit:
        return None
    return (f"warning: effective sample size {ess:.1f} of {population} particles (below {limit:g}): the intervals "
            "and the fitted values rest on a few particles; fit again with more --population or --generations")


def spread(x: np.ndarray, weights: np.ndarray) -> tuple[float, float, float]:
    """Weighted 5th, 50th and 95th percentiles of ``x``, MISSING values left out (NaN if none)."""
    x, w = np.asarray(x, dtype=np.float64), np.asarray(weights, dtype=np.float64)
    ok = x != MISSING
    if not ok.any():
        return (math.nan, math.nan, math.nan)
    return tuple(weighted_quantile(x[ok], w[ok], q) for q in (CREDIBLE[0], 0.5, CREDIBLE[1]))


def decimals(low: float, high: float) -> int:
    """Decimal places that give the interval's width two significant digits (negative: tens...)."""
    width = abs(high - low)
    if not math.isfinite(width) or width == 0:
        return 3
    return 1 - math.floor(math.log10(width))


def _shown(value: float, places: int) -> str:
    return f"{round(value, places):,.{max(places, 0)}f}"


def estimate_text(value: float, low: float, high: float, integer: bool = False) -> str:
    """'0.29 (90% credible interval 0.07 to 0.71)': rounded to two significant digits of the width."""
    places = min(decimals(low, high), 0) if integer else decimals(low, high)
    return f"{_shown(value, places)} (90% credible interval {_shown(low, places)} to {_shown(high, places)})"


def estimates(sample: Mapping[str, np.ndarray], weights: np.ndarray, integers: set[str]) -> dict[str, dict]:
    """Per fitted field: weighted median, 5th and 95th percentiles, and the text shown."""
    out = {}
    for path, x in sample.items():
        lo, med, hi = spread(x, weights)
        if path in integers:
            med = float(round(med))
        out[path] = {"median": med, "p05": lo, "p95": hi, "shown": estimate_text(med, lo, hi, path in integers)}
    return out


def predictive_checks(observed: Mapping[str, float], predictive: list[Mapping[str, float]],
                      weights: np.ndarray) -> list[dict]:
    """Per statistic: observed, the simulated 5th/50th/95th percentiles over the last population,
    and whether the observed value lies inside the 5-95% range (None when undefined)."""
    out = []
    for key, obs in observed.items():
        lo, med, hi = spread(np.array([row[key] for row in predictive]), weights)
        inside = None if obs == MISSING or math.isnan(lo) else bool(lo <= obs <= hi)
        out.append({"statistic": key, "observed": obs, "p05": _finite(lo), "median": _finite(med), "p95": _finite(hi),
                    "inside": inside})
    return out


def _finite(x: float) -> float | None:
    """``x``, or None (JSON null) when it is not a number."""
    return x if math.isfinite(x) else None


def epsilon_warning(epsilons: list[float]) -> str | None:
    """One line when a generation's epsilon did not decrease from the one before, else None."""
    rises = [i for i in range(1, len(epsilons)) if epsilons[i] >= epsilons[i - 1]]
    if not rises:
        return None
    where = ", ".join(f"{epsilons[i - 1]:.3g} -> {epsilons[i]:.3g} (generation {i + 1})" for i in rises)
    return (f"warning: epsilon did not decrease: {where}; the adaptive distance re-weighted the statistics, "
            "so later populations need not match better (see the predictive checks)")


def fit_quality(fit, population: int, held_out_days: int = 0) -> dict:
    """The fit's report (fit_quality.json): estimates with intervals, ESS and its warning, the
    predictive checks and how many pass, the epsilons and their warning, the held-out days."""
    ess = effective_sample_size(fit.weights)
    checks = predictive_checks(fit.observed, fit.predictive, fit.predictive_weights)
    known = [c for c in checks if c["inside"] is not None]
    return {"estimates": estimates(fit.sample, fit.weights, {p.path for p in fit.parameters if p.integer}),
            "effective_sample_size": ess, "particles": len(fit.weights), "ess_threshold": ess_threshold(population),
            "ess_warning": ess_warning(ess, population),
            "predictive_checks": checks, "inside": sum(bool(c["inside"]) for c in known), "checked": len(known),
            "epsilons": list(fit.epsilons), "epsilon_warning": epsilon_warning(list(fit.epsilons)),
            "held_out_days": held_out_days}


def fit_lines(q: Mapping) -> list[str]:
    """What `community-sim fit` prints (and fit.png repeats) about its own quality."""
    lines = [f"{path:45} {e['shown']}" for path, e in q["estimates"].items()]
    lines.append(f"effective sample size {q['effective_sample_size']:.1f} of {q['particles']} particles "
                 f"(warning below {q['ess_threshold']:g})")
    outside = [c["statistic"] for c in q["predictive_checks"] if c["inside"] is False]
    lines.append(f"observed inside the simulated 5-95% range for {q['inside']} of {q['checked']} statistics"
                 + (f" (outside: {', '.join(outside)})" if outside else ""))
    lines.append("epsilon per generation " + " -> ".join(f"{e:.3g}" for e in q["epsilons"]))
    lines += [w for w in (q["ess_warning"], q["epsilon_warning"]) if w]
    return lines


def figure_notes(q: Mapping) -> list[str]:
    """`fit_lines` for fit.png's heading: the estimates three to a line, then the checks."""
    shown = [f"{path.rsplit('.', 1)[-1]} {e['shown']}" for path, e in q["estimates"].items()]
    lines = ["; ".join(shown[i:i + 3]) for i in range(0, len(shown), 3)]
    return lines + [part for line in fit_lines(q)[len(shown):] for part in textwrap.wrap(line, 170)]


def recent_levels(active: np.ndarray) -> dict[str, float]:
    """Observed mean distinct authors a day over the log's last 14 and 30 days."""
    a = np.asarray(active, dtype=np.float64)
    return {f"last_{n}_days": float(a[-n:].mean()) if len(a) else math.nan for n in RECENT_DAYS}


def reconstruction_check(observed14: np.ndarray, bands: Mapping[str, np.ndarray], today: int) -> dict:
    """Share of the log's days whose observed 14-day mean is outside the reconstruction's 90%
    band (band above it, band below it), and a warning when more than ``RECONSTRUCTION_MISS``."""
    n = min(today, len(observed14), len(bands["day"]))
    obs = np.asarray(observed14, dtype=np.float64)[:n]
    above = float(np.mean(obs < bands["p05"][:n])) if n else math.nan
    below = float(np.mean(obs > bands["p95"][:n])) if n else math.nan
    outside = above + below
    warning = None
    if outside > RECONSTRUCTION_MISS:
        side = "above" if above >= below else "below"
        warning = (f"warning: the reconstruction's 90% band misses the observed 14-day mean on {outside:.0%} of the "
                   f"log's {n} days (band {side} it on {max(above, below):.0%}; more than {RECONSTRUCTION_MISS:.0%} "
                   f"is a misfit): the forecast inherits that bias (likely too {'high' if side == 'above' else 'low'})")
    return {"days": n, "outside_share": outside, "above_share": above, "below_share": below, "warning": warning}


def forecast_report(bands: Mapping[str, np.ndarray], observed_active: np.ndarray, today: int,
                    held_out: np.ndarray | None = None) -> dict:
    """The forecast's honesty figures (forecast.json): the observed recent level, the forecast's
    first and last day (median, 90% band), the reconstruction check, and, when the fit folder kept
    held-out days (fit --first-days), the share of them inside the forecast's 90% band."""
    observed14 = moving_mean(observed_active)
    last = len(bands["day"]) - 1
    report = {"observed_recent": recent_levels(observed_active),
              "forecast_start": {k: float(bands[k][today]) for k in ("median", "p05", "p95")} | {"day": today},
              "forecast_end": {k: float(bands[k][last]) for k in ("median", "p05", "p95")} | {"day": last},
              "reconstruction": reconstruction_check(observed14, bands, today), "held_out": None}
    if held_out is not None and len(held_out):
        whole = moving_mean(np.concatenate([np.asarray(observed_active, float), np.asarray(held_out, float)]))
        days = min(len(held_out), last + 1 - today)
        report["held_out"] = {"days": days, "coverage_90": coverage(whole[:today + days], bands, today),
                              "coverage_50": coverage(whole[:today + days], bands, today, "p25", "p75")}
    return report


def forecast_lines(r: Mapping) -> list[str]:
    """What `community-sim forecast` prints: observed recent level next to the forecast's start
    and end, held-out coverage, and the reconstruction's warning."""
    rec, start, end = r["observed_recent"], r["forecast_start"], r["forecast_end"]
    lines = [f"observed      last 14 days {rec['last_14_days']:.2f}, last 30 days {rec['last_30_days']:.2f} "
             "distinct authors a day",
             f"forecast      day {start['day']} (first): median {start['median']:.2f}, 90% band {start['p05']:.2f} "
             f"to {start['p95']:.2f}; day {end['day']}: median {end['median']:.2f}, 90% band {end['p05']:.2f} to "
             f"{end['p95']:.2f} (14-day means)",
             f"reconstruction  observed outside its 90% band on {r['reconstruction']['outside_share']:.0%} of the "
             f"log's {r['reconstruction']['days']} days"]
    if r["held_out"]:
        h = r["held_out"]
        lines.append(f"held out      {h['coverage_90']:.0%} of {h['days']} held-out days inside the forecast's 90% "
                     f"band ({h['coverage_50']:.0%} inside its 50% band)")
    return lines + ([r["reconstruction"]["warning"]] if r["reconstruction"]["warning"] else [])
