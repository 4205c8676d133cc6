"""Validation: does the model reproduce the source cases (DESIGN section 6), the seeds' claims
and published findings? Each check runs replicates, measures a figure and compares it with a
range written before the run, from the sources, never from the model's output; a check that
fails stays failing and is reported (docs/validation.md). Lifespans are compared only between
runs of the same horizon.

`community-sim check-model` runs them all and writes a table and plots.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from .facts import inequality_facts, lifespan_facts, log_facts, members_curve, retention_facts, reward_facts
from .harness import Arm, Check, Runner
from .levers import check_levers
from .reference import check_death_rule, check_real_communities

CASES = ("ad-dump", "sheep-shearing", "invite-only-study", "fruit-shop", "morning-check-in", "branded-events",
         "well-run-paid")
CASE_DAYS = 1460  # every case runs this long, so their lifespans compare at one horizon
UNBRANDED = (("strategy.content.events", ({"kind": "prize", "every_days": 30, "start_day": 10, "branded": False},
                                          {"kind": "sharing", "every_days": 14, "start_day": 5, "branded": False})),)


def _median(rows: list[dict], key: str) -> float:
    return float(np.median([row[key] for row in rows]))


def _share(rows: list[dict], pred: Callable[[dict], bool]) -> float:
    return float(np.mean([pred(row) for row in rows]))


def _lifespans(rows: list[dict]) -> list[int]:
    return [r["lifespan"] for r in rows]


def restricted_mean_lifespan(rows: list[dict]) -> float:
    """Mean of lifespans censored at the common horizon (a tie at the horizon stays a tie)."""
    return float(np.mean([min(r["lifespan"], r["days"]) for r in rows]))


def check_cases(run: Runner) -> tuple[list[Check], dict]:
    """The seven cases of DESIGN section 6, all run to day 1,460, over the runner's replicates."""
    facts = {name: run.runs(Arm(name, days=CASE_DAYS), lifespan_facts) for name in CASES}
    out = []
    f = facts["ad-dump"]
    life, ads, peak = _median(f, "lifespan"), _median(f, "ad_share_alive"), _median(f, "peak_day")
    out.append(Check("ad-dump group", "C1, C9", "hot start (activity peaks in the first 60 days), ads over half of messages before death, median lifespan under 180 days",
                     f"peak day {peak:.0f}, ad share {ads:.2f}, median lifespan {life:.0f} d",
                     peak < 60 and ads > 0.5 and life < 180, {"lifespan": _lifespans(f)}))
    f = facts["sheep-shearing"]
    life = _median(f, "lifespan")
    out.append(Check("sheep-shearing group", "C15", "median lifespan under 90 days", f"median lifespan {life:.0f} d",
                     life < 90, {"lifespan": _lifespans(f)}))
    f = facts["invite-only-study"]
    alive, lurk, creator = _share(f, lambda r: r["alive_730"]), _median(f, "lurker_share"), _median(f, "creator_content_share")
    out.append(Check("invite-only study group", "C2, C19", "alive at day 730 in most replicates, about 90% lurk (lurker share at least 0.8), creator writes at least 80% of the content",
                     f"alive at day 730 in {alive:.0%}, lurker share {lurk:.2f}, creator share {creator:.2f}",
                     alive > 0.5 and lurk >= 0.8 and creator >= 0.8, {"lifespan": _lifespans(f)}))
    f = facts["fruit-shop"]
    growth = _median(f, "members_730") / _median(f, "members_start")
    payers, referral = _median(f, "payer_share_end"), _median(f, "referral_share")
    out.append(Check("neighbourhood fruit shop", "C16", "grows by itself: members at least double by day 730, at least half of joiners referred, payer share at least 0.3",
                     f"growth x{growth:.1f}, referral share of joiners {referral:.2f}, payer share {payers:.2f}",
                     growth >= 2 and referral >= 0.5 and payers >= 0.3, {"lifespan": _lifespans(f)}))
    f = facts["morning-check-in"]
    alive = _share(f, lambda r: r["alive_730"])
    out.append(Check("morning check-in group", "C17", "small but alive at day 730 (the default horizon) in at least 70% of replicates",
                     f"alive at day 730 in {alive:.0%}", alive >= 0.7, {"lifespan": _lifespans(f)}))
    f = facts["branded-events"]
    means = {k: restricted_mean_lifespan(v) for k, v in facts.items()}
    runner_up = max(v for k, v in means.items() if k != "branded-events")
    growth = _median(f, "members_end") / _median(f, "members_start")
    plain = run.runs(Arm("branded-events", UNBRANDED, days=CASE_DAYS), lifespan_facts)
    brand_gain = means["branded-events"] - restricted_mean_lifespan(plain)
    out.append(Check("branded-events community", "C18, C12", "grows (more members at day 1,460 than at the start), lives longest of the cases (highest mean lifespan up to day 1,460, strictly), and longer than the same events unbranded",
                     f"growth x{growth:.1f}, mean lifespan {means['branded-events']:.0f} d (next best case {runner_up:.0f} d; unbranded {restricted_mean_lifespan(plain):.0f} d)",
                     growth > 1 and means["branded-events"] > runner_up and brand_gain > 0, {"lifespan": _lifespans(f)}))
    f = facts["well-run-paid"]
    life, tail = _median(f, "lifespan"), _median(f, "end_over_peak")
    out.append(Check("well-run paid group", "C13, C5", "median lifespan 1.5-3 years (548-1,095 d), activity in its last 90 days under half its peak",
                     f"median lifespan {life:.0f} d, last-90-day activity {tail:.2f} of peak",
                     548 <= life <= 1095 and tail < 0.5, {"lifespan": _lifespans(f)}))
    return out, facts


