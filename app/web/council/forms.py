"""The council's pool filters (a GET form, so no CSRF token)."""

from flask_babel import lazy_gettext as _l
from wtforms import Form, SelectField

from app.models.enums import ExperienceType, Gender, MemberStatus, Pool
from app.services.ages import AGE_BANDS
from app.web.labels import choices, options

ANY = options([("", _l("Any"))])


class PoolFilterForm(Form):
    area = SelectField(_l("Area"), choices=ANY, default="")
    experience = SelectField(_l("Experience"), choices=ANY + choices(ExperienceType), default="")
    age_band = SelectField(
        _l("Age"), choices=ANY + options((band, band) for band, _, _ in AGE_BANDS), default=""
    )
    gender = SelectField(_l("Gender"), choices=ANY + choices(Gender), default="")
    status = SelectField(_l("Status"), choices=ANY + choices(MemberStatus), default="")
    pool = SelectField(_l("Pool"), choices=ANY + choices(Pool), default="")
