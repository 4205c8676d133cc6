"""Commands that compare strategies: `experiment`, `explore` (sensitivity), `compare` (redo the
tables and report) and `optimise` (search the levers)."""

from __future__ import annotations

import sys

from .common import EXIT_BAD_INPUT, output_args, positive_int, sweep_args, sweep_end


def cmd_experiment(args) -> int:
    from ..experiments import load_experiment, run_experiment

    exp = load_experiment(args.file, replicates=args.replicates)
    outcome = run_experiment(exp, out=args.out, results_root=args.results, jobs=args.jobs, resume=args.resume,
                             force=args.force, executor=args.executor, scheduler=args.scheduler,
                             cli_args={k: v for k, v in vars(args).items() if k != "func"})
    return sweep_end(outcome, outcome.sentences, outcome.report, args, "experiment")


def cmd_explore(args) -> int:
    from ..explore import load_exploration, run_exploration

    study = load_exploration(args.file, samples=args.samples, replicates=args.replicates)
    done = run_exploration(study, out=args.out, results_root=args.results, jobs=args.jobs, resume=args.resume,
                           force=args.force, executor=args.executor, scheduler=args.scheduler,
                           cli_args={k: v for k, v in vars(args).items() if k != "func"})
    done.experiment.notes = done.notes  # (the comparison's notes on arms do not apply to sample points)
    return sweep_end(done.experiment, done.sentences, done.report, args, "explore") or (0 if done.analysed else 1)


def cmd_compare(args) -> int:
    from ..experiments.executors import default_jobs, stop_pool, worker_pool
    from ..reports import compare

    jobs = args.jobs or default_jobs()
    pool = worker_pool(jobs) if jobs > 1 else None  # reads the runs and draws the figures side by side
    try:
        folder, built = compare(args.dirs, out=args.out, force=args.force, results_root=args.results, pool=pool)
    except (FileNotFoundError, ValueError) as exc:  # not result folders, or runs that do not fit together
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    finally:
        if pool is not None:
            stop_pool(pool)
    for note in built.notes:
        print(f"note          {note}")
    for sentence in built.sentences:
        print(f"  {sentence}")
    print(f"report        {folder / 'report.html'}")
    return 0


def cmd_optimise(args) -> int:
    from ..experiments.executors import default_jobs
    from ..optimise import load_optimisation, run_optimisation

    opt = load_optimisation(args.file, trials=args.trials, replicates=args.replicates, seed=args.seed)
    outcome = run_optimisation(opt, out=args.out, force=args.force, jobs=args.jobs or default_jobs(),
                               results_root=args.results,
                               settings={k: v for k, v in vars(args).items() if k != "func"})
    for line in outcome.lines:
        print(line)
    print(f"runs          {outcome.found.runs} in {outcome.wall_seconds:.1f} s")
    if outcome.found.interrupted:
        print(f"interrupted   {outcome.found.interrupted}; the finished trials are in {outcome.folder}", file=sys.stderr)
        return 130
    print(f"results       {outcome.folder}  (confirm on fresh seeds: community-sim experiment "
          f"{outcome.folder / 'pareto-experiment.yaml'})")
    return 0


def register(sub) -> None:
    """Add this module's commands to the ``community-sim`` sub-parsers."""
    e = sub.add_parser("experiment", help="compare strategy arms over paired replicates (plots, tables, report)")
    e.add_argument("file", help="experiment YAML (see README: Experiments)")
    sweep_args(e, "arm")
    e.set_defaults(func=cmd_experiment)

    x = sub.add_parser("explore", help="sensitivity analysis: which levers and assumptions matter most (SALib)")
    x.add_argument("file", help="explore YAML (see README: Sensitivity analysis)")
    x.add_argument("--samples", type=positive_int, help="Morris trajectories / Sobol base N / LHS points (default: the file's)")
    sweep_args(x, "sample point")
    x.set_defaults(func=cmd_explore)

    c = sub.add_parser("compare", help="regenerate plots, tables and report from finished result folders")
    c.add_argument("dirs", nargs="+", help="experiment folders or single-run folders")
    c.add_argument("--jobs", type=positive_int, help="worker processes reading runs and drawing figures "
                   "(default: all cores; the files are the same)")
    output_args(c, "output folder (default: in place for one experiment folder, else results/comparisons/<UTC timestamp>)")
    c.set_defaults(func=cmd_compare)

    o = sub.add_parser("optimise", help="search the levers for the strategies that best trade off several objectives "
                       "under an operator's limits (Optuna)")
    o.add_argument("file", help="optimisation YAML (see README: Searching for a strategy)")
    o.add_argument("--trials", type=positive_int, help="candidate strategies to try (default: the file's)")
    o.add_argument("--replicates", type=positive_int, help="paired replicates per candidate (default: the file's)")
    o.add_argument("--seed", type=int, help="seed of the sampler and the replicates (default: the file's)")
    o.add_argument("--jobs", type=positive_int, help="worker processes (default: all cores); same results for any")
    output_args(o, "folder (default: results/optimise/<name>/<UTC timestamp>)")
    o.set_defaults(func=cmd_optimise)
