"""Members as Mesa agents: thin views onto the model's member table (one row each), one class
per role (C11).

The daily arithmetic runs over whole columns (``sim.model.phases``); these classes exist so that
users, notebooks and the dashboard can inspect members one by one, by role.
"""

from __future__ import annotations

import mesa

from ..scenario import MOTIVES, ROLES
from .table import CHANNELS


class Member(mesa.Agent):
    """A member of the community: a view onto its row of the model's member table."""

    role = "participant"

    def __init__(self, model: mesa.Model, member_id: int):
        super().__init__(model)
        self.member_id = int(member_id)

    def _col(self, name: str):
        t = self.model.table
        return getattr(t, name)[t.row_of[self.member_id]]

    @property
    def commitment(self) -> float:
        """0..1: how attached the member is; low first means quiet, then leaving."""
        return float(self._col("commitment"))

    @property
    def value_fit(self) -> float:
        """0..1: how well the member's values fit the group's goal."""
        return float(self._col("fit"))

    @property
    def motivation(self) -> dict[str, float]:
        """Weights over the benefits the member seeks."""
        t = self.model.table
        row = t.motives[t.row_of[self.member_id]]
        return {name: float(w) for name, w in zip(MOTIVES, row)}

    @property
    def posts(self) -> int:
        return int(self._col("posts"))

    @property
    def joined_day(self) -> int:
        return int(self._col("join_day"))

    @property
    def joined_via(self) -> str:
        return CHANNELS[int(self._col("joined_via"))]

    @property
    def is_quiet(self) -> bool:
        return self.commitment < self.model.scenario.behaviour.attention.quiet_below

    @property
    def is_catalyst(self) -> bool:
        return bool(self._col("catalyst"))

    @property
    def is_spammer(self) -> bool:
        return bool(self._col("spammer"))

    @property
    def paying(self) -> bool:
        return bool(self._col("paying"))

    def __repr__(self) -> str:
        return (f"<{type(self).__name__} #{self.member_id} commitment={self.commitment:.2f} "
                f"fit={self.value_fit:.2f} posts={self.posts}>")


class Creator(Member):
    """Sets the goal and posts quality content on the cadence; its charisma multiplies
    members' identity and warmth; burns out if it carries the content alone (C2, C12)."""

    role = "creator"


class Manager(Member):
    """Enforces rules: removes ads, runs cleanups, welcomes newcomers; posts content on its
    own cadence; burns out under heavy load (C9)."""

    role = "manager"


class Participant(Member):
    """Reads, chats, replies; most lurk; a few are catalysts whose posts draw more answers
    and carry content (C11, C19)."""

    role = "participant"


class Pioneer(Member):
    """Promotes the group elsewhere and brings in applicants; seeks recognition (C14)."""

    role = "pioneer"


class Replicator(Member):
    """Absorbs the culture; when committed becomes a sub-leader for its ties, and can leave to
    seed a new group when this one is full (C12)."""

    role = "replicator"


class Collaborator(Member):
    """A partner from outside: brings applicants and shared content (C11)."""

    role = "collaborator"


class Payer(Member):
    """Pays for the operator's product from the start; seeks material value (C14, C16)."""

    role = "payer"


ROLE_CLASSES: tuple[type[Member], ...] = tuple(
    {c.role: c for c in (Creator, Manager, Participant, Pioneer, Replicator, Collaborator, Payer)}[r]
    for r in ROLES)
