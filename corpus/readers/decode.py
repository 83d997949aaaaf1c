"""Bytes to text: UTF-8, UTF-8 with a BOM, UTF-16 with a BOM — nothing else.

A file in any other encoding is an error naming the file and the first bad
byte, never a silent replacement character.
"""

from __future__ import annotations

import codecs


class DecodeError(ValueError):
    """The bytes are not text in an encoding claimdesk accepts."""


def bom_encoding(head: bytes) -> tuple[str, int]:
    """The encoding named by a byte-order mark at the start of ``head``, and the
    mark's length; plain UTF-8 and 0 when there is none."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8", 3
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32", 0
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", 0  # the utf-16 codec reads and drops the BOM itself
    return "utf-8", 0


def decode_bytes(data: bytes) -> str:
    """Decode a whole file; the BOM is not part of the text."""
    encoding, skip = bom_encoding(data[:4])
    try:
        return data[skip:].decode(encoding)
    except UnicodeDecodeError as err:
        if encoding == "utf-8" and not skip:
            raise DecodeError(
                f"not valid UTF-8 (byte 0x{data[err.start]:02x} at offset {err.start}); "
                "convert the file to UTF-8, e.g. iconv -f latin1 -t utf-8"
            ) from None
        raise DecodeError(f"not valid {encoding.upper()} ({err.reason} at byte {err.start + skip})") from None
