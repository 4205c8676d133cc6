"""The bytes of result files (CSV tables, YAML, JSON), the versions and commit they were made
with, and (re-exported from ``output``) the safe writing of result folders."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import platform
import subprocess
import sys
from datetime import datetime, timezone
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Callable, Collection, Mapping

import numpy as np
import yaml

from .output import (OutputExists, OutputFailed, check_target, check_writable, write_file_atomic,  # noqa: F401
                     write_folder)

PACKAGES = ("community-sim", "mesa", "numpy", "scipy", "networkx", "matplotlib", "pyyaml", "tqdm")


def utc_stamp() -> str:
    """A folder-safe UTC timestamp, e.g. 20261126T113045Z."""
    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def versions() -> dict[str, str]:
    """Versions of Python, the platform and every package the results depend on (read once per
    process: they cannot change under a running interpreter; every run records them)."""
    return dict(_versions())


@lru_cache(maxsize=1)
def _versions() -> tuple[tuple[str, str], ...]:
    out = {"python": platform.python_version(), "platform": platform.platform()}
    for name in PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return tuple(out.items())


def git_commit(path: Path | None = None) -> str | None:
    """The git commit of the code, if it runs from a checkout."""
    here = path or Path(__file__).resolve().parent
    try:
        out = subprocess.run(["git", "-C", str(here), "rev-parse", "HEAD"], capture_output=True,
                             text=True, timeout=5)
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _fmt(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return "1" if v else "0"
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(round(f, 10))
    return str(v)


def _column_cells(col: np.ndarray, empty: Callable | None) -> list[str]:
    """One column's cells as ``_fmt`` writes them, column-wise: integers and whole floats by
    numpy, other floats one by one (``repr`` of the value rounded to 10 places)."""
    if col.dtype.kind == "b":
        cells = np.where(col, "1", "0").tolist()
    elif col.dtype.kind in "iu":
        cells = col.astype(str).tolist()
    elif col.dtype.kind == "f":
        with np.errstate(invalid="ignore"):
            whole = np.isfinite(col) & (col == np.floor(col)) & (np.abs(col) < 1e15)
        cells = np.empty(len(col), dtype=object)
        cells[whole] = col[whole].astype(np.int64).astype(str)
        cells[~whole] = [repr(round(f, 10)) for f in col[~whole].tolist()]
        cells = cells.tolist()
    else:
        cells = [_fmt(v) for v in col.tolist()]
    if empty is not None:
        cells = ["" if empty(v) else c for v, c in zip(col.tolist(), cells)]
    return cells


def table_csv(columns: Mapping[str, np.ndarray], empty_if: Mapping[str, Callable] | None = None) -> bytes:
    """CSV bytes for a table given as equal-length columns. ``empty_if[col](value)`` true
    writes an empty cell (e.g. leave_day -1 for members still there)."""
    names = list(columns)
    empty_if = empty_if or {}
    cells = [_column_cells(np.asarray(columns[c]), empty_if.get(c)) for c in names]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(names)
    w.writerows(zip(*cells))
    return buf.getvalue().encode()


def read_csv(path: Path, columns: Collection[str] | None = None) -> dict[str, np.ndarray]:
    """Read a CSV written by ``table_csv`` into columns (numbers where every cell is one); with
    ``columns``, only those of them the file has (turning every cell of a run's timeseries into
    a number was most of the time an experiment's tables took)."""
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    header, body = rows[0], rows[1:]
    out = {}
    for i, name in enumerate(header):
        if columns is not None and name not in columns:
            continue
        cells = [r[i] for r in body]
        try:
            out[name] = np.array([float(c) if c != "" else np.nan for c in cells])
        except ValueError:
            out[name] = np.array(cells, dtype=object)
    return out


def dump_yaml(data) -> bytes:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode()


def load_yaml(text: str):
    """YAML this program wrote (``dump_yaml``), read back with libyaml's C loader where it is
    installed (five times faster than the pure-Python one; the same data: safe tags only)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader


def dump_json(data) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=False, default=_json_default) + "\n").encode()


def _json_default(o):
    if isinstance(o, np.generic):
        return o.item()
    if isinstance(o, np.ndarray):
        return o.tolist()
    raise TypeError(f"cannot store {type(o).__name__} in JSON")


def command_line() -> list[str]:
    return [Path(sys.argv[0]).name] + sys.argv[1:]
