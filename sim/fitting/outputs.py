"""The fit folder of `community-sim fit`, and reading it back for the forecast.

Files: ``fitted.yaml`` (a complete scenario, valid for `community-sim run` and as an
experiment's ``base``: the base scenario with each fitted quantity at its posterior weighted
median, over the observed span), ``posterior.csv`` (the last ABC-SMC population: one parameter
set a row, with its weight), ``observed.json`` (the observed statistics and the log's size),
``observed_daily.csv`` (distinct authors and messages on each day of the log),
``fit_quality.json`` (estimates with 90% credible intervals, effective sample size, predictive
checks, epsilons: ``quality``), ``heldout_daily.csv`` (with ``--first-days``: distinct authors on
each held-out day, for the forecast's held-out coverage), ``fit.png`` and ``manifest.json``. `forecast_files` is the forecast folder. No author name or member's id, and
no path or file name (chat apps name exports after people: the command line is recorded with
the log's path replaced), is written anywhere; pyabc's history database is not kept (it records
the working folder).
"""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from ..plural import count
from ..evidence import MessageLog
from ..run.files import (
    command_line,
    dump_json,
    dump_yaml,
    git_commit,
    read_csv,
    table_csv,
    utc_now,
    versions,
)
from ..run.metrics import moving_mean
from ..scenario import FIT_SCENARIO, Scenario, ScenarioError, load_scenario
from .figures import save_fit_png, save_forecast_png
from .forecast import QUANTILES, Forecast
from .inference import Fit
from .observed import daily_active
from .quality import figure_notes, fit_lines, forecast_lines

FITTED = FIT_SCENARIO
POSTERIOR = "posterior.csv"
OBSERVED_DAILY = "observed_daily.csv"
HELD_OUT = "heldout_daily.csv"


