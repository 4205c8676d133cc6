"""The behaviour section of a scenario: how people respond, one subsection per phase of the day.

Every response constant of the model is a field here, with its range, unit and the claims it
serves (C1..C19 in docs/model.md); the phases hold no numbers of their own, so calibration and
sensitivity studies can vary all of them (``behaviour.replies.drive_up: 0.1``). The defaults are
the calibrated model (docs/calibration.md). Event kinds' profiles are in ``sim.scenario.events``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .events import EventProfiles
from .fields import spec


@dataclass
class Motives:
    """How each role tilts the motivation profile it draws (multipliers on the means, C11 table)."""

    creator_growth: float = spec(2.0, "creator: weight on growth", 0, 100)
    creator_recognition: float = spec(1.5, "creator: weight on recognition", 0, 100)
    manager_recognition: float = spec(2.0, "manager: weight on recognition (responsibility, C11)", 0, 100)
    manager_social: float = spec(1.5, "manager: weight on warmth", 0, 100)
    pioneer_recognition: float = spec(2.5, "pioneer: weight on recognition and reach", 0, 100)
    replicator_growth: float = spec(1.5, "replicator: weight on growth (identity, status)", 0, 100)
    replicator_social: float = spec(1.5, "replicator: weight on warmth", 0, 100)
    collaborator_material: float = spec(2.0, "collaborator: weight on material benefit (mutual benefit)", 0, 100)
    collaborator_information: float = spec(1.5, "collaborator: weight on information", 0, 100)
    payer_material: float = spec(2.0, "payer: weight on material value", 0, 100)


@dataclass
class Attention:
    """Who visits on a day (C4 fading, C8, C10)."""

    visit_min: float = spec(0.05, "daily visit probability at zero commitment", 0, 1)
    visit_max: float = spec(0.85, "daily visit probability at full commitment", 0, 1)
    quiet_below: float = spec(0.25, "commitment under which a member goes quiet (mutes the group)", 0, 1)
    quiet_visit_factor: float = spec(0.3, "visit probability multiplier for quiet members", 0, 1)
    organiser_visit: float = spec(0.95, "daily visit probability of a rested organiser (scaled by energy)", 0, 1)
    spammer_visit: float = spec(0.5, "daily visit probability of an outside spammer", 0, 1)


@dataclass
class Reading:
    """What a visit reads, and how much of it counts (C2, C3, C10, overload)."""

    read_capacity: float = spec(45.0, "messages a visitor reads per day; volume past this dilutes and costs", 1, 100_000)
    unread_days: int = spec(7, "days of messages a visitor catches up on", 1, 365)
    info_saturation: float = spec(1.0, "quality-weighted fresh posts read that give 63% of full information", 0.01, 1000)
    warmth_saturation: float = spec(3.0, "posts by ties read (and answers) that give 63% of full warmth", 0.01, 1000)
    reply_warmth: float = spec(1.0, "an answer to one's post counts as this many ties' posts read", 0, 100)
    chat_warmth: float = spec(0.02, "warmth of one chat message by a non-tie, in ties' posts", 0, 10)


@dataclass
class Posting:
    """Who speaks and how much (C3, C6, C11, C19)."""

    propensity_median: float = spec(0.00033, "median personal posting propensity (log-normal; C19: most lurk)", 0, 1)
    propensity_spread: float = spec(2.86, "log-normal spread of posting propensity", 0, 5)
    propensity_max: float = spec(5.0, "cap on posting propensity", 0.01, 100)
    fit_voice: float = spec(0.5, "propensity multiplier is (fit_voice + value fit): the like-minded speak up more (C5)", 0, 5)
    pioneer_voice: float = spec(2.0, "propensity multiplier of pioneers", 0, 20)
    replicator_voice: float = spec(2.5, "propensity multiplier of replicators", 0, 20)
    catalyst_propensity: float = spec(0.5, "posting propensity of a catalyst (expert, lively member)", 0, 5)
    organiser_propensity: float = spec(0.3, "chat propensity of the creator and managers", 0, 5)
    catalyst_content_share: float = spec(0.3, "share of a catalyst's or collaborator's posting days that carry content", 0, 1)
    extra_messages: float = spec(2.21, "extra messages on a posting day, per unit of propensity x drive", 0, 100)
    newcomer_chance: float = spec(0.0783, "chance a brand-new member posts on a visit (introductions, a first question), fading", 0, 1)
    newcomer_days: float = spec(19.8, "days over which a newcomer's first urge to post fades", 0.1, 365)
    reply_back: float = spec(0.618, "chance a member who was just answered posts again on a visit (C3)", 0, 1)
    reply_back_days: float = spec(3.0, "days over which the urge to answer back fades (conversations are timely)", 0.1, 365)
    recognition_lift: float = spec(1.5, "posting lift per unit of recent recognition (C6)", 0, 100)
    max_chance: float = spec(0.95, "highest daily chance a visitor posts", 0, 1)
    commitment_floor: float = spec(0.1, "posting chance at zero commitment, relative to full commitment", 0, 1)
    crowd_visitors: float = spec(20.0, "visitors a day above which each one feels less need to speak", 1, 1_000_000)


@dataclass
class Replies:
    """Who answers whom, and what answers do to the urge to speak (C3, C4, C11, C12)."""

    reply_share: float = spec(0.887, "share of members' messages that answer someone once a conversation is under way", 0, 1)
    conversation_authors: float = spec(11.7, "recent other authors at which a conversation is 63% under way", 0.1, 1000)
    window_days: int = spec(3, "days a post stays open to answers", 1, 60)
    recency: float = spec(0.5, "weight of a post one day older, relative to a newer one, as a reply target", 0, 1)
    to_tie: float = spec(0.7, "chance an answer goes to one of the replier's ties when one posted recently", 0, 1)
    creator_attraction: float = spec(2.5, "how much likelier a creator's post is answered", 0, 100)
    manager_attraction: float = spec(1.5, "how much likelier a manager's post is answered", 0, 100)
    catalyst_attraction: float = spec(2.0, "how much likelier a catalyst's post is answered", 0, 100)
    welcome: float = spec(0.208, "chance a manager with time answers a newcomer's unanswered post", 0, 1)
    newcomer_days: int = spec(14, "days a member counts as a newcomer for welcomes", 1, 365)
    drive_up: float = spec(0.326, "posting drive gained when a post is answered, toward drive_max (C3)", 0, 1)
    drive_down: float = spec(0.114, "share of posting drive lost when a post goes unanswered (C4, extinction)", 0, 1)
    drive_max: float = spec(3.0, "highest posting drive", 1, 100)
    drive_min: float = spec(0.05, "lowest posting drive", 0, 1)


@dataclass
class Satisfaction:
    """What a visit gives against what it costs, and how commitment follows (C2-C5, C7, C12, C15)."""

    learning_rate: float = spec(0.0309, "how fast commitment follows satisfaction, per visit", 0, 1)
    forget_rate: float = spec(0.004, "commitment lost per day without a visit", 0, 1)
    need: float = spec(0.0865, "satisfaction a visit must give to hold commitment steady", 0, 2)
    identity_base: float = spec(0.3, "sense of belonging with no leader at all", 0, 1)
    identity_leader: float = spec(0.7, "belonging a fully present, fully charismatic leader adds (C12)", 0, 1)
    identity_sub_leader: float = spec(0.15, "belonging a sub-leader among one's ties adds (C12)", 0, 1)
    growth_floor: float = spec(0.4, "growth a visit gives with no fresh content read (the path itself, C2)", 0, 1)
    reply_recognition: float = spec(0.25, "recognition from each answer received (saturating at 1)", 0, 10)
    product_benefit: float = spec(0.3, "material benefit a paying member draws a day at full product value (C16)", 0, 1)
    ad_cost: float = spec(0.6, "cost when all one reads is ads (C4)", 0, 5)
    ads_noticed: float = spec(3.0, "ads read at which their full cost is felt", 0.01, 1000)
    noise_cost: float = spec(0.3, "cost when all one reads is off-topic chat by members who do not share the goal (C1, C5)", 0, 5)
    low_fit: float = spec(0.25, "value fit under which a member's messages are off-topic and its ads likely (C1)", 0, 1)
    overload_cost: float = spec(0.25, "cost per log(1 + volume over read capacity) (overload)", 0, 5)
    ignored_cost: float = spec(0.212, "cost of finding one's post still unanswered (C4)", 0, 5)
    hard_sell_cost: float = spec(0.5, "cost a day of full hard selling to a member who does not want the product (C15)", 0, 5)
    urgency_satisfaction: float = spec(0.5, "satisfaction per unit of post-cleanup urgency (C8)", 0, 5)
    fee_expectation: float = spec(0.06, "extra satisfaction a payer of a full fee expects (C5)", 0, 1)


@dataclass
class Novelty:
    """Topics wear out as they are covered and are renewed by new people and events (C3, C13, C18)."""

    topic_posts: float = spec(3000.0, "quality posts that use up 63% of the fresh topics of a group with a workable path", 1, 10_000_000)
    path_topics: float = spec(1.0, "how much a clear path multiplies the topics there are: x (1 + path_topics x path clarity)", 0, 100)
    newcomer_renewal: float = spec(0.01, "share of the worn-out topics renewed by each newcomer's first posts", 0, 1)
    event_renewal: float = spec(0.02, "share of the worn-out topics renewed by one event", 0, 1)
    brand_renewal: float = spec(0.03, "extra renewal of a branded event, per unit of brand reputation (C18)", 0, 1)
    brand_turnout: float = spec(0.05, "share of members posting on a branded event day that makes it a full success (C18)", 0.001, 1)
    brand_memory_days: float = spec(180.0, "days over which a brand's reputation fades without branded events (C18)", 1, 36500)
    progress_staleness: float = spec(0.6, "share of information value a member who reached its goal no longer gets", 0, 1)


@dataclass
class Goal:
    """Members' progress toward what they came for: a goal reached or lost (C2, C13)."""

    progress_per_visit: float = spec(0.01, "progress a visit of full growth adds toward a member's goal (1 = reached)", 0, 1)
    reached_growth: float = spec(0.2, "share of growth benefit left once a member's goal is reached", 0, 1)


