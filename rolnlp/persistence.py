"""One way to save and load models: a checksummed JSON manifest plus numpy arrays.

A bundle is a directory holding

* ``model.json`` — the manifest: ``format`` (``"rolnlp-bundle"``), its
  ``format_version``, the ``kind`` of model (e.g. ``"rolnlp-linear-text"``),
  the caller's own ``manifest`` (any JSON object), the arrays file's name,
  SHA-256 and the name, dtype and shape of every array in it, and a SHA-256
  of all of that (``sha256``), so a hand-edited manifest is refused too;
* ``arrays-<hash>.npz`` — the arrays, one ``.npy`` member each, named by
  the first 16 hex digits of their SHA-256.

Loading never unpickles and never trusts a size it has not checked: the
manifest's size is checked before it is read (at most
:attr:`Limits.max_manifest_bytes`), its nesting depth before it is parsed, the
archive's size before it is hashed, and the zip central directory and every
``.npy`` header (member names, dtypes, shapes, uncompressed sizes) against the
manifest's declarations *before anything is decompressed*; the declared sizes
must fit :attr:`Limits.max_array_bytes`.  Anything else — a foreign file, a
pickle, a checksum mismatch, an extra or missing member, a member whose header
disagrees with the manifest — raises :class:`rolnlp.ModelError`.

Saving writes the arrays under their content-derived name first and then
atomically replaces ``model.json`` (``rolnlp._io.atomic_write``), so an
interrupted save leaves the previous bundle loadable.

Example
-------
>>> import numpy as np, tempfile
>>> d = tempfile.mkdtemp()
>>> _ = save_bundle(d, kind="example", manifest={"classes": ["a", "b"]},
...                 arrays={"coef": np.zeros((2, 3))})
>>> manifest, arrays = load_bundle(d, kind="example")
>>> manifest["classes"], arrays["coef"].shape
(['a', 'b'], (2, 3))
"""
from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Optional

import numpy as np

from ._io import atomic_write, file_sha256
from .errors import ModelError

log = logging.getLogger(__name__)

FORMAT = "rolnlp-bundle"
FORMAT_VERSION = 1
MANIFEST_FILE = "model.json"
_ARRAYS_NAME = re.compile(r"^arrays-[0-9a-f]{16}\.npz$")
_MEMBER_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")
# plain numeric, boolean and fixed-width string arrays only (never objects)
_DTYPE_KINDS = "biufU"
_MAX_DEPTH = 64
_NPY_HEADER_MAX = 65_536 + 16  # numpy's own cap on a header, plus magic and length


@dataclass(frozen=True)
class Limits:
    """Bounds a bundle must respect before any of it is read into memory.

    Parameters
    ----------
    max_manifest_bytes : int, default 5,000,000
        Largest ``model.json`` read.
    max_array_bytes : int, default 512 MiB
        Largest total of the arrays' declared (uncompressed) sizes, and of
        the archive file itself.
    max_members : int, default 256
        Most arrays in one archive.

    Example
    -------
    >>> Limits(max_array_bytes=10_000_000).max_members
    256
    """

    max_manifest_bytes: int = 5_000_000
    max_array_bytes: int = 512 * 2**20
    max_members: int = 256


def _fail(path, why):
    raise ModelError(f"refusing to load model {path}: {why}")


