"""Enrollment forms."""

from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from lms.learning.models import TRACK_LABELS, Track

TRACK_CHOICES = [SelectChoice(track.value, TRACK_LABELS[track]) for track in Track]


class EnrollForm(FlaskForm):
    track = RadioField("Choose your track", choices=TRACK_CHOICES, default=Track.INTRODUCTORY.value,
                       validators=[DataRequired(message="Choose a track.")])
    submit = SubmitField("Enroll")


class TrackForm(FlaskForm):
    track = RadioField("Track", choices=TRACK_CHOICES, validators=[DataRequired(message="Choose a track.")])
    submit = SubmitField("Change track")


class EmptyForm(FlaskForm):
    """A form with only the CSRF token, for one-button actions."""
