"""The model's state: one numpy row per member, plus group-level scalars.

Phases read and update these arrays in bulk; Mesa agents (``sim.members``) are thin views onto
one row each. Members who left stay in the table until it is compacted, when their rows move
to an archive; a member's id never changes (``row_of`` maps ids to current rows), so the table
at the end, archive included, is the full history of everyone who ever joined.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

from .scenario import MOTIVES, ROLES

ROLE = {name: i for i, name in enumerate(ROLES)}
CHANNELS: tuple[str, ...] = ("founding", "outreach", "referral", "campaign", "organic", "spam")
CHANNEL = {name: i for i, name in enumerate(CHANNELS)}
LEAVE_REASONS: tuple[str, ...] = ("", "left", "removed", "kicked", "spinoff")
REASON = {name: i for i, name in enumerate(LEAVE_REASONS)}
MOTIVE = {name: i for i, name in enumerate(MOTIVES)}

# Column name -> (dtype, fill value for a new row). Motives are a separate 2-D array.
MEMBER_COLUMNS: dict[str, tuple[type, float]] = {
    "member_id": (np.int64, -1),
    "role": (np.int8, 0),
    "present": (bool, False),
    "join_day": (np.int32, 0),
    "leave_day": (np.int32, -1),
    "joined_via": (np.int8, 0),
    "brought_by": (np.int64, -1),
    "leave_reason": (np.int8, 0),
    "fit": (np.float64, 0.0),
    "commitment": (np.float64, 0.0),
    "propensity": (np.float64, 0.0),
    "drive": (np.float64, 1.0),
    "catalyst": (bool, False),
    "spammer": (bool, False),
    "energy": (np.float64, 1.0),
    "near_leader": (np.float64, 0.0),
    "freshness": (np.float64, 1.0),
    "recognition": (np.float64, 0.0),
    "gift_glow": (np.float64, 0.0),
    "fee_paid_yuan": (np.float64, 0.0),
    "fee_weight": (np.float64, 0.0),
    "spent_yuan": (np.float64, 0.0),
    "paying": (bool, False),
    "last_post_day": (np.int32, -1),
    "last_visit_day": (np.int32, -1),
    "visits": (np.int32, 0),
    "posts": (np.int32, 0),
    "content_posts": (np.int32, 0),
    "chat_posts": (np.int32, 0),
    "ad_posts": (np.int32, 0),
    "window_posts": (np.int32, 0),
    "cleanup_posts": (np.int32, 0),
    "ads_since_cleanup": (np.int32, 0),
    "replies_received": (np.int32, 0),
    "first_post_day": (np.int32, -1),
    "first_post_answered": (np.int8, -1),
    "posted_again": (bool, False),
}


# What the member records keep of a member who left (the rest is working state).
ARCHIVED_COLUMNS: tuple[str, ...] = (
    "member_id", "role", "join_day", "leave_day", "joined_via", "brought_by", "leave_reason", "fit",
    "commitment", "catalyst", "spammer", "spent_yuan", "paying", "visits", "posts", "content_posts",
    "chat_posts", "ad_posts", "replies_received", "first_post_day", "first_post_answered", "posted_again",
)


class MemberTable:
    """Growable columns, one row per member; ``row_of[member_id]`` is its row (-1: archived)."""

    def __init__(self, capacity: int):
        self.n = 0
        self.next_id = 0
        self._cap = max(16, capacity)
        for name, (dtype, fill) in MEMBER_COLUMNS.items():
            setattr(self, name, np.full(self._cap, fill, dtype=dtype))
        self.motives = np.zeros((self._cap, len(MOTIVES)))
        self.row_of = np.full(self._cap, -1, dtype=np.int64)
        self.departed: list[np.ndarray] = []
        self.archive: list[dict[str, np.ndarray]] = []
        self.role_counts = np.zeros(len(ROLE), dtype=np.int64)  # current members by role

    def add(self, k: int) -> np.ndarray:
        """Append ``k`` default rows for new members; returns their rows."""
        need = self.n + k
        if need > self._cap:
            new_cap = max(need, int(self._cap * 1.6))
            for name, (dtype, fill) in MEMBER_COLUMNS.items():
                old = getattr(self, name)
                grown = np.full(new_cap, fill, dtype=dtype)
                grown[: self.n] = old[: self.n]
                setattr(self, name, grown)
            m = np.zeros((new_cap, len(MOTIVES)))
            m[: self.n] = self.motives[: self.n]
            self.motives = m
            self._cap = new_cap
        rows = np.arange(self.n, need)
        for name, (_, fill) in MEMBER_COLUMNS.items():  # rows freed by compaction hold old values
            getattr(self, name)[self.n: need] = fill
        ids = np.arange(self.next_id, self.next_id + k)
        if self.next_id + k > len(self.row_of):
            self.row_of = np.concatenate([self.row_of, np.full(max(k, len(self.row_of)), -1, dtype=np.int64)])
        self.member_id[rows] = ids
        self.row_of[ids] = rows
        self.next_id += k
        self.n = need
        return rows

    def compact(self) -> np.ndarray:
        """Move the rows of members who left to the archive; returns old row -> new row (-1
        for archived rows)."""
        n = self.n
        keep = self.present[:n].copy()
        gone = ~keep
        gone_ids = self.member_id[:n][gone]
        self.archive.append({name: getattr(self, name)[:n][gone] for name in ARCHIVED_COLUMNS})
        mapping = np.where(keep, np.cumsum(keep) - 1, -1)
        k = int(keep.sum())
        for name in MEMBER_COLUMNS:
            col = getattr(self, name)
            col[:k] = col[:n][keep]
        self.motives[:k] = self.motives[:n][keep]
        self.row_of[gone_ids] = -1
        self.n = k
        self.row_of[self.member_id[:k]] = np.arange(k)
        return mapping

    def records(self) -> dict[str, np.ndarray]:
        """Every member who ever joined (archive and current rows), ordered by member id."""
        parts = self.archive + [{name: getattr(self, name)[: self.n] for name in ARCHIVED_COLUMNS}]
        out = {name: np.concatenate([p[name] for p in parts]) for name in parts[0]}
        order = np.argsort(out["member_id"], kind="stable")
        return {name: col[order] for name, col in out.items()}

    def depart(self, ids: np.ndarray, day: int, reason: str) -> None:
        """Members in rows ``ids`` leave today for ``reason`` (one of LEAVE_REASONS)."""
        ids = np.asarray(ids, dtype=np.int64)
        self.role_counts -= np.bincount(self.role[ids], minlength=len(ROLE))
        self.present[ids] = False
        self.leave_day[ids] = day
        self.leave_reason[ids] = REASON[reason]
        self.departed.append(self.member_id[ids].copy())



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
            self._src = np.resize(self._src, cap)
            self._dst = np.resize(self._dst, cap)
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
        indptr, indices, weight = self._matrix.indptr, self._matrix.indices, self._matrix.data
        starts, lens = indptr[rows], indptr[rows + 1] - indptr[rows]
        total = int(lens.sum())
        offsets = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(total)
        out = np.bincount(indices[offsets], weights=weight[offsets], minlength=self._built_n)[:n]
        if pending:
            flags = np.zeros(n, dtype=bool)
            flags[rows] = True
            s = self._src[self._built_edges: self.count]
            d = self._dst[self._built_edges: self.count]
            out += np.bincount(s[flags[d]], minlength=n)
        return out


def weighted_pick(weights: np.ndarray, k: int, rng: np.random.Generator,
                  max_weight: float | None = None) -> np.ndarray:
    """``k`` indices drawn with replacement in proportion to non-negative ``weights``. With a
    known ``max_weight`` it samples by rejection (cost grows with k, not with len(weights))."""
    if k == 0 or len(weights) == 0:
        return np.zeros(0, dtype=np.int64)
    if max_weight is None:
        cdf = np.cumsum(weights)
        if cdf[-1] <= 0:
            return np.zeros(0, dtype=np.int64)
        return np.minimum(np.searchsorted(cdf, rng.random(k) * cdf[-1], side="right"), len(weights) - 1)
    picks: list[np.ndarray] = []
    need = k
    while need > 0:
        cand = rng.integers(0, len(weights), 4 * need + 16)
        kept = cand[rng.random(len(cand)) * max_weight < weights[cand]]
        picks.append(kept[:need])
        need -= len(picks[-1])
    return np.concatenate(picks)


@dataclass
class GroupState:
    """Group-level quantities carried from day to day."""

    novelty: float = 1.0
    creator_presence: float = 1.0
    ad_norm: float = 0.0
    urgency: float = 0.0
    perk_glow: float = 0.0
    manager_coverage: float = 1.0
    turned_away_since_spinoff: int = 0
    spinoffs: int = 0
    creator_content_share: float = 1.0
    # Running totals of visible messages (rows: content, chat, ads); column d = before day d.
    unread: np.ndarray = field(default_factory=lambda: np.zeros((3, 512)))

    def add_to_unread(self, day: int, content: float, chat: float, ads: float) -> None:
        """Add the day's visible messages to the running totals."""
        if day + 2 > self.unread.shape[1]:
            self.unread = np.concatenate([self.unread, np.zeros_like(self.unread)], axis=1)
        self.unread[:, day + 1] = self.unread[:, day] + (content, chat, ads)

    def unread_since(self, first_day: np.ndarray, day: int) -> np.ndarray:
        """Messages (rows: content, chat, ads) posted from ``first_day`` to ``day`` inclusive."""
        return self.unread[:, day + 1, None] - np.take(self.unread, first_day, axis=1)


