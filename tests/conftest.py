"""Fixtures shared by the tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import SCENARIOS


@pytest.fixture
def scenarios_dir() -> Path:
    return SCENARIOS
