"""Long work is never silent: check-model and bench show the experiment runner's progress (a
tqdm bar on a terminal, plain lines in logs), counting runs or timings as they finish. (bench: tests/test_cli.py::test_bench_json_shape.)"""

from __future__ import annotations

import io

from helpers import SCENARIOS
from sim.experiments.progress import Progress
from sim.validation import run_checks


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_count_without_a_total_shows_a_bar_on_a_terminal_and_a_last_line_in_logs():
    tty = Terminal()
    bar = Progress(None, "check-model", stream=tty)
    for _ in range(3):
        bar.update(True)
    bar.close()
    assert "check-model" in tty.getvalue() and "3" in tty.getvalue()
    log = io.StringIO()
    bar = Progress(None, "check-model", stream=log, every_seconds=3600)
    for _ in range(5):
        bar.update(True)
    bar.close()
    assert log.getvalue().splitlines() == [log.getvalue().splitlines()[-1]]
    assert log.getvalue().startswith("check-model: 5 runs done, 0 failed")


def test_check_model_counts_its_runs_as_they_finish(capsys):
    run_checks(SCENARIOS, replicates=2, jobs=1, only=["moderation"])
    err = capsys.readouterr().err
    assert "check-model: " in err and " runs done" in err

