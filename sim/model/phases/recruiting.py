"""Recruiting and admission: applicants arrive by several channels; the entry threshold and
the size cap decide who gets in (C5, C12, C14, C15, C16)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ...scenario import Scenario
from ..day import GroupState, Today
from ..population import CAMPAIGN_FIT, SPAMMER_FIT, draw_fit, draw_roles, fill_members
from ..sampling import weighted_pick
from ..table import CHANNEL, ROLE, MemberTable
from ..ties import Ties

WTP_SCALE_YUAN = 400.0  # scale of willingness to pay, yuan: the median is 400 (fit + 0.2)^2 (0.5 + product value)
WTP_SPREAD = 0.7  # log-normal spread of willingness to pay
SCREEN_NOISE = 0.1  # error of a screening test on value fit
BULK_SPAMMER_SHARE = 0.15  # share of bulk-recruited applicants who come to advertise
REFERRAL_DEAL_LIFT = 3.0  # deals and group buys are worth telling friends about (C16)
SPINOFF_FOLLOWERS = 0.2  # share of a departing replicator's ties who follow it to the new group


@dataclass
class Applicants:
    """Today's applicants, one entry each."""

    channel: np.ndarray  # index into CHANNELS
    bringer: np.ndarray  # member id who brought them, or -1
    fit: np.ndarray
    gift_yuan: np.ndarray

    def __len__(self) -> int:
        return len(self.channel)


def draw_applicants(m: MemberTable, g: GroupState, s: Scenario, today: Today,
                    rng: np.random.Generator) -> Applicants:
    """Pioneers and collaborators reach out; committed members refer friends like themselves
    (word of mouth, C16), more when there are deals to share (perks, group buys); a few find the group alone; bulk campaigns bring many who fit poorly,
    gifts lure material seekers (C14, C15); spammers come, more to a group where ads already
    stand and to a larger one (C9)."""
    r = s.strategy.recruiting
    n = m.n
    members = today.alive & ~m.spammer[:n]
    role = m.role[:n]
    reachers = (members & ((role == ROLE["pioneer"]) | (role == ROLE["collaborator"]))).nonzero()[0]
    w_out = r.outreach_per_week / 7.0 * m.commitment[reachers]
    deals = 1.0 + REFERRAL_DEAL_LIFT * (g.perk_glow + today.event_material)
    ref_max = r.referral_per_year / 365.0 * deals
    w_ref = np.square(m.commitment[:n])  # zero for non-members: each row's referral weight / ref_max
    w_ref *= members
    camps = [cp for cp in r.campaigns if cp.start_day <= today.day <= cp.end_day]
    spam = r.spam_per_day * np.sqrt(np.count_nonzero(members) / 100.0) * (1.0 + s.behaviour.ad_norm_pull * g.ad_norm)
    means = [w_out.sum(), ref_max * w_ref.sum(), r.organic_per_day * (0.5 + 0.5 * g.novelty), spam]
    counts = rng.poisson(means + [cp.applicants_per_day for cp in camps])
    if not counts.any():
        return Applicants(np.zeros(0, dtype=np.int8), np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0))
    fit_mean = s.community.value_fit_mean
    out = reachers[weighted_pick(w_out, counts[0], rng)]
    ref = weighted_pick(w_ref, counts[1], rng, max_weight=1.0)
    k_org, k_spam, k_camp = int(counts[2]), int(counts[3]), counts[4:]
    channel = np.repeat(np.array([CHANNEL["outreach"], CHANNEL["referral"], CHANNEL["organic"], CHANNEL["spam"]]
                                 + [CHANNEL["campaign"]] * len(camps), dtype=np.int8), counts)
    bringer = np.concatenate([out, ref, np.full(k_org + k_spam + int(k_camp.sum()), -1, dtype=np.int64)])
    fit_means = np.concatenate([np.full(len(out), fit_mean), 0.5 * m.fit[ref] + 0.5 * fit_mean,
                                np.full(k_org, fit_mean), np.full(k_spam, SPAMMER_FIT),
                                np.full(int(k_camp.sum()), CAMPAIGN_FIT)])
    gift = np.concatenate([np.zeros(len(out) + len(ref) + k_org + k_spam),
                           np.repeat([cp.gift_yuan for cp in camps], k_camp)])
    fit = draw_fit(fit_means, len(channel), rng)
    # Bulk recruiting sweeps in marketers too (C1: "born from recruiting ... dies of ads").
    marketers = (channel == CHANNEL["campaign"]) & (rng.random(len(channel)) < BULK_SPAMMER_SHARE)
    channel[marketers] = CHANNEL["spam"]
    fit[channel == CHANNEL["spam"]] = SPAMMER_FIT
    return Applicants(channel, bringer, fit, gift)


