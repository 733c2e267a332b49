"""Turn a path, bytes or str into text (placeholder: UTF-8 only)."""
from __future__ import annotations

import os

from ..errors import ReportError


def load(source, encoding=None):
    """Return ``(text, encoding, path)`` for a path, ``bytes`` or ``str``."""
    if isinstance(source, os.PathLike):
        source = os.fspath(source)
    if isinstance(source, str):
        if "\n" not in source and len(source) < 4096 and os.path.isfile(source):
            with open(source, "rb") as f:
                data = f.read()
            text, enc = decode_bytes(data, encoding)
            return text, enc, source
        return source, None, None
    if isinstance(source, (bytes, bytearray, memoryview)):
        text, enc = decode_bytes(bytes(source), encoding)
        return text, enc, None
    raise TypeError(f"source must be a path, str or bytes, not {type(source).__name__}")


def decode_bytes(data: bytes, encoding=None):
    try:
        return data.decode(encoding or "utf-8-sig"), encoding or "utf-8"
    except UnicodeDecodeError as e:
        raise ReportError(f"cannot decode input: {e}") from None
