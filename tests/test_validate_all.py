"""`community-sim validate` lists every independent error of a file, one line each (file, field
path, value given, what is allowed), exit 2, no traceback; and names a user mistypes (a group in
a message log, a scenario file) get a 'did you mean'."""

from __future__ import annotations

from helpers import SCENARIOS
from sim.cli import main

BASE = SCENARIOS / "baseline.yaml"


def error_lines(err: str, path) -> list[str]:
    """The printed error lines about ``path`` (every one must be a complete error)."""
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.startswith("error: ")]
    for line in lines:
        assert str(path) in line and "field '" in line and "allowed" in line, line
    return lines


def has(lines: list[str], field: str, *words: str) -> bool:
    return any(f"field '{field}'" in line and all(w in line for w in words) for line in lines)


def test_validate_reports_a_schedule_steps_set_next_to_the_other_errors(tmp_path, capsys):
    path = tmp_path / "five.yaml"
    path.write_text("days: lots\nseed: -1\ncommunity: {initial_members: 0}\n"
                    "strategy:\n  moderation: 7\n  schedule:\n    - {from_day: 10, set: {entry.level: -5}}\n"
                    "  triggers:\n    - {when: {metric: actve, below: 5}, do: {set: {moderation: 3}}, cooldown_days: -2}\n")
    assert main(["validate", str(path)]) == 2
    lines = error_lines(capsys.readouterr().err, path)
    expected = [("days", "'lots'"), ("seed", "-1"), ("community.initial_members", "0"), ("strategy.moderation", "7"),
                ("strategy.schedule[0].set.entry.level", "-5"), ("strategy.triggers[0].cooldown_days", "-2"),
                ("strategy.triggers[0].when.metric", "'actve'", "did you mean 'active'"),
                ("strategy.triggers[0].do.set.moderation", "3")]
    for field, *words in expected:
        assert has(lines, field, *words), (field, lines)
    assert len(lines) == len(expected)


def test_validate_reports_every_error_of_every_arm(tmp_path, capsys):
    path = tmp_path / "arms.yaml"
    path.write_text(f"base: {BASE}\nreplicates: 0\nmetrics: [nope]\narms:\n"
                    "  - {name: a, overrides: {strategy.moderation: 7}}\n"
                    "  - {name: a}\n"
                    "  - {name: b, overrides: {strategy.entry.kind: fees, strategy.entri.level: 9}}\n")
    assert main(["validate", str(path)]) == 2
    lines = error_lines(capsys.readouterr().err, path)
    expected = [("replicates", "0"), ("metrics[0]", "'nope'"), ("arms[0].overrides.strategy.moderation", "7"),
                ("arms[1].name", "'a'", "no other arm"),
                ("arms[2].overrides.strategy.entry.kind", "'fees'", "did you mean 'fee'"),
                ("arms[2].overrides.strategy.entri.level", "did you mean 'strategy.entry'")]
    for field, *words in expected:
        assert has(lines, field, *words), (field, lines)
    assert len(lines) == len(expected)


def test_validate_reports_every_bad_grid_field(tmp_path, capsys):
    path = tmp_path / "grid.yaml"
    path.write_text(f"base: {BASE}\ngrid: {{strategy.moderation: [], strategy.entry.kind: [open, feee], "
                    "strategy.rewards.top_k: 3}\n")
    assert main(["validate", str(path)]) == 2
    lines = error_lines(capsys.readouterr().err, path)
    assert has(lines, "grid.strategy.moderation", "[]") and has(lines, "grid.strategy.rewards.top_k", "3")
    assert len(lines) == 2  # (the values of a grid with bad fields are checked once it has none)


def rooms(tmp_path, names: list[str]):
    rows = [f"2024-01-{1 + i % 28:02d}T10:00:00Z,{('Ann', 'Ben', 'Cid')[i % 3]},{g}"
            for g in names for i in range(6)]
    path = tmp_path / "messages.csv"
    path.write_text("timestamp,author,group\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_diagnose_an_unknown_group_says_did_you_mean_and_lists_few_groups(tmp_path, capsys):
    names = ["english", "portuguese", "spanish", "german", "french"]
    assert main(["diagnose", str(rooms(tmp_path, names)), "--group", "portugese", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "no group 'portugese'" in err and "did you mean 'portuguese'" in err
    assert all(n in err for n in names) and "..." not in err


def test_diagnose_an_unknown_group_among_many_says_how_many_and_how_to_see_them(tmp_path, capsys):
    names = [f"room{i:02d}" for i in range(40)] + ["portuguese"]
    assert main(["diagnose", str(rooms(tmp_path, names)), "--group", "portugese", "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "did you mean 'portuguese'" in err and "41 groups" in err and "group column" in err


def test_run_a_missing_scenario_file_suggests_the_closest_name(tmp_path, capsys):
    (tmp_path / "baseline.yaml").write_text(BASE.read_text())
    (tmp_path / "other.yaml").write_text("days: 10\n")
    assert main(["run", str(tmp_path / "baselin.yaml"), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert "baselin.yaml" in err and "file not found" in err and "did you mean 'baseline.yaml'" in err
    assert not (tmp_path / "o").exists()
