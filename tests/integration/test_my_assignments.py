"""The member's own list: upcoming assignments with what she needs, past ones with what came of
them, stand-ins with their one meeting; only her own."""

from datetime import date

import pytest
from sqlmodel import select

from app import clock
from app.models import (
    CompensationClaim,
    RequestMaterial,
    RequestSession,
    SessionAttendance,
    Survey,
)
from app.models.enums import AttendanceStatus, Role
from app.services.journey.my_assignments import my_assignments
from tests.clock_support import local_days_ahead
from tests.compensation_support import STAND_IN_PBB, ensure_price_base_amount
from tests.pool_support import signed_in_member


def _request(factory, orderer, starts, **fields):
    request = factory.booking_request(orderer, **fields)
    session = factory.session
    for old in session.exec(select(RequestSession).where(RequestSession.request_id == request.id)):
        session.delete(old)
    session.flush()
    items = [factory.request_session(request, start) for start in starts]
    return request, items


@pytest.fixture
def history(factory, db_session, app):
    """Her history: one upcoming, one past, one stand-in, one withdrawn (not listed)."""
    client, user, member = signed_in_member(app, factory)
    orderer = factory.user(Role.ORDERER)
    coordinator = factory.user(Role.COUNCIL)
    coordinator.full_name = "Cecilia Samordnare"
    ahead = [local_days_ahead(10), local_days_ahead(17)]
    for year in {start.year for start in ahead} & set(STAND_IN_PBB):
        ensure_price_base_amount(db_session, year)
    upcoming, upcoming_items = _request(
        factory,
        orderer,
        ahead,
        title="Utbildning för ST-läkare",
        location="Ryhov, sal 3",
        contact_name="Kim Kontakt",
        contact_email="kim@region.example",
        contact_phone="036-123 45",
        coordinator_id=coordinator.id,
    )
    booked = factory.assignment(member, upcoming)
    db_session.add_all(
        [
            RequestMaterial(
                request_id=upcoming.id,
                title="Kursplan",
                link="https://region.example/kursplan",
            ),
            RequestMaterial(
                request_id=upcoming.id, title="Fallbeskrivning", send_by=date(2030, 1, 7)
            ),
        ]
    )
    past, past_items = _request(
        factory,
        orderer,
        [local_days_ahead(-20), local_days_ahead(-13)],
        title="Samtal om vården",
    )
    done = factory.assignment(member, past, status="completed")
    done.outcome = "En ny rutin för återbesök."
    db_session.add_all(
        [
            done,
            SessionAttendance(
                request_session_id=past_items[0].id,
                assignment_id=done.id,
                member_id=member.id,
                status=AttendanceStatus.ATTENDED,
            ),
            CompensationClaim(assignment_id=done.id, member_id=member.id, status="submitted"),
            Survey(
                key=f"member:{done.id}",
                request_id=past.id,
                assignment_id=done.id,
                respondent="member",
                token="survey-" + "m" * 30,
            ),
        ]
    )
    group, group_items = _request(
        factory, orderer, [local_days_ahead(12), local_days_ahead(26)], title="Arbetsgrupp"
    )
    stand_in = factory.assignment(member, group)
    stand_in.stand_in_session_id = group_items[1].id
    gone, _ = _request(factory, orderer, [local_days_ahead(30)], title="Avbokad")
    factory.assignment(member, gone, status="withdrawn")
    db_session.flush()
    return {
        "client": client,
        "member": member,
        "upcoming": (booked, upcoming_items),
        "past": (done, past_items),
        "stand_in": (stand_in, group_items),
        "coordinator": coordinator,
    }


def test_the_list_sorts_upcoming_and_past(db_session, history):
    mine = my_assignments(session=db_session, member_id=history["member"].id, now=clock.now())

    booked, items = history["upcoming"]
    stand_in, group_items = history["stand_in"]
    done, past_items = history["past"]
    assert [row.assignment.id for row in mine.upcoming] == [booked.id, stand_in.id]
    assert [row.assignment.id for row in mine.past] == [done.id]
    first = mine.upcoming[0]
    assert [m.item.id for m in first.ahead] == [item.id for item in items]
    assert first.coordinator.id == history["coordinator"].id
    assert [m.title for m in first.materials] == ["Fallbeskrivning", "Kursplan"]
    assert first.offer is not None and first.offer.lines
    assert [m.item.id for m in mine.upcoming[1].meetings] == [group_items[1].id]
    assert mine.upcoming[1].is_stand_in
    past = mine.past[0]
    assert [(m.item.id, m.mark) for m in past.meetings] == [
        (past_items[0].id, AttendanceStatus.ATTENDED),
        (past_items[1].id, ""),
    ]
    assert (past.claim.status, past.survey.answered_at) == ("submitted", None)


def test_the_page_shows_upcoming_with_place_contact_material_and_fee(history):
    page = history["client"].get("/me/assignments/").get_data(as_text=True)

    booked, items = history["upcoming"]
    card = page.split(f'id="assignment-{booked.id}"', 1)[1].split("</article>", 1)[0]
    assert "Utbildning för ST-läkare" in card
    assert "Ryhov, sal 3" in card
    assert "Kim Kontakt" in card and "kim@region.example" in card and "036-123 45" in card
    assert "Cecilia Samordnare" in card
    assert "Expected fee" in card
    assert card.count("<time ") == 2
    materials = card.split('class="assignment-materials"', 1)[1].split("</ul>", 1)[0]
    assert "Kursplan" in materials and "/materials/" in materials
    assert "Fallbeskrivning" in materials and "comes by" in materials
    assert materials.count("/materials/") == 1  # no link until a file or link is attached
    assert "Avbokad" not in page


def test_the_page_shows_past_attendance_claim_survey_and_outcome(history):
    page = history["client"].get("/me/assignments/").get_data(as_text=True)

    done, _ = history["past"]
    card = page.split(f'id="assignment-{done.id}"', 1)[1].split("</article>", 1)[0]
    assert "Attended" in card and "not recorded" in card
    assert 'data-status="submitted"' in card
    assert f"/compensation/assignments/{done.id}/claim" in card
    assert "/survey" in card or "survey-" + "m" * 30 in card
    assert "En ny rutin för återbesök." in card


def test_a_stand_in_shows_only_her_meeting(history):
    page = history["client"].get("/me/assignments/").get_data(as_text=True)

    stand_in, group_items = history["stand_in"]
    card = page.split(f'id="assignment-{stand_in.id}"', 1)[1].split("</article>", 1)[0]
    assert "Stand-in at one meeting" in card
    assert f'data-session="{group_items[1].id}"' in card
    assert f'data-session="{group_items[0].id}"' not in card


def test_the_detail_page_has_the_cannot_come_form(history):
    booked, items = history["upcoming"]

    page = history["client"].get(f"/me/assignments/{booked.id}").get_data(as_text=True)

    form = page.split('id="cannot-come-form"', 1)[1].split("</form>", 1)[0]
    assert [f'value="{item.id}"' in form for item in items] == [True, True]
    assert 'value="all"' in form


def test_a_stand_in_cannot_give_up_a_whole_assignment(history):
    stand_in, group_items = history["stand_in"]

    page = history["client"].get(f"/me/assignments/{stand_in.id}").get_data(as_text=True)

    form = page.split('id="cannot-come-form"', 1)[1].split("</form>", 1)[0]
    assert f'value="{group_items[1].id}"' in form
    assert 'value="all"' not in form


def test_her_home_and_nav_link_to_the_list(history):
    page = history["client"].get("/me/").get_data(as_text=True)

    assert page.count('href="/me/assignments/"') >= 2
