"""Explanations: plain sentences in Swedish and English for the group and the excluded."""

from __future__ import annotations

from datetime import date

from matching import PoolIndex, propose
from matching.explain import Exclusions, exclusions_by_rule
from matching.types import Experience, HistoryEntry


def test_group_reasons_in_swedish_and_english(make_member, make_request):
    own = make_member("own", history=(HistoryEntry(date(2025, 10, 5), 2.0),))
    relative = make_member(
        "relative",
        experiences=(Experience("psychiatry/psychosis", "relative"),),
        history=(HistoryEntry(date(2026, 1, 20), 2.0), HistoryEntry(date(2026, 2, 20), 2.0)),
    )

    proposal = propose(PoolIndex([relative, own]), make_request())
    reasons = {c.member_id: c.reasons for c in proposal.ranked}

    assert proposal.group == ("own", "relative")
    assert [r.text("sv") for r in reasons["own"]] == [
        "egen erfarenhet av psykos",
        "inget uppdrag på 5 månader",
        "1 uppdrag de senaste 12 månaderna",
        "svarar troligen ja (uppskattad chans 80 %)",
    ]
    assert [r.text("sv") for r in reasons["relative"]] == [
        "närståendeerfarenhet av psykos",
        "2 uppdrag de senaste 12 månaderna",
        "kompletterar gruppen med närståendeperspektiv",
        "svarar troligen ja (uppskattad chans 80 %)",
    ]
    assert [r.text("en") for r in reasons["relative"]] == [
        "experience of psychosis as a relative",
        "2 assignments in the last 12 months",
        "adds a relative's perspective to the group",
        "likely to say yes (estimated chance 80 %)",
    ]


def test_newcomer_wish_and_decline_reasons(make_member, make_request):
    declines = tuple(HistoryEntry(date(2025, 12, d), 0.0, "declined") for d in (1, 2, 3))
    newcomer = make_member(
        "n", joined=date(2025, 12, 1), assignment_types=("education",), history=declines
    )

    candidate = propose(PoolIndex([newcomer]), make_request()).ranked[0]

    assert [r.text("en") for r in candidate.reasons] == [
        "own experience of psychosis",
        "new in the pool (3 months), no assignment yet",
        "has asked for education assignments",
        "often declines, so is asked less often",
        "unsure whether they will say yes (estimated chance 50 %)",
    ]
    codes = ["experience", "load", "wish", "answers", "acceptance"]
    assert [r.code for r in candidate.reasons] == codes


def test_exclusion_reasons_name_the_request(make_member, make_request):
    members = [
        make_member("cancer", experiences=(Experience("cancer", "own"),)),
        make_member("employee", employer="Region Jönköpings län"),
        make_member("young", birth_year=2001),
    ]

    excluded = propose(PoolIndex(members), make_request(age_range=(30, 70))).excluded

    assert {mid: ex.reason.text("sv") for mid, ex in excluded.items()} == {
        "cancer": "saknar erfarenhet av psykos",
        "employee": "jäv: anställd hos beställaren (Region Jönköpings län) eller en organisation "
        "över eller under den",
        "young": "utanför åldersspannet 30–70 år",
    }
    assert excluded["young"].reason.text("en") == "outside the age range 30–70"
    assert [excluded[m].rule for m in excluded] == ["no_area", "conflict_of_interest", "age_range"]
    assert len(excluded) == 3


def test_quiet_year_names_only_the_gap(make_member, make_request):
    quiet = make_member(history=(HistoryEntry(date(2024, 12, 1), 2.0),))

    reasons = propose(PoolIndex([quiet]), make_request()).ranked[0].reasons

    assert [r.text("sv") for r in reasons] == [
        "egen erfarenhet av psykos",
        "inget uppdrag på 15 månader",
        "svarar troligen ja (uppskattad chans 80 %)",
    ]


def test_exclusions_counted_by_rule_as_one_by_one(make_member, make_request):
    members = [
        make_member("cancer1", experiences=(Experience("cancer", "own"),)),
        make_member("young1", birth_year=2001),
        make_member("fits"),
        make_member("cancer2", experiences=(Experience("cancer", "own"),)),
        make_member("young2", birth_year=2003),
        make_member("cancer3", experiences=(Experience("cancer", "own"),)),
    ]
    excluded = propose(PoolIndex(members), make_request(age_range=(30, 70))).excluded

    counted = exclusions_by_rule(excluded)
    one_by_one = exclusions_by_rule(dict(excluded.items()))  # the plain mapping's path

    assert isinstance(excluded, Exclusions)
    assert list(counted) == ["no_area", "age_range"]  # in order of the first person excluded
    assert {rule: (reason.text("en"), n) for rule, (reason, n) in counted.items()} == {
        "no_area": ("no experience of psychosis", 3),
        "age_range": ("outside the age range 30–70", 2),
    }
    assert counted == one_by_one
