"""What a file really is, from its bytes, before any decoder sees it.

An upload is hostile until proved otherwise: its name and the type its sender claims mean
nothing. A phone's camera makes MP4 or MOV (both ISO base media files: a chain of boxes, the
first `ftyp`), a browser's recorder WebM (an EBML header); nothing else is taken. An ISO file
must be whole: its boxes chain from the first byte to the last, and one of them is the
index (`moov`). A box that runs past the end is a clip cut short (an upload stopped half
way); bytes after the last box are something else riding along (a polyglot: a video that is
also a ZIP, a page or a script), and either is refused. Images are named, as the commonest
mistake is choosing a photo.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import BinaryIO

from hingecoach.errors import VideoError

__all__ = ["container_of"]

_HEAD = 16
# Magic numbers of the files most often picked by mistake.
_IMAGES = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG photo"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive"),
)
_EBML = b"\x1a\x45\xdf\xa3"
_ADVICE = "record an MP4 or MOV with the phone's camera app"


def container_of(path: Path) -> str:
    """The container of a video file, "iso" (MP4, MOV) or "webm"; else a `VideoError`."""
    try:
        with path.open("rb") as handle:
            size = path.stat().st_size
            head = handle.read(_HEAD)
            if not head:
                raise VideoError("not_a_video", f"{path.name}: the file is empty; {_ADVICE}")
            for magic, what in _IMAGES:
                if head.startswith(magic):
                    raise VideoError(
                        "not_a_video", f"{path.name}: this is {what}, not a video; {_ADVICE}"
                    )
            if head.startswith(_EBML):
                return "webm"
            if head[4:8] == b"ftyp":
                _walk_boxes(handle, size, path.name)
                return "iso"
    except OSError as exc:
        raise VideoError("unreadable_video", f"cannot read that file: {exc.strerror}") from None
    raise VideoError("not_a_video", f"{path.name}: not a video file; {_ADVICE}")


def _walk_boxes(handle: BinaryIO, size: int, name: str) -> None:
    """Follow the top-level boxes from the first byte to the last."""
    offset, seen = 0, set()
    while offset < size:
        handle.seek(offset)
        header = handle.read(8)
        if len(header) < 8:
            raise _trailing(name)
        length, kind = struct.unpack(">I4s", header)
        if length == 1:  # a 64-bit size follows
            extended = handle.read(8)
            if len(extended) < 8:
                raise _cut_short(name)
            length = struct.unpack(">Q", extended)[0]
        elif length == 0:  # the last box runs to the end of the file
            length = size - offset
        if not kind.isascii() or not kind.decode("ascii").isprintable() or length < 8:
            raise _trailing(name)
        if offset + length > size:
            raise _cut_short(name)
        seen.add(kind)
        offset += length
    if b"moov" not in seen:
        raise VideoError(
            "truncated_video",
            f"{name}: the clip has no index, so it was not finished (the recording or the "
            "upload stopped early); record it again",
        )


def _cut_short(name: str) -> VideoError:
    return VideoError(
        "truncated_video",
        f"{name}: the clip is cut short (the upload or the recording stopped part way); "
        "send it again",
    )


def _trailing(name: str) -> VideoError:
    return VideoError(
        "not_a_video",
        f"{name}: there is something other than video in this file; {_ADVICE}",
    )
