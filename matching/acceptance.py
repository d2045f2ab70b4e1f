"""Chance that a member says yes: a logistic regression on invitation history, or a prior.

scikit-learn is imported only when a model is trained, so importing ``matching`` stays cheap.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
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
    #: A fitted linear model as plain JSON values (see ``fit_acceptance``); None otherwise.
    params: Mapping[str, Any] | None = field(default=None, repr=False, compare=False)
    #: The stored version this model is (None: not stored, e.g. the prior).
    version: int | None = None
    #: Evaluation figures (ROC AUC, Brier score, calibration table, sample sizes).
    metrics: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    #: ``estimator``'s training range per feature (low, high): predictions clip to it.
    bounds: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False, compare=False)

    def predict(self, x: np.ndarray) -> np.ndarray:
        """Return the chance of a yes for each feature row (columns as in LIVE_FEATURES).

        Rows may carry only the first ``len(FEATURES)`` columns for the prior and for a model
        trained by ``train_acceptance``; a model of ``fit_acceptance`` needs all its columns.
        """
        if len(x) == 0:
            return np.zeros(0)
        if self.params is not None:
            return predict_linear(self.params, x)
        if self.estimator is None:
            return x[:, 0].copy()
        x = x[:, : len(FEATURES)]
        if self.bounds is not None:  # as predict_linear: never extrapolate past training
            x = np.clip(x, *self.bounds)
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
    return AcceptanceModel(
        source="model",
        n_samples=len(y),
        auc=auc,
        note=note,
        estimator=final,
        bounds=(x.min(axis=0), x.max(axis=0)),
    )


# --- The live model: trained on the invitation history, stored as JSON ----------------------

#: Columns of the live model: FEATURES, then the local hour of the first session and the
#: smoothed acceptance rates of the member's municipality and of the assignment type.
LIVE_FEATURES = (*FEATURES, "hour", "municipality_rate", "type_rate")
#: Pseudo-answers at the overall rate added to each municipality's and type's own answers, so
#: a municipality with few answers stays near the overall rate.
RATE_SMOOTHING = 10.0
#: Share of the newest answers kept aside to evaluate a model trained on the older ones.
TEST_SHARE = 0.25
#: Chance of a yes at or above which the explanation says "likely yes"; at or below NO, "likely no".
LIKELY_YES, LIKELY_NO = 0.70, 0.40


@dataclass(frozen=True, slots=True)
class Answer:
    """One answered booking invitation, as the model learns from it (aware datetimes)."""

    member_id: str
    sent: datetime
    start: datetime  # the first session, in the zone its local hour is read in
    accepted: bool
    hours: float = 0.0
    format: str = "onsite"
    type: str = ""
    municipality: str = ""


def answer_rows(answers: Sequence[Answer]) -> tuple[np.ndarray, np.ndarray, list, list, np.ndarray]:
    """Return (X without the two rates, y, municipalities, types, sent times), oldest first.

    Each row uses only the member's answers sent before it: past answers, accepted work in
    the 365 days before (recent load) and months since the last accepted one.
    """
    ordered = sorted(answers, key=lambda a: (a.sent.timestamp(), a.member_id))
    state: dict[str, list] = {}
    rows, labels, places, types, times = [], [], [], [], []
    for a in ordered:
        past = state.setdefault(a.member_id, [])  # (sent, start, accepted) before this one
        yes = [p for p in past if p[2]]
        recent = [p for p in yes if (a.sent - p[1]).days <= 365 and p[1] <= a.sent]
        done = [p[1] for p in yes if p[1] <= a.sent]
        since = (a.sent - max(done)).days / 30.44 if done else 12.0
        lead = max((a.start - a.sent).total_seconds() / 86400.0, 0.0)
        base = feature_matrix(
            np.array([len(yes)], dtype=float),
            np.array([len(past)], dtype=float),
            np.array([len(recent)], dtype=float),
            np.array([since]),
            onsite=float(a.format == "onsite"),
            weekend=float(a.start.weekday() >= 5),
            hours=a.hours,
            lead_days=lead,
        )[0]
        rows.append([*base, float(a.start.hour)])
        labels.append(int(a.accepted))
        places.append(a.municipality)
        types.append(a.type)
        times.append(a.sent.timestamp())
        past.append((a.sent, a.start, a.accepted))
    if not rows:
        return np.zeros((0, len(FEATURES) + 1)), np.zeros(0, dtype=int), [], [], np.zeros(0)
    return np.array(rows), np.array(labels, dtype=int), places, types, np.array(times)


def group_rates(keys: Sequence[str], y: np.ndarray, base: float) -> dict[str, float]:
    """Return each key's acceptance rate, smoothed towards ``base`` by RATE_SMOOTHING answers."""
    yes: dict[str, float] = {}
    count: dict[str, float] = {}
    for key, label in zip(keys, y, strict=True):
        yes[key] = yes.get(key, 0.0) + float(label)
        count[key] = count.get(key, 0.0) + 1.0
    return {k: (yes[k] + RATE_SMOOTHING * base) / (count[k] + RATE_SMOOTHING) for k in count}


