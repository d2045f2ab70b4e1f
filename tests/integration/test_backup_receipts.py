"""Receipts travel with ``levbib backup``/``restore`` and the council opens them from the claim
it attests; every read by someone other than the member is audited (docs/domain.md §9)."""

from __future__ import annotations

import shutil

import pytest
from sqlmodel import Session, select

from app import create_app
from app.config import receipt_folder
from app.db import make_engine
from app.models import AuditEvent, ClaimReceipt, User
from app.models.enums import Role
from app.services.compensation.claim_flow import save_claim
from app.services.compensation.claims import ClaimInput, open_claim
from app.services.compensation.receipts import add_receipt
from tests.compensation_support import STOCKHOLM, booked_assignment
from tests.conftest import login
from tests.databases import BACKENDS, fresh_database, missing_part
from tests.factories import Factory

#: A small but real PDF header with bytes that a text mode copy would damage.
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>> endobj\r\n\x00\xff trailer\n%%EOF\n"


def submitted_claim_with_receipt(factory, session, folder, data=PDF):
    """Return (claim, member, orderer, receipt): a submitted claim with one receipt attached."""
    assignment, member, orderer = booked_assignment(factory)
    claim = open_claim(session=session, member=member, assignment_id=assignment.id, zone=STOCKHOLM)
    receipt = add_receipt(
        session=session,
        member=member,
        claim_id=claim.id,
        filename="biljett.pdf",
        data=data,
        folder=folder,
    )
    save_claim(
        session=session,
        member=member,
        claim_id=claim.id,
        submit=True,
        data=ClaimInput(ticket_cost_sek=120, note="Tåg Jönköping–Värnamo"),
    )
    return claim, member, orderer, receipt


# --- backup and restore --------------------------------------------------------------------


def _require_pg_tools(backend: str) -> None:
    if backend == "postgresql" and not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        missing_part("pg_dump/pg_restore are missing: apt-get install postgresql-client")


@pytest.mark.parametrize("backend", BACKENDS)
def test_backup_wipe_restore_brings_the_receipt_back_byte_identical(backend, tmp_path):
    _require_pg_tools(backend)
    backup, folder = tmp_path / "levbib.backup", tmp_path / "receipts"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with fresh_database(backend, tmp_path / "a") as source_url:
        engine = make_engine(source_url)
        with Session(engine) as session:
            *_, receipt = submitted_claim_with_receipt(Factory(session), session, folder)
            stored_name = receipt.stored_name
            session.commit()
        engine.dispose()
        source = create_app(
            {"DATABASE_URL": source_url, "TESTING": True, "RECEIPT_FOLDER": str(folder)}
        )
        made = source.test_cli_runner().invoke(args=["backup", str(backup)])
        source.extensions["db_engine"].dispose()
    shutil.rmtree(folder)  # the server is lost: database and receipt folder both gone
    with fresh_database(backend, tmp_path / "b", migrate=False) as target_url:
        target = create_app(
            {"DATABASE_URL": target_url, "TESTING": True, "RECEIPT_FOLDER": str(folder)}
        )
        restored = target.test_cli_runner().invoke(args=["restore", "--yes", str(backup)])
        target.extensions["db_engine"].dispose()
        engine = make_engine(target_url)
        with Session(engine) as session:
            names = session.exec(select(ClaimReceipt.stored_name)).all()
        engine.dispose()

    assert (made.exit_code, restored.exit_code) == (0, 0), made.output + restored.output
    assert "1 receipt files" in made.output and "1 receipt files" in restored.output
    assert names == [stored_name]
    assert (folder / stored_name).read_bytes() == PDF


def test_restore_still_takes_a_bare_database_copy(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    with fresh_database("sqlite", tmp_path) as source_url:
        from app.backup import backup_database

        bare = backup_database(source_url, tmp_path / "old.backup")
    app = create_app({"DATABASE_URL": url, "TESTING": True, "RECEIPT_FOLDER": str(tmp_path)})

    result = app.test_cli_runner().invoke(args=["restore", "--yes", str(bare)])

    assert result.exit_code == 0, result.output
    assert "(0 receipt files)" in result.output


# --- the council opens the receipt ---------------------------------------------------------


@pytest.fixture
def app_config(app_config, tmp_path):
    return {**app_config, "RECEIPT_FOLDER": str(tmp_path / "receipts")}


@pytest.fixture
def arranged(app, factory, db_session):
    claim, member, orderer, receipt = submitted_claim_with_receipt(
        factory, db_session, receipt_folder(app.config)
    )
    return claim, member, orderer, receipt


def client_for(app, user: User):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    return client


def reads(db_session, receipt) -> list[tuple]:
    db_session.expire_all()
    events = db_session.exec(
        select(AuditEvent).where(
            AuditEvent.action == "claim.receipt.read", AuditEvent.subject_id == receipt.id
        )
    )
    return [(e.actor_id, e.subject_type, e.detail) for e in events]


def test_council_opens_the_receipt_from_the_attestation_page_and_the_read_is_audited(
    app, factory, db_session, arranged
):
    claim, member, _, receipt = arranged
    council = factory.user(Role.COUNCIL)
    client = client_for(app, council)

    page = client.get("/compensation/review").get_data(as_text=True)
    response = client.get(f"/compensation/receipts/{receipt.id}")

    assert f'href="/compensation/receipts/{receipt.id}"' in page
    assert ">biljett.pdf</a>" in page
    assert (response.status_code, response.mimetype, response.data) == (
        200,
        "application/pdf",
        PDF,
    )
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="receipt-{receipt.id}.pdf"'
    )
    assert reads(db_session, receipt) == [
        (council.id, "claim_receipt", {"claim_id": claim.id, "member_id": member.id})
    ]


def test_admin_opens_the_receipt_and_the_read_is_audited(app, factory, db_session, arranged):
    *_, receipt = arranged
    admin = factory.user(Role.ADMIN)

    response = client_for(app, admin).get(f"/compensation/receipts/{receipt.id}")

    assert (response.status_code, response.data) == (200, PDF)
    assert [actor for actor, _, _ in reads(db_session, receipt)] == [admin.id]


def test_the_owning_member_opens_it_without_an_audit_row(app, factory, db_session, arranged):
    _, member, _, receipt = arranged
    client = client_for(app, db_session.get(User, member.user_id))

    response = client.get(f"/compensation/receipts/{receipt.id}")

    assert (response.status_code, response.data) == (200, PDF)
    assert reads(db_session, receipt) == []


def test_orderer_and_other_member_cannot_open_it(app, factory, db_session, arranged):
    _, _, orderer, receipt = arranged
    other = factory.user(Role.MEMBER)
    factory.member(user=other)

    as_orderer = client_for(app, orderer).get(f"/compensation/receipts/{receipt.id}")
    as_other = client_for(app, other).get(f"/compensation/receipts/{receipt.id}")

    assert (as_orderer.status_code, as_other.status_code) == (403, 404)
    assert PDF not in as_orderer.data + as_other.data
    assert reads(db_session, receipt) == []


def test_a_missing_receipt_or_file_is_not_found(app, factory, db_session, arranged):
    *_, receipt = arranged
    client = client_for(app, factory.user(Role.COUNCIL))
    (receipt_folder(app.config) / receipt.stored_name).unlink()

    gone_file = client.get(f"/compensation/receipts/{receipt.id}")
    no_row = client.get(f"/compensation/receipts/{receipt.id + 1000}")

    assert (gone_file.status_code, no_row.status_code) == (404, 404)
    assert reads(db_session, receipt) == []
