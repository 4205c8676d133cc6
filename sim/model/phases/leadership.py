"""Leadership: the creator's presence, burnout of those who carry the group, sub-leaders."""

from __future__ import annotations

import numpy as np

from ...scenario import Behaviour
from ..day import GroupState, Today
from ..table import ROLE, MemberTable
from ..ties import Ties

PRESENCE_DAYS = 14.0  # days over which members notice the creator is (not) there
SHARE_DAYS = 30.0  # days over which the creator's share of the content is felt
DISCOURAGE_DAYS = 120.0  # days of posting into silence that wear an organiser out
SUB_LEADER_COMMITMENT = 0.5  # commitment from which a replicator acts as a secondary centre


def update_presence_and_burnout(m: MemberTable, g: GroupState, b: Behaviour, today: Today) -> None:
    """Members read the creator's presence from its posts; when it stops posting the group
    loses its centre (C12). Organisers (creator and managers) are kept going by answers and
    discouraged by silence (C3, C4). A creator carrying more than half the content alone
    burns out over ``burnout_days`` (C2); managers burn out when ads and newcomers exceed
    their capacity (C9); rest restores both slowly."""
    creators = today.creators
    posted = today.content[creators].sum() + today.chat[creators].sum() if len(creators) else 0
    g.creator_presence += (float(posted > 0) - g.creator_presence) / PRESENCE_DAYS
    total_content = float(today.content.sum())
    if total_content > 0 and len(creators):
        share = float(today.content[creators].sum()) / total_content
        g.creator_content_share += (share - g.creator_content_share) / SHARE_DAYS
    managers = today.managers[m.present[today.managers]]
    organisers = np.concatenate([creators, managers])
    if not len(organisers):
        return
    worked = (today.content[organisers] + today.chat[organisers]) > 0
    replies = today.replies[organisers]
    response = np.where(worked, np.where(replies > 0, 1.0, -1.0), 0.0) / DISCOURAGE_DAYS
    load = np.zeros(len(organisers))
    load[: len(creators)] = 2.0 * max(0.0, g.creator_content_share - 0.5) * worked[: len(creators)]
    load[len(creators):] = min(2.0, max(0.0, 1.0 / max(g.manager_coverage, 1e-9) - 1.0))
    rest = np.where(worked, 0.0, 0.3)
    m.energy[organisers] = np.clip(m.energy[organisers] + response + (rest - load) / b.burnout_days, 0.0, 1.0)


def mark_sub_leaders(m: MemberTable, ties: Ties, alive: np.ndarray) -> None:
    """Committed replicators become secondary centres for their ties, like planets around the
    sun: members tied to one feel more identity (C12)."""
    n = m.n
    leaders = alive & (m.role[:n] == ROLE["replicator"]) & (m.commitment[:n] >= SUB_LEADER_COMMITMENT)
    m.near_leader[:n] = np.minimum(1.0, ties.neighbour_count(leaders.nonzero()[0], n))
