"""What one occurrence of each event kind gives and costs (C10, C16, C17, C18): the model's
reading of the seeds' sharing sessions, live talks, prize interactions, meetups, daily check-in
rituals and group buys. Part of the behaviour section (``behaviour.events.<kind>.<field>``)."""

from __future__ import annotations

from dataclasses import dataclass

from .fields import spec


@dataclass
class EventProfile:
    """One event kind: what a day with it gives members and what it costs its organisers."""

    content: float = spec(1.0, "quality posts the event adds that day", 0, 1000)
    visit: float = spec(0.1, "lift to every member's visit probability that day", 0, 1)
    post: float = spec(0.05, "chance a fully committed visitor posts that day because the event invites it (a check-in, a contest entry), in proportion to commitment", 0, 1)
    social: float = spec(0.1, "warmth every visitor gets, in units of behaviour.reading.warmth_saturation", 0, 10)
    material: float = spec(0.0, "material benefit every visitor gets (deals, prizes), 0-1", 0, 1)
    hours: float = spec(2.0, "organiser hours one occurrence takes", 0, 1000)
    cost_yuan: float = spec(0.0, "money one occurrence costs the operator, yuan", 0, 10_000_000)


def _profile(**values: float) -> EventProfile:
    return EventProfile(**values)


@dataclass
class EventProfiles:
    """One profile per event kind (the kinds of ``strategy.content.events``)."""

    sharing: EventProfile = spec(_profile(content=3.0, visit=0.10, post=0.05, social=0.1, material=0.0, hours=3.0,
                                          cost_yuan=0.0), "an expert or member sharing session")
    live_talk: EventProfile = spec(_profile(content=4.0, visit=0.15, post=0.05, social=0.1, material=0.0, hours=4.0,
                                            cost_yuan=0.0), "a live talk by a guest")
    prize: EventProfile = spec(_profile(content=1.0, visit=0.20, post=0.2, social=0.1, material=0.3, hours=2.0,
                                        cost_yuan=100.0), "a prize interaction (quiz, contest)")
    meetup: EventProfile = spec(_profile(content=1.0, visit=0.05, post=0.1, social=0.6, material=0.0, hours=6.0,
                                         cost_yuan=100.0), "an offline meetup")
    check_in: EventProfile = spec(_profile(content=0.3, visit=0.35, post=0.6, social=0.3, material=0.0, hours=0.25,
                                           cost_yuan=0.0), "a daily check-in ritual (C17)")
    group_buy: EventProfile = spec(_profile(content=0.5, visit=0.15, post=0.05, social=0.05, material=0.6, hours=2.0,
                                            cost_yuan=0.0), "a group buy or deal (C16)")
