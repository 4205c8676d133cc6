"""community-sim diagnose: the measures by hand on small logs, their direction on synthetic groups
over several seeds, the result folder (files, no names, self-contained page, --force) and the
CLI's one-line errors."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pytest

from sim.cli import main
from sim.diagnosis import diagnose_log, findings
from sim.diagnosis.measures import daily_series, retention, rhythm
from sim.evidence import MessageLog

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "exports"
NAMES = ("Alice", "Wonderland", "Bob Builder", "Carol", "Singer", "Dave", "Grohl", "user111", "U111", "U222")
DATA = Path(os.environ.get("COMMUNITY_SIM_DATA", Path(__file__).resolve().parents[2] / "shared" / "data"))


def test_daily_series_by_hand():
    # day 0: a0 twice, a1 once; day 2: a1; day 3: a2 (new). Epoch 2024-01-01.
    log = MessageLog.from_arrays([0.1, 0.2, 0.9, 2.5, 3.0], [0, 0, 1, 1, 2])
    log = MessageLog(log.day, log.author, log.reply_to, log.group, log.end_day, epoch="2024-01-01")
    d = daily_series(log)
    assert list(d["date"]) == ["2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"]
    assert list(d["messages"]) == [3, 0, 1, 1] and list(d["active_members"]) == [2, 0, 1, 1]
    assert list(d["new_members"]) == [2, 0, 0, 1]
    assert d["active_members_14d_mean"][3] == pytest.approx(4 / 4)


def test_rhythm_by_hand():
    # 2024-01-03 was a Wednesday: three messages at 10:30 that day, one the next day at 23:59
    log = MessageLog.from_arrays([0.4375, 0.4375, 0.4375, 1 + 1439 / 1440], [0, 1, 2, 0])
    log = MessageLog(log.day, log.author, log.reply_to, log.group, log.end_day, epoch="2024-01-03")
    r = rhythm(log)
    assert r["weekday_share"][2] == 0.75 and r["weekday_share"][3] == 0.25
    assert r["hour_share"][10] == 0.75 and r["hour_share"][23] == 0.25


def test_retention_censors_members_still_posting_near_the_end():
    # 4 members stop after 0, 10, 20 and 40 days; 2 more post until the log's end (day 100), so
    # they are censored at 60 and 90 days. Kaplan-Meier: 1 -> 5/6 (day 0) -> 4/6 -> 3/6 (day 20)
    day = [0, 0, 10, 0, 20, 0, 40, 40, 100, 10, 100]
    author = [0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    r = retention(MessageLog.from_arrays(day, author, end_day=100.0))
    assert r["n_members"] == 6 and r["n_censored"] == 2 and r["median_days"] == 20
    assert np.all(np.asarray(r["low"]) <= np.asarray(r["still_posting"]) + 1e-12)


def synthetic_group(seed: int, members: int, days: int, stop_day: int | None = None,
                    answer_share: float = 0.5) -> MessageLog:
    """A group whose members each post on random days; newcomers answered (a reply to their first
    message the next day) with ``answer_share``; answered ones come back twice as often. After
    ``stop_day`` only one member posts, once a week."""
    rng = np.random.default_rng(seed)
    rows = []
    joins = np.sort(rng.uniform(0, days * 0.6, members))
    for m, start in enumerate(joins):
        answered = rng.random() < answer_share
        rows.append((start, m, -1))
        if answered:
            rows.append((start + 1, (m + 1) % members, m))
        if rng.random() < (0.6 if answered else 0.3):
            for t in start + np.cumsum(rng.exponential(20, 12)):
                rows.append((t, m, -1))
    rows = [r for r in rows if r[0] <= days - 1 and (stop_day is None or r[0] < stop_day)]
    if stop_day is not None:
        rows += [(float(t), 0, -1) for t in range(stop_day, days, 7)]
    day, author, reply = map(np.asarray, zip(*rows))
    log = MessageLog.from_arrays(day, author, reply, end_day=float(days - 1))
    return MessageLog(log.day, log.author, log.reply_to, log.group, log.end_day, epoch="2023-01-01")


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_group_gone_quiet_is_dead_and_a_busy_one_alive(seed):
    quiet = diagnose_log(synthetic_group(seed, 150, 365, stop_day=200))
    busy = diagnose_log(synthetic_group(seed, 150, 365))
    assert busy["alive"]["alive"] and not quiet["alive"]["alive"]
    # it died within the two months after activity stopped (the floor needs 30 quiet days)
    dead = np.datetime64(quiet["alive"]["dead_since"]) - np.datetime64("2023-01-01")
    assert 200 <= dead.astype(int) <= 260
    assert any("dead since" in s for s in findings(quiet))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_answered_newcomers_come_back_more_and_the_sentence_says_so(seed):
    d = diagnose_log(synthetic_group(seed, 200, 365 * 2))
    c = d["newcomers"]
    assert c["return_answered"] - c["return_unanswered"] > 0.15  # built as 0.6 vs 0.3
    assert 0.35 < c["answered_share"] < 0.65
    sentence = next(s for s in findings(d) if s.startswith("Newcomers who got an answer"))
    assert "as often" in sentence


def output_text(folder: Path) -> str:
    return "\n".join(p.read_bytes().decode("latin-1") for p in folder.rglob("*") if p.is_file())


@pytest.mark.parametrize("name", ["whatsapp_android_24h.txt", "whatsapp_ios_12h.txt", "telegram_result.json",
                                  "discord_export.json", "slack_export --group general", "messages.csv"])
def test_cli_writes_the_folder_with_no_names(tmp_path, capsys, name):
    out = tmp_path / "diag"
    name, *more = name.split()
    assert main(["diagnose", str(FIXTURES / name), *more, "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "report" in printed and "newcomers" in printed
    for f in ("diagnosis.json", "daily.csv", "retention.csv", "diagnosis.html", "manifest.json",
              "figures/activity.png", "figures/retention.png"):
        assert (out / f).is_file(), f
    text = output_text(out)
    assert not [n for n in NAMES if n.lower() in text.lower()], "a name reached the output"
    assert str(FIXTURES) not in text and not [n for n in NAMES if n.lower() in printed.lower()]
    diagnosis = json.loads((out / "diagnosis.json").read_text())
    assert diagnosis["activity"]["messages"] >= 4 and diagnosis["findings"]
    html = (out / "diagnosis.html").read_text()
    assert "<img" in html and not [s for s in html.split("src=")[1:] if not s.startswith("'data:image/png;base64,")]


def test_cli_refuses_to_overwrite_and_replaces_with_force(tmp_path):
    out = tmp_path / "diag"
    log = str(FIXTURES / "telegram_result.json")
    assert main(["diagnose", log, "--out", str(out)]) == 0
    assert main(["diagnose", log, "--out", str(out)]) == 3
    assert main(["diagnose", log, "--out", str(out), "--force"]) == 0


def test_cli_bad_input_is_one_line_and_exit_2(tmp_path, capsys):
    cut = tmp_path / "result.json"
    cut.write_text('{"type": "private_group", "messages": [\n {"id": 1,\n')
    assert main(["diagnose", str(cut), "--out", str(tmp_path / "x")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "result.json, line 3" in err and "Traceback" not in err
    assert not (tmp_path / "x").exists()


def test_diagnose_a_reference_community(tmp_path):
    path = DATA / "beer_se" / "messages.csv"
    if not path.exists():
        pytest.skip(f"real data not here: {path}")
    out = tmp_path / "beer"
    assert main(["diagnose", str(path), "--out", str(out)]) == 0
    d = json.loads((out / "diagnosis.json").read_text())
    # the Q&A site's published figures come back through the whole pipeline
    assert d["participation"]["one_message_share"] == pytest.approx(0.67, abs=0.01)
    assert d["newcomers"]["answered_share"] == pytest.approx(0.56, abs=0.01)
    assert d["alive"]["alive"]
    daily = np.genfromtxt(out / "daily.csv", delimiter=",", names=True, dtype=None, encoding="utf-8")
    assert daily["messages"].sum() == d["activity"]["messages"]


def test_the_default_folder_is_not_named_after_the_file(tmp_path):
    # WhatsApp names its export "WhatsApp Chat with NAME.txt": the folder must not carry it
    log = tmp_path / "WhatsApp Chat with Alice Wonderland.txt"
    log.write_bytes((FIXTURES / "whatsapp_android_24h.txt").read_bytes())
    assert main(["diagnose", str(log), "--results", str(tmp_path / "results")]) == 0
    (folder,) = (tmp_path / "results" / "diagnosis").iterdir()
    assert folder.name.startswith("whatsapp-") and "Alice" not in folder.name


def rooms_csv(tmp_path: Path) -> Path:
    """Two rooms: 'big' (Ann, Ben, Cid from 2024-01-01, 30 messages) and 'small' (Dee and Eve from
    2024-03-01, 4 messages)."""
    rows = [f"2024-01-{1 + i % 28:02d}T10:00:00Z,{('Ann', 'Ben', 'Cid')[i % 3]},big" for i in range(30)]
    rows += [f"2024-03-0{1 + i}T09:00:00Z,{('Dee', 'Eve')[i % 2]},small" for i in range(4)]
    path = tmp_path / "rooms.csv"
    path.write_text("timestamp,author,group\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_many_group_file_needs_group_and_group_measures_that_group_alone(tmp_path, capsys):
    rooms = rooms_csv(tmp_path)
    assert main(["diagnose", str(rooms), "--out", str(tmp_path / "pooled")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "2 groups" in err and "big" in err and "--group" in err
    assert not (tmp_path / "pooled").exists()
    assert main(["diagnose", str(rooms), "--group", "small", "--out", str(tmp_path / "small")]) == 0
    d = json.loads((tmp_path / "small" / "diagnosis.json").read_text())
    assert d["activity"]["members"] == 2 and d["activity"]["messages"] == 4
    assert d["activity"]["first_date"] == "2024-03-01" and d["activity"]["days"] == 4
    assert main(["diagnose", str(rooms), "--group", "nope", "--out", str(tmp_path / "x")]) == 2
    assert "no group 'nope'" in capsys.readouterr().err
    assert main(["diagnose", str(FIXTURES / "slack_export"), "--out", str(tmp_path / "y")]) == 2