def fitted_name(input_sha256: str, group: str | None) -> str:
    """The fitted scenario's name: ``fitted-<group>``, or ``fitted-<the input's sha256 prefix>``
    (never the file's name: chat apps name exports after a person, e.g. "WhatsApp Chat with
    NAME"), folder-safe."""
    stem = group or input_sha256[:12]
    return "fitted-" + (re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-.") or "log")[:80]


def fitted_scenario(base: Scenario, fit: Fit, days: int, name: str) -> Scenario:
    """The base scenario with the fitted values (posterior weighted medians), over ``days``."""
    return base.with_overrides({**fit.point(), "days": days, "name": name,
                                "description": "Fitted by community-sim fit to a group's own message log"}, source="fit")


def fit_files(base: Scenario, fit: Fit, log: MessageLog, days: int, name: str, manifest: dict[str, Any],
              quality: dict, hide: str = "", held_out: np.ndarray | None = None) -> dict:
    """Every file of the fit folder (name -> bytes or writer); ``quality``: `quality.fit_quality`
    (fit_quality.json); ``hide``: the log's path, kept out of the recorded command line;
    ``held_out``: distinct authors on each day after the fitted ones (``--first-days``), kept in
    heldout_daily.csv for the forecast's held-out coverage."""
    scenario = fitted_scenario(base, fit, days, name)
    header = (f"# Fitted by community-sim fit (ABC-SMC, pyabc): the base scenario {base.name!r} with the\n"
              f"# posterior weighted median of each fitted quantity; posterior.csv holds the whole sample.\n"
              + "".join(f"# {line}\n" for line in fit_lines(quality)))
    posterior = {"weight": fit.weights, **fit.sample}
    day = np.floor(log.day).astype(np.int64)
    daily = {"day": np.arange(days), "active_authors": daily_active(log.day, log.author, days),
             "messages": np.bincount(day[day < days], minlength=days)}
    observed = {"days": days, "messages": int(np.sum(day < days)), "authors": int(len(np.unique(log.author))),
                "statistics": fit.observed}
    title = f"{name}: observed vs simulated statistics (last ABC-SMC population, {len(fit.weights)} particles)"
    return {
        FITTED: header.encode() + dump_yaml(scenario.to_dict()),
        POSTERIOR: table_csv(posterior),
        "observed.json": dump_json(observed),
        OBSERVED_DAILY: table_csv(daily),
        "fit_quality.json": dump_json(quality),
        "fit.png": lambda p: save_fit_png(p, fit.observed, fit.predictive, fit.predictive_weights, days, title,
                                          figure_notes(quality)),
        **({HELD_OUT: table_csv({"day": days + np.arange(len(held_out)), "active_authors": held_out})}
           if held_out is not None else {}),
        "manifest.json": dump_json({**manifest, "kind": "fit", "finished_utc": utc_now(),
                                    "parameters": [vars(p) for p in fit.parameters],
                                    "fitted": fit.point(), "epsilons": fit.epsilons,
                                    "generations_done": len(fit.epsilons), "simulations": fit.evaluations,
                                    "command": command_without(hide),
                                    "versions": versions_with_pyabc(), "git_commit": git_commit()}),
    }


def command_without(path: str, stand_in: str = "<input>") -> list[str]:
    """The command line with ``path`` (the log, or a fit folder) replaced by ``stand_in``: a
    path may hold a person's name (a WhatsApp export is "WhatsApp Chat with NAME.txt")."""
    return [stand_in if path and arg == path else arg for arg in command_line()]


def versions_with_pyabc() -> dict[str, str]:
    """`versions()` plus pyabc's, the library that made the fit."""
    try:
        return {**versions(), "pyabc": metadata.version("pyabc")}
    except metadata.PackageNotFoundError:
        return {**versions(), "pyabc": "not installed"}


def fit_folder_file(folder: str | Path) -> Path:
    """The ``fitted.yaml`` of a fit folder; a folder without one is a `ScenarioError`."""
    path = Path(folder) / FITTED
    if not path.is_file():
        raise ScenarioError(str(folder), "", f"not a fit folder: no {FITTED} (made by community-sim fit)")
    return path


def read_fit_folder(folder: str | Path) -> tuple[Scenario, dict[str, np.ndarray], np.ndarray]:
    """The fitted scenario, the posterior sample (field path -> values, and the weights) and the
    observed daily active authors of a fit folder."""
    scenario = load_scenario(fit_folder_file(folder))
    for name in (POSTERIOR, OBSERVED_DAILY):
        if not (Path(folder) / name).is_file():
            raise ScenarioError(str(folder), "", f"not a complete fit folder: no {name}")
    posterior = read_csv(Path(folder) / POSTERIOR)
    daily = read_csv(Path(folder) / OBSERVED_DAILY)
    return scenario, posterior, daily["active_authors"]


def read_held_out(folder: str | Path) -> np.ndarray | None:
    """The held-out days' distinct authors a day of a fit folder made with --first-days, or None."""
    path = Path(folder) / HELD_OUT
    return read_csv(path)["active_authors"] if path.is_file() else None


def forecast_files(forecast: Forecast, observed_active: np.ndarray, name: str, manifest: dict[str, Any],
                   report: dict, hide: str = "", held_out: np.ndarray | None = None) -> dict:
    """The forecast folder: ``forecast.csv`` (per day: reconstruction or forecast, the observed
    14-day mean where known, the runs' median and 5/25/75/95% quantiles), ``forecast.json``
    (messages after today: quantiles over runs, and ``report``: `quality.forecast_report`),
    ``forecast.png`` and ``manifest.json``; ``hide``: the fit folder's path, kept out of the
    recorded command line; ``held_out``: the fit folder's held-out days, drawn when given."""
    bands = forecast.bands()
    n = len(bands["day"])
    observed14 = moving_mean(observed_active)
    known = np.full(n, np.nan)
    known[:min(n, len(observed14))] = observed14[:n]
    table = {"day": bands["day"], "phase": np.where(bands["day"] < forecast.today, "reconstruction", "forecast"),
             "observed_14d": known, **{k: bands[k] for k in QUANTILES}}
    messages = {k: float(np.quantile(forecast.messages_after, q)) for k, q in QUANTILES.items()}
    summary = {"today": forecast.today, "days_after_today": n - forecast.today, "runs": len(forecast.messages_after),
               "messages_after_today": messages, **report}
    title = (f"{name}: daily active authors, observed and forecast ({count(len(forecast.messages_after), 'run')})\n"
             + "observed " + forecast_lines(report)[0].removeprefix("observed").strip()
             + f"; reconstruction misses it on {report['reconstruction']['outside_share']:.0%} of days")
    later = None if held_out is None else moving_mean(np.concatenate([observed_active, held_out]))[forecast.today:]
    return {
        "forecast.csv": table_csv(table, empty_if={"observed_14d": np.isnan}),
        "forecast.json": dump_json(summary),
        "forecast.png": lambda p: save_forecast_png(p, observed14[:forecast.today], bands, forecast.today, title,
                                                    later),
        "manifest.json": dump_json({**manifest, "kind": "forecast", "finished_utc": utc_now(),
                                    "command": command_without(hide, "<fit folder>"),
                                    "versions": versions_with_pyabc(),
                                    "git_commit": git_commit()}),
    }
