"""WCAG 2.1 A and AA on every page of every role, checked by axe-core in Debian's chromium.

The list of pages is the written access policy (tests/integration/test_access.py), which itself
must list every route of the app: a new page cannot slip past this sweep. Each role visits every
page the policy lets it open (status 200) and that answers HTML, signed in, with demo data plus
one invitation, assignment and payout batch so pages with ids have something to show.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import Session, select

from app.db import make_engine
from app.models import (
    Area,
    ClaimReceipt,
    CompensationClaim,
    Invitation,
    Member,
    MemberReview,
    Nomination,
    Organisation,
    PayoutBatch,
    RecruitmentTarget,
    RequestMaterial,
    Survey,
    TrainingBooking,
    TrainingEvent,
    User,
)
from app.models.enums import Role
from app.services.accounts.api_tokens import hash_token
from app.services.accounts.member_accounts import RESET_SALT, password_token
from app.services.demo.data import DEMO_LOGINS, DEMO_PASSWORD
from tests.browser.conftest import LIVE_RECEIPT_FOLDERS, LIVE_SECRET_KEY
from tests.databases import missing_part
from tests.factories import Factory
from tests.integration.test_access import POLICY, VISITORS
from tests.recruitment_support import demo_applicant

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
LOGIN_EMAILS = {
    "member": DEMO_LOGINS[Role.MEMBER],
    "orderer": DEMO_LOGINS[Role.ORDERER],
    "council": DEMO_LOGINS[Role.COUNCIL],
    "admin": DEMO_LOGINS[Role.ADMIN],
}


@pytest.fixture
def page(browser):
    """A page that lets axe-core's script in despite the app's Content-Security-Policy."""
    context = browser.new_context(locale="sv-SE", timezone_id="Europe/Stockholm", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture(scope="module")
def sample_ids(live_app):
    """Ids for the path parameters of the policy, made in the served database."""
    engine = make_engine(live_app[1])
    with Session(engine, expire_on_commit=False) as session:
        factory = Factory(session)
        users = {
            user.email: user
            for user in session.exec(select(User).where(User.email.in_(DEMO_LOGINS.values())))
        }
        orderer = users[DEMO_LOGINS[Role.ORDERER]]
        member = session.exec(
            select(Member).where(Member.user_id == users[DEMO_LOGINS[Role.MEMBER]].id)
        ).one()
        member.calendar_token = member.calendar_token or "a11y-feed-" + "x" * 30
        booking_request = factory.booking_request(orderer, status="approved", people_count=1)
        invitation = Invitation(
            request_id=booking_request.id,
            member_id=member.id,
            token="a11y-invitation-" + "x" * 30,
            reply_deadline_at=datetime.now(UTC) + timedelta(days=5),
        )
        batch = PayoutBatch(
            period_start=datetime.now(UTC).date().replace(day=1),
            period_end=datetime.now(UTC).date().replace(day=28),
        )
        council = users[DEMO_LOGINS[Role.COUNCIL]]
        council.calendar_token = council.calendar_token or "a11y-council-feed-" + "x" * 30
        survey = Survey(
            key=f"orderer:{booking_request.id}",
            request_id=booking_request.id,
            respondent="orderer",
            token="a11y-survey-" + "x" * 30,
        )
        review = MemberReview(
            member_id=member.id,
            due_on=datetime.now(UTC).date(),
            token="a11y-review-" + "x" * 30,
        )
        session.add_all([member, invitation, batch, council, survey, review])
        session.flush()
        assignment = factory.assignment(member, booking_request)
        event = TrainingEvent(
            kind="introduction",
            title="Introduktion för nya medlemmar",
            starts_at=datetime.now(UTC) + timedelta(days=9),
            ends_at=datetime.now(UTC) + timedelta(days=9, hours=3),
            place="Regionens hus, Jönköping",
            capacity=12,
            ical_uid="a11y-event@levande-bibliotek",
        )
        session.add(event)
        session.flush()
        session.add(TrainingBooking(event_id=event.id, member_id=member.id))
        ids = {
            "event_id": event.id,
            "receipt_id": _receipt(session, LIVE_RECEIPT_FOLDERS[live_app[1]], assignment).id,
            "request_id": booking_request.id,
            "member_id": member.id,
            "invitation_token": invitation.token,
            "assignment_id": assignment.id,
            "batch_id": batch.id,
            "token": member.calendar_token,
            "invite_token": password_token(users[DEMO_LOGINS[Role.COUNCIL]], LIVE_SECRET_KEY),
            "reset_token": password_token(
                users[DEMO_LOGINS[Role.ORDERER]], LIVE_SECRET_KEY, salt=RESET_SALT
            ),
            "council_token": council.calendar_token,
            "survey_token": survey.token,
            "review_token": review.token,
            "chart": "pool_age",
            "user_id": orderer.id,
            "organisation_id": orderer.organisation_id,
            "applicant_id": demo_applicant(session).id,
            "year": datetime.now(UTC).year,
            "target_id": _target(session, council).id,
            "area_id": session.exec(select(Area).where(Area.is_active)).first().id,
            "material_id": _material(
                session, LIVE_RECEIPT_FOLDERS[live_app[1]], booking_request
            ).id,
        } | organisation_links(session)
        session.commit()
    engine.dispose()
    return ids


def organisation_links(session) -> dict:
    """The demo's patient organisation with an open nomination and a report link."""
    organisation = session.exec(
        select(Organisation).where(Organisation.kind == "patient_organisation")
    ).first()
    organisation.contact_email = "kontakt@forbundet.test"
    organisation.report_token_hash = hash_token("a11y-report-" + "x" * 30)
    organisation.report_link_expires_at = datetime.now(UTC) + timedelta(days=30)
    area = session.exec(select(Area).where(Area.is_active)).first()
    nomination = Nomination(
        organisation_id=organisation.id,
        area_id=area.id,
        seats=2,
        mandate_ends_on=datetime.now(UTC).date() + timedelta(days=400),
        answer_by=datetime.now(UTC).date() + timedelta(days=20),
        token_hash=hash_token("a11y-nomination-" + "x" * 30),
    )
    session.add_all([organisation, nomination])
    session.flush()
    return {
        "patient_org_id": organisation.id,
        "nomination_id": nomination.id,
        "nomination_token": "a11y-nomination-" + "x" * 30,
        "report_token": "a11y-report-" + "x" * 30,
    }


