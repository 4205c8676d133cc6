"""The diagnosis's result folder: diagnosis.json (every measure, the reference ranges and the
findings), daily.csv, retention.csv, figures/*.png, a self-contained diagnosis.html (figures
embedded) and manifest.json (the input's sha256, the format, versions, timings). No author name
or id, nor the input's path, is written anywhere: the readers hash names, and only counts and
shares reach these files.
"""

from __future__ import annotations

import base64
import hashlib
import math
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..evidence import LogFormatError, detect_format, one_group, read_export
from ..evidence.formats import Export
from ..evidence.reference import STATISTICS
from ..evidence.statistics import AFTER_DAYS
from ..reports.html import CSS
from ..reports.html import _e as escape
from ..run.files import (
    check_target,
    dump_json,
    table_csv,
    utc_now,
    utc_stamp,
    versions,
    write_folder,
)
from .figures import CAPTIONS, FIGURES, diagnosis_figures
from .findings import EXTRA_REFERENCE, FEW, SHORT_DAYS, TOP_ONE_FEW, comparable, findings, reference_span, too_few
from .measures import diagnose_log, survival_at

DAILY_COLUMNS = ("date", "messages", "active_members", "new_members", "messages_14d_mean",
                 "active_members_14d_mean", "death_floor")


@dataclass(frozen=True)
class Diagnosis:
    """A written diagnosis: where, the sentences, and what was read."""

    folder: Path
    sentences: list[str]
    export: Export


def read_export_format(path: Path, fmt: str | None) -> str:
    """``fmt``, or the format told from the file (a missing file or unknown format: LogFormatError)."""
    if not path.exists():
        raise LogFormatError(f"{path}: no such file or folder")
    return fmt or detect_format(path)


def input_digest(path: Path) -> str:
    """sha256 of the input file, or of a folder's files (relative names and bytes, in name order)."""
    digest = hashlib.sha256()
    if path.is_dir():
        for f in sorted(p for p in path.rglob("*") if p.is_file()):
            digest.update(f.relative_to(path).as_posix().encode() + b"\0" + f.read_bytes())
    else:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def _plain(value):
    """JSON-safe: NaN and infinities become null, numpy scalars plain numbers."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (np.generic,)):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def _retention_summary(d: dict) -> dict:
    """The retention curve's figures for diagnosis.json: the share still posting 30, 90, 365 days on."""
    r = d["retention"]
    out = {k: r[k] for k in ("median_days", "n_members", "n_censored", "censor_days", "followed_days") if k in r}
    out.update({f"still_posting_{x}d_km": survival_at(r, x) for x in AFTER_DAYS})
    return out


def unmeasured(d: dict) -> dict[str, dict[str, str]]:
    """section -> measure -> why it is not measurable: the one source for diagnosis.json's nulls
    (each with a ``<measure>_reason``) and the page's "not measurable"."""
    days, out = d["activity"]["days"], {}
    if not d["newcomers"]["replies_recorded"]:
        out["newcomers"] = {k: "this log records no replies, threads or @mentions of members"
                            for k in ("answered_share", "return_answered", "return_unanswered")}
    followed = d["retention"].get("followed_days", math.inf)
    out["retention"] = {f"still_posting_{x}d_km": f"the Kaplan-Meier curve ends at day {followed:.0f} of a {days}-day "
                        f"log: no member was followed {x} days" for x in AFTER_DAYS if x > followed}
    for stat, section, _, count in TABLE:
        value = d[section].get(stat, float("nan"))
        if stat not in out.get(section, {}) and not math.isfinite(value):
            n = d[section].get(count, 0) if count else 0
            why = (f"no member's first message is {stat.split('_')[-1][:-1]} days or more before the log's end (the "
                   f"log covers {days} days)" if section == "still_posting" else f"no one to count (n = {n:.0f})")
            out.setdefault(section, {})[stat] = why
    return out


