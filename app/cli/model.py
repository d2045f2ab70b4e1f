"""``levbib model``: train the acceptance model now, or show the one in use; ``levbib
opportunities backfill``: members' shares of past requests (issue 18)."""

from __future__ import annotations

import json

import click
from flask import current_app
from flask.cli import AppGroup

from matching.acceptance import MIN_SAMPLES

model_group = AppGroup("model", help="The acceptance model trained on invitation answers.")


@model_group.command("train")
@click.option(
    "--min-answers",
    type=click.IntRange(min=1),
    default=MIN_SAMPLES,
    show_default=True,
    help="Fewer answered invitations than this: no model, proposals keep the prior.",
)
def train_command(min_answers: int) -> None:
    """Train on the invitation history now and store a new version (as the nightly job does)."""
    from app.services.matchmaking.acceptance_model import train_and_store

    with _session() as session:
        run = train_and_store(session=session, min_samples=min_answers)
        session.commit()
    metrics = dict(run.model.metrics)
    metrics.pop("calibration", None)
    click.echo(
        json.dumps(
            {
                "result": run.reason,
                "version": run.stored.version if run.stored else run.model.version,
                "source": run.model.source,
                # False: it predicted the newest answers no better than the prior, which
                # proposals keep using (docs/matching.md, "The acceptance model live").
                "in_use": run.in_use,
                **metrics,
            },
            indent=2,
        )
    )


@model_group.command("show")
def show_command() -> None:
    """Print the stored versions with their sample size, ROC AUC and Brier score."""
    from app.services.matchmaking.acceptance_model import in_use, model_versions

    with _session() as session:
        rows = model_versions(session=session)
    if not rows:
        click.echo(f"No stored model: proposals use the prior (below {MIN_SAMPLES} answers).")
    elif not in_use(rows[0]):
        click.echo(
            f"Version {rows[0].version} predicted the newest answers no better than the prior: "
            "proposals use the prior."
        )
    for k, row in enumerate(rows):
        auc, brier = row.metrics.get("auc"), row.metrics.get("brier")
        prior = row.metrics.get("prior_brier")
        state = "  in use" if k == 0 and in_use(row) else ""
        click.echo(
            f"version {row.version}  trained {row.trained_at:%Y-%m-%d %H:%M} UTC  "
            f"answers {row.n_samples}  AUC {_figure(auc)}  Brier {_figure(brier)} "
            f"(prior {_figure(prior)}){state}"
        )


def _session():
    """The app's own session factory (tests see their own data through it)."""
    return current_app.extensions["db_session_factory"]()


def _figure(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


opportunities_group = AppGroup(
    "opportunities", help="Members' fair shares of the requests they fitted (the load part)."
)


@opportunities_group.command("backfill")
def backfill_command() -> None:
    """Record shares for staffed requests of the last two years that have none (history)."""
    from app.services.matchmaking.opportunities import backfill_opportunities

    with _session() as session:
        requests, rows = backfill_opportunities(session=session)
        session.commit()
    click.echo(json.dumps({"requests": requests, "rows": rows}))
