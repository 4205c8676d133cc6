"""Posting and replies: who speaks, who is answered, and what that does to the urge to speak."""

from __future__ import annotations

import numpy as np

from ...scenario import Behaviour
from ..day import GroupState, Today
from ..table import ROLE, MemberTable
from ..ties import Ties

# Authors whose posts draw more answers than an ordinary member's (C11, C12).
ATTRACTION = {"creator": 2.5, "manager": 1.5, "catalyst": 2.0}
NEWCOMER_DAYS = 14
NEWCOMER_POST_LIFT = 1.5  # newcomers introduce themselves: extra posting, fading over a week
NEWCOMER_LIFT_DAYS = 7.0
CONVERSATION_AUTHORS = 5.0  # authors a day at which a conversation is ~63% under way
RECOGNITION_POST_LIFT = 1.5  # posting lift per unit of recent recognition (rewards, C6)
CROWD_VISITORS = 20  # visitors a day above which each one feels less need to speak (bystander effect)


def post_probability(propensity: np.ndarray, drive: np.ndarray, commitment: np.ndarray,
                     recognition: np.ndarray, lift: float | np.ndarray) -> np.ndarray:
    """Chance a visitor posts: a personal propensity (heavy-tailed, so most lurk: C19), scaled
    by the drive that past answers built (C3), by commitment, and by recent recognition (a
    reward tilts resources and attention toward its winner: C6); urgency, events and being
    new (introductions, the buzz of a freshly recruited group: C1) lift it."""
    return np.minimum(0.95, propensity * drive * (0.1 + 0.9 * commitment)
                      * (1.0 + RECOGNITION_POST_LIFT * recognition) * (1.0 + lift))


def draw_posts(m: MemberTable, g: GroupState, b: Behaviour, today: Today,
               rng: np.random.Generator) -> None:
    """Visitors chat; catalysts and collaborators also post content of value (C10, C11, C19).
    In a crowd each visitor feels less need to speak, so per-head activity falls with size.
    Sets ``today.chat`` and adds to ``today.content``."""
    n = m.n
    visitors = today.reader_ids
    today.chat = np.zeros(n, dtype=np.int32)
    if not len(visitors):
        return
    age = today.day - m.join_day[visitors]
    newness = np.zeros(len(visitors))
    young = age < 10 * NEWCOMER_LIFT_DAYS  # older than that, the lift is below 1e-4
    newness[young] = NEWCOMER_POST_LIFT * np.exp(-age[young] / NEWCOMER_LIFT_DAYS)
    crowd = min(1.0, (CROWD_VISITORS / len(visitors)) ** 0.5)
    p = crowd * post_probability(m.propensity[visitors], m.drive[visitors], m.commitment[visitors],
                                 m.recognition[visitors], g.urgency + today.event_post + newness)
    speak = visitors[rng.random(len(visitors)) < p]
    if not len(speak):
        return
    # Keen posters say more than one thing a day; recognition makes them say more.
    extra = rng.poisson(2.0 * m.propensity[speak] * m.drive[speak]
                        * (1.0 + RECOGNITION_POST_LIFT * m.recognition[speak]))
    total = 1 + extra
    writes_content = (m.catalyst[speak] | (m.role[speak] == ROLE["collaborator"])) & (rng.random(len(speak)) < 0.3)
    today.content[speak] += writes_content.astype(np.int32)
    today.chat[speak] += (total - writes_content).astype(np.int32)


def answer_posts(m: MemberTable, ties: Ties, b: Behaviour, today: Today,
                 rng: np.random.Generator) -> None:
    """Posts are answered by ties who are posting today and, less, by others; managers welcome
    newcomers. Answered authors post more readily, ignored ones less (reciprocity and
    extinction, C3, C4). Records each member's first post and whether it was answered.
    Sets ``today.replies``."""
    n = m.n
    posts = today.content + today.chat
    today.replies = np.zeros(n, dtype=np.int32)
    authors = (posts > 0).nonzero()[0]
    if not len(authors):
        today.tie_posts = np.zeros(n)
        return
    posting_ties = ties.neighbour_count(authors, n)
    today.tie_posts = posting_ties
    role = m.role[authors]
    attraction = np.ones(len(authors))
    attraction[role == ROLE["creator"]] = ATTRACTION["creator"]
    attraction[role == ROLE["manager"]] = ATTRACTION["manager"]
    attraction[m.catalyst[authors]] = ATTRACTION["catalyst"]
    conversation = 1.0 - np.exp(-(len(authors) - 1) / CONVERSATION_AUTHORS)
    newcomer = (today.day - m.join_day[authors]) < NEWCOMER_DAYS
    welcome = newcomer * today.welcome_rate
    lam = (b.reply_per_neighbour_post * posting_ties[authors] + b.reply_from_strangers * conversation) * attraction
    lam = lam * np.minimum(posts[authors], 3) + welcome
    got = rng.poisson(lam)
    today.replies[authors] = got
    answered = got > 0
    d = m.drive[authors]
    m.drive[authors] = np.where(answered, d + b.drive_up * (3.0 - d), np.maximum(0.05, d * (1.0 - b.drive_down)))
    m.replies_received[authors] += got
    # Newcomer first posts (Joyce & Kraut 2006) and the return to post.
    first = m.first_post_day[authors] < 0
    m.first_post_day[authors[first]] = today.day
    m.first_post_answered[authors[first]] = answered[first]
    m.posted_again[authors[~first]] = True
