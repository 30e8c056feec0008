"""How long to wait before trying again: one rule for every retry loop of the hub and its connectors.

Exponential (first, 2x first, 4x first ... up to ``cap``) with jitter: each delay is drawn between half
and all of its step, so that many clients cut off together (a database restart, a mail server outage)
do not come back in step and knock it over again.
"""

import random


def backoff_delay(attempt: int, *, first: float, cap: float, jitter: bool = True) -> float:
    """The delay before try ``attempt + 1`` after ``attempt`` (1, 2, ...) failures."""
    step = min(cap, first * 2.0 ** min(max(attempt - 1, 0), 62))
    return step * random.uniform(0.5, 1.0) if jitter else step


class Backoff:
    """The failures of a reconnecting loop so far: ``next_delay()`` after each, ``reset()`` after a success."""

    def __init__(self, first: float = 0.1, cap: float = 5.0) -> None:
        self.first = first
        self.cap = cap
        self.failures = 0

    def reset(self) -> None:
        self.failures = 0

    def next_delay(self) -> float:
        self.failures += 1
        return backoff_delay(self.failures, first=self.first, cap=self.cap)
