"""What ``--resume`` continues: the folder's own plan. An experiment folder records how many
replicates it was asked for (``manifest.json``); when resuming, that
count stands unless the command line gives one, whatever the experiment file's default says.
More replicates than the folder holds add replicates (replicate i's seed does not depend on the
count, so the finished runs are kept); fewer are refused before anything is touched, because
the report would then silently leave finished runs out.

The folder also holds the experiment it was started with (``experiment.yaml``,
``base_scenario.yaml``, ``plan.csv``, all written before the first run). A file edited since in
anything that changes the runs (its days, seed, arms or their overrides, the base scenario, a
file an arm reads) would plan other runs and mix them with the finished ones, so ``same_runs``
refuses it in one line naming the first field that differs; an edit that changes no run (the
description, the metrics reported) resumes."""

from __future__ import annotations

import csv
import dataclasses
import json
from pathlib import Path
from typing import Any, Callable

from ..run.files import dump_yaml, load_yaml
from ..scenario import ScenarioError
from ..scenario.errors import shown
from .plan import plan_runs
from .spec import Experiment, bad_value

NOTHING = object()  # a field one side has and the other lacks


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
    if recorded is not None:  # (a folder of another experiment is refused by the session, naming it)
        same_runs(exp, folder)
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


def flat(data: Any, prefix: str = "") -> dict[str, Any]:
    """A nested mapping as field path -> value (``a.b.c``); lists and other values are leaves."""
    if not isinstance(data, dict) or (prefix and not data):
        return {prefix: data}
    out: dict[str, Any] = {}
    for key, value in data.items():
        out.update(flat(value, f"{prefix}.{key}" if prefix else str(key)))
    return out


def first_difference(held: dict[str, Any], now: dict[str, Any]) -> tuple[str, Any, Any] | None:
    """The first field path (in ``held``'s order, then ``now``'s) whose value differs:
    (path, what ``held`` has, what ``now`` has; ``NOTHING`` where one lacks it), or None."""
    for path in list(held) + [p for p in now if p not in held]:
        a, b = held.get(path, NOTHING), now.get(path, NOTHING)
        if a != b:
            return path, a, b
    return None


def _run_fields(experiment: dict, base: Any) -> dict[str, Any]:
    """The fields of a resolved experiment (as experiment.yaml holds it) and its base scenario
    (base_scenario.yaml) that decide its runs, as field path -> value."""
    fields = {"seed": experiment.get("seed"), "days": experiment.get("days")}
    fields.update({k: v for k, v in flat(base, "base").items() if k not in ("base.name", "base.seed")})
    for i, arm in enumerate(experiment.get("arms") or []):
        fields[f"arms[{i}].name"] = arm.get("name")
        fields.update(flat(arm.get("overrides") or {}, f"arms[{i}].overrides"))
    return fields


def _planned(folder: Path) -> set[tuple[str, str, str]] | None:
    """(arm, replicate, run id) of every run plan.csv lists, or None if it cannot be read."""
    try:
        with open(folder / "plan.csv", newline="", encoding="utf-8") as fh:
            return {(r["arm"], r["replicate"], r["run_id"]) for r in csv.DictReader(fh)}
    except (OSError, KeyError, csv.Error):
        return None


def _said(value: Any) -> str:
    return "nothing" if value is NOTHING else shown(value)


def changed(source: str, path: str, held: Any, now: Any, folder: Path, what: str = "") -> ScenarioError:
    """The one-line refusal of a resume whose file now gives other runs than ``folder`` holds."""
    return ScenarioError(source, path, f"{folder} holds {_said(held)}, the file now gives {_said(now)}{what}; "
                         f"--resume continues only the experiment a folder was started with: undo the edit to "
                         f"resume it, or use --force or another --out for a new experiment")


def same_runs(exp: Experiment, folder: Path) -> None:
    """Refuse (a one-line ``ScenarioError`` naming the file and the first differing field) when
    the runs ``exp`` plans for the replicates ``folder`` planned are not the ones it planned.
    A folder without its records (made by an older version) is not checked."""
    planned = _planned(folder)
    try:
        held = _run_fields(load_yaml((folder / "experiment.yaml").read_text(encoding="utf-8")),
                           load_yaml((folder / "base_scenario.yaml").read_text(encoding="utf-8")))
    except (OSError, ValueError, AttributeError):
        return
    if planned is None:
        return
    reps = {int(r) for _, r, _ in planned if r.isdigit()}
    wider = dataclasses.replace(exp, replicates=max(reps, default=-1) + 1)
    now = {(t.arm, str(t.replicate), t.run_id) for t in plan_runs(wider)}
    if now == planned:
        return
    fields = _run_fields(load_yaml(dump_yaml(exp.to_dict())), load_yaml(dump_yaml(exp.base.to_dict())))
    diff = first_difference(held, fields)
    if diff is not None:
        path, a, b = diff
        where = f" (the base scenario, {exp.base_path})" if path.startswith("base.") else ""
        raise changed(str(exp.source), path, a, b, folder, where)
    arm, rep, run = sorted(planned - now)[0] if planned - now else sorted(now - planned)[0]
    raise changed(str(exp.source), "arms", f"run {run}", "another run", folder,
                  f" for arm {arm!r}, replicate {rep} (a file the arm reads, e.g. an edge list, changed)")