def passes_threshold(app: Applicants, s: Scenario, m: MemberTable,
                     rng: np.random.Generator) -> np.ndarray:
    """Who the entry threshold admits (before the cap). Invite admits only those brought in
    by a member committed enough to vouch; a fee admits those who value the group at the fee
    (fit drives willingness to pay; gift seekers and spammers pay little); screening tests
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
        wtp = (WTP_SCALE_YUAN * (app.fit + 0.2) ** 2 * (0.5 + s.community.product_value)
               * np.exp(WTP_SPREAD * rng.standard_normal(k)))
        wtp[app.gift_yuan > 0] *= 0.3
        wtp[app.channel == CHANNEL["spam"]] = 0.0
        return wtp >= e.level
    return app.fit + SCREEN_NOISE * rng.standard_normal(k) >= e.level


def admit(m: MemberTable, ties: Ties, g: GroupState, s: Scenario, app: Applicants,
          today: Today, rng: np.random.Generator) -> np.ndarray:
    """Admit applicants who pass the threshold, up to the size cap; count those turned away.
    A fee is revenue and adds commitment (sunk cost) and expectations; gifts cost the operator.
    Each newcomer ties to whoever brought them and to current members, recent posters likelier (C5, C14). Returns the
    new member ids."""
    e = s.strategy.entry
    today.applicants = len(app)
    ok = (passes_threshold(app, s, m, rng)).nonzero()[0]
    ok = ok[rng.permutation(len(ok))]
    if e.size_cap > 0:
        room = max(0, e.size_cap - today.members)
        today.turned_away = max(0, len(ok) - room)
        ok = ok[:room]
        g.turned_away_since_spinoff += today.turned_away
    if not len(ok):
        return np.zeros(0, dtype=np.int64)
    ids = m.add(len(ok))
    gifts = app.gift_yuan[ok]
    roles = draw_roles(len(ok), s, rng)
    roles[app.channel[ok] == CHANNEL["spam"]] = ROLE["participant"]  # spammers hold no office
    fill_members(m, ids, roles, app.fit[ok], app.channel[ok], today.day, s, rng,
                 gift_yuan=gifts if gifts.any() else None)
    bringer = app.bringer[ok]
    m.brought_by[ids] = np.where(bringer >= 0, m.member_id[np.maximum(bringer, 0)], -1)
    today.operator_cost += float(gifts.sum())
    today.revenue += charge_fee(m, s, ids)
    _tie_newcomers(m, ties, s, ids, app.bringer[ok], today.alive, today.day, rng)
    today.joined += len(ids)
    return ids


def charge_fee(m: MemberTable, s: Scenario, ids: np.ndarray) -> float:
    """Members admitted through a fee pay it: revenue, plus commitment from the sunk cost and
    higher expectations (C5). Returns the yuan collected."""
    e = s.strategy.entry
    b = s.behaviour
    if e.kind != "fee" or e.level <= 0 or not len(ids):
        return 0.0
    m.fee_paid_yuan[ids] = np.where(m.spammer[ids], 0.0, e.level)
    m.spent_yuan[ids] += m.fee_paid_yuan[ids]
    m.fee_weight[ids] = np.minimum(1.0, m.fee_paid_yuan[ids] / b.fee_reference_yuan)
    m.commitment[ids] = np.minimum(1.0, m.commitment[ids] + b.fee_commitment * m.fee_weight[ids])
    return float(m.fee_paid_yuan[ids].sum())


def _tie_newcomers(m: MemberTable, ties: Ties, s: Scenario, ids: np.ndarray, bringers: np.ndarray,
                   alive: np.ndarray, day: int, rng: np.random.Generator) -> None:
    """Newcomers attach to whoever brought them and to current members, recent posters 5x likelier."""
    if not alive.any():
        return
    has = (bringers >= 0) & m.present[np.maximum(bringers, 0)]
    ties.add(ids[has], bringers[has])
    per = s.community.network.newcomer_ties - 1 + (~has).astype(int)
    total = int(per.sum())
    if total:
        targets = _pick_tie_targets(m, alive, total, day, rng)
        ties.add(np.repeat(ids, per), targets)


def _pick_tie_targets(m: MemberTable, alive: np.ndarray, k: int, day: int,
                      rng: np.random.Generator) -> np.ndarray:
    """``k`` current members (rows under ``len(alive)``), recent posters (last 30 days) five
    times likelier than others; by rejection, touching only the candidates drawn."""
    picks: list[np.ndarray] = []
    need = k
    while need > 0:
        cand = rng.integers(0, len(alive), 4 * need + 16)
        weight = np.where(m.last_post_day[cand] >= day - 30, 5.0, 1.0) * alive[cand]
        kept = cand[rng.random(len(cand)) * 5.0 < weight]
        picks.append(kept[:need])
        need -= len(picks[-1])
    return np.concatenate(picks)


def maybe_spin_off(m: MemberTable, ties: Ties, g: GroupState, s: Scenario, today: Today,
                   rng: np.random.Generator) -> np.ndarray:
    """A full group that keeps turning people away seeds a new one: its most committed
    replicator leaves to lead it, and some of its ties follow (C12). Returns who left."""
    if g.turned_away_since_spinoff < s.behaviour.spinoff_after_turned_away:
        return np.zeros(0, dtype=np.int64)
    n = m.n
    cands = (today.alive & (m.role[:n] == ROLE["replicator"]) & (m.commitment[:n] >= 0.5)).nonzero()[0]
    if not len(cands):
        return np.zeros(0, dtype=np.int64)
    leader = cands[np.argmax(m.commitment[cands])]
    mates = ties.neighbours(int(leader), n)
    mates = mates[m.present[mates] & (m.role[mates] != ROLE["creator"])]
    followers = mates[rng.random(len(mates)) < SPINOFF_FOLLOWERS]
    g.turned_away_since_spinoff = 0
    g.spinoffs += 1
    return np.concatenate([[leader], followers]).astype(np.int64)
