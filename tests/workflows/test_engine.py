"""The engine runs real conversations (real database) through workflow documents."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy.orm import Session

from relaydesk.config.actions import do_set_product_setting
from relaydesk.conversations.queries import get_contact, list_messages
from relaydesk.db.engine import Database
from relaydesk.db.models.conversations import Conversation
from relaydesk.workflows.actions import do_activate_workflow, do_install_default_workflow
from relaydesk.workflows.context import VisitorInput
from relaydesk.workflows.engine import UnknownButton, WorkflowEngine
from relaydesk.workflows.validation import validate_workflow
from tests.factories import make_contact, make_conversation
from tests.workflows.responders import ScriptedResponder

# Friday 27 Nov 2026: 10:00 UTC is 11:00 in Berlin (open); 20:00 UTC is 21:00 (closed).
OPEN = datetime(2026, 11, 27, 10, 0, tzinfo=UTC)
CLOSED = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
HOURS = {
    "timezone": "Europe/Berlin",
    "weekly": {d: [["09:00", "17:00"]] for d in ["mon", "tue", "wed", "thu", "fri"]},
}


def _engine(now: datetime = OPEN) -> tuple[WorkflowEngine, ScriptedResponder]:
    responder = ScriptedResponder()
    return WorkflowEngine(responder, clock=lambda: now), responder


def _texts(messages: list[Any]) -> list[str]:
    return [m.text for m in messages]


def _say(engine: WorkflowEngine, session: Session, conv: Conversation, **given: str) -> list[Any]:
    """Store the visitor's message and run the workflow, as the messenger service does."""
    from relaydesk.conversations.actions import do_append_message

    inp = VisitorInput(**given)
    label = engine.check_input(session, conv, inp)
    do_append_message(session, conv, author="visitor", text=inp.text or label or "")
    return engine.handle(session, conv, inp)


def _set(session: Session, doc: dict[str, Any]) -> None:
    do_activate_workflow(session, validate_workflow(doc))


@pytest.mark.postgres
def test_default_workflow_answer_then_yes_resolves(db: Database) -> None:
    engine, responder = _engine()
    with db.transaction() as session:
        do_install_default_workflow(session)
        conv = make_conversation(session)
        first = engine.start(session, conv)
        assert len(first) == 1 and first[0].author == "ai" and "assistant" in first[0].text
        replies = _say(engine, session, conv, text="How long do refunds take?")
        assert _texts(replies) == [
            "Refunds take 5 business days.",
            "Did that answer your question?",
        ]
        assert replies[0].sources == [
            {"slug": "refunds", "title": "Refunds", "url": "https://help.example.com/refunds"}
        ]
        assert [b["id"] for b in replies[1].buttons] == ["yes", "no"]
        done = _say(engine, session, conv, button_id="yes")
        assert conv.status == "resolved"
        assert "Glad" in done[0].text
    assert responder.calls[0][0] == "How long do refunds take?"


@pytest.mark.postgres
def test_default_workflow_no_in_office_hours_offers_ticket_or_human(db: Database) -> None:
    engine, _ = _engine(OPEN)
    with db.transaction() as session:
        do_set_product_setting(session, "office_hours", HOURS)
        conv = make_conversation(session)
        engine.start(session, conv)
        _say(engine, session, conv, text="refund?")
        offer = _say(engine, session, conv, button_id="no")
        assert offer[-1].text == "How would you like to continue?"
        assert [b["label"] for b in offer[-1].buttons] == ["Create a ticket", "Human agent"]
        handed = _say(engine, session, conv, button_id="human")
        assert conv.status == "with_agent"
        assert handed[0].author == "system"
        assert conv.handed_off_to == "freshchat"
        # The workflow no longer answers: a person owns the conversation.
        assert engine.handle(session, conv, VisitorInput(text="hello?")) == []


