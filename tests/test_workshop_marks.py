"""The marks of the operator's rules when strategy A is shown beside B: each chart marks A's
rule acting in the colour that chart's own legend gives A (on the messages chart A's lines
take the message kinds' colours, so A's curve colour would name nothing there), the legend
says what the marks are, and B's marks are named B from day 0, not only once A's rules act."""

from __future__ import annotations

from matplotlib.colors import to_hex

from helpers import SCENARIOS
from sim.scenario import shipped_scenarios
from sim.workshop.charts import active_chart, messages_chart
from sim.workshop.frames import Frame
from sim.workshop.session import Workshop

ADOPTED = 40  # the day the room adopts the rule; pinned as A, A follows it from this day
EARLY = 20  # B (the rule from day 0) has acted, A not yet
LATER = 80  # both have acted
ALWAYS = {"metric": "members", "window_days": 7, "below": 100_000}  # holds every day from day 7


def _frames() -> tuple[Frame, Frame]:
    """Frames on days EARLY and LATER of A (a rule from day 40) beside B (the same rule from day 0)."""
    ws = Workshop("baseline", catalog=shipped_scenarios(SCENARIOS))
    ws.set_lever("community.initial_members", 120)
    ws.step(ADOPTED)
    assert ws.add_rule(ALWAYS, {"campaign": {"days": 30, "applicants_per_day": 20}}, 30) is None
    ws.pin_as_a()
    ws.reset()
    ws.step(EARLY)
    early = ws.frame(with_network=False)
    ws.step(LATER - EARLY)
    return early, ws.frame(with_network=False)


def _a_key_colour(legend: list[dict]) -> str:
    """The colour of the legend entry that names strategy A's lines (dashed, 'A' in its words)."""
    named = {e["colour"] for e in legend if e["dashed"] and not e.get("mark")
             and ("(A)" in e["name"] or e["name"].startswith("A:"))}
    assert len(named) == 1, legend
    return named.pop()


def test_a_rules_marks_take_the_colour_each_chart_gives_a_and_the_legend_names_them():
    _, frame = _frames()
    a_days = [d for d, _ in frame.runs["A"].fired]
    b_days = [d for d, _ in frame.runs["B"].fired]
    assert a_days and b_days and not set(a_days) & set(b_days)
    for chart in (active_chart(frame), messages_chart(frame)):
        layout = chart.layout()
        rules = [m for m in layout["marks"] if m["style"] == "rule"]
        a_colours = {m["colour"] for m in rules if m["day"] in a_days}
        b_colours = {m["colour"] for m in rules if m["day"] in b_days}
        assert a_colours == {_a_key_colour(layout["legend"])}, (chart.key, a_colours)
        assert not a_colours & b_colours, chart.key
        said = [(e["name"], e["colour"]) for e in layout["legend"] if e.get("mark")]
        assert ("A's rule acted", *a_colours) in said and ("B's rule acted", *b_colours) in said, (chart.key, said)


def test_the_messages_figure_draws_a_rules_marks_and_legend_in_a_colour_not_a_curve_colour():
    """The PNG a room takes home: the vertical lines on A's days, and the legend's 'A's rule
    acted', are drawn in the dark of the legend's 'A: ...' entry, not in A's orange of the
    active-members curve (no message line is orange); the legend's sample of the marks is not
    the sample of A's lines."""
    from sim.workshop.figures import messages_figure

    _, frame = _frames()
    a_days = {d for d, _ in frame.runs["A"].fired}
    ax = messages_figure(frame).axes[0]
    a_key = _a_key_colour(messages_chart(frame).layout()["legend"])
    verticals = [ln for ln in ax.get_lines() if len(set(ln.get_xdata())) == 1 and ln.get_xdata()[0] in a_days]
    assert {float(ln.get_xdata()[0]) for ln in verticals} == a_days
    assert {to_hex(ln.get_color()) for ln in verticals} == {to_hex(a_key)}
    legend = ax.get_legend()
    handles = dict(zip([t.get_text() for t in legend.get_texts()], legend.legend_handles))
    mark, a_line = handles["A's rule acted"], next(h for t, h in handles.items() if t.startswith("A:"))
    assert to_hex(mark.get_color()) == to_hex(a_key)
    drawn = (mark.get_linestyle(), mark.get_marker()), (a_line.get_linestyle(), a_line.get_marker())
    assert drawn[0] != drawn[1], drawn  # a mark's sample, told apart from A's lines' at a glance
    a_curve = next(ln.colour for ln in active_chart(frame).lines if ln.dashed)
    assert to_hex(a_key) != to_hex(a_curve)


def test_b_rules_marks_are_named_b_from_the_start_and_keep_their_words_when_a_rules_act():
    early, late = _frames()
    assert early.runs["B"].fired and not early.runs["A"].fired and late.runs["A"].fired
    for draw in (active_chart, messages_chart):
        before = {m.day: m.label for m in draw(early).marks if m.style == "rule"}
        after = {m.day: m.label for m in draw(late).marks if m.style == "rule" and m.day in before}
        assert before and after == before, (before, after)
        assert all(label.startswith("B: ") for label in before.values() if label), before
