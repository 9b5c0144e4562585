"""relaydesk.memory: freed heap memory goes back to the system."""

from __future__ import annotations

import subprocess
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


_LARGE_BLOCKS_SCRIPT = """
import subprocess
import sys
from pathlib import Path

import numpy as np

from relaydesk.memory import tune_heap_for_server


def rss_mb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024


if sys.argv[1] == "on":
    assert tune_heap_for_server() is True
# A large block freed once raises glibc's threshold, so the next ones come from the heap;
# each is followed by a small block that stays, so freeing them leaves holes in the heap.
np.ones(1 << 20).sum()
large, small = [], []
for _ in range(200):
    large.append(np.ones(300_000 // 8))
    small.append(bytearray(1000))
held = rss_mb()
del large
print(held - rss_mb())
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc and /proc only")
def test_large_blocks_go_back_to_the_system_when_freed() -> None:
    def freed_mb(setting: str) -> float:
        run = subprocess.run(
            [sys.executable, "-c", _LARGE_BLOCKS_SCRIPT, setting],
            capture_output=True,
            text=True,
            check=True,
        )
        return float(run.stdout)

    assert freed_mb("off") < 10  # glibc's default keeps the 60 MB in its heap
    assert freed_mb("on") > 50
