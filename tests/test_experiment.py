"""The experiment runner: validation, paired seeds, determinism across jobs and executors,
resume, failures, interruption, the outputs and the CLI. Tiny experiments (60 members, 60 days,
3 replicates); nothing here depends on what the model predicts, only on structure."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import numpy as np
import pytest
import yaml

import sim.experiments.executors as executors
from sim.cli import main
from sim.experiments import file_kind, load_experiment, plan_runs, replicate_seeds, run_experiment, run_id
from sim.experiments.plan import execute_run
from sim.experiments.progress import Progress
from sim.run.files import read_csv
from sim.results import load_results, run_complete
from sim.scenario import ScenarioError

BASE = {"name": "tiny-base", "days": 60, "community": {"initial_members": 60, "managers": 1}}
ARMS = [
    {"name": "open", "overrides": {}},
    {"name": "fee", "overrides": {"strategy.entry.kind": "fee", "strategy.entry.level": 99}},
]
TABLES = ("runs.csv", "curves.csv", "comparison.csv", "plan.csv")


def write_experiment(folder: Path, **fields) -> Path:
    """A tiny experiment file (and its base scenario) in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "base.yaml").write_text(yaml.safe_dump(BASE))
    data = {"name": "tiny", "base": "base.yaml", "replicates": 3, "seed": 11, "arms": ARMS, **fields}
    if "grid" in fields:
        data.pop("arms")
    path = folder / "exp.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def quiet_run(exp, out, **kw):
    return run_experiment(exp, out=out, log=lambda msg: None, **kw)


def tables_only(exp, out, **kw):
    """A run without figures and report (faster), for tests about runs and tables."""
    return quiet_run(exp, out, report=False, **kw)


def table_bytes(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in TABLES}


