"""The social graph as edge arrays, for fast sums over each member's ties (C3: replies flow
along ties)."""

from __future__ import annotations

import numpy as np
from scipy import sparse


def _grown(a: np.ndarray, used: int, cap: int) -> np.ndarray:
    """``a``'s first ``used`` entries in a new array of ``cap`` (np.resize repeats the array to
    fill it: several times slower for the same use)."""
    out = np.empty(cap, dtype=a.dtype)
    out[:used] = a[:used]
    return out


SCATTER_ABOVE = 4096  # members above which a few rows' ties are added up one by one (same sums)


def _tie_positions(indptr: np.ndarray, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(positions in a compressed sparse matrix's arrays of the entries of ``rows``, row by row;
    the number each row has)."""
    starts = indptr[rows]
    lens = indptr[rows + 1] - starts
    if len(rows) <= 8:  # a few ranges: cheaper one by one
        return (np.concatenate([np.arange(a, a + k) for a, k in zip(starts.tolist(), lens.tolist())])
                if len(rows) else np.zeros(0, dtype=np.intp)), lens
    return (starts - lens.cumsum() + lens).repeat(lens) + np.arange(int(lens.sum())), lens


class Ties:
    """The social graph as edge arrays for fast neighbour sums (both directions stored).

    A compressed sparse matrix serves the bulk of the edges; edges added since its last build
    are summed directly until there are enough of them to rebuild.
    """

    def __init__(self) -> None:
        self._src = np.zeros(1024, dtype=np.int64)
        self._dst = np.zeros(1024, dtype=np.int64)
        self.count = 0
        self._matrix: sparse.csr_array | None = None
        self._built_edges = 0
        self._built_n = 0

    @property
    def src(self) -> np.ndarray:
        return self._src[: self.count]

    @property
    def dst(self) -> np.ndarray:
        return self._dst[: self.count]

    def add(self, a: np.ndarray, b: np.ndarray) -> None:
        """Add undirected ties a[i]-b[i]."""
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        k = 2 * len(a)
        if self.count + k > len(self._src):
            cap = max(self.count + k, int(1.6 * len(self._src)))
            self._src = _grown(self._src, self.count, cap)
            self._dst = _grown(self._dst, self.count, cap)
        c = self.count
        self._src[c: c + len(a)] = a
        self._src[c + len(a): c + k] = b
        self._dst[c: c + len(a)] = b
        self._dst[c + len(a): c + k] = a
        self.count += k

    def remap(self, mapping: np.ndarray) -> None:
        """Renumber endpoints after the member table was compacted; drop ties to archived rows."""
        src, dst = mapping[self.src], mapping[self.dst]
        keep = (src >= 0) & (dst >= 0)
        k = int(keep.sum())
        self._src[:k] = src[keep]
        self._dst[:k] = dst[keep]
        self.count = k
        self._matrix = None
        self._built_edges = 0

    def _ensure_matrix(self, n: int) -> int:
        """(Re)build the sparse matrix when members or pending edges outgrew it; returns how
        many edges are pending outside it."""
        pending = self.count - self._built_edges
        if self._matrix is None or n > self._built_n or pending > 0.1 * max(1, self._built_edges):
            size = self._built_n if n <= self._built_n else int(1.5 * n) + 64
            self._matrix = sparse.csr_array(
                (np.ones(self.count), (self.src, self.dst)), shape=(size, size))
            self._built_edges = self.count
            self._built_n = size
            self._padded = np.zeros(size)
            pending = 0
        return pending

    def neighbour_sum(self, values: np.ndarray) -> np.ndarray:
        """For each member, the sum of ``values`` over its ties (``values`` has one entry a row)."""
        n = len(values)
        pending = self._ensure_matrix(n)
        padded = self._padded
        padded[:n] = values
        padded[n:] = 0.0
        out = (self._matrix @ padded)[:n]
        if pending:
            s = self._src[self._built_edges: self.count]
            d = self._dst[self._built_edges: self.count]
            out += np.bincount(s, weights=values[d], minlength=n)
        return out

    def neighbours(self, row: int, n: int) -> np.ndarray:
        """The members tied to ``row`` (sorted, each once)."""
        self._ensure_matrix(n)
        a, b = self._matrix.indptr[row], self._matrix.indptr[row + 1]
        pending_src = self._src[self._built_edges: self.count]
        pending = self._dst[self._built_edges: self.count][pending_src == row]
        return np.unique(np.concatenate([self._matrix.indices[a:b], pending]))

    def neighbour_count(self, rows: np.ndarray, n: int) -> np.ndarray:
        """For each of ``n`` members, how many ties it has to members in ``rows`` (distinct
        rows). Cheaper than ``neighbour_sum`` when ``rows`` is a small part of the group."""
        if len(rows) * 4 > n:
            flags = np.zeros(n)
            flags[rows] = 1.0
            return self.neighbour_sum(flags)
        pending = self._ensure_matrix(n)
        indices, weight = self._matrix.indices, self._matrix.data
        offsets, _ = _tie_positions(self._matrix.indptr, rows)
        scatter = n > SCATTER_ABOVE  # add up the few ties, rather than bin them over the whole group
        if scatter:
            out = np.zeros(n)
            np.add.at(out, indices[offsets], weight[offsets])
        else:
            out = np.bincount(indices[offsets], weights=weight[offsets], minlength=self._built_n)[:n]
        if pending:
            flags = np.zeros(n, dtype=bool)
            flags[rows] = True
            s = self._src[self._built_edges: self.count]
            d = self._dst[self._built_edges: self.count]
            if scatter:
                np.add.at(out, s[flags[d]], 1.0)
            else:
                out += np.bincount(s[flags[d]], minlength=n)
        return out

    def neighbour_pairs(self, rows: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
        """(position in ``rows``, neighbour row) for every tie of each of ``rows`` (ascending, as
        from ``nonzero``; a tie added twice appears twice), by position: each row's ties in the
        matrix, then those added since. Costs the ties of ``rows``, not the size of the group."""
        pending = self._ensure_matrix(n)
        offsets, lens = _tie_positions(self._matrix.indptr, rows)
        owner = np.arange(len(rows)).repeat(lens)
        neighbour = self._matrix.indices[offsets].astype(np.int64)
        if pending:
            s = self._src[self._built_edges: self.count]
            d = self._dst[self._built_edges: self.count]
            if n > SCATTER_ABOVE and len(rows):  # find the owners among ``rows`` by search
                at = np.minimum(rows.searchsorted(s), len(rows) - 1)
                hit = rows[at] == s
                at = at[hit]
            else:
                position = np.full(n, -1, dtype=np.int64)
                position[rows] = np.arange(len(rows))
                hit = position[s] >= 0
                at = position[s[hit]]
            if len(at):
                owner = np.concatenate([owner, at])
                order = owner.argsort(kind="stable")
                owner, neighbour = owner[order], np.concatenate([neighbour, d[hit]])[order]
        return owner, neighbour

