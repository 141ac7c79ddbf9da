"""A rate cap for one process: a token bucket. The fan-out no longer paces with it (each
process would get the whole rate to itself): it takes slots of the sender's cap shared by
every process and machine, `aid.sms.pacing.sender_limiter`. Kept for callers that want a
per-process cap."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable


class TokenBucket:
    """At most `rate` sends per second from this process, evenly spaced (no burst: Twilio
    queues or refuses what goes over the sender's rate).

    `clock` and `sleep` are the real monotonic clock and sleep; a test passes a fake pair to
    check the spacing without waiting on the wall clock."""

    def __init__(self, rate: float, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.rate = rate
        self.clock = clock
        self.sleep = sleep
        self.tokens = 1.0
        self.updated = clock()
        self.lock = threading.Lock()

    def acquire(self) -> None:
        if self.rate <= 0:
            return
        while True:
            with self.lock:
                now = self.clock()
                self.tokens = min(1.0, self.tokens + (now - self.updated) * self.rate)
                self.updated = now
                if self.tokens >= 1.0:
                    self.tokens -= 1.0
                    return
                pause = (1.0 - self.tokens) / self.rate
            self.sleep(pause)


_buckets: dict[float, TokenBucket] = {}
_buckets_lock = threading.Lock()


def bucket(rate: float) -> TokenBucket:
    """One bucket per process and rate, shared by every fan-out job the process runs."""
    with _buckets_lock:
        return _buckets.setdefault(rate, TokenBucket(rate))
