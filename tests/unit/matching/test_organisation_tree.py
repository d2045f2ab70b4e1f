"""Conflict of interest along the organisation tree, unknown availability, area names."""

from __future__ import annotations

import json

import pytest

from matching import RULES, PoolIndex, exclusion_codes, propose, violations
from matching.io import parse_pool, parse_stream
from matching.types import Experience

REGION = "Region Jönköpings län"
CLINIC = "Region Jönköpings län – Psykiatriska kliniken"
SURGERY = "Region Jönköpings län – Kirurgiska kliniken"


def first_rule(member, request) -> str | None:
    code = int(exclusion_codes(PoolIndex([member]), request)[0])
    return None if code == 0 else RULES[code - 1]


def both(member, request) -> tuple[str | None, list[str]]:
    """Return the vectorised rule and the plain reference's rules, which must agree."""
    return first_rule(member, request), violations(member, request)


@pytest.mark.parametrize(
    ("employers", "organisation", "ancestors", "descendants", "expected"),
    [
        # a department of the region orders; the member works for the region
        ((REGION,), "Psykiatriska kliniken", (REGION,), (), "conflict_of_interest"),
        # the region orders; the member works for one of its departments (from the tree)
        (
            ("Psykiatriska kliniken",),
            REGION,
            (),
            ("Psykiatriska kliniken",),
            "conflict_of_interest",
        ),
        # names written "<organisation> – <unit>", no tree at all: both directions
        ((REGION,), CLINIC, (), (), "conflict_of_interest"),
        ((CLINIC,), REGION, (), (), "conflict_of_interest"),
        # a unit of a municipality orders; the member works for the municipality
        (
            ("Jönköpings kommun",),
            "Äldreomsorgen Öster",
            ("Jönköpings kommun",),
            (),
            "conflict_of_interest",
        ),
        # a sibling department is not above or below: no conflict
        ((SURGERY,), CLINIC, (), (), None),
        (("Kirurgiska kliniken",), "Psykiatriska kliniken", (REGION,), (), None),
        # another region or municipality altogether
        (("Region Kalmar län",), CLINIC, (REGION,), (), None),
        (("Habo kommun",), "Äldreomsorgen Öster", ("Jönköpings kommun",), (), None),
        # a name that only begins like the organisation is not a unit of it
        (("Region Jönköpings läns folkhälsoråd",), REGION, (), (), None),
    ],
)
def test_conflict_follows_the_organisation_tree(
    make_member, make_request, employers, organisation, ancestors, descendants, expected
):
    member = make_member(employers=employers)
    request = make_request(
        organisation=organisation,
        organisation_ancestors=ancestors,
        organisation_descendants=descendants,
    )

    assert both(member, request) == (expected, [expected] if expected else [])


def test_a_declared_second_employer_conflicts(make_member, make_request):
    request = make_request(organisation="Psykiatriska kliniken", organisation_ancestors=(REGION,))
    first_only = make_member(employer="Hjärtföreningen")
    second_too = make_member(employer="Hjärtföreningen", employers=("region jönköpings  LÄN",))

    assert both(first_only, request) == (None, [])
    assert both(second_too, request) == ("conflict_of_interest", ["conflict_of_interest"])
    assert second_too.declared_employers == ("Hjärtföreningen", "region jönköpings  LÄN")


def test_updated_index_keeps_more_employers_than_it_had(make_member, make_request):
    index = PoolIndex([make_member("a"), make_member("b", employer="Skola")])
    request = make_request(organisation="Psykiatriska kliniken", organisation_ancestors=(REGION,))

    derived = index.updated([make_member("a", employer="Skola", employers=(REGION,))])

    assert [int(c) for c in exclusion_codes(derived, request)] == [
        RULES.index("conflict_of_interest") + 1,
        0,
    ]


def test_unknown_availability_is_excluded_from_an_ordinary_proposal(make_member, make_request):
    unknown = make_member("u", weekly=())
    known = make_member("k")

    proposal = propose(PoolIndex([unknown, known]), make_request())

    assert (proposal.group, proposal.excluded["u"].rule) == (("k",), "availability_unknown")
    assert "fråga" in proposal.excluded["u"].reason.text("sv")
    assert violations(unknown, make_request()) == ["availability_unknown"]


