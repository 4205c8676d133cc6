"""What every export reader shares: the one-line reading error (`LogFormatError`), hashing of
names and platform ids (so no raw name leaves a reader), and `build_log`, which turns a reader's
columns (seconds since 1970, author keys, reply-target keys, thread and group keys) into a
sorted `MessageLog` with integer codes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from ..logs import SECONDS_PER_DAY, MessageLog

HASH_CHARS = 10  # hex characters of sha256 kept per name: the length of the reference data's ids


class LogFormatError(ValueError):
    """A log that cannot be read: one line, "FILE, line N: what is wrong (expected ...)"."""


@dataclass(frozen=True)
class Export:
    """A read log, the format it was read as, notes on what the format leaves out, and whether
    its times are a device's local time read as UTC (WhatsApp, old Telegram exports)."""

    log: MessageLog
    format: str
    notes: tuple[str, ...] = field(default=())
    local_time: bool = False


def fail(path: str | Path, what: str, line: int | None = None) -> LogFormatError:
    """The reading error for ``path`` (and ``line`` when known)."""
    where = f"{path}, line {line}" if line else f"{path}"
    return LogFormatError(f"{where}: {what}")


def pseudonym(name: str) -> str:
    """The first HASH_CHARS hex characters of the sha256 of ``name`` (a stable pseudonym)."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:HASH_CHARS]


def line_of(text: str, position: int) -> int:
    """The 1-based line number of character ``position`` in ``text``."""
    return text.count("\n", 0, position) + 1


def load_json(path: Path, text: str):
    """Parse ``text`` (the contents of ``path``) as JSON; a syntax error names the line."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise fail(path, f"not valid JSON ({exc.msg}; the file may be cut short)", exc.lineno) from None


def read_text(path: Path, data: bytes | None = None) -> str:
    """The file's text (UTF-8, a byte-order mark dropped); an empty or undecodable file is an error."""
    raw = path.read_bytes() if data is None else data
    if not raw.strip():
        raise fail(path, "the file is empty (expected a chat export)")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise fail(path, f"not UTF-8 text (byte {exc.start}; expected a chat export as exported)",
                   line_of(raw[:exc.start].decode("utf-8", "replace"), exc.start)) from None


def factorize(keys: Sequence[str], index: dict[str, int]) -> np.ndarray:
    """Integer codes in order of first appearance (extending ``index``); '' becomes -1."""
    return np.fromiter((index.setdefault(k, len(index)) if k else -1 for k in keys), np.int64, len(keys))


def build_log(path: Path, seconds: np.ndarray, author: Sequence[str], reply_to: Sequence[str] | None = None,
              thread: Sequence[str] | None = None, group: Sequence[str] | None = None) -> MessageLog:
    """A `MessageLog` from one entry per message: ``seconds`` since 1970 (UTC, float), the
    author's key, the key of the author answered ('' = none), thread and group keys ('' = none).

    Sorted stably by time; day 0 is midnight UTC of the first message's date. Author codes
    follow first appearance (authors who post first, then authors only ever answered), and
    ``author_names`` holds the keys' pseudonyms, never the keys. ``end_day`` is the last message.
    """
    seconds = np.asarray(seconds, dtype=np.float64)
    n = len(seconds)
    if n == 0:
        raise fail(path, "no messages (expected at least one message from a member)")
    order = np.argsort(seconds, kind="stable")

    def sort(keys: Sequence[str] | None) -> list[str] | None:
        return None if keys is None else [keys[i] for i in order.tolist()]

    author_s, reply_s, thread_s, group_s = (sort(k) for k in (author, reply_to, thread, group))
    people: dict[str, int] = {}
    author_codes = factorize(author_s, people)
    reply_codes = factorize(reply_s, people) if reply_s is not None else np.full(n, -1, np.int64)
    thread_codes = factorize(thread_s, {}) if thread_s is not None else None
    groups: dict[str, int] = {}
    group_codes = factorize(group_s, groups) if group_s is not None else np.full(n, -1, np.int64)
    sorted_seconds = seconds[order]
    epoch = np.floor(sorted_seconds[0] / SECONDS_PER_DAY) * SECONDS_PER_DAY
    day = (sorted_seconds - epoch) / SECONDS_PER_DAY
    return MessageLog(day=day, author=author_codes, reply_to=reply_codes, group=group_codes,
                      end_day=float(day[-1]), name=str(path), epoch=str(np.datetime64(int(epoch), "s"))[:10],
                      author_names=tuple(pseudonym(k) for k in people), group_names=tuple(groups),
                      thread=thread_codes)
