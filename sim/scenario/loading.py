"""Reading scenario files: YAML with errors that name the file and line (a key given twice in
one mapping is an error, never "the last one wins"), then validation into a Scenario; relative
edge-list paths resolve against the scenario file. A scenario's name becomes a folder name, so it
must be one: no path separators, no '..', no control characters, at most NAME_LIMIT characters.

Reading is total and bounded: a file over ``MAX_FILE_BYTES``, bytes that are not UTF-8, nesting
deeper than ``MAX_DEPTH``, more than ``MAX_NODES`` values, aliases that would expand to more than
that (a "billion laughs" bomb) or that contain themselves, and integers too long to convert are
each one ``ScenarioError`` naming the file and line, found before any value is built."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import yaml

from .edge_list import read_edge_list
from .errors import ScenarioError, did_you_mean, shown
from .schema import Scenario, scenario_from_dict


NAME_LIMIT = 100
FIT_SCENARIO = "fitted.yaml"  # the scenario in a fit folder (community-sim fit), usable as a base
MAX_FILE_BYTES = 1_000_000  # a scenario or experiment file is a few kilobytes
MAX_DEPTH = 40  # nested lists and mappings; a scenario needs 4
MAX_NODES = 20_000  # values, written or by expanding aliases; a scenario has about 200


class TooComplex(yaml.MarkedYAMLError):
    """A document nested too deep, or whose aliases expand too far or into themselves."""


class DuplicateKey(yaml.MarkedYAMLError):
    """A mapping gives the same key twice."""


class StrictLoader(yaml.SafeLoader):
    """The safe loader, refusing a mapping that gives one key twice."""

    def compose_node(self, parent, index):
        depth = getattr(self, "_depth", 0) + 1
        if depth > MAX_DEPTH:
            raise TooComplex(None, None, f"nested deeper than {MAX_DEPTH} levels; allowed at most {MAX_DEPTH}",
                             self.peek_event().start_mark)
        self._depth = depth
        self._nodes = getattr(self, "_nodes", 0) + 1
        if self._nodes > MAX_NODES:
            raise TooComplex(None, None, f"more than {MAX_NODES:,} values; allowed at most {MAX_NODES:,}",
                             self.peek_event().start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth - 1

    def get_single_data(self):
        node = self.get_single_node()
        if node is None:
            return None
        _check_expansion(node)
        return self.construct_document(node)

    def construct_yaml_int(self, node):
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # more digits than Python converts
            raise TooComplex(None, None, f"an integer of {len(node.value):,} characters; allowed an integer of at "
                             "most 4,300 digits", node.start_mark) from None

    def construct_mapping(self, node, deep=False):
        seen: dict = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                continue  # the base class reports unhashable keys
            if key in seen:
                raise DuplicateKey(None, None, f"key {key!r} given twice in one mapping (first at line {seen[key]}); "
                                   "allowed: each key once", key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


StrictLoader.add_constructor("tag:yaml.org,2002:int", StrictLoader.construct_yaml_int)


def _check_expansion(root: yaml.Node) -> None:
    """Refuse a document whose aliases expand to more than MAX_NODES values, or into a value
    that contains itself; counted on the composed nodes (each shared node once), so cheap."""
    size: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            open_.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in children)
            if size[key] > MAX_NODES:
                raise TooComplex(None, None, f"aliases expand to more than {MAX_NODES:,} values; allowed at most "
                                 f"{MAX_NODES:,} (is it an alias bomb?)", node.start_mark)
            continue
        if key in size:
            continue
        if key in open_:
            raise TooComplex(None, None, "an alias refers to a value that contains it; allowed aliases to "
                             "finished values only", node.start_mark)
        open_.add(key)
        stack.append((node, True))
        stack.extend((c, False) for c in children if id(c) not in size)
    return None


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def check_name(source: str, path: str, value: Any, limit: int = NAME_LIMIT) -> None:
    """A name that becomes a folder (or file) name: refuse what is not one."""
    allowed = (f"a name of 1 to {limit} characters without '/', '\\', control characters, "
               "and not '.' or '..' (letters, digits, spaces and punctuation are fine)")
    bad = (not isinstance(value, str) or not value.strip() or len(value) > limit or value in (".", "..")
           or any(c in value for c in "/\\") or any(ord(c) < 32 or ord(c) == 127 for c in value))
    if bad:
        shown = repr(value) if not isinstance(value, str) or len(value) <= 60 else f"{value[:40]!r}... ({len(value)} characters)"
        raise ScenarioError(source, path, f"given {shown}, allowed {allowed}")


def read_yaml(path: str | Path) -> Any:
    """Read a YAML file; a syntax error or a key given twice names the file and line."""
    p = Path(path)
    if not p.is_file():
        raise ScenarioError(str(p), "", f"file not found{nearby_file(p)}" if not p.exists()
                            else "not a file; allowed a YAML file")
    try:
        with p.open("rb") as fh:
            raw = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ScenarioError(str(p), "", f"cannot read it ({exc.strerror or type(exc).__name__})") from None
    if len(raw) > MAX_FILE_BYTES:
        raise ScenarioError(str(p), "", f"the file is over {MAX_FILE_BYTES:,} bytes; allowed a YAML file of at most "
                            f"{MAX_FILE_BYTES:,} bytes")
    text = decode_utf8(raw, str(p))
    try:
        return yaml.load(text, Loader=StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except RecursionError:
        raise ScenarioError(str(p), "", f"nested too deep; allowed at most {MAX_DEPTH} levels") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ScenarioError(str(p), "", f"invalid YAML at {line}{problem}") from None


def decode_utf8(raw: bytes, source: str) -> str:
    """The text of a file's bytes; bytes that are not UTF-8 name the line and byte."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise ScenarioError(source, "", f"line {line}: byte {raw[exc.start]:#04x} at offset {exc.start:,} is not "
                            "UTF-8 text; allowed a UTF-8 text file") from None


