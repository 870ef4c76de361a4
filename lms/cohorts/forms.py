"""Cohort forms."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from lms.cohorts.models import DELIVERY_LABELS
from lms.learning.forms import TRACK_CHOICES

DELIVERY_CHOICES = [SelectChoice(mode.value, label) for mode, label in DELIVERY_LABELS.items()]


class CheckboxList(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class CohortForm(FlaskForm):
    curriculum = SelectField("Curriculum", coerce=int, validators=[DataRequired()])
    name = StringField("Cohort name", description="For example: Spring 2027 probation academy, Pine County.",
                       validators=[DataRequired(), Length(max=160)])
    location = StringField("Location", validators=[Optional(), Length(max=200)])
    delivery_mode = RadioField("Delivery", choices=DELIVERY_CHOICES, default="in_person",
                               description="In-person and blended cohorts record attendance for each day.",
                               validators=[DataRequired()])
    day1_date = DateField("Day 1 date", validators=[Optional()])
    day2_date = DateField("Day 2 date", validators=[Optional()])
    default_track = RadioField("Default track", choices=TRACK_CHOICES, default="introductory",
                               validators=[DataRequired()])
    trainers = CheckboxList("Trainers", coerce=int, description="At least one.")
    crossover_forms = BooleanField(
        "Counterbalance the pre- and post-test forms (half the cohort takes each form first)")
    submit = SubmitField("Save cohort")

    def __init__(self, *args, filled_in_by_trainer=False, **kwargs):
        super().__init__(*args, **kwargs)
        #: a trainer is always among the cohort's trainers (lms.cohorts.operations), so may leave
        #: every box empty; an administrator must choose someone
        self.filled_in_by_trainer = filled_in_by_trainer
        if filled_in_by_trainer:
            self.trainers.description = "You are always one of them; add any others."

    def validate_day2_date(self, field):
        if field.data and self.day1_date.data and field.data < self.day1_date.data:
            raise ValidationError("Day 2 cannot be before Day 1.")

    def validate_trainers(self, field):
        if not field.data and not self.filled_in_by_trainer:
            raise ValidationError("Choose at least one trainer.")


class JoinForm(FlaskForm):
    code = StringField("Cohort join code", description="Your trainer gives you this code.",
                       validators=[DataRequired(), Length(max=20)])
    submit = SubmitField("Join cohort")


class CheckInForm(FlaskForm):
    code = StringField("Check-in code", description="The code your trainer shows in the room.",
                       validators=[DataRequired(), Length(max=12)])
    submit = SubmitField("Check in")


class AddLearnerForm(FlaskForm):
    email = StringField("Learner's email", validators=[DataRequired(), Email(check_deliverability=False),
                                                       Length(max=254)])
    track = RadioField("Track", choices=TRACK_CHOICES, default="introductory", validators=[DataRequired()])
    submit = SubmitField("Add to cohort")


class RosterImportForm(FlaskForm):
    roster = FileField("Roster CSV file",
                       description="Columns: name,email,track,agency,discipline (with a header row).",
                       validators=[FileRequired("Choose a CSV file."),
                                   FileAllowed(["csv", "txt"], "Upload a .csv file.")])
    submit = SubmitField("Import roster")


class CheckInWindowForm(FlaskForm):
    minutes = IntegerField("Minutes the code stays valid", default=15,
                           validators=[DataRequired(), NumberRange(min=1, max=240)])
    submit = SubmitField("Open check-in")


class JoinCodeForm(FlaskForm):
    """One-button actions on the join code (regenerate, close, open)."""
