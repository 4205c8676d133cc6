"""Print the parameter reference of a scenario as Markdown (for docs/model.md, section 5).

Every leaf field of a scenario, from ``sim.scenario.scenario_field_docs()``: its path, default
(as a default ``Scenario()`` holds it: ``field_docs`` reads nested sections' defaults from the
scenario's own instances, so each event kind's profile shows its own values) and one-line doc,
plus the unit (from the field's name, or the table ``UNITS`` below) and the range the loader
accepts (from the field's schema). The entries of list fields (events, campaigns) follow their
list as ``path[].field``; the event profiles (``behaviour.events.<kind>.<field>``) are one table
with a column per kind. Rows are grouped under headings: the top level, community, strategy,
and behaviour by section.

    python docs/tools/params_table.py > /tmp/params.md

Run it again whenever defaults or docs change and paste the output over section 5.
"""

from __future__ import annotations

import dataclasses
import typing

from sim.scenario import Scenario, scenario_field_docs
from sim.scenario.fields import field_docs

SECTION_TITLES = {
    "": "Top level",
    "community": "community",
    "strategy": "strategy",
}


def field_of(path: str) -> tuple[dataclasses.Field, typing.Any]:
    """The dataclass field (and its type) at a dotted scenario path."""
    cls: typing.Any = Scenario
    parts = path.split(".")
    for i, part in enumerate(parts):
        hints = typing.get_type_hints(cls)
        f = {x.name: x for x in dataclasses.fields(cls)}[part]
        if i == len(parts) - 1:
            return f, hints[part]
        cls = hints[part]
    raise KeyError(path)


# Units of fields whose name does not say it (keyed by the field's last name, or its full path).
UNITS = {
    "days": "days", "seed": "integer",
    "initial_members": "members", "managers": "members", "channel_size": "members", "size_cap": "members",
    "members_per_manager": "members", "max_managers": "managers", "top_k": "members",
    "concentration": "unitless", "fit_concentration": "unitless",
    "mean_degree": "ties", "newcomer_ties": "ties",
    "strategy.entry.level": "yuan (fee) or 0-1 (invite, screening)",
    "strategy.rewards.size": "days of full recognition",
    "read_capacity": "messages per day", "info_saturation": "quality-weighted posts",
    "warmth_saturation": "posts", "reply_warmth": "posts", "chat_warmth": "posts",
    "propensity_median": "daily chance scale", "propensity_max": "daily chance scale",
    "catalyst_propensity": "daily chance scale", "organiser_propensity": "daily chance scale",
    "propensity_spread": "log-normal sigma", "wtp_spread": "log-normal sigma",
    "extra_messages": "messages", "recognition_lift": "multiplier per unit of recognition",
    "crowd_visitors": "visitors per day", "conversation_authors": "authors",
    "need": "satisfaction", "reply_recognition": "recognition per answer", "ads_noticed": "ads",
    "urgency_satisfaction": "satisfaction per unit of urgency",
    "topic_posts": "quality posts", "replicator_min_posts": "posts", "spammer_audience": "visitors per day",
    "brand_reach": "applicants per day per unit of brand", "spinoff_after_turned_away": "applicants",
    "fit_signal_noise": "s.d. on the 0-1 fit scale", "screen_noise": "s.d. on the 0-1 fit scale",
    "content": "quality posts", "social": "x warmth_saturation",
    "drive_max": "multiplier", "drive_min": "multiplier", "yuan_each": "yuan",
    "creator_posts_per_week": "posts per week", "manager_posts_per_week": "posts per week per manager",
    "outreach_per_week": "applicants per week per member", "referral_per_year": "applicants per year per member",
    "organic_per_day": "applicants per day", "spam_per_day": "applicants per day",
    "applicants_per_day": "applicants per day", "purchases_per_year": "purchases per year",
    "replicator_per_week": "chance per week, 0-1", "progress_per_visit": "0-1 per visit",
}
MULTIPLIER_WORDS = ("_voice", "_attraction", "_lift", "_tilt", "norm_pull", "path_topics", "recent_poster_tie",
                    "material_want")


