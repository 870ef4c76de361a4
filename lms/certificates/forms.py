"""Verification and administration forms."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from lms.certificates.codes import normalize_code
from lms.certificates.models import REVOCATION_LABELS, RevocationReason


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False  # a public lookup by GET; it changes nothing

    code = StringField("Certificate code",
                       description="For example CASOM-7KQ2-9XHD-M4TB. Case, spaces and dashes do not matter.",
                       validators=[DataRequired(message="Enter the code printed on the certificate."), Length(max=64)])
    submit = SubmitField("Check certificate")

    def validate_code(self, field):
        if normalize_code(field.data) is None:
            raise ValidationError("That is not a certificate code. Codes look like CASOM-7KQ2-9XHD-M4TB.")


REASON_CHOICES = [SelectChoice(reason.value, REVOCATION_LABELS[reason])
                  for reason in RevocationReason if reason != RevocationReason.SUPERSEDED]


class RevokeForm(FlaskForm):
    reason = SelectField("Reason", choices=REASON_CHOICES, validators=[DataRequired()])
    note = TextAreaField("Note for the record (not shown publicly)", validators=[Length(max=500)])
    submit = SubmitField("Revoke certificate")


class ReissueForm(FlaskForm):
    name = StringField("Corrected name", description="The name exactly as it should appear on the new certificate.",
                       validators=[DataRequired(), Length(max=120)])
    submit = SubmitField("Reissue with corrected name")


class SearchForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField("Code or name", validators=[Length(max=120)])
    submit = SubmitField("Search")