def diagnosis_json(d: dict, export: Export, sentences: list[str]) -> dict:
    """diagnosis.json's content: the measures (no daily or curve arrays: see the CSVs); where a
    measure is not measurable (`unmeasured`), null and a ``<measure>_reason``."""
    sections = {k: dict(d[k]) for k in ("activity", "alive", "participation", "newcomers", "still_posting")}
    sections["retention"] = _retention_summary(d)
    for section, reasons in unmeasured(d).items():
        for key, why in reasons.items():
            sections[section].update({key: None, f"{key}_reason": why})
    reference = {s: list(reference_span(s)) for s in (*STATISTICS, *EXTRA_REFERENCE)}
    return _plain({"source": {"format": export.format, "notes": list(export.notes)}, **sections,
                   "rhythm": d["rhythm"], "reference_ranges": reference, "findings": sentences})


# statistic, section, label, the count of people behind it (None: not a share of people)
TABLE = (("top1_share", "participation", "share of messages by the top 1% of members", "n_authors"),
         ("next9_share", "participation", "share of messages by the next 9%", "n_authors"),
         ("rest90_share", "participation", "share of messages by the other 90%", "n_authors"),
         ("one_message_share", "participation", "members who posted once", "n_authors"),
         ("gini", "participation", "Gini coefficient of messages per member", "n_authors"),
         ("answered_share", "newcomers", "newcomers answered within 7 days", "n_newcomers"),
         ("return_answered", "newcomers", "answered newcomers who came back within 180 days", "n_return_answered"),
         ("return_unanswered", "newcomers", "unanswered newcomers who came back within 180 days",
          "n_return_unanswered"),
         ("still_posting_30d", "still_posting", "members still posting 30 days after their first message",
          "n_eligible_30d"),
         ("still_posting_90d", "still_posting", "... 90 days after", "n_eligible_90d"),
         ("still_posting_365d", "still_posting", "... 365 days after", "n_eligible_365d"),
         ("messages_per_active_member_day", "activity", "messages per active member per day", None))
UNLIKE = ("participation", "newcomers")  # shares that a short log does not compare with the references'


def _caveat(d: dict, stat: str, section: str, n: float | None) -> str:
    """Why a table row should not be read against the references ('' if it can)."""
    if n is not None and n < FEW:
        return too_few(n)
    if stat == "top1_share" and n is not None and n < TOP_ONE_FEW:
        return f"one person (under {TOP_ONE_FEW} members): too few to compare"
    if section in UNLIKE and not comparable(d):
        return f"not like with like: the log covers {d['activity']['days']} days, the references years"
    return ""


def _table_html(d: dict) -> str:
    rows, missing = [], unmeasured(d)
    for stat, section, label, count in TABLE:
        why = missing.get(section, {}).get(stat)
        value = float("nan") if why else d[section].get(stat, float("nan"))
        n = d[section].get(count) if count else None
        lo, hi = reference_span(stat)
        digits = 1 if stat.startswith("messages_") else 2
        shown = "not measurable" if why else f"{value:.{digits}f}"
        caveat = why or _caveat(d, stat, section, n)
        style = " style='color:#888'" if caveat else ""
        rows.append(f"<tr{style}><td>{escape(label)}</td><td class='num'>{shown}</td>"
                    f"<td class='num'>{'' if n is None else f'{int(n):,}'}</td>"
                    f"<td class='num'>{lo:.{digits}f} to {hi:.{digits}f}</td><td>{escape(caveat)}</td></tr>")
    return ("<table><tr><th>measure</th><th>this group</th><th>n (people behind it)</th>"
            "<th>reference communities</th><th>caveat</th></tr>" + "".join(rows) + "</table>")


def diagnosis_html(d: dict, export: Export, sentences: list[str], figures: dict[str, bytes]) -> str:
    """One self-contained page: what was read, the findings, the figures, the table."""
    a = d["activity"]
    figs = "".join(f"<figure><img alt='{name}' src='data:image/png;base64,{base64.b64encode(figures[name]).decode()}'>"
                   f"<figcaption>{escape(CAPTIONS[name])}</figcaption></figure>" for name in FIGURES)
    notes = "".join(f"<li>{escape(n)}</li>" for n in export.notes)
    items = "".join(f"<li>{escape(s)}</li>" for s in sentences)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Diagnosis of a group's message log</title>
