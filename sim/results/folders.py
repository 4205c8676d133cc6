"""Result folders on disk, read back: an experiment's (plan, resolved experiment, one folder
per run) or single runs'; which runs are complete, failed or missing; several folders merged
into one result set for comparison."""

from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..run.files import load_yaml, read_csv
from ..scenario import ScenarioError
from .custom import CustomMetric, add_custom_values, parse_custom_metrics

DEFAULT_METRICS: tuple[str, ...] = ("lifespan_days", "peak_active", "active_day365_14d", "lurker_share",
                                    "total_revenue")
PARTICIPATION = ("lurker_share", "occasional_share", "heavy_share")
RUN_DATA_FILES = ("summary.json", "timeseries.csv", "members.csv")
PLAN_COLUMNS = ("arm", "replicate", "seed", "run_id")


def sha256_file(path: Path) -> str:
    """sha256 of a file's bytes, read in blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def run_complete(folder: Path) -> bool:
    """True when a run folder holds all its data. Experiment runs list their files' hashes in
    manifest.json and every one must match (a deleted or truncated file means rerun it);
    single-run folders need their data files."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    hashes = manifest.get("files") if isinstance(manifest, dict) else None
    if isinstance(hashes, dict) and hashes:
        return all((folder / name).is_file() and sha256_file(folder / name) == digest
                   for name, digest in hashes.items())
    return all((folder / name).is_file() for name in RUN_DATA_FILES)


class DamagedFolder(ValueError):
    """A result folder's own files are missing or damaged: one line naming the file and what is wrong."""