def nearby_file(path: Path, limit: int = 10_000) -> str:
    """" (did you mean 'x'?)" for the file in ``path``'s folder whose name is closest to its
    name (the first ``limit`` entries looked at), or nothing."""
    try:
        names = [c.name for c in itertools.islice(Path(path).parent.iterdir(), limit) if c.is_file()]
    except (OSError, ValueError):  # no such folder, not allowed to list it
        return ""
    return did_you_mean(Path(path).name[:200], names)


def existing_file(source: str, field: str, given: Any, here: Path, what: str = "an existing file") -> Path:
    """The file a field names (relative paths: against ``here``), resolved; a path that cannot
    be one (NUL bytes, too long) or names no file is a ``ScenarioError`` for that field."""
    allowed = f"{what} (a path relative to {source or 'the file'} or absolute)"
    if not isinstance(given, str) or not given or "\0" in given or len(given) > 4096:
        raise ScenarioError(source, field, f"given {shown(given)}, allowed {allowed}")
    try:
        resolved = (Path(here) / given).resolve()
        found = resolved.is_file()
    except (OSError, ValueError, RuntimeError):  # too long a name, a symbolic-link loop
        resolved, found = None, False
    if not found:
        hint = nearby_file(resolved) if resolved is not None else ""
        raise ScenarioError(source, field, f"given {shown(given)}, allowed {allowed}{hint}")
    return resolved


def scenario_file(source: str, field: str, given: Any, here: Path) -> Path:
    """The scenario file a field names: a scenario file, or a fit folder (`community-sim fit`),
    meaning its ``FIT_SCENARIO``; anything else is a ``ScenarioError`` for that field."""
    allowed = "a scenario file or a fit folder (made by community-sim fit)"
    try:
        folder = isinstance(given, str) and "\0" not in given and len(given) <= 4096 and (Path(here) / given).is_dir()
    except (OSError, ValueError):
        folder = False
    if folder:
        if not (Path(here) / given / FIT_SCENARIO).is_file():
            raise ScenarioError(source, field, f"given {shown(given)}, a folder without {FIT_SCENARIO}; "
                                f"allowed {allowed}")
        given = str(Path(given) / FIT_SCENARIO)
    return existing_file(source, field, given, here, allowed)


def load_scenario(path: str | Path) -> Scenario:
    """Load and validate a scenario file. Relative edge-list paths resolve against the file."""
    data = read_yaml(path)
    if data is None:
        data = {}
    s = scenario_from_dict(data, str(path))
    check_name(str(path), "name", s.name)
    net = s.community.network
    if net.kind == "edge_list":
        net.edge_list = str(existing_file(str(path), "community.network.edge_list", net.edge_list, Path(path).parent))
        # The file's members are the founders: record their number in the resolved scenario.
        s.community.initial_members = read_edge_list(net.edge_list)[0]
    return s
