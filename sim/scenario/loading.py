"""Reading scenario files: YAML with errors that name the file and line, then validation into
a Scenario; relative edge-list paths resolve against the scenario file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .edge_list import read_edge_list
from .errors import ScenarioError
from .schema import Scenario, scenario_from_dict


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
        # The file's members are the founders: record their number in the resolved scenario.
        s.community.initial_members = read_edge_list(net.edge_list)[0]
    return s

