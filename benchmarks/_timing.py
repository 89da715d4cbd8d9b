"""Timing helpers shared by the benchmark scripts (never by tests: no timed tests)."""

from __future__ import annotations

import time
from collections.abc import Callable


def best_time(
    func: Callable[[], object], seconds: float, clock: Callable[[], float] = time.perf_counter
) -> float:
    """Seconds per call on ``clock``: the best of batches run for about ``seconds`` in all
    (on a shared machine the best batch is the one least slowed by other work)."""
    func()
    batch = 1
    while True:  # a batch long enough to time (about 5 ms)
        start = clock()
        for _ in range(batch):
            func()
        elapsed = clock() - start
        if elapsed > 0.005:
            break
        batch *= 2
    best = elapsed / batch
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        start = clock()
        for _ in range(batch):
            func()
        best = min(best, (clock() - start) / batch)
    return best


def ms(seconds: float) -> str:
    """Seconds as milliseconds, right-aligned to 8 characters and 3 decimals."""
    return f"{seconds * 1000:8.3f} ms"