def _target(session, council) -> RecruitmentTarget:
    """An open recruitment target for the target pages."""
    target = RecruitmentTarget(
        wanted_count=5,
        age_max=29,
        experience_type="own",
        due_on=datetime.now(UTC).date() + timedelta(days=180),
        created_by_id=council.id,
    )
    session.add(target)
    session.flush()
    return target


def _material(session, receipts, booking_request) -> RequestMaterial:
    """A file of material on the member's request (downloaded, so the sweep only probes it)."""
    folder = receipts.parent / "materials"  # app.config.material_folder: beside the receipts
    folder.mkdir(exist_ok=True)
    (folder / "a11y-material.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    material = RequestMaterial(
        request_id=booking_request.id,
        title="Program",
        file_name="program.pdf",
        stored_name="a11y-material.pdf",
        content_type="application/pdf",
        size_bytes=15,
        attached_at=datetime.now(UTC),
    )
    session.add(material)
    session.flush()
    return material


def _receipt(session, folder, assignment) -> ClaimReceipt:
    """A receipt file on a claim of the member's assignment, for the receipt page."""
    claim = CompensationClaim(assignment_id=assignment.id, member_id=assignment.member_id)
    session.add(claim)
    session.flush()
    (folder / "a11y-receipt.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    receipt = ClaimReceipt(
        claim_id=claim.id,
        original_name="kvitto.pdf",
        stored_name="a11y-receipt.pdf",
        content_type="application/pdf",
        size_bytes=15,
    )
    session.add(receipt)
    session.flush()
    return receipt


def pages_for(visitor: str) -> list[str]:
    """Policy paths the visitor may open (200)."""
    column = VISITORS.index(visitor)
    return sorted(path for path, statuses in POLICY.items() if statuses[column] == 200)


def sign_in(page, base_url: str, visitor: str) -> None:
    if visitor == "anonymous":
        return
    page.goto(f"{base_url}/login")
    page.locator("#email").fill(LOGIN_EMAILS[visitor])
    page.locator("#password").fill(DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def axe_violations(page) -> list[dict]:
    """Run axe-core on the loaded page at WCAG 2.1 A and AA; return its violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})""",
        WCAG_TAGS,
    )
    return [
        {
            "rule": item["id"],
            "impact": item["impact"],
            "help": item["help"],
            "where": [node["target"] for node in item["nodes"][:3]],
        }
        for item in result["violations"]
    ]


@pytest.fixture(scope="module")
def axe_script():
    if not AXE.exists():
        missing_part("axe-core is not installed: install node and run `make test` (or `npm ci`)")
    return AXE


@pytest.mark.parametrize("live_app", ["sqlite"], indirect=True)
@pytest.mark.parametrize("visitor", VISITORS)
@pytest.mark.parametrize("locale", ["sv", "en"])
def test_every_page_has_no_wcag_violations(page, live_app, sample_ids, axe_script, visitor, locale):
    base_url = live_app[0]
    sign_in(page, base_url, visitor)
    if locale == "en":
        page.goto(f"{base_url}/login" if visitor == "anonymous" else base_url)
        page.locator("button[lang=en]").click()
        page.wait_for_load_state()
    found, checked = {}, []
    for path in pages_for(visitor):
        url = base_url + path.format(**sample_ids)
        probe = page.request.get(url)
        assert probe.status == 200, f"{path}: {probe.status}, the policy says 200"
        if "text/html" not in probe.headers.get("content-type", ""):
            continue
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == locale, path
        checked.append(path)
        violations = axe_violations(page)
        if violations:
            found[path] = violations

    assert len(checked) >= 2, checked
    assert found == {}, json.dumps(found, indent=1, ensure_ascii=False)


@pytest.mark.parametrize("live_app", ["sqlite"], indirect=True)
@pytest.mark.parametrize(
    ("visitor", "path", "submit"),
    [
        ("orderer", "/orders/new", "main form button[type=submit] >> nth=-1"),
        ("member", "/me/calendar/", "#add-window"),
        ("anonymous", "/accessibility", "#report-form button"),
    ],
)
def test_pages_showing_form_errors_have_no_wcag_violations(
    page, live_app, axe_script, visitor, path, submit
):
    base_url = live_app[0]
    sign_in(page, base_url, visitor)
    page.goto(base_url + path)
    with page.expect_navigation():
        page.locator(submit).click()

    summary = page.locator("#error-summary")
    assert summary.is_visible()
    assert summary.get_attribute("role") == "alert"
    first_link = summary.locator("a").first
    target = first_link.get_attribute("href")
    assert page.locator(target).get_attribute("aria-invalid") == "true"
    assert axe_violations(page) == []
