"""Evidence from real communities: this package owns reading message logs (a real community's
``messages.csv`` or the simulator's own event log) into a `MessageLog` of numpy arrays (days,
integer author codes, reply targets, groups, threads) and computing, as pure functions, the
member- and group-level statistics that the reference data's README (shared/data/README.md) reports: participation
inequality, how long members keep posting, whether newcomers are answered and come back, and
group sizes and lifespans. ``formats`` reads the exports operators have (Telegram, WhatsApp,
Discord, Slack, CSV) into the same container, names hashed. Calibration and validation read
`log_statistics`; nothing here imports the model.
"""

from typing import TYPE_CHECKING

from ..lazy import lazy_exports

if TYPE_CHECKING:  # what the lazy names are, for type checkers and import-linter's layer map
    from .formats import FORMATS, LogFormatError, detect_format, one_group, read_export, read_log
    from .logs import MessageLog, read_messages_csv
    from .statistics import (answered_within, gini, group_lifecycles, km_median, log_statistics, newcomer_replies,
                             participation_shares, still_posting)

# Imported on first use (sim.lazy): reading an export need not load SciPy (the statistics do).
_PUBLIC = {**dict.fromkeys(["FORMATS", "LogFormatError", "detect_format", "one_group", "read_export", "read_log"],
                           ".formats"),
           **dict.fromkeys(["MessageLog", "read_messages_csv"], ".logs"),
           **dict.fromkeys(["answered_within", "gini", "group_lifecycles", "km_median", "log_statistics",
                            "newcomer_replies", "participation_shares", "still_posting"], ".statistics")}
__getattr__, __dir__ = lazy_exports(__name__, _PUBLIC)

__all__ = ["FORMATS", "LogFormatError", "MessageLog", "answered_within", "detect_format", "gini", "group_lifecycles",
           "km_median", "log_statistics", "newcomer_replies", "one_group", "participation_shares", "read_export", "read_log",
           "read_messages_csv", "still_posting"]