@dataclass
class Organisers:
    """Organisers' time, energy, burnout, leaving and succession (C2, C9, C12, C13)."""

    hours_per_post: float = spec(1.0, "hours one quality post takes its author", 0, 100)
    minutes_per_ad: float = spec(2.0, "minutes to review and remove one ad", 0, 600)
    minutes_per_welcome: float = spec(5.0, "minutes to welcome and answer one newcomer", 0, 600)
    minutes_per_review: float = spec(0.5, "minutes a cleanup spends per member reviewed", 0, 600)
    hours_per_reward_round: float = spec(1.0, "hours a reward round takes", 0, 100)
    hours_per_perk_round: float = spec(1.0, "hours handing out a round of perks takes", 0, 100)
    minutes_per_gift: float = spec(2.0, "minutes handing one joining gift to a newcomer takes", 0, 600)
    strain_days: float = spec(120.0, "days of working at twice one's hours that exhaust a rested organiser", 1, 36500)
    rest_days: float = spec(60.0, "days of working at no hours that fully rest an exhausted organiser", 1, 36500)
    discourage_days: float = spec(120.0, "days of posting into silence that wear a rested organiser out (C4)", 1, 36500)
    presence_days: float = spec(14.0, "days over which members notice the creator is (not) there (C12)", 1, 3650)
    cut_back_energy: float = spec(0.5, "energy under which a tired organiser plans fewer posts, in proportion (it adapts before it breaks)", 0, 1)
    quit_energy: float = spec(0.05, "energy or heart under which the creator leaves or a manager steps down", 0, 1)
    successor_commitment: float = spec(0.6, "commitment a manager or replicator needs to take over from a creator who left", 0, 1)
    successor_charisma: float = spec(0.6, "share of the founder's charisma a successor carries (C12)", 0, 1)


