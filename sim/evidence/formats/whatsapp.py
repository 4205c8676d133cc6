"""WhatsApp's "Export chat" text: one compiled pattern over the whole file finds every message
header line, in the iOS style (``[31/12/2023, 21:05:03] Name: text``) and the Android style
(``31/12/2023, 21:05 - Name: text``), with 12- or 24-hour clocks (``9:05 PM``, a narrow no-break
space before AM/PM), dots or dashes between date fields and stray left-to-right marks. A line
with no header continues the message above (multi-line messages). Dates are turned into days
with numpy, all at once, so a million-line file reads in seconds.

What the format leaves out, and what is done about it:
- No time zone: the times are the exporting phone's local time; they are read as UTC.
- Day/month order: decided by scanning the whole file (a first field over 12 means day first, a
  second field over 12 month first). When no field settles it, the order under which the
  messages run forward in time wins; a tie goes to month first for 12-hour clocks, day first
  otherwise. The notes say which rule decided.
- No replies: a message whose first line has ``@Name`` of a member who posted is read as
  answering that member (as the Gitter data infer replies from @mentions); nothing else is.
- System lines (joins, leaves, adds, removals, subject and icon changes, pins, the encryption
  notice) are skipped. Android writes them with no ``Name:`` (any language), except a new
  subject holding ": ", caught by ``NAME changed the subject``. iOS writes them as from the
  group itself: the author of the first line (the encryption notice, in any language) or of an
  English system line is the group when everything it "posts" starts with a left-to-right mark,
  and all its lines are skipped, whatever their wording. ``<Media omitted>`` and deleted
  messages are messages.
- Pasted text: a line inside a message that looks like a header (someone pasted a chat) is read
  as part of the message when it jumps out of time order (back, or forward and straight back, by
  more than ``PASTED_JUMP_S``) or its date is only a real date in the other day/month order.
- Names holding ": " ("Zoë: the admin"): a name is extended through the next ": " when every
  message under the shorter name (two at least) continues the same way.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import islice
from pathlib import Path

import numpy as np

from .common import Export, build_log, factorize, fail, line_of

LRM = "\u200e"
ENCRYPTED = "Messages and calls are end-to-end encrypted"
HEADER = re.compile(
    r"^[\u200e\u200f\ufeff]*\[?(\d{1,4}[./-]\d{1,2}[./-]\d{1,4}),?[ \u00a0](\d{1,2}[:.]\d{2}(?:[:.]\d{2})?"
    r"(?:[ \u202f\u00a0]?[AaPp]\.?[ \u202f\u00a0]?[Mm]\.?)?)(?:\]| -) ([^\n]*)", re.MULTILINE)
DATE = re.compile(r"(\d+)[./-](\d+)[./-](\d+)")
CLOCK = re.compile(r"(\d+)[:.](\d+)(?:[:.](\d+))?(?:\D*([AaPp]))?")
SYSTEM = re.compile(
    r"[\u200e\u200f]*(?:Messages and calls are end-to-end encrypted|Your security code with|You (?:joined|left|were "
    r"added|created|changed|removed|added)|.+? (?:joined using this group's invite link|joined|left|added|removed|"
    r"created (?:this )?group|changed the subject|changed this group's|changed the group|changed their phone number|"
    r"deleted this group's icon|was added|'s security code changed|is now an admin|is no longer an admin)\b)")
# An Android system line whose text holds ": " (a new subject) looks like "Name: text" to HEADER.
SYSTEM_AUTHOR = re.compile(r" changed (?:the subject|the group|this group's)")
PASTED_JUMP_S = 2 * 3600  # a header this far out of time order is pasted text (clock changes are 1 h)


def _line(text: str, index: int) -> int:
    """Line number of the ``index``-th header match."""
    match = next(islice(HEADER.finditer(text), index, None))
    return line_of(text, match.start())


def _day_numbers(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Days since 1970 for each (year, month, day), and which dates are real calendar dates."""
    ok = (month >= 1) & (month <= 12) & (day >= 1)
    months = ((year - 1970) * 12 + np.clip(month, 1, 12) - 1).astype("datetime64[M]")
    start = months.astype("datetime64[D]").astype(np.int64)
    length = (months + 1).astype("datetime64[D]").astype(np.int64) - start
    return start + day - 1, ok & (day <= length)


