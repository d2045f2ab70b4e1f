"""``levbib import-pool FILE [--dry-run]``: the council's register import from the command line."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from app.services.errors import InvalidInput
from app.services.messages import N_

FILE_HAS_ERRORS = N_("The file has errors; nothing was imported.")


def _identity(message: str, **params) -> str:
    return message % params if params else message


@click.command("import-pool")
@with_appcontext
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only report what would happen; write nothing.")
def import_pool_command(file: Path, dry_run: bool) -> None:
    """Import the pool register from a .csv or .xlsx FILE (exit status 1 on any error)."""
    from app.cli.commands import _session
    from app.mail.settings import deliver_for_app, mail_translator
    from app.services.pool_import.files import read_register
    from app.services.pool_import.importer import report_lines, run_import
    from app.web.pool_common import welcome_link

    # Refusals in the council's language (the report lines stay as they were).
    translate = mail_translator(current_app.config["BABEL_DEFAULT_LOCALE"])
    with (
        _session() as session,
        current_app.test_request_context(base_url=current_app.config["PUBLIC_BASE_URL"]),
    ):
        try:
            header, rows = read_register(file.name, file.read_bytes())
            report = run_import(
                session=session,
                header=header,
                rows=rows,
                actor_id=None,
                link_for=welcome_link,
                translate=translate,
                dry_run=dry_run,
            )
        except InvalidInput as error:
            session.rollback()
            report = getattr(error, "report", None)
            for line in report_lines(report, _identity) if report else []:
                click.echo(line)
            raise click.ClickException(translate(str(error))) from error
        for line in report_lines(report, _identity):
            click.echo(line)
        if report.has_errors:
            raise click.ClickException(translate(FILE_HAS_ERRORS))
        if dry_run:
            click.echo("Dry run: nothing was written.")
            return
        session.commit()
        deliver_for_app(current_app, session)
        click.echo(f"Imported. Invitations sent: {report.invited}.")
