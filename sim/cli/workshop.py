"""`app`: the command that serves the workshop dashboard in the browser (needs the viz extra)."""

from __future__ import annotations

import sys

from .common import EXIT_BAD_INPUT


def cmd_app(args) -> int:
    import time

    started = time.perf_counter()
    try:
        from ..workshop.server import serve  # first: it sets Solara's settings

        import solara  # noqa: F401 - the viz extra
    except ImportError as exc:
        print(f"error: the dashboard needs the viz extra ({exc}); install it with: pip install -e '.[viz]'",
              file=sys.stderr)
        return EXIT_BAD_INPUT
    return serve(args.scenario, host=args.host, port=args.port, experiment=args.experiment, started=started,
                 room=args.room)


def register(sub) -> None:
    """Add this module's commands to the ``community-sim`` sub-parsers."""
    a = sub.add_parser("app", help="start the workshop dashboard in the browser")
    a.add_argument("scenario", nargs="?", help="scenario YAML to open first (default: scenarios/baseline.yaml)")
    a.add_argument("--port", type=int, default=8765, help="port to serve on (default 8765; 0 = any free port)")
    a.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1, this machine only)")
    a.add_argument("--experiment", help="experiment file 'save as arm' writes to (default experiments/workshop.yaml)")
    a.add_argument("--room", action="store_true",
                   help="room mode: each team's browser submits a strategy; the presenter's page runs them all")
    a.set_defaults(func=cmd_app)
