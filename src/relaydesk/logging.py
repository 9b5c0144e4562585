"""Process logging: configured once by the CLI or ``create_app``, with secrets redacted."""

from __future__ import annotations

import json
import logging
import re
import sys
from typing import Any

_SECRET_KEYS = re.compile(
    r"(?i)(api[_-]?key|token|authorization|password|secret)(\"?\s*[:=]\s*\"?)([^\s\",&]+)"
)
_STANDARD_ATTRS = set(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


def redact(text: str) -> str:
    """Mask the values of api_key/token/authorization/password/secret pairs in text."""
    return _SECRET_KEYS.sub(lambda m: f"{m.group(1)}{m.group(2)}***", text)


class RedactingFilter(logging.Filter):
    """Mask secrets in a record's message and in its ``extra`` fields."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(str(record.msg))
        if record.args:
            record.args = tuple(
                redact(a) if isinstance(a, str) else a for a in _as_tuple(record.args)
            )
        for key, value in list(vars(record).items()):
            if key in _STANDARD_ATTRS:
                continue
            if _SECRET_KEYS.fullmatch(f"{key}=x") or key.lower() in {"api_key", "token"}:
                setattr(record, key, "***")
            elif isinstance(value, str):
                setattr(record, key, redact(value))
        return True


def _as_tuple(args: Any) -> tuple[Any, ...]:
    return args if isinstance(args, tuple) else (args,)


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        body: dict[str, Any] = {
            "time": self.formatTime(record),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD_ATTRS:
                body[key] = value if isinstance(value, (int, float, bool)) else str(value)
        return json.dumps(body)


class _TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        base = super().format(record)
        extras = {k: v for k, v in vars(record).items() if k not in _STANDARD_ATTRS}
        if extras:
            base += " " + " ".join(f"{k}={v}" for k, v in extras.items())
        return base


def configure_logging(level: str = "INFO", *, json_lines: bool = False) -> None:
    """Send relaydesk's logs to stderr, redacted; call once per process."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    if json_lines:
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(_TextFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("relaydesk")
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    root.propagate = False
