"""Browser-test helpers: start ``community-sim app`` on a free loopback port and drive it with
headless Chromium through Playwright (skipping cleanly where either is missing). Used by
tests/test_app.py and tests/test_room.py."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
WAIT = 120_000  # ms; generous: CI shares two cores between the server, Chromium and other tests (60 s timed out)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def served_app(args: list[str], env: dict[str, str], timeout: float = 120,
               stop: int = signal.SIGTERM) -> Iterator[dict]:
    """``community-sim app ARGS --port N`` until the block ends; yields its url and log lines
    (a list that goes on filling), seconds it took to answer and the process. Fails the test if it
    does not say 'ready at' in time. Stopped with ``stop`` (SIGINT: as a teacher presses Ctrl+C)."""
    pytest.importorskip("solara", reason="the dashboard needs the viz extra (pip install -e '.[viz]')")
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "sim.cli", "app", *args, "--port", str(port)], cwd=ROOT,
                            env={**os.environ, "PYTHONUNBUFFERED": "1", **env}, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        for line in proc.stdout:
            lines.append(line)
            if "ready at" in line:
                ready.set()

    threading.Thread(target=read, daemon=True).start()
    try:
        if not ready.wait(timeout):
            pytest.fail(f"the app did not start within {timeout:.0f} s:\n" + "".join(lines))
        yield {"url": f"http://127.0.0.1:{port}/", "log": lines, "startup": time.perf_counter() - started, "proc": proc}
    finally:
        proc.send_signal(stop)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
        time.sleep(0.2)  # the reader thread takes the last lines


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium browser (Playwright), or the test skipped saying what is missing."""
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    if not CHROMIUM.exists():
        pytest.skip("no browser: /usr/bin/chromium is missing (apt-get install chromium; .ci/run does this)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