def check_bimodal(case_facts: dict) -> Check:
    lifespans = np.array([r["lifespan"] for rows in case_facts.values() for r in rows], dtype=float)
    short, middle, long_ = (lifespans < 180).mean(), ((lifespans >= 180) & (lifespans < 540)).mean(), (lifespans >= 540).mean()
    return Check("group lifespans split into short- and long-lived", "Qiu et al. 2016", "over the case groups, all run to day 1,460: fewer lifespans in 180-540 days than under 180 and than over 540",
                 f"under 180 d {short:.0%}, 180-540 d {middle:.0%}, over 540 d {long_:.0%}", middle < short and middle < long_,
                 {"lifespans": lifespans.tolist()})


def check_inequality(run: Runner) -> Check:
    f = run.runs(Arm("baseline"), inequality_facts)
    top1, never = _median(f, "top1"), _median(f, "never_posted")
    return Check("participation inequality", "van Mierlo 2014; Nielsen 90-9-1", "baseline: top-1% post share 0.5-0.85, never-posted share at least 0.75",
                 f"top-1% share {top1:.2f}, never posted {never:.2f}", 0.5 <= top1 <= 0.85 and never >= 0.75, {})


def check_newcomer_replies(run: Runner) -> Check:
    f = run.runs(Arm("baseline"), log_facts)
    pa, pi = _median(f, "return_answered"), _median(f, "return_unanswered")
    ratio = pa / pi if pi else float("inf")
    return Check("a reply to a newcomer's first post", "Joyce & Kraut 2006", "answered newcomers post again more often: ratio 1.1-1.5 (the study: 56% vs 44%)",
                 f"posted again within 180 days: answered {pa:.2f}, not answered {pi:.2f}, ratio {ratio:.2f}",
                 1.1 <= ratio <= 1.5, {})


def _paired(run: Runner, a: Arm, b: Arm, reduce=retention_facts) -> tuple[list[dict], list[dict]]:
    return run.runs(a, reduce), run.runs(b, reduce)


def _ratio(a: list[dict], b: list[dict], key: str) -> float:
    den = _median(a, key)
    return _median(b, key) / den if den else float("inf")


BOOTSTRAP_RESAMPLES = 2000


def _x(a: list[dict], b: list[dict], key: str) -> str:
    """The ratio of medians (arm ``b`` over ``a``) with a 95% interval from resampling the
    paired seeds, e.g. "x0.88 (0.71-1.05)": the reader sees when a check's verdict is within
    the noise of its replicates. The pass rules use the ratio itself, as written."""
    x = np.array([row[key] for row in a], dtype=float)
    y = np.array([row[key] for row in b], dtype=float)
    rng = np.random.default_rng(0)
    idx = rng.integers(0, len(x), (BOOTSTRAP_RESAMPLES, len(x)))
    num, den = np.median(y[idx], axis=1), np.median(x[idx], axis=1)
    ok = den > 0
    lo, hi = np.percentile(num[ok] / den[ok], [2.5, 97.5]) if ok.any() else (np.inf, np.inf)
    return f"x{_ratio(a, b, key):.2f} ({lo:.2f}-{hi:.2f})"


