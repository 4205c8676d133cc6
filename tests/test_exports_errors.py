"""Export readers' edge cases after review: errors never echo a cell that may be a person's name,
Discord times with no offset are UTC whatever this machine's zone, Slackbot is no member, and
a Telegram export with only local dates is said to be in local time, not UTC."""

from __future__ import annotations

import json
import time
from pathlib import Path

import numpy as np
import pytest

from sim.diagnosis import diagnose_log, findings
from sim.evidence import LogFormatError, read_export, read_log

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "exports"


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("name, text", [
    ("swapped.csv", "author,timestamp\n2020-01-01T00:00:00Z,Alice Smith\n"),
    ("headless.csv", "2020-01-01T00:00:00Z,Alice Smith\n2020-01-02T00:00:00Z,Bob\n"),
    ("bot.csv", "timestamp,author,is_bot\n2020-01-01T00:00:00Z,Ann,Alice Smith\n"),
    ("dc.json", json.dumps({"guild": {}, "messages": [{"id": "1", "type": "Default", "timestamp": "Alice Smith",
                                                        "author": {"id": "9"}}]})),
    ("result.json", json.dumps({"type": "private_group", "messages": [
        {"id": 1, "type": "message", "from_id": "user1", "date": "Alice Smith"}]})),
])
def test_an_error_never_shows_a_cell_that_may_be_a_name(tmp_path, name, text):
    with pytest.raises(LogFormatError) as info:
        read_log(write(tmp_path, name, text), "csv" if name.endswith(".csv") else None)
    message = str(info.value)
    assert name in message and "Alice" not in message and "\n" not in message
    assert "line" in message or "message 1" in message


def test_a_timestamp_like_value_is_still_shown(tmp_path):
    with pytest.raises(LogFormatError, match=r"line 2: bad timestamp '2020-13-01T00:00:00Z'"):
        read_log(write(tmp_path, "m.csv", "timestamp,author\n2020-13-01T00:00:00Z,Ann\n"))


@pytest.mark.skipif(not hasattr(time, "tzset"), reason="needs time.tzset")
def test_discord_times_without_an_offset_are_utc_whatever_the_machine_zone(tmp_path, monkeypatch):
    data = json.loads((FIXTURES / "discord_export.json").read_text(encoding="utf-8"))
    for m in data["messages"]:
        m["timestamp"] = m["timestamp"][:19]  # drop ".000+01:00": now a naive local 22:05 etc.
    path = write(tmp_path, "naive.json", json.dumps(data))
    days = []
    for zone in ("UTC", "America/New_York", "Asia/Tokyo"):
        monkeypatch.setenv("TZ", zone)
        time.tzset()
        days.append(read_log(path).day)
    monkeypatch.delenv("TZ")
    time.tzset()
    assert np.array_equal(days[0], days[1]) and np.array_equal(days[0], days[2])
    # read as UTC: one hour later than the fixture's +01:00 instants
    assert np.allclose(days[0] - read_log(FIXTURES / "discord_export.json").day, 1 / 24, atol=1 / 86400)


def test_slackbot_reminders_are_no_member(tmp_path):
    day = json.loads((FIXTURES / "slack_export" / "general" / "2024-01-01.json").read_text(encoding="utf-8"))
    day.append({"type": "message", "user": "USLACKBOT", "text": "Reminder: water the plants", "ts": "1704070100.000100"})
    log = read_log(write(tmp_path, "2024-01-01.json", json.dumps(day)), "slack")
    assert log.n_messages == 1 and len(log.author_names) == 1


def test_a_telegram_export_with_local_dates_says_local_time_in_the_rhythm_sentence(tmp_path):
    data = json.loads((FIXTURES / "telegram_result.json").read_text(encoding="utf-8"))
    for m in data["messages"]:
        del m["date_unixtime"]
    export = read_export(write(tmp_path, "result.json", json.dumps(data)))
    rhythm = findings(diagnose_log(export.log), local_time=export.local_time)[-1]
    assert "local time" in rhythm and "UTC" not in rhythm
    utc = read_export(FIXTURES / "telegram_result.json")
    assert "(UTC)" in findings(diagnose_log(utc.log), local_time=utc.local_time)[-1]
