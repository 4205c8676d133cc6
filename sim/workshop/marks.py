"""Where the labels of the marks on a curve go: each in a row at the top of the plot, on the
side of its line where it fits, never past the plot's edge and never over another label of its
row. Placed for the narrowest plot the browser draws (``MIN_PLOT_PX``): a label's width is
fixed in pixels while the days spread out on a wider plot, so a label that fits there fits on
any wider one (both the edges and the gaps between lines grow with the width)."""

from __future__ import annotations

import dataclasses
from typing import Any

MARK_FONT_PX = 13  # the labels' size on screen
CHAR_EM = 0.64  # a character's width in DejaVu Sans, at most about (digits 0.64 em, lower case less)
GAP_PX = 4  # between a mark's line and its label
MIN_PLOT_PX = 300  # the browser draws no narrower plot (a narrower page scales the chart down whole)
MARK_ROWS = 4  # label rows under the plot's top edge
MARK_LABEL_CHARS = 20  # a label's most characters: 'day 120: 2 changes', 'B: dead from day 75'


def label_extent(mark: dict[str, Any], horizon: int, plot_px: float) -> tuple[float, float]:
    """(left, right) pixels of a mark's label from the plot's left edge, on a plot ``plot_px``
    wide: ``mark`` holds its day, label and side, as the chart's layout sends them."""
    x = plot_px * mark["day"] / max(1, horizon)
    width = len(mark["label"]) * CHAR_EM * MARK_FONT_PX
    if mark["side"] == "left":
        return x - GAP_PX - width, x - GAP_PX
    return x + GAP_PX, x + GAP_PX + width


def _fits(extent: tuple[float, float], taken: list[tuple[float, float]]) -> bool:
    left, right = extent
    return 0 <= left and right <= MIN_PLOT_PX and all(right <= a or b <= left for a, b in taken)


def placed(marks: list, horizon: int) -> tuple:
    """``marks`` (``charts.Mark``) with each label given a row and a side where it fits, in the
    order given (the first have the first pick); a label that fits nowhere is left off the plot
    (its words stay in the mark's ``detail``, the tooltip)."""
    rows: list[list[tuple[float, float]]] = [[] for _ in range(MARK_ROWS)]
    out = []
    for m in marks:
        spot = None
        if m.label:
            for row in range(MARK_ROWS):
                for side in ("right", "left"):
                    extent = label_extent({"day": m.day, "label": m.label, "side": side}, horizon, MIN_PLOT_PX)
                    if spot is None and _fits(extent, rows[row]):
                        spot = (row, side, extent)
        if spot is None:
            out.append(dataclasses.replace(m, label="", detail=m.detail or m.label))
            continue
        row, side, extent = spot
        rows[row].append(extent)
        out.append(dataclasses.replace(m, side=side, row=row, detail=m.detail or m.label))
    return tuple(out)
