"""Workshop dashboard: a browser page where a room moves the operator's levers and watches the
community respond. Started by ``community-sim app [SCENARIO] [--port N]``.

Built on Solara, the library under Mesa's SolaraViz (the ``mesa[viz]`` extra). SolaraViz itself
rebuilds a model from flat keyword arguments on Reset; this page needs a scenario menu that
resets the levers, levers that act from the current day (or replay from day 0 on the same seed),
two strategies side by side, and "save as arm", so it is a Solara page of its own, and all the
logic lives in the other modules of ``sim.workshop`` (tested without a browser).
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from .server import ENV_EXPERIMENT, ENV_SCENARIO, STOPPING  # first: it sets Solara's settings (no banner, no telemetry)

import solara  # noqa: E402
import solara.lab  # noqa: E402
from solara.alias import rv  # noqa: E402

from ..scenario import EVENT_KINDS, ScenarioError  # noqa: E402
from .arms import ArmError, save_target  # noqa: E402
from .charts import curves, day_changes  # noqa: E402
from .curve_widget import Curve  # noqa: E402
from .figures import describe_strategy, network_due, network_picture, status_lines  # noqa: E402
from .levers import (CHOICE_LABELS, GROUPS, LEVERS, Lever, entry_level_lever, lever_visible,  # noqa: E402
                     suggest_arm_name)
from .rules_page import PlanCard, RulesCard  # noqa: E402
from .session import Workshop  # noqa: E402
from .takeaway import experiment_bytes, figures_zip, file_stem, run_tables  # noqa: E402

DEFAULT_EXPERIMENT = "experiments/workshop.yaml"

CSS = """
.ws-status { display: flex; flex-wrap: wrap; gap: 10px 26px; align-items: baseline; margin: 4px 0 2px 0; }
.ws-stat { display: flex; flex-direction: column; }
.ws-stat-value { font-size: 30px; font-weight: 700; line-height: 1.1; }
.ws-stat-label { font-size: 14px; color: #444; }
.ws-day .ws-stat-value { color: #0072B2; }
.ws-in-force { font-size: 15px; color: #222; }
.ws-lever-help { font-size: 12px; color: #555; margin-top: -6px; }
.ws-plot img, .ws-plot .solara-image { width: 100%; height: auto; }
.v-navigation-drawer { width: 360px !important; }
"""


def save_root() -> Path:
    """Where the page may save experiment files: the folder of the file given on the command
    line (--experiment), else the project's experiments/."""
    return Path(os.environ.get(ENV_EXPERIMENT) or DEFAULT_EXPERIMENT).expanduser().resolve().parent


def _slug(path: str) -> str:
    return "lever-" + path.replace(".", "-").replace("_", "-")


def _experiment_path(given: str) -> Path | None:
    """The experiment file the page names, if it is one it may use (see ``save_target``)."""
    try:
        return save_target(given, save_root())
    except ArmError:
        return None


def _make_workshop() -> Workshop:
    return Workshop(os.environ.get(ENV_SCENARIO) or None)


@solara.component
def LeverSlider(lever: Lever, value, on_change):
    """A slider that applies on release (not on every pixel of a drag), labelled with its unit."""
    cls = _slug(lever.path)
    lo, hi = lever.bounds(value)
    unit = f" {lever.unit}" if lever.unit else ""
    slider = rv.Slider(label=None, v_model=value, min=lo, max=hi, step=lever.slider_step(value), thumb_label=True,
                       hide_details=True, class_=cls)

    def changed(widget, event, data):
        on_change(data)

    rv.use_event(slider, "change", changed)
    with solara.Column(gap="0px", classes=[cls + "-box"]) as box:
        solara.Text(f"{lever.label}: {value:g}{unit}", classes=[cls + "-label"], style={"font-size": "15px"})
        solara.Div(children=[slider])
    return box


@solara.component
def LeverControl(lever: Lever, value, on_change, settings: dict):
    """One lever: a menu for choices, else a slider."""
    if lever.path == "strategy.entry.level":
        lever = entry_level_lever(settings.get("strategy.entry.kind", "open"))
    if lever.kind == "choice":
        labels = CHOICE_LABELS.get(lever.path, {})
        items = [{"text": labels.get(c, c), "value": c} for c in lever.choices]
        return rv.Select(label=lever.label, items=items, v_model=value, on_v_model=on_change,
                         class_=_slug(lever.path), dense=True, hide_details=True)
    return LeverSlider(lever, value, on_change)


@solara.component
def EventsAndCampaigns(ws: Workshop, act):
    """Operator actions from today: start an event series (the check-in ritual, a live talk...),
    stop the events, run a recruiting campaign. Before a run they hold from day 0."""
    kind = solara.use_reactive(EVENT_KINDS[0])
    every = solara.use_reactive(7)
    branded = solara.use_reactive(False)
    per_day = solara.use_reactive(10.0)
    days = solara.use_reactive(30)
    gift = solara.use_reactive(0.0)
    with solara.Details("Events and campaigns", expand=False):
        rv.Select(label="Event kind", items=list(EVENT_KINDS), v_model=kind.value, on_v_model=kind.set,
                  class_="event-kind", dense=True, hide_details=True)
        solara.SliderInt("Every (days)", value=every, min=1, max=60)
        solara.Checkbox(label="Branded (a recurring brand renews novelty)", value=branded)
        solara.Button(f"Start {kind.value} every {every.value} days from today", outlined=True,
                      classes=["btn-start-events"],
                      on_click=lambda: act(ws.start_events, kind.value, every.value, branded.value))
        solara.Button("Stop our events from today", outlined=True, classes=["btn-stop-events"],
                      on_click=lambda: act(ws.stop_events))
        solara.SliderFloat("Campaign: applicants per day", value=per_day, min=0, max=100, step=1)
        solara.SliderInt("Campaign: days", value=days, min=1, max=180)
        solara.SliderFloat("Campaign: gift for joining (yuan)", value=gift, min=0, max=100, step=1)
        solara.Button(f"Run a campaign: {per_day.value:g}/day for {days.value} days", outlined=True,
                      classes=["btn-campaign"],
                      on_click=lambda: act(ws.start_campaign, per_day.value, days.value, gift.value))


@solara.component
def Note(note: tuple[str, str], cls: str):
    """The outcome of a button under it: ("ok", text) green, ("error", text) red, else nothing."""
    kind, text = note
    if kind == "ok":
        solara.Success(text, classes=[cls])
    elif kind == "error":
        solara.Error(text, classes=[cls])


@solara.component
def Stat(label: str, value: str, cls: str = ""):
    with solara.Div(classes=["ws-stat", cls]):
        solara.Text(value, classes=["ws-stat-value"])
        solara.Text(label, classes=["ws-stat-label"])


DEBUG = bool(os.environ.get("COMMUNITY_SIM_APP_DEBUG"))


@solara.component
def Page():
    ws = solara.use_memo(_make_workshop, [])
    version = solara.use_reactive(0)
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(10)
    show_network = solara.use_reactive(True)
    experiment = solara.use_reactive(os.environ.get(ENV_EXPERIMENT, DEFAULT_EXPERIMENT))
    arm_name = solara.use_reactive("")
    save_note = solara.use_reactive(("", ""))  # (kind, text)

    def bump():
        version.value = version.value + 1

    loop = solara.use_ref(0)

    def play_loop():
        """Step at the chosen pace in days per second, then wait until the page has drawn that
        day: the redraw runs on the server's event loop, and a loop that outpaced it would starve
        the websocket (the browser would see nothing). When a frame takes longer than a day the
        next frame steps the days that fell due meanwhile (at most a second's worth), so the run
        keeps its pace in days per second on a slow machine, in fewer frames."""
        loop.current += 1  # a Pause then Run within one sleep must not leave two loops stepping
        me = loop.current
        pace, start, start_day = None, 0.0, 0
        while playing.value and loop.current == me and not ws.finished and not STOPPING.is_set():
            t0 = time.perf_counter()
            if speed.value != pace:  # a new pace counts from now
                pace, start, start_day = max(1, speed.value), t0, ws.day
            due = start_day + int(pace * (t0 - start))
            days = min(max(1, due - ws.day), pace)
            ws.step(days)
            target = ws.serial
            bump()
            while playing.value and ws.drawn_serial < target:
                # nobody is drawing (the browser has gone), or the server stops
                if time.perf_counter() - t0 > 15 or STOPPING.is_set():
                    playing.value = False
                    return
                time.sleep(0.01)
            now = time.perf_counter()
            spent = now - t0
            if pace * (now - start) - (ws.day - start_day) > pace:  # over a second behind: count afresh
                start, start_day = now, ws.day
            next_day = start + (ws.day + 1 - start_day) / pace
            # never less than half the frame's time idle: the page's messages go out and a click
            # (Pause) is handled at once, however slow the machine
            time.sleep(max(0.02, 0.5 * spent, next_day - now))
        if loop.current == me:  # a newer loop goes on
            playing.value = False

    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)

    _ = version.value  # re-render on every bump
    if DEBUG:
        print(f"[app] render v{version.value} day {ws.day} at {time.perf_counter():.3f}", flush=True)
    drawn = solara.use_ref(None)  # the network picture: (day, runs, PNG)
    runs_key = tuple((k, r.run_id) for k, r in ws.runs.items())
    last = drawn.current
    redraw = show_network.value and (last is None or last[1] != runs_key or network_due(
        ws.day, last[0], speed.value, playing.value))
    frame = ws.frame(with_network=bool(redraw))
    if redraw:
        drawn.current = (frame.day, runs_key, network_picture(frame, DEBUG))
    network = drawn.current[2] if show_network.value and drawn.current is not None else None
    charts = curves(frame)
    ws.drawn_serial = frame.serial

    def toggle_play():
        if DEBUG:
            print(f"[app] run/pause clicked while playing={playing.value}", flush=True)
        playing.set(not playing.value)

    def act(fn, *args):
        """Run a control's action with the run paused, then redraw."""
        playing.value = False
        fn(*args)
        bump()

    def act_live(fn, *args):
        """Run an operator's action from today, the run going on."""
        fn(*args)
        bump()

    def on_lever(path):
        def handler(value):
            ws.set_lever(path, value)
            bump()
        return handler

    def on_scenario(name):
        playing.value = False
        try:
            ws.load(name)
        except ScenarioError as exc:
            ws.message = f"Could not load {name}: {exc}"
        save_note.value = ("", "")
        bump()

    def on_save():
        name = arm_name.value.strip() or suggest_arm_name(ws.overrides())
        try:
            saved = ws.save_arm(save_target(experiment.value, save_root()), name)
            save_note.value = ("ok", saved.message())
            arm_name.value = ""
        except (ArmError, ScenarioError, OSError) as exc:
            save_note.value = ("error", str(exc))
        bump()

    b = frame.runs["B"]
    solara.Style(CSS)
    solara.Title(f"Community workshop: {ws.name}")
    with solara.AppBar():
        solara.AppBarTitle(children=[f"Community workshop: {ws.name}"])

    with solara.Sidebar():
        with solara.Card("Scenario", margin=0, classes=["ws-card-scenario"]):
            rv.Select(label="Load a shipped scenario", items=list(ws.catalog), v_model=ws.name,
                      on_v_model=on_scenario, class_="scenario-menu", dense=True, hide_details=True)
            solara.Markdown(ws.base.description or "", style={"font-size": "14px"})
            solara.InputInt("Seed (same seed, same community)", value=ws.seed,
                            on_value=lambda v: act(ws.set_seed, int(v or 0)))

        with solara.Card("Run", margin=0, classes=["ws-card-run"]):
            with solara.Row(gap="6px"):
                solara.Button("Pause" if playing.value else "Run", color="primary",
                              icon_name="mdi-pause" if playing.value else "mdi-play",
                              on_click=toggle_play, disabled=ws.finished,
                              classes=["btn-run"])
                solara.Button("Step a day", icon_name="mdi-debug-step-over", outlined=True,
                              on_click=lambda: act(ws.step, 1), disabled=ws.finished, classes=["btn-step"])
            with solara.Row(gap="6px"):
                solara.Button("+30 days", outlined=True, on_click=lambda: act(ws.step, 30),
                              disabled=ws.finished, classes=["btn-step30"])
                solara.Button("Reset", icon_name="mdi-restart", outlined=True,
                              on_click=lambda: act(ws.reset), classes=["btn-reset"])
            solara.Button("Replay from day 0", icon_name="mdi-history", outlined=True,
                          on_click=lambda: act(ws.replay), disabled=not ws.live, classes=["btn-replay"])
            solara.SliderInt("Speed (days per second)", value=speed, min=1, max=100, step=1)
            solara.Checkbox(label="Draw the network (uncheck on slow laptops)", value=show_network)

        with solara.Card("Side by side", margin=0, classes=["ws-card-compare"]):
            solara.Switch(label="Compare with strategy A (same seed)", value=ws.compare,
                          on_value=lambda v: act(ws.set_compare, v), classes=["compare-switch"])
            if ws.compare:
                solara.Text(f"A = {ws.a_label}; the levers change B.", style={"font-size": "14px"})
            solara.Button("Pin current settings as A", outlined=True, on_click=lambda: act(ws.pin_as_a),
                          classes=["btn-pin"])

        with solara.Card("Levers" + (" (strategy B)" if ws.compare else ""), margin=0, classes=["ws-card-levers"]):
            solara.Text("During a run a moved lever acts from today on, as an operator's would (marked on the "
                        "curves); founding members and managers replay from day 0.", classes=["ws-lever-help"])
            for group in GROUPS:
                with solara.Details(group, expand=group in ("Community", "Entry")):
                    for lever in LEVERS:
                        if lever.group == group and lever_visible(lever, ws.settings):
                            # keyed by the refusals: a refused value redraws the control at the value in force
                            LeverControl(lever, ws.settings[lever.path], on_lever(lever.path),
                                         ws.settings).key(f"{lever.path}-{ws.refused}")
            EventsAndCampaigns(ws, act_live)
            RulesCard(ws, act_live)
            PlanCard(ws, act_live)

        with solara.Card("Take it home", margin=0, classes=["ws-card-download"]):
            stem = file_stem(ws)
            with solara.Column(gap="4px"):
                for name in ("timeseries.csv", "members.csv", "scenario.yaml"):
                    solara.FileDownload(lambda name=name: run_tables(ws)[name], filename=f"{stem}-{name}",
                                        label=f"{name} (day {ws.day})", mime_type="text/plain")
                solara.FileDownload(lambda: figures_zip(ws), filename=f"{stem}-figures.zip",
                                    label="figures (PNG, zip)", mime_type="application/zip")
                target = _experiment_path(experiment.value)
                data = experiment_bytes(target) if target is not None else None
                if data is not None:
                    solara.FileDownload(data, filename=target.name, label=f"experiment file {target.name}",
                                        mime_type="text/yaml")

        with solara.Card("Save as arm", margin=0, classes=["ws-card-save"]):
            solara.InputText("Experiment file", value=experiment, continuous_update=True)
            solara.InputText("Arm name", value=arm_name, continuous_update=True,
                             placeholder=suggest_arm_name(ws.overrides()))
            solara.Button("Save as arm", color="primary", icon_name="mdi-content-save", on_click=on_save,
                          classes=["btn-save-arm"])
            Note(save_note.value, "save-note")

    # ------------------------------------------------------------ main area
    with solara.Column(gap="8px", style={"padding": "4px 12px"}):
        with solara.Div(classes=["ws-status"]):
            Stat("day", f"{frame.day} of {frame.horizon}", "ws-day")
            for label, value in status_lines(frame):
                Stat(label, value, "ws-" + label.split(" (")[0].replace(" ", "-"))
        rules = [f"{name} from day {r.day}: {r.label()}" for name, r in ws.named_rules()]
        solara.Text("In force" + (" (B)" if frame.compare else "") + ": " + " · ".join(describe_strategy(b.scenario)
                                                                                       + rules),
                    classes=["ws-in-force"])
        changed = {k: v for k, v in ws.overrides().items()  # the live changes and rules have their own line
                   if not (ws.live and k == "strategy.schedule") and not (ws.rules and k == "strategy.triggers")}
        if changed:
            solara.Text("Changed from the scenario as shipped: "
                        + ", ".join(f"{k.split('.', 1)[1]} = {v}" for k, v in changed.items()),
                        style={"font-size": "14px", "color": "#8a4b00"})
        if frame.marks:
            solara.Text("Changed during the run (from that day on): "
                        + "; ".join(day_changes(frame.marks).values()), classes=["ws-live-changes"],
                        style={"font-size": "14px", "color": "#8a4b00"})
        if ws.message:
            solara.Warning(ws.message, classes=["ws-message"])
        active, messages, roles = charts
        with solara.Columns([1, 1]):
            Curve(active)
            Curve(messages)
        if not show_network.value:
            network = None
        if frame.compare:  # two networks side by side need the full width
            with solara.Columns([1, 1]):
                Curve(roles)
                solara.Markdown(
                    f"### Reading the side-by-side view\n"
                    f"- **Solid lines: B**, the levers as you set them.\n"
                    f"- **Dashed lines: A**, {frame.a_label}.\n"
                    f"- Same seed: the same founding members and the same luck; only the strategy differs.\n"
                    f"- Below: who is left in each group on day {frame.day}.",
                    style={"font-size": "18px"})
            if network is not None:
                solara.Image(network, width="100%", classes=["ws-plot", "network-view"])
        else:
            with solara.Columns([1, 1]):
                Curve(roles)
                if network is not None:
                    solara.Image(network, width="100%", classes=["ws-plot", "network-view"])
        if network is None:
            solara.Text("Network drawing is off.")
        solara.Text("Made with Mesa and Solara.", style={"font-size": "12px", "color": "#777"})
