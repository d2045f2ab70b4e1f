"""Answering an invitation: accept with the declarations, or decline."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length

from app.i18n import lazy_gettext as _l


class AcceptForm(FlaskForm):
    conflict_declaration = TextAreaField(
        _l("Conflicts of interest (leave empty if you have none)"),
        validators=[Length(max=2000)],
    )
    agrees = BooleanField(
        _l(
            "I accept the assignment as described: the time estimate, the fee, who is "
            "responsible for information and the contact person, and I declare my "
            "conflicts of interest above."
        ),
        validators=[DataRequired()],
    )


class DeclineForm(FlaskForm):
    message = TextAreaField(_l("Message to the council (optional)"), validators=[Length(max=1000)])


class InterestAnswerForm(FlaskForm):
    """Yes or no to "are you interested?" (one button each)."""

    yes = SubmitField(_l("Yes, I am interested"))
    no = SubmitField(_l("No, not this time"))
