"""Posting: which visitors speak today and how much (C1, C3, C6, C10, C11, C19)."""

from __future__ import annotations

import numpy as np

from ...scenario import Behaviour
from ..day import GroupState, Today
from ..luck import Dice
from ..sampling import poisson
from ..table import ROLE, MemberTable


def post_probability(propensity: np.ndarray, drive: np.ndarray, commitment: np.ndarray,
                     recognition: np.ndarray, lift: float, first_urge: np.ndarray, owed: np.ndarray,
                     b: Behaviour) -> np.ndarray:
    """Chance a visitor posts. A personal propensity (heavy-tailed, so most lurk: C19), scaled
    by the drive that past answers built (C3), by commitment and by recent recognition (a reward
    tilts resources and attention toward its winner: C6), lifted by urgency and events; plus
    the episodes most authors have: a newcomer's first urge to introduce itself or ask, or an
    event's invitation to take part (``first_urge``: a daily check-in, a contest), and answering
    back when answered (``owed``, C3)."""
    p = b.posting
    floor = p.commitment_floor
    habit = propensity * drive * (floor + (1.0 - floor) * commitment) * (1.0 + p.recognition_lift * recognition)
    return np.minimum(p.max_chance, habit * (1.0 + lift) + first_urge + p.reply_back * np.minimum(1.0, owed))


def draw_posts(m: MemberTable, g: GroupState, b: Behaviour, today: Today, rng: Dice) -> None:
    """Visitors chat; catalysts and collaborators also post content of value (C10, C11, C19).
    In a crowd each visitor feels less need to speak, so per-head activity falls with size.
    Chat by members who do not share the goal is off-topic noise to others (C1, C5). Sets
    ``today.chat``, ``today.noise`` and ``today.talked``; adds to ``today.content``."""
    n = m.n
    p = b.posting
    visitors = today.reader_ids
    today.chat = np.zeros(n, dtype=np.int32)
    talked = today.talked = np.zeros(n, dtype=bool)  # who posted content or chat
    organisers = np.concatenate([today.creators, today.managers])
    talked[organisers[today.scheduled[organisers] > 0]] = True  # (scheduled posts are theirs alone)
    if len(visitors):
        crowd = min(1.0, (p.crowd_visitors / len(visitors)) ** 0.5)
        u = rng.member_uniform("speak", today.day, m.member_id[visitors])
        # No chance is above crowd x max_chance: only visitors whose number is under it can
        # speak, and only theirs are worked out (the same draws and outcome; a crowd of
        # visitors leaves few of them).
        maybe = u < crowd * p.max_chance
        visitors, u = visitors[maybe], u[maybe]
        age = today.day - m.join_day[visitors]
        first_urge = np.zeros(len(visitors))
        young = (age < 10 * p.newcomer_days) & (m.first_post_day[visitors] < 0)  # never posted yet
        first_urge[young] = p.newcomer_chance * np.exp(-age[young] / p.newcomer_days)
        commitment = m.commitment[visitors]
        chance = crowd * post_probability(m.propensity[visitors], m.drive[visitors], commitment,
                                          m.recognition[visitors], g.urgency, first_urge + today.event_post * commitment,
                                          m.owed[visitors], b)
        speak = visitors[u < chance]
        if len(speak):
            # Keen posters say more than one thing a day; recognition makes them say more.
            extra = poisson(rng, p.extra_messages * m.propensity[speak] * m.drive[speak]
                                * (1.0 + p.recognition_lift * m.recognition[speak]))
            total = 1 + extra
            writer = m.catalyst[speak] | (m.role[speak] == ROLE["collaborator"])
            writes = writer & (rng.member_uniform("write", today.day, m.member_id[speak]) < p.catalyst_content_share)
            talked[speak] = True
            today.content[speak] += writes.astype(np.int32)
            chat = (total - writes).astype(np.int32)
            today.chat[speak] += chat
            today.content_total += int(np.count_nonzero(writes))
            today.chat_total += int(chat.sum())
            off_topic = m.fit[speak] < b.satisfaction.low_fit
            today.noise = int(today.chat[speak][off_topic].sum())
