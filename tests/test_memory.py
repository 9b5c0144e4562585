"""relaydesk.memory: freed heap memory goes back to the system."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from relaydesk.memory import release_free_memory


def rss_mb() -> float:
    """Return this process's resident memory in MB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmRSS in /proc/self/status")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc and /proc only")
def test_freed_heap_memory_is_returned_to_the_system() -> None:
    # 80 MB of 1 KB blocks (glibc's heap, not separate mappings), then one block allocated
    # after them that stays: the heap's top cannot shrink, so freeing keeps the pages.
    blocks = [bytes(1000) + i.to_bytes(4, "little") for i in range(80_000)]
    pinned = bytearray(2000)
    held = rss_mb()
    del blocks
    assert rss_mb() > held - 20  # glibc kept the freed pages
    assert release_free_memory() is True
    assert rss_mb() < held - 50
    assert len(pinned) == 2000
