"""The dashboard's rules and plans: the room writes an operator's rule in plain words ("when the
14-day mean of active members falls under 3, clean up misfits, then wait 60 days") and adopts it
from today (``Workshop.add_rule``: a scenario trigger from that day on, which a saved arm keeps),
or announces a change for a later day ("from day 180 we charge a fee": ``Workshop.plan_change``,
a step of the schedule). Room mode's team page adopts rules into a team's strategy from day 0
with the same form (``RuleForm``). The seeds' advice is mostly of this kind: "when the group goes quiet,
clean up and announce it"."""

from __future__ import annotations

import solara
from solara.alias import rv

from ..scenario import CLEANUP_RULES, EVENT_KINDS
from .levers import CLEANUP_LABELS, ENTRY_LEVEL_DEFAULT, LEVER, LEVERS, entry_level_lever
from .live import METRIC_WORDS, Rule, entry_words
from .session import Workshop

# The form fits a narrow card (a team's 1024 px laptop): a rule read back on its button wraps inside
# the card, each select's floating label has room above it, and a slider's value is in its label.
RULES_CSS = """
.btn-add-rule, .btn-plan { max-width: 100%; height: auto !important; min-height: 36px; padding: 6px 12px !important;
  letter-spacing: normal; text-transform: none; }
.btn-add-rule .v-btn__content, .btn-plan .v-btn__content { white-space: normal; flex: 1 1 auto; min-width: 0;
  max-width: 100%; text-align: left; overflow-wrap: anywhere; line-height: 1.4; }
.rule-field { margin-top: 18px !important; }
.rule-slider { margin-top: 10px; }
"""
BUTTON_STYLE = {"white-space": "normal", "height": "auto", "text-transform": "none"}

ACTIONS = {"cleanup": "clean up", "events": "start an event series", "campaign": "run a recruiting campaign",
           "screening": "switch entry to screening", "fee": "switch entry to a fee"}


def rule_action(action: str, cleanup_rule: str, kind: str, every_days: int, for_days: int,
                applicants_per_day: float, days: int, level: float) -> dict:
    """The trigger's ``do`` for the card's choice (entry switches are a ``set`` of two levers)."""
    if action == "cleanup":
        return {"cleanup": {"rule": cleanup_rule}}
    if action == "events":
        return {"events": {"kind": kind, "every_days": int(every_days), "for_days": int(for_days)}}
    if action == "campaign":
        return {"campaign": {"days": int(days), "applicants_per_day": float(applicants_per_day)}}
    return {"set": {"entry.kind": action, "entry.level": float(level)}}


def rule_slider(label: str, value: solara.Reactive, lo: float, hi: float, unit: str = "days") -> None:
    """A slider under its label, which shows its value ('averaged over: 14 days'): a plain
    function, drawn in its caller's component."""
    with solara.Column(gap="0px", classes=["rule-slider"]):
        solara.Text(f"{label}: {value.value:g} {unit}", style={"font-size": "15px"})
        if isinstance(value.value, float):
            solara.SliderFloat("", value=value, min=lo, max=hi, step=1)
        else:
            solara.SliderInt("", value=value, min=lo, max=hi)


@solara.component
def RulesCard(ws: Workshop, act):
    """The dashboard's rules: adopted from today (``act`` redraws)."""
    RuleForm(ws.day, ws.rules, lambda when, do, cooldown: act(ws.add_rule, when, do, cooldown), "Follow from today")