def read_plan(path: Path) -> list[dict[str, Any]]:
    """An experiment's plan.csv: one row per run (arm, replicate, seed, run_id), as written; a
    missing, empty or damaged plan is a ``DamagedFolder`` naming the file and line."""
    try:
        with open(path, newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            if reader.fieldnames is None or not set(PLAN_COLUMNS) <= set(reader.fieldnames):
                raise DamagedFolder(f"{path}: damaged plan: given columns {reader.fieldnames}, "
                                    f"allowed a header with {', '.join(PLAN_COLUMNS)}")
            rows = []
            for r in reader:
                try:
                    rows.append({"arm": r["arm"], "replicate": int(r["replicate"]), "seed": int(r["seed"]),
                                 "run_id": r["run_id"]})
                except (TypeError, ValueError):
                    raise DamagedFolder(f"{path}: damaged plan at line {reader.line_num}: given {list(r.values())}, "
                                        f"allowed an arm, integer replicate and seed, and a run id") from None
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DamagedFolder(f"{path}: cannot read the plan ({exc})") from None
    if not rows:
        raise DamagedFolder(f"{path}: the plan lists no runs; allowed one row per run (was it emptied?)")
    return rows


def _read_yaml_mapping(path: Path, need: tuple[str, ...]) -> dict:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise DamagedFolder(f"{path}: cannot read it ({type(exc).__name__})") from None
    if not isinstance(data, dict) or any(k not in data for k in need):
        raise DamagedFolder(f"{path}: damaged: allowed a mapping with {', '.join(need)}")
    return data


@dataclass
class RunRef:
    """One run of an arm: where its folder is and how it went (ok, failed, missing)."""

    arm: str
    replicate: int
    seed: int
    run_id: str
    status: str
    folder: Path
    summary: dict | None = None
    error_file: Path | None = None


@dataclass
class ArmResults:
    """The runs of one arm, in replicate order, and what set it apart."""

    name: str
    overrides: dict = field(default_factory=dict)
    runs: list[RunRef] = field(default_factory=list)
    description: str = ""

    def ok(self) -> list[RunRef]:
        """The finished runs (failed and missing ones left out)."""
        return [r for r in self.runs if r.status == "ok"]


@dataclass
class ResultSet:
    """Everything the tables, figures and report are made from."""

    title: str
    description: str
    base: str
    arms: list[ArmResults]
    baseline: str
    metrics: list[str]
    seed: int
    days: int
    replicates: int
    sources: list[Path]
    custom_metrics: list[CustomMetric] = field(default_factory=list)
    grid: dict[str, list] | None = None  # a grid experiment's swept field paths and their values

    def arm(self, name: str) -> ArmResults:
        """The arm called ``name``."""
        return next(a for a in self.arms if a.name == name)

    def runs(self) -> list[RunRef]:
        """Every run, arm by arm."""
        return [r for a in self.arms for r in a.runs]


def is_experiment_folder(path: Path) -> bool:
    """An experiment folder has its plan and resolved experiment."""
    return (Path(path) / "plan.csv").is_file() and (Path(path) / "experiment.yaml").is_file()


def is_run_folder(path: Path) -> bool:
    """A single run's folder (from `community-sim run`, or an experiment's runs/<id>/)."""
    return all((Path(path) / name).is_file() for name in ("summary.json", "timeseries.csv"))


def _read_summary(folder: Path) -> dict:
    return json.loads((folder / "summary.json").read_text(encoding="utf-8"))


def _custom_metrics(path: Path, raw: Any) -> list[CustomMetric]:
    try:
        return parse_custom_metrics(str(path), raw)
    except ScenarioError as exc:
        raise DamagedFolder(str(exc)) from None


def _with_custom(folder: Path, summary: dict, custom: list[CustomMetric]) -> dict:
    """A run's summary with the experiment's custom metrics, computed from its timeseries.csv."""
    if not custom:
        return summary
    try:
        return add_custom_values(summary, read_csv(folder / "timeseries.csv"), custom, str(folder / "timeseries.csv"))
    except (OSError, ValueError) as exc:
        raise DamagedFolder(f"{folder / 'timeseries.csv'}: cannot compute custom metrics ({exc})") from None


def load_experiment_folder(path: Path) -> ResultSet:
    """An experiment folder: its resolved experiment, plan, and the state of every run (the
    experiment's custom metrics added to each finished run's summary)."""
    path = Path(path)
    exp = _read_yaml_mapping(path / "experiment.yaml", ("name", "arms", "baseline_arm", "metrics", "seed", "days",
                                                         "replicates"))
    base = _read_yaml_mapping(path / "base_scenario.yaml", ()) if (path / "base_scenario.yaml").is_file() else {}
    custom = _custom_metrics(path / "experiment.yaml", exp.get("custom_metrics"))
    try:
        arms = {a["name"]: ArmResults(a["name"], a.get("overrides") or {}, description=a.get("description", ""))
                for a in exp["arms"]}
    except (TypeError, KeyError, AttributeError):
        raise DamagedFolder(f"{path / 'experiment.yaml'}: damaged arms: allowed a list of arms with names") from None
    for row in read_plan(path / "plan.csv"):
        if row["arm"] not in arms:
            raise DamagedFolder(f"{path / 'plan.csv'}: damaged plan: arm {row['arm']!r} is not one of the "
                                f"experiment's arms ({', '.join(arms)})")
        folder = path / "runs" / row["run_id"]
        failed = path / "failed" / f"{row['run_id']}.txt"
        if run_complete(folder):
            ref = RunRef(**row, status="ok", folder=folder, summary=_with_custom(folder, _read_summary(folder), custom))
        elif failed.is_file():
            ref = RunRef(**row, status="failed", folder=folder, error_file=failed)
        else:
            ref = RunRef(**row, status="missing", folder=folder)
        arms[row["arm"]].runs.append(ref)
    for a in arms.values():
        a.runs.sort(key=lambda r: r.replicate)
    base_line = f"{base.get('name', '')}: {base.get('description', '')}".strip(": ")
    return ResultSet(exp["name"], exp.get("description", ""), base_line, list(arms.values()),
                     exp["baseline_arm"], list(exp["metrics"]), int(exp["seed"]), int(exp["days"]),
                     int(exp["replicates"]), [path], custom, _grid(exp.get("grid")))


def _grid(raw: Any) -> dict[str, list] | None:
    """The swept fields of a grid experiment (field path -> values), None for named arms."""
    if not isinstance(raw, dict) or not raw or not all(isinstance(v, list) for v in raw.values()):
        return None
    return {str(k): list(v) for k, v in raw.items()}


def load_run_folder(path: Path) -> ResultSet:
    """A single `community-sim run` folder as a one-arm, one-replicate result set."""
    path = Path(path)
    summary = _read_summary(path)
    manifest = {}
    if (path / "manifest.json").is_file():
        manifest = json.loads((path / "manifest.json").read_text(encoding="utf-8"))
    scen = {}
    if (path / "scenario.yaml").is_file():
        scen = _read_yaml_mapping(path / "scenario.yaml", ())
    name = str(manifest.get("arm") or scen.get("name") or path.name)
    seed = int(manifest.get("seed", scen.get("seed", 0)))
    run = RunRef(name, 0, seed, str(manifest.get("run_id", path.name)), "ok" if run_complete(path) else "missing",
                 path, summary)
    return ResultSet(name, scen.get("description", ""), name, [ArmResults(name, {}, [run])], name,
                     list(DEFAULT_METRICS), 0, int(summary.get("days", scen.get("days", 0))), 1, [path])


def load_results(paths: list[Path]) -> ResultSet:
    """One or more result folders as one result set. One experiment folder is itself; several
    experiments get their arm names prefixed with the experiment's name; single runs of the same
    scenario become one arm (replicates in the order given). The baseline, metrics and master
    seed come from the first experiment given."""
    sets = []
    for p in paths:
        p = Path(p)
        if is_experiment_folder(p):
            sets.append(load_experiment_folder(p))
        elif is_run_folder(p):
            sets.append(load_run_folder(p))
        else:
            raise FileNotFoundError(f"{p}: not a result folder (no plan.csv + experiment.yaml, nor summary.json + timeseries.csv)")
    if len(sets) == 1:
        return sets[0]
    experiments = [s for s in sets if is_experiment_folder(s.sources[0])]
    is_exp = {id(s) for s in experiments}
    arms: dict[str, ArmResults] = {}
    first = experiments[0] if experiments else sets[0]
    baseline = None
    for s in sets:
        prefix = f"{s.title}: " if id(s) in is_exp and len(experiments) > 1 else ""
        for a in s.arms:
            name = prefix + a.name
            if id(s) in is_exp and name in arms:
                k = 2
                while f"{name} ({k})" in arms:
                    k += 1
                name = f"{name} ({k})"
            if s is first and a.name == s.baseline:
                baseline = name
            merged = arms.setdefault(name, ArmResults(name, a.overrides, description=a.description))
            for r in a.runs:
                r.arm = name
                if id(s) not in is_exp:
                    r.replicate = len(merged.runs)
                merged.runs.append(r)
    title = " vs ".join(dict.fromkeys(s.title for s in sets))
    return ResultSet(title, first.description if experiments else "", first.base, list(arms.values()),
                     baseline or next(iter(arms)), first.metrics, first.seed, max(s.days for s in sets),
                     max(len(a.runs) for a in arms.values()), [p for s in sets for p in s.sources],
                     first.custom_metrics)
