"""The council's form for the matching weights (issue 18)."""

from flask_wtf import FlaskForm
from wtforms import DecimalField, SubmitField
from wtforms.validators import InputRequired, NumberRange, StopValidation

from app.i18n import lazy_gettext as _l
from app.services.matchmaking.weights import MAX_WEIGHT


def _finite(_form, field):
    """Refuse NaN and infinity before the range check (Decimal NaN cannot be compared)."""
    if field.data is not None and not field.data.is_finite():
        field.data = None
        raise StopValidation(_l("Enter a number from 0 to 10."))


def _weight(label):
    return DecimalField(
        label,
        places=2,
        validators=[
            InputRequired(_l("Enter a number from 0 to 10.")),
            _finite,
            NumberRange(0, MAX_WEIGHT, _l("Enter a number from 0 to 10.")),
        ],
    )


class WeightsForm(FlaskForm):
    """The weights of ``matching.Weights``: three score parts and three group bonuses."""

    relevance = _weight(_l("Relevance"))
    load = _weight(_l("Load"))
    acceptance = _weight(_l("Acceptance"))
    diversity = _weight(_l("Variety in the group"))
    coverage = _weight(_l("Covering every requested area"))
    target = _weight(_l("Requested distribution"))
    preview = SubmitField(_l("Show how the proposals would change"))
    save = SubmitField(_l("Save the weights"))


#: One line per weight explaining what it does (shown under the label).
WEIGHT_HINTS = {
    "relevance": _l("How much a close match between experience and request counts."),
    "load": _l("How much it counts that someone has had few assignments lately."),
    "acceptance": _l("How much the estimated chance that the person says yes counts."),
    "diversity": _l("Bonus per new age band, gender, experience type or mandate in the group."),
    "coverage": _l("Bonus per requested area the group does not yet cover."),
    "target": _l("Bonus per step towards the distribution the orderer asked for."),
}
