"""The model's structure: determinism, agents as views, the graph, the day's records."""

from __future__ import annotations

import mesa
import numpy as np

from sim import CommunityModel
from sim.model import TIMESERIES_COLUMNS, Member
from sim.run import simulate
from sim.run.files import table_csv
from sim.scenario import ROLES

from helpers import small_baseline


def test_same_seed_gives_identical_bytes_and_other_seeds_differ():
    s = small_baseline(days=120)
    a, b, c = simulate(s, seed=5), simulate(s, seed=5), simulate(s, seed=6)
    assert table_csv(a.timeseries) == table_csv(b.timeseries)
    assert table_csv(a.members) == table_csv(b.members)
    assert a.summary == b.summary
    assert table_csv(a.timeseries) != table_csv(c.timeseries)


def test_model_is_a_mesa_model_with_member_agents_for_current_members():
    model = CommunityModel(small_baseline(days=90), rng=3)
    assert isinstance(model, mesa.Model)
    model.run()
    t = model.table
    alive = t.member_id[: t.n][t.present[: t.n]]
    agents = model.members
    assert [a.member_id for a in agents] == alive.tolist()
    assert len(model.agents) == len(alive)
    assert all(isinstance(a, Member) for a in agents)
    assert {a.role for a in agents} <= set(ROLES)
    creator = agents[0]
    assert creator.role == "creator" and 0 <= creator.commitment <= 1
    assert abs(sum(creator.motivation.values()) - 1) < 1e-9
    # leavers are gone from both the agents and the graph
    records = model.member_records()
    gone = records["id"][records["leave_day"] >= 0]
    assert len(gone) > 0
    assert all(model.member(i) is None for i in gone)
    assert set(model.network.nodes) == set(alive.tolist())


def test_agents_made_when_asked_for_follow_joins_role_changes_and_departures():
    """Agents are made on first access; looked at early, mid-run and at the end, they are
    exactly the current members, each of its current role's class, whatever happened between."""
    from sim.model.members import ROLE_CLASSES

    scenario = small_baseline(days=240, **{"strategy.staffing.appoint_managers": True,
                                          "strategy.staffing.members_per_manager": 30})
    model = CommunityModel(scenario, rng=5)
    t = model.table
    for days in (0, 60, 180):  # asked for before any day, then after joins, appointments, leavers
        model.run(days)
        alive = t.member_id[: t.n][t.present[: t.n]]
        agents = list(model.agents)
        assert sorted(a.member_id for a in agents) == alive.tolist()
        assert all(type(a) is ROLE_CLASSES[t.role[t.row_of[a.member_id]]] for a in agents)
        assert sum(len(s) for s in model.agents_by_type.values()) == len(alive)
    assert model.member_records()["leave_day"].max() > 0  # members did leave along the way
    assert int(model.timeseries()["appointments"].sum()) > 0  # and roles changed


def test_records_are_consistent():
    r = simulate(small_baseline(days=150), seed=2)
    ts = r.timeseries
    assert tuple(ts) == TIMESERIES_COLUMNS
    roles = sum(ts[f"role_{x}"] for x in ROLES)
    assert np.array_equal(roles, ts["members"])
    assert np.array_equal(ts["posts"], ts["content_posts"] + ts["chat_posts"] + ts["ad_posts"])
    assert np.all(ts["active"] <= ts["members"]) and np.all(ts["quiet"] <= ts["members"])
    # members at the end = founders + joined - left - removed
    m = r.members
    assert ts["members"][-1] == (m["leave_day"] < 0).sum()
    assert int(ts["joined"].sum()) == int((m["join_day"] > 0).sum() + (m["join_day"] == 0).sum() - 150)
    assert int(ts["left"].sum() + ts["removed"].sum()) == int((m["leave_day"] >= 0).sum())
    # members' posts add up to the day records
    assert int(m["posts"].sum()) == int(ts["content_posts"].sum() + ts["chat_posts"].sum())


