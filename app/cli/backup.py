"""``levbib backup FILE`` and ``levbib restore FILE``."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("backup")
@with_appcontext
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def backup_command(target: Path) -> None:
    """Write a consistent backup of the database and the receipt files to TARGET.

    The app may keep running.
    """
    from app.backup import BackupError, backup_all
    from app.config import receipt_folder

    try:
        count = backup_all(
            current_app.config["DATABASE_URL"], target, receipt_folder(current_app.config)
        )
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Backup written to {target} ({count} receipt files).")


@click.command("restore")
@with_appcontext
@click.argument("source", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the database.")
def restore_command(source: Path, yes: bool) -> None:
    """Replace the database's contents with the backup in SOURCE and put its receipts back.

    Stop the app first.
    """
    from app.backup import BackupError, restore_all
    from app.config import receipt_folder

    if not yes:
        click.confirm("This replaces everything in the database. Go on?", abort=True)
    try:
        count = restore_all(
            current_app.config["DATABASE_URL"], source, receipt_folder(current_app.config)
        )
    except BackupError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Database restored from {source} ({count} receipt files).")