def unit(path: str, t: typing.Any, f: dataclasses.Field) -> str:
    """The unit of a field: from the table above, its name, or its type and range."""
    name = path.rsplit(".", 1)[-1]
    if path in UNITS:
        return UNITS[path]
    if path.startswith("behaviour.motives."):
        return "multiplier"
    if name in UNITS and not (name in ("content", "social") and not path.startswith("behaviour.events.")):
        return UNITS[name]
    if name.endswith("_cost") and path.startswith("behaviour.satisfaction."):
        return "satisfaction"
    if name.endswith("hours_per_week"):
        return "hours per week"
    for suffix, word in (("_yuan", "yuan"), ("_days", "days"), ("_per_week", "per week"),
                         ("_per_day", "per day"), ("_per_year", "per year"), ("_per_visit", "per visit")):
        if name.endswith(suffix):
            return word
    if "hours" in name:
        return "hours"
    if name.startswith("minutes_"):
        return "minutes"
    if name.endswith("_day"):
        return "day number"
    if any(w in name for w in MULTIPLIER_WORDS):
        return "multiplier"
    if f.metadata.get("choices"):
        return "choice"
    if t is bool:
        return "true/false"
    if t is str:
        return "text"
    if t is list or typing.get_origin(t) is list:
        return "list"
    if t is dict:
        return "mapping"
    lo, hi = f.metadata.get("lo"), f.metadata.get("hi")
    if t is float and lo is not None and lo >= 0 and hi is not None and hi <= 1:
        return "0-1"
    return "number"


def fmt_num(x: float) -> str:
    """A number for the table: whole numbers with thin-space thousands, others as %g."""
    if isinstance(x, int) or (float(x).is_integer() and abs(x) < 1e16):
        return f"{int(x):,}".replace(",", " ")
    return f"{x:g}"


def allowed(f: dataclasses.Field, t: typing.Any) -> str:
    """The values the loader accepts."""
    m = f.metadata
    if m.get("choices"):
        return ", ".join(map(str, m["choices"]))
    lo, hi = m.get("lo"), m.get("hi")
    if lo is not None and hi is not None:
        kind = "integer " if t is int else ""
        return f"{kind}{fmt_num(lo)} to {fmt_num(hi)}"
    return ""


def fmt_default(v: typing.Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, float):
        return fmt_num(v)
    return str(v)


def section_of(path: str) -> str:
    parts = path.split(".")
    if len(parts) == 1:
        return ""
    if parts[0] == "behaviour":
        return f"behaviour.{parts[1]}"
    return parts[0]


def cell(text: str) -> str:
    return text.replace("|", "\\|")


def print_event_profiles(rows: list[tuple[str, typing.Any, str]]) -> None:
    """behaviour.events as one table: a row per profile field, a column per event kind."""
    kinds: list[str] = []
    values: dict[str, dict[str, typing.Any]] = {}
    docs: dict[str, str] = {}
    for path, default, doc in rows:
        _, _, kind, name = path.split(".")
        if kind not in kinds:
            kinds.append(kind)
        values.setdefault(name, {})[kind] = default
        docs[name] = doc
    print("#### behaviour.events (one profile per event kind: `behaviour.events.<kind>.<field>`)")
    print()
    print("| field | " + " | ".join(kinds) + " | unit | allowed | meaning |")
    print("|---|" + "---|" * (len(kinds) + 3))
    for name, by_kind in values.items():
        f, t = field_of(f"behaviour.events.{kinds[0]}.{name}")
        path = f"behaviour.events.{kinds[0]}.{name}"
        cells = " | ".join(fmt_default(by_kind[k]) for k in kinds)
        print(f"| `{name}` | {cells} | {unit(path, t, f)} | {cell(allowed(f, t))} | {cell(docs[name])} |")
    print()
    print("Event kinds: " + "; ".join(f"`{k}`, {field_of(f'behaviour.events.{k}')[0].metadata.get('doc', '')}"
                                      for k in kinds) + ".")


def main() -> None:
    rows = scenario_field_docs()
    events = [r for r in rows if r[0].startswith("behaviour.events.")]
    rows = [r for r in rows if not r[0].startswith("behaviour.events.")]
    current = None
    for path, default, doc in rows:
        sec = section_of(path)
        if sec != current:
            if current is not None:
                print()
            print(f"#### {SECTION_TITLES.get(sec, sec)}")
            print()
            print("| field | default | unit | allowed | meaning |")
            print("|---|---|---|---|---|")
            current = sec
        f, t = field_of(path)
        print(f"| `{path}` | {cell(fmt_default(default))} | {unit(path, t, f)} | {cell(allowed(f, t))} | {cell(doc)} |")
        item = f.metadata.get("item")
        if item is not None:  # a list: the fields of each entry, with their defaults
            hints = typing.get_type_hints(item)
            fields = {x.name: x for x in dataclasses.fields(item)}
            for name, item_default, item_doc in field_docs(item):
                g, u = fields[name], hints[name]
                sub = f"{path}[].{name}"
                print(f"| `{sub}` | {cell(fmt_default(item_default))} | {unit(sub, u, g)} | {cell(allowed(g, u))} "
                      f"| {cell(item_doc)} |")
    if events:
        print()
        print_event_profiles(events)


if __name__ == "__main__":
    main()
