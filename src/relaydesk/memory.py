"""Give freed heap memory back to the operating system.

Loading the agent allocates far more than it keeps: the model's weights are read into numpy
for the ONNX build and its parity check, the language model is unpacked from its archive,
the index is assembled from database rows. glibc keeps most of what Python and numpy free
in its heap, so a server would carry ~80 MB of freed memory for its whole life.
``release_free_memory`` asks glibc to return it (``malloc_trim``) after such a load; on a
C library without it, it does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable

_trim: Callable[[int], int] | None = None
_looked_up = False


def _malloc_trim() -> Callable[[int], int] | None:
    global _trim, _looked_up
    if not _looked_up:
        _looked_up = True
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            _trim = libc.malloc_trim
        except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to trim
            _trim = None
    return _trim


def release_free_memory() -> bool:
    """Return the C heap's free pages to the system; True if the C library could do it."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
