"""Schema machinery shared by every scenario section: a field's default, doc, unit and allowed
values (``spec``), and building dataclasses from plain YAML data with errors that name the
field path, the value given and what is allowed ("did you mean" for misspelt keys).

The vocabulary of the domain (roles, motives, entry kinds, ...) lives here too, so that every
section and the model name things the same way.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import functools
import typing
from dataclasses import field
from typing import Any

from .errors import ScenarioError, shown

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
CLEANUP_RULES = ("misfits", "inactive", "bottom_share", "ad_posters")
NETWORK_KINDS = ("small_world", "scale_free", "random", "edge_list")
EVENT_KINDS = ("sharing", "live_talk", "prize", "meetup", "check_in", "group_buy")
# What a trigger's condition may watch (columns of timeseries.csv, or ad_share = ad_posts / posts
# over the window) and what it may do.
TRIGGER_METRICS = ("active", "members", "visitors", "posts", "member_posts", "joined", "left", "quiet",
                   "mean_commitment", "ad_share")
TRIGGER_ACTIONS = ("cleanup", "events", "campaign", "set")

# The per-day record: one column each, in this order in timeseries.csv (written by
# sim.model.record; named here so that experiment files can be checked against it).
TIMESERIES_COLUMNS: tuple[str, ...] = (
    "day", "members", "active", "quiet", "visitors", "joined", "left", "removed",
    "posts", "member_posts", "organiser_posts", "scheduled_posts", "content_posts", "chat_posts",
    "ad_posts", "ads_removed", "replies", "welcomes", "events",
    "revenue", "operator_cost", "organiser_hours", "organiser_hours_asked", "creator_energy",
    "payers", "mean_commitment", "creator_presence", "novelty", "brand",
    "applicants", "turned_away", "spinoffs", "conversions", "promotions", "appointments", "successions",
) + tuple(f"role_{r}" for r in ROLES) + ("interventions",)


@functools.cache
def type_hints(cls: type) -> dict[str, Any]:
    """``typing.get_type_hints`` of a schema class, worked out once (it evaluates every
    annotation's text, and a scenario is built thousands of times in a large experiment)."""
    return typing.get_type_hints(cls)


def spec(default: Any, doc: str, lo: float | None = None, hi: float | None = None,
         choices: tuple | None = None, item: type | None = None) -> Any:
    """A schema field: default, one-line doc (with unit) and what values are allowed; a list
    field names the dataclass of its entries (``item``)."""
    meta = {"doc": doc, "lo": lo, "hi": hi, "choices": choices, "item": item}
    if isinstance(default, (list, dict)) or dataclasses.is_dataclass(default):
        return field(default_factory=lambda: copy.deepcopy(default), metadata=meta)
    return field(default=default, metadata=meta)


def _type_name(t: Any) -> str:
    return {int: "an integer", float: "a number", str: "a string", bool: "true or false",
            list: "a list"}.get(t, getattr(t, "__name__", str(t)))


def number_text(x: float) -> str:
    """A limit as a person reads it: thousands separators, never '1e+06' or '9.22337e+18'."""
    if isinstance(x, int) or (isinstance(x, float) and x.is_integer()):
        return f"{int(x):,}"
    return f"{x:,.6g}" if abs(x) < 1e6 else f"{x:,.2f}"


def _describe_allowed(f: dataclasses.Field, t: Any) -> str:
    m = f.metadata
    if m.get("choices"):
        return "one of " + ", ".join(map(str, m["choices"]))
    parts = [_type_name(t)]
    if m.get("lo") is not None and m.get("hi") is not None:
        parts.append(f"from {number_text(m['lo'])} to {number_text(m['hi'])}")
    return " ".join(parts)


def _check_value(value: Any, f: dataclasses.Field, t: Any, source: str, path: str) -> Any:
    given = value

    def bad(extra: str = "") -> ScenarioError:  # worded only when needed: most values are fine
        return ScenarioError(source, path, f"given {shown(given)}, allowed {_describe_allowed(f, t)}{extra}")

    if t is bool:
        if not isinstance(value, bool):
            raise bad()
        return value
    if t is int:
        if isinstance(value, bool) or not (isinstance(value, int) or (isinstance(value, float) and value.is_integer())):
            raise bad()
        value = int(value)
    elif t is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise bad()
        value = float(value)
        if value != value:  # NaN
            raise bad()
    elif t is str:
        if not isinstance(value, str):
            raise bad()
    m = f.metadata
    if m.get("choices") and value not in m["choices"]:
        hint = difflib.get_close_matches(str(value), [str(c) for c in m["choices"]], n=1)
        extra = f" (did you mean '{hint[0]}'?)" if hint else ""
        raise bad(extra)
    if m.get("lo") is not None and value < m["lo"] or m.get("hi") is not None and value > m["hi"]:
        raise bad()
    return value


def build(cls: type, data: Any, source: str, path: str = "") -> Any:
    """Build dataclass ``cls`` from a mapping, checking every key, type and range."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ScenarioError(source, path or "(top level)",
                            f"given {type(data).__name__} {shown(data)}, allowed a mapping of fields")
    hints = type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    errors: list[ScenarioError] = []  # every error of the mapping, not only the first
    for key in data:
        if key not in fields:
            hint = difflib.get_close_matches(str(key)[:100], list(fields), n=1, cutoff=0.6)
            extra = f"; did you mean '{hint[0]}'?" if hint else ""
            where = f"{path}.{key}" if path else str(key)
            errors.append(ScenarioError(source, where, f"unknown field {shown(key)}{extra} "
                                        f"(allowed: {', '.join(fields)})"))
    kwargs = {}
    for name, f in fields.items():
        if name not in data:
            continue
        try:
            kwargs[name] = _build_field(f, hints[name], data[name], source, f"{path}.{name}" if path else name)
        except ScenarioError as exc:
            errors.append(exc)
    if errors:
        raise ScenarioError.collect(errors)
    return cls(**kwargs)


def _build_field(f: dataclasses.Field, t: Any, value: Any, source: str, sub: str) -> Any:
    """One field's value: a nested section, a list of entries, or a checked scalar."""
    if dataclasses.is_dataclass(t):
        return build(t, value, source, sub)
    if t is list or typing.get_origin(t) is list:
        item_cls = f.metadata["item"]
        if value is None:
            value = []
        if not isinstance(value, list):
            raise ScenarioError(source, sub, f"given {shown(value)}, allowed a list of {item_cls.__name__.lower()} entries")
        errors, items = [], []
        for i, v in enumerate(value):
            try:
                items.append(build(item_cls, v, source, f"{sub}[{i}]"))
            except ScenarioError as exc:
                errors.append(exc)
        if errors:
            raise ScenarioError.collect(errors)
        return items
    return _check_value(value, f, t, source, sub)


def field_at(cls: type, dotted: Any, source: str, where: str) -> tuple[dataclasses.Field, Any]:
    """The leaf field that the dotted path ``dotted`` names inside dataclass ``cls`` (e.g.
    'entry.level' in Strategy) and its type. ``where`` is the path an error names. A path naming
    a whole section or no field is an error (with a did-you-mean)."""
    if not isinstance(dotted, str) or not dotted:
        raise ScenarioError(source, where, f"given key {shown(dotted)}, allowed a lever path such as 'entry.kind'")
    node, parts = cls, dotted.split(".")
    for i, part in enumerate(parts):
        fields = {f.name: f for f in dataclasses.fields(node)}
        if part not in fields:
            hint = difflib.get_close_matches(part[:100], list(fields), n=1, cutoff=0.6)
            extra = f"; did you mean '{'.'.join(parts[:i] + [hint[0]])}'?" if hint else ""
            raise ScenarioError(source, where, f"unknown lever {shown(dotted)}{extra} "
                                f"(allowed under {'.'.join(parts[:i]) or 'here'}: {', '.join(fields)})")
        t = type_hints(node)[part]
        if i == len(parts) - 1:
            if dataclasses.is_dataclass(t):
                raise ScenarioError(source, where, f"given the section {shown(dotted)}, allowed one of its levers "
                                    f"({', '.join(dotted + '.' + f.name for f in dataclasses.fields(t))})")
            return fields[part], t
        if not dataclasses.is_dataclass(t):
            raise ScenarioError(source, where, f"unknown lever {shown(dotted)} ({'.'.join(parts[:i + 1])} has no parts)")
        node = t
    raise AssertionError("unreachable")


def check_path(cls: type, dotted: Any, value: Any, source: str, where: str) -> Any:
    """Check ``value`` for the leaf field that the dotted path ``dotted`` names inside dataclass
    ``cls`` (e.g. 'entry.level' in Strategy), with the schema's own checks; returns the value as
    the schema builds it. ``where`` is the path an error names. A path naming a whole section
    or no field is an error."""
    f, t = field_at(cls, dotted, source, where)
    return _build_field(f, t, value, source, where)


def replace_path(obj: Any, dotted: str, value: Any) -> Any:
    """A copy of dataclass ``obj`` with the field at ``dotted`` replaced (the sections on the
    way are copied, nothing is changed in place)."""
    head, _, rest = dotted.partition(".")
    if not rest:
        return dataclasses.replace(obj, **{head: value})
    return dataclasses.replace(obj, **{head: replace_path(getattr(obj, head), rest, value)})


def set_path(data: dict, dotted: str, value: Any, source: str) -> None:
    """Set ``a.b.c`` in nested dicts; a path that names no field is an error."""
    parts = dotted.split(".")
    node = data
    for i, part in enumerate(parts):
        if not isinstance(node, dict) or part not in node:
            keys = list(node) if isinstance(node, dict) else []
            hint = difflib.get_close_matches(part, keys, n=1, cutoff=0.6)
            extra = f"; did you mean '{'.'.join(parts[:i] + [hint[0]])}'?" if hint else ""
            under = ".".join(parts[:i]) or "the top level"
            allowed = f"allowed under {under}: {', '.join(keys)}" if keys else f"allowed nothing under {under} (a value)"
            raise ScenarioError(source, dotted, f"no such field in the scenario: given {shown(dotted)}{extra} ({allowed})")
        if i == len(parts) - 1:
            node[part] = value
        else:
            node = node[part]


def field_docs(cls: type, prefix: str = "", instance: Any = None) -> list[tuple[str, Any, str]]:
    """(path, default, doc) for every leaf field: the reference table for docs and --help.
    Defaults are read from ``instance`` (default: ``cls()``), so a section whose default differs
    from its class's own (each event kind's profile) reports its real default."""
    out = []
    hints = type_hints(cls)
    inst = cls() if instance is None else instance
    for f in dataclasses.fields(cls):
        path = f"{prefix}{f.name}"
        if dataclasses.is_dataclass(hints[f.name]):
            out.extend(field_docs(hints[f.name], path + ".", getattr(inst, f.name)))
        else:
            out.append((path, getattr(inst, f.name), f.metadata.get("doc", "")))
    return out


