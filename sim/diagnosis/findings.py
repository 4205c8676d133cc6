"""The diagnosis in plain sentences an operator understands, each with its numbers and, where
the reference communities (``sim.evidence.reference``: a chat network's rooms, a developers'
IRC channel, a Q&A site) measured the same thing, their range. Sentences say when a number
rests on too few people to tell.
"""

from __future__ import annotations

import math

import numpy as np

from ..evidence.reference import REFERENCE, span
from ..run.metrics import DEAD_FOR_DAYS
from .measures import WEEKDAYS

# Measured once on the reference logs (/work/shared/data/*/messages.csv, bots dropped, all rooms
# pooled for fcc_gitter_rooms) with sim.diagnosis.measures.diagnose_log: Gini of messages per
# member (fcc .83, duraspace .93, beer .57) and messages per active member per day (5.1, 21.5, 1.3).
EXTRA_REFERENCE = {"gini": (0.57, 0.93), "messages_per_active_member_day": (1.3, 21.5)}
FEW = 20  # fewer people than this behind a share: say it is too few to tell
TOP_ONE_FEW = 100  # with fewer members the "top 1%" is one person: not set against the references' top 1%
# The reference shares are over archives of years; over a short span they differ (beer_se's one-message
# share: 0.37 over its first 14 days, 0.67 over all; duraspace's top 1%: 0.23 over 60 days, 0.56 over all).
SHORT_DAYS = 180  # a log shorter than this is not compared with the references' shares
ANSWER_DAYS = 7  # newcomers are answered within this many days (sim.evidence.newcomer_replies)


def comparable(d: dict) -> bool:
    """Does the log span enough days for its shares to be set against the reference communities'?"""
    return d["activity"]["days"] >= SHORT_DAYS


def _too_short(d: dict) -> str:
    return (f"This log covers only {d['activity']['days']} days: the reference communities' shares were measured "
            f"over years, and a community's first months differ from its later years (a Q&A site's share of members "
            f"posting once: 37% over its first 14 days, 67% over all), so its shares are not set against theirs "
            f"until it spans {SHORT_DAYS} days.")


def reference_span(statistic: str) -> tuple[float, float]:
    """(lowest, highest) across the reference communities, for their statistics and EXTRA_REFERENCE."""
    return EXTRA_REFERENCE[statistic] if statistic in EXTRA_REFERENCE else span(statistic)


def return_ratio_span() -> tuple[float, float]:
    """How often newcomers with no answer came back, relative to answered ones, across the references."""
    ratios = [r["return_unanswered"] / r["return_answered"] for r in REFERENCE.values()]
    return min(ratios), max(ratios)


def _pct(x: float) -> str:
    return f"{100 * x:.0f}%"


def _tenths(x: float) -> str:
    return f"{round(10 * x):.0f} of 10"


def _share(x: float, n: float) -> str:
    """A share of ``n`` people as a reader takes it: the actual count out of ``n`` ("2 of 3")
    when fewer than FEW people stand behind it, else in tenths ("7 of 10")."""
    return f"{round(x * n):.0f} of {n:,.0f}" if n < FEW else _tenths(x)


def too_few(n: float) -> str:
    """The flag for a share resting on fewer than FEW people ('' if it rests on enough): the same
    words in the sentences and the table."""
    return f"too few to tell (under {FEW} people)" if n < FEW else ""


def _members_pct(k: int, n: int) -> str:
    return f"{100 * k / n:.1f}%" if n else "n/a"


