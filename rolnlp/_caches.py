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
