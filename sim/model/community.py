"""CommunityModel: the Mesa model that owns the day loop, the seeded RNG and the members; it
calls the phases of a day in order and keeps the per-day record (timeseries.csv) and the
message log."""

from __future__ import annotations

import dataclasses
import gc
from contextlib import contextmanager

import mesa
import networkx as nx
import numpy as np

from ..scenario import Scenario, ScenarioError, Step, Trigger, check_levers, check_trigger
from .day import GroupState, Today, decay_per_day
from .interventions import Interventions
from .log import KIND, MessageLog
from .luck import dice_for_phases
from .mesa_ids import install as _keep_models_collectable  # noqa: F401  (Mesa 3.3's id counters, weakly held)
from .members import ROLE_CLASSES, Member
from .network import build_network
from .phases import (
    ads,
    attention,
    commitment,
    content,
    conversion,
    leaving,
    novelty,
    operator,
    organisers,
    posting,
    recruiting,
    replies,
    roles,
)
from .population import draw_fit, draw_roles, draw_wtp, fill_members
from .record import member_records, new_records, organiser_rows, record_day
from .table import CHANNEL, ROLE, MemberTable, not_organiser
from .ties import Ties

WEEK = 7  # role changes and sub-leaders are reviewed once a week
COMPACT_MIN_ROWS = 64  # departed rows kept before the table is compacted...
COMPACT_SHARE = 0.5  # ...or this share of the table, whichever is more


