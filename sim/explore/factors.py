"""Factor ranges: which scenario fields a study varies and over what range, read from a file's
``factors:`` mapping (field path -> ``[low, high]`` for a number, or the list of values to try
for a choice or true/false field) and checked against the scenario schema.

A number field stays in the type the schema gives it: an integer field gets integers, spread
evenly over ``low..high`` inclusive. A choice field (e.g. ``strategy.entry.kind``) is treated as
categorical: the unit interval is cut into as many equal parts as values listed. Both ends of a
range, and every listed value, are checked with ``Scenario.with_overrides`` first, so an error
names the file, ``factors.<path>`` (with ``[0]``/``[1]`` for an end), what was given and what is
allowed. ``load_factors`` is the one public reader (searches over lever ranges may reuse it).
"""

from __future__ import annotations

import dataclasses
import difflib
import math
import typing
from dataclasses import dataclass
from typing import Any

from ..scenario import Scenario, ScenarioError
from ..scenario.errors import shown
from ..scenario.fields import type_hints

KINDS = ("int", "float", "choice")
NOT_FACTORS = ("name", "description", "seed", "days")  # set elsewhere in the file, or not a number
LEVER_PREFIX = "strategy."
_EDGE = 1e-9  # a point on a level's upper edge (e.g. 1/3 * 3 computed as 0.9999...) counts as that level


@dataclass(frozen=True)
class Factor:
    """One varied field: its path, its range (``low``..``high`` for int and float; the listed
    ``choices`` for a choice) and its kind; ``doc`` is the schema's one-line description."""

    path: str
    kind: str
    low: float = 0.0
    high: float = 1.0
    choices: tuple = ()
    doc: str = ""

    @property
    def is_lever(self) -> bool:
        """A lever is the operator's (strategy.*); anything else is an assumption about people."""
        return self.path.startswith(LEVER_PREFIX)

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

    def range_text(self) -> str:
        """The range as a person reads it: '0 to 200' or 'open, fee'."""
        if self.kind == "choice":
            return ", ".join(_plain(c) for c in self.choices)
        return f"{self.low:g} to {self.high:g}"


def _plain(v: Any) -> str:
    return ("true" if v else "false") if isinstance(v, bool) else str(v)


def _field_at(path: str) -> tuple[dataclasses.Field, Any] | None:
    """The schema field a dotted path names inside ``Scenario`` and its type (None if none)."""
    node: Any = Scenario
    found = None
    for part in path.split("."):
        if not dataclasses.is_dataclass(node):
            return None
        fields = {f.name: f for f in dataclasses.fields(node)}
        if part not in fields:
            return None
        found = fields[part], type_hints(node)[part]
        node = found[1]
    return found


def _check(base: Scenario, path: str, value: Any, source: str, where: str) -> Any:
    """``value`` as the schema builds it at ``path`` (the base scenario's other fields kept);
    an error names ``where``."""
    try:
        scenario = base.with_overrides({path: value}, source=source)
    except ScenarioError as exc:
        if exc.path != path:  # the value is allowed, but not with the base's other fields
            raise ScenarioError(source, where, f"given {shown(value)}, which the base scenario's {exc.path} does "
                                f"not fit: {exc.message}") from None
        raise ScenarioError(source, where, exc.message) from None
    node: Any = scenario
    for part in path.split("."):
        node = getattr(node, part)
    return node


def _kind(path: str, source: str) -> tuple[str, dataclasses.Field, Any]:
    found = _field_at(path)
    where = f"factors.{path}"
    if found is None:
        leaves = [p for p, *_ in _all_paths(Scenario)]
        hint = difflib.get_close_matches(path[:200], leaves, n=1, cutoff=0.6)
        extra = f" (did you mean '{hint[0]}'?)" if hint else ""
        raise ScenarioError(source, where, f"no such field in the scenario{extra}")
    f, t = found
    if path in NOT_FACTORS:
        raise ScenarioError(source, where, f"{path} cannot vary (set `{path}:` at the top of the file, or leave it)")
    if dataclasses.is_dataclass(t) or t is list or typing.get_origin(t) in (list, dict) or t is dict:
        raise ScenarioError(source, where, "names a section or a list, allowed a number, true/false or choice field "
                            "inside it")
    if t in (int, float):
        return ("int" if t is int else "float"), f, t
    if t is bool or f.metadata.get("choices"):
        return "choice", f, t
    raise ScenarioError(source, where, "a free-text field, allowed a number, true/false or choice field")


def _all_paths(cls: type, prefix: str = "") -> list[tuple[str, Any]]:
    out = []
    for f in dataclasses.fields(cls):
        t = type_hints(cls)[f.name]
        if dataclasses.is_dataclass(t):
            out.extend(_all_paths(t, f"{prefix}{f.name}."))
        else:
            out.append((f"{prefix}{f.name}", t))
    return out


def load_factor(path: Any, raw: Any, source: str, base: Scenario) -> Factor:
    """One factor from ``path: raw`` of a file's ``factors:`` mapping, checked against ``base``."""
    if not isinstance(path, str) or not path:
        raise ScenarioError(source, f"factors.{path}", f"given key {shown(path)}, allowed a field path such as "
                            "strategy.entry.level")
    kind, f, _ = _kind(path, source)
    where = f"factors.{path}"
    doc = str(f.metadata.get("doc", ""))
    if kind == "choice":
        if not isinstance(raw, list) or len(raw) < 2:
            raise ScenarioError(source, where, f"given {shown(raw)}, allowed a list of at least two values to try")
        values = tuple(_check(base, path, v, source, f"{where}[{i}]") for i, v in enumerate(raw))
        if len(set(values)) != len(values):
            raise ScenarioError(source, where, f"given {shown(raw)}, allowed distinct values")
        return Factor(path, kind, 0.0, 1.0, values, doc)
    if not isinstance(raw, list) or len(raw) != 2:
        raise ScenarioError(source, where, f"given {shown(raw)}, allowed a range [low, high]")
    low, high = (_check(base, path, v, source, f"{where}[{i}]") for i, v in enumerate(raw))
    if not low < high:
        raise ScenarioError(source, where, f"given {shown(raw)}, allowed a range [low, high] with low < high")
    return Factor(path, kind, low, high, (), doc)


def load_factors(raw: Any, source: str, base: Scenario) -> list[Factor]:
    """Every factor of a ``factors:`` mapping, in the file's order; all errors are collected
    into one ``ScenarioError`` (its ``errors``)."""
    if not isinstance(raw, dict) or not raw:
        raise ScenarioError(source, "factors", f"given {shown(raw)}, allowed a mapping of field path to [low, high] "
                            "(or to the values to try), e.g. {strategy.entry.level: [0, 200]}")
    factors, errors = [], []
    for path, value in raw.items():
        try:
            factors.append(load_factor(path, value, source, base))
        except ScenarioError as exc:
            errors.append(exc)
    if errors:
        raise ScenarioError.collect(errors)
    return factors