def test_edge_list_network_is_loaded(tmp_path):
    edges = tmp_path / "ties.txt"
    edges.write_text("# a ring of 30 with chords\n" + "\n".join(f"m{i} m{(i + 1) % 30}" for i in range(30))
                     + "\nm0 m15\n")
    s = small_baseline(**{"community.network.kind": "edge_list", "community.network.edge_list": str(edges),
                          "community.initial_members": 30, "community.network.mean_degree": 2, "days": 30})
    model = CommunityModel(s)
    assert model.table.n == 30
    assert model.network.number_of_edges() == 31
    model.run()


def test_network_generators_are_seeded():
    for kind in ("small_world", "scale_free", "random"):
        s = small_baseline(**{"community.network.kind": kind, "days": 1})
        g1 = CommunityModel(s, rng=4).network
        g2 = CommunityModel(s, rng=4).network
        assert sorted(g1.edges) == sorted(g2.edges)


def _burn_out_the_creator_on_day(model, day: int, heir_commitment: float) -> None:
    """Run to ``day``, then leave the creator with no energy and the managers with the given
    commitment, as if the creator had burnt out."""
    model.run(day)
    t = model.table
    rows = np.flatnonzero(t.present[: t.n])
    creator = rows[t.role[rows] == ROLES.index("creator")]
    managers = rows[t.role[rows] == ROLES.index("manager")]
    t.energy[creator] = 0.0
    t.commitment[managers] = heir_commitment
    t.commitment[rows[t.role[rows] == ROLES.index("replicator")]] = 0.0


def test_a_committed_manager_takes_over_from_a_creator_who_burns_out():
    model = CommunityModel(small_baseline(days=60), rng=2)
    _burn_out_the_creator_on_day(model, 30, heir_commitment=0.9)
    charisma = model.group.leader_charisma
    model.step()
    creators = [a for a in model.members if a.role == "creator"]
    assert len(creators) == 1 and model.group.successions == 1
    assert model.group.leader_charisma < charisma
    records = model.member_records()
    heir = records["id"] == creators[0].member_id
    assert records["role_at_join"][heir][0] == "manager" and records["role"][heir][0] == "creator"


def test_with_no_committed_heir_the_group_drifts_without_a_creator():
    model = CommunityModel(small_baseline(days=80), rng=2)
    _burn_out_the_creator_on_day(model, 30, heir_commitment=0.2)
    model.run()
    assert not [a for a in model.members if a.role == "creator"]
    assert model.group.successions == 0 and model.group.creator_presence < 0.1


