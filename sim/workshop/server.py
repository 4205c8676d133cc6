"""Serving the dashboard: the address, the port checks, the "ready at" line, quiet logs when a
browser tab closes, no Solara banner over the figures, and a clean stop on Ctrl+C.
``serve`` runs the Solara page ``sim.workshop.app:Page``."""

from __future__ import annotations

import logging
import os
import socket
import sys
import threading
import time
import urllib.request
import warnings
from pathlib import Path

from ..scenario import load_scenario

# Read by Solara's settings when it is first imported (in ``serve``): no calls home from a
# workshop room, and no "This website runs on Solara" banner pinned over the network legend.
SOLARA_ENV = {"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False", "SOLARA_THEME_SHOW_BANNER": "False"}
for _key, _value in SOLARA_ENV.items():  # before anything imports Solara
    os.environ.setdefault(_key, _value)
STOPPING = threading.Event()  # set when the server stops: the pages' play loops end at once
ENV_SCENARIO = "COMMUNITY_SIM_APP_SCENARIO"
ENV_EXPERIMENT = "COMMUNITY_SIM_APP_EXPERIMENT"

# What a websocket whose browser tab has gone raises while the server still sends to it.
DISCONNECT_TYPES = frozenset({"WebSocketDisconnect", "ConnectionClosed", "ConnectionClosedOK", "ConnectionClosedError",
                              "ClientDisconnected", "ClosedResourceError", "BrokenResourceError"})
DISCONNECT_PHRASES = ("close message", "websocket.close", "portal is not running",
                      "cannot disconnect a page that is in state")  # the last: Solara, a tab closed twice
# The loggers that report failed sends on a websocket (Solara's kernel and its Starlette server).
SERVER_LOGGERS = ("solara.server.kernel", "solara.server.fastapi", "solara.server.server", "uvicorn.error")


def is_disconnect(exc: BaseException | None, depth: int = 0) -> bool:
    """Whether ``exc`` says the browser has gone away: it, an exception it was raised from, or
    every exception of a group (as the server's task groups raise them) is a disconnect."""
    if exc is None or depth > 20:
        return False
    if isinstance(exc, BaseExceptionGroup):
        return all(is_disconnect(e, depth + 1) for e in exc.exceptions)
    if type(exc).__name__ in DISCONNECT_TYPES:
        return True
    if isinstance(exc, (RuntimeError, AssertionError)) and any(p in str(exc) for p in DISCONNECT_PHRASES):
        return True
    return is_disconnect(exc.__cause__ or exc.__context__, depth + 1)


class ClosedTabFilter(logging.Filter):
    """Drops the log records (with their tracebacks) of sends to a tab that has been closed;
    every other record, errors included, passes."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and is_disconnect(record.exc_info[1]))


def quiet_closed_tabs() -> ClosedTabFilter:
    """Install ``ClosedTabFilter`` on the server's loggers (once); returns it."""
    for name in SERVER_LOGGERS:
        log = logging.getLogger(name)
        found = next((f for f in log.filters if isinstance(f, ClosedTabFilter)), None)
        if found is None:
            found = ClosedTabFilter()
            log.addFilter(found)
    return found


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
    from click.exceptions import Abort
    from solara.__main__ import cli as solara_cli

    from .origin import install

    install(host, port)  # only pages this server served may drive it
    quiet_closed_tabs()
    page = "sim.workshop.app:Page"
    if room:
        from .room import prepare

        page = prepare(scenario, url)
    try:
        solara_cli.main(args=["run", page, "--host", host, "--port", str(port), "--production",
                              "--no-open", "--no-check-version", "--log-level", "warning"],
                        prog_name="community-sim app", standalone_mode=False)
    except (KeyboardInterrupt, Abort):
        pass
    STOPPING.set()
    print("Workshop dashboard stopped.", flush=True)
    return 0
