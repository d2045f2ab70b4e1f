"""Needs and material (issue 19, point 5): members' needs, the orderer's view of them, material
sent to the people booked, its download by role, and the reminder when material is late."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime, time

import pytest
import time_machine
from sqlmodel import select

from app import create_app
from app.config import material_folder
from app.jobs.definitions import execute_job
from app.models import AuditEvent, Experience, Member, RequestEvent, RequestMaterial
from app.models.enums import Role
from app.services.booking.invitation_mail import queue_booked_mail
from app.services.journey.materials import MAX_MATERIAL_BYTES, MaterialInput, add_material
from tests.clock_support import STOCKHOLM
from tests.conftest import PUBLIC_BASE_URL, login
from tests.pool_support import _use_english, signed_in, signed_in_member
from tests.recruitment_support import applicant_in_pipeline
from tests.scheduling_support import CTX, booked_request, outbox

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n"


def _client(app, user):
    client = app.test_client()
    assert login(client, user.email).status_code == 302
    _use_english(client)
    return client


def _docx(folder: str = "word/") -> bytes:
    """A minimal Word file, the same bytes on every call (fixed entry times).

    ``writestr`` with a bare name stamps the current time, so two calls across a
    two-second boundary differed and the stored-bytes comparison failed at random.
    """
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, text in (
            ("[Content_Types].xml", "<Types/>"),
            (folder + "document.xml", "<document/>"),
        ):
            archive.writestr(zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0)), text)
    return buffer.getvalue()


def _needs_section(html: str) -> str:
    match = re.search(r'<section[^>]*id="needs-section".*?</section>', html, re.S)
    return match.group(0) if match else ""


# --- Needs -----------------------------------------------------------------------------------


def test_a_member_records_her_needs_and_the_change_is_audited(csrf_free_app, factory, db_session):
    client, user, member = signed_in_member(csrf_free_app, factory)

    answer = client.post(
        "/me/needs",
        data={"needs": ["step_free", "hearing_loop"], "needs_note": "  Behöver pauser  "},
    )

    db_session.refresh(member)
    assert answer.status_code == 302
    assert (member.needs, member.needs_note) == (["hearing_loop", "step_free"], "Behöver pauser")
    page = client.get("/me/needs").get_data(as_text=True)
    assert re.search(r'value="hearing_loop"[^>]*checked|checked[^>]*value="hearing_loop"', page)
    actions = db_session.exec(
        select(AuditEvent.action).where(
            AuditEvent.subject_type == "member", AuditEvent.subject_id == member.id
        )
    ).all()
    assert actions == ["member.needs.updated"]


def test_a_need_not_on_the_list_is_refused(csrf_free_app, factory, db_session):
    client, _user, member = signed_in_member(csrf_free_app, factory, needs=["companion"])

    answer = client.post("/me/needs", data={"needs": ["wheelchair"], "needs_note": ""})

    db_session.refresh(member)
    assert answer.status_code == 422
    assert member.needs == ["companion"]


def test_the_council_edits_a_members_needs_on_the_member_form(csrf_free_app, factory, db_session):
    client, _user = signed_in(csrf_free_app, factory, Role.COUNCIL)
    member = factory.member(first_name="Eva", needs=["interpreter"])
    form = {
        "first_name": "Eva",
        "last_name": member.last_name,
        "birth_year": "1970",
        "gender": "woman",
        "pool": "levande_bibliotek",
        "mandate": "self",
        "mandate_organisation_id": "0",
        "languages": ["sv"],
        "max_per_month": "2",
        "is_onsite_ok": "y",
        "needs": ["easy_read"],
        "needs_note": "Tolk på arabiska",
    }

    shown = client.get(f"/council/members/{member.id}/edit").get_data(as_text=True)
    answer = client.post(f"/council/members/{member.id}/edit", data=form)

    db_session.refresh(member)
    assert re.search(r'checked[^>]*value="interpreter"|value="interpreter"[^>]*checked', shown)
    assert answer.status_code == 302
    assert (member.needs, member.needs_note) == (["easy_read"], "Tolk på arabiska")
    detail = client.get(f"/council/members/{member.id}").get_data(as_text=True)
    assert "Texts in easy Swedish" in detail and "Tolk på arabiska" in detail


def test_activation_copies_the_applicants_needs_to_the_member(csrf_free_app, factory, db_session):
    client, _user = signed_in(csrf_free_app, factory, Role.COUNCIL)
    applicant = applicant_in_pipeline(
        factory, need_codes=("companion", "interpreter"), needs="Tolk på arabiska"
    )

    for step in ("conversation_booked", "introduction", "agreement_signed", "active"):
        data = {"status": step, "reason": "Tisdag 10.00"}
        assert (
            client.post(f"/council/recruitment/{applicant.id}/move", data=data).status_code == 302
        )

    db_session.refresh(applicant)
    member = db_session.get(Member, applicant.member_id)
    assert (member.needs, member.needs_note) == (["interpreter", "companion"], "Tolk på arabiska")


def _booked_with_needs(factory):
    """A booked request (area cancer) of two people; one with needs and a private experience."""
    request, item, members, orderer = booked_request(factory, people=2)
    first, second = members
    first.needs, first.needs_note = ["hearing_loop"], "Sitter gärna nära dörren"
    factory.session.add(first)
    for member, code in ((first, "psykiatri/ångest"), (first, "cancer"), (second, "cancer")):
        area = factory.area(code)
        factory.session.add(Experience(member_id=member.id, area_id=area.id, type="own"))
    withdrawn = factory.member(first_name="Wilma", needs=["interpreter"], needs_note="Tolk")
    factory.assignment(withdrawn, request, status="withdrawn")
    factory.session.flush()
    return request, members, orderer


def test_the_orderer_sees_the_needs_of_the_booked_only_and_no_experience(
    csrf_free_app, factory, db_session
):
    request, members, orderer = _booked_with_needs(factory)
    client = _client(csrf_free_app, orderer)

    page = client.get(f"/orders/{request.id}").get_data(as_text=True)

    section = _needs_section(page)
    assert "Person0" in section and "Hearing loop" in section
    assert "Sitter gärna nära dörren" in section
    assert "Person1" not in section  # booked, but without needs
    assert "Wilma" not in page and "Tolk" not in page  # not booked any more
    assert "Ångest" not in page  # an area outside the request is never shown
    assert "Cancer" not in section  # the needs never sit beside an experience
    assert "arrange" in section


def test_the_booked_mail_to_the_orderer_lists_needs_without_experiences(factory, db_session):
    request, _members, _orderer = _booked_with_needs(factory)

    queue_booked_mail(session=db_session, ctx=CTX, booking_request=request)

    mail = outbox(db_session, kind="mail")[-1]
    assert "To arrange before the meeting:" in mail.body
    assert "- Person0: Hearing loop; Sitter gärna nära dörren" in mail.body
    assert "Ångest" not in mail.body and "Wilma" not in mail.body


# --- Material --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("virus.exe", b"MZ\x90\x00", "Attach a PDF, Word, Excel"),
        ("program.pdf", b"not a pdf at all", "Attach a PDF, Word, Excel"),
        ("lista.docx", _docx("xl/"), "Attach a PDF, Word, Excel"),
        ("stor.pdf", PDF + b"0" * MAX_MATERIAL_BYTES, "at most 10 MB"),
    ],
)
def test_material_of_a_wrong_type_or_too_big_is_refused_with_a_message(
    csrf_free_app, factory, db_session, name, data, message
):
    request, _item, _members, orderer = booked_request(factory)
    client = _client(csrf_free_app, orderer)

    answer = client.post(
        f"/orders/{request.id}/materials",
        data={"title": "Program", "file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )

    assert answer.status_code == 422
    assert message in answer.get_data(as_text=True)
    rows = db_session.exec(select(RequestMaterial).where(RequestMaterial.request_id == request.id))
    assert rows.all() == []
    assert outbox(db_session, kind="material") == []


def test_uploaded_material_is_mailed_to_the_booked_with_its_link(
    csrf_free_app, factory, db_session
):
    request, _item, members, orderer = booked_request(factory, people=2)
    client = _client(csrf_free_app, orderer)

    answer = client.post(
        f"/orders/{request.id}/materials",
        data={
            "title": "Programmet",
            "send_by": "2027-03-01",
            "file": (io.BytesIO(_docx()), "p.docx"),
        },
        content_type="multipart/form-data",
    )

    material = db_session.exec(
        select(RequestMaterial).where(RequestMaterial.request_id == request.id)
    ).one()
    assert answer.status_code == 302
    assert (material.title, material.file_name, material.send_by) == (
        "Programmet",
        "p.docx",
        date(2027, 3, 1),
    )
    assert material.sent_at is not None
    assert (material_folder(csrf_free_app.config) / material.stored_name).read_bytes() == _docx()
    mails = outbox(db_session, kind="material")
    assert sorted(m.recipient for m in mails) == sorted(m.email for m in members)
    assert f"{PUBLIC_BASE_URL}/materials/{material.id}" in mails[0].body
    actions = db_session.exec(
        select(RequestEvent.action).where(RequestEvent.request_id == request.id)
    ).all()
    assert actions == ["material_added", "material_sent"]
    listed = client.get(f"/orders/{request.id}").get_data(as_text=True)
    assert "Programmet" in listed and f"/materials/{material.id}" in listed


def test_the_council_adds_a_link_and_sees_the_material_on_its_request_page(
    csrf_free_app, factory, db_session
):
    request, _item, members, _orderer = booked_request(factory, people=1)
    client, _user = signed_in(csrf_free_app, factory, Role.COUNCIL)

    answer = client.post(
        f"/council/requests/{request.id}/materials",
        data={"material-title": "Läsanvisning", "material-link": "https://example.org/las"},
    )

    assert answer.status_code == 302
    assert [m.recipient for m in outbox(db_session, kind="material")] == [members[0].email]
    page = client.get(f"/council/requests/{request.id}").get_data(as_text=True)
    assert "Läsanvisning" in page


def _material(app, factory, request, orderer) -> RequestMaterial:
    return add_material(
        session=factory.session,
        booking_request=request,
        data=MaterialInput("Program", None, "", "program.pdf", PDF),
        actor=orderer,
        folder=material_folder(app.config),
        ctx=CTX,
        now=datetime(2027, 2, 1, 9, tzinfo=STOCKHOLM),
    )


def test_material_is_downloaded_by_the_booked_the_orderer_and_the_council_only(
    app, factory, db_session
):
    request, item, members, orderer = booked_request(factory, people=1)
    material = _material(app, factory, request, orderer)
    booked_user = factory.user(Role.MEMBER)
    members[0].user_id = booked_user.id
    stand_in_user, other_user, gone_user = (factory.user(Role.MEMBER) for _ in range(3))
    stand_in = factory.member(user=stand_in_user)
    factory.assignment(stand_in, request).stand_in_session_id = item.id
    factory.member(user=other_user)
    factory.assignment(factory.member(user=gone_user), request, status="withdrawn")
    same_organisation = factory.user(Role.ORDERER)
    same_organisation.organisation_id = orderer.organisation_id
    db_session.flush()
    visitors = {
        "booked member": booked_user,
        "stand-in": stand_in_user,
        "other member": other_user,
        "withdrawn member": gone_user,
        "owning orderer": orderer,
        "orderer of the organisation": same_organisation,
        "other orderer": factory.user(Role.ORDERER),
        "council": factory.user(Role.COUNCIL),
        "admin": factory.user(Role.ADMIN),
    }

    answers = {
        name: _client(app, user).get(f"/materials/{material.id}") for name, user in visitors.items()
    }

    assert {name: answer.status_code for name, answer in answers.items()} == {
        "booked member": 200,
        "stand-in": 200,
        "other member": 404,
        "withdrawn member": 404,
        "owning orderer": 200,
        "orderer of the organisation": 200,
        "other orderer": 404,
        "council": 200,
        "admin": 403,
    }
    assert answers["booked member"].data == PDF
    assert answers["booked member"].headers["Content-Disposition"] == (
        f'attachment; filename="material-{material.id}.pdf"'
    )
    assert app.test_client().get(f"/materials/{material.id}").status_code == 302  # sign in


# --- The late reminder -----------------------------------------------------------------------


@pytest.fixture
def job_app(app_config, tmp_path):
    return create_app({**app_config, "MAIL_OUTBOX": str(tmp_path / "outbox")})


def test_late_material_reminds_the_orderers_contact_once(job_app, factory, db_session):
    request, _item, _members, _orderer = booked_request(
        factory, contact_name="Kim Kontakt", contact_email="kim@region.example"
    )
    late = RequestMaterial(request_id=request.id, title="Program", send_by=date(2027, 2, 20))
    on_time = RequestMaterial(request_id=request.id, title="Karta", send_by=date(2027, 2, 22))
    sent = RequestMaterial(
        request_id=request.id, title="Lista", send_by=date(2027, 2, 1), link="https://x.example"
    )
    db_session.add_all([late, on_time, sent])
    db_session.flush()

    with time_machine.travel(
        datetime.combine(date(2027, 2, 22), time(8, 30), STOCKHOLM), tick=False
    ):
        first = execute_job(job_app, "remind_late_material")
        second = execute_job(job_app, "remind_late_material")

    rows = outbox(db_session, kind="material_late")
    db_session.refresh(late)
    assert (first.outcome, first.queued, second.queued) == ("ok", 1, 0)
    assert [row.recipient for row in rows] == ["kim@region.example"]
    assert "Program" in rows[0].body and "2027-02-20" in rows[0].body
    assert f"/orders/{request.id}/materials" in rows[0].body
    assert late.late_reminded_at is not None


def test_announced_material_is_attached_later_and_then_mailed(csrf_free_app, factory, db_session):
    request, _item, members, orderer = booked_request(factory, people=1)
    client = _client(csrf_free_app, orderer)

    announced = client.post(
        f"/orders/{request.id}/materials", data={"title": "Karta", "send_by": "2027-03-01"}
    )
    material = db_session.exec(
        select(RequestMaterial).where(RequestMaterial.request_id == request.id)
    ).one()
    mailed_before = outbox(db_session, kind="material")
    attached = client.post(
        f"/orders/{request.id}/materials/{material.id}/attach",
        data={f"m{material.id}-link": "https://example.org/karta"},
    )

    db_session.refresh(material)
    assert (announced.status_code, attached.status_code) == (302, 302)
    assert mailed_before == []
    assert (material.link, material.sent_at is not None) == ("https://example.org/karta", True)
    assert [m.recipient for m in outbox(db_session, kind="material")] == [members[0].email]
    download = client.get(f"/materials/{material.id}")
    assert (download.status_code, download.headers["Location"]) == (
        302,
        "https://example.org/karta",
    )
