"""Password hashing with Argon2id (argon2-cffi, the OWASP-recommended KDF)."""

from __future__ import annotations

from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

__all__ = ["hash_password", "needs_rehash", "verify_password"]

# argon2-cffi's defaults follow RFC 9106's low-memory profile (64 MiB, 3 passes).
_HASHER = PasswordHasher()


@cache
def _dummy() -> str:
    """Verified when the email is unknown, so a wrong address costs as long as a wrong
    password. Made on first use: hashing at import would slow every CLI command."""
    return _HASHER.hash("not a real password")


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    try:
        return _HASHER.verify(stored or _dummy(), password) and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _HASHER.check_needs_rehash(stored)
