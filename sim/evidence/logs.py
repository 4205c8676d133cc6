"""Message logs as numpy arrays: the `MessageLog` container and the CSV reader.

A log is one row per message: when (``day``, float days since ``epoch``), who (``author``,
integer code 0..n-1), whom it answers (``reply_to``, an author code or -1), in which group
(``group``, a code or -1 for a one-group log) and, where the platform has threads, in which
thread (``thread``, a code or -1). The same container holds a real community's archive
(`read_messages_csv`) and the simulator's own event log (`MessageLog.from_arrays`), so the
statistics never see strings or datetimes.
"""

from __future__ import annotations

import csv
import re
import warnings
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path

import numpy as np

REQUIRED_COLUMNS = ("timestamp", "author", "thread", "reply_to_author")
KNOWN_COLUMNS = (*REQUIRED_COLUMNS, "is_bot", "group", "post_type", "bridged")
NUMERIC_CELL = re.compile(r"[\d\s:.,+TZ-]{1,40}")  # a cell with only these may be shown in an error: it is no name
SECONDS_PER_DAY = 86_400


@dataclass(frozen=True)
class MessageLog:
    """Messages sorted by day.

    ``day``: float64 days since ``epoch`` (for a CSV, midnight UTC of the first row's date, so
    ``floor(day)`` is the calendar date). ``author``: int64 codes 0..n-1. ``reply_to``: int64
    code of the author answered, or -1. ``group``: int64 group code, or -1 throughout for a
    one-group log. ``end_day``: when the data end (days; for a CSV the last row's day, bots
    included), for censoring. ``censored_after_day``: group ends after this day are censored
    (an outside decision closed the groups), or None. ``name``: the source, for messages.
    ``epoch``: ISO date of day 0 where known. ``author_names``, ``group_names``: the source's
    ids by code. ``thread``: int64 thread or question code, or -1 where the platform has no
    threads (the default: chat rooms, the simulator).
    """

    day: np.ndarray
    author: np.ndarray
    reply_to: np.ndarray
    group: np.ndarray
    end_day: float
    censored_after_day: float | None = None
    name: str = "log"
    epoch: str | None = None
    author_names: tuple[str, ...] = field(default=(), repr=False)
    group_names: tuple[str, ...] = field(default=(), repr=False)
    thread: np.ndarray | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        n = len(self.day)
        if self.thread is None:
            object.__setattr__(self, "thread", np.full(n, -1, np.int64))
        for label in ("author", "reply_to", "group", "thread"):
            if len(getattr(self, label)) != n:
                raise ValueError(f"{self.name}: `{label}` has {len(getattr(self, label))} rows, `day` {n}")
        if n and np.any(np.diff(self.day) < 0):
            raise ValueError(f"{self.name}: messages must be sorted by day (MessageLog.from_arrays sorts)")
        if n and (self.author.min() < 0 or self.reply_to.min() < -1):
            raise ValueError(f"{self.name}: author codes must be >= 0 and reply_to codes >= -1")
        if n and self.end_day < self.day[-1]:
            raise ValueError(f"{self.name}: end_day {self.end_day} is before the last message, {self.day[-1]}")

    @classmethod
    def from_arrays(cls, day, author, reply_to=None, group=None, thread=None, *,
                    end_day: float | None = None, censored_after_day: float | None = None,
                    name: str = "log") -> MessageLog:
        """Build a log from array-likes (e.g. the simulator's event log), sorting stably by day.

        ``day`` in days, ``author`` integer codes; ``reply_to``, ``group`` and ``thread``
        default to -1 (no reply, one group, no threads); ``end_day`` (days) defaults to the
        last message's day.
        """
        day = np.asarray(day, dtype=np.float64)
        n = len(day)

        def codes(values) -> np.ndarray:
            return np.full(n, -1, np.int64) if values is None else np.asarray(values, dtype=np.int64)

        author, reply_to, group, thread = (codes(v) for v in (author, reply_to, group, thread))
        order = np.argsort(day, kind="stable")
        if end_day is None:
            end_day = float(day.max()) if n else 0.0
        return cls(day[order], author[order], reply_to[order], group[order], float(end_day),
                   censored_after_day, name, thread=thread[order])

    @property
    def n_messages(self) -> int:
        return len(self.day)

    def group_codes(self) -> np.ndarray:
        """The distinct group codes present (``[-1]`` for a one-group log)."""
        return np.unique(self.group)

    def select(self, mask: np.ndarray) -> MessageLog:
        """The messages where ``mask`` is true; codes, ``end_day`` and names unchanged."""
        return replace(self, day=self.day[mask], author=self.author[mask], reply_to=self.reply_to[mask],
                       group=self.group[mask], thread=self.thread[mask])

    def select_group(self, group: int | str) -> MessageLog:
        """One group's messages, by code or by name (``end_day`` stays the whole archive's)."""
        if isinstance(group, str):
            if group not in self.group_names:
                raise KeyError(f"{self.name}: no group named {group!r}")
            group = self.group_names.index(group)
        return self.select(self.group == group)


def _codes(values: list[str]) -> tuple[np.ndarray, tuple[str, ...]]:
    """Integer codes 0.. in order of first appearance, and the names by code; '' becomes -1."""
    names, first, inverse = np.unique(np.asarray(values, dtype=object), return_index=True,
                                      return_inverse=True)
    order = np.argsort(first, kind="stable")
    rank = np.empty(len(names), np.int64)
    rank[order] = np.arange(len(names))
    codes = rank[inverse.ravel()]
    ordered = [str(name) for name in names[order]]
    if "" in ordered:
        blank = ordered.index("")
        codes = np.where(codes == blank, -1, codes - (codes > blank))
        del ordered[blank]
    return codes, tuple(ordered)


