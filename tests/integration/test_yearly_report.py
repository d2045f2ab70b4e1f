"""The yearly report: its page, PDF and XLSX say the insight pages' figures for the same year."""

from __future__ import annotations

import html as html_lib
import io
import re
import shutil
import subprocess
from datetime import UTC, date, datetime

import pytest
from sqlmodel import select

from app import clock
from app.models import AuditEvent, ClaimLine, CompensationClaim, RequestEvent
from app.models.enums import Role
from tests.pool_support import signed_in

PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"


@pytest.fixture
def year() -> int:
    """Last calendar year: every session of it lies in the past, whatever today is."""
    return clock.today().year - 1


@pytest.fixture
def council_client(app, factory):
    client, _ = signed_in(app, factory, Role.COUNCIL)
    return client


def _at(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 9, tzinfo=UTC)


def _request(factory, orderer, starts_at: datetime, **fields):
    booking_request = factory.booking_request(orderer, **fields)
    factory.request_session(booking_request, starts_at)
    return booking_request


def _claim(factory, assignment, *, fee: int, travel: int, day: date) -> None:
    item = CompensationClaim(
        assignment_id=assignment.id,
        member_id=assignment.member_id,
        status="attested",
        fee_sek=fee,
        travel_sek=travel,
    )
    factory.session.add(item)
    factory.session.flush()
    factory.session.add(ClaimLine(claim_id=item.id, activity_on=day, minutes=120))
    factory.session.flush()


@pytest.fixture
def seeded(factory, db_session, year):
    """Three requests in the year (two approved, one filled), two assignments, 1 500 kr fees."""
    school = factory.user(
        Role.ORDERER, organisation=factory.organisation("Hälsohögskolan", "university")
    )
    clinic = factory.user(Role.ORDERER, organisation=factory.organisation("Medicinkliniken"))
    members = [factory.member() for _ in range(10)]
    full = _request(
        factory,
        school,
        _at(year, 4, 20),
        status="booked",
        people_count=1,
        created_at=_at(year, 3, 2),
        decided_at=_at(year, 3, 4),
    )
    short = _request(
        factory,
        school,
        _at(year, 4, 22),
        status="approved",
        assignment_type="lecture",
        participation="dialogue",
        created_at=_at(year, 3, 10),
        decided_at=_at(year, 3, 12),
    )
    later = _request(
        factory, clinic, _at(year, 6, 1), participation="partnership", created_at=_at(year, 5, 5)
    )
    _request(factory, school, _at(year - 1, 12, 1), created_at=_at(year - 1, 11, 1))
    db_session.add_all(
        [
            RequestEvent(request_id=full.id, action="approved", at=_at(year, 3, 4)),
            RequestEvent(request_id=full.id, action="booked", at=_at(year, 3, 12)),
            RequestEvent(request_id=short.id, action="approved", at=_at(year, 3, 12)),
        ]
    )
    first = factory.assignment(members[0], full, status="completed")
    second = factory.assignment(members[1], later, status="completed")
    _claim(factory, first, fee=1000, travel=100, day=date(year, 4, 20))
    _claim(factory, second, fee=500, travel=0, day=date(year, 6, 1))
    return members