def test_the_message_log_is_the_posts_and_answers_go_to_recent_posters():
    model = CommunityModel(small_baseline(days=150), rng=4)
    model.run()
    ts, log = model.timeseries(), model.message_log()
    assert len(log["day"]) == int(ts["content_posts"].sum() + ts["chat_posts"].sum())
    assert int((log["reply_to"] >= 0).sum()) == int(ts["replies"].sum() + ts["welcomes"].sum())
    ads = model.message_log(kinds=("ad",))
    assert len(ads["day"]) == int(ts["ad_posts"].sum() + ts["ads_removed"].sum())
    window = model.scenario.behaviour.replies.window_days
    answers = np.flatnonzero(log["reply_to"] >= 0)
    for i in answers[:: max(1, len(answers) // 200)]:  # a sample: the answered posted lately
        earlier = (log["author"] == log["reply_to"][i]) & (log["day"] <= log["day"][i]) & (log["day"] > log["day"][i] - window)
        assert earlier.any()


def test_member_keyed_luck_is_uniform_independent_and_follows_the_member():
    """sim.model.luck: a member's draw depends on (key, member, day, purpose) only, so two
    strategies on one seed give each member the same luck whoever else is in the table."""
    from scipy import stats

    from sim.model.luck import dice_for_phases
    dice = dice_for_phases(np.random.default_rng(7))["attention"]
    ids = np.arange(200_000)
    u = dice.member_uniform("visit", 3, ids)
    assert stats.kstest(u, "uniform").pvalue > 0.001
    for other in (dice.member_uniform("visit", 4, ids), dice.member_uniform("leave", 3, ids),
                  dice.member_uniform("visit", 3, ids + 1)):
        assert abs(np.corrcoef(u, other)[0, 1]) < 0.01
    some = np.array([5, 17, 123_456])
    assert np.array_equal(dice.member_uniform("visit", 3, some), u[some])  # the table around them does not matter
    other_run = dice_for_phases(np.random.default_rng(8))["attention"]
    assert not np.array_equal(other_run.member_uniform("visit", 3, some), u[some])
    z = dice.member_normal(0, ids)
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1.0) < 0.01


def test_an_extra_draw_in_one_phase_does_not_shift_the_others():
    """Each phase has its own stream: a cleanup that judges members but removes nobody leaves
    the rest of the run exactly as it was (before, its draws shifted every later draw)."""
    from sim.scenario import load_scenario
    from sim.scenario.catalog import scenarios_dir
    s = load_scenario(scenarios_dir() / "baseline.yaml")
    inert = s.with_overrides({"strategy.cleanup.every_days": 30, "strategy.cleanup.rule": "misfits",
                              "strategy.cleanup.min_fit": 0.0, "behaviour.organisers.minutes_per_review": 0.0,
                              "behaviour.operator.fit_signal_noise": 0.0}, source="test")
    for seed in range(4):
        a, b = simulate(s, seed=seed, days=200), simulate(inert, seed=seed, days=200)
        assert b.timeseries["removed"].sum() == 0
        assert np.array_equal(a.timeseries["active"], b.timeseries["active"])
        assert np.array_equal(a.timeseries["members"], b.timeseries["members"])


def test_finished_models_are_not_kept_alive():
    """Mesa 3.3 keeps every model reachable from ``Agent._ids`` (mesa issue 3179); with the
    workaround (sim.model.mesa_ids) a process running many models does not keep them."""
    import gc
    import weakref

    refs = []
    for seed in range(12):
        model = CommunityModel(small_baseline(), rng=seed)
        model.run(days=5)
        refs.append(weakref.ref(model))
        del model
    gc.collect()
    assert sum(r() is not None for r in refs) == 0
    again = CommunityModel(small_baseline(), rng=1)  # numbering still starts at 1 in a new model
    assert min(a.unique_id for a in again.agents) == 1


def test_array_built_graphs_match_networkx_generators():
    """Large groups' founding graphs are drawn as arrays (sim.model.network); they must be the
    same kind of graph as networkx's: the same degree distribution (total variation under 0.02)
    and, for the small world, the same clustering (within 0.02), with no self-loops or repeats."""
    import networkx as nx

    from sim.model.network import ARRAY_GRAPH_MEMBERS, build_network, random_ties, small_world_ties
    from sim.scenario import Network

    n = 20_000

    def graph(ties: np.ndarray) -> nx.Graph:
        g = nx.Graph()
        g.add_nodes_from(range(n))
        g.add_edges_from(ties.tolist())
        assert g.number_of_edges() == len(ties) and nx.number_of_selfloops(g) == 0
        return g

    def degrees(g: nx.Graph) -> np.ndarray:
        return np.bincount([d for _, d in g.degree()], minlength=200)[:200] / n

    ours = graph(small_world_ties(n, 6, 0.1, np.random.default_rng(2)))
    theirs = nx.watts_strogatz_graph(n, 6, 0.1, seed=2)
    assert 0.5 * np.abs(degrees(ours) - degrees(theirs)).sum() < 0.02
    assert abs(nx.average_clustering(ours) - nx.average_clustering(theirs)) < 0.02
    ours = graph(random_ties(n, 3 * n, np.random.default_rng(2)))
    assert 0.5 * np.abs(degrees(ours) - degrees(nx.gnm_random_graph(n, 3 * n, seed=2))).sum() < 0.02
    members, ties = build_network(Network(kind="small_world", mean_degree=8), ARRAY_GRAPH_MEMBERS,
                                  np.random.default_rng(0))
    assert members == ARRAY_GRAPH_MEMBERS and ties.shape == (4 * ARRAY_GRAPH_MEMBERS, 2)
