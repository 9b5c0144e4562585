"""Freshchat-style webhook signatures: RSA PKCS#1 v1.5 with SHA-256 over the raw body, base64.

The public key is shown the way Freshchat's admin page shows it: an ``RSA PUBLIC KEY`` label
around a base64 X.509 SubjectPublicKeyInfo body (not PKCS#1, whatever the label says).
"""

from __future__ import annotations

import base64
import textwrap
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

SIGNATURE_HEADER = "X-Freshchat-Signature"


@dataclass(frozen=True)
class WebhookSigner:
    """An RSA key pair that signs webhook bodies."""

    private_key: rsa.RSAPrivateKey

    @classmethod
    def generate(cls) -> WebhookSigner:
        """Make a new 2048-bit key pair."""
        return cls(rsa.generate_private_key(public_exponent=65537, key_size=2048))

    @property
    def public_key_pem(self) -> str:
        """Return the public key exactly as Freshchat's webhook settings page shows it."""
        der = self.private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        body = "\n".join(textwrap.wrap(base64.b64encode(der).decode("ascii"), 64))
        return f"-----BEGIN RSA PUBLIC KEY-----\n{body}\n-----END RSA PUBLIC KEY-----\n"

    def sign(self, body: bytes) -> str:
        """Return the base64 RSA-SHA256 signature of body, as sent in the signature header."""
        signature = self.private_key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(signature).decode("ascii")
