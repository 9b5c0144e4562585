"""Secrets at rest: Fernet encryption with a key from the settings or the data dir."""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from relaydesk.errors import RelaydeskError
from relaydesk.settings import Settings

KEY_FILE = "secret.key"


class SecretBox:
    """Encrypt and decrypt short secrets (API keys) for storage in the database."""

    def __init__(self, key: bytes) -> None:
        self._fernet = Fernet(key)

    def encrypt(self, plaintext: str) -> str:
        """Return the encrypted form of plaintext, as text."""
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, token: str) -> str:
        """Return the plaintext of an encrypted secret; raise if the key does not fit."""
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise RelaydeskError(
                "a stored secret cannot be decrypted: RELAYDESK_SECRET_KEY changed?"
            ) from exc


def load_secret_box(settings: Settings) -> SecretBox:
    """Return the SecretBox for settings, creating the data dir's key file on first use."""
    if settings.secret_key is not None:
        return SecretBox(settings.secret_key.get_secret_value().encode())
    path = Path(settings.ensure_data_dir()) / KEY_FILE
    if not path.exists():
        key = Fernet.generate_key()
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
    return SecretBox(path.read_bytes().strip())


def new_token(prefix: str) -> str:
    """Return a new random bearer token, with a readable prefix."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def hash_token(token: str) -> str:
    """Return the SHA-256 hex digest under which a token is stored."""
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_equal(a: str, b: str) -> bool:
    """Compare two strings in constant time."""
    return hmac.compare_digest(a.encode(), b.encode())
