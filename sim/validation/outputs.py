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


def validation_files(checks: list[Check], replicates: int, started_utc: str) -> dict[str, Any]:
    """File name -> bytes (or a writer) for the validation folder."""
    recorded = {c.name: c.figures for c in checks}
    files: dict[str, Any] = {
        "validation.csv": table_csv(checks_table(checks)),
        "validation.md": checks_markdown(checks).encode(),
        "figures.json": dump_json(recorded),
        "manifest.json": dump_json({"kind": "validation", "replicates": replicates, "started_utc": started_utc,
                                    "finished_utc": utc_now(), "versions": versions()}),
    }
    for stem, fig in validation_figures(recorded).items():
        files[f"{stem}.png"] = _saver(fig)
    return files