@pytest.mark.postgres
def test_default_workflow_outside_office_hours_goes_to_the_ticket_path(db: Database) -> None:
    engine, _ = _engine(CLOSED)
    with db.transaction() as session:
        do_set_product_setting(session, "office_hours", HOURS)
        contact = make_contact(session, email=None)
        conv = make_conversation(session, contact)
        engine.start(session, conv)
        replies = _say(engine, session, conv, text="I want a human")
        texts = _texts(replies)
        assert any("back Monday at 09:00 (Europe/Berlin)" in t for t in texts), texts
        assert replies[-1].input == {"field": "email", "label": "Your email"}
        bad = _say(engine, session, conv, text="not an email")
        assert "doesn't look like an email" in bad[0].text
        done = _say(engine, session, conv, text="Ann@Example.com")
        assert conv.status == "ticketed"
        assert "ticket" in done[0].text
        assert get_contact(session, contact.id).email == "ann@example.com"
        assert conv.handed_off_to == "freshdesk"


@pytest.mark.postgres
def test_abstain_says_the_abstain_text_and_escalates(db: Database) -> None:
    engine, _ = _engine(OPEN)
    with db.transaction() as session:
        conv = make_conversation(session)
        engine.start(session, conv)
        replies = _say(engine, session, conv, text="something unknown")
        assert _texts(replies)[0] == "I'm sorry, I don't know the answer to that one."
        assert replies[-1].buttons[0]["label"] == "Create a ticket"


@pytest.mark.postgres
def test_follow_up_question_instead_of_yes_no_is_answered(db: Database) -> None:
    engine, responder = _engine()
    with db.transaction() as session:
        conv = make_conversation(session)
        engine.start(session, conv)
        _say(engine, session, conv, text="refunds?")
        again = _say(engine, session, conv, text="and for gift cards?")
        assert _texts(again)[-1] == "Did that answer your question?"
        history = responder.calls[1][1]
        assert ("visitor", "refunds?") in history
        assert history[-1] == ("ai", "Did that answer your question?")


COLLECT = {
    "start": "email",
    "blocks": [
        {
            "id": "email",
            "type": "collect",
            "field": "email",
            "prompt": "Your email?",
            "next": "plan",
        },
        {
            "id": "plan",
            "type": "collect",
            "field": "attribute",
            "attribute": "plan",
            "prompt": "Which plan?",
            "pattern": "(free|pro)",
            "next": "bye",
        },
        {"id": "bye", "type": "close", "text": "Bye {contact.name}"},
    ],
}


@pytest.mark.postgres
def test_collect_skips_what_is_known(db: Database) -> None:
    engine, _ = _engine()
    with db.transaction() as session:
        _set(session, COLLECT)
        known = make_contact(
            session, name="Ann", email="ann@example.com", attributes={"plan": "pro"}
        )
        conv = make_conversation(session, known)
        messages = engine.start(session, conv)
        assert _texts(messages) == ["Bye Ann"]
        assert conv.status == "resolved"


@pytest.mark.postgres
def test_collect_asks_validates_and_stores(db: Database) -> None:
    engine, _ = _engine()
    with db.transaction() as session:
        _set(session, COLLECT)
        contact = make_contact(session, name="Bo", email=None)
        conv = make_conversation(session, contact)
        asked = engine.start(session, conv)
        assert asked[0].input == {"field": "email", "label": "Your email"}
        _say(engine, session, conv, text="bo@example.com")
        plan = list_messages(session, conv.id)[-1]
        assert plan.input == {"field": "plan", "label": "plan"}
        wrong = _say(engine, session, conv, text="enterprise")
        assert wrong[0].input == {"field": "plan", "label": "plan"}
        _say(engine, session, conv, text="pro")
        assert conv.status == "resolved"
        stored = get_contact(session, contact.id)
        assert stored.email == "bo@example.com" and not stored.email_verified
        assert stored.attributes["plan"] == "pro"


@pytest.mark.postgres
def test_unknown_button_is_refused(db: Database) -> None:
    engine, _ = _engine()
    with db.transaction() as session:
        conv = make_conversation(session)
        engine.start(session, conv)
        with pytest.raises(UnknownButton):
            engine.check_input(session, conv, VisitorInput(button_id="yes"))
        _say(engine, session, conv, text="refunds?")
        with pytest.raises(UnknownButton):
            engine.check_input(session, conv, VisitorInput(button_id="human"))
        assert engine.check_input(session, conv, VisitorInput(button_id="no")) == "No"


