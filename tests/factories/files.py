"""Files for upload tests, made in memory: a decompression bomb and small valid images."""

import functools
import io
import struct
import zlib

from PIL import Image


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@functools.cache
def bomb_png(width: int = 30_000, height: int = 30_000) -> bytes:
    """A valid 1-bit black PNG of width × height pixels (900 million by default) that weighs about
    110 KB: every row is zeros, which deflate squeezes about a thousand to one. Written chunk by
    chunk, so building it never holds the decoded image (Pillow would need 110 MB to save it)."""
    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte "none", then the row's bits
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", idat) + _chunk(b"IEND", b"")


def png_bytes(size: tuple[int, int] = (4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="PNG")
    return buffer.getvalue()
