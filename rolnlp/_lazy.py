"""Lazy exports: a package names its public objects and where they live, and
each is imported on first access (PEP 562), so ``import rolnlp`` does not pull
in scikit-learn, gensim, matplotlib or pandas."""
from __future__ import annotations

import importlib
import sys


def lazy_exports(package: str, names: dict[str, str]):
    """Return ``(__getattr__, __dir__)`` for ``package``.

    Parameters
    ----------
    package : str
        The package's ``__name__``.
    names : dict
        Public name → module that defines it; a module name starting with "."
        is relative to ``package``.

    Example
    -------
    >>> __getattr__, __dir__ = lazy_exports(__name__, {"TopicModel": ".topics"})  # doctest: +SKIP
    """

    def __getattr__(name):
        module = names.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        setattr(sys.modules[package], name, value)  # later lookups skip this hook
        return value

    def __dir__():
        return sorted(set(vars(sys.modules[package])) | set(names))

    return __getattr__, __dir__
