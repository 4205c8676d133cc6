"""The shipped scenario library (``scenarios/``): where it is and what it holds."""

from __future__ import annotations

from pathlib import Path


def scenarios_dir() -> Path:
    """Where the shipped scenarios live: ./scenarios if present, else next to the package."""
    here = Path.cwd() / "scenarios"
    if here.is_dir():
        return here
    return Path(__file__).resolve().parent.parent.parent / "scenarios"


def default_scenario() -> Path:
    """The scenario `community-sim run` uses when given none."""
    return scenarios_dir() / "baseline.yaml"


def shipped_scenarios(folder: Path | None = None) -> dict[str, Path]:
    """Menu of scenario files: stem -> path."""
    folder = scenarios_dir() if folder is None else folder
    return {p.stem: p.resolve() for p in sorted(Path(folder).glob("*.yaml"))}
