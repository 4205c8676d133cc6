"""Answers: which of the day's messages answer whom, managers' welcomes, and what being
answered or ignored does to the urge to speak (C3, C4, C11, C12). Writes the message log."""

from __future__ import annotations

import numpy as np

from ...scenario import Behaviour, Scenario
from ..day import GroupState, Today
from ..log import MessageLog
from ..luck import Dice
from ..sampling import binomial, weighted_pick
from ..table import ROLE, MemberTable
from .. import ties as tie_arrays
from ..ties import Ties
from ..waiting import welcome_candidates


def target_weights(m: MemberTable, b: Behaviour, pool: np.ndarray, day: int) -> np.ndarray:
    """How likely each recent poster in ``pool`` is to be answered by a stranger: newer posts
    more, and the creator's, managers' and catalysts' posts draw more answers (C11, C12)."""
    r = b.replies
    w = r.recency ** (day - m.last_post_day[pool]).astype(float)
    role = m.role[pool]
    w[role == ROLE["creator"]] *= r.creator_attraction
    w[role == ROLE["manager"]] *= r.manager_attraction
    w[m.catalyst[pool]] *= r.catalyst_attraction
    return w


def pick_targets(m: MemberTable, ties: Ties, b: Behaviour, who: np.ndarray, answers: np.ndarray,
                 pool: np.ndarray, posted: np.ndarray, day: int, rng: Dice) -> np.ndarray:
    """A target row for each answer (member ``who[i]`` gives ``answers[i]`` of them, in that
    order): with chance ``to_tie`` one of the replier's ties who posted recently, if there is
    one; otherwise a recent poster picked by ``target_weights``. -1 where the only choice was
    oneself."""
    first = np.repeat(np.arange(len(who)), answers)
    repliers = who[first]
    targets = np.full(len(repliers), -1, dtype=np.int64)
    if not len(repliers) or not len(pool):
        return targets
    owner, mate = ties.neighbour_pairs(who, m.n)
    keep = posted[mate]
    owner, mate = owner[keep], mate[keep]
    per = np.bincount(owner, minlength=len(who))
    start = per.cumsum() - per  # ties come grouped by owner
    has = per[first] > 0
    to_tie = has & (rng.random(len(repliers)) < b.replies.to_tie)
    k = first[to_tie]
    targets[to_tie] = mate[start[k] + (rng.random(len(k)) * per[k]).astype(np.int64)]
    rest = ~to_tie
    targets[rest] = pool[weighted_pick(target_weights(m, b, pool, day), int(rest.sum()), rng)]
    targets[targets == repliers] = -1
    return targets


def answer_posts(m: MemberTable, ties: Ties, g: GroupState, s: Scenario, today: Today, log: MessageLog,
                 rng: Dice) -> None:
    """Part of each member's chat answers someone who posted in the last few days, more so the
    more people are talking (a conversation under way); answers go to ties first. Managers (or a
    present creator) with time welcome newcomers nobody answered. Members answered get warmth,
    recognition and more drive to post; a post left unanswered for the whole window lowers it
    (reciprocity and extinction, C3, C4). Records first posts (Joyce & Kraut 2006) and writes the
    day's messages to the log. Sets ``today.replies``, ``today.tie_posts``, ``today.ignored``."""
    b = s.behaviour
    r = b.replies
    n, day = m.n, today.day
    today.replies = np.zeros(n, dtype=np.int32)
    authors = today.talked.nonzero()[0]
    today.tie_posts = ties.neighbour_count(authors, n) if len(authors) else np.zeros(n)
    # Today's posts open; then who spoke lately is the pool of posts one may answer.
    m.last_post_day[authors] = day
    last = m.last_post_day[:n]
    recent = last > day - r.window_days
    if day - r.window_days < -1:  # -1: never posted
        recent &= last >= 0
    recent &= today.alive
    recent &= ~m.spammer[:n]
    pool = recent.nonzero()[0]
    conversation = 1.0 - np.exp(-max(0, len(pool) - 1) / r.conversation_authors)
    n_answers = binomial(rng, today.chat[authors], r.reply_share * conversation)
    answering = n_answers > 0
    targets = pick_targets(m, ties, b, authors[answering], n_answers[answering], pool, recent, day, rng)
    repliers = np.repeat(authors, n_answers)
    # Welcomes: newcomers whose posts wait unanswered, from an organiser with time.
    welcomers = today.managers if len(today.managers) else today.creators
    welcomed = np.zeros(0, dtype=np.int64)
    aimed = targets[targets >= 0]
    if len(welcomers):
        waiting = welcome_candidates(m, s, today)
        if len(waiting):
            answered = np.zeros(n, dtype=bool)
            answered[aimed] = True
            waiting = waiting[~answered[waiting]]
            welcomed = waiting[rng.member_uniform("welcome", day, m.member_id[waiting]) < r.welcome * g.manager_coverage]
    by = welcomers[rng.integers(0, len(welcomers), len(welcomed))] if len(welcomed) else welcomed
    if len(aimed) or len(welcomed):
        _count_into(today.replies, np.concatenate([aimed, welcomed]))
    today.replies_given = len(aimed)
    today.welcomes = len(welcomed)
    today.welcomers = by
    _log_messages(m, today, log, authors, repliers, targets, by, welcomed)
    if len(by):
        _count_into(today.chat, by)  # a welcome is its organiser's message
        today.chat_total += len(by)
        today.talked[by] = True
    _reinforce(m, b, today, authors)


