"""Held-out test of `community-sim fit` and `forecast` on a real room (docs/fitting.md).

Fits a room's first 60% of days (its first to its last message), forecasts the remaining 40%,
and measures (1) the share of the held-out days whose observed 14-day mean of distinct authors
a day lies inside the forecast's 90% band (and 50% band), and (2) whether the held-out span's
observed message count lies inside the 90% range of the runs' counts. Writes the fit and
forecast folders, heldout.json and heldout.png under --out.

    PYTHONPATH=. python docs/tools/heldout_fit.py /work/shared/data/fcc_gitter_rooms/messages.csv \\
        --group portugues --out results/heldout/portugues --jobs 2
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

from sim.cli import main
from sim.fitting.figures import save_forecast_png
from sim.fitting.forecast import coverage
from sim.fitting.observed import daily_active, read_group_log, span_days
from sim.run.files import read_csv
from sim.run.metrics import moving_mean


def heldout(log_path: str, group: str | None, out: Path, share: float, fit_args: list[str], draws: int,
            jobs: int) -> dict:
    """Fit, forecast and measure; returns the figures written to heldout.json."""
    log = read_group_log(log_path, group)
    days = span_days(log)
    first = int(round(share * days))
    fit_dir, forecast_dir = out / "fit", out / "forecast"
    group_args = ["--group", group] if group else []
    code = main(["fit", log_path, *group_args, "--first-days", str(first), "--jobs", str(jobs), "--out",
                 str(fit_dir), "--force", *fit_args])
    if code:
        sys.exit(code)
    code = main(["forecast", str(fit_dir), "--days", str(days - first), "--draws", str(draws), "--jobs", str(jobs),
                 "--out", str(forecast_dir), "--force"])
    if code:
        sys.exit(code)
    bands = read_csv(forecast_dir / "forecast.csv")
    observed14 = moving_mean(daily_active(log.day, log.author, days))
    runs = json.loads((forecast_dir / "forecast.json").read_text())["messages_after_today"]
    held_messages = int(np.sum(log.day >= first))
    result = {"log": Path(log_path).name, "group": group, "days": days, "fitted_days": first,
              "held_out_days": days - first,
              "coverage_90": coverage(observed14, bands, first),
              "coverage_50": coverage(observed14, bands, first, "p25", "p75"),
              "held_out_messages": held_messages, "forecast_messages_p05": runs["p05"],
              "forecast_messages_p95": runs["p95"],
              "messages_inside_90": bool(runs["p05"] <= held_messages <= runs["p95"]),
              "fit_manifest": json.loads((fit_dir / "manifest.json").read_text())["wall_seconds"],
              "forecast_seconds": json.loads((forecast_dir / "manifest.json").read_text())["wall_seconds"]}
    save_forecast_png(out / "heldout.png", observed14[:first], bands, first,
                      f"{group or Path(log_path).parent.name}: fit on the first {first} days, forecast the last "
                      f"{days - first} (90% of held-out days inside: {result['coverage_90']:.0%})",
                      held_out=observed14[first:])
    (out / "heldout.json").write_text(json.dumps(result, indent=2) + "\n")
    return result


def cli(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("log")
    p.add_argument("--group")
    p.add_argument("--out", required=True)
    p.add_argument("--share", type=float, default=0.6, help="share of the room's days to fit (default 0.6)")
    p.add_argument("--draws", type=int, default=40)
    p.add_argument("--jobs", type=int, default=2)
    p.add_argument("--fit-args", default="", help="more arguments for community-sim fit, e.g. '--population 40'")
    a = p.parse_args(argv)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    print(json.dumps(heldout(a.log, a.group, out, a.share, a.fit_args.split(), a.draws, a.jobs), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(cli())
