"""`community-sim explore`: explore files are checked like experiment files (one-line errors, exit
2), designs have the size and bounds asked for, a factor known to be inert ranks below one that
surely matters, and the same file and seed give the same samples and indices, serial or parallel."""

from __future__ import annotations

import csv
import textwrap

import numpy as np
import pytest

from helpers import SCENARIOS
from sim.cli import main
from sim.experiments import plan_runs
from sim.explore import load_exploration, run_exploration
from sim.explore.analysis import MAIN_INDEX, indices, point_means
from sim.explore.report import metric_sentence
from sim.results.folders import ArmResults, ResultSet, RunRef
from sim.run.output import OutputExists
from sim.scenario import ScenarioError

pytest.importorskip("SALib")

BASE = SCENARIOS / "baseline.yaml"


def write(tmp_path, body: str, name: str = "study.yaml"):
    path = tmp_path / name
    path.write_text(f"base: {BASE}\n" + textwrap.dedent(body), encoding="utf-8")
    return path


def rows_of(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("body, where, said", [
    ("factors: {strategy.entry.levle: [0, 200]}\n", "factors.strategy.entry.levle", "did you mean 'strategy.entry.level'"),
    ("factors: {strategy.moderation: [0.8, 0.2]}\n", "factors.strategy.moderation", "low < high"),
    ("factors: {strategy.moderation: [0, 3]}\n", "factors.strategy.moderation[1]", "from 0 to 1"),
    ("factors: {community.initial_members: [100.5, 300]}\n", "factors.community.initial_members[0]", "an integer"),
    ("factors: {strategy.entry: [0, 1]}\n", "factors.strategy.entry", "section"),
    ("factors: {seed: [0, 9]}\n", "factors.seed", "cannot vary"),
    ("method: morriss\nfactors: {strategy.moderation: [0, 1]}\n", "method", "did you mean 'morris'"),
    ("method: sobol\nsamples: 10\nfactors: {strategy.moderation: [0, 1]}\n", "samples", "power of two"),
    ("factors: {strategy.moderation: [0, 1]}\nmetrics: [lifespan]\n", "metrics[0]", "lifespan_days"),
    ("factor: {strategy.moderation: [0, 1]}\n", "factor", "did you mean 'factors'"),
])
def test_a_bad_explore_file_names_the_field_in_one_line(tmp_path, body, where, said):
    path = write(tmp_path, body)
    with pytest.raises(ScenarioError) as err:
        load_exploration(path)
    text = str(err.value.errors[0])
    assert "\n" not in text and text.startswith(f"{path}: field '{where}'") and said in text, text


def test_cli_exits_2_on_a_bad_explore_file_without_a_traceback(tmp_path, capsys):
    path = write(tmp_path, "method: fast\nfactors: {strategy.moderation: [0, 1]}\n")
    assert main(["explore", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and "Traceback" not in err
    assert not (tmp_path / "out").exists()
    assert main(["validate", str(path)]) == 2


def test_validate_accepts_the_shipped_explore_file(capsys):
    assert main(["validate", str(SCENARIOS.parent / "experiments" / "explore-levers.yaml")]) == 0
    assert "110 sample points" in capsys.readouterr().out


def test_latin_hypercube_has_the_points_asked_for_within_bounds_and_types(tmp_path):
    path = write(tmp_path, """
        method: lhs
        samples: 40
        factors:
          community.initial_members: [100, 200]
          strategy.moderation: [0.2, 0.6]
          strategy.entry.kind: [open, screening]
    """)
    study = load_exploration(path)
    values = [a.overrides for a in study.experiment.arms]
    assert len(values) == 40
    members = [v["community.initial_members"] for v in values]
    assert all(isinstance(m, int) and 100 <= m <= 200 for m in members)
    assert all(0.2 <= v["strategy.moderation"] <= 0.6 for v in values)
    kinds = [v["strategy.entry.kind"] for v in values]
    assert set(kinds) == {"open", "screening"}
    # a Latin hypercube puts one point in each of 40 equal slices of every range
    slices = np.floor((np.array([v["strategy.moderation"] for v in values]) - 0.2) / 0.4 * 40)
    assert sorted(slices.astype(int)) == list(range(40))
    assert len(load_exploration(path, samples=12).experiment.arms) == 12


def test_morris_and_sobol_sizes_and_common_random_numbers(tmp_path):
    path = write(tmp_path, """
        samples: 5
        replicates: 2
        factors: {strategy.moderation: [0, 1], community.charisma: [0.2, 0.8], strategy.rewards.every_days: [0, 30]}
    """)
    study = load_exploration(path)
    assert len(study.experiment.arms) == 5 * (3 + 1)
    seeds = {}
    for task in plan_runs(study.experiment):
        seeds.setdefault(task.replicate, set()).add(task.seed)
    assert [len(s) for s in seeds.values()] == [1, 1] and seeds[0] != seeds[1]
    path = write(tmp_path, "method: sobol\nsamples: 8\nfactors: {strategy.moderation: [0, 1], "
                 "community.charisma: [0.2, 0.8]}\n", "sobol.yaml")
    assert len(load_exploration(path).experiment.arms) == 8 * (2 + 2)


@pytest.mark.parametrize("method, samples", [("sobol", 64), ("lhs", 60)])
def test_variance_indices_rank_the_factor_that_drives_the_metric_first(tmp_path, method, samples):
    path = write(tmp_path, f"method: {method}\nsamples: {samples}\nmetrics: [mean_active]\nfactors: "
                 "{strategy.moderation: [0, 1], community.charisma: [0.2, 0.8], strategy.rewards.size: [0, 2]}\n")
    study = load_exploration(path)
    u = study.unit  # a metric made of the first factor, a tenth as much of the third, none of the second
    rows, notes = indices(study, {"mean_active": 10 * u[:, 0] + 1 * u[:, 2]})
    main = {r.factor: r for r in rows if r.index == MAIN_INDEX[method]}
    assert not notes
    assert main["strategy.moderation"].rank == 1 and main["strategy.moderation"].value > 0.8
    assert main["community.charisma"].rank == 3 and abs(main["community.charisma"].value) < 0.05


def test_morris_ranks_an_inert_lever_below_the_group_size(tmp_path):
    # Rewards are off in the baseline (every_days 0), so their size cannot matter; the number of
    # founding members surely moves the members at the horizon.
    path = write(tmp_path, """
        method: morris
        samples: 4
        replicates: 1
        days: 120
        seed: 7
        metrics: [final_members, mean_active]
        factors:
          community.initial_members: [100, 200]
          strategy.rewards.size: [0.5, 2.0]
          strategy.content.creator_posts_per_week: [0, 14]
    """)
    done = run_exploration(load_exploration(path), out=tmp_path / "a", jobs=1, log=lambda m: None)
    folder = done.experiment.folder
    assert done.analysed and done.experiment.ok == 16
    rows = rows_of(folder / "sensitivity.csv")
    mu = {r["factor"]: r for r in rows if r["metric"] == "final_members" and r["index"] == "mu_star"}
    size, inert = mu["community.initial_members"], mu["strategy.rewards.size"]
    assert size["rank"] == "1" and inert["rank"] == "3"
    assert float(inert["value"]) < 0.05 * float(size["value"]) and float(inert["value"]) < float(size["conf_low"])
    samples = rows_of(folder / "samples.csv")
    assert len(samples) == 16 and {int(r["community.initial_members"]) for r in samples} <= set(range(100, 201))
    assert (folder / "figures" / "sensitivity_final_members.png").stat().st_size > 10_000
    page = (folder / "explore.html").read_text(encoding="utf-8")
    assert "the assumption community.initial_members" in page and "matters most" in page


def test_same_file_and_seed_give_the_same_samples_and_indices_serial_or_parallel(tmp_path):
    path = write(tmp_path, """
        samples: 4
        days: 60
        seed: 11
        metrics: [final_members, mean_active]
        factors: {community.initial_members: [60, 120], strategy.moderation: [0.2, 0.9]}
    """)
    first = run_exploration(load_exploration(path), out=tmp_path / "a", jobs=1, log=lambda m: None)
    second = run_exploration(load_exploration(path), out=tmp_path / "b", jobs=2, log=lambda m: None)
    a, b = first.experiment.folder, second.experiment.folder
    for name in ("samples.csv", "sensitivity.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes()
    assert "standard error of about" in (a / "explore.html").read_text(encoding="utf-8")  # 2 replicates by default
    # resuming a finished folder runs nothing and redoes the same analysis
    again = run_exploration(load_exploration(path), out=a, resume=True, log=lambda m: None)
    assert again.experiment.ran == 0 and (a / "sensitivity.csv").read_bytes() == (b / "sensitivity.csv").read_bytes()
    # and a folder that exists is not replaced without --force
    with pytest.raises(OutputExists):
        run_exploration(load_exploration(path), out=a, log=lambda m: None)


def _metric_of(study, effect) -> np.ndarray:
    """A made-up metric: ``effect(overrides)`` at each sample point, in the arms' order."""
    return np.array([effect(a.overrides) for a in study.experiment.arms], dtype=float)


@pytest.mark.parametrize("seed", [3, 4, 5])
def test_morris_mu_star_is_the_full_range_effect_for_real_integer_and_choice_factors(tmp_path, seed):
    # Each factor moves the metric by 10 across its whole range: a real number linearly, an
    # integer 0..2 by 5 a step, a two-value choice by switching. mu* must say 10 for each.
    path = write(tmp_path, f"""
        method: morris
        samples: 20
        seed: {seed}
        metrics: [mean_active]
        factors:
          strategy.moderation: [0, 1]
          community.managers: [0, 2]
          strategy.cleanup.rule: [misfits, inactive]
    """)
    study = load_exploration(path)
    y = _metric_of(study, lambda o: 10 * o["strategy.moderation"] + 5 * o["community.managers"]
                   + 10 * (o["strategy.cleanup.rule"] == "inactive"))
    rows, notes = indices(study, {"mean_active": y})
    mu = {r.factor: r.value for r in rows if r.index == "mu_star"}
    assert not notes and max(mu.values()) <= 1.1 * min(mu.values()), mu
    assert all(abs(v - 10) <= 1.0 for v in mu.values()), mu


def test_a_three_value_choice_whose_middle_value_matters_is_not_called_minor(tmp_path):
    factors = "factors: {strategy.moderation: [0, 1], strategy.cleanup.rule: [misfits, inactive, bottom_share]}\n"
    # rank regression would read the three values as ordered, so lhs refuses them in one line
    path = write(tmp_path, "method: lhs\nsamples: 60\nmetrics: [mean_active]\n" + factors)
    with pytest.raises(ScenarioError) as err:
        load_exploration(path)
    text = str(err.value)
    assert "\n" not in text and "factors.strategy.cleanup.rule" in text and "morris or sobol" in text, text
    # Morris counts a switch of choice as a move across the whole range
    path = write(tmp_path, "method: morris\nsamples: 20\nmetrics: [mean_active]\n" + factors, "m.yaml")
    study = load_exploration(path)
    y = _metric_of(study, lambda o: o["strategy.moderation"] + 10 * (o["strategy.cleanup.rule"] == "inactive"))
    rows, _ = indices(study, {"mean_active": y})
    mu = {r.factor: r for r in rows if r.index == "mu_star"}
    assert mu["strategy.cleanup.rule"].rank == 1 and mu["strategy.cleanup.rule"].value > 3
    sentence = metric_sentence("mean_active", rows, study)
    assert "Hardly mattering" not in sentence or "cleanup.rule" not in sentence.split("Hardly mattering")[1], sentence


def test_a_failed_replicate_leaves_that_replicate_out_at_every_point(tmp_path):
    # Replicate r's seed adds 100 r to the metric everywhere; the factor adds 10 across its range.
    # Replicate 0 failed at one point: averaging what finished would put that point 50 higher.
    path = write(tmp_path, "samples: 10\nreplicates: 3\nmetrics: [mean_active]\n"
                 "factors: {strategy.moderation: [0, 1], community.charisma: [0.2, 0.8]}\n")
    study = load_exploration(path)
    arms = []
    for i, a in enumerate(study.experiment.arms):
        runs = [RunRef(a.name, rep, rep, f"{a.name}-{rep}", "failed" if (i, rep) == (5, 0) else "ok", tmp_path,
                       {"mean_active": 10 * a.overrides["strategy.moderation"] + 100 * rep}) for rep in range(3)]
        arms.append(ArmResults(a.name, a.overrides, runs))
    rs = ResultSet("t", "", "base", arms, "s0001", ["mean_active"], 1, 60, 3, [])
    points = point_means(study, rs)
    assert points.runs[5] == 2 and points.used["mean_active"] == 2
    assert points.notes and "replicate(s) 1, 2 of 3" in points.notes[0]
    rows, _ = indices(study, points.means)
    mu = {r.factor: r.value for r in rows if r.index == "mu_star"}
    assert abs(mu["strategy.moderation"] - 10) <= 1.0 and mu["community.charisma"] < 0.5, mu


def test_a_factor_with_no_effect_is_not_said_to_come_second(tmp_path):
    path = write(tmp_path, "samples: 10\nmetrics: [mean_active]\n"
                 "factors: {strategy.moderation: [0, 1], community.charisma: [0.2, 0.8]}\n")
    study = load_exploration(path)
    rows, _ = indices(study, {"mean_active": _metric_of(study, lambda o: 5 * o["strategy.moderation"])})
    sentence = metric_sentence("mean_active", rows, study)
    assert "comes second" not in sentence and "Hardly mattering" in sentence and "community.charisma" in sentence


def test_a_choice_that_clashes_with_the_base_says_which_base_field_and_a_list_gets_no_hint(tmp_path):
    (tmp_path / "fee.yaml").write_text("name: fee\ndays: 90\nstrategy:\n  entry: {kind: fee, level: 99}\n")
    path = tmp_path / "clash.yaml"
    path.write_text("base: fee.yaml\nfactors: {strategy.entry.kind: [fee, screening]}\n")
    with pytest.raises(ScenarioError) as err:
        load_exploration(path)
    text = str(err.value)
    assert "'factors.strategy.entry.kind[1]'" in text and "given 'screening'" in text
    assert "base scenario's strategy.entry.level" in text, text
    path = write(tmp_path, "method: [morris]\nfactors: {strategy.moderation: [0, 1]}\n", "list.yaml")
    with pytest.raises(ScenarioError) as err:
        load_exploration(path)
    assert "'method'" in str(err.value) and "did you mean" not in str(err.value)
