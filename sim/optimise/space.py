"""The search space of a strategy search: which levers move and over what values, read from a
file's ``levers:`` mapping and checked against the scenario schema before anything runs.

A lever is a dotted path into the scenario's ``strategy`` or ``community`` section with either
a numeric range ``[low, high]`` (whole numbers for an integer field) or a list of choices that
are not numbers (``[open, fee, screening]``, ``[true, false]``). Every bound and every choice is
checked with the schema's own field checks (``sim.scenario.fields.check_path``), so an error
names the file, ``levers.<path>`` (``[i]`` for a choice), what was given and what is allowed.
Values that pass one by one may still clash with each other (a screening level above 1):
such a candidate is refused when it is built, and the search counts it as invalid.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..experiments.spec import bad_value
from ..scenario import Scenario, ScenarioError
from ..scenario.changes import check_each
from ..scenario.fields import check_path

SECTIONS = ("strategy.", "community.")  # what an operator chooses; behaviour is calibrated, not chosen
FIXED = ("community.network.edge_list",)  # a file, not a value to search over
MAX_LEVERS = 50


@dataclass(frozen=True)
class Lever:
    """One lever of the search: ``kind`` is "int" or "float" (from ``low`` to ``high``) or
    "choice" (one of ``choices``)."""

    path: str
    kind: str
    low: float = 0.0
    high: float = 0.0
    choices: tuple = ()

    def contains(self, value: Any) -> bool:
        """Whether ``value`` lies in this lever's range or choices."""
        if self.kind == "choice":
            return value in self.choices
        return not isinstance(value, bool) and isinstance(value, (int, float)) and self.low <= value <= self.high

    def to_plain(self) -> list:
        """The lever as a file writes it: ``[low, high]`` or the list of choices."""
        return list(self.choices) if self.kind == "choice" else [self.low, self.high]


def _is_number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def parse_lever(source: str, path: Any, value: Any, where: str = "levers") -> Lever:
    """Check one entry of ``levers`` (dotted path -> range or choices) against the schema."""
    at = f"{where}.{path}"
    if path in FIXED:
        raise bad_value(source, at, path, "a lever path whose value can be searched (this one names a file)")
    if not isinstance(path, str) or not path.startswith(SECTIONS):
        raise bad_value(source, at, path, "a lever path under strategy. or community. (e.g. strategy.entry.level; "
                        "behaviour constants are fitted by `community-sim calibrate`, not chosen)")
    if not isinstance(value, list) or len(value) < 2:
        raise bad_value(source, at, value, "a range [low, high] of numbers, or a list of at least two choices "
                        "such as [open, fee, screening]")
    if all(_is_number(v) for v in value):
        if len(value) != 2 or not value[0] < value[1]:
            raise bad_value(source, at, value, "a range [low, high] with low below high (two numbers)")
        low, high = (check_path(Scenario, path, v, source, at) for v in value)
        return Lever(path, "int" if isinstance(low, int) else "float", low, high)
    if any(_is_number(v) for v in value) or not all(isinstance(v, (str, bool)) for v in value):
        raise bad_value(source, at, value, "either two numbers [low, high] or choices that are all words or "
                        "true/false, not a mix")
    if len(set(value)) != len(value):
        raise bad_value(source, at, value, "each choice once")
    return Lever(path, "choice", choices=tuple(check_path(Scenario, path, v, source, f"{at}[{i}]")
                                               for i, v in enumerate(value)))


def parse_levers(source: str, raw: Any, where: str = "levers") -> list[Lever]:
    """Every lever of a ``levers`` mapping, checked; all the mapping's errors are collected into
    one ``ScenarioError``."""
    if not isinstance(raw, dict) or not raw:
        raise bad_value(source, where, raw, "a mapping of lever path to [low, high] or a list of choices, e.g. "
                        "{strategy.entry.level: [0, 300], strategy.entry.kind: [open, fee]}")
    if len(raw) > MAX_LEVERS:
        raise ScenarioError(source, where, f"given {len(raw):,} levers, allowed at most {MAX_LEVERS}")
    return list(check_each(raw, lambda path, value: parse_lever(source, path, value, where)).values())


def value_at(scenario: Scenario, path: str) -> Any:
    """The value of a scenario's field at a dotted path."""
    node: Any = scenario
    for part in path.split("."):
        node = getattr(node, part)
    return node
