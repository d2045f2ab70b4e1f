"""The council's request page shows one group: the proposal before approval, the invitations after."""

import pytest
from sqlmodel import select

from app.models import Invitation
from app.services.booking.group_state import group_state
from app.services.matchmaking.proposals import decision_proposal
from tests.booking_support import booking_setting
from tests.conftest import login


@pytest.fixture
def setting(factory, db_session):
    return booking_setting(factory, db_session)


def _council(csrf_free_app, council, lang="en"):
    client = csrf_free_app.test_client()
    login(client, council.email)
    with client.session_transaction() as session:
        session["lang"] = lang
    return client


def _between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def _items(html: str, list_id: str) -> list[str]:
    """Return the text of each <li> of the list with ``list_id``, tags stripped."""
    import re

    inner = _between(html, f'id="{list_id}"', "</ol>")
    return [re.sub(r"<[^>]+>", "", item).strip() for item in inner.split("<li>")[1:]]


def _state(db_session, request):
    view = decision_proposal(session=db_session, booking_request=request)
    return group_state(session=db_session, booking_request=request, view=view)


def test_after_a_swap_and_approval_the_group_is_the_invited_people(
    setting, csrf_free_app, db_session
):
    request, _, members, _, council = setting
    client = _council(csrf_free_app, council)
    client.post(
        f"/council/requests/{request.id}/swap",
        data={
            "group": f"{members[0].id},{members[1].id}",
            "out_id": members[1].id,
            "in_id": members[3].id,
        },
    )
    client.post(
        f"/council/requests/{request.id}/approve",
        data={"member_ids": f"{members[0].id},{members[3].id}"},
    )

    page = client.get(f"/council/requests/{request.id}").get_data(as_text=True)

    group = _items(page, "proposed-group")
    assert [item.split(" (")[0] for item in group] == [
        members[0].display_name,
        members[3].display_name,
    ]
    assert all(item.endswith("Awaiting answer") for item in group)
    assert "Current group" in page
    reserves = _items(page, "reserves")
    assert reserves == [members[1].display_name, members[2].display_name]
    ranked = _between(page, 'id="ranked"', "</table>")
    row_of_swapped_in = _between(ranked, members[3].display_name, "</tr>")
    assert "In the group" in row_of_swapped_in and "Reserve" not in row_of_swapped_in
    row_of_swapped_out = _between(ranked, members[1].display_name, "</tr>")
    assert "Reserve 1" in row_of_swapped_out
    assert 'id="short-group"' not in page


def test_a_decline_and_its_replacement_show_in_the_group(setting, csrf_free_app, db_session):
    request, _, members, _, council = setting
    client = _council(csrf_free_app, council)
    client.post(
        f"/council/requests/{request.id}/approve",
        data={"member_ids": f"{members[0].id},{members[1].id}"},
    )
    db_session.expire_all()
    invitations = db_session.exec(
        select(Invitation).where(Invitation.request_id == request.id).order_by(Invitation.id)
    ).all()
    declined_member = invitations[1].member_id
    visitor = csrf_free_app.test_client()
    visitor.post(f"/invitations/{invitations[1].token}/decline", data={"message": "Busy"})
    db_session.expire_all()
    next_reserve = _state(db_session, request).reserves[0]
    replaced = client.post(
        f"/council/requests/{request.id}/replace", data={"replace-member_id": next_reserve.id}
    )

    db_session.expire_all()
    state = _state(db_session, request)
    page = client.get(f"/council/requests/{request.id}").get_data(as_text=True)

    assert replaced.status_code == 302
    by_id = {place.member.id: place for place in state.places}
    assert by_id[declined_member].status == "declined"
    newcomer = by_id[declined_member].replaced_by
    assert (
        newcomer is not None
        and newcomer.id == next_reserve.id
        and by_id[newcomer.id].is_replacement
    )
    assert by_id[newcomer.id].status == "pending"
    assert sorted(state.member_ids) == sorted(
        [m for m in (members[0].id, members[1].id, newcomer.id) if m != declined_member]
    )
    assert newcomer.id not in [m.id for m in state.reserves]
    group = _items(page, "proposed-group")
    declined_name = next(m.display_name for m in members if m.id == declined_member)
    declined_item = next(item for item in group if item.startswith(declined_name))
    assert f"Declined, replaced by {newcomer.display_name}" in declined_item
    assert any("invited as a replacement" in item for item in group)


def test_a_short_group_is_flagged_with_counts_per_rule_and_advice_in_swedish(
    factory, db_session, csrf_free_app
):
    request, row, members, _, council = booking_setting(
        factory, db_session, people=1, people_count=2
    )
    factory.member(last_name="Fel", experiences=(("diabetes", "own"),))
    factory.member(last_name="Fel2", experiences=(("diabetes", "own"),))
    busy = factory.member(last_name="Upptagen", experiences=(("cancer", "own"),))
    for weekday in range(7):  # weekly windows, all outside the session: unavailable
        factory.weekly_window(busy, weekday, 5, 6)
    client = _council(csrf_free_app, council, lang="sv")

    state = _state(db_session, request)
    page = client.get(f"/council/requests/{request.id}").get_data(as_text=True)

    assert (state.wanted, state.eligible, state.shortfall) == (2, 1, 1)
    assert [(rule, count) for rule, _, count in state.exclusions] == [
        ("no_area", 2),
        ("unavailable", 1),
    ]
    box = _between(page, 'id="short-group"', "</div>")
    assert "Gruppen blir inte fulltalig." in box
    assert "2 personer efterfrågas" in box and "1 person uppfyller alla regler." in box
    why = _between(box, 'id="short-why"', "</ul>")
    # The area's name comes from matching.taxonomy (its case is another change's business).
    assert "Saknar erfarenhet av cancer: 2 personer" in why.replace("Cancer", "cancer")
    assert "Inte tillgänglig vid alla tillfällen" in why and ": 1 person" in why
    advice = _between(box, 'id="short-advice"', "</ul>")
    assert "Vidga kriterierna" in advice and "Erbjud andra tider" in advice
    assert "Fråga först vem som är intresserad" in advice
    assert 'href="/council/members/new"' in advice and 'href="/council/import/"' in advice
