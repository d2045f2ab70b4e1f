import csv
import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import select

from app.models import Experience, Member, User
from app.models.enums import Role
from app.services.pool_import.files import COLUMN_NAMES
from tests.conftest import PUBLIC_BASE_URL
from tests.pool_support import sent_mail, signed_in


@pytest.fixture
def outbox(tmp_path):
    return tmp_path / "outbox"


@pytest.fixture
def app_config(app_config, outbox):
    return {**app_config, "MAIL_OUTBOX": str(outbox)}


@pytest.fixture
def council(csrf_free_app, factory):
    factory.area("cancer/breast")
    factory.area("sepsis")
    return signed_in(csrf_free_app, factory, Role.COUNCIL)[0]


HEADER = [
    "first_name",
    "last_name",
    "email",
    "birth_year",
    "gender",
    "pool",
    "municipality",
    "experiences",
    "consent_given_on",
]
ROWS = [
    [
        "Anna",
        "Andersson",
        "anna@example.org",
        "1968",
        "woman",
        "levande_bibliotek",
        "Jönköping",
        "cancer/breast:own",
        "2025-09-15",
    ],
    [
        "Kim",
        "Korhonen",
        "kim@example.org",
        "1999",
        "nonbinary",
        "peer",
        "Eksjö",
        "sepsis:relative; cancer/breast:egen",
        "",
    ],
]


def as_csv(rows, header=HEADER, delimiter=",") -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode("utf-8")


def as_xlsx(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    workbook.active.append(header)
    for row in rows:
        workbook.active.append([int(v) if v.isdigit() else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, content: bytes, name="register.csv", action="dry_run"):
    return client.post(
        "/council/import/",
        data={"file": (io.BytesIO(content), name), "action": action},
        content_type="multipart/form-data",
    )


def imported(db_session):
    db_session.expire_all()
    rows = db_session.exec(
        select(Member).where(Member.email.in_(["anna@example.org", "kim@example.org"]))
    )
    return sorted(rows, key=lambda m: m.email)


def summary(response) -> str:
    return response.get_data(as_text=True).split('id="report-summary">', 1)[1].split("<", 1)[0]


def test_dry_run_reports_row_by_row_and_writes_nothing(csrf_free_app, council, db_session, outbox):
    response = upload(council, as_csv(ROWS))

    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert summary(response) == "2 to create, 0 to update, 0 unchanged, 0 with errors."
    assert 'id="report-row-2"' in html and 'id="report-row-3"' in html
    assert imported(db_session) == []
    assert sent_mail(outbox, csrf_free_app) == []


def test_real_run_creates_members_experiences_and_invitations(
    csrf_free_app, council, db_session, outbox
):
    response = upload(council, as_csv(ROWS), action="import")

    assert response.status_code == 200
    anna, kim = imported(db_session)
    assert (anna.birth_year, anna.gender, anna.municipality, anna.consent_text_version) == (
        1968,
        "woman",
        "Jönköping",
        "2026-01",
    )
    assert anna.has_valid_consent and not kim.has_valid_consent
    kinds = db_session.exec(
        select(Experience.type).where(Experience.member_id == kim.id).order_by(Experience.type)
    ).all()
    assert kinds == ["own", "relative"]
    assert sorted(mail["To"] for mail in sent_mail(outbox, csrf_free_app)) == [
        "anna@example.org",
        "kim@example.org",
    ]
    assert db_session.get(User, anna.user_id).role == "member"


def test_re_running_the_same_file_changes_nothing(csrf_free_app, council, db_session, outbox):
    upload(council, as_csv(ROWS), action="import")
    before = [(m.id, m.user_id, m.municipality) for m in imported(db_session)]

    dry = upload(council, as_csv(ROWS))
    again = upload(council, as_csv(ROWS), action="import")

    assert summary(dry) == "0 to create, 0 to update, 2 unchanged, 0 with errors."
    assert summary(again) == "0 to create, 0 to update, 2 unchanged, 0 with errors."
    assert [(m.id, m.user_id, m.municipality) for m in imported(db_session)] == before
    assert len(sent_mail(outbox, csrf_free_app)) == 2


def test_changed_row_is_an_update_and_blank_cells_keep_values(council, db_session):
    upload(council, as_csv(ROWS), action="import")
    changed = [ROWS[0][:6] + ["Habo", "", ""], ROWS[1]]

    dry = upload(council, as_csv(changed))
    upload(council, as_csv(changed), action="import")

    assert summary(dry) == "0 to create, 1 to update, 1 unchanged, 0 with errors."
    assert "municipality" in dry.get_data(as_text=True)
    anna, _ = imported(db_session)
    assert (anna.municipality, anna.has_valid_consent) == ("Habo", True)


BAD_ROWS = [
    [
        "Anna",
        "Andersson",
        "anna@example.org",
        "1968",
        "woman",
        "levande_bibliotek",
        "",
        "cancer/unknown:own",
        "",
    ],
    ["Bo", "Berg", "bo@example.org", "19x8", "man", "peer", "", "", ""],
    ["Kim", "Korhonen", "ANNA@example.org", "1999", "nonbinary", "peer", "", "", ""],
    ["Eva", "", "eva@example.org", "1950", "kvinna", "peer", "", "", "15/9/2025"],
]


def test_every_error_is_reported_and_the_real_run_writes_nothing(
    csrf_free_app, council, db_session, outbox
):
    dry = upload(council, as_csv(BAD_ROWS + ROWS[1:]))
    real = upload(council, as_csv(BAD_ROWS + ROWS[1:]), action="import")

    html = dry.get_data(as_text=True)
    assert dry.status_code == 200
    assert summary(dry) == "1 to create, 0 to update, 0 unchanged, 4 with errors."
    for message in (
        "Unknown area cancer/unknown.",
        "Bad birth year 19x8.",
        "Duplicate email anna@example.org (also on row 2).",
        "Missing value in column last_name.",
        "Bad date 15/9/2025 in column consent_given_on (use YYYY-MM-DD).",
    ):
        assert message in html
    assert real.status_code == 422
    assert imported(db_session) == []
    assert sent_mail(outbox, csrf_free_app) == []


def test_email_of_another_account_is_an_error(council, factory):
    factory.user(Role.ORDERER, email="anna@example.org")

    response = upload(council, as_csv(ROWS))

    assert "The email anna@example.org belongs to another account." in response.get_data(
        as_text=True
    )


def test_xlsx_and_semicolon_csv_are_read_the_same(council, db_session):
    xlsx = upload(council, as_xlsx(ROWS), name="register.xlsx")
    semicolon = upload(council, as_csv(ROWS, delimiter=";"), name="register.csv")

    assert (
        summary(xlsx)
        == summary(semicolon)
        == "2 to create, 0 to update, 0 unchanged, 0 with errors."
    )


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"x", "register.txt", "Upload a .csv or .xlsx file."),
        (b"", "register.csv", "The file is empty."),
        (b"not a zip", "register.xlsx", "The file could not be read as XLSX."),
    ],
)
def test_unreadable_file_gives_a_field_error(council, content, name, message):
    response = upload(council, content, name=name)

    assert response.status_code == 422
    assert 'id="file-error"' in response.get_data(as_text=True)
    assert message in response.get_data(as_text=True)


