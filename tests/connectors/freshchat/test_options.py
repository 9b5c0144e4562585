"""CRM enrichment and JWT push, mirroring every conversation, auto-resolve, a killed worker."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from relaydesk.sandbox import RunningSandbox
from tests.connectors.freshchat.stack import (
    Visitor,
    running_stack,
    sign_user_jwt,
    wait_until,
)

pytestmark = pytest.mark.slow


def test_crm_and_verified_identity_fill_the_freshchat_user(
    tmp_path: Path, sandbox: RunningSandbox
) -> None:
    with running_stack(tmp_path, sandbox, crm=True, field_mapping={"plan": "plan"}) as stack:
        token = sign_user_jwt(user_id="u-42", email="jane@example.com", plan="pro")
        visitor = Visitor(stack, user_jwt=token)
        visitor.hand_off()
        stack.idle()
        [user] = stack.state()["freshchat"]["users"]
        assert (user["reference_id"], user["email"]) == ("u-42", "jane@example.com")
        assert (user["first_name"], user["last_name"]) == ("Jane", "Doe")
        props = {p["name"]: p["value"] for p in user["properties"]}
        assert props == {"plan": "pro", "company": "Acme Inc"}
        # the site later sends a changed attribute: it reaches Freshchat
        Visitor(
            stack,
            user_jwt=sign_user_jwt(user_id="u-42", email="jane@example.com", plan="enterprise"),
        )

        def pushed() -> bool:
            stack.wake()
            [u] = stack.state()["freshchat"]["users"]
            return {p["name"]: p["value"] for p in u["properties"]}.get("plan") == "enterprise"

        wait_until(pushed, what="the new plan in Freshchat")


def test_mirror_every_conversation_from_its_first_message(
    tmp_path: Path, sandbox: RunningSandbox
) -> None:
    with running_stack(tmp_path, sandbox, mirror_all=True) as stack:
        visitor = Visitor(stack)
        visitor.start()
        visitor.send(text="How do I reset my password?")
        fcid = wait_until(visitor.freshchat_id, what="the mirrored conversation")
        stack.idle()
        conv = stack.fc_conversation(fcid)
        assert conv["assigned_agent_id"] == stack.ids["ai_agent"]
        assert conv["assigned_group_id"] is None
        visitor.send(text="thanks, one more thing")
        stack.idle()
        texts = [
            m["message_parts"][0]["text"]["content"]
            for m in stack.fc_conversation(fcid)["messages"]
        ]
        assert len(texts) == len(visitor.texts())
        assert texts[-1].startswith(visitor.texts()[-1][:30])
        # a human agent steps in: the AI stops answering, the reply reaches the visitor
        stack.control(
            f"/freshchat/conversations/{fcid}/reply",
            {"text": "Let me take this one.", "agent_id": stack.ids["human_agent"]},
        )
        wait_until(lambda: visitor.conversation()["status"] == "with_agent", what="with_agent")
        assert "Let me take this one." in visitor.texts()
        replies = visitor.send(text="great")
        assert [m["author"] for m in replies] == ["visitor"]


def test_auto_resolve_after_inactivity_and_cancelled_by_a_reply(
    tmp_path: Path, sandbox: RunningSandbox
) -> None:
    with running_stack(tmp_path, sandbox, mirror_all=True, auto_resolve_seconds=2) as stack:
        quiet = Visitor(stack)
        quiet.start()
        quiet.send(text="How do I reset my password?")
        quiet_fcid = wait_until(quiet.freshchat_id, what="the mirrored conversation")
        answered = Visitor(stack)
        answered.start()
        answered.send(text="How do I reset my password?")
        fcid = wait_until(answered.freshchat_id, what="the second mirrored conversation")
        stack.idle()
        # an agent replies inside the window: that conversation is no longer auto-resolved
        stack.control(
            f"/freshchat/conversations/{fcid}/reply",
            {"text": "I'll look into it.", "agent_id": stack.ids["human_agent"]},
        )
        wait_until(lambda: "I'll look into it." in answered.texts(), what="the agent's reply")

        def resolved() -> bool:
            stack.wake()
            return quiet.conversation()["status"] == "resolved"

        wait_until(resolved, 15, "the quiet conversation to be auto-resolved")
        wait_until(
            lambda: stack.fc_conversation(quiet_fcid)["status"] == "resolved",
            15,
            "auto-resolve to reach Freshchat",
        )
        time.sleep(2.5)
        stack.idle()
        assert answered.conversation()["status"] == "with_agent"
        assert stack.fc_conversation(fcid)["status"] != "resolved"
