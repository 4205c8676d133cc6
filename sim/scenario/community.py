"""The community section of a scenario: who is there at the start, what they want, how they
are tied (C1, C2, C11, C12)."""

from __future__ import annotations

from dataclasses import dataclass

from .fields import NETWORK_KINDS, spec


@dataclass
class RoleMix:
    """Shares of each role among founding members and newcomers (participant takes the rest).
    Nobody arrives as a manager: founders have exactly ``managers``, and later managers are
    appointed from committed members (``strategy.staffing``)."""

    pioneer: float = spec(0.02, "share who promote the group elsewhere and bring applicants", 0, 0.5)
    replicator: float = spec(0.02, "share who absorb the culture and become sub-leaders (C12)", 0, 0.5)
    collaborator: float = spec(0.01, "share of outside partners (cross-promotion, shared content)", 0, 0.5)
    payer: float = spec(0.03, "share who come to pay (fees, products, sponsorship)", 0, 0.5)


@dataclass
class Motivation:
    """Mean weights of what members seek; each member draws its own profile around these."""

    information: float = spec(0.30, "weight on useful content read", 0, 1)
    social: float = spec(0.25, "weight on warmth: replies, chat with ties", 0, 1)
    growth: float = spec(0.20, "weight on progress toward the shared goal (C2)", 0, 1)
    recognition: float = spec(0.10, "weight on being answered and rewarded (C6)", 0, 1)
    material: float = spec(0.15, "weight on perks, deals, gifts (C7)", 0, 1)
    concentration: float = spec(8.0, "Dirichlet concentration: higher = profiles closer to the means", 0.5, 1000)


@dataclass
class Network:
    """The social graph among members (C3: replies flow along ties)."""

    kind: str = spec("small_world", "graph generator, or edge_list to load a file", choices=NETWORK_KINDS)
    mean_degree: int = spec(6, "average ties per founding member", 2, 100)
    rewire: float = spec(0.1, "small_world rewiring probability", 0, 1)
    edge_list: str = spec("", "path of an edge-list file (two member numbers per line), for kind edge_list")
    newcomer_ties: int = spec(3, "ties a newcomer makes: one to whoever brought them, the rest to current members (recent posters likelier: behaviour.newcomers.recent_poster_tie)", 1, 50)


@dataclass
class Community:
    """Who the group is and what it is for."""

    initial_members: int = spec(300, "founding members, creator and managers included", 2, 1_000_000)
    managers: int = spec(2, "managers among the founding members", 0, 10_000)
    creator_hours_per_week: float = spec(10.0, "hours a week the creator can give the group (content, events, moderation)", 0, 168)
    manager_hours_per_week: float = spec(4.0, "hours a week each manager can give the group", 0, 168)
    roles: RoleMix = spec(RoleMix(), "role shares")
    motivation: Motivation = spec(Motivation(), "motivation profile means")
    goal_clarity: float = spec(0.5, "how clear and believed the shared goal is (C1, C2); 0 = a mere group", 0, 1)
    path_clarity: float = spec(0.5, "how short and workable the path toward it is (C2, C16)", 0, 1)
    value_fit_mean: float = spec(0.5, "mean value fit of founding members with the goal", 0, 1)
    catalyst_share: float = spec(0.01, "share of participants who are catalysts (experts, lively) (C11)", 0, 1)
    charisma: float = spec(0.6, "creator's pull: adds to members' belonging while the creator is present, and belonging multiplies warmth (C12)", 0, 1)
    product_value: float = spec(0.3, "how much members value what the operator sells (C14, C16)", 0, 1)
    channel_size: int = spec(250, "members per channel: a larger community splits its chat and ads into channels, so each member sees one channel's share", 10, 10_000_000)
    network: Network = spec(Network(), "social graph")

