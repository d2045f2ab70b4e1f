"""Password hashing with argon2id at OWASP-recommended parameters."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# OWASP (2023): argon2id with m ≥ 19 MiB, t ≥ 2, p = 1; we use more memory than the minimum.
_hasher = PasswordHasher(time_cost=2, memory_cost=47_104, parallelism=1)

MIN_PASSWORD_LENGTH = 12


def hash_password(password: str) -> str:
    """Return an argon2id hash of the password."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Return True when the password matches the hash."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Return True when the hash was made with weaker parameters than today's."""
    return _hasher.check_needs_rehash(password_hash)


# A hash to verify against when the email is unknown, so timing does not reveal accounts.
DUMMY_HASH = hash_password("not-a-real-password-for-timing")
