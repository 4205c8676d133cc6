"""Diagnosing a real group from its message log (`community-sim diagnose LOG`): read the export
(``sim.evidence.formats``), measure activity, participation, newcomers, retention, rhythm and
whether the group is alive by the model's death rule (``measures``), say it in plain sentences
against the reference communities (``findings``), draw it (``figures``) and write a result
folder with a self-contained page (``report``). Never imports the model.
"""

from .findings import findings
from .measures import diagnose_log
from .report import Diagnosis, diagnose

__all__ = ["Diagnosis", "diagnose", "diagnose_log", "findings"]
