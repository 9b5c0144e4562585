"""Security primitives: secrets at rest, token hashing, passwords, JWTs, signatures."""
