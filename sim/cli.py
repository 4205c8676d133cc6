"""The `community-sim` command, the top layer: parses arguments, calls the layer that does the
work (run, experiments, reports, validation, workshop, bench, diagnosis), prints, and turns the errors a
user can cause into one line and an exit status (2 bad input, 3 refused to overwrite or to
share a folder, 4 the output could not be written). No model logic."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .run.output import OutputExists, OutputFailed
from .scenario import ScenarioError, default_scenario, load_scenario, scenarios_dir

EXIT_BAD_INPUT = 2
EXIT_REFUSED = 3
EXIT_WRITE_FAILED = 4


def _print_summary(result) -> None:
    from .run.summary_text import summary_lines

    for line in summary_lines(result.scenario, result.seed, result.summary, result.members):
        print(line)
    if result.folder is not None:
        print(f"results       {result.folder}")


def cmd_run(args) -> int:
    from .run import run_scenario

    path = Path(args.scenario) if args.scenario else default_scenario()
    scenario = load_scenario(path)
    result = run_scenario(scenario, seed=args.seed, days=args.days, out=args.out, force=args.force,
                          results_root=args.results, plots=not args.no_plots, progress=True, messages=args.messages)
    _print_summary(result)
    return 0


def is_experiment_file(path: str) -> bool:
    """An experiment file is a mapping naming a base scenario and its arms (or a grid); a
    file that cannot be read is left to the scenario loader, whose error says why."""
    from .scenario import read_yaml

    try:
        data = read_yaml(path)
    except ScenarioError:
        return False
    return isinstance(data, dict) and "base" in data and ("arms" in data or "grid" in data)


def cmd_validate(args) -> int:
    """Check every file given, scenario or experiment, and print every error of each (one line
    each); exit 2 when any file has one."""
    from .experiments import load_experiment

    bad = 0
    for f in args.files:
        try:
            if is_experiment_file(f):
                e = load_experiment(f)
                print(f"{f}: ok (experiment {e.name}: {len(e.arms):,} arms x {e.replicates:,} replicates, "
                      f"{e.days:,} days, base {e.base.name})")
            else:
                s = load_scenario(f)
                print(f"{f}: ok ({s.name}: {s.community.initial_members:,} members, {s.days:,} days, "
                      f"entry {s.strategy.entry.kind})")
        except ScenarioError as exc:
            bad += 1
            for err in exc.errors:
                print(f"error: {ScenarioError(err.source, err.path, err.message)}", file=sys.stderr)
    if bad:
        print(f"{bad} of {len(args.files)} files have errors", file=sys.stderr)
    return EXIT_BAD_INPUT if bad else 0


def cmd_scenarios(args) -> int:
    files = sorted(scenarios_dir().glob("*.yaml"))
    if not files:
        print(f"no scenarios in {scenarios_dir()}")
        return 1
    width = max(len(f.stem) for f in files)
    for f in files:
        try:
            desc = load_scenario(f).description
        except ScenarioError as exc:
            desc = f"(invalid: {exc.message})"
        print(f"{f.stem:<{width}}  {desc}")
    return 0


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"given {value}, allowed an integer of at least 1")
    return value


def cmd_experiment(args) -> int:
    from .experiments import load_experiment, run_experiment

    exp = load_experiment(args.file, replicates=args.replicates)
    outcome = run_experiment(exp, out=args.out, results_root=args.results, jobs=args.jobs, resume=args.resume,
                             force=args.force, executor=args.executor, scheduler=args.scheduler,
                             cli_args={k: v for k, v in vars(args).items() if k != "func"})
    print(f"runs          {outcome.ok} finished now, {outcome.skipped} already finished, "
          f"{len(outcome.failed)} failed, of {outcome.planned} ({outcome.wall_seconds:.1f} s)")
    for task, path in outcome.failed:
        print(f"failed run    {task.run_id} ({task.arm}, replicate {task.replicate}): traceback in {path}",
              file=sys.stderr)
    print(f"results       {outcome.folder}")
    if not outcome.replaced:
        print(f"{outcome.interrupted or 'every run failed'}; nothing was replaced: {args.out} still holds the "
              f"previous results", file=sys.stderr)
        return 130 if outcome.interrupted else 1
    if outcome.interrupted:
        more = f" --replicates {args.replicates}" if args.replicates else ""
        print(f"{outcome.interrupted}; the finished runs are saved. Continue with:\n"
              f"  community-sim experiment {args.file} --resume --out {outcome.folder}{more}", file=sys.stderr)
        return 130
    for note in outcome.notes:
        print(f"note          {note}")
    for sentence in outcome.sentences:
        print(f"  {sentence}")
    print(f"report        {outcome.report}")
    return 1 if outcome.failed else 0


def cmd_compare(args) -> int:
    from .reports import compare

    try:
        folder, built = compare(args.dirs, out=args.out, force=args.force, results_root=args.results)
    except (FileNotFoundError, ValueError) as exc:  # not result folders, or runs that do not fit together
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    for note in built.notes:
        print(f"note          {note}")
    for sentence in built.sentences:
        print(f"  {sentence}")
    print(f"report        {folder / 'report.html'}")
    return 0


def cmd_bench(args) -> int:
    from .bench import SIZES, run_bench, timings
    from .experiments.progress import Progress

    sizes = SIZES if not args.quick else ((500, 730), (20_000, 30))
    bar = Progress(timings(sizes, args.repeats), "bench", unit="timing")
    try:
        results = run_bench(sizes, repeats=args.repeats, tick=lambda: bar.update(True))
    finally:
        bar.close()
    if args.json:
        print(json.dumps({"results": results}, indent=2))
        return 0
    print(f"{'members':>8} {'days':>5} {'setup s':>8} {'sim s':>8} {'member-days/s':>14} {'bare Mesa steps/s':>18}"
          f" {'bare':>6} {'do':>6} {'shuffle':>8} {'community':>10}")
    for r in results:
        print(f"{r['members']:>8} {r['days']:>5} {r['setup_s']:>8.3f} {r['simulation_s']:>8.3f} "
              f"{r['member_days_per_s']:>14,.0f} {r['bare_mesa_agent_steps_per_s']:>18,.0f} {r['ratio_vs_bare_mesa']:>6.1f}"
              f" {r['ratio_vs_do']:>6.1f} {r['ratio_vs_shuffle_do']:>8.1f} {r['ratio_vs_community']:>10.1f}")
    print("ratios = a plain Mesa loop's cost per agent-step / the model's cost per member-day (higher is better):")
    print("  bare: numpy draw, agents.do; do: self.random, agents.do; shuffle: self.random, agents.shuffle_do;")
    print("  community: visit, read three neighbours, post, update commitment (shuffle_do)")
    return 0


def cmd_app(args) -> int:
    import time

    started = time.perf_counter()
    try:
        from .workshop.app import serve
    except ImportError as exc:
        print(f"error: the dashboard needs the viz extra ({exc}); install it with: pip install -e '.[viz]'",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    return serve(args.scenario, host=args.host, port=args.port, experiment=args.experiment, started=started)


def cmd_check_model(args) -> int:
    from .run.files import check_target, utc_now, utc_stamp, write_folder
    from .validation import run_checks, validation_files

    out = Path(args.out) if args.out else Path(args.results) / "validation" / utc_stamp()
    check_target(out, args.force, "validation")
    started = utc_now()
    try:
        checks = run_checks(scenarios_dir(), replicates=args.replicates, jobs=args.jobs, only=args.only)
    except ValueError as exc:
        print(f"error: --only: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    width = max(len(c.name) for c in checks)
    for c in checks:
        print(f"{'pass' if c.passed else 'FAIL':4}  {c.name:<{width}}  {c.measured}")
        print(f"      {'':<{width}}  expected: {c.expected} ({c.source})")
    passed = sum(c.passed for c in checks)
    print(f"{passed} of {len(checks)} checks pass ({args.replicates} replicates each)")
    write_folder(out, validation_files(checks, args.replicates, started), force=args.force,
                 kind="validation")
    print(f"results       {out}")
    return 0 if passed == len(checks) or not args.strict else 1


def cmd_calibrate(args) -> int:
    from tqdm import tqdm

    from .run.files import check_target, utc_now, utc_stamp, write_folder
    from .validation.calibration import Target, calibrate, fit_on_fresh_seeds, worker_pool
    from .validation.calibration_report import calibration_files, fit_markdown

    base = load_scenario(args.scenario or default_scenario())
    try:
        target = Target.of(args.target)
    except ValueError as exc:
        print(f"error: --target: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    out = Path(args.out) if args.out else Path(args.results) / "calibration" / f"{args.target}-{utc_stamp()}"
    check_target(out, args.force, "calibration")
    started = utc_now()
    with tqdm(total=args.trials, desc=f"calibrating to {args.target}", unit="trial", disable=None) as bar:
        def progress(i: int, loss: float) -> None:
            bar.set_postfix(loss=f"{loss:.3g}")
            bar.update(1)

        cal = calibrate(base, target, trials=args.trials, seeds=args.seeds, jobs=args.jobs or 1, progress=progress)
    pool = worker_pool(args.jobs or 1)
    try:
        check_seeds = list(range(1000, 1000 + args.check_seeds))
        rows = fit_on_fresh_seeds(base.with_overrides(cal.best, source="calibration"), target, check_seeds, pool)
    finally:
        if pool is not None:
            pool.shutdown()
    settings = {k: v for k, v in vars(args).items() if k != "func"}
    write_folder(out, calibration_files(base, cal, rows, len(check_seeds), settings, started), force=args.force,
                 kind="calibration")
    print(fit_markdown(rows, len(check_seeds)))
    print(f"{sum(r.fits for r in rows)} of {len(rows)} statistics fit; best loss {cal.best_loss:.3g}")
    print(f"results       {out}  (fitted.yaml runs with community-sim run)")
    return 0


def cmd_diagnose(args) -> int:
    """Read a group's message log, write the diagnosis folder and print its findings."""
    from .diagnosis import diagnose
    from .evidence import LogFormatError

    try:
        result = diagnose(args.log, fmt=args.format, out=args.out, force=args.force, results_root=args.results)
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


