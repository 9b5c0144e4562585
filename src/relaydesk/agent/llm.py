"""Optional generative answers through any OpenAI-compatible chat endpoint.

The model sees only the retrieved passages, numbered, and must cite them (``[1]``). The
answer is accepted only when it cites at least one given passage and no other number;
anything else (an error status, a timeout, malformed JSON, ``NO_ANSWER``, an uncited or
wrongly cited answer) returns ``None`` and the agent keeps its extractive answer.

Works with OpenAI, vLLM, Ollama, llama.cpp's server: ``llm_base_url`` is the API base
(``http://127.0.0.1:8080/v1``); ``/chat/completions`` is added to it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import httpx
from pydantic import SecretStr

from relaydesk.agent.reply import Source

if TYPE_CHECKING:
    import jinja2

    from relaydesk.knowledge import ArticleHit, PassageHit
    from relaydesk.settings import Settings

log = logging.getLogger(__name__)

#: Passages shown to the model.
MAX_PASSAGES = 5
#: Tokens the model may generate.
MAX_TOKENS = 400

_CITATION = re.compile(r"\[(\d{1,2})\]")
_NO_ANSWER = "NO_ANSWER"


@dataclass(frozen=True)
class GeneratedAnswer:
    """A model's answer, the passage numbers it cited, and the cited articles (first cited first)."""

    text: str
    citations: tuple[int, ...]
    sources: tuple[Source, ...]


@lru_cache(maxsize=1)
def _templates() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("relaydesk.agent", "prompts"),
        autoescape=False,  # plain-text prompts, never HTML
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def chat_completions_url(base_url: str) -> str:
    """Return the chat-completions URL for an API base URL."""
    base = base_url.rstrip("/")
    if base.endswith("/chat/completions"):
        return base
    if not re.search(r"/v\d+$", base):
        base += "/v1"
    return base + "/chat/completions"


def pick_passages(hits: Sequence[ArticleHit], limit: int = MAX_PASSAGES) -> list[PassageHit]:
    """Return the passages to show the model: the best article's, then the others' best."""
    if not hits:
        return []
    chosen = list(hits[0].passages)
    for hit in hits[1:]:
        chosen.extend(hit.passages[:1])
    chosen.sort(key=lambda p: p.score, reverse=True)
    return chosen[:limit]


def build_messages(
    question: str, passages: Sequence[PassageHit], language: str
) -> list[dict[str, str]]:
    """Return the chat messages (system + user) for question over passages."""
    from relaydesk.knowledge.chunking import plain_text

    env = _templates()
    shown = [
        {
            "title": p.title,
            "section": " > ".join(h for h in p.heading_path[1:] if h),
            "text": plain_text(p.text),
        }
        for p in passages
    ]
    return [
        {
            "role": "system",
            "content": env.get_template("answer_system.j2").render(language=language).strip(),
        },
        {
            "role": "user",
            "content": env.get_template("answer_user.j2")
            .render(passages=shown, question=question)
            .strip(),
        },
    ]


def parse_answer(content: str, passages: Sequence[PassageHit]) -> GeneratedAnswer | None:
    """Return the answer if it cites only given passages (at least one), else None."""
    text = content.strip()
    if not text or _NO_ANSWER in text:
        return None
    numbers = [int(n) for n in _CITATION.findall(text)]
    if not numbers or any(n < 1 or n > len(passages) for n in numbers):
        return None
    citations = tuple(dict.fromkeys(numbers))
    sources: list[Source] = []
    seen: set[str] = set()
    for n in citations:
        passage = passages[n - 1]
        if passage.slug not in seen:
            seen.add(passage.slug)
            sources.append(Source(passage.slug, passage.title, passage.url, passage.score))
    return GeneratedAnswer(text, citations, tuple(sources))


class LLMClient:
    """A small synchronous client of an OpenAI-compatible ``/chat/completions`` endpoint."""

    def __init__(
        self,
        base_url: str,
        *,
        model: str,
        api_key: str | None = None,
        timeout: float = 15.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.url = chat_completions_url(base_url)
        self.model = model
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._http = httpx.Client(timeout=timeout, headers=headers, transport=transport)

    @classmethod
    def from_settings(cls, settings: Settings) -> LLMClient:
        """Build the client from the llm_* settings (llm_base_url must be set)."""
        if not settings.llm_base_url:
            raise ValueError("llm_base_url is not set")
        secret = settings.llm_api_key
        key = secret.get_secret_value() if isinstance(secret, SecretStr) else secret
        return cls(
            settings.llm_base_url,
            model=settings.llm_model,
            api_key=key,
            timeout=settings.llm_timeout,
        )

    def close(self) -> None:
        """Close the HTTP connections."""
        self._http.close()

    def complete(self, messages: list[dict[str, str]]) -> str | None:
        """Return the model's reply to messages, or None when the endpoint fails."""
        body: dict[str, Any] = {
            "model": self.model,
            "messages": messages,
            "temperature": 0,
            "max_tokens": MAX_TOKENS,
        }
        try:
            response = self._http.post(self.url, json=body)
        except httpx.HTTPError as exc:
            log.warning("LLM endpoint unreachable: %s", type(exc).__name__)
            return None
        if response.status_code >= 400:
            log.warning("LLM endpoint answered %s", response.status_code)
            return None
        try:
            content = response.json()["choices"][0]["message"]["content"]
        except (ValueError, KeyError, IndexError, TypeError):
            log.warning("LLM endpoint answered malformed JSON")
            return None
        return content if isinstance(content, str) else None

    def answer(
        self, question: str, hits: Sequence[ArticleHit], *, language: str = "en"
    ) -> GeneratedAnswer | None:
        """Return a cited answer to question from hits' passages, or None to fall back."""
        passages = pick_passages(hits)
        if not passages:
            return None
        content = self.complete(build_messages(question, passages, language))
        if content is None:
            return None
        generated = parse_answer(content, passages)
        if generated is None:
            log.info("LLM answer rejected: no valid citation")
        return generated