def test_missing_and_unknown_columns_are_reported(council, db_session):
    response = upload(
        council,
        as_csv([["Anna", "anna@example.org", "x"]], header=["first_name", "email", "ethnicity"]),
    )

    html = response.get_data(as_text=True)
    assert "The file has no column last_name." in html
    assert "Unknown column ethnicity." in html


def test_no_file_gives_a_field_error(council):
    response = council.post(
        "/council/import/", data={"action": "dry_run"}, content_type="multipart/form-data"
    )

    assert response.status_code == 422
    assert 'id="file-error"' in response.get_data(as_text=True)


def test_templates_have_the_documented_columns(council):
    csv_template = council.get("/council/import/template.csv")
    xlsx_template = council.get("/council/import/template.xlsx")

    assert csv_template.data.decode("utf-8-sig").splitlines()[0] == ",".join(COLUMN_NAMES)
    sheet = load_workbook(io.BytesIO(xlsx_template.data)).active
    assert [cell.value for cell in sheet[1]] == COLUMN_NAMES


def test_the_csv_template_itself_imports_cleanly(council, factory):
    factory.area("sepsis")
    template = council.get("/council/import/template.csv").data

    response = upload(council, template)

    assert summary(response) == "1 to create, 0 to update, 0 unchanged, 0 with errors."


def test_invitation_link_sets_a_password_once(council, csrf_free_app, db_session, outbox):
    from tests.conftest import login

    upload(council, as_csv(ROWS[:1]), action="import")
    [mail] = sent_mail(outbox, csrf_free_app)
    link = next(
        line for line in mail.get_payload(decode=True).decode().splitlines() if "/welcome/" in line
    )
    path = link.strip().removeprefix(PUBLIC_BASE_URL)
    visitor = csrf_free_app.test_client()

    page = visitor.get(path)
    too_short = visitor.post(path, data={"password": "short", "repeat": "short"})
    mismatch = visitor.post(
        path, data={"password": "a long password 1", "repeat": "a long password 2"}
    )
    saved = visitor.post(
        path, data={"password": "a long password 1", "repeat": "a long password 1"}
    )
    reused = visitor.get(path)

    assert (page.status_code, too_short.status_code, mismatch.status_code) == (200, 422, 422)
    assert (saved.status_code, reused.status_code) == (302, 404)
    assert login(visitor, "anna@example.org", "a long password 1").headers["Location"] == "/me/"


def test_forged_invitation_link_is_404(csrf_free_app):
    assert csrf_free_app.test_client().get("/welcome/not-a-token").status_code == 404
