"""Room mode (``community-sim app --room``): teams, each at its own browser, name themselves and
submit a strategy (lever settings, the dashboard's ``LEVERS``) for the same community and seed;
the presenter runs every team's strategy, plus the base as shipped, as one experiment (paired
replicates, ``run_experiment``) and ranks the teams on a chosen metric with 95% intervals read
from the experiment's comparison.csv (``leaderboard``).

``Room`` is the one in-process state every page shares (thread-safe: a lock); this module has no
Solara in it and is tested without a browser (``room_page`` is the pages; ``prepare`` readies
the server for them: the base scenario and the presenter's key).
"""

from __future__ import annotations

import os
import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..plural import count
from ..experiments import Experiment, ExperimentOutcome, experiment_from_data, run_experiment
from ..run.files import utc_now, utc_stamp
from ..run.output import OutputExists, OutputFailed
from ..scenario import Scenario, ScenarioError, load_scenario
from .leaderboard import METRICS, LeaderRow, leaderboard, live_leaderboard, shown_value  # noqa: F401 (the room's API)
from .levers import overrides_between, settings_of
from .live import Rule, checked_rule, strategy_scenario
from .presenter_figure import presenter_png
from .preview import Preview, PreviewLine, start_preview

TEAM_NAME = re.compile(r"^[A-Za-z0-9._-](?:[A-Za-z0-9._ -]{0,38}[A-Za-z0-9._-])?$")
TEAM_NAME_ALLOWED = "1-40 letters, digits, spaces, '.', '-' or '_', not starting or ending with a space"
ENV_ROOM_SCENARIO = "COMMUNITY_SIM_ROOM_SCENARIO"
ENV_ROOM_KEY = "COMMUNITY_SIM_ROOM_KEY"
ENV_ROOM_RESULTS = "COMMUNITY_SIM_ROOM_RESULTS"
ENV_ROOM_JOBS = "COMMUNITY_SIM_ROOM_JOBS"  # worker processes for a run (default: every core)
BASELINE_ARM = "as shipped"
DEFAULT_REPLICATES = 8
MAX_REPLICATES = 100
MAX_TEAMS = 60


class RoomError(ValueError):
    """A team's name or strategy was refused; the message says what was given and what is allowed."""


def _said(exc: ScenarioError) -> str:
    """What the schema refused, in one line: 'field: message'."""
    return f"{exc.path + ': ' if exc.path else ''}{exc.message}"


def check_team_name(name: Any) -> str:
    """The team name if it is one (see ``TEAM_NAME_ALLOWED``); else a one-line ``RoomError``."""
    if not isinstance(name, str) or not TEAM_NAME.match(name):
        shown = repr(name) if not isinstance(name, str) or len(name) <= 50 else repr(name[:40] + "...")
        raise RoomError(f"team name {shown}: allowed {TEAM_NAME_ALLOWED}")
    if name.casefold() == BASELINE_ARM.casefold():
        raise RoomError(f"team name {name!r}: '{BASELINE_ARM}' names the base strategy; choose another name")
    return name


@dataclass
class Team:
    """A team's submitted strategy: overrides of the room's base scenario (its rules among them,
    as ``strategy.triggers``)."""

    name: str
    owner: str  # the browser that submitted it (a page's random key)
    overrides: dict[str, Any]
    submitted_utc: str
    times: int = 1  # how often it has submitted
    rules: list[Rule] = field(default_factory=list)  # the operator's rules it adopted (from day 0)

    def summary(self) -> str:
        """'2 settings changed from the base and 1 rule'."""
        levers = sum(1 for p in self.overrides if p != "strategy.triggers")
        rules = f" and {count(len(self.rules), 'rule')}" if self.rules else ""
        return f"{count(levers, 'setting')} changed from the base{rules}"


