"""A test signer shaped like Freshchat's (the sandbox has the product one)."""

from __future__ import annotations

import base64
import textwrap
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


@dataclass(frozen=True)
class WebhookSigner:
    private_key: rsa.RSAPrivateKey

    @classmethod
    def generate(cls) -> WebhookSigner:
        return cls(rsa.generate_private_key(public_exponent=65537, key_size=2048))

    @property
    def public_key_pem(self) -> str:
        der = self.private_key.public_key().public_bytes(
            serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        body = "\n".join(textwrap.wrap(base64.b64encode(der).decode("ascii"), 64))
        return f"-----BEGIN RSA PUBLIC KEY-----\n{body}\n-----END RSA PUBLIC KEY-----\n"

    def sign(self, body: bytes) -> str:
        sig = self.private_key.sign(body, padding.PKCS1v15(), hashes.SHA256())
        return base64.b64encode(sig).decode("ascii")
