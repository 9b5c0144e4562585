"""Give freed heap memory back to the operating system.

Loading the agent allocates far more than it keeps: the model's weights are read into numpy
for the ONNX build and its parity check, the language model is unpacked from its archive,
the index is assembled from database rows. glibc keeps most of what Python and numpy free
in its heap, so a server would carry ~80 MB of freed memory for its whole life.
``release_free_memory`` asks glibc to return it (``malloc_trim``) after such a load; on a
C library without it, it does nothing.

A long-running server also calls ``tune_heap_for_server`` when it starts, before its threads:

- glibc serves a large block (a numpy array, a dict's table) from its heap once a block of
  that size has been freed (its mmap threshold grows up to 32 MB), and a block freed inside
  the heap stays there behind the small ones that outlive it: after the agent loads in a
  worker thread, ~25 MB of such holes stay resident even after ``malloc_trim``. A fixed
  threshold keeps every block of 256 KB or more in its own mapping, which goes back to the
  system the moment it is freed.
- glibc gives threads up to 8 heaps ("arenas") per CPU, and each keeps its own free
  fragments; a server's dozen threads (HTTP pool, job worker, model helper) then hold
  several MB of them after a few thousand messages. Two arenas per CPU (at least 4) keep
  ~5 MB less after 9,000 messages with no measurable cost; fewer (2 in all) made threads
  wait on each other (about a quarter fewer messages a second).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from collections.abc import Callable

#: glibc's ``mallopt`` parameters: the size from which a block gets its own mapping, and
#: the most heaps threads may spread over.
_M_MMAP_THRESHOLD = -3
_M_ARENA_MAX = -8
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


def arena_limit() -> int:
    """Return the number of glibc heaps a server's threads may use: 2 per CPU, at least 4."""
    return max(4, 2 * len(os.sched_getaffinity(0)))


def tune_heap_for_server() -> bool:
    """Map every heap block of ``LARGE_BLOCK_BYTES`` or more on its own, and cap the heaps
    at ``arena_limit()``, for good. Call it once when a server starts, before its threads.

    True if the C library took both settings.
    """
    libc = _glibc()
    if libc is None:
        return False
    large = libc.mallopt(_M_MMAP_THRESHOLD, LARGE_BLOCK_BYTES)
    arenas = libc.mallopt(_M_ARENA_MAX, arena_limit())
    return bool(large and arenas)
