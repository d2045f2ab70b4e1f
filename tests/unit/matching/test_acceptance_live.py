"""The live acceptance model: time-ordered split, metrics, fitting and the JSON it is kept as."""

from __future__ import annotations

import dataclasses
import json
import random
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from matching import PoolIndex, rank
from matching.acceptance import (
    LIVE_FEATURES,
    Answer,
    answer_rows,
    brier,
    calibration_table,
    fit_acceptance,
    model_from_json,
    roc_auc,
    time_split,
)

T0 = datetime(2025, 1, 6, 9, tzinfo=UTC)


def test_time_split_trains_on_the_older_and_tests_on_the_newest():
    times = np.array([5.0, 1.0, 3.0, 2.0, 8.0, 7.0, 4.0, 6.0])

    train, test = time_split(times, test_share=0.25)

    assert sorted(times[train].tolist()) == [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
    assert sorted(times[test].tolist()) == [7.0, 8.0]
    assert times[train].max() < times[test].min()


def test_time_split_keeps_answers_sent_at_the_same_moment_on_one_side():
    times = np.array([1.0, 2.0, 3.0, 3.0, 3.0, 4.0])

    train, test = time_split(times, test_share=0.5)

    assert sorted(times[train].tolist()) == [1.0, 2.0]
    assert sorted(times[test].tolist()) == [3.0, 3.0, 3.0, 4.0]


def test_time_split_of_nothing_and_of_one():
    assert [len(part) for part in time_split(np.zeros(0))] == [0, 0]
    assert [len(part) for part in time_split(np.array([1.0]))] == [0, 1]


def test_roc_auc_counts_pairs_and_half_for_ties():
    assert roc_auc(np.array([0, 0, 1, 1]), np.array([0.1, 0.2, 0.8, 0.9])) == 1.0
    assert roc_auc(np.array([0, 0, 1, 1]), np.array([0.9, 0.8, 0.2, 0.1])) == 0.0
    assert roc_auc(np.array([0, 1]), np.array([0.5, 0.5])) == 0.5
    # pairs (pos, neg): (0.4, 0.3) right, (0.4, 0.6) wrong, (0.7, 0.3) right, (0.7, 0.6) right
    assert roc_auc(np.array([1, 0, 1, 0]), np.array([0.4, 0.3, 0.7, 0.6])) == 0.75
    assert roc_auc(np.array([1, 1]), np.array([0.2, 0.3])) is None


def test_brier_is_the_mean_squared_error():
    assert brier(np.array([1, 0]), np.array([0.8, 0.4])) == pytest.approx((0.04 + 0.16) / 2)
    assert brier(np.array([]), np.array([])) is None


def test_calibration_table_has_ten_ordered_tenths():
    rng = np.random.default_rng(1)
    p = rng.random(20000)
    y = (rng.random(20000) < p).astype(int)

    table = calibration_table(y, p)

    assert len(table) == 10 and sum(row["n"] for row in table) == 20000
    predicted = [row["predicted"] for row in table]
    assert predicted == sorted(predicted)
    assert all(abs(row["observed"] - row["predicted"]) < 0.05 for row in table)


def _answers(n_members: int = 60, rounds: int = 8, seed: int = 0) -> list[Answer]:
    """Members of "Aneby" mostly decline, of "Eksjö" mostly accept; one invitation a month."""
    rng = random.Random(seed)
    out = []
    for r in range(rounds):
        for i in range(n_members):
            town = "Aneby" if i % 2 else "Eksjö"
            sent = T0 + timedelta(days=30 * r, minutes=i)
            p = 0.15 if town == "Aneby" else 0.85
            out.append(
                Answer(
                    member_id=f"m{i}",
                    sent=sent,
                    start=sent + timedelta(days=14),
                    accepted=rng.random() < p,
                    hours=2.0,
                    type="lecture",
                    municipality=town,
                )
            )
    return out


def test_answer_rows_use_only_what_was_known_before_each_answer():
    answers = _answers(n_members=2, rounds=3)

    x, y, places, _types, times = answer_rows(answers)

    assert list(times) == sorted(times)
    answered = x[:, LIVE_FEATURES.index("log_answered")]
    assert np.expm1(answered).round().tolist() == [0, 0, 1, 1, 2, 2]
    first = answers[0]
    assert x[0, LIVE_FEATURES.index("log_lead_days")] == pytest.approx(np.log1p(14.0))
    assert x[0, LIVE_FEATURES.index("hour")] == first.start.hour
    assert places[:2] == ["Eksjö", "Aneby"]
    assert y.tolist() == [int(a.accepted) for a in sorted(answers, key=lambda a: a.sent)]


def test_too_few_answers_give_the_prior_with_the_count():
    model = fit_acceptance(_answers(n_members=10, rounds=2))

    assert (model.source, model.params, model.n_samples) == ("prior", None, 20)
    assert model.metrics["n_samples"] == 20


def test_fit_reports_newest_answer_figures_and_a_better_brier_than_the_prior():
    model = fit_acceptance(_answers())

    m = model.metrics
    assert model.source == "model" and model.n_samples == 480
    assert (m["n_train"], m["n_test"]) == (360, 120)
    assert m["auc"] > 0.8 and m["prior_auc"] is not None
    assert m["brier"] < m["prior_brier"]
    assert len(m["calibration"]) == 10


def test_the_stored_json_predicts_what_the_fitted_model_predicts(make_member, make_request):
    model = fit_acceptance(_answers())
    stored = json.loads(json.dumps({"params": model.params, "metrics": model.metrics}))
    again = model_from_json(stored["params"], version=3, metrics=stored["metrics"])
    members = [make_member(f"a{i}", municipality="Aneby") for i in range(3)]
    members += [make_member(f"e{i}", municipality="Eksjö") for i in range(3)]
    index, request = PoolIndex(members), make_request()

    fitted = rank(index, request, model=model)
    loaded = rank(index, request, model=again)

    assert np.allclose(fitted.parts["acceptance"], loaded.parts["acceptance"])
    chance = dict(zip(loaded.ids(), loaded.parts["acceptance"], strict=True))
    assert max(chance[f"a{i}"] for i in range(3)) < min(chance[f"e{i}"] for i in range(3))
    assert again.version == 3 and again.auc == model.auc


def test_a_rate_column_holds_only_answers_given_before_the_row():
    from matching.acceptance import RATE_SMOOTHING, rates_before

    rates = rates_before(["a", "a", "b", "a"], np.array([1, 0, 1, 1]), 0.5)

    k = RATE_SMOOTHING
    assert rates.tolist() == pytest.approx(
        [0.5, (1 + k * 0.5) / (1 + k), 0.5, (1 + k * 0.5) / (2 + k)]
    )


def test_a_municipality_that_says_nothing_gets_no_weight():
    """Every answer from a town of its own: with the row's answer in its town's rate, the rate
    gave the training each label and the regression leaned on it (and judged on new answers,
    from towns never seen, it then did worse than the prior)."""
    rng = random.Random(3)
    answers = [
        Answer(
            member_id=f"m{i % 40}",
            sent=T0 + timedelta(days=i),
            start=T0 + timedelta(days=i + 14),
            accepted=rng.random() < 0.7,
            hours=2.0,
            type="lecture",
            municipality=f"town{i}",
        )
        for i in range(400)
    ]

    model = fit_acceptance(answers)

    municipality = LIVE_FEATURES.index("municipality_rate")
    assert model.source == "model"
    assert abs(model.params["coef"][municipality]) < 1e-9


@pytest.mark.parametrize(
    ("metrics", "better"),
    [
        ({"brier": 0.15, "prior_brier": 0.175}, True),
        ({"brier": 0.175, "prior_brier": 0.175}, False),  # no better is not better
        ({"brier": 0.216, "prior_brier": 0.175}, False),
        ({"brier": 0.15}, False),  # not judged against the prior: nothing shown
        ({}, False),
    ],
)
def test_a_model_is_better_than_the_prior_only_on_a_lower_brier_score(metrics, better):
    from matching.acceptance import beats_prior

    assert beats_prior(metrics) is better


def test_a_late_invitation_is_predicted_as_the_history_answered_late_ones(
    make_member, make_request
):
    """People said no when asked two days ahead and yes when asked a month ahead: a proposal
    whose invitations go out two days before sees lower chances than one a month before."""
    rng = random.Random(5)
    answers = []
    for i in range(400):
        sent = T0 + timedelta(days=i)
        late = i % 2 == 0
        answers.append(
            Answer(
                member_id=f"m{i % 50}",
                sent=sent,
                start=sent + timedelta(days=2 if late else 30),
                accepted=rng.random() < (0.2 if late else 0.9),
                hours=2.0,
                type="lecture",
                municipality="Jönköping",
            )
        )
    model = fit_acceptance(answers)
    index = PoolIndex([make_member(f"p{i}") for i in range(3)])
    request = make_request()
    start = request.first_start

    def chances(invited_at):
        asked = dataclasses.replace(request, invited_at=invited_at)
        return rank(index, asked, model=model).parts["acceptance"]

    late, early = chances(start - timedelta(days=2)), chances(start - timedelta(days=30))
    default = chances(None)

    assert model.source == "model"
    assert early.min() - late.max() > 0.3
    # Without a time of invitation the usual lead (21 days) applies: in between.
    assert late.max() < default.min() and default.max() < early.min()


def test_lead_days_count_from_the_invitations_to_the_first_session(make_request):
    from matching.acceptance import DEFAULT_LEAD_DAYS
    from matching.scoring import lead_days

    request = make_request()
    start = request.first_start

    assert lead_days(request) == DEFAULT_LEAD_DAYS
    asked = dataclasses.replace(request, invited_at=start - timedelta(days=10, hours=12))
    assert lead_days(asked) == 10.5
    assert lead_days(dataclasses.replace(request, invited_at=start + timedelta(hours=1))) == 0.0


def test_a_lead_time_never_seen_in_training_is_not_extrapolated(make_member, make_request):
    """Every answer was asked 14 days ahead (give or take minutes): the model knows nothing
    about two days or two months ahead, and predicts them as the nearest it has seen."""
    answers = [
        dataclasses.replace(a, start=a.start + timedelta(minutes=k % 7))
        for k, a in enumerate(_answers())
    ]
    model = fit_acceptance(answers)
    members = [make_member(f"a{i}", municipality="Aneby") for i in range(2)]
    members += [make_member(f"e{i}", municipality="Eksjö") for i in range(2)]
    index, request = PoolIndex(members), make_request()
    start = request.first_start

    def chances(days_ahead):
        asked = dataclasses.replace(request, invited_at=start - timedelta(days=days_ahead))
        return rank(index, asked, model=model).parts["acceptance"]

    seen = chances(14)
    assert np.abs(chances(2) - seen).max() < 0.05 and np.abs(chances(60) - seen).max() < 0.05
    assert 0.1 < seen.min() < 0.5 < seen.max() < 0.9  # the towns still apart, not saturated
