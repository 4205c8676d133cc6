"""Workshop mode, the logic behind the browser dashboard (``sim/app.py``), with no UI code.

- ``LEVERS``: the operator's levers a room can move, each a dotted path into the scenario with a
  label, a unit and a slider range.
- ``Workshop``: one dashboard session. It holds the loaded scenario, the lever settings, one run
  (or two, side by side on the same seed), steps them day by day and hands out ``Frame``
  snapshots that the page draws.
- ``save_arm``: writes the current settings as an arm of an experiment file that
  ``community-sim experiment FILE`` runs (atomic write, validated with ``Scenario.with_overrides``).
- Figures for a projector: big fonts, the Okabe-Ito palette of ``sim.plots``, titles that state
  what the curve shows now.

The model is used only through its public interface: ``CommunityModel(scenario, rng=seed)``,
``.step()``, ``.day``, ``.horizon``, ``.scenario``, ``.timeseries()``, ``.network`` and the member
agents (``.member(id)``: ``.role``, ``.commitment``, ``.is_spammer``).
"""

from __future__ import annotations

import io
import math
import os
import re
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from .metrics import lifespan, moving_mean
from .model import CommunityModel
from .plots import KIND_COLOURS, PALETTE
from .scenario import CLEANUP_RULES, ENTRY_KINDS, ROLES, Scenario, ScenarioError, load_scenario

# ---------------------------------------------------------------------------------------------
# Levers
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Lever:
    """One control on the dashboard: a dotted path into the scenario and how to show it."""

    path: str
    label: str
    group: str
    kind: str  # "int", "float" or "choice"
    lo: float = 0
    hi: float = 1
    step: float = 1
    unit: str = ""
    choices: tuple = ()
    help: str = ""

    def coerce(self, value: Any) -> Any:
        """The value as the scenario wants it (slider floats rounded to the step)."""
        if self.kind == "choice":
            return str(value)
        if self.kind == "int":
            return int(round(float(value)))
        decimals = max(0, -int(math.floor(math.log10(self.step)))) if self.step < 1 else 0
        return round(float(value), decimals + 2)

    def bounds(self, value: Any = None) -> tuple[float, float]:
        """Slider range, widened to hold ``value`` if a scenario sets it outside the usual range."""
        lo, hi = self.lo, self.hi
        if value is not None and self.kind != "choice":
            lo, hi = min(lo, value), max(hi, value)
        return lo, hi


ENTRY_LABELS = {"open": "open (anyone joins)", "invite": "invite only", "fee": "entry fee",
                "screening": "screening (value fit)"}
CLEANUP_LABELS = {"inactive": "members inactive for a while", "bottom_share": "the least active share",
                  "ad_posters": "members who posted ads"}

LEVERS: tuple[Lever, ...] = (
    Lever("community.initial_members", "Founding members", "Community", "int", 10, 1000, 10, "members",
          help="Size of the group on day 0, creator and managers included"),
    Lever("strategy.entry.kind", "Entry threshold", "Entry", "choice", choices=ENTRY_KINDS,
          help="Who gets in (C5)"),
    Lever("strategy.entry.level", "Entry level", "Entry", "float", 0, 500, 1, "",
          help="fee: yuan; screening: minimum value fit; invite: minimum inviter commitment"),
    Lever("strategy.entry.size_cap", "Size cap", "Entry", "int", 0, 2000, 10, "members (0 = no cap)"),
    Lever("strategy.rewards.every_days", "Reward top posters every", "Rewards", "int", 0, 90, 1, "days (0 = off)",
          help="C6"),
    Lever("strategy.rewards.top_k", "Posters rewarded each time", "Rewards", "int", 1, 20, 1, "posters"),
    Lever("strategy.rewards.size", "Reward size", "Rewards", "float", 0, 5, 0.5, "days of full recognition"),
    Lever("strategy.perks.every_days", "Perk for everyone every", "Perks", "int", 0, 90, 1, "days (0 = off)",
          help="C7"),
    Lever("strategy.perks.value_yuan", "Perk value", "Perks", "float", 0, 50, 1, "yuan per member"),
    Lever("strategy.cleanup.every_days", "Clean up every", "Cleanup", "int", 0, 180, 5, "days (0 = off)",
          help="C8"),
    Lever("strategy.cleanup.rule", "Cleanup removes", "Cleanup", "choice", choices=CLEANUP_RULES),
    Lever("strategy.cleanup.inactive_days", "Inactive for", "Cleanup", "int", 7, 180, 1, "days"),
    Lever("strategy.cleanup.bottom_share", "Least active share removed", "Cleanup", "float", 0, 0.5, 0.05, "of members"),
    Lever("strategy.content.creator_posts_per_week", "Creator posts", "Content", "float", 0, 21, 1, "per week",
          help="C10"),
    Lever("strategy.content.manager_posts_per_week", "Each manager posts", "Content", "float", 0, 14, 1, "per week"),
    Lever("strategy.content.quality", "Content quality", "Content", "float", 0, 1, 0.05, "0-1"),
    Lever("community.managers", "Managers", "Moderation", "int", 0, 10, 1, "members"),
    Lever("strategy.moderation", "Ads removed by managers", "Moderation", "float", 0, 1, 0.05, "share, 0-1",
          help="C9"),
    Lever("strategy.selling.hard_selling", "Hard selling", "Selling", "float", 0, 1, 0.05, "0-1", help="C15"),
)
LEVER = {lv.path: lv for lv in LEVERS}
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(lv.group for lv in LEVERS))

