"""The model's records: one row a day (timeseries.csv) and one row per member who ever joined
(members.csv), read from the member table and the day's state."""

from __future__ import annotations

import numpy as np

from ..scenario import ROLES
from ..scenario.fields import TIMESERIES_COLUMNS
from .day import GroupState, Today
from .table import CHANNELS, LEAVE_REASONS, ROLE, MemberTable


_ROLE_COLUMNS = tuple(f"role_{role}" for role in ROLES)


def new_records(days: int) -> dict[str, np.ndarray]:
    """Empty per-day columns for ``days`` days."""
    return {col: np.zeros(days) for col in TIMESERIES_COLUMNS}


def record_day(r: dict[str, np.ndarray], t: MemberTable, g: GroupState, today: Today, quiet_below: float) -> None:
    """Write the day's row. ``active`` counts members who are neither organisers nor spammers and
    posted content or chat today: the group's own activity, apart from the organisers' posts."""
    d = today.day
    n = t.n
    alive = t.present[:n]
    real = alive & ~t.spammer[:n]
    commitment = t.commitment[:n]
    n_real = np.count_nonzero(real)
    organisers = np.concatenate([today.creators, today.managers])
    organiser_posts = int(today.content[organisers].sum() + today.chat[organisers].sum())
    r["day"][d] = d
    r["members"][d] = np.count_nonzero(alive)
    r["active"][d] = today.active
    r["quiet"][d] = np.count_nonzero(real & (commitment < quiet_below))
    r["visitors"][d] = len(today.visitor_ids)
    r["joined"][d] = today.joined
    r["left"][d] = today.left
    r["removed"][d] = today.removed
    r["content_posts"][d] = today.content_total
    r["chat_posts"][d] = today.chat_total
    r["scheduled_posts"][d] = today.scheduled_total
    r["organiser_posts"][d] = organiser_posts
    r["member_posts"][d] = r["content_posts"][d] + r["chat_posts"][d] - organiser_posts
    r["ad_posts"][d] = today.ads_kept
    r["ads_removed"][d] = today.ads_removed
    r["posts"][d] = r["content_posts"][d] + r["chat_posts"][d] + today.ads_kept
    r["replies"][d] = today.replies_given
    r["welcomes"][d] = today.welcomes
    r["events"][d] = len(today.events)
    r["revenue"][d] = today.revenue
    r["operator_cost"][d] = today.operator_cost
    r["organiser_hours"][d] = round(today.hours.worked, 6)
    r["organiser_hours_asked"][d] = round(today.hours.creator_asked + today.hours.managers_asked, 6)
    creators = today.creators[t.present[today.creators]]
    r["creator_energy"][d] = (float(t.energy[creators[0]]) if len(creators) == 1  # (the mean of one)
                              else float(t.energy[creators].mean()) if len(creators) else 0.0)
    r["payers"][d] = np.count_nonzero(alive & t.paying[:n])
    r["mean_commitment"][d] = float(commitment[real].sum()) / n_real if n_real else 0.0
    r["creator_presence"][d] = g.creator_presence
    r["novelty"][d] = g.novelty
    r["brand"][d] = g.brand
    r["applicants"][d] = today.applicants
    r["turned_away"][d] = today.turned_away
    r["spinoffs"][d] = g.spinoffs
    r["conversions"][d] = today.conversions
    r["promotions"][d] = today.promotions
    r["appointments"][d] = today.appointments
    r["successions"][d] = g.successions
    for i, col in enumerate(_ROLE_COLUMNS):
        r[col][d] = t.role_counts[i]
    r["interventions"][d] = today.interventions


def member_records(table: MemberTable) -> dict[str, np.ndarray]:
    """One row per member who ever joined, ordered by id: the members.csv table."""
    t = table.records()
    roles = np.array(ROLES)
    return {
        "id": t["member_id"],
        "role": roles[t["role"]],
        "role_at_join": roles[t["role_at_join"]],
        "join_day": t["join_day"],
        "leave_day": t["leave_day"],
        "joined_via": np.array(CHANNELS)[t["joined_via"]],
        "leave_reason": np.array(LEAVE_REASONS)[t["leave_reason"]],
        "brought_by": t["brought_by"],
        "posts": t["posts"],
        "content_posts": t["content_posts"],
        "chat_posts": t["chat_posts"],
        "ad_posts": t["ad_posts"],
        "replies_received": t["replies_received"],
        "visits": t["visits"],
        "final_commitment": t["commitment"].round(4),
        "progress": t["progress"].round(4),
        "value_fit": t["fit"].round(4),
        "catalyst": t["catalyst"],
        "spammer": t["spammer"],
        "paid": t["paying"],
        "spent_yuan": t["spent_yuan"].round(2),
        "first_post_day": t["first_post_day"],
        "first_post_answered": t["first_post_answered"],
        "posted_again": t["posted_again"],
    }


def organiser_rows(t: MemberTable, alive: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(creator rows, manager rows) among the members present."""
    organisers = t.organisers(alive).nonzero()[0]
    role = t.role[organisers]
    return organisers[role == ROLE["creator"]], organisers[role == ROLE["manager"]]
