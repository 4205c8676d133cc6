"""Telegram Desktop's JSON export (``result.json``) and DiscordChatExporter's JSON: both hold one
chat's ``messages`` as a list of objects, so both readers walk the list once, keep members'
messages, map each reply to the author of the message it answers, and hand the columns to
`build_log` (which hashes every id).

Telegram: ``type: "message"`` only (``service`` entries: joins, leaves, pins, are skipped); the
sender is ``from_id`` (else ``from``); the time ``date_unixtime`` (UTC), else ``date`` (the
exporting computer's local time, read as UTC); replies ``reply_to_message_id``. A full-account
export (``chats.list``) is read when it holds exactly one chat.
Discord: ``type`` "Default" or "Reply" (joins, pins, calls skipped), bots dropped; the time is
ISO 8601 with an offset (none: UTC); replies ``reference.messageId``, else the first member @mentioned.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from ..logs import shown
from .common import Export, build_log, fail, load_json

try:  # optional (extra "exports"): a typed JSON decoder that skips the message texts
    import msgspec
except ImportError:  # pragma: no cover - the standard library reads the same files, slower
    msgspec = None

DISCORD_MESSAGE_TYPES = ("Default", "Reply")

if msgspec is not None:
    class _TelegramMessage(msgspec.Struct):
        """The fields of a Telegram message the reader uses (any JSON value; checked after)."""

        id: object = None
        type: object = "message"
        from_id: object = None
        from_: object = msgspec.field(name="from", default=None)
        date_unixtime: object = None
        date: object = None
        reply_to_message_id: object = None

    class _TelegramChat(msgspec.Struct):
        messages: list[_TelegramMessage]


def _messages(path: Path, data, what: str) -> list:
    """The ``messages`` list of an export, or an error saying what was expected."""
    if isinstance(data, dict) and "messages" not in data and isinstance(data.get("chats"), dict):
        chats = data["chats"].get("list") or []
        if len(chats) != 1:
            raise fail(path, f"a full-account export with {len(chats)} chats (expected one group's export: in "
                       "Telegram Desktop, open the group and choose 'Export chat history')")
        data = chats[0]
    messages = data.get("messages") if isinstance(data, dict) else None
    if not isinstance(messages, list):
        raise fail(path, f"no 'messages' list at the top level (expected {what})")
    return messages


def _message_error(path: Path, index: int, message, what: str):
    """An error in the ``index``-th entry of the export's messages list (JSON gives no line)."""
    ident = message.get("id") if isinstance(message, dict) else None
    return fail(path, f"message {index + 1} (id{shown(ident, False)}): {what}")


def _telegram_fields(path: Path, text: str) -> list[tuple]:
    """(type, id, from_id, from, date_unixtime, date, reply_to_message_id) of every message.

    With msgspec installed, a typed decoder reads only these fields (a million-message export
    decodes in about 1 s instead of 6); any file it refuses is read again by the standard
    library, whose errors name the line.
    """
    if msgspec is not None:
        try:
            chat = msgspec.json.decode(text, type=_TelegramChat)
            return [(m.type, m.id, m.from_id, m.from_, m.date_unixtime, m.date, m.reply_to_message_id)
                    for m in chat.messages]
        except msgspec.DecodeError:
            pass
    fields = []
    for i, m in enumerate(_messages(path, load_json(path, text), "a Telegram Desktop result.json")):
        if not isinstance(m, dict):
            raise fail(path, f"message {i + 1}: not an object (expected {{\"id\": ..., \"type\": ...}})")
        fields.append((m.get("type", "message"), m.get("id"), m.get("from_id"), m.get("from"), m.get("date_unixtime"),
                       m.get("date"), m.get("reply_to_message_id")))
    return fields


