"""The fair gate lets callers through one at a time, in the order they arrived."""

from __future__ import annotations

import threading
import time

from relaydesk.messenger.gate import FairGate


def test_callers_pass_one_at_a_time_in_arrival_order() -> None:
    gate = FairGate()
    order: list[int] = []
    inside = 0
    overlap = False
    lock = threading.Lock()

    def caller(i: int) -> None:
        nonlocal inside, overlap
        with gate.hold():
            with lock:
                inside += 1
                overlap = overlap or inside > 1
            order.append(i)
            time.sleep(0.002)
            with lock:
                inside -= 1

    threads = []
    with gate.hold():  # hold the gate while the callers line up, one after another
        for i in range(20):
            thread = threading.Thread(target=caller, args=(i,))
            thread.start()
            threads.append(thread)
            deadline = time.monotonic() + 10
            while gate._next_ticket < i + 2 and time.monotonic() < deadline:  # it took a ticket
                time.sleep(0.001)
    for thread in threads:
        thread.join(10)
    assert order == list(range(20))
    assert not overlap