def rates_before(keys: Sequence[str], y: np.ndarray, base: float) -> np.ndarray:
    """Return per row its key's smoothed acceptance rate over the rows *before* it.

    Rows come oldest first (``answer_rows``' order), so each row sees only answers that were
    given before it, as a live prediction does. A rate that held the row's own answer would
    tell the training its label: a small municipality's rate then predicts its rows perfectly,
    the regression leans on it rather than on the person's own record, and on new answers —
    whose labels are in no rate — it predicts worse than the prior. (Leaving out only the
    row's own answer leaks the other way: within a group, a yes then sees a lower rate than a
    no.) The same ordering as CatBoost's "ordered target statistics".
    """
    yes: dict[str, float] = {}
    count: dict[str, float] = {}
    out = np.empty(len(y), dtype=float)
    for i, (key, label) in enumerate(zip(keys, y, strict=True)):
        seen_yes, seen = yes.get(key, 0.0), count.get(key, 0.0)
        out[i] = (seen_yes + RATE_SMOOTHING * base) / (seen + RATE_SMOOTHING)
        yes[key], count[key] = seen_yes + float(label), seen + 1.0
    return out


def rate_columns(
    places: Sequence[str], types: Sequence[str], params: Mapping[str, Any]
) -> np.ndarray:
    """Return the municipality-rate and type-rate columns for these rows."""
    base = float(params["base_rate"])
    by_place, by_type = params["municipality_rates"], params["type_rates"]
    return np.column_stack(
        [
            np.array([by_place.get(p, base) for p in places], dtype=float),
            np.array([by_type.get(t, base) for t in types], dtype=float),
        ]
    ).reshape(len(places), 2)


def time_split(times: np.ndarray, test_share: float = TEST_SHARE) -> tuple[np.ndarray, np.ndarray]:
    """Return (older, newer) row indices: the newest ``test_share`` of rows form the test set.

    Rows sent at the same moment as the first test row go to the test set too, so everything
    the model trains on is strictly older than everything it is judged on.
    """
    n = len(times)
    if n == 0:
        return np.zeros(0, dtype=int), np.zeros(0, dtype=int)
    order = np.argsort(times, kind="stable")
    cut = min(n - 1, max(0, int(math.floor(n * (1.0 - test_share)))))
    boundary = times[order[cut]]
    return order[times[order] < boundary], order[times[order] >= boundary]


