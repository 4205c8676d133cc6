"""How fast `read_log` reads a million messages: writes a synthetic WhatsApp export (Android
style, 12-hour clock, every tenth message two lines long, a system line every thousand) and a
synthetic Telegram Desktop result.json, each of N messages by 5,000 members over three years,
into a temporary folder, and prints the seconds each read takes (best of --repeats). Not part
of the test suite: run it by hand, e.g.

    PYTHONPATH=. python docs/tools/read_exports.py --messages 1000000
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import numpy as np

from sim.evidence import read_log

MEMBERS = 5_000
SPAN_SECONDS = 3 * 365 * 86_400
START = 1_600_000_000


def synthetic_times(n: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Sorted message times (seconds since 1970) and author numbers, heavy-tailed over members."""
    rng = np.random.default_rng(seed)
    seconds = np.sort(START + rng.integers(0, SPAN_SECONDS, n))
    author = np.minimum(rng.zipf(1.6, n) - 1, MEMBERS - 1)
    return seconds, author


def write_whatsapp(path: Path, n: int) -> None:
    seconds, author = synthetic_times(n)
    stamps = seconds.astype("datetime64[s]").astype(str)
    lines = []
    for i, (stamp, who) in enumerate(zip(stamps.tolist(), author.tolist())):
        y, mo, d, h, mi = stamp[2:4], stamp[5:7], stamp[8:10], int(stamp[11:13]), stamp[14:16]
        clock = f"{(h % 12) or 12}:{mi}\u202f{'PM' if h >= 12 else 'AM'}"
        lines.append(f"{int(mo)}/{int(d)}/{y}, {clock} - Member {who}: message number {i}")
        if i % 10 == 0:
            lines.append("a second line of the same message")
        if i % 1000 == 0:
            lines.append(f"{int(mo)}/{int(d)}/{y}, {clock} - Member {who} joined using this group's invite link")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_telegram(path: Path, n: int) -> None:
    seconds, author = synthetic_times(n)
    stamps = seconds.astype("datetime64[s]").astype(str).tolist()
    messages = [{"id": i + 1, "type": "message", "date": s, "date_unixtime": str(t), "from": f"Member {a}",
                 "from_id": f"user{a}", **({"reply_to_message_id": i} if i % 3 == 0 and i else {}),
                 "text": f"message number {i}", "text_entities": [{"type": "plain", "text": f"message number {i}"}]}
                for i, (s, t, a) in enumerate(zip(stamps, seconds.tolist(), author.tolist()))]
    path.write_text(json.dumps({"name": "Synthetic", "type": "private_supergroup", "id": 1, "messages": messages},
                               ensure_ascii=False, indent=1), encoding="utf-8")


def best_seconds(path: Path, repeats: int) -> tuple[float, int]:
    best, n = float("inf"), 0
    for _ in range(repeats):
        started = time.perf_counter()
        n = read_log(path).n_messages
        best = min(best, time.perf_counter() - started)
    return best, n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        for name, writer in (("chat.txt", write_whatsapp), ("result.json", write_telegram)):
            path = Path(folder) / name
            writer(path, args.messages)
            seconds, n = best_seconds(path, args.repeats)
            print(f"{name:12} {path.stat().st_size / 1e6:8.1f} MB  {n:>10,} messages  {seconds:6.2f} s")


if __name__ == "__main__":
    main()
