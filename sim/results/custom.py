"""Custom metrics: an experiment file's own summary metrics, each a small declarative form over
the columns of a run's timeseries.csv (never Python to evaluate), checked when the file is
loaded and computed from each finished run's timeseries when its results are read.

Forms (a window is ``from_day`` (first day, default 0) to ``to_day`` (the day after the last,
default the horizon), so days 300 to 364 are ``from_day: 300, to_day: 365``):

- ``{mean: COLUMN}``, ``{sum: COLUMN}``, ``{max: COLUMN}``, ``{min: COLUMN}`` over the window;
- ``{share: COLUMN, of: COLUMN}``: the sum of one over the sum of the other in the window
  (empty when the second sums to zero);
- ``{last: COLUMN}``: the value on the run's last day; ``{at_day: DAY, of: COLUMN}``: on that day.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np

from ..scenario import ScenarioError
from ..scenario.errors import shown
from ..scenario.fields import TIMESERIES_COLUMNS

WINDOW_FORMS = ("mean", "sum", "max", "min", "share")
FORMS = WINDOW_FORMS + ("last", "at_day")
NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,59}")
# Columns of runs.csv that are not summary metrics; a custom metric may not take their names.
RUN_COLUMNS = ("arm", "replicate", "seed", "run_id", "status", "community_survival")
COLUMNS = tuple(c for c in TIMESERIES_COLUMNS if c != "day")


@dataclass(frozen=True)
class CustomMetric:
    """One checked custom metric: its form, column(s) and window (``to_day`` None: the horizon)."""

    name: str
    form: str
    column: str
    of: str | None = None
    from_day: int = 0
    to_day: int | None = None

    def value(self, ts: dict[str, np.ndarray]) -> float | None:
        """The metric of one run's timeseries columns; None where it has no value (an empty
        window, a share of nothing)."""
        col = np.asarray(ts[self.column], dtype=float)
        if self.form == "last":
            return float(col[-1]) if len(col) else None
        if self.form == "at_day":
            return float(col[self.from_day]) if self.from_day < len(col) else None
        window = col[self.from_day:self.to_day]
        if not len(window):
            return None
        if self.form == "share":
            denominator = float(np.asarray(ts[self.of], dtype=float)[self.from_day:self.to_day].sum())
            return float(window.sum()) / denominator if denominator else None
        return float({"mean": np.mean, "sum": np.sum, "max": np.max, "min": np.min}[self.form](window))

    def columns(self) -> tuple[str, ...]:
        """The timeseries columns it reads."""
        return (self.column,) + ((self.of,) if self.of else ())


def _error(source: str, path: str, given: Any, allowed: str) -> ScenarioError:
    return ScenarioError(source, path, f"given {shown(given)}, allowed {allowed}")


def _column(source: str, path: str, value: Any) -> str:
    if value not in COLUMNS:
        raise _error(source, path, value, "a column of timeseries.csv: " + ", ".join(COLUMNS))
    return value


def _day(source: str, path: str, value: Any, lo: int, hi: int, what: str) -> int:
    ok = not isinstance(value, bool) and (isinstance(value, int) or (isinstance(value, float) and value.is_integer()))
    if not ok or not lo <= value <= hi:
        raise _error(source, path, value, f"an integer from {lo} to {hi} ({what})")
    return int(value)


def parse_custom_metric(source: str, name: Any, spec: Any, horizon: int | None = None,
                        taken: Iterable[str] = ()) -> CustomMetric:
    """Check one entry of ``custom_metrics`` (``horizon``: the shortest run of any arm, in days;
    None skips the day checks) and return it; errors name ``custom_metrics.<name>.<field>``."""
    where = f"custom_metrics.{name}"
    if not isinstance(name, str) or not NAME_PATTERN.fullmatch(name):
        raise _error(source, where, name, "a name of lower-case letters, digits and '_', starting with a letter, "
                     "at most 60 characters")
    if name in set(taken) or name in RUN_COLUMNS:
        raise _error(source, where, name, "a name that no built-in metric or runs.csv column has")
    if not isinstance(spec, dict) or not spec:
        raise _error(source, where, spec, "a mapping such as {mean: active, from_day: 300, to_day: 365}")
    forms = [k for k in spec if k in FORMS]
    if len(forms) != 1:
        raise _error(source, where, spec, "exactly one of " + ", ".join(FORMS))
    form = forms[0]
    keys = {"last": ("last",), "at_day": ("at_day", "of"), "share": ("share", "of", "from_day", "to_day")}.get(
        form, (form, "from_day", "to_day"))
    for key in spec:
        if key not in keys:
            raise _error(source, f"{where}.{key}", key, f"for a '{form}' metric the fields " + ", ".join(keys))
    if "of" in keys and "of" not in spec:
        raise ScenarioError(source, f"{where}.of", "missing, allowed a column of timeseries.csv")
    last = horizon - 1 if horizon else 10**9
    if form == "at_day":
        day = _day(source, f"{where}.at_day", spec["at_day"], 0, last, "a day of every arm's run")
        return CustomMetric(name, form, _column(source, f"{where}.of", spec["of"]), from_day=day)
    column = _column(source, f"{where}.{form}", spec[form])
    if form == "last":
        return CustomMetric(name, form, column)
    of = _column(source, f"{where}.of", spec["of"]) if form == "share" else None
    start = _day(source, f"{where}.from_day", spec.get("from_day", 0), 0, last, "the window's first day")
    end = spec.get("to_day")
    if end is not None:
        end = _day(source, f"{where}.to_day", end, start + 1, last + 1,
                   "the day after the window's last, after from_day and at most the horizon of every arm")
    return CustomMetric(name, form, column, of, start, end)


def parse_custom_metrics(source: str, raw: Any, horizon: int | None = None,
                         taken: Iterable[str] = ()) -> list[CustomMetric]:
    """Every entry of an experiment's ``custom_metrics`` mapping (name -> form), checked."""
    if raw is None:
        return []
    if not isinstance(raw, dict):
        raise _error(source, "custom_metrics", raw, "a mapping of name to form, e.g. "
                     "{late_activity: {mean: active, from_day: 300, to_day: 365}}")
    taken = tuple(taken)
    return [parse_custom_metric(source, name, spec, horizon, taken) for name, spec in raw.items()]


def add_custom_values(summary: dict, ts: dict[str, np.ndarray], metrics: list[CustomMetric], where: str) -> dict:
    """``summary`` with every custom metric's value of the run whose timeseries is ``ts`` added;
    a column the file lacks is a ``ValueError`` naming ``where``."""
    out = dict(summary)
    for m in metrics:
        missing = [c for c in m.columns() if c not in ts]
        if missing:
            raise ValueError(f"{where}: no column {missing[0]!r} for custom metric {m.name!r}")
        out[m.name] = m.value(ts)
    return out