# A sensible level when the entry kind changes (fee in yuan, the others 0-1).
ENTRY_LEVEL_DEFAULT = {"open": 0.0, "invite": 0.5, "fee": 99.0, "screening": 0.5}


def entry_level_lever(kind: str) -> Lever:
    """The entry-level slider, whose meaning and range follow the entry kind."""
    if kind == "fee":
        return Lever("strategy.entry.level", "Entry fee", "Entry", "float", 0, 500, 1, "yuan per member")
    if kind == "screening":
        return Lever("strategy.entry.level", "Minimum value fit", "Entry", "float", 0, 1, 0.05, "0-1")
    if kind == "invite":
        return Lever("strategy.entry.level", "Minimum inviter commitment", "Entry", "float", 0, 1, 0.05, "0-1")
    return Lever("strategy.entry.level", "Entry level", "Entry", "float", 0, 1, 0.05, "unused when open")


def lever_visible(lever: Lever, settings: dict[str, Any]) -> bool:
    """Levers that mean nothing under the current settings are hidden."""
    if lever.path == "strategy.entry.level":
        return settings.get("strategy.entry.kind") != "open"
    if lever.path == "strategy.cleanup.inactive_days":
        return settings.get("strategy.cleanup.rule") == "inactive"
    if lever.path == "strategy.cleanup.bottom_share":
        return settings.get("strategy.cleanup.rule") == "bottom_share"
    return True


def get_path(data: Any, dotted: str) -> Any:
    """``a.b.c`` of a Scenario (attributes) or of nested dicts."""
    node = data
    for part in dotted.split("."):
        node = node[part] if isinstance(node, dict) else getattr(node, part)
    return node


def settings_of(scenario: Scenario) -> dict[str, Any]:
    """The lever values of a scenario."""
    return {lv.path: get_path(scenario, lv.path) for lv in LEVERS}


def apply_settings(base: Scenario, settings: dict[str, Any], source: str = "dashboard settings") -> Scenario:
    """``base`` with the lever settings applied and validated (raises ScenarioError)."""
    return base.with_overrides(dict(settings), source=source)


# Fields an arm never overrides: the experiment names itself, sets the seeds and one horizon for
# every arm (so that the arms' curves pair day by day).
NOT_OVERRIDDEN = ("name", "description", "seed", "days")