def _pdf_text(body: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(body)
    result = subprocess.run(
        [PDFTOTEXT, "-layout", "-enc", "UTF-8", str(path), "-"],
        capture_output=True,
        check=True,
        text=True,
    )
    return re.sub(r"\s+", " ", result.stdout)


def _sentences(html: str) -> dict[str, str]:
    """The totals the insight page says in words, by what they are about."""
    text = re.sub(r"\s+", " ", html_lib.unescape(re.sub(r"<[^>]+>", " ", html)))
    patterns = {
        "requests": r"(\S+) requests in the period\.",
        "fill": r"Over the period: (\S+) of (\S+) approved requests got everyone they asked for\.",
        "assignments": r"(\S+) assignments in the period for (\S+) members of today's pool\.",
        "cost": r"Over the period: ([^:.]+?) in fees and ([^:.]+?) in travel\.",
        "gini": r"Gini coefficient: (\S+) for assignments, (\S+) for paid hours",
    }
    found = {}
    for key, pattern in patterns.items():
        match = re.search(pattern, text)
        assert match, f"the insight page says nothing about {key}"
        found[key] = match.group(0)
    return found


def test_yearly_pdf_totals_equal_the_insight_pages_for_the_same_year(
    council_client, seeded, year, tmp_path
):
    insight = council_client.get(f"/council/insight/?start={year}-01-01&end={year}-12-31")
    page = council_client.get(f"/council/insight/year/{year}")
    pdf = council_client.get(f"/council/insight/year/{year}.pdf")

    said = _sentences(insight.get_data(as_text=True))
    text = _pdf_text(pdf.data, tmp_path)
    assert insight.status_code == page.status_code == pdf.status_code == 200
    assert pdf.mimetype == "application/pdf"
    assert said == {
        "requests": "3 requests in the period.",
        "fill": "Over the period: 50% of 2 approved requests got everyone they asked for.",
        "assignments": "2 assignments in the period for 10 members of today's pool.",
        "cost": "Over the period: 1,500 kr in fees and 100 kr in travel.",
        "gini": "Gini coefficient: 0.80 for assignments, 0.80 for paid hours",
    }
    for sentence in said.values():
        assert sentence in text
        assert sentence in _sentences(page.get_data(as_text=True)).values()
    for total in (
        "Requests 3",
        "Approved requests (fill rate counted) 2",
        "Requests that got everyone they asked for 1",
        "Fill rate 50%",
        "Assignments 2",
        "Members in today's pool 10",
        "Fees 1,500 kr",
        "Travel 100 kr",
        "Employer contributions 0 kr",
    ):
        assert total in text
    assert f"Yearly report {year}" in text


def test_yearly_xlsx_holds_the_same_totals(council_client, seeded, year):
    from openpyxl import load_workbook

    response = council_client.get(f"/council/insight/year/{year}.xlsx")

    workbook = load_workbook(io.BytesIO(response.data))
    totals = {row[0]: row[1] for row in workbook["The year in figures"].iter_rows(values_only=True)}
    assert response.status_code == 200
    assert workbook.sheetnames == [
        "The year in figures",
        "Requests",
        "Fill rate and time to fill",
        "The pool and the population",
        "How the work is spread",
        "Fees and contributions",
        "Feedback and what it led to",
        "Payers",
        "Recruitment targets",
    ]
    assert totals["Requests"] == 3
    assert totals["Approved requests (fill rate counted)"] == 2
    assert totals["Fill rate"] == 0.5
    assert totals["Assignments"] == 2
    assert totals["Fees"] == 1500
    assert totals["Travel"] == 100
    assert totals["Employer contributions"] == 0
    rows = {row[0]: row[1:] for row in workbook["Requests"].iter_rows(values_only=True)}
    assert rows["Consultation"][:2] == (1, 1 / 3)
    assert rows["Dialogue"][:2] == (1, 1 / 3)
    assert rows["Partnership and co-creation"][:2] == (1, 1 / 3)
    assert rows["Information"][:2] == (0, 0)


def test_yearly_page_counts_requests_by_type_and_participation(council_client, seeded, year):
    response = council_client.get(f"/council/insight/year/{year}")

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'id="chart-flow_types"' in html
    assert 'id="chart-flow_participation"' in html
    assert 'id="chart-work_lorenz"' in html


def test_the_report_reads_are_audited(council_client, seeded, year, db_session):
    council_client.get(f"/council/insight/year/{year}")
    council_client.get(f"/council/insight/year/{year}.pdf")

    events = db_session.exec(
        select(AuditEvent).where(AuditEvent.action == "insight.year_report")
    ).all()
    assert [event.detail for event in events] == [
        {"year": year, "form": "page"},
        {"year": year, "form": "pdf"},
    ]


@pytest.mark.parametrize("suffix", ["", ".pdf", ".xlsx"])
@pytest.mark.parametrize("year", [0, 1999, 2101, 99999])
def test_a_year_out_of_range_is_refused_clearly(council_client, suffix, year):
    response = council_client.get(f"/council/insight/year/{year}{suffix}")

    assert response.status_code == 422
    assert "Choose a year from 2000 to 2100." in response.get_data(as_text=True)


def test_the_year_form_leads_to_the_chosen_year(council_client):
    response = council_client.get("/council/insight/year?year=2024")

    assert response.status_code == 302
    assert response.headers["Location"].endswith("/council/insight/year/2024")


def test_fees_and_contributions_per_payer_sum_the_yearly_settlement(
    council_client, factory, db_session
):
    from app.services.compensation.reports import yearly_settlement
    from app.services.insight.yearly import payer_totals
    from tests.integration.test_payer import _attested, _paid_by, _pay, _region

    region = _region(factory)
    council = factory.user(Role.COUNCIL)
    first, second = factory.member(), factory.member()
    _attested(factory, _paid_by(factory, region), first, date(2026, 5, 12), 900)
    _attested(factory, _paid_by(factory, region), first, date(2026, 5, 20), 900)
    _attested(factory, _paid_by(factory, region), second, date(2026, 5, 21), 900)
    _pay(db_session, council, date(2026, 5, 1))

    totals = payer_totals(session=db_session, year=2026)
    settled = yearly_settlement(session=db_session, year=2026)
    html = council_client.get("/council/insight/year/2026").get_data(as_text=True)
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(council_client.get("/council/insight/year/2026.xlsx").data))

    # 1 800 × 31.42 % = 566 for the first; the second stays under 1 000 kr: none.
    assert [(t.payer, t.people, t.fees, t.contributions) for t in totals] == [
        (region.name, "<5", 2700, 566)
    ]
    assert sum(row.contribution for row in settled) == 566
    payers = html[html.index('id="payers-table"') :]
    assert "2,700" in payers and "566" in payers, payers[:1500]
    assert list(workbook["Payers"].iter_rows(values_only=True))[1] == (
        region.name,
        "<5",
        2700,
        0,
        566,
    )


def test_the_swedish_pdf_keeps_a_o_with_rings_and_dots_and_swedish_numbers(
    council_client, seeded, year, tmp_path
):
    with council_client.session_transaction() as session:
        session["lang"] = "sv"

    text = _pdf_text(council_client.get(f"/council/insight/year/{year}.pdf").data, tmp_path)

    assert f"Årsrapport {year}" in text
    assert "Året i siffror" in text
    assert "Förfrågningar 3" in text
    assert "Arvoden 1 500 kr" in text
    assert "Andel fyllda 50 %" in text
    assert "Ginikoefficient, uppdrag 0,80" in text
