"""What the commands share: exit statuses, the count parser, the output and sweep options, and
how a sweep's end is printed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_BAD_INPUT = 2
EXIT_REFUSED = 3
EXIT_WRITE_FAILED = 4


def positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"given {value}, allowed an integer of at least 1")
    return value


def output_args(parser: argparse.ArgumentParser, out_help: str, force_help: str = "replace --out if it exists") -> None:
    """--out, --results and --force, shared by every command that writes a folder."""
    parser.add_argument("--out", help=out_help)
    parser.add_argument("--results", default="results", help="root folder for default result folders")
    parser.add_argument("--force", action="store_true", help=force_help)


def check_out(args: argparse.Namespace) -> None:
    """An empty ``--out`` is bad input (a path of "" would mean the current folder)."""
    out = getattr(args, "out", None)
    if isinstance(out, str) and not out.strip():
        from ..scenario.errors import bad_value

        raise bad_value("command line", "--out", out, "a folder path (not empty); leave --out out for the default folder")


def sweep_args(parser: argparse.ArgumentParser, arm: str) -> None:
    """The options of a sweep through the experiment runner (experiment, explore)."""
    parser.add_argument("--replicates", type=positive_int, help=f"replicates per {arm} (default: the file's; with --resume, the "
                        "folder's: more adds replicates, fewer is refused)")
    parser.add_argument("--jobs", type=positive_int, help="worker processes (default: all cores)")
    output_args(parser, "experiment folder (default: results/experiments/<name>/<UTC timestamp>)",
                 "replace an existing experiment folder")
    parser.add_argument("--resume", action="store_true",
                        help="continue the folder (default: the latest of this experiment): skip finished runs")
    parser.add_argument("--executor", choices=("local", "dask"), default="local",
                        help="local process pool, or a Dask cluster (extra [distributed])")
    parser.add_argument("--scheduler", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 "
                        "(default with --executor dask: a local cluster)")


def sweep_end(outcome, sentences: list[str], report: Path, args, command: str) -> int:
    """Print how an experiment's sweep went (an explore's too) and its exit status."""
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
        print(f"{outcome.interrupted}; the finished runs are saved. Continue with (the folder keeps its "
              f"replicates):\n  community-sim {command} {args.file} --resume --out {outcome.folder}", file=sys.stderr)
        return 130
    for note in outcome.notes:
        print(f"note          {note}")
    for sentence in sentences:
        print(f"  {sentence}")
    print(f"report        {report}")
    return 1 if outcome.failed else 0
