"""Commands on a group's own message log: `diagnose` (read an export, measure the group against
real communities), `fit` (a scenario from the log) and `forecast` (the fitted group run forward):
their arguments, the folders they write, what they print (sim.diagnosis and sim.fitting do the
work). No file name reaches an output: chat apps name exports after people."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from ..plural import count
from ..evidence import FORMATS, detect_format
from ..scenario import ScenarioError, load_scenario, scenarios_dir
from .common import EXIT_BAD_INPUT, output_args, positive_int

DEFAULT_BASE = "reference/fcc_gitter_rooms.yaml"  # a small open chat room: the prior's centre
MIN_AUTHORS, MIN_DAYS = 5, 14  # less is too little to fit (the prior's group would be smaller than its ties)

EXPORTS = ("the export: Telegram result.json, WhatsApp .txt, DiscordChatExporter .json, Slack folder/.zip/day "
           "file, or messages.csv (timestamp, author[, thread, reply_to_author]; see README: Your own group)")


def cmd_fit(args) -> int:
    """Fit a scenario to a log and write the fit folder."""
    from ..diagnosis.report import input_digest
    from ..fitting.inference import fit_progress, run_fit
    from ..fitting.observed import daily_active, read_group_log, span_days, truncate
    from ..fitting.outputs import fit_files, fitted_name
    from ..fitting.quality import fit_lines, fit_quality
    from ..run.files import check_target, utc_now, utc_stamp, write_folder

    started, t0 = utc_now(), time.perf_counter()
    if args.minutes is not None and not args.minutes > 0:
        raise ScenarioError("command line", "--minutes", f"given {args.minutes}, allowed a number of minutes above 0")
    log = whole = read_group_log(args.log, args.group, args.format)
    digest = input_digest(Path(args.log))  # the same id diagnose gives the same export
    days = span = span_days(log)
    if args.first_days is not None:
        if args.first_days >= days:
            raise ScenarioError("command line", "--first-days", f"given {args.first_days}, allowed fewer than "
                                f"the log's {days} days")
        days, log = args.first_days, truncate(log, args.first_days)
    authors = len(set(log.author.tolist()))
    if authors < MIN_AUTHORS or days < MIN_DAYS:
        raise ScenarioError(args.log if args.first_days is None else "command line",
                            "" if args.first_days is None else "--first-days",
                            f"given {authors:,} authors over {days:,} days; allowed a log of at least "
                            f"{MIN_AUTHORS} authors and {MIN_DAYS} days (too little to fit a group to)")
    base = load_scenario(args.base or scenarios_dir() / DEFAULT_BASE)
    name = fitted_name(digest, args.group)
    out = Path(args.out) if args.out else Path(args.results) / "fits" / f"{name}-{utc_stamp()}"
    check_target(out, args.force, "fit")
    bar = fit_progress(name, args.population, args.generations)
    try:
        fit = run_fit(base, log, days, population=args.population, generations=args.generations, jobs=args.jobs,
                      seed=args.seed, max_minutes=args.minutes, tick=lambda: bar.update(True))
    finally:
        bar.close()
    manifest = {"input_sha256": digest, "format": args.format or detect_format(args.log), "group": args.group,
                "days": days, "base": str(args.base or DEFAULT_BASE), "seed": args.seed,
                "population": args.population, "generations": args.generations, "jobs": args.jobs,
                "max_minutes": args.minutes, "started_utc": started,
                "wall_seconds": round(time.perf_counter() - t0, 2)}
    held_out = daily_active(whole.day, whole.author, span)[days:] if days < span else None
    quality = fit_quality(fit, args.population, span - days)
    write_folder(out, fit_files(base, fit, log, days, name, manifest, quality, hide=args.log, held_out=held_out),
                 force=args.force, kind="fit")
    print("\n".join(fit_lines(quality)))
    print(f"simulations   {fit.evaluations:,} in {count(len(fit.epsilons), 'generation')} "
          f"({time.perf_counter() - t0:.0f} s); fitted.yaml holds the medians, fit_quality.json all of the above")
    if held_out is not None:
        print(f"held out      days {days}-{span - 1} ({count(span - days, 'day')}) kept in heldout_daily.csv: "
              f"community-sim forecast {out} --days {span - days} reports the share inside the forecast's 90% band")
    print(f"results       {out}  (fitted.yaml runs with community-sim run; forecast with "
          f"community-sim forecast {out})")
    return 0


def cmd_diagnose(args) -> int:
    """Read a group's message log, write the diagnosis folder and print its findings."""
    from ..diagnosis import diagnose
    from ..evidence import LogFormatError

    try:
        result = diagnose(args.log, fmt=args.format, out=args.out, force=args.force, results_root=args.results,
                          group=args.group)
    except LogFormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    log = result.export.log
    print(f"read          {log.n_messages:,} messages as {result.export.format} ({len(set(log.author.tolist())):,} "
          f"members, {log.epoch} on)")
    for sentence in result.sentences:
        print(f"  {sentence}")
    print(f"report        {result.folder / 'diagnosis.html'}")
    return 0


