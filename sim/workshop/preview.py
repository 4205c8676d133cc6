"""A team's preview in room mode: its strategy run once, on the room's community and the seed of
the presenter's first replicate, in a thread of its own, so that a team sees what its levers do
before it submits. A preview is never a submission and never touches the presenter's run.

No Solara here (tested without a browser); ``room_page`` shows a preview with the dashboard's
curves (``charts``), built from the preview's ``Frame``.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

from ..experiments import replicate_seeds
from ..model import CommunityModel
from ..scenario import Scenario, ScenarioError
from .levers import apply_settings
from .frames import Frame, RunFrame, new_run_id, run_frame


@dataclass
class Preview:
    """One team's preview run: the settings it ran, how far it is, and what it gave."""

    settings: dict[str, Any]
    scenario: Scenario
    seed: int
    run_id: int = field(default_factory=new_run_id)
    day: int = 0
    result: RunFrame | None = None
    error: str = ""
    seconds: float = 0.0
    done: threading.Event = field(default_factory=threading.Event)

    @property
    def running(self) -> bool:
        return not self.done.is_set()

    def current(self, settings: dict[str, Any]) -> bool:
        """Whether the preview shows these settings (else the page marks it out of date)."""
        return settings == self.settings

    def frame(self) -> Frame | None:
        """The finished preview as the dashboard's curves read it."""
        if self.result is None:
            return None
        return Frame(int(self.result.ts["day"][-1]) + 1 if len(self.result.ts["day"]) else 0,
                     self.scenario.days, {"B": self.result}, False, self.run_id)

    def headline(self) -> list[tuple[str, str]]:
        """(label, value) for the figures under the curves: members at the end, alive or dead."""
        rf = self.result
        if rf is None or not len(rf.ts["day"]):
            return []
        fate = f"dead from day {rf.lifespan}" if rf.dead else f"alive on day {self.scenario.days}"
        out = [("members at the end", f"{int(rf.ts['members'][-1]):,}"), ("the group", fate)]
        if float(rf.ts["revenue"].sum()) > 0:
            out.append(("revenue (yuan)", f"{float(rf.ts['revenue'].sum()):,.0f}"))
        return out


def preview_seed(room_seed: int) -> int:
    """The seed of the presenter's first replicate: the preview is that run."""
    return replicate_seeds(room_seed, 1)[0]


def start_preview(base: Scenario, settings: dict[str, Any], room_seed: int,
                  on_done: Any = None) -> Preview:
    """Check the settings (ScenarioError if the schema refuses them), then run them to the
    scenario's horizon in a daemon thread; ``on_done()`` is called when it ends."""
    scenario = apply_settings(base, settings, source="preview")
    preview = Preview(dict(settings), scenario, preview_seed(room_seed))

    def work() -> None:
        t0 = time.perf_counter()
        try:
            model = CommunityModel(scenario, rng=preview.seed)
            while model.day < model.horizon:
                model.step()
                preview.day = int(model.day)
            preview.result = run_frame(model, preview.run_id)
        except Exception as exc:  # noqa: BLE001 - the team's page must say it stopped, not break
            preview.error = str(exc) if isinstance(exc, ScenarioError) else f"{type(exc).__name__}: {exc}"
        finally:
            preview.seconds = time.perf_counter() - t0
            preview.done.set()
            if on_done is not None:
                on_done()

    threading.Thread(target=work, daemon=True, name="room-preview").start()
    return preview
