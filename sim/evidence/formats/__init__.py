"""Reading a group's message log in the formats operators have: Telegram Desktop's JSON export,
WhatsApp's "Export chat" text, DiscordChatExporter JSON, a Slack export (folder, .zip or day
file) and the plain ``messages.csv`` of the reference data. `read_log` tells the format from the
name and the first bytes (or takes ``fmt``) and returns a `MessageLog` whose author names are
pseudonyms (10 hex characters of sha256): no name leaves a reader. Every reading error is a
`LogFormatError`, one line naming the file (and line where there is one).
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Sequence

import numpy as np

from ...scenario.errors import did_you_mean, shown
from ..logs import MessageLog, read_messages_csv
from .chats import read_discord, read_telegram
from .common import Export, LogFormatError, fail, pseudonym, read_text
from .slack import read_slack
from .whatsapp import HEADER, read_whatsapp

FORMATS = ("csv", "telegram", "whatsapp", "discord", "slack")
CSV_REQUIRED = ("timestamp", "author")  # thread and reply_to_author are optional in a group's own CSV
PEEK_BYTES = 65_536
LISTED_GROUPS = 12  # an error about a log's groups names them all up to this many


def _read_csv(path: Path) -> Export:
    """The reference data's CSV reader, with author ids turned into pseudonyms."""
    read_text(path)  # an empty or non-UTF-8 file says so
    try:
        log = read_messages_csv(path, required=CSV_REQUIRED)
    except ValueError as exc:
        raise LogFormatError(str(exc)) from None
    named = replace(log, author_names=tuple(pseudonym(n) for n in log.author_names))
    return Export(named, "csv", ("CSV: bot rows (is_bot = 1) were dropped.",) if b"is_bot" in path.read_bytes()[:500]
                  else ())


def _sniff_json(head: str) -> str | None:
    """telegram, discord or slack from the start of a JSON file, or None."""
    start = head.lstrip("\ufeff \t\r\n")
    if re.match(r"\[\s*[{\]]", start):
        return "slack"
    if not start.startswith("{"):
        return None
    if re.search(r'"guild"\s*:', head):
        return "discord"
    if re.search(r'"(date_unixtime|from_id|personal_information|chats)"\s*:', head) or re.search(
            r'"type"\s*:\s*"(private_group|private_supergroup|public_supergroup|saved_messages|personal_chat)"', head):
        return "telegram"
    return None


def detect_format(path: str | Path) -> str:
    """The format of ``path`` (one of FORMATS), from its name and first bytes."""
    path = Path(path)
    if path.is_dir() or (path.suffix.lower() == ".zip" and zipfile.is_zipfile(path)):
        return "slack"
    with path.open("rb") as handle:
        head = handle.read(PEEK_BYTES).decode("utf-8", "replace")
    if not head.strip():
        raise fail(path, "the file is empty (expected a chat export)")
    suffix = path.suffix.lower()
    sniffed = _sniff_json(head)
    if sniffed:
        return sniffed
    if suffix == ".json" and re.search(r'"messages"\s*:', head):
        return "telegram"
    if head.lstrip("\ufeff").startswith("timestamp,") or (suffix == ".csv" and "timestamp" in head.split("\n", 1)[0]):
        return "csv"
    if HEADER.search(head):
        return "whatsapp"
    raise fail(path, f"cannot tell the format (expected one of {', '.join(FORMATS)}); pass --format")


def read_export(path: str | Path, fmt: str | None = None) -> Export:
    """Read ``path`` as ``fmt`` (detected when None): the log, the format and what it leaves out."""
    path = Path(path)
    if not path.exists():
        raise fail(path, "no such file or folder")
    if fmt is not None and fmt not in FORMATS:
        raise fail(path, f"unknown format {fmt!r} (allowed: {', '.join(FORMATS)})")
    fmt = fmt or detect_format(path)
    if fmt == "slack":
        return read_slack(path)
    if path.is_dir():
        raise fail(path, f"a folder (expected a {fmt} file; only Slack exports are folders)")
    if fmt == "csv":
        return _read_csv(path)
    text = read_text(path)
    reader = {"telegram": read_telegram, "whatsapp": read_whatsapp, "discord": read_discord}[fmt]
    return reader(path, text)


def groups_text(path: str | Path, names: Sequence[str]) -> str:
    """The groups of a log as an error names them: every one when there are at most
    ``LISTED_GROUPS``, else how many, the first few and where to see them all."""
    if len(names) <= LISTED_GROUPS:
        return f"{len(names):,} groups: {', '.join(names)}" if len(names) > 1 else ", ".join(names)
    where = ("the export's channels.json" if Path(path).is_dir() or str(path).endswith(".zip")
             else "the file's group column")
    return f"{len(names):,} groups ({', '.join(names[:3])}, ...; see them all in {where})"


def one_group(path: str | Path, log: MessageLog, group: str | None) -> MessageLog:
    """The log of one group: ``group``'s messages (by name) or, when None, the whole log if it
    holds a single group; a log of many groups needs ``group`` (the same rule as ``fit --group``).

    The chosen group is a log of its own: day 0 is midnight of its first message's date, its end
    is its last message, author codes 0..k-1 follow first appearance. An unknown group, or many
    groups and no ``group``, is a `LogFormatError` naming some groups.
    """
    names = log.group_names
    if group is None:
        if len(names) > 1:
            raise fail(path, f"the file holds {groups_text(path, names)}: choose one with --group "
                       "(pooling them would measure no real group)")
        return log
    if group not in names:
        allowed = f"one of {groups_text(path, names)}" if names else "none (the file has no group column or channels)"
        raise fail(path, f"no group {shown(group)}{did_you_mean(str(group)[:100], names)} (allowed: {allowed})")
    chosen = log.select_group(group)
    start = float(np.floor(chosen.day[0]))
    people = np.concatenate([chosen.author, chosen.reply_to[chosen.reply_to >= 0]])
    _, first, inverse = np.unique(people, return_index=True, return_inverse=True)
    rank = np.argsort(np.argsort(first, kind="stable"), kind="stable")
    codes = rank[inverse.ravel()]
    reply = np.full(chosen.n_messages, -1, np.int64)
    reply[chosen.reply_to >= 0] = codes[chosen.n_messages:]
    order = np.argsort(first, kind="stable")
    authors = np.unique(people)[order]
    epoch = None if chosen.epoch is None else str(np.datetime64(chosen.epoch, "D") + int(start))
    return replace(chosen, day=chosen.day - start, author=codes[:chosen.n_messages], reply_to=reply,
                   group=np.full(chosen.n_messages, -1, np.int64), end_day=float(chosen.day[-1] - start),
                   censored_after_day=None, epoch=epoch, group_names=(),
                   author_names=tuple(chosen.author_names[i] for i in authors) if chosen.author_names else ())


def read_log(path: str | Path, fmt: str | None = None) -> MessageLog:
    """A group's message log from an export (see `read_export`), names hashed."""
    return read_export(path, fmt).log


__all__ = ["FORMATS", "Export", "LogFormatError", "detect_format", "one_group", "read_export", "read_log"]
