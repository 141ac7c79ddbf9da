"""The sender's rate cap, shared by every worker process and machine that sends for it.

    pace = sender_limiter(rate)   # texts per second; Redis with AID_REDIS_URL, else the database
    pace.acquire()                # returns when this text may start

Twilio queues or refuses what goes over a sender's rate, so the cap must hold for all senders
together, not per process. Two shared records do it:

- **slots** on absolute time: each send takes the next free slot, `max(now, next_slot)`, and
  moves it on by `step`. A sender that wakes late still starts at once and the next slot is
  where it was, so the rate catches up instead of losing the late one's turn (a per-process
  token bucket loses it); after a quiet spell the next slot is simply now (no burst).
- a **window check** right before the send: a ring of the last `size` start times, and a send
  starts only once the start `size` places back is `window` seconds old. Slots alone cannot
  promise the cap: a sender that wakes late lands close to the next one's slot, and two late
  wake-ups plus one on time can put `rate + 1` starts in one second.

`window` is 2 % longer than the cap's second (WINDOW_HEADROOM): the time between the check
and the request leaving (a thread switch, the HTTP client) may shift a start by 20 ms without
breaking the cap. Slots are 3 % further apart than 1/rate (STEP_HEADROOM), so senders on time
never wait on the window check, only late ones do. A start that was recorded but could only
leave more than LATE later is recorded again when it goes. The achieved rate is about 97 % of
the cap.

Both backends take the clock and sleep as arguments, so tests run them on a fake clock. The
clock is the wall clock (`time.time`): machines that share a cap share it through NTP; a few
milliseconds of skew come out of the headroom.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any, Protocol

import redis
from flask import current_app
from sqlalchemy import Engine, case, create_engine, event, insert, select, update
from sqlalchemy.exc import IntegrityError

from aid.extensions import db
from aid.sms.models import RateSlot, RateStart

WINDOW_HEADROOM = 0.02
STEP_HEADROOM = 0.03
LATE = 0.010  # seconds between a start's record and its leaving that ask for a new record
MIN_WAIT = 1e-6  # seconds: a wait is never 0, which means "started"
KEY_SECONDS = 3600  # Redis forgets an idle sender's slots after this


class Slots(Protocol):
    """A shared schedule of send slots and a ring of recent starts, for one sender and rate."""

    def take(self, step: float) -> float:
        """The next free slot (a time on the backend's clock); moves it on by `step`."""
        ...

    def start(self, size: int, window: float) -> tuple[float, float]:
        """Record a start now if the start `size` places back is `window` seconds old: returns
        (0, the time recorded); else records nothing: (seconds to wait before asking again,
        0)."""
        ...


_TAKE = """
local now = tonumber(ARGV[1])
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
if slot < now then slot = now end
redis.call('SET', KEYS[1], string.format('%.6f', slot + tonumber(ARGV[2])), 'EX', ARGV[3])
return string.format('%.6f', slot)
"""

_START = """
local now = tonumber(ARGV[1])
local size = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local newest = redis.call('LINDEX', KEYS[1], 0)
-- The caller read its clock before the round trip: a start recorded meanwhile is earlier.
if newest and tonumber(newest) > now then now = tonumber(newest) end
local oldest = redis.call('LINDEX', KEYS[1], size - 1)
if oldest and now - tonumber(oldest) < window then
  return 'wait ' .. string.format('%.9f', tonumber(oldest) + window - now)
end
redis.call('LPUSH', KEYS[1], string.format('%.6f', now))
redis.call('LTRIM', KEYS[1], 0, size - 1)
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 'started ' .. string.format('%.6f', now)
"""


class RedisSlots:
    """Slots in Redis: each step is one Lua script, atomic however many senders share it."""

    def __init__(self, client: redis.Redis, name: str,
                 clock: Callable[[], float] = time.time) -> None:
        self.clock = clock
        self.slot_key = f"aid:sms:rate:{name}:slot"
        self.ring_key = f"aid:sms:rate:{name}:starts"
        self._take = client.register_script(_TAKE)
        self._start = client.register_script(_START)

    def take(self, step: float) -> float:
        return float(self._take(keys=[self.slot_key], args=[self.clock(), step, KEY_SECONDS]))

    def start(self, size: int, window: float) -> tuple[float, float]:
        reply = self._start(keys=[self.ring_key], args=[self.clock(), size, window, KEY_SECONDS])
        kind, value = bytes(reply).split(b" ")
        # A wait that rounds to nothing is still a wait: only "started" recorded a start.
        return (0.0, float(value)) if kind == b"started" else (max(MIN_WAIT, float(value)), 0.0)


def _sqlite_quick(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")  # WAL: a commit no longer waits for the disk
    cursor.close()


class DatabaseSlots:
    """Slots in the app's database (no Redis): one row per sender (`sms_rate_slots`) and its
    ring (`sms_rate_starts`). Taking a slot is one UPDATE ... RETURNING; a start locks the
    sender's row first (PostgreSQL's row lock, SQLite's write lock), so senders queue on it,
    and reads the clock only once it holds the lock."""

    def __init__(self, name: str, clock: Callable[[], float] = time.time) -> None:
        self.name = name
        self.clock = clock
        self._engines: dict[str, Engine] = {}

    def _engine(self) -> Engine:
        """The app's engine; on SQLite one of its own whose commits skip the disk flush: a
        start is recorded to be read within seconds, and a flush per text (milliseconds on
        a busy disk, between the record and the text leaving) would eat the headroom.
        Losing the last records in a power cut costs nothing."""
        engine = db.engine
        if engine.dialect.name != "sqlite" or engine.url.database in (None, "", ":memory:"):
            return engine
        url = engine.url.render_as_string(hide_password=False)
        if url not in self._engines:
            own = create_engine(url)
            event.listen(own, "connect", _sqlite_quick)
            self._engines[url] = own
        return self._engines[url]

    def _ensure(self) -> None:
        try:
            with self._engine().begin() as conn:
                conn.execute(insert(RateSlot).values(name=self.name, next_at=0.0, head=0,
                                                     last_at=0.0))
        except IntegrityError:
            pass  # another sender made it first

    def take(self, step: float) -> float:
        while True:
            now = self.clock()
            with self._engine().begin() as conn:
                after = conn.scalar(
                    update(RateSlot).where(RateSlot.name == self.name)
                    .values(next_at=case((RateSlot.next_at > now, RateSlot.next_at),
                                         else_=now) + step)
                    .returning(RateSlot.next_at))
            if after is not None:
                return float(after) - step
            self._ensure()

    def start(self, size: int, window: float) -> tuple[float, float]:
        while True:
            with self._engine().begin() as conn:
                row = conn.execute(
                    update(RateSlot).where(RateSlot.name == self.name)
                    .values(head=RateSlot.head)  # takes the lock: the check is one at a time
                    .returning(RateSlot.head, RateSlot.last_at)).first()
                if row is not None:
                    head, last = row
                    now = max(self.clock(), float(last))
                    pos = head % size
                    oldest = conn.scalar(select(RateStart.at).where(
                        RateStart.name == self.name, RateStart.pos == pos))
                    if oldest is not None and now - oldest < window:
                        return max(MIN_WAIT, float(oldest) + window - now), 0.0
                    written = conn.execute(
                        update(RateStart).where(RateStart.name == self.name,
                                                RateStart.pos == pos).values(at=now)).rowcount
                    if not written:
                        conn.execute(insert(RateStart).values(name=self.name, pos=pos, at=now))
                    conn.execute(update(RateSlot).where(RateSlot.name == self.name)
                                 .values(head=head + 1, last_at=now))
                    return 0.0, now
            self._ensure()


class Pacer:
    """At most `rate` starts in any `size / rate` seconds (any one second for a whole rate),
    evenly spaced, across everything that shares `slots`."""

    def __init__(self, slots: Slots, rate: float, clock: Callable[[], float] = time.time,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.slots, self.rate, self.clock, self.sleep = slots, rate, clock, sleep
        self.size = max(1, int(rate))
        self.window = self.size / rate * (1 + WINDOW_HEADROOM)
        self.step = (1 + STEP_HEADROOM) / rate

    def acquire(self) -> None:
        slot = self.slots.take(self.step)
        while (ahead := slot - self.clock()) > 0:
            self.sleep(ahead)
        while True:
            wait, at = self.slots.start(self.size, self.window)
            if wait > 0:
                self.sleep(wait)
            elif self.clock() - at <= LATE:
                return
            # Recorded, but only now free to go (a slow commit, a busy processor): recorded
            # again for when it really goes, or the window would count it too early.


class Unpaced:
    """No cap (rate 0)."""

    def acquire(self) -> None:
        return None


Limiter = Pacer | Unpaced
_limiters: dict[tuple[str, str, float], Limiter] = {}
_lock = threading.Lock()


def sender_name() -> str:
    """Whose rate it is: the Messaging Service or number texts are sent from."""
    cfg = current_app.config
    return (cfg["TWILIO_MESSAGING_SERVICE_SID"] or cfg["TWILIO_FROM_NUMBER"]
            or cfg["SMS_BACKEND"])[:60]


def sender_limiter(rate: float) -> Limiter:
    """The shared cap for this app's sender at `rate` texts a second (0: none): slots in
    Redis with AID_REDIS_URL, else in the database. One object per process and rate."""
    if rate <= 0:
        return Unpaced()
    url = current_app.config["REDIS_URL"]
    name = f"{sender_name()}:{rate:g}"
    key = (url or current_app.config["SQLALCHEMY_DATABASE_URI"], name, rate)
    with _lock:
        if key not in _limiters:
            slots: Slots = (RedisSlots(redis.Redis.from_url(url), name) if url
                            else DatabaseSlots(name))
            _limiters[key] = Pacer(slots, rate)
        return _limiters[key]
