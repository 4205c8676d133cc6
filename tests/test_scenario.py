"""Scenario schema: defaults, validation messages that name file, field, given and allowed."""

from __future__ import annotations

import pytest

from sim.scenario import Scenario, ScenarioError, load_scenario, scenario_field_docs, scenario_from_dict


def write(tmp_path, text: str):
    p = tmp_path / "s.yaml"
    p.write_text(text)
    return p


def test_every_shipped_scenario_validates(scenarios_dir):
    files = sorted(scenarios_dir.glob("*.yaml"))
    assert len(files) >= 8
    for f in files:
        s = load_scenario(f)
        assert s.description, f"{f.name} needs a description"


def test_defaults_are_filled_in_and_round_trip(tmp_path):
    s = load_scenario(write(tmp_path, "name: x\nstrategy: {entry: {kind: fee, level: 99}}\n"))
    assert s.strategy.entry.kind == "fee" and s.strategy.entry.level == 99
    assert s.strategy.rewards.every_days == Scenario().strategy.rewards.every_days
    again = scenario_from_dict(s.to_dict())
    assert again == s


def test_unknown_key_names_file_path_and_suggests(tmp_path):
    p = write(tmp_path, "strategy:\n  entyr: {kind: fee}\n")
    with pytest.raises(ScenarioError) as e:
        load_scenario(p)
    msg = str(e.value)
    assert str(p) in msg and "strategy.entyr" in msg and "did you mean 'entry'" in msg


def test_wrong_type_says_given_and_allowed(tmp_path):
    with pytest.raises(ScenarioError) as e:
        load_scenario(write(tmp_path, "days: lots\n"))
    msg = str(e.value)
    assert "'days'" in msg and "given 'lots'" in msg and "an integer from 1 to 36,500" in msg


def test_out_of_range_value(tmp_path):
    with pytest.raises(ScenarioError) as e:
        load_scenario(write(tmp_path, "strategy: {moderation: 1.5}\n"))
    assert "strategy.moderation" in str(e.value) and "from 0 to 1" in str(e.value)


def test_bad_choice_suggests_nearest(tmp_path):
    with pytest.raises(ScenarioError) as e:
        load_scenario(write(tmp_path, "strategy: {entry: {kind: fees}}\n"))
    assert "one of open, invite, fee, screening" in str(e.value) and "did you mean 'fee'" in str(e.value)


def test_list_items_are_validated_with_index(tmp_path):
    text = "strategy:\n  content:\n    events:\n      - {kind: meetup, every_days: 0}\n"
    with pytest.raises(ScenarioError) as e:
        load_scenario(write(tmp_path, text))
    assert "strategy.content.events[0].every_days" in str(e.value)


def test_invalid_yaml_reports_line(tmp_path):
    with pytest.raises(ScenarioError) as e:
        load_scenario(write(tmp_path, "name: x\nstrategy:\n  entry: [open\n  moderation: 1\n"))
    assert "invalid YAML at line" in str(e.value)


def test_cross_field_checks(tmp_path):
    with pytest.raises(ScenarioError, match="strategy.entry.level"):
        load_scenario(write(tmp_path, "strategy: {entry: {kind: screening, level: 5}}\n"))
    with pytest.raises(ScenarioError, match="campaigns\\[0\\].end_day"):
        load_scenario(write(tmp_path, "strategy: {recruiting: {campaigns: [{start_day: 10, end_day: 5}]}}\n"))


def test_override_of_missing_field_is_an_error():
    with pytest.raises(ScenarioError, match="strategy.entry.kidn.*did you mean 'strategy.entry.kind'"):
        Scenario().with_overrides({"strategy.entry.kidn": "fee"})


def test_every_field_is_documented():
    docs = scenario_field_docs()
    assert len(docs) > 60
    assert all(doc for _, _, doc in docs)


@pytest.mark.parametrize("name", ["../../x", "/tmp/abs", "a/b", "a\\b", "..", ".", "nul\x00byte", "tab\there",
                                  "x" * 101, "", "   "])
def test_a_name_that_is_not_a_folder_name_is_refused_at_load_time(tmp_path, name, capsys):
    import json

    from sim.cli import main

    path = tmp_path / "s.yaml"
    path.write_text("name: " + json.dumps(name) + "\n")
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    assert str(path) in str(err.value) and "field 'name'" in str(err.value) and "allowed a name of 1 to 100" in str(err.value)
    assert main(["validate", str(path)]) == 2 and "Traceback" not in capsys.readouterr().err
    assert main(["run", str(path), "--days", "5", "--results", str(tmp_path / "res")]) == 2
    assert not (tmp_path / "res").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]


def test_names_with_spaces_and_punctuation_are_fine(tmp_path):
    assert load_scenario(write(tmp_path, "name: 'bottom 10%, every 30 days (v2)'\n")).name.startswith("bottom")


def test_experiment_and_arm_names_are_checked_like_scenario_names(tmp_path):
    from sim.experiments import load_experiment

    (tmp_path / "base.yaml").write_text("name: base\n")
    for name_line, arm, field in (("name: ../escape", "ok", "'name'"), ("name: fine", "a/b", r"'arms\[0\].name'"),
                                  ("name: fine", "x" * 150, r"'arms\[0\].name'")):
        (tmp_path / "e.yaml").write_text(f"{name_line}\nbase: base.yaml\narms:\n  - name: '{arm}'\n    overrides: {{}}\n")
        with pytest.raises(ScenarioError, match=f"field {field}: given .*allowed a name"):
            load_experiment(tmp_path / "e.yaml")


@pytest.mark.parametrize("text, line, key", [
    ("name: a\ncommunity: {initial_members: 100}\ndays: 30\ncommunity: {managers: 2}\n", 4, "community"),
    ("name: a\nstrategy:\n  entry:\n    kind: fee\n    kind: open\n", 5, "kind"),
])
def test_a_key_given_twice_is_refused_with_file_line_and_key(tmp_path, text, line, key):
    path = write(tmp_path, text)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    msg = str(err.value)
    assert str(path) in msg and f"line {line}" in msg and f"key '{key}' given twice" in msg


def test_an_experiment_with_a_key_given_twice_is_refused(tmp_path):
    from sim.experiments import load_experiment

    (tmp_path / "base.yaml").write_text("name: base\n")
    (tmp_path / "e.yaml").write_text("name: e\nbase: base.yaml\nreplicates: 1\nreplicates: 100000\n"
                                     "arms: [{name: a, overrides: {}}]\n")
    with pytest.raises(ScenarioError, match=r"line 4.*key 'replicates' given twice"):
        load_experiment(tmp_path / "e.yaml")
