"""The strategy section of a scenario: every lever an operator pulls (entry, content, events,
moderation, rewards, perks, cleanups, recruiting, selling), and how the levers change over time
(a schedule of steps, and triggers watching the daily record; checked in ``changes``)."""

from __future__ import annotations

from dataclasses import dataclass

from .fields import CLEANUP_RULES, ENTRY_KINDS, EVENT_KINDS, spec


@dataclass
class Entry:
    """Entry threshold (C5, C14, C15)."""

    kind: str = spec("open", "who gets in: open, invite (only invited/referred), fee, screening", choices=ENTRY_KINDS)
    level: float = spec(0.0, "fee: yuan per member; screening: minimum value fit 0-1; invite: minimum inviter commitment 0-1", 0, 100_000)
    size_cap: int = spec(500, "most members the group holds (0 = no cap)", 0, 10_000_000)


@dataclass
class Rewards:
    """Rewards for the most active posters (C6)."""

    every_days: int = spec(0, "days between reward rounds (0 = off)", 0, 3650)
    top_k: int = spec(3, "posters rewarded each round", 1, 10_000)
    size: float = spec(1.0, "recognition given, in units of one day's full recognition", 0, 100)
    yuan_each: float = spec(0.0, "material value of each reward, yuan", 0, 1_000_000)


@dataclass
class Perks:
    """Regular small benefits to all members (C7)."""

    every_days: int = spec(0, "days between perks (0 = off)", 0, 3650)
    value_yuan: float = spec(5.0, "value of one perk, yuan; it costs the operator this for each member who visits that day and claims it", 0, 100_000)


@dataclass
class Cleanup:
    """Periodic culls (C8)."""

    every_days: int = spec(0, "days between cleanups (0 = off)", 0, 3650)
    rule: str = spec("misfits", "who is removed: misfits (judged fit under min_fit), inactive, bottom_share, ad_posters", choices=CLEANUP_RULES)
    min_fit: float = spec(0.25, "misfits rule: remove members whose fit, as the organisers judge it from their messages, is under this", 0, 1)
    inactive_days: int = spec(30, "inactive rule: remove members with no post (ads do not count; joining counts) for this many days", 1, 3650)
    bottom_share: float = spec(0.1, "bottom_share rule: share of members with fewest recent posts removed", 0, 0.9)


@dataclass
class Event:
    """A recurring event: one-day boost to visits and content (C10, C18)."""

    kind: str = spec("sharing", "sharing, live_talk, prize, meetup, check_in, group_buy", choices=EVENT_KINDS)
    every_days: int = spec(14, "days between occurrences", 1, 3650)
    start_day: int = spec(7, "first day it happens", 0, 36500)
    branded: bool = spec(False, "a recurring brand: each run renews the group's novelty (C18)")


@dataclass
class Content:
    """Content cadence (C10, C2, C17)."""

    creator_posts_per_week: float = spec(5.0, "quality posts per week by the creator", 0, 1000)
    manager_posts_per_week: float = spec(2.0, "quality posts per week by each manager", 0, 1000)
    quality: float = spec(0.6, "value of one quality post to a reader who seeks information, 0-1", 0, 1)
    events: list = spec([], "list of recurring events (kind, every_days, start_day, branded)", item=Event)


@dataclass
class Campaign:
    """A bulk recruiting campaign (C14, C15)."""

    start_day: int = spec(0, "first day of the campaign", 0, 36500)
    end_day: int = spec(30, "last day of the campaign", 0, 36500)
    applicants_per_day: float = spec(20.0, "applicants brought in per day", 0, 1_000_000)
    gift_yuan: float = spec(0.0, "gift promised for joining, yuan (lures low-fit, material seekers)", 0, 100_000)


@dataclass
class Recruiting:
    """How applicants arrive (C14, C16)."""

    outreach_per_week: float = spec(0.3, "applicants each pioneer or collaborator brings per week at full commitment", 0, 1000)
    referral_per_year: float = spec(1.5, "applicants each fully committed member refers per year (scaled by commitment squared, more with deals)", 0, 365)
    organic_per_day: float = spec(0.1, "applicants who find the group by themselves per day", 0, 1_000_000)
    spam_per_day: float = spec(0.3, "outside spammers trying to get in per day at 100 members (grows with the square root of size and as ads pile up, C9)", 0, 1_000_000)
    campaigns: list = spec([], "bulk campaigns (start_day, end_day, applicants_per_day, gift_yuan)", item=Campaign)


@dataclass
class Selling:
    """Conversion and hard selling (C14, C15, C16)."""

    price_yuan: float = spec(0.0, "price of one purchase of the operator's product, yuan (0 = the group sells nothing)", 0, 1_000_000)
    purchases_per_year: float = spec(4.0, "purchases a paying member makes per year at commitment 0.5", 0, 365)
    hard_selling: float = spec(0.0, "intensity of pushing sales on members, 0-1 (C15)", 0, 1)


@dataclass
class Staffing:
    """Managers appointed from committed members as the group grows (C11, C12)."""

    appoint_managers: bool = spec(True, "appoint committed members as managers when there are fewer than the group needs")
    members_per_manager: int = spec(150, "members one manager looks after; more members than this per manager calls for an appointment", 1, 1_000_000)
    max_managers: int = spec(20, "most managers the operator appoints", 0, 10_000)


@dataclass
class Step:
    """A step of the schedule: from a day on, some levers take new values."""

    from_day: int = spec(0, "first day the new values hold (set at the start of that day)", 0, 36500)
    set: dict = spec({}, "lever paths under strategy and their values, e.g. {entry.kind: fee, entry.level: 99}")


@dataclass
class Trigger:
    """A rule the operator follows: when a condition on the daily record holds, act (then wait)."""

    when: dict = spec({}, "condition: {metric, window_days, below or above}: the mean of the metric over the "
                      "window_days days before today is under (over) the number")
    do: dict = spec({}, "action, one of {cleanup: {rule, ...}}, {events: {kind, every_days, for_days}}, "
                    "{campaign: {days, applicants_per_day, gift_yuan}}, {set: {lever path: value}}")
    cooldown_days: int = spec(30, "days after firing before the trigger may fire again", 0, 36500)
    from_day: int = spec(0, "first day the rule is followed (a rule an operator adopts during a run)", 0, 36500)


@dataclass
class Strategy:
    """Every lever an operator pulls."""

    entry: Entry = spec(Entry(), "entry threshold")
    content: Content = spec(Content(), "content cadence and events")
    moderation: float = spec(0.7, "share of ads managers remove when they have time, 0-1 (C9)", 0, 1)
    staffing: Staffing = spec(Staffing(), "appointing managers")
    rewards: Rewards = spec(Rewards(), "rewards for top posters")
    perks: Perks = spec(Perks(), "perks for everyone")
    cleanup: Cleanup = spec(Cleanup(), "periodic cleanups")
    recruiting: Recruiting = spec(Recruiting(), "recruiting channels")
    selling: Selling = spec(Selling(), "conversion and selling")
    schedule: list = spec([], "steps (from_day, set): levers that change on a given day, in order of from_day", item=Step)
    triggers: list = spec([], "rules (when, do, cooldown_days) applied at the start of a day when their condition holds",
                          item=Trigger)