def cmd_forecast(args) -> int:
    """Run a fit folder's group forward and write the forecast folder."""
    from ..experiments.progress import Progress
    from ..fitting.forecast import run_forecast
    from ..fitting.outputs import forecast_files, read_fit_folder, read_held_out
    from ..fitting.quality import forecast_lines, forecast_report
    from ..run.files import check_target, utc_now, utc_stamp, write_folder

    started, t0 = utc_now(), time.perf_counter()
    scenario, posterior, observed = read_fit_folder(args.folder)
    held_out = read_held_out(args.folder)
    today = len(observed)
    out = Path(args.out) if args.out else Path(args.results) / "forecasts" / f"{scenario.name}-{utc_stamp()}"
    check_target(out, args.force, "forecast")
    bar = Progress(args.draws, f"forecasting {scenario.name}")
    try:
        result = run_forecast(scenario, posterior, today, args.days, args.draws, args.seed, jobs=args.jobs,
                              tick=lambda: bar.update(True))
    finally:
        bar.close()
    fit_manifest = Path(args.folder) / "manifest.json"
    fitted_from = json.loads(fit_manifest.read_text(encoding="utf-8")).get("input_sha256") if fit_manifest.is_file() else None
    manifest = {"fitted_scenario": scenario.name, "fit_input_sha256": fitted_from, "days": args.days, "draws": args.draws,
                "seed": args.seed, "jobs": args.jobs, "started_utc": started,
                "wall_seconds": round(time.perf_counter() - t0, 2)}
    report = forecast_report(result.bands(), observed, today, held_out)
    write_folder(out, forecast_files(result, observed, scenario.name, manifest, report, hide=args.folder,
                                     held_out=held_out), force=args.force, kind="forecast")
    print("\n".join(forecast_lines(report)))
    print(f"results       {out}")
    return 0


def _format_arg(parser) -> None:
    parser.add_argument("--format", choices=FORMATS, help="the export's format (default: told from the name and first bytes)")


def register(sub) -> None:
    """Add this module's commands to the ``community-sim`` sub-parsers."""
    g = sub.add_parser("diagnose", help="diagnose a real group from its message log (Telegram, WhatsApp, Discord, "
                       "Slack or CSV export)")
    g.add_argument("log", help=EXPORTS)
    _format_arg(g)
    g.add_argument("--group", help="the group to diagnose, in a file holding many (a CSV group column, a Slack "
                   "workspace's channels); such a file is refused without it")
    output_args(g, "result folder (default: results/diagnosis/<format>-<input sha256 prefix>/<UTC timestamp>)")
    g.set_defaults(func=cmd_diagnose)

    f = sub.add_parser("fit", help="estimate a scenario from a group's own message log (ABC-SMC, pyabc)")
    f.add_argument("log", help=EXPORTS)
    _format_arg(f)
    f.add_argument("--group", help="the room to fit, in a file with a group column holding many")
    f.add_argument("--base", help=f"scenario whose other settings the fit keeps (default: scenarios/{DEFAULT_BASE})")
    f.add_argument("--first-days", type=positive_int, help="fit only the log's first N days (a held-out test)")
    f.add_argument("--population", type=positive_int, default=40, help="particles per generation (default 40)")
    f.add_argument("--generations", type=positive_int, default=4, help="ABC-SMC generations (default 4)")
    f.add_argument("--minutes", type=float, help="stop after this many minutes (then not reproducible)")
    f.add_argument("--jobs", type=positive_int, default=1, help="worker processes (default 1)")
    f.add_argument("--seed", type=int, default=0, help="seed of the fit (default 0)")
    output_args(f, "fit folder (default: results/fits/fitted-<group, or the input's sha256 prefix>-<UTC timestamp>)")
    f.set_defaults(func=cmd_fit)

    c = sub.add_parser("forecast", help="run a fitted group forward over its posterior sample")
    c.add_argument("folder", help="a fit folder (made by community-sim fit)")
    c.add_argument("--days", type=positive_int, default=365, help="days beyond the log's end (default 365)")
    c.add_argument("--draws", type=positive_int, default=40, help="parameter sets drawn, one run each (default 40)")
    c.add_argument("--seed", type=int, default=0, help="seed of the draws and runs (default 0)")
    c.add_argument("--jobs", type=positive_int, default=1, help="worker processes (default 1)")
    output_args(c, "forecast folder (default: results/forecasts/<fitted name>-<UTC timestamp>)")
    c.set_defaults(func=cmd_forecast)
