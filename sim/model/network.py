"""The founding members' social graph: generated from the scenario (seeded) or loaded from an
edge list (C3: replies flow along ties), as an array of ties.

Small and mid-sized groups use networkx's generators (seeded: networkx is unseeded otherwise).
From ``ARRAY_GRAPH_MEMBERS`` founding members on, the small-world and random graphs are drawn as
numpy arrays instead, by the same rules (a ring lattice with each tie rewired with probability
``rewire``; ``n * k / 2`` distinct ties uniformly at random): networkx builds a million-member
small world in about 12 s, the arrays in well under one (tests/test_model.py compares their
degree distributions and clustering with networkx's). The scale-free graph always comes from
networkx.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from ..scenario import Network, read_edge_list

ARRAY_GRAPH_MEMBERS = 50_000  # from this size on, small-world and random graphs are built as arrays


def build_network(net: Network, n: int, rng: np.random.Generator) -> tuple[int, np.ndarray]:
    """(members, ties): members are 0..members-1, ties an int64 array of shape (m, 2), each
    undirected tie once. Generators get a seed drawn from ``rng``; an edge list's members are
    renumbered 0.. in file order."""
    seed = int(rng.integers(2**31 - 1))
    k = max(2, min(net.mean_degree, n - 1))
    if net.kind == "small_world" and n >= ARRAY_GRAPH_MEMBERS:
        return n, small_world_ties(n, k, net.rewire, np.random.default_rng(seed))
    if net.kind == "random" and n >= ARRAY_GRAPH_MEMBERS:
        return n, random_ties(n, n * k // 2, np.random.default_rng(seed))
    if net.kind == "small_world":
        g = nx.watts_strogatz_graph(n, k, net.rewire, seed=seed)
    elif net.kind == "scale_free":
        g = nx.barabasi_albert_graph(n, max(1, min(k // 2, n - 1)), seed=seed)
    elif net.kind == "random":
        g = nx.gnm_random_graph(n, n * k // 2, seed=seed)
    else:
        members, ties = read_edge_list(net.edge_list)
        g = nx.Graph()
        g.add_nodes_from(range(members))
        g.add_edges_from(ties)
    return g.number_of_nodes(), np.array(list(g.edges()), dtype=np.int64).reshape(-1, 2)


def _clashes(u: np.ndarray, v: np.ndarray, n: int, movable: np.ndarray) -> np.ndarray:
    """Indices of movable ties that are self-loops or repeat a tie met earlier, fixed ties first
    (so a fixed tie is never the one redrawn)."""
    key = (np.minimum(u, v) * n + np.maximum(u, v)) * 2 + movable   # by tie, fixed before movable
    order = np.argsort(key, kind="stable")
    tie = key[order] >> 1
    first = np.ones(len(key), bool)
    first[1:] = tie[1:] != tie[:-1]
    repeat = np.zeros(len(key), bool)
    repeat[order] = ~first
    return np.flatnonzero(movable & (repeat | (u == v)))


def small_world_ties(n: int, k: int, rewire: float, rng: np.random.Generator) -> np.ndarray:
    """Watts-Strogatz as arrays: each member tied to its ``k // 2`` next neighbours on a ring;
    each tie's far end moved, with probability ``rewire``, to a member drawn uniformly (redrawn
    while it would be a self-loop or a tie that already exists)."""
    half = k // 2
    u = np.repeat(np.arange(n, dtype=np.int64), half)
    v = (u + np.tile(np.arange(1, half + 1, dtype=np.int64), n)) % n
    moved = rng.random(len(u)) < rewire
    v[moved] = rng.integers(0, n, int(moved.sum()))
    while len(bad := _clashes(u, v, n, moved)):
        v[bad] = rng.integers(0, n, len(bad))
    return np.column_stack([u, v])


def random_ties(n: int, m: int, rng: np.random.Generator) -> np.ndarray:
    """G(n, m) as arrays: ``m`` distinct ties between members drawn uniformly (no self-loops)."""
    m = min(m, n * (n - 1) // 2)
    u, v = rng.integers(0, n, m), rng.integers(0, n, m)
    movable = np.ones(m, bool)
    while len(bad := _clashes(u, v, n, movable)):
        u[bad], v[bad] = rng.integers(0, n, len(bad)), rng.integers(0, n, len(bad))
    return np.column_stack([u, v])
