"""The delivery rules: no private notes to visitors, no echo of remote messages."""

from __future__ import annotations

from dataclasses import dataclass

from relaydesk.connectors.base import delivery_refusal, may_deliver


@dataclass
class _Msg:
    private: bool = False
    source_id: str | None = None
    author: str = "visitor"


def test_private_note_never_reaches_the_visitor() -> None:
    note = _Msg(private=True, author="ai")
    assert delivery_refusal(note, to="visitor") is not None
    assert may_deliver(note, to="remote")


def test_message_from_the_remote_is_not_echoed() -> None:
    reply = _Msg(author="agent", source_id="fc-msg-1")
    assert not may_deliver(reply, to="remote")
    assert may_deliver(reply, to="visitor")


def test_plain_visitor_message_goes_everywhere() -> None:
    assert may_deliver(_Msg(), to="remote") and may_deliver(_Msg(), to="visitor")
