"""An exploration's files: ``samples.csv`` (each point's factor values and metric means),
``sensitivity.csv`` (every index with its 95% interval and rank), one ranked bar chart per
metric, and ``explore.html``, which says in plain sentences which levers and which assumptions
matter most for each metric."""

from __future__ import annotations

import base64
import html

import numpy as np

from ..plural import count
from ..reports.html import CSS
from ..reports.words import fmt
from ..run.files import dump_yaml, table_csv
from .analysis import MAIN_INDEX, IndexRow, PointMeans, abs_interval, order_is_clear
from .figures import axis_label, metric_words, sensitivity_figure
from .spec import Exploration, Factor, is_lever

INDEX_WORDS = {"mu_star": "mu*", "mu": "mu (signed; a choice: moving later in the list)", "sigma": "sigma", "ST": "total-order index ST", "S1": "first-order index S1",
               "SRRC": "standardised rank regression coefficient SRRC"}
MINOR_SHARE = 0.05  # without a measured noise floor, "small" and "hardly mattering" are under 5% of the first factor's index
METHOD_WORDS = {
    "morris": "Morris screening: each trajectory moves one factor at a time across a 4-level grid; each move's change "
              "in the metric is divided by how far the factor really moved as a share of its range (a choice's "
              "switch counts as the whole range), so mu* is the mean absolute change in the metric when a factor "
              "moves across its range, sigma its spread (interactions or curvature)",
    "sobol": "Sobol' indices (Saltelli's design): the share of the metric's variance due to each factor alone (S1) "
             "and with all its interactions (ST)",
    "lhs": "a Latin hypercube sample, analysed by regressing the metric's ranks on the factors' ranks: each "
           "standardised coefficient (SRRC, -1 to 1) says how strongly, and in which direction, a factor moves the "
           "metric (a true/false or two-value choice counts as 0 and 1 in the order listed)",
}


def _nan_empty(v) -> bool:
    return isinstance(v, float) and np.isnan(v)


def samples_csv(study: Exploration, means: dict[str, np.ndarray], runs: np.ndarray) -> bytes:
    """One row per sample point: its name, the factors' values, finished runs, metric means."""
    cols: dict[str, np.ndarray] = {"sample": np.array([a.name for a in study.experiment.arms], dtype=object)}
    for f in study.factors:
        cols[f.path] = np.array([a.overrides[f.path] for a in study.experiment.arms], dtype=object)
    cols["runs"] = runs
    cols.update({f"mean_{m}": v for m, v in means.items()})
    return table_csv(cols, {f"mean_{m}": _nan_empty for m in means})


def sensitivity_csv(rows: list[IndexRow]) -> bytes:
    """Every index: metric, factor, lever or assumption, index, value, 95% interval, rank."""
    names = ("metric", "factor", "role", "index", "value", "conf_low", "conf_high", "rank")
    cols = {n: np.array([getattr(r, n) for r in rows], dtype=object) for n in names}
    return table_csv(cols, {n: _nan_empty for n in ("conf_low", "conf_high")})


def _short_doc(f: Factor) -> str:
    doc = f.doc.split(";")[0].split(" (")[0].strip()
    return doc if len(doc) <= 70 else doc[:67] + "..."


def factor_words(f: Factor) -> str:
    """'the lever strategy.entry.level (entry threshold ...)' or 'the assumption ...'."""
    role = "lever" if is_lever(f) else "assumption"
    return f"the {role} {f.path}" + (f" ({_short_doc(f)})" if _short_doc(f) else "")


def _value_text(r: IndexRow, method: str, choice: bool = False) -> str:
    name = r.index.replace("mu_star", "mu*")
    if method == "morris":
        v, ci = fmt(r.value, r.metric), f"{fmt(r.conf_low, r.metric)} to {fmt(r.conf_high, r.metric)}"
    else:
        v, ci = f"{r.value:.2f}", f"{r.conf_low:.2f} to {r.conf_high:.2f}"
    higher = "values later in the list" if choice else "higher values"
    way = "" if r.index != "SRRC" else f": {higher} {'raise' if r.value > 0 else 'lower'} it"
    return f"{name} = {v}, 95% CI {ci}{way}"


def noise_floor(metric: str, points: PointMeans, study: Exploration) -> float:
    """The mu* that run-to-run noise alone could give: a full-range effect is a difference of two
    point means over a 2/3 move, about 2 standard errors of a point mean. NaN where the noise was
    not measured (under 2 replicates) or the method is not Morris."""
    se = points.noise.get(metric, np.nan)
    ok = study.method == "morris" and points.used.get(metric, 0) >= 2 and np.isfinite(se)
    return 2 * float(se) if ok else np.nan


