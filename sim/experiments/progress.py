"""Progress of long work (an experiment's sweep, check-model's runs, bench's timings): a tqdm bar
with throughput and ETA on a terminal, plain lines in logs. The total may be unknown (None):
then the bar counts, with throughput and no ETA."""

from __future__ import annotations

import sys
import time
from typing import Any

from ..plural import count

PROGRESS_EVERY_SECONDS = 10.0


class Progress:
    """Runs done / failed, throughput and ETA: a tqdm bar on a terminal; elsewhere (CI logs) a
    plain line every 10% of the runs or every 10 seconds, whichever comes first."""

    def __init__(self, total: int | None, desc: str, stream: Any = None, every_seconds: float = PROGRESS_EVERY_SECONDS,
                 unit: str = "run"):
        self.total, self.desc, self.unit = total, desc, unit
        self.stream = stream if stream is not None else sys.stderr
        self.done = self.failed = 0
        self.every = every_seconds
        self.t0 = self.last = time.monotonic()
        self.next_share = 0.1
        self.bar = None
        isatty = getattr(self.stream, "isatty", None)
        if total != 0 and callable(isatty) and isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=desc, unit=unit, file=self.stream, dynamic_ncols=True)

    def update(self, ok: bool) -> None:
        """One more run finished (``ok``) or failed."""
        self.done += 1
        self.failed += 0 if ok else 1
        if self.bar is not None:
            self.bar.update(1)
            if self.failed:
                self.bar.set_postfix(failed=self.failed)
            return
        now = time.monotonic()
        if self.total is None:
            if now - self.last >= self.every:
                self.last = now
                print(self.line(), file=self.stream, flush=True)
            return
        if self.done >= self.total or self.done >= self.next_share * self.total or now - self.last >= self.every:
            self.last = now
            while self.next_share * self.total <= self.done and self.next_share < 1:
                self.next_share += 0.1
            print(self.line(), file=self.stream, flush=True)

    def line(self) -> str:
        """The plain progress line: done, failed, throughput, elapsed, ETA."""
        elapsed = max(time.monotonic() - self.t0, 1e-9)
        rate = self.done / elapsed
        if self.total is None:
            return (f"{self.desc}: {count(self.done, self.unit)} done, {self.failed} failed, {rate:.2f} {self.unit}s/s, "
                    f"elapsed {elapsed:.0f} s")
        eta = (self.total - self.done) / rate if rate > 0 else float("nan")
        return (f"{self.desc}: {self.done}/{count(self.total, self.unit)} done ({self.done / self.total:.0%}), "
                f"{self.failed} failed, {rate:.2f} {self.unit}s/s, elapsed {elapsed:.0f} s, ETA {eta:.0f} s")

    def close(self) -> None:
        """End the bar (a terminal's line is left as it is); in a log, a last line if the
        count had no total (a known total prints its last line at 100%)."""
        if self.bar is not None:
            self.bar.close()
        elif self.total is None and self.done:
            print(self.line(), file=self.stream, flush=True)
