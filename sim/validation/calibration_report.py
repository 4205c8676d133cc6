"""The calibration folder of `community-sim calibrate`: the best parameters as a behaviour block
(``fitted.yaml``, a scenario that `community-sim run` accepts), the fit of every reference
statistic on fresh seeds (calibrated and held out), every trial, and a manifest."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..plural import count
from ..run.files import dump_json, dump_yaml, table_csv, utc_now, versions
from ..scenario import Scenario
from .calibration import CALIBRATED, HELD_OUT, TOLERANCE, Calibration, FitRow


def nested(overrides: dict[str, float]) -> dict[str, Any]:
    """Dotted paths -> nested mappings (``behaviour.replies.welcome: 0.7`` -> {behaviour: {...}})."""
    out: dict[str, Any] = {}
    for path, value in overrides.items():
        node = out
        *parents, leaf = path.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = float(f"{value:.4g}")
    return out


def fit_markdown(rows: list[FitRow], replicates: int) -> str:
    """The fit as a Markdown table."""
    over = count(replicates, "run")
    lines = [f"| statistic | role | target | model (mean, 95% interval over {over}) | fits (within {TOLERANCE}) |",
             "|---|---|---|---|---|"]
    for r in rows:
        lo, hi = r.target
        target = f"{lo:.2f}" if lo == hi else f"{lo:.2f}-{hi:.2f}"
        model = "n/a" if math.isnan(r.mean) else f"{r.mean:.2f} ({r.low:.2f}-{r.high:.2f})"
        lines.append(f"| {r.label} | {r.role} | {target} | {model} | {'yes' if r.fits else '**no**'} |")
    return "\n".join(lines) + "\n"


def calibration_files(base: Scenario, cal: Calibration, rows: list[FitRow], replicates: int, settings: dict,
                      started_utc: str) -> dict[str, bytes]:
    """File name -> bytes for the calibration folder."""
    fitted = base.with_overrides(cal.best, source="calibration").to_dict()
    fitted["name"] = f"{base.name}-fitted-{cal.target.name}"
    fitted["description"] = f"{base.name} with behaviour fitted to {cal.target.name} (community-sim calibrate)"
    trials = {k: np.array([t[k] for t in cal.trials], dtype=float) for k in cal.trials[0]} if cal.trials else {}
    summary = {
        "target": cal.target.name, "best_loss": cal.best_loss, "best": cal.best,
        "calibrated": list(CALIBRATED), "held_out": list(HELD_OUT), "tolerance": TOLERANCE,
        "fit": [{"statistic": r.statistic, "role": r.role, "target": list(r.target), "mean": r.mean,
                 "low": r.low, "high": r.high, "fits": r.fits} for r in rows],
        "fits": sum(r.fits for r in rows), "statistics": len(rows),
    }
    return {
        "fitted.yaml": dump_yaml(fitted),
        "behaviour.yaml": dump_yaml(nested(cal.best)),
        "calibration.json": dump_json(summary),
        "fit.md": fit_markdown(rows, replicates).encode(),
        "trials.csv": table_csv(trials) if trials else b"",
        "manifest.json": dump_json({"kind": "calibration", "settings": settings, "started_utc": started_utc,
                                    "finished_utc": utc_now(), "versions": versions()}),
    }
