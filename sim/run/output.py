"""Writing result folders without losing anything: a folder is written to a temporary sibling and
renamed into place only when complete; ``--force`` replaces only a folder this tool wrote, of the
same kind (recognised by its manifest.json) and holding only files the tool wrote there
(sim/run/ownership.py), never a folder of the user's or one with the user's files inside, the
home folder or /;
the destination is checked for writing before any work starts, and a failed write (disk full,
read-only folder) becomes one line (``OutputFailed``) with nothing half-written left behind.
Temporaries carry the writer's process id, so those of killed processes are cleaned at the next
write into the same folder; ``FolderLock`` keeps two live processes out of one folder."""

from __future__ import annotations

import json
import os
import shutil
import socket
import uuid
from pathlib import Path
from typing import Callable, Mapping

from .ownership import LOCK_NAME, TEMPORARY, describe_foreign, foreign_paths, read_manifest

# What manifest.json's "kind" says for each folder the tool writes (an experiment's runs say
# "experiment run" and are only ever replaced by their experiment).
TOOL_KINDS = ("run", "experiment", "comparison", "validation", "calibration", "optimisation", "diagnosis", "fit",
              "forecast")


class OutputExists(FileExistsError):
    """The result folder is already there and may not be replaced (not asked to, or not ours)."""


class OutputFailed(OSError):
    """The result folder cannot be written (read-only, not a folder, disk full): one line."""


def folder_kind(folder: Path) -> str | None:
    """The kind this tool wrote into ``folder``'s manifest.json, or None (not a tool folder)."""
    kind = read_manifest(folder).get("kind")
    return kind if isinstance(kind, str) else None


def _protected(path: Path) -> str | None:
    """Why ``path`` may never be replaced: the root, the home folder, or a folder holding the
    current folder or the home folder."""
    resolved = path.resolve()
    if resolved == Path(resolved.anchor):
        return "it is the file system's root"
    for name, place in (("your home folder", Path.home()), ("the current folder", Path.cwd())):
        place = place.resolve()
        if resolved == place or resolved in place.parents:
            return f"it is or holds {name}"
    return None


def check_writable(target: Path) -> None:
    """Refuse early (before any simulation) when ``target`` could not be created: its nearest
    existing ancestor must be a writable folder on a writable file system."""
    probe = Path(os.path.abspath(target)).parent
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        raise OutputFailed(f"cannot write {target}: {probe} is a file, not a folder; choose another --out")
    read_only = bool(os.statvfs(probe).f_flag & os.ST_RDONLY) if hasattr(os, "statvfs") else False
    if read_only or not os.access(probe, os.W_OK | os.X_OK):
        raise OutputFailed(f"cannot write {target}: {probe} is not writable; choose another --out")


def check_target(target: Path, force: bool, kind: str | None = None) -> None:
    """Refuse early when ``target`` exists and may not be replaced: without ``force`` always;
    with it, unless it is an empty folder or a folder whose manifest says this tool wrote it as
    ``kind`` (any tool kind when None) and that holds nothing else than what the tool writes
    there. Then check that it can be written."""
    target = Path(target)
    if target.exists() or target.is_symlink():
        if not force:
            raise OutputExists(f"{target} already exists; choose another --out or pass --force to replace it")
        if target.is_symlink() or not target.is_dir():
            raise OutputExists(f"{target} is not a folder; --force only replaces result folders community-sim wrote")
        why = _protected(target)
        if why:
            raise OutputExists(f"{target}: {why}; --force never replaces it, choose another --out")
        found = folder_kind(target)
        allowed = TOOL_KINDS if kind is None else (kind,)
        if found not in allowed and any(target.iterdir()):
            what = f"a {found} folder" if found in TOOL_KINDS else "not a folder community-sim wrote (no manifest.json)"
            raise OutputExists(f"{target} is {what}; --force only replaces {kind or 'result'} folders, "
                               f"allowed: an empty folder or one whose manifest.json says kind: {' or '.join(allowed)}")
        foreign = foreign_paths(target, found) if found in allowed else []
        if foreign:
            raise OutputExists(f"{target} holds {len(foreign)} file(s) or folder(s) community-sim did not write "
                               f"({describe_foreign(foreign)}); --force never deletes them: move them out of "
                               f"{target} or choose another --out")
    check_writable(target)


