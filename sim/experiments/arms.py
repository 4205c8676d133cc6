"""The arms of an experiment file before they meet the base scenario: a list of named arms
(name, description, overrides) or a grid (values per field path, expanded into one arm per
combination, named 'field=value, ...'). Every arm's errors are collected, not only the first.
"""

from __future__ import annotations

import itertools
import json
import math
from typing import Any

from ..scenario import ScenarioError, check_name
from ..scenario.errors import bad_value, did_you_mean, shown

ARM_KEYS = ("name", "description", "overrides")
MAX_ARMS = 1_000  # a report of more strategies cannot be read; loading 1,000 arms takes seconds


def _overrides(value: Any, source: str, path: str, errors: list[ScenarioError]) -> dict[str, Any]:
    """The overrides whose keys are field paths; each other key's error is added to ``errors``."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        errors.append(bad_value(source, path, value, "a mapping of field path to value, e.g. {strategy.entry.kind: fee}"))
        return {}
    out = {}
    for key, v in value.items():
        if not isinstance(key, str):
            errors.append(bad_value(source, f"{path}.{key}", key, "a field path such as strategy.entry.kind"))
        elif key == "seed":
            errors.append(ScenarioError(source, f"{path}.seed", "given a seed; allowed no seed here: each replicate's "
                                        "seed comes from the experiment's master seed (set `seed` at the top of the "
                                        "experiment file instead)"))
        else:
            out[key] = v
    return out


def named_arms(raw: Any, source: str, errors: list[ScenarioError]) -> list[tuple[str, str, dict, str]]:
    """(name, description, overrides, error prefix) of a list of named arms; every arm's errors
    are added to ``errors`` and its overrides still checked (an arm with a wrong name or a
    duplicate one too: its overrides' errors do not depend on its name)."""
    if not isinstance(raw, list) or not raw:
        raise bad_value(source, "arms", raw, "a non-empty list of arms, each with name and overrides")
    if len(raw) > MAX_ARMS:
        raise ScenarioError(source, "arms", f"given {len(raw):,} arms, allowed at most {MAX_ARMS:,}")
    out, seen = [], set()
    for i, item in enumerate(raw):
        where = f"arms[{i}]"
        if not isinstance(item, dict):
            errors.append(bad_value(source, where, item, "a mapping with name and overrides"))
            continue
        for key in item:
            if key not in ARM_KEYS:
                errors.append(ScenarioError(source, f"{where}.{key}", f"unknown field {shown(key)}"
                                            f"{did_you_mean(str(key)[:100], ARM_KEYS)} (allowed: {', '.join(ARM_KEYS)})"))
        name = item.get("name")
        try:
            check_name(source, f"{where}.name", name)
        except ScenarioError as exc:
            errors.append(exc)
        if isinstance(name, str) and name in seen:
            errors.append(bad_value(source, f"{where}.name", name, "a name no other arm has"))
        seen.add(name if isinstance(name, str) else None)
        desc = item.get("description", "")
        if not isinstance(desc, str):
            errors.append(bad_value(source, f"{where}.description", desc, "a string"))
            desc = ""
        out.append((name if isinstance(name, str) else f"arm {i}", desc,
                    _overrides(item.get("overrides"), source, f"{where}.overrides", errors), f"{where}.overrides"))
    return out


def _value_label(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, (list, dict)):
        return json.dumps(v, sort_keys=True)
    return str(v)


def grid_arms(raw: Any, source: str) -> list[tuple[str, str, dict, str]]:
    """Arms of a grid: the cartesian product of the values listed per field path, named
    'field=value, ...' with each path's last part (the whole path where two share it)."""
    if not isinstance(raw, dict) or not raw:
        raise bad_value(source, "grid", raw, "a mapping of field path to a list of values")
    paths = list(raw)
    errors = []  # every field's, before any arm is made
    for p in paths:
        values = raw[p]
        if not isinstance(p, str):
            errors.append(bad_value(source, f"grid.{p}", p, "a field path such as strategy.entry.kind"))
        elif p == "seed":
            errors.append(ScenarioError(source, "grid.seed", "given a seed; allowed no seed here: seeds come from "
                                        "the experiment's master seed"))
        elif not isinstance(values, list) or not values:
            errors.append(bad_value(source, f"grid.{p}", values, "a non-empty list of values"))
    if errors:
        raise ScenarioError.collect(errors)
    count = math.prod(len(raw[p]) for p in paths)  # counted before expanding
    if count > MAX_ARMS:
        sizes = " x ".join(f"{len(raw[p]):,}" for p in paths)
        raise ScenarioError(source, "grid", f"given a grid of {sizes} = {count:,} arms, allowed at most "
                            f"{MAX_ARMS:,} arms (fewer values per field, or fewer fields)")
    last = [p.rsplit(".", 1)[-1] for p in paths]
    labels = [lab if last.count(lab) == 1 else p for lab, p in zip(last, paths)]
    out = []
    for combo in itertools.product(*(raw[p] for p in paths)):
        name = ", ".join(f"{lab}={_value_label(v)}" for lab, v in zip(labels, combo))
        out.append((name, "", dict(zip(paths, combo)), f"grid[{name}]"))
    if len({n for n, *_ in out}) != len(out):
        raise ScenarioError(source, "grid", "lists a value twice for one field, allowed distinct values")
    return out