BRANCH = {
    "start": "route",
    "blocks": [
        {
            "id": "route",
            "type": "branch",
            "rules": [
                {"when": [{"type": "attribute", "name": "plan", "equals": "pro"}], "next": "pro"},
                {"when": [{"type": "page_url", "pattern": "*/pricing*"}], "next": "sales"},
                {"when": [{"type": "language", "in": ["de"]}], "next": "german"},
                {"when": [{"type": "channel", "in": ["freshchat"]}], "next": "fc"},
            ],
            "otherwise": "other",
        },
        {"id": "pro", "type": "message", "text": "pro"},
        {"id": "sales", "type": "message", "text": "sales"},
        {"id": "german", "type": "message", "text": "german"},
        {"id": "fc", "type": "message", "text": "freshchat"},
        {"id": "other", "type": "message", "text": "other"},
    ],
}


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("contact", "conversation", "expected"),
    [
        ({"attributes": {"plan": "PRO"}}, {}, "pro"),
        ({}, {"page_url": "https://example.com/pricing?x=1"}, "sales"),
        ({}, {"language": "de-AT"}, "german"),
        ({}, {"channel": "freshchat"}, "freshchat"),
        ({}, {}, "other"),
    ],
)
def test_branch_rules(
    db: Database, contact: dict[str, Any], conversation: dict[str, Any], expected: str
) -> None:
    engine, _ = _engine()
    with db.transaction() as session:
        _set(session, BRANCH)
        conv = make_conversation(session, make_contact(session, **contact), **conversation)
        assert _texts(engine.start(session, conv)) == [expected]
        assert conv.workflow_state["done"] is True


@pytest.mark.postgres
def test_typed_label_picks_a_button_and_other_text_reprompts(db: Database) -> None:
    engine, _ = _engine(OPEN)
    with db.transaction() as session:
        conv = make_conversation(session)
        engine.start(session, conv)
        _say(engine, session, conv, text="a person please")
        again = _say(engine, session, conv, text="what?")
        assert again[0].text == "Please choose one of the options below."
        assert len(again[0].buttons) == 2
        _say(engine, session, conv, text="human agent")
        assert conv.status == "with_agent"


@pytest.mark.postgres
def test_conversation_keeps_its_workflow_when_a_new_one_is_set(db: Database) -> None:
    engine, _ = _engine()
    with db.transaction() as session:
        do_install_default_workflow(session)
        conv = make_conversation(session)
        engine.start(session, conv)
        first_id = conv.workflow_id
        _set(session, COLLECT)
        assert engine.document_for(session, conv)[0] == first_id
        replies = _say(engine, session, conv, text="refunds?")
        assert replies[-1].text == "Did that answer your question?"


@pytest.mark.postgres
def test_after_the_workflow_ends_a_message_goes_to_the_ai(db: Database) -> None:
    engine, _ = _engine()
    doc = {
        "start": "hello",
        "blocks": [
            {"id": "hello", "type": "message", "text": "Hello"},
            {"id": "helper", "type": "ai", "confirm": False},
        ],
        "reentry": "helper",
    }
    with db.transaction() as session:
        _set(session, doc)
        conv = make_conversation(session)
        assert _texts(engine.start(session, conv)) == ["Hello"]
        assert _texts(_say(engine, session, conv, text="refunds?")) == [
            "Refunds take 5 business days."
        ]


@pytest.mark.postgres
def test_typing_yes_or_no_after_an_answer_counts_as_the_button(db: Database) -> None:
    engine, responder = _engine(OPEN)
    with db.transaction() as session:
        conv = make_conversation(session)
        engine.start(session, conv)
        _say(engine, session, conv, text="refunds?")
        offer = _say(engine, session, conv, text="No.")
        assert offer[-1].buttons[0]["label"] == "Create a ticket"
        other = make_conversation(session)
        engine.start(session, other)
        _say(engine, session, other, text="refunds?")
        _say(engine, session, other, text="yes thanks")
        assert other.status == "resolved"
    assert len(responder.calls) == 2


