"""`community-sim optimise`: the file's errors are one line each; a tiny search returns only
strategies within the operator's limits that no other tried strategy beats on every objective;
a cost cap of zero keeps every paid reward out of the Pareto set; the same file and seed give
the same trials with one worker or two; the Pareto set loads as an experiment file."""

from __future__ import annotations

import csv
import importlib
from pathlib import Path

import pytest

from helpers import ROOT
from sim.cli import main
from sim.experiments import load_experiment
from sim.optimise import load_optimisation, search
from sim.optimise.outputs import pareto_experiment
from sim.optimise.search import Search, Trial
from sim.scenario import ScenarioError

pytest.importorskip("optuna")

BASE = """name: small-paid
days: 180
community: {initial_members: 150, managers: 2}
strategy:
  entry: {kind: fee, level: 99}
  rewards: {every_days: 30, top_k: 5}
"""
SEARCH = """name: tiny
base: base.yaml
seed: 11
replicates: 2
trials: 12
batch: 6
levers:
  strategy.entry.level: [0, 300]
  strategy.rewards.every_days: [7, 60]
  strategy.rewards.yuan_each: [0, 50]
  strategy.content.creator_posts_per_week: [1, 10]
objectives: {lifespan_days: max, active_day365_14d: max, total_revenue: max}
constraints: {operator_cost_yuan_per_month_max: 60, organiser_hours_per_week_max: 40}
"""
OBJECTIVES = ("lifespan_days", "active_day365_14d", "total_revenue")


def _files(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "base.yaml").write_text(BASE)
    (folder / "search.yaml").write_text(text)
    return folder / "search.yaml"


def _rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _dominates(a: dict, b: dict) -> bool:
    """a is at least as good as b in every objective (all maximised) and better in one."""
    x, y = [float(a[m]) for m in OBJECTIVES], [float(b[m]) for m in OBJECTIVES]
    return all(p >= q for p, q in zip(x, y)) and any(p > q for p, q in zip(x, y))


@pytest.fixture(scope="module")
def searched(tmp_path_factory) -> dict[int, Path]:
    """The tiny search run through the command line with one worker and with two."""
    root = tmp_path_factory.mktemp("optimise")
    file = _files(root, SEARCH)
    out = {}
    for jobs in (1, 2):
        out[jobs] = root / f"out-{jobs}"
        assert main(["optimise", str(file), "--jobs", str(jobs), "--out", str(out[jobs])]) == 0
    return out


def test_pareto_set_is_feasible_non_dominated_and_complete(searched):
    trials = _rows(searched[1] / "trials.csv")
    pareto = _rows(searched[1] / "pareto.csv")
    assert len(trials) == 12 and pareto
    assert sorted(r["trial"] for r in pareto) == sorted(r["trial"] for r in trials if r["pareto"] == "1")
    for r in pareto:
        assert r["feasible"] == "1"
        assert float(r["operator_cost_yuan_per_month"]) <= 60 and float(r["organiser_hours_per_week"]) <= 40
    for a in pareto:
        assert not any(_dominates(b, a) for b in pareto), a["trial"]
    for r in trials:  # every strategy within the limits is on the front or beaten by one that is
        if r["feasible"] == "1" and r["pareto"] == "0":
            assert any(_dominates(p, r) or all(p[m] == r[m] for m in OBJECTIVES) for p in pareto), r["trial"]
    assert any(r["feasible"] == "0" for r in trials), "the limits should have excluded some strategy"


def test_same_file_and_seed_give_the_same_trials_with_one_or_two_workers(searched):
    assert (searched[1] / "trials.csv").read_bytes() == (searched[2] / "trials.csv").read_bytes()
    assert (searched[1] / "pareto-experiment.yaml").read_bytes() == (searched[2] / "pareto-experiment.yaml").read_bytes()


def test_pareto_experiment_loads_with_the_base_and_each_pareto_strategy(searched):
    exp = load_experiment(searched[1] / "pareto-experiment.yaml")
    pareto = [r for r in _rows(searched[1] / "pareto.csv") if r["trial"] != "0"]  # trial 0 is the base arm
    assert exp.baseline_arm == "base" and exp.arm("base").overrides == {}
    assert len(exp.arms) == len(pareto) + 1
    levers = load_optimisation(searched[1] / "optimisation.yaml").levers
    for arm, row in zip(exp.arms[1:], pareto):
        assert f"trial {row['trial']}" in arm.name
        assert set(arm.overrides) == {lv.path for lv in levers}
        for lv in levers:
            assert arm.overrides[lv.path] == pytest.approx(float(row[lv.path])), lv.path
            assert type(arm.overrides[lv.path]) is (int if lv.kind == "int" else float), lv.path
        assert arm.scenario.days == 180 and arm.scenario.community.initial_members == 150
    assert set(OBJECTIVES) <= set(exp.metrics)
    assert (searched[1] / "pareto.png").stat().st_size > 10_000


