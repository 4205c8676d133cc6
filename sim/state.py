"""The model's state: one numpy row per member who ever joined, plus group-level scalars.

Phases read and update these arrays in bulk; Mesa agents (``sim.members``) are thin views onto
one row each. Rows are never reused: a member's row is its id, so the member table at the end
is the full history of everyone who ever joined.
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
    "recognition": (np.float64, 0.0),
    "gift_glow": (np.float64, 0.0),
    "fee_paid_yuan": (np.float64, 0.0),
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


class MemberTable:
    """Growable columns, one row per member ever joined (row index = member id)."""

    def __init__(self, capacity: int):
        self.n = 0
        self._cap = max(16, capacity)
        for name, (dtype, fill) in MEMBER_COLUMNS.items():
            setattr(self, name, np.full(self._cap, fill, dtype=dtype))
        self.motives = np.zeros((self._cap, len(MOTIVES)))
        self.departed: list[np.ndarray] = []

    def add(self, k: int) -> np.ndarray:
        """Append ``k`` default rows; returns their ids."""
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
        ids = np.arange(self.n, need)
        self.n = need
        return ids

    def depart(self, ids: np.ndarray, day: int, reason: str) -> None:
        """Members ``ids`` leave today for ``reason`` (one of LEAVE_REASONS)."""
        ids = np.asarray(ids, dtype=np.int64)
        self.present[ids] = False
        self.leave_day[ids] = day
        self.leave_reason[ids] = REASON[reason]
        self.departed.append(ids)

    def view(self, name: str) -> np.ndarray:
        """The used part of a column."""
        return getattr(self, name)[: self.n]


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

    def neighbour_sum(self, values: np.ndarray) -> np.ndarray:
        """For each member, the sum of ``values`` over its ties (``values`` has one entry a row)."""
        n = len(values)
        pending = self.count - self._built_edges
        if self._matrix is None or n > self._built_n or pending > 0.1 * max(1, self._built_edges):
            size = self._built_n if n <= self._built_n else int(1.5 * n) + 64
            self._matrix = sparse.csr_array(
                (np.ones(self.count), (self.src, self.dst)), shape=(size, size))
            self._built_edges = self.count
            self._built_n = size
            pending = 0
        padded = np.zeros(self._built_n)
        padded[:n] = values
        out = (self._matrix @ padded)[:n]
        if pending:
            s = self._src[self._built_edges: self.count]
            d = self._dst[self._built_edges: self.count]
            out += np.bincount(s, weights=values[d], minlength=n)
        return out


def weighted_pick(weights: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """``k`` indices drawn with replacement in proportion to non-negative ``weights``."""
    cdf = np.cumsum(weights)
    if k == 0 or cdf[-1] <= 0:
        return np.zeros(0, dtype=np.int64)
    return np.minimum(np.searchsorted(cdf, rng.random(k) * cdf[-1], side="right"), len(weights) - 1)


@dataclass
class GroupState:
    """Group-level quantities carried from day to day."""

    day: int = 0
    novelty: float = 1.0
    creator_presence: float = 1.0
    ad_norm: float = 0.0
    urgency: float = 0.0
    perk_glow: float = 0.0
    manager_coverage: float = 1.0
    turned_away_since_spinoff: int = 0
    spinoffs: int = 0
    revenue_total: float = 0.0
    operator_cost_total: float = 0.0
    creator_content_share: float = 1.0
    # Running totals of visible messages, entry d = total before day d (for "unread since").
    unread: dict = field(default_factory=dict)

    def add_to_unread(self, day: int, content: float, chat: float, ads: float) -> None:
        """Append the day's visible messages to the running totals."""
        if not self.unread:
            self.unread = {k: [0.0] for k in ("content", "chat", "ads")}
        for key, v in (("content", content), ("chat", chat), ("ads", ads)):
            series = self.unread[key]
            series.append(series[-1] + v)

    def unread_since(self, key: str, first_day: np.ndarray, day: int) -> np.ndarray:
        """Messages of kind ``key`` posted from ``first_day`` to ``day`` inclusive."""
        series = np.asarray(self.unread[key])
        return series[day + 1] - series[first_day]


@dataclass
class Today:
    """What happened on one day: filled in phase by phase, then recorded."""

    day: int
    alive: np.ndarray
    visited: np.ndarray | None = None
    previous_visit: np.ndarray | None = None
    content: np.ndarray | None = None
    chat: np.ndarray | None = None
    ads: np.ndarray | None = None
    replies: np.ndarray | None = None
    tie_posts: np.ndarray | None = None
    satisfaction: np.ndarray | None = None
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