def _telegram_seconds(path: Path, kept: list[int], fields: list[tuple]) -> tuple[np.ndarray, int]:
    """Seconds since 1970 of the kept messages, from ``date_unixtime`` (all at once), else the local
    ISO ``date``; and how many came from a local date. A bad time names its message."""
    unix = [fields[i][4] for i in kept]
    if all(u is not None for u in unix):
        try:
            return np.array(unix).astype(np.float64), 0
        except (TypeError, ValueError):
            pass  # find the bad one below
    seconds = np.empty(len(kept))
    local = 0
    for j, i in enumerate(kept):
        _, ident, _, _, u, date, _ = fields[i]
        try:
            if u is None and not isinstance(date, str):
                raise ValueError(date)
            seconds[j] = float(u) if u is not None else float(np.datetime64(date, "s").astype(np.int64))
        except (TypeError, ValueError):
            raise fail(path, f"message {i + 1} (id{shown(ident, False)}): bad or missing time"
                       f"{shown(u if u is not None else date)} (expected 'date_unixtime' seconds or an ISO 'date')") from None
        local += u is None
    return seconds, local


def read_telegram(path: Path, text: str) -> Export:
    """Read a Telegram Desktop chat export (JSON)."""
    fields = _telegram_fields(path, text)
    kept = [i for i, f in enumerate(fields) if f[0] == "message"]
    if not kept:
        raise fail(path, "no messages from members (only service entries)")
    authors = [str(fields[i][2] or fields[i][3] or "") for i in kept]
    if not all(authors):
        i = kept[authors.index("")]
        raise fail(path, f"message {i + 1} (id{shown(fields[i][1], False)}): no sender (expected 'from_id' or 'from')")
    seconds, local = _telegram_seconds(path, kept, fields)
    sender = {fields[i][1]: a for i, a in zip(kept, authors)}
    replies = [sender.get(fields[i][6], "") if fields[i][6] is not None else "" for i in kept]
    replies = [r if r != a else "" for r, a in zip(replies, authors)]
    notes = [f"{len(fields) - len(kept):,} service entries (joins, leaves, pins) were skipped."]
    if local:
        notes.append(f"{local:,} messages had no 'date_unixtime': their local 'date' was read as UTC.")
    return Export(build_log(path, seconds, authors, replies), "telegram", tuple(notes), local_time=local > 0)


def _discord_seconds(stamp: str) -> float:
    """Seconds since 1970 of an ISO 8601 time; one with no offset is UTC (never this machine's zone)."""
    when = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    return (when if when.tzinfo else when.replace(tzinfo=timezone.utc)).timestamp()


def read_discord(path: Path, text: str) -> Export:
    """Read a DiscordChatExporter JSON export of one channel."""
    messages = _messages(path, load_json(path, text), "a DiscordChatExporter JSON export")
    author_of: dict[object, str] = {}
    rows: list[tuple[float, str, object, str]] = []
    bots = 0
    for i, m in enumerate(messages):
        if not isinstance(m, dict) or not isinstance(m.get("author"), dict):
            raise _message_error(path, i, m, "no 'author' object")
        if m.get("type", "Default") not in DISCORD_MESSAGE_TYPES:
            continue
        who = str(m["author"].get("id") or m["author"].get("name") or "")
        if m["author"].get("isBot"):
            bots += 1
            continue
        try:
            when = _discord_seconds(m["timestamp"])
        except (KeyError, TypeError, ValueError):
            raise _message_error(path, i, m, f"bad or missing timestamp{shown(m.get('timestamp'))} (expected ISO "
                                 "8601, e.g. 2023-12-31T21:05:03.123+00:00)") from None
        author_of[m.get("id")] = who
        mentioned = [str(x.get("id")) for x in m.get("mentions") or [] if isinstance(x, dict)]
        mention = next((x for x in mentioned if x != who), "")
        reference = (m.get("reference") or {}).get("messageId")
        rows.append((when, who, reference, mention))
    if not rows:
        raise fail(path, "no messages from members (only joins, pins, calls or bots)")
    seconds = np.array([r[0] for r in rows], np.float64)
    authors = [r[1] for r in rows]
    replies = [author_of.get(r[2], "") if r[2] is not None else r[3] for r in rows]
    replies = [r if r != a else "" for r, a in zip(replies, authors)]
    notes = [f"{bots:,} bot messages were dropped." if bots else "No bot messages.",
             "Discord replies: the replied-to message's author, else the first member @mentioned."]
    return Export(build_log(path, seconds, authors, replies), "discord", tuple(notes))
