"""Eligibility in the app: conflicts along the organisation tree and declared employers,
unknown availability in an interest round, area names from the taxonomy, the score legend."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from app.mail.context import MailContext
from app.models import Area, Organisation
from app.models.enums import Role
from app.services.accounts.organisations import (
    create_organisation,
    organisation_family,
    set_parent,
)
from app.services.booking.interest import answer_interest, ask_for_interest
from app.services.errors import InvalidInput
from app.services.matchmaking.matching_input import declared_employers, request_for_matching
from app.services.matchmaking.proposals import (
    compute_proposal,
    current_exclusions,
    decision_proposal,
)
from tests.booking_support import booking_setting
from tests.conftest import login

CTX = MailContext(council_mailbox="radet@region.example", base_url="https://levbib.example")
REGION = "Region Jönköpings län"


@pytest.fixture
def tree(db_session):
    """A region with two departments, a municipality with one unit."""
    region = create_organisation(session=db_session, name=REGION, kind="region")
    psychiatry = create_organisation(
        session=db_session,
        name="Psykiatriska kliniken",
        kind="region_department",
        parent_id=region.id,
    )
    surgery = create_organisation(
        session=db_session, name="Kirurgiska kliniken", kind="region_department"
    )
    set_parent(session=db_session, organisation_id=surgery.id, parent_id=region.id)
    municipality = create_organisation(
        session=db_session, name="Jönköpings kommun", kind="municipality"
    )
    care = create_organisation(
        session=db_session,
        name="Äldreomsorgen Öster",
        kind="municipality",
        parent_id=municipality.id,
    )
    return {o.name: o for o in (region, psychiatry, surgery, municipality, care)}


def _ordered_by(db_session, request, organisation: Organisation):
    request.organisation_id = organisation.id
    db_session.add(request)
    db_session.flush()


def _rules(db_session, request) -> dict[int, str | None]:
    proposal = compute_proposal(session=db_session, booking_request=request).proposal
    ranked = {int(c.member_id): None for c in proposal.ranked}
    return ranked | {int(k): e.rule for k, e in proposal.excluded.items()}


def test_the_family_of_an_organisation_is_read_from_the_tree(tree, db_session):
    assert organisation_family(session=db_session, organisation_id=tree[REGION].id) == (
        (),
        ("Psykiatriska kliniken", "Kirurgiska kliniken"),
    )
    assert organisation_family(
        session=db_session, organisation_id=tree["Psykiatriska kliniken"].id
    ) == ((REGION,), ())


def test_a_region_employee_conflicts_with_a_request_from_its_department(tree, factory, db_session):
    request, _, members, _, _ = booking_setting(factory, db_session, people=3)
    _ordered_by(db_session, request, tree["Psykiatriska kliniken"])
    members[0].employer = REGION
    members[1].employer = "Kirurgiska kliniken"  # a sibling department: not above or below
    db_session.flush()

    rules = _rules(db_session, request)

    assert rules[members[0].id] == "conflict_of_interest"
    assert (rules[members[1].id], rules[members[2].id]) == (None, None)


def test_a_department_employee_conflicts_with_a_request_from_the_region(tree, factory, db_session):
    request, _, members, _, _ = booking_setting(factory, db_session, people=2)
    _ordered_by(db_session, request, tree[REGION])
    members[0].employer = "psykiatriska  KLINIKEN"
    db_session.flush()

    assert _rules(db_session, request)[members[0].id] == "conflict_of_interest"


def test_a_municipality_employee_conflicts_with_a_request_from_its_unit(tree, factory, db_session):
    request, _, members, _, _ = booking_setting(factory, db_session, people=2)
    _ordered_by(db_session, request, tree["Äldreomsorgen Öster"])
    members[0].employer = "Jönköpings kommun"
    members[1].employer = "Habo kommun"
    db_session.flush()

    rules = _rules(db_session, request)

    assert (rules[members[0].id], rules[members[1].id]) == ("conflict_of_interest", None)


def test_a_declared_second_employer_conflicts(tree, factory, db_session):
    request, _, members, _, _ = booking_setting(factory, db_session, people=2)
    _ordered_by(db_session, request, tree["Äldreomsorgen Öster"])
    members[0].employer = "Hjärtföreningen; Jönköpings kommun"
    members[1].employer = "Hjärtföreningen"
    db_session.flush()

    rules = _rules(db_session, request)

    assert (rules[members[0].id], rules[members[1].id]) == ("conflict_of_interest", None)
    assert declared_employers(" A ;B\nA;; ") == ("A", "B")


def test_a_parent_inside_the_organisation_itself_is_refused(tree, db_session):
    with pytest.raises(InvalidInput) as refused:
        set_parent(
            session=db_session,
            organisation_id=tree[REGION].id,
            parent_id=tree["Psykiatriska kliniken"].id,
        )
    with pytest.raises(InvalidInput):
        set_parent(session=db_session, organisation_id=tree[REGION].id, parent_id=tree[REGION].id)
    with pytest.raises(InvalidInput):
        set_parent(session=db_session, organisation_id=tree[REGION].id, parent_id=10**6)

    assert "parent_id" in refused.value.fields
    assert db_session.get(Organisation, tree[REGION].id).parent_id is None


def test_the_administrator_sets_and_shows_the_parent(csrf_free_app, factory, db_session):
    client = csrf_free_app.test_client()
    login(client, factory.user(Role.ADMIN).email)
    region = factory.organisation("Region Kronoberg", kind="region")
    unit = factory.organisation("Vårdcentralen Teleborg")

    added = client.post(
        "/admin/organisations",
        data={
            "org-name": "Växjö kommun – Socialtjänsten",
            "org-kind": "municipality",
            "org-parent_id": "0",
        },
    )
    moved = client.post(
        "/admin/organisations/parent",
        data={"parent-organisation_id": str(unit.id), "parent-parent_id": str(region.id)},
    )
    looping = client.post(
        "/admin/organisations/parent",
        data={"parent-organisation_id": str(region.id), "parent-parent_id": str(unit.id)},
    )
    html = client.get("/admin/").get_data(as_text=True)

    assert (added.status_code, moved.status_code, looping.status_code) == (302, 302, 422)
    db_session.refresh(unit)
    db_session.refresh(region)
    assert (unit.parent_id, region.parent_id) == (region.id, None)
    row = html.split("Vårdcentralen Teleborg</a></td>", 1)[1].split("</tr>", 1)[0]
    assert "Region Kronoberg" in row
    assert "Del av" in html
    assert "kan inte vara en del av sig själv" in looping.get_data(as_text=True)


def _unknown_availability_setting(factory, db_session):
    setting = booking_setting(factory, db_session, people=2)
    unknown = factory.member(
        last_name="Registerimport",
        email="import@example.org",
        birth_year=1990,
        experiences=(("cancer", "own"),),
    )  # no weekly window at all
    return setting, unknown


def test_unknown_availability_is_not_in_the_ordinary_group(factory, db_session):
    (request, _, members, _, _), unknown = _unknown_availability_setting(factory, db_session)

    view = compute_proposal(session=db_session, booking_request=request)

    assert set(view.proposal.group) == {str(m.id) for m in members}
    assert view.proposal.excluded[str(unknown.id)].rule == "availability_unknown"
    assert view.excluded_by_rule["availability_unknown"][1] == 1


def test_unknown_availability_is_asked_in_an_interest_round_and_flagged(factory, db_session):
    (request, row, members, _, council), unknown = _unknown_availability_setting(
        factory, db_session
    )
    members[0].employer = "Hjärtföreningen"
    db_session.flush()

    asked = ask_for_interest(
        session=db_session,
        booking_request=request,
        count=3,
        deadline=row.starts_at - timedelta(days=3),
        actor=council,
        ctx=CTX,
    )
    for invitation in asked:
        answer_interest(
            session=db_session,
            token=invitation.token,
            interested=invitation.member_id != members[1].id,
            ctx=CTX,
        )
    view = decision_proposal(session=db_session, booking_request=request)
    reasons = {c.member_id: [r.text("sv") for r in c.reasons] for c in view.proposal.ranked}

    assert unknown.id in {i.member_id for i in asked}
    assert set(view.proposal.group) == {str(members[0].id), str(unknown.id)}
    assert reasons[str(unknown.id)][0] == "tillgänglighet okänd — fråga först"
    assert not any("tillgänglighet" in text for text in reasons[str(members[0].id)])
    # once chosen, an unknown availability is not a reason to drop them from the request
    assert (
        current_exclusions(session=db_session, booking_request=request, member_ids=[unknown.id])
        == {}
    )


def test_council_page_flags_unknown_availability_and_shows_the_legend(factory, db_session, client):
    (request, row, _, _, council), unknown = _unknown_availability_setting(factory, db_session)
    login(client, council.email)

    ordinary = client.get(f"/council/requests/{request.id}").get_data(as_text=True)
    asked = ask_for_interest(
        session=db_session,
        booking_request=request,
        count=3,
        deadline=row.starts_at - timedelta(days=3),
        actor=council,
        ctx=CTX,
    )
    (question,) = [i for i in asked if i.member_id == unknown.id]
    answer_interest(session=db_session, token=question.token, interested=True, ctx=CTX)
    asking = client.get(f"/council/requests/{request.id}").get_data(as_text=True)

    summary = ordinary.split('id="excluded-summary"', 1)[1].split("</ul>", 1)[0]
    assert "Tillgänglighet okänd (inga veckotider): kan tillfrågas om intresse: 1 person" in summary
    legend = ordinary.split('id="score-legend"', 1)[1].split("</p>", 1)[0]
    assert "högre är bättre" in legend and "låg belastning" in legend
    assert '<th scope="col">Låg belastning</th>' in ordinary
    assert ">Belastning</th>" not in ordinary
    assert "Registerimport" not in ordinary.split('id="ranked"', 1)[1].split("</table>", 1)[0]
    group = asking.split('id="proposed-group"', 1)[1].split("</ol>", 1)[0]
    assert "Registerimport" in group and "tillgänglighet okänd — fråga först" in group


def test_explanations_name_areas_from_the_taxonomy_in_the_viewers_language(
    factory, db_session, client
):
    factory.area("psychiatry", name_sv="Psykisk ohälsa")
    eating = factory.area("psychiatry/eating_disorders", name_sv="Ätstörningar")
    eating.name_en = "Eating disorders"
    db_session.add(eating)
    request, _, members, _, council = booking_setting(factory, db_session, people=1)
    request.organisation_id = factory.organisation("Region Östergötland – Barnkliniken").id
    from app.models import Experience, RequestArea

    link = db_session.exec(select(RequestArea).where(RequestArea.request_id == request.id)).one()
    link.area_id = db_session.exec(select(Area).where(Area.code == "psychiatry")).one().id
    db_session.add(link)
    for experience in db_session.exec(
        select(Experience).where(Experience.member_id == members[0].id)
    ):
        experience.area_id = eating.id
        experience.type = "relative"
        db_session.add(experience)
    db_session.flush()
    login(client, council.email)

    swedish = client.get(f"/council/requests/{request.id}").get_data(as_text=True)
    with client.session_transaction() as session:
        session["lang"] = "en"
    english = client.get(f"/council/requests/{request.id}").get_data(as_text=True)
    converted = request_for_matching(session=db_session, booking_request=request)
    members[0].employer = "Region Östergötland"
    db_session.flush()
    summary = client.get(f"/council/requests/{request.id}").get_data(as_text=True)
    summary = summary.split('id="excluded-summary"', 1)[1].split("</ul>", 1)[0]

    assert "närståendeerfarenhet av Ätstörningar" in swedish
    assert "experience of Eating disorders as a relative" in english
    assert "eating disorders" not in swedish.lower().replace("eating_disorders", "")
    assert converted.organisation == "Region Östergötland – Barnkliniken"
    # the organisation keeps its case in the summary of who was excluded and why
    organisation = "(Region Östergötland – Barnkliniken)"
    assert f"Conflict of interest: employed by the ordering organisation {organisation}" in summary
