"""The offline CLI: documented output shape, and bad input -> exit 2 naming field and record."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
MEMBER = {
    "id": "m1",
    "birth_year": 1970,
    "gender": "woman",
    "experiences": [{"area": "psychiatry/psychosis", "type": "own"}],
    "availability": {"weekly": [{"weekday": 1, "start": "08:00", "end": "17:00"}]},
}
REQUEST = {
    "id": "r1",
    "organisation": "Region Jönköpings län",
    "type": "education",
    "areas": ["psychiatry"],
    "count": 2,
    "sessions": [{"start": "2026-03-10T10:00", "end": "2026-03-10T12:00"}],
    "format": "onsite",
}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "matching", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )


def write(tmp_path: Path, name: str, data) -> str:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("member", "request_", "expected"),
    [
        (
            {**MEMBER, "birth_year": "1970"},
            REQUEST,
            ["member #0 (id 'm1')", "'birth_year'", "integer"],
        ),
        ({**MEMBER, "gender": "female"}, REQUEST, ["member #0 (id 'm1')", "'gender'", "woman"]),
        ({k: v for k, v in MEMBER.items() if k != "id"}, REQUEST, ["member #0", "'id'", "missing"]),
        (
            {
                **MEMBER,
                "availability": {"weekly": [{"weekday": 8, "start": "08:00", "end": "17:00"}]},
            },
            REQUEST,
            ["member #0 (id 'm1'), availability.weekly #0", "'weekday'"],
        ),
        (
            MEMBER,
            {k: v for k, v in REQUEST.items() if k != "sessions"},
            ["request #0 (id 'r1')", "'sessions'"],
        ),
        (
            MEMBER,
            {**REQUEST, "sessions": [{"start": "2026-13-01T10:00", "end": "2026-03-10T12:00"}]},
            ["request #0 (id 'r1'), sessions #0", "'start'", "YYYY-MM-DDTHH:MM"],
        ),
        (MEMBER, {**REQUEST, "type": "party"}, ["request #0 (id 'r1')", "'type'", "education"]),
        (MEMBER, {**REQUEST, "count": 0}, ["request #0 (id 'r1')", "'count'"]),
        (
            MEMBER,
            {**REQUEST, "quotas": [{"field": "gender", "value": "female", "min": 1}]},
            ["request #0 (id 'r1'), quotas #0", "'value'", "woman"],
        ),
        (
            MEMBER,
            {**REQUEST, "quotas": [{"field": "age", "value": [18], "min": 1}]},
            ["request #0 (id 'r1'), quotas #0", "'value'", "[min_age, max_age]"],
        ),
        (
            MEMBER,
            {**REQUEST, "quotas": [{"field": "mandate", "value": "self", "min": 3}]},
            ["request #0 (id 'r1'), quotas #0", "'min'", "more than count"],
        ),
        (
            MEMBER,
            {**REQUEST, "quotas": {"field": "mandate"}},
            ["request #0 (id 'r1')", "'quotas'", "a list"],
        ),
        (MEMBER, {**REQUEST, "balance": "strict"}, ["request #0 (id 'r1')", "'balance'", "hard"]),
        (
            MEMBER,
            {**REQUEST, "target": {"age_band": {"18-34": 0.5}}},
            ["request #0 (id 'r1')", "'target'", "'18-34' is not one of 18–34, 35–49"],
        ),
        (
            MEMBER,
            {**REQUEST, "invited_at": "soon"},
            ["request #0 (id 'r1')", "'invited_at'", "YYYY-MM-DDTHH:MM"],
        ),
        (
            MEMBER,
            {**REQUEST, "target": {"gender": {"woman": 2}}},
            ["request #0 (id 'r1')", "'target'", "shares from 0 to 1"],
        ),
        (
            {**MEMBER, "opportunities": [{"date": "2026-01-05", "share": -0.5}]},
            REQUEST,
            ["opportunities #0", "'share'", "must not be negative"],
        ),
    ],
)
def test_rank_bad_input_exits_2_naming_field_and_record(tmp_path, member, request_, expected):
    pool = write(tmp_path, "pool.json", [member])
    request = write(tmp_path, "request.json", request_)

    result = run("rank", "--pool", pool, "--request", request)

    assert result.returncode == 2
    assert all(part in result.stderr for part in expected), result.stderr
    assert "Traceback" not in result.stderr
    assert result.stdout == ""


def test_bad_json_and_unknown_history_member_exit_2(tmp_path):
    pool = write(tmp_path, "pool.json", [MEMBER])
    request = write(tmp_path, "request.json", REQUEST)
    broken = write(tmp_path, "broken.json", '[{"id": "m1",')
    history = write(
        tmp_path, "history.json", [{"member": "ghost", "date": "2025-01-01", "answer": "declined"}]
    )

    syntax = run("rank", "--pool", broken, "--request", request)
    unknown = run("rank", "--pool", pool, "--request", request, "--history", history)

    assert (syntax.returncode, unknown.returncode) == (2, 2)
    assert "not valid JSON" in syntax.stderr
    assert "entry #0: field 'member': unknown member id 'ghost'" in unknown.stderr
    assert "Traceback" not in syntax.stderr + unknown.stderr


def test_simulate_bad_stream_record_exits_2(tmp_path):
    pool = write(tmp_path, "pool.json", [MEMBER])
    stream = write(tmp_path, "stream.json", [REQUEST, {**REQUEST, "id": "r2", "areas": []}])

    result = run("simulate", "--pool", pool, "--requests", stream)

    assert result.returncode == 2
    assert "request #1 (id 'r2'): field 'areas'" in result.stderr
    assert "Traceback" not in result.stderr


def test_rank_output_shape_on_examples():
    result = run(
        "rank",
        "--pool", str(EXAMPLES / "pool.json"),
        "--request", str(EXAMPLES / "request.json"),
        "--history", str(EXAMPLES / "history.json"),
    )  # fmt: skip
    out = json.loads(result.stdout)

    assert result.returncode == 0
    assert list(out) == ["request", "group", "reserve", "ranked", "excluded", "unmet_quotas"]
    assert out["request"] == "r-demo-1"
    assert len(out["group"]) == 2
    assert all(list(c) == ["member", "score", "parts", "reasons"] for c in out["ranked"])
    assert all(list(c["parts"]) == ["relevance", "load", "acceptance"] for c in out["ranked"])
    ranked_ids = [c["member"] for c in out["ranked"]]
    assert set(out["group"]) <= set(ranked_ids)
    assert not set(ranked_ids) & set(out["excluded"])
    assert [c["score"] for c in out["ranked"]] == sorted(
        (c["score"] for c in out["ranked"]), reverse=True
    )
    assert all(isinstance(r, str) and r for r in out["excluded"].values())
    assert len(ranked_ids) + len(out["excluded"]) <= 100


def test_rank_in_english(tmp_path):
    pool = write(tmp_path, "pool.json", [MEMBER, {**MEMBER, "id": "m2", "active": False}])
    request = write(tmp_path, "request.json", REQUEST)

    out = json.loads(run("rank", "--pool", pool, "--request", request, "--lang", "en").stdout)

    assert out["group"] == ["m1"]
    assert out["ranked"][0]["reasons"] == [
        "own experience of psychosis",
        "no earlier assignment",
        "likely to say yes (estimated chance 80 %)",
    ]
    assert out["excluded"] == {"m2": "not active in the pool"}


def test_simulate_output_metrics(tmp_path):
    stream = json.loads((EXAMPLES / "stream.json").read_text(encoding="utf-8"))[:40]
    path = write(tmp_path, "stream.json", stream)

    result = run(
        "simulate", "--pool", str(EXAMPLES / "pool.json"), "--requests", path, "--policy", "random"
    )
    out = json.loads(result.stdout)

    assert result.returncode == 0
    assert {
        "hard_rule_satisfaction", "gini", "max_over_mean", "never_used_share",
        "mean_group_diversity", "mean_relevance", "time_per_request_ms", "per_request",
    } <= set(out)  # fmt: skip
    assert out["hard_rule_satisfaction"] == 1.0
    assert len(out["per_request"]) == 40


def test_pool_json_reads_the_session_dates_of_work_and_open_invitations():
    from datetime import date

    from matching.io import parse_pool

    member = {
        **MEMBER,
        "history": [
            {"date": "2026-03-24", "hours": 9, "session_dates": ["2026-03-24", "2026-04-07"]}
        ],
        "bookings": [{"start": "2026-05-04T10:00", "end": "2026-05-04T12:00", "is_work": False}],
    }

    [parsed] = parse_pool([member])

    assert parsed.history[0].session_dates == (date(2026, 3, 24), date(2026, 4, 7))
    assert [(b.assignment, b.is_work) for b in parsed.bookings] == [(None, False)]


def test_rank_reports_unmet_quotas(tmp_path):
    pool = write(tmp_path, "pool.json", [MEMBER, {**MEMBER, "id": "m2", "birth_year": 1980}])
    quota = {"field": "age", "value": [18, 34], "min": 1}
    request = write(tmp_path, "request.json", {**REQUEST, "quotas": [quota], "balance": "hard"})

    result = run("rank", "--pool", pool, "--request", request, "--lang", "en")
    out = json.loads(result.stdout)

    assert result.returncode == 0
    assert out["group"] == ["m1", "m2"]
    assert out["unmet_quotas"] == [
        {
            "quota": quota,
            "reason": "At least 1 person aged 18–34 cannot be met: "
            "none of the 2 eligible is aged 18–34",
        }
    ]


def test_simulate_reports_unmet_quotas_as_rank_does(tmp_path):
    pool = write(tmp_path, "pool.json", [MEMBER, {**MEMBER, "id": "m2", "birth_year": 1980}])
    quota = {"field": "age", "value": [18, 34], "min": 1}
    stream = write(
        tmp_path,
        "stream.json",
        [{**REQUEST, "quotas": [quota], "balance": "hard"}, {**REQUEST, "id": "r2"}],
    )

    result = run("simulate", "--pool", pool, "--requests", stream, "--lang", "en")
    out = json.loads(result.stdout)

    assert result.returncode == 0
    first, second = out["per_request"]
    assert first["unmet_quotas"] == [
        {
            "quota": quota,
            "reason": "At least 1 person aged 18–34 cannot be met: "
            "none of the 2 eligible is aged 18–34",
        }
    ]
    assert "unmet_quotas" not in second  # only listed where a quota is unmet
    assert (out["requests_with_quotas"], out["unmet_quotas"], out["quota_break_share"]) == (
        1,
        1,
        0.0,
    )


def test_simulate_refuses_two_requests_with_one_id(tmp_path):
    """A request's id is its assignment's id: two sharing one would count as one unit of load."""
    pool = write(tmp_path, "pool.json", [MEMBER])
    stream = write(tmp_path, "stream.json", [REQUEST, {**REQUEST, "count": 1}])

    result = run("simulate", "--pool", pool, "--requests", stream)

    assert result.returncode == 2
    assert "request #1 (id 'r1'): field 'id': duplicate of request #0" in result.stderr
    assert "Traceback" not in result.stderr
