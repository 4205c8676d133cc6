"""Counts in words a reader takes at face value: "1 run", "2 runs", "1 person", "3 people".
Every user-facing count of runs, replicates, members, days, seeds, ... goes through ``count``
so that no sentence reads "1 runs". Depends on nothing in ``sim``."""

from __future__ import annotations

IRREGULAR = {"person": "people"}


def plural(n: float, word: str, many: str | None = None) -> str:
    """``word`` as it goes with ``n`` things: itself for exactly one, else ``many`` (default the
    irregular plural or ``word`` + "s")."""
    if n == 1:
        return word
    return many if many is not None else IRREGULAR.get(word, word + "s")


def count(n: float, word: str, many: str | None = None) -> str:
    """``n`` with its word: "1 run", "3 runs", "1,200 members" (whole numbers with thousands separators)."""
    number = f"{n:,.0f}" if float(n).is_integer() else f"{n:,}"
    return f"{number} {plural(n, word, many)}"
