"""The Swedish catalogue is complete and every translation keeps its placeholders."""

from pathlib import Path

from babel.messages.pofile import read_po

CATALOGUE = Path(__file__).resolve().parents[3] / "app/translations/sv/LC_MESSAGES/messages.po"


def _catalogue():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle, locale="sv")


def test_every_message_has_a_swedish_translation():
    missing = [message.id for message in _catalogue() if message.id and not message.string]

    assert missing == []


def test_no_translation_breaks_its_placeholders():
    problems = [
        (message.id, [str(error) for error in errors])
        for message, errors in _catalogue().check()
        if errors
    ]

    assert problems == []