def test_unknown_availability_is_proposable_and_flagged_in_an_interest_round(
    make_member, make_request
):
    request = make_request(interest_round=True)
    unknown = make_member("u", weekly=())

    proposal = propose(PoolIndex([unknown, make_member("k")]), request)

    assert set(proposal.group) == {"u", "k"}
    flags = {c.member_id: [r.text("sv") for r in c.reasons] for c in proposal.ranked}
    assert flags["u"][0] == "tillgänglighet okänd — fråga först"
    assert not any("tillgänglighet" in text for text in flags["k"])
    assert violations(unknown, request) == []


def test_windows_that_leave_the_time_out_still_exclude_in_an_interest_round(
    make_member, make_request
):
    from datetime import date, time

    from matching.types import BlockedPeriod, WeeklyWindow

    request = make_request(interest_round=True)
    evenings = make_member(weekly=(WeeklyWindow(1, time(18, 0), time(21, 0)),))
    blocked = make_member(weekly=(), blocked=(BlockedPeriod(date(2026, 3, 9), date(2026, 3, 11)),))

    assert both(evenings, request) == ("unavailable", ["unavailable"])
    assert both(blocked, request) == ("unavailable", ["unavailable"])


def test_explanations_take_area_names_from_the_request(make_member, make_request):
    member = make_member(experiences=(Experience("psychiatry/eating_disorders", "relative"),))
    names = {
        "psychiatry": ("Psykisk ohälsa", "Mental ill-health"),
        "psychiatry/eating_disorders": ("Ätstörningar", "Eating disorders"),
    }
    request = make_request(
        areas=("psychiatry",), area_names=names, organisation="Region Östergötland"
    )

    candidate = propose(PoolIndex([member]), request).ranked[0]
    no_area = propose(PoolIndex([make_member(experiences=())]), request).excluded["m1"]

    assert candidate.reasons[0].text("sv") == "närståendeerfarenhet av Ätstörningar"
    assert candidate.reasons[0].text("en") == "experience of Eating disorders as a relative"
    assert no_area.reason.text("sv") == "saknar erfarenhet av Psykisk ohälsa"
    assert no_area.reason.text("en") == "no experience of Mental ill-health"


def test_cli_json_reads_the_new_optional_fields_and_old_json_still_parses():
    pool = [
        {"id": "a", "birth_year": 1970, "gender": "woman", "employer": "X", "employers": ["Y"]},
        {"id": "b", "birth_year": 1970, "gender": "man"},
    ]
    stream = [
        {
            "id": "r",
            "type": "lecture",
            "areas": ["cancer"],
            "sessions": [{"start": "2026-03-10T10:00+01:00", "end": "2026-03-10T12:00+01:00"}],
            "organisation": "Z",
            "organisation_ancestors": ["Y"],
            "organisation_descendants": ["W"],
            "interest_round": True,
            "area_names": {"Cancer": ["Cancer", "Cancer (en)"]},
        }
    ]
    members = parse_pool(json.loads(json.dumps(pool)))
    (request,) = parse_stream(stream)
    old = parse_stream(
        [{k: v for k, v in stream[0].items() if k in ("id", "type", "areas", "sessions")}]
    )[0]

    assert members[0].declared_employers == ("X", "Y")
    assert members[1].declared_employers == ()
    assert (request.organisation_ancestors, request.organisation_descendants) == (("Y",), ("W",))
    assert (request.interest_round, request.area_names) == (
        True,
        {"cancer": ("Cancer", "Cancer (en)")},
    )
    assert (old.interest_round, old.area_names, old.organisation_ancestors) == (False, {}, ())


def test_cli_refuses_bad_area_names():
    from matching.io import InputError

    stream = [
        {
            "id": "r",
            "type": "lecture",
            "areas": ["cancer"],
            "sessions": [{"start": "2026-03-10T10:00+01:00", "end": "2026-03-10T12:00+01:00"}],
            "area_names": {"cancer": "Cancer"},
        }
    ]
    with pytest.raises(InputError, match="area_names"):
        parse_stream(stream)