def _npz_bytes(arrays: Mapping[str, np.ndarray]) -> bytes:
    """An ``.npz`` archive with fixed timestamps, so equal arrays give equal bytes."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for key in sorted(arrays):
            a = io.BytesIO()
            np.lib.format.write_array(a, arrays[key], allow_pickle=False)
            info = zipfile.ZipInfo(f"{key}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, a.getvalue())
    return buf.getvalue()


def _digest(doc: dict) -> str:
    """SHA-256 of a manifest without its own ``sha256`` field (canonical JSON)."""
    body = {k: v for k, v in doc.items() if k != "sha256"}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def save_bundle(path, *, kind: str, manifest: Mapping, arrays: Mapping[str, np.ndarray]) -> Path:
    """Save ``manifest`` and ``arrays`` as a bundle in directory ``path``, atomically.

    Parameters
    ----------
    path : str or os.PathLike
        Directory, created if needed; an earlier bundle there is replaced
        (its old arrays file is removed after the new manifest is in place).
    kind : str
        What the bundle holds (e.g. ``"rolnlp-linear-text"``); :func:`load_bundle`
        refuses a bundle of another kind.
    manifest : mapping
        JSON-serialisable description (classes, parameters, metadata…).
    arrays : mapping of str to numpy.ndarray
        Numeric, boolean or ``str`` arrays; names are identifiers.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    ModelError
        ``path`` exists and is not a directory.
    TypeError
        An array of objects, or a name that is not an identifier.

    Example
    -------
    >>> save_bundle("my-model", kind="example", manifest={}, arrays={"w": np.ones(3)})  # doctest: +SKIP
    PosixPath('my-model')
    """
    path = Path(path)
    if path.exists() and not path.is_dir():
        raise ModelError(f"{path} exists and is not a directory")
    plain = {}
    for name, a in arrays.items():
        a = np.ascontiguousarray(a)
        if not isinstance(name, str) or not _MEMBER_NAME.match(name):
            raise TypeError(f"array names must be identifiers, got {name!r}")
        if a.dtype.kind not in _DTYPE_KINDS:
            raise TypeError(f"array {name!r} has dtype {a.dtype}; only numbers, booleans "
                            "and str can be saved")
        plain[name] = a
    blob = _npz_bytes(plain)
    digest = hashlib.sha256(blob).hexdigest()
    file = f"arrays-{digest[:16]}.npz"
    doc = {"format": FORMAT, "format_version": FORMAT_VERSION, "kind": str(kind),
           "manifest": json.loads(json.dumps(dict(manifest))),
           "arrays": {"file": file, "sha256": digest,
                      "members": {k: {"dtype": a.dtype.str, "shape": list(a.shape)}
                                  for k, a in sorted(plain.items())}}}
    doc["sha256"] = _digest(doc)
    path.mkdir(parents=True, exist_ok=True)
    # new arrays under a new name first, then switch the manifest: an
    # interruption at any point leaves a consistent (old or new) bundle
    with atomic_write(path / file, "wb") as f:
        f.write(blob)
    with atomic_write(path / MANIFEST_FILE) as f:
        f.write(json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    for old in path.glob("arrays-*.npz"):
        if old.name != file:
            old.unlink(missing_ok=True)
    log.info("saved %s to %s (%d bytes of arrays)", kind, path, len(blob))
    return path


def _depth_ok(raw: bytes, limit: int = _MAX_DEPTH) -> bool:
    """Whether JSON text nests at most ``limit`` deep (brackets inside strings skipped)."""
    text = raw.decode("utf-8", errors="replace")
    # strings first, so brackets inside them do not count
    text = re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)
    depth = 0
    for ch in re.findall(r"[\[\]{}]", text):
        depth += 1 if ch in "[{" else -1
        if depth > limit:
            return False
    return True


def read_manifest(path, *, limits: Optional[Limits] = None) -> tuple[Path, dict]:
    """Read and parse a bundle's ``model.json`` within ``limits``, without trusting it.

    Parameters
    ----------
    path : str or os.PathLike
        The bundle directory or its ``model.json``.
    limits : Limits, optional

    Returns
    -------
    (pathlib.Path, dict)
        The manifest file's path and the parsed JSON object (not yet checked
        against the bundle format: :func:`load_bundle` does that).

    Raises
    ------
    ModelError
        Missing, oversized, not JSON, nested too deeply, or not an object.

    Example
    -------
    >>> read_manifest("rolnlp/models/rol-paragraph-v1")[1]["format"]  # doctest: +SKIP
    'rolnlp-bundle'
    """
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"model path must be str or os.PathLike, not {type(path).__name__}")
    limits = limits or Limits()
    path = Path(path)
    meta = path / MANIFEST_FILE if path.is_dir() else path
    if not meta.is_file():
        raise ModelError(f"no model at {path}: expected a directory containing {MANIFEST_FILE}")
    # size from the file system first: a sparse multi-GB file is never read whole
    if meta.stat().st_size > limits.max_manifest_bytes:
        _fail(meta, f"{MANIFEST_FILE} is larger than {limits.max_manifest_bytes} bytes")
    with open(meta, "rb") as f:
        raw = f.read(limits.max_manifest_bytes + 1)
    if len(raw) > limits.max_manifest_bytes:
        _fail(meta, f"{MANIFEST_FILE} is larger than {limits.max_manifest_bytes} bytes")
    if not _depth_ok(raw):
        _fail(meta, f"{MANIFEST_FILE} nests deeper than {_MAX_DEPTH} levels")
    try:
        doc = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        _fail(meta, "not a rolnlp model (not JSON; rolnlp never loads pickles)")
    if not isinstance(doc, dict):
        _fail(meta, "not a rolnlp model (the manifest is not a JSON object)")
    return meta, doc


def _check_doc(meta, doc, kind, limits):
    if doc.get("format") != FORMAT:
        if doc.get("format") == "rolnlp-linear-text":
            _fail(meta, "saved in the rolnlp 0.1 format, which this rolnlp no longer reads: "
                        "train it again with rolnlp.train(...) and save it")
        _fail(meta, f"not a {FORMAT} file (format {doc.get('format')!r})")
    if doc.get("format_version") != FORMAT_VERSION:
        _fail(meta, f"bundle format version {doc.get('format_version')!r} is not supported "
                    f"(this rolnlp reads version {FORMAT_VERSION})")
    if doc.get("kind") != kind:
        _fail(meta, f"holds a {doc.get('kind')!r}, not a {kind!r}")
    if not isinstance(doc.get("sha256"), str) or doc["sha256"] != _digest(doc):
        _fail(meta, f"{MANIFEST_FILE} checksum mismatch (file altered or corrupt)")
    if not isinstance(doc.get("manifest"), dict):
        _fail(meta, "'manifest' must be an object")
    arr = doc.get("arrays")
    if (not isinstance(arr, dict) or not isinstance(arr.get("file"), str)
            or not _ARRAYS_NAME.match(arr["file"])
            or not isinstance(arr.get("sha256"), str) or len(arr["sha256"]) != 64
            or not isinstance(arr.get("members"), dict)):
        _fail(meta, "'arrays' must name an arrays-<hash>.npz file, its sha256 and its members")
    members = arr["members"]
    if len(members) > limits.max_members:
        _fail(meta, f"declares {len(members)} arrays (at most {limits.max_members})")
    specs, total = {}, 0
    for name, m in members.items():
        if not _MEMBER_NAME.match(name) or not isinstance(m, dict):
            _fail(meta, f"bad array declaration {name!r}")
        try:
            dtype = np.dtype(m.get("dtype"))
        except (TypeError, ValueError):
            _fail(meta, f"array {name!r} declares an unknown dtype")
        shape = m.get("shape")
        if (dtype.kind not in _DTYPE_KINDS or not isinstance(shape, list) or len(shape) > 4
                or not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n < 2**40
                           for n in shape)):
            _fail(meta, f"array {name!r} declares {m.get('dtype')!r} {shape!r}")
        total += int(np.prod(shape, dtype=object)) * dtype.itemsize
        specs[name] = (dtype, tuple(shape))
    if total > limits.max_array_bytes:
        _fail(meta, f"arrays would take {total} bytes (limit {limits.max_array_bytes})")
    return specs


def _read_arrays(meta, file, sha256, specs, limits):
    """Verify and read the archive: sizes and headers first, data last."""
    if not file.is_file():
        _fail(meta, f"arrays file {file.name} is missing")
    if file.stat().st_size > limits.max_array_bytes + 2**20:
        _fail(meta, f"arrays file {file.name} is implausibly large")
    if file_sha256(file) != sha256:
        _fail(meta, f"checksum mismatch for {file.name} (file altered or corrupt)")
    try:
        z = zipfile.ZipFile(file)
    except (zipfile.BadZipFile, OSError, ValueError) as e:
        _fail(meta, f"arrays file is not a numpy archive ({e})")
    with z:
        infos = z.infolist()  # the central directory: nothing decompressed yet
        names = [i.filename for i in infos]
        want = {f"{k}.npy" for k in specs}
        if len(names) != len(set(names)) or set(names) != want:
            extra, missing = sorted(set(names) - want), sorted(want - set(names))
            _fail(meta, f"archive members differ from the manifest (unexpected {extra[:5]}, "
                        f"missing {missing[:5]}, {len(names)} in all)")
        for info in infos:
            dtype, shape = specs[info.filename[:-4]]
            nbytes = int(np.prod(shape, dtype=object)) * dtype.itemsize
            if info.file_size > nbytes + _NPY_HEADER_MAX or info.flag_bits & 0x1:
                _fail(meta, f"member {info.filename} is {info.file_size} bytes "
                            f"(at most {nbytes} declared)")
        out = {}
        for info in infos:
            key = info.filename[:-4]
            dtype, shape = specs[key]
            nbytes = int(np.prod(shape, dtype=object)) * dtype.itemsize
            try:
                with z.open(info) as f:
                    version = np.lib.format.read_magic(f)
                    if version == (1, 0):
                        hshape, fortran, hdtype = np.lib.format.read_array_header_1_0(f)
                    elif version == (2, 0):
                        hshape, fortran, hdtype = np.lib.format.read_array_header_2_0(f)
                    else:
                        raise ValueError(f"npy version {version}")
                    if hdtype != dtype or tuple(hshape) != shape or fortran:
                        _fail(meta, f"member {info.filename} holds {hdtype} {hshape}, "
                                    f"declared {dtype} {shape}")
                    data = f.read(nbytes + 1)  # bounded: zipfile stops at file_size
                if len(data) != nbytes:
                    raise ValueError(f"{len(data)} bytes of data, expected {nbytes}")
                out[key] = np.frombuffer(data, dtype=dtype).reshape(shape).copy()
            except ModelError:
                raise
            except Exception as e:  # any parse failure of a foreign member
                _fail(meta, f"member {info.filename} is not a plain numpy array "
                            f"({type(e).__name__}: {e})")
    return out


def load_bundle(path, *, kind: str, limits: Optional[Limits] = None,
                validate: Optional[Callable[[dict, dict], None]] = None
                ) -> tuple[dict, dict[str, np.ndarray]]:
    """Load a bundle written by :func:`save_bundle`, refusing anything crafted.

    Parameters
    ----------
    path : str or os.PathLike
        The bundle directory (or its ``model.json``).
    kind : str
        The kind the caller expects; another kind raises :class:`ModelError`.
    limits : Limits, optional
        Size bounds (defaults: :class:`Limits`).
    validate : callable, optional
        ``validate(manifest, specs)`` is called after the manifest is checked
        and *before* the arrays are read; ``specs`` maps each array name to
        ``(numpy.dtype, shape)`` as declared.  Raise :class:`ModelError` there
        to refuse shapes the manifest's own content does not justify (e.g. a
        coefficient matrix larger than its classes × features).

    Returns
    -------
    (dict, dict of str to numpy.ndarray)
        The caller's manifest and the arrays.

    Raises
    ------
    ModelError
        Missing, foreign (e.g. a pickle), another kind, tampered (checksum
        mismatch), malformed or oversized bundle.

    Example
    -------
    >>> manifest, arrays = load_bundle("rolnlp/models/rol-paragraph-v1",
    ...                                kind="rolnlp-linear-text")  # doctest: +SKIP
    """
    limits = limits or Limits()
    meta, doc = read_manifest(path, limits=limits)
    specs = _check_doc(meta, doc, kind, limits)
    if validate is not None:
        validate(doc["manifest"], dict(specs))
    arrays = _read_arrays(meta, meta.parent / doc["arrays"]["file"], doc["arrays"]["sha256"],
                          specs, limits)
    return doc["manifest"], arrays


__all__ = ["Limits", "save_bundle", "load_bundle", "read_manifest", "FORMAT", "MANIFEST_FILE"]
