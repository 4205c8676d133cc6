"""Start-up: the command line and the scenario layer import only what they use (Mesa, SciPy and
Matplotlib cost about 2 s of a 2.5 s start), and the lazily imported public API still works."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

HEAVY = ("mesa", "scipy", "matplotlib", "networkx", "pandas")


def _heavy_after(code: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", f"{code}\nimport sys; print(*[m for m in {HEAVY!r} if m in sys.modules])"],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    return out.stdout.split()


def test_the_command_line_and_validating_a_file_load_no_heavy_library():
    assert _heavy_after("import sim.cli") == []
    code = ("from sim.cli import main; import contextlib, io\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    assert main(['validate', 'scenarios/baseline.yaml', 'experiments/cleanup.yaml']) == 0")
    assert _heavy_after(code) == []


@pytest.mark.parametrize("package", ["sim", "sim.run", "sim.evidence", "sim.experiments", "sim.explore"])
def test_every_public_name_of_a_lazy_package_resolves(package):
    mod = importlib.import_module(package)
    for name in mod.__all__:
        assert getattr(mod, name) is not None and name in dir(mod)
    with pytest.raises(AttributeError, match="no attribute 'not_a_name'"):
        getattr(mod, "not_a_name")


def test_a_spawned_workers_initializer_loads_no_heavy_library():
    """A spawned pool worker unpickles its initializer (importing its module) before running
    it, and its tasks only after: that module must be light, so the parent-death watchdog the
    initializer starts runs while the model's libraries load (a killed parent's workers end
    within a poll, not after seconds of imports under load)."""
    import pickle

    from sim.experiments.executors import worker_pool

    pool = worker_pool(1)
    try:
        initializer = pickle.dumps(pool._initializer)  # noqa: SLF001 - what each worker process receives
    finally:
        pool.shutdown()
    assert _heavy_after(f"import pickle; pickle.loads({initializer!r})") == []
