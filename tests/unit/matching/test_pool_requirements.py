"""The pool's requirements: a completed introduction and a signed agreement (issue 20)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from matching import RULES, PoolIndex, exclusion_codes, propose, violations


def first_rules(members, request) -> list[str | None]:
    codes = exclusion_codes(PoolIndex(members), request)
    return [None if code == 0 else RULES[int(code) - 1] for code in codes]


def test_rules_sit_after_consent_and_unknown_availability_stays_last():
    assert RULES[1:5] == ("no_consent", "no_introduction", "no_agreement", "no_area")
    assert RULES[-1] == "availability_unknown"


@pytest.mark.parametrize(
    ("rule", "member_changes", "request_changes"),
    [
        ("no_introduction", {"introduced": False}, {"introduction_required_in": ("peer",)}),
        ("no_agreement", {"agreement_signed": False}, {"agreement_required_in": ("peer",)}),
    ],
)
def test_requirement_excludes_only_in_the_pool_that_sets_it(
    make_member, make_request, rule, member_changes, request_changes
):
    peer = make_member("p1", pool="peer", **member_changes)
    library = make_member("l1", pool="levande_bibliotek", **member_changes)
    request = make_request(**request_changes)

    assert first_rules([peer, library], request) == [rule, None]
    assert violations(peer, request) == [rule]
    assert violations(library, request) == []


def test_requirement_off_lets_everyone_through(make_member, make_request):
    missing = make_member(introduced=False, agreement_signed=False)

    assert first_rules([missing], make_request()) == [None]
    assert violations(missing, make_request()) == []


def test_both_requirements_report_introduction_first_with_swedish_reason(make_member, make_request):
    missing = make_member(introduced=False, agreement_signed=False)
    request = make_request(
        introduction_required_in=("levande_bibliotek",),
        agreement_required_in=("levande_bibliotek",),
    )

    proposal = propose(PoolIndex([missing]), request)

    assert proposal.excluded["m1"].rule == "no_introduction"
    assert proposal.excluded["m1"].reason.text("sv") == (
        "har inte gått introduktionen, som poolen kräver"
    )
    assert violations(missing, request) == ["no_introduction", "no_agreement"]


def test_kept_index_follows_a_member_who_completes_the_introduction(make_member, make_request):
    request = make_request(introduction_required_in=("levande_bibliotek",))
    index = PoolIndex([make_member("m1", introduced=False), make_member("m2")])

    updated = index.updated([make_member("m1", introduced=True)])

    assert first_rules(index.members, request) == ["no_introduction", None]
    assert [int(c) for c in exclusion_codes(updated, request)] == [0, 0]
    assert [int(c) for c in exclusion_codes(index, request)] == [
        RULES.index("no_introduction") + 1,
        0,
    ]


def test_fast_path_agrees_with_reference_on_a_mixed_pool(make_member, make_request):
    members = [
        make_member(
            f"m{i}",
            pool=("peer", "levande_bibliotek")[i % 2],
            introduced=bool(i & 2),
            agreement_signed=bool(i & 4),
            consent=i != 5,
        )
        for i in range(12)
    ]
    requests = [
        make_request(),
        make_request(introduction_required_in=("peer",)),
        make_request(agreement_required_in=("levande_bibliotek", "peer")),
        make_request(
            introduction_required_in=("levande_bibliotek",), agreement_required_in=("peer",)
        ),
    ]

    for request in requests:
        expected = [(violations(m, request) or [None])[0] for m in members]
        assert first_rules(members, request) == expected
        assert first_rules([replace(m) for m in reversed(members)], request) == expected[::-1]