def _date_order(first: np.ndarray, second: np.ndarray, seconds_if: dict[str, np.ndarray],
                twelve_hour: bool) -> tuple[str, str]:
    """'dm' or 'md', and the note saying what decided it."""
    if (first > 12).any():
        return "dm", "dates are read day first (a first field over 12 settles it)"
    if (second > 12).any():
        return "md", "dates are read month first (a second field over 12 settles it)"
    backward = {order: int((np.diff(s) < 0).sum()) for order, s in seconds_if.items()}
    if backward["dm"] != backward["md"]:
        order = min(backward, key=backward.get)
        return order, (f"no date field is over 12; dates are read {'day' if order == 'dm' else 'month'} first, "
                       f"the order in which the messages run forward in time")
    order = "md" if twelve_hour else "dm"
    return order, (f"the day/month order cannot be told from this file; read {'month' if order == 'md' else 'day'} "
                   f"first (the usual order with a {'12' if twelve_hour else '24'}-hour clock): pass a longer export "
                   "to settle it")


def _fields(pattern: re.Pattern, distinct: list[str], numbers: int) -> tuple[list[np.ndarray], list[tuple]]:
    """The first ``numbers`` fields of each distinct date or clock string as integer arrays (a
    missing field is 0), and all the fields as matched."""
    parts = [pattern.match(v).groups() for v in distinct]
    return [np.array([int(p[i] or 0) for p in parts], np.int64) for i in range(numbers)], parts


def _clock_seconds(path: Path, text: str, clocks: list[str]) -> tuple[np.ndarray, bool]:
    """Seconds after midnight for each row's clock, and whether the file uses a 12-hour clock."""
    codes = factorize(clocks, index := {})
    (hour, minute, second), parts = _fields(CLOCK, list(index), 3)
    twelve = np.array([p[3] is not None for p in parts])
    pm = np.array([p[3] in ("p", "P") for p in parts])
    bad = np.where(twelve, (hour < 1) | (hour > 12), hour > 23) | (minute > 59) | (second > 59)
    if bad.any():
        raise fail(path, "bad time of day (expected hours 0-23, or 1-12 with AM/PM, and minutes 0-59)",
                   _line(text, int(np.flatnonzero(bad[codes])[0])))
    hour = np.where(twelve, hour % 12 + 12 * pm, hour)
    return (hour * 3600 + minute * 60 + second)[codes], bool(twelve.any())


def _choose_order(path: Path, text: str, real: dict[str, np.ndarray], codes: np.ndarray) -> str | None:
    """'dm' or 'md' when some dates are impossible in both orders (the order with more real dates;
    a tie is an error), else None (let `_date_order` decide)."""
    if real["dm"].all() or real["md"].all():
        return None
    valid = {k: int(v[codes].sum()) for k, v in real.items()}
    if valid["dm"] == valid["md"]:
        raise fail(path, "dates put the day first on some lines and the month first on others (expected one "
                   "order throughout)", _line(text, int(np.flatnonzero(~real["dm"][codes])[0])))
    return max(valid, key=valid.get)


