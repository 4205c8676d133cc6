"""The comparison outputs of result folders (runs.csv, curves.csv, comparison.csv, tenure.csv,
figures, report.html), made as bytes from the result files alone, and ``community-sim compare``,
which regenerates them without rerunning anything: the same inputs give the same bytes. Runs
that cannot be compared (different horizons, one seed twice in an arm) are refused before
anything is made; what may mislead (different communities, single runs) is noted in the report
and the printed output."""

from __future__ import annotations

import dataclasses
import json
from concurrent.futures import Executor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Callable

import numpy as np

from ..results.aggregate import (Aggregates, aggregate_runs, curves_table, metric_values, read_runs, runs_table,
                                 survival_curves, tenure_curves, tenure_medians, tenure_table)
from ..results.comparable import check_comparable
from ..results.comparison import COMPARISON_COLUMNS, ComparisonRow, comparison_rows, comparison_table
from ..results.folders import PARTICIPATION, ResultSet, is_experiment_folder, load_results
from ..run.files import (check_target, command_line, dump_json, sha256_bytes, table_csv, utc_now, utc_stamp,
                         versions, write_file_atomic, write_folder)
from . import figures as cp
from . import titles
from .grid import grid_drawings
from .html import FIGURES, report_html
from .words import arm_sentence


@dataclass
class Outputs:
    """The generated files (name -> bytes) and the plain-language sentences per arm."""

    files: dict[str, bytes]
    sentences: list[str]
    notes: list[str] = dataclasses.field(default_factory=list)
    titles: dict[str, str] = dataclasses.field(default_factory=dict)


def _nan_empty(v) -> bool:
    return isinstance(v, float) and np.isnan(v)


def participation_shares(rs: ResultSet) -> dict[str, dict[str, float]]:
    """arm -> mean lurker / occasional / heavy shares over its finished runs."""
    out = {}
    for arm in rs.arms:
        if arm.ok():
            out[arm.name] = {k: float(np.nanmean(metric_values(arm, k)[0])) for k in PARTICIPATION}
    return out


def draw_png(drawing: tuple) -> bytes:
    """One figure as PNG bytes: ``drawing`` is (a figure function of ``sim.reports.figures`` or
    ``.grid``, its arguments...). A plain top-level function of picklable data, so worker
    processes can draw the figures at the same time; the bytes are the same wherever they are drawn."""
    maker, *args = drawing
    return cp.png_bytes(maker(*args))


def _drawer(pool: Executor | None) -> Callable[[tuple], Callable[[], bytes]]:
    """drawing -> a call giving its PNG bytes: ``pool`` starts drawing it now (beside whatever
    is computed meanwhile); without a pool it is drawn here when the bytes are asked for."""
    if pool is None:
        return lambda drawing: partial(draw_png, drawing)
    return lambda drawing: pool.submit(draw_png, drawing).result


def build_outputs(source: ResultSet | Path | str | list, figures: bool = True, pool: Executor | None = None) -> Outputs:
    """Every comparison file for a result set (or result folder(s)), as bytes; without
    ``figures``, only the tables (the figures and report can be made later by ``compare``).
    With ``pool`` (an executor, e.g. the experiment's worker processes) the runs' files are read
    and the figures drawn in parallel, each figure as soon as its data is ready, while this
    process bootstraps the comparison and writes the tables; the bytes are the same as without."""
    rs = source if isinstance(source, ResultSet) else load_results(
        [Path(p) for p in source] if isinstance(source, list) else [Path(source)])
    reductions = read_runs(rs, pool) if pool is not None else None  # workers read while the parent checks
    notes = check_comparable(rs)
    arms = [a.name for a in rs.arms]
    agg = aggregate_runs(rs, reductions)
    tenure = {a: tenure_curves(t) for a, t in agg.tenure.items()}
    draw = _drawer(pool)
    pngs: dict[str, Callable[[], bytes]] = {}
    said: dict[str, str] = {}
    if figures:  # the slowest figure (a panel per role) first: it needs the runs' files alone
        said = _tenure_titles(rs, tenure)
        pngs["tenure_by_role"] = draw((cp.tenure_by_role_figure, tenure, arms, rs.baseline, said["tenure_by_role"]))
        pngs["tenure"] = draw((cp.tenure_figure, tenure, arms, rs.baseline, said["tenure"]))
    rows = comparison_rows(rs)  # the bootstraps, while those figures are drawn
    grid = grid_drawings(rs, rows) if figures else {}  # a grid: each metric against the swept value
    if figures:
        survival, money = survival_curves(rs), _money(rows)
        said.update(_summary_titles(rs, rows, survival, money))
        pngs["activity"] = draw((cp.activity_figure, agg.curves, arms, rs.baseline, agg.runs_used, said["activity"]))
        pngs["survival"] = draw((cp.survival_figure, survival, arms, rs.baseline, rs.days, said["survival"]))
        pngs["participation"] = draw((cp.participation_figure, participation_shares(rs), arms, rs.baseline,
                                      said["participation"]))
        pngs["members_revenue"] = draw((cp.members_revenue_figure, agg.curves, arms, rs.baseline,
                                        said["members_revenue"], money, agg.runs_used))
        pngs.update({name: draw(drawing) for name, (drawing, _) in grid.items()})
    files = _tables(rs, agg, tenure, rows)
    sentences = [arm_sentence(rs, a, rows) for a in arms if any(r.arm == a for r in rows)]
    if not figures:
        return Outputs(files, sentences, notes)
    said = {**{name: said[name] for name in FIGURES}, **{name: title for name, (_, title) in grid.items()}}
    files.update({f"figures/{name}.png": pngs[name]() for name in [*FIGURES, *grid]})
    files["report.html"] = report_html(rs, rows, sentences, files, notes, said).encode()
    return Outputs(files, sentences, notes, said)


