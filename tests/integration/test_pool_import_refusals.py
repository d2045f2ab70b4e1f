"""The pool import refuses bad files with a clear message, on the web and the CLI, on both
databases: nothing is written, and never a 500 or a traceback (docs/import.md)."""

import csv
import io

import pytest
from openpyxl import Workbook
from sqlmodel import Session, func, select

from app import create_app
from app.db import make_engine
from app.models import Area, Member
from app.models.enums import Role
from app.services.pool_import.files import MAX_ROWS
from tests.databases import BACKENDS, fresh_database
from tests.pool_support import sent_mail, signed_in

HEADER = ["first_name", "last_name", "email", "birth_year", "gender", "pool", "municipality"]
GOOD = ["Anna", "Andersson", "anna@example.org", "1968", "woman", "peer", "Jönköping"]

SAVE_AS_UTF8_SV = "Välj Spara som → CSV UTF-8 (kommaavgränsad) i Excel"
TOO_LONG_CELL_SV = "En cell i filen är längre än 128 kB"
TOO_MANY_ROWS_SV = "Filen har för många rader."
TOO_BIG_SV = "Filen är större än 10 MB"
HAS_ERRORS_SV = "Filen har fel. Inget har importerats."


def as_csv(*rows, header=HEADER) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    return buffer.getvalue().encode("utf-8")


def with_cell(column: str, value: str) -> list[str]:
    return [value if name == column else cell for name, cell in zip(HEADER, GOOD, strict=True)]


