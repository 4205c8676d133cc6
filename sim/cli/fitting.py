"""`fit` (a scenario from a group's own message log) and `forecast` (the fitted group run
forward): their arguments, the folders they write, what they print (sim.fitting does the work)."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from ..scenario import ScenarioError, load_scenario, scenarios_dir
from .common import output_args, positive_int

DEFAULT_BASE = "reference/fcc_gitter_rooms.yaml"  # a small open chat room: the prior's centre


def cmd_fit(args) -> int:
    """Fit a scenario to a log and write the fit folder."""
    from ..experiments.progress import Progress
    from ..run.files import check_target, utc_now, utc_stamp, write_folder
    from ..fitting.inference import run_fit
    from ..fitting.observed import read_group_log, span_days, truncate
    from ..fitting.outputs import fit_files, fitted_name

    started, t0 = utc_now(), time.perf_counter()
    if args.minutes is not None and not args.minutes > 0:
        raise ScenarioError("command line", "--minutes", f"given {args.minutes}, allowed a number of minutes above 0")
    log = read_group_log(args.log, args.group)
    days = span_days(log)
    if args.first_days is not None:
        if args.first_days >= days:
            raise ScenarioError("command line", "--first-days", f"given {args.first_days}, allowed fewer than "
                                f"the log's {days} days")
        days, log = args.first_days, truncate(log, args.first_days)
    base = load_scenario(args.base or scenarios_dir() / DEFAULT_BASE)
    name = fitted_name(args.log, args.group)
    out = Path(args.out) if args.out else Path(args.results) / "fits" / f"{name}-{utc_stamp()}"
    check_target(out, args.force, "fit")
    bar = Progress(args.population * (args.generations + 1), f"fitting {name} (ABC-SMC)", unit="particle")
    try:
        fit = run_fit(base, log, days, population=args.population, generations=args.generations, jobs=args.jobs,
                      seed=args.seed, max_minutes=args.minutes, tick=lambda: bar.update(True))
    finally:
        bar.close()
    manifest = {"input": Path(args.log).name, "input_sha256": _sha256(args.log), "group": args.group,
                "days": days, "base": str(args.base or DEFAULT_BASE), "seed": args.seed,
                "population": args.population, "generations": args.generations, "jobs": args.jobs,
                "max_minutes": args.minutes, "started_utc": started,
                "wall_seconds": round(time.perf_counter() - t0, 2)}
    write_folder(out, fit_files(base, fit, log, days, name, manifest), force=args.force, kind="fit")
    for path, value in fit.point().items():
        print(f"{path:45} {value:.4g}")
    print(f"simulations   {fit.evaluations:,} in {len(fit.epsilons)} generations "
          f"({time.perf_counter() - t0:.0f} s); last epsilon {fit.epsilons[-1]:.3g}")
    print(f"results       {out}  (fitted.yaml runs with community-sim run; forecast with "
          f"community-sim forecast {out})")
    return 0


def _sha256(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def cmd_forecast(args) -> int:
    """Run a fit folder's group forward and write the forecast folder."""
    from ..experiments.progress import Progress
    from ..run.files import check_target, utc_now, utc_stamp, write_folder
    from ..fitting.forecast import run_forecast
    from ..fitting.outputs import forecast_files, read_fit_folder

    started, t0 = utc_now(), time.perf_counter()
    scenario, posterior, observed = read_fit_folder(args.folder)
    today = len(observed)
    out = Path(args.out) if args.out else Path(args.results) / "forecasts" / f"{scenario.name}-{utc_stamp()}"
    check_target(out, args.force, "forecast")
    bar = Progress(args.draws, f"forecasting {scenario.name}")
    try:
        result = run_forecast(scenario, posterior, today, args.days, args.draws, args.seed, jobs=args.jobs,
                              tick=lambda: bar.update(True))
    finally:
        bar.close()
    manifest = {"fit_folder": str(Path(args.folder).resolve()), "days": args.days, "draws": args.draws,
                "seed": args.seed, "jobs": args.jobs, "started_utc": started,
                "wall_seconds": round(time.perf_counter() - t0, 2)}
    write_folder(out, forecast_files(result, observed, scenario.name, manifest), force=args.force, kind="forecast")
    bands = result.bands()
    print(f"day {today + args.days - 1}: median {bands['median'][-1]:.2f} distinct authors a day (14-day mean), "
          f"90% band {bands['p05'][-1]:.2f} to {bands['p95'][-1]:.2f}")
    print(f"results       {out}")
    return 0


def register(sub) -> None:
    """Add this module's commands to the ``community-sim`` sub-parsers."""
    f = sub.add_parser("fit", help="estimate a scenario from a group's own message log (ABC-SMC, pyabc)")
    f.add_argument("log", help="messages.csv (timestamp, author, thread, reply_to_author; see README: Your own group)")
    f.add_argument("--group", help="the room to fit, in a file with a group column holding many")
    f.add_argument("--base", help=f"scenario whose other settings the fit keeps (default: scenarios/{DEFAULT_BASE})")
    f.add_argument("--first-days", type=positive_int, help="fit only the log's first N days (a held-out test)")
    f.add_argument("--population", type=positive_int, default=40, help="particles per generation (default 40)")
    f.add_argument("--generations", type=positive_int, default=4, help="ABC-SMC generations (default 4)")
    f.add_argument("--minutes", type=float, help="stop after this many minutes (then not reproducible)")
    f.add_argument("--jobs", type=positive_int, default=1, help="worker processes (default 1)")
    f.add_argument("--seed", type=int, default=0, help="seed of the fit (default 0)")
    output_args(f, "fit folder (default: results/fits/fitted-<group>-<UTC timestamp>)")
    f.set_defaults(func=cmd_fit)

    c = sub.add_parser("forecast", help="run a fitted group forward over its posterior sample")
    c.add_argument("folder", help="a fit folder (made by community-sim fit)")
    c.add_argument("--days", type=positive_int, default=365, help="days beyond the log's end (default 365)")
    c.add_argument("--draws", type=positive_int, default=40, help="parameter sets drawn, one run each (default 40)")
    c.add_argument("--seed", type=int, default=0, help="seed of the draws and runs (default 0)")
    c.add_argument("--jobs", type=positive_int, default=1, help="worker processes (default 1)")
    output_args(c, "forecast folder (default: results/forecasts/<fitted name>-<UTC timestamp>)")
    c.set_defaults(func=cmd_forecast)
