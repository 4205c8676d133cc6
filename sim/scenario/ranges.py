"""Field ranges: which scenario fields a study moves and over what values, read from a file's
mapping of field path -> ``[low, high]`` (a number field) or the list of values to try (a choice
or true/false field), checked against the scenario schema. Sensitivity studies (``factors:``)
and strategy searches (``levers:``) both read their ranges here.

The kind comes from the schema's type: an integer field gives integers from ``low`` to ``high``
inclusive, a real one reals, a field with choices (or true/false) a choice. Every end and every
listed value is checked with the schema's own field checks, so an error names the file,
``<where>.<path>`` (``[i]`` for an end or a value), what was given and what is allowed. Given
the base scenario, each value is also checked with the base's other fields: a value that the
base's fixed fields do not fit (a screening entry with the base's fee level of 99 yuan) is
refused at once; a clash with another field in the same mapping depends on the combination and
is left to whoever combines them.
"""

from __future__ import annotations

import dataclasses
import math
import typing
from dataclasses import dataclass
from typing import Any, Mapping

from .errors import ScenarioError, bad_value, shown
from .fields import check_path, field_at
from .schema import Scenario

KINDS = ("int", "float", "choice")
_EDGE = 1e-9  # a point on a level's upper edge (e.g. 1/3 * 3 computed as 0.9999...) counts as that level


@dataclass(frozen=True)
class FieldRange:
    """One moved field: its path, its range (``low``..``high`` for int and float; the listed
    ``choices`` for a choice) and its kind; ``doc`` is the schema's one-line description."""

    path: str
    kind: str
    low: float = 0.0
    high: float = 1.0
    choices: tuple = ()
    doc: str = ""

    def value(self, u: float) -> Any:
        """The field's value at ``u`` in [0, 1]: linear for a float, the ``u``-th share of the
        integers low..high, or of the choices."""
        u = min(max(float(u), 0.0), 1.0)
        if self.kind == "float":
            return float(self.low + u * (self.high - self.low))
        if self.kind == "int":
            count = int(self.high - self.low) + 1
            return int(self.low) + min(count - 1, math.floor(u * count + _EDGE))
        return self.choices[min(len(self.choices) - 1, math.floor(u * len(self.choices) + _EDGE))]

    def contains(self, value: Any) -> bool:
        """Whether ``value`` lies in this range or among its choices."""
        if self.kind == "choice":
            return value in self.choices
        return not isinstance(value, bool) and isinstance(value, (int, float)) and self.low <= value <= self.high

    def to_plain(self) -> list:
        """The range as a file writes it: ``[low, high]`` or the list of choices."""
        return list(self.choices) if self.kind == "choice" else [self.low, self.high]

    def range_text(self) -> str:
        """The range as a person reads it: '0 to 200' or 'open, fee'."""
        if self.kind == "choice":
            return ", ".join(_plain(c) for c in self.choices)
        return f"{self.low:g} to {self.high:g}"


def _plain(v: Any) -> str:
    return ("true" if v else "false") if isinstance(v, bool) else str(v)


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def value_at(scenario: Scenario, path: str) -> Any:
    """The value of a scenario's field at a dotted path."""
    node: Any = scenario
    for part in path.split("."):
        node = getattr(node, part)
    return node


def _kind(f: dataclasses.Field, t: Any, source: str, at: str) -> str:
    """int, float or choice, from the schema's type; a list or free text cannot be a range."""
    if t is list or t is dict or typing.get_origin(t) in (list, dict):
        raise ScenarioError(source, at, "names a section or a list, allowed a number, true/false or choice field "
                            "inside it")
    if t in (int, float):
        return "int" if t is int else "float"
    if t is bool or f.metadata.get("choices"):
        return "choice"
    raise ScenarioError(source, at, "a free-text field, allowed a number, true/false or choice field")


