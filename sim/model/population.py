"""Who members are when they arrive: roles, motivation profiles, value fit, posting propensity,
willingness to pay and starting commitment (C5, C11, C14, C15, C19)."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..scenario import MOTIVES, ROLES, Behaviour, Scenario
from .luck import Dice
from .sampling import elementwise, weighted_pick
from .table import CHANNEL, CHANNELS, MOTIVE, ROLE, MemberTable

# The roles a newcomer can arrive in (managers are appointed, the creator founds the group).
ARRIVING_ROLES = ("pioneer", "replicator", "collaborator", "payer")
_ARRIVING_CODES = np.array([ROLE[r] for r in ARRIVING_ROLES] + [ROLE["participant"]], dtype=np.int8)


def role_tilts(b: Behaviour) -> np.ndarray:
    """How each role tilts the motivation means it draws around (rows: ROLES, columns: MOTIVES)."""
    return _tilts(tuple(vars(b.motives).items()))


@lru_cache(maxsize=64)
def _tilts(items: tuple) -> np.ndarray:
    mv = dict(items)
    tilt = np.ones((len(ROLES), len(MOTIVES)))
    for (role, motive), field in {
        ("creator", "growth"): "creator_growth", ("creator", "recognition"): "creator_recognition",
        ("manager", "recognition"): "manager_recognition", ("manager", "social"): "manager_social",
        ("pioneer", "recognition"): "pioneer_recognition",
        ("replicator", "growth"): "replicator_growth", ("replicator", "social"): "replicator_social",
        ("collaborator", "material"): "collaborator_material",
        ("collaborator", "information"): "collaborator_information",
        ("payer", "material"): "payer_material",
    }.items():
        tilt[ROLE[role], MOTIVE[motive]] = mv[field]
    tilt.setflags(write=False)
    return tilt


def draw_roles(k: int, s: Scenario, rng: np.random.Generator) -> np.ndarray:
    """Roles for ``k`` arriving members from the scenario's role mix; participants take the rest."""
    mix = s.community.roles
    shares = [getattr(mix, r) for r in ARRIVING_ROLES]
    return _ARRIVING_CODES[weighted_pick(np.array(shares + [1.0 - sum(shares)]), k, rng)]


def draw_fit(mean: np.ndarray | float, k: int, b: Behaviour, rng: np.random.Generator) -> np.ndarray:
    """Value fit with the group's goal, Beta-distributed around ``mean`` (C2, C5)."""
    mu = np.minimum(np.maximum(np.asarray(mean, dtype=float), 0.02), 0.98)
    if mu.ndim == 0:
        mu = np.full(k, mu)
    conc = b.newcomers.fit_concentration
    return elementwise(rng.beta, mu * conc, (1.0 - mu) * conc)


def draw_wtp(fit: np.ndarray, s: Scenario, rng: np.random.Generator, gift_lured: np.ndarray | None = None,
             spammer: np.ndarray | None = None) -> np.ndarray:
    """Each person's willingness to pay, yuan, for membership (a fee) and for the operator's
    product alike: log-normal around a median that grows with value fit and with what the
    product is worth to them; gift-lured people pay little, marketers what an audience is worth
    to them (C5, C15, C16)."""
    m = s.behaviour.money
    median = m.wtp_scale_yuan * (fit + 0.2) ** 2 * (0.5 + s.community.product_value)
    wtp = median * np.exp(m.wtp_spread * rng.standard_normal(len(fit)))
    if gift_lured is not None:
        wtp[gift_lured] *= m.gift_wtp
    marketers = 0 if spammer is None else int(np.count_nonzero(spammer))
    if marketers:  # a marketer pays for an audience, whatever the goal
        wtp[spammer] = m.spammer_wtp_yuan * np.exp(m.wtp_spread * rng.standard_normal(marketers))
    return wtp