@dataclass
class Roles:
    """How members change role: recognition, the culture absorbed, appointment (C11, C12)."""

    replicator_commitment: float = spec(0.7, "commitment from which a contributor may become a replicator", 0, 1)
    replicator_min_days: int = spec(60, "days of membership before a member can become a replicator", 0, 36500)
    recent_days: float = spec(30.0, "days over which a member's recent posts are counted (a fading memory)", 1, 3650)
    replicator_min_posts: int = spec(5, "recent posts a new replicator needs", 0, 100_000)
    replicator_per_week: float = spec(0.05, "weekly chance a qualifying member becomes a replicator", 0, 1)
    replicator_drop: float = spec(0.4, "commitment under which a replicator stops acting as one", 0, 1)
    sub_leader_commitment: float = spec(0.5, "commitment from which a replicator is a secondary centre for its ties (C12)", 0, 1)
    manager_commitment: float = spec(0.6, "commitment a member needs to be appointed manager", 0, 1)
    manager_min_days: int = spec(30, "days of membership before a member can be appointed manager", 0, 36500)


@dataclass
class Ads:
    """Ads, spam and moderation (C1, C4, C9)."""

    low_fit_ads: float = spec(0.05, "chance a visiting low-fit member posts an ad", 0, 1)
    goal_deterrence: float = spec(0.5, "share of members' ads a fully clear goal deters (C1)", 0, 1)
    norm_pull: float = spec(3.0, "how much visible ads encourage more ads (C9)", 0, 100)
    norm_days: float = spec(7.0, "days over which the visible share of ads sets the group's norm", 0.1, 3650)
    spammer_ads: float = spec(0.8, "chance a visiting spammer posts an ad", 0, 1)
    kick_share: float = spec(0.5, "share of caught spammers a moderator expels", 0, 1)
    spammer_audience: int = spec(5, "visitors a day below which a spammer gives up on the group", 0, 1_000_000)
    spammer_give_up: float = spec(0.05, "daily chance a spammer without an audience leaves", 0, 1)


