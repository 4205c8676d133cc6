"""A team's preview in room mode: its strategy run once, on the room's community and the seed of
the presenter's first replicate, in a thread of its own, so that a team sees what its levers do
before it submits. A preview is never a submission and never touches the presenter's run.
A room's previews wait their turn in one queue (``PreviewLine``) and run one after another.

No Solara here (tested without a browser); ``room_page`` shows a preview with the dashboard's
curves (``charts``), built from the preview's ``Frame``.
"""

from __future__ import annotations

import queue
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..experiments import replicate_seeds
from ..model import CommunityModel
from ..scenario import Scenario, ScenarioError
from .frames import Frame, RunFrame, new_run_id, run_frame
from .live import Rule, strategy_scenario


@dataclass
class Preview:
    """One team's preview run: the settings and rules it ran, how far it is, and what it gave."""

    settings: dict[str, Any]
    scenario: Scenario
    seed: int
    rules: tuple[Rule, ...] = ()
    run_id: int = field(default_factory=new_run_id)
    day: int = 0
    result: RunFrame | None = None
    error: str = ""
    seconds: float = 0.0
    started: bool = False  # its run has begun (until then it waits in the room's queue)
    done: threading.Event = field(default_factory=threading.Event)

    @property
    def running(self) -> bool:
        return not self.done.is_set()

    def current(self, settings: dict[str, Any], rules: list[Rule] = ()) -> bool:
        """Whether the preview shows these settings and rules (else the page marks it out of date)."""
        return settings == self.settings and tuple(rules) == self.rules

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


class PreviewLine:
    """A room's previews, run one after another in first-come order by one daemon thread. A model
    run is pure Python, so runs side by side only take turns at the interpreter lock, and the
    server's own thread (the pages) gets a smaller share with each: measured on two cores, four
    baseline previews started at once all ended after 4.9-5.5 s side by side, but after 0.8, 1.5,
    2.2 and 2.9 s one after another."""

    def __init__(self) -> None:
        self._jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._worker: threading.Thread | None = None

    def put(self, job: Callable[[], None]) -> None:
        """Queue ``job`` (which must not raise); the worker thread starts on the first one."""
        with self._lock:
            self._jobs.put(job)
            if self._worker is None:
                self._worker = threading.Thread(target=self._work, daemon=True, name="room-previews")
                self._worker.start()

    def _work(self) -> None:
        while True:
            job = self._jobs.get()
            try:
                job()
            except Exception as exc:  # noqa: BLE001 - one bad job must not stop the previews behind it
                print(f"room preview: {type(exc).__name__}: {exc}", file=sys.stderr, flush=True)


def start_preview(base: Scenario, settings: dict[str, Any], room_seed: int, line: PreviewLine,
                  on_change: Callable[[], None] | None = None, rules: list[Rule] = ()) -> Preview:
    """Check the settings and rules (ScenarioError if the schema refuses them), then queue their
    run to the scenario's horizon on ``line``; ``on_change()`` is called when it starts and ends.
    The rules' acts are in the result (``RunFrame.fired``): the curves mark them."""
    scenario = strategy_scenario(base, settings, rules, source="preview")
    preview = Preview(dict(settings), scenario, preview_seed(room_seed), tuple(rules))

    def work() -> None:
        preview.started = True
        if on_change is not None:
            on_change()
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
            if on_change is not None:
                on_change()

    line.put(work)
    return preview