def _count_into(counts: np.ndarray, rows: np.ndarray) -> None:
    """Add one to ``counts`` for each entry of ``rows`` (in a large group one by one, rather than
    binning over every member)."""
    if len(counts) > tie_arrays.SCATTER_ABOVE:
        np.add.at(counts, rows, 1)
    else:
        counts += np.bincount(rows, minlength=len(counts)).astype(counts.dtype)


def _log_messages(m: MemberTable, today: Today, log: MessageLog, authors: np.ndarray, repliers: np.ndarray,
                  targets: np.ndarray, welcomers: np.ndarray, welcomed: np.ndarray) -> None:
    """The day's messages in the log: scheduled posts, members' posts (answers with their
    target), welcomes (answers by an organiser, counted in its chat)."""
    if not log.enabled:
        return
    ids = m.member_id
    day = today.day
    log.add(day, np.repeat(ids[authors], today.scheduled[authors]), None, "scheduled")
    answers = targets >= 0
    plain = today.content[authors] - today.scheduled[authors] + today.chat[authors]
    plain -= np.bincount(np.searchsorted(authors, repliers[answers]), minlength=len(authors)).astype(plain.dtype)
    log.add(day, np.concatenate([np.repeat(ids[authors], plain), ids[repliers[answers]], ids[welcomers]]),
            np.concatenate([np.full(int(plain.sum()), -1), ids[targets[answers]], ids[welcomed]]), "post")


def _reinforce(m: MemberTable, b: Behaviour, today: Today, authors: np.ndarray) -> None:
    """Drive: up for members answered today, down for posts unanswered through the window;
    first posts and whether they were answered within a week; the return to post."""
    r = b.replies
    day = today.day
    got = (today.replies != 0).nonzero()[0]  # (faster than nonzero on ints)
    k = today.replies[got]
    m.replies_received[got] += k
    m.owed[authors] = 0.0  # they spoke today; answers from now on call for a new reply
    m.owed[got] += k
    new_post = authors[m.pending_since[authors] < 0]
    m.pending_since[new_post] = day
    d = m.drive[got]
    m.drive[got] = d + r.drive_up * (r.drive_max - d)
    m.pending_since[got] = -1
    cutoff = day - r.window_days
    if cutoff >= 0:  # waiting since 0..cutoff; -1 (none) is the largest as unsigned: one comparison
        today.ignored = (m.pending_since[: m.n].view(np.uint32) <= cutoff).nonzero()[0]
    else:
        today.ignored = np.zeros(0, dtype=np.int64)
    m.drive[today.ignored] = np.maximum(r.drive_min, m.drive[today.ignored] * (1.0 - r.drive_down))
    m.pending_since[today.ignored] = -1
    first = authors[m.first_post_day[authors] < 0]
    m.first_post_day[first] = day
    m.first_post_answered[first] = 0
    today.first_posts = len(first)
    again = authors[m.first_post_day[authors] < day]
    m.posted_again[again] = True
    answered_first = got[(m.first_post_answered[got] == 0) & (m.first_post_day[got] >= day - 7)]
    m.first_post_answered[answered_first] = 1
