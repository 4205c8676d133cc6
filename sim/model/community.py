"""CommunityModel: the Mesa model that owns the day loop, the seeded RNG and the members; it
calls the phases of a day in order and keeps the per-day record (timeseries.csv)."""

from __future__ import annotations

import mesa
import networkx as nx
import numpy as np

from ..scenario import ROLES, Scenario
from .day import GroupState, Today
from .members import ROLE_CLASSES, Member
from .network import build_network
from .phases import ads, attention, commitment, content, conversion, leadership, leaving, operator, posting, recruiting
from .population import draw_fit, draw_roles, fill_members
from .table import CHANNEL, CHANNELS, LEAVE_REASONS, ROLE, MemberTable
from .ties import Ties

WELCOME_REPLIES = 1.0  # answers a fully staffed management gives a newcomer's post
SUB_LEADER_EVERY_DAYS = 7
COMPACT_MIN_ROWS = 64  # departed rows kept before the table is compacted...
COMPACT_SHARE = 0.5  # ...or this share of the table, whichever is more

# The per-day record: one column each, in this order in timeseries.csv.
TIMESERIES_COLUMNS: tuple[str, ...] = (
    "day", "members", "active", "quiet", "visitors", "joined", "left", "removed",
    "posts", "content_posts", "chat_posts", "ad_posts", "ads_removed", "events",
    "revenue", "operator_cost", "payers", "mean_commitment", "creator_presence", "novelty",
    "applicants", "turned_away", "spinoffs", "conversions",
) + tuple(f"role_{r}" for r in ROLES)