def _output_args(parser: argparse.ArgumentParser, out_help: str, force_help: str = "replace --out if it exists") -> None:
    """--out, --results and --force, shared by every command that writes a folder."""
    parser.add_argument("--out", help=out_help)
    parser.add_argument("--results", default="results", help="root folder for default result folders")
    parser.add_argument("--force", action="store_true", help=force_help)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="community-sim", description="Test a community strategy before trying it on people.")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("run", help="run a scenario and write a result folder")
    r.add_argument("scenario", nargs="?", help="scenario YAML (default: scenarios/baseline.yaml)")
    r.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    r.add_argument("--days", type=int, help="days to simulate (default: the scenario's)")
    _output_args(r, "result folder (default: results/<name>/<UTC timestamp>)")
    r.add_argument("--no-plots", action="store_true", help="skip activity.png")
    r.add_argument("--messages", action="store_true",
                   help="also write messages.csv, the run's message log (day, author, reply_to, kind)")
    r.set_defaults(func=cmd_run)

    v = sub.add_parser("validate", help="check scenario and experiment files without running them (every error)")
    v.add_argument("files", nargs="+")
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("scenarios", help="list the shipped scenarios")
    s.set_defaults(func=cmd_scenarios)

    e = sub.add_parser("experiment", help="compare strategy arms over paired replicates (plots, tables, report)")
    e.add_argument("file", help="experiment YAML (see README: Experiments)")
    e.add_argument("--replicates", type=_positive_int, help="replicates per arm (default: the file's)")
    e.add_argument("--jobs", type=_positive_int, help="worker processes (default: all cores)")
    _output_args(e, "experiment folder (default: results/experiments/<name>/<UTC timestamp>)",
                 "replace an existing experiment folder")
    e.add_argument("--resume", action="store_true",
                   help="continue the folder (default: the latest of this experiment): skip finished runs")
    e.add_argument("--executor", choices=("local", "dask"), default="local",
                   help="local process pool, or a Dask cluster (extra [distributed])")
    e.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 "
                   "(default with --executor dask: a local cluster)")
    e.set_defaults(func=cmd_experiment)

    c = sub.add_parser("compare", help="regenerate plots, tables and report from finished result folders")
    c.add_argument("dirs", nargs="+", help="experiment folders or single-run folders")
    _output_args(c, "output folder (default: in place for one experiment folder, else results/comparisons/<UTC timestamp>)")
    c.set_defaults(func=cmd_compare)

    b = sub.add_parser("bench", help="measure speed against a bare Mesa loop")
    b.add_argument("--json", action="store_true", help="print JSON")
    b.add_argument("--repeats", type=int, default=3, help="best of this many runs")
    b.add_argument("--quick", action="store_true", help="smaller sizes (a smoke test)")
    b.set_defaults(func=cmd_bench)

    v = sub.add_parser("check-model", help="run the validation checks: source cases, published findings, real communities")
    v.add_argument("--replicates", type=_positive_int, default=20, help="replicates per scenario arm (default 20)")
    v.add_argument("--jobs", type=_positive_int, help="worker processes (default: all cores)")
    v.add_argument("--only", nargs="+", help="run only these checks (cases, bimodal, inequality, newcomer-replies, "
                   "moderation, rewards, gatekeeping, entry-barrier, cadence, smoothness, marketing, no-doom, cleanup, "
                   "real-communities, levers, death-rule)")
    _output_args(v, "folder for the table and plots (default: results/validation/<UTC timestamp>)")
    v.add_argument("--strict", action="store_true", help="exit 1 when any check fails")
    v.set_defaults(func=cmd_check_model)

    k = sub.add_parser("calibrate", help="fit behaviour constants to real communities' message statistics (Optuna)")
    k.add_argument("scenario", nargs="?", help="scenario to calibrate (default: scenarios/baseline.yaml)")
    k.add_argument("--target", default="range",
                   help="range (the span of the reference communities), fcc_gitter_rooms, duraspace_irc or beer_se")
    k.add_argument("--trials", type=_positive_int, default=150, help="parameter sets to try (default 150)")
    k.add_argument("--seeds", type=_positive_int, default=4, help="replicates per trial (default 4)")
    k.add_argument("--check-seeds", type=_positive_int, default=10, help="fresh replicates for the final fit (default 10)")
    k.add_argument("--jobs", type=_positive_int, help="worker processes (default 1)")
    _output_args(k, "folder for the fit (default: results/calibration/<target>-<UTC timestamp>)")
    k.set_defaults(func=cmd_calibrate)

    g = sub.add_parser("diagnose", help="diagnose a real group from its message log (Telegram, WhatsApp, Discord, "
                       "Slack or CSV export)")
    g.add_argument("log", help="the export: Telegram result.json, WhatsApp .txt, DiscordChatExporter .json, Slack "
                   "folder/.zip/day file, or messages.csv")
    g.add_argument("--format", choices=("csv", "telegram", "whatsapp", "discord", "slack"),
                   help="the export's format (default: told from the name and first bytes)")
    _output_args(g, "result folder (default: results/diagnosis/<format>-<input sha256 prefix>/<UTC timestamp>)")
    g.set_defaults(func=cmd_diagnose)

    a = sub.add_parser("app", help="start the workshop dashboard in the browser")
    a.add_argument("scenario", nargs="?", help="scenario YAML to open first (default: scenarios/baseline.yaml)")
    a.add_argument("--port", type=int, default=8765, help="port to serve on (default 8765; 0 = any free port)")
    a.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this machine only)")
    a.add_argument("--experiment", help="experiment file 'save as arm' writes to (default experiments/workshop.yaml)")
    a.set_defaults(func=cmd_app)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ScenarioError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OutputExists as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except OutputFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_WRITE_FAILED
    except KeyboardInterrupt:
        print("interrupted; nothing was written", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