@dataclass
class Today:
    """What happened on one day: filled in phase by phase, then recorded."""

    day: int
    alive: np.ndarray
    members: int = 0
    talkers: int = 0  # members (not spammers) who posted content or chat today
    talked: np.ndarray | None = None  # who posted content or chat today
    creators: np.ndarray | None = None  # ids of the creator(s) present this morning
    managers: np.ndarray | None = None  # ids of the managers present this morning
    visited: np.ndarray | None = None
    visitor_ids: np.ndarray | None = None
    reader_ids: np.ndarray | None = None  # visitors who are members in earnest (not spammers)
    previous_visit: np.ndarray | None = None  # last visit before today, for each of reader_ids
    content: np.ndarray | None = None
    chat: np.ndarray | None = None
    ads: np.ndarray | None = None
    replies: np.ndarray | None = None
    tie_posts: np.ndarray | None = None
    events: list = field(default_factory=list)
    event_content: float = 0.0
    event_visit: float = 0.0
    event_post: float = 0.0
    event_social: float = 0.0
    event_material: float = 0.0
    branded: int = 0
    welcome_rate: float = 0.0
    ads_kept: int = 0
    ads_removed: int = 0
    joined: int = 0
    left: int = 0
    removed: int = 0
    applicants: int = 0
    turned_away: int = 0
    revenue: float = 0.0
    operator_cost: float = 0.0
    conversions: int = 0
