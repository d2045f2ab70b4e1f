"""The demo's recruitment: targets, applicants at each step, a nomination and training events.

Everything goes through the services the council's pages use, so the rows are audited and
mailed as in real use (mail only waits in the outbox until the scheduler sends it).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from app import clock
from app.mail.context import MailContext
from app.models import Area, Member, Organisation, User
from app.models.enums import (
    ApplicantStatus,
    Gender,
    Mandate,
    MemberStatus,
    TrainingAttendance,
    TrainingKind,
)
from app.services.nominations.nominate import NominationInput, create_nomination, name_nominee
from app.services.nominations.register import OrganisationInput, update_patient_organisation
from app.services.privacy.consent import CONSENT_TEXT_VERSION
from app.services.recruitment.applications import ApplicationInput, submit_application
from app.services.recruitment.pipeline import Move, move_applicant
from app.services.recruitment.targets import TargetInput, create_target
from app.services.training.bookings import book_event, record_attendance
from app.services.training.events import EventInput, create_event

#: Own applications: name, age, gender, municipality, (area code, experience), steps taken.
APPLICANTS = [
    ("Elin", "Sandberg", 24, Gender.WOMAN, "Jönköping", ("psychiatry", "own"), ()),
    (
        "Ahmed",
        "Hassan",
        36,
        Gender.MAN,
        "Värnamo",
        ("cancer", "relative"),
        (ApplicantStatus.CONVERSATION_BOOKED,),
    ),
    (
        "Sara",
        "Lindqvist",
        27,
        Gender.WOMAN,
        "Nässjö",
        ("psychiatry", "own"),
        (ApplicantStatus.CONVERSATION_BOOKED, ApplicantStatus.INTRODUCTION),
    ),
    ("Bengt", "Ek", 71, Gender.MAN, "Eksjö", ("heart_lung", "own"), (ApplicantStatus.NOT_NOW,)),
]
#: Swedish letters → the plain ones an e-mail address keeps.
ASCII = str.maketrans("åäö", "aao")
#: Days from the demo's today to the end of the representative's mandate (within the 60-day
#: reminder window, so the daily mandate job has something to mail).
MANDATE_ENDS_IN_DAYS = 45


def add_demo_recruitment(
    *,
    session: Session,
    areas: dict[str, Area],
    organisation: Organisation,
    members: list[Member],
    council: User,
    today: date,
) -> dict[str, int]:
    """Add targets, applicants, a nomination, a mandate ending soon and training events."""
    ctx = MailContext()
    now = datetime.combine(today, time(9), tzinfo=clock.zone())
    targets = _add_targets(session, areas, council, today)
    applicants = _add_applicants(session, areas, council, ctx, now)
    nominated = _add_nomination(session, areas, organisation, council, ctx, now)
    _end_a_mandate_soon(session, organisation, members, today)
    events = _add_training(session, members, council, ctx, now)
    return {
        "recruitment targets": targets,
        "applicants": applicants + nominated,
        "training events": events,
    }


def _add_targets(session: Session, areas, council: User, today: date) -> int:
    # Set now (after the members were stored), so the demo pool itself does not count as new.
    wanted = [
        TargetInput(
            wanted_count=5,
            due_on=today + timedelta(days=180),
            age_min=18,
            age_max=29,
            experience_type="own",
            area_id=areas["psychiatry"].id,
            note="Unga med egen erfarenhet av psykisk ohälsa saknas i poolen.",
        ),
        TargetInput(wanted_count=4, due_on=today + timedelta(days=270), gender=Gender.MAN),
    ]
    for data in wanted:
        create_target(data, session=session, actor_id=council.id)
    return len(wanted)


def _application(
    first, last, age, gender, municipality, experience, areas, today
) -> ApplicationInput:
    code, kind = experience
    return ApplicationInput(
        first_name=first,
        last_name=last,
        email=f"{first}.{last}@exempel.se".lower().translate(ASCII),
        phone="070-123 45 67",
        birth_year=today.year - age,
        gender=gender,
        municipality=municipality,
        experiences=((areas[code].id, kind),),
        participation=("dialogue", "education"),
        needs="",
    )


def _add_applicants(session: Session, areas, council: User, ctx: MailContext, now) -> int:
    for index, (first, last, age, gender, place, experience, steps) in enumerate(APPLICANTS):
        came_in = now - timedelta(days=30 - 5 * index)
        applicant = submit_application(
            _application(first, last, age, gender, place, experience, areas, now.date()),
            session=session,
            consent_text_version=CONSENT_TEXT_VERSION,
            now=came_in,
        )
        for step_number, status in enumerate(steps, start=1):
            reason = "Hör av dig igen till våren." if status == ApplicantStatus.NOT_NOW else ""
            move_applicant(
                session=session,
                applicant=applicant,
                move=Move(status=status, reason=reason),
                actor=council,
                ctx=ctx,
                welcome_link=lambda _user: "",
                now=came_in + timedelta(days=3 * step_number),
            )
    return len(APPLICANTS)


def _add_nomination(session: Session, areas, organisation, council, ctx, now) -> int:
    """Give the patient organisation a contact and ask it for two representatives; one named."""
    update_patient_organisation(
        session=session,
        organisation_id=organisation.id,
        data=OrganisationInput(
            name=organisation.name,
            contact_name="Karin Holm",
            contact_email="kontakt@reumatiker-jkpg.exempel.se",
            contact_phone="036-12 34 56",
            member_count=1200,
            area_ids=(areas["rheumatology"].id,),
        ),
        actor_id=council.id,
    )
    _nomination, secret = create_nomination(
        session=session,
        organisation_id=organisation.id,
        data=NominationInput(
            area_id=areas["rheumatology"].id,
            seats=2,
            mandate_ends_on=now.date() + timedelta(days=2 * 365),
            answer_by=now.date() + timedelta(days=21),
            purpose="Två representanter till arbetsgruppen om reumatologins vårdförlopp.",
        ),
        actor_id=council.id,
        ctx=ctx,
        now=now - timedelta(days=7),
    )
    name_nominee(
        session=session,
        token=secret,
        nominee=_application(
            "Lena",
            "Björk",
            58,
            Gender.WOMAN,
            "Jönköping",
            ("rheumatology", "own"),
            areas,
            now.date(),
        ),
        experience_type="own",
        has_consent=True,
        ctx=ctx,
        now=now - timedelta(days=2),
    )
    return 1


def _end_a_mandate_soon(session, organisation, members, today) -> None:
    """Give one representative a mandate ending soon, as the demo stores its members.

    Not ``renew_mandate``: that is the council's audited renewal, refused for any end date
    before the machine's today, and the demo may be loaded as of another day.
    """
    member = next(
        m
        for m in members
        if m.mandate == Mandate.ORGANISATION
        and m.mandate_organisation_id == organisation.id
        and m.status == MemberStatus.ACTIVE
    )
    member.mandate_ends_on = today + timedelta(days=MANDATE_ENDS_IN_DAYS)
    session.add(member)


def _event(kind: str, title: str, starts_at: datetime, description: str) -> EventInput:
    return EventInput(
        kind=kind,
        title=title,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=3),
        capacity=12,
        place="Länssjukhuset Ryhov, sal Vättern",
        description=description,
    )


def _add_training(session: Session, members: list[Member], council, ctx, now) -> int:
    """An introduction in two weeks with the demo member booked; a past training with attendance."""
    active = [m for m in members if m.status == MemberStatus.ACTIVE and m.consent_given_at]
    upcoming = create_event(
        _event(
            TrainingKind.INTRODUCTION,
            "Introduktion för nya medlemmar",
            now + timedelta(days=14, hours=4),
            "Om uppdragen, sekretess och hur ett samtal går till.",
        ),
        session=session,
        actor_id=council.id,
        now=now - timedelta(days=10),
    )
    demo_member = next((m for m in members if m.user_id is not None), active[0])
    book_event(session=session, member=demo_member, event_id=upcoming.id, ctx=ctx, now=now)
    held_at = now - timedelta(days=20)
    past = create_event(
        _event(
            TrainingKind.TRAINING,
            "Att berätta sin historia",
            held_at,
            "Fortbildning: att berätta om sin erfarenhet inför en grupp.",
        ),
        session=session,
        actor_id=council.id,
        now=held_at - timedelta(days=30),
    )
    bookings = [
        book_event(
            session=session, member=m, event_id=past.id, ctx=ctx, now=held_at - timedelta(days=14)
        )
        for m in active[1:4]
    ]
    marks = [TrainingAttendance.ATTENDED, TrainingAttendance.ATTENDED, TrainingAttendance.ABSENT]
    record_attendance(
        session=session,
        event=past,
        marks={b.id: mark for b, mark in zip(bookings, marks, strict=True)},
        actor_id=council.id,
        now=held_at + timedelta(hours=4),
    )
    return 2
