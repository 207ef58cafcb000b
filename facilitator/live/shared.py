"""What every server process of one Piiri must see alike: rate-limit buckets, counts of failed
sign-ins and the leases that say which process owns a live table.

Two stores stand behind one small interface, :class:`SharedStore`:

- :class:`MemoryStore`, this process's memory: the default, for Piiri as one process (a
  laptop, or one server process), exactly as before there was a choice;
- :class:`RedisStore`, a Redis server that every process reaches: chosen by ``REDIS_URL`` in
  the app's configuration or ``PIIRI_REDIS_URL`` in the environment, e.g.
  ``redis://cache.example.fi:6379/0``. Each change is one Lua script, so it is atomic however
  many processes ask at once.

:func:`shared_store` gives an app its store (made once, kept in ``app.extensions``). Keys start
with ``REDIS_PREFIX`` (default ``piiri:``), so that several Piiris, or tests, can share a Redis.
Who a key is about (an address, an account's email) never reaches Redis in the clear: it is
hashed with a key made from the app's ``SECRET_KEY``, which every process already shares.

Times are seconds given by the caller (``now``), a wall clock on Redis (``time.time``: every
process's clock must agree to within a second or so, as NTP keeps them); leases alone expire
by Redis's own clock.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

__all__ = ["MemoryStore", "RedisStore", "SharedStore", "StoreUnavailable", "make_store",
           "redis_url", "shared_store"]

#: Keys a memory store holds in each table before it forgets the idle ones.
MAX_KEYS = 20_000


class StoreUnavailable(RuntimeError):
    """The shared store cannot be reached (Redis is down or does not answer in time). A caller
    that must not guess (sign-in: the throttle cannot be read) refuses with a clear word and
    changes nothing; one that may go on without it (a tablet's rate limit) goes on."""


class SharedStore(Protocol):
    """Small atomic operations on values every process of one Piiri shares."""

    #: True when the values live in this process only (nothing to share with).
    local: bool

    def key(self, kind: str, *about: str) -> str:
        """The key of ``kind`` (e.g. ``"seat"``) about ``about`` (hashed: no address or email
        is stored in the clear)."""
        ...

    def take(self, key: str, rate: float, burst: float, now: float, want: int = 1) -> int:
        """Take up to ``want`` tokens from the bucket ``key`` (``burst`` at most, refilled at
        ``rate`` a second; a bucket never seen is full): as many as it holds, 0 if none."""
        ...

    def tokens(self, key: str, rate: float, burst: float, now: float) -> float:
        """How many tokens the bucket ``key`` holds now, without taking any."""
        ...

    def count_failure(self, keys: Sequence[str], now: float, window_s: float,
                      keep: int) -> None:
        """One more failure for each of ``keys`` (counted up to ``keep``) at ``now``; a key
        whose last failure is more than ``window_s`` old starts again from nothing."""
        ...

    def failures(self, keys: Sequence[str], now: float,
                 window_s: float) -> list[tuple[int, float]]:
        """For each key: how many failures its current run holds and when the last was
        (``(0, 0.0)`` for none)."""
        ...

    def forget(self, key: str) -> None:
        """Drop whatever ``key`` holds."""
        ...

    def claim(self, key: str, owner: str, ttl_s: float) -> bool:
        """Hold the lease ``key`` for ``owner`` for ``ttl_s`` seconds: True if it was free
        (or lapsed) or already ``owner``'s (then it is renewed), False if another holds it."""
        ...

    def renew(self, key: str, owner: str, ttl_s: float) -> bool:
        """Extend ``owner``'s lease by ``ttl_s`` from now; False if ``owner`` no longer holds
        it (it lapsed, and perhaps another took it)."""
        ...

    def release(self, key: str, owner: str) -> bool:
        """Give the lease up (only its holder can); True if ``owner`` held it."""
        ...

    def holder(self, key: str) -> str | None:
        """Who holds the lease ``key`` now (None: nobody)."""
        ...

    def holders(self, kind: str) -> dict[str, str]:
        """Every lease of ``kind`` held now: the part after ``kind`` in its key -> holder."""
        ...

    def save(self, key: str, value: str, ttl_s: float) -> None:
        """Keep ``value`` under ``key`` for ``ttl_s`` seconds (e.g. a live table's settings,
        for the process that takes the table over)."""
        ...

    def load(self, key: str) -> str | None:
        """What :meth:`save` kept under ``key`` (None: nothing, or it expired)."""
        ...

    def close(self) -> None:
        ...


def _hashed(secret: bytes, about: Sequence[str]) -> str:
    joined = "\x1f".join(about).encode("utf-8", "surrogatepass")
    return hashlib.blake2b(joined, key=secret, digest_size=16).hexdigest()


def _secret_of(secret: str | bytes | None) -> bytes:
    raw = secret.encode() if isinstance(secret, str) else (secret or b"piiri")
    return hashlib.blake2b(raw, person=b"piiri-shared").digest()[:32]


class MemoryStore:
    """:class:`SharedStore` in this process's memory (the default). Each table is bounded by
    :data:`MAX_KEYS`: when full, the idle entries go first, then the oldest."""

    local = True

    def __init__(self, secret: str | bytes | None = None,
                 clock: Any = time.monotonic) -> None:
        self._secret = _secret_of(secret)
        self._clock = clock  # for leases only: the other operations are given ``now``
        self._lock = threading.Lock()
        self._buckets: dict[str, tuple[float, float]] = {}   # key -> (tokens, stamp)
        self._failures: dict[str, tuple[int, float]] = {}    # key -> (count, last)
        self._leases: dict[str, tuple[str, float]] = {}      # key -> (owner, until)
        self._values: dict[str, tuple[str, float]] = {}      # key -> (value, until)

    def key(self, kind: str, *about: str) -> str:
        return f"{kind}:{_hashed(self._secret, about)}" if about else kind

    # -- token buckets ----------------------------------------------------------------------

    def _level(self, key: str, rate: float, burst: float, now: float) -> float:
        held = self._buckets.get(key)
        if held is None:
            return burst
        tokens, stamp = held
        return min(burst, tokens + max(0.0, now - stamp) * rate)

    def take(self, key: str, rate: float, burst: float, now: float, want: int = 1) -> int:
        with self._lock:
            level = self._level(key, rate, burst, now)
            taken = max(0, min(want, int(level)))
            if key not in self._buckets and len(self._buckets) >= MAX_KEYS:
                self._forget_full_buckets(rate, burst, now)
            self._buckets[key] = (level - taken, now)
            return taken

    def tokens(self, key: str, rate: float, burst: float, now: float) -> float:
        with self._lock:
            return self._level(key, rate, burst, now)

    def _forget_full_buckets(self, rate: float, burst: float, now: float) -> None:
        # Buckets of other rates are judged by this one's: at worst a bucket is forgotten
        # early, which only gives its sender a fresh burst.
        for key in [k for k in self._buckets if self._level(k, rate, burst, now) >= burst]:
            del self._buckets[key]
        if len(self._buckets) >= MAX_KEYS:
            for key in list(self._buckets)[:MAX_KEYS // 10]:
                del self._buckets[key]

    # -- failures ---------------------------------------------------------------------------

    def count_failure(self, keys: Sequence[str], now: float, window_s: float,
                      keep: int) -> None:
        with self._lock:
            if len(self._failures) + len(keys) > MAX_KEYS:
                for key in [k for k, (_, last) in self._failures.items()
                            if now - last > window_s]:
                    del self._failures[key]
                if len(self._failures) + len(keys) > MAX_KEYS:
                    for key in list(self._failures)[:MAX_KEYS // 10]:
                        del self._failures[key]
            for key in keys:
                count, last = self._failures.get(key, (0, now))
                if now - last > window_s:
                    count = 0
                self._failures[key] = (min(count + 1, keep), now)

    def failures(self, keys: Sequence[str], now: float,
                 window_s: float) -> list[tuple[int, float]]:
        with self._lock:
            found = [self._failures.get(key, (0, 0.0)) for key in keys]
        return [(count, last) if count and now - last <= window_s else (0, 0.0)
                for count, last in found]

    def forget(self, key: str) -> None:
        with self._lock:
            self._buckets.pop(key, None)
            self._failures.pop(key, None)
            self._leases.pop(key, None)
            self._values.pop(key, None)

    # -- values -----------------------------------------------------------------------------

    def save(self, key: str, value: str, ttl_s: float) -> None:
        with self._lock:
            now = self._clock()
            if key not in self._values and len(self._values) >= MAX_KEYS:
                for old in [k for k, (_, until) in self._values.items() if until <= now]:
                    del self._values[old]
                if len(self._values) >= MAX_KEYS:
                    del self._values[next(iter(self._values))]
            self._values[key] = (value, now + ttl_s)

    def load(self, key: str) -> str | None:
        with self._lock:
            held = self._values.get(key)
            return held[0] if held is not None and held[1] > self._clock() else None

    # -- leases -----------------------------------------------------------------------------

    def _live_lease(self, key: str) -> str | None:
        held = self._leases.get(key)
        if held is None or held[1] <= self._clock():
            return None
        return held[0]

    def claim(self, key: str, owner: str, ttl_s: float) -> bool:
        with self._lock:
            if self._live_lease(key) not in (None, owner):
                return False
            self._leases[key] = (owner, self._clock() + ttl_s)
            return True

    def renew(self, key: str, owner: str, ttl_s: float) -> bool:
        with self._lock:
            if self._live_lease(key) != owner:
                return False
            self._leases[key] = (owner, self._clock() + ttl_s)
            return True

    def release(self, key: str, owner: str) -> bool:
        with self._lock:
            if self._live_lease(key) != owner:
                return False
            del self._leases[key]
            return True

    def holder(self, key: str) -> str | None:
        with self._lock:
            return self._live_lease(key)

    def holders(self, kind: str) -> dict[str, str]:
        start = f"{kind}:"
        with self._lock:
            found = {key[len(start):]: self._live_lease(key) for key in list(self._leases)
                     if key.startswith(start)}
        return {name: owner for name, owner in found.items() if owner is not None}

    def close(self) -> None:
        pass


# The bucket: tokens and the time they were counted, in one hash that expires once it would
# be full again (a full bucket and no bucket are the same).
_TAKE = """
local rate, burst, now, want = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]),
  tonumber(ARGV[4])
local held = redis.call('HMGET', KEYS[1], 't', 's')
local tokens = tonumber(held[1]) or burst
local stamp = tonumber(held[2]) or now
tokens = math.min(burst, tokens + math.max(0, now - stamp) * rate)
local taken = math.max(0, math.min(want, math.floor(tokens)))
if want > 0 then
  tokens = tokens - taken
  redis.call('HSET', KEYS[1], 't', string.format('%.6f', tokens), 's', ARGV[3])
  local full_in = rate > 0 and (burst - tokens) / rate or 86400
  redis.call('PEXPIRE', KEYS[1], math.ceil(full_in * 1000) + 1000)
  return taken
end
return string.format('%.6f', tokens)
"""

_FAILED = """
local now, window, keep = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
for _, key in ipairs(KEYS) do
  local held = redis.call('HMGET', key, 'n', 'last')
  local count = tonumber(held[1]) or 0
  if now - (tonumber(held[2]) or now) > window then count = 0 end
  redis.call('HSET', key, 'n', math.min(count + 1, keep), 'last', ARGV[1])
  redis.call('PEXPIRE', key, math.ceil(window * 1000) + 1000)
end
return 1
"""

_CLAIM = """
local held = redis.call('GET', KEYS[1])
if held and held ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
"""

_RENEW = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1
"""

_RELEASE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
return 1
"""


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


_F = TypeVar("_F", bound=Callable[..., Any])


def _guarded(method: _F) -> _F:
    """``method``, with Redis's "cannot reach the server" errors raised as
    :class:`StoreUnavailable` (one type for every caller to catch, whatever the client)."""

    @functools.wraps(method)
    def guarded(self: RedisStore, *args: Any, **kwargs: Any) -> Any:
        import redis

        try:
            return method(self, *args, **kwargs)
        except (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError) as error:
            raise StoreUnavailable(f"the shared store cannot be reached: {error}") from error

    return guarded  # type: ignore[return-value]


class RedisStore:
    """:class:`SharedStore` on a Redis server, shared by every process that uses the same
    URL and prefix."""

    local = False

    def __init__(self, url: str, prefix: str = "piiri:", secret: str | bytes | None = None,
                 client: Any = None) -> None:
        import redis

        self.url = url
        self.prefix = prefix
        self._secret = _secret_of(secret)
        self.client = client if client is not None else redis.Redis.from_url(
            url, socket_timeout=5, socket_connect_timeout=5, health_check_interval=30)
        self._take = self.client.register_script(_TAKE)
        self._failed = self.client.register_script(_FAILED)
        self._claim = self.client.register_script(_CLAIM)
        self._renew = self.client.register_script(_RENEW)
        self._release = self.client.register_script(_RELEASE)

    def key(self, kind: str, *about: str) -> str:
        return f"{kind}:{_hashed(self._secret, about)}" if about else kind

    def _k(self, key: str) -> str:
        return self.prefix + key

    @_guarded
    def take(self, key: str, rate: float, burst: float, now: float, want: int = 1) -> int:
        return int(self._take(keys=[self._k(key)], args=[rate, burst, repr(now), want]))

    @_guarded
    def tokens(self, key: str, rate: float, burst: float, now: float) -> float:
        return float(self._take(keys=[self._k(key)], args=[rate, burst, repr(now), 0]))

    @_guarded
    def count_failure(self, keys: Sequence[str], now: float, window_s: float,
                      keep: int) -> None:
        self._failed(keys=[self._k(k) for k in keys], args=[repr(now), window_s, keep])

    @_guarded
    def failures(self, keys: Sequence[str], now: float,
                 window_s: float) -> list[tuple[int, float]]:
        pipe = self.client.pipeline(transaction=False)
        for key in keys:
            pipe.hmget(self._k(key), "n", "last")
        found: list[tuple[int, float]] = []
        for count, last in pipe.execute():
            if count is None or last is None or now - float(last) > window_s:
                found.append((0, 0.0))
            else:
                found.append((int(count), float(last)))
        return found

    @_guarded
    def forget(self, key: str) -> None:
        self.client.delete(self._k(key))

    @_guarded
    def claim(self, key: str, owner: str, ttl_s: float) -> bool:
        return bool(self._claim(keys=[self._k(key)], args=[owner, _ms(ttl_s)]))

    @_guarded
    def renew(self, key: str, owner: str, ttl_s: float) -> bool:
        return bool(self._renew(keys=[self._k(key)], args=[owner, _ms(ttl_s)]))

    @_guarded
    def release(self, key: str, owner: str) -> bool:
        return bool(self._release(keys=[self._k(key)], args=[owner]))

    @_guarded
    def holder(self, key: str) -> str | None:
        held = self.client.get(self._k(key))
        return held.decode() if isinstance(held, bytes) else held

    @_guarded
    def holders(self, kind: str) -> dict[str, str]:
        start = self._k(f"{kind}:")
        keys = list(self.client.scan_iter(match=_glob_escape(start) + "*", count=500))
        if not keys:
            return {}
        values = self.client.mget(keys)
        found: dict[str, str] = {}
        for key, owner in zip(keys, values, strict=True):
            if owner is not None:  # lapsed between the scan and the read
                name = key.decode() if isinstance(key, bytes) else key
                found[name[len(start):]] = owner.decode() if isinstance(owner, bytes) else owner
        return found

    @_guarded
    def save(self, key: str, value: str, ttl_s: float) -> None:
        self.client.set(self._k(key), value, px=_ms(ttl_s))

    @_guarded
    def load(self, key: str) -> str | None:
        held = self.client.get(self._k(key))
        return held.decode() if isinstance(held, bytes) else held

    def close(self) -> None:
        self.client.close()


def _glob_escape(text: str) -> str:
    return "".join(f"\\{c}" if c in "*?[]\\" else c for c in text)


def redis_url(config: Any) -> str | None:
    """The Redis to share with: ``REDIS_URL`` in ``config``, else ``PIIRI_REDIS_URL`` in the
    environment, else None (one process: memory)."""
    return (config.get("REDIS_URL") or os.environ.get("PIIRI_REDIS_URL") or None)


def make_store(config: Any) -> SharedStore:
    """A store for an app with ``config``: on Redis when :func:`redis_url` names one, else in
    this process's memory."""
    url = redis_url(config)
    secret = config.get("SECRET_KEY")
    if url:
        return RedisStore(url, prefix=str(config.get("REDIS_PREFIX") or "piiri:"),
                          secret=secret)
    return MemoryStore(secret=secret)


def shared_store(app: Any) -> SharedStore:
    """``app``'s shared store, made on first use (see :func:`make_store`)."""
    found: SharedStore | None = app.extensions.get("piiri.shared")
    if found is None:
        found = app.extensions.setdefault("piiri.shared", make_store(app.config))
    return found
