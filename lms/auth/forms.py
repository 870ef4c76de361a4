"""Account forms."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, Optional, Regexp, ValidationError

from lms.auth import passwords
from lms.auth.operations import find_user_by_email
from lms.auth.passwords import MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH

DISCIPLINE_HINT = "For example: probation, parole, law enforcement, prosecution, treatment, victim advocacy"
NEW_PASSWORD_HINT = (f"{MIN_PASSWORD_LENGTH} to {MAX_PASSWORD_LENGTH} characters, any you like. A passphrase of "
                     "several words works well; very common passwords are refused.")
EMAIL_SHAPE_MESSAGE = "Enter an email address, like name@agency.gov."
CODE_HINT = "The 6-digit code from your authenticator app, or one of your recovery codes."


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def password_rule(form, field):
    """The one password rule (lms.auth.passwords) as a form validator."""
    problem = passwords.password_problem(field.data or "")
    if problem:
        raise ValidationError(problem)


def _stripped(value):
    return value.strip() if isinstance(value, str) else value


def _new_password_field(label):
    return PasswordField(label, description=NEW_PASSWORD_HINT, validators=[DataRequired(), password_rule])


def _confirm_field(label):
    return PasswordField(label, validators=[DataRequired(), EqualTo("password", message="The passwords do not match.")])


class LoginForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)])
    submit = SubmitField("Log in")


class RegistrationForm(FlaskForm):
    name = StringField("Full name (as it should appear on your certificate)",
                       validators=[DataRequired(), Length(max=120)])
    email = EmailField("Email", validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    password = _new_password_field("Password")
    confirm = _confirm_field("Repeat password")
    agency = StringField("Agency", validators=[DataRequired(), Length(max=160)])
    discipline = StringField("Discipline", description=DISCIPLINE_HINT, validators=[DataRequired(), Length(max=80)])
    jurisdiction = StringField("Jurisdiction (state, county or tribe)", validators=[DataRequired(), Length(max=160)])
    submit = SubmitField("Create account")

    def validate_email(self, field):
        if find_user_by_email(field.data) is not None:
            raise ValidationError("An account with that email address already exists. Log in instead.")


class ForgotPasswordForm(FlaskForm):
    # Only the shape is checked: the address is looked up, never written, and an account created
    # by a roster import may use a domain a strict validator would refuse.
    email = EmailField("Email", description="The address you sign in with.", filters=[_strip],
                       validators=[DataRequired(), Length(max=254),
                                   Regexp(r"^[^@\s]+@[^@\s]+$", message=EMAIL_SHAPE_MESSAGE)])
    submit = SubmitField("Email me a link")


class SetPasswordForm(FlaskForm):
    password = _new_password_field("New password")
    confirm = _confirm_field("Repeat new password")
    submit = SubmitField("Set password")


class SecondStepForm(FlaskForm):
    code = StringField("Verification code", description=CODE_HINT, validators=[DataRequired(), Length(max=32)])
    submit = SubmitField("Verify")


class ReauthenticateForm(FlaskForm):
    password = PasswordField("Password", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)])
    code = StringField("Verification code", description=CODE_HINT, validators=[Optional(), Length(max=32)])
    submit = SubmitField("Continue")


class ProfileForm(FlaskForm):
    name = StringField("Full name (as it should appear on your certificate)",
                       validators=[DataRequired(), Length(max=120)])
    agency = StringField("Agency", validators=[Optional(), Length(max=160)])
    discipline = StringField("Discipline", description=DISCIPLINE_HINT, validators=[Optional(), Length(max=80)])
    jurisdiction = StringField("Jurisdiction (state, county or tribe)", validators=[Optional(), Length(max=160)])
    submit = SubmitField("Save profile")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired(), Length(max=MAX_PASSWORD_LENGTH)])
    password = _new_password_field("New password")
    confirm = _confirm_field("Repeat new password")
    submit = SubmitField("Change password")


class ChangeEmailForm(FlaskForm):
    email = EmailField("New email address", filters=[_stripped],
                       validators=[DataRequired(), Email(check_deliverability=False), Length(max=254)])
    submit = SubmitField("Change email")

    def validate_email(self, field):
        if find_user_by_email(field.data) is not None:
            raise ValidationError("Another account already uses that email address.")


class StartMfaForm(FlaskForm):
    submit = SubmitField("I have an app: show the code to scan")


class EnableMfaForm(FlaskForm):
    code = StringField("Code from the app", description="6 digits; a new one appears every 30 seconds.",
                       validators=[DataRequired(), Length(max=16)])
    submit = SubmitField("Turn on two-step verification")


class DisableMfaForm(FlaskForm):
    submit = SubmitField("Turn off two-step verification")


class RecoveryCodesForm(FlaskForm):
    submit = SubmitField("Make new recovery codes")
