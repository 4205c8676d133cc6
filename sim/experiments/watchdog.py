"""A pool worker's first step: a watchdog that ends the worker when its parent dies, started
before the worker imports anything heavy.

A spawned worker imports the initializer's module before it runs the initializer, and the
first task's module (the model: Mesa, SciPy, Matplotlib...) only after it: this module is that
initializer's, so it imports the standard library only (and the lazy ``sim`` and
``sim.experiments`` packages; ``python -X importtime`` shows it), and
a parent killed while its workers still import ends them within a poll, not after their imports
(seconds under load). Keep it that way: no import of the rest of ``sim`` here.
"""

from __future__ import annotations

import os
import signal
import threading
import time

PARENT_POLL_SECONDS = 0.5


def _exit_when_orphaned(parent: int) -> None:
    while True:
        if os.getppid() != parent:
            os._exit(1)  # the parent is gone (killed): nobody will collect this worker's results
        time.sleep(PARENT_POLL_SECONDS)


def worker_init(parent: int) -> None:
    """A pool worker's set-up: a watchdog ends it if the parent (pid ``parent``) dies, even
    before it started, Ctrl-C is the parent's to handle, and SIGTERM ends it (a forked worker
    must not inherit the parent's handler)."""
    threading.Thread(target=_exit_when_orphaned, args=(parent,), daemon=True, name="parent-watchdog").start()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
