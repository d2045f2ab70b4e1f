import pytest
from sqlmodel import Session, select

from app import create_app
from app.db import make_engine
from app.models import Area, Member
from tests.databases import BACKENDS, fresh_database
from tests.pool_support import sent_mail

GOOD = (
    "first_name,last_name,email,birth_year,gender,pool,experiences\n"
    "Anna,Andersson,anna@example.org,1968,woman,levande_bibliotek,sepsis:own\n"
    "Bo,Berg,bo@example.org,1955,man,peer,\n"
)
BAD = GOOD + "Cia,Carlsson,cia@example.org,18,woman,peer,nowhere:own\n"


@pytest.fixture(params=BACKENDS)
def cli(request, tmp_path):
    with fresh_database(request.param, tmp_path) as url:
        outbox = tmp_path / "outbox"
        app = create_app(
            {
                "DATABASE_URL": url,
                "TESTING": True,
                "MAIL_OUTBOX": str(outbox),
                "PUBLIC_BASE_URL": "https://levbib.example",
            }
        )
        engine = make_engine(url)
        with Session(engine) as session:
            session.add(Area(code="sepsis", name_sv="Sepsis", name_en="Sepsis"))
            session.commit()
        yield app.test_cli_runner(), engine, tmp_path, outbox
        engine.dispose()
        app.extensions["db_engine"].dispose()


def emails(engine):
    with Session(engine) as session:
        return sorted(session.exec(select(Member.email)).all())


def test_dry_run_prints_the_report_and_writes_nothing(cli):
    runner, engine, tmp_path, outbox = cli
    (tmp_path / "pool.csv").write_text(GOOD)

    result = runner.invoke(args=["import-pool", str(tmp_path / "pool.csv"), "--dry-run"])

    assert result.exit_code == 0, result.output
    assert "row 2: create anna@example.org (Anna Andersson)" in result.output
    assert "2 to create, 0 to update, 0 unchanged, 0 with errors." in result.output
    assert emails(engine) == []


def test_real_run_then_re_run(cli):
    runner, engine, tmp_path, outbox = cli
    (tmp_path / "pool.csv").write_text(GOOD)

    first = runner.invoke(args=["import-pool", str(tmp_path / "pool.csv")])
    again = runner.invoke(args=["import-pool", str(tmp_path / "pool.csv")])

    assert (first.exit_code, again.exit_code) == (0, 0), first.output + again.output
    assert "Invitations sent: 2." in first.output
    assert "0 to create, 0 to update, 2 unchanged, 0 with errors." in again.output
    assert emails(engine) == ["anna@example.org", "bo@example.org"]
    links = [mail.get_payload(decode=True).decode() for mail in sent_mail(outbox)]
    assert len(links) == 2 and all("https://levbib.example/welcome/" in body for body in links)


@pytest.mark.parametrize("dry_run", [True, False])
def test_any_error_exits_non_zero_and_writes_nothing(cli, dry_run):
    runner, engine, tmp_path, outbox = cli
    (tmp_path / "pool.csv").write_text(BAD)

    result = runner.invoke(
        args=["import-pool", str(tmp_path / "pool.csv")] + (["--dry-run"] if dry_run else [])
    )

    assert result.exit_code == 1
    assert "row 4: error cia@example.org (Cia Carlsson)" in result.output
    assert "Unknown area nowhere." in result.output
    assert emails(engine) == []
    assert sent_mail(outbox) == []


def test_unreadable_file_exits_non_zero(cli):
    runner, _engine, tmp_path, _outbox = cli
    (tmp_path / "pool.txt").write_text("x")

    result = runner.invoke(args=["import-pool", str(tmp_path / "pool.txt")])

    assert result.exit_code == 1
    assert "Ladda upp en fil av typen .csv eller .xlsx." in result.output