def _money(rows: list[ComparisonRow]) -> bool:
    """Whether any strategy sold anything or charged a fee (else the figures leave revenue out)."""
    return any(r.metric == "total_revenue" and r.value > 0 for r in rows)


def _summary_titles(rs: ResultSet, rows: list[ComparisonRow], survival: dict, money: bool) -> dict[str, str]:
    """The titles worded from the comparison rows alone (no run file needs reading for them)."""
    return {"activity": titles.activity_title(rows, rs.baseline, rs.days),
            "survival": titles.survival_title(rows, survival, rs.baseline, rs.days),
            "participation": titles.participation_title(rows, rs.baseline),
            "members_revenue": titles.members_revenue_title(rows, rs.baseline, rs.days, money)}


def _tenure_titles(rs: ResultSet, tenure: dict[str, dict[str, np.ndarray]]) -> dict[str, str]:
    """The titles of the two tenure figures, from the Kaplan-Meier medians."""
    medians = {a: tenure_medians(c) for a, c in tenure.items()}
    base_roles = {r: m for r, m in medians.get(rs.baseline, {}).items() if r != "all"}
    return {"tenure": titles.tenure_title({a: m["all"] for a, m in medians.items() if "all" in m}, rs.baseline,
                                          rs.days),
            "tenure_by_role": titles.tenure_by_role_title(base_roles, rs.baseline, rs.days)}


def _tables(rs: ResultSet, agg: Aggregates, tenure: dict[str, dict[str, np.ndarray]],
            rows: list[ComparisonRow]) -> dict[str, bytes]:
    """runs.csv, curves.csv, comparison.csv and tenure.csv as bytes."""
    runs_cols, runs_empty = runs_table(rs)
    curves = curves_table(rs, agg)
    tenure_cols = tenure_table(agg.tenure, tenure)
    return {
        "runs.csv": table_csv(runs_cols, runs_empty),
        "curves.csv": table_csv(curves, {c: _nan_empty for c in curves}),
        "comparison.csv": table_csv(comparison_table(rows), {c: _nan_empty for c in COMPARISON_COLUMNS}),
        "tenure.csv": table_csv(tenure_cols, {c: _nan_empty for c in tenure_cols}),
    }


def write_outputs(folder: Path, files: dict[str, bytes]) -> None:
    """Write (or replace) the generated files in a result folder, each atomically."""
    for name, data in files.items():
        write_file_atomic(Path(folder) / name, data)


def compare(paths: list[str | Path], out: str | Path | None = None, force: bool = False,
            results_root: str | Path = "results", pool: Executor | None = None) -> tuple[Path, Outputs]:
    """Regenerate tables, figures and report from finished result folders. One experiment
    folder without ``out`` is regenerated in place; otherwise the outputs go to ``out``
    (default ``results/comparisons/<UTC timestamp>/``), which must not exist unless ``force``.
    With ``pool`` the runs are read and the figures drawn in its workers (the same bytes)."""
    paths = [Path(p) for p in paths]
    for p in paths:
        if not p.is_dir():
            raise FileNotFoundError(f"{p}: no such result folder")
    rs = load_results(paths)
    if not any(r.status == "ok" for r in rs.runs()):
        raise ValueError(f"{', '.join(map(str, paths))}: no finished runs to compare (runs missing or damaged); "
                         "nothing was written")
    in_place = out is None and len(paths) == 1 and is_experiment_folder(paths[0])
    target = paths[0] if in_place else Path(out) if out is not None else Path(results_root) / "comparisons" / utc_stamp()
    if not in_place:
        check_target(target, force, "comparison")
    built = build_outputs(rs, pool=pool)
    hashes = {name: sha256_bytes(data) for name, data in built.files.items()}
    if in_place:
        write_outputs(target, built.files)
        mpath = target / "manifest.json"
        manifest = json.loads(mpath.read_text(encoding="utf-8")) if mpath.is_file() else {}
        manifest["outputs"] = hashes
        manifest.setdefault("regenerated", []).append({"utc": utc_now(), "command": command_line()})
        write_file_atomic(mpath, dump_json(manifest))
    else:
        manifest = {"kind": "comparison", "sources": [str(p) for p in paths], "command": command_line(),
                    "created_utc": utc_now(), "versions": versions(), "outputs": hashes}
        write_folder(target, {**built.files, "manifest.json": dump_json(manifest)}, force=force, kind="comparison")
    return target, built
