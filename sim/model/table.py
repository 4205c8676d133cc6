"""The member table: one numpy row per member, the codes of roles, channels and reasons.

Phases read and update these columns in bulk; Mesa agents (``members``) are thin views onto
one row each. Members who left stay in the table until it is compacted, when their rows move
to an archive; a member's id never changes (``row_of`` maps ids to current rows), so the table
at the end, archive included, is the full history of everyone who ever joined.
"""

from __future__ import annotations

import numpy as np

from ..scenario import MOTIVES, ROLES

ROLE = {name: i for i, name in enumerate(ROLES)}
CHANNELS: tuple[str, ...] = ("founding", "outreach", "referral", "campaign", "organic", "spam")
CHANNEL = {name: i for i, name in enumerate(CHANNELS)}
LEAVE_REASONS: tuple[str, ...] = ("", "left", "removed", "kicked", "spinoff", "burnout", "declined_fee")
REASON = {name: i for i, name in enumerate(LEAVE_REASONS)}
MOTIVE = {name: i for i, name in enumerate(MOTIVES)}
ORGANISER_ROLES = (ROLE["creator"], ROLE["manager"])
assert ORGANISER_ROLES == (0, 1), "organisers' codes come first: role <= MANAGER is an organiser"
MANAGER = ROLE["manager"]


def not_organiser(role: np.ndarray) -> np.ndarray:
    """Whether each role code is neither the creator's nor a manager's (one comparison)."""
    return role > MANAGER

# Column name -> (dtype, fill value for a new row). Motives are a separate 2-D array.
MEMBER_COLUMNS: dict[str, tuple[type, float]] = {
    "member_id": (np.int64, -1),
    "role": (np.int8, 0),
    "role_at_join": (np.int8, 0),
    "present": (bool, False),
    "join_day": (np.int32, 0),
    "leave_day": (np.int32, -1),
    "joined_via": (np.int8, 0),
    "brought_by": (np.int64, -1),
    "leave_reason": (np.int8, 0),
    "fit": (np.float64, 0.0),
    "commitment": (np.float64, 0.0),
    "propensity": (np.float64, 0.0),  # the urge to post in one's current role
    "habit": (np.float64, 0.0),  # one's own urge to post, as a member (kept through role changes)
    "drive": (np.float64, 1.0),
    "catalyst": (bool, False),
    "spammer": (bool, False),
    "energy": (np.float64, 1.0),  # an organiser's strength for the work (tires with overwork)
    "heart": (np.float64, 1.0),  # an organiser's will to go on (worn by posting into silence)
    "near_leader": (np.float64, 0.0),
    "progress": (np.float64, 0.0),
    "recognition": (np.float64, 0.0),
    "gift_glow": (np.float64, 0.0),
    "wtp_yuan": (np.float64, 0.0),
    "fee_paid_yuan": (np.float64, 0.0),
    "fee_weight": (np.float64, 0.0),
    "spent_yuan": (np.float64, 0.0),
    "impression": (np.float64, np.nan),  # the organisers' standing error in judging one's fit (NaN: not judged yet)
    "paying": (bool, False),
    "last_post_day": (np.int32, -1),
    "last_visit_day": (np.int32, -1),
    "pending_since": (np.int32, -1),
    "visits": (np.int32, 0),
    "posts": (np.int32, 0),
    "content_posts": (np.int32, 0),
    "chat_posts": (np.int32, 0),
    "ad_posts": (np.int32, 0),
    "recent_posts": (np.float64, 0.0),
    "window_posts": (np.int32, 0),
    "cleanup_posts": (np.int32, 0),
    "ads_since_cleanup": (np.int32, 0),
    "replies_received": (np.int32, 0),
    "owed": (np.float64, 0.0),  # answers received since the member last posted
    "first_post_day": (np.int32, -1),
    "first_post_answered": (np.int8, -1),
    "posted_again": (bool, False),
}


# What the member records keep of a member who left (the rest is working state).
ARCHIVED_COLUMNS: tuple[str, ...] = (
    "member_id", "role", "role_at_join", "join_day", "leave_day", "joined_via", "brought_by", "leave_reason",
    "fit", "commitment", "progress", "catalyst", "spammer", "spent_yuan", "paying", "visits", "posts",
    "content_posts", "chat_posts", "ad_posts", "replies_received", "first_post_day", "first_post_answered",
    "posted_again",
)


def _motive_array(rows: int) -> np.ndarray:
    """Zeroed motivation weights for ``rows`` members, column-major: a phase reads one motive of
    many members at a time, and a column of its own is read at memory speed."""
    return np.zeros((rows, len(MOTIVES)), order="F")


class MemberTable:
    """Growable columns, one row per member; ``row_of[member_id]`` is its row (-1: archived).
    Rows stay in order of joining (new rows are appended, compaction keeps the order), so
    ``join_day`` ascends and the newest members are a tail of the table."""

    def __init__(self, capacity: int):
        self.n = 0
        self.next_id = 0
        self._cap = max(16, capacity)
        for name, (dtype, fill) in MEMBER_COLUMNS.items():
            setattr(self, name, np.full(self._cap, fill, dtype=dtype))
        self.motives = _motive_array(self._cap)
        self.row_of = np.full(self._cap, -1, dtype=np.int64)
        self.departed: list[np.ndarray] = []  # member ids who left, since the agents were synced
        self.retyped: list[np.ndarray] = []  # member ids whose role changed, since then
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
            m = _motive_array(new_cap)
            m[: self.n] = self.motives[: self.n]
            self.motives = m
            self._cap = new_cap
        rows = np.arange(self.n, need)  # rows past n always hold the fill values (see compact)
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
        for name, (_, fill) in MEMBER_COLUMNS.items():
            col = getattr(self, name)
            col[:k] = col[:n][keep]
            col[k:n] = fill  # freed rows hold the fill values again, ready for newcomers
        self.motives[:k] = self.motives[:n][keep]
        self.motives[k:n] = 0.0
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

    def set_role(self, rows: np.ndarray, role: int) -> None:
        """Members in ``rows`` take ``role`` (a ROLE code) from now on."""
        rows = np.asarray(rows, dtype=np.int64)
        self.role_counts -= np.bincount(self.role[rows], minlength=len(ROLE))
        self.role[rows] = role
        self.role_counts[role] += len(rows)
        self.retyped.append(self.member_id[rows].copy())

    def organisers(self, alive: np.ndarray) -> np.ndarray:
        """Whether each of the first ``len(alive)`` rows is a present creator or manager."""
        return alive & ~not_organiser(self.role[: len(alive)])

    def depart(self, ids: np.ndarray, day: int, reason: str) -> None:
        """Members in rows ``ids`` leave today for ``reason`` (one of LEAVE_REASONS)."""
        if not len(ids):
            return
        ids = np.asarray(ids, dtype=np.int64)
        self.role_counts -= np.bincount(self.role[ids], minlength=len(ROLE))
        self.present[ids] = False
        self.leave_day[ids] = day
        self.leave_reason[ids] = REASON[reason]
        self.departed.append(self.member_id[ids].copy())
