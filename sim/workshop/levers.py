"""The operator's levers a room can move on the dashboard: each a dotted path into the
scenario with a label, a unit and a slider range; the settings they make, and the overrides
that turn one scenario into another (for arms of an experiment)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..scenario import CLEANUP_RULES, ENTRY_KINDS, Scenario


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

    def slider_step(self, value: Any = None) -> float:
        """The slider's step: the lever's own, or a finer one that keeps ``value`` on the grid
        (a slider snaps to ``lo + k * step``: 15 founding members on a 10-member grid would show
        as 10 or 20 while 15 are in force)."""
        if self.kind == "choice" or value is None:
            return self.step
        lo = self.bounds(value)[0]
        for divisor in (1, 2, 5, 10, 20, 50, 100, 1000):
            step = self.step / divisor
            k = (float(value) - lo) / step
            if (self.kind != "int" or step >= 1) and abs(k - round(k)) < 1e-6:
                return step
        return 1 if self.kind == "int" else self.step / 1000

    def bounds(self, value: Any = None) -> tuple[float, float]:
        """Slider range, widened to hold ``value`` if a scenario sets it outside the usual range."""
        lo, hi = self.lo, self.hi
        if value is not None and self.kind != "choice":
            lo, hi = min(lo, value), max(hi, value)
        return lo, hi


ENTRY_LABELS = {"open": "open (anyone joins)", "invite": "invite only", "fee": "entry fee",
                "screening": "screening (value fit)"}
CLEANUP_LABELS = {"misfits": "members who do not fit (judged by their posts)",
                  "inactive": "members inactive for a while", "bottom_share": "the least active share",
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
    Lever("strategy.perks.value_yuan", "Perk value", "Perks", "float", 0, 50, 1, "yuan per member who claims it"),
    Lever("strategy.cleanup.every_days", "Clean up every", "Cleanup", "int", 0, 180, 5, "days (0 = off)",
          help="C8"),
    Lever("strategy.cleanup.rule", "Cleanup removes", "Cleanup", "choice", choices=CLEANUP_RULES),
    Lever("strategy.cleanup.inactive_days", "Inactive for", "Cleanup", "int", 7, 180, 1, "days"),
    Lever("strategy.cleanup.bottom_share", "Least active share removed", "Cleanup", "float", 0, 0.5, 0.05, "of members"),
    Lever("strategy.cleanup.min_fit", "Judged fit under", "Cleanup", "float", 0, 1, 0.05, "0-1"),
    Lever("strategy.content.creator_posts_per_week", "Creator posts", "Content", "float", 0, 21, 1, "per week",
          help="C10"),
    Lever("strategy.content.manager_posts_per_week", "Each manager posts", "Content", "float", 0, 14, 1, "per week"),
    Lever("strategy.content.quality", "Content quality", "Content", "float", 0, 1, 0.05, "0-1"),
    Lever("community.managers", "Managers", "Moderation", "int", 0, 10, 1, "members"),
    Lever("strategy.moderation", "Ads removed by managers", "Moderation", "float", 0, 1, 0.05, "share, 0-1",
          help="C9"),
    Lever("strategy.recruiting.organic_per_day", "Newcomers finding the group", "Recruiting", "float", 0, 10, 0.1,
          "applicants per day", help="C14, C16"),
    Lever("strategy.recruiting.outreach_per_week", "Outreach by pioneers and collaborators", "Recruiting", "float",
          0, 3, 0.1, "applicants per member per week"),
    Lever("strategy.selling.hard_selling", "Hard selling", "Selling", "float", 0, 1, 0.05, "0-1", help="C15"),
)
LEVER = {lv.path: lv for lv in LEVERS}
CHOICE_LABELS = {"strategy.entry.kind": ENTRY_LABELS, "strategy.cleanup.rule": CLEANUP_LABELS}
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


def lever_words(path: str, value: Any) -> str:
    """A lever's value in the words of its control: 'creator posts 0 per week', 'cleanup
    removes members inactive for a while', 'perk for everyone every: off'. ``path`` is the
    dashboard's (``strategy.perks.every_days``) or the scenario strategy's (``perks.every_days``);
    a path that is no lever reads as its last part in words."""
    lever = LEVER.get(path) or LEVER.get("strategy." + path)
    if lever is None:
        name = path.rsplit(".", 1)[-1].replace("_", " ")
        return f"{name} {value:g}" if isinstance(value, float) else f"{name} {value}"
    label = lever.label[0].lower() + lever.label[1:]
    if lever.kind == "choice":
        return f"{label}: {CHOICE_LABELS.get(lever.path, {}).get(value, value)}"
    unit, _, zero = lever.unit.partition(" (0 = ")
    if zero and value == 0:
        return f"{label}: {zero.rstrip(')')}"
    return f"{label} {value:g}" + (f" {unit}" if unit else "")


def lever_visible(lever: Lever, settings: dict[str, Any]) -> bool:
    """Levers that mean nothing under the current settings are hidden."""
    if lever.path == "strategy.entry.level":
        return settings.get("strategy.entry.kind") != "open"
    if lever.path == "strategy.cleanup.inactive_days":
        return settings.get("strategy.cleanup.rule") == "inactive"
    if lever.path == "strategy.cleanup.bottom_share":
        return settings.get("strategy.cleanup.rule") == "bottom_share"
    if lever.path == "strategy.cleanup.min_fit":
        return settings.get("strategy.cleanup.rule") == "misfits"
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


def change_setting(base: Scenario, settings: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """``settings`` with one lever moved (the value coerced to the lever's step); a new entry kind
    brings the base's level back, or a sensible level for that kind."""
    new = dict(settings)
    new[path] = LEVER[path].coerce(value)
    if path == "strategy.entry.kind" and new[path] != settings.get(path):
        same = new[path] == base.strategy.entry.kind
        new["strategy.entry.level"] = base.strategy.entry.level if same else ENTRY_LEVEL_DEFAULT[new[path]]
    return new
