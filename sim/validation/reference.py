"""The real-communities table: each reference community's scenario (scenarios/reference/, its
behaviour fitted to that community by `community-sim calibrate`) and the default group
(baseline, calibrated defaults) run over replicates; each statistic of shared/data/README.md
compared with the real value (or, for the default group, the span of the real values), passing
within a tolerance stated before running (``calibration.TOLERANCE``, 0.05)."""

from __future__ import annotations

import math
import os
from pathlib import Path

import numpy as np

from ..evidence import read_messages_csv
from ..evidence.reference import LABELS, REFERENCE, STATISTICS
from ..run.metrics import lifespan
from .calibration import CALIBRATED, TOLERANCE, Target, fit_table, pooled_bootstrap, pooled_statistics, run_log
from .facts import log_facts
from .harness import Arm, Check, Runner


def _row_text(r) -> str:
    lo, hi = r.target
    target = f"{lo:.2f}" if lo == hi else f"{lo:.2f}-{hi:.2f}"
    model = "n/a" if math.isnan(r.mean) else f"{r.mean:.2f} ({r.low:.2f}-{r.high:.2f})"
    return f"{r.statistic} {model} vs {target}"


def check_real_communities(run: Runner) -> list[Check]:
    """One check per reference community (its fitted scenario) and one for the default group."""
    out = []
    cases = [(f"reference/{name}", Target.of(name), name) for name in REFERENCE]
    cases.append(("baseline", Target.of("range"), "default group (baseline) vs the span"))
    for scenario, target, label in cases:
        if target.pooled:  # many groups measured together: pool the replicate groups' logs
            logs = run.runs(Arm(scenario), run_log)
            rows = fit_table([pooled_statistics(logs)], target, pooled_bootstrap(logs))
        else:
            rows = fit_table(run.runs(Arm(scenario), log_facts), target)
        misses = [r for r in rows if not r.fits]
        measured = (f"{len(rows) - len(misses)} of {len(rows)} statistics fit"
                    + ("; misses: " + "; ".join(_row_text(r) for r in misses) if misses else ""))
        out.append(Check(f"real community: {label}", "shared/data (README statistics)",
                         f"each of the {len(STATISTICS)} statistics within {TOLERANCE} of the real value "
                         f"({len(CALIBRATED)} calibrated, the rest held out)",
                         measured, not misses,
                         {"real_communities": [{"community": label, "statistic": r.statistic, "label": LABELS[r.statistic],
                                                "role": r.role, "target": list(r.target), "mean": r.mean,
                                                "low": r.low, "high": r.high, "fits": r.fits} for r in rows]}))
    return out


def data_folder() -> Path:
    """The reference communities' message logs: $COMMUNITY_SIM_DATA, else shared/data beside
    the project (its layout in this repository's workspace)."""
    env = os.environ.get("COMMUNITY_SIM_DATA")
    return Path(env) if env else Path(__file__).resolve().parents[3] / "shared" / "data"


def daily_authors(day: np.ndarray, author: np.ndarray) -> np.ndarray:
    """Distinct authors on each day from the first message's day on."""
    d = np.floor(day).astype(np.int64)
    d -= d.min()
    pairs = np.unique(np.stack([d, author]), axis=1)
    return np.bincount(pairs[0], minlength=int(d.max(initial=0)) + 1).astype(float)


def check_death_rule(run: Runner) -> list[Check]:
    """The death rule applied to real communities that lived: it must not call them dead. The
    IRC channel and the Q&A site were alive to the end of their archives (nine and three years)."""
    folder = data_folder()
    if not folder.is_dir():
        return [Check("death rule on real communities", "shared/data", "the communities alive to the end of their logs",
                      f"not run: {folder} not found (set COMMUNITY_SIM_DATA)", False, {})]
    out = []
    for name in ("duraspace_irc", "beer_se"):
        log = read_messages_csv(folder / name / "messages.csv")
        active = daily_authors(log.day, log.author)
        life, censored = lifespan(active)
        out.append(Check(f"death rule on real communities: {name}", "shared/data",
                         f"alive over the whole log ({len(active)} days)",
                         f"lifespan by the rule {life} d of {len(active)}{' (alive)' if censored else ' (dead)'}",
                         censored, {}))
    return out
