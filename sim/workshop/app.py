"""Workshop dashboard: a browser page where a room moves the operator's levers and watches the
community respond. Started by ``community-sim app [SCENARIO] [--port N]``.

Built on Solara, the library under Mesa's SolaraViz (the ``mesa[viz]`` extra). SolaraViz itself
rebuilds a model from flat keyword arguments on Reset; this page needs a scenario menu that
resets the levers, levers that act at once (the run replays to the same day on the same seed),
two strategies side by side, and "save as arm", so it is a Solara page of its own, and all the
logic lives in the other modules of ``sim.workshop`` (tested without a browser).
"""

from __future__ import annotations

import os
import socket
import sys
import threading
import time
import urllib.request
import warnings
from pathlib import Path

os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")  # no calls home from a workshop room

import solara  # noqa: E402
import solara.lab  # noqa: E402
from solara.alias import rv  # noqa: E402

from ..scenario import ScenarioError, load_scenario  # noqa: E402
from .arms import ArmError, save_target  # noqa: E402
from .figures import (active_figure, describe_strategy, messages_figure, network_figure, png,  # noqa: E402
                      roles_figure, status_lines)
from .levers import (CLEANUP_LABELS, ENTRY_LABELS, GROUPS, LEVERS, Lever, entry_level_lever,  # noqa: E402
                     lever_visible, suggest_arm_name)
from .session import Frame, Workshop  # noqa: E402

ENV_SCENARIO = "COMMUNITY_SIM_APP_SCENARIO"
ENV_EXPERIMENT = "COMMUNITY_SIM_APP_EXPERIMENT"
DEFAULT_EXPERIMENT = "experiments/workshop.yaml"
FRAMES_PER_SECOND = 4  # most redraws per second while running; more days per frame when faster
CHOICE_LABELS = {"strategy.entry.kind": ENTRY_LABELS, "strategy.cleanup.rule": CLEANUP_LABELS}

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


def _make_workshop() -> Workshop:
    return Workshop(os.environ.get(ENV_SCENARIO) or None)


@solara.component
def LeverSlider(lever: Lever, value, on_change):
    """A slider that applies on release (not on every pixel of a drag), labelled with its unit."""
    cls = _slug(lever.path)
    lo, hi = lever.bounds(value)
    unit = f" {lever.unit}" if lever.unit else ""
    slider = rv.Slider(label=None, v_model=value, min=lo, max=hi, step=lever.step, thumb_label=True,
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
def Stat(label: str, value: str, cls: str = ""):
    with solara.Div(classes=["ws-stat", cls]):
        solara.Text(value, classes=["ws-stat-value"])
        solara.Text(label, classes=["ws-stat-label"])


DEBUG = bool(os.environ.get("COMMUNITY_SIM_APP_DEBUG"))


def _pictures(frame: Frame, show_network: bool) -> dict[str, bytes]:
    t0 = time.perf_counter()
    out = {"active": png(active_figure(frame)), "messages": png(messages_figure(frame)),
           "roles": png(roles_figure(frame))}
    if show_network:
        out["network"] = png(network_figure(frame))
    if DEBUG:
        print(f"[app] day {frame.day}: figures drawn in {time.perf_counter() - t0:.3f} s", flush=True)
    return out


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

    def play_loop():
        """Step, then wait until the page has drawn that day before stepping again: the redraw
        runs on the server's event loop, and a loop that outpaced it would starve the websocket
        (the browser would see nothing). Faster speeds step more days per redraw."""
        per_frame = 1.0 / FRAMES_PER_SECOND
        while playing.value and not ws.finished:
            t0 = time.perf_counter()
            days = max(1, round(speed.value * per_frame))
            ws.step(days)
            target = ws.serial
            bump()
            while playing.value and ws.drawn_serial < target:
                if time.perf_counter() - t0 > 15:  # nobody is drawing: the browser has gone
                    playing.value = False
                    return
                time.sleep(0.02)
            spent = time.perf_counter() - t0
            time.sleep(max(0.05, days / max(1, speed.value) - spent))  # let the page's messages go out
        playing.value = False

    solara.lab.use_task(play_loop, dependencies=[playing.value], prefer_threaded=True)

    _ = version.value  # re-render on every bump
    if DEBUG:
        print(f"[app] render v{version.value} day {ws.day} at {time.perf_counter():.3f}", flush=True)
    frame = ws.frame(with_network=show_network.value)
    pictures = solara.use_memo(lambda: _pictures(frame, show_network.value),
                               [frame.serial, frame.day, show_network.value, frame.compare])
    ws.drawn_serial = frame.serial

    def act(fn, *args):
        """Run a control's action with the run paused, then redraw."""
        playing.value = False
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
                              on_click=lambda: playing.set(not playing.value), disabled=ws.finished,
                              classes=["btn-run"])
                solara.Button("Step a day", icon_name="mdi-debug-step-over", outlined=True,
                              on_click=lambda: act(ws.step, 1), disabled=ws.finished, classes=["btn-step"])
            with solara.Row(gap="6px"):
                solara.Button("+30 days", outlined=True, on_click=lambda: act(ws.step, 30),
                              disabled=ws.finished, classes=["btn-step30"])
                solara.Button("Reset", icon_name="mdi-restart", outlined=True,
                              on_click=lambda: act(ws.reset), classes=["btn-reset"])
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
            for group in GROUPS:
                with solara.Details(group, expand=group in ("Community", "Entry")):
                    for lever in LEVERS:
                        if lever.group == group and lever_visible(lever, ws.settings):
                            LeverControl(lever, ws.settings[lever.path], on_lever(lever.path), ws.settings)

        with solara.Card("Save as arm", margin=0, classes=["ws-card-save"]):
            solara.InputText("Experiment file", value=experiment, continuous_update=True)
            solara.InputText("Arm name", value=arm_name, continuous_update=True,
                             placeholder=suggest_arm_name(ws.overrides()))
            solara.Button("Save as arm", color="primary", icon_name="mdi-content-save", on_click=on_save,
                          classes=["btn-save-arm"])
            kind, text = save_note.value
            if kind == "ok":
                solara.Success(text, classes=["save-note"])
            elif kind == "error":
                solara.Error(text, classes=["save-note"])

    # ------------------------------------------------------------ main area
    with solara.Column(gap="8px", style={"padding": "4px 12px"}):
        with solara.Div(classes=["ws-status"]):
            Stat("day", f"{frame.day} of {frame.horizon}", "ws-day")
            for label, value in status_lines(frame):
                Stat(label, value, "ws-" + label.split(" (")[0].replace(" ", "-"))
        solara.Text("In force" + (" (B)" if frame.compare else "") + ": " + " · ".join(describe_strategy(b.scenario)),
                    classes=["ws-in-force"])
        changed = ws.overrides()
        if changed:
            solara.Text("Changed from the scenario as shipped: "
                        + ", ".join(f"{k.split('.', 1)[1]} = {v}" for k, v in changed.items()),
                        style={"font-size": "14px", "color": "#8a4b00"})
        if ws.message:
            solara.Warning(ws.message, classes=["ws-message"])
        with solara.Columns([1, 1]):
            solara.Image(pictures["active"], width="100%", classes=["ws-plot", "curve-active"])
            solara.Image(pictures["messages"], width="100%", classes=["ws-plot", "curve-messages"])
        network = pictures.get("network")
        if frame.compare:  # two networks side by side need the full width
            with solara.Columns([1, 1]):
                solara.Image(pictures["roles"], width="100%", classes=["ws-plot", "curve-roles"])
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
                solara.Image(pictures["roles"], width="100%", classes=["ws-plot", "curve-roles"])
                if network is not None:
                    solara.Image(network, width="100%", classes=["ws-plot", "network-view"])
        if network is None:
            solara.Text("Network drawing is off.")


