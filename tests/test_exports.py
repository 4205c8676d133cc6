"""Reading chat exports (sim.evidence.formats): every format and variant in tests/fixtures/exports,
hand-written in the platforms' documented layouts, holds the same conversation, so each must
read to the same log; names are hashed; system lines are skipped; bad input is one line naming
the file and line.

The conversation (UTC): Alice 2023-12-31 21:05:10 "Welcome", Bob 21:06 answers Alice, Carol
(who joined through the invite link) 2024-01-01 00:20, Bob 2024-01-13 12:00 answers Carol.
"""

from __future__ import annotations

import hashlib
import re
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pytest

from sim.evidence import LogFormatError, detect_format, read_export, read_log

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "exports"
DAYS = [21 / 24 + 5 / 1440 + 10 / 86400, 21 / 24 + 6 / 1440, 1 + 20 / 1440, 13.5]  # days since 2023-12-31 00:00 UTC
NAMES = ("Alice", "Wonderland", "Bob Builder", "Carol", "Singer", "Dave", "Grohl", "user111", "U111")
SAME = {  # file -> format; each reads to DAYS, authors A B C B, replies - A - C
    "whatsapp_android_24h.txt": "whatsapp", "whatsapp_ios_12h.txt": "whatsapp",
    "whatsapp_android_12h.txt": "whatsapp", "telegram_result.json": "telegram", "messages.csv": "csv",
    "slack_export/general": "slack",
}


@pytest.mark.parametrize("name", SAME)
def test_every_format_reads_the_same_conversation(name):
    export = read_export(FIXTURES / name)
    log = export.log
    assert export.format == SAME[name] == detect_format(FIXTURES / name)
    assert log.epoch == "2023-12-31"
    assert np.allclose(log.day, DAYS, atol=1 / 1440)  # WhatsApp's Android clock has no seconds
    assert list(log.author) == [0, 1, 2, 1] and list(log.reply_to) == [-1, 0, -1, 2]
    assert all(re.fullmatch(r"[0-9a-f]{10}", n) for n in log.author_names)


def test_discord_reads_replies_and_mentions_and_drops_bots_and_joins():
    export = read_export(FIXTURES / "discord_export.json")
    log = export.log
    assert export.format == "discord"
    # times carry +01:00, so they land on the same UTC instants; Carol @mentions Alice (an answer)
    assert np.allclose(log.day, DAYS, atol=1 / 86400) and list(log.author) == [0, 1, 2, 1]
    assert list(log.reply_to) == [-1, 0, 0, 2]
    assert "1 bot messages were dropped." in export.notes


def test_slack_export_folder_zip_and_day_file(tmp_path):
    folder = read_log(FIXTURES / "slack_export")
    # two channels become two groups; Alice's post in #random is the fifth message
    assert folder.n_messages == 5 and sorted(set(folder.group.tolist())) == [0, 1]
    # Bob's thread reply and Carol's thread share threads with the messages they answer
    assert folder.thread[0] == folder.thread[1] and folder.thread[2] == folder.thread[4] and folder.thread[3] == -1
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in (FIXTURES / "slack_export").rglob("*.json"):
            z.write(f, f"export/{f.relative_to(FIXTURES / 'slack_export').as_posix()}")
    zipped = read_log(archive)
    assert np.array_equal(zipped.day, folder.day) and np.array_equal(zipped.reply_to, folder.reply_to)
    one_day = read_log(FIXTURES / "slack_export" / "general" / "2024-01-01.json")
    assert one_day.n_messages == 1  # the channel join and the bot message are skipped


def test_names_are_hashed_alike_across_formats():
    # WhatsApp and the CSV both key members by display name: each member's pseudonym is the sha256
    # prefix of that name, the same in both; three people stay three distinct pseudonyms everywhere
    people = [hashlib.sha256(n.encode()).hexdigest()[:10] for n in ("Alice Wonderland", "Bob Builder", "Carol Singer")]
    for name in ("whatsapp_android_24h.txt", "whatsapp_ios_12h.txt", "messages.csv"):
        assert list(read_log(FIXTURES / name).author_names) == people
    for name in [*SAME, "discord_export.json"]:
        log = read_log(FIXTURES / name)
        assert len(set(log.author_names)) == 3
        text = repr([log.author_names, log.group_names, log.epoch])
        assert not any(raw.lower() in text.lower() for raw in NAMES)


def test_whatsapp_day_month_order_from_the_message_order(tmp_path):
    export = read_export(FIXTURES / "whatsapp_ambiguous.txt")
    # 02/03, 02/04, 03/02: month first they run forward (Feb 3, Feb 4, Mar 2), day first they do not
    assert export.log.epoch == "2024-02-03" and list(np.floor(export.log.day)) == [0, 1, 28]
    assert any("run forward in time" in n for n in export.notes)
    tie = tmp_path / "tie.txt"
    tie.write_text("05/05/2024, 10:00 - Ann: one\n05/05/2024, 11:00 - Ben: two\n", encoding="utf-8")
    assert any("cannot be told" in n for n in read_export(tie).notes)