def test_a_zero_cost_cap_keeps_paid_rewards_out_of_the_pareto_set(tmp_path):
    text = SEARCH.replace("trials: 12", "trials: 8").replace("batch: 6", "batch: 4").replace(
        "operator_cost_yuan_per_month_max: 60", "operator_cost_yuan_per_month_max: 0") + "sampler: tpe\n"
    opt = load_optimisation(_files(tmp_path, text))  # (the other sampler, so both are used)
    found = search(opt)
    over = [t for t in found.trials if t.usage and t.usage["operator_cost_yuan_per_month"] > 0]
    assert len(over) >= len(found.trials) // 2, "paid rewards should cost money in most trials"
    assert found.pareto
    for t in found.pareto:
        assert t.feasible and t.usage["operator_cost_yuan_per_month"] == 0
    assert not any(t.pareto for t in over)


@pytest.mark.parametrize("change, field, given", [
    (("strategy.entry.level: [0, 300]", "strategy.entry.levle: [0, 300]"), "levers.strategy.entry.levle", "levle"),
    (("strategy.entry.level: [0, 300]", "strategy.moderation: [0, 2]"), "levers.strategy.moderation[1]", "2"),
    (("strategy.entry.level: [0, 300]", "strategy.entry.kind: [fee, screening]"), "levers.strategy.entry.kind[1]",
     "base scenario's strategy.entry.level"),
    (("strategy.entry.level: [0, 300]", "strategy.entry.kind: [open, paid]"), "levers.strategy.entry.kind[1]", "paid"),
    (("strategy.entry.level: [0, 300]", "strategy.entry.level: [0, open]"), "levers.strategy.entry.level", "open"),
    (("strategy.entry.level: [0, 300]", "behaviour.replies.welcome: [0, 1]"), "levers.behaviour.replies.welcome",
     "behaviour"),
    (("strategy.entry.level: [0, 300]", "community.network.edge_list: [a.csv, b.csv]"),
     "levers.community.network.edge_list", "names a file"),
    (("lifespan_days: max", "lifespan: max"), "objectives.lifespan", "lifespan_days"),
    (("total_revenue: max", "total_revenue: maximise"), "objectives.total_revenue", "maximise"),
    (("organiser_hours_per_week_max: 40", "organiser_hours_max: 40"), "constraints.organiser_hours_max",
     "organiser_hours_per_week_max"),
    (("organiser_hours_per_week_max: 40", "organiser_hours_per_week_max: -1"),
     "constraints.organiser_hours_per_week_max", "-1"),
    (("batch: 6", "batch: 1"), "batch", "1"),
    (("batch: 6", "sampler: nsga3"), "sampler", "nsga2"),
])
def test_a_wrong_file_is_one_line_naming_file_field_given_and_allowed(tmp_path, capsys, change, field, given):
    assert change[0] in SEARCH
    file = _files(tmp_path, SEARCH.replace(*change))
    with pytest.raises(ScenarioError) as err:
        load_optimisation(file)
    text = str(err.value)
    assert str(file) in text and f"'{field}'" in text and given in text and "allowed" in text
    assert main(["optimise", str(file), "--out", str(tmp_path / "out")]) == 2
    printed = capsys.readouterr().err.strip()
    assert printed.count("\n") == 0 and printed.startswith("error: ") and "Traceback" not in printed
    assert not (tmp_path / "out").exists()


def test_an_existing_folder_is_refused_before_any_run(tmp_path, capsys):
    file = _files(tmp_path, SEARCH)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "mine.txt").write_text("keep")
    assert main(["optimise", str(file), "--out", str(tmp_path / "out")]) == 3
    assert (tmp_path / "out" / "mine.txt").read_text() == "keep"
    assert "already exists" in capsys.readouterr().err


def test_the_shipped_example_validates(capsys):
    assert main(["validate", str(ROOT / "experiments" / "optimise-paid-club.yaml")]) == 0
    assert "optimisation optimise-paid-club" in capsys.readouterr().out


def test_a_run_that_raises_makes_its_candidate_invalid_and_the_search_goes_on(tmp_path, monkeypatch, capsys):
    # Runs whose paid rewards exceed 25 yuan raise inside the model; a cost to minimise and a
    # lifespan to maximise are the objectives.
    searching = importlib.import_module("sim.optimise.search")  # the package exports a function of that name

    real = searching.simulate

    def simulate(scenario):
        if scenario.strategy.rewards.yuan_each > 25:
            raise FloatingPointError("made-up model failure")
        return real(scenario)

    monkeypatch.setattr(searching, "simulate", simulate)
    text = SEARCH.replace("trials: 12", "trials: 10").replace("batch: 6", "batch: 5").replace(
        "objectives: {lifespan_days: max, active_day365_14d: max, total_revenue: max}",
        "objectives: {lifespan_days: max, total_operator_cost: min}")
    file = _files(tmp_path, text)
    assert main(["optimise", str(file), "--jobs", "1", "--out", str(tmp_path / "out")]) == 0
    trials = _rows(tmp_path / "out" / "trials.csv")
    assert len(trials) == 10
    raised = [r for r in trials if float(r["strategy.rewards.yuan_each"]) > 25]
    assert raised and len(raised) < len(trials)
    for r in raised:
        assert "made-up model failure" in r["status"] and r["feasible"] == "0" and r["pareto"] == "0"
        kept = (tmp_path / "out" / "failed" / f"trial-{r['trial']}.txt").read_text()
        assert "Traceback" in kept and "FloatingPointError" in kept
    # the cheapest strategy within the limits is on the Pareto set of a cost to minimise
    ok = [r for r in trials if r["feasible"] == "1"]
    cheapest = min(float(r["total_operator_cost"]) for r in ok)
    assert any(float(r["total_operator_cost"]) == cheapest for r in ok if r["pareto"] == "1")
    pareto = [r for r in ok if r["pareto"] == "1"]
    for a in pareto:  # nobody beats a Pareto strategy on a longer life and a lower cost
        for b in ok:
            la, lb = float(a["lifespan_days"]), float(b["lifespan_days"])
            ca, cb = float(a["total_operator_cost"]), float(b["total_operator_cost"])
            assert not (lb >= la and cb <= ca and (lb > la or cb < ca)), (a["trial"], b["trial"])