def _leaves(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for k, v in data.items():
            out.update(_leaves(v, f"{prefix}{k}."))
        return out
    return {prefix[:-1]: data}


def _plain(value: Any) -> Any:
    """YAML-friendly plain value (floats rounded so sliders do not leave 0.30000000000000004)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        v = round(float(value), 6)
        return int(v) if v.is_integer() and abs(v) < 1e15 else v
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def overrides_between(base: Scenario, current: Scenario) -> dict[str, Any]:
    """Dotted-path overrides that turn ``base`` into ``current`` (name, description, seed and days
    left out: the experiment sets those)."""
    a, b = _leaves(base.to_dict()), _leaves(current.to_dict())
    out = {}
    for path, value in b.items():
        if path.split(".")[0] in NOT_OVERRIDDEN:
            continue
        if _plain(a.get(path)) != _plain(value):
            out[path] = _plain(value)
    return out


def suggest_arm_name(overrides: dict[str, Any], taken: set[str] = frozenset()) -> str:
    """A short, readable arm name from the overrides (e.g. 'kind-fee-level-99'), unique in ``taken``."""
    if not overrides:
        stem = "as-shipped"
    else:
        parts = []
        for path, value in overrides.items():
            leaf = path.split(".")[-1].replace("_", "-")
            parts.append(f"{leaf}-{value}" if not isinstance(value, (list, dict)) else leaf)
        stem = "-".join(parts)
    stem = re.sub(r"[^a-z0-9.-]+", "-", stem.lower()).strip("-")[:48].strip("-") or "arm"
    name, i = stem, 2
    while name in taken:
        name, i = f"{stem}-{i}", i + 1
    return name


ARM_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class ArmError(ValueError):
    """Saving an arm was refused; the message says why and what to do."""


@dataclass
class SavedArm:
    path: Path
    name: str
    overrides: dict[str, Any]
    arms: int
    created: bool

    def message(self) -> str:
        what = "Created" if self.created else "Updated"
        return (f"{what} {self.path}: arm '{self.name}' ({len(self.overrides)} setting(s) changed), "
                f"{self.arms} arm(s) in the file. Run it with: community-sim experiment {self.path}")


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def save_arm(experiment: str | Path, arm_name: str, current: Scenario, base_path: str | Path,
             replicates: int = 20, seed: int = 2026) -> SavedArm:
    """Append an arm that reproduces ``current`` to an experiment file (created if missing, with
    a first arm 'as-shipped', the base scenario unchanged, as its baseline).

    The arm's overrides are the settings of ``current`` that differ from the experiment's base
    scenario (``base_path`` for a new file; the file's own ``base`` otherwise). The new arm is
    validated with ``Scenario.with_overrides`` before anything is written; the file is replaced
    atomically (temporary file + rename), so a crash never leaves half a file.
    """
    exp = Path(experiment)
    if not ARM_NAME.match(arm_name or ""):
        raise ArmError(f"arm name {arm_name!r}: use letters, digits, '.', '-' or '_' (up to 64), "
                       "starting with a letter or digit")
    created = not exp.exists()
    if created:
        rel = os.path.relpath(Path(base_path).resolve(), exp.resolve().parent)
        doc: dict[str, Any] = {
            "name": re.sub(r"[^A-Za-z0-9._-]+", "-", exp.stem) or "workshop",
            "description": "Arms saved from the workshop dashboard",
            "base": Path(rel).as_posix(),
            "replicates": int(replicates),
            "seed": int(seed),
            "arms": [],
        }
    else:
        try:
            doc = yaml.safe_load(exp.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ArmError(f"{exp}: not valid YAML ({exc}); choose another file") from None
        if not isinstance(doc, dict) or not isinstance(doc.get("base"), str):
            raise ArmError(f"{exp}: not an experiment file (it needs a 'base' scenario path and 'arms')")
        if "grid" in doc:
            raise ArmError(f"{exp} describes its arms as a grid; save to another file")
        if doc.get("arms") is None:
            doc["arms"] = []
        if not isinstance(doc["arms"], list):
            raise ArmError(f"{exp}: 'arms' should be a list")
    base_file = (exp.resolve().parent / doc["base"]).resolve()
    try:
        base = load_scenario(base_file)
        if "days" in doc:  # the experiment's horizon applies to every arm
            base = base.with_overrides({"days": doc["days"]}, source=str(exp))
    except ScenarioError as exc:
        raise ArmError(f"{exp}: its base scenario cannot be loaded: {exc}") from None
    taken = {a.get("name") for a in doc["arms"] if isinstance(a, dict)}
    if arm_name in taken:
        raise ArmError(f"{exp} already has an arm named '{arm_name}'; choose another name")
    overrides = overrides_between(base, current)
    try:
        check = base.with_overrides(overrides, source=f"{exp}: arm '{arm_name}'")
    except ScenarioError as exc:
        raise ArmError(str(exc)) from None
    if overrides_between(check, current):
        raise ArmError(f"arm '{arm_name}' would not reproduce the dashboard's settings")
    if created and overrides and arm_name != "as-shipped":
        # A new file starts with the base as shipped: the experiment's baseline arm.
        doc["arms"].append({"name": "as-shipped", "description": "the base scenario as shipped", "overrides": {}})
    doc["arms"].append({"name": arm_name, "description": f"saved from the workshop dashboard ({current.name})",
                        "overrides": overrides})
    _atomic_write(exp, yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, default_flow_style=False))
    return SavedArm(exp, arm_name, overrides, len(doc["arms"]), created)


# ---------------------------------------------------------------------------------------------
# Network layout: seeded, fast, cached by member id
# ---------------------------------------------------------------------------------------------

LAYOUT_RELAX_MAX = 1500  # larger groups: newcomers are placed, nobody is moved


def _relax(pos: np.ndarray, edges: np.ndarray, iterations: int, temperature: float,
           movable: np.ndarray | None = None) -> np.ndarray:
    """Fruchterman-Reingold on a dense distance matrix (fine up to ~1,500 members), with a weak
    pull to the centre so that stray pieces stay in view. Deterministic: no randomness."""
    n = len(pos)
    if n < 2:
        return pos
    pos = pos.copy()
    k = 1.0 / math.sqrt(n)
    t = temperature
    cool = (0.02 / temperature) ** (1 / max(1, iterations)) if temperature > 0.02 else 1.0
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        d2 = np.einsum("ijk,ijk->ij", delta, delta)
        np.fill_diagonal(d2, 1.0)
        np.maximum(d2, 1e-4, out=d2)
        disp = np.einsum("ijk,ij->ik", delta, (k * k) / d2)
        if len(edges):
            e = pos[edges[:, 0]] - pos[edges[:, 1]]
            dl = np.sqrt((e * e).sum(1)) + 1e-9
            f = e * (dl / k)[:, None]
            np.subtract.at(disp, edges[:, 0], f)
            np.add.at(disp, edges[:, 1], f)
        disp -= 0.8 * (pos - 0.5) * math.sqrt(n) * k
        length = np.sqrt((disp * disp).sum(1)) + 1e-9
        move = disp * (np.minimum(length, t) / length)[:, None]
        if movable is not None:
            move[~movable] = 0.0
        pos += move
        t *= cool
    return pos


class NetworkLayout:
    """Positions of members in the unit square, kept by member id from day to day so a room sees
    the same person in the same place. The first layout is seeded; a newcomer is placed beside
    the members it is tied to (with a small jitter seeded by its id) and a short relaxation lets
    the picture settle. Leavers simply disappear."""

    def __init__(self, seed: int, start: dict[int, np.ndarray] | None = None):
        self.seed = int(seed)
        self.pos: dict[int, np.ndarray] = dict(start or {})

    def _jitter(self, member_id: int) -> np.ndarray:
        return np.random.default_rng([self.seed, int(member_id)]).normal(0.0, 0.02, 2)

    def update(self, ids: np.ndarray, edges: np.ndarray) -> np.ndarray:
        """Positions (len(ids) x 2) for the current members; ``edges`` index into ``ids``."""
        n = len(ids)
        index = {int(m): i for i, m in enumerate(ids)}
        fresh = not self.pos
        known = np.array([int(m) in self.pos for m in ids], dtype=bool)
        xy = np.zeros((n, 2))
        if fresh:
            rng = np.random.default_rng(self.seed)
            xy = rng.uniform(0.05, 0.95, (n, 2))
        else:
            for i in np.flatnonzero(known):
                xy[i] = self.pos[int(ids[i])]
            nbrs: dict[int, list[int]] = {}
            for a, b in edges:
                nbrs.setdefault(int(a), []).append(int(b))
                nbrs.setdefault(int(b), []).append(int(a))
            placed = known.copy()
            for i in np.flatnonzero(~known):  # ids ascend in joining order
                near = [j for j in nbrs.get(int(i), []) if placed[j]]
                centre = xy[near].mean(0) if near else np.array([0.5, 0.5])
                xy[i] = centre + self._jitter(ids[i])
                placed[i] = True
        if n <= LAYOUT_RELAX_MAX:
            if fresh:
                xy = _relax(xy, edges, 80, 0.1)
            elif (~known).any():
                # Only newcomers move: whoever was there stays put, so the picture does not
                # depend on how often it was drawn (and A and B line up side by side).
                new = int((~known).sum())
                xy = _relax(xy, edges, min(40, 4 + new // 3), 0.03 if new > 5 else 0.015, movable=~known)
        xy = np.clip(xy, -0.2, 1.2)
        self.pos = {int(m): xy[i] for m, i in index.items()}
        return xy


# ---------------------------------------------------------------------------------------------
# Runs, frames and the workshop session
# ---------------------------------------------------------------------------------------------

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


@dataclass
class Frame:
    """What the page draws: an immutable snapshot of the runs on one day."""

    day: int
    horizon: int
    runs: dict[str, RunFrame]
    compare: bool
    serial: int
    a_label: str = ""


class Run:
    """One model on the dashboard, with its network layout."""

    def __init__(self, scenario: Scenario, seed: int, layout_start: dict[int, np.ndarray] | None):
        self.scenario = scenario
        self.seed = seed
        self.model = CommunityModel(scenario, rng=seed)
        self.layout = NetworkLayout(seed, layout_start)

    @property
    def day(self) -> int:
        return int(self.model.day)

    def step(self, days: int) -> None:
        for _ in range(days):
            if self.model.day >= self.model.horizon:
                break
            self.model.step()

    def snapshot(self, with_network: bool = True) -> RunFrame:
        ts_all = self.model.timeseries()
        ts = {c: ts_all[c] for c in CURVE_COLUMNS if c in ts_all}
        if len(ts["day"]):
            life, censored = lifespan(ts["active"], ts["members"])
            dead = not censored
        else:
            life, dead = 0, False
        net = self.net_snapshot() if with_network else None
        # The run's own scenario, as the model holds it: what is really in force.
        return RunFrame("", self.model.scenario, ts, net, int(life), dead)

    def net_snapshot(self) -> NetSnapshot:
        g = self.model.network
        ids = np.array(sorted(g.nodes()), dtype=np.int64)
        index = {int(m): i for i, m in enumerate(ids)}
        edges = np.array([(index[a], index[b]) for a, b in g.edges()], dtype=np.int64).reshape(-1, 2)
        xy = self.layout.update(ids, edges)
        # Read members through their Mesa agents (the public view; the model's arrays are its own).
        role_index = {r: i for i, r in enumerate(ROLES)}
        agents = [self.model.member(int(i)) for i in ids]
        role = np.array([role_index[a.role] for a in agents], dtype=int)
        commitment = np.array([a.commitment for a in agents], dtype=float)
        spammer = np.array([bool(getattr(a, "is_spammer", False)) for a in agents], dtype=bool)
        return NetSnapshot(ids, xy, role, commitment, edges, spammer)


def shipped_scenarios(folder: Path | None = None) -> dict[str, Path]:
    """Menu of scenario files: stem -> path."""
    if folder is None:
        from .cli import scenarios_dir

        folder = scenarios_dir()
    return {p.stem: p.resolve() for p in sorted(Path(folder).glob("*.yaml"))}


class Workshop:
    """One dashboard session: the loaded scenario, the levers (strategy B, the one being edited),
    an optional strategy A for the side-by-side view, and the runs. Thread-safe: the page's play
    loop and its controls call in from different threads."""

    def __init__(self, scenario: str | Path | None = None, catalog: dict[str, Path] | None = None):
        self.lock = threading.RLock()
        self.catalog = dict(catalog) if catalog is not None else shipped_scenarios()
        self.compare = False
        self.serial = 0
        self.drawn_serial = -1  # the page sets it: the last serial it has drawn
        self.message = ""
        self._layout_cache: dict[tuple, dict[int, np.ndarray]] = {}
        first = scenario
        if first is None:
            first = "baseline" if "baseline" in self.catalog else next(iter(self.catalog), None)
        if first is None:
            raise ScenarioError("", "", "no scenario to load: give a scenario file")
        self.load(first)

    # ------------------------------------------------------------ loading and settings
    def load(self, name_or_path: str | Path) -> None:
        """Load a scenario from the menu (by name) or a file; resets the runs to day 0."""
        with self.lock:
            key = str(name_or_path)
            if key in self.catalog:
                path = self.catalog[key]
            else:
                path = Path(name_or_path).resolve()
                key = path.stem
                self.catalog.setdefault(key, path)
                if self.catalog[key] != path:
                    key = str(path)
                    self.catalog[key] = path
            base = load_scenario(path)
            self.name = key
            self.base_path = Path(path)
            self.base = base
            self.seed = int(base.seed)
            self.settings = settings_of(base)
            self.a_settings = dict(self.settings)
            self.a_label = "as shipped"
            self.current = base
            self.message = ""
            self._rebuild(replay_to=0)

    def set_lever(self, path: str, value: Any) -> str | None:
        """Change one lever; the runs replay from day 0 to today with the new setting (same seed).
        Returns an error message (and changes nothing) if the value is not allowed."""
        with self.lock:
            new = dict(self.settings)
            new[path] = LEVER[path].coerce(value) if path in LEVER else value
            if path == "strategy.entry.kind" and new[path] != self.settings.get(path):
                same = new[path] == self.base.strategy.entry.kind
                new["strategy.entry.level"] = self.base.strategy.entry.level if same else ENTRY_LEVEL_DEFAULT[new[path]]
            return self.set_settings(new)

    def set_settings(self, settings: dict[str, Any]) -> str | None:
        with self.lock:
            try:
                scenario = apply_settings(self.base, settings)
            except ScenarioError as exc:
                self.message = f"Not applied: {exc.message if exc.path == '' else exc.path + ': ' + exc.message}"
                self.serial += 1
                return self.message
            self.settings = dict(settings)
            self.current = scenario
            self.message = ""
            self._rebuild_b(replay_to=self.day)
            return None

    def set_seed(self, seed: int) -> None:
        with self.lock:
            self.seed = int(seed)
            self._rebuild(replay_to=0)

    def set_compare(self, on: bool) -> None:
        """Side by side: strategy A (the scenario as shipped, or pinned settings) next to B."""
        with self.lock:
            self.compare = bool(on)
            self._rebuild_a(replay_to=self.day)
            self.serial += 1

    def pin_as_a(self) -> None:
        """Freeze the current settings as strategy A; the levers go on editing B."""
        with self.lock:
            self.a_settings = dict(self.settings)
            self.a_label = "pinned settings"
            self.compare = True
            self._rebuild_a(replay_to=self.day)
            self.serial += 1

    def overrides(self) -> dict[str, Any]:
        """B's settings that differ from the loaded scenario, as dotted paths."""
        return overrides_between(self.base, self.current)

    def save_arm(self, experiment: str | Path, arm_name: str) -> SavedArm:
        with self.lock:
            saved = save_arm(experiment, arm_name, self.current, self.base_path, seed=2026)
            self.serial += 1
            return saved

    # ------------------------------------------------------------ running
    @property
    def day(self) -> int:
        return self.runs["B"].day

    @property
    def horizon(self) -> int:
        return int(self.runs["B"].model.horizon)

    @property
    def finished(self) -> bool:
        return self.day >= self.horizon

    def step(self, days: int = 1) -> None:
        with self.lock:
            for run in self.runs.values():
                run.step(days)
            self.serial += 1

    def reset(self) -> None:
        with self.lock:
            self._rebuild(replay_to=0)

    def _founding_layout(self, scenario: Scenario) -> dict[int, np.ndarray] | None:
        """Founding positions are shared by A and B (same seed, same founding graph)."""
        c = scenario.community
        key = (self.seed, c.initial_members, c.network.kind, c.network.mean_degree, c.network.rewire, c.network.edge_list)
        if key not in self._layout_cache:
            model = CommunityModel(scenario, rng=self.seed)
            layout = NetworkLayout(self.seed)
            snap_ids = np.array(sorted(model.network.nodes()), dtype=np.int64)
            index = {int(m): i for i, m in enumerate(snap_ids)}
            edges = np.array([(index[a], index[b]) for a, b in model.network.edges()], dtype=np.int64).reshape(-1, 2)
            layout.update(snap_ids, edges)
            if len(self._layout_cache) > 8:
                self._layout_cache.clear()
            self._layout_cache[key] = layout.pos
        return self._layout_cache[key]

    def _new_run(self, scenario: Scenario, replay_to: int) -> Run:
        run = Run(scenario, self.seed, self._founding_layout(scenario))
        run.step(replay_to)
        return run

    def _rebuild_b(self, replay_to: int) -> None:
        self.runs["B"] = self._new_run(self.current, replay_to)
        self.serial += 1

    def _rebuild_a(self, replay_to: int) -> None:
        if self.compare:
            run = self._new_run(apply_settings(self.base, self.a_settings), replay_to)
            b = self.runs.get("B")
            if b is not None and self.a_settings == self.settings and b.day == run.day:
                run.layout.pos = dict(b.layout.pos)  # the same people: draw them in the same places
            self.runs["A"] = run
        else:
            self.runs.pop("A", None)

    def _rebuild(self, replay_to: int) -> None:
        self.runs: dict[str, Run] = {}
        self._rebuild_b(replay_to)
        self._rebuild_a(replay_to)

    def frame(self, with_network: bool = True) -> Frame:
        with self.lock:
            runs = {}
            for key in ("A", "B"):
                if key in self.runs:
                    rf = self.runs[key].snapshot(with_network)
                    rf.label = key
                    runs[key] = rf
            return Frame(self.day, self.horizon, runs, self.compare, self.serial, self.a_label)


# ---------------------------------------------------------------------------------------------
# Words and figures for the room
# ---------------------------------------------------------------------------------------------

def describe_strategy(s: Scenario) -> list[str]:
    """The levers in force, in words with units (read from a run's own scenario)."""
    st = s.strategy
    e = st.entry
    if e.kind == "open":
        entry = "open entry"
    elif e.kind == "fee":
        entry = f"entry fee {e.level:g} yuan"
    elif e.kind == "screening":
        entry = f"screening (fit ≥ {e.level:g})"
    else:
        entry = f"invite only (inviter commitment ≥ {e.level:g})"
    cap = f"cap {e.size_cap} members" if e.size_cap else "no size cap"
    r = st.rewards
    rewards = f"rewards top {r.top_k} every {r.every_days} days" if r.every_days else "no rewards"
    p = st.perks
    perks = f"perk {p.value_yuan:g} yuan every {p.every_days} days" if p.every_days else "no perks"
    c = st.cleanup
    if not c.every_days:
        cleanup = "no cleanups"
    elif c.rule == "inactive":
        cleanup = f"cleanup every {c.every_days} days (inactive {c.inactive_days} days)"
    elif c.rule == "bottom_share":
        cleanup = f"cleanup every {c.every_days} days (bottom {c.bottom_share:.0%})"
    else:
        cleanup = f"cleanup every {c.every_days} days (ad posters)"
    ct = st.content
    content = (f"creator {ct.creator_posts_per_week:g} posts/week, managers {ct.manager_posts_per_week:g}/week, "
               f"quality {ct.quality:g}")
    return [f"{s.community.initial_members} founding members", entry, cap, rewards, perks, cleanup, content,
            f"{s.community.managers} managers removing {st.moderation:.0%} of ads",
            f"hard selling {st.selling.hard_selling:.0%}"]


# Projection style: bigger than the report figures, readable from the back of a room.
WALL = {"font.size": 15, "axes.titlesize": 16, "axes.labelsize": 15, "legend.fontsize": 13,
        "xtick.labelsize": 13, "ytick.labelsize": 13, "axes.spines.top": False, "axes.spines.right": False}
ROLE_COLOURS = {"creator": "#000000", "manager": "#D55E00", "participant": "#A0A0A0", "pioneer": "#E69F00",
                "replicator": "#CC79A7", "collaborator": "#009E73", "payer": "#0072B2"}
A_STYLE = {"ls": (0, (5, 3)), "lw": 2.4, "alpha": 0.9}


def _figure(width: float = 6.2, height: float = 3.9, right: float = 0.97, left: float = 0.13) -> tuple[Figure, Any]:
    """A figure with fixed margins (a constrained layout costs a third of the drawing time)."""
    import matplotlib as mpl

    with mpl.rc_context(WALL):
        fig = Figure(figsize=(width, height), dpi=100)
        ax = fig.add_subplot()
    fig.subplots_adjust(left=left, right=right, top=0.88, bottom=0.16)
    _style(ax)
    return fig, ax


def _style(ax) -> None:
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=WALL["xtick.labelsize"])
    ax.grid(alpha=0.25)


def _text(ax, title: str, xlabel: str, ylabel: str) -> None:
    ax.set_title(title, fontsize=WALL["axes.titlesize"], loc="left", fontweight="bold")
    ax.set_xlabel(xlabel, fontsize=WALL["axes.labelsize"])
    ax.set_ylabel(ylabel, fontsize=WALL["axes.labelsize"])


def _mark_death(ax, rf: RunFrame, colour: str) -> None:
    if rf.dead:
        ax.axvline(rf.lifespan, color=colour, ls=":", lw=2)
        ax.annotate(f"{rf.label}: dead from day {rf.lifespan}", (rf.lifespan, 0.96),
                    xycoords=("data", "axes fraction"), xytext=(5, 0), textcoords="offset points",
                    fontsize=12, color=colour, va="top")


def _empty_hint(ax, frame: Frame) -> None:
    if frame.day == 0:
        ax.text(0.5, 0.5, "press Run or Step to start", transform=ax.transAxes, ha="center", va="center",
                fontsize=16, color="#555555")


def active_figure(frame: Frame) -> Figure:
    fig, ax = _figure()
    b = frame.runs["B"]
    day = b.ts["day"]
    if len(day):
        ax.plot(day, b.ts["active"], color=PALETTE[5], lw=1, alpha=0.7, label="each day" + (" (B)" if frame.compare else ""))
        ax.plot(day, moving_mean(b.ts["active"]), color=PALETTE[0], lw=3, label="14-day mean" + (" (B)" if frame.compare else ""))
        _mark_death(ax, b, PALETTE[0])
    if "A" in frame.runs and len(frame.runs["A"].ts["day"]):
        a = frame.runs["A"]
        ax.plot(a.ts["day"], moving_mean(a.ts["active"]), color=PALETTE[1], label="14-day mean (A)", **A_STYLE)
        _mark_death(ax, a, PALETTE[1])
    now = moving_mean(b.ts["active"])[-1] if len(day) else 0
    title = f"Active members: {now:.0f} a day (14-day mean)"
    if "A" in frame.runs and len(frame.runs["A"].ts["day"]):
        title = f"Active members a day: B {now:.0f}, A {moving_mean(frame.runs['A'].ts['active'])[-1]:.0f}"
    _empty_hint(ax, frame)
    _text(ax, title, "day", "members posting")
    ax.set_xlim(0, frame.horizon)
    ax.set_ylim(bottom=0)
    if len(day):
        ax.legend(loc="upper right", frameon=False, fontsize=13)
    return fig


def messages_figure(frame: Frame) -> Figure:
    fig, ax = _figure()
    kinds = (("content", "content_posts"), ("chat", "chat_posts"), ("ads", "ad_posts"))
    b = frame.runs["B"]
    handles = []
    for kind, col in kinds:
        if len(b.ts["day"]):
            ax.plot(b.ts["day"], moving_mean(b.ts[col], 7), color=KIND_COLOURS[kind], lw=3)
        handles.append(Line2D([], [], color=KIND_COLOURS[kind], lw=3, label=kind))
        if "A" in frame.runs and len(frame.runs["A"].ts["day"]):
            a = frame.runs["A"]
            ax.plot(a.ts["day"], moving_mean(a.ts[col], 7), color=KIND_COLOURS[kind], **A_STYLE)
    if frame.compare:
        handles += [Line2D([], [], color="#333333", lw=3, label="B: your settings"),
                    Line2D([], [], color="#333333", label=f"A: {frame.a_label}", **A_STYLE)]
    ads = b.ts["ad_posts"][-7:].sum() if len(b.ts["day"]) else 0
    total = (b.ts["content_posts"][-7:].sum() + b.ts["chat_posts"][-7:].sum() + ads) if len(b.ts["day"]) else 0
    share = f"{ads / total:.0%} ads this week" if total else "none yet"
    _text(ax, f"Messages a day: {share}" + (" (B)" if frame.compare else ""), "day", "messages a day")
    _empty_hint(ax, frame)
    ax.set_xlim(0, frame.horizon)
    ax.set_ylim(bottom=0)
    ax.legend(handles=handles, loc="upper right", frameon=False, ncol=2 if frame.compare else 1, fontsize=13)
    return fig


def roles_figure(frame: Frame) -> Figure:
    fig, ax = _figure(right=0.72, left=0.16)
    b = frame.runs["B"]
    has = len(b.ts["day"]) > 0
    for role in ROLES:
        col = f"role_{role}"
        if has:
            ax.plot(b.ts["day"], np.maximum(b.ts[col], 0.8), color=ROLE_COLOURS[role], lw=2.6, label=role)
            if "A" in frame.runs and len(frame.runs["A"].ts["day"]):
                a = frame.runs["A"]
                ax.plot(a.ts["day"], np.maximum(a.ts[col], 0.8), color=ROLE_COLOURS[role], **A_STYLE)
    ax.set_yscale("log")
    ax.yaxis.set_major_locator(LogLocator(base=10))
    ax.yaxis.set_minor_locator(NullLocator())  # minor log ticks cost a third of the drawing
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}" if v >= 1 else ""))
    ax.set_ylim(0.8, max(10.0, float(b.ts["members"].max()) * 2 if has else 10.0))
    ax.set_xlim(0, frame.horizon)
    members = int(b.ts["members"][-1]) if has else b.scenario.community.initial_members
    _text(ax, f"Members by role: {members:,} now" + (" (B)" if frame.compare else ""), "day",
          "members (log scale)")
    _empty_hint(ax, frame)
    if has:
        ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False, fontsize=12)
    return fig


