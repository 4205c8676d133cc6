"""Room mode's pages (``community-sim app --room``; the ``viz`` extra): ``/`` is a team's page
(name the team, set the levers and the operator's rules, preview, submit), ``/presenter`` the
presenter's (teams, "Run all", progress, leaderboard, side-by-side curves, the room's experiment
file to download), guarded by a key printed in the terminal so that participants cannot start
runs. The logic is ``room.Room``, one per server process, shared by every browser; the pages
poll it for changes.
"""

from __future__ import annotations

import os
import secrets
import threading
from collections.abc import Callable
from urllib.parse import parse_qs

os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")  # no calls home from a workshop room

import solara  # noqa: E402
from solara.alias import rv  # noqa: E402

from ..plural import count
from ..scenario import shipped_scenarios  # noqa: E402
from .app import CSS, LeverControl, Note, Stat  # noqa: E402
from .charts import active_chart, messages_chart  # noqa: E402
from .curve_widget import Curve  # noqa: E402
from .levers import GROUPS, LEVERS, change_setting, lever_visible  # noqa: E402
from .leaderboard import METRICS, shown_interval, shown_value  # noqa: E402
from .room import (DEFAULT_REPLICATES, ENV_ROOM_JOBS, ENV_ROOM_RESULTS, ENV_ROOM_SCENARIO,  # noqa: E402
                   MAX_REPLICATES, Room, RoomError, RoomRun, presenter_key)
from .preview import Preview  # noqa: E402
from .rules_page import RuleForm  # noqa: E402

POLL_SECONDS = 0.5

_room: Room | None = None
_room_lock = threading.Lock()


def get_room() -> Room:
    """The server's one room, made on first use from the scenario ``serve`` was given."""
    global _room
    with _room_lock:
        if _room is None:
            scenario = os.environ.get(ENV_ROOM_SCENARIO) or shipped_scenarios()["baseline"]
            _room = Room(scenario, results_root=os.environ.get(ENV_ROOM_RESULTS) or "results")
        return _room


def room_jobs() -> int | None:
    """Worker processes for a run: COMMUNITY_SIM_ROOM_JOBS if a positive integer, else every core."""
    text = os.environ.get(ENV_ROOM_JOBS, "")
    return int(text) if text.isdigit() and int(text) > 0 else None


def use_room_updates(room: Room, moving: Callable[[], bool]) -> int:
    """Redraw when the room changes (a team submits, a run or preview starts or ends), and twice a
    second while ``moving()`` (this page shows a progress bar): other pages stay still, so that a
    room of teams does not redraw every page all the time while one runs."""
    tick = solara.use_reactive(0)

    def poll(cancel: threading.Event) -> None:
        seen = room.serial
        while not cancel.wait(POLL_SECONDS):
            if room.serial != seen or moving():
                seen = room.serial
                tick.value = tick.value + 1

    solara.use_thread(poll, dependencies=[], intrusive_cancel=False)
    return tick.value


def team_list(room: Room, removable: bool = False) -> None:
    """The teams so far, with a remove button each on the presenter's page (a plain function,
    not a component: drawn afresh on every redraw)."""
    with room.lock:
        teams = list(room.teams.values())
    if not teams:
        solara.Text("No team has submitted yet.", classes=["room-no-teams"])
    for t in teams:
        again = f", submitted {t.times} times" if t.times > 1 else ""
        with solara.Row(gap="4px", style={"align-items": "center"}):
            solara.Text(f"{t.name}: {t.summary()}{again}", classes=["room-team"])
            if removable:
                solara.Button(icon_name="mdi-close", icon=True, on_click=lambda name=t.name: room.remove(name),
                              classes=["btn-remove-team"])


def preview_note(preview: Preview) -> str:
    """The words under a team's preview: which run it is and how long it took (the seed, a
    19-digit number, says nothing to a room)."""
    return (f"The presenter's first replicate; ran in {preview.seconds:.1f} s. "
            "One run is one possible future: the presenter's replicates give the range.")


