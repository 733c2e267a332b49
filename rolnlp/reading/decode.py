"""Turn a path, ``bytes`` or a binary file object into text.

Bytes are decoded by a strict cascade (BOM, UTF-8, then GB18030 and Big5
scored by how many common Chinese characters each yields), which is more
robust on short texts than statistical detection; charset-normalizer is the
fallback for input none of them decodes cleanly.
"""
from __future__ import annotations

import codecs
import logging
import os
import re

from ..errors import ReportError

logger = logging.getLogger(__name__)

#: Report files the reader takes (the corpus file finder looks for these).
SUFFIXES = (".txt", ".html", ".htm", ".pdf", ".docx", ".doc", ".wps")
_CJK = re.compile(r"[\u3400-\u9fff]")
# Frequent characters of government prose in both scripts; a wrong double-byte
# decoding yields rare characters instead, so the share of these picks the codec.
_COMMON = frozenset(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年"
    "动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化"
    "高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天"
    "政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向"
    "道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革"
    "位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角"
    "期根论运农指几九区强放决西被干做必战先回则任取据处府研质信务规审查执督依治监护"
    "們這個國來為時會對後當發說還現進經動實過關與從學樣開應產體種點於總問題黨區務規審"
    "查執督依治監護權責領導機構報告議員務設計資訊組織項辦會議條例並參採廣東華縣鄉鎮"
    "，。、；：“”（）《》")
_DOUBLE_BYTE = ("gb18030", "big5")


def load(source, encoding=None):
    """Return ``(text, encoding, path)`` for a path, ``bytes`` or a binary file object.

    A ``str`` is always a path: report text in memory goes to
    :func:`rolnlp.parse_report`, never here.

    Parameters
    ----------
    source : str, os.PathLike, bytes, bytearray, memoryview or binary file object
        A path to a report file, raw bytes, or a file opened in binary mode.
    encoding : str, optional
        Decode bytes with this codec instead of detecting one.

    Returns
    -------
    tuple
        ``(text, encoding, path)``; ``path`` is ``None`` unless a file was
        read by name.

    Raises
    ------
    TypeError
        For anything else (a text-mode file object, a number…).
    FileNotFoundError
        For a path that does not exist.
    ReportError
        For report text passed as a path (naming ``parse_report``),
        directories, URLs, binary data or undecodable bytes.

    Example
    -------
    >>> load("法治政府建设".encode("gbk"))
    ('法治政府建设', 'gb18030', None)
    """
    if isinstance(source, os.PathLike):
        source = os.fspath(source)
        if isinstance(source, bytes):
            source = os.fsdecode(source)
    if isinstance(source, str):
        return _read_path(source, encoding)
    if isinstance(source, (bytes, bytearray, memoryview)):
        text, enc = decode_bytes(bytes(source), encoding)
        return text, enc, None
    if hasattr(source, "read"):
        try:
            data = source.read()
        except OSError as e:
            raise ReportError(f"cannot read the file object: {e}") from e
        if isinstance(data, str):
            raise TypeError("read_report() takes a file opened in binary mode ('rb'); "
                            "for text in memory use rolnlp.parse_report()")
        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"the file object's read() returned {type(data).__name__}, "
                            "not bytes")
        text, enc = decode_bytes(bytes(data), encoding)
        return text, enc, None
    raise TypeError("source must be a path, bytes or a binary file object, not "
                    f"{type(source).__name__} (for report text use rolnlp.parse_report())")


def _read_path(source: str, encoding):
    """Read a ``str`` path, or say why the string is not one."""
    if _is_existing_file(source):
        return _read_file(source, encoding)
    if re.match(r"(?i)https?://\S+$", source.strip()):
        raise ReportError(f"{source!r} is a URL; rolnlp does not fetch pages, "
                          "save the page and read the file")
    if _looks_like_text(source):
        raise ReportError(f"read_report() takes a path, and {_preview(source)} is report "
                          "text, not an existing file; use rolnlp.parse_report(text) for "
                          "text in memory")
    if _CJK.search(source) and not os.path.lexists(source):
        raise FileNotFoundError(f"report file not found: {source!r} (for report text in "
                                "memory use rolnlp.parse_report)")
    return _read_file(source, encoding)


def _looks_like_text(s: str) -> bool:
    """A string no one would type as a file name: blank, several lines, prose or markup."""
    if not s.strip() or "\n" in s.strip() or "\x00" in s or len(s) > 4096:
        return True
    if s.lower().rstrip().endswith(SUFFIXES):
        return False
    return bool(re.search(r"[。，；！？：、]", s) or re.search(r"<[A-Za-z!/][^<>]*>", s))


def _preview(s: str) -> str:
    s = s.strip()
    return repr(s[:30] + ("…" if len(s) > 30 else "")) if s else "an empty string"


def _is_existing_file(s: str) -> bool:
    if "\n" in s or "\x00" in s or not s.strip() or len(s) > 4096:
        return False
    try:
        return os.path.isfile(s)
    except (OSError, ValueError):
        return False


