"""Colours and type shared by every figure: the Okabe-Ito colour-blind-safe palette, the
colours of message kinds and roles, and matplotlib settings for screens and projectors.

A leaf module (it imports nothing from ``sim``), so the run's own figure, the comparison
report, the validation plots and the workshop dashboard all draw in one style.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

# Okabe-Ito colour-blind-safe palette.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
KIND_COLOURS = {"content": "#0072B2", "chat": "#009E73", "ads": "#D55E00"}
ROLE_COLOURS = {"creator": "#000000", "manager": "#D55E00", "participant": "#A0A0A0", "pioneer": "#E69F00",
                "replicator": "#CC79A7", "collaborator": "#009E73", "payer": "#0072B2"}
STYLE = {
    "font.size": 12, "axes.titlesize": 14, "axes.labelsize": 12, "legend.fontsize": 11,
    "xtick.labelsize": 11, "ytick.labelsize": 11, "axes.spines.top": False, "axes.spines.right": False,
    "figure.dpi": 100, "savefig.dpi": 110,
}