@contextmanager
def _collector_paused():
    """Pause Python's cyclic garbage collector (restored after, as it was): building a large
    group allocates millions of objects, each allocation burst triggers a collection that scans
    them all again, and none of them is garbage (200,000 members: set-up 2.97 s -> 1.70 s)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


class CommunityModel(mesa.Model):
    """An online community over days: members in seven roles, the operator's strategy, and the
    phases of a day (see ``sim.model.phases``). ``rng`` defaults to the scenario's seed;
    ``record_messages=False`` skips the message log (a little faster, for speed studies)."""

    def __init__(self, scenario: Scenario, rng: int | None = None, record_messages: bool = True):
        with _collector_paused():  # set-up makes millions of objects and no garbage
            self._set_up(scenario, rng, record_messages)

    def _set_up(self, scenario: Scenario, rng: int | None, record_messages: bool) -> None:
        super().__init__(rng=scenario.seed if rng is None else rng)
        self.scenario = scenario  # the day's: the schedule and triggers swap in new strategies
        self.interventions = Interventions(scenario.strategy)
        self.horizon = scenario.days
        self.day = 0
        self.group = GroupState(leader_charisma=scenario.community.charisma)
        self.ties = Ties()
        self.log = MessageLog(enabled=record_messages)
        self.dice = dice_for_phases(self.rng)  # each phase's stream, and luck keyed by member (sim.model.luck)
        n0, founding_ties = build_network(scenario.community.network, scenario.community.initial_members,
                                          self.dice["network"])
        self.table = MemberTable(capacity=n0 + max(1024, n0 // 4))  # grows by 1.6x when needed
        self._members: dict[int, Member] = {}
        self._owed: set[int] = set()  # ids of current members whose agents are made when asked for
        self._found(n0, founding_ties)
        self._network_cache: tuple[int, nx.Graph] | None = None
        self._sync_agents(np.arange(n0))
        roles.mark_sub_leaders(self.table, self.ties, scenario, self.table.present[:n0])
        self.records = new_records(self.horizon)

    # ---------------------------------------------------------------- set-up
    def _found(self, n0: int, edges: np.ndarray) -> None:
        """The founding members: a creator, the managers, the rest drawn from the role mix. In a
        group with a fee, founders unwilling to pay it do not join (C5)."""
        s = self.scenario
        t = self.table
        rng = self.dice["population"]
        rows = t.add(n0)
        kind = draw_roles(n0, s, rng)
        kind[0] = ROLE["creator"]
        k = min(s.community.managers, n0 - 1)
        kind[1: 1 + k] = ROLE["manager"]
        fit = draw_fit(s.community.value_fit_mean, n0, s.behaviour, rng)
        fit[: 1 + k] = np.maximum(fit[: 1 + k], s.behaviour.newcomers.organiser_fit)
        wtp = draw_wtp(fit, s, rng)
        fill_members(t, rows, kind, fit, np.full(n0, CHANNEL["founding"]), 0, s, rng, wtp)
        self.ties.add(edges[:, 0], edges[:, 1])
        members = rows[1 + k:]
        if s.strategy.entry.kind == "fee":
            unwilling = members[t.wtp_yuan[members] < s.strategy.entry.level]
            t.depart(unwilling, 0, "declined_fee")
            members = members[t.present[members]]
        self._founding_fees = recruiting.charge_fee(t, s, members)

    def _sync_agents(self, joined: np.ndarray) -> None:
        """Note new members (given by row) as owed an agent; replace the agents of those whose
        role changed (an agent's class is its role); remove those of members who left.

        Agents are made when first asked for (``members``, ``member``, ``agents``,
        ``agents_by_type``): the day's arithmetic runs on the member table and never needs
        them, and making a million Mesa agents took 4-5 of a million-member group's 6 s of
        set-up (issue 13). Whoever looks sees every current member as an agent."""
        t = self.table
        self._owed.update(t.member_id[joined].tolist())
        pop = self._members.pop
        for changed in t.retyped:
            for mid in changed.tolist():
                row = t.row_of[mid]
                if mid in self._members and row >= 0 and t.present[row]:
                    pop(mid).remove()
                    self._members[mid] = ROLE_CLASSES[t.role[row]](self, mid)
        t.retyped.clear()
        for gone in t.departed:
            for mid in gone.tolist():
                if mid in self._members:
                    pop(mid).remove()
                else:
                    self._owed.discard(mid)
        t.departed.clear()

    def _make_owed_agents(self) -> None:
        """The agents of current members who have none yet, in order of member id."""
        if self._owed:
            t = self.table
            with _collector_paused():
                for mid in sorted(self._owed):
                    self._members[mid] = ROLE_CLASSES[t.role[t.row_of[mid]]](self, mid)
            self._owed.clear()

    @property
    def agents(self) -> mesa.agent.AgentSet:
        """Every current member as a Mesa agent (made on first access; see ``_sync_agents``)."""
        self._make_owed_agents()
        return super().agents

    @property
    def agents_by_type(self) -> dict[type[mesa.Agent], mesa.agent.AgentSet]:
        """Current members' agents by role class (made on first access)."""
        self._make_owed_agents()
        return super().agents_by_type

    def _maybe_compact(self) -> None:
        """Archive the rows of members who left once they are a good part of the table, so the
        daily arithmetic runs over current members only."""
        t = self.table
        gone = t.n - int(np.count_nonzero(t.present[: t.n]))
        if gone > max(COMPACT_MIN_ROWS, COMPACT_SHARE * t.n):
            self.ties.remap(t.compact())

    # ---------------------------------------------------------------- the day
    def step(self) -> None:
        """One day: the schedule's and triggers' changes, the phases in order, then the day's
        record."""
        if self.day >= self.horizon:
            self.running = False
            return
        strategy, cleanup_now, changes = self.interventions.start_day(self.day, self.scenario.strategy, self.records)
        if strategy is not self.scenario.strategy:
            self.scenario = dataclasses.replace(self.scenario, strategy=strategy)
        s, b, g, t, dice = self.scenario, self.scenario.behaviour, self.group, self.table, self.dice
        today = Today(day=self.day, alive=t.present[: t.n].copy(), departures=len(t.departed), cleanup_now=cleanup_now,
                      interventions=changes)
        if self.day == 0:
            today.revenue += self._founding_fees
        today.members = int(np.count_nonzero(today.alive))
        today.creators, today.managers = organiser_rows(t, today.alive)

        organisers.plan_hours(t, g, s, today)
        content.post_scheduled_content(t, s, today, dice["content"])
        content.hold_events(s, today, dice["content"])
        attention.draw_visits(t, g, b, today, dice["attention"])
        posting.draw_posts(t, g, b, today, dice["posting"])
        ads.draw_ads(t, g, s, today, dice["ads"])
        kicked = ads.moderate(t, g, s, today, dice["ads"])
        replies.answer_posts(t, self.ties, g, s, today, self.log, dice["replies"])
        self._tally_posts(today)
        novelty.wear_and_renew_topics(g, s, today)
        commitment.update_commitment(s, g, t, today)
        organisers.update_presence(t, g, s, today)
        t.depart(organisers.hand_over(t, g, s, today), self.day, "burnout")
        t.depart(kicked, self.day, "kicked")
        leavers = leaving.draw_leavers(t, b, today, dice["leaving"])
        leavers = leavers[t.present[leavers]]
        t.depart(leavers, self.day, "left")
        today.left = int(np.count_nonzero(today.alive & ~t.present[: t.n])) if len(t.departed) > today.departures else 0
        self._refresh_alive(today)
        novelty.build_brand(g, s, today)

        operator.give_rewards(t, s, today)
        operator.give_perks(t, g, s, today)
        removed = operator.clean_up(t, self.ties, g, s, today, dice["operator"])
        t.depart(removed, self.day, "removed")
        today.removed = len(removed)
        self._refresh_alive(today)
        conversion.convert_and_sell(t, s, today, dice["conversion"])
        if self.day % WEEK == 0:
            roles.promote_replicators(t, s, today, dice["roles"])
            roles.appoint_managers(t, s, today)

        followers = recruiting.maybe_spin_off(t, self.ties, g, s, today, dice["recruiting"])
        t.depart(followers, self.day, "spinoff")
        today.left += len(followers)
        self._refresh_alive(today)
        applicants = recruiting.draw_applicants(t, g, s, today, dice["recruiting"])
        joined = recruiting.admit(t, self.ties, g, s, applicants, today, dice["recruiting"])
        organisers.update_energy(t, g, s, today)  # after every task of the day asked for its hours
        self._fade(today)
        if self.day % WEEK == 0:
            roles.mark_sub_leaders(t, self.ties, s, t.present[: t.n])

        record_day(self.records, t, g, today, b.attention.quiet_below)
        self._sync_agents(joined)
        self._maybe_compact()
        self.day += 1
        if self.day >= self.horizon:
            self.running = False

    def _refresh_alive(self, today: Today) -> None:
        """After departures: who is still a member today."""
        if len(self.table.departed) == today.departures:
            return  # nobody left since
        today.departures = len(self.table.departed)
        today.alive = self.table.present[: len(today.alive)].copy()
        today.members = int(np.count_nonzero(today.alive))

    def _tally_posts(self, today: Today) -> None:
        """Add the day's posts to each author's counters; count the day's active members (who
        posted content or chat and are neither organisers nor spammers); log the ads."""
        t, day = self.table, self.day
        authors = (today.talked | (today.ads != 0)).nonzero()[0]  # (talked: content or chat)
        said = today.content[authors] + today.chat[authors]
        mine = today.talked[authors] & ~t.spammer[authors]
        mine &= not_organiser(t.role[authors])
        today.active = int(np.count_nonzero(mine))
        t.posts[authors] += said
        t.content_posts[authors] += today.content[authors]
        t.chat_posts[authors] += today.chat[authors]
        t.ad_posts[authors] += today.ads[authors]
        t.window_posts[authors] += said
        t.cleanup_posts[authors] += said
        t.recent_posts[authors] += said
        self.log.add(day, np.repeat(t.member_id[authors], today.ads[authors]), None, "ad")
        self.group.add_to_unread(day, float(today.content_total) + today.event_content, float(today.chat_total),
                                 float(today.ads_kept), float(today.noise))

    def _fade(self, today: Today) -> None:
        """Short-lived boosts fade: perks and gifts, rewards' recognition, a cleanup's urgency,
        the urge to answer back, and the count of recent posts."""
        mo, op = self.scenario.behaviour.money, self.scenario.behaviour.operator
        g, t, n = self.group, self.table, self.table.n
        perk_decay = decay_per_day(mo.perk_memory_days)
        g.perk_glow *= perk_decay
        t.gift_glow[:n] *= perk_decay
        t.recognition[:n] *= decay_per_day(mo.reward_memory_days)
        t.recent_posts[:n] *= decay_per_day(self.scenario.behaviour.roles.recent_days)
        t.owed[:n] *= decay_per_day(self.scenario.behaviour.posting.reply_back_days)
        g.urgency *= decay_per_day(op.urgency_days)

    # ---------------------------------------------------------------- running and reading
    def change_from_today(self, levers: dict, from_day: int | None = None) -> None:
        """Set strategy levers (paths under ``strategy``: ``entry.level``) from today, the next
        day stepped, on (or from a later ``from_day``, a change announced ahead): a schedule
        step, checked like one (ScenarioError), noted in the interventions log when it acts; a
        scenario whose schedule holds the same step gives the same run."""
        self._still_running("live change")
        day = int(self.day if from_day is None else from_day)
        if not self.day <= day < self.horizon:
            raise ScenarioError("live change", "from_day", f"given {day}, allowed a day from today ({self.day}) "
                                f"to {self.horizon - 1}")
        step = Step(from_day=day, set=check_levers(levers, "live change", "set"))
        self.interventions.add_step(step, int(self.day))

    def follow_rule_from_today(self, when: dict, do: dict, cooldown_days: int = Trigger.cooldown_days) -> Trigger:
        """Adopt an operator's rule (a trigger: ``when`` a condition holds ``do`` an action, then
        wait ``cooldown_days``) from today, the next day stepped, on; checked like a scenario's
        (ScenarioError). A scenario whose triggers hold the returned rule gives the same run."""
        self._still_running("rule")
        trigger = check_trigger(Trigger(when=when, do=do, cooldown_days=cooldown_days, from_day=int(self.day)),
                                "live change", "rule")
        self.interventions.add_trigger(trigger, int(self.day))
        return trigger

    def _still_running(self, what: str) -> None:
        if self.day >= self.horizon:
            raise ScenarioError(what, "", f"the run has ended (day {self.day} of {self.horizon})")

    def run(self, days: int | None = None, progress=None) -> None:
        """Run to the horizon (or ``days`` more days). ``progress`` is called with each day."""
        end = self.horizon if days is None else min(self.horizon, self.day + days)
        while self.day < end:
            self.step()
            if progress is not None:
                progress(self.day)

    @property
    def members(self) -> list[Member]:
        """Current members as agents (ordered by id)."""
        self._make_owed_agents()
        return [self._members[k] for k in sorted(self._members)]

    @property
    def network(self) -> nx.Graph:
        """The social graph among current members (nodes are member ids; built on demand from
        the tie arrays the phases use, and cached for the day)."""
        if self._network_cache is None or self._network_cache[0] != self.day:
            t = self.table
            present = t.present
            src, dst = self.ties.src, self.ties.dst
            keep = present[src] & present[dst] & (src < dst)
            g = nx.Graph()
            g.add_nodes_from(t.member_id[: t.n][present[: t.n]].tolist())
            g.add_edges_from(zip(t.member_id[src[keep]].tolist(), t.member_id[dst[keep]].tolist()))
            self._network_cache = (self.day, g)
        return self._network_cache[1]

    def member(self, member_id: int) -> Member | None:
        """The agent of a current member, or None."""
        self._make_owed_agents()
        return self._members.get(int(member_id))

    def timeseries(self) -> dict[str, np.ndarray]:
        """The per-day record so far, one array per column."""
        return {k: v[: self.day].copy() for k, v in self.records.items()}

    def member_column(self, name: str, ids) -> np.ndarray:
        """Values of a member-table column (e.g. 'commitment', 'role') for current members' ids,
        in the order given."""
        rows = self.table.row_of[np.asarray(ids, dtype=np.int64)]
        if np.any(rows < 0):
            raise KeyError("some of these members have left")
        return getattr(self.table, name)[rows]

    def member_records(self) -> dict[str, np.ndarray]:
        """One row per member who ever joined, ordered by id: the members.csv table."""
        return member_records(self.table)

    def message_log(self, kinds: tuple[str, ...] = ("post", "scheduled")) -> dict[str, np.ndarray]:
        """The messages of the kinds given (default: members' and organisers' posts, not ads):
        day, author, reply_to (member ids; -1 for none), kind."""
        cols = self.log.columns()
        keep = np.isin(cols["kind"], [KIND[k] for k in kinds])
        return {k: v[keep] for k, v in cols.items()}
