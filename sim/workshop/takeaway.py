"""Take it home: the files behind the dashboard's download buttons, built from the session as it
is now: the run's timeseries.csv and members.csv (as `community-sim run` writes them), the
scenario that reproduces the run (live changes as schedule steps), the figures as PNGs (one zip)
and the room's experiment file with its saved arms."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from ..run.files import dump_yaml, table_csv
from ..run.runner import members_csv
from .figures import active_figure, messages_figure, network_figure, png, roles_figure
from .session import Workshop

FIGURE_DPI = 150  # sharper than the projector's frames: these go into slides and reports


def file_stem(ws: Workshop) -> str:
    """``<scenario>-day<N>``: what the downloaded files start with."""
    return f"{Path(ws.name).stem}-day{ws.day}"


def run_tables(ws: Workshop) -> dict[str, bytes]:
    """B's run so far: timeseries.csv and members.csv, and scenario.yaml that reproduces it."""
    with ws.lock:
        model = ws.runs["B"].model
        return {"timeseries.csv": table_csv(model.timeseries()), "members.csv": members_csv(model.member_records()),
                "scenario.yaml": dump_yaml(ws.current.to_dict())}


def figures_zip(ws: Workshop) -> bytes:
    """The four figures of today (A beside B when comparing) as PNGs in one zip."""
    frame = ws.frame(with_network=True)
    makers = {"active.png": active_figure, "messages.png": messages_figure, "roles.png": roles_figure,
              "network.png": network_figure}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, make in makers.items():
            zf.writestr(f"{file_stem(ws)}-{name}", png(make(frame), dpi=FIGURE_DPI))
    return buf.getvalue()


def experiment_bytes(path: Path) -> bytes | None:
    """The experiment file's text, or None while nothing has been saved to it."""
    return path.read_bytes() if path.is_file() else None
