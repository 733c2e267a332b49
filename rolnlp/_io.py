"""Small file helpers shared by every layer: atomic writes, file hashes."""
from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile

# mkstemp creates files readable only by their owner; give written files the
# permissions an ordinary open() would (0666 less the umask, read once here)
_UMASK = os.umask(0o022)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_write(path, mode="w", encoding="utf-8"):
    """Open a temporary file beside ``path`` and rename it over ``path`` on success.

    An exception inside the block (or an interrupted process) leaves any
    existing ``path`` untouched.

    Example
    -------
    >>> with atomic_write("out.json") as f:  # doctest: +SKIP
    ...     f.write("{}")
    """
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", suffix=os.path.basename(path), dir=directory)
    try:
        kwargs = {} if "b" in mode else {"encoding": encoding, "newline": ""}
        with os.fdopen(fd, mode, **kwargs) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        try:
            mode = os.stat(path).st_mode & 0o777  # keep an existing file's mode
        except FileNotFoundError:
            mode = 0o666 & ~_UMASK
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def file_sha256(path) -> str:
    """SHA-256 of a file's bytes (hex), read in 1 MB blocks.

    Example
    -------
    >>> file_sha256(__file__) == file_sha256(__file__)
    True
    """
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()