class CommunityModel(mesa.Model):
    """An online community over days: members in seven roles, the operator's strategy, and the
    phases of a day (see ``sim.model.phases``). ``rng`` defaults to the scenario's seed."""

    def __init__(self, scenario: Scenario, rng: int | None = None):
        super().__init__(rng=scenario.seed if rng is None else rng)
        self.scenario = scenario
        self.horizon = scenario.days
        self.day = 0
        self.group = GroupState()
        self.ties = Ties()
        founding = build_network(scenario.community.network, scenario.community.initial_members, self.rng)
        n0 = founding.number_of_nodes()
        self.table = MemberTable(capacity=2 * n0)
        self._found(n0, founding)
        self._network_cache: tuple[int, nx.Graph] | None = None
        self._members: dict[int, Member] = {}
        self._sync_agents(np.arange(n0))
        leadership.mark_sub_leaders(self.table, self.ties, self.table.present[:n0])
        self.records = {col: np.zeros(self.horizon) for col in TIMESERIES_COLUMNS}
        self._last_joined = 0

    # ---------------------------------------------------------------- set-up
    def _found(self, n0: int, founding: nx.Graph) -> None:
        """The founding members: a creator, the managers, the rest drawn from the role mix."""
        s = self.scenario
        ids = self.table.add(n0)
        roles = draw_roles(n0, s, self.rng)
        roles[0] = ROLE["creator"]
        k = min(s.community.managers, n0 - 1)
        roles[1: 1 + k] = ROLE["manager"]
        roles[1 + k:][roles[1 + k:] == ROLE["manager"]] = ROLE["participant"]
        fit = draw_fit(s.community.value_fit_mean, n0, self.rng)
        fit[: 1 + k] = np.maximum(fit[: 1 + k], 0.9)
        fill_members(self.table, ids, roles, fit, np.full(n0, CHANNEL["founding"]), 0, s, self.rng)
        self._founding_fees = recruiting.charge_fee(self.table, s, ids[1 + k:])
        edges = np.array(list(founding.edges()), dtype=np.int64).reshape(-1, 2)
        self.ties.add(edges[:, 0], edges[:, 1])

    def _sync_agents(self, joined: np.ndarray) -> None:
        """Create agents for new members (given by row), remove those of members who left."""
        t = self.table
        for row, mid in zip(joined.tolist(), t.member_id[joined].tolist()):
            self._members[mid] = ROLE_CLASSES[t.role[row]](self, mid)
        pop = self._members.pop
        for gone in t.departed:
            for mid in gone.tolist():
                pop(mid).remove()
        t.departed.clear()

    def _maybe_compact(self) -> None:
        """Archive the rows of members who left once they are a good part of the table, so
        the daily arithmetic runs over current members only."""
        t = self.table
        gone = t.n - int(np.count_nonzero(t.present[: t.n]))
        if gone > max(COMPACT_MIN_ROWS, COMPACT_SHARE * t.n):
            self.ties.remap(t.compact())

    # ---------------------------------------------------------------- the day
    def step(self) -> None:
        """One day: the phases in order, then the day's record."""
        if self.day >= self.horizon:
            self.running = False
            return
        s, b, g, t, rng = self.scenario, self.scenario.behaviour, self.group, self.table, self.rng
        n = t.n
        today = Today(day=self.day, alive=t.present[:n].copy())
        if self.day == 0:
            today.revenue += self._founding_fees  # the founding members' entry fees
        today.members = int(np.count_nonzero(today.alive))
        role = t.role[:n]
        today.creators = (today.alive & (role == ROLE["creator"])).nonzero()[0]
        today.managers = (today.alive & (role == ROLE["manager"])).nonzero()[0]

        content.post_scheduled_content(t, g, s.strategy.content, today, rng)
        attention.draw_visits(t, g, b, today, rng)
        posting.draw_posts(t, g, b, today, rng)
        today.welcome_rate = WELCOME_REPLIES * g.manager_coverage * (len(today.managers) > 0)
        posting.answer_posts(t, self.ties, b, today, rng)
        ads.draw_ads(t, g, b, s.community.goal_clarity, today, rng)
        kicked = ads.moderate(t, g, b, s.strategy.moderation, self._last_joined, today, rng)
        self._tally_posts(today)
        g.add_to_unread(self.day, float(today.content.sum()) + today.event_content,
                        float(today.chat.sum()), float(today.ads_kept))
        commitment.update_commitment(s, g, t, today)
        leadership.update_presence_and_burnout(t, g, b, today)
        t.depart(kicked, self.day, "kicked")
        leavers = leaving.draw_leavers(t, b, today, rng)
        leavers = leavers[t.present[leavers]]
        t.depart(leavers, self.day, "left")
        today.left = len(kicked) + len(leavers)
        self._refresh_alive(today)

        operator.give_rewards(t, s, today)
        operator.give_perks(t, g, s, today)
        removed = operator.clean_up(t, self.ties, g, s, today, rng)
        t.depart(removed, self.day, "removed")
        today.removed = len(removed)
        self._refresh_alive(today)
        conversion.convert_and_sell(t, s, today, rng)

        followers = recruiting.maybe_spin_off(t, self.ties, g, s, today, rng)
        t.depart(followers, self.day, "spinoff")
        today.left += len(followers)
        self._refresh_alive(today)
        applicants = recruiting.draw_applicants(t, g, s, today, rng)
        joined = recruiting.admit(t, self.ties, g, s, applicants, today, rng)
        self._last_joined = len(joined)
        commitment.age_group(s, g, t, today)
        if self.day % SUB_LEADER_EVERY_DAYS == 0:
            leadership.mark_sub_leaders(t, self.ties, t.present[: t.n])

        self._record(today)
        self._sync_agents(joined)
        self._maybe_compact()
        self.day += 1
        if self.day >= self.horizon:
            self.running = False

    def _refresh_alive(self, today: Today) -> None:
        """After departures: who is still a member today."""
        today.alive = self.table.present[: len(today.alive)].copy()
        today.members = int(np.count_nonzero(today.alive))

    def _tally_posts(self, today: Today) -> None:
        """Add the day's posts to each author's counters."""
        t, day = self.table, self.day
        talk = today.content + today.chat
        authors = ((talk + today.ads) > 0).nonzero()[0]
        said = talk[authors]
        today.talked = np.zeros(len(talk), dtype=bool)
        today.talked[authors] = said > 0
        today.talkers = np.count_nonzero(today.talked[authors] & ~t.spammer[authors])
        t.posts[authors] += said
        t.content_posts[authors] += today.content[authors]
        t.chat_posts[authors] += today.chat[authors]
        t.ad_posts[authors] += today.ads[authors]
        t.window_posts[authors] += said
        t.cleanup_posts[authors] += said
        t.last_post_day[authors] = day

    def _record(self, today: Today) -> None:
        t, g, r, d = self.table, self.group, self.records, self.day
        n = t.n
        alive = t.present[:n]
        members = np.count_nonzero(alive)
        r["day"][d] = d
        r["members"][d] = members
        r["active"][d] = today.talkers
        real = alive & ~t.spammer[:n]
        commitment = t.commitment[:n]
        n_real = np.count_nonzero(real)
        r["quiet"][d] = np.count_nonzero(real & (commitment < self.scenario.behaviour.quiet_below))
        r["visitors"][d] = np.count_nonzero(today.visited)
        r["joined"][d] = today.joined
        r["left"][d] = today.left
        r["removed"][d] = today.removed
        r["content_posts"][d] = today.content.sum()
        r["chat_posts"][d] = today.chat.sum()
        r["ad_posts"][d] = today.ads_kept
        r["ads_removed"][d] = today.ads_removed
        r["posts"][d] = r["content_posts"][d] + r["chat_posts"][d] + today.ads_kept
        r["events"][d] = len(today.events)
        r["revenue"][d] = today.revenue
        r["operator_cost"][d] = today.operator_cost
        r["payers"][d] = np.count_nonzero(alive & t.paying[:n])
        r["mean_commitment"][d] = float(np.dot(commitment, real)) / n_real if n_real else 0.0
        r["creator_presence"][d] = g.creator_presence
        r["novelty"][d] = g.novelty
        r["applicants"][d] = today.applicants
        r["turned_away"][d] = today.turned_away
        r["spinoffs"][d] = g.spinoffs
        r["conversions"][d] = today.conversions
        counts = t.role_counts
        for i, role in enumerate(ROLES):
            r[f"role_{role}"][d] = counts[i]

    # ---------------------------------------------------------------- running and reading
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
        return self._members.get(int(member_id))

    def timeseries(self) -> dict[str, np.ndarray]:
        """The per-day record so far, one array per column."""
        return {k: v[: self.day].copy() for k, v in self.records.items()}

    def member_column(self, name: str, ids) -> np.ndarray:
        """Values of a member-table column (e.g. 'commitment', 'role') for current members'
        ids, in the order given."""
        rows = self.table.row_of[np.asarray(ids, dtype=np.int64)]
        if np.any(rows < 0):
            raise KeyError("some of these members have left")
        return getattr(self.table, name)[rows]

    def member_records(self) -> dict[str, np.ndarray]:
        """One row per member who ever joined, ordered by id: the members.csv table."""
        t = self.table.records()
        return {
            "id": t["member_id"],
            "role": np.array(ROLES)[t["role"]],
            "join_day": t["join_day"],
            "leave_day": t["leave_day"],
            "joined_via": np.array(CHANNELS)[t["joined_via"]],
            "leave_reason": np.array(LEAVE_REASONS)[t["leave_reason"]],
            "brought_by": t["brought_by"],
            "posts": t["posts"],
            "content_posts": t["content_posts"],
            "chat_posts": t["chat_posts"],
            "ad_posts": t["ad_posts"],
            "replies_received": t["replies_received"],
            "visits": t["visits"],
            "final_commitment": t["commitment"].round(4),
            "value_fit": t["fit"].round(4),
            "catalyst": t["catalyst"],
            "spammer": t["spammer"],
            "paid": t["paying"],
            "spent_yuan": t["spent_yuan"].round(2),
            "first_post_day": t["first_post_day"],
            "first_post_answered": t["first_post_answered"],
            "posted_again": t["posted_again"],
        }
