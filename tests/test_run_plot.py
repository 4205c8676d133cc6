"""A run's activity.png (review fixes): no legend covers a curve, and a group where no money
moves shows a sentence instead of an empty Money chart."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np

from sim.run.figure import activity_figure

DAYS = 731


def _series(revenue: float = 0.0) -> dict[str, np.ndarray]:
    """A group like the baseline's: members climb back to their high near the end, no payers."""
    day = np.arange(DAYS)
    rng = np.random.default_rng(0)
    members = 300 + 100 * np.sin(day / 130) ** 2 + 70 * (day > 550) * np.minimum((day - 550) / 100, 1)
    return {"day": day, "active": rng.poisson(1.0, DAYS).astype(float), "content_posts": np.full(DAYS, 1.5),
            "chat_posts": rng.poisson(4, DAYS).astype(float), "ad_posts": rng.poisson(1, DAYS).astype(float),
            "members": members, "quiet": np.clip(day - 80, 0, 160).astype(float), "payers": np.zeros(DAYS),
            "revenue": np.full(DAYS, revenue), "operator_cost": np.zeros(DAYS)}


def _covered(ax) -> int:
    """How many drawn data points of ``ax`` lie under its legend (in pixels)."""
    ax.figure.canvas.draw()
    box = ax.get_legend().get_window_extent()
    points = np.vstack([ax.transData.transform(ln.get_xydata()) for ln in ax.get_lines()])
    return int(box.count_contains(points))


def _panel(fig, title: str):
    return next(ax for ax in fig.axes if ax.get_title() == title)


def test_members_legend_covers_no_curve():
    fig = activity_figure(_series(revenue=5.0), {"censored": True, "lifespan_days": DAYS - 1})
    for title in ("Members", "Daily active members", "Money"):
        assert _covered(_panel(fig, title)) == 0, title
    plt.close(fig)


def test_a_free_group_shows_no_empty_money_chart():
    fig = activity_figure(_series(), {"censored": True, "lifespan_days": DAYS - 1})
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert any("no money in this scenario" in t for t in texts)
    assert "Money" not in [ax.get_title() for ax in fig.axes if ax.axison]  # no 0-0.05 axes
    plt.close(fig)
    paid = activity_figure(_series(revenue=5.0), {})
    assert _panel(paid, "Money").get_lines()  # money that moves is still drawn
    plt.close(paid)