def shown(value: object, quote: bool = True) -> str:
    """`` 'value'`` (``quote``) or `` value`` for an error message when the cell looks like a
    number or a time (so it is no person's name, e.g. from swapped columns), else '' (left out)."""
    if not NUMERIC_CELL.fullmatch(str(value)):
        return ""
    return f" {str(value)!r}" if quote else f" {value}"


def _bad_timestamp(stamp: str) -> str | None:
    """Why ``stamp`` is not an ISO 8601 UTC timestamp, or None if it is one."""
    try:
        parsed = datetime.fromisoformat(stamp)
    except ValueError as exc:
        return str(exc)
    offset = parsed.utcoffset()
    return None if offset is None or offset.total_seconds() == 0 else "not UTC"


def _seconds(stamps: list[str], path: Path, lines: list[int]) -> np.ndarray:
    """Seconds since 1970 (int64) from ISO 8601 UTC stamps ('...Z', '+00:00' or no zone)."""
    bare = [s.removesuffix("Z").removesuffix("+00:00") for s in stamps]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")      # numpy only warns about a time zone offset
            seconds = np.array(bare, dtype="datetime64[s]")
        if not np.isnat(seconds).any():
            return seconds.astype(np.int64)
    except (ValueError, Warning):
        pass
    for i, stamp in enumerate(stamps):     # slow path, only to name the offending line
        reason = "empty" if not stamp.strip() else _bad_timestamp(stamp)
        if reason is None:
            try:
                np.datetime64(bare[i], "s")
            except ValueError as exc:
                reason = str(exc)
        if reason:
            why = f": {reason}" if shown(stamp) else " (the cell is not shown: it may be a name)"
            raise ValueError(f"{path}, line {lines[i]}: bad timestamp{shown(stamp)} (expected ISO 8601 UTC,"
                             f" e.g. 2015-03-01T12:00:00Z){why}")
    raise ValueError(f"{path}: could not parse the timestamps")  # pragma: no cover


def read_messages_csv(path: str | Path, drop_bots: bool = True, censored_after: str | None = None,
                      required: tuple[str, ...] = REQUIRED_COLUMNS) -> MessageLog:
    """Read a ``messages.csv`` (format: /work/shared/data/README.md) into a `MessageLog`.

    Columns: ``timestamp`` (ISO 8601 UTC), ``author``, ``thread`` (empty = no thread),
    ``reply_to_author`` (empty = not a reply), optional ``is_bot`` (rows with 1 are dropped when
    ``drop_bots``), ``group`` (room name); others (``post_type``, ``bridged``) are ignored.
    Day 0 is midnight UTC of the first row's date; ``end_day`` is the last row's day (bots
    included: the archive runs until then). ``censored_after`` (ISO date, e.g. "2016-09-01")
    sets ``censored_after_day``. Author codes follow first appearance, so the authors who post
    are 0..k-1 and authors only ever replied to come after. A missing ``required`` column or a
    malformed row raises ValueError naming the file and line; the other REQUIRED_COLUMNS, when
    absent, are read as empty (no threads, no replies).
    """
    path = Path(path)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [h.strip() for h in next(reader, [])]
        numbered = [(reader.line_num, row) for row in reader if row]
    missing = [c for c in required if c not in header]
    if missing:
        known = [h for h in header if h in KNOWN_COLUMNS]
        others = f"{', ' if known else ''}{len(header) - len(known)} other cells, not shown" if len(known) < len(header) else ""
        raise ValueError(f"{path}, line 1: missing required column(s): {', '.join(missing)}"
                         f" (header: {', '.join(known)}{others}; a first row of data has no header)")
    if not numbered:
        raise ValueError(f"{path}, line 2: no messages")
    lines = [line for line, _ in numbered]
    rows = [row for _, row in numbered]
    for line, row in numbered:
        if len(row) != len(header):
            raise ValueError(f"{path}, line {line}: {len(row)} fields, the header has {len(header)}")
    col = dict(zip(header, (list(values) for values in zip(*rows))))
    for name in REQUIRED_COLUMNS:
        col.setdefault(name, [""] * len(rows))
    for i, author in enumerate(col["author"]):
        if not author.strip():
            raise ValueError(f"{path}, line {lines[i]}: empty author")
    seconds = _seconds(col["timestamp"], path, lines)
    keep = np.ones(len(rows), bool)
    if drop_bots and "is_bot" in col:
        flags = np.asarray(col["is_bot"])
        bad = np.flatnonzero(~np.isin(flags, ["0", "1", ""]))
        if len(bad):
            raise ValueError(f"{path}, line {lines[bad[0]]}: is_bot must be 0 or 1, not{shown(flags[bad[0]]) or ' that'}")
        keep = flags != "1"
    epoch = seconds.min() // SECONDS_PER_DAY * SECONDS_PER_DAY
    day_all = (seconds - epoch) / SECONDS_PER_DAY
    order = np.flatnonzero(keep)
    order = order[np.argsort(day_all[order], kind="stable")]

    def kept(name: str) -> list[str]:
        values = col[name]
        return [values[i] for i in order]

    people, author_names = _codes(kept("author") + kept("reply_to_author"))
    group, group_names = _codes(kept("group")) if "group" in col else (np.full(len(order), -1, np.int64), ())
    thread, _ = _codes(kept("thread"))
    censored = None
    if censored_after is not None:
        censored = float((np.datetime64(censored_after, "s").astype(np.int64) - epoch) / SECONDS_PER_DAY)
    return MessageLog(day=day_all[order], author=people[:len(order)], reply_to=people[len(order):],
                      group=group, end_day=float(day_all.max()), censored_after_day=censored,
                      name=str(path), epoch=str(np.datetime64(int(epoch), "s"))[:10],
                      author_names=author_names, group_names=group_names, thread=thread)