def small_factors(main: list[IndexRow], floor: float = np.nan) -> tuple[list[str], list[str]]:
    """(hardly mattering, not distinguishable from noise) among the factors after the first,
    ``main`` ranked. A factor is small when its index is under ``floor`` (the noise floor) or
    under MINOR_SHARE of the first's; it may be called hardly mattering only when the upper end
    of its 95% interval is under the threshold too (the noise floor where measured, else
    MINOR_SHARE of the first's index); otherwise the sample cannot tell it from noise."""
    top = abs(main[0].value)
    threshold = floor if np.isfinite(floor) else MINOR_SHARE * top
    hardly, unclear = [], []
    for r in main[1:]:
        if abs(r.value) <= MINOR_SHARE * top or abs(r.value) < threshold:
            high = abs_interval(r)[1]
            (hardly if np.isfinite(high) and high < threshold else unclear).append(r.factor)
    return hardly, unclear


def _threshold_words(metric: str, floor: float) -> str:
    return (f"the noise floor of about {fmt(floor, metric)}" if np.isfinite(floor)
            else f"{MINOR_SHARE:.0%} of the first's")


def metric_sentence(metric: str, rows: list[IndexRow], study: Exploration, noise_floor: float = np.nan) -> str:
    """What matters most for one metric, in words: the first factor, and the second if the two's
    95% intervals do not overlap (else both, unranked: `order_is_clear`), with index and interval;
    the most important lever and assumption if not among them; and the small factors
    (`small_factors`: hardly mattering, or not distinguishable from noise)."""
    by = {f.path: f for f in study.factors}
    main = sorted((r for r in rows if r.metric == metric and r.index == MAIN_INDEX[study.method]), key=lambda r: r.rank)
    label = metric_words(metric)
    if not main or not abs(main[0].value) > 0:
        return f"For {label}, no factor made a difference over these ranges (the metric did not move)."

    def said(r: IndexRow, where: str = "") -> str:
        kind = by[r.factor].kind
        return f"{factor_words(by[r.factor])}{' ' + where if where else ''} ({_value_text(r, study.method, kind == 'choice')})"

    floor = noise_floor
    if np.isfinite(floor) and abs(main[0].value) < floor:
        return (f"For {label}, the largest index, {said(main[0])}, is under the noise floor of about "
                f"{fmt(floor, metric)}: no factor is distinguishable from noise at this sample size.")
    hardly, unclear = small_factors(main, floor)
    second = next((r for r in main[1:2] if r.factor not in hardly + unclear), None)
    if second is not None and not order_is_clear(main[0], second):
        text = (f"For {label}, {said(main[0])} and {said(second)} have the largest effects; their order is not "
                "clear at this sample size (their 95% intervals overlap, or one has none).")
    else:
        text = "; ".join([f"For {label}, {said(main[0], 'matters most')}"]
                         + ([said(second, "comes second")] if second is not None else [])) + "."
    for role in ("lever", "assumption"):
        first = next((r for r in main if r.role == role), None)
        if first is not None and first.rank > 2 and first.factor not in hardly + unclear:
            text += f" The {role} ranked highest is {first.factor} (rank {first.rank})."
    if hardly:
        text += (f" Hardly mattering (the whole 95% interval under {_threshold_words(metric, floor)}): "
                 f"{', '.join(hardly)}.")
    if unclear:
        text += (f" Small, but not distinguishable from noise at this sample size (the 95% interval reaches above "
                 f"{_threshold_words(metric, floor)}): {', '.join(unclear)}.")
    return text


def noise_sentence(metric: str, points: PointMeans, study: Exploration) -> str:
    """How much of the differences between points run-to-run noise alone could make: a point
    mean's standard error over its replicates (averaged over the points), its share of the
    variance between the points and, for Morris, the mu* that noise alone would give
    (`noise_floor`)."""
    label, k = metric_words(metric), points.used.get(metric, 0)
    se = points.noise.get(metric, np.nan)
    if k < 2 or not np.isfinite(se):
        return (f"Run-to-run noise in {label} was not measured ({count(k, 'replicate')} per point compared): "
                "rerun with --replicates 2 or more before trusting a small index.")
    spread = float(np.var(points.means[metric], ddof=1)) if len(points.means[metric]) > 1 else 0.0
    ratio = min(1.0, se ** 2 / spread) if spread > 0 else np.nan
    share = "" if np.isnan(ratio) else (f", {'under 1%' if ratio < 0.01 else f'about {ratio:.0%}'} of the variance "
                                        "between the points")
    text = (f"Run-to-run noise in {label}: a point's mean over its {count(k, 'replicate')} has a standard error "
            f"of about {fmt(se, metric)} (averaged over the points){share}.")
    if study.method == "morris":
        text += f" A mu* under about {fmt(noise_floor(metric, points, study), metric)} could come from noise alone."
    return text


def censored_sentence(metric: str, points: PointMeans, days: int) -> str:
    """For a metric cut off at the horizon (lifespan; '' for others): how many runs were alive at
    day ``days``, that their value counts as the horizon (a lower bound), so effects on it are
    understated."""
    alive, total = points.censored.get(metric, (0, 0))
    if not total:
        return ""
    label = metric_words(metric)
    if not alive:
        return f"None of the {total:,} runs was alive at day {days:,}: no {label} is cut off at the horizon."
    return (f"{label.capitalize()} is cut off at the horizon: {alive:,} of {total:,} runs were alive at day {days:,}, "
            f"and their {label} counts as {days:,} days, a lower bound; so effects on {label} are understated (a "
            "factor that lengthens life past the horizon shows no effect there).")


