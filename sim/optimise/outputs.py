"""The folder of `community-sim optimise`: every trial (``trials.csv``), the Pareto set
(``pareto.csv``, ``pareto.png``), the Pareto strategies as arms of an experiment file
(``pareto-experiment.yaml``, beside the resolved base ``base.yaml``) to confirm them on fresh
seeds, the resolved file (``optimisation.yaml``, which reruns the search), a manifest, and
``failed/trial-<n>.txt`` (the traceback) for each candidate whose run raised.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from ..plural import count
from ..experiments.spec import MAX_SEED
from ..reports.words import fmt
from ..run.files import (
    command_line,
    dump_json,
    dump_yaml,
    git_commit,
    table_csv,
    utc_now,
    versions,
)
from .figures import objective_label, save_pareto_png
from .search import COST, HOURS, Search, Trial
from .spec import Optimisation

BASE_FILE = "base.yaml"
EXPERIMENT_FILE = "pareto-experiment.yaml"
BASE_ARM = "base"


def _column(values: list) -> np.ndarray:
    """A column of a table: numbers as floats (NaN where missing), anything else as text."""
    if all(v is None or (isinstance(v, (int, float)) and not isinstance(v, bool)) for v in values):
        return np.array([np.nan if v is None else float(v) for v in values])
    return np.array(["" if v is None else str(v).lower() if isinstance(v, bool) else str(v) for v in values],
                    dtype=object)


def trial_table(trials: list[Trial], opt: Optimisation) -> dict[str, np.ndarray]:
    """Columns of trials.csv: trial number, each lever, each objective's mean and standard
    error over the replicates, cost per month, hours per week, feasible, pareto, status."""
    cols: dict[str, np.ndarray] = {"trial": np.array([t.number for t in trials], dtype=np.int64)}
    for lv in opt.levers:
        cols[lv.path] = _column([t.levers[lv.path] for t in trials])
    for o in opt.objectives:
        cols[o.metric] = _column([t.means.get(o.metric) for t in trials])
        cols[f"{o.metric}_se"] = _column([t.errors.get(o.metric) for t in trials])
    for key in (COST, HOURS):
        cols[key] = _column([t.usage.get(key) for t in trials])
    cols["feasible"] = np.array([t.feasible for t in trials], dtype=bool)
    cols["pareto"] = np.array([t.pareto for t in trials], dtype=bool)
    cols["status"] = np.array([t.status for t in trials], dtype=object)
    return cols


def pareto_order(found: Search, opt: Optimisation) -> list[Trial]:
    """The Pareto strategies, best first by the first objective."""
    first = opt.objectives[0]
    return sorted(found.pareto, key=lambda t: (-1 if first.direction == "max" else 1) * t.means[first.metric])


def is_base(trial: Trial, found: Search) -> bool:
    """Whether ``trial`` is the base scenario's own strategy (trial 0 when it lies in the space)."""
    return found.base_first and trial.number == 0


def front_arms(found: Search, opt: Optimisation) -> list[tuple[str, Trial]]:
    """The Pareto strategies (best first by the first objective) with their experiment arm names:
    ``pareto-<rank> (trial <n>)``, and ``base`` for the base scenario's own strategy."""
    named, rank = [], 0
    for t in pareto_order(found, opt):
        if is_base(t, found):
            named.append((BASE_ARM, t))
        else:
            rank += 1
            named.append((f"pareto-{rank} (trial {t.number})", t))
    return named


def describe(trial: Trial, opt: Optimisation) -> str:
    """One line: a trial's objectives and its cost and hours, as a person reads them."""
    days = opt.base.days
    scores = ", ".join(f"{objective_label(o.metric, days)} {fmt(trial.means[o.metric], o.metric, horizon=days)}"
                       for o in opt.objectives)
    return (f"{scores}; {trial.usage[COST]:,.0f} yuan a month, {trial.usage[HOURS]:.1f} organiser hours a week "
            f"(means over {count(opt.replicates, 'replicate')})")


