"""A grid experiment draws each metric against the swept value (issue 12, item 4): one swept
field gives figures/grid_<metric>.png (a line with a 95% band), two give heatmaps, named arms
give none; the report links them and every plotted number is a row of comparison.csv."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
import pytest
import yaml

from sim.experiments import load_experiment, run_experiment
from sim.reports.grid import grid_drawings
from sim.reports.titles import grid_title
from sim.results.comparison import ComparisonRow

BASE = {"name": "tiny-base", "days": 40, "community": {"initial_members": 40, "managers": 1}}
METRICS = ["peak_active", "lurker_share"]
PNG = b"\x89PNG\r\n\x1a\n"


def _run(tmp: Path, **fields) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    (tmp / "base.yaml").write_text(yaml.safe_dump(BASE))
    data = {"name": "tiny-grid", "base": "base.yaml", "replicates": 2, "seed": 3, "metrics": METRICS, **fields}
    (tmp / "exp.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    out = tmp / "out"
    with open(os.devnull, "w") as quiet:
        run_experiment(load_experiment(tmp / "exp.yaml"), out=out, jobs=1, log=lambda _m: None, progress_stream=quiet)
    return out


def _grid_pngs(out: Path) -> list[str]:
    return sorted(p.name for p in (out / "figures").glob("grid_*.png"))


@pytest.fixture(scope="module")
def one_field(tmp_path_factory) -> Path:
    return _run(tmp_path_factory.mktemp("one"), baseline_arm="creator_posts_per_week=5",
                grid={"strategy.content.creator_posts_per_week": [1, 5, 20]})


def test_one_field_grid_draws_each_metric_against_the_swept_value(one_field):
    assert _grid_pngs(one_field) == [f"grid_{m}.png" for m in sorted(METRICS)]
    for m in METRICS:
        assert (one_field / "figures" / f"grid_{m}.png").read_bytes().startswith(PNG)
    report = (one_field / "report.html").read_text()
    for m in METRICS:
        assert f"href='figures/grid_{m}.png'" in report
    manifest = (one_field / "manifest.json").read_text()
    assert "figures/grid_peak_active.png" in manifest  # recorded with its hash like every output


def test_grid_plots_use_comparison_rows_for_every_setting(one_field):
    with open(one_field / "comparison.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["metric"] in METRICS]
    arms = {r["arm"] for r in rows}
    assert arms == {f"creator_posts_per_week={v}" for v in (1, 5, 20)}  # one plotted point per row


def test_two_field_grid_draws_heatmaps(tmp_path):
    out = _run(tmp_path, grid={"strategy.content.creator_posts_per_week": [1, 10],
                               "strategy.entry.kind": ["open", "invite"]})
    assert _grid_pngs(out) == [f"grid_{m}.png" for m in sorted(METRICS)]
    assert "href='figures/grid_lurker_share.png'" in (out / "report.html").read_text()


def test_named_arms_draw_no_grid_figures(tmp_path):
    out = _run(tmp_path, arms=[{"name": "open", "overrides": {}},
                               {"name": "invite", "overrides": {"strategy.entry.kind": "invite"}}])
    assert _grid_pngs(out) == []
    assert "figures/grid_" not in (out / "report.html").read_text()


def _row(arm, value, low, high):
    return ComparisonRow(arm, "x=1", "peak_active", "mean", 5, value, value - 1, value + 1, 10.0, value - 10, low, high)


def test_grid_title_claims_a_difference_only_where_its_interval_excludes_zero():
    unclear = [_row("x=1", 10, -1, 1), _row("x=2", 12, -0.5, 4)]
    assert grid_title(unclear, "peak_active", ["strategy.x"], "x=1", 40) == "Peak daily active members by strategy.x"
    clear = unclear + [_row("x=3", 15, 2, 8)]
    title = grid_title(clear, "peak_active", ["strategy.x"], "x=1", 40)
    assert title.startswith("Peak daily active members is clearly higher at x=3 than at x=1 (baseline)")


def test_worker_processes_read_and_draw_the_same_bytes_in_the_same_order(one_field):
    """An experiment's workers read the runs and draw every figure, the grid's too, at once:
    the files are the bytes drawn in one process, listed in the same order (the manifest's)."""
    from sim.experiments.executors import stop_pool, worker_pool
    from sim.reports.outputs import build_outputs

    serial = build_outputs(one_field)
    pool = worker_pool(2)
    try:
        parallel = build_outputs(one_field, pool=pool)
    finally:
        stop_pool(pool)
    assert list(parallel.files) == list(serial.files)
    assert parallel.files == serial.files and parallel.titles == serial.titles
    assert all((one_field / name).read_bytes() == data for name, data in serial.files.items())


# Review fixes: a median lifespan beyond the horizon (inf in comparison.csv) is drawn at the
# horizon with its own marker, never dropped.
HORIZON = 730
SETTINGS = [0, 2, 5, 10, 20]
LIFE = {0: (206, 206, 215), 2: (266, 266, 338), 5: (np.inf,) * 3, 10: (np.inf,) * 3, 20: (411, 411, np.inf)}


def _life_set(grid: dict):
    """A result set of made-up lifespans over ``grid`` (median beyond the horizon where inf)."""
    from sim.results.folders import ArmResults, ResultSet

    (path, values), *rest = grid.items()
    names = [f"x={v}" for v in values] if not rest else [f"x={a},y={b}" for b in rest[0][1] for a in values]
    overrides = ([{path: v} for v in values] if not rest else
                 [{path: a, rest[0][0]: b} for b in rest[0][1] for a in values])
    arms = [ArmResults(n, o) for n, o in zip(names, overrides)]
    return ResultSet("t", "", "base", arms, names[values.index(5)], ["lifespan_days"], 1, HORIZON, 2, [Path(".")],
                     grid=grid)


def _life_rows(rs) -> list[ComparisonRow]:
    path = next(iter(rs.grid))
    return [ComparisonRow(a.name, rs.baseline, "lifespan_days", "median (Kaplan-Meier)", 2, *LIFE[a.overrides[path]])
            for a in rs.arms]


def test_line_grid_draws_lifespans_beyond_the_horizon_at_the_horizon():
    import matplotlib.pyplot as plt

    from sim.reports.grid import line_figure

    rs = _life_set({"strategy.content.creator_posts_per_week": SETTINGS})
    fig = line_figure(rs, _life_rows(rs), "lifespan_days", "t")
    ax = fig.axes[0]
    lines = {ln.get_label(): ln for ln in ax.get_lines()}
    main = lines["median lifespan"]
    assert np.isfinite(main.get_ydata()).all() and list(main.get_xdata()) == SETTINGS  # no gap from 2 to 20
    alive = [ln for label, ln in lines.items() if f"alive beyond day {HORIZON}" in label]
    assert len(alive) == 1 and alive[0].get_marker() == "^"
    assert sorted(alive[0].get_xdata()) == [5, 10] and set(alive[0].get_ydata()) == {HORIZON}
    star = next(ln for label, ln in lines.items() if label.startswith("baseline"))
    assert list(star.get_ydata()) == [HORIZON]  # the baseline is on the plot, not only in the legend
    assert ax.get_ylim()[1] > HORIZON  # the arrows are not cut off
    band = ax.collections[0].get_paths()[0].vertices
    assert np.isfinite(band).all() and band[:, 1].max() == HORIZON  # an open interval reaches the horizon
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any(f"alive beyond day {HORIZON}" in t for t in legend)
    plt.close(fig)


def test_heatmap_colours_lifespans_beyond_the_horizon_as_the_horizon():
    import matplotlib.pyplot as plt

    from sim.reports.grid import heatmap_figure

    rs = _life_set({"strategy.content.creator_posts_per_week": SETTINGS, "strategy.entry.kind": ["open"]})
    fig = heatmap_figure(rs, _life_rows(rs), "lifespan_days", "t")
    cells = np.ma.filled(fig.axes[0].images[0].get_array(), np.nan)
    assert np.isfinite(cells).all() and cells[0, SETTINGS.index(5)] == HORIZON
    texts = [t.get_text().replace("\n", " ") for t in fig.axes[0].texts]
    assert texts.count(f"alive beyond day {HORIZON}") == 2
    plt.close(fig)


def test_a_grid_where_no_money_moves_says_so_instead_of_drawing_empty_axes():
    rs = _life_set({"strategy.content.creator_posts_per_week": SETTINGS})
    rs.metrics = ["total_revenue"]
    rows = [ComparisonRow(a.name, rs.baseline, "total_revenue", "mean", 2, 0.0, 0.0, 0.0) for a in rs.arms]
    (draw, *args), _title = grid_drawings(rs, rows)["grid_total_revenue"]
    fig = draw(*args)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any("no money in this scenario" in t for t in texts)
    assert not any(ax.axison and ax.get_lines() for ax in fig.axes)
