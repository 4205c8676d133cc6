"""Day-to-day state: group-level quantities carried across days (``GroupState``) and what
happened on one day, filled in phase by phase (``Today``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


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
