"""The CSV writer formats column by column (fast) exactly as the cell-by-cell rule ``_fmt``; the
reader gives the columns asked for as a full read does."""

from __future__ import annotations

import csv
import io

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from sim.run.files import _fmt, read_csv, table_csv


def _by_cell(columns: dict, empty_if: dict) -> bytes:
    names = list(columns)
    cols = [np.asarray(columns[c]).tolist() for c in names]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(names)
    for row in zip(*cols):
        w.writerow("" if empty_if.get(n) and empty_if[n](v) else _fmt(v) for n, v in zip(names, row))
    return buf.getvalue().encode()


floats = hnp.arrays(np.float64, st.integers(0, 30), elements=st.floats(allow_nan=True, allow_infinity=True, width=64)
                    | st.sampled_from([0.0, -0.0, 1e15, -1e15, 1e16, 2.5, 1 / 3, 123456789.123456789]))


@settings(max_examples=60, deadline=None)
@given(floats, st.data())
def test_column_wise_cells_are_the_cell_by_cell_ones(f, data):
    n = len(f)
    cols = {"f": f,
            "i": data.draw(hnp.arrays(np.int64, n, elements=st.integers(-2**62, 2**62))),
            "b": data.draw(hnp.arrays(np.bool_, n)),
            "s": np.array(data.draw(st.lists(st.text(max_size=5), min_size=n, max_size=n)), dtype=object),
            "left": data.draw(hnp.arrays(np.int64, n, elements=st.integers(-1, 5)))}
    empty = {"left": lambda v: v == -1}
    assert table_csv(cols, empty) == _by_cell(cols, empty)


def test_reading_some_columns_gives_those_columns_as_a_full_read_does(tmp_path):
    cols = {"day": np.arange(4), "role": np.array(["creator", "", "manager", "x,y"], dtype=object),
            "leave_day": np.array([3.0, np.nan, 1 / 3, 2.0]), "revenue": np.array([0.1, 2.5, 0.0, 1e-05])}
    path = tmp_path / "t.csv"
    path.write_bytes(table_csv(cols, {"leave_day": lambda v: v != v}))
    full = read_csv(path)
    part = read_csv(path, ("role", "leave_day", "missing"))
    assert list(part) == ["role", "leave_day"]
    for name, values in part.items():
        assert values.dtype == full[name].dtype
        assert np.array_equal(values, full[name], equal_nan=values.dtype.kind == "f")
