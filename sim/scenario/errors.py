"""The one error a scenario or experiment file can raise: it names the file, the field path,
what was given and what is allowed, so the command line can print it without a traceback.

Messages are bounded: a value echoed back is shortened (``shown``), and a message longer than
``MESSAGE_LIMIT`` characters is cut, so a hostile file cannot make an error of megabytes. A
file with several errors raises one ``ScenarioError`` whose ``errors`` lists all of them (the
message is the first, with how many more), so `validate` can print every one.
"""

from __future__ import annotations

from ..plural import count
import difflib
import reprlib
from typing import Any, Iterable, Sequence

MESSAGE_LIMIT = 1000
_REPR = reprlib.Repr()
_REPR.maxstring = 60
_REPR.maxother = 60
_REPR.maxlist = _REPR.maxtuple = _REPR.maxdict = _REPR.maxset = 6
_REPR.maxlevel = 3


def shown(value: Any) -> str:
    """A value as an error message echoes it: its repr, shortened (long strings, big or deep
    lists and mappings end in '...'); never expensive, whatever the value."""
    try:
        return _REPR.repr(value)
    except (RecursionError, ValueError):  # a value that contains itself, or an int too long to print
        return f"<a {type(value).__name__}>"


def _cut(text: str, limit: int = MESSAGE_LIMIT) -> str:
    text = " ".join(text.split())  # one line, whatever the value held
    return text if len(text) <= limit else f"{text[:limit - 30]}... ({len(text):,} characters)"


class ScenarioError(ValueError):
    """A scenario (or experiment) file is wrong; the message names file, field, given, allowed.
    ``errors`` holds every error found in the file (this one alone when there is one)."""

    def __init__(self, source: str, path: str, message: str, errors: Sequence[ScenarioError] = ()):
        self.source = _cut(str(source), 200)
        self.path = _cut(str(path), 120)
        self.message = _cut(message)
        self.errors: list[ScenarioError] = list(errors) or [self]
        where = f"{self.source}: " if self.source else ""
        at = f"field '{self.path}': " if self.path else ""
        more = f" (and {count(len(self.errors) - 1, 'more error')}; "\
               f"`community-sim validate` lists them)" if len(self.errors) > 1 else ""
        super().__init__(f"{where}{at}{self.message}{more}")

    @classmethod
    def collect(cls, errors: Sequence[ScenarioError]) -> ScenarioError:
        """One error standing for several: the first one's text, every one in ``errors``."""
        flat = [e for err in errors for e in err.errors]
        if len(flat) == 1:
            return flat[0]
        first = flat[0]
        return cls(first.source, first.path, first.message, flat)

    def __reduce__(self):
        return (ScenarioError, (self.source, self.path, self.message))


def bad_value(source: str, path: str, given: Any, allowed: str, extra: str = "") -> ScenarioError:
    """The usual one-line error: ``given <value>, allowed <what>`` at ``path`` of ``source``."""
    return ScenarioError(source, path, f"given {shown(given)}, allowed {allowed}{extra}")


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """" (did you mean 'x'?)" for the closest of ``choices``, or nothing."""
    hint = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{hint[0]}'?)" if hint else ""
