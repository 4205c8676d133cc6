"""Whether a result set's runs may be compared, said before any table is made. Refused (a
``NotComparable`` naming the folders): runs of different horizons (a 365-day run would be drawn
alive to day 730) and runs of one arm that share a seed (copies of one run, not replicates: their
interval would be "430 to 430 days"). Flagged (a note for the report and the printed output):
arms that start from different communities (founding members or managers differ), whose
differences are not the strategy's alone, and arms of too few runs (under ``stats.MIN_BOOTSTRAP``),
whose differences cannot be tested."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from ..plural import count
from ..run.files import load_yaml
from .folders import ResultSet, RunRef
from .stats import MIN_BOOTSTRAP


class NotComparable(ValueError):
    """The runs given cannot be compared as they are; the message says why and what to do."""


def _where(run: RunRef) -> str:
    return str(run.folder)


def _community(run: RunRef) -> tuple[int, int] | None:
    """(founding members, managers) from a run's resolved scenario.yaml, if readable."""
    try:
        data = load_yaml((Path(run.folder) / "scenario.yaml").read_text(encoding="utf-8"))
        c = data["community"]
        return int(c["initial_members"]), int(c["managers"])
    except (OSError, ValueError, TypeError, KeyError, yaml.YAMLError):
        return None


def check_comparable(rs: ResultSet) -> list[str]:
    """Refuse what cannot be compared (``NotComparable``); return notes on what may mislead."""
    ok = [r for r in rs.runs() if r.status == "ok"]
    horizons = Counter(int(r.summary.get("days", 0)) for r in ok if r.summary)
    if len(horizons) > 1:
        by = {}
        for r in ok:
            by.setdefault(int(r.summary.get("days", 0)), r)
        listed = "; ".join(f"{d:,} days ({_where(r)})" for d, r in sorted(by.items()))
        raise NotComparable(f"the runs have different horizons: {listed}; a shorter run cannot be drawn or "
                            f"compared to the longer one's horizon: compare runs of one horizon (community-sim run "
                            f"--days {max(horizons):,} ...)")
    for arm in rs.arms:
        seeds = Counter(r.seed for r in arm.ok())
        twice = [s for s, n in seeds.items() if n > 1]
        if twice:
            copies = [r for r in arm.ok() if r.seed == twice[0]]
            raise NotComparable(f"arm '{arm.name}' has {len(copies)} runs with seed {twice[0]} "
                                f"({', '.join(_where(r) for r in copies[:3])}): copies of one run, not replicates; "
                                f"{count(len(seeds), 'distinct seed')} among its {count(len(arm.ok()), 'run')}. "
                                f"Give each run its own seed (community-sim run --seed N)")
    notes = []
    sizes: dict[tuple[int, int], list[str]] = {}
    for arm in rs.arms:
        # An experiment's arms are uniform by construction: its first run stands for the arm;
        # single runs given together are each read.
        ok = arm.ok()
        for run in ok if any(r.folder.parent.name != "runs" for r in ok) else ok[:1]:
            size = _community(run)
            if size is not None:
                sizes.setdefault(size, []).append(arm.name)
    if len(sizes) > 1:
        listed = "; ".join(f"{m:,} founding members and {g:,} managers ({', '.join(dict.fromkeys(names))})"
                           for (m, g), names in sorted(sizes.items()))
        notes.append(f"The runs start from different communities: {listed}. Their differences are not the "
                     f"strategy's alone.")
    few = [f"{a.name}: {count(len(a.ok()), 'run')}" for a in rs.arms if 0 < len(a.ok()) < MIN_BOOTSTRAP]
    if few:
        notes.append(f"Too few runs to test a difference ({'; '.join(few)}; a test needs "
                     f"{count(MIN_BOOTSTRAP, 'run')} per strategy); run replicates (community-sim experiment) "
                     "to compare strategies.")
    return notes
