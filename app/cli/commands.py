"""The ``levbib`` command: the app's Flask CLI (run, db, demo-data, create-user)."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import AppGroup, FlaskGroup, with_appcontext
from flask.cli import run_command as flask_run_command
from sqlmodel import Session

from app.services.errors import ServiceError


def _create_app() -> Flask:
    from app import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """Levande bibliotek: matching and booking service."""


@click.command(
    "run",
    params=flask_run_command.params,
    help=flask_run_command.help,
    short_help=flask_run_command.short_help,
    context_settings=flask_run_command.context_settings,
)
@click.pass_context
def run_command(ctx: click.Context, **options) -> None:
    """Flask's development server; without PUBLIC_BASE_URL, links in mail point to its port."""
    from app.config import default_public_base_url

    # Before the app is created below (and inherited by the reloader's child process).
    default_public_base_url(options["host"], options["port"], https=bool(options.get("cert")))
    ctx.invoke(flask_run_command, **options)


# A plain click command (AppGroup.command would load the app before the port is known).
main.add_command(run_command)


def _session() -> Session:
    from app.db import make_engine

    engine = current_app.extensions.get("db_engine") or make_engine(
        current_app.config["DATABASE_URL"]
    )
    return Session(engine, expire_on_commit=False)


db_group = AppGroup("db", help="Database schema migrations (Alembic).")


@db_group.command("upgrade")
@click.argument("revision", default="head")
def db_upgrade(revision: str) -> None:
    """Upgrade the database schema (default: to the newest revision)."""
    from app.migrate import upgrade

    upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database upgraded to {revision}.")


@db_group.command("downgrade")
@click.argument("revision")
def db_downgrade(revision: str) -> None:
    """Downgrade the database schema to REVISION (e.g. base)."""
    from app.migrate import downgrade

    downgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database downgraded to {revision}.")


@click.command("demo-data")
@with_appcontext
def demo_data() -> None:
    """Load the demo pool, organisations, requests and logins (safe to run twice)."""
    from app.services.demo.data import DEMO_PASSWORD, load_demo_data
    from app.services.matchmaking.opportunities import backfill_opportunities

    with _session() as session:
        summary = load_demo_data(session=session)
        session.commit()
        # The demo's history has no approvals: give its staffed requests their shares.
        backfill_opportunities(session=session)
        session.commit()
    click.echo(summary.describe())
    click.echo(f"Demo logins (password: {DEMO_PASSWORD}):")
    for role, email in summary.logins.items():
        click.echo(f"  {role:8} {email}")


@click.command("create-user")
@with_appcontext
@click.option("--email", required=True)
@click.option("--role", required=True, type=click.Choice(["admin", "council", "orderer", "member"]))
@click.option("--name", "full_name", default="")
@click.option("--organisation", default=None, help="Organisation name (orderers).")
@click.password_option()
def create_user_command(
    email: str, role: str, full_name: str, organisation: str | None, password: str
):
    """Create a user account."""
    from sqlmodel import select

    from app.models import Organisation
    from app.services.accounts.users import create_user

    with _session() as session:
        organisation_id = None
        if organisation:
            found = session.exec(
                select(Organisation).where(Organisation.name == organisation)
            ).first()
            if found is None:
                raise click.BadParameter(
                    f"no organisation named {organisation!r}", param_hint="--organisation"
                )
            organisation_id = found.id
        try:
            user = create_user(
                session=session,
                email=email,
                password=password,
                role=role,
                full_name=full_name,
                organisation_id=organisation_id,
            )
        except ServiceError as error:
            raise click.ClickException(str(error)) from error
        session.commit()
        click.echo(f"Created {user.role} {user.email} (id {user.id}).")


def register_commands(app: Flask) -> None:
    """Attach the project's commands to the app's CLI."""
    from app.cli.pool_import import import_pool_command

    app.cli.add_command(db_group)
    app.cli.add_command(demo_data)
    app.cli.add_command(create_user_command)
    app.cli.add_command(import_pool_command)
    from app.cli.fees import fees_group

    app.cli.add_command(fees_group)
    from app.cli.booking import expire_invitations_command

    app.cli.add_command(expire_invitations_command)
    from app.cli.api import api_token_group
    from app.cli.backup import backup_command, restore_command

    app.cli.add_command(api_token_group)  # issue 9
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    from app.cli.scheduler import scheduler_command

    app.cli.add_command(scheduler_command)  # issue 6
    from app.cli.model import model_group, opportunities_group

    app.cli.add_command(model_group)  # issue 18
    app.cli.add_command(opportunities_group)
