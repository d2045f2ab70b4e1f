import pytest
from sqlmodel import select

from app.models import Area, AuditEvent, Experience, RequestArea
from app.models.enums import Role
from tests.pool_support import signed_in


@pytest.fixture(params=[Role.COUNCIL, Role.ADMIN])
def editor(request, csrf_free_app, factory):
    return signed_in(csrf_free_app, factory, request.param)[0]


def experiences_by_member(db_session):
    db_session.expire_all()
    rows = db_session.exec(
        select(Experience.member_id, Area.code, Experience.type).join(
            Area, Area.id == Experience.area_id
        )
    )
    return sorted(rows)


def test_rename_keeps_code_and_experiences(editor, factory, db_session):
    member = factory.member(experiences=(("sepsis", "own"),))
    area = factory.area("sepsis")

    response = editor.post(
        "/taxonomy/rename",
        data={
            "rename-area_id": str(area.id),
            "rename-name_sv": "Blodförgiftning",
            "rename-name_en": "Blood poisoning",
        },
    )

    db_session.expire_all()
    assert response.status_code == 302
    assert (db_session.get(Area, area.id).code, db_session.get(Area, area.id).name_sv) == (
        "sepsis",
        "Blodförgiftning",
    )
    assert experiences_by_member(db_session) == [(member.id, "sepsis", "own")]


def test_merge_moves_experiences_and_requests_without_losing_any(editor, factory, db_session):
    both = factory.member(experiences=(("heart_lung/copd", "own"), ("heart_lung/asthma", "own")))
    only_source = factory.member(experiences=(("heart_lung/asthma", "relative"),))
    source, target = factory.area("heart_lung/asthma"), factory.area("heart_lung/copd")
    booking_request = factory.booking_request(
        factory.user(Role.ORDERER), areas=("heart_lung/asthma",)
    )

    response = editor.post(
        "/taxonomy/merge",
        data={"merge-source_id": str(source.id), "merge-target_id": str(target.id)},
    )

    assert response.status_code == 302
    assert experiences_by_member(db_session) == sorted(
        [(both.id, "heart_lung/copd", "own"), (only_source.id, "heart_lung/copd", "relative")]
    )
    assert db_session.exec(
        select(RequestArea.area_id).where(RequestArea.request_id == booking_request.id)
    ).all() == [target.id]
    assert db_session.get(Area, source.id).is_active is False
    assert db_session.exec(
        select(AuditEvent.action).where(AuditEvent.action == "area.merged")
    ).all() == ["area.merged"]


@pytest.mark.parametrize("case", ["same", "has_children", "unknown"])
def test_bad_merge_is_refused_and_changes_nothing(editor, factory, db_session, case):
    factory.member(experiences=(("cancer/breast", "own"),))
    parent, child = factory.area("cancer"), factory.area("cancer/breast")
    source, target = {
        "same": (child.id, child.id),
        "has_children": (parent.id, child.id),
        "unknown": (999999, child.id),
    }[case]

    response = editor.post(
        "/taxonomy/merge", data={"merge-source_id": str(source), "merge-target_id": str(target)}
    )

    assert response.status_code == 422
    assert 'class="error"' in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Area, parent.id).is_active and db_session.get(Area, child.id).is_active


def test_rename_without_names_gives_field_errors(editor, factory):
    area = factory.area("sepsis")

    response = editor.post(
        "/taxonomy/rename",
        data={"rename-area_id": str(area.id), "rename-name_sv": "", "rename-name_en": ""},
    )

    assert response.status_code == 422
    assert 'id="rename-name_sv-error"' in response.get_data(as_text=True)


def test_editor_adds_an_area(editor, db_session):
    response = editor.post(
        "/taxonomy/areas",
        data={"add-code": "kidney", "add-name_sv": "Njure", "add-name_en": "Kidney"},
    )

    assert response.status_code == 302
    assert db_session.exec(select(Area.name_sv).where(Area.code == "kidney")).one() == "Njure"


def test_area_names_for_selects_are_the_active_areas_in_code_order(factory, db_session):
    from app.services.pool.taxonomy import list_area_names, list_areas

    factory.area("zeta/child", name_sv="Barnet")
    factory.area("alfa")
    retired = factory.area("beta")
    retired.is_active = False
    db_session.flush()

    names = list_area_names(session=db_session)
    assert [(a.id, a.code, a.name_sv, a.name_en) for a in names] == [
        (a.id, a.code, a.name_sv, a.name_en) for a in list_areas(session=db_session)
    ]
    codes = [a.code for a in names]
    assert "beta" not in codes
    assert codes.index("alfa") < codes.index("zeta") < codes.index("zeta/child")
    child = names[codes.index("zeta/child")]
    assert (child.name("sv"), child.name("en")) == ("Barnet", "Child")