def pid_alive(pid: int) -> bool:
    """True while process ``pid`` exists on this machine."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def temporary_sibling(target: Path, what: str = "tmp") -> Path:
    """A hidden name next to ``target`` carrying this process's id: ``.<name>.<what>-<pid>-<hex>``."""
    target = Path(target)
    return target.parent / f".{target.name}.{what}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


def clean_stale(parent: Path) -> int:
    """Remove the hidden temporary and replaced folders in ``parent`` whose writing process is
    gone (killed mid-write); those of live processes stay. Returns how many were removed."""
    n = 0
    try:
        entries = list(Path(parent).iterdir())
    except OSError:
        return 0
    for p in entries:
        m = TEMPORARY.match(p.name)
        if m and int(m.group(2)) != os.getpid() and not pid_alive(int(m.group(2))):
            shutil.rmtree(p, ignore_errors=True) if p.is_dir() else p.unlink(missing_ok=True)
            n += 1
    return n


def _failed(target: Path, exc: OSError) -> OutputFailed:
    return OutputFailed(f"could not write {target}: {exc.strerror or exc}; nothing was written there")


def write_folder(target: Path, files: Mapping[str, bytes | Callable[[Path], None]], force: bool = False,
                 kind: str | None = None, owned: bool = False) -> Path:
    """Write ``files`` (name -> bytes, or a function that writes to the given path) into a
    temporary sibling folder, then move it into place. Nothing is left half-written: an error
    removes the temporary folder (an OSError becomes ``OutputFailed``). An existing ``target``
    is replaced only with ``force`` and only if this tool wrote it (as ``kind``); ``owned``
    (a run inside an experiment folder its session holds) skips that check."""
    target = Path(target)
    if not owned:
        check_target(target, force, kind)
    tmp = temporary_sibling(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        clean_stale(target.parent)
        tmp.mkdir()
        for name, content in files.items():
            path = tmp / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if callable(content):
                content(path)
            else:
                path.write_bytes(content)
        if target.exists():
            old = temporary_sibling(target, "old")
            target.rename(old)
            tmp.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, (OutputExists, OutputFailed)):
            raise
        raise _failed(target, exc) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def write_file_atomic(path: Path, data: bytes) -> None:
    """Write one file so readers never see it half-written (temporary name, then rename); an
    OSError (disk full) becomes ``OutputFailed`` and leaves the old file as it was."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _failed(path, exc) from None


class FolderLock:
    """``<folder>/.lock`` holding this process's id and host while it works in the folder. A
    lock of a live process refuses (``OutputExists``); one left by a dead process is taken over."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.path = self.folder / LOCK_NAME
        self.held = False

    def _holder(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def acquire(self) -> FolderLock:
        """Take the lock or refuse with a line saying who holds it."""
        me = {"pid": os.getpid(), "host": socket.gethostname()}
        for _ in range(3):
            try:
                fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                holder = self._holder()
                pid, host = holder.get("pid"), holder.get("host")
                if host not in (None, me["host"]):
                    raise OutputExists(f"{self.folder} is in use by process {pid} on {host}; if that process is "
                                       f"gone, delete {self.path}") from None
                if isinstance(pid, int) and pid != me["pid"] and pid_alive(pid):
                    raise OutputExists(f"{self.folder} is being written by process {pid} (still running); "
                                       f"wait for it to finish or stop it, then try again") from None
                self.path.unlink(missing_ok=True)  # left by a process that is gone: take it over
                continue
            except OSError as exc:
                raise _failed(self.folder, exc) from None
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(me, fh)
            self.held = True
            return self
        raise OutputExists(f"{self.folder}: could not take {self.path}; another process keeps taking it")

    def release(self) -> None:
        """Give the lock back (only if this process still holds it)."""
        if self.held and self._holder().get("pid") == os.getpid():
            self.path.unlink(missing_ok=True)
        self.held = False

    def __enter__(self) -> FolderLock:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