def check_moderation(run: Runner) -> Check:
    spam = (("strategy.recruiting.spam_per_day", 0.5),)
    off, on = _paired(run, Arm("baseline", spam + (("strategy.moderation", 0.0),)), Arm("baseline", spam + (("strategy.moderation", 0.9),)))
    ret = _ratio(off, on, "members_365")
    posts = _ratio(off, on, "posts_per_day")
    return Check("moderation raises commitment more than contribution", "Ren & Kraut 2014", "moderation on vs off: members kept at day 365 up clearly (ratio above 1.1), members' posts a day up less",
                 f"members at day 365 {_x(off, on, 'members_365')}, members' posts a day {_x(off, on, 'posts_per_day')}", ret > 1.1 and posts < ret, {})


def check_rewards(run: Runner) -> Check:
    off, on = _paired(run, Arm("baseline"), Arm("baseline", (("strategy.rewards.every_days", 14), ("strategy.rewards.top_k", 5))), reward_facts)
    top, med = _ratio(off, on, "top1_output"), _ratio(off, on, "median_poster_output")
    dg = _median(on, "gini") - _median(off, "gini")
    return Check("rewarding top posters", "Restivo & van de Rijt 2012", "rewards on: top-1% output up (at least +30%), median poster's output within 20%, Gini up",
                 f"top-1% output {_x(off, on, 'top1_output')}, median poster {_x(off, on, 'median_poster_output')}, Gini {dg:+.3f}", top >= 1.3 and abs(med - 1) <= 0.2 and dg > 0, {})


def check_gatekeeping(run: Runner) -> Check:
    harsh = (("strategy.cleanup.every_days", 7), ("strategy.cleanup.rule", "inactive"), ("strategy.cleanup.inactive_days", 14))
    off, on = _paired(run, Arm("baseline"), Arm("baseline", harsh))
    r30 = _ratio(off, on, "newcomer_30d_retention")
    end = _ratio(off, on, "active_end")
    return Check("harsh gatekeeping of newcomers", "Halfaker et al. 2013", "aggressive cleanup (members silent 14 days, weekly): newcomer 30-day retention down, members' activity in the last 30 days (to day 730) down",
                 f"newcomer 30-day retention {_x(off, on, 'newcomer_30d_retention')}, activity at the end {_x(off, on, 'active_end')}", r30 < 1 and end < 1, {})


def check_entry_barrier(run: Runner) -> Check:
    spam = (("strategy.recruiting.spam_per_day", 0.5),)
    open_, fee = _paired(run, Arm("baseline", spam), Arm("baseline", spam + (("strategy.entry.kind", "fee"), ("strategy.entry.level", 99))))
    ads, posts, ppm = _ratio(open_, fee, "ad_share"), _ratio(open_, fee, "member_posts"), _ratio(open_, fee, "posts_per_member_day")
    return Check("an entry barrier cuts spam and some contribution", "Hill & Shaw 2020", "fee vs open: ad share down, members' total posts down, posts per member up",
                 f"ad share {_x(open_, fee, 'ad_share')}, total posts {_x(open_, fee, 'member_posts')}, posts per member {_x(open_, fee, 'posts_per_member_day')}", ads < 1 and posts < 1 and ppm > 1, {})


CADENCES = (1, 3, 7, 14, 28, 56, 112)
SMOOTH_CADENCES = tuple(range(0, 13)) + (16, 20, 28, 40)


