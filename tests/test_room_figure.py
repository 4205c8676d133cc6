"""The presenter's figure in room mode reads on a projector: with too few replicates for an
interval it draws none and says so once in small type; where intervals exist they are lighter
than the means and never go below zero (a count); the y label lies inside the figure; the title
is one short line (the statistics stay in the subtitle and report.html). Checked on the figure's
artists, for the comparison figure itself and for a tiny room's run at 2 and 8 replicates.
"""

from __future__ import annotations

import io

import matplotlib.pyplot as plt
import numpy as np
import pytest
import yaml
from matplotlib.collections import PolyCollection

from sim.reports import figures as cp
from sim.workshop.presenter_figure import presenter_figure
from sim.workshop.room import Room

DAYS = 200
TINY = {"name": "tiny-room", "description": "a tiny group for room tests", "days": 60, "seed": 5,
        "community": {"initial_members": 60, "managers": 2}}


def _arms(n: int) -> list[str]:
    return ["as shipped", "Owls", "Fee table", "Perks", "Larks", "Kites"][:n]


def _curves(arms: list[str], swing: float) -> dict:
    """Means flat near 1 and intervals swinging from below zero to ``swing`` (two noisy runs)."""
    rng = np.random.default_rng(1)
    out = {}
    for arm in arms:
        mean = 1 + 0.2 * np.sin(np.arange(DAYS) / 20)
        half = swing * rng.random(DAYS)
        out[arm] = {"active_14d": (mean, mean - half, mean + half), "members": (mean * 50, mean * 40, mean * 60),
                    "revenue_cumulative": (np.zeros(DAYS), np.zeros(DAYS), np.zeros(DAYS))}
    return out


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(plt.Text)]


def _band_artists(ax, means: int):
    """(band edge lines, filled bands): every line after the means' is a band edge."""
    lines = [ln for ln in ax.get_lines() if ln.get_label().startswith("_")]
    fills = [c for c in ax.collections if isinstance(c, PolyCollection) and len(c.get_paths())]
    return lines, fills


def _label_inside(fig) -> bool:
    fig.canvas.draw()
    box = fig.axes[0].yaxis.label.get_window_extent()
    whole = fig.bbox
    return box.x0 >= whole.x0 and box.x1 <= whole.x1 and box.y0 >= whole.y0 and box.y1 <= whole.y1


@pytest.mark.parametrize("n_arms", [3, 4])
def test_two_runs_draw_no_interval_and_say_so_once(n_arms):
    arms = _arms(n_arms)
    fig = cp.activity_figure(_curves(arms, 27), arms, arms[0], {a: 2 for a in arms}, "t")
    ax = fig.axes[0]
    edges, fills = _band_artists(ax, n_arms)
    assert not edges and not fills, "an interval drawn from two runs"
    said = [t for t in _texts(fig) if "too few runs" in t]
    assert len(said) == 1 and said[0] in ax.get_title(loc="left"), _texts(fig)
    plt.close(fig)


@pytest.mark.parametrize("n_arms", [3, 4])
def test_intervals_from_enough_runs_are_lighter_than_the_means_and_not_below_zero(n_arms):
    arms = _arms(n_arms)
    fig = cp.activity_figure(_curves(arms, 3), arms, arms[0], {a: 8 for a in arms}, "t")
    ax = fig.axes[0]
    means = [ln for ln in ax.get_lines() if not ln.get_label().startswith("_")]
    edges, fills = _band_artists(ax, n_arms)
    assert edges or fills
    for edge in edges:
        assert np.nanmin(edge.get_ydata()) >= 0
        assert (edge.get_alpha() or 1) <= 0.4 and edge.get_linewidth() <= means[0].get_linewidth() / 3
    for fill in fills:
        assert min(float(np.nanmin(p.vertices[:, 1])) for p in fill.get_paths()) >= 0
        assert fill.get_alpha() <= 0.2
    plt.close(fig)


@pytest.fixture(scope="module")
def room_runs(tmp_path_factory) -> dict[int, object]:
    """A tiny room with three teams, run at 2 and at 8 replicates: replicates -> its folder."""
    tmp = tmp_path_factory.mktemp("room-figure")
    (tmp / "tiny.yaml").write_text(yaml.safe_dump(TINY), encoding="utf-8")
    room = Room(tmp / "tiny.yaml", results_root=tmp / "results")
    s = room.default_settings()
    room.submit("Owls", {**s, "strategy.content.creator_posts_per_week": 14}, owner="b1")
    room.submit("Fee table", {**s, "strategy.moderation": 0.9}, owner="b2")
    room.submit("Perks", {**s, "strategy.moderation": 0.0}, owner="b3")
    folders = {}
    for replicates in (2, 8):
        run = room.start(replicates, jobs=1, log=lambda _m: None, progress_stream=io.StringIO())
        room.wait(300)
        assert not run.running and not run.error, run.error
        folders[replicates] = run.folder
    return folders


@pytest.mark.parametrize("replicates", [2, 8])
def test_the_presenters_figure_has_a_one_line_title_and_a_visible_y_label(room_runs, replicates):
    fig = presenter_figure(room_runs[replicates])
    title = fig._suptitle.get_text()
    assert "\n" not in title and len(title) <= 60, title
    assert _label_inside(fig), fig.axes[0].get_ylabel()
    edges, fills = _band_artists(fig.axes[0], 4)
    assert bool(edges or fills) == (replicates >= 3)
    assert sum("too few runs" in t for t in _texts(fig)) == (replicates < 3)
    plt.close(fig)


def test_the_reports_activity_figure_keeps_its_y_label_inside_under_a_long_finding():
    arms = _arms(4)
    long = ("Active members: too few runs to test a difference (as shipped: 2 runs; Owls: 2 runs; Fee table: 2 runs; "
            "Perks: 2 runs; a test needs 3 runs per strategy); 0.9 members active a day under as shipped "
            "(mean over days 1-730)")
    fig = cp.activity_figure(_curves(arms, 27), arms, arms[0], {a: 2 for a in arms}, long)
    assert _label_inside(fig)
    plt.close(fig)


def test_the_leaderboard_shows_no_interval_from_too_few_runs(room_runs):
    from sim.workshop.leaderboard import leaderboard, shown_interval

    for replicates, folder in room_runs.items():
        for row in leaderboard(folder, "mean_active"):
            cell = shown_interval(row, "mean_active", TINY["days"])
            assert ("too few runs" in cell) == (replicates < 3), (replicates, cell)
            assert replicates < 3 or " to " in cell
