"""--resume continues the experiment a folder holds, never an edited one: an experiment file (or
its base scenario) changed since the folder was made in anything that changes the runs is
refused in one line naming the file, the field, what the folder holds and what the file now
gives, and nothing on disk changes; an unchanged file, or an edit that changes no run, resumes
(a folder stopped by Ctrl-C before its first run finished included) and replicates can still be
added. An exploration's folder records its design (samples, method, seed) at the start, so a
stopped one resumes the same sample points without --samples, and a differing --samples is
refused. Tiny studies (2 arms x 2 replicates, 120 members, 60 days; explore at its smallest),
stopped by a stand-in for the run function before any run, so most checks simulate nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from sim.cli import main
from sim.experiments import executors
from sim.run.files import read_csv

BASE = {"name": "same-base", "days": 60, "community": {"initial_members": 120, "managers": 1}}
ARMS = [{"name": "open", "overrides": {}},
        {"name": "fee", "overrides": {"strategy.entry.kind": "fee", "strategy.entry.level": 99}}]
EXPERIMENT = {"name": "same", "description": "first", "base": "base.yaml", "replicates": 2, "seed": 5,
              "days": 60, "arms": ARMS}
EXPLORE = {"name": "same-explore", "base": "base.yaml", "days": 30, "seed": 3, "replicates": 1,
           "metrics": ["final_members"], "factors": {"strategy.moderation": [0.2, 0.9]}}


def write_files(folder: Path, experiment: dict, base: dict = BASE, name: str = "same.yaml") -> Path:
    """The study file and its base scenario in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "base.yaml").write_text(yaml.safe_dump(base))
    path = folder / name
    path.write_text(yaml.safe_dump(experiment, sort_keys=False))
    return path


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in the folder with its bytes and modification time."""
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def ctrl_c_at_first_run(task):
    """Stands in for execute_run: Ctrl-C before the first run finishes."""
    raise KeyboardInterrupt


def stopped(monkeypatch, command: str, *args: str) -> int:
    """The command, stopped by Ctrl-C before its first run finished (its folder planned, no runs)."""
    with monkeypatch.context() as m:
        m.setattr(executors, "execute_run", ctrl_c_at_first_run)
        return main([command, *args, "--jobs", "1"])


@pytest.fixture(scope="module")
def stopped_experiment(tmp_path_factory) -> Path:
    """A folder of the tiny experiment stopped before its first run finished."""
    root = tmp_path_factory.mktemp("made")
    file = write_files(root, EXPERIMENT)
    with pytest.MonkeyPatch.context() as m:
        assert stopped(m, "experiment", str(file), "--out", str(root / "out")) == 130
    assert not any((root / "out" / "runs").iterdir())
    return root / "out"


EDITS = [  # (what the file now says, the field named, what the folder holds, what the file now gives)
    ({**EXPERIMENT, "days": 50}, BASE, "days", "60", "50"),
    ({**EXPERIMENT, "seed": 6}, BASE, "seed", "5", "6"),
    ({**EXPERIMENT, "arms": [ARMS[0], {"name": "fee", "overrides": {"strategy.entry.kind": "fee",
                                                                     "strategy.entry.level": 50}}]},
     BASE, "arms[1].overrides.strategy.entry.level", "99", "50"),
    ({**EXPERIMENT, "arms": [ARMS[0], {"name": "paid", "overrides": ARMS[1]["overrides"]}]},
     BASE, "arms[1].name", "'fee'", "'paid'"),
    (EXPERIMENT, {**BASE, "community": {"initial_members": 130, "managers": 1}},
     "base.community.initial_members", "120", "130"),
]


@pytest.mark.parametrize("edited, base, field, held, now", EDITS, ids=[e[2] for e in EDITS])
def test_an_edited_file_is_refused_on_resume_in_one_line_and_nothing_changes(
        stopped_experiment, tmp_path, capsys, edited, base, field, held, now):
    out = tmp_path / "out"
    shutil.copytree(stopped_experiment, out)
    file = write_files(tmp_path, edited, base)
    before = snapshot(out)
    capsys.readouterr()
    assert main(["experiment", str(file), "--resume", "--out", str(out), "--jobs", "1"]) == 2
    err = capsys.readouterr().err.strip().removeprefix("error: ")
    assert "\n" not in err and "Traceback" not in err, err
    assert err.startswith(f"{file}: field '{field}'"), err
    assert f"holds {held}" in err and f"now gives {now}" in err, err
    assert str(out) in err and "--force" in err and "--out" in err and "undo" in err, err
    assert snapshot(out) == before


def test_an_unchanged_file_resumes_a_folder_stopped_before_its_first_run_and_can_add_replicates(
        stopped_experiment, tmp_path, capsys):
    out = tmp_path / "out"
    shutil.copytree(stopped_experiment, out)
    # an edit that changes no run (the description, the metrics reported) does not block a resume
    file = write_files(tmp_path, {**EXPERIMENT, "description": "second", "metrics": ["final_members"]})
    assert main(["experiment", str(file), "--resume", "--out", str(out), "--jobs", "1"]) == 0
    assert "4 finished now, 0 already finished, 0 failed, of 4" in capsys.readouterr().out
    assert main(["experiment", str(file), "--resume", "--replicates", "3", "--out", str(out), "--jobs", "1"]) == 0
    assert "2 finished now, 4 already finished, 0 failed, of 6" in capsys.readouterr().out
    assert len(read_csv(out / "runs.csv")["arm"]) == 6


@pytest.fixture(scope="module")
def stopped_exploration(tmp_path_factory) -> tuple[Path, Path]:
    """An exploration made with --samples 4 (the file gives none: the default is more), stopped
    before its first run finished: (file, folder)."""
    root = tmp_path_factory.mktemp("explore")
    file = write_files(root, EXPLORE, name="study.yaml")
    with pytest.MonkeyPatch.context() as m:
        assert stopped(m, "explore", str(file), "--samples", "4", "--out", str(root / "out")) == 130
    return file, root / "out"


def test_a_stopped_exploration_resumes_its_own_sample_points_without_samples(stopped_exploration, tmp_path,
                                                                              monkeypatch):
    file, made = stopped_exploration
    out = tmp_path / "out"
    shutil.copytree(made, out)
    planned = (out / "plan.csv").read_bytes()
    assert len(read_csv(out / "plan.csv")["arm"]) == 8  # 4 trajectories x 2 points, 1 replicate
    assert stopped(monkeypatch, "explore", str(file), "--resume", "--out", str(out)) == 130
    assert (out / "plan.csv").read_bytes() == planned  # the same points, not the file's default design


def test_a_differing_samples_on_resume_is_refused_in_one_line(stopped_exploration, capsys):
    file, out = stopped_exploration
    before = snapshot(out)
    capsys.readouterr()
    assert main(["explore", str(file), "--resume", "--samples", "5", "--out", str(out), "--jobs", "1"]) == 2
    err = capsys.readouterr().err.strip().removeprefix("error: ")
    assert "\n" not in err and "Traceback" not in err, err
    assert "--samples" in err and "given 5" in err and "4" in err and str(out) in err, err
    assert "without --samples" in err and "--force" in err, err
    assert snapshot(out) == before


def test_an_edited_factor_range_is_refused_on_resume(stopped_exploration, tmp_path, capsys):
    _, made = stopped_exploration
    out = tmp_path / "out"
    shutil.copytree(made, out)
    file = write_files(tmp_path, {**EXPLORE, "factors": {"strategy.moderation": [0.2, 0.8]}}, name="study.yaml")
    before = snapshot(out)
    capsys.readouterr()
    assert main(["explore", str(file), "--resume", "--out", str(out), "--jobs", "1"]) == 2
    err = capsys.readouterr().err.strip().removeprefix("error: ")
    assert "\n" not in err and err.startswith(f"{file}: field 'factors.strategy.moderation"), err
    assert "0.9" in err and "0.8" in err and "--force" in err, err
    assert snapshot(out) == before
