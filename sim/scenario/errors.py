"""The one error a scenario or experiment file can raise: it names the file, the field path,
what was given and what is allowed, so the command line can print it without a traceback."""

from __future__ import annotations


class ScenarioError(ValueError):
    """A scenario (or experiment) file is wrong; the message names file, field, given, allowed."""

    def __init__(self, source: str, path: str, message: str):
        self.source = source
        self.path = path
        self.message = message
        where = f"{source}: " if source else ""
        at = f"field '{path}': " if path else ""
        super().__init__(f"{where}{at}{message}")

    def __reduce__(self):
        return (ScenarioError, (self.source, self.path, self.message))