def _seconds(path: Path, text: str, dates: list[str], clocks: list[str]) -> tuple[np.ndarray, np.ndarray, str]:
    """Seconds since 1970 for each header (local time read as UTC), which headers are pasted text
    (a real date only in the other day/month order), and the date-order note.

    Each distinct date and clock string is parsed once (a chat has a few thousand at most).
    """
    clock, twelve = _clock_seconds(path, text, clocks)
    codes = factorize(dates, index := {})
    (a, b, c), parts = _fields(DATE, list(index), 3)
    other = np.zeros(len(a), bool)
    if len(parts[0][0]) == 4:  # year first: 2023-12-31
        days, real = _day_numbers(a, b, c)
        note = "dates are read year-month-day"
    else:
        year = np.where(c < 100, c + 2000, c)
        candidates = {"dm": _day_numbers(year, b, a), "md": _day_numbers(year, a, b)}
        order = _choose_order(path, text, {k: r for k, (_, r) in candidates.items()}, codes)
        if order is None:
            seconds_if = {k: d[codes] * 86_400 + clock for k, (d, _) in candidates.items()}
            order, note = _date_order(a, b, seconds_if, twelve)
        else:
            note = f"dates are read {'day' if order == 'dm' else 'month'} first (most lines are real dates so)"
        days, real = candidates[order]
        other = ~real & candidates["md" if order == "dm" else "dm"][1]
    if not (real | other).all():
        raise fail(path, "not a calendar date (expected e.g. 31/12/2023 or 12/31/23)",
                   _line(text, int(np.flatnonzero(~(real | other)[codes])[0])))
    return (np.where(real, days, 0)[codes] * 86_400 + clock).astype(np.float64), other[codes], note


def _spike(t: np.ndarray, out: np.ndarray, i: int, anchor: float) -> bool:
    """Is the forward jump at header ``i`` pasted text? Yes when most of the next five headers
    (within 20 lines) come back to the last message's time (``anchor``): the jump, not the
    return, is out of place. Marks the pasted headers in ``out``."""
    jump = PASTED_JUMP_S
    later = (np.flatnonzero(~out[i + 1:i + 21]) + i + 1)[:5]
    back = (t[later] < t[i] - jump) & (t[later] >= anchor - jump)
    if 2 * back.sum() <= len(later):
        return False
    out[i:later[np.argmax(back)]] = True
    return True


def _out_of_order(seconds: np.ndarray, pasted: np.ndarray) -> np.ndarray:
    """Headers that jump out of time order by more than PASTED_JUMP_S: back before the last
    message, or forward and then straight back (within 20 lines). Fast when nothing goes back."""
    jump = PASTED_JUMP_S
    out = pasted.copy()
    t = seconds
    if not (np.diff(t[~pasted]) < -jump).any():
        return out
    anchor = -np.inf
    for i in range(len(t)):
        if out[i]:
            continue
        if t[i] < anchor - jump:
            out[i] = True
            continue
        if t[i] > anchor + jump and np.isfinite(anchor) and _spike(t, out, i, anchor):
            continue
        anchor = max(anchor, t[i])
    return out


def _split_names(rests: list[str]) -> list[tuple[str, str, str]]:
    """(author, ": ", text) per header, ('...', '', '') for a line with no ": ". A name is
    extended through a further ": " when every message under the shorter name (at least two;
    subject changes aside) continues the same way."""
    split = [rest.partition(": ") for rest in rests]

    def subject(t: str) -> bool:
        return " changed " in t and bool(SYSTEM_AUTHOR.search(t))

    longer = Counter((a, a + ": " + t.partition(": ")[0]) for a, sep, t in split if ": " in t and not subject(t))
    shorts = {short for short, _ in longer}
    counts = Counter(a for a, sep, t in split if a in shorts and sep and not subject(t))
    names = {}
    for (short, name), n in longer.items():
        if n >= 2 and n == counts[short]:
            names[short] = name
    if not names:
        return split
    return [(names[a], sep, t.partition(": ")[2]) if a in names and t.startswith(names[a][len(a) + 2:] + ": ")
            else (a, sep, t) for a, sep, t in split]


