"""The comparison outputs of result folders: runs.csv, curves.csv, comparison.csv, the figures
and report.html, a single self-contained page (figures embedded) a workshop audience can read.

``build_outputs`` makes every file as bytes from the result files alone, so ``community-sim
compare`` regenerates them without rerunning anything, and the same inputs give the same bytes.
"""

from __future__ import annotations

import base64
import html
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import compare_plots as cp
from .output import (check_target, command_line, dump_json, sha256_bytes, table_csv, utc_now, utc_stamp,
                     versions, write_file_atomic, write_folder)
from .results import (COMPARISON_COLUMNS, PARTICIPATION, ComparisonRow, ResultSet, aggregate_runs, comparison_rows, comparison_table,
                      curves_table, is_experiment_folder, load_results, metric_values, runs_table, survival_curves,
                      tenure_curves)

# metric -> (plain label, kind of number)
METRIC_INFO: dict[str, tuple[str, str]] = {
    "lifespan_days": ("median lifespan", "days"),
    "peak_active": ("peak daily active members", "count"),
    "peak_active_14d": ("peak active members (14-day mean)", "count"),
    "active_day365_14d": ("active members a day around day 365", "count"),
    "final_active_14d": ("active members a day at the horizon", "count"),
    "mean_active": ("mean daily active members", "count"),
    "lurker_share": ("lurker share", "share"),
    "occasional_share": ("occasional contributor share", "share"),
    "heavy_share": ("heavy contributor share", "share"),
    "total_revenue": ("total revenue", "yuan"),
    "total_operator_cost": ("operator cost", "yuan"),
    "final_members": ("members at the horizon", "count"),
    "ever_joined": ("members who ever joined", "count"),
    "ad_share": ("share of messages that are ads", "share"),
}
FIGURES = ("activity", "survival", "tenure", "tenure_by_role", "participation", "members_revenue")
FIGURE_CAPTIONS = {
    "activity": "Daily active members (members who posted that day, 14-day mean) per strategy. Lines: mean over "
                "replicates; bands: 95% interval of the mean.",
    "survival": "Community survival: the share of replicate groups still alive on each day (Kaplan-Meier, "
                "censored at the horizon). A group is dead once its 14-day mean activity stays under "
                "max(2, 5% of its peak) for 30 days, or it has no members.",
    "tenure": "Member tenure: the share of members still in the group after so many days of membership "
              "(Kaplan-Meier over every member who joined, pooled over replicates).",
    "tenure_by_role": "Member tenure by role, one panel per role.",
    "participation": "Participation inequality (90-9-1): members who never posted, occasional contributors, and "
                     "heavy contributors (at least one post per week of membership).",
    "members_revenue": "Members in the group and cumulative revenue per strategy, with 95% bands.",
}


def metric_label(metric: str, horizon: int | None = None) -> str:
    """What a metric means in words (day-365 activity says 'at the horizon' for short runs)."""
    if metric == "active_day365_14d" and horizon is not None and horizon < 365:
        return f"active members a day at the horizon (day {horizon})"
    return METRIC_INFO.get(metric, (metric.replace("_", " "), ""))[0]


def _kind(metric: str) -> str:
    if metric in METRIC_INFO:
        return METRIC_INFO[metric][1]
    if metric.endswith("_share"):
        return "share"
    if "revenue" in metric or "cost" in metric or "yuan" in metric:
        return "yuan"
    return "days" if metric.endswith("_days") else "number"


UNITS = {"share": "%", "yuan": "yuan", "days": "days"}


def fmt(value: float, metric: str, signed: bool = False, horizon: int | None = None, unit: bool = True) -> str:
    """A number as a person reads it: shares in %, money in yuan, days whole (``unit=False``
    leaves the unit to a table header)."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "n/a"
    if np.isinf(value):
        return f"beyond day {horizon}" if horizon else "beyond the horizon"
    kind = _kind(metric)
    sign = "+" if signed else ""
    if kind == "share":
        return f"{value * 100:{sign}.1f}" + ((" points" if signed else "%") if unit else "")
    if kind in ("yuan", "days"):
        return f"{value:{sign},.0f}" + (f" {UNITS[kind]}" if unit else "")
    return f"{value:{sign},.1f}"


def _interval(lo: float, hi: float, metric: str, signed: bool = False, horizon: int | None = None,
              unit: bool = True) -> str:
    if np.isnan(lo) or np.isnan(hi) or (np.isinf(lo) and np.isinf(hi)):
        return ""
    text = f"{fmt(lo, metric, signed, horizon, unit)} to {fmt(hi, metric, signed, horizon, unit)}"
    return f"95% CI {text}" if unit else f"({text})"


def _clear(row: ComparisonRow) -> int:
    """+1 / -1 where the difference's interval excludes zero, else 0."""
    if np.isnan(row.difference_low) or np.isnan(row.difference_high):
        return 0
    if row.difference_low > 0:
        return 1
    if row.difference_high < 0:
        return -1
    return 0


