"""What the dashboard draws, as snapshots: a run's curves so far (``RunFrame``), its network
(``NetSnapshot``) and the page's view of one day (``Frame``), built from a model's public
interface (``run_frame``). Shared by the dashboard's session and room mode's previews."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import numpy as np

from ..model import CommunityModel
from ..run.metrics import lifespan
from ..scenario import ROLES, Scenario
from .live import action_words

CURVE_COLUMNS = ("day", "members", "active", "quiet", "content_posts", "chat_posts", "ad_posts",
                 "revenue", "payers") + tuple(f"role_{r}" for r in ROLES)


@dataclass
class NetSnapshot:
    ids: np.ndarray
    xy: np.ndarray
    role: np.ndarray
    commitment: np.ndarray
    edges: np.ndarray
    spammer: np.ndarray


@dataclass
class RunFrame:
    label: str
    scenario: Scenario
    ts: dict[str, np.ndarray]
    net: NetSnapshot | None
    lifespan: int
    dead: bool
    run_id: int = 0  # which run: a new one (reset, replay, reload) is redrawn whole
    fired: tuple[tuple[int, str], ...] = ()  # (day, 'rule N: what it did') each time a rule (trigger) acted


@dataclass
class Frame:
    """What the page draws: an immutable snapshot of the runs on one day."""

    day: int
    horizon: int
    runs: dict[str, RunFrame]
    compare: bool
    serial: int
    a_label: str = ""
    marks: tuple[tuple[int, str], ...] = ()  # (day, what) of the levers moved during B's run


_RUN_IDS = itertools.count(1)


def run_frame(model: CommunityModel, run_id: int, net: NetSnapshot | None = None, label: str = "B") -> RunFrame:
    """What the curves need of a model as it stands: its curves' columns so far, whether (and
    from when) the group is dead, and when its rules acted."""
    ts_all = model.timeseries()
    ts = {c: ts_all[c] for c in CURVE_COLUMNS if c in ts_all}
    if len(ts["day"]):
        life, censored = lifespan(ts["active"], ts["members"])
        dead = not censored
    else:
        life, dead = 0, False
    triggers = model.interventions.triggers
    fired = tuple((e["day"], fired_words(int(m.group(1)), triggers[int(m.group(1))].do))
                  for e in model.interventions.log if (m := re.match(r"trigger (\d+):", e["why"])))
    return RunFrame(label, model.scenario, ts, net, int(life), dead, run_id, fired)


def rule_name(index: int) -> str:
    """A run's rule as the curves and the lines above them name it: 'rule 1' is its first trigger
    (the scenario's own first, then the room's in the order adopted)."""
    return f"rule {index + 1}"


def fired_words(index: int, do: dict) -> str:
    """What a rule did, in words: 'rule 2: clean up members who do not fit (judged by their posts)'."""
    return f"{rule_name(index)}: {action_words(do)}"


def new_run_id() -> int:
    """A number no other run of this process has: charts redraw a new run whole."""
    return next(_RUN_IDS)