def parse_range(path: Any, raw: Any, source: str, where: str, prefixes: tuple[str, ...] = (),
                excluded: Mapping[str, str] | None = None) -> FieldRange:
    """One range from ``path: raw`` of the mapping at ``where``, checked against the schema:
    ``prefixes`` are the sections allowed (all when empty); ``excluded`` maps a path that may
    not move to the reason given."""
    at = f"{where}.{path}"
    if not isinstance(path, str) or not path:
        raise ScenarioError(source, at, f"given key {shown(path)}, allowed a field path such as strategy.entry.level")
    if excluded and path in excluded:
        raise ScenarioError(source, at, excluded[path])
    if prefixes and not path.startswith(prefixes):
        raise bad_value(source, at, path, f"a path under {' or '.join(prefixes)} (e.g. strategy.entry.level)")
    f, t = field_at(Scenario, path, source, at)
    kind = _kind(f, t, source, at)
    doc = str(f.metadata.get("doc", ""))
    if kind == "choice":
        if not isinstance(raw, list) or len(raw) < 2:
            raise bad_value(source, at, raw, "a list of at least two values to try")
        values = tuple(check_path(Scenario, path, v, source, f"{at}[{i}]") for i, v in enumerate(raw))
        if len(set(values)) != len(values):
            raise bad_value(source, at, raw, "distinct values")
        return FieldRange(path, kind, 0.0, 1.0, values, doc)
    if not isinstance(raw, list) or len(raw) != 2 or not all(_is_number(v) for v in raw):
        raise bad_value(source, at, raw, "a range [low, high] of two numbers")
    low, high = (check_path(Scenario, path, v, source, f"{at}[{i}]") for i, v in enumerate(raw))
    if not low < high:
        raise bad_value(source, at, raw, "a range [low, high] with low < high")
    return FieldRange(path, kind, low, high, (), doc)


def _ends(r: FieldRange) -> tuple:
    return r.choices if r.kind == "choice" else (r.low, r.high)


def check_with_base(ranges: list[FieldRange], base: Scenario, source: str, where: str) -> None:
    """Refuse a value that the base scenario's fixed fields do not fit (every error collected);
    a clash with another moved field is left to whoever combines them."""
    moved = {r.path for r in ranges}
    errors = []
    for r in ranges:
        for i, v in enumerate(_ends(r)):
            try:
                base.with_overrides({r.path: v}, source=source)
            except ScenarioError as exc:
                if exc.path == r.path:
                    errors.append(ScenarioError(source, f"{where}.{r.path}[{i}]", exc.message))
                elif exc.path not in moved:
                    errors.append(ScenarioError(source, f"{where}.{r.path}[{i}]", f"given {shown(v)}, which the "
                                                f"base scenario's {exc.path} does not fit: {exc.message}"))
    if errors:
        raise ScenarioError.collect(errors)


def parse_ranges(raw: Any, source: str, where: str, base: Scenario | None = None, prefixes: tuple[str, ...] = (),
                 excluded: Mapping[str, str] | None = None, max_count: int | None = None) -> list[FieldRange]:
    """Every range of the mapping at ``where``, in the file's order, checked against the schema
    and, when given, the base scenario; all errors are collected into one ``ScenarioError``."""
    if not isinstance(raw, dict) or not raw:
        raise bad_value(source, where, raw, "a mapping of field path to [low, high] or to the values to try, e.g. "
                        "{strategy.entry.level: [0, 200], strategy.entry.kind: [open, fee]}")
    if max_count is not None and len(raw) > max_count:
        raise ScenarioError(source, where, f"given {len(raw):,} {where}, allowed at most {max_count}")
    ranges, errors = [], []
    for path, value in raw.items():
        try:
            ranges.append(parse_range(path, value, source, where, prefixes, excluded))
        except ScenarioError as exc:
            errors.append(exc)
    if errors:
        raise ScenarioError.collect(errors)
    if base is not None:
        check_with_base(ranges, base, source, where)
    return ranges
