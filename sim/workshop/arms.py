"""Save as arm: the dashboard's current settings appended, as overrides of the experiment's
base scenario, to an experiment file that `community-sim experiment FILE` runs (validated
first, written atomically). An existing file keeps its text and comments: the arm is appended
as text. The page may only name an experiment file inside the folder allowed for saving
(``save_target``)."""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from ..plural import count
from ..scenario import Scenario, ScenarioError, check_name, load_scenario
from ..scenario.loading import StrictLoader
from .levers import overrides_between

ARM_NAME_LIMIT = 64  # characters; the experiment runner allows more, a dashboard field needs no more
EXPERIMENT_FILE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._ -]{0,99}\.ya?ml$")


class ArmError(ValueError):
    """Saving an arm was refused; the message says why and what to do."""


@dataclass
class SavedArm:
    path: Path
    name: str
    overrides: dict[str, Any]
    arms: int
    created: bool

    def message(self) -> str:
        what = "Created" if self.created else "Updated"
        return (f"{what} {self.path}: arm '{self.name}' ({count(len(self.overrides), 'setting')} changed), "
                f"{count(self.arms, 'arm')} in the file. Run it with: community-sim experiment {self.path}")


def check_arm_name(name: str) -> str:
    """``name`` if the experiment runner accepts it as an arm name (spaces and punctuation are
    fine, as in the shipped experiments; no path separators or control characters) and it has
    no leading or trailing spaces and at most ARM_NAME_LIMIT characters; else ArmError."""
    allowed = (f"allowed 1 to {ARM_NAME_LIMIT} characters, spaces inside the name fine, no '/', '\\', "
               "control characters or spaces at either end")
    if not isinstance(name, str) or name != name.strip() or len(name) > ARM_NAME_LIMIT:
        raise ArmError(f"arm name {name!r}: {allowed}")
    try:
        check_name("", "", name, ARM_NAME_LIMIT)
    except ScenarioError:
        raise ArmError(f"arm name {name!r}: {allowed}") from None
    return name


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def save_target(given: str, root: str | Path) -> Path:
    """The experiment file a page asked to save to, if it is one: a .yaml name of letters,
    digits, '.', '-', '_' or spaces, inside ``root`` (the project's experiments/ or the folder
    given on the command line) or an existing folder under it, symbolic links resolved."""
    text = (given or "").strip()
    allowed = f"a .yaml file in {root} (letters, digits, '.', '-', '_', spaces)"
    if not text or any(ord(c) < 32 for c in text):
        raise ArmError(f"experiment file {text!r}: allowed {allowed}")
    path = Path(text).expanduser()
    path = (path if path.is_absolute() else Path.cwd() / path).resolve()
    top = Path(root).expanduser().resolve()
    if not EXPERIMENT_FILE.match(path.name) or top not in path.parents:
        raise ArmError(f"experiment file {text!r}: allowed {allowed}")
    if path.parent != top and not path.parent.is_dir():
        raise ArmError(f"experiment file {text!r}: its folder {path.parent} does not exist; allowed {allowed}")
    if path.exists() and not path.is_file():
        raise ArmError(f"experiment file {text!r} is not a file; allowed {allowed}")
    return path


def _arm_text(arm: dict, column: int) -> str:
    item = yaml.safe_dump([arm], sort_keys=False, allow_unicode=True, default_flow_style=False, width=1000)
    return "".join(" " * column + line for line in item.splitlines(keepends=True))


def _with_arm(text: str, arms: list, arm: dict) -> str:
    """``text`` with ``arm`` added to its ``arms`` list, everything else (comments included)
    left as written: appended after the last arm of a block list, or the list rewritten in
    block style in place of a flow list or an empty value."""
    root = yaml.compose(text, Loader=StrictLoader)
    node = next(v for k, v in root.value if k.value == "arms")
    if isinstance(node, yaml.SequenceNode) and not node.flow_style and node.value:
        at = node.end_mark.index
        head = "" if at == 0 or text[at - 1] == "\n" else "\n"
        return text[:at] + head + _arm_text(arm, node.start_mark.column) + text[at:]
    block = "".join(_arm_text(a, 2) for a in [*arms, arm])
    start, end = node.start_mark.index, node.end_mark.index
    tail = text[end:] if text[end:].startswith("\n") or not text[end:] else "\n" + text[end:]
    return text[:start].rstrip(" ") + "\n" + block.rstrip("\n") + tail


