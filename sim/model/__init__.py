"""The model: a Mesa ``CommunityModel`` that owns the day loop, the seeded RNG and the members.

Layer 2 (imports only ``sim.scenario``). The daily arithmetic runs over numpy columns: the
member table (``table``), the social ties (``ties``), the group's carried state and the day's
record (``day``); members are Mesa agents in seven role classes that view one row each
(``members``). Who joins is drawn in ``population``, the founding graph built in ``network``;
each phase of the day is a module of ``phases`` citing the claims (C1..C19) it encodes.
"""

from .community import CommunityModel
from .log import MESSAGE_KINDS
from .members import ROLE_CLASSES, Member
from .record import TIMESERIES_COLUMNS

__all__ = ["MESSAGE_KINDS", "ROLE_CLASSES", "TIMESERIES_COLUMNS", "CommunityModel", "Member"]