def _read_file(path: str, encoding):
    if os.path.isdir(path):
        raise ReportError(f"{path!r} is a directory, not a report file; "
                          "use rolnlp.read_corpus() to read a directory")
    if not os.path.exists(path):
        raise FileNotFoundError(f"report file not found: {path!r}")
    if not os.path.isfile(path):
        # a FIFO would block and /dev/zero never ends: read regular files only
        raise ReportError(f"{path!r} is not a regular file (a device, pipe or socket); "
                          "save the report to a file and read that")
    try:
        with open(path, "rb") as f:
            data = f.read()
    except PermissionError as e:
        raise ReportError(f"cannot read {path!r}: permission denied") from e
    except OSError as e:
        raise ReportError(f"cannot read {path!r}: {e.strerror or e}") from e
    try:
        text, enc = decode_bytes(data, encoding)
    except ReportError as e:
        raise ReportError(f"{path}: {e}") from None
    return text, enc, path


def decode_bytes(data: bytes, encoding=None):
    """Decode report bytes, detecting the encoding unless one is given.

    Parameters
    ----------
    data : bytes
    encoding : str, optional
        Force this codec; undecodable bytes then raise ``ReportError``.

    Returns
    -------
    tuple
        ``(text, encoding_name)``.

    Raises
    ------
    ReportError
        For binary data (NUL bytes, control characters) or bytes that no
        supported encoding decodes.

    Example
    -------
    >>> decode_bytes("法治政府".encode("gbk"))
    ('法治政府', 'gb18030')
    """
    if encoding is not None and not isinstance(encoding, str):
        raise TypeError(f"encoding must be a str such as 'gbk', not {type(encoding).__name__}")
    if encoding:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise ReportError(f"unknown encoding {encoding!r}") from None
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as e:
            raise ReportError(f"input is not valid {encoding}: {e.reason} "
                              f"at byte {e.start}") from None
        if text.startswith("\ufeff"):
            text = text[1:]
        _check_text(text)
        return text, encoding
    if not data:
        return "", "utf-8"
    if data[:1] in (b"%", b"P", b"\xd0"):  # PDF, .docx (zip) or an old binary Word file
        from . import documents
        kind = documents.sniff(data)
        if kind:
            return documents.read_document(data, kind), kind
    for bom, enc in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                     (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError as e:
                raise ReportError(f"input has a {enc} byte-order mark but is not "
                                  f"valid {enc}: {e.reason}") from None
            _check_text(text)
            return text, enc
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is None:
            raise ReportError("input looks binary (it contains NUL bytes), not a text report")
        return text, "utf-16"
    try:
        text = data.decode("utf-8")
        _check_text(text)
        return text, "utf-8"
    except UnicodeDecodeError:
        pass
    best = None
    for enc in _DOUBLE_BYTE:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _score(text)
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is not None and best[0] > 0.2:
        _check_text(best[1])
        return best[1], best[2]
    return _fallback(data, best)


def _utf16_without_bom(data):
    """UTF-16 text without a BOM has NUL in every other byte of its ASCII part."""
    if len(data) % 2:
        return None
    for enc, zeros in (("utf-16-le", data[1::2]), ("utf-16-be", data[0::2])):
        if zeros.count(0) >= 0.3 * len(zeros):
            try:
                text = data.decode(enc)
            except UnicodeDecodeError:
                continue
            if _score(text) > 0.2 or _printable_share(text) > 0.95:
                _check_text(text)
                return text
    return None


def _score(text: str) -> float:
    """Share of common characters among the non-ASCII characters of a sample."""
    sample = text[:65536]
    wide = [c for c in sample if ord(c) > 127]
    if not wide:
        return 1.0 if sample else 0.0
    return sum(c in _COMMON for c in wide) / len(wide)


def _printable_share(text: str) -> float:
    sample = text[:65536]
    if not sample:
        return 1.0
    # U+FFFD is not counted: a file saved from a wrong decoding (mojibake) is
    # garbled text, not binary; undecodable bytes are counted where replaced
    bad = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f\v")
              or 0x7f <= ord(c) < 0xa0 or 0xe000 <= ord(c) <= 0xf8ff)
    return 1 - bad / len(sample)


def _check_text(text: str):
    if "\x00" in text[:65536]:
        raise ReportError("input looks binary (it contains NUL characters), not a text report")
    if _printable_share(text) < 0.9:
        raise ReportError("input looks binary (too many control characters), not a text report")


def _fallback(data: bytes, best):
    """Input no codec decodes strictly: mostly-valid GB18030/UTF-8 or charset-normalizer."""
    for enc in ("utf-8", "gb18030", "big5"):
        text = data.decode(enc, errors="replace")
        bad = text.count("\ufffd")
        # a file cut inside a character, or a few corrupt bytes, is still a report
        if bad <= max(2, len(text) // 200) and _score(text) > 0.2:
            logger.warning("input is not clean %s: %d undecodable byte(s) replaced", enc, bad)
            _check_text(text)
            return text, enc
    try:
        from charset_normalizer import from_bytes
        match = from_bytes(data[:1_000_000]).best()
    except Exception:  # a detector failure must not surface as its own traceback
        match = None
    if match is not None and match.encoding:
        try:
            text = data.decode(match.encoding)
        except (UnicodeDecodeError, LookupError):
            text = None
        if text is not None and (_score(text) > 0.2 or not _CJK.search(text)):
            _check_text(text)
            if _CJK.search(text) or _printable_share(text) > 0.98:
                return text, match.encoding
    raise ReportError("cannot decode input: not UTF-8, UTF-16, GB18030/GBK or Big5 "
                      "text (pass encoding=... if you know it)")
