"""Administrator forms: organisations, areas, users and yearly figures."""

from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    DecimalField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from app.i18n import lazy_gettext as _l
from app.models.enums import OrganisationKind, Role
from app.web.forms import EmailAddress, OneLine
from app.web.labels import choices


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), OneLine(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=choices(OrganisationKind))
    #: The legal body that pays its fees (docs/domain.md §6.5); 0 means it pays for itself.
    payer_id = SelectField(_l("Paid by"), coerce=int, default=0)
    #: The organisation it is part of (a region's department, a municipality's unit); 0: none.
    parent_id = SelectField(_l("Part of"), coerce=int, default=0)


class OrganisationParentForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int)
    parent_id = SelectField(_l("Part of"), coerce=int, default=0)


class OrganisationPayerForm(FlaskForm):
    organisation_id = SelectField(_l("Organisation"), coerce=int)
    payer_id = SelectField(_l("Paid by"), coerce=int, default=0)


class AreaForm(FlaskForm):
    code = StringField(
        _l("Code, e.g. psychiatry/psychosis"), validators=[DataRequired(), Length(max=200)]
    )
    name_sv = StringField(
        _l("Swedish name"), validators=[DataRequired(), OneLine(), Length(max=200)]
    )
    name_en = StringField(
        _l("English name"), validators=[DataRequired(), OneLine(), Length(max=200)]
    )


class PriceBaseAmountForm(FlaskForm):
    year = IntegerField(_l("Year"), validators=[DataRequired(), NumberRange(min=2000, max=2100)])
    amount_sek = IntegerField(
        _l("Price base amount (kr)"), validators=[DataRequired(), NumberRange(min=1)]
    )
    source = StringField(_l("Source"), validators=[Length(max=200)])


class ContributionRateForm(FlaskForm):
    valid_from = DateField(_l("Valid from"), validators=[DataRequired()])
    valid_to = DateField(_l("Valid to (optional)"), validators=[Optional()])
    born_from = IntegerField(
        _l("Born from year (optional)"), validators=[Optional(), NumberRange(1880, 2100)]
    )
    born_to = IntegerField(
        _l("Born to year (optional)"), validators=[Optional(), NumberRange(1880, 2100)]
    )
    rate_percent = DecimalField(
        _l("Rate (%)"), places=2, validators=[DataRequired(), NumberRange(0, 100)]
    )
    label = StringField(_l("Description"), validators=[OneLine(), Length(max=200)])
    source = StringField(_l("Source"), validators=[OneLine(), Length(max=200)])


class MileageRateForm(FlaskForm):
    valid_from = DateField(_l("Valid from"), validators=[DataRequired()])
    kr_per_10km = DecimalField(
        _l("Kronor per 10 km"), places=2, validators=[InputRequired(), NumberRange(min=0.01)]
    )
    source = StringField(_l("Source"), validators=[Length(max=200)])


class CorrectFigureForm(FlaskForm):
    """Correct a figure's amount or source, or end-date it."""

    figure = SelectField(_l("Figure"), validators=[DataRequired()])
    amount = DecimalField(
        _l("Corrected amount or rate (optional)"),
        places=2,
        validators=[Optional(), NumberRange(min=0, max=1_000_000)],
    )
    valid_to = DateField(_l("Last valid day (optional)"), validators=[Optional()])
    source = StringField(_l("Source (optional)"), validators=[Length(max=200)])


class UserForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), EmailAddress(), Length(max=254)])
    full_name = StringField(_l("Name"), validators=[OneLine(), Length(max=200)])
    role = SelectField(_l("Role"), choices=choices(Role))
    organisation_id = SelectField(_l("Organisation (orderers)"), coerce=int)
    password = PasswordField(
        _l("Password (at least 12 characters)"),
        validators=[DataRequired(), Length(min=12, max=200)],
    )


class ReceiptThresholdForm(FlaskForm):
    """Ticket and other costs above this amount need a receipt (0: every cost does)."""

    receipt_threshold_sek = IntegerField(
        _l("Receipt needed for costs above (kr)"),
        validators=[InputRequired(), NumberRange(min=0, max=100_000)],
    )


class UserEditForm(FlaskForm):
    """Change an account's email, name, role and organisation (the password stays the user's)."""

    email = EmailField(_l("Email"), validators=[DataRequired(), EmailAddress(), Length(max=254)])
    full_name = StringField(_l("Name"), validators=[OneLine(), Length(max=200)])
    role = SelectField(_l("Role"), choices=choices(Role))
    organisation_id = SelectField(_l("Organisation (orderers)"), coerce=int, default=0)


class OrganisationEditForm(FlaskForm):
    """Change an organisation's name, kind and contact."""

    name = StringField(_l("Name"), validators=[DataRequired(), OneLine(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=choices(OrganisationKind))
    contact_name = StringField(_l("Contact person"), validators=[OneLine(), Length(max=200)])
    contact_email = EmailField(
        _l("Contact email"), validators=[Optional(), EmailAddress(), Length(max=254)]
    )
    contact_phone = StringField(_l("Contact phone"), validators=[OneLine(), Length(max=40)])


class SwitchForm(FlaskForm):
    """A button that disables or enables an account or an organisation (CSRF token only)."""