def app_address(host: str, port: int) -> str:
    shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
    return f"http://{shown}:{port}/"


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def _port_taken(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


def _announce_when_ready(url: str, started: float, timeout: float = 60.0) -> None:
    """Print the address once the server answers (so the line means 'open it now')."""
    while time.perf_counter() - started < timeout:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    print(f"Workshop dashboard ready at {url}  (started in {time.perf_counter() - started:.1f} s; "
                          "Ctrl+C stops it)", flush=True)
                    return
        except OSError:
            time.sleep(0.2)
    print(f"warning: the dashboard did not answer at {url} within {timeout:.0f} s", file=sys.stderr, flush=True)


def serve(scenario: str | None = None, host: str = "127.0.0.1", port: int = 8765,
          experiment: str | None = None, started: float | None = None, room: bool = False) -> int:
    """Start the dashboard server (blocks until Ctrl+C); ``room``: room mode's pages instead
    (sim.workshop.room_page). Returns an exit code."""
    started = time.perf_counter() if started is None else started
    if scenario:
        load_scenario(scenario)  # a bad file fails here, with the loader's message
        os.environ[ENV_SCENARIO] = str(Path(scenario).resolve())
    if experiment:
        os.environ[ENV_EXPERIMENT] = experiment
    if port == 0:
        port = _free_port(host)
    elif _port_taken(host, port):
        print(f"error: port {port} on {host} is in use; choose another with --port (0 = any free port)",
              file=sys.stderr)
        return 3
    url = app_address(host, port)
    warnings.filterwarnings("ignore", message="Cookies with samesite")  # plain http on a laptop is fine
    print(f"Starting the workshop dashboard at {url} ...", flush=True)
    threading.Thread(target=_announce_when_ready, args=(url, started), daemon=True).start()
    from solara.__main__ import cli as solara_cli

    from .origin import install

    install(host, port)  # only pages this server served may drive it
    page = "sim.workshop.app:Page"
    if room:
        from .room import prepare

        page = prepare(scenario, url)
    solara_cli.main(args=["run", page, "--host", host, "--port", str(port), "--production",
                          "--no-open", "--no-check-version", "--log-level", "warning"],
                    prog_name="community-sim app", standalone_mode=False)
    return 0