def _plain(value: Any) -> Any:
    return value.item() if isinstance(value, np.generic) else value


def pareto_experiment(found: Search, opt: Optimisation) -> dict:
    """An experiment file (for `community-sim experiment`, next to ``base.yaml``): the base
    strategy as the baseline arm and each Pareto strategy as an arm, on fresh seeds (the search's
    scores are the best of many noisy ones, so they flatter the winners)."""
    metrics = list(dict.fromkeys([o.metric for o in opt.objectives] + ["total_operator_cost", "total_organiser_hours"]))
    front = front_arms(found, opt)
    on_front = next((t for name, t in front if name == BASE_ARM), None)
    base_words = "the base scenario's own strategy" + ("" if on_front is None else
                                                        f", on the Pareto set (trial 0: {describe(on_front, opt)})")
    arms = [{"name": BASE_ARM, "description": base_words, "overrides": {}}]
    arms += [{"name": name, "description": f"in the search: {describe(t, opt)}",
              "overrides": {k: _plain(v) for k, v in t.levers.items()}} for name, t in front if name != BASE_ARM]
    out = {"name": f"{opt.name}-pareto",
           "description": f"The Pareto strategies of {opt.name} against the base, on fresh seeds",
           "base": BASE_FILE, "replicates": opt.confirm_replicates, "seed": (opt.seed + 1) % (MAX_SEED + 1),
           "baseline_arm": BASE_ARM, "metrics": metrics, "arms": arms}
    if opt.custom_forms:
        out["custom_metrics"] = {k: dict(v) for k, v in opt.custom_forms.items()}
    return out


def pareto_lines(found: Search, opt: Optimisation) -> list[str]:
    """The Pareto set as lines to print: each strategy's lever values and scores."""
    feasible = sum(t.feasible for t in found.trials)
    lines = [f"{len(found.pareto)} Pareto strategies of {len(found.trials)} tried ({feasible} within the limits)"]
    for name, t in front_arms(found, opt):
        levers = ", ".join(f"{k.removeprefix('strategy.')}={v:.4g}" if isinstance(v, float) else
                           f"{k.removeprefix('strategy.')}={v}" for k, v in t.levers.items())
        lines.append(f"  {name}: {levers}")
        lines.append(f"      {describe(t, opt)}")
    return lines


def optimisation_files(found: Search, opt: Optimisation, settings: dict, started_utc: str,
                       wall_seconds: float) -> dict[str, Any]:
    """File name -> bytes (or a writer) for the optimisation folder."""
    base = opt.base.to_dict()
    trials = trial_table(found.trials, opt)
    front = pareto_order(found, opt)
    pareto = trial_table(front, opt)
    manifest = {"kind": "optimisation", "name": opt.name, "source": str(opt.source), "command": command_line(),
                "settings": settings, "sampler": opt.sampler, "sampler_seed": opt.seed,
                "replicate_seeds": found.seeds, "trials": len(found.trials), "runs": found.runs,
                "base_is_trial_0": found.base_first, "interrupted": found.interrupted, "started_utc": started_utc, "finished_utc": utc_now(),
                "wall_seconds": round(wall_seconds, 3), "versions": versions(), "git_commit": git_commit()}
    failed = {f"failed/trial-{t.number}.txt": t.failure.encode() for t in found.trials if t.failure}
    return failed | {
        "optimisation.yaml": dump_yaml(opt.to_dict(base=BASE_FILE)),
        BASE_FILE: dump_yaml(base),
        "trials.csv": table_csv(trials),
        "pareto.csv": table_csv(pareto),
        EXPERIMENT_FILE: dump_yaml(pareto_experiment(found, opt)),
        "pareto.png": lambda p: save_pareto_png(p, found, opt),
        "manifest.json": dump_json(manifest),
    }