@dataclass
class RoomRun:
    """The presenter's run: where it writes, how far it is, and how it ended."""

    folder: Path
    total: int
    started: float = field(default_factory=time.monotonic)
    finished: float | None = None
    outcome: ExperimentOutcome | None = None
    error: str = ""
    _live: tuple = ((-1, ""), [])  # (runs done, metric) -> the provisional leaderboard
    _figure: bytes | None = None  # the presenter's figure, drawn once the run has finished

    def done(self) -> int:
        """Runs finished so far (complete run folders; temporaries start with a dot)."""
        if self.outcome is not None:
            return self.outcome.ok + self.outcome.skipped
        runs = self.folder / "runs"
        try:
            return sum(1 for p in runs.iterdir() if not p.name.startswith("."))
        except OSError:
            return 0

    @property
    def running(self) -> bool:
        return self.finished is None

    def board(self, metric: str) -> tuple[list[LeaderRow], bool]:
        """(leaderboard, final?): from comparison.csv once finished, else over the runs done so
        far (recomputed only when another run has finished)."""
        if not self.running and not self.error and (self.folder / "comparison.csv").is_file():
            return leaderboard(self.folder, metric), True
        key = (self.done(), metric)
        if self._live[0] != key:
            self._live = (key, live_leaderboard(self.folder, metric) if key[0] else [])
        return self._live[1], False

    def figure_png(self) -> bytes | None:
        """The presenter's figure of the finished run (``presenter_figure``; drawn once), or
        None while it runs or if its files cannot be read."""
        if self._figure is None and not self.running and not self.error:
            try:
                self._figure = presenter_png(self.folder)
            except (OSError, ValueError):
                return None
        return self._figure

    def progress_text(self) -> str:
        """'12/40 runs done, elapsed 30 s, ETA 70 s' (or how it ended)."""
        if self.error:
            return f"Stopped: {self.error}"
        done = self.done()
        elapsed = (self.finished or time.monotonic()) - self.started
        if not self.running:
            failed = len(self.outcome.failed) if self.outcome else 0
            return (f"Finished {done}/{count(self.total, 'run')} in {elapsed:.0f} s"
                    + (f", {failed} failed" if failed else ""))
        if done >= self.total:
            return f"{done}/{count(self.total, 'run')} done; writing the tables and figures"
        eta = f", ETA {elapsed / done * (self.total - done):.0f} s" if done else ""
        return f"{done}/{count(self.total, 'run')} done, elapsed {elapsed:.0f} s{eta}"


