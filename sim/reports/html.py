"""report.html: one self-contained page (figures embedded as PNG) saying what was compared,
the findings in words, the figures with captions, the comparison table and any failed runs."""

from __future__ import annotations

import base64
import html
import json

import numpy as np

from ..plural import count
from ..results.comparison import ComparisonRow
from ..results.folders import ResultSet
from .words import UNITS, fmt, interval_text, metric_kind, metric_label

FIGURES = ("activity", "survival", "tenure", "tenure_by_role", "participation", "members_revenue")
FIGURE_CAPTIONS = {
    "activity": "Daily active members (members who posted that day, 14-day mean) per strategy. Lines: mean over "
                "replicates; bands: 95% interval of the mean.",
    "survival": "Community survival: the share of replicate groups still alive on each day (Kaplan-Meier, "
                "censored at the horizon). A group is dead once its 14-day mean activity stays under "
                "max(0.5, 5% of its highest 90-day mean so far) for 30 days, or it has no members.",
    "tenure": "Member tenure: the share of members still in the group after so many days of membership "
              "(Kaplan-Meier over every member who joined, pooled over replicates).",
    "tenure_by_role": "Member tenure by role, one panel per role.",
    "participation": "Participation inequality (90-9-1): members who never posted, occasional contributors, and "
                     "heavy contributors (at least one post per week of membership).",
    "members_revenue": "Members in the group and cumulative revenue per strategy, with 95% bands.",
}


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
           f"<span class='ci'>{_e(interval_text(r.value_low, r.value_high, m, horizon=horizon, unit=False))}</span>")
    if is_base:
        return txt
    if not (np.isfinite(r.value) and np.isfinite(r.baseline_value)) and m == "lifespan_days":
        return txt + "<br><span class='ci'>difference: not measurable within the horizon</span>"
    return (txt + f"<br>&Delta; {_e(fmt(r.difference, m, True, unit=False))}<br><span class='ci'>"
            f"{_e(interval_text(r.difference_low, r.difference_high, m, True, unit=False))}</span>")


def _table_html(rs: ResultSet, rows: list[ComparisonRow]) -> str:
    """Strategies as rows, metrics as columns (units in the header); &Delta; = paired difference
    to the baseline with its 95% bootstrap interval."""
    def header(m: str) -> str:
        unit = UNITS.get(metric_kind(m))
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
        body.append(f"<tr><th>{_e(label)}<br><span class='sub'>{count(len(arm.ok()), 'run')}</span></th>{cells}"
                    f"<td class='num'>{_e(p)}</td></tr>")
    return (f"<div class='wide'><table><tr><th>strategy</th>{''.join(header(m) for m in rs.metrics)}"
            f"<th>survival vs baseline <span class=sub>(log-rank)</span></th></tr>{''.join(body)}</table></div>")


def _compared(rs: ResultSet, flagged: bool) -> str:
    """What was compared, saying 'the same community' and 'paired' only where it is so."""
    seeds = {tuple(r.seed for r in a.runs) for a in rs.arms}
    text = (f"{'The same community' if not flagged else 'Communities'} (<b>{_e(rs.base)}</b>) under "
            f"{count(len(rs.arms), 'strategy', 'strategies')}, {count(rs.replicates, 'replicate run')} each, "
            f"{count(rs.days, 'day')} per run")
    if len(seeds) == 1:
        return (text + f" (master seed {rs.seed}). Replicate <i>i</i> of every strategy uses the same random seed, so "
                "each difference is measured on paired runs that share their luck.")
    return text + ". The strategies' runs do not share their seeds: differences are measured unpaired."


GRID_CAPTION = ("Each metric against the swept value: every number is the setting's row of comparison.csv (mean over "
                "replicates, or the Kaplan-Meier median for lifespan) with its 95% interval; the baseline is marked.")


def _grid_html(files: dict[str, bytes], titles: dict[str, str]) -> str:
    """A grid experiment's figures (figures/grid_<metric>.png), embedded and linked; empty otherwise."""
    names = [n[len("figures/"):-len(".png")] for n in files if n.startswith("figures/grid_") and n.endswith(".png")]
    if not names:
        return ""
    return "<h3>Against the swept value</h3>" + "".join(
        f"<figure><img alt='{_e(n)}' src='data:image/png;base64,{base64.b64encode(files[f'figures/{n}.png']).decode()}'>"
        f"<figcaption>{f'<b>{_e(titles[n])}</b>. ' if n in titles else ''}{_e(GRID_CAPTION)} "
        f"File: <a href='figures/{_e(n)}.png'>figures/{_e(n)}.png</a>.</figcaption></figure>" for n in names)


def report_html(rs: ResultSet, rows: list[ComparisonRow], sentences: list[str], files: dict[str, bytes],
                notes: list[str] = (), titles: dict[str, str] | None = None) -> str:
    """One self-contained page: what was compared (and what may mislead: ``notes``), the
    findings in words, the figures (embedded PNG) with their titles, the comparison table, and
    any runs that failed."""
    titles = titles or {}
    arms_rows = "".join(
        f"<tr><th>{_e(a.name)}{' (baseline)' if a.name == rs.baseline else ''}"
        f"{f'<br><span class=sub>{_e(a.description)}</span>' if a.description else ''}</th><td>{_overrides_text(a.overrides)}</td>"
        f"<td class='num'>{len(a.ok())} of {len(a.runs)}</td></tr>" for a in rs.arms)
    figs = "".join(
        f"<figure><img alt='{_e(name)}' src='data:image/png;base64,{base64.b64encode(files[f'figures/{name}.png']).decode()}'>"
        f"<figcaption>{f'<b>{_e(titles[name])}</b>. ' if name in titles else ''}{_e(FIGURE_CAPTIONS[name])}"
        f"</figcaption></figure>" for name in FIGURES) + _grid_html(files, titles)
    notes_html = "".join(f"<p class='bad'>{_e(n)}</p>" for n in notes)
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
<p>{_compared(rs, any(n.startswith('The runs start from different') for n in notes))}</p>
{notes_html}
<table><tr><th>strategy</th><th>what changes from the base scenario</th><th>runs finished</th></tr>{arms_rows}</table>
<h2>Findings</h2>
<ul>{findings}</ul>
<p class="sub">Intervals are 95%: of the median (Kaplan-Meier) for lifespan, of the mean otherwise; differences to
the baseline are paired bootstrap intervals; intervals of counts, money and shares are cut at zero (and shares at
100%), the values they cannot pass. A difference is called clear when its interval excludes zero (survival: log-rank
p &lt; 0.05); otherwise the findings and titles say there is no clear difference, or, where an arm has too few runs
for an interval, that the difference could not be tested. Titles read each metric over the whole
run (a mean or total over every day), never one day; their numbers are rows of comparison.csv and tenure.csv.</p>
<h2>Figures</h2>
{figs}
<h2>Comparison table</h2>
{_table_html(rs, rows)}
{problem_html}
<p class="sub">Made by community-sim{sources}. Tables: runs.csv, curves.csv, comparison.csv, tenure.csv.
Regenerate with <code>community-sim compare</code>.</p>
</body></html>
"""
