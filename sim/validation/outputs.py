"""The validation folder of `community-sim check-model`: the checks as CSV and Markdown, what
each recorded for its figures, the figures, and a manifest (versions, replicates, times)."""

from __future__ import annotations

from typing import Any

from ..run.files import dump_json, table_csv, utc_now, versions
from .checks import checks_markdown, checks_table
from .figures import validation_figures
from .harness import Check


def _saver(fig) -> Any:
    """A writer for ``write_folder``: saves the figure to the path it is given, then closes it."""
    import matplotlib.pyplot as plt

    def save(path) -> None:
        fig.savefig(path)
        plt.close(fig)

    return save


def real_communities_markdown(checks: list[Check]) -> str:
    """The real-communities table: each community, each statistic, the model's mean and 95%
    interval against the real value (or span), and whether it fits."""
    rows = [r for c in checks for r in c.figures.get("real_communities", [])]
    if not rows:
        return ""
    out = ["| community | statistic | role | real | model (95% interval) | fits |", "|---|---|---|---|---|---|"]
    for r in rows:
        lo, hi = r["target"]
        real = f"{lo:.2f}" if lo == hi else f"{lo:.2f}-{hi:.2f}"
        model = "n/a" if r["mean"] != r["mean"] else f"{r['mean']:.2f} ({r['low']:.2f}-{r['high']:.2f})"
        out.append(f"| {r['community']} | {r['label']} | {r['role']} | {real} | {model} | {'yes' if r['fits'] else '**no**'} |")
    return "\n".join(out) + "\n"


def validation_files(checks: list[Check], replicates: int, started_utc: str) -> dict[str, Any]:
    """File name -> bytes (or a writer) for the validation folder."""
    recorded = {c.name: c.figures for c in checks}
    real = real_communities_markdown(checks)
    files: dict[str, Any] = {
        "validation.csv": table_csv(checks_table(checks)),
        "validation.md": checks_markdown(checks).encode(),
        "figures.json": dump_json(recorded),
        "manifest.json": dump_json({"kind": "validation", "replicates": replicates, "started_utc": started_utc,
                                    "finished_utc": utc_now(), "versions": versions()}),
    }
    if real:
        files["real_communities.md"] = real.encode()
    for stem, fig in validation_figures(recorded).items():
        files[f"{stem}.png"] = _saver(fig)
    return files