@dataclass
class Leaving:
    """Leaving: quiet first, gone after (C4)."""

    leave_below: float = spec(0.12, "commitment under which a member may leave", 0, 1)
    leave_rate: float = spec(0.0109, "daily leaving probability at zero commitment", 0, 1)


@dataclass
class Newcomers:
    """Who arrives by each channel, and how attached they start (C5, C14, C15, C16)."""

    fit_concentration: float = spec(6.0, "Beta concentration of value fit around its mean", 0.5, 1000)
    campaign_fit: float = spec(0.25, "mean value fit of applicants recruited in bulk (C14)", 0, 1)
    spammer_fit: float = spec(0.02, "value fit of an outside spammer", 0, 1)
    bulk_spammer_share: float = spec(0.15, "share of bulk-recruited applicants who come to advertise (C1)", 0, 1)
    gift_material_tilt: float = spec(3.0, "how much more a gift-lured newcomer cares about material benefit (C15)", 1, 100)
    referral_deal_lift: float = spec(3.0, "how much deals and group buys multiply referrals (C16)", 0, 100)
    organic_novelty: float = spec(0.5, "share of organic applicants who come for the group's fresh topics", 0, 1)
    referral_likeness: float = spec(0.5, "how much a referred applicant's fit follows its referrer's (friends like themselves)", 0, 1)
    brand_reach: float = spec(1.0, "organic applicants a day per unit of brand reputation (C18)", 0, 10_000)
    commitment_founding: float = spec(0.55, "starting commitment of a founding member", 0, 1)
    commitment_outreach: float = spec(0.45, "starting commitment of a member a pioneer brought", 0, 1)
    commitment_referral: float = spec(0.5, "starting commitment of a referred member", 0, 1)
    commitment_campaign: float = spec(0.3, "starting commitment of a bulk recruit (C14: no belonging)", 0, 1)
    commitment_organic: float = spec(0.45, "starting commitment of a member who found the group alone", 0, 1)
    commitment_organiser: float = spec(0.9, "starting commitment of the creator and founding managers", 0, 1)
    organiser_fit: float = spec(0.9, "the least value fit of the creator and founding managers (they share the goal they set)", 0, 1)
    recent_poster_tie: float = spec(5.0, "how much likelier a newcomer ties to a recent poster than to another member", 1, 1000)
    spinoff_after_turned_away: int = spec(200, "applicants turned away at the cap before a replicator seeds a new group (C12)", 1, 1_000_000)
    spinoff_min_days: int = spec(365, "days at least between two spin-offs of the same group (an assumption: at most one a year)", 0, 36500)
    spinoff_followers: float = spec(0.2, "share of a departing replicator's ties who follow it to the new group", 0, 1)


