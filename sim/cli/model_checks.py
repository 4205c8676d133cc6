"""Commands about the model itself: `check-model` (validation), `calibrate` and `bench` (speed)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from ..plural import count
from ..scenario import ScenarioError, default_scenario, load_scenario, scenarios_dir
from .common import EXIT_BAD_INPUT, output_args, positive_int


def cmd_bench(args) -> int:
    from ..bench import (
        SIZES,
        environment,
        measure_setup,
        run_bench,
        run_experiment_bench,
        timings,
    )
    from ..bench.text import experiment_bench_lines, member_bench_lines
    from ..experiments.executors import default_jobs
    from ..experiments.progress import Progress
    from ..run.files import dump_json
    from ..run.output import write_file_atomic

    t0 = time.perf_counter()
    if args.experiment:
        jobs = args.jobs or [default_jobs()]
        bar = Progress(len({1, *jobs}), "bench --experiment", unit="experiment")
        if args.runs % 4:
            raise ScenarioError("command line", "--runs", f"given {args.runs}, allowed a positive multiple of 4 (four arms)")
        try:
            rows = run_experiment_bench(args.runs, args.members, args.days, jobs, args.executor, args.scheduler,
                                        tick=lambda: bar.update(True))
        finally:
            bar.close()
        report = {"kind": "experiment", "experiment": rows}
    else:
        sizes = SIZES if not args.quick else ((500, 730), (20_000, 30))
        bar = Progress(timings(sizes, args.repeats), "bench", unit="timing")
        try:
            rows = run_bench(sizes, repeats=args.repeats, tick=lambda: bar.update(True))
        finally:
            bar.close()
        report = {"kind": "members", "results": rows}
        if args.million:
            report["million"] = million = measure_setup(1_000_000, 10)
            rows.append({**million, "setup_only": True})
    report = {**report, "wall_s": round(time.perf_counter() - t0, 2), "environment": environment()}
    if args.out:
        write_file_atomic(Path(args.out), dump_json(report))
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        print("\n".join(experiment_bench_lines(rows) if args.experiment else member_bench_lines(rows)))
    if args.out:
        print(f"wrote {args.out}", file=sys.stderr)
    return 0


def cmd_check_model(args) -> int:
    from ..run.files import check_target, utc_now, utc_stamp, write_folder
    from ..validation import run_checks, validation_files

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
    print(f"{passed} of {len(checks)} checks pass ({count(args.replicates, 'replicate')} each)")
    write_folder(out, validation_files(checks, args.replicates, started), force=args.force,
                 kind="validation")
    print(f"results       {out}")
    return 0 if passed == len(checks) or not args.strict else 1


def cmd_calibrate(args) -> int:
    from tqdm import tqdm

    from ..run.files import check_target, utc_now, utc_stamp, write_folder
    from ..validation.calibration import (
        Target,
        calibrate,
        fit_on_fresh_seeds,
        worker_pool,
    )
    from ..validation.calibration_report import calibration_files, fit_markdown

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


def register(sub) -> None:
    """Add this module's commands to the ``community-sim`` sub-parsers."""
    b = sub.add_parser("bench", help="measure speed against a bare Mesa loop")
    b.add_argument("--json", action="store_true", help="print JSON")
    b.add_argument("--repeats", type=int, default=3, help="best of this many runs")
    b.add_argument("--quick", action="store_true", help="smaller sizes (a smoke test)")
    b.add_argument("--million", action="store_true",
                   help="add a row: a 1,000,000-member group's set-up time and peak memory (fresh process)")
    b.add_argument("--out", help="also write the JSON (figures, machine, versions, BLAS) to this file")
    b.add_argument("--experiment", action="store_true",
                   help="time a whole experiment at 1 worker and at --jobs: runs per second per worker, efficiency")
    b.add_argument("--jobs", type=positive_int, nargs="+", help="with --experiment: worker counts (default: all cores)")
    b.add_argument("--runs", type=positive_int, default=64, help="with --experiment: runs, a multiple of 4 (default 64)")
    b.add_argument("--members", type=positive_int, default=500, help="with --experiment: group size (default 500)")
    b.add_argument("--days", type=positive_int, default=730, help="with --experiment: days per run (default 730)")
    b.add_argument("--executor", choices=("local", "dask"), default="local", help="with --experiment: local or dask")
    b.add_argument("--scheduler", help="with --experiment --executor dask: scheduler address (default: a local cluster)")
    b.set_defaults(func=cmd_bench)

    v = sub.add_parser("check-model", help="run the validation checks: source cases, published findings, real communities")
    v.add_argument("--replicates", type=positive_int, default=20, help="replicates per scenario arm (default 20)")
    v.add_argument("--jobs", type=positive_int, help="worker processes (default: all cores)")
    v.add_argument("--only", nargs="+", help="run only these checks (cases, bimodal, inequality, newcomer-replies, "
                   "moderation, rewards, gatekeeping, entry-barrier, cadence, smoothness, marketing, no-doom, cleanup, "
                   "real-communities, levers, death-rule)")
    output_args(v, "folder for the table and plots (default: results/validation/<UTC timestamp>)")
    v.add_argument("--strict", action="store_true", help="exit 1 when any check fails")
    v.set_defaults(func=cmd_check_model)

    k = sub.add_parser("calibrate", help="fit behaviour constants to real communities' message statistics (Optuna)")
    k.add_argument("scenario", nargs="?", help="scenario to calibrate (default: scenarios/baseline.yaml)")
    k.add_argument("--target", default="range",
                   help="range (the span of the reference communities), fcc_gitter_rooms, duraspace_irc or beer_se")
    k.add_argument("--trials", type=positive_int, default=150, help="parameter sets to try (default 150)")
    k.add_argument("--seeds", type=positive_int, default=4, help="replicates per trial (default 4)")
    k.add_argument("--check-seeds", type=positive_int, default=10, help="fresh replicates for the final fit (default 10)")
    k.add_argument("--jobs", type=positive_int, help="worker processes (default 1)")
    output_args(k, "folder for the fit (default: results/calibration/<target>-<UTC timestamp>)")
    k.set_defaults(func=cmd_calibrate)
