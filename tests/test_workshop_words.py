"""What a projected dashboard says: plain words for every lever and rule (no setting names),
one mark per day, short labels on the curves placed inside the plot (the full words in the
mark's tooltip and the 'Changed during the run' line), and no 'B:' when B is shown alone.
Found by a teacher's review at 1280x800."""

from __future__ import annotations

import re

import pytest
from helpers import SCENARIOS

from sim.scenario import shipped_scenarios
from sim.workshop.charts import MARK_LABEL_CHARS, MIN_PLOT_PX, active_chart, curves, label_extent, messages_chart
from sim.workshop.levers import LEVERS
from sim.workshop.live import LiveChange, action_words
from sim.workshop.session import Workshop

SETTING_NAME = re.compile(r"[a-z]+\.[a-z_]+|[a-z]+_[a-z]+")  # content.creator_posts_per_week, every_days
LONG_RULE = ({"metric": "active", "window_days": 14, "below": 3},
             {"cleanup": {"rule": "misfits"}}, 60)  # the review's rule: 'when the 14-day mean ... wait 60 days'
ALWAYS = {"metric": "members", "window_days": 7, "below": 100_000}  # holds every day from day 7


@pytest.fixture
def ws() -> Workshop:
    ws = Workshop("baseline", catalog=shipped_scenarios(SCENARIOS))
    ws.set_lever("community.initial_members", 120)
    return ws


def test_every_lever_change_reads_in_plain_words():
    for lever in LEVERS:
        value = lever.choices[-1] if lever.kind == "choice" else lever.hi
        words = LiveChange(200, {lever.path: value}).label()
        assert not SETTING_NAME.search(words), (lever.path, words)
        assert lever.label.lower() in words.lower(), (lever.path, words)
    assert "no cap" in LiveChange(5, {"strategy.entry.size_cap": 0}).label()  # a zero that means 'off'
    assert "off" in LiveChange(5, {"strategy.perks.every_days": 0}).label()


def test_a_rules_action_is_in_words_in_its_mark(ws):
    ws.step(10)
    assert ws.add_rule(ALWAYS, {"cleanup": {"rule": "misfits"}}, 30) is None
    ws.step(40)
    frame = ws.frame(with_network=False)
    assert frame.runs["B"].fired
    for day, what in frame.runs["B"].fired:
        assert "rule misfits" not in what and "clean up members who do not fit" in what, what
    rules = [m for m in active_chart(frame).marks if m.style == "rule"]
    assert rules and all("clean up members who do not fit" in m.detail for m in rules)
    assert action_words({"cleanup": {"rule": "inactive", "inactive_days": 30}}).count("_") == 0


def test_changes_of_one_day_make_one_mark_listing_them_all(ws):
    ws.step(30)
    ws.set_lever("strategy.cleanup.every_days", 30)
    ws.set_lever("strategy.cleanup.rule", "inactive")
    ws.step(5)
    frame = ws.frame(with_network=False)
    changes = [m for m in active_chart(frame).marks if m.style == "change"]
    assert [m.day for m in changes] == [30], changes
    assert "clean up every 30 days" in changes[0].detail and "members inactive for a while" in changes[0].detail
    assert not SETTING_NAME.search(changes[0].detail + changes[0].label), changes[0]


def _review_run(ws: Workshop) -> Workshop:
    """The review's steps: 120 days, compare on, a long rule from day 120, then 120 days more."""
    ws.step(120)
    ws.set_compare(True)
    assert ws.add_rule(*LONG_RULE) is None
    ws.step(120)
    return ws


def test_mark_labels_are_short_inside_the_plot_and_never_overlap(ws):
    frame = _review_run(ws).frame(with_network=False)
    for chart in curves(frame):
        layout = chart.layout()
        drawn = [m for m in layout["marks"] if m["label"]]
        assert drawn or chart.key == "roles"
        for m in drawn:
            assert len(m["label"]) <= MARK_LABEL_CHARS, m
            left, right = label_extent(m, chart.horizon, MIN_PLOT_PX)
            assert 0 <= left and right <= MIN_PLOT_PX, (chart.key, m, left, right)
        for a in drawn:  # labels in one row do not overlap
            for b in drawn:
                if a is not b and a["row"] == b["row"]:
                    (l1, r1), (l2, r2) = (label_extent(x, chart.horizon, MIN_PLOT_PX) for x in (a, b))
                    assert r1 <= l2 or r2 <= l1, (a, b)
    rule_mark = next(m for m in active_chart(frame).marks if m.style == "change")
    assert rule_mark.label == "day 120: rule 1" and "then wait 60 days" in rule_mark.detail, rule_mark


def test_marks_are_wider_apart_on_a_wider_plot():
    """A label placed inside the narrowest plot stays inside any wider one (positions scale, widths not)."""
    m = {"day": 690, "label": "x" * MARK_LABEL_CHARS, "side": "left", "row": 0}
    for width in (MIN_PLOT_PX, 2 * MIN_PLOT_PX):
        left, right = label_extent(m, 730, width)
        assert 0 <= left and right <= width


def test_a_run_alone_says_dead_without_b_and_pinned_a_says_its_day(ws):
    ws.set_lever("community.initial_members", 10)
    ws.set_lever("strategy.recruiting.organic_per_day", 0)
    ws.step(200)
    frame = ws.frame(with_network=False)
    deaths = [m for m in active_chart(frame).marks if m.style == "death"]
    assert deaths and all(not m.label.startswith("B") for m in deaths), deaths
    ws.pin_as_a()
    frame = ws.frame(with_network=False)
    assert frame.a_label == "pinned at day 200"
    legend = [e["name"] for e in messages_chart(frame).layout()["legend"]]
    assert "A: pinned at day 200" in legend, legend
    assert all(m.label.startswith(("A", "B")) for m in active_chart(frame).marks if m.style == "death")


def test_the_team_preview_shows_no_long_seed():
    from sim.workshop.room_page import preview_note

    class Done:
        seed, seconds = 4215923173971654960, 1.25

    note = preview_note(Done())
    assert "4215923173971654960" not in note and "first replicate" in note
