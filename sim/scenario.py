"""Scenario schema: what an operator can set, with every default in one place.

A scenario file is YAML whose keys mirror the dataclasses below. Every field carries its
allowed range (``lo``/``hi``) or choices and a short doc with its unit; the loader checks
unknown keys (with a "did you mean"), types and ranges, and names the file and field path in
every error. Defaults live only in these dataclass definitions.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROLES: tuple[str, ...] = (
    "creator",
    "manager",
    "participant",
    "pioneer",
    "replicator",
    "collaborator",
    "payer",
)
MOTIVES: tuple[str, ...] = ("information", "social", "growth", "recognition", "material")
ENTRY_KINDS = ("open", "invite", "fee", "screening")
CLEANUP_RULES = ("inactive", "bottom_share", "ad_posters")
NETWORK_KINDS = ("small_world", "scale_free", "random", "edge_list")
EVENT_KINDS = ("sharing", "live_talk", "prize", "meetup", "check_in", "group_buy")


class ScenarioError(ValueError):
    """A scenario (or experiment) file is wrong; the message names file, field, given, allowed."""

    def __init__(self, source: str, path: str, message: str):
        self.source = source
        self.path = path
        self.message = message
        where = f"{source}: " if source else ""
        at = f"field '{path}': " if path else ""
        super().__init__(f"{where}{at}{message}")

    def __reduce__(self):
        return (ScenarioError, (self.source, self.path, self.message))


def spec(default: Any, doc: str, lo: float | None = None, hi: float | None = None,
         choices: tuple | None = None) -> Any:
    """A schema field: default, one-line doc (with unit) and what values are allowed."""
    meta = {"doc": doc, "lo": lo, "hi": hi, "choices": choices}
    if isinstance(default, (list, dict)) or dataclasses.is_dataclass(default):
        return field(default_factory=lambda: copy.deepcopy(default), metadata=meta)
    return field(default=default, metadata=meta)


# --------------------------------------------------------------------------------------------
# The community: who is there at the start, what they want, how they are tied.
# --------------------------------------------------------------------------------------------


@dataclass
class RoleMix:
    """Shares of each role among founding members and newcomers (participant takes the rest)."""

    manager: float = spec(0.01, "share of newcomers who help run the group (founders have exactly `managers`)", 0, 0.5)
    pioneer: float = spec(0.02, "share who promote the group elsewhere and bring applicants", 0, 0.5)
    replicator: float = spec(0.02, "share who absorb the culture and become sub-leaders (C12)", 0, 0.5)
    collaborator: float = spec(0.01, "share of outside partners (cross-promotion, shared content)", 0, 0.5)
    payer: float = spec(0.03, "share who come to pay (fees, products, sponsorship)", 0, 0.5)


@dataclass
class Motivation:
    """Mean weights of what members seek; each member draws its own profile around these."""

    information: float = spec(0.30, "weight on useful content read", 0, 1)
    social: float = spec(0.25, "weight on warmth: replies, chat with ties", 0, 1)
    growth: float = spec(0.20, "weight on progress toward the shared goal (C2)", 0, 1)
    recognition: float = spec(0.10, "weight on being answered and rewarded (C6)", 0, 1)
    material: float = spec(0.15, "weight on perks, deals, gifts (C7)", 0, 1)
    concentration: float = spec(8.0, "Dirichlet concentration: higher = profiles closer to the means", 0.5, 1000)


@dataclass
class Network:
    """The social graph among members (C3: replies flow along ties)."""

    kind: str = spec("small_world", "graph generator, or edge_list to load a file", choices=NETWORK_KINDS)
    mean_degree: int = spec(6, "average ties per founding member", 2, 100)
    rewire: float = spec(0.1, "small_world rewiring probability", 0, 1)
    edge_list: str = spec("", "path of an edge-list file (two member numbers per line), for kind edge_list")
    newcomer_ties: int = spec(3, "ties a newcomer makes: one to whoever brought them, the rest to current members (recent posters 5x likelier)", 1, 50)


@dataclass
class Community:
    """Who the group is and what it is for."""

    initial_members: int = spec(300, "founding members, creator and managers included", 2, 1_000_000)
    managers: int = spec(2, "managers among the founding members", 0, 10_000)
    roles: RoleMix = spec(RoleMix(), "role shares")
    motivation: Motivation = spec(Motivation(), "motivation profile means")
    goal_clarity: float = spec(0.5, "how clear and believed the shared goal is (C1, C2); 0 = a mere group", 0, 1)
    path_clarity: float = spec(0.5, "how short and workable the path toward it is (C2, C16)", 0, 1)
    value_fit_mean: float = spec(0.5, "mean value fit of founding members with the goal", 0, 1)
    catalyst_share: float = spec(0.01, "share of participants who are catalysts (experts, lively) (C11)", 0, 1)
    charisma: float = spec(0.6, "creator's pull: multiplies identity and warmth (C12)", 0, 1)
    product_value: float = spec(0.3, "how much members value what the operator sells (C14, C16)", 0, 1)
    channel_size: int = spec(250, "members per channel: a larger community splits its chat and ads into channels, so each member sees one channel's share", 10, 10_000_000)
    network: Network = spec(Network(), "social graph")


# --------------------------------------------------------------------------------------------
# The strategy: the levers an operator pulls.
# --------------------------------------------------------------------------------------------


@dataclass
class Entry:
    """Entry threshold (C5, C14, C15)."""

    kind: str = spec("open", "who gets in: open, invite (only invited/referred), fee, screening", choices=ENTRY_KINDS)
    level: float = spec(0.0, "fee: yuan per member; screening: minimum value fit 0-1; invite: minimum inviter commitment 0-1", 0, 100_000)
    size_cap: int = spec(500, "most members the group holds (0 = no cap)", 0, 10_000_000)


@dataclass
class Rewards:
    """Rewards for the most active posters (C6)."""

    every_days: int = spec(0, "days between reward rounds (0 = off)", 0, 3650)
    top_k: int = spec(3, "posters rewarded each round", 1, 10_000)
    size: float = spec(1.0, "recognition given, in units of one day's full recognition", 0, 100)
    yuan_each: float = spec(0.0, "material value of each reward, yuan", 0, 1_000_000)


@dataclass
class Perks:
    """Regular small benefits to all members (C7)."""

    every_days: int = spec(0, "days between perks (0 = off)", 0, 3650)
    value_yuan: float = spec(5.0, "value of one perk per member, yuan (costs the operator the same)", 0, 100_000)


@dataclass
class Cleanup:
    """Periodic culls (C8)."""

    every_days: int = spec(0, "days between cleanups (0 = off)", 0, 3650)
    rule: str = spec("inactive", "who is removed", choices=CLEANUP_RULES)
    inactive_days: int = spec(30, "inactive rule: remove members with no message (ads count; joining counts) for this many days", 1, 3650)
    bottom_share: float = spec(0.1, "bottom_share rule: share of members with fewest recent posts removed", 0, 0.9)


@dataclass
class Event:
    """A recurring event: one-day boost to visits and content (C10, C18)."""

    kind: str = spec("sharing", "sharing, live_talk, prize, meetup, check_in, group_buy", choices=EVENT_KINDS)
    every_days: int = spec(14, "days between occurrences", 1, 3650)
    start_day: int = spec(7, "first day it happens", 0, 36500)
    branded: bool = spec(False, "a recurring brand: each run renews the group's novelty (C18)")


@dataclass
class Content:
    """Content cadence (C10, C2, C17)."""

    creator_posts_per_week: float = spec(5.0, "quality posts per week by the creator", 0, 1000)
    manager_posts_per_week: float = spec(2.0, "quality posts per week by each manager", 0, 1000)
    quality: float = spec(0.6, "value of one quality post to a reader who seeks information, 0-1", 0, 1)
    events: list = spec([], "list of recurring events (kind, every_days, start_day, branded)")


@dataclass
class Campaign:
    """A bulk recruiting campaign (C14, C15)."""

    start_day: int = spec(0, "first day of the campaign", 0, 36500)
    end_day: int = spec(30, "last day of the campaign", 0, 36500)
    applicants_per_day: float = spec(20.0, "applicants brought in per day", 0, 1_000_000)
    gift_yuan: float = spec(0.0, "gift promised for joining, yuan (lures low-fit, material seekers)", 0, 100_000)


@dataclass
class Recruiting:
    """How applicants arrive (C14, C16)."""

    outreach_per_week: float = spec(0.3, "applicants each pioneer or collaborator brings per week at full commitment", 0, 1000)
    referral_per_year: float = spec(1.5, "applicants each fully committed member refers per year (scaled by commitment squared, more with deals)", 0, 365)
    organic_per_day: float = spec(0.1, "applicants who find the group by themselves per day", 0, 1_000_000)
    spam_per_day: float = spec(0.3, "outside spammers trying to get in per day at 100 members (grows with the square root of size and as ads pile up, C9)", 0, 1_000_000)
    campaigns: list = spec([], "bulk campaigns (start_day, end_day, applicants_per_day, gift_yuan)")


@dataclass
class Selling:
    """Conversion and hard selling (C14, C15, C16)."""

    price_yuan: float = spec(50.0, "price of one purchase of the operator's product, yuan", 0, 1_000_000)
    purchases_per_year: float = spec(4.0, "purchases a paying member makes per year at commitment 0.5", 0, 365)
    hard_selling: float = spec(0.0, "intensity of pushing sales on members, 0-1 (C15)", 0, 1)


@dataclass
class Strategy:
    """Every lever an operator pulls."""

    entry: Entry = spec(Entry(), "entry threshold")
    content: Content = spec(Content(), "content cadence and events")
    moderation: float = spec(0.7, "share of ads managers remove when they have time, 0-1 (C9)", 0, 1)
    rewards: Rewards = spec(Rewards(), "rewards for top posters")
    perks: Perks = spec(Perks(), "perks for everyone")
    cleanup: Cleanup = spec(Cleanup(), "periodic cleanups")
    recruiting: Recruiting = spec(Recruiting(), "recruiting channels")
    selling: Selling = spec(Selling(), "conversion and selling")


# --------------------------------------------------------------------------------------------
# Behaviour: how people respond. Calibrated constants, overridable for sensitivity studies.
# --------------------------------------------------------------------------------------------


@dataclass
class Behaviour:
    """Response constants of members; defaults are the calibrated model (docs/model.md)."""

    visit_min: float = spec(0.05, "daily visit probability at zero commitment", 0, 1)
    visit_max: float = spec(0.85, "daily visit probability at full commitment", 0, 1)
    quiet_below: float = spec(0.25, "commitment under which a member goes quiet (mutes)", 0, 1)
    quiet_visit_factor: float = spec(0.3, "visit probability multiplier for quiet members", 0, 1)
    leave_below: float = spec(0.12, "commitment under which a member may leave", 0, 1)
    leave_rate: float = spec(0.08, "daily leaving probability at zero commitment", 0, 1)
    read_capacity: float = spec(45.0, "messages a visitor reads per day (overload past this)", 1, 100_000)
    post_propensity_median: float = spec(0.003, "median posting propensity (scaled by drive, commitment, crowd; probability capped at 0.95)", 0, 1)
    post_propensity_spread: float = spec(2.5, "log-normal spread of posting propensity (C19: 90-9-1)", 0, 5)
    catalyst_propensity: float = spec(0.5, "posting propensity of a catalyst", 0, 1)
    reply_per_neighbour_post: float = spec(0.15, "chance a tie who posts today answers a given post", 0, 1)
    reply_from_strangers: float = spec(1.0, "replies a post gets from non-ties when a conversation is under way", 0, 10)
    drive_up: float = spec(0.05, "posting drive gained when a post is answered (C3)", 0, 1)
    drive_down: float = spec(0.03, "posting drive lost when a post is ignored (C4)", 0, 1)
    learning_rate: float = spec(0.05, "how fast commitment follows satisfaction per visit", 0, 1)
    forget_rate: float = spec(0.004, "commitment lost per day without a visit", 0, 1)
    need: float = spec(0.16, "satisfaction a visit must give to hold commitment steady", 0, 2)
    ad_cost: float = spec(0.6, "dissatisfaction when all one reads is ads (C4)", 0, 5)
    overload_cost: float = spec(0.25, "dissatisfaction from unread volume: times log(1 + excess over read capacity)", 0, 5)
    ignored_cost: float = spec(0.05, "dissatisfaction when one's post is ignored (C4)", 0, 5)
    hard_sell_cost: float = spec(0.5, "dissatisfaction per day at full hard selling (C15)", 0, 5)
    novelty_days: float = spec(600.0, "days over which the group's topics lose novelty (C3, C13)", 1, 36500)
    novelty_floor: float = spec(0.3, "novelty left when topics are exhausted", 0, 1)
    member_novelty_days: float = spec(400.0, "days over which the same faces and the same path grow stale for a member (C3, C13)", 1, 36500)
    member_novelty_floor: float = spec(0.3, "freshness left for a long-standing member", 0, 1)
    habituation: float = spec(0.1, "extra satisfaction a fully habituated member needs to stay as committed (C13)", 0, 2)
    event_novelty: float = spec(0.08, "novelty (group topics and members' freshness) a branded event restores (C18)", 0, 1)
    burnout_days: float = spec(730.0, "days a creator carrying all the content alone lasts, before answers and silence (C2, C13)", 1, 36500)
    manager_capacity: float = spec(15.0, "ads and newcomers one manager handles per day", 0, 10_000)
    ad_propensity_low_fit: float = spec(0.05, "chance a visiting low-fit member posts an ad (C1)", 0, 1)
    ad_norm_pull: float = spec(3.0, "how much visible ads encourage more ads (C9)", 0, 100)
    spammer_ads_per_visit: float = spec(0.8, "chance a visiting spammer posts an ad", 0, 1)
    urgency: float = spec(0.15, "visit, posting and satisfaction lift survivors feel after a cleanup (C8)", 0, 1)
    urgency_days: float = spec(10.0, "days the urgency lasts", 0, 3650)
    cleanup_resentment: float = spec(0.3, "commitment lost by a member all of whose ties a cleanup removed", 0, 1)
    fee_commitment: float = spec(0.15, "commitment a full fee adds on joining (sunk cost, C5)", 0, 1)
    fee_expectation: float = spec(0.06, "satisfaction a payer of a full fee expects on top of need", 0, 1)
    fee_reference_yuan: float = spec(200.0, "fee counted as full for commitment and expectation, yuan", 1, 1_000_000)
    conversion_rate: float = spec(0.008, "daily conversion chance of a fully committed member at full product value", 0, 1)
    hard_sell_lift: float = spec(4.0, "conversion multiplier at full hard selling", 1, 100)
    perk_memory_days: float = spec(5.0, "days over which the material glow of a perk or gift fades", 0.1, 3650)
    reward_memory_days: float = spec(14.0, "days a reward's recognition lasts", 0.1, 3650)
    material_scale_yuan: float = spec(10.0, "perk value that gives half the full material benefit, yuan", 0.1, 1_000_000)
    spinoff_after_turned_away: int = spec(50, "applicants turned away at the cap before a replicator seeds a new group", 1, 1_000_000)


@dataclass
class Scenario:
    """A community and a strategy to test on it."""

    name: str = spec("scenario", "short name (used for the result folder)")
    description: str = spec("", "one line for `community-sim scenarios`")
    days: int = spec(730, "days simulated (one step = one day)", 1, 36500)
    seed: int = spec(1, "random seed: same scenario and seed give identical results", 0, 2**63 - 1)
    community: Community = spec(Community(), "the community")
    strategy: Strategy = spec(Strategy(), "the operator's strategy")
    behaviour: Behaviour = spec(Behaviour(), "response constants (calibrated; change for sensitivity studies)")

    def to_dict(self) -> dict:
        """The resolved scenario as plain data, every default filled in."""
        return dataclasses.asdict(self)

    def with_overrides(self, overrides: dict[str, Any], source: str = "overrides") -> Scenario:
        """A copy with dotted-path overrides applied and validated (e.g. 'strategy.entry.kind')."""
        data = self.to_dict()
        for dotted, value in overrides.items():
            set_path(data, dotted, value, source)
        return scenario_from_dict(data, source)


# Lists of dataclasses: the element type of each list field.
LIST_ITEMS: dict[tuple[type, str], type] = {
    (Content, "events"): Event,
    (Recruiting, "campaigns"): Campaign,
}


# --------------------------------------------------------------------------------------------
# Loading and validation
# --------------------------------------------------------------------------------------------


def _type_name(t: Any) -> str:
    return {int: "an integer", float: "a number", str: "a string", bool: "true or false",
            list: "a list"}.get(t, getattr(t, "__name__", str(t)))


def _describe_allowed(f: dataclasses.Field, t: Any) -> str:
    m = f.metadata
    if m.get("choices"):
        return "one of " + ", ".join(map(str, m["choices"]))
    parts = [_type_name(t)]
    if m.get("lo") is not None and m.get("hi") is not None:
        parts.append(f"from {m['lo']:g} to {m['hi']:g}")
    return " ".join(parts)


def _check_value(value: Any, f: dataclasses.Field, t: Any, source: str, path: str) -> Any:
    allowed = _describe_allowed(f, t)
    given = f"{value!r}"
    if t is bool:
        if not isinstance(value, bool):
            raise ScenarioError(source, path, f"given {given}, allowed {allowed}")
        return value
    if t is int:
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, float) and value.is_integer())):
            raise ScenarioError(source, path, f"given {given}, allowed {allowed}")
        value = int(value)
    elif t is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ScenarioError(source, path, f"given {given}, allowed {allowed}")
        value = float(value)
        if value != value:  # NaN
            raise ScenarioError(source, path, f"given {given}, allowed {allowed}")
    elif t is str:
        if not isinstance(value, str):
            raise ScenarioError(source, path, f"given {given}, allowed {allowed}")
    m = f.metadata
    if m.get("choices") and value not in m["choices"]:
        hint = difflib.get_close_matches(str(value), [str(c) for c in m["choices"]], n=1)
        extra = f" (did you mean '{hint[0]}'?)" if hint else ""
        raise ScenarioError(source, path, f"given {given}, allowed {allowed}{extra}")
    if m.get("lo") is not None and value < m["lo"] or m.get("hi") is not None and value > m["hi"]:
        raise ScenarioError(source, path, f"given {given}, allowed {allowed}")
    return value


def _build(cls: type, data: Any, source: str, path: str) -> Any:
    """Build dataclass ``cls`` from a mapping, checking every key, type and range."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError(source, path or "(top level)",
                            f"given {type(data).__name__} {data!r}, allowed a mapping of fields")
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for key in data:
        if key not in fields:
            hint = difflib.get_close_matches(str(key), list(fields), n=1, cutoff=0.6)
            extra = f"; did you mean '{hint[0]}'?" if hint else ""
            where = f"{path}.{key}" if path else str(key)
            raise ScenarioError(source, where, f"unknown field '{key}'{extra} (allowed: {', '.join(fields)})")
    kwargs = {}
    for name, f in fields.items():
        if name not in data:
            continue
        t = hints[name]
        sub = f"{path}.{name}" if path else name
        value = data[name]
        if dataclasses.is_dataclass(t):
            kwargs[name] = _build(t, value, source, sub)
        elif t is list or typing.get_origin(t) is list:
            item_cls = LIST_ITEMS[(cls, name)]
            if value is None:
                value = []
            if not isinstance(value, list):
                raise ScenarioError(source, sub, f"given {value!r}, allowed a list of {item_cls.__name__.lower()} entries")
            kwargs[name] = [_build(item_cls, v, source, f"{sub}[{i}]") for i, v in enumerate(value)]
        else:
            kwargs[name] = _check_value(value, f, t, source, sub)
    return cls(**kwargs)


