"""Roles that change: committed, active members who have absorbed the culture become
replicators (secondary centres), replicators who lose heart stop acting as one, and the
operator appoints managers from committed members as the group outgrows its staff (C11, C12)."""

from __future__ import annotations

import numpy as np

from ...scenario import Scenario
from ..day import Today
from ..luck import Dice
from ..table import ROLE, MemberTable, not_organiser
from ..ties import Ties


def promote_replicators(m: MemberTable, s: Scenario, today: Today, rng: Dice) -> None:
    """Each week a participant or pioneer who is committed, has been here a while and posts
    (it knows the culture by taking part) may become a replicator; a replicator whose
    commitment fell stops being one (C12)."""
    rl = s.behaviour.roles
    n = m.n
    role = m.role[:n]
    base = today.alive & ~m.spammer[:n]
    able = base & ((role == ROLE["participant"]) | (role == ROLE["pioneer"]))
    able &= m.commitment[:n] >= rl.replicator_commitment
    able &= m.join_day[:n] <= today.day - rl.replicator_min_days
    able &= m.recent_posts[:n] >= rl.replicator_min_posts
    rows = able.nonzero()[0]
    chosen = rows[rng.member_uniform("promote", today.day, m.member_id[rows]) < rl.replicator_per_week]
    voice = s.behaviour.posting.replicator_voice
    if len(chosen):
        m.set_role(chosen, ROLE["replicator"])
        m.habit[chosen] = np.minimum(m.habit[chosen] * voice, s.behaviour.posting.propensity_max)  # speaks up more
        m.propensity[chosen] = m.habit[chosen]
        today.promotions += len(chosen)
    fading = (base & (role == ROLE["replicator"]) & (m.commitment[:n] < rl.replicator_drop)).nonzero()[0]
    if len(fading):
        m.set_role(fading, ROLE["participant"])
        m.habit[fading] /= voice
        m.propensity[fading] = m.habit[fading]


def appoint_managers(m: MemberTable, s: Scenario, today: Today) -> None:
    """When the group has more members per manager than the operator wants (or no manager),
    it appoints the most committed member who has been here long enough and takes part; one
    a week. Being appointed is recognition (C6, C11)."""
    st = s.strategy.staffing
    rl = s.behaviour.roles
    if not st.appoint_managers:
        return
    n = m.n
    managers = int(m.role_counts[ROLE["manager"]])
    wanted = min(st.max_managers, int(np.ceil(today.members / st.members_per_manager)))
    if managers >= wanted:
        return
    role = m.role[:n]
    able = today.alive & ~m.spammer[:n] & not_organiser(role)
    able &= m.commitment[:n] >= rl.manager_commitment
    able &= m.join_day[:n] <= today.day - rl.manager_min_days
    able &= m.recent_posts[:n] >= 1.0  # takes part: a post lately
    rows = able.nonzero()[0]
    if not len(rows):
        return
    pick = rows[np.argmax(m.commitment[rows] + m.fit[rows])]
    m.set_role(np.array([pick]), ROLE["manager"])
    m.energy[pick] = m.heart[pick] = 1.0
    m.propensity[pick] = s.behaviour.posting.organiser_propensity
    m.recognition[pick] += 1.0
    today.appointments += 1


def mark_sub_leaders(m: MemberTable, ties: Ties, s: Scenario, alive: np.ndarray) -> None:
    """Committed replicators are secondary centres for their ties, like planets around the sun:
    members tied to one feel more belonging (C12)."""
    n = m.n
    leaders = alive & (m.role[:n] == ROLE["replicator"]) & (m.commitment[:n] >= s.behaviour.roles.sub_leader_commitment)
    m.near_leader[:n] = np.minimum(1.0, ties.neighbour_count(leaders.nonzero()[0], n))