def check_cadence(run: Runner) -> Check:
    rows = {c: run.runs(Arm("baseline", (("strategy.content.creator_posts_per_week", c),)), retention_facts) for c in CADENCES}
    left = [_median(rows[c], "left") for c in CADENCES]
    act = [_median(rows[c], "mean_active") for c in CADENCES]
    best = int(np.argmax(act))
    rises = left[-1] > min(left)
    interior = 0 < best < len(CADENCES) - 1
    return Check("more volume brings more leaving; overload drives exit", "Butler 2001; Jones, Ravid & Rafaeli 2004",
                 "content cadence sweep: leaving rises past some volume; members' mean activity peaks at an interior cadence",
                 "mean activity by posts/week " + ", ".join(f"{c}: {a:.1f}" for c, a in zip(CADENCES, act))
                 + "; leavers " + ", ".join(f"{c}: {x:.0f}" for c, x in zip(CADENCES, left)),
                 rises and interior, {"cadence": list(CADENCES), "mean_active": act, "left": left})


def check_cadence_smoothness(run: Runner) -> Check:
    """Issue 9: the median lifespan must move smoothly with the creator's posts a week."""
    med = [_median(run.runs(Arm("baseline", (("strategy.content.creator_posts_per_week", c),)), retention_facts),
                   "lifespan") for c in SMOOTH_CADENCES]
    swings = [max(a, b) / max(1.0, min(a, b)) for a, b in zip(med, med[1:])]
    worst = int(np.argmax(swings))
    return Check("lifespan moves smoothly with content cadence", "issue 9 (no knife edges)",
                 "median lifespan over creator posts a week 0-12, 16, 20, 28, 40: no 2x swing between neighbouring values",
                 "median lifespan by posts/week " + ", ".join(f"{c}: {m:.0f}" for c, m in zip(SMOOTH_CADENCES, med))
                 + f"; largest swing x{swings[worst]:.2f} ({SMOOTH_CADENCES[worst]} to {SMOOTH_CADENCES[worst + 1]})",
                 max(swings) < 2, {"smooth_cadence": list(SMOOTH_CADENCES), "median_lifespan": med})


def check_marketing(run: Runner) -> Check:
    campaign = (("strategy.recruiting.campaigns", ({"start_day": 0, "end_day": 90, "applicants_per_day": 6},)),
                ("strategy.recruiting.referral_per_year", 0.0), ("strategy.recruiting.outreach_per_week", 0.0))
    referral = (("strategy.recruiting.referral_per_year", 8.0),)
    a = run.runs(Arm("baseline", campaign), members_curve)
    b = run.runs(Arm("baseline", referral), members_curve)
    ma, mb = np.median(a, axis=0), np.median(b, axis=0)
    kept_a, kept_b = ma[365] / max(1.0, ma[90]), mb[365] / max(1.0, mb[90])
    return Check("marketing-driven growth fades; word of mouth sustains", "Ribeiro 2014",
                 "bulk campaign (days 0-90) only: members at day 365 below day 90; the word-of-mouth group does not shrink (day 365 at least day 90); the campaign group keeps a smaller share",
                 f"campaign: {ma[90]:.0f} -> {ma[365]:.0f} ({kept_a:.0%} kept); referral: {mb[90]:.0f} -> {mb[365]:.0f} ({kept_b:.0%} kept)",
                 ma[365] < ma[90] and mb[365] >= mb[90] and kept_a < kept_b,
                 {"campaign": ma.tolist(), "referral": mb.tolist()})


NEGLECT = (("strategy.content.creator_posts_per_week", 0), ("strategy.content.manager_posts_per_week", 0),
           ("strategy.content.events", ()), ("strategy.moderation", 0.0), ("strategy.rewards.every_days", 0),
           ("strategy.staffing.appoint_managers", False), ("community.managers", 0))


def check_no_doom(run: Runner) -> Check:
    """Issue 9: strategy decides fate. The shipped 'sustained' strategy keeps a group of 300
    alive for four years; the same group neglected dies."""
    kept = run.runs(Arm("sustained"), retention_facts)
    neglected = run.runs(Arm("sustained", NEGLECT), retention_facts)
    alive = _share(kept, lambda r: r["censored"])
    dead = _share(neglected, lambda r: not r["censored"])
    return Check("strategy decides fate: sustained vs neglected", "issue 9; C10, C12, C18",
                 "scenarios/sustained.yaml (300 members): at least half the replicates alive at day 1,460; neglected (no content, managers, moderation, events or rewards): at least 80% dead by day 1,460",
                 f"sustained alive at day 1,460 in {alive:.0%}; neglected dead in {dead:.0%} (median lifespan {_median(neglected, 'lifespan'):.0f} d)",
                 alive >= 0.5 and dead >= 0.8, {"sustained": _lifespans(kept), "neglected": _lifespans(neglected)})