def _updated_text(text: str, doc: dict, arm: dict) -> str:
    """The file with the new arm, comments kept; checked by reading it back (if the text could
    not be edited in place, the file is written anew with its leading comment lines kept)."""
    wanted = {**doc, "arms": [*doc["arms"], arm]}
    try:
        new = _with_arm(text, doc["arms"], arm)
        if yaml.load(new, Loader=StrictLoader) == wanted:  # noqa: S506 - a SafeLoader subclass
            return new
    except (yaml.YAMLError, StopIteration):
        pass
    comments = "".join(line for line in text.splitlines(keepends=True)[:50] if line.startswith("#"))
    return comments + yaml.safe_dump(wanted, sort_keys=False, allow_unicode=True, default_flow_style=False)


def save_arm(experiment: str | Path, arm_name: str, current: Scenario, base_path: str | Path,
             replicates: int = 20, seed: int = 2026) -> SavedArm:
    """Append an arm that reproduces ``current`` to an experiment file (created if missing, with
    a first arm 'as-shipped', the base scenario unchanged, as its baseline).

    The arm's overrides are the settings of ``current`` that differ from the experiment's base
    scenario (``base_path`` for a new file; the file's own ``base`` otherwise). The new arm is
    validated with ``Scenario.with_overrides`` before anything is written; the file is replaced
    atomically (temporary file + rename), so a crash never leaves half a file.
    """
    exp = Path(experiment)
    check_arm_name(arm_name)
    created = not exp.exists()
    if created:
        rel = os.path.relpath(Path(base_path).resolve(), exp.resolve().parent)
        doc: dict[str, Any] = {
            "name": re.sub(r"[^A-Za-z0-9._-]+", "-", exp.stem) or "workshop",
            "description": "Arms saved from the workshop dashboard",
            "base": Path(rel).as_posix(),
            "replicates": int(replicates),
            "seed": int(seed),
            "arms": [],
        }
    else:
        try:
            text = exp.read_text(encoding="utf-8")
            doc = yaml.load(text, Loader=StrictLoader)  # noqa: S506 - a SafeLoader subclass
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ArmError(f"{exp}: not valid YAML ({exc}); choose another file") from None
        if not isinstance(doc, dict) or not isinstance(doc.get("base"), str):
            raise ArmError(f"{exp}: not an experiment file (it needs a 'base' scenario path and 'arms')")
        if "grid" in doc:
            raise ArmError(f"{exp} describes its arms as a grid; save to another file")
        if doc.get("arms") is None:
            doc["arms"] = []
        if not isinstance(doc["arms"], list):
            raise ArmError(f"{exp}: 'arms' should be a list")
    base_file = (exp.resolve().parent / doc["base"]).resolve()
    try:
        base = load_scenario(base_file)
        if "days" in doc:  # the experiment's horizon applies to every arm
            base = base.with_overrides({"days": doc["days"]}, source=str(exp))
    except ScenarioError as exc:
        raise ArmError(f"{exp}: its base scenario cannot be loaded: {exc}") from None
    taken = {a.get("name") for a in doc["arms"] if isinstance(a, dict)}
    if arm_name in taken:
        raise ArmError(f"{exp} already has an arm named '{arm_name}'; choose another name")
    overrides = overrides_between(base, current)
    try:
        check = base.with_overrides(overrides, source=f"{exp}: arm '{arm_name}'")
    except ScenarioError as exc:
        raise ArmError(str(exc)) from None
    if overrides_between(check, current):
        raise ArmError(f"arm '{arm_name}' would not reproduce the dashboard's settings")
    if created and overrides and arm_name != "as-shipped":
        # A new file starts with the base as shipped: the experiment's baseline arm.
        doc["arms"].append({"name": "as-shipped", "description": "the base scenario as shipped", "overrides": {}})
    arm = {"name": arm_name, "description": f"saved from the workshop dashboard ({current.name})",
           "overrides": overrides}
    if created:
        doc["arms"].append(arm)
        _atomic_write(exp, yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, default_flow_style=False))
    else:
        _atomic_write(exp, _updated_text(text, doc, arm))
        doc["arms"].append(arm)
    return SavedArm(exp, arm_name, overrides, len(doc["arms"]), created)