@dataclass
class Money:
    """Willingness to pay, fees, perks, gifts, conversion and purchases (C5, C7, C14-C16)."""

    wtp_scale_yuan: float = spec(400.0, "scale of willingness to pay, yuan: median is scale x (fit + 0.2)^2 x (0.5 + product value)", 0, 10_000_000)
    wtp_spread: float = spec(0.7, "log-normal spread of willingness to pay", 0, 5)
    gift_wtp: float = spec(0.3, "willingness to pay of a gift-lured applicant, relative to others", 0, 1)
    spammer_wtp_yuan: float = spec(20.0, "median a marketer pays to reach the group's audience, yuan (log-normal, same spread; an assumption)", 0, 10_000_000)
    fee_commitment: float = spec(0.15, "commitment a full fee adds on joining (sunk cost, C5)", 0, 1)
    fee_reference_yuan: float = spec(200.0, "fee counted as full for commitment and expectation, yuan", 1, 1_000_000)
    material_scale_yuan: float = spec(10.0, "perk, gift or prize value that gives half the full material benefit, yuan", 0.1, 1_000_000)
    perk_memory_days: float = spec(5.0, "days over which the glow of a perk or gift fades", 0.1, 3650)
    reward_memory_days: float = spec(14.0, "days a reward's recognition lasts", 0.1, 3650)
    material_want: float = spec(2.0, "how much a member's weight on material benefit raises its interest in the product", 0, 100)
    conversion_rate: float = spec(0.02, "daily conversion chance of a fully trusting member who wants the product, at full product value", 0, 1)
    hard_sell_lift: float = spec(4.0, "conversion multiplier at full hard selling (C15)", 1, 100)
    group_buy_lift: float = spec(3.0, "purchase multiplier on a day with a material event (group buy, C16)", 0, 100)


@dataclass
class Operator:
    """Responses to the operator's own actions: cleanups and screening (C8, C5)."""

    urgency: float = spec(0.15, "visit, posting and satisfaction lift survivors feel after a cleanup (C8)", 0, 1)
    urgency_days: float = spec(10.0, "days the urgency lasts", 0.1, 3650)
    urgency_recovery_days: float = spec(30.0, "days after a cull before the next one stirs most of the urgency again", 0.1, 3650)
    urgency_share: float = spec(0.05, "share of the group a cull must visibly remove to stir about two thirds of the full urgency (a handful removed goes unnoticed)", 0.001, 1)
    cleanup_resentment: float = spec(0.3, "commitment lost by a member all of whose ties a cleanup removed", 0, 1)
    cleanup_grace_days: int = spec(14, "newcomers younger than this are spared by cleanups", 0, 3650)
    fit_signal_noise: float = spec(0.3, "error of the operator's judgement of a member's fit, shrinking with the member's posts", 0, 10)
    screen_noise: float = spec(0.1, "error of a screening test of an applicant's fit", 0, 10)


@dataclass
class Behaviour:
    """How members and organisers respond; defaults are the calibrated model (docs/calibration.md)."""

    motives: Motives = spec(Motives(), "motivation profiles by role")
    attention: Attention = spec(Attention(), "visits")
    reading: Reading = spec(Reading(), "reading and overload")
    posting: Posting = spec(Posting(), "posting")
    replies: Replies = spec(Replies(), "answers and reciprocity")
    satisfaction: Satisfaction = spec(Satisfaction(), "satisfaction and commitment")
    novelty: Novelty = spec(Novelty(), "topics wearing out and renewed")
    goal: Goal = spec(Goal(), "members' progress toward their goal")
    organisers: Organisers = spec(Organisers(), "organisers' time and energy")
    roles: Roles = spec(Roles(), "role changes")
    ads: Ads = spec(Ads(), "ads and moderation")
    leaving: Leaving = spec(Leaving(), "leaving")
    newcomers: Newcomers = spec(Newcomers(), "newcomers by channel")
    money: Money = spec(Money(), "money")
    operator: Operator = spec(Operator(), "responses to cleanups and screening")
    events: EventProfiles = spec(EventProfiles(), "what one occurrence of each event kind gives and costs")