def _cross_checks(s: Scenario, source: str) -> None:
    """Checks that involve more than one field."""
    e = s.strategy.entry
    if e.kind in ("screening", "invite") and e.level > 1:
        raise ScenarioError(source, "strategy.entry.level",
                            f"given {e.level:g} with kind {e.kind}, allowed a number from 0 to 1")
    r = s.community.roles
    total = r.manager + r.pioneer + r.replicator + r.collaborator + r.payer
    if total > 0.9:
        raise ScenarioError(source, "community.roles",
                            f"given role shares summing to {total:g}, allowed a sum of at most 0.9 (participants take the rest)")
    if s.community.managers + 1 > s.community.initial_members:
        raise ScenarioError(source, "community.managers",
                            f"given {s.community.managers}, allowed at most initial_members - 1 = {s.community.initial_members - 1}")
    n = s.community.network
    if n.kind == "edge_list" and not n.edge_list:
        raise ScenarioError(source, "community.network.edge_list", "given nothing, allowed a file path (kind is edge_list)")
    if n.kind != "edge_list" and n.mean_degree >= s.community.initial_members:
        raise ScenarioError(source, "community.network.mean_degree",
                            f"given {n.mean_degree}, allowed less than initial_members ({s.community.initial_members})")
    for i, c in enumerate(s.strategy.recruiting.campaigns):
        if c.end_day < c.start_day:
            raise ScenarioError(source, f"strategy.recruiting.campaigns[{i}].end_day",
                                f"given {c.end_day}, allowed a day not before start_day ({c.start_day})")
    b = s.behaviour
    if b.visit_max < b.visit_min:
        raise ScenarioError(source, "behaviour.visit_max", f"given {b.visit_max:g}, allowed at least visit_min ({b.visit_min:g})")


