"""Slack's workspace export: a folder (or a .zip of it) with one sub-folder per channel holding
one ``YYYY-MM-DD.json`` file per day, each a list of message objects. Accepted: the export's
root folder or .zip (every channel is a group of the log; choose one with ``--group``), one channel's folder, or a single
day file. Workspace files (``users.json``, ``channels.json``...) are not read: ids are hashed.

Kept: ``type: "message"`` with no subtype or a member's subtype (``thread_broadcast``,
``file_share``, ``me_message``); joins, leaves, topic changes and bots (``bot_id`` or
``bot_message``, Slackbot's ``USLACKBOT`` reminders) are skipped. Time: ``ts`` (epoch seconds, UTC). Threads: ``thread_ts``
(per channel); a thread reply answers ``parent_user_id``, else the author of the thread's first
message.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import numpy as np

from ..logs import shown
from .common import Export, build_log, fail, load_json, read_text

DAY_FILE = re.compile(r"(?:^|/)(\d{4}-\d{2}-\d{2})\.json$")
MEMBER_SUBTYPES = ("thread_broadcast", "file_share", "me_message")
SLACKBOT = "USLACKBOT"  # Slack's own bot (reminders, notices): posts with a user id and no bot_id


def _day_files(path: Path) -> list[tuple[str, str, bytes]]:
    """(channel, file name for messages, bytes) of every day file under ``path``, in name order."""
    if path.is_file() and zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = sorted(n for n in archive.namelist() if DAY_FILE.search(n))
            found = [(n.rsplit("/", 2)[-2] if "/" in n else "", f"{path}:{n}", archive.read(n)) for n in names]
    elif path.is_dir():
        files = sorted(p for p in path.rglob("*.json") if DAY_FILE.search(p.as_posix()))
        found = [(p.parent.name, str(p), p.read_bytes()) for p in files]
    else:
        found = [("", str(path), path.read_bytes())]
    if not found:
        raise fail(path, "no day files (expected a Slack export: channel folders of YYYY-MM-DD.json files)")
    return found


def _is_member_message(m) -> bool:
    return (isinstance(m, dict) and m.get("type", "message") == "message" and not m.get("bot_id")
            and m.get("subtype") in (None, *MEMBER_SUBTYPES) and m.get("user") != SLACKBOT)


def read_slack(path: Path) -> Export:
    """Read a Slack export (folder, .zip or one day file; see the module docstring)."""
    rows: list[tuple[float, str, str, str, str]] = []  # seconds, user, channel, thread_ts, parent user
    skipped = 0
    for channel, name, data in _day_files(path):
        messages = load_json(Path(name), read_text(Path(name), data))
        if not isinstance(messages, list):
            raise fail(name, "not a list of messages (expected a Slack day file, YYYY-MM-DD.json)", 1)
        for i, m in enumerate(messages):
            if not _is_member_message(m) or not m.get("user"):
                skipped += 1
                continue
            try:
                when = float(m["ts"])
            except (KeyError, TypeError, ValueError):
                raise fail(name, f"message {i + 1}: bad or missing 'ts'{shown(m.get('ts'))} (expected epoch "
                           "seconds, e.g. \"1704056703.000200\")") from None
            rows.append((when, str(m["user"]), channel, str(m.get("thread_ts") or ""), str(m.get("parent_user_id") or "")))
    if not rows:
        raise fail(path, "no messages from members (only joins, leaves, topic changes or bots)")
    starter = {(r[2], f"{r[0]:.6f}"): r[1] for r in rows}
    replies = []
    for when, user, channel, thread_ts, parent in rows:
        is_reply = thread_ts and abs(float(thread_ts) - when) > 1e-6
        target = (parent or starter.get((channel, f"{float(thread_ts):.6f}"), "")) if is_reply else ""
        replies.append(target if target != user else "")
    channels = {r[2] for r in rows}
    log = build_log(path, np.array([r[0] for r in rows]), [r[1] for r in rows], replies,
                    thread=[f"{r[2]}/{r[3]}" if r[3] else "" for r in rows],
                    group=[r[2] for r in rows] if len(channels) > 1 else None)
    notes = [f"{skipped:,} joins, leaves, topic changes and bot messages were skipped."]
    return Export(log, "slack", tuple(notes))
