"""Chance that a member says yes: a logistic regression on invitation history, or a prior.

scikit-learn is imported only when a model is trained, so importing ``matching`` stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from matching.types import Member

# Prior: a Beta(4, 1) belief that a member accepts ~80 % of invitations, worth five answers.
# A member's own answers move it (4 + accepted) / (5 + answered); it never reaches 0.
PRIOR_ACCEPT, PRIOR_DECLINE = 4.0, 1.0
MIN_SAMPLES = 200  # fewer answered invitations than this (or one class only) -> prior
MIN_PER_CLASS = 20
DEFAULT_LEAD_DAYS = 21.0
FEATURES = (
    "prior_rate",
    "log_answered",
    "log_recent_load",
    "months_since_last",
    "onsite",
    "weekend",
    "log_hours",
    "log_lead_days",
)


def prior_rate(accepted: np.ndarray, answered: np.ndarray) -> np.ndarray:
    """Return the smoothed personal acceptance rate (the documented prior)."""
    return (accepted + PRIOR_ACCEPT) / (answered + PRIOR_ACCEPT + PRIOR_DECLINE)


def feature_matrix(
    accepted: np.ndarray,
    answered: np.ndarray,
    recent_load: np.ndarray,
    months_since_last: np.ndarray,
    *,
    onsite: float | np.ndarray,
    weekend: float | np.ndarray,
    hours: float | np.ndarray,
    lead_days: float | np.ndarray = DEFAULT_LEAD_DAYS,
) -> np.ndarray:
    """Return the model's feature matrix (columns as in FEATURES); scalars broadcast."""
    n = len(accepted)
    cols = [
        prior_rate(accepted, answered),
        np.log1p(answered),
        np.log1p(recent_load),
        np.minimum(months_since_last, 12.0),
        np.broadcast_to(np.asarray(onsite, dtype=float), n),
        np.broadcast_to(np.asarray(weekend, dtype=float), n),
        np.broadcast_to(np.log1p(np.asarray(hours, dtype=float)), n),
        np.broadcast_to(np.log1p(np.asarray(lead_days, dtype=float)), n),
    ]
    return np.column_stack(cols).astype(np.float64)


@dataclass(frozen=True)
class AcceptanceModel:
    """A fitted model (``source == "model"``) or the prior (``source == "prior"``)."""

    source: str
    n_samples: int = 0
    auc: float | None = None
    note: str = ""
    estimator: Any = field(default=None, repr=False, compare=False)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Return the chance of a yes for each feature row."""
        if self.estimator is None or len(x) == 0:
            return x[:, 0].copy() if len(x) else np.zeros(0)
        return self.estimator.predict_proba(x)[:, 1]


PRIOR = AcceptanceModel(source="prior", note="prior Beta(4, 1) on each member's own answers")


def training_set(members: Sequence[Member]) -> tuple[np.ndarray, np.ndarray]:
    """Return (X, y) with one row per answered invitation, using only what was known before it."""
    rows, labels = [], []
    for m in members:
        history = sorted(m.history, key=lambda h: h.date)
        for i, h in enumerate(history):
            if h.answer is None:
                continue
            before = history[:i]
            answered = [b for b in before if b.answer is not None]
            work = [b for b in before if b.is_work]
            recent = [b for b in work if (h.date - b.date).days <= 365]
            since = (h.date - work[-1].date).days / 30.44 if work else 12.0
            rows.append(
                feature_matrix(
                    np.array([sum(b.answer == "accepted" for b in answered)], dtype=float),
                    np.array([len(answered)], dtype=float),
                    np.array([len(recent)], dtype=float),
                    np.array([since]),
                    onsite=0.5 if h.format is None else float(h.format == "onsite"),
                    weekend=float(h.date.weekday() >= 5),
                    hours=h.hours,
                    lead_days=DEFAULT_LEAD_DAYS if h.lead_days is None else h.lead_days,
                )[0]
            )
            labels.append(h.answer == "accepted")
    if not rows:
        return np.zeros((0, len(FEATURES))), np.zeros(0, dtype=int)
    return np.vstack(rows), np.array(labels, dtype=int)


def train_acceptance(
    members: Sequence[Member], *, min_samples: int = MIN_SAMPLES, seed: int = 0
) -> AcceptanceModel:
    """Fit the model on the members' answered invitations, or return the prior if too few."""
    x, y = training_set(members)
    positives = int(y.sum())
    if len(y) < min_samples or min(positives, len(y) - positives) < MIN_PER_CLASS:
        note = f"{len(y)} answered invitations ({positives} yes): too few, using the prior"
        return AcceptanceModel(source="prior", n_samples=len(y), note=note)
    return _fit(x, y, seed)


def _fit(x: np.ndarray, y: np.ndarray, seed: int) -> AcceptanceModel:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.model_selection import train_test_split
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    def make() -> Any:
        return make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))

    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=0.25, random_state=seed, stratify=y
    )
    held_out = make().fit(x_train, y_train)
    auc = float(roc_auc_score(y_test, held_out.predict_proba(x_test)[:, 1]))
    final = make().fit(x, y)  # the model in use learns from all history
    note = f"logistic regression on {len(y)} answered invitations; held-out ROC AUC {auc:.3f}"
    return AcceptanceModel(source="model", n_samples=len(y), auc=auc, note=note, estimator=final)