def top_groups(n: int) -> tuple[int, int]:
    """How many people the top 1% and the next 9% of ``n`` members are (``participation_shares``'s
    rounding: the top ceil(n/100), the top 10% ceil(n/10))."""
    top = max(1, -(-n // 100))
    return top, max(0, -(-n // 10) - top)


def _range(statistic: str, show=_pct) -> str:
    lo, hi = reference_span(statistic)
    if show is _tenths:
        return f"{round(10 * lo):.0f} to {_tenths(hi)}"
    return f"{show(lo)} to {show(hi)}"


def _position(value: float, statistic: str, like: bool = True) -> str:
    """Where ``value`` lies against the reference range, compared at the two decimals the references
    have; ``like`` False (the log is too short to compare): says so instead."""
    if not like:
        return "not placed against"
    lo, hi = reference_span(statistic)
    value = round(value, 2)
    return "within" if lo <= value <= hi else "below" if value < lo else "above"


def _activity(d: dict) -> list[str]:
    a, life = d["activity"], d["alive"]
    out = [f"Over the last 14 days of the log (to {a['last_date']}) {a['active_members_per_day_last_14d']:.1f} members "
           f"posted on an average day and {a['messages_per_day_last_14d']:.1f} messages were sent a day; the busiest "
           f"fortnight had {a['peak_active_members_14d_mean']:.1f} active members a day (14-day mean, {a['peak_date']})."]
    if life["alive"]:
        text = (f"By the model's death rule the group is alive: its 14-day mean of daily active members has not "
                f"stayed under the floor (0.5 a day, or 5% of its busiest 90 days) for {DEAD_FOR_DAYS} days at the "
                "end of the log")
        if life["first_death"]:
            text += f"; it did fall under that floor for {DEAD_FOR_DAYS} days from {life['first_death']}, and came back"
        out.append(text + ".")
    else:
        out.append(f"By the model's death rule the group is dead since {life['dead_since']}: its 14-day mean of daily "
                   f"active members has stayed under the floor (0.5 a day, or 5% of its busiest 90 days) for the "
                   f"last {life['days_below_floor_at_end']} days of the log.")
    out.append(f"The log ends at its last message ({a['last_date']}); any silence after that is not seen.")
    return out


def _top_sentence(d: dict, n: int) -> str:
    """The top 1% and next 9% with the people and the share of members they really are; under
    TOP_ONE_FEW members the top 1% is one person and is not set against the references' top 1%."""
    p = d["participation"]
    top, nxt = top_groups(n)
    who = f"{top} {'person' if top == 1 else 'people'}: {top} of {n} members, {_members_pct(top, n)}"
    text = (f"The most active 1% of members ({who}) sent {_pct(p['top1_share'])} of the messages and the next "
            f"{nxt} ({_members_pct(nxt, n)} of members) sent {_pct(p['next9_share'])}; in the reference communities "
            f"the top 1% sent {_range('top1_share')}")
    if n < TOP_ONE_FEW:
        return (text + f". With under {TOP_ONE_FEW} members a top-1% measure is one person: too few to compare "
                "with the reference communities.")
    return text + f" ({_position(p['top1_share'], 'top1_share', comparable(d))} their range)."


def _participation(d: dict) -> list[str]:
    p = d["participation"]
    n = int(p["n_authors"])
    few = [f"Only {n} members have posted: too few for the shares below to mean much."] if n < FEW else []
    if not comparable(d):
        few.append(_too_short(d))
    return few + [_top_sentence(d, n),
                  f"{_share(p['one_message_share'], n)} members posted only once (reference communities: "
                  f"{_range('one_message_share', _tenths)}).",
                  f"Messages per member have a Gini coefficient of {p['gini']:.2f} (0: everyone posts as much, 1: one "
                  f"member posts everything; reference communities {_range('gini', lambda x: f'{x:.2f}')})."]


def _newcomers(d: dict) -> list[str]:
    c = d["newcomers"]
    if not c["replies_recorded"]:
        return ["This log records no replies, threads or @mentions of members, so whether newcomers were "
                "answered cannot be measured."]
    unanswered = 1 - c["answered_share"]
    lo, hi = reference_span("answered_share")
    few = f" (only {int(c['n_newcomers'])} newcomers: too few to tell)" if c["n_newcomers"] < FEW else ""
    if not comparable(d) and not few:
        few = f" (not like with like: the log covers only {d['activity']['days']} days)"
    late = int(c.get("n_newcomers_last_7d", 0))
    if late and late >= 0.1 * c["n_newcomers"]:
        few += (f"; {late} of the {int(c['n_newcomers'])} newcomers came in the log's last {ANSWER_DAYS} days, whose "
                "week is cut short, so more may yet be answered (the references count them too)")
    out = [f"{_share(unanswered, c['n_newcomers'])} newcomers got no answer in their first week; in the reference communities "
           f"{round(10 * (1 - hi)):.0f} to {_tenths(1 - lo)} got none{few}."]
    n_yes, n_no = int(c["n_return_answered"]), int(c["n_return_unanswered"])
    r_lo, r_hi = return_ratio_span()
    if min(n_yes, n_no) < FEW // 2 or c["return_answered"] == 0:
        out.append(f"Too few newcomers joined at least 180 days before the log's end to compare whether those "
                   f"answered come back more often ({n_yes} answered, {n_no} not); in the reference communities "
                   f"those who got no answer came back {_pct(r_lo)} to {_pct(r_hi)} as often as those answered.")
        return out
    ratio = c["return_unanswered"] / c["return_answered"]
    back_yes = int(c.get("n_returned_answered", round(c["return_answered"] * n_yes)))
    back_no = int(c.get("n_returned_unanswered", round(c["return_unanswered"] * n_no)))
    flag = too_few(min(n_yes, n_no))
    out.append(f"Newcomers who got an answer came back (posted again 1 to 180 days later) {_pct(c['return_answered'])} "
               f"of the time ({back_yes} of {n_yes}) and those who got none {_pct(c['return_unanswered'])} ({back_no} "
               f"of {n_no}), so {_pct(ratio)} as often; in the reference communities those who got none came back "
               f"{_pct(r_lo)} to {_pct(r_hi)} as often"
               + (f"; with {n_yes} and {n_no} newcomers behind the two shares, {flag}: not set against them." if flag
                  else "."))
    return out


def _retention(d: dict) -> list[str]:
    r, s = d["retention"], d["still_posting"]
    how = (f"(Kaplan-Meier over {r['n_members']} members; the {r['n_censored']} who posted in the last "
           f"{r['censor_days']:.0f} days of the log count as still posting)")
    median = r["median_days"]
    if not math.isfinite(median):
        first = f"More than half the members may still be posting, so how long they stay cannot be told yet {how}."
    elif median < 1:
        first = f"Half the members never posted again after the day of their first message {how}."
    else:
        first = f"Half the members stopped posting within {median:.0f} days of their first message {how}."
    out = [first]
    for x in (30, 365):
        n = int(s[f"n_eligible_{x}d"])
        if n >= FEW:
            value = s[f"still_posting_{x}d"]
            out.append(f"{_pct(value)} of members were still posting {x} days after their first message (reference "
                       f"communities: {_range(f'still_posting_{x}d')}; {_position(value, f'still_posting_{x}d')} "
                       "their range).")
    return out


def _rhythm(d: dict, local_time: bool) -> list[str]:
    week, hours = np.asarray(d["rhythm"]["weekday_share"]), np.asarray(d["rhythm"]["hour_share"])
    busy, quiet, hour = int(week.argmax()), int(week.argmin()), int(hours.argmax())
    zone = "the exporting device's local time" if local_time else "UTC"
    return [f"{_pct(week[busy])} of messages fall on {WEEKDAYS[busy]}s, the busiest day, and {_pct(week[quiet])} on "
            f"{WEEKDAYS[quiet]}s, the quietest (an even week would put 14% on each day); the busiest hour is "
            f"{hour:02d}:00 to {(hour + 1) % 24:02d}:00 ({zone})."]


def findings(d: dict, local_time: bool = False) -> list[str]:
    """The plain sentences for a diagnosis (``sim.diagnosis.measures.diagnose_log``'s dict);
    ``local_time``: the log's times are local, not UTC (WhatsApp, Telegram's ``date``)."""
    return _activity(d) + _participation(d) + _newcomers(d) + _retention(d) + _rhythm(d, local_time)