def scenario_from_dict(data: dict, source: str = "") -> Scenario:
    """Validate plain data (as read from YAML) into a Scenario."""
    s = _build(Scenario, data, source, "")
    _cross_checks(s, source)
    return s


def read_yaml(path: str | Path) -> Any:
    """Read a YAML file; a syntax error names the file and line."""
    p = Path(path)
    if not p.is_file():
        raise ScenarioError(str(p), "", "file not found")
    try:
        with p.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(str(p), "", f"invalid YAML at {line}{problem}") from None


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file. Relative edge-list paths resolve against the file."""
    data = read_yaml(path)
    if data is None:
        data = {}
    s = scenario_from_dict(data, str(path))
    net = s.community.network
    if net.kind == "edge_list" and not Path(net.edge_list).is_absolute():
        net.edge_list = str((Path(path).parent / net.edge_list).resolve())
    if net.kind == "edge_list" and not Path(net.edge_list).is_file():
        raise ScenarioError(str(path), "community.network.edge_list", f"given {net.edge_list!r}, allowed an existing file")
    if net.kind == "edge_list":
        from .network import load_edge_list

        # The file's members are the founders: record their number in the resolved scenario.
        s.community.initial_members = load_edge_list(net.edge_list).number_of_nodes()
    return s


def set_path(data: dict, dotted: str, value: Any, source: str) -> None:
    """Set ``a.b.c`` in nested dicts; a path that names no field is an error."""
    parts = dotted.split(".")
    node = data
    for i, part in enumerate(parts):
        if not isinstance(node, dict) or part not in node:
            keys = list(node) if isinstance(node, dict) else []
            hint = difflib.get_close_matches(part, keys, n=1, cutoff=0.6)
            extra = f"; did you mean '{'.'.join(parts[:i] + [hint[0]])}'?" if hint else ""
            raise ScenarioError(source, dotted, f"no such field in the scenario{extra}")
        if i == len(parts) - 1:
            node[part] = value
        else:
            node = node[part]


def field_docs(cls: type = Scenario, prefix: str = "") -> list[tuple[str, Any, str]]:
    """(path, default, doc) for every leaf field: the reference table for docs and --help."""
    out = []
    hints = typing.get_type_hints(cls)
    inst = cls()
    for f in dataclasses.fields(cls):
        path = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(hints[f.name]):
            out.extend(field_docs(hints[f.name], path + "."))
        else:
            out.append((path, getattr(inst, f.name), f.metadata.get("doc", "")))
    return out

