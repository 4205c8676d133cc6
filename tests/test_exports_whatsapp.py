"""WhatsApp's hard cases (sim.evidence.formats.whatsapp): iOS system lines in any wording (written
as from the group), pasted text that looks like message headers, impossible dates, and names
holding ": ". Each file is small and hand-written in the app's layout; outcomes are who posted
how many messages."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from sim.evidence import LogFormatError, read_export
from sim.evidence.formats.common import pseudonym

LRM, NNBSP = "\u200e", "\u202f"


def posts(tmp_path: Path, text: str) -> dict[str, int]:
    """Messages per member (raw names recovered from their pseudonyms, for the test only)."""
    path = tmp_path / "chat.txt"
    path.write_text(text, encoding="utf-8")
    log = read_export(path, "whatsapp").log
    names = {pseudonym(n): n for n in {line.split("] ", 1)[-1].split(" - ", 1)[-1].split(": ")[0]
                                       for line in text.splitlines()} | {"Zoë: the admin", "Garden Club"}}
    return dict(Counter(names.get(log.author_names[a], "?") for a in log.author))


def ios(day: int, clock: str, who: str, text: str, system: bool = False) -> str:
    mark = LRM if system else ""
    return f"{mark}[1/{day}/24, {clock}:00{NNBSP}AM] {who}: {mark}{text}\n"


IOS_SYSTEM = ["Alice Smith pinned a message", "Alice Smith turned on disappearing messages. New messages will "
              "disappear from this chat 7 days after they're sent.", "You're now an admin",
              "Bob Jones started a video call", "Alice Smith a ajouté Carol X", "Alice Smith hat Carol X hinzugefügt",
              "Alice Smith changed the group description"]


def test_ios_system_lines_in_any_wording_are_not_a_member(tmp_path):
    text = f"[12/31/23, 9:00:00{NNBSP}PM] Garden Club: {LRM}Les messages et les appels sont chiffrés de bout en bout.\n"
    for d in range(1, 6):
        text += "".join(ios(d, "10:0" + str(k), who, f"hello {d}") for k, who in enumerate(("Alice Smith", "Bob Jones")))
    text += "".join(ios(6, f"9:0{k}", "Garden Club", line, system=True) for k, line in enumerate(IOS_SYSTEM))
    text += ios(6, "11:00", "Bob Jones", "image omitted", system=True)  # a member's media line also has the mark
    assert posts(tmp_path, text) == {"Alice Smith": 5, "Bob Jones": 6}


def test_a_one_to_one_ios_chat_keeps_the_contact_who_wrote_the_notice_line(tmp_path):
    text = f"[12/31/23, 9:00:00{NNBSP}PM] Ann: {LRM}Messages and calls are end-to-end encrypted.\n"
    text += ios(1, "10:00", "Ann", "hi") + ios(1, "10:01", "Me", "hi Ann") + ios(1, "10:02", "Ann", "image omitted", True)
    assert posts(tmp_path, text) == {"Ann": 2, "Me": 1}


def android(day: int, clock: str, rest: str) -> str:
    return f"{day:02d}/03/2024, {clock} - {rest}\n"


def test_pasted_header_lines_stay_inside_their_message(tmp_path):
    text = android(1, "08:00", "Ann: hi") + android(2, "09:00", "Ben: hello")
    # pasted: back in time, forward and straight back, and in the other day/month order (12/31)
    text += android(20, "10:00", "Ann: look what he wrote:") + android(3, "09:00", "Fake Person: old news")
    text += android(21, "10:00", "Ben: and this") + android(28, "09:00", "Fake Person: from the future")
    text += "12/31/2023, 09:00 - Other Fake: US dates\n" + android(21, "10:05", "Ann: ok")
    assert posts(tmp_path, text) == {"Ann": 3, "Ben": 2}


def test_a_clock_set_back_an_hour_keeps_every_message(tmp_path):
    text = android(1, "08:00", "Ann: hi") + android(31, "02:50", "Ben: late") + android(31, "02:05", "Ann: after the change")
    assert posts(tmp_path, text) == {"Ann": 2, "Ben": 1}


@pytest.mark.parametrize("date", ["31/13/2023", "32/12/2023"])
def test_an_impossible_date_says_not_a_calendar_date(tmp_path, date):
    path = tmp_path / "chat.txt"
    path.write_text(f"30/12/2023, 10:00 - Ann: hi\n{date}, 10:00 - Ann: bad\n", encoding="utf-8")
    with pytest.raises(LogFormatError, match=r"chat\.txt, line 2: not a calendar date"):
        read_export(path)


def test_a_name_holding_colon_space_is_one_member_and_their_subject_change_is_skipped(tmp_path):
    text = android(1, "08:00", "Zoë: the admin: welcome: rules below") + android(1, "09:00", "Ann: note: ok")
    text += android(2, "08:00", "Zoë: the admin: second") + android(2, "09:00", "Ann: fine")
    text += android(3, "08:00", 'Zoë: the admin changed the subject from "Club" to "Club: v2"')
    assert posts(tmp_path, text) == {"Zoë: the admin": 2, "Ann": 2}
