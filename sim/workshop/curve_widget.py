"""The dashboard's curves drawn by the browser: a small Vue widget (``curve.vue``, SVG) fed
incrementally. The chart's words and legend travel as a trait; the values as messages, the
lines whole only when they are new (a reset, a replay, strategy A switched on) and otherwise
only the days added since the last frame. A view that appears later asks for them whole.

No chart library: the page must work in a room with no internet (Solara's ECharts and Plotly
components load their scripts from a CDN), and three line charts need no more than this.
"""

from __future__ import annotations

import threading

import ipyvuetify
import numpy as np
import solara
import traitlets

from .charts import Chart


def _numbers(values: np.ndarray) -> list[float]:
    """JSON numbers with two decimals: the screen shows no more, and the messages stay small."""
    return np.round(np.asarray(values, dtype=float), 2).tolist()


class CurveFeed:
    """What the browser has of one chart, and the message that brings it up to date."""

    def __init__(self) -> None:
        self.identity: tuple | None = None
        self.values: list[np.ndarray] = []

    def update(self, chart: Chart) -> dict | None:
        """The message for ``chart``: "reset" with every line whole if its lines are new (or
        shorter than what was sent), "extend" with the new days only, or None if nothing is new."""
        values = [ln.values for ln in chart.lines]
        sent = [len(v) for v in self.values]
        if chart.identity() != self.identity or any(len(v) < n for v, n in zip(values, sent)):
            self.identity, self.values = chart.identity(), values
            return self.whole()
        self.values = values
        if all(len(v) == n for v, n in zip(values, sent)):
            return None
        return {"method": "extend", "args": [sent, [_numbers(v[n:]) for v, n in zip(values, sent)]]}

    def whole(self) -> dict:
        return {"method": "reset", "args": [[_numbers(v) for v in self.values]]}


class CurveWidget(ipyvuetify.VuetifyTemplate):
    template_file = (__file__, "curve.vue")
    chart = traitlets.Dict({}).tag(sync=True)

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.feed = CurveFeed()
        self._lock = threading.Lock()  # the play loop's renders and the browser's requests

    def show(self, chart: Chart) -> None:
        with self._lock:
            layout = chart.layout()
            if layout != self.chart:
                self.chart = layout
            message = self.feed.update(chart)
            if message is not None:
                self.send(message)

    def vue_resync(self, _data=None) -> None:
        """A view was (re)created: send it every line whole."""
        with self._lock:
            self.send(self.feed.whole())


@solara.component
def Curve(chart: Chart):
    """One curve on the page, kept up to date from each render's chart."""
    element = CurveWidget.element()

    def push():
        solara.get_widget(element).show(chart)

    solara.use_effect(push, None)  # every render: the feed sends only what is new
    return element
