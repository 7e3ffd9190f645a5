"""Counting failed attempts in the shared cache (the database), so the limit holds across
several app processes."""

import hashlib

from django.core.cache import cache


def _key(scope: str, ident: str) -> str:
    # Hashed: `ident` is whatever a client typed (a NUL byte, 100 KB, markup), and the cache
    # key is stored in the database, which cannot hold every such text.
    digest = hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()
    return f"throttle:{scope}:{digest}"


def is_blocked(scope: str, ident: str, limit: int) -> bool:
    return cache.get(_key(scope, ident), 0) >= limit


def record_failure(scope: str, ident: str, window_seconds: int) -> int:
    key = _key(scope, ident)
    if cache.add(key, 1, timeout=window_seconds):
        return 1
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        return 1
    # incr() stores with the cache's default timeout; the window is ours.
    cache.touch(key, window_seconds)
    return count


def reset(scope: str, ident: str) -> None:
    cache.delete(_key(scope, ident))
