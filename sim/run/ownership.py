"""Which files in a result folder this tool wrote, so that ``--force`` never deletes a user's own:
each kind of folder has a known layout (the file names below, ``*`` standing for one path
part), plus the files its manifest.json lists with their hashes (``files``, ``outputs``,
``explore.outputs``). Hidden temporaries (``.<name>.tmp-<pid>-<hex>``, ``.old-``) and an
experiment's ``.lock`` are the tool's too. Anything else, file or folder, is *foreign*.

The names are written out here rather than imported because this layer sits below the
packages that write those folders; tests/test_safety.py (run, experiment, comparison) and
tests/test_fitting_honesty.py (fit, forecast) check freshly written folders against them, so a
new output file that is not added here fails a test, not a user."""

from __future__ import annotations

import json
import re
from fnmatch import fnmatchcase
from pathlib import Path

TEMPORARY = re.compile(r"^\..+\.(tmp|old)-(\d+)-[0-9a-f]{8}$")
LOCK_NAME = ".lock"

_RUN = ("manifest.json", "scenario.yaml", "timeseries.csv", "members.csv", "summary.json", "messages.csv",
        "activity.png")
_REPORT = ("manifest.json", "runs.csv", "curves.csv", "comparison.csv", "tenure.csv", "report.html", "figures/*.png")
_EXPLORE = ("explore.yaml", "samples.csv", "sensitivity.csv", "explore.html")

# Kind (manifest.json's "kind") -> the paths that folder holds when this tool wrote it.
LAYOUTS: dict[str, tuple[str, ...]] = {
    "run": _RUN,
    "experiment run": _RUN,
    "experiment": (*_REPORT, *_EXPLORE, LOCK_NAME, "experiment.yaml", "base_scenario.yaml", "plan.csv",
                   "failed/*.txt", *(f"runs/*/{name}" for name in _RUN)),
    "comparison": _REPORT,
    "validation": ("manifest.json", "validation.csv", "validation.md", "figures.json", "real_communities.md", "*.png"),
    "calibration": ("manifest.json", "fitted.yaml", "behaviour.yaml", "calibration.json", "fit.md", "trials.csv"),
    "optimisation": ("manifest.json", "optimisation.yaml", "base.yaml", "trials.csv", "pareto.csv",
                     "pareto-experiment.yaml", "pareto.png", "failed/trial-*.txt"),
    "diagnosis": ("manifest.json", "diagnosis.json", "daily.csv", "retention.csv", "diagnosis.html", "figures/*.png"),
    "fit": ("manifest.json", "fitted.yaml", "posterior.csv", "observed.json", "observed_daily.csv", "fit.png",
            "fit_quality.json", "heldout_daily.csv"),
    "forecast": ("manifest.json", "forecast.csv", "forecast.json", "forecast.png"),
}


def read_manifest(folder: Path) -> dict:
    """``folder``'s manifest.json as a dict ({} when missing or unreadable)."""
    try:
        data = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def listed_files(manifest: dict) -> set[str]:
    """The relative paths a manifest lists with their hashes."""
    explore = manifest.get("explore")
    tables = (manifest.get("files"), manifest.get("outputs"), explore.get("outputs") if isinstance(explore, dict) else None)
    return {name for table in tables if isinstance(table, dict) for name in table if isinstance(name, str)}


def _matches(parts: tuple[str, ...], pattern: str, whole: bool) -> bool:
    """Whether ``parts`` match ``pattern`` part by part: all of it (``whole``) or a leading folder of it."""
    wanted = pattern.split("/")
    if len(parts) > len(wanted) or (whole and len(parts) != len(wanted)) or (not whole and len(parts) == len(wanted)):
        return False
    return all(fnmatchcase(part, want) for part, want in zip(parts, wanted))


def foreign_paths(folder: Path, kind: str | None = None) -> list[str]:
    """The paths (relative, a folder once with a trailing ``/``) in ``folder`` that this tool did
    not write as a ``kind`` folder (default: the kind its manifest says), sorted."""
    folder = Path(folder)
    manifest = read_manifest(folder)
    layout = LAYOUTS.get(kind or manifest.get("kind") or "", ())
    patterns = (*layout, *(re.sub(r"[][*?]", lambda m: f"[{m.group()}]", n) for n in listed_files(manifest)))
    found: list[str] = []

    def walk(here: Path, parts: tuple[str, ...]) -> None:
        for entry in sorted(here.iterdir()):
            rel = (*parts, entry.name)
            if TEMPORARY.match(entry.name):
                continue
            if entry.is_dir() and not entry.is_symlink():
                if any(_matches(rel, p, whole=False) for p in patterns):
                    walk(entry, rel)
                else:
                    found.append("/".join(rel) + "/")
            elif entry.is_symlink() or not any(_matches(rel, p, whole=True) for p in patterns):
                found.append("/".join(rel))

    walk(folder, ())
    return found


def describe_foreign(found: list[str], shown: int = 3) -> str:
    """``a.txt, notes/`` or ``a, b, c and 4 more`` with the count: for a one-line refusal."""
    head = ", ".join(found[:shown])
    return head if len(found) <= shown else f"{head} and {len(found) - shown} more"
