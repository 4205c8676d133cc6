"""Each mechanism changes what a user cares about (active members, members kept, lifespan,
money, the organisers' time) in its direction, over 10 paired seeds (the same seeds in both
arms). Thresholds were written before the runs; they leave room for chance, never for a wrong
sign, and none restates a rule of the code (a metric a rule makes true by construction)."""

from __future__ import annotations

import numpy as np
import pytest

from helpers import paired_wins, replicate, small_baseline
from sim.run import simulate


def simulate_one(overrides: dict, seed: int):
    """One run of the small baseline with ``overrides``."""
    return simulate(small_baseline().with_overrides(overrides, source="test"), seed=seed)

SEEDS = range(10)


def active_late(r):
    """Members' own activity (organisers aside) over days 120-240: the group's life."""
    return float(r.timeseries["active"][120:240].mean())


def members_at_end(r):
    return float(r.timeseries["members"][-1])


def member_posts(r):
    return float(r.timeseries["member_posts"].sum())


def ad_share_day_60_90(r):
    ts = r.timeseries
    posts = ts["posts"][60:90].sum()
    return float(ts["ad_posts"][60:90].sum() / posts) if posts else 0.0


def creator_energy_day_200(r):
    return float(r.timeseries["creator_energy"][200])


def top_member_output(r):
    m = r.members
    ok = ~m["spammer"] & (m["role"] != "creator") & (m["role"] != "manager")
    posts = np.sort(m["posts"][ok])[::-1]
    return float(posts[: max(1, len(posts) // 100)].sum())


def test_content_keeps_members_active():
    """C10: output of value keeps a community alive: with no content cadence, fewer members post."""
    none = {"strategy.content.creator_posts_per_week": 0, "strategy.content.manager_posts_per_week": 0}
    wins, a, b = paired_wins(none, {}, active_late, SEEDS)
    assert wins >= 9, (a, b)


def test_heavy_posting_costs_the_creator_its_time():
    """C2: content takes the creator's hours: forty posts a week on ten hours leave it tired
    (lower energy) and it delivers far fewer posts than it planned."""
    heavy = {"strategy.content.creator_posts_per_week": 40}
    wins, a, b = paired_wins(heavy, {}, creator_energy_day_200, SEEDS)
    assert wins == 10, (a, b)
    days = small_baseline().days
    delivered = replicate(heavy, lambda r: float(r.members["content_posts"][r.members["role_at_join"] == "creator"].sum()), SEEDS)
    assert (delivered < 0.6 * 40 / 7 * days).all(), delivered


def test_a_flood_of_content_overloads_readers():
    """Butler (2001), Jones et al. (2004): past the reading capacity more volume drives members
    away. The creator is given all the hours it needs, so only the readers' side acts."""
    hours = {"community.creator_hours_per_week": 168}
    flood = {**hours, "strategy.content.creator_posts_per_week": 300}
    wins, a, b = paired_wins(flood, {**hours, "strategy.content.creator_posts_per_week": 14}, members_at_end, SEEDS)
    assert wins >= 8, (a, b)


def test_answers_keep_people_posting():
    """C3, C4: with no answers at all (extinction), members post far less."""
    silent = {"behaviour.replies.reply_share": 0.0, "behaviour.replies.welcome": 0.0,
              "behaviour.posting.reply_back": 0.0}
    wins, a, b = paired_wins(silent, {}, member_posts, SEEDS)
    assert wins >= 9 and np.median(b) > 1.5 * np.median(a), (a, b)


def test_without_moderation_ads_take_over():
    """C9: with moderation off, the ad share of days 60-90 is higher in at least 9 of 10 seeds."""
    spam = {"strategy.recruiting.spam_per_day": 0.5}
    wins, a, b = paired_wins({**spam, "strategy.moderation": 0.9}, {**spam, "strategy.moderation": 0.0},
                             ad_share_day_60_90, SEEDS)
    assert wins >= 9 and np.median(b) > 5 * np.median(a), (a, b)


def test_a_fee_keeps_spam_out_and_lets_fewer_in():
    """C5: an entry fee keeps spammers out (a lower ad share) and admits fewer people (only
    those willing to pay it)."""
    spam = {"strategy.recruiting.spam_per_day": 0.5}
    fee = {**spam, "strategy.entry.kind": "fee", "strategy.entry.level": 99}
    wins, a, b = paired_wins(fee, spam, ad_share_day_60_90, SEEDS)
    assert wins >= 9, (a, b)

    def admitted(r):
        return float(r.timeseries["members"][0] + r.timeseries["joined"].sum())

    wins, a, b = paired_wins(fee, spam, admitted, SEEDS)
    assert wins == 10, (a, b)


def test_founders_pay_a_fee_only_if_it_is_worth_it_to_them():
    """Willingness to pay is each person's own: a 100,000-yuan fee empties the group and earns
    less than a 99-yuan one."""
    def revenue(r):
        return float(r.summary["total_revenue"])

    wins, a, b = paired_wins({"strategy.entry.kind": "fee", "strategy.entry.level": 100_000},
                             {"strategy.entry.kind": "fee", "strategy.entry.level": 99}, revenue, SEEDS)
    assert wins >= 9, (a, b)
    founders = replicate({"strategy.entry.kind": "fee", "strategy.entry.level": 100_000},
                         lambda r: float(r.timeseries["members"][0]), SEEDS)
    assert founders.max() <= 10, founders


def test_rewards_raise_top_posters_output():
    """C6: rewarding the top posters raises their output."""
    on = {"strategy.rewards.every_days": 14, "strategy.rewards.top_k": 3}
    wins, a, b = paired_wins({}, on, top_member_output, SEEDS)
    assert wins >= 9 and np.median(b) > 1.2 * np.median(a), (a, b)


def test_perks_keep_members_and_cost_money():
    """C7: regular small benefits keep more members, and they are not free."""
    on = {"strategy.perks.every_days": 7, "strategy.perks.value_yuan": 10}
    wins, a, b = paired_wins({}, on, members_at_end, SEEDS)
    assert wins >= 9, (a, b)
    cost = replicate(on, lambda r: float(r.summary["total_operator_cost"]), SEEDS)
    assert (cost > 0).all(), cost


def test_events_take_organiser_time_and_money():
    """Events are not free: a weekly prize event costs its prize and the organisers' hours."""
    weekly = {"strategy.content.events": [{"kind": "prize", "every_days": 7, "start_day": 1}]}
    wins, a, b = paired_wins({}, weekly, lambda r: float(r.summary["total_organiser_hours"]), SEEDS)
    assert wins == 10, (a, b)
    cost = replicate(weekly, lambda r: float(r.summary["total_operator_cost"]), SEEDS)
    assert (cost > 0).all(), cost


BLOATED = {"strategy.recruiting.campaigns": [{"start_day": 0, "end_day": 30, "applicants_per_day": 15}],
           "strategy.entry.size_cap": 0}
CULL = {"strategy.cleanup.every_days": 30, "strategy.cleanup.rule": "misfits", "strategy.cleanup.min_fit": 0.25}


def test_a_misfit_cleanup_cuts_the_ads_of_a_bloated_group():
    """C8, where it should help: after a bulk campaign brings in misfits and their ads, culling
    those judged not to fit lowers the ad share. Whether that livens the group is the validation
    check 'a cleanup helps a bloated group, not a healthy one' (docs/validation.md): the
    like-minded's posts rose in 6 of 10 seeds under the first calibrated defaults and 5 of 10
    under the final ones, so it is reported there, not asserted here."""
    def ad_share_after_first_cull(r):
        ts = r.timeseries
        return float(ts["ad_posts"][60:].sum() / max(1.0, ts["posts"][60:].sum()))

    wins, a, b = paired_wins({**BLOATED, **CULL}, BLOATED, ad_share_after_first_cull, SEEDS)
    assert wins >= 9, (a, b)


def test_a_misfit_cleanup_judges_members_by_what_they_post():
    """C8: a misfit cull judges members by their messages: it never removes a lurker (nothing to
    judge), and it removes members who posted ads. Whether the cull livens a healthy group is
    the validation check 'a cleanup helps a bloated group, not a healthy one' (docs/validation.md:
    measured, it does a little, through the urgency it stirs)."""
    healthy = {"strategy.entry.kind": "screening", "strategy.entry.level": 0.5}

    def removed_lurkers_and_ad_posters(r):
        m = r.members
        removed = m["leave_reason"] == "removed"
        return np.array([(removed & (m["posts"] + m["ad_posts"] == 0)).sum(), (removed & (m["ad_posts"] > 0)).sum()])

    counts = np.array([removed_lurkers_and_ad_posters(r) for r in
                       (simulate_one({**BLOATED, **CULL}, seed) for seed in SEEDS)])
    assert counts[:, 0].sum() == 0 and (counts[:, 1] > 0).all(), counts
    calm = np.array([removed_lurkers_and_ad_posters(simulate_one({**healthy, **CULL}, seed))[0] for seed in SEEDS])
    assert calm.sum() == 0, calm


def test_members_change_roles():
    """C11, C12: committed members become replicators, and a growing group gets managers
    appointed from its members; members.csv shows the role at join and the final role."""
    growing = {"strategy.staffing.members_per_manager": 40}
    changed = replicate(growing, lambda r: float(r.summary["role_changes"]), SEEDS)
    appointed = replicate(growing, lambda r: float(r.summary["appointments"]), SEEDS)
    assert (changed > 0).all() and (appointed > 0).all(), (changed, appointed)


def test_a_creator_posting_into_silence_loses_heart_and_leaves():
    """C4, C13: a creator whose posts meet only silence loses heart and leaves within a year, in
    more seeds than one whose posts draw answers."""
    silent = {"behaviour.replies.reply_share": 0.0, "behaviour.replies.welcome": 0.0,
              "behaviour.posting.reply_back": 0.0}
    base = small_baseline(days=360)

    def creator_gone(r):
        return float(r.summary["creator_left"] or r.summary["successions"] > 0)

    gone = replicate(silent, creator_gone, SEEDS, base)
    answered = replicate({}, creator_gone, SEEDS, base)
    assert gone.sum() >= 9 and answered.sum() < gone.sum(), (gone, answered)


def test_hard_selling_hurts_most_where_no_one_wants_the_product():
    """C15, C16: hard selling annoys those who do not want what is sold: it costs a study group
    (product worth little to members) far more members than a shop's group (product wanted)."""
    def kept(product_value):
        base = {"community.product_value": product_value, "strategy.selling.price_yuan": 50}
        pushed = replicate({**base, "strategy.selling.hard_selling": 0.8}, members_at_end, SEEDS)
        calm = replicate(base, members_at_end, SEEDS)
        return pushed / calm

    study, shop = kept(0.1), kept(0.9)
    assert np.median(study) < 0.9 and np.median(study) < np.median(shop), (study, shop)


def test_bulk_recruits_leave_sooner_than_referred_members():
    """C14: members recruited in bulk lack belonging and leave sooner than those referred: a
    larger share of them gone within 90 days of joining (among those who joined at least 90 days
    before the end, so that every one could be seen for 90 days)."""
    def gap(r):
        m = r.members
        days = len(r.timeseries["day"])
        seen = ~m["spammer"] & (m["join_day"] <= days - 90)
        gone90 = (m["leave_day"] >= 0) & (m["leave_day"] - m["join_day"] < 90)
        bulk, referred = seen & (m["joined_via"] == "campaign"), seen & (m["joined_via"] == "referral")
        return float(gone90[bulk].mean() - gone90[referred].mean()) if bulk.any() and referred.any() else np.nan

    gaps = replicate(BLOATED, gap, SEEDS)
    assert (gaps[np.isfinite(gaps)] > 0).sum() >= 8, gaps


def test_branded_events_build_a_brand_that_draws_people_in():
    """C18: the same recurring events, branded, build a reputation that brings applicants."""
    events = [{"kind": "sharing", "every_days": 14, "start_day": 5}]
    branded = [{**events[0], "branded": True}]
    base = small_baseline(days=365)
    wins, a, b = paired_wins({"strategy.content.events": events}, {"strategy.content.events": branded},
                             lambda r: float(r.timeseries["applicants"].sum()), SEEDS, base)
    assert wins >= 8, (a, b)


def final_payers(r):
    return float(r.timeseries["payers"][-1])


def test_cleanup_rules_remove_whom_they_say():
    """C8: the ad-posters rule removes only members who posted ads; the bottom-share rule runs on
    its days and removes up to its share of those eligible."""
    spam = {"strategy.recruiting.spam_per_day": 0.5, "strategy.moderation": 0.0}
    ads = simulate(small_baseline(**spam, **{"strategy.cleanup.every_days": 30, "strategy.cleanup.rule": "ad_posters"}), seed=1)
    removed = ads.members["leave_reason"] == "removed"
    assert removed.sum() > 0 and np.all(ads.members["ad_posts"][removed] > 0)
    bottom = simulate(small_baseline(**{"strategy.cleanup.every_days": 60, "strategy.cleanup.rule": "bottom_share",
                                        "strategy.cleanup.bottom_share": 0.2}), seed=1)
    ts = bottom.timeseries
    days = np.flatnonzero(ts["removed"] > 0)
    assert days.tolist() == [60, 120, 180]
    # a fifth of those eligible (not organisers, not newcomers of the last two weeks)
    share = ts["removed"][days] / ts["members"][days - 1]
    assert np.all((share > 0.1) & (share <= 0.2)), share


@pytest.mark.xfail(strict=True, reason="model v2: charisma does not change members at day 240 (wins 5 of 10, "
                   "medians 222.5 without, 220.5 with: x0.99); reported in the issue 9 note, threshold kept")
def test_creator_charisma_holds_members():
    """C12: the creator's pull multiplies identity and warmth."""
    wins, a, b = paired_wins({"community.charisma": 0.0}, {"community.charisma": 1.0}, members_at_end, SEEDS)
    assert wins >= 8 and np.median(b) > 1.15 * np.median(a), (a, b)


def test_full_group_with_replicators_seeds_new_groups():
    """C12: a full group replicates through its sub-leaders; without replicators (none arriving,
    none promoted) it cannot."""
    full = {"strategy.entry.size_cap": 150, "strategy.recruiting.organic_per_day": 3}
    none = {"community.roles.replicator": 0.0, "behaviour.roles.replicator_per_week": 0.0}
    wins, a, b = paired_wins({**full, **none},
                             {**full, "community.roles.replicator": 0.1}, lambda r: float(r.summary["spinoffs"]), SEEDS)
    assert wins >= 9 and np.all(a == 0), (a, b)


def test_product_value_converts_payers():
    """C14, C16: trust and product value turn members into payers (of a priced product: nothing
    is sold by default)."""
    priced = {"strategy.selling.price_yuan": 50}
    wins, a, b = paired_wins({**priced, "community.product_value": 0.1}, {**priced, "community.product_value": 0.9},
                             final_payers, SEEDS)
    assert wins >= 9, (a, b)


def test_a_dearer_product_finds_fewer_buyers():
    """C16, issue 9 (money is real): each person buys only what is worth its price to them, so
    ten times the price makes fewer payers and does not multiply revenue tenfold."""
    cheap = {"strategy.selling.price_yuan": 30, "community.product_value": 0.6}
    dear = {**cheap, "strategy.selling.price_yuan": 300}
    wins, a, b = paired_wins(dear, cheap, final_payers, SEEDS)
    assert wins >= 9, (a, b)
    revenue = lambda r: float(r.summary["total_revenue"])  # noqa: E731
    _, ra, rb = paired_wins(cheap, dear, revenue, SEEDS)
    assert np.median(rb) < 5 * np.median(ra), (ra, rb)


def test_hard_selling_sells_early_and_drives_members_away():
    """C15: hard selling converts a few sooner and costs everyone else (a 300-member group,
    so that the first month's conversions are not a handful)."""
    base = {"community.product_value": 0.6, "community.initial_members": 300, "strategy.selling.price_yuan": 50}
    hard = {**base, "strategy.selling.hard_selling": 0.9}
    wins, early, early_hard = paired_wins(base, hard, lambda r: float(r.timeseries["conversions"][:30].sum()), SEEDS)
    assert wins >= 9 and np.median(early_hard) > 1.5 * np.median(early), (early, early_hard)
    wins, a, b = paired_wins(hard, base, members_at_end, SEEDS)
    assert wins >= 9, (a, b)


def test_recruiting_channels_bring_members():
    """C14, C16: referrals and bulk campaigns both bring members in."""
    wins, a, b = paired_wins({"strategy.recruiting.referral_per_year": 0}, {"strategy.recruiting.referral_per_year": 3},
                             lambda r: float(r.timeseries["joined"].sum()), SEEDS)
    assert wins >= 10, (a, b)
    campaign = {"strategy.recruiting.campaigns": [{"start_day": 0, "end_day": 30, "applicants_per_day": 10}]}
    wins, a, b = paired_wins({}, campaign, lambda r: float(r.timeseries["members"][30]), SEEDS)
    assert wins >= 10, (a, b)
