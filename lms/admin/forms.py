"""Administration forms: the user and audit filters (GET) and one small CSRF-protected form per action."""

from flask_wtf import FlaskForm
from wtforms import DateField, DecimalField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from lms.admin.operations import MAX_TIME_ACCOMMODATION, MIN_TIME_ACCOMMODATION
from lms.auth.models import Role

ROLE_LABELS = {Role.TRAINEE.value: "Trainee", Role.TRAINER.value: "Trainer", Role.ADMIN.value: "Administrator"}
ROLE_CHOICES = [SelectChoice(value, label) for value, label in ROLE_LABELS.items()]
ACCOUNT_STATUS_CHOICES = [SelectChoice("", "Active and deactivated"), SelectChoice("active", "Active only"),
                          SelectChoice("deactivated", "Deactivated only")]


class UserSearchForm(FlaskForm):
    class Meta:
        csrf = False  # a search by GET; it changes nothing

    q = StringField("Name or email contains", validators=[Optional(), Length(max=120)])
    role = SelectField("Role", choices=[SelectChoice("", "Any role"), *ROLE_CHOICES], default="")
    status = SelectField("Account status", choices=ACCOUNT_STATUS_CHOICES, default="")
    submit = SubmitField("Search")


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False

    actor = StringField("Actor's email contains", validators=[Optional(), Length(max=254)])
    action = SelectField("Action", choices=[SelectChoice("", "Any action")], default="")
    date_from = DateField("From (UTC date)", description="Inclusive, for example 2026-03-01.", validators=[Optional()])
    date_to = DateField("To (UTC date)", description="Inclusive.", validators=[Optional()])
    submit = SubmitField("Filter")

    def __init__(self, *args, actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.action.choices = [SelectChoice("", "Any action"), *(SelectChoice(action, action) for action in actions)]

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError("The end date is before the start date.")


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES, validators=[DataRequired()])
    submit = SubmitField("Change role")


def _finite(form, field):
    # Decimal("NaN") cannot even be compared with a bound, so it is refused before NumberRange runs.
    if field.data is not None and not field.data.is_finite():
        raise StopValidation("Enter a number such as 1.5.")


class TimeAccommodationForm(FlaskForm):
    factor = DecimalField(
        "Quiz time multiplier",
        description=f"From {MIN_TIME_ACCOMMODATION:.1f} (no accommodation) to {MAX_TIME_ACCOMMODATION:.1f}. "
                    "1.5 gives time and a half on every timed quiz.",
        places=2,
        validators=[InputRequired(message="Enter a number such as 1.5."), _finite,
                    NumberRange(min=MIN_TIME_ACCOMMODATION, max=MAX_TIME_ACCOMMODATION,
                                message=f"Enter a number from {MIN_TIME_ACCOMMODATION:.1f} "
                                        f"to {MAX_TIME_ACCOMMODATION:.1f}.")],
    )
    submit = SubmitField("Save time accommodation")


class DeactivateForm(FlaskForm):
    submit = SubmitField("Deactivate account")


class ReactivateForm(FlaskForm):
    submit = SubmitField("Reactivate account")


class EndSessionsForm(FlaskForm):
    submit = SubmitField("Sign out everywhere")


class PasswordLinkForm(FlaskForm):
    submit = SubmitField("Create password reset link")


class UnlockForm(FlaskForm):
    submit = SubmitField("Unlock account")
