"""`bench --experiment`: runs per second per worker of a whole experiment (sweep, then the
serial tables, figures and report), at one worker and at N, in the same run, so the parallel
efficiency and what stays serial are measured rather than guessed (issue 13, goal 5).

The experiment is a small group (default 500 members, 730 days) under four strategies (the share
of ads the organisers remove: 0, 0.3, 0.6, 0.9) over paired replicates, the shape of a typical
strategy comparison. Each worker count writes a real experiment folder in a temporary directory
(deleted afterwards), through ``run_experiment``: what is timed is what a user waits for.
"""

from __future__ import annotations

import io
import json
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..experiments import Arm, Experiment, run_experiment
from .references import bench_scenario

MODERATION_ARMS = (0.0, 0.3, 0.6, 0.9)


def bench_experiment(runs: int, members: int, days: int) -> Experiment:
    """Four arms (moderation 0 to 0.9) x ``runs // 4`` replicates of a ``members`` group."""
    if runs < len(MODERATION_ARMS) or runs % len(MODERATION_ARMS):
        raise ValueError(f"--runs must be a positive multiple of {len(MODERATION_ARMS)}, not {runs}")
    base = bench_scenario(members, days)
    arms = [Arm(f"moderation {m}", {"strategy.moderation": m},
                base.with_overrides({"strategy.moderation": m}, source="bench"))
            for m in MODERATION_ARMS]
    return Experiment(name=f"bench-{members}x{days}", description="bench --experiment", source=Path("bench"),
                      base_path=Path("bench"), base=base, replicates=runs // len(MODERATION_ARMS), days=days,
                      seed=7, baseline_arm=arms[0].name, metrics=["lifespan_days", "peak_active"], arms=arms)


@dataclass
class SweepTiming:
    """One experiment at ``jobs`` workers: seconds in the sweep (runs in parallel), in the serial
    analysis (tables, figures, report) and in all (folder set-up included)."""

    jobs: int
    runs: int
    wall_s: float
    sweep_s: float
    serial_s: float

    def as_dict(self, one_worker: SweepTiming | None) -> dict:
        """Figures for the JSON, with efficiency against ``one_worker`` (the same experiment at
        one worker): speed-up / workers, for the whole experiment and for the sweep alone."""
        out = {"jobs": self.jobs, "runs": self.runs, "wall_s": round(self.wall_s, 3),
               "sweep_s": round(self.sweep_s, 3), "serial_s": round(self.serial_s, 3),
               "serial_share": round(self.serial_s / self.wall_s, 3),
               "runs_per_s": round(self.runs / self.wall_s, 3),
               "runs_per_s_per_worker": round(self.runs / self.wall_s / self.jobs, 3)}
        if one_worker is not None:
            out["efficiency"] = round(one_worker.wall_s / self.wall_s / self.jobs, 3)
            out["sweep_efficiency"] = round(one_worker.sweep_s / self.sweep_s / self.jobs, 3)
        return out


def time_experiment(exp: Experiment, jobs: int, executor: str = "local", scheduler: str | None = None) -> SweepTiming:
    """Run ``exp`` at ``jobs`` workers in a temporary folder and read the session's timings."""
    with tempfile.TemporaryDirectory(prefix="community-sim-bench-") as tmp:
        folder = Path(tmp) / "experiment"
        t0 = time.perf_counter()
        outcome = run_experiment(exp, out=folder, jobs=jobs, executor=executor, scheduler=scheduler,
                                 log=lambda _msg: None, progress_stream=io.StringIO())
        wall = time.perf_counter() - t0
        if outcome.interrupted or outcome.failed:
            raise RuntimeError(f"bench experiment did not finish: {outcome.interrupted or outcome.failed[0][1]}")
        session = json.loads((outcome.folder / "manifest.json").read_text(encoding="utf-8"))["sessions"][-1]
    return SweepTiming(jobs, len(exp.arms) * exp.replicates, wall, session["run_seconds"], session["analysis_seconds"])


def run_experiment_bench(runs: int, members: int, days: int, jobs: list[int], executor: str = "local",
                         scheduler: str | None = None, tick=lambda: None) -> list[dict]:
    """The experiment at each worker count (1 first, the reference for efficiency); ``tick()``
    after each."""
    exp = bench_experiment(runs, members, days)
    timings: list[SweepTiming] = []
    for k in sorted(set([1, *jobs])):
        timings.append(time_experiment(exp, k, executor if k > 1 else "local", scheduler))
        tick()
    one = timings[0]
    return [{"members": members, "days": days, "executor": executor if t.jobs > 1 else "local", **t.as_dict(one)}
            for t in timings]