def run_data(folder: Path) -> dict[str, bytes]:
    """Every data file of every run (manifests hold timings, so they are left out)."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted((folder / "runs").rglob("*"))
            if p.is_file() and p.name != "manifest.json"}


@pytest.fixture(scope="module")
def finished(tmp_path_factory) -> Path:
    """One finished tiny experiment (serial), shared by the read-only tests."""
    root = tmp_path_factory.mktemp("finished")
    exp = load_experiment(write_experiment(root))
    outcome = quiet_run(exp, root / "out", jobs=1)
    assert outcome.ok == 6 and not outcome.failed
    return root / "out"


# --------------------------------------------------------------------------------------------
# The file format
# --------------------------------------------------------------------------------------------


def test_experiment_file_resolves_arms_base_and_defaults(tmp_path):
    exp = load_experiment(write_experiment(tmp_path))
    assert [a.name for a in exp.arms] == ["open", "fee"]
    assert exp.baseline_arm == "open" and exp.days == BASE["days"]
    assert exp.arm("fee").scenario.strategy.entry.kind == "fee"
    assert exp.arm("open").scenario.strategy.entry.kind == "open"
    assert exp.arm("fee").scenario.community.initial_members == 60  # base fields kept
    assert load_experiment(write_experiment(tmp_path, days=30), replicates=5).replicates == 5
    assert load_experiment(write_experiment(tmp_path, days=30)).arm("fee").scenario.days == 30


def test_grid_is_a_cartesian_product_with_readable_names(tmp_path):
    exp = load_experiment(write_experiment(tmp_path, grid={"strategy.cleanup.every_days": [0, 30],
                                                           "strategy.cleanup.rule": ["inactive", "bottom_share"]}))
    names = [a.name for a in exp.arms]
    assert len(names) == 4 and len(set(names)) == 4
    assert "every_days=30, rule=bottom_share" in names
    arm = exp.arm("every_days=30, rule=bottom_share")
    assert (arm.scenario.strategy.cleanup.every_days, arm.scenario.strategy.cleanup.rule) == (30, "bottom_share")


@pytest.mark.parametrize("fields, path, words", [
    ({"arms": [{"name": "a"}, {"name": "b", "overrides": {"strategy.entry.kind": "fees"}}]},
     "arms[1].overrides.strategy.entry.kind", ["fees", "open, invite, fee, screening"]),
    ({"arms": [{"name": "a", "overrides": {"strategy.entry.colour": 1}}]},
     "arms[0].overrides.strategy.entry.colour", ["no such field"]),
    ({"arms": [{"name": "a", "overrides": {"strategy.entry.level": 5}}, ]}, None, None),  # valid (fee level)
    ({"replicats": 3}, "replicats", ["unknown field", "replicates"]),
    ({"replicates": 0}, "replicates", ["given 0"]),
    ({"baseline_arm": "closed"}, "baseline_arm", ["closed", "open, fee"]),
    ({"metrics": ["lifespan"]}, "metrics[0]", ["lifespan_days"]),
    ({"arms": [{"name": "a"}, {"name": "a"}]}, "arms[1].name", ["'a'"]),
    ({"arms": [{"name": "a"}, {"overrides": {}}]}, "arms[1].name", ["None", "a name of 1 to 100"]),
    ({"arms": [{"name": "a", "overrides": {"seed": 3}}]}, "arms[0].overrides.seed", ["master"]),
    ({"grid": {"strategy.cleanup.rule": ["inactive", "bottom"]}}, "grid.strategy.cleanup.rule[1]", ["bottom_share"]),
    ({"base": "missing.yaml"}, "base", ["missing.yaml"]),
    ({"days": -5}, "days", ["-5"]),
])
def test_bad_experiment_files_name_file_field_given_and_allowed(tmp_path, fields, path, words):
    file = write_experiment(tmp_path, **fields)
    if path is None:
        load_experiment(file)
        return
    with pytest.raises(ScenarioError) as err:
        load_experiment(file)
    assert err.value.source == str(file)
    assert err.value.path == path
    for w in words:
        assert w in str(err.value)


def test_arms_and_grid_together_are_refused(tmp_path):
    file = write_experiment(tmp_path)
    data = yaml.safe_load(file.read_text())
    data["grid"] = {"strategy.cleanup.every_days": [0, 30]}
    file.write_text(yaml.safe_dump(data))
    with pytest.raises(ScenarioError, match="either"):
        load_experiment(file)


# --------------------------------------------------------------------------------------------
# Seeds and ids
# --------------------------------------------------------------------------------------------


def test_seeds_are_paired_across_arms_and_distinct_across_replicates(tmp_path):
    exp = load_experiment(write_experiment(tmp_path))
    tasks = plan_runs(exp)
    assert len(tasks) == 6
    by_rep = {}
    for t in tasks:
        by_rep.setdefault(t.replicate, set()).add(t.seed)
        assert t.scenario.seed == t.seed
    assert all(len(seeds) == 1 for seeds in by_rep.values())  # one seed per replicate, all arms
    assert len({next(iter(s)) for s in by_rep.values()}) == 3
    assert len({t.run_id for t in tasks}) == 6
    # Replicate i's seed does not depend on how many replicates there are; the master seed matters.
    assert replicate_seeds(11, 5)[:3] == replicate_seeds(11, 3)
    assert replicate_seeds(12, 3) != replicate_seeds(11, 3)
    assert all(0 <= s < 2**63 for s in replicate_seeds(11, 50))


def test_run_id_is_a_hash_of_the_resolved_scenario(tmp_path):
    exp = load_experiment(write_experiment(tmp_path))
    again = load_experiment(write_experiment(tmp_path))
    assert [t.run_id for t in plan_runs(exp)] == [t.run_id for t in plan_runs(again)]
    s = exp.arms[0].scenario.with_overrides({"seed": 1})
    assert run_id(s) != run_id(s.with_overrides({"seed": 2}))
    assert run_id(s) != run_id(s.with_overrides({"strategy.moderation": 0.5}))


# --------------------------------------------------------------------------------------------
# Running: determinism, resume, failures, interruption
# --------------------------------------------------------------------------------------------


def test_outputs_of_a_finished_experiment(finished):
    for name in ("manifest.json", "experiment.yaml", "base_scenario.yaml", "plan.csv", "runs.csv", "curves.csv",
                 "comparison.csv", "report.html"):
        assert (finished / name).is_file(), name
    for fig in ("activity", "survival", "tenure", "tenure_by_role", "participation", "members_revenue"):
        assert (finished / "figures" / f"{fig}.png").read_bytes()[:4] == b"\x89PNG"
    manifest = json.loads((finished / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["master_seed"] == 11
    assert manifest["runs_finished"] == 6 and manifest["inputs"] and manifest["outputs"]["runs.csv"]

    runs = read_csv(finished / "runs.csv")
    assert list(runs["arm"]) == ["open"] * 3 + ["fee"] * 3
    assert set(runs["status"]) == {"ok"}
    assert {"lifespan_days", "peak_active", "lurker_share", "total_revenue"} <= set(runs)
    # Paired: the same three seeds in both arms (seeds read as text: they are 63-bit).
    import csv

    rows = list(csv.DictReader(open(finished / "runs.csv")))
    assert [r["seed"] for r in rows[:3]] == [r["seed"] for r in rows[3:]]
    for r in rows:
        summary = json.loads((finished / "runs" / r["run_id"] / "summary.json").read_text())
        assert str(summary["lifespan_days"]) == r["lifespan_days"]
        manifest = json.loads((finished / "runs" / r["run_id"] / "manifest.json").read_text())
        assert (manifest["arm"], manifest["seed"], manifest["run_id"]) == (r["arm"], int(r["seed"]), r["run_id"])

    curves = read_csv(finished / "curves.csv")
    assert len(curves["day"]) == 2 * BASE["days"]
    assert np.all(curves["active_mean"] >= curves["active_low"] - 1e-9)
    assert np.all(curves["active_mean"] <= curves["active_high"] + 1e-9)

    comp = read_csv(finished / "comparison.csv")
    fee = comp["arm"] == "fee"
    assert set(comp["metric"][fee]) == {"lifespan_days", "peak_active", "active_day365_14d", "lurker_share",
                                        "total_revenue", "community_survival",
                                        "mean_active", "ever_joined"}  # what the figures' titles compare
    assert np.all(comp["pairs"][fee & (comp["metric"] != "community_survival")] == 3)

    html = (finished / "report.html").read_text()
    assert html.count("data:image/png;base64,") == 6 and "median lifespan" in html
    assert "src=\"http" not in html and "src='http" not in html  # self-contained


def test_same_bytes_with_one_or_two_jobs(tmp_path, finished):
    exp = load_experiment(write_experiment(tmp_path))
    quiet_run(exp, tmp_path / "two", jobs=2)
    assert table_bytes(tmp_path / "two") == table_bytes(finished)
    assert run_data(tmp_path / "two") == run_data(finished)
    assert (tmp_path / "two" / "report.html").read_bytes() == (finished / "report.html").read_bytes()


def test_resume_skips_finished_runs_and_recovers_a_deleted_file(tmp_path):
    exp = load_experiment(write_experiment(tmp_path))
    out = tmp_path / "out"
    first = tables_only(exp, out, jobs=1)
    before = table_bytes(out), run_data(out)

    again = tables_only(exp, out, jobs=1, resume=True)
    assert (again.skipped, again.ran) == (6, 0)

    victim = next((out / "runs").iterdir())
    (victim / "timeseries.csv").unlink()
    assert not run_complete(victim)
    healed = tables_only(exp, out, jobs=1, resume=True)
    assert (healed.skipped, healed.ran, healed.ok) == (5, 1, 1)
    assert (table_bytes(out), run_data(out)) == before

    with open(victim / "members.csv", "ab") as fh:  # a damaged file is caught by its hash
        fh.write(b"garbage")
    assert tables_only(exp, out, jobs=1, resume=True).ran == 1

    more = tables_only(load_experiment(exp.source, replicates=4), out, jobs=1, resume=True)
    assert (more.skipped, more.ran) == (6, 2)  # extra replicates reuse the finished ones
    sessions = json.loads((out / "manifest.json").read_text())["sessions"]
    assert len(sessions) == 5 and first.planned == 6


def test_existing_folder_is_refused_unless_resume_or_force(tmp_path):
    from sim.run.files import OutputExists

    exp = load_experiment(write_experiment(tmp_path))
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "keep.txt").write_text("mine")
    with pytest.raises(OutputExists):
        quiet_run(exp, tmp_path / "other", jobs=1)
    with pytest.raises(OutputExists, match="only replaces experiment folders"):
        quiet_run(exp, tmp_path / "other", jobs=1, force=True)
    assert (tmp_path / "other" / "keep.txt").read_text() == "mine"
    tables_only(load_experiment(exp.source, replicates=1), tmp_path / "tiny", jobs=1)
    other = write_experiment(tmp_path / "second", name="another")
    with pytest.raises(OutputExists, match="holds experiment 'tiny'"):
        tables_only(load_experiment(other), tmp_path / "tiny", jobs=1, resume=True)


def bad_edge_list(folder: Path) -> Path:
    path = folder / "broken-network.txt"
    path.write_text("1 2\n2\n")  # a line with one name
    return path


def test_a_failing_run_is_reported_and_the_others_finish(tmp_path):
    file = write_experiment(tmp_path, arms=ARMS + [{"name": "broken", "overrides": {
        "community.network.kind": "edge_list", "community.network.edge_list": "broken-network.txt"}}])
    (tmp_path / "broken-network.txt").write_text("1 2\n2 3\n3 1\n")
    exp = load_experiment(file)
    bad_edge_list(tmp_path)  # damaged after loading: each run reads it again, and fails
    out = tmp_path / "out"
    outcome = quiet_run(exp, out, jobs=2)
    assert outcome.ok == 6 and len(outcome.failed) == 3
    for task, trace in outcome.failed:
        assert task.arm == "broken"
        text = trace.read_text()
        assert task.run_id in text and "Traceback" in text and "two member names" in text
        assert not (out / "runs" / task.run_id).exists()
    runs = read_csv(out / "runs.csv")
    assert list(runs["status"]).count("failed") == 3 and list(runs["status"]).count("ok") == 6
    assert json.loads((out / "manifest.json").read_text())["status"] == "complete with 3 failed runs"
    assert "broken" not in set(read_csv(out / "comparison.csv")["arm"])
    assert "Runs not included (3)" in (out / "report.html").read_text()

    (tmp_path / "broken-network.txt").write_text("1 2\n2 3\n3 1\n")  # fixed: resume reruns only those
    again = tables_only(load_experiment(file), out, jobs=1, resume=True)
    assert (again.skipped, again.ran, again.ok) == (6, 3, 3)
    assert not any((out / "failed").iterdir())


def test_a_bad_edge_list_named_by_an_arm_fails_the_experiment_file(tmp_path):
    file = write_experiment(tmp_path, arms=ARMS + [{"name": "broken", "overrides": {
        "community.network.kind": "edge_list", "community.network.edge_list": "broken-network.txt"}}])
    bad_edge_list(tmp_path)
    with pytest.raises(ScenarioError) as e:
        load_experiment(file)  # read at load time, not inside each run
    msg = str(e.value)
    assert "arms[2].overrides.community.network.edge_list" in msg and "broken-network.txt" in msg
    assert "line 2" in msg and "two member names" in msg and "\n" not in msg


def test_ctrl_c_leaves_a_consistent_folder_that_resumes(tmp_path, monkeypatch):
    exp = load_experiment(write_experiment(tmp_path))
    real = execute_run
    calls = []

    def interrupted_after_two(task):
        if len(calls) == 2:
            raise KeyboardInterrupt
        calls.append(task.run_id)
        return real(task)

    monkeypatch.setattr(executors, "execute_run", interrupted_after_two)
    out = tmp_path / "out"
    outcome = tables_only(exp, out, jobs=1)
    assert outcome.interrupted and outcome.ok == 2
    assert json.loads((out / "manifest.json").read_text())["status"].startswith("interrupted")
    assert sorted(p.name for p in (out / "runs").iterdir()) == sorted(calls)  # nothing half-written
    monkeypatch.setattr(executors, "execute_run", real)
    resumed = tables_only(exp, out, jobs=1, resume=True)
    assert (resumed.skipped, resumed.ran, resumed.interrupted) == (2, 4, None)


def _exit_in_worker(task):
    """Stands in for execute_run in forked workers: a worker dies as if killed."""
    os._exit(3)


def test_a_crashed_worker_stops_the_sweep_with_a_clear_message(tmp_path, monkeypatch):
    exp = load_experiment(write_experiment(tmp_path))
    monkeypatch.setattr(executors, "execute_run", _exit_in_worker)
    outcome = quiet_run(exp, tmp_path / "out", jobs=2)
    assert outcome.interrupted and "worker process died" in outcome.interrupted
    assert not [p for p in (tmp_path / "out" / "runs").iterdir() if p.name.startswith(".")]


def test_dask_local_cluster_gives_the_same_bytes(tmp_path, finished):
    distributed = pytest.importorskip("distributed")
    exp = load_experiment(write_experiment(tmp_path))
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp",
                                  host="127.0.0.1", dashboard_address=None) as cluster:
        outcome = quiet_run(exp, tmp_path / "dask", executor="dask", scheduler=cluster.scheduler_address)
    assert outcome.ok == 6
    assert table_bytes(tmp_path / "dask") == table_bytes(finished)
    assert run_data(tmp_path / "dask") == run_data(finished)


def test_progress_prints_plain_lines_when_not_on_a_terminal():
    import io

    stream = io.StringIO()
    bar = Progress(100, "tiny", stream=stream, every_seconds=3600)
    for i in range(100):
        bar.update(ok=i % 10 != 0)
    bar.close()
    lines = stream.getvalue().splitlines()
    assert 9 <= len(lines) <= 11  # every 10%
    assert lines[-1].startswith("tiny: 100/100 runs done (100%), 10 failed") and "ETA" in lines[-1]


# --------------------------------------------------------------------------------------------
# Reading results back and the CLI
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_compare_regenerates_the_same_outputs_without_rerunning(tmp_path, finished, jobs):
    """In one process or with workers reading the runs and drawing the figures: the same bytes."""
    copy = tmp_path / "copy"
    shutil.copytree(finished, copy)
    for name in ("runs.csv", "curves.csv", "comparison.csv", "report.html"):
        (copy / name).unlink()
    shutil.rmtree(copy / "figures")
    assert main(["compare", str(copy), "--jobs", jobs]) == 0
    assert table_bytes(copy) == table_bytes(finished)
    assert (copy / "report.html").read_bytes() == (finished / "report.html").read_bytes()
    figures = sorted(p.name for p in (finished / "figures").iterdir())
    assert figures and sorted(p.name for p in (copy / "figures").iterdir()) == figures
    assert all((copy / "figures" / f).read_bytes() == (finished / "figures" / f).read_bytes() for f in figures)


def test_compare_accepts_single_run_folders_and_several_experiments(tmp_path, finished):
    runs = sorted((finished / "runs").iterdir())
    out = tmp_path / "cmp"
    assert main(["compare", *map(str, runs[:4]), "--out", str(out)]) == 0
    rs = load_results(runs[:4])
    assert sum(len(a.runs) for a in rs.arms) == 4
    assert (out / "report.html").is_file() and (out / "manifest.json").is_file()
    both = load_results([finished, finished])
    assert [a.name for a in both.arms] == ["tiny: open", "tiny: fee", "tiny: open (2)", "tiny: fee (2)"]
    assert main(["compare", str(tmp_path / "nothing-here")]) == 2


def test_cli_experiment_end_to_end(tmp_path, capsys):
    file = write_experiment(tmp_path, replicates=2)
    out = tmp_path / "out"
    assert main(["experiment", str(file), "--out", str(out), "--jobs", "2", "--replicates", "3"]) == 0
    printed = capsys.readouterr().out
    assert "fee (3 runs)" in printed and "report.html" in printed
    assert len(read_csv(out / "runs.csv")["arm"]) == 6
    assert main(["experiment", str(file), "--out", str(out)]) == 3  # exists: refused
    assert main(["experiment", str(file), "--out", str(out), "--resume", "--replicates", "3"]) == 0
    assert "6 already finished" in capsys.readouterr().out
    assert main(["experiment", str(file), "--out", str(out), "--force", "--replicates", "1"]) == 0
    assert len(read_csv(out / "runs.csv")["arm"]) == 2


def test_cli_bad_experiment_file_exits_2_naming_file_and_field(tmp_path, capsys):
    file = write_experiment(tmp_path, arms=[{"name": "a"}, {"name": "b", "overrides": {"strategy.entry.kind": "fees"}}])
    assert main(["experiment", str(file)]) == 2
    err = capsys.readouterr().err
    assert str(file) in err and "arms[1].overrides.strategy.entry.kind" in err and "fees" in err
    assert "Traceback" not in err
    file.write_text("base: [unclosed\n")
    assert main(["experiment", str(file)]) == 2
    assert "line" in capsys.readouterr().err


def test_shipped_experiments_are_valid():
    folder = Path(__file__).resolve().parent.parent / "experiments"
    for path in sorted(folder.glob("*.yaml")):
        if file_kind(path) != "experiment":  # strategy searches and sensitivity studies have their own tests
            continue
        load_experiment(path)  # every experiment file in the repo validates
    for name in ("entry-threshold", "rewards", "cleanup", "content-cadence", "strategy-shootout"):
        exp = load_experiment(folder / f"{name}.yaml")
        assert len(exp.arms) >= 4 and exp.replicates >= 10, name
        assert len({t.run_id for t in plan_runs(exp)}) == len(exp.arms) * exp.replicates


def test_every_figure_title_is_backed_by_the_folders_tables(finished):
    from test_claims import title_numbers_are_in_the_tables

    title_numbers_are_in_the_tables(finished)


def test_a_pool_reads_runs_only_a_bounded_way_ahead_of_the_sums(finished):
    """Read in workers, the runs come back in order and the parent holds at most ``ahead`` of
    them (so memory does not grow with the runs), the same reductions as one at a time."""
    from concurrent.futures import ThreadPoolExecutor

    from sim.results.aggregate import read_runs

    class Counting(ThreadPoolExecutor):
        submitted = 0

        def submit(self, *args, **kwargs):
            Counting.submitted += 1
            return super().submit(*args, **kwargs)

    rs = load_results([finished])
    plain = list(read_runs(rs))
    assert len(plain) > 3
    with Counting(2) as pool:
        reductions = read_runs(rs, pool, ahead=3)
        assert Counting.submitted == 3  # started at once, before the first is asked for
        taken = []
        for run in reductions:
            taken.append(run)
            assert Counting.submitted <= len(taken) + 3
    assert [r.days for r in taken] == [r.days for r in plain]
    assert all(np.array_equal(a.series[k], b.series[k]) for a, b in zip(taken, plain) for k in a.series)
