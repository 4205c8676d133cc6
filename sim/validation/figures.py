"""Figures of `community-sim check-model`: lifespans of the case groups, the content-cadence
curve and the marketing-versus-word-of-mouth curves, from what each check recorded."""

from __future__ import annotations

from typing import Mapping

from ..style import PALETTE, STYLE  # first: it sets the Agg backend

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def validation_figures(figures: Mapping[str, Mapping]) -> dict:
    """Figures for `community-sim check-model`, from the figures each check recorded
    (keyed by check name). Returns file stem -> matplotlib Figure."""
    out = {}
    with plt.rc_context(STYLE):
        bimodal = next((f for f in figures.values() if "lifespans" in f), None)
        if bimodal:
            fig, ax = plt.subplots(figsize=(10, 5.5), constrained_layout=True)
            ax.hist(bimodal["lifespans"], bins=np.arange(0, max(bimodal["lifespans"]) + 61, 60), color=PALETTE[0])
            ax.set_xlabel("lifespan, days (censored groups at their horizon)")
            ax.set_ylabel("groups (case replicates)")
            ax.set_title("Group lifespans split into short-lived and long-lived")
            out["lifespans"] = fig
        cadence = next((f for f in figures.values() if "cadence" in f), None)
        if cadence:
            fig, ax = plt.subplots(figsize=(10, 5.5), constrained_layout=True)
            ax.plot(cadence["cadence"], cadence["mean_active"], "o-", color=PALETTE[0], lw=2.5, label="mean active members a day")
            ax.set_xscale("log")
            ax.set_xlabel("creator's quality posts per week (log scale)")
            ax.set_ylabel("mean active members a day")
            ax2 = ax.twinx()
            ax2.plot(cadence["cadence"], cadence["left"], "s--", color=PALETTE[3], lw=2, label="members who left")
            ax2.set_ylabel("members who left over the run")
            fig.legend(loc="upper left", bbox_to_anchor=(0.08, 0.95), frameon=False)
            ax.set_title("More content helps up to a point; past it, overload drives people out")
            out["cadence"] = fig
        smooth = next((f for f in figures.values() if "smooth_cadence" in f), None)
        if smooth:
            fig, ax = plt.subplots(figsize=(10, 5.5), constrained_layout=True)
            ax.plot(smooth["smooth_cadence"], smooth["median_lifespan"], "o-", color=PALETTE[0], lw=2.5)
            ax.set_xlabel("creator's quality posts per week")
            ax.set_ylabel("median lifespan, days (censored at the horizon)")
            ax.set_ylim(bottom=0)
            ax.set_title("Lifespan against content cadence: no knife edges")
            out["smoothness"] = fig
        marketing = next((f for f in figures.values() if "campaign" in f), None)
        if marketing:
            fig, ax = plt.subplots(figsize=(10, 5.5), constrained_layout=True)
            ax.plot(marketing["campaign"], color=PALETTE[1], lw=2.5, label="bulk campaign, days 0-90 only")
            ax.plot(marketing["referral"], color=PALETTE[2], lw=2.5, label="word of mouth (referrals)")
            ax.axvspan(0, 90, color=PALETTE[1], alpha=0.12)
            ax.set_xlabel("day")
            ax.set_ylabel("members (median over replicates)")
            ax.set_title("Marketing-driven growth fades when the campaign stops")
            ax.legend(frameon=False)
            out["marketing"] = fig
    return out
