"""Give freed heap memory back to the operating system.

Loading the agent allocates far more than it keeps: the model's weights are read into numpy
for the ONNX build and its parity check, the language model is unpacked from its archive,
the index is assembled from database rows. glibc keeps most of what Python and numpy free
in its heap, so a server would carry ~80 MB of freed memory for its whole life.
``release_free_memory`` asks glibc to return it (``malloc_trim``) after such a load; on a
C library without it, it does nothing.

A long-running server also calls ``return_large_blocks_at_once`` when it starts. glibc
serves a large block (a numpy array, a dict's table) from its heap once a block of that size
has been freed (its mmap threshold grows up to 32 MB), and a block freed inside the heap
stays there behind the small ones that outlive it: after the agent loads in a worker
thread, ~25 MB of such holes stay resident even after ``malloc_trim``. A fixed threshold
keeps every block of 256 KB or more in its own mapping, which goes back to the system the
moment it is freed.
"""

from __future__ import annotations

import ctypes
import ctypes.util
from collections.abc import Callable

#: glibc's ``mallopt`` parameter for the size from which a block gets its own mapping.
_M_MMAP_THRESHOLD = -3
#: Blocks from this size up are mapped on their own (glibc's initial value is 128 KB).
LARGE_BLOCK_BYTES = 256 * 1024

_libc: ctypes.CDLL | None = None
_looked_up = False


def _glibc() -> ctypes.CDLL | None:
    global _libc, _looked_up
    if not _looked_up:
        _looked_up = True
        try:
            libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
            libc.malloc_trim, libc.mallopt  # noqa: B018  # both are glibc's
            _libc = libc
        except (OSError, AttributeError):  # not glibc (musl, macOS): nothing to tune
            _libc = None
    return _libc


def _malloc_trim() -> Callable[[int], int] | None:
    libc = _glibc()
    return None if libc is None else libc.malloc_trim


def release_free_memory() -> bool:
    """Return the C heap's free pages to the system; True if the C library could do it."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True


def return_large_blocks_at_once() -> bool:
    """Map every heap block of ``LARGE_BLOCK_BYTES`` or more on its own, for good.

    Call it once when a long-running process starts. True if the C library took it.
    """
    libc = _glibc()
    if libc is None:
        return False
    return bool(libc.mallopt(_M_MMAP_THRESHOLD, LARGE_BLOCK_BYTES))
