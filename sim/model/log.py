"""The message log: one row per message the group saw (day, author, the author it answers,
kind), the model's own version of a real group's message export. The same statistics that
``sim.evidence`` computes on real communities' logs are computed on it."""

from __future__ import annotations

import numpy as np

MESSAGE_KINDS: tuple[str, ...] = ("post", "scheduled", "ad")  # members' own, organisers' cadence, ads
KIND = {name: i for i, name in enumerate(MESSAGE_KINDS)}


class MessageLog:
    """Rows appended day by day as numpy chunks; ``columns()`` joins them."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled
        self._chunks: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        self.rows = 0

    def add(self, day: int, authors: np.ndarray, reply_to: np.ndarray | None, kind: str) -> None:
        """Messages by member ids ``authors`` (one entry a message), answering ``reply_to``
        (member ids, -1 for none; None: none of them answers anyone)."""
        if not self.enabled or not len(authors):
            return
        k = len(authors)
        to = np.full(k, -1, dtype=np.int64) if reply_to is None else np.asarray(reply_to, dtype=np.int64)
        self._chunks.append((np.full(k, day, dtype=np.int32), np.asarray(authors, dtype=np.int64), to,
                             np.full(k, KIND[kind], dtype=np.int8)))
        self.rows += k

    def columns(self) -> dict[str, np.ndarray]:
        """The log so far: day, author, reply_to, kind (index into MESSAGE_KINDS), in order."""
        if not self._chunks:
            empty = np.zeros(0, dtype=np.int64)
            return {"day": empty.astype(np.int32), "author": empty, "reply_to": empty.copy(),
                    "kind": empty.astype(np.int8)}
        day, author, to, kind = (np.concatenate(parts) for parts in zip(*self._chunks))
        self._chunks = [(day, author, to, kind)]
        return {"day": day, "author": author, "reply_to": to, "kind": kind}
