"""The acceptance model live: trained from the invitation history, stored versioned, used.

Training is ``matching.acceptance.fit_acceptance`` (pure); this module reads the answered
booking invitations, stores each trained model as JSON (``acceptance_model``) and gives the
newest to every proposal — if it predicted the newest answers better than the prior
(``beats_prior``); otherwise proposals keep the prior until a retrained version does. Below
``matching.acceptance.MIN_SAMPLES`` answers no model is stored and proposals use the prior
(docs/matching.md explains the minimum).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, select

from app import clock
from app.models import AcceptanceModelVersion, BookingRequest, Invitation, Member, RequestSession
from app.models.base import utcnow
from app.models.enums import InvitationStatus
from matching.acceptance import (
    MIN_SAMPLES,
    PRIOR,
    AcceptanceModel,
    Answer,
    beats_prior,
    fit_acceptance,
    model_from_json,
)

#: Answers the model learns from: a yes, a no, or no answer before the deadline (a no).
ANSWERED = (InvitationStatus.ACCEPTED, InvitationStatus.DECLINED, InvitationStatus.EXPIRED)


@dataclass(frozen=True)
class TrainingRun:
    """What one training did: the model (stored as ``stored``, or None with a reason)."""

    model: AcceptanceModel
    stored: AcceptanceModelVersion | None
    reason: str  # "stored" | "too_few_answers" | "unchanged"
    #: Whether proposals now use the stored model (False: it did no better than the prior).
    in_use: bool = False


def answered_invitations(*, session: Session) -> list[Answer]:
    """Return every answered booking invitation (not interest questions) with its context."""
    rows = list(
        session.exec(
            select(
                Invitation.member_id,
                Invitation.request_id,
                Invitation.sent_at,
                Invitation.status,
                BookingRequest.format,
                BookingRequest.assignment_type,
                Member.municipality,
            )
            .join(BookingRequest, BookingRequest.id == Invitation.request_id)
            .join(Member, Member.id == Invitation.member_id)
            .where(
                Invitation.status.in_([status.value for status in ANSWERED]),
                ~Invitation.is_interest_check,
            )
            .order_by(Invitation.sent_at, Invitation.id)
        )
    )
    if not rows:
        return []
    request_ids = select(Invitation.request_id).where(
        Invitation.status.in_([status.value for status in ANSWERED])
    )
    sessions: dict[int, list[tuple[datetime, datetime]]] = {}
    for request_id, starts_at, ends_at in session.exec(
        select(RequestSession.request_id, RequestSession.starts_at, RequestSession.ends_at).where(
            RequestSession.request_id.in_(request_ids)
        )
    ):
        sessions.setdefault(request_id, []).append((starts_at, ends_at))
    zone = clock.zone()
    answers = []
    for member_id, request_id, sent_at, status, fmt, kind, municipality in rows:
        items = sessions.get(request_id)
        if not items:
            continue
        answers.append(
            Answer(
                member_id=str(member_id),
                sent=sent_at.astimezone(zone),
                start=min(start for start, _ in items).astimezone(zone),
                accepted=status == InvitationStatus.ACCEPTED,
                hours=sum((end - start).total_seconds() for start, end in items) / 3600.0,
                format=fmt,
                type=kind,
                municipality=municipality or "",
            )
        )
    return answers


def latest_version(*, session: Session) -> AcceptanceModelVersion | None:
    """Return the newest stored model, or None."""
    query = select(AcceptanceModelVersion).order_by(AcceptanceModelVersion.version.desc())
    return session.exec(query.limit(1)).first()


def model_versions(*, session: Session) -> list[AcceptanceModelVersion]:
    """Return the stored models, newest first."""
    query = select(AcceptanceModelVersion).order_by(AcceptanceModelVersion.version.desc())
    return list(session.exec(query))


def train_and_store(
    *, session: Session, now: datetime | None = None, min_samples: int = MIN_SAMPLES
) -> TrainingRun:
    """Train on the invitation history and store a new version (skipped if nothing changed)."""
    answers = answered_invitations(session=session)
    data_until = max((a.sent for a in answers), default=None)
    latest = latest_version(session=session)
    if (
        latest is not None
        and latest.n_samples == len(answers)
        and data_until is not None
        and latest.data_until is not None
        and latest.data_until == data_until
    ):
        return TrainingRun(current_model(session=session), None, "unchanged", in_use(latest))
    model = fit_acceptance(answers, min_samples=min_samples)
    if model.params is None:
        return TrainingRun(model, None, "too_few_answers")
    row = AcceptanceModelVersion(
        version=(latest.version + 1) if latest else 1,
        trained_at=now or utcnow(),
        n_samples=model.n_samples,
        metrics=dict(model.metrics),
        params=dict(model.params),
        data_until=data_until,
    )
    session.add(row)
    session.flush()
    stored = model_from_json(row.params, version=row.version, metrics=row.metrics)
    return TrainingRun(stored, row, "stored", in_use(row))


def in_use(row: AcceptanceModelVersion | None) -> bool:
    """Whether proposals use stored version ``row`` (the newest): it beat the prior."""
    return row is not None and beats_prior(row.metrics)


def current_model(*, session: Session) -> AcceptanceModel:
    """Return the model every proposal uses: the newest stored version, else the prior.

    A newest version that predicted the newest answers no better than the prior is not used:
    proposals keep the prior, which then names that version (``rejected_version``).
    """
    row = latest_version(session=session)
    if row is None:
        return PRIOR
    if not in_use(row):
        return replace(PRIOR, metrics={"rejected_version": row.version})
    return model_from_json(row.params, version=row.version, metrics=row.metrics)


def model_record(model: AcceptanceModel) -> dict[str, Any]:
    """Return what a proposal records of its model: source, version and headline figures."""
    metrics = model.metrics or {}
    return {
        "source": model.source,
        "version": model.version,
        "n_samples": model.n_samples,
        "auc": metrics.get("auc"),
        "brier": metrics.get("brier"),
        "n_test": metrics.get("n_test"),
        **(
            {"rejected_version": metrics["rejected_version"]}
            if "rejected_version" in metrics
            else {}
        ),
    }


def answer_count(*, session: Session) -> int:
    """Return how many answered booking invitations there are (for the model page)."""
    query = select(func.count()).where(
        Invitation.status.in_([status.value for status in ANSWERED]),
        ~Invitation.is_interest_check,
    )
    return int(session.exec(query.select_from(Invitation)).one())
