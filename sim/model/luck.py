"""Luck that stays with the member: common random numbers for comparing strategies.

Strategies are compared on the same seeds, paired (``comparison.csv``, the validation's lever
checks). With one random stream for the whole model, any extra draw (a cleanup judging members,
one member fewer to visit) shifts every later draw of every phase, and two runs of the same seed
drift apart as if their seeds differed: a cull that removed a handful of ad posters moved a
screened group's late activity by x1.5 in the median, on noise alone.

Two things keep the luck paired instead:

- each phase draws from its own stream, spawned from ``model.rng`` (so the cleanup's draws never
  shift the recruiting phase's);
- a member's yes/no draws (visit today, speak, leave, be converted, ...) are keyed by
  (run key, member id, day, purpose) through a counter-based hash (SplitMix64's finaliser), so
  the same member meets the same luck on the same day under either strategy, whoever else is in
  the table and however it is ordered.

The limit (found in review): member ids are given in order of joining, and newcomers' traits
(fit, motives, habit) come from the recruiting stream in order of arrival. Once two strategies
admit different people, the same id is a different person, so pairing holds for the founders
and for newcomers only until the arrivals first differ. Measured on a screened group with and
without a monthly cull: after the first cull 2-4% of newcomer ids were the same person in both
arms. Paired comparisons of groups that recruit differently are therefore little sharper than
unpaired ones; read their intervals, and use many replicates.
"""

from __future__ import annotations

import numpy as np

# What a keyed draw is for: each purpose has its own numbers.
PURPOSES: tuple[str, ...] = ("visit", "speak", "write", "leave", "spam_ad", "member_ad", "kick", "prospect",
                             "convert", "buy", "promote", "review", "tiebreak", "impression_a", "impression_b",
                             "catalyst", "welcome", "follow")
PURPOSE = {name: i for i, name in enumerate(PURPOSES)}
# Streams of the phases that draw counts, sizes and picks (not keyed by member).
STREAMS: tuple[str, ...] = ("network", "population", "content", "attention", "posting", "ads", "replies", "leaving",
                            "operator", "conversion", "roles", "recruiting")

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_MIX1_INT, _MIX2_INT = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
_MIX1 = np.uint64(_MIX1_INT)
_MIX2 = np.uint64(_MIX2_INT)
_DAY = 0xD1B54A32D192ED03
_GOLDEN_U = np.uint64(_GOLDEN)
_SHIFT = tuple(np.uint64(k) for k in (30, 27, 31, 11))
_UNIT = 2.0 ** -53


FEW_IDS = 12  # up to this many ids, the hash is cheaper in Python's integers (the same numbers)


def _few_uniforms(salt: int, ids: np.ndarray) -> np.ndarray:
    """``Dice.member_uniform`` for a few ids, worked out in Python integers (mod 2**64)."""
    out = []
    for i in ids.tolist():
        z = ((i & _MASK) * _GOLDEN & _MASK) ^ salt
        z = ((z ^ (z >> 30)) * _MIX1_INT) & _MASK
        z = ((z ^ (z >> 27)) * _MIX2_INT) & _MASK
        z ^= z >> 31
        out.append((z >> 11) * _UNIT)
    return np.array(out, dtype=np.float64)


class Dice(np.random.Generator):
    """A phase's random stream (a ``numpy.random.Generator`` on its own spawned bit generator)
    that also gives member-keyed draws (``member_uniform``)."""

    def __init__(self, stream: np.random.Generator, key: int):
        super().__init__(stream.bit_generator)
        self.key = int(key) & _MASK

    def member_uniform(self, purpose: str, day: int, ids: np.ndarray) -> np.ndarray:
        """A uniform [0, 1) number for each member id in ``ids``, fixed by (run key, id, day,
        purpose): the same member on the same day gets the same number under any strategy."""
        salt = (self.key ^ (((int(day) << 5) | PURPOSE[purpose]) * _DAY)) & _MASK
        ids = np.asarray(ids)
        if ids.size <= FEW_IDS and ids.ndim == 1:
            return _few_uniforms(salt, ids)
        z = ids.astype(np.uint64)
        z *= _GOLDEN_U
        z ^= np.uint64(salt)
        t = z >> _SHIFT[0]  # SplitMix64's finaliser, in place
        z ^= t
        z *= _MIX1
        np.right_shift(z, _SHIFT[1], out=t)
        z ^= t
        z *= _MIX2
        np.right_shift(z, _SHIFT[2], out=t)
        z ^= t
        z >>= _SHIFT[3]
        u = z.view(np.int64).astype(np.float64)  # (under 2**53: the same numbers, a faster conversion)
        u *= _UNIT
        return u

    def member_normal(self, day: int, ids: np.ndarray) -> np.ndarray:
        """A standard normal number for each member id (Box-Muller on two keyed uniforms)."""
        u1 = 1.0 - self.member_uniform("impression_a", day, ids)
        u2 = self.member_uniform("impression_b", day, ids)
        return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)


def dice_for_phases(rng: np.random.Generator) -> dict[str, Dice]:
    """One ``Dice`` per phase stream, spawned from the model's generator, all sharing one key for
    member-keyed draws (drawn from ``rng``)."""
    key = int(rng.integers(0, 2**63 - 1))
    return {name: Dice(child, key) for name, child in zip(STREAMS, rng.spawn(len(STREAMS)))}
