"""Commands on scenario files: `run`, `validate` (scenario, experiment, explore and optimisation
files) and `scenarios`."""

from __future__ import annotations

import sys
from pathlib import Path

from ..plural import count
from ..scenario import ScenarioError, default_scenario, load_scenario, scenarios_dir
from .common import EXIT_BAD_INPUT, output_args


def _print_summary(result) -> None:
    from ..run.summary_text import summary_lines

    for line in summary_lines(result.scenario, result.seed, result.summary, result.members, result.timeseries):
        print(line)
    if result.folder is not None:
        print(f"results       {result.folder}")


def cmd_run(args) -> int:
    from ..run import run_scenario

    path = Path(args.scenario) if args.scenario else default_scenario()
    scenario = load_scenario(path)
    result = run_scenario(scenario, seed=args.seed, days=args.days, out=args.out, force=args.force,
                          results_root=args.results, plots=not args.no_plots, progress=True, messages=args.messages)
    _print_summary(result)
    return 0


def cmd_validate(args) -> int:
    """Check every file given (scenario, experiment, explore or optimisation) and print every
    error of each (one line each); exit 2 when any file has one."""
    from ..experiments import file_kind, load_experiment
    from ..explore import load_exploration

    bad = 0
    for f in args.files:
        try:
            kind = file_kind(f)
            if kind == "optimisation":
                from ..optimise import load_optimisation

                o = load_optimisation(f)
                print(f"{f}: ok (optimisation {o.name}: {len(o.levers)} levers, {count(o.trials, 'trial')} x "
                      f"{count(o.replicates, 'replicate')}, {count(o.base.days, 'day')}, base {o.base.name})")
            elif kind == "explore":
                x = load_exploration(f)
                e = x.experiment
                print(f"{f}: ok (explore {e.name}: {x.method} over {len(x.factors)} factors, "
                      f"{count(len(e.arms), 'sample point')} x {count(e.replicates, 'replicate')}, "
                      f"{count(e.days, 'day')}, base {e.base.name})")
            elif kind == "experiment":
                e = load_experiment(f)
                print(f"{f}: ok (experiment {e.name}: {count(len(e.arms), 'arm')} x "
                      f"{count(e.replicates, 'replicate')}, {count(e.days, 'day')}, base {e.base.name})")
            else:
                s = load_scenario(f)
                print(f"{f}: ok ({s.name}: {count(s.community.initial_members, 'member')}, {count(s.days, 'day')}, "
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


def register(sub) -> None:
    """Add this module's commands to the ``community-sim`` sub-parsers."""
    r = sub.add_parser("run", help="run a scenario and write a result folder")
    r.add_argument("scenario", nargs="?", help="scenario YAML (default: scenarios/baseline.yaml)")
    r.add_argument("--seed", type=int, help="random seed (default: the scenario's)")
    r.add_argument("--days", type=int, help="days to simulate (default: the scenario's)")
    output_args(r, "result folder (default: results/<name>/<UTC timestamp>)")
    r.add_argument("--no-plots", action="store_true", help="skip activity.png")
    r.add_argument("--messages", action="store_true",
                   help="also write messages.csv, the run's message log (day, author, reply_to, kind)")
    r.set_defaults(func=cmd_run)

    v = sub.add_parser("validate", help="check scenario and experiment files without running them (every error)")
    v.add_argument("files", nargs="+")
    v.set_defaults(func=cmd_validate)

    s = sub.add_parser("scenarios", help="list the shipped scenarios")
    s.set_defaults(func=cmd_scenarios)
