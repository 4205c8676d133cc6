"""The command line end to end, in a temporary folder."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys

from helpers import ROOT, SCENARIOS
from sim.cli import main


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "sim.cli", *args], capture_output=True, text=True, cwd=cwd)


def test_run_writes_a_complete_result_folder(tmp_path, capsys):
    out = tmp_path / "r"
    rc = main(["run", str(SCENARIOS / "baseline.yaml"), "--days", "60", "--seed", "3", "--out", str(out)])
    assert rc == 0
    printed = capsys.readouterr().out
    assert "lifespan" in printed and "lurker share" in printed
    assert "revenue" not in printed and "operator cost" not in printed  # a free group: no money lines
    assert "ever joined, founders and" in printed and "of them are gone" in printed
    names = {p.name for p in out.iterdir()}
    assert names == {"scenario.yaml", "manifest.json", "timeseries.csv", "members.csv", "summary.json", "activity.png"}
    with open(out / "timeseries.csv") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 60
    need = {"day", "members", "active", "quiet", "joined", "left", "posts", "content_posts", "chat_posts",
            "ad_posts", "revenue", "role_creator", "role_payer"}
    assert need <= set(rows[0])
    with open(out / "members.csv") as fh:
        members = list(csv.DictReader(fh))
    assert {"id", "role", "join_day", "leave_day", "joined_via", "posts", "final_commitment", "paid"} <= set(members[0])
    summary = json.loads((out / "summary.json").read_text())
    for key in ("lifespan_days", "censored", "peak_active", "peak_day", "lurker_share", "gini_posts",
                "top1_post_share", "total_revenue", "final_members"):
        assert key in summary
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 3 and manifest["versions"]["mesa"] and manifest["wall_seconds"] > 0
    resolved = (out / "scenario.yaml").read_text()
    assert "seed: 3" in resolved and "days: 60" in resolved and "behaviour:" in resolved
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "temporary folders left behind"


def test_rerun_is_byte_identical_and_refuses_to_overwrite(tmp_path, capsys):
    a, b = tmp_path / "a", tmp_path / "b"
    args = [str(SCENARIOS / "baseline.yaml"), "--days", "40", "--no-plots"]
    assert main(["run", *args, "--out", str(a)]) == 0
    assert main(["run", *args, "--out", str(b)]) == 0
    for name in ("timeseries.csv", "members.csv", "summary.json", "scenario.yaml"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
    before = (a / "summary.json").read_bytes()
    rc = main(["run", *args, "--seed", "9", "--out", str(a)])
    assert rc != 0
    assert "already exists" in capsys.readouterr().err
    assert (a / "summary.json").read_bytes() == before
    assert main(["run", *args, "--seed", "9", "--out", str(a), "--force"]) == 0
    assert (a / "summary.json").read_bytes() != before


def test_default_scenario_and_default_folder(tmp_path):
    shutil.copytree(SCENARIOS, tmp_path / "scenarios")
    res = run_cli("run", "--days", "30", "--no-plots", cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    folders = list((tmp_path / "results" / "baseline").iterdir())
    assert len(folders) == 1 and (folders[0] / "summary.json").is_file()


def test_validate_reports_errors_without_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("strategy:\n  cleanup: {rule: inactiv}\n")
    res = run_cli("validate", str(bad))
    assert res.returncode == 2
    assert "Traceback" not in res.stderr
    assert str(bad) in res.stderr and "strategy.cleanup.rule" in res.stderr and "did you mean 'inactive'" in res.stderr
    res = run_cli("run", str(bad))
    assert res.returncode == 2 and "Traceback" not in res.stderr
    res = run_cli("validate", str(SCENARIOS / "baseline.yaml"))
    assert res.returncode == 0 and "ok" in res.stdout


def test_scenarios_lists_every_shipped_file(capsys):
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    for f in SCENARIOS.glob("*.yaml"):
        assert f.stem in out


def test_bench_json_shape():
    res = run_cli("bench", "--json", "--quick", "--repeats", "1", cwd=ROOT)
    assert res.returncode == 0, res.stderr
    data = json.loads(res.stdout)
    assert [r["members"] for r in data["results"]] == [500, 20000]
    for r in data["results"]:
        assert r["member_days_per_s"] > 0 and r["ratio_vs_bare_mesa"] > 0
        assert all(r[f"ratio_vs_{k}"] > 0 for k in ("do", "shuffle_do", "community"))
    progress = [x for x in res.stderr.splitlines() if x.startswith("bench: ")]  # a line per timing, unless they come fast
    assert len(progress) >= 2 and progress[-1].startswith("bench: 10/10 timings done (100%)")
    env = data["environment"]  # what the figures ran on, so a saved JSON can be read later
    assert env["machine"]["logical_cores"] >= 1 and env["machine"]["cpu"]
    assert env["versions"]["mesa"] and env["versions"]["numpy"] and env["blas"]["name"]
    assert "thread_variables" in env["blas"]


def test_bench_experiment_mode_reports_runs_per_worker_and_efficiency(tmp_path):
    out = tmp_path / "bench.json"
    res = run_cli("bench", "--experiment", "--runs", "4", "--members", "60", "--days", "40", "--jobs", "2",
                  "--out", str(out), cwd=ROOT)
    assert res.returncode == 0, res.stderr
    assert "efficiency" in res.stdout and "runs/s/worker" in res.stdout
    data = json.loads(out.read_text())
    one, two = data["experiment"]
    assert (one["jobs"], two["jobs"]) == (1, 2) and one["runs"] == two["runs"] == 4
    for row in (one, two):  # the sweep and the serial analysis add up to (about) the wall time
        assert 0 < row["sweep_s"] and 0 < row["serial_s"] and row["sweep_s"] + row["serial_s"] <= row["wall_s"] * 1.01
        assert row["runs_per_s_per_worker"] > 0
    assert 0 < two["efficiency"] and 0 < two["sweep_efficiency"] and "efficiency" in one
    assert data["environment"]["machine"]["usable_cores"] >= 1
    assert list(tmp_path.iterdir()) == [out]  # the timed experiments wrote only to a temporary folder
    bad = run_cli("bench", "--experiment", "--runs", "6", cwd=ROOT)
    assert bad.returncode == 2 and "--runs" in bad.stderr and "multiple of 4" in bad.stderr
    assert "Traceback" not in bad.stderr


def test_python_api():
    from sim import load_scenario, run_scenario

    result = run_scenario(load_scenario(SCENARIOS / "baseline.yaml"), seed=2, days=30, save=False)
    assert result.folder is None and len(result.timeseries["day"]) == 30
