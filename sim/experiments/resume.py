"""What ``--resume`` continues: the folder's own plan. An experiment folder records how many
replicates it was asked for (``manifest.json``); when resuming, that
count stands unless the command line gives one, whatever the experiment file's default says.
More replicates than the folder holds add replicates (replicate i's seed does not depend on the
count, so the finished runs are kept); fewer are refused before anything is touched, because
the report would then silently leave finished runs out."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Callable

from .spec import Experiment, bad_value


def recorded_replicates(folder: Path, name: str | None = None) -> int | None:
    """The replicates per arm an experiment folder was last asked for (its manifest.json), or
    None if it records none, or holds an experiment other than ``name`` (given)."""
    try:
        manifest = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
        value, held = manifest.get("replicates"), manifest.get("name")
    except (OSError, ValueError, AttributeError):
        return None
    if name is not None and held != name:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 1 else None


def resumed(exp: Experiment, folder: Path, log: Callable[[str], None]) -> Experiment:
    """``exp`` as resumed in ``folder`` (an experiment folder of the same name): with the folder's
    replicates when the command line gave none, and said so where they differ from the file's;
    extended when it gave more. Fewer: a one-line ``ScenarioError`` naming --replicates."""
    recorded = recorded_replicates(folder, exp.name)
    given = exp.given.get("replicates")
    if recorded is None or recorded == exp.replicates:
        return exp
    if given is None:
        log(f"resuming with the {recorded} replicates per arm {folder} holds (the file says {exp.replicates}); "
            f"give --replicates N above {recorded} to add replicates")
        return dataclasses.replace(exp, replicates=recorded)
    if given > recorded:
        log(f"adding replicates: {folder} goes from {recorded} to {given} per arm (its finished runs are kept)")
        return exp
    raise bad_value("command line", "--replicates", given,
                    f"{recorded} (what {folder} holds) or more (to add replicates)",
                    "; to continue it, resume without --replicates; for a new experiment, use --force or another --out")