KNOWN = {
    "start": "route",
    "blocks": [
        {
            "id": "route",
            "type": "branch",
            "rules": [
                {"when": [{"type": "attribute", "name": "verified", "equals": True}], "next": "v"},
                {
                    "when": [
                        {"type": "attribute", "name": "email", "known": True},
                        {"type": "attribute", "name": "plan", "known": False},
                    ],
                    "next": "email_no_plan",
                },
            ],
            "otherwise": "other",
        },
        {"id": "v", "type": "message", "text": "verified"},
        {"id": "email_no_plan", "type": "message", "text": "email, no plan"},
        {"id": "other", "type": "message", "text": "other"},
    ],
}


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("contact", "expected"),
    [
        ({"verified": True, "external_id": "u1"}, "verified"),
        ({"email": "a@example.com"}, "email, no plan"),
        ({"email": "a@example.com", "attributes": {"plan": "pro"}}, "other"),
        ({"email": None}, "other"),
        ({"email": "a@example.com", "attributes": {"plan": ""}}, "email, no plan"),
    ],
)
def test_attribute_known_and_all_conditions_of_a_rule(
    db: Database, contact: dict[str, Any], expected: str
) -> None:
    engine, _ = _engine()
    with db.transaction() as session:
        _set(session, KNOWN)
        conv = make_conversation(session, make_contact(session, **contact))
        assert _texts(engine.start(session, conv)) == [expected]


@pytest.mark.postgres
@pytest.mark.parametrize(("now", "expected"), [(OPEN, "in"), (CLOSED, "out")])
def test_office_hours_condition_with_open_false(db: Database, now: datetime, expected: str) -> None:
    engine, _ = _engine(now)
    doc = {
        "start": "route",
        "blocks": [
            {
                "id": "route",
                "type": "branch",
                "rules": [{"when": [{"type": "office_hours", "open": False}], "next": "out"}],
                "otherwise": "in",
            },
            {"id": "out", "type": "message", "text": "out; back {next_open}"},
            {"id": "in", "type": "message", "text": "in"},
        ],
    }
    with db.transaction() as session:
        do_set_product_setting(session, "office_hours", HOURS)
        _set(session, doc)
        conv = make_conversation(session)
        [message] = engine.start(session, conv)
    assert message.text.split(";")[0] == expected
    if expected == "out":
        assert message.text == "out; back Monday at 09:00 (Europe/Berlin)"


@pytest.mark.postgres
def test_yes_goes_to_on_resolved_when_set(db: Database) -> None:
    engine, _ = _engine()
    doc = {
        "start": "ai",
        "blocks": [
            {"id": "ai", "type": "ai", "on_resolved": "survey", "on_unresolved": "human"},
            {
                "id": "survey",
                "type": "collect",
                "field": "attribute",
                "attribute": "rating",
                "prompt": "How did we do (1-5)?",
                "pattern": "[1-5]",
                "next": "bye",
            },
            {"id": "bye", "type": "close", "text": "Thanks, {contact.name}!"},
            {"id": "human", "type": "handoff_freshchat"},
        ],
    }
    with db.transaction() as session:
        _set(session, doc)
        contact = make_contact(session, name="Ann")
        conv = make_conversation(session, contact)
        engine.start(session, conv)
        _say(engine, session, conv, text="refunds?")
        asked = _say(engine, session, conv, button_id="yes")
        assert conv.status == "open"
        assert asked[-1].input == {"field": "rating", "label": "rating"}
        assert _texts(_say(engine, session, conv, text="9"))[0].startswith("Sorry")
        assert _texts(_say(engine, session, conv, text="5")) == ["Thanks, Ann!"]
        assert conv.status == "resolved"
        assert get_contact(session, contact.id).attributes["rating"] == "5"