def _draw_network(ax, rf: RunFrame, title: str) -> None:
    ax.set_axis_off()
    ax.set_title(title, fontsize=WALL["axes.titlesize"], fontweight="bold", loc="left")
    net = rf.net
    if net is None or len(net.ids) == 0:
        ax.text(0.5, 0.5, "no members left", ha="center", va="center", fontsize=16, transform=ax.transAxes)
        return
    if len(net.edges):
        segs = net.xy[net.edges]
        ax.add_collection(LineCollection(segs, colors="#9a9a9a", linewidths=0.5, alpha=0.35, zorder=1))
    colours = np.array([ROLE_COLOURS[ROLES[r]] for r in net.role])
    crowd = min(1.5, max(0.35, 250 / max(1, len(net.ids))))  # smaller dots in a bigger crowd
    sizes = (10 + 110 * np.clip(net.commitment, 0, 1) ** 1.5) * crowd
    order = np.argsort(net.role == 2)[::-1]  # participants first, rarer roles drawn on top
    real = ~net.spammer[order]
    o = order[real]
    ax.scatter(net.xy[o, 0], net.xy[o, 1], s=sizes[o], c=colours[o], edgecolors="none", zorder=2)
    sp = order[~real]
    if len(sp):
        ax.scatter(net.xy[sp, 0], net.xy[sp, 1], s=40, c="#D55E00", marker="x", linewidths=1.6, zorder=3)
    lo, hi = net.xy.min(0), net.xy.max(0)
    pad = 0.03 * max(1e-6, float((hi - lo).max()))
    ax.set_xlim(lo[0] - pad, hi[0] + pad)
    ax.set_ylim(lo[1] - pad, hi[1] + pad)
    ax.set_aspect("equal", adjustable="box")


