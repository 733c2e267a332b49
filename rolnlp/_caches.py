"""One registry of rolnlp's in-process caches, so they can be listed and emptied.

Every module that keeps a cache for the life of the process registers a
function that empties it; :func:`clear_caches` calls them all.  Caches must be
bounded (e.g. ``functools.lru_cache(maxsize=...)``): the registry is for
releasing memory and for benchmarks that measure cold paths, not a licence to
grow without limit.
"""
from __future__ import annotations

import threading
from typing import Callable

_lock = threading.Lock()
_registry: dict[str, Callable[[], object]] = {}


def register_cache(name: str, clear: Callable[[], object]) -> None:
    """Register ``clear`` (a function that empties one cache) under ``name``.

    Registering the same name again replaces the earlier function.

    Example
    -------
    >>> import functools
    >>> @functools.lru_cache(maxsize=8)
    ... def square(x):
    ...     return x * x
    >>> register_cache("example.square", square.cache_clear)
    >>> "example.square" in registered_caches()
    True
    """
    with _lock:
        _registry[name] = clear


def registered_caches() -> list[str]:
    """The names of the registered caches, sorted."""
    with _lock:
        return sorted(_registry)


def clear_caches() -> None:
    """Empty every registered cache (tokenizers, loaded models, dictionaries…).

    Later calls rebuild what they need, so results do not change; only the
    first call after clearing is slower.

    Example
    -------
    >>> import rolnlp
    >>> rolnlp.clear_caches()
    """
    with _lock:
        clears = list(_registry.values())
    for clear in clears:
        clear()


class TwoGenerations:
    """A bounded cache that keeps what is still in use when it fills up.

    New entries go into the young generation; when it holds ``limit`` entries
    it becomes the old one (the previous old one is dropped).  A hit in the old
    generation moves the entry back to the young one.  So a corpus larger than
    the cache keeps its frequent blocks instead of emptying the whole cache at
    once, and memory stays below two generations.  Safe between threads in
    the sense caches need: a lost race only computes a value twice.

    Example
    -------
    >>> c = TwoGenerations(2)
    >>> c.put("a", 1); c.put("b", 2); c.put("c", 3)
    1
    2
    3
    >>> c.get("a"), c.get("c"), c.get("z")  # "a" survived the turnover
    (1, 3, None)
    """

    __slots__ = ("limit", "young", "old")

    def __init__(self, limit: int):
        self.limit = limit
        self.young: dict = {}
        self.old: dict = {}

    def get(self, key):
        hit = self.young.get(key)
        if hit is None:
            hit = self.old.get(key)
            if hit is not None:
                self.put(key, hit)
        return hit

    def put(self, key, value):
        if len(self.young) >= self.limit:
            self.old = self.young
            self.young = {}
        self.young[key] = value
        return value

    def clear(self) -> None:
        self.young = {}
        self.old = {}

    def __len__(self) -> int:
        return len(self.young) + len(self.old)