@pytest.mark.postgres
def test_confirm_off_answers_without_asking(db: Database) -> None:
    engine, _ = _engine()
    doc = {"start": "ai", "blocks": [{"id": "ai", "type": "ai", "confirm": False}]}
    with db.transaction() as session:
        _set(session, doc)
        conv = make_conversation(session)
        engine.start(session, conv)
        replies = _say(engine, session, conv, text="refunds?")
        assert _texts(replies) == ["Refunds take 5 business days."]
        assert replies[0].buttons == []
        assert conv.workflow_state["waiting"] is True and conv.workflow_state["buttons"] == []


@pytest.mark.postgres
def test_create_a_ticket_inside_office_hours(db: Database) -> None:
    engine, _ = _engine(OPEN)
    with db.transaction() as session:
        do_set_product_setting(session, "office_hours", HOURS)
        conv = make_conversation(session, make_contact(session, email="bo@example.com"))
        engine.start(session, conv)
        _say(engine, session, conv, text="refund?")
        _say(engine, session, conv, button_id="no")
        done = _say(engine, session, conv, button_id="ticket")
        assert conv.status == "ticketed" and conv.handed_off_to == "freshdesk"
        assert "ticket" in done[0].text and done[0].author == "system"


@pytest.mark.postgres
def test_collect_with_skip_if_known_off_asks_anyway(db: Database) -> None:
    engine, _ = _engine()
    doc = {
        "start": "name",
        "blocks": [
            {
                "id": "name",
                "type": "collect",
                "field": "name",
                "prompt": "What should we call you?",
                "skip_if_known": False,
                "next": "hi",
            },
            {"id": "hi", "type": "message", "text": "Hi {contact.name}"},
        ],
    }
    with db.transaction() as session:
        _set(session, doc)
        conv = make_conversation(session, make_contact(session, name="Ann"))
        asked = engine.start(session, conv)
        assert asked[0].input == {"field": "name", "label": "Your name"}
        assert _texts(_say(engine, session, conv, text="  Annie ")) == ["Hi Annie"]


# ---- handoff_freshdesk_ticket: the per-block "verify email first" ----------------------------


def _ticket_doc(verify_email: bool) -> dict[str, Any]:
    return {
        "start": "ticket",
        "blocks": [
            {"id": "ticket", "type": "handoff_freshdesk_ticket", "verify_email": verify_email}
        ],
    }


def _code_jobs(session: Session, conversation_id: str) -> list[Any]:
    from sqlalchemy import select

    from relaydesk.db.models.jobs import Job
    from relaydesk.security.handlers import OTP_JOB_KIND

    jobs = session.scalars(select(Job).where(Job.kind == OTP_JOB_KIND)).all()
    return [j for j in jobs if j.payload["conversation_id"] == conversation_id]


@pytest.mark.postgres
def test_verify_email_off_creates_the_ticket_with_the_typed_email(db: Database) -> None:
    engine, _ = _engine()
    with db.transaction() as session:
        _set(session, _ticket_doc(verify_email=False))
        conv = make_conversation(session, make_contact(session, email=None))
        engine.start(session, conv)
        _say(engine, session, conv, text="ann@example.com")
        assert conv.status == "ticketed"
        assert _code_jobs(session, conv.id) == []


@pytest.mark.postgres
def test_verify_email_on_asks_for_a_code_and_only_the_right_one_goes_on(db: Database) -> None:
    from relaydesk.security.actions import do_fill_code

    engine, _ = _engine()
    with db.transaction() as session:
        _set(session, _ticket_doc(verify_email=True))
        contact = make_contact(session, email=None)
        conv = make_conversation(session, contact)
        engine.start(session, conv)
        asked = _say(engine, session, conv, text="ann@example.com")
        assert asked[-1].input == {"field": "otp", "label": "6-digit code"}
        assert "ann@example.com" in asked[-1].text
        assert conv.status == "open"
        # The code's email job is written in the same transaction as the question.
        [job] = _code_jobs(session, conv.id)
        issued = do_fill_code(session, job.payload["code_id"])  # what the job does
        assert issued is not None
        wrong = "000000" if issued.code != "000000" else "111111"
        again = _say(engine, session, conv, text=wrong)
        assert "isn't right" in again[-1].text and conv.status == "open"
        done = _say(engine, session, conv, text=issued.code)
        assert _texts(done)[0] == "Thanks, your email is confirmed."
        assert conv.status == "ticketed"
        assert get_contact(session, contact.id).email_verified