def roc_auc(y: np.ndarray, p: np.ndarray) -> float | None:
    """Return the ROC AUC (ties count half); None if ``y`` holds one class only."""
    y, p = np.asarray(y, dtype=int), np.asarray(p, dtype=float)
    positives = int(y.sum())
    negatives = len(y) - positives
    if positives == 0 or negatives == 0:
        return None
    order = np.argsort(p, kind="stable")
    ranks = np.empty(len(p))
    sorted_p = p[order]
    i = 0
    while i < len(p):  # average ranks over ties
        j = i
        while j + 1 < len(p) and sorted_p[j + 1] == sorted_p[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2.0 + 1.0
        i = j + 1
    return float(
        (ranks[y == 1].sum() - positives * (positives + 1) / 2.0) / (positives * negatives)
    )


def brier(y: np.ndarray, p: np.ndarray) -> float | None:
    """Return the Brier score (mean squared error of the predicted chance); None if empty."""
    if len(y) == 0:
        return None
    return float(np.mean((np.asarray(p, dtype=float) - np.asarray(y, dtype=float)) ** 2))


def calibration_table(y: np.ndarray, p: np.ndarray, bins: int = 10) -> list[dict[str, float]]:
    """Return deciles of the predicted chance: count, mean predicted and observed share of yes."""
    if len(y) == 0:
        return []
    order = np.argsort(p, kind="stable")
    table = []
    for part in np.array_split(order, min(bins, len(order))):
        table.append(
            {
                "n": int(len(part)),
                "predicted": round(float(np.mean(p[part])), 4),
                "observed": round(float(np.mean(y[part])), 4),
            }
        )
    return table


def predict_linear(params: Mapping[str, Any], x: np.ndarray) -> np.ndarray:
    """Return the logistic model's chance of a yes for rows ``x`` (all LIVE_FEATURES)."""
    mean = np.asarray(params["mean"], dtype=float)
    scale = np.asarray(params["scale"], dtype=float)
    coef = np.asarray(params["coef"], dtype=float)
    x = x[:, : len(coef)]
    if "low" in params:  # stored since stop 35: never extrapolate past what it learned from
        x = np.clip(x, np.asarray(params["low"], float), np.asarray(params["high"], float))
    z = ((x - mean) / scale) @ coef + float(params["intercept"])
    return 1.0 / (1.0 + np.exp(-z))


def _fit_params(base: np.ndarray, y: np.ndarray, places, types) -> dict[str, Any]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.preprocessing import StandardScaler

    rate = float(np.mean(y))
    params: dict[str, Any] = {
        "features": list(LIVE_FEATURES),
        "base_rate": rate,
        "municipality_rates": group_rates(places, y, rate),
        "type_rates": group_rates(types, y, rate),
    }
    # Each training row sees the rates of the answers before it (prediction: the full rates).
    earlier = np.column_stack(
        [rates_before(places, y, rate), rates_before(types, y, rate)]
    ).reshape(len(y), 2)
    x = np.hstack([base, earlier])
    # The range each feature had in training: a prediction clips to it. A feature that barely
    # varied (every invitation sent 21 days ahead, give or take minutes) has a tiny scale, and
    # a live value outside it (14 days) would otherwise become an extreme standardised value
    # that saturates every chance to 0 or 1.
    params.update(low=[float(v) for v in x.min(axis=0)], high=[float(v) for v in x.max(axis=0)])
    scaler = StandardScaler().fit(x)
    regression = LogisticRegression(max_iter=1000).fit(scaler.transform(x), y)
    params.update(
        mean=[float(v) for v in scaler.mean_],
        scale=[float(v) for v in scaler.scale_],
        coef=[float(v) for v in regression.coef_[0]],
        intercept=float(regression.intercept_[0]),
    )
    return params


def fit_acceptance(answers: Sequence[Answer], *, min_samples: int = MIN_SAMPLES) -> AcceptanceModel:
    """Train the live model on answered invitations, judged on the newest ones; or the prior.

    Time-ordered: a model is fitted on the older answers and evaluated (ROC AUC, Brier score,
    calibration by deciles, and the prior's figures on the same answers) on the newest
    ``TEST_SHARE``; the model returned is then fitted on every answer.
    """
    base, y, places, types, times = answer_rows(answers)
    positives = int(y.sum())
    metrics: dict[str, Any] = {"n_samples": len(y), "n_accepted": positives}
    if len(y) < min_samples or min(positives, len(y) - positives) < MIN_PER_CLASS:
        note = f"{len(y)} answered invitations ({positives} yes): too few, using the prior"
        return AcceptanceModel(source="prior", n_samples=len(y), note=note, metrics=metrics)
    train, test = time_split(times)
    if len(set(y[train].tolist())) == 2 and len(test):
        held_out = _fit_params(
            base[train], y[train], [places[i] for i in train], [types[i] for i in train]
        )
        x_test = np.hstack(
            [
                base[test],
                rate_columns([places[i] for i in test], [types[i] for i in test], held_out),
            ]
        )
        p = predict_linear(held_out, x_test)
        metrics.update(
            n_train=int(len(train)),
            n_test=int(len(test)),
            auc=roc_auc(y[test], p),
            brier=brier(y[test], p),
            calibration=calibration_table(y[test], p),
            prior_auc=roc_auc(y[test], base[test][:, 0]),
            prior_brier=brier(y[test], base[test][:, 0]),
        )
    params = _fit_params(base, y, places, types)
    auc = metrics.get("auc")
    shown = "n/a" if auc is None else f"{auc:.3f}"
    note = f"logistic regression on {len(y)} answered invitations; newest-answers ROC AUC {shown}"
    return AcceptanceModel(
        source="model", n_samples=len(y), auc=auc, note=note, params=params, metrics=metrics
    )


def beats_prior(metrics: Mapping[str, Any]) -> bool:
    """Whether a trained model predicted the newest answers better than the prior.

    Better means a lower Brier score on the same held-out answers (a proper score: it rewards
    both ranking and calibrated chances, and the chance is what the ranking and the words
    "svarar troligen ja" use). A model without held-out figures has shown nothing and is not
    better. Only such a model is used live (docs/matching.md, "The acceptance model live").
    """
    score, prior = metrics.get("brier"), metrics.get("prior_brier")
    return score is not None and prior is not None and score < prior


def model_from_json(
    params: Mapping[str, Any] | None, *, version: int | None, metrics: Mapping[str, Any]
) -> AcceptanceModel:
    """Return a stored model (``params`` None: a stored prior)."""
    n = int(metrics.get("n_samples", 0))
    if params is None:
        return AcceptanceModel(
            source="prior", n_samples=n, version=version, metrics=metrics, note=PRIOR.note
        )
    return AcceptanceModel(
        source="model",
        n_samples=n,
        auc=metrics.get("auc"),
        params=params,
        version=version,
        metrics=metrics,
        note=f"stored model version {version}",
    )


def live_columns(
    hour: float, places: Sequence[str], request_type: str, model: AcceptanceModel
) -> np.ndarray:
    """Return the columns LIVE_FEATURES adds to ``feature_matrix`` for rows in ``places``."""
    out = np.zeros((len(places), 3))
    out[:, 0] = hour
    if model.params is not None:
        base = float(model.params["base_rate"])
        by_place = model.params["municipality_rates"]
        out[:, 1] = [by_place.get(p, base) for p in places]
        out[:, 2] = model.params["type_rates"].get(request_type, base)
    return out