def _figure_html(metric: str, png: bytes, method: str) -> str:
    data = base64.b64encode(png).decode()
    caption = axis_label(method, metric).replace("\n", " ")
    return (f"<figure><img alt='sensitivity of {html.escape(metric)}' src='data:image/png;base64,{data}'>"
            f"<figcaption>{html.escape(caption)}. Whiskers: 95% intervals (bootstrap over the design).</figcaption>"
            f"</figure>")


def _table_html(rows: list[IndexRow]) -> str:
    head = "".join(f"<th>{h}</th>" for h in ("metric", "rank", "factor", "role", "index", "value", "95% interval"))
    body = "".join(
        f"<tr><td>{html.escape(r.metric)}</td><td class=num>{r.rank}</td><td><code>{html.escape(r.factor)}</code></td>"
        f"<td>{r.role}</td><td>{html.escape(INDEX_WORDS[r.index])}</td><td class=num>{r.value:.4g}</td>"
        f"<td class=num>{'' if np.isnan(r.conf_low) else f'{r.conf_low:.4g} to {r.conf_high:.4g}'}</td></tr>"
        for r in sorted(rows, key=lambda r: (r.metric, r.index, r.rank)))
    return f"<div class=wide><table><tr>{head}</tr>{body}</table></div>"


def explore_html(study: Exploration, sentences: list[str], notes: list[str], figures: dict[str, bytes],
                 rows: list[IndexRow], runs: np.ndarray) -> str:
    """One self-contained page: what was varied and how, the findings in words, the charts and
    the table of indices."""
    exp = study.experiment
    factors = "".join(
        f"<tr><td><code>{html.escape(f.path)}</code></td><td>{'lever' if is_lever(f) else 'assumption'}</td>"
        f"<td>{f.kind}</td><td>{html.escape(f.range_text())}</td><td>{html.escape(f.doc)}</td></tr>"
        for f in study.factors)
    findings = "".join(f"<li>{html.escape(s)}</li>" for s in sentences)
    note_html = "".join(f"<p class=bad>{html.escape(n)}</p>" for n in notes)
    figs = "".join(_figure_html(m, png, study.method) for m, png in figures.items())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(exp.name)}: what matters most</title>
<style>{CSS}</style></head><body>
<h1>{html.escape(exp.name)}: what matters most</h1>
<p class="sub">{html.escape(exp.description)}</p>
<h2>What was varied</h2>
<p>Base scenario {html.escape(exp.base.name)}, {exp.days:,} days; {html.escape(METHOD_WORDS[study.method])}.
{len(exp.arms):,} sample points x {exp.replicates:,} replicates = {len(exp.arms) * exp.replicates:,} runs
({int(runs.sum()):,} finished); every point runs on the same seeds (common random numbers), which makes the
differences between points depend less on luck, but not free of it: a factor changes which random draws matter, so
points still differ by some run-to-run noise (measured under the findings when there are 2 or more replicates).
Master seed {exp.seed}. Levers are the operator's choices
(<code>strategy.*</code>); assumptions are what the model takes as given about the community and how people behave
(<code>community.*</code>, <code>behaviour.*</code>).</p>
<table><tr><th>factor</th><th>role</th><th>kind</th><th>range</th><th>meaning</th></tr>{factors}</table>
<h2>Findings</h2>
<ul>{findings}</ul>
{note_html}
<h2>Figures</h2>
{figs}
<h2>Indices</h2>
{_table_html(rows)}
<p class="sub">Made by community-sim. Tables: samples.csv, sensitivity.csv; the runs: runs.csv, runs/.</p>
</body></html>
"""


def explore_files(study: Exploration, points: PointMeans, rows: list[IndexRow],
                  notes: list[str]) -> tuple[dict[str, bytes], list[str]]:
    """Every file of the exploration (name -> bytes) and the findings in words."""
    metrics = [m for m in points.means if any(r.metric == m for r in rows)]
    figures = {m: sensitivity_figure(m, rows, study.method) for m in metrics}
    sentences = [" ".join(filter(None, (metric_sentence(m, rows, study, noise_floor(m, points, study)),
                                        noise_sentence(m, points, study),
                                        censored_sentence(m, points, study.experiment.days)))) for m in metrics]
    files = {"explore.yaml": dump_yaml(study.to_dict()),
             "samples.csv": samples_csv(study, points.means, points.runs), "sensitivity.csv": sensitivity_csv(rows)}
    files.update({f"figures/sensitivity_{m}.png": png for m, png in figures.items()})
    files["explore.html"] = explore_html(study, sentences, notes, figures, rows, points.runs).encode()
    return files, sentences
