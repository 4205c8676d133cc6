"""Day-to-day state: group-level quantities carried across days (``GroupState``), the
organisers' hours of one day (``Hours``) and what happened on one day, filled in phase by phase
(``Today``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from ..scenario import Cleanup

@lru_cache(maxsize=256)
def decay_per_day(memory_days: float) -> float:
    """What is left after one day of something that fades over ``memory_days``: exp(-1 /
    memory_days) (worked out once per value)."""
    return np.exp(-1.0 / memory_days)


# Rows of GroupState.unread: running totals of visible messages by kind.
UNREAD_ROWS = ("content", "chat", "ads", "noise")


@dataclass
class GroupState:
    """Group-level quantities carried from day to day."""

    novelty: float = 1.0  # share of the group's topics still fresh (C3, C13)
    brand: float = 0.0  # reputation built by branded events that worked (C18)
    creator_presence: float = 1.0  # how present members feel the creator is (C12)
    leader_charisma: float = 0.0  # charisma of the current creator (a successor carries less)
    ad_norm: float = 0.0  # visible share of ads lately (C9)
    urgency: float = 0.0  # survivors' urgency after a cleanup (C8)
    perk_glow: float = 0.0  # material glow of recent perks (C7)
    manager_coverage: float = 1.0  # share of moderation and welcomes the organisers had time for
    turned_away_since_spinoff: int = 0
    spinoffs: int = 0
    last_spinoff_day: int = -10**6
    successions: int = 0  # creators who took over from one who left
    creator_left_day: int = -1  # the day the (last) creator left with no successor, or -1
    last_cull_day: int = -10**6
    # Organisers' time across days (C2, C9): hours left unused carry over (a week's worth at
    # most), so a post or an event can take more than one day's share; the load they feel is
    # the hours asked of them against their hours, smoothed over a week.
    creator_bank: float = 0.0
    managers_bank: float = 0.0
    creator_load: float = 0.0
    managers_load: float = 0.0
    newcomers_yesterday: int = 0
    # Running totals of visible messages (rows: UNREAD_ROWS); column d = before day d.
    unread: np.ndarray = field(default_factory=lambda: np.zeros((len(UNREAD_ROWS), 512)))

    def add_to_unread(self, day: int, content: float, chat: float, ads: float, noise: float) -> None:
        """Add the day's visible messages to the running totals."""
        if day + 2 > self.unread.shape[1]:
            self.unread = np.concatenate([self.unread, np.zeros_like(self.unread)], axis=1)
        self.unread[:, day + 1] = self.unread[:, day] + (content, chat, ads, noise)

    def unread_since(self, first_day: np.ndarray, day: int) -> np.ndarray:
        """Messages (rows: UNREAD_ROWS) posted from ``first_day`` to ``day`` inclusive."""
        return self.unread[:, day + 1, None] - np.take(self.unread, first_day, axis=1)


@dataclass
class Hours:
    """The organisers' time on one day: the creator's and the managers' (pooled) hours, what
    they could give (nominal, energy-scaled) and what the day asked of them (C2, C9, C13)."""

    creator_nominal: float = 0.0
    managers_nominal: float = 0.0
    creator_free: float = 0.0
    managers_free: float = 0.0
    creator_asked: float = 0.0
    managers_asked: float = 0.0
    worked: float = 0.0  # hours the organisers worked today

    def take(self, who: str, hours: float, share: float = 1.0) -> float:
        """Ask ``who`` ("creator" or "managers") for ``hours`` of work, of which it can give at
        most ``share`` of its free time. Records the demand and returns the share of the work
        there was time for (0..1)."""
        if hours <= 0:
            return 1.0
        creator = who == "creator"
        nominal = self.creator_nominal if creator else self.managers_nominal
        if nominal <= 0 or share <= 0:
            return 0.0
        free = self.creator_free if creator else self.managers_free
        done = min(hours, free * share)
        self.worked += done
        if creator:
            self.creator_free = free - done
            self.creator_asked += hours * share
        else:
            self.managers_free = free - done
            self.managers_asked += hours * share
        return done / hours

    def take_team(self, hours: float, creator_share: float = 1.0) -> float:
        """Ask the managers for ``hours`` of work and the creator for what they cannot do (the
        creator gives at most ``creator_share`` of its free time to it). Returns the share done."""
        if hours <= 0:
            return 1.0
        done = self.take("managers", hours) * hours
        rest = hours - done
        if rest > 1e-12:
            done += self.take("creator", rest, creator_share) * rest
        return done / hours


@dataclass
class Today:
    """What happened on one day: filled in phase by phase, then recorded."""

    day: int
    alive: np.ndarray
    departures: int = 0  # the table's departure batches when ``alive`` was taken (see the model)
    cleanup_now: Cleanup | None = None  # a cleanup a trigger runs today (sim.model.interventions)
    interventions: int = 0  # changes the schedule and triggers made this morning
    members: int = 0
    active: int = 0  # members, neither organisers nor spammers, who posted content or chat today
    talked: np.ndarray | None = None  # who posted content or chat today (any member)
    creators: np.ndarray | None = None  # rows of the creator(s) present this morning
    managers: np.ndarray | None = None  # rows of the managers present this morning
    hours: Hours = field(default_factory=Hours)
    visited: np.ndarray | None = None
    visitor_ids: np.ndarray | None = None
    reader_ids: np.ndarray | None = None  # visitors who are members in earnest (not spammers)
    previous_visit: np.ndarray | None = None  # last visit before today, for each of reader_ids
    scheduled: np.ndarray | None = None  # organisers' scheduled quality posts, per row
    content: np.ndarray | None = None  # quality posts per row (scheduled ones included)
    chat: np.ndarray | None = None
    scheduled_total: int = 0  # the sums of ``scheduled``, ``content`` and ``chat``, kept by the phases that add to them
    content_total: int = 0
    chat_total: int = 0
    noise: int = 0  # chat messages by members who do not share the goal (off-topic)
    ads: np.ndarray | None = None
    replies: np.ndarray | None = None  # answers each row received today
    replies_given: int = 0
    welcomes: int = 0
    waiting: np.ndarray | None = None  # newcomers waiting for a welcome (sim.model.waiting)
    welcomers: np.ndarray | None = None  # rows of the organisers who gave today's welcomes, once per welcome
    tie_posts: np.ndarray | None = None
    events: list = field(default_factory=list)
    event_content: float = 0.0
    event_visit: float = 0.0
    event_post: float = 0.0
    event_social: float = 0.0
    event_material: float = 0.0
    branded: int = 0
    ignored: np.ndarray | None = None  # rows whose post went unanswered for the whole window today
    first_posts: int = 0  # members who posted for the first time today
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
    promotions: int = 0
    appointments: int = 0
