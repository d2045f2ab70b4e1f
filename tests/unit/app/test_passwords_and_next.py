import pytest

from app.services.accounts.passwords import hash_password, needs_rehash, verify_password
from app.web.auth.views import safe_next


def test_argon2id_hash_verifies_only_the_right_password():
    hashed = hash_password("correct horse battery")

    assert hashed.startswith("$argon2id$v=19$m=47104,t=2,p=1$")
    assert verify_password(hashed, "correct horse battery") is True
    assert verify_password(hashed, "wrong") is False
    assert verify_password("not a hash", "x") is False
    assert needs_rehash(hashed) is False


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/council/?area=3", "/council/?area=3"),
        ("//evil.example", None),
        ("https://evil.example", None),
        ("/\\evil", None),
        ("council", None),
        (None, None),
        ("/x\nSet-Cookie: a=b", None),
    ],
)
def test_safe_next(target, expected):
    assert safe_next(target) == expected