@solara.component
def TeamPage():
    room = get_room()
    owner = solara.use_memo(lambda: secrets.token_hex(8), [])
    use_room_updates(room, lambda: (p := room.previews.get(owner)) is not None and p.started and p.running)
    name = solara.use_reactive("")
    settings = solara.use_reactive(room.default_settings())
    rules = solara.use_reactive([])  # the operator's rules the team adopted (from day 0)
    note = solara.use_reactive(("", ""))

    def on_lever(path):
        def handler(value):
            settings.value = change_setting(room.base, settings.value, path, value)
        return handler

    def adopt(when, do, cooldown_days):
        try:
            rules.value = [*rules.value, room.check_rule(when, do, cooldown_days)]
            note.value = ("", "")
        except RoomError as exc:
            note.value = ("error", str(exc))

    def submit():
        try:
            note.value = ("ok", room.submit(name.value, settings.value, owner, rules.value))
        except RoomError as exc:
            note.value = ("error", str(exc))

    def preview():
        try:
            room.preview(owner, settings.value, rules.value)
            note.value = ("", "")
        except RoomError as exc:
            note.value = ("error", str(exc))

    solara.Style(CSS)
    solara.Title(f"Workshop room: {room.base.name}")
    with solara.AppBar():
        solara.AppBarTitle(children=[f"Workshop room: {room.base.name}"])
    with solara.Column(style={"padding": "8px 16px", "max-width": "900px"}):
        solara.Markdown(f"**The community:** {room.base.description or room.base.name}. Every team's strategy "
                        f"runs on the same community and seed ({room.seed}); the presenter runs them all.")
        solara.InputText("Team name", value=name, continuous_update=True, classes=["room-team-name"])
        for group in GROUPS:
            with solara.Details(group, expand=group in ("Entry", "Content")):
                for lever in LEVERS:
                    if lever.group == group and lever_visible(lever, settings.value):
                        LeverControl(lever, settings.value[lever.path], on_lever(lever.path), settings.value)
        RuleForm(0, rules.value, adopt, "Add to our strategy", on_clear=lambda: rules.set([]))
        with solara.Row(gap="8px"):
            solara.Button("Preview our strategy", outlined=True, icon_name="mdi-eye", on_click=preview,
                          classes=["btn-preview"])
            solara.Button("Submit our strategy", color="primary", icon_name="mdi-send", on_click=submit,
                          classes=["btn-submit"])
        Note(note.value, "room-note")
        show_preview(room, room.previews.get(owner), settings.value, rules.value)
        with solara.Card("Teams in the room", margin=0):
            team_list(room)


def show_preview(room: Room, preview: Preview | None, settings: dict, rules: list) -> None:
    """The team's last preview: waiting its turn, running, or its curves (each time a rule acted
    marked, as on the dashboard) and headline (marked when the levers or rules have changed
    since). A plain function: drawn afresh on every redraw."""
    if preview is None:
        return
    if not preview.started:
        ahead = room.previews_ahead(preview)
        solara.ProgressLinear(value=True)  # indeterminate: waiting
        solara.Text(f"Preview waiting its turn: {count(ahead, 'preview')} of other teams ahead"
                    if ahead else "Preview starting", classes=["room-preview-running"])
        return
    if preview.running:
        solara.ProgressLinear(value=100 * preview.day / max(1, preview.scenario.days))
        solara.Text(f"Previewing: day {preview.day} of {preview.scenario.days}", classes=["room-preview-running"])
        return
    if preview.error:
        solara.Error(f"The preview stopped: {preview.error}", classes=["room-preview-error"])
        return
    frame = preview.frame()
    old = "" if preview.current(settings, rules) else (" - out of date: you have changed levers or rules since; "
                                                        "preview again")
    with solara.Card(f"Preview: your strategy, one run on the room's community{old}", margin=0,
                     classes=["room-preview" if not old else "room-preview-stale"]):
        solara.Text(preview_note(preview), style={"font-size": "13px"})
        with solara.Div(classes=["ws-status"]):
            for label, value in preview.headline():
                Stat(label, value, "room-preview-stat")
        with solara.Columns([1, 1]):
            Curve(active_chart(frame))
            Curve(messages_chart(frame))


def _cell(text: str) -> str:
    """A team name as literal Markdown table text ('_' would start emphasis)."""
    return text.replace("_", "\\_")


