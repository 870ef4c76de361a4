"""Account forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from lms.auth.operations import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH, find_user_by_email

DISCIPLINE_HINT = "For example: probation, parole, law enforcement, prosecution, treatment, victim advocacy"


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)])
    submit = SubmitField("Log in")


class RegistrationForm(FlaskForm):
    name = StringField("Full name (as it should appear on your certificate)",
                       validators=[DataRequired(), Length(max=120)])
    email = EmailField("Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    password = PasswordField(
        "Password",
        description=f"At least {MIN_PASSWORD_LENGTH} characters. A passphrase of several words works well.",
        validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH, max=MAX_PASSWORD_LENGTH)],
    )
    confirm = PasswordField("Repeat password",
                            validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")])
    agency = StringField("Agency", validators=[DataRequired(), Length(max=160)])
    discipline = StringField("Discipline", description=DISCIPLINE_HINT, validators=[DataRequired(), Length(max=80)])
    jurisdiction = StringField("Jurisdiction (state, county or tribe)", validators=[DataRequired(), Length(max=160)])
    submit = SubmitField("Create account")

    def validate_email(self, field):
        if find_user_by_email(field.data) is not None:
            raise ValidationError("An account with that email address already exists. Log in instead.")
