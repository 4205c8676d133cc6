"""Write the SHA-256 of every deterministic output file of a few runs and one experiment.

The refactoring test (tests/test_golden.py) reruns the same cases and compares hashes, so a
change of layout that changes any output byte fails. Rerun this script only when a change of
the model or of a file format is meant to change outputs, and say so in the commit message:

    python tests/golden/make_golden.py            # rewrites tests/golden/hashes.json
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
# (scenario file, seed, days): cases that exercise content, campaigns and spam, fees, rewards,
# cleanups, perks and events.
RUNS = (("baseline.yaml", 3, 120), ("ad-dump.yaml", 1, 90), ("well-run-paid.yaml", 2, 120),
        ("fruit-shop.yaml", 5, 90), ("branded-events.yaml", 4, 100))
# A small experiment: two arms of the baseline, two replicates each.
EXPERIMENT_YAML = """name: golden
base: {base}
replicates: 2
days: 60
seed: 7
arms:
  - name: open
    overrides: {{}}
  - name: fee-and-cleanup
    overrides: {{strategy.entry.kind: fee, strategy.entry.level: 99, strategy.cleanup.every_days: 30}}
"""
# Files that carry times, paths or versions: not compared.
VOLATILE = {"manifest.json"}


def digest(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` except the volatile ones, by relative path."""
    out = {}
    for p in sorted(folder.rglob("*")):
        if p.is_file() and p.name not in VOLATILE:
            out[p.relative_to(folder).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def compute(tmp: Path) -> dict[str, dict[str, str]]:
    """Hashes of the golden cases' outputs, written under ``tmp``."""
    from sim import load_experiment, load_scenario, run_experiment, run_scenario

    cases: dict[str, dict[str, str]] = {}
    for name, seed, days in RUNS:
        folder = tmp / f"run-{name}"
        run_scenario(load_scenario(ROOT / "scenarios" / name), seed=seed, days=days, out=folder)
        cases[f"run {name} seed {seed} days {days}"] = digest(folder)
    spec = tmp / "golden.yaml"
    spec.write_text(EXPERIMENT_YAML.format(base=ROOT / "scenarios" / "baseline.yaml"))
    folder = tmp / "experiment"
    with open(os.devnull, "w") as quiet:
        run_experiment(load_experiment(spec), out=folder, jobs=1, log=lambda _msg: None, progress_stream=quiet)
    cases["experiment golden"] = {k: v for k, v in digest(folder).items()
                                  if k not in ("experiment.yaml", "report.html")}
    return cases


if __name__ == "__main__":
    with tempfile.TemporaryDirectory() as d:
        hashes = compute(Path(d))
    (HERE / "hashes.json").write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n")
    print(f"wrote {sum(len(v) for v in hashes.values())} hashes to {HERE / 'hashes.json'}", file=sys.stderr)
