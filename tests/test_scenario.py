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
    assert "'days'" in msg and "given 'lots'" in msg and "an integer from 1 to 36500" in msg


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
