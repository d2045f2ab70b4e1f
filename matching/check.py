"""Hard rules for one member, written plainly: the reference the vectorised rules are tested
against, and the independent check the simulator uses to audit every selection."""

from __future__ import annotations

from datetime import timedelta

from matching.eligibility import DEFAULT_BUFFER_MINUTES, RULES, travel_buffer
from matching.index import booking_units, local, month_key, shifted
from matching.taxonomy import matches, normalise_area, organisation_heads, organisation_key
from matching.types import Member, Request, Session


def _fits_window(member: Member, session: Session, buffer: timedelta) -> bool:
    start, end = shifted(session.start, -buffer), shifted(session.end, buffer)
    midnight = end.hour == 0 and end.minute == 0 and end.date() == start.date() + timedelta(days=1)
    if start.date() != end.date() and not midnight:
        return False
    lo = start.hour * 60 + start.minute
    hi = 1440 if midnight else end.hour * 60 + end.minute
    windows = _merged(member, start.weekday())
    return any(a <= lo and hi <= b for a, b in windows)


def _merged(member: Member, weekday: int) -> list[tuple[int, int]]:
    spans = sorted(
        (w.start.hour * 60 + w.start.minute, w.end.hour * 60 + w.end.minute or 1440)
        for w in member.weekly
        if w.weekday == weekday
    )
    out: list[tuple[int, int]] = []
    for a, b in spans:
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def _available(member: Member, request: Request, buffer: timedelta) -> bool:
    for s in request.sessions:
        if member.weekly and not _fits_window(member, s, buffer):
            return False
        first = local(s.start).date()
        last = shifted(s.end, -timedelta(microseconds=1)).date()
        if member.paused_until and first <= member.paused_until:
            return False
        if any(b.start <= last and b.end >= first for b in member.blocked):
            return False
    return True


def _booked(member: Member, request: Request, buffer: timedelta) -> bool:
    pad = buffer.total_seconds()
    return any(
        b.start.timestamp() < s.end.timestamp() + pad
        and b.end.timestamp() > s.start.timestamp() - pad
        for s in request.sessions
        for b in member.bookings
    )


def _over_monthly_max(member: Member, request: Request) -> bool:
    months = [month for _, month in booking_units(0, member.bookings)[1]]
    months += [m for h in member.history if h.is_work for m in {month_key(d) for d in h.months}]
    for month in {month_key(local(s.start).date()) for s in request.sessions}:
        if months.count(month) + 1 > member.max_per_month:
            return True
    return False


def _conflict(member: Member, request: Request) -> bool:
    """Employed by the ordering organisation, one above it or one below it (or a unit of
    the ordering organisation or of one below it, written "<organisation> – <unit>")."""
    own = organisation_key(request.organisation)
    above = {organisation_key(n) for n in request.organisation_ancestors}
    above.update(organisation_heads(own))
    below = {own, *(organisation_key(n) for n in request.organisation_descendants)}
    for name in member.declared_employers:
        key = organisation_key(name)
        if key in above or key in below or any(h in below for h in organisation_heads(key)):
            return True
    return False


def _fitting_types(member: Member, request: Request) -> set[str]:
    wanted = [normalise_area(a) for a in request.areas]
    return {
        e.type
        for e in member.experiences
        if any(matches(w, normalise_area(e.area)) for w in wanted)
    }


def violations(
    member: Member, request: Request, *, buffer_minutes: int = DEFAULT_BUFFER_MINUTES
) -> list[str]:
    """Return every hard rule ``member`` breaks for ``request``, in RULES order."""
    buffer = travel_buffer(request, buffer_minutes)
    types = _fitting_types(member, request)
    age = local(request.first_start).year - member.birth_year
    failed = {
        "inactive": not member.active,
        "no_consent": not member.consent,
        "no_introduction": member.pool in request.introduction_required_in
        and not member.introduced,
        "no_agreement": member.pool in request.agreement_required_in
        and not member.agreement_signed,
        "no_area": not types,
        "wrong_experience_type": request.experience != "any" and request.experience not in types,
        "unavailable": not _available(member, request, buffer),
        "already_booked": _booked(member, request, buffer),
        "monthly_max": _over_monthly_max(member, request),
        "assignment_type": bool(member.assignment_types)
        and request.type not in member.assignment_types,
        "format": request.format not in member.formats,
        "language": request.language not in member.languages,
        "conflict_of_interest": _conflict(member, request),
        "age_range": request.age_range is not None
        and not request.age_range[0] <= age <= request.age_range[1],
        "availability_unknown": member.availability_unknown and not request.interest_round,
    }
    return [rule for rule in RULES if failed[rule]]
