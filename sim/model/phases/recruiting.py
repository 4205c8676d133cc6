"""Recruiting and admission: applicants arrive by several channels; the entry threshold (each
person's willingness to pay, a vouching member, a screening test) and the size cap decide who
gets in; a full group can seed a new one (C5, C12, C14, C15, C16, C18)."""

from __future__ import annotations

from dataclasses import dataclass

import math

import numpy as np

from ...scenario import Behaviour, Scenario
from ..day import GroupState, Today
from ..luck import Dice
from ..population import draw_fit, draw_roles, draw_wtp, fill_members
from ..sampling import poisson, weighted_pick
from ..table import CHANNEL, ROLE, MemberTable
from ..ties import Ties


@dataclass
class Applicants:
    """Today's applicants, one entry each."""

    channel: np.ndarray  # index into CHANNELS
    bringer: np.ndarray  # row of the member who brought them, or -1
    fit: np.ndarray
    gift_yuan: np.ndarray
    wtp: np.ndarray  # willingness to pay for membership, yuan

    def __len__(self) -> int:
        return len(self.channel)


def draw_applicants(m: MemberTable, g: GroupState, s: Scenario, today: Today,
                    rng: Dice) -> Applicants:
    """Pioneers and collaborators reach out; committed members refer friends like themselves
    (word of mouth, C16), more when there are deals to share; a few find the group alone, more
    when its brand is known (C18); bulk campaigns bring many who fit poorly and gifts lure
    material seekers (C14, C15); spammers come, more to a larger group and one where ads already
    stand (C9)."""
    r = s.strategy.recruiting
    nc = s.behaviour.newcomers
    n = m.n
    members = today.alive & ~m.spammer[:n]
    role = m.role[:n]
    reachers = (members & ((role == ROLE["pioneer"]) | (role == ROLE["collaborator"]))).nonzero()[0]
    w_out = r.outreach_per_week / 7.0 * m.commitment[reachers]
    deals = 1.0 + nc.referral_deal_lift * (g.perk_glow + today.event_material)
    ref_max = r.referral_per_year / 365.0 * deals
    w_ref = np.square(m.commitment[:n])  # zero for non-members: each row's referral weight / ref_max
    w_ref *= members
    camps = [cp for cp in r.campaigns if cp.start_day <= today.day <= cp.end_day]
    spam = r.spam_per_day * math.sqrt(np.count_nonzero(members) / 100.0) * (1.0 + s.behaviour.ads.norm_pull * g.ad_norm)
    organic = r.organic_per_day * (1.0 - nc.organic_novelty * (1.0 - g.novelty)) + nc.brand_reach * g.brand
    counts = poisson(rng, [np.add.reduce(w_out), ref_max * np.add.reduce(w_ref), organic, spam]
                     + [cp.applicants_per_day for cp in camps])
    e = s.strategy.entry
    if not np.count_nonzero(counts) or (e.kind == "open" and 0 < e.size_cap <= today.members):
        # None came, or the group is full and open: who they are does not matter, only how
        # many are turned away (so their fit and willingness to pay are not drawn).
        k = int(counts.sum())
        none = np.zeros(k)
        return Applicants(np.zeros(k, dtype=np.int8), np.full(k, -1, dtype=np.int64), none, none, none)
    fit_mean = s.community.value_fit_mean
    out = reachers[weighted_pick(w_out, counts[0], rng)]
    ref = weighted_pick(w_ref, counts[1], rng, max_weight=1.0)
    k_org, k_spam, k_camp = int(counts[2]), int(counts[3]), counts[4:]
    channel = np.repeat(np.array([CHANNEL["outreach"], CHANNEL["referral"], CHANNEL["organic"], CHANNEL["spam"]]
                                 + [CHANNEL["campaign"]] * len(camps), dtype=np.int8), counts)
    bringer = np.concatenate([out, ref, np.full(k_org + k_spam + int(k_camp.sum()), -1, dtype=np.int64)])
    like = nc.referral_likeness
    fit_means = np.concatenate([np.full(len(out), fit_mean), like * m.fit[ref] + (1.0 - like) * fit_mean,
                                np.full(k_org, fit_mean), np.full(k_spam, nc.spammer_fit),
                                np.full(int(k_camp.sum()), nc.campaign_fit)])
    gift = np.concatenate([np.zeros(len(out) + len(ref) + k_org + k_spam),
                           np.repeat([cp.gift_yuan for cp in camps], k_camp)])
    fit = draw_fit(fit_means, len(channel), s.behaviour, rng)
    # Bulk recruiting sweeps in marketers too (C1: "born from recruiting ... dies of ads").
    marketers = (channel == CHANNEL["campaign"]) & (rng.random(len(channel)) < nc.bulk_spammer_share)
    channel[marketers] = CHANNEL["spam"]
    spammer = channel == CHANNEL["spam"]
    fit[spammer] = nc.spammer_fit
    wtp = draw_wtp(fit, s, rng, gift_lured=gift > 0, spammer=spammer)
    return Applicants(channel, bringer, fit, gift, wtp)