@pytest.mark.postgres
def test_verify_email_on_skips_the_code_for_a_jwt_verified_email(db: Database) -> None:
    engine, _ = _engine()
    with db.transaction() as session:
        _set(session, _ticket_doc(verify_email=True))
        verified = make_contact(session, email="ann@example.com", verified=True, external_id="u1")
        conv = make_conversation(session, verified)
        done = engine.start(session, conv)
        assert conv.status == "ticketed"
        assert _code_jobs(session, conv.id) == []
        assert done[0].input is None


@pytest.mark.postgres
def test_a_workflow_handoff_writes_its_job_in_the_steps_transaction(db: Database) -> None:
    from sqlalchemy import select

    from relaydesk.conversations.queries import get_conversation
    from relaydesk.db.models.jobs import Job
    from relaydesk.jobs.handlers import HandlerSpec, registry

    async def deliver(ctx: Any, payload: dict[str, Any]) -> None:
        return None

    def handoff_jobs() -> list[Job]:
        with db.session() as session:
            return list(session.scalars(select(Job).where(Job.kind == "conversation.handed_off:t")))

    engine, _ = _engine(OPEN)
    with registry.temporary(HandlerSpec("conversation.handed_off", "t", deliver)):
        with db.transaction() as session:
            conv = make_conversation(session)
            conv_id = conv.id
            engine.start(session, conv)
            _say(engine, session, conv, text="a person please")
        # The step fails after the handoff: neither the status nor the job is kept.
        with pytest.raises(RuntimeError), db.transaction() as session:
            conv = get_conversation(session, conv_id)
            _say(engine, session, conv, button_id="human")
            assert conv.status == "with_agent"
            raise RuntimeError("the request failed after the step")
        assert handoff_jobs() == []
        with db.session() as session:
            assert get_conversation(session, conv_id).status == "open"
        with db.transaction() as session:
            conv = get_conversation(session, conv_id)
            _say(engine, session, conv, button_id="human")
        [job] = handoff_jobs()
        assert job.payload["conversation_id"] == conv_id
        assert job.payload["target"] == "freshchat"
        assert job.payload["reason"] == "the customer asked for a person"


LANGUAGE_ROUTE = {
    "start": "ai",
    "blocks": [
        {"id": "ai", "type": "ai", "on_unresolved": "route"},
        {
            "id": "route",
            "type": "branch",
            "rules": [{"when": [{"type": "language", "in": ["de"]}], "next": "german"}],
            "otherwise": "english",
        },
        {"id": "german", "type": "message", "text": "Deutsch"},
        {"id": "english", "type": "message", "text": "English"},
    ],
}


@pytest.mark.postgres
@pytest.mark.parametrize(
    ("declared", "question", "expected"),
    [
        (None, "einen human bitte", "Deutsch"),  # the widget sent none: the AI's detection
        (None, "a human please", "English"),
        ("de", "a human please", "Deutsch"),  # the page's language is kept
    ],
)
def test_a_language_branch_after_the_ai_uses_the_detected_language(
    db: Database, declared: str | None, question: str, expected: str
) -> None:
    engine, _ = _engine()
    with db.transaction() as session:
        _set(session, LANGUAGE_ROUTE)
        conv = make_conversation(session, language=declared)
        engine.start(session, conv)
        assert _texts(_say(engine, session, conv, text=question))[-1] == expected
        assert conv.language == ("de" if expected == "Deutsch" else "en")


@pytest.mark.postgres
def test_a_stored_document_that_no_longer_parses_runs_the_default(
    db: Database, caplog: pytest.LogCaptureFixture
) -> None:
    from relaydesk.db.base import utcnow
    from relaydesk.db.models.workflows import WorkflowRecord

    engine, _ = _engine()
    with db.transaction() as session:
        # As an older version might have stored it: an empty Yes label is refused now.
        session.add(
            WorkflowRecord(
                name="old",
                document={"start": "ai", "blocks": [{"id": "ai", "type": "ai", "yes_label": ""}]},
                active=True,
                created_at=utcnow(),
            )
        )
        session.flush()
        conv = make_conversation(session)
        first = engine.start(session, conv)
    assert "assistant" in first[0].text  # the default workflow's welcome
    assert "is no longer valid" in caplog.text