<style>{CSS}</style></head><body>
<h1>Your group, from its message log</h1>
<p class="sub">{a['messages']:,} messages by {a['members']:,} members, {escape(a['first_date'])} to
{escape(a['last_date'])} ({a['days']:,} days), read as a {escape(export.format)} export. Names were replaced by
pseudonyms on reading; none is in this report.</p>
<h2>Findings</h2>
<ul>{items}</ul>
<p class="sub">Reference communities: freeCodeCamp's Gitter chat rooms, the DSpace/Fedora developers' IRC channel and
the Beer, Wine &amp; Spirits Stack Exchange site. Their values are the published ones (shared/data/README.md); the
same code that measures this group reproduces them on the DSpace and Beer SE logs, while freeCodeCamp's are over
the 381 rooms published (pooled), not re-measured on the 202 rooms of the local file (whose top 1% sent 41%, not
50%). Over years of messages each; a log of under {SHORT_DAYS} days is not set against their shares. A newcomer is
a member at their first message; answered: someone replied to them, or posted in their thread, within 7 days
(newcomers of the log's last 7 days count, their week cut short, as in the references).</p>
<h2>What the export leaves out</h2>
<ul>{notes}</ul>
<h2>Figures</h2>
{figs}
<h2>Measures against the reference communities</h2>
{_table_html(d)}
<p class="sub">Made by community-sim diagnose. Tables: daily.csv, retention.csv; every number: diagnosis.json.</p>
</body></html>
"""


def read_group(path: Path, fmt: str, group: str | None) -> Export:
    """The export, narrowed to ``group`` (see `sim.evidence.one_group`: a many-group file needs one)."""
    export = read_export(path, fmt)
    log = one_group(path, export.log, group)
    if group is None:
        return export
    note = f"One group of the file's {len(export.log.group_names):,} is measured; day 0 is its first message's date."
    return Export(log, export.format, (*export.notes, note), export.local_time)


def diagnose(path: str | Path, fmt: str | None = None, out: str | Path | None = None, force: bool = False,
             results_root: str | Path = "results", group: str | None = None) -> Diagnosis:
    """Read ``path`` (format ``fmt``, detected when None), measure, and write the result folder
    (default ``results_root/diagnosis/<format>-<first 8 of the input's sha256>/<UTC stamp>``: not
    the file's name, which for WhatsApp is "WhatsApp Chat with NAME"). ``group``: the group (room,
channel) to measure in a file holding many, which is refused without it. Bad input raises
    ``LogFormatError``; an existing folder is replaced only with ``force``."""
    path = Path(path)
    started, clock = utc_now(), time.perf_counter()
    export_format = read_export_format(path, fmt)
    digest = input_digest(path)
    target = Path(out) if out else Path(results_root) / "diagnosis" / f"{export_format}-{digest[:8]}" / utc_stamp()
    check_target(target, force, "diagnosis")
    export = read_group(path, export_format, group)
    read_s = time.perf_counter() - clock
    d = diagnose_log(export.log)
    local_time = export.local_time
    sentences = findings(d, local_time=local_time)
    figures = diagnosis_figures(d, local_time)
    measure_s = time.perf_counter() - clock - read_s
    daily = d["daily"]
    r = d["retention"]
    files: dict[str, bytes] = {
        "diagnosis.json": dump_json(diagnosis_json(d, export, sentences)),
        "daily.csv": table_csv({c: daily[c] for c in DAILY_COLUMNS}),
        "retention.csv": table_csv({"days": r["days"], "still_posting": r["still_posting"], "low": r["low"],
                                    "high": r["high"]}),
        "diagnosis.html": diagnosis_html(d, export, sentences, figures).encode(),
        **{f"figures/{name}.png": png for name, png in figures.items()},
    }
    files["manifest.json"] = dump_json({
        "kind": "diagnosis", "input": {"sha256": digest, "format": export.format,
                                       "messages": export.log.n_messages, "group": group},
        "started_utc": started, "finished_utc": utc_now(),
        "seconds": {"read": round(read_s, 3), "measure_and_draw": round(measure_s, 3)}, "versions": versions()})
    write_folder(target, files, force=force, kind="diagnosis")
    return Diagnosis(target, sentences, export)