def passes_threshold(app: Applicants, s: Scenario, m: MemberTable, rng: Dice) -> np.ndarray:
    """Who the entry threshold admits (before the cap). Invite admits only those brought in by
    a member committed enough to vouch; a fee admits those willing to pay it; screening tests
    value fit with some error (C5, C14, C15)."""
    e = s.strategy.entry
    k = len(app)
    if e.kind == "open":
        return np.ones(k, dtype=bool)
    if e.kind == "invite":
        vouched = app.bringer >= 0
        ok = np.zeros(k, dtype=bool)
        ok[vouched] = m.commitment[app.bringer[vouched]] >= e.level
        return ok
    if e.kind == "fee":
        return app.wtp >= e.level
    return app.fit + s.behaviour.operator.screen_noise * rng.standard_normal(k) >= e.level


def admit(m: MemberTable, ties: Ties, g: GroupState, s: Scenario, app: Applicants, today: Today,
          rng: Dice) -> np.ndarray:
    """Admit applicants who pass the threshold, up to the size cap; count those turned away.
    A fee is revenue and adds commitment (sunk cost) and expectations; gifts cost the operator.
    Each newcomer ties to whoever brought them and to current members, recent posters likelier
    (C5, C14). Returns the new rows."""
    e = s.strategy.entry
    today.applicants = len(app)
    if not len(app):
        return np.zeros(0, dtype=np.int64)
    ok = (passes_threshold(app, s, m, rng)).nonzero()[0]
    if len(ok) > 1:  # (a permutation of one draws nothing)
        ok = ok[rng.permutation(len(ok))]
    if e.size_cap > 0:
        room = max(0, e.size_cap - today.members)
        today.turned_away = max(0, len(ok) - room)
        ok = ok[:room]
        g.turned_away_since_spinoff += today.turned_away
    if not len(ok):
        return np.zeros(0, dtype=np.int64)
    rows = m.add(len(ok))
    gifts = app.gift_yuan[ok]
    roles = draw_roles(len(ok), s, rng)
    roles[app.channel[ok] == CHANNEL["spam"]] = ROLE["participant"]  # spammers hold no office
    fill_members(m, rows, roles, app.fit[ok], app.channel[ok], today.day, s, rng, app.wtp[ok],
                 gift_yuan=gifts if gifts.any() else None)
    bringer = app.bringer[ok]
    m.brought_by[rows] = np.where(bringer >= 0, m.member_id[np.maximum(bringer, 0)], -1)
    today.operator_cost += float(gifts.sum())
    if gifts.any():  # handing out the joining gifts takes organiser time
        today.hours.take_team(np.count_nonzero(gifts) * s.behaviour.organisers.minutes_per_gift / 60.0)
    today.revenue += charge_fee(m, s, rows)
    _tie_newcomers(m, ties, s, rows, bringer, today.alive, today.day, rng)
    today.joined += len(rows)
    return rows