def start_commitment(channels: np.ndarray, b: Behaviour) -> np.ndarray:
    """Starting commitment by how a member came in (C14: bulk recruits lack belonging)."""
    nc = b.newcomers
    by_channel = {"founding": nc.commitment_founding, "outreach": nc.commitment_outreach,
                  "referral": nc.commitment_referral, "campaign": nc.commitment_campaign,
                  "organic": nc.commitment_organic, "spam": nc.commitment_organic}
    return np.array([by_channel[c] for c in CHANNELS])[channels]


def posting_propensity(roles: np.ndarray, fit: np.ndarray, catalyst: np.ndarray, b: Behaviour,
                       rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(habit, propensity): a personal, heavy-tailed urge to speak, so that most lurk (C19); the
    like-minded, pioneers and replicators speak more; catalysts have their own. Organisers
    speak with the organisers' propensity while they hold office, their habit otherwise (C11)."""
    p = b.posting
    voice = np.ones(len(ROLES))
    voice[ROLE["pioneer"]] = p.pioneer_voice
    voice[ROLE["replicator"]] = p.replicator_voice
    prop = (p.propensity_median * np.exp(p.propensity_spread * rng.standard_normal(len(roles)))
            * voice[roles] * (p.fit_voice + fit))
    habit = np.minimum(p.propensity_max, np.where(catalyst, p.catalyst_propensity, prop))
    organiser = (roles == ROLE["creator"]) | (roles == ROLE["manager"])
    return habit, np.where(organiser, p.organiser_propensity, habit)


def fill_members(m: MemberTable, rows: np.ndarray, roles: np.ndarray, fit: np.ndarray, channels: np.ndarray,
                 day: int, s: Scenario, rng: Dice, wtp: np.ndarray,
                 gift_yuan: np.ndarray | None = None) -> None:
    """Give new rows their role, motivation profile, propensity, willingness to pay and
    starting state. ``channels`` holds each newcomer's CHANNELS code; a gift lures material
    seekers (C15)."""
    k = len(rows)
    if not k:
        return
    b = s.behaviour
    mot = s.community.motivation
    base = np.array([getattr(mot, name) for name in MOTIVES]) + 1e-3
    alpha = base * role_tilts(b)[roles]
    if gift_yuan is not None:
        alpha[gift_yuan > 0, MOTIVE["material"]] *= b.newcomers.gift_material_tilt
    alpha *= mot.concentration / alpha.sum(axis=1, keepdims=True)
    w = elementwise(rng.gamma, alpha)
    m.motives[rows] = w / w.sum(axis=1, keepdims=True)
    spammer = channels == CHANNEL["spam"]
    catalyst = (roles == ROLE["participant"]) & ~spammer & (rng.member_uniform("catalyst", 0, m.member_id[rows]) < s.community.catalyst_share)
    organiser = (roles == ROLE["creator"]) | (roles == ROLE["manager"])
    m.role[rows] = roles
    m.role_at_join[rows] = roles
    m.role_counts += np.bincount(roles, minlength=len(ROLES))
    m.fit[rows] = fit
    m.habit[rows], m.propensity[rows] = posting_propensity(roles, fit, catalyst, b, rng)
    m.catalyst[rows] = catalyst
    m.present[rows] = True
    m.join_day[rows] = day
    m.joined_via[rows] = channels
    m.commitment[rows] = np.where(organiser, b.newcomers.commitment_organiser, start_commitment(channels, b))
    price = s.strategy.selling.price_yuan  # nothing to pay for at 0; nobody pays above what it is worth to them
    m.paying[rows] = (roles == ROLE["payer"]) & (price > 0) & (wtp >= price)
    m.spammer[rows] = spammer
    m.wtp_yuan[rows] = wtp
    if gift_yuan is not None:
        m.gift_glow[rows] = gift_yuan / (gift_yuan + b.money.material_scale_yuan)


def product_interest(s: Scenario, material: np.ndarray) -> np.ndarray:
    """How much each member wants the operator's product: its worth, raised by the member's
    weight on material benefit (C14, C16)."""
    return np.minimum(1.0, s.community.product_value * (0.5 + s.behaviour.money.material_want * material))