class Room:
    """The room's shared state: the base scenario and seed, the teams' strategies and the
    presenter's run. Every page calls in from its own thread, so every method takes the lock;
    ``serial`` grows on every change, so pages know when to redraw."""

    def __init__(self, base_path: str | Path, seed: int | None = None, results_root: str | Path = "results"):
        self.lock = threading.RLock()
        self.base_path = Path(base_path).resolve()
        self.base = load_scenario(self.base_path)
        self.seed = int(self.base.seed if seed is None else seed)
        self.results_root = Path(results_root)
        self.teams: dict[str, Team] = {}
        self.run: RoomRun | None = None
        self.previews: dict[str, Preview] = {}  # each browser's latest preview (never on the leaderboard)
        self.preview_line = PreviewLine()  # previews run one after another (see PreviewLine)
        self.serial = 0

    def default_settings(self) -> dict[str, Any]:
        """The lever values of the base scenario: where every team starts."""
        return settings_of(self.base)

    def check_rule(self, when: dict[str, Any], do: dict[str, Any], cooldown_days: int) -> Rule:
        """An operator's rule for a team's strategy, from day 0 (``live.checked_rule``: the
        dashboard's one check); a one-line ``RoomError`` if the schema refuses it."""
        try:
            return checked_rule(when, do, cooldown_days, day=0)
        except ScenarioError as exc:
            raise RoomError(_said(exc)) from None

    def strategy(self, settings: dict[str, Any], rules: list[Rule], what: str) -> Scenario:
        """The base with a team's levers and rules (each rule checked again), as a Scenario;
        a one-line ``RoomError`` naming ``what`` (the team, a preview) if refused."""
        try:
            rules = [checked_rule(r.when, r.do, r.cooldown_days, r.day) for r in rules]
            return strategy_scenario(self.base, settings, rules, source=what)
        except ScenarioError as exc:
            raise RoomError(f"{what}: {_said(exc)}") from None

    def submit(self, name: str, settings: dict[str, Any], owner: str, rules: list[Rule] = ()) -> str:
        """Record (or replace) a team's strategy (levers and rules); returns what happened in one
        line. A name another browser holds is refused, as is what the scenario schema refuses."""
        name = check_team_name(name)
        overrides = overrides_between(self.base, self.strategy(settings, rules, f"team {name!r}"))
        with self.lock:
            holder = next((t for t in self.teams.values() if t.name.casefold() == name.casefold()), None)
            if holder is not None and holder.owner != owner:
                raise RoomError(f"team name {name!r} is taken by another browser; choose another name")
            if len(self.teams) >= MAX_TEAMS and holder is None:
                raise RoomError(f"the room is full ({MAX_TEAMS} teams)")
            renamed = [t.name for t in self.teams.values() if t.owner == owner and t is not holder]
            for old in renamed:  # one team per browser: a new name renames it
                del self.teams[old]
            times = holder.times + 1 if holder is not None else 1
            if holder is not None:
                del self.teams[holder.name]
            team = self.teams[name] = Team(name, owner, overrides, utc_now(), times, list(rules))
            self.serial += 1
        changed = team.summary()
        if holder is not None:
            return f"Team {name!r}: your new strategy replaces the one you submitted before ({changed})."
        if renamed:
            return f"Team {renamed[0]!r} is now {name!r} ({changed})."
        return f"Team {name!r} submitted ({changed})."

    def preview(self, owner: str, settings: dict[str, Any], rules: list[Rule] = ()) -> Preview:
        """Queue a run of this browser's settings and rules (``preview.start_preview``), replacing
        its last preview; refused while that one is still queued or running (a team cannot pile
        up runs)."""
        with self.lock:
            last = self.previews.get(owner)
            if last is not None and last.running:
                where = f"day {last.day}" if last.started else "waiting its turn"
                raise RoomError(f"preview: your last preview is still running ({where}); wait for it")
            self.strategy(settings, rules, "preview")  # refused here in the room's words
            preview = start_preview(self.base, settings, self.seed, self.preview_line, self._changed, rules)
            self.previews[owner] = preview
            self.serial += 1
        return preview

    def previews_ahead(self, preview: Preview) -> int:
        """How many other teams' previews run or wait before this one (the queue is first come)."""
        with self.lock:
            return sum(1 for p in self.previews.values() if p.running and p.run_id < preview.run_id)

    def _changed(self) -> None:
        with self.lock:
            self.serial += 1

    def team_of(self, owner: str) -> Team | None:
        """The team this browser submitted, if any."""
        with self.lock:
            return next((t for t in self.teams.values() if t.owner == owner), None)

    def remove(self, name: str) -> None:
        """Take a team out of the room (the presenter's button)."""
        with self.lock:
            if self.teams.pop(name, None) is not None:
                self.serial += 1

    # ------------------------------------------------------------ the experiment
    def experiment_data(self, replicates: int = DEFAULT_REPLICATES) -> dict[str, Any]:
        """The room as an experiment file's contents: the base as shipped (the baseline) and one
        arm per team, in the order they first submitted, on the room's seed."""
        with self.lock:
            teams = list(self.teams.values())
        arms = [{"name": BASELINE_ARM, "description": "the base scenario as shipped", "overrides": {}}]
        arms += [{"name": t.name, "description": f"team {t.name}, submitted {t.submitted_utc}",
                  "overrides": dict(t.overrides)} for t in teams]
        return {"name": f"room-{re.sub(r'[^A-Za-z0-9._-]+', '-', self.base.name)}",
                "description": f"Workshop room on {self.base.name}: one arm per team",
                "base": str(self.base_path), "replicates": int(replicates), "seed": self.seed,
                "baseline_arm": BASELINE_ARM, "metrics": list(METRICS), "arms": arms}

    def experiment_yaml(self, replicates: int = DEFAULT_REPLICATES) -> str:
        """The room's experiment file (``community-sim experiment FILE`` runs it)."""
        head = "# Saved from community-sim app --room: the base as shipped and one arm per team.\n"
        return head + yaml.safe_dump(self.experiment_data(replicates), sort_keys=False, allow_unicode=True)

    def experiment(self, replicates: int = DEFAULT_REPLICATES) -> Experiment:
        """The room's experiment, validated exactly as its file would be."""
        if not 1 <= int(replicates) <= MAX_REPLICATES:
            raise RoomError(f"replicates: given {replicates}, allowed an integer from 1 to {MAX_REPLICATES}")
        source = self.base_path.parent / "room.yaml"  # (never written: names the room in errors)
        try:
            return experiment_from_data(self.experiment_data(replicates), source)
        except ScenarioError as exc:
            raise RoomError(str(exc)) from None

    def new_folder(self) -> Path:
        """results/room/<UTC stamp>, never one that exists (a suffix if two start in a second)."""
        root = self.results_root / "room"
        stamp = utc_stamp()
        folder, i = root / stamp, 2
        while folder.exists():
            folder, i = root / f"{stamp}-{i}", i + 1
        return folder

    def start(self, replicates: int = DEFAULT_REPLICATES, jobs: int | None = None,
              log: Callable[[str], None] | None = None, progress_stream: Any = None) -> RoomRun:
        """Run all teams' strategies in a worker thread into a new results/room/<stamp>;
        refused while a run is going or when no team has submitted."""
        with self.lock:
            if self.run is not None and self.run.running:
                raise RoomError("a run is already going; wait for it to finish")
            if not self.teams:
                raise RoomError("no team has submitted a strategy yet")
            exp = self.experiment(replicates)
            run = RoomRun(self.new_folder(), len(exp.arms) * exp.replicates)
            self.run = run
            self.serial += 1
        kwargs = {"log": log} if log is not None else {}
        threading.Thread(target=self._work, args=(run, exp, jobs, kwargs, progress_stream), daemon=True,
                         name="room-run").start()
        return run

    def _work(self, run: RoomRun, exp: Experiment, jobs: int | None, kwargs: dict, stream: Any) -> None:
        try:
            run.outcome = run_experiment(exp, out=run.folder, jobs=jobs, progress_stream=stream, **kwargs)
            if run.outcome.interrupted:
                run.error = run.outcome.interrupted
        except (OutputExists, OutputFailed, ScenarioError, OSError) as exc:
            run.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - the page must say it stopped, not hang
            run.error = f"{type(exc).__name__}: {exc}"
        finally:
            with self.lock:
                run.finished = time.monotonic()
                self.serial += 1

    def wait(self, timeout: float | None = None) -> RoomRun | None:
        """Block until the current run ends (for scripts and tests)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while self.run is not None and self.run.running:
            if deadline is not None and time.monotonic() > deadline:
                break
            time.sleep(0.1)
        return self.run



def presenter_key() -> str:
    """The key the presenter's page asks for (made once per server, printed in the terminal)."""
    key = os.environ.get(ENV_ROOM_KEY)
    if not key:
        key = os.environ[ENV_ROOM_KEY] = secrets.token_urlsafe(9)
    return key


def prepare(scenario: str | None, url: str) -> str:
    """Ready the room for ``serve``: the base scenario and the presenter's key, the presenter's
    address printed; returns the app for Solara to run."""
    if scenario:
        os.environ[ENV_ROOM_SCENARIO] = str(Path(scenario).resolve())
    print(f"Room mode: teams open {url} ; the presenter opens {url}presenter?key={presenter_key()} "
          "(keep this address to yourself). Teams on other machines: start with --host 0.0.0.0 and "
          "give them this machine's LAN address in place of 127.0.0.1", flush=True)
    return "sim.workshop.room_page"