def charge_fee(m: MemberTable, s: Scenario, rows: np.ndarray) -> float:
    """Members admitted through a fee pay it: revenue, plus commitment from the sunk cost and
    higher expectations (C5). Returns the yuan collected."""
    e = s.strategy.entry
    mo = s.behaviour.money
    if e.kind != "fee" or e.level <= 0 or not len(rows):
        return 0.0
    m.fee_paid_yuan[rows] = e.level  # marketers too: they passed by paying it
    m.spent_yuan[rows] += m.fee_paid_yuan[rows]
    m.fee_weight[rows] = np.minimum(1.0, m.fee_paid_yuan[rows] / mo.fee_reference_yuan)
    m.commitment[rows] = np.minimum(1.0, m.commitment[rows] + mo.fee_commitment * m.fee_weight[rows])
    return float(m.fee_paid_yuan[rows].sum())


def _tie_newcomers(m: MemberTable, ties: Ties, s: Scenario, rows: np.ndarray, bringers: np.ndarray,
                   alive: np.ndarray, day: int, rng: Dice) -> None:
    """Newcomers attach to whoever brought them and to current members, recent posters likelier."""
    if not alive.any():
        return
    has = (bringers >= 0) & m.present[np.maximum(bringers, 0)]
    ties.add(rows[has], bringers[has])
    per = s.community.network.newcomer_ties - 1 + (~has).astype(int)
    total = int(per.sum())
    if total:
        targets = _pick_tie_targets(m, alive, total, day, s.behaviour, rng)
        ties.add(np.repeat(rows, per), targets)


def _pick_tie_targets(m: MemberTable, alive: np.ndarray, k: int, day: int, b: Behaviour,
                      rng: Dice) -> np.ndarray:
    """``k`` current members (rows under ``len(alive)``), recent posters (within
    ``roles.recent_days``) ``recent_poster_tie`` times likelier than others; by rejection,
    touching only the candidates drawn."""
    lift = b.newcomers.recent_poster_tie
    picks: list[np.ndarray] = []
    need = k
    while need > 0:
        cand = rng.integers(0, len(alive), 4 * need + 16)
        weight = np.where(m.last_post_day[cand] >= day - b.roles.recent_days, lift, 1.0) * alive[cand]
        kept = cand[rng.random(len(cand)) * lift < weight]
        picks.append(kept[:need])
        need -= len(picks[-1])
    return np.concatenate(picks)


def maybe_spin_off(m: MemberTable, ties: Ties, g: GroupState, s: Scenario, today: Today,
                   rng: Dice) -> np.ndarray:
    """A full group that keeps turning people away seeds a new one: its most committed
    replicator leaves to lead it, and some of its ties follow (C12). Returns who left."""
    nc = s.behaviour.newcomers
    if g.turned_away_since_spinoff < nc.spinoff_after_turned_away or today.day - g.last_spinoff_day < nc.spinoff_min_days:
        return np.zeros(0, dtype=np.int64)
    n = m.n
    cands = (today.alive & (m.role[:n] == ROLE["replicator"])
             & (m.commitment[:n] >= s.behaviour.roles.sub_leader_commitment)).nonzero()[0]
    if not len(cands):
        return np.zeros(0, dtype=np.int64)
    leader = cands[np.argmax(m.commitment[cands])]
    mates = ties.neighbours(int(leader), n)
    mates = mates[m.present[mates] & (m.role[mates] != ROLE["creator"]) & ~m.spammer[mates]]
    followers = mates[rng.member_uniform("follow", today.day, m.member_id[mates]) < nc.spinoff_followers]
    g.turned_away_since_spinoff = 0
    g.spinoffs += 1
    g.last_spinoff_day = today.day
    return np.concatenate([[leader], followers]).astype(np.int64)