def check_cleanup_both_ways(run: Runner) -> Check:
    """C8 as the seeds state it, conditionally: a cull of misfits helps a group bloated by a bulk
    campaign, and does not help a healthy (screened) one."""
    cull = (("strategy.cleanup.every_days", 30), ("strategy.cleanup.rule", "misfits"), ("strategy.cleanup.min_fit", 0.25))
    bloated = (("strategy.recruiting.campaigns", ({"start_day": 0, "end_day": 30, "applicants_per_day": 15},)),
               ("strategy.entry.size_cap", 0))
    healthy = (("strategy.entry.kind", "screening"), ("strategy.entry.level", 0.5))
    b_off, b_on = _paired(run, Arm("baseline", bloated), Arm("baseline", bloated + cull))
    h_off, h_on = _paired(run, Arm("baseline", healthy), Arm("baseline", healthy + cull))
    b_ratio, h_ratio = _ratio(b_off, b_on, "active_late"), _ratio(h_off, h_on, "active_late")
    return Check("a cleanup helps a bloated group, not a healthy one", "C8 (001, 004)",
                 "monthly cull of misfits: members' activity after day 120 up by at least 10% after a bulk campaign; not up by more than 5% in a screened group (ratios of medians, 95% interval over paired seeds)",
                 f"bloated group {_x(b_off, b_on, 'active_late')}; screened group {_x(h_off, h_on, 'active_late')}", b_ratio >= 1.1 and h_ratio <= 1.05, {})


CHECKS: dict[str, Callable] = {
    "cases": check_cases, "bimodal": check_bimodal, "inequality": check_inequality,
    "newcomer-replies": check_newcomer_replies, "moderation": check_moderation, "rewards": check_rewards,
    "gatekeeping": check_gatekeeping, "entry-barrier": check_entry_barrier, "cadence": check_cadence,
    "smoothness": check_cadence_smoothness, "marketing": check_marketing, "no-doom": check_no_doom,
    "cleanup": check_cleanup_both_ways, "real-communities": check_real_communities, "levers": check_levers,
    "death-rule": check_death_rule,
}


def run_checks(scenarios_dir: Path, replicates: int = 20, jobs: int | None = None,
               only: list[str] | None = None) -> list[Check]:
    """Every check (or those named in ``only``), in the order of docs/validation.md. The
    lifespan bimodality check reuses the case runs."""
    unknown = set(only or []) - set(CHECKS)
    if unknown:
        raise ValueError(f"unknown checks {sorted(unknown)}; allowed: {', '.join(CHECKS)}")
    wanted = [k for k in CHECKS if not only or k in only]
    out: list[Check] = []
    with Runner(scenarios_dir, replicates, jobs) as run:
        facts = None
        if "cases" in wanted or "bimodal" in wanted:
            cases, facts = check_cases(run)
            if "cases" in wanted:
                out += cases
        for key in wanted:
            if key == "cases":
                continue
            try:
                if key == "bimodal":
                    out.append(check_bimodal(facts))
                elif key in ("real-communities", "levers", "death-rule"):
                    out += CHECKS[key](run)
                else:
                    out.append(CHECKS[key](run))
            except Exception as exc:  # noqa: BLE001 - a check that breaks is reported as failed, the others go on
                out.append(Check(key, "-", "the check runs", f"error: {type(exc).__name__}: {exc}", False, {}))
    return out


def checks_table(checks: list[Check]) -> dict[str, list]:
    """Columns for validation.csv."""
    return {"check": [c.name for c in checks], "source": [c.source for c in checks],
            "expected": [c.expected for c in checks], "measured": [c.measured for c in checks],
            "result": ["pass" if c.passed else "FAIL" for c in checks]}


def checks_markdown(checks: list[Check]) -> str:
    """The table as Markdown (docs/validation.md uses the same layout)."""
    rows = ["| check | source | expected | measured | result |", "|---|---|---|---|---|"]
    rows += [f"| {c.name} | {c.source} | {c.expected} | {c.measured} | {'pass' if c.passed else '**FAIL**'} |"
             for c in checks]
    return "\n".join(rows) + "\n"