def show_figure(run: RoomRun | None) -> None:
    """The finished run's curves (``RoomRun.figure_png``), above the leaderboard so that the
    projector's first view holds all of it (a plain function: drawn afresh on every redraw)."""
    figure = run.figure_png() if run is not None and not run.running else None
    if figure is not None:
        solara.Image(figure, width="100%", classes=["room-curves"])


def show_leaderboard(room: Room, metric: str) -> None:
    """The leaderboard (live while the runs go on, from comparison.csv once finished; drawn
    afresh on every redraw)."""
    run = room.run
    if run is None or run.error:
        return
    board, final = run.board(metric)
    if not board:
        return
    days = room.base.days
    rows = "".join(
        f"| {r.rank} | {_cell(r.arm)}{' (base)' if r.baseline else ''} | {shown_value(r.value, metric, days)} "
        f"| {shown_interval(r, metric, days)} | {r.n} |\n" for r in board)
    title = METRICS[metric] + ("" if final else " (so far: the runs finished up to now)")
    with solara.Div(classes=["room-leaderboard" if final else "room-leaderboard-live"]):
        solara.Markdown(f"### Leaderboard: {title}\n\n| Rank | Team | Value | 95% interval | Runs |\n"
                        f"|---|---|---|---|---|\n{rows}")
    if not final:
        return
    solara.Text(f"Everything is in {run.folder} (report.html, comparison.csv).", style={"font-size": "13px"})


@solara.component
def PresenterPage():
    room = get_room()
    use_room_updates(room, lambda: room.run is not None and room.run.running)
    router = solara.use_router()
    given = parse_qs(router.search or "").get("key", [""])[0]
    key = solara.use_reactive(given)
    replicates = solara.use_reactive(DEFAULT_REPLICATES)
    metric = solara.use_reactive("mean_active")
    note = solara.use_reactive("")

    solara.Style(CSS)
    solara.Title(f"Workshop room (presenter): {room.base.name}")
    with solara.AppBar():
        solara.AppBarTitle(children=[f"Workshop room (presenter): {room.base.name}"])
    if not secrets.compare_digest(key.value.encode(), presenter_key().encode()):
        with solara.Column(style={"padding": "16px", "max-width": "600px"}):
            solara.Markdown("This is the presenter's page. Open the presenter address printed in the terminal, "
                            "or type the key printed there.")
            solara.InputText("Presenter key", value=key, password=True, classes=["room-key"])
        return

    def run_all():
        try:
            room.start(int(replicates.value or 0), jobs=room_jobs())
            note.value = ""
        except RoomError as exc:
            note.value = str(exc)

    run = room.run
    running = run is not None and run.running
    with solara.Columns([1, 2], style={"padding": "8px 16px"}):
        with solara.Column():
            with solara.Card("Teams", margin=0):
                team_list(room, removable=True)
            with solara.Card("Run all", margin=0):
                solara.InputInt(f"Replicates per team (1-{MAX_REPLICATES})", value=replicates,
                                continuous_update=True, classes=["room-replicates"])
                solara.Button("Run all", color="primary", icon_name="mdi-play", on_click=run_all,
                              disabled=running or not room.teams, classes=["btn-run-all"])
                if note.value:
                    solara.Error(note.value, classes=["room-note"])
                with solara.FileDownload(lambda: room.experiment_yaml(int(replicates.value or DEFAULT_REPLICATES)).encode(),
                                         filename="room.yaml", mime_type="text/yaml"):
                    solara.Button("Download the room's experiment file", icon_name="mdi-download", outlined=True,
                                  disabled=not room.teams, classes=["btn-download"])
        with solara.Column():
            if run is not None:
                total = max(run.total, 1)
                solara.ProgressLinear(value=100 * run.done() / total if running else False)
                solara.Text(run.progress_text(), classes=["room-progress"])
            show_figure(run)
            rv.Select(label="Rank teams by", items=[{"text": v, "value": k} for k, v in METRICS.items()],
                      v_model=metric.value, on_v_model=metric.set, class_="room-metric", dense=True)
            show_leaderboard(room, metric.value)


routes = [
    solara.Route(path="/", component=TeamPage, label="Team"),
    solara.Route(path="presenter", component=PresenterPage, label="Presenter"),
]