def network_figure(frame: Frame) -> Figure:
    import matplotlib as mpl

    pair = frame.compare and "A" in frame.runs
    with mpl.rc_context(WALL):
        fig = Figure(figsize=(11 if pair else 6.2, 5.4 if pair else 5.6), dpi=100)
        axes = fig.subplots(1, 2 if pair else 1, squeeze=False)[0]
    fig.subplots_adjust(left=0.01, right=0.99, top=0.92, bottom=0.17 if pair else 0.2, wspace=0.04)
    runs = [frame.runs["A"], frame.runs["B"]] if pair else [frame.runs["B"]]
    for ax, rf in zip(axes, runs):
        n = 0 if rf.net is None else len(rf.net.ids)
        who = {"A": "A", "B": "B" if pair else "Who is here"}[rf.label]
        _draw_network(ax, rf, f"{who}: {n} members on day {frame.day}")
    handles = [Line2D([], [], ls="", marker="o", ms=11, color=ROLE_COLOURS[r], label=r) for r in ROLES]
    handles.append(Line2D([], [], ls="", marker="x", ms=9, mew=2, color="#D55E00", label="spammer"))
    handles += [Line2D([], [], ls="", marker="o", ms=ms, color="#777777", label=lab)
                for ms, lab in ((3.5, "low commitment"), (11, "high commitment"))]
    fig.legend(handles=handles, loc="lower center", ncol=5 if pair else 4, frameon=False, fontsize=12,
               columnspacing=1.0, handletextpad=0.3)
    return fig