@solara.component
def RuleForm(day: int, rules: list[Rule], adopt, verb: str, on_clear=None):
    """Condition, action and cool-down, read back in words on the button that adopts the rule
    (``adopt(when, do, cooldown_days)``, which checks it: the dashboard from today, a room team
    into its strategy), then the rules adopted so far (and a button to drop them, ``on_clear``)."""
    metric = solara.use_reactive("active")
    window = solara.use_reactive(14)
    side = solara.use_reactive("below")
    value = solara.use_reactive(3.0)
    action = solara.use_reactive("cleanup")
    cleanup_rule = solara.use_reactive("misfits")
    kind = solara.use_reactive(EVENT_KINDS[0])
    every = solara.use_reactive(7)
    for_days = solara.use_reactive(42)
    per_day = solara.use_reactive(5.0)
    days = solara.use_reactive(30)
    fee_yuan = solara.use_reactive(ENTRY_LEVEL_DEFAULT["fee"])
    fit = solara.use_reactive(ENTRY_LEVEL_DEFAULT["screening"])
    cooldown = solara.use_reactive(60)
    solara.Style(RULES_CSS)
    with solara.Details("Rules (when ..., do ...)", expand=False):
        rv.Select(label="When", items=[{"text": t, "value": k} for k, t in METRIC_WORDS.items()], v_model=metric.value,
                  on_v_model=metric.set, class_="rule-metric rule-field", dense=True, hide_details=True)
        rule_slider("averaged over", window, 1, 90)
        rv.Select(label="is", items=[{"text": "under", "value": "below"}, {"text": "over", "value": "above"}],
                  v_model=side.value, on_v_model=side.set, class_="rule-side rule-field", dense=True, hide_details=True)
        solara.InputFloat("this number" + (" (a share, 0-1)" if metric.value == "ad_share" else ""), value=value,
                          classes=["rule-value", "rule-field"])
        rv.Select(label="then", items=[{"text": t, "value": k} for k, t in ACTIONS.items()], v_model=action.value,
                  on_v_model=action.set, class_="rule-action rule-field", dense=True, hide_details=True)
        if action.value == "cleanup":
            rv.Select(label="clean up", items=[{"text": CLEANUP_LABELS.get(r, r), "value": r} for r in CLEANUP_RULES],
                      v_model=cleanup_rule.value, on_v_model=cleanup_rule.set, class_="rule-cleanup rule-field",
                      dense=True, hide_details=True)
        elif action.value == "events":
            rv.Select(label="event kind", items=list(EVENT_KINDS), v_model=kind.value, on_v_model=kind.set,
                      class_="rule-field", dense=True, hide_details=True)
            rule_slider("every", every, 1, 60)
            rule_slider("for", for_days, 1, 180)
        elif action.value == "campaign":
            rule_slider("applicants a day", per_day, 1, 100, unit="")
            rule_slider("for", days, 1, 180)
        elif action.value == "fee":
            solara.InputFloat("fee (yuan)", value=fee_yuan, classes=["rule-field"])
        else:
            solara.InputFloat("screening: fit at least (0-1)", value=fit, classes=["rule-field"])
        rule_slider("then wait before it may act again", cooldown, 0, 180)
        when = {"metric": metric.value, "window_days": int(window.value), side.value: float(value.value or 0)}
        do = rule_action(action.value, cleanup_rule.value, kind.value, every.value, for_days.value, per_day.value,
                         days.value, (fee_yuan if action.value == "fee" else fit).value or 0)
        try:
            words = Rule(day, when, do, int(cooldown.value)).label()
        except (KeyError, TypeError, ValueError):
            words = "this rule"
        solara.Button(f"{verb}: {words}", outlined=True, classes=["btn-add-rule"], style=BUTTON_STYLE,
                      on_click=lambda: adopt(when, do, int(cooldown.value)))
        for rule in rules:
            solara.Text(f"day {rule.day}: {rule.label()}", classes=["ws-rule"], style={"font-size": "13px"})
        if rules and on_clear is not None:
            solara.Button("Drop these rules", icon_name="mdi-close", text=True, on_click=on_clear,
                          classes=["btn-clear-rules"])


PLANNABLE = [lv for lv in LEVERS if lv.path.startswith("strategy.")]


@solara.component
def PlanCard(ws: Workshop, act):
    """A strategy lever's new value from a later day (a schedule step), marked ahead on the curves."""
    path = solara.use_reactive("strategy.entry.kind")
    choice = solara.use_reactive("fee")
    number = solara.use_reactive(0.0)
    levels = solara.use_reactive({})  # the entry level typed for each kind (its default until then)
    day = solara.use_reactive(min(ws.horizon - 1, max(ws.day + 1, 180)))
    lever = LEVER[path.value]
    solara.Style(RULES_CSS)
    with solara.Details("Plan a change (from a later day)", expand=False):
        rv.Select(label="Lever", items=[{"text": f"{lv.group}: {lv.label}", "value": lv.path} for lv in PLANNABLE],
                  v_model=path.value, on_v_model=path.set, class_="plan-lever", dense=True, hide_details=True)
        if lever.kind == "choice":
            rv.Select(label="new value", items=list(lever.choices), v_model=choice.value if choice.value in
                      lever.choices else lever.choices[0], on_v_model=choice.set, dense=True, hide_details=True)
            value = choice.value if choice.value in lever.choices else lever.choices[0]
        else:
            solara.InputFloat(f"new value{' (' + lever.unit + ')' if lever.unit else ''}", value=number)
            value = number.value or 0
        also, words = {}, f"{lever.label} = {value}"
        if path.value == "strategy.entry.kind" and value != "open":  # the fee or the bar comes with the kind
            level = levels.value.get(value, ENTRY_LEVEL_DEFAULT[value])
            lv = entry_level_lever(value)
            solara.InputFloat(f"{lv.label} ({lv.unit})", value=level,
                              on_value=lambda v: levels.set({**levels.value, value: v}))
            also, words = {"strategy.entry.level": level or 0}, "entry: " + entry_words(value, level or 0)
        solara.SliderInt("from day", value=day, min=min(ws.day + 1, ws.horizon - 1), max=ws.horizon - 1)
        solara.Button(f"Plan: from day {day.value}, {words}", outlined=True, classes=["btn-plan"], style=BUTTON_STYLE,
                      on_click=lambda: act(ws.plan_change, day.value, path.value, value, also))
