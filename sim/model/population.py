"""Who members are: roles, motivation profiles, value fit and posting propensity (C11, C19)."""

from __future__ import annotations

import numpy as np

from ..scenario import MOTIVES, ROLES, Scenario
from .sampling import weighted_pick
from .table import CHANNEL, CHANNELS, MOTIVE, ROLE, MemberTable

# How each role tilts the motivation profile (multipliers on the scenario's means, C11 table).
ROLE_TILT: dict[str, dict[str, float]] = {
    "creator": {"growth": 2.0, "recognition": 1.5},
    "manager": {"recognition": 2.0, "social": 1.5},
    "participant": {},
    "pioneer": {"recognition": 2.5},
    "replicator": {"growth": 1.5, "social": 1.5},
    "collaborator": {"material": 2.0, "information": 1.5},
    "payer": {"material": 2.0},
}
# How each role scales posting propensity.
ROLE_VOICE: dict[str, float] = {
    "creator": 1.0, "manager": 1.0, "participant": 1.0, "pioneer": 2.0,
    "replicator": 2.5, "collaborator": 1.0, "payer": 1.0,
}
ORGANISER_PROPENSITY = 0.3  # chat propensity of creator and managers
MAX_PROPENSITY = 5.0  # cap on posting propensity; high propensities mostly add extra posts per visit
FIT_CONCENTRATION = 6.0  # Beta concentration of value fit around its mean
# Starting commitment by how a member came in (C14: bulk recruits lack belonging).
START_COMMITMENT = {"founding": 0.55, "outreach": 0.45, "referral": 0.5, "campaign": 0.3,
                    "organic": 0.45, "spam": 0.5}
START_COMMITMENT_VECTOR = np.array([START_COMMITMENT[c] for c in CHANNELS])
CAMPAIGN_FIT = 0.25  # mean value fit of applicants recruited in bulk (C14, C15)
SPAMMER_FIT = 0.02
GIFT_MATERIAL_TILT = 3.0  # how much more gift-lured newcomers care about material benefit (C15)
ROLE_TILT_MATRIX = np.array([[ROLE_TILT[r].get(mv, 1.0) for mv in MOTIVES] for r in ROLES])
ROLE_VOICE_VECTOR = np.array([ROLE_VOICE[r] for r in ROLES])


def draw_roles(k: int, s: Scenario, rng: np.random.Generator) -> np.ndarray:
    """Roles for ``k`` members from the scenario's role mix; participants take the rest."""
    mix = s.community.roles
    names = ["manager", "pioneer", "replicator", "collaborator", "payer", "participant"]
    shares = [mix.manager, mix.pioneer, mix.replicator, mix.collaborator, mix.payer]
    codes = np.array([ROLE[x] for x in names], dtype=np.int8)
    return codes[weighted_pick(np.array(shares + [1.0 - sum(shares)]), k, rng)]


def draw_fit(mean: np.ndarray | float, k: int, rng: np.random.Generator) -> np.ndarray:
    """Value fit with the group's goal, Beta-distributed around ``mean`` (C2, C5)."""
    mu = np.clip(np.broadcast_to(np.asarray(mean, dtype=float), (k,)), 0.02, 0.98)
    return rng.beta(mu * FIT_CONCENTRATION, (1.0 - mu) * FIT_CONCENTRATION)


def fill_members(m: MemberTable, ids: np.ndarray, roles: np.ndarray, fit: np.ndarray,
                 channels: np.ndarray, day: int, s: Scenario, rng: np.random.Generator,
                 gift_yuan: np.ndarray | None = None) -> None:
    """Give new rows their role, motivation profile, propensity and starting state.
    ``channels`` holds each newcomer's CHANNELS code; a gift lures material seekers (C15)."""
    k = len(ids)
    if not k:
        return
    b = s.behaviour
    mot = s.community.motivation
    base = np.array([getattr(mot, name) for name in MOTIVES]) + 1e-3
    alpha = base * ROLE_TILT_MATRIX[roles]
    if gift_yuan is not None:
        alpha[gift_yuan > 0, MOTIVE["material"]] *= GIFT_MATERIAL_TILT
    alpha *= mot.concentration / alpha.sum(axis=1, keepdims=True)
    w = rng.gamma(alpha)
    m.motives[ids] = w / w.sum(axis=1, keepdims=True)
    # Members who share the goal speak up more (C5: the like-minded keep a group active).
    prop = (b.post_propensity_median * np.exp(b.post_propensity_spread * rng.standard_normal(k))
            * ROLE_VOICE_VECTOR[roles] * (0.5 + fit))
    catalyst = (roles == ROLE["participant"]) & (channels != CHANNEL["spam"]) & (rng.random(k) < s.community.catalyst_share)
    organiser = (roles == ROLE["creator"]) | (roles == ROLE["manager"])
    prop = np.where(catalyst, b.catalyst_propensity, prop)
    prop = np.where(organiser, ORGANISER_PROPENSITY, prop)
    m.role[ids] = roles
    m.role_counts += np.bincount(roles, minlength=len(ROLES))
    m.fit[ids] = fit
    m.propensity[ids] = np.minimum(MAX_PROPENSITY, prop)
    m.catalyst[ids] = catalyst
    m.present[ids] = True
    m.join_day[ids] = day
    m.joined_via[ids] = channels
    m.commitment[ids] = np.where(organiser, 0.9, START_COMMITMENT_VECTOR[channels])
    m.paying[ids] = roles == ROLE["payer"]
    m.spammer[ids] = channels == CHANNEL["spam"]
    if gift_yuan is not None:
        m.gift_glow[ids] = 2.0 * gift_yuan / (gift_yuan + b.material_scale_yuan)