def arm_sentence(rs: ResultSet, arm: str, rows: list[ComparisonRow]) -> str:
    """A plain-language sentence: the arm's median lifespan (and ratio to the baseline), then
    the differences whose interval excludes zero, then the log-rank verdict."""
    mine = [r for r in rows if r.arm == arm]
    is_base = arm == rs.baseline
    parts = []
    life = next((r for r in mine if r.metric == "lifespan_days"), None)
    if life is not None:
        if np.isinf(life.value):
            text = f"most groups still alive at day {rs.days} (median lifespan beyond the horizon)"
        else:
            text = f"median lifespan {fmt(life.value, 'lifespan_days', horizon=rs.days)}"
            ci = _interval(life.value_low, life.value_high, "lifespan_days", horizon=rs.days)
            text += f" ({ci})" if ci else ""
        if not is_base and np.isfinite(life.ratio):
            text += f", {life.ratio:.1f}x the baseline"
        parts.append(text)
    if is_base:
        others = [r for r in mine if r.metric != "lifespan_days" and r.statistic == "mean"]
        parts.extend(f"{metric_label(r.metric, rs.days)} {fmt(r.value, r.metric)}" for r in others)
        return f"{arm} (baseline, {life.n if life else 0} runs): " + "; ".join(parts) + "."
    clear, unclear = [], []
    for r in mine:
        if r.statistic != "mean":
            continue
        d = _clear(r)
        if d:
            word = "higher" if d > 0 else "lower"
            clear.append(f"{metric_label(r.metric, rs.days)} {word}: {fmt(r.value, r.metric)} vs "
                         f"{fmt(r.baseline_value, r.metric)} "
                         f"(difference {fmt(r.difference, r.metric, True)}, "
                         f"{_interval(r.difference_low, r.difference_high, r.metric, True)})")
        else:
            unclear.append(metric_label(r.metric, rs.days))
    parts.extend(clear)
    if unclear:
        parts.append("no clear difference in " + ", ".join(unclear))
    test = next((r for r in mine if r.metric == "community_survival"), None)
    if test is not None and np.isfinite(test.p_value):
        verdict = "differ from" if test.p_value < 0.05 else "do not clearly differ from"
        parts.append(f"survival curves {verdict} the baseline's (log-rank p = {test.p_value:.3g})")
    n = life.n if life else 0
    return f"{arm} ({n} runs): " + "; ".join(parts) + "."


@dataclass
class Outputs:
    """The generated files (name -> bytes) and the plain-language sentences per arm."""

    files: dict[str, bytes]
    sentences: list[str]


def _nan_empty(v) -> bool:
    return isinstance(v, float) and np.isnan(v)


def participation_shares(rs: ResultSet) -> dict[str, dict[str, float]]:
    """arm -> mean lurker / occasional / heavy shares over its finished runs."""
    out = {}
    for arm in rs.arms:
        if arm.ok():
            out[arm.name] = {k: float(np.nanmean(metric_values(arm, k)[0])) for k in PARTICIPATION}
    return out


