"""A pyabc sampler whose parallel draws are reproducible (imported only when a fit runs, since it
needs pyabc): each generation is drawn by ``n`` tasks, each seeded from (the fit's seed, the
call number, the task number) and drawing until one particle is accepted; the tasks' samples
are joined in task order, whichever process ran them and whenever it finished."""

from __future__ import annotations

import functools
import random
from typing import Callable

import numpy as np
from pyabc.sampler import MappingSampler


class SeededSampler(MappingSampler):
    """pyabc's MappingSampler with seeded tasks; ``tick()`` after each accepted particle."""

    def __init__(self, map_: Callable, seed: int, tick: Callable[[], None] | None = None):
        super().__init__(map_=map_)
        self.seed, self.calls, self.tick = seed, 0, tick

    def map_function(self, simulate_one, task_seed):
        """Draw particles from the task's seed until one is accepted (in a worker)."""
        simulate_one = self.unpickle(simulate_one)
        np.random.seed(int(task_seed) % 2**32)
        random.seed(int(task_seed))
        sample, n = self._create_empty_sample(), 0
        while True:
            new = simulate_one()
            n += 1
            sample.append(new)
            if new.accepted:
                return sample, n

    def sample_until_n_accepted(self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False, ana_vars=None):
        """``n`` accepted particles from ``n`` seeded tasks, joined in task order."""
        seeds = np.random.SeedSequence([self.seed, self.calls]).generate_state(n, np.uint64)
        self.calls += 1
        task = functools.partial(self.map_function, self.pickle(simulate_one))
        sample, self.nr_evaluations_ = self._create_empty_sample(), 0
        for part, evals in self.map_(task, [int(s) for s in seeds]):
            sample += part
            self.nr_evaluations_ += evals
            if self.tick is not None:
                self.tick()
        return sample