def _group_authors(split: list[tuple[str, str, str]]) -> set[str]:
    """iOS: the authors that are the group itself (see the module docstring)."""
    first = split[0][0] if split and split[0][1] and split[0][2][:1] == LRM else None
    named = {a for a, sep, t in split if sep and t[:1] == LRM and (t.lstrip(LRM).startswith(ENCRYPTED) or SYSTEM.match(t))}
    candidates = ({first} | named) - {None}
    marked = {a: True for a in candidates}
    for a, sep, t in split:
        if a in candidates and sep and t[:1] != LRM:
            marked[a] = False
    return {a for a in candidates if marked[a]}


def _from_member(author: str, text: str) -> bool:
    """Is a header line a member's message (not a system line)? See the module docstring."""
    if not author or SYSTEM_AUTHOR.search(author) or text.lstrip(LRM).startswith(ENCRYPTED):
        return False
    return not (text.startswith(LRM) and SYSTEM.match(text))


def _mentions(authors: list[str], texts: list[str]) -> list[str]:
    """Per message, the member named by its first ``@Name`` of a member who posted ('' if none)."""
    names = sorted({a for a in authors if a}, key=len, reverse=True)
    reply = [""] * len(texts)
    if not names:
        return reply
    pattern = re.compile("@(" + "|".join(re.escape(n) for n in names) + r")(?!\w)")
    for i, text in enumerate(texts):
        if "@" in text:
            m = pattern.search(text)
            if m and m.group(1) != authors[i]:
                reply[i] = m.group(1)
    return reply


def _member_rows(split: list[tuple[str, str, str]], skip: np.ndarray) -> list[int]:
    """Indices of the headers that are members' messages (not pasted, not system lines)."""
    group = _group_authors(split)
    renamed = {a for a, _, _ in split if ": " in a}
    android = re.compile("(?:" + "|".join(re.escape(a) for a in renamed) + r") changed ") if renamed else None
    return [i for i, (author, sep, text) in enumerate(split) if sep and author and not skip[i] and author not in group
            and not (android and " changed " in text and android.match(f"{author}: {text}")
                     and SYSTEM_AUTHOR.search(text))
            and (not (text[:1] == LRM or " changed " in author or text[:8] == ENCRYPTED[:8])
                 or _from_member(author, text))]


def read_whatsapp(path: Path, text: str) -> Export:
    """Read a WhatsApp chat export (see the module docstring for what is inferred and skipped)."""
    rows = HEADER.findall(text)
    if not rows:
        first = next((i + 1 for i, line in enumerate(text.splitlines()) if line.strip()), 1)
        raise fail(path, "no WhatsApp message lines (expected e.g. '31/12/2023, 21:05 - Name: text' or "
                   "'[31/12/2023, 21:05:03] Name: text')", first)
    dates, clocks, rests = (list(col) for col in zip(*rows))
    seconds, other_order, order_note = _seconds(path, text, dates, clocks)
    pasted = _out_of_order(seconds, other_order)
    split = _split_names(rests)
    keep = _member_rows(split, pasted)
    if not keep:
        raise fail(path, "only system lines (joins, leaves, notices), no messages from members")
    authors = [split[i][0].strip(LRM) for i in keep]
    texts = [split[i][2] for i in keep]
    replies = _mentions(authors, texts)
    log = build_log(path, seconds[keep], authors, replies)
    mentions = sum(1 for r in replies if r)
    notes = ["WhatsApp exports carry no time zone: times are the phone's local time, read as UTC.",
             f"WhatsApp: {order_note}.",
             f"WhatsApp exports carry no replies: {mentions:,} messages @mention a member and are read as answering "
             "that member; whether newcomers were answered is therefore a lower bound.",
             f"{len(rows) - len(keep) - int(pasted.sum()):,} system lines (joins, leaves, notices) were skipped."]
    if pasted.any():
        notes.append(f"{int(pasted.sum()):,} lines that look like message headers but jump out of time order (or "
                     "use the other day/month order) were read as pasted text inside the message above.")
    return Export(log, "whatsapp", tuple(notes), local_time=True)
