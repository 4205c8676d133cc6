"""Outputs stay byte-identical across refactoring: the golden cases' files hash as recorded.

The hashes were written by ``tests/golden/make_golden.py``; a change meant to alter outputs
(a model change, a new column) reruns that script in the same commit and says why.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

GOLDEN = Path(__file__).resolve().parent / "golden"


def _maker():
    spec = importlib.util.spec_from_file_location("make_golden", GOLDEN / "make_golden.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_outputs_match_the_golden_hashes(tmp_path):
    expected = json.loads((GOLDEN / "hashes.json").read_text())
    got = _maker().compute(tmp_path)
    assert sorted(got) == sorted(expected)
    for case, files in expected.items():
        assert sorted(got[case]) == sorted(files), case
        changed = [name for name, h in files.items() if got[case][name] != h]
        assert not changed, f"{case}: these files changed: {changed}"
