"""Package attributes imported on first use (PEP 562): ``sim``, ``sim.run``, ``sim.evidence``,
``sim.experiments`` and ``sim.explore`` name their public API here instead of importing every
module up front, so that a command that needs little (``community-sim --help``, ``validate``,
reading a scenario) does not pay for Mesa, SciPy and Matplotlib (about 2 s of a 2.5 s start,
measured). Depends on nothing in ``sim``."""

from __future__ import annotations

import importlib
import sys
from typing import Any, Callable


def lazy_exports(package: str, names: dict[str, str]) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """A module ``__getattr__`` and ``__dir__`` for ``package``, whose public ``names`` map to
    the (relative) module each lives in: the module is imported on first use and the value kept
    in the package's namespace."""

    def __getattr__(name: str) -> Any:
        if name not in names:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(names[name], package), name)
        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(names))

    return __getattr__, __dir__
