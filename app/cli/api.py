"""``levbib api-token create|revoke|list``: API tokens from the command line (secret shown once)."""

from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import AppGroup

api_token_group = AppGroup("api-token", help="Tokens for the JSON API (/api/v1/).")


@api_token_group.command("create")
@click.option("--user", "email", required=True, help="Email of the user the token acts as.")
@click.option("--name", default="", help="What the token is for (default: the user's email).")
@click.option("--days", type=click.IntRange(1, 3650), default=None, help="Expire after N days.")
def create_command(email: str, name: str, days: int | None) -> None:
    """Create a token bound to a user and print it once; only its hash is stored."""
    from app.cli.commands import _session
    from app.models.base import utcnow
    from app.services.accounts.api_tokens import create_api_token
    from app.services.accounts.users import find_user_by_email
    from app.services.errors import ServiceError

    with _session() as session:
        user = find_user_by_email(session=session, email=email)
        if user is None:
            raise click.BadParameter(f"no user with the email {email!r}", param_hint="--user")
        expires = utcnow() + timedelta(days=days) if days else None
        try:
            made = create_api_token(
                session=session,
                user=user,
                name=name or user.email,
                actor_id=None,
                expires_at=expires,
            )
        except ServiceError as error:
            raise click.ClickException(str(error)) from error
        session.commit()
        click.echo(f"Token {made.token.id} for {user.email} ({user.role}). It is shown only now:")
        click.echo(made.secret)


@api_token_group.command("revoke")
@click.argument("token_id", type=int)
def revoke_command(token_id: int) -> None:
    """Revoke token TOKEN_ID at once."""
    from app.cli.commands import _session
    from app.services.accounts.api_tokens import revoke_api_token
    from app.services.errors import ServiceError

    with _session() as session:
        try:
            revoke_api_token(session=session, token_id=token_id, actor_id=None)
        except ServiceError as error:
            raise click.ClickException(str(error)) from error
        session.commit()
    click.echo(f"Token {token_id} is revoked.")


@api_token_group.command("list")
def list_command() -> None:
    """List tokens: id, prefix, user, name, state."""
    from app.cli.commands import _session
    from app.services.accounts.api_tokens import list_api_tokens

    with _session() as session:
        for token, user in list_api_tokens(session=session):
            state = "revoked" if token.revoked_at else "active"
            click.echo(f"{token.id}\t{token.prefix}…\t{user.email}\t{token.name}\t{state}")
