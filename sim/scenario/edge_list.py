"""Edge-list files: the founding members' ties as given by the user, one tie per line.

Read here, in the scenario layer, because loading a scenario that names an edge list records
how many founders the file holds; the model builds its graph from what this returns.
"""

from __future__ import annotations

from .errors import ScenarioError


def read_edge_list(path: str) -> tuple[int, list[tuple[int, int]]]:
    """(members, ties) of an edge-list file: 'a b' lines, comments after #; members are
    numbered 0.. in order of first appearance; self-ties are dropped."""
    order: dict[str, int] = {}
    edges = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            parts = line.split()
            if len(parts) < 2:
                raise ScenarioError(path, "", f"line {lineno}: given {line!r}, allowed two member names per line")
            a, b = (order.setdefault(p, len(order)) for p in parts[:2])
            if a != b:
                edges.append((a, b))
    if len(order) < 2:
        raise ScenarioError(path, "", "given fewer than two members, allowed an edge list with at least one tie")
    return len(order), edges
