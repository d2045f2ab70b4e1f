"""Phone numbers as people write them become tel: links a phone can dial."""

from __future__ import annotations

import pytest

from app.web.contact_links import phone_uri


@pytest.mark.parametrize(
    ("written", "uri"),
    [
        ("010-242 00 00", "0102420000"),
        ("+46 (0)10 242 00 00", "+46102420000"),
        ("+46 10-242 00 00", "+46102420000"),
        ("036 - 32 40 00 vx", "036324000"),
        ("", ""),
    ],
)
def test_a_written_number_keeps_its_digits_and_a_leading_plus(written, uri):
    assert phone_uri(written) == uri