@pytest.fixture(scope="module")
def huge_xlsx(tmp_path_factory):
    """An XLSX of 200 000 rows (one cell each, to build fast), far past the row limit."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADER)
    for number in range(200_000):
        sheet.append([number])
    path = tmp_path_factory.mktemp("huge") / "register.xlsx"
    workbook.save(path)
    return path.read_bytes()


#: name → (file name, content, the Swedish refusal); the whole file is refused unread.
def file_cases(huge: bytes) -> dict[str, tuple[str, bytes, str]]:
    return {
        "utf16": ("register.csv", as_csv(GOOD).decode().encode("utf-16"), SAVE_AS_UTF8_SV),
        "utf16-no-bom": (
            "register.csv",
            as_csv(GOOD).decode().encode("utf-16-le"),
            SAVE_AS_UTF8_SV,
        ),
        "undefined-cp1252": (
            "register.csv",
            as_csv(GOOD).replace(b"J\xc3\xb6nk", b"J\x81\x8dnk"),
            SAVE_AS_UTF8_SV,
        ),
        "cell-over-128kb": (
            "register.csv",
            as_csv(with_cell("municipality", "x" * 140_000)),
            TOO_LONG_CELL_SV,
        ),
        "over-10mb": ("register.csv", as_csv(GOOD) + b"#" * (10 * 1024 * 1024), TOO_BIG_SV),
        "200000-rows": ("register.xlsx", huge, TOO_MANY_ROWS_SV),
        "csv-past-row-limit": ("register.csv", as_csv(*[GOOD] * (MAX_ROWS + 1)), TOO_MANY_ROWS_SV),
    }


FILE_CASES = [
    "utf16",
    "utf16-no-bom",
    "undefined-cp1252",
    "cell-over-128kb",
    "over-10mb",
    "200000-rows",
    "csv-past-row-limit",
]

#: name → (content, English message of the row's error); the dry run reports what the real
#: run refuses, row by row.
ROW_CASES = {
    "nul-in-name": (
        as_csv(with_cell("first_name", "An\x00na")),
        "first_name: Write this on one line (no line breaks).",
    ),
    "line-break-in-email": (
        as_csv(with_cell("email", "anna@example.org\nbo@example.org")),
        "email: Write this on one line (no line breaks).",
    ),
    "bad-email": (as_csv(with_cell("email", "anna@@example")), "email: Invalid email address."),
    "name-too-long": (
        as_csv(with_cell("last_name", "A" * 101)),
        "The value in column last_name is longer than 100 characters.",
    ),
    "municipality-too-long": (
        as_csv(with_cell("municipality", "Ö" * 101)),
        "The value in column municipality is longer than 100 characters.",
    ),
    "duplicate-column": (
        as_csv([*GOOD, "Eksjö"], header=[*HEADER, "municipality"]),
        "The column municipality appears more than once.",
    ),
}


# --- the web page ----------------------------------------------------------------------------


@pytest.fixture
def outbox(tmp_path):
    return tmp_path / "outbox"


@pytest.fixture
def app_config(app_config, outbox):
    return {**app_config, "MAIL_OUTBOX": str(outbox)}


@pytest.fixture
def council(csrf_free_app, factory):
    return signed_in(csrf_free_app, factory, Role.COUNCIL)[0]


def upload(client, content: bytes, name: str, action: str):
    return client.post(
        "/council/import/",
        data={"file": (io.BytesIO(content), name), "action": action},
        content_type="multipart/form-data",
    )


def members(session) -> int:
    session.expire_all()
    return session.exec(select(func.count()).select_from(Member)).one()


@pytest.mark.parametrize("case", FILE_CASES)
@pytest.mark.parametrize("action", ["dry_run", "import"])
def test_web_refuses_an_unreadable_file_in_swedish(
    council, db_session, outbox, huge_xlsx, case, action
):
    name, content, message = file_cases(huge_xlsx)[case]
    with council.session_transaction() as session:
        session["lang"] = "sv"

    response = upload(council, content, name, action)

    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="file-error"' in html
    assert message in html
    assert (members(db_session), sent_mail(outbox)) == (0, [])


@pytest.mark.parametrize("case", ROW_CASES)
def test_web_dry_run_reports_what_the_real_run_refuses(council, db_session, outbox, case):
    content, message = ROW_CASES[case]

    dry = upload(council, content, "register.csv", "dry_run")
    real = upload(council, content, "register.csv", "import")

    assert (dry.status_code, real.status_code) == (200, 422)
    assert message in dry.get_data(as_text=True)
    assert message in real.get_data(as_text=True)
    assert (members(db_session), sent_mail(outbox)) == (0, [])


def test_web_imports_the_good_row_once_the_cell_is_fixed(council, db_session):
    response = upload(council, as_csv(GOOD), "register.csv", "import")

    assert (response.status_code, members(db_session)) == (200, 1)


# --- the CLI ------------------------------------------------------------------------------------


@pytest.fixture(scope="module", params=BACKENDS)
def cli(request, tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp(f"cli-{request.param}")
    with fresh_database(request.param, tmp_path) as url:
        app = create_app(
            {
                "DATABASE_URL": url,
                "TESTING": True,
                "MAIL_OUTBOX": str(tmp_path / "outbox"),
                "PUBLIC_BASE_URL": "https://levbib.example",
            }
        )
        engine = make_engine(url)
        with Session(engine) as session:
            session.add(Area(code="sepsis", name_sv="Sepsis", name_en="Sepsis"))
            session.commit()
        yield app.test_cli_runner(), engine, tmp_path
        engine.dispose()
        app.extensions["db_engine"].dispose()


def run_cli(cli, name: str, content: bytes, *extra: str):
    runner, engine, tmp_path = cli
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(args=["import-pool", str(path), *extra])
    with Session(engine) as session:
        count = session.exec(select(func.count()).select_from(Member)).one()
    return result, count


@pytest.mark.parametrize("case", FILE_CASES)
@pytest.mark.parametrize("extra", [(), ("--dry-run",)], ids=["import", "dry-run"])
def test_cli_refuses_an_unreadable_file_in_swedish(cli, huge_xlsx, case, extra):
    name, content, message = file_cases(huge_xlsx)[case]

    result, count = run_cli(cli, name, content, *extra)

    assert (result.exit_code, count) == (1, 0), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert message in result.output


@pytest.mark.parametrize("case", ROW_CASES)
def test_cli_dry_run_reports_what_the_real_run_refuses(cli, case):
    content, message = ROW_CASES[case]

    dry, _ = run_cli(cli, "register.csv", content, "--dry-run")
    real, count = run_cli(cli, "register.csv", content)

    assert (dry.exit_code, real.exit_code, count) == (1, 1, 0), dry.output + real.output
    assert isinstance(real.exception, SystemExit)
    assert message in dry.output and message in real.output
    assert HAS_ERRORS_SV in real.output
