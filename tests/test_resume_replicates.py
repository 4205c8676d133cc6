"""--resume continues the folder's own plan: its recorded replicates stand when the command line
gives none (whatever the experiment file says), more replicates extend it (the documented way),
and fewer are refused with one line that changes nothing on disk. Tiny experiments (2 arms, 120
members, 60 days) through the command line, as a user types them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from sim.cli import main
from sim.experiments import load_experiment, run_experiment
from sim.run.files import read_csv

BASE = {"name": "resume-base", "days": 60, "community": {"initial_members": 120, "managers": 1}}
ARMS = [{"name": "open", "overrides": {}},
        {"name": "fee", "overrides": {"strategy.entry.kind": "fee", "strategy.entry.level": 99}}]


def experiment_file(folder: Path, replicates: int) -> Path:
    """A tiny two-arm experiment file whose own default is ``replicates``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "base.yaml").write_text(yaml.safe_dump(BASE))
    path = folder / "tiny.yaml"
    path.write_text(yaml.safe_dump({"name": "tiny", "base": "base.yaml", "replicates": replicates, "seed": 5,
                                    "arms": ARMS}, sort_keys=False))
    return path


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file in the folder with its bytes and modification time."""
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


def experiment(*args: str) -> int:
    return main(["experiment", *args, "--jobs", "1"])


@pytest.fixture(scope="module")
def four(tmp_path_factory) -> tuple[Path, Path]:
    """A folder made with --replicates 4 from a file that says 2: (file, folder)."""
    root = tmp_path_factory.mktemp("four")
    file, out = experiment_file(root, replicates=2), root / "tiny4"
    assert experiment(str(file), "--replicates", "4", "--out", str(out)) == 0
    assert len(read_csv(out / "runs.csv")["arm"]) == 8
    return file, out


def test_resume_without_replicates_keeps_the_folders_count_and_reruns_nothing(four, tmp_path, capsys):
    file, made = four  # the file says 2, the folder holds 4
    out = tmp_path / "tiny4"
    shutil.copytree(made, out)
    capsys.readouterr()
    assert experiment(str(file), "--resume", "--out", str(out)) == 0
    printed = capsys.readouterr()
    assert "0 finished now, 8 already finished, 0 failed, of 8" in printed.out
    assert "2 arms x 4 replicates" in printed.err
    runs = read_csv(out / "runs.csv")
    assert list(runs["arm"]).count("open") == 4 and list(runs["arm"]).count("fee") == 4
    assert len(list((out / "runs").iterdir())) == 8
    assert "4 replicate runs each" in (out / "report.html").read_text()


def test_a_file_asking_for_more_does_not_start_runs_on_resume(four, tmp_path):
    _, made = four
    out = tmp_path / "tiny4"
    shutil.copytree(made, out)
    more = load_experiment(experiment_file(tmp_path / "six", replicates=6))  # the file's default: 6
    outcome = run_experiment(more, out=out, jobs=1, resume=True, report=False, log=lambda msg: None)
    assert (outcome.planned, outcome.skipped, outcome.ran) == (8, 8, 0)
    assert len(read_csv(out / "runs.csv")["arm"]) == 8


def test_fewer_replicates_on_resume_are_refused_in_one_line_and_nothing_changes(four, capsys):
    file, out = four
    before = snapshot(out)
    capsys.readouterr()
    assert experiment(str(file), "--resume", "--replicates", "2", "--out", str(out)) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "Traceback" not in err
    assert "--replicates" in err and "given 2" in err and "4" in err and str(out) in err
    assert "without --replicates" in err and "--force" in err
    assert snapshot(out) == before


def test_more_replicates_on_resume_add_to_the_folder_and_say_so(four, tmp_path, capsys):
    file, made = four
    out = tmp_path / "tiny5"
    shutil.copytree(made, out)
    capsys.readouterr()
    assert experiment(str(file), "--resume", "--replicates", "5", "--out", str(out)) == 0
    printed = capsys.readouterr()
    assert "2 finished now, 8 already finished, 0 failed, of 10" in printed.out
    assert "adding replicates" in printed.err and "4 to 5" in printed.err
    assert len(read_csv(out / "runs.csv")["arm"]) == 10
    assert json.loads((out / "manifest.json").read_text())["replicates"] == 5  # what the next --resume continues
