"""The founding members' social graph: generated from the scenario (seeded) or loaded from an
edge list (C3: replies flow along ties)."""

from __future__ import annotations

import networkx as nx
import numpy as np

from ..scenario import Network, read_edge_list


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
    members, ties = read_edge_list(net.edge_list)
    g = nx.Graph()
    g.add_nodes_from(range(members))
    g.add_edges_from(ties)
    return g
