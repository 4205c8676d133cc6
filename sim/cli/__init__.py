"""The `community-sim` command, the top layer: parses arguments, calls the layer that does the
work (run, experiments, explore, optimise, reports, validation, workshop, bench, diagnosis, fitting),
prints, and turns the errors a user can cause into one line and an exit status (2 bad input, 3
refused to overwrite or to share a folder, 4 the output could not be written). No model logic.

One module per family of commands, each with its parsers (``register``) and handlers:
``scenarios`` (run, validate, scenarios), ``studies`` (experiment, explore, compare, optimise),
``model_checks`` (check-model, calibrate, bench), ``own_group`` (diagnose, fit, forecast), ``workshop``
(app); ``common`` holds what they share."""

from __future__ import annotations

import argparse
import sys

from ..run.output import OutputExists, OutputFailed
from ..scenario import ScenarioError
from . import model_checks, own_group, scenarios, studies, workshop
from .common import EXIT_BAD_INPUT, EXIT_REFUSED, EXIT_WRITE_FAILED, check_out

__all__ = ["EXIT_BAD_INPUT", "EXIT_REFUSED", "EXIT_WRITE_FAILED", "build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="community-sim", description="Test a community strategy before trying it on people.")
    sub = p.add_subparsers(dest="command", required=True)
    for family in (scenarios, studies, own_group, model_checks, workshop):
        family.register(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        check_out(args)
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
