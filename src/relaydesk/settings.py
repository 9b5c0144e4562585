"""The one settings registry: every infrastructure setting, read from ``RELAYDESK_*``.

Product settings (Freshworks credentials, deploy rules, the workflow) are database rows,
not settings; they are changed through the CLI and the admin API.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """relaydesk's infrastructure settings; each is also ``RELAYDESK_<NAME>`` in the environment."""

    model_config = SettingsConfigDict(env_prefix="RELAYDESK_", extra="ignore")

    data_dir: Path = Field(
        default=Path("./relaydesk-data"),
        description="Folder for the SQLite database, the secret key and other local state.",
    )
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the database; default: SQLite file relaydesk.db in the data dir.",
    )
    redis_url: str | None = Field(
        default=None,
        description="Redis URL for real-time fan-out between several API replicas; default: in-process.",
    )
    identity_secret: SecretStr | None = Field(
        default=None,
        description="The messenger's identity secret: the HS256 key a site signs visitor JWTs with.",
    )
    identity_secret_previous: SecretStr | None = Field(
        default=None,
        description="The previous identity secret, still accepted while a rotation is under way.",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Fernet key that encrypts secrets at rest; default: generated once into the data dir.",
    )
    env: Literal["dev", "prod"] = Field(
        default="dev", description="dev or prod; prod refuses placeholder secrets."
    )
    log_level: str = Field(default="INFO", description="Log level of the process log.")
    log_json: bool = Field(default=False, description="Write the process log as JSON lines.")
    public_url: str | None = Field(
        default=None,
        description="The address visitors and Freshworks reach relaydesk at (for webhook URLs).",
    )
    smtp_host: str | None = Field(default=None, description="SMTP server for one-time codes.")
    smtp_port: int = Field(default=25, description="SMTP server port.")
    smtp_from: str = Field(
        default="relaydesk@localhost", description="Sender address of one-time-code emails."
    )
    smtp_user: str | None = Field(
        default=None, description="SMTP user name, if the server needs one."
    )
    smtp_password: SecretStr | None = Field(default=None, description="SMTP password.")
    smtp_tls: Literal["none", "starttls", "tls"] = Field(
        default="none", description="SMTP transport security: none, starttls or tls."
    )
    llm_base_url: str | None = Field(
        default=None,
        description="OpenAI-compatible chat endpoint for generative answers; unset: extractive only.",
    )
    llm_api_key: SecretStr | None = Field(default=None, description="API key of the LLM endpoint.")
    llm_model: str = Field(
        default="gpt-4o-mini", description="Model name sent to the LLM endpoint."
    )
    llm_timeout: float = Field(default=15.0, description="Seconds to wait for the LLM endpoint.")
    embedding_backend: Literal["minilm", "minilm-onnx", "minilm-numpy", "minilm+use", "hashing"] = (
        Field(
            default="minilm",
            description=(
                "Sentence embedder: minilm (the packaged model, on onnxruntime when it passes its"
                " parity check, else numpy), minilm-onnx / minilm-numpy (force one runtime; same"
                " vectors), minilm+use (adds the multilingual USE model, extra 'multilingual') or"
                " hashing (tests, no model)."
            ),
        )
    )
    worker_enabled: bool = Field(
        default=True, description="Run the in-process job worker inside `relaydesk serve`."
    )
    job_max_attempts: int = Field(
        default=12,
        description=(
            "Tries of a delivery job before it is dead-lettered (a remote that is down or rate"
            " limiting is retried for RELAYDESK_JOB_RETRY_WINDOW_SECONDS, however many tries)."
        ),
    )
    job_retry_window_seconds: float = Field(
        default=86400.0,
        ge=0,
        description=(
            "How long after a job was queued a remote outage (5xx, timeout, 429) is still"
            " retried past RELAYDESK_JOB_MAX_ATTEMPTS before the job is dead-lettered."
        ),
    )
    http_timeout_seconds: float = Field(
        default=15.0, gt=0, description="Seconds to wait for an answer from a Freshworks API."
    )
    job_backoff_base_seconds: float = Field(
        default=1.0,
        gt=0,
        description="First retry waits up to this many seconds; each later one doubles (jitter).",
    )
    job_backoff_cap_seconds: float = Field(
        default=300.0, gt=0, description="Longest wait between two tries of a job (seconds)."
    )
    messenger_messages_per_minute: int = Field(
        default=30,
        description="Messages a visitor token may send per minute (429 beyond); 0: no limit.",
    )
    messenger_sessions_per_minute: int = Field(
        default=300,
        description="New anonymous visitor sessions per minute per client address; 0: no limit.",
    )
    web_threads: int = Field(
        default=8,
        ge=1,
        le=256,
        description=(
            "Threads that run the HTTP API's database and AI work. More than a few per core "
            "only makes them take turns (measured in docs/benchmarks.md)."
        ),
    )

    @field_validator("data_dir")
    @classmethod
    def _expand(cls, value: Path) -> Path:
        return value.expanduser()

    @property
    def resolved_database_url(self) -> str:
        """Return the database URL, defaulting to the SQLite file in the data dir."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'relaydesk.db').resolve()}"

    def ensure_data_dir(self) -> Path:
        """Create the data dir if needed and return it."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir
