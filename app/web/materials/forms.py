"""The material form of the orderer's and the council's pages, and the form to attach later."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import DateField, StringField
from wtforms.validators import InputRequired, Length, Optional

from app.i18n import lazy_gettext as _l
from app.services.journey.materials import MaterialInput
from app.web.forms import OneLine


class AttachForm(FlaskForm):
    """A file and/or a link for material announced earlier."""

    file = FileField(_l("File (PDF, Word, Excel, PowerPoint, text, PNG or JPEG, at most 10 MB)"))
    link = StringField(_l("Or a link"), validators=[Optional(), OneLine(), Length(max=500)])

    def to_input(self, title: str = "", send_by=None) -> MaterialInput:
        upload = self.file.data
        return MaterialInput(
            title=title,
            send_by=send_by,
            link=(self.link.data or "").strip(),
            file_name=(upload.filename or "") if upload else "",
            data=upload.read() if upload else b"",
        )


class MaterialForm(AttachForm):
    """New material: its title, by when it should reach the booked, and the file or link."""

    title = StringField(_l("Title"), validators=[InputRequired(), OneLine(), Length(max=200)])
    send_by = DateField(_l("Send by (optional)"), validators=[Optional()])

    def material_input(self) -> MaterialInput:
        return self.to_input(title=self.title.data or "", send_by=self.send_by.data)
