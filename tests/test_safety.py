"""Files are never lost: --force replaces only folders the tool wrote, an experiment is replaced
only once its successor is complete, a write that fails leaves nothing half-written and says so
in one line, stale temporaries are cleaned, a folder in use is locked, and killing an
experiment leaves no worker behind. Every test checks the outcome on disk."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from helpers import ROOT, SCENARIOS
from sim.cli import main
from sim.experiments import load_experiment, run_experiment
from sim.run.output import FolderLock, OutputExists, OutputFailed, clean_stale, write_folder

RUN = [str(SCENARIOS / "baseline.yaml"), "--days", "20", "--no-plots"]
BASE = {"name": "tiny-base", "days": 40, "community": {"initial_members": 40, "managers": 1}}


def tiny_experiment(folder: Path, replicates: int = 2, **fields) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "base.yaml").write_text(yaml.safe_dump(BASE))
    data = {"name": "tiny", "base": "base.yaml", "replicates": replicates, "seed": 3,
            "arms": [{"name": "open", "overrides": {}}], **fields}
    (folder / "exp.yaml").write_text(yaml.safe_dump(data, sort_keys=False))
    return folder / "exp.yaml"


def user_folder(path: Path) -> Path:
    path.mkdir(parents=True)
    (path / "my-scenario.yaml").write_text("name: precious\n")
    return path


def one_error_line(err: str) -> str:
    lines = [x for x in err.strip().splitlines() if x.startswith("error")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize("command", [
    ["run", *RUN],
    ["check-model", "--only", "bimodal", "--replicates", "1", "--jobs", "1"],
])
def test_force_refuses_a_folder_the_tool_did_not_write(tmp_path, capsys, command):
    out = user_folder(tmp_path / "mine")
    assert main([*command, "--out", str(out), "--force"]) == 3
    line = one_error_line(capsys.readouterr().err)
    assert "not a folder community-sim wrote" in line and str(out) in line
    assert (out / "my-scenario.yaml").read_text() == "name: precious\n"


def test_compare_and_experiment_force_refuse_a_user_folder(tmp_path, capsys):
    first = tmp_path / "r"
    assert main(["run", *RUN, "--out", str(first)]) == 0
    out = user_folder(tmp_path / "mine")
    assert main(["compare", str(first), "--out", str(out), "--force"]) == 3
    one_error_line(capsys.readouterr().err)
    assert main(["experiment", str(tiny_experiment(tmp_path / "e")), "--out", str(out), "--force"]) == 3
    one_error_line(capsys.readouterr().err)
    assert sorted(p.name for p in out.iterdir()) == ["my-scenario.yaml"]


def test_force_replaces_only_its_own_kind_of_folder(tmp_path, capsys):
    exp_folder = tmp_path / "exp"
    run_experiment(load_experiment(tiny_experiment(tmp_path / "e", replicates=1)), out=exp_folder, jobs=1,
                   report=False, log=lambda m: None)
    assert main(["run", *RUN, "--out", str(exp_folder), "--force"]) == 3
    assert "a experiment folder" in one_error_line(capsys.readouterr().err)
    assert (exp_folder / "plan.csv").is_file()
    mine = tmp_path / "run"
    assert main(["run", *RUN, "--out", str(mine)]) == 0
    assert main(["run", *RUN, "--seed", "4", "--out", str(mine), "--force"]) == 0  # its own: replaced
    assert json.loads((mine / "manifest.json").read_text())["seed"] == 4


def test_force_never_replaces_home_or_root(tmp_path, capsys, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    (home / "manifest.json").write_text('{"kind": "run"}')  # even when it looks like a run folder
    monkeypatch.setenv("HOME", str(home))
    assert main(["run", *RUN, "--out", str(home), "--force"]) == 3
    assert "home folder" in one_error_line(capsys.readouterr().err)
    assert main(["run", *RUN, "--out", "/", "--force"]) == 3
    one_error_line(capsys.readouterr().err)
    assert (home / "manifest.json").is_file()


def test_experiment_force_keeps_the_old_results_until_the_new_ones_are_complete(tmp_path, capsys, monkeypatch):
    import sim.experiments.session as session
    from sim.experiments.spec import bad_value

    file = tiny_experiment(tmp_path / "e")
    out = tmp_path / "out"
    run_experiment(load_experiment(file), out=out, jobs=1, report=False, log=lambda m: None)
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}

    def unreachable(*a, **k):  # what the Dask executor raises for a scheduler nobody runs (fast here)
        raise bad_value("command line", "--scheduler", "tcp://10.0.0.9:8786", "the address of a running Dask scheduler")

    monkeypatch.setattr(session, "executor_for", unreachable)
    rc = main(["experiment", str(file), "--out", str(out), "--force", "--jobs", "1"])
    assert rc == 2
    monkeypatch.undo()
    one_error_line(capsys.readouterr().err)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    # A forced sweep that finishes replaces it.
    again = run_experiment(load_experiment(file, replicates=3), out=out, jobs=1, force=True, report=False,
                           log=lambda m: None)
    assert again.replaced and again.folder == out and again.ok == 3
    assert json.loads((out / "manifest.json").read_text())["replicates"] == 3


def test_experiment_force_stopped_midway_keeps_the_old_folder(tmp_path, monkeypatch):
    import sim.experiments.session as session

    file = tiny_experiment(tmp_path / "e")
    out = tmp_path / "out"
    run_experiment(load_experiment(file), out=out, jobs=1, report=False, log=lambda m: None)
    plan = (out / "plan.csv").read_bytes()

    def stop(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(session, "write_folder", stop)
    outcome = run_experiment(load_experiment(file, replicates=3), out=out, jobs=1, force=True, report=False,
                             log=lambda m: None)
    assert outcome.interrupted and not outcome.replaced
    assert (out / "plan.csv").read_bytes() == plan and len(list((out / "runs").iterdir())) == 2
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_unwritable_destination_is_refused_before_simulating(tmp_path, capsys, monkeypatch):
    import sim.run.runner as runner

    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    monkeypatch.setattr(runner, "simulate", lambda *a, **k: pytest.fail("simulated before checking the folder"))
    assert main(["run", *RUN, "--out", str(blocker / "sub")]) == 4
    assert "is a file, not a folder" in one_error_line(capsys.readouterr().err)
    monkeypatch.setattr(os, "access", lambda *a, **k: False)  # a read-only folder (root ignores modes)
    assert main(["run", *RUN, "--out", str(tmp_path / "ro" / "x")]) == 4
    assert "not writable" in one_error_line(capsys.readouterr().err)
    assert main(["check-model", "--only", "bimodal", "--out", str(tmp_path / "v")]) == 4
    one_error_line(capsys.readouterr().err)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]


def test_disk_full_while_writing_is_one_line_and_leaves_nothing(tmp_path, capsys, monkeypatch):
    import sim.run.runner as runner

    real = runner.run_files

    def full_disk(*a, **k):
        files = real(*a, **k)

        def fail(path):
            raise OSError(errno.ENOSPC, "No space left on device")

        files["zzz-last.bin"] = fail
        return files

    monkeypatch.setattr(runner, "run_files", full_disk)
    out = tmp_path / "r"
    assert main(["run", *RUN, "--out", str(out)]) == 4
    assert "No space left on device" in one_error_line(capsys.readouterr().err)
    assert list(tmp_path.iterdir()) == []


def test_disk_full_during_an_experiment_leaves_a_resume_hint(tmp_path, capsys, monkeypatch):
    import sim.experiments.session as session

    def full(*a, **k):
        raise OutputFailed("could not write runs/x: No space left on device")

    monkeypatch.setattr(session, "write_folder", full)
    file = tiny_experiment(tmp_path / "e")
    out = tmp_path / "out"
    assert main(["experiment", str(file), "--out", str(out), "--jobs", "1"]) == 4
    assert "No space left" in one_error_line(capsys.readouterr().err)
    status = json.loads((out / "manifest.json").read_text())["status"]
    assert status.startswith("stopped by an error") and "--resume --out" in status
    assert not (out / ".lock").exists()


def test_stale_temporaries_of_dead_processes_are_cleaned(tmp_path):
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    pid = int(dead.stdout)
    stale = [tmp_path / f".r.tmp-{pid}-0123abcd", tmp_path / f".r.old-{pid}-89abcdef"]
    live = tmp_path / f".other.tmp-{os.getppid()}-0123abcd"  # a live process (our parent) is writing it
    for p in [*stale, live]:
        p.mkdir()
    write_folder(tmp_path / "r", {"summary.json": b"{}"})
    assert [p.exists() for p in stale] == [False, False] and live.is_dir()
    assert clean_stale(tmp_path) == 0


def test_a_folder_in_use_is_locked_and_a_dead_lock_is_taken_over(tmp_path):
    file = tiny_experiment(tmp_path / "e")
    out = tmp_path / "out"
    run_experiment(load_experiment(file), out=out, jobs=1, report=False, log=lambda m: None)
    (out / ".lock").write_text(json.dumps({"pid": os.getppid(), "host": os.uname().nodename}))
    for kw in ({"resume": True}, {"force": True}):
        with pytest.raises(OutputExists, match=f"process {os.getppid()}"):
            run_experiment(load_experiment(file), out=out, jobs=1, report=False, log=lambda m: None, **kw)
    assert (out / ".lock").is_file()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (out / ".lock").write_text(json.dumps({"pid": int(dead.stdout), "host": os.uname().nodename}))
    again = run_experiment(load_experiment(file), out=out, jobs=1, report=False, resume=True, log=lambda m: None)
    assert again.skipped == 2 and not (out / ".lock").exists()
    with FolderLock(out):
        assert json.loads((out / ".lock").read_text())["pid"] == os.getpid()
    assert not (out / ".lock").exists()


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-eo", "pid=,ppid="], capture_output=True, text=True).stdout.split()
    pairs = list(zip(map(int, out[::2]), map(int, out[1::2])))
    return [c for c, p in pairs if p == pid]


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie is gone for our purposes
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def _kill_and_check_workers(proc: subprocess.Popen, sig: int) -> None:
    """Wait for ``proc``'s pool (two workers), send it ``sig``, and check the workers end too."""
    workers: list[int] = []
    deadline = time.monotonic() + 30
    while len(workers) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
        workers = _children(proc.pid)
    assert len(workers) >= 2, "the pool did not start"
    proc.send_signal(sig)
    proc.wait(timeout=20)
    deadline = time.monotonic() + 8
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [w for w in workers if _alive(w)], "pool workers outlived their parent"


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL])
def test_killing_an_experiment_leaves_no_worker_alive(tmp_path, sig):
    file = tiny_experiment(tmp_path / "e", replicates=40)
    big = {**BASE, "days": 400, "community": {"initial_members": 400, "managers": 2}}
    (tmp_path / "e" / "base.yaml").write_text(yaml.safe_dump(big))
    proc = subprocess.Popen([sys.executable, "-m", "sim.cli", "experiment", str(file), "--out", str(tmp_path / "o"),
                             "--jobs", "2"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _kill_and_check_workers(proc, sig)
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text())
    if sig == signal.SIGTERM:  # stopped cleanly, like Ctrl-C
        assert manifest["status"].startswith("interrupted: stopped by SIGTERM") and "--resume" in manifest["status"]
    else:  # no chance to write anything: the manifest written at the start says how to go on
        assert manifest["status"] == "running" and "--resume --out" in manifest["if_stopped"]


@pytest.mark.parametrize("damage", ["empty plan", "garbage plan", "plan header only", "unknown arm", "no runs",
                                    "bad experiment.yaml"])
def test_compare_on_a_damaged_folder_fails_and_writes_nothing(tmp_path, capsys, damage):
    import shutil

    out = tmp_path / "out"
    run_experiment(load_experiment(tiny_experiment(tmp_path / "e")), out=out, jobs=1, report=False,
                   log=lambda m: None)
    plan = out / "plan.csv"
    if damage == "empty plan":
        plan.write_bytes(b"")
    elif damage == "garbage plan":
        plan.write_bytes(b"arm,replicate,seed,run_id\nopen,one,x,abc\n")
    elif damage == "plan header only":
        plan.write_bytes(plan.read_bytes().splitlines(keepends=True)[0])
    elif damage == "unknown arm":
        plan.write_bytes(plan.read_bytes().replace(b"open,", b"closed,"))
    elif damage == "no runs":
        shutil.rmtree(out / "runs")
    else:
        (out / "experiment.yaml").write_text("name: [unclosed\n")
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert main(["compare", str(out)]) == 2
    one_error_line(capsys.readouterr().err)
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("command", [["check-model", "--only", "cadence", "--replicates", "20"],
                                     ["calibrate", "--trials", "50", "--seeds", "4"]])
def test_killing_check_model_or_calibrate_leaves_no_worker_alive(tmp_path, command):
    """The validation's and the calibration's worker pools end with their parent, as the
    experiment pool does (SIGKILL: the parent gets no chance to shut them down)."""
    if command[0] == "calibrate":
        pytest.importorskip("optuna")
    proc = subprocess.Popen([sys.executable, "-m", "sim.cli", *command, "--jobs", "2", "--out", str(tmp_path / "o")],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _kill_and_check_workers(proc, signal.SIGKILL)


def test_a_forked_pools_workers_start_before_a_dask_sweep_starts_threads():
    """``start_workers`` forks the pool's workers while this process has one thread, so the Dask
    client's threads, started next, are not copied into the workers the analysis uses. (In a
    fresh process: this test process may have threads, and then pools are spawned.)"""
    code = """
from sim.experiments.executors import start_method, start_workers, stop_pool, worker_pool
assert start_method().get_start_method() == "fork"
pool = worker_pool(2)
assert not pool._processes  # none until the first task...
start_workers(pool)
assert len(pool._processes) == 2  # ...or until asked
stop_pool(pool)
"""
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform")
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


def _snapshot(folder: Path) -> dict:
    return {p.relative_to(folder): p.read_bytes() if p.is_file() else None for p in folder.rglob("*")}


def test_force_refuses_a_tool_folder_holding_a_user_file(tmp_path, capsys):
    """A run or an experiment folder the tool wrote, with the user's own files added inside, is
    not replaced by --force: one line names the folder, some of the files and how many."""
    run = tmp_path / "run"
    assert main(["run", *RUN, "--out", str(run)]) == 0
    (run / "mynotes.txt").write_text("hello\n")
    before = _snapshot(run)
    assert main(["run", *RUN, "--out", str(run), "--force"]) == 3
    line = one_error_line(capsys.readouterr().err)
    assert str(run) in line and "mynotes.txt" in line and "--out" in line
    assert _snapshot(run) == before
    exp = tmp_path / "exp"
    file = tiny_experiment(tmp_path / "e")
    run_experiment(load_experiment(file), out=exp, jobs=1, report=False, log=lambda m: None)
    a_run = sorted((exp / "runs").iterdir())[0]
    for place in (exp / "notes.md", exp / "figures-mine" / "a.png", a_run / "looked.txt", exp / "failed" / "x.csv"):
        place.parent.mkdir(exist_ok=True)
        place.write_text("mine")
    before = _snapshot(exp)
    assert main(["experiment", str(file), "--jobs", "2", "--out", str(exp), "--force"]) == 3
    line = one_error_line(capsys.readouterr().err)
    assert str(exp) in line and " 4 " in line and line.count(", ") >= 2
    assert _snapshot(exp) == before


def test_force_replaces_a_folder_holding_only_tool_files(tmp_path, capsys, monkeypatch):
    """What the tool itself leaves (a report, an experiment stopped midway with its lock and
    half-written runs, stale temporaries) does not block --force or --resume."""
    import sim.experiments.session as session
    from sim.run.output import check_target
    from sim.run.ownership import foreign_paths

    file = tiny_experiment(tmp_path / "e")
    exp, run, cmp = tmp_path / "exp", tmp_path / "run", tmp_path / "cmp"
    run_experiment(load_experiment(file), out=exp, jobs=1, log=lambda m: None)  # with its report and figures
    assert main(["run", str(SCENARIOS / "baseline.yaml"), "--days", "20", "--messages", "--out", str(run)]) == 0
    assert main(["compare", str(exp), "--out", str(cmp)]) == 0
    for folder, kind in ((exp, "experiment"), (run, "run"), (cmp, "comparison")):
        assert foreign_paths(folder) == [], folder
        check_target(folder, True, kind)  # would be replaced
    real_write = session.write_folder

    def stop_after_one(target, files, **kw):
        if any((target.parent).iterdir()):
            raise KeyboardInterrupt
        return real_write(target, files, **kw)

    monkeypatch.setattr(session, "write_folder", stop_after_one)
    stopped = tmp_path / "stopped"
    assert run_experiment(load_experiment(file), out=stopped, jobs=1, report=False, log=lambda m: None).interrupted
    monkeypatch.undo()
    (stopped / ".lock").write_text(json.dumps({"pid": 999_999_999, "host": os.uname().nodename}))
    (stopped / "runs" / ".abc.tmp-999999999-0123abcd").mkdir()
    (stopped / ".manifest.json.tmp-999999999-0123abcd").write_text("{")
    assert foreign_paths(stopped) == []
    copy = tmp_path / "stopped-copy"
    subprocess.run(["cp", "-a", str(stopped), str(copy)], check=True)
    assert run_experiment(load_experiment(file), out=stopped, jobs=1, force=True, report=False, log=print).replaced
    assert run_experiment(load_experiment(file), out=copy, jobs=1, resume=True, report=False, log=print).ok == 1
    for folder in (stopped, copy):
        assert json.loads((folder / "manifest.json").read_text())["status"] == "complete"


def test_an_empty_out_is_bad_input(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["run", *RUN, "--out", ""]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "--out" in line and "--force" not in line
    assert list(tmp_path.iterdir()) == []
