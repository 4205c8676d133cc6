"""The message log: one row per message the group saw (day, author, the author it answers,
kind), the model's own version of a real group's message export. The same statistics that
``sim.evidence`` computes on real communities' logs are computed on it."""

from __future__ import annotations

import numpy as np

MESSAGE_KINDS: tuple[str, ...] = ("post", "scheduled", "ad")  # members' own, organisers' cadence, ads
KIND = {name: i for i, name in enumerate(MESSAGE_KINDS)}


class MessageLog:
    """Rows appended day by day as chunks (a day, the authors, whom they answer, a kind);
    ``columns()`` joins them."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._joined: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None
        self._chunks: list[tuple[int, np.ndarray, np.ndarray | None, int]] = []  # added since
        self.rows = 0

    def add(self, day: int, authors: np.ndarray, reply_to: np.ndarray | None, kind: str) -> None:
        """Messages by member ids ``authors`` (one entry a message), answering ``reply_to``
        (member ids, -1 for none; None: none of them answers anyone)."""
        if not self.enabled or not len(authors):
            return
        self._chunks.append((day, authors, reply_to, KIND[kind]))  # columns are made when asked for
        self.rows += len(authors)

    def columns(self) -> dict[str, np.ndarray]:
        """The log so far: day, author, reply_to, kind (index into MESSAGE_KINDS), in order."""
        if self._chunks:
            days, authors, reply_to, kinds = zip(*self._chunks)
            sizes = [len(a) for a in authors]
            new = (np.repeat(np.array(days, dtype=np.int32), sizes),
                   np.concatenate([np.asarray(a, dtype=np.int64) for a in authors]),
                   np.concatenate([np.full(k, -1, dtype=np.int64) if to is None else np.asarray(to, dtype=np.int64)
                                   for k, to in zip(sizes, reply_to)]),
                   np.repeat(np.array(kinds, dtype=np.int8), sizes))
            self._joined = new if self._joined is None else tuple(
                np.concatenate([old, part]) for old, part in zip(self._joined, new))
            self._chunks = []
        if self._joined is None:
            empty = np.zeros(0, dtype=np.int64)
            return {"day": empty.astype(np.int32), "author": empty, "reply_to": empty.copy(),
                    "kind": empty.astype(np.int8)}
        day, author, to, kind = self._joined
        return {"day": day, "author": author, "reply_to": to, "kind": kind}
