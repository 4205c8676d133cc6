"""Room mode's figure for the projector: every team's daily active members (14-day mean) from
the finished run's folder, under a title of one short line; how to read it, and where the
statistics are (the leaderboard above it, report.html), in small type under the title. Drawn by
the report's comparison figure (``sim.reports.figures.activity_figure``), so its intervals
follow the report's rules: none from too few runs, light and never below zero otherwise.
No Solara here (tested without a browser).
"""

from __future__ import annotations

import threading
from pathlib import Path

from ..reports.figures import activity_figure, png_bytes
from ..results.aggregate import aggregate_runs
from ..results.folders import load_experiment_folder

PRESENTER_TITLE = "Active members a day, by team"
DETAILS = "statistics: the leaderboard and report.html"
SIZE_INCHES = (13, 6)  # wide and low: above the leaderboard, it fits the projector's first view (1280x800)
_DRAWING = threading.Lock()  # pyplot is not thread-safe: presenter pages redraw from their own threads


def presenter_figure(folder: str | Path):
    """The finished room run's curves (a matplotlib figure) from its folder's run files."""
    rs = load_experiment_folder(Path(folder))
    agg = aggregate_runs(rs)
    fig = activity_figure(agg.curves, [a.name for a in rs.arms], rs.baseline, agg.runs_used, PRESENTER_TITLE,
                          more=DETAILS)
    fig.set_size_inches(*SIZE_INCHES)
    return fig


def presenter_png(folder: str | Path) -> bytes:
    """``presenter_figure`` as PNG bytes, for the presenter's page (one drawing at a time)."""
    with _DRAWING:
        return png_bytes(presenter_figure(folder))
