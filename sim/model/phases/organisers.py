"""The organisers: their hours, their energy, the creator's presence, and what happens when the
creator burns out or loses interest (C2, C4, C9, C12, C13)."""

from __future__ import annotations

import numpy as np

from ...scenario import Scenario
from ..day import GroupState, Today
from ..table import ROLE, MemberTable

WEEK_DAYS = 7.0


def plan_hours(m: MemberTable, g: GroupState, s: Scenario, today: Today) -> None:
    """The day's hours: each organiser gives its weekly hours / 7, scaled by its energy (a tired
    organiser does less), plus the hours it left unused lately (up to a week's worth), so that
    work comes in lumps as it does. Sets ``today.hours``."""
    c = s.community
    h = today.hours
    per_creator = c.creator_hours_per_week / WEEK_DAYS
    per_manager = c.manager_hours_per_week / WEEK_DAYS
    h.creator_nominal = per_creator * len(today.creators)
    h.creator_free = per_creator * float(m.energy[today.creators].sum()) + g.creator_bank
    h.managers_nominal = per_manager * len(today.managers)
    h.managers_free = per_manager * float(m.energy[today.managers].sum()) + g.managers_bank


def update_presence(m: MemberTable, g: GroupState, s: Scenario, today: Today) -> None:
    """Members read the creator's presence from its messages; a silent or absent creator fades
    from view and the group loses its centre (C12)."""
    creators = today.creators
    posted = bool(len(creators)) and bool((today.content[creators] + today.chat[creators]).sum() > 0)
    g.creator_presence += (float(posted) - g.creator_presence) / s.behaviour.organisers.presence_days


def _load(asked: float, nominal: float) -> float:
    return asked / nominal if nominal > 0 else 0.0


def update_energy(m: MemberTable, g: GroupState, s: Scenario, today: Today) -> None:
    """Organisers tire when their weeks ask more than their hours and rest when they ask less
    (energy); posts answered keep their heart up, posts met with silence wear it down (C2, C3,
    C4, C9). Working at twice one's hours for ``strain_days`` exhausts a rested organiser;
    ``discourage_days`` of posting into silence break its heart. Unused hours are banked for the
    coming days (a week's worth at most)."""
    o = s.behaviour.organisers
    h = today.hours
    g.creator_bank = min(h.creator_free, WEEK_DAYS * h.creator_nominal)
    g.managers_bank = min(h.managers_free, WEEK_DAYS * h.managers_nominal)
    g.creator_load += (_load(h.creator_asked, h.creator_nominal) - g.creator_load) / WEEK_DAYS
    g.managers_load += (_load(h.managers_asked, h.managers_nominal) - g.managers_load) / WEEK_DAYS
    for rows, load in ((today.creators, g.creator_load), (today.managers, g.managers_load)):
        if not len(rows):
            continue
        change = max(0.0, 1.0 - load) / o.rest_days - max(0.0, load - 1.0) / o.strain_days
        answered = today.replies[rows] > 0  # answers today, to today's posts or earlier ones
        said = today.content[rows] + today.chat[rows]
        if today.welcomers is not None and len(today.welcomers):  # a welcome expects no answer
            said = said - np.bincount(today.welcomers, minlength=m.n)[rows]
        silent = (said > 0) & ~answered  # posted, nothing back
        mood = (answered.astype(float) - silent) / o.discourage_days
        m.energy[rows] = np.minimum(np.maximum(m.energy[rows] + change, 0.0), 1.0)
        m.heart[rows] = np.minimum(np.maximum(m.heart[rows] + mood, 0.0), 1.0)


def hand_over(m: MemberTable, g: GroupState, s: Scenario, today: Today) -> np.ndarray:
    """A creator out of energy (burnt out) or out of heart (worn down by silence) leaves; the
    most committed manager or replicator, if committed enough, takes over with less charisma
    than the founder; otherwise the group drifts without a centre (C12, C13). Managers out of
    energy or heart step down to members. Returns the rows of creators who left."""
    o = s.behaviour.organisers

    def done(rows: np.ndarray) -> np.ndarray:
        return rows[(m.energy[rows] < o.quit_energy) | (m.heart[rows] < o.quit_energy)]

    tired_managers = done(today.managers)
    if len(tired_managers):
        m.set_role(tired_managers, ROLE["participant"])
        m.propensity[tired_managers] = m.habit[tired_managers]  # back to its own voice
    quitting = done(today.creators)
    if not len(quitting):
        return quitting
    n = m.n
    alive = today.alive.copy()
    alive[quitting] = False
    role = m.role[:n]
    able = alive & ((role == ROLE["manager"]) | (role == ROLE["replicator"])) & ~m.spammer[:n]
    able &= m.commitment[:n] >= o.successor_commitment
    candidates = able.nonzero()[0]
    if len(candidates):
        heir = candidates[np.argmax(m.commitment[candidates])]
        m.set_role(np.array([heir]), ROLE["creator"])
        m.energy[heir] = m.heart[heir] = 1.0
        m.propensity[heir] = s.behaviour.posting.organiser_propensity
        g.leader_charisma *= o.successor_charisma
        g.successions += 1
    else:
        g.leader_charisma = 0.0
        g.creator_left_day = today.day
    return quitting