def test_whatsapp_skips_system_lines_and_keeps_media_and_multiline_messages():
    log = read_export(FIXTURES / "whatsapp_android_24h.txt").log
    # created, added, joined, subject change (with a colon), left, encryption notice: skipped;
    # Dave only ever "left", so he is no member; Bob's "<Media omitted>" is a message
    assert log.n_messages == 4 and len(set(log.author.tolist())) == 3


def bad(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


@pytest.mark.parametrize("name, text, fmt, message", [
    ("empty.txt", "", None, r"empty\.txt: the file is empty"),
    ("notes.txt", "hello\nworld\n", None, r"notes\.txt: cannot tell the format"),
    ("cut.json", '{"name": "x", "type": "private_group",\n "messages": [\n {"id": 1,\n', None,
     r"cut\.json, line 4: not valid JSON"),
    ("chat.txt", "hello\nno dates here\n", "whatsapp", r"chat\.txt, line 1: no WhatsApp message lines"),
    ("clock.txt", "31/12/2023, 21:05 - Ann: ok\n31/12/2023, 25:05 - Ann: bad\n", None,
     r"clock\.txt, line 2: bad time of day"),
    ("date.txt", "31/12/2023, 21:05 - Ann: ok\nline two\n31/02/2024, 21:05 - Ann: bad\n", None,
     r"date\.txt, line 3: not a calendar date"),
    ("mixed.txt", "31/12/2023, 21:05 - Ann: ok\n12/31/2023, 21:05 - Ann: us\n", None,
     r"mixed\.txt, line 2: dates put the day first on some lines"),
    ("tg.json", '{"type": "private_group", "messages": [{"id": 7, "type": "message", "date_unixtime": "1"}]}', None,
     r"tg\.json: message 1 \(id 7\): no sender"),
    ("dc.json", '{"guild": {}, "messages": [{"id": "1", "type": "Default", "timestamp": "yesterday", '
     '"author": {"id": "1"}}]}', None, r"dc\.json: message 1 \(id 1\): bad or missing timestamp \(expected ISO"),
    ("day.json", '{"not": "a list"}', "slack", r"day\.json, line 1: not a list of messages"),
    ("m.csv", "timestamp,thread\n2020-01-01T00:00:00Z,a\n", None, r"m\.csv, line 1: missing required column.*author"),
    ("n.csv", "timestamp,author\n2020-01-01T00:00:00Z,a\nyesterday,b\n", None, r"n\.csv, line 3: bad timestamp"),
    ("latin.txt", "31/12/2023, 21:05 - Jos\xe9: ol\xe1\n".encode("latin-1"), None, r"latin\.txt, line 1: not UTF-8"),
    ("x.txt", "31/12/2023, 21:05 - Ann: ok\n", "signal", r"x\.txt: unknown format 'signal'"),
])
def test_bad_input_is_one_line_naming_file_and_line(tmp_path, name, text, fmt, message):
    with pytest.raises(LogFormatError, match=message) as info:
        read_log(bad(tmp_path, name, text), fmt)
    assert "\n" not in str(info.value)


def test_a_system_only_whatsapp_file_says_so(tmp_path):
    path = bad(tmp_path, "sys.txt", "31/12/2023, 21:05 - Ann joined using this group's invite link\n")
    with pytest.raises(LogFormatError, match="only system lines"):
        read_log(path)


def test_a_folder_is_only_a_slack_export(tmp_path):
    shutil.copytree(FIXTURES / "slack_export", tmp_path / "x")
    with pytest.raises(LogFormatError, match="only Slack exports are folders"):
        read_log(tmp_path / "x", "telegram")


@pytest.mark.parametrize("fmt, name", [("csv", "messages.csv"), ("telegram", "telegram_result.json"),
                                       ("whatsapp", "whatsapp_ios_12h.txt"), ("discord", "discord_export.json"),
                                       ("slack", "slack_export/general")])
def test_the_cli_takes_each_format_the_issue_names(fmt, name):
    from sim.cli import build_parser

    for command in ("diagnose", "fit"):
        args = build_parser().parse_args([command, str(FIXTURES / name), "--format", fmt])
        assert args.format == fmt
    assert read_export(FIXTURES / name, args.format).log.n_messages == 4


def test_telegram_reads_alike_without_msgspec_and_from_local_dates(monkeypatch, tmp_path):
    import json

    from sim.evidence.formats import chats

    fast = read_log(FIXTURES / "telegram_result.json")
    monkeypatch.setattr(chats, "msgspec", None)
    slow = read_log(FIXTURES / "telegram_result.json")
    assert np.array_equal(fast.day, slow.day) and np.array_equal(fast.reply_to, slow.reply_to)
    data = json.loads((FIXTURES / "telegram_result.json").read_text(encoding="utf-8"))
    for m in data["messages"]:
        del m["date_unixtime"]  # older exports: the local 'date' only, read as UTC
    local = bad(tmp_path, "result.json", json.dumps(data))
    export = read_export(local)
    assert np.allclose(export.log.day, fast.day) and any("read as UTC" in n for n in export.notes)


def test_a_csv_needs_only_timestamp_and_author(tmp_path):
    log = read_log(bad(tmp_path, "own.csv", "timestamp,author\n2020-01-01T10:00:00Z,Ann\n2020-01-02T10:00:00Z,Ben\n"))
    assert list(log.author) == [0, 1] and list(log.reply_to) == [-1, -1] and list(log.thread) == [-1, -1]
