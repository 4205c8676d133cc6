"""The behaviour section of a scenario: how members respond. Calibrated constants with their
ranges and units; change them only for sensitivity studies (docs/model.md)."""

from __future__ import annotations

from dataclasses import dataclass

from .fields import spec


@dataclass
class Behaviour:
    """Response constants of members; defaults are the calibrated model (docs/model.md)."""

    visit_min: float = spec(0.05, "daily visit probability at zero commitment", 0, 1)
    visit_max: float = spec(0.85, "daily visit probability at full commitment", 0, 1)
    quiet_below: float = spec(0.25, "commitment under which a member goes quiet (mutes)", 0, 1)
    quiet_visit_factor: float = spec(0.3, "visit probability multiplier for quiet members", 0, 1)
    leave_below: float = spec(0.12, "commitment under which a member may leave", 0, 1)
    leave_rate: float = spec(0.08, "daily leaving probability at zero commitment", 0, 1)
    read_capacity: float = spec(45.0, "messages a visitor reads per day (overload past this)", 1, 100_000)
    post_propensity_median: float = spec(0.003, "median posting propensity (scaled by drive, commitment, crowd; probability capped at 0.95)", 0, 1)
    post_propensity_spread: float = spec(2.5, "log-normal spread of posting propensity (C19: 90-9-1)", 0, 5)
    catalyst_propensity: float = spec(0.5, "posting propensity of a catalyst", 0, 1)
    reply_per_neighbour_post: float = spec(0.15, "chance a tie who posts today answers a given post", 0, 1)
    reply_from_strangers: float = spec(1.0, "replies a post gets from non-ties when a conversation is under way", 0, 10)
    drive_up: float = spec(0.05, "posting drive gained when a post is answered (C3)", 0, 1)
    drive_down: float = spec(0.03, "posting drive lost when a post is ignored (C4)", 0, 1)
    learning_rate: float = spec(0.05, "how fast commitment follows satisfaction per visit", 0, 1)
    forget_rate: float = spec(0.004, "commitment lost per day without a visit", 0, 1)
    need: float = spec(0.16, "satisfaction a visit must give to hold commitment steady", 0, 2)
    ad_cost: float = spec(0.6, "dissatisfaction when all one reads is ads (C4)", 0, 5)
    overload_cost: float = spec(0.25, "dissatisfaction from unread volume: times log(1 + excess over read capacity)", 0, 5)
    ignored_cost: float = spec(0.05, "dissatisfaction when one's post is ignored (C4)", 0, 5)
    hard_sell_cost: float = spec(0.5, "dissatisfaction per day at full hard selling (C15)", 0, 5)
    novelty_days: float = spec(600.0, "days over which the group's topics lose novelty (C3, C13)", 1, 36500)
    novelty_floor: float = spec(0.3, "novelty left when topics are exhausted", 0, 1)
    member_novelty_days: float = spec(400.0, "days over which the same faces and the same path grow stale for a member (C3, C13)", 1, 36500)
    member_novelty_floor: float = spec(0.3, "freshness left for a long-standing member", 0, 1)
    habituation: float = spec(0.1, "extra satisfaction a fully habituated member needs to stay as committed (C13)", 0, 2)
    event_novelty: float = spec(0.08, "novelty (group topics and members' freshness) a branded event restores (C18)", 0, 1)
    burnout_days: float = spec(730.0, "days a creator carrying all the content alone lasts, before answers and silence (C2, C13)", 1, 36500)
    manager_capacity: float = spec(15.0, "ads and newcomers one manager handles per day", 0, 10_000)
    ad_propensity_low_fit: float = spec(0.05, "chance a visiting low-fit member posts an ad (C1)", 0, 1)
    ad_norm_pull: float = spec(3.0, "how much visible ads encourage more ads (C9)", 0, 100)
    spammer_ads_per_visit: float = spec(0.8, "chance a visiting spammer posts an ad", 0, 1)
    urgency: float = spec(0.15, "visit, posting and satisfaction lift survivors feel after a cleanup (C8)", 0, 1)
    urgency_days: float = spec(10.0, "days the urgency lasts", 0, 3650)
    cleanup_resentment: float = spec(0.3, "commitment lost by a member all of whose ties a cleanup removed", 0, 1)
    fee_commitment: float = spec(0.15, "commitment a full fee adds on joining (sunk cost, C5)", 0, 1)
    fee_expectation: float = spec(0.06, "satisfaction a payer of a full fee expects on top of need", 0, 1)
    fee_reference_yuan: float = spec(200.0, "fee counted as full for commitment and expectation, yuan", 1, 1_000_000)
    conversion_rate: float = spec(0.008, "daily conversion chance of a fully committed member at full product value", 0, 1)
    hard_sell_lift: float = spec(4.0, "conversion multiplier at full hard selling", 1, 100)
    perk_memory_days: float = spec(5.0, "days over which the material glow of a perk or gift fades", 0.1, 3650)
    reward_memory_days: float = spec(14.0, "days a reward's recognition lasts", 0.1, 3650)
    material_scale_yuan: float = spec(10.0, "perk value that gives half the full material benefit, yuan", 0.1, 1_000_000)
    spinoff_after_turned_away: int = spec(50, "applicants turned away at the cap before a replicator seeds a new group", 1, 1_000_000)

