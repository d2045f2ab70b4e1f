"""Acceptance: a prior with little history, a trained model with enough, decliners asked less."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest

from matching import PoolIndex, rank, train_acceptance
from matching.acceptance import PRIOR, prior_rate
from matching.types import HistoryEntry


def synthetic(make_member, n: int = 300, per_member: int = 10, seed: int = 0):
    """Return members whose answers follow a hidden willingness: yes-sayers and decliners."""
    rng = random.Random(seed)
    members = []
    for i in range(n):
        willing = 0.9 if i % 2 else 0.3
        history = []
        for k in range(per_member):
            day = date(2024, 1, 1) + timedelta(days=30 * k + rng.randrange(20))
            onsite = rng.random() < 0.5
            p = willing - (0.1 if onsite else 0.0)
            answer = "accepted" if rng.random() < p else "declined"
            fmt = "onsite" if onsite else "digital"
            history.append(HistoryEntry(day, 2.0, answer, fmt, 14.0))
        members.append(make_member(f"m{i}", history=tuple(history)))
    return members


def test_too_little_history_falls_back_to_prior(make_member):
    model = train_acceptance(synthetic(make_member, n=10))

    assert (model.source, model.n_samples, model.auc) == ("prior", 100, None)
    assert "too few" in model.note


def test_one_class_only_falls_back_to_prior(make_member):
    yes = tuple(HistoryEntry(date(2025, 1, d), 1.0, "accepted") for d in range(1, 29))
    model = train_acceptance([make_member(f"m{i}", history=yes) for i in range(10)])

    assert (model.source, model.n_samples) == ("prior", 280)


def test_prior_is_documented_beta_and_never_zero():
    assert prior_rate(0.0, 0.0) == pytest.approx(0.8)
    assert prior_rate(0.0, 20.0) == pytest.approx(0.16)
    assert prior_rate(10.0, 10.0) == pytest.approx(14 / 15)


def test_training_reports_held_out_auc_above_chance(make_member):
    model = train_acceptance(synthetic(make_member))

    assert (model.source, model.n_samples) == ("model", 3000)
    assert model.auc is not None and model.auc > 0.65
    assert "held-out ROC AUC" in model.note


def test_trained_model_is_deterministic(make_member):
    members = synthetic(make_member)

    assert train_acceptance(members, seed=1).auc == train_acceptance(members, seed=1).auc


def test_frequent_decliner_scores_lower_but_stays_eligible(make_member, make_request):
    declines = tuple(HistoryEntry(date(2025, 6, d), 0.0, "declined") for d in range(1, 11))
    members = [make_member("willing"), make_member("decliner", history=declines)]

    ranking = rank(PoolIndex(members), make_request(), model=PRIOR)
    acceptance = dict(zip(ranking.ids(), ranking.parts["acceptance"].round(4), strict=True))

    assert acceptance == {"willing": 0.8, "decliner": 0.2667}


def test_the_offline_model_predicts_past_its_training_range_as_at_its_edge():
    """As the live model: a value no training row had is read as the nearest one it had."""
    import numpy as np

    from matching.acceptance import FEATURES, _fit

    rng = np.random.default_rng(0)
    x = rng.normal(size=(400, len(FEATURES)))
    y = (x[:, 0] + rng.normal(scale=3.0, size=400) > 0).astype(int)
    model = _fit(x, y, seed=0)
    far, edge = x[:1].copy(), x[:1].copy()
    far[0, 0], edge[0, 0] = 50.0, x[:, 0].max()

    assert model.predict(far) == pytest.approx(model.predict(edge))
    assert model.predict(edge)[0] < 0.95  # not the near-certain yes that 50 would give
    assert model.estimator.predict_proba(far)[0, 1] > 0.999
