"""Reading scenario files: YAML with errors that name the file and line (a key given twice in
one mapping is an error, never "the last one wins"), then validation into a Scenario; relative
edge-list paths resolve against the scenario file. A scenario's name becomes a folder name, so it
must be one: no path separators, no '..', no control characters, at most NAME_LIMIT characters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .edge_list import read_edge_list
from .errors import ScenarioError
from .schema import Scenario, scenario_from_dict


NAME_LIMIT = 100


class DuplicateKey(yaml.MarkedYAMLError):
    """A mapping gives the same key twice."""


class StrictLoader(yaml.SafeLoader):
    """The safe loader, refusing a mapping that gives one key twice."""

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                continue  # the base class reports unhashable keys
            if key in seen:
                raise DuplicateKey(None, None, f"key {key!r} given twice in one mapping (first at line {seen[key]}); "
                                   "allowed: each key once", key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


def check_name(source: str, path: str, value: Any, limit: int = NAME_LIMIT) -> None:
    """A name that becomes a folder (or file) name: refuse what is not one."""
    allowed = (f"a name of 1 to {limit} characters without '/', '\\', control characters, "
               "and not '.' or '..' (letters, digits, spaces and punctuation are fine)")
    bad = (not isinstance(value, str) or not value.strip() or len(value) > limit or value in (".", "..")
           or any(c in value for c in "/\\") or any(ord(c) < 32 or ord(c) == 127 for c in value))
    if bad:
        shown = repr(value) if not isinstance(value, str) or len(value) <= 60 else f"{value[:40]!r}... ({len(value)} characters)"
        raise ScenarioError(source, path, f"given {shown}, allowed {allowed}")


def read_yaml(path: str | Path) -> Any:
    """Read a YAML file; a syntax error or a key given twice names the file and line."""
    p = Path(path)
    if not p.is_file():
        raise ScenarioError(str(p), "", "file not found")
    try:
        with p.open(encoding="utf-8") as fh:
            return yaml.load(fh, Loader=StrictLoader)  # noqa: S506 - a SafeLoader subclass
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
    check_name(str(path), "name", s.name)
    net = s.community.network
    if net.kind == "edge_list" and not Path(net.edge_list).is_absolute():
        net.edge_list = str((Path(path).parent / net.edge_list).resolve())
    if net.kind == "edge_list" and not Path(net.edge_list).is_file():
        raise ScenarioError(str(path), "community.network.edge_list", f"given {net.edge_list!r}, allowed an existing file")
    if net.kind == "edge_list":
        # The file's members are the founders: record their number in the resolved scenario.
        s.community.initial_members = read_edge_list(net.edge_list)[0]
    return s