def test_ctrl_c_writes_the_finished_trials_and_says_so(tmp_path, monkeypatch, capsys):
    searching = importlib.import_module("sim.optimise.search")  # the package exports a function of that name

    real, calls = searching.simulate, []

    def simulate(scenario):
        calls.append(1)
        if len(calls) > 8:  # during the second batch of 4 candidates x 2 replicates
            raise KeyboardInterrupt
        return real(scenario)

    monkeypatch.setattr(searching, "simulate", simulate)
    file = _files(tmp_path, SEARCH.replace("batch: 6", "batch: 4"))
    assert main(["optimise", str(file), "--jobs", "1", "--out", str(tmp_path / "out")]) == 130
    assert len(_rows(tmp_path / "out" / "trials.csv")) == 4
    assert "4 of 12 trials" in capsys.readouterr().err


def test_the_base_strategy_on_the_pareto_set_is_the_base_arm_not_a_copy(tmp_path):
    opt = load_optimisation(_files(tmp_path, SEARCH))
    base = {lv.path: getattr(getattr(opt.base.strategy, lv.path.split(".")[1]), lv.path.split(".")[2])
            for lv in opt.levers}
    scores = {"lifespan_days": 180.0, "active_day365_14d": 20.0, "total_revenue": 1000.0}
    usage = {"operator_cost_yuan_per_month": 10.0, "organiser_hours_per_week": 5.0}
    trials = [Trial(0, base, scores, dict.fromkeys(scores, 1.0), usage, True, "ok", pareto=True),
              Trial(1, {**base, "strategy.entry.level": 1}, {**scores, "total_revenue": 2000.0},
                    dict.fromkeys(scores, 1.0), usage, True, "ok", pareto=True)]
    found = Search(trials, [1, 2], 4, True)
    arms = pareto_experiment(found, opt)["arms"]
    assert [a["name"] for a in arms] == ["base", "pareto-1 (trial 1)"]
    assert "on the Pareto set" in arms[0]["description"]


def test_a_kind_searched_with_its_level_is_left_to_the_candidates(tmp_path):
    # the base's fee level (99 yuan) does not fit a screening entry, but a level searched over
    # 0..1 does: the file is accepted, and every screening candidate is a valid scenario
    text = SEARCH.replace("strategy.entry.level: [0, 300]", "strategy.entry.level: [0, 1]\n"
                          "  strategy.entry.kind: [open, screening]")
    opt = load_optimisation(_files(tmp_path, text))
    assert {lv.path: lv.kind for lv in opt.levers}["strategy.entry.kind"] == "choice"


def test_every_pareto_strategy_shows_when_the_base_is_one_of_them(tmp_path):
    """pareto.png: the base's star is hollow, so the Pareto dot under it still shows."""
    import matplotlib.pyplot as plt
    from matplotlib.colors import to_rgba_array

    from sim.optimise.figures import pareto_figure

    opt = load_optimisation(_files(tmp_path, SEARCH))
    scores = {"lifespan_days": 180.0, "active_day365_14d": 20.0, "total_revenue": 1000.0}
    usage = {"operator_cost_yuan_per_month": 10.0, "organiser_hours_per_week": 5.0}
    trials = [Trial(0, {}, scores, dict.fromkeys(scores, 1.0), usage, True, "ok", pareto=True),
              Trial(1, {}, {**scores, "total_revenue": 2000.0, "lifespan_days": 90.0}, dict.fromkeys(scores, 1.0),
                    usage, True, "ok", pareto=True)]
    fig = pareto_figure(Search(trials, [1, 2], 4, True), opt)
    for ax in fig.axes:
        dots = next(c for c in ax.collections if c.get_label().startswith("Pareto"))
        star = next(c for c in ax.collections if c.get_label() == "base strategy")
        assert len(dots.get_offsets()) == 2
        hollow = (to_rgba_array(star.get_facecolors())[:, 3] == 0).all()
        assert hollow or star.get_zorder() < dots.get_zorder()
    plt.close(fig)