@pytest.mark.postgres
def test_a_reentry_block_that_is_not_ai_starts_again(db: Database) -> None:
    engine, responder = _engine()
    doc = {
        "start": "hello",
        "reentry": "again",
        "blocks": [
            {"id": "hello", "type": "message", "text": "Hello"},
            {"id": "again", "type": "message", "text": "Welcome back!", "next": "offer"},
            {
                "id": "offer",
                "type": "branch",
                "text": "What next?",
                "buttons": [{"id": "human", "label": "Human agent", "next": "human"}],
            },
            {"id": "human", "type": "handoff_freshchat"},
        ],
    }
    with db.transaction() as session:
        _set(session, doc)
        conv = make_conversation(session)
        assert _texts(engine.start(session, conv)) == ["Hello"]
        back = _say(engine, session, conv, text="hi again")
        assert _texts(back) == ["Welcome back!", "What next?"]
        assert back[-1].buttons == [{"id": "human", "label": "Human agent"}]
        _say(engine, session, conv, button_id="human")
        assert conv.status == "with_agent"
    assert responder.calls == []


@pytest.mark.postgres
def test_a_collected_number_matches_a_numeric_condition(db: Database) -> None:
    engine, _ = _engine()
    doc = {
        "start": "seats",
        "blocks": [
            {
                "id": "seats",
                "type": "collect",
                "field": "attribute",
                "attribute": "seats",
                "prompt": "How many seats?",
                "pattern": "[0-9]+",
                "next": "route",
            },
            {
                "id": "route",
                "type": "branch",
                "rules": [
                    {"when": [{"type": "attribute", "name": "seats", "equals": 5}], "next": "five"}
                ],
                "otherwise": "other",
            },
            {"id": "five", "type": "message", "text": "five"},
            {"id": "other", "type": "message", "text": "other"},
        ],
    }
    with db.transaction() as session:
        _set(session, doc)
        conv = make_conversation(session)
        engine.start(session, conv)
        assert _texts(_say(engine, session, conv, text="5")) == ["five"]


@pytest.mark.postgres
def test_no_without_an_escalation_path_is_answered_and_the_ai_goes_on(db: Database) -> None:
    engine, responder = _engine()
    doc = {"start": "ai", "blocks": [{"id": "ai", "type": "ai"}]}
    with db.transaction() as session:
        _set(session, doc)
        conv = make_conversation(session)
        engine.start(session, conv)
        _say(engine, session, conv, text="refunds?")
        sorry = _say(engine, session, conv, button_id="no")
        assert _texts(sorry) == [
            "Sorry that didn't help. Could you tell me a bit more, or ask in another way?"
        ]
        assert conv.status == "open"
        again = _say(engine, session, conv, text="refunds for gift cards?")
        assert _texts(again)[-1] == "Did that answer your question?"
    assert len(responder.calls) == 2


@pytest.mark.postgres
def test_the_default_is_installed_once_and_never_over_a_workflow_that_was_set(
    db: Database,
) -> None:
    from relaydesk.workflows.queries import find_active_workflow

    with db.transaction() as session:
        first = do_install_default_workflow(session)
        assert first is not None and first.name == "default"
        assert do_install_default_workflow(session) is None
        _set(session, COLLECT)
        assert do_install_default_workflow(session) is None
        active = find_active_workflow(session)
        assert active is not None and active.document["start"] == "email"


@pytest.mark.postgres
def test_an_answer_is_said_as_written_placeholders_only_fill_the_workflows_texts(
    db: Database,
) -> None:
    engine, _ = _engine()
    with db.transaction() as session:
        conv = make_conversation(session, make_contact(session, name="Ann"))
        engine.start(session, conv)
        replies = _say(engine, session, conv, text="how do greeting templates work?")
        assert replies[0].text == "Write {contact.name} in the greeting field."