def build_outputs(source: ResultSet | Path | str | list, figures: bool = True) -> Outputs:
    """Every comparison file for a result set (or result folder(s)), as bytes; without
    ``figures``, only the tables (the figures and report can be made later by ``compare``)."""
    rs = source if isinstance(source, ResultSet) else load_results(
        [Path(p) for p in source] if isinstance(source, list) else [Path(source)])
    arms = [a.name for a in rs.arms]
    agg = aggregate_runs(rs)
    survival = survival_curves(rs)
    tenure = {a: tenure_curves(t) for a, t in agg.tenure.items()}
    rows = comparison_rows(rs)
    runs_cols, runs_empty = runs_table(rs)
    curves = curves_table(rs, agg)
    files: dict[str, bytes] = {
        "runs.csv": table_csv(runs_cols, runs_empty),
        "curves.csv": table_csv(curves, {c: _nan_empty for c in curves}),
        "comparison.csv": table_csv(comparison_table(rows), {c: _nan_empty for c in COMPARISON_COLUMNS}),
    }
    sentences = [arm_sentence(rs, a, rows) for a in arms if any(r.arm == a for r in rows)]
    if not figures:
        return Outputs(files, sentences)
    made = {
        "activity": cp.activity_figure(agg.curves, arms, rs.baseline, agg.runs_used),
        "survival": cp.survival_figure(survival, arms, rs.baseline, rs.days),
        "tenure": cp.tenure_figure(tenure, arms, rs.baseline),
        "tenure_by_role": cp.tenure_by_role_figure(tenure, arms, rs.baseline),
        "participation": cp.participation_figure(participation_shares(rs), arms, rs.baseline),
        "members_revenue": cp.members_revenue_figure(agg.curves, arms, rs.baseline),
    }
    for name in FIGURES:
        files[f"figures/{name}.png"] = cp.png_bytes(made[name])
    files["report.html"] = report_html(rs, rows, sentences, files).encode()
    return Outputs(files, sentences)


