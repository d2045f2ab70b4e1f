"""The council's view of the pool: filtered lists of members with their experiences."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, or_
from sqlmodel import Session, select

from app.models import Area, Experience, Member
from app.services.pool.ages import age_band, birth_years_for_band
from app.services.pool.taxonomy import area_and_descendant_ids


@dataclass(frozen=True)
class PoolFilters:
    """Filters of the pool list; None means 'any'."""

    area_id: int | None = None
    experience_type: str | None = None
    age_band: str | None = None
    gender: str | None = None
    status: str | None = None
    pool: str | None = None
    #: Free text matched against name and municipality, case-insensitive; every word must match.
    search: str | None = None


@dataclass(frozen=True, slots=True)
class PoolMember:
    """What a row of the list shows of a member: a few columns, not the whole record (a page
    of a hundred members with their JSON columns, as ORM objects, cost more than the page)."""

    id: int
    first_name: str
    last_name: str
    pool: str
    gender: str
    municipality: str | None
    status: str
    birth_year: int | None

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


@dataclass(frozen=True, slots=True)
class PoolArea:
    """An experience's area as the list names it."""

    code: str
    name_sv: str
    name_en: str

    name = Area.name  # the area's name in a UI language, as the area itself gives it


@dataclass
class PoolRow:
    member: PoolMember
    age_band: str
    experiences: list[tuple[PoolArea, str]] = field(default_factory=list)


@dataclass(frozen=True)
class PoolPage:
    """One page of the filtered pool, and how many members match in all."""

    rows: list[PoolRow]
    total: int
    page: int
    pages: int


#: Members per page of the council's pool list (a page of 10 000 rows helps nobody).
PAGE_SIZE = 100


def list_pool(
    *, session: Session, filters: PoolFilters, page: int | None = None, per_page: int = PAGE_SIZE
) -> list[PoolRow]:
    """Return members matching the filters, each with their experiences (two queries in all).

    With ``page`` (from 1) only that page of ``per_page`` members is returned.
    """
    query = _pool_query(session, filters)
    if page is not None:
        query = query.limit(per_page).offset((max(page, 1) - 1) * per_page)
    members = [PoolMember(*row) for row in session.exec(query)]
    return _with_experiences(session, members)


def pool_page(
    *, session: Session, filters: PoolFilters, page: int = 1, per_page: int = PAGE_SIZE
) -> PoolPage:
    """Return one page of the filtered pool with the total count (three queries in all)."""
    total = session.exec(
        select(func.count()).select_from(_pool_query(session, filters).order_by(None).subquery())
    ).one()
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    rows = list_pool(session=session, filters=filters, page=page, per_page=per_page)
    return PoolPage(rows=rows, total=total, page=page, pages=pages)


def _pool_query(session: Session, filters: PoolFilters):
    query = select(
        Member.id,
        Member.first_name,
        Member.last_name,
        Member.pool,
        Member.gender,
        Member.municipality,
        Member.status,
        Member.birth_year,
    ).order_by(Member.last_name, Member.first_name, Member.id)
    if filters.gender:
        query = query.where(Member.gender == filters.gender)
    if filters.status:
        query = query.where(Member.status == filters.status)
    if filters.pool:
        query = query.where(Member.pool == filters.pool)
    if filters.search:
        query = query.where(*_search_conditions(filters.search))
    if filters.age_band:
        years = birth_years_for_band(filters.age_band)
        if years is not None:
            query = query.where(Member.birth_year.between(*years))
    if filters.area_id is not None or filters.experience_type:
        matching = select(Experience.member_id)
        if filters.area_id is not None:
            area_ids = area_and_descendant_ids(session=session, area_id=filters.area_id)
            matching = matching.where(Experience.area_id.in_(area_ids))
        if filters.experience_type:
            matching = matching.where(Experience.type == filters.experience_type)
        query = query.where(Member.id.in_(matching))
    return query


def _search_conditions(text: str) -> list:
    """Return one condition per word: the word is part of the full name or the municipality."""
    name = func.lower(Member.first_name + " " + Member.last_name)
    municipality = func.lower(Member.municipality)
    return [
        or_(name.contains(word, autoescape=True), municipality.contains(word, autoescape=True))
        for word in text.lower().split()
    ]


def _with_experiences(session: Session, members: list[PoolMember]) -> list[PoolRow]:
    rows = {
        member.id: PoolRow(member=member, age_band=age_band(member.birth_year))
        for member in members
    }
    if not rows:
        return []
    pairs = session.exec(
        select(Experience.member_id, Experience.type, Area.code, Area.name_sv, Area.name_en)
        .join(Area, Area.id == Experience.area_id)
        .where(Experience.member_id.in_(list(rows)))
        .order_by(Area.code)
    )
    for member_id, experience_type, *area in pairs:
        rows[member_id].experiences.append((PoolArea(*area), experience_type))
    return list(rows.values())
