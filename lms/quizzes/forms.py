"""The attempt form, built from the questions drawn for one attempt, in their stored order."""

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectMultipleField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class OptionalRadioField(RadioField):
    """A radio group that may be left unanswered (saved or graded as no answer), but whose answer,
    when given, must be one of the choices shown."""

    def pre_validate(self, form):
        if self.data is not None:
            super().pre_validate(form)


class _AttemptFormBase(FlaskForm):
    save = SubmitField("Save answers and finish later")
    submit = SubmitField("Submit answers for grading")


def field_name(position):
    return f"q{position}"


def build_attempt_form(items, formdata=None):
    """A form class with one field per drawn question; `items` are AttemptQuestion views."""

    class AttemptForm(_AttemptFormBase):
        pass

    for item in items:
        choices = [SelectChoice(str(choice.id), choice.text) for choice in item.choices]
        label = f"{item.position}. {item.prompt}"
        if item.type == "multiple":
            field = CheckboxesField(label, choices=choices, coerce=str, validate_choice=True,
                                    description="Select all that apply.")
        else:
            field = OptionalRadioField(label, choices=choices, validate_choice=True)
        setattr(AttemptForm, field_name(item.position), field)
    defaults = {field_name(item.position): [str(choice_id) for choice_id in item.selected] if item.type == "multiple"
                else (str(item.selected[0]) if item.selected else None) for item in items}
    return AttemptForm(formdata=formdata, data=defaults if formdata is None else None)


def selections_from(form, items):
    """{position: [choice ids]} from a submitted attempt form; unanswered questions are empty."""
    selections = {}
    for item in items:
        value = form[field_name(item.position)].data
        values = value if isinstance(value, list) else ([value] if value else [])
        selections[item.position] = [int(v) for v in values if str(v).isdigit()]
    return selections
