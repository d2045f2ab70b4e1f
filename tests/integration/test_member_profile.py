import pytest
from sqlmodel import select

from app.models import Experience, Member
from app.models.enums import Role
from tests.conftest import login


@pytest.fixture
def member_client(csrf_free_app, factory):
    user = factory.user(Role.MEMBER)
    member = factory.member(user=user, experiences=(("cancer/breast", "own"),))
    client = csrf_free_app.test_client()
    login(client, user.email)
    return client, member


PROFILE = {
    "email": "ny@example.org",
    "phone": "070-123 45 67",
    "municipality": "Eksjö",
    "languages": ["sv", "fi"],
    "assignment_types": ["lecture", "review"],
    "is_digital_ok": "y",
    "max_per_month": "3",
}


def test_member_sees_own_profile_and_experiences(member_client):
    client, member = member_client

    html = client.get("/me/").get_data(as_text=True)

    assert member.display_name in html
    assert "Breast" in html
    assert "1970" in html


def test_member_edits_profile(member_client, db_session):
    client, member = member_client

    response = client.post("/me/", data=PROFILE)

    assert response.status_code == 302
    db_session.expire_all()
    saved = db_session.get(Member, member.id)
    assert (saved.email, saved.municipality, saved.languages, saved.max_per_month) == (
        "ny@example.org",
        "Eksjö",
        ["sv", "fi"],
        3,
    )
    assert (saved.is_onsite_ok, saved.is_digital_ok) == (False, True)
    assert saved.assignment_types == ["lecture", "review"]


def test_member_cannot_change_birth_year_or_gender(member_client, db_session):
    client, member = member_client

    client.post("/me/", data={**PROFILE, "birth_year": "2001", "gender": "man"})

    db_session.expire_all()
    saved = db_session.get(Member, member.id)
    assert (saved.birth_year, saved.gender) == (1970, "woman")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"max_per_month": "-1"}, "max_per_month"),
        ({"is_digital_ok": ""}, "is_digital_ok"),
        ({"languages": []}, "languages"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_bad_profile_input_is_refused_with_field_error(member_client, db_session, change, field):
    client, member = member_client
    data = {key: value for key, value in {**PROFILE, **change}.items() if value not in ("", [])}

    response = client.post("/me/", data=data)

    assert response.status_code == 422
    assert f'id="{field}-error"' in response.get_data(as_text=True)
    db_session.expire_all()
    assert db_session.get(Member, member.id).municipality == ""


def test_member_adds_and_removes_an_experience(member_client, factory, db_session):
    client, member = member_client
    area = factory.area("sepsis")

    added = client.post(
        "/me/experiences", data={"exp-area_id": str(area.id), "exp-type": "relative"}
    )
    experience = db_session.exec(select(Experience).where(Experience.area_id == area.id)).one()
    experience_id, experience_type = experience.id, experience.type
    removed = client.post(f"/me/experiences/{experience_id}/delete")

    assert (added.status_code, removed.status_code) == (302, 302)
    assert experience_type == "relative"
    db_session.expunge_all()
    assert db_session.get(Experience, experience_id) is None


def test_member_cannot_add_the_same_experience_twice(member_client, factory, db_session):
    client, member = member_client
    area = factory.area("cancer/breast")

    response = client.post("/me/experiences", data={"exp-area_id": str(area.id), "exp-type": "own"})

    assert response.status_code == 422
    assert (
        len(db_session.exec(select(Experience).where(Experience.member_id == member.id)).all()) == 1
    )


def test_member_cannot_remove_someone_elses_experience(member_client, factory, db_session):
    client, _ = member_client
    other = factory.member(experiences=(("sepsis", "own"),))
    theirs = db_session.exec(select(Experience).where(Experience.member_id == other.id)).one()

    response = client.post(f"/me/experiences/{theirs.id}/delete")

    assert response.status_code == 404
    db_session.expire_all()
    assert db_session.get(Experience, theirs.id) is not None


def test_member_account_without_pool_profile_gets_404(csrf_free_app, factory):
    client = csrf_free_app.test_client()
    login(client, factory.user(Role.MEMBER).email)

    assert client.get("/me/").status_code == 404


def test_member_changes_an_experience(member_client, factory, db_session):
    client, member = member_client
    experience = db_session.exec(select(Experience).where(Experience.member_id == member.id)).one()
    sepsis = factory.area("sepsis")

    response = client.post(
        f"/me/experiences/{experience.id}/edit",
        data={f"e{experience.id}-area_id": str(sepsis.id), f"e{experience.id}-type": "relative"},
    )

    assert response.status_code == 302
    db_session.expire_all()
    saved = db_session.get(Experience, experience.id)
    assert (saved.area_id, saved.type) == (sepsis.id, "relative")


def test_bad_experience_change_is_refused(member_client, db_session):
    client, member = member_client
    experience = db_session.exec(select(Experience).where(Experience.member_id == member.id)).one()

    response = client.post(
        f"/me/experiences/{experience.id}/edit",
        data={f"e{experience.id}-area_id": "999999", f"e{experience.id}-type": "own"},
    )

    assert response.status_code == 422
    db_session.expire_all()
    assert db_session.get(Experience, experience.id).type == "own"


def test_profile_page_says_gender_and_birth_year_are_the_councils(member_client):
    client, _ = member_client

    assert 'id="council-only-note"' in client.get("/me/").get_data(as_text=True)
