"""Edge-list files: the founding members' ties as given by the user, one tie per line.

Read here, in the scenario layer, because loading a scenario (or an experiment whose arms name
one) records how many founders the file holds; the model builds its graph from what this
returns. Reading is total: a missing or unreadable file, bytes that are not UTF-8, a line
without two names, a file over ``MAX_EDGE_FILE_BYTES`` or with more than ``MAX_FOUNDERS``
members is one ``ScenarioError`` naming the file and line, the echoed text shortened.
"""

from __future__ import annotations

import io

from .errors import ScenarioError, shown

MAX_EDGE_FILE_BYTES = 200_000_000
MAX_FOUNDERS = 1_000_000  # community.initial_members' upper limit


def read_edge_list(path: str) -> tuple[int, list[tuple[int, int]]]:
    """(members, ties) of an edge-list file: 'a b' lines, comments after #; members are
    numbered 0.. in order of first appearance; self-ties are dropped."""
    order: dict[str, int] = {}
    edges = []
    try:
        with open(path, "rb") as fh:
            raw = fh.read(MAX_EDGE_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(str(path), "", f"cannot read the edge list ({exc.strerror or type(exc).__name__}); "
                            "allowed a readable text file") from None
    if len(raw) > MAX_EDGE_FILE_BYTES:
        raise ScenarioError(str(path), "", f"the edge list is over {MAX_EDGE_FILE_BYTES:,} bytes; allowed at most "
                            f"{MAX_EDGE_FILE_BYTES:,}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ScenarioError(str(path), "", f"line {line}: byte {raw[exc.start]:#04x} is not UTF-8 text; allowed a "
                            "UTF-8 text file of 'a b' lines") from None
    for lineno, line in enumerate(io.StringIO(text, newline=None), 1):  # \n, \r\n or \r, as before
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) < 2:
            raise ScenarioError(str(path), "", f"line {lineno}: given {shown(line)}, allowed two member names per "
                                "line ('a b')")
        a, b = (order.setdefault(p, len(order)) for p in parts[:2])
        if len(order) > MAX_FOUNDERS:
            raise ScenarioError(str(path), "", f"line {lineno}: more than {MAX_FOUNDERS:,} members; allowed at most "
                                f"{MAX_FOUNDERS:,} founders")
        if a != b:
            edges.append((a, b))
    if len(order) < 2:
        raise ScenarioError(str(path), "", "given fewer than two members, allowed an edge list with at least one tie")
    return len(order), edges
