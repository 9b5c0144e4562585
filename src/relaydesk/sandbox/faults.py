"""Injected faults: be down (503), answer 429 or 500, or add latency, per system.

A fault lasts for ``calls`` calls, or ``seconds`` seconds, or until cleared. For ``slow``,
``seconds`` is the added latency instead, and ``calls`` (if given) how many calls it delays.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

SYSTEMS = ("freshchat", "freshdesk", "crm")
MODES = ("down", "429", "500", "slow")


@dataclass
class Fault:
    """One active fault."""

    system: str
    mode: str
    calls_left: int | None = None
    until: float | None = None
    delay: float = 0.0
    retry_after: int = 1

    def as_dict(self) -> dict[str, object]:
        """Return the fault as the control surface shows it."""
        return {
            "system": self.system,
            "mode": self.mode,
            "calls_left": self.calls_left,
            "seconds_left": None if self.until is None else max(0.0, self.until - time.monotonic()),
            "delay": self.delay,
            "retry_after": self.retry_after,
        }


class FaultBook:
    """The active faults, at most one per system."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._faults: dict[str, Fault] = {}

    def set(
        self,
        system: str,
        mode: str,
        *,
        calls: int | None = None,
        seconds: float | None = None,
        retry_after: int = 1,
    ) -> Fault:
        """Install a fault for system, replacing any earlier one."""
        if mode == "slow":
            fault = Fault(
                system, mode, calls_left=calls, delay=seconds if seconds is not None else 1.0
            )
        else:
            until = None if seconds is None else time.monotonic() + seconds
            fault = Fault(system, mode, calls_left=calls, until=until, retry_after=retry_after)
        with self._lock:
            self._faults[system] = fault
        return fault

    def clear(self, system: str | None = None) -> None:
        """Remove the fault of system, or every fault."""
        with self._lock:
            if system is None:
                self._faults.clear()
            else:
                self._faults.pop(system, None)

    def take(self, system: str) -> Fault | None:
        """Return the fault that applies to this call of system, using up one of its calls."""
        with self._lock:
            fault = self._faults.get(system)
            if fault is None:
                return None
            if fault.until is not None and time.monotonic() >= fault.until:
                del self._faults[system]
                return None
            if fault.calls_left is not None:
                fault.calls_left -= 1
                if fault.calls_left <= 0:
                    del self._faults[system]
            return fault

    def active(self) -> list[dict[str, object]]:
        """Return the active faults."""
        with self._lock:
            return [fault.as_dict() for fault in self._faults.values()]