def png(fig: Figure, dpi: int = 80) -> bytes:
    """PNG bytes of a figure (no pyplot: safe from the page's worker threads)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, pil_kwargs={"compress_level": 1})  # fast: it only travels to localhost
    return buf.getvalue()


def status_lines(frame: Frame) -> list[tuple[str, str]]:
    """(label, value) pairs for the headline row, B first."""
    out = []
    for key in ("B", "A"):
        rf = frame.runs.get(key)
        if rf is None:
            continue
        ts = rf.ts
        tag = f" ({key})" if frame.compare else ""
        if len(ts["day"]):
            members = int(ts["members"][-1])
            active = float(moving_mean(ts["active"])[-1])
        else:
            members = rf.scenario.community.initial_members
            active = 0.0
        fate = f"dead from day {rf.lifespan}" if rf.dead else "alive"
        out += [(f"members{tag}", f"{members:,}"), (f"active a day{tag}", f"{active:.0f}"), (f"status{tag}", fate)]
    return out


__all__ = ["LEVERS", "LEVER", "GROUPS", "Lever", "Workshop", "Frame", "save_arm", "ArmError", "SavedArm",
           "overrides_between", "settings_of", "apply_settings", "suggest_arm_name", "NetworkLayout",
           "describe_strategy", "active_figure", "messages_figure", "roles_figure", "network_figure", "png",
           "entry_level_lever", "lever_visible", "shipped_scenarios", "status_lines"]
