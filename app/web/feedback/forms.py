"""The survey forms: scores 1–5 and free text; the orderer also says what it led to."""

from flask_wtf import FlaskForm
from wtforms import RadioField, TextAreaField
from wtforms.validators import InputRequired, Length

from app.i18n import lazy_gettext as _l
from app.web.labels import options

SCORES = [
    ("1", _l("1 – not at all")),
    ("2", "2"),
    ("3", "3"),
    ("4", "4"),
    ("5", _l("5 – fully")),
]


def _score(label) -> RadioField:
    return RadioField(
        label,
        choices=options(SCORES),
        validators=[InputRequired(message=_l("Choose a number from 1 to 5."))],
    )


class MemberSurveyForm(FlaskForm):
    purpose_clear = _score(_l("Was the purpose clear to you?"))
    material_in_time = _score(_l("Did you get the material in time?"))
    felt_heard = _score(_l("Did you feel heard?"))
    free_text = TextAreaField(
        _l("Anything else you want to tell us?"), validators=[Length(max=4000)]
    )

    def scores(self) -> dict[str, int | None]:
        return {name: _number(getattr(self, name).data) for name in _MEMBER}


class OrdererSurveyForm(FlaskForm):
    useful = _score(_l("Was the contribution useful?"))
    led_to = TextAreaField(
        _l("What did it lead to? (shown to the members who took part)"),
        validators=[Length(max=4000)],
    )
    free_text = TextAreaField(
        _l("Anything else you want to tell us?"), validators=[Length(max=4000)]
    )

    def scores(self) -> dict[str, int | None]:
        return {"useful": _number(self.useful.data)}


_MEMBER = ("purpose_clear", "material_in_time", "felt_heard")


def _number(value) -> int | None:
    return int(value) if value and str(value).isdigit() else None
