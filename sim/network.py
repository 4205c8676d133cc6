"""The social graph: generated from the scenario (seeded) or loaded from an edge list."""

from __future__ import annotations

import networkx as nx
import numpy as np

from .scenario import Network, ScenarioError


def build_network(net: Network, n: int, rng: np.random.Generator) -> nx.Graph:
    """A graph on members 0..n-1. Generators get a seed drawn from ``rng`` (networkx is
    unseeded otherwise); an edge list's members are renumbered 0.. in file order."""
    seed = int(rng.integers(2**31 - 1))
    k = max(2, min(net.mean_degree, n - 1))
    if net.kind == "small_world":
        return nx.watts_strogatz_graph(n, k, net.rewire, seed=seed)
    if net.kind == "scale_free":
        return nx.barabasi_albert_graph(n, max(1, min(k // 2, n - 1)), seed=seed)
    if net.kind == "random":
        return nx.gnm_random_graph(n, n * k // 2, seed=seed)
    return load_edge_list(net.edge_list)


def load_edge_list(path: str) -> nx.Graph:
    """Read 'a b' lines (comments with #); members are renumbered in order of appearance."""
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
    g = nx.Graph()
    g.add_nodes_from(range(len(order)))
    g.add_edges_from(edges)
    return g
