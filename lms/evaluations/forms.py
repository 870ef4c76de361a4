"""The survey form, built from the evaluation's current items and open questions."""

from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError

from lms.evaluations.models import COMMENT_MAX_CHARS, LIKERT_LABELS
from lms.evaluations.operations import clean_comment

NO_ANSWER = ""
LIKERT_CHOICES = [SelectChoice(str(value), label) for value, label in LIKERT_LABELS.items()] + [
    SelectChoice(NO_ANSWER, "No answer")]


def _at_most_max_chars(form, field):
    if len(clean_comment(field.data)) > COMMENT_MAX_CHARS:
        raise ValidationError(f"Please keep this to {COMMENT_MAX_CHARS:,} characters or fewer.")


class _EvaluationFormBase(FlaskForm):
    submit = SubmitField("Send my evaluation")


def item_field(item_id):
    return f"item_{item_id}"


def comment_field(question_id):
    return f"comment_{question_id}"


def build_evaluation_form(items, questions, formdata=None):
    """A form class with one radio group per item (every one optional, "No answer" preselected)
    and one text box per open question."""

    class EvaluationForm(_EvaluationFormBase):
        pass

    for item in items:
        setattr(EvaluationForm, item_field(item.id),
                RadioField(item.text, choices=LIKERT_CHOICES, default=NO_ANSWER, validate_choice=True))
    for question in questions:
        setattr(EvaluationForm, comment_field(question.id),
                TextAreaField(question.text, validators=[_at_most_max_chars],
                              description=f"Optional; up to {COMMENT_MAX_CHARS:,} characters. Please do not "
                                          "write your name or anything else that identifies you."))
    return EvaluationForm(formdata=formdata)


def ratings_from(form, items):
    """{item id: 1..5 or None}."""
    ratings = {}
    for item in items:
        value = form[item_field(item.id)].data
        ratings[item.id] = int(value) if value and str(value).isdigit() else None
    return ratings


def comments_from(form, questions):
    return {question.id: form[comment_field(question.id)].data or "" for question in questions}