def write_outputs(folder: Path, files: dict[str, bytes]) -> None:
    """Write (or replace) the generated files in a result folder, each atomically."""
    for name, data in files.items():
        write_file_atomic(Path(folder) / name, data)


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:18px;line-height:1.5;
color:#1a1a1a;max-width:1200px;margin:2em auto;padding:0 1em}
h1{font-size:2em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:2px solid #ddd}
table{border-collapse:collapse;margin:1em 0;font-size:.9em}th,td{border:1px solid #ccc;padding:.35em .6em;
text-align:left;vertical-align:top}th{background:#f2f2f2}td.num{text-align:right;white-space:nowrap}
.sub{color:#555}.ci{color:#555;font-size:.85em}code{background:#f4f4f4;padding:0 .2em}
figure{margin:1.5em 0}figure img{max-width:100%;border:1px solid #eee}figcaption{color:#444}
li{margin:.4em 0}.bad{color:#b00}.wide{overflow-x:auto}
"""


def _e(x) -> str:
    return html.escape(str(x))


def _overrides_text(overrides: dict) -> str:
    if not overrides:
        return "<span class='sub'>(base scenario as is)</span>"
    return "<br>".join(f"<code>{_e(k)}: {_e(json.dumps(v))}</code>" for k, v in overrides.items())


def _cell(r: ComparisonRow, is_base: bool, horizon: int) -> str:
    """A table cell: the arm's value and interval, then the difference to the baseline."""
    m = r.metric
    txt = (f"<b>{_e(fmt(r.value, m, horizon=horizon, unit=False))}</b><br>"
           f"<span class='ci'>{_e(_interval(r.value_low, r.value_high, m, horizon=horizon, unit=False))}</span>")
    if is_base:
        return txt
    if not (np.isfinite(r.value) and np.isfinite(r.baseline_value)) and m == "lifespan_days":
        return txt + "<br><span class='ci'>difference: not measurable within the horizon</span>"
    return (txt + f"<br>&Delta; {_e(fmt(r.difference, m, True, unit=False))}<br><span class='ci'>"
            f"{_e(_interval(r.difference_low, r.difference_high, m, True, unit=False))}</span>")


def _table_html(rs: ResultSet, rows: list[ComparisonRow]) -> str:
    """Strategies as rows, metrics as columns (units in the header); &Delta; = paired difference
    to the baseline with its 95% bootstrap interval."""
    def header(m: str) -> str:
        unit = UNITS.get(_kind(m))
        unit = "% points for &Delta;" if unit == "%" else unit
        return f"<th>{_e(metric_label(m, rs.days))}{f' <span class=sub>({unit})</span>' if unit else ''}</th>"

    body = []
    for arm in rs.arms:
        mine = {r.metric: r for r in rows if r.arm == arm.name}
        if not mine:
            continue
        is_base = arm.name == rs.baseline
        cells = "".join(f"<td class='num'>{_cell(mine[m], is_base, rs.days)}</td>" if m in mine else "<td></td>"
                        for m in rs.metrics)
        test = mine.get("community_survival")
        p = "" if test is None else f"p = {test.p_value:.3g}" if np.isfinite(test.p_value) else "no deaths to compare"
        label = f"{arm.name} (baseline)" if is_base else arm.name
        body.append(f"<tr><th>{_e(label)}<br><span class='sub'>{len(arm.ok())} runs</span></th>{cells}"
                    f"<td class='num'>{_e(p)}</td></tr>")
    return (f"<div class='wide'><table><tr><th>strategy</th>{''.join(header(m) for m in rs.metrics)}"
            f"<th>survival vs baseline <span class=sub>(log-rank)</span></th></tr>{''.join(body)}</table></div>")


def report_html(rs: ResultSet, rows: list[ComparisonRow], sentences: list[str], files: dict[str, bytes]) -> str:
    """One self-contained page: what was compared, the findings in words, the figures (embedded
    PNG), the comparison table, and any runs that failed."""
    arms_rows = "".join(
        f"<tr><th>{_e(a.name)}{' (baseline)' if a.name == rs.baseline else ''}"
        f"{f'<br><span class=sub>{_e(a.description)}</span>' if a.description else ''}</th><td>{_overrides_text(a.overrides)}</td>"
        f"<td class='num'>{len(a.ok())} of {len(a.runs)}</td></tr>" for a in rs.arms)
    figs = "".join(
        f"<figure><img alt='{_e(name)}' src='data:image/png;base64,{base64.b64encode(files[f'figures/{name}.png']).decode()}'>"
        f"<figcaption>{_e(FIGURE_CAPTIONS[name])}</figcaption></figure>" for name in FIGURES)
    problems = [r for r in rs.runs() if r.status != "ok"]
    problem_html = ""
    if problems:
        items = "".join(
            f"<li><code>{_e(r.run_id)}</code> ({_e(r.arm)}, replicate {r.replicate}): {_e(r.status)}"
            + (f", traceback in <code>{_e(r.error_file.name)}</code>" if r.error_file else "") + "</li>"
            for r in problems)
        problem_html = (f"<h2 class='bad'>Runs not included ({len(problems)})</h2><p>These runs failed or are missing; "
                        f"the figures and tables use the others. Rerun them with <code>--resume</code>.</p><ul>{items}</ul>")
    findings = "".join(f"<li>{_e(s)}</li>" for s in sentences)
    # Folder names only for several sources: a report's bytes must not depend on where it lives.
    sources = f" from {', '.join(_e(p.name) for p in rs.sources)}" if len(rs.sources) > 1 else ""
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{_e(rs.title)}: strategy comparison</title>
<style>{CSS}</style></head><body>
<h1>{_e(rs.title)}</h1>
<p class="sub">{_e(rs.description)}</p>
<h2>What was compared</h2>
<p>The same community (<b>{_e(rs.base)}</b>) under {len(rs.arms)} strategies, {rs.replicates} replicate runs each,
{rs.days} days per run (master seed {rs.seed}). Replicate <i>i</i> of every strategy uses the same random seed,
so each difference is measured on paired runs that share their luck.</p>
<table><tr><th>strategy</th><th>what changes from the base scenario</th><th>runs finished</th></tr>{arms_rows}</table>
<h2>Findings</h2>
<ul>{findings}</ul>
<p class="sub">Intervals are 95%: of the median (Kaplan-Meier) for lifespan, of the mean otherwise; differences to
the baseline are paired bootstrap intervals. A difference is called clear when its interval excludes zero.</p>
<h2>Figures</h2>
{figs}
<h2>Comparison table</h2>
{_table_html(rs, rows)}
{problem_html}
<p class="sub">Made by community-sim{sources}. Tables: runs.csv, curves.csv, comparison.csv.
Regenerate with <code>community-sim compare</code>.</p>
</body></html>
"""


# --------------------------------------------------------------------------------------------
# community-sim compare
# --------------------------------------------------------------------------------------------


def compare(paths: list[str | Path], out: str | Path | None = None, force: bool = False,
            results_root: str | Path = "results") -> tuple[Path, Outputs]:
    """Regenerate tables, figures and report from finished result folders. One experiment
    folder without ``out`` is regenerated in place; otherwise the outputs go to ``out``
    (default ``results/comparisons/<UTC timestamp>/``), which must not exist unless ``force``."""
    paths = [Path(p) for p in paths]
    for p in paths:
        if not p.is_dir():
            raise FileNotFoundError(f"{p}: no such result folder")
    rs = load_results(paths)
    in_place = out is None and len(paths) == 1 and is_experiment_folder(paths[0])
    target = paths[0] if in_place else Path(out) if out is not None else Path(results_root) / "comparisons" / utc_stamp()
    if not in_place:
        check_target(target, force)
    built = build_outputs(rs)
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
        write_folder(target, {**built.files, "manifest.json": dump_json(manifest)}, force=force)
    return target, built

