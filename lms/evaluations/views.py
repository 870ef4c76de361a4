"""The learner's side of the training evaluation: the survey, sending it once, "No thanks"."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms.certificates.queries import current_certificates_by_enrollment
from lms.core.security import safe_next_url
from lms.evaluations import operations, queries
from lms.evaluations.forms import build_evaluation_form, comment_field, comments_from, item_field, ratings_from
from lms.evaluations.models import COMMENT_MAX_CHARS
from lms.evaluations.summary import MIN_RESPONSES
from lms.extensions import db
from lms.learning import queries as learning_queries
from lms.learning.forms import EmptyForm

bp = Blueprint("evaluations", __name__, template_folder="templates")


def _learner_context(key):
    """(outline, enrollment, state) for the current user's enrollment in `key`; 404 if they are not
    enrolled or the curriculum has no evaluation, 409 before the post-test is passed."""
    curriculum = learning_queries.curriculum_or_404(key)
    enrollment = learning_queries.enrollment_for(current_user.id, curriculum.id)
    if enrollment is None:
        abort(404)
    state = queries.evaluation_state(enrollment)
    if not state.exists:
        abort(404)
    outline = learning_queries.outline_for(curriculum)
    operations.require_posttest_passed(enrollment, outline)
    return outline, enrollment, state


@bp.route("/curricula/<key>/evaluation", methods=["GET", "POST"])
@login_required
def survey(key):
    outline, enrollment, state = _learner_context(key)
    if state.submitted:
        if request.method == "POST":
            return redirect(url_for("evaluations.survey", key=key))
        certificate = current_certificates_by_enrollment([enrollment.id]).get(enrollment.id)
        return render_template("evaluations/thanks.html", outline=outline, certificate=certificate)
    items = queries.current_items(enrollment.curriculum_id)
    questions = queries.current_questions(enrollment.curriculum_id)
    form = build_evaluation_form(items, questions, formdata=request.form if request.method == "POST" else None)
    if request.method == "POST":
        if not form.validate_on_submit():
            return _survey_page(outline, form, items, questions, state), 400
        stored = operations.submit_evaluation(enrollment, outline, ratings_from(form, items),
                                              comments_from(form, questions))
        db.session.commit()
        if stored:
            flash("Thank you: your evaluation was sent anonymously.", "success")
        return redirect(url_for("evaluations.survey", key=key))
    return _survey_page(outline, form, items, questions, state)


def _survey_page(outline, form, items, questions, state):
    return render_template("evaluations/survey.html", outline=outline, form=form,
                           sections=queries.sections_of(items), questions=questions, item_field=item_field,
                           comment_field=comment_field, comment_max=COMMENT_MAX_CHARS,
                           still_prompted=not (state.declined or state.prompted), min_responses=MIN_RESPONSES,
                           decline_form=EmptyForm())


@bp.post("/curricula/<key>/evaluation/decline")
@login_required
def decline(key):
    outline, enrollment, state = _learner_context(key)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if not state.submitted and not state.declined:
        operations.decline_evaluation(enrollment, outline)
        db.session.commit()
        flash("No problem. If you change your mind, the evaluation stays open from My training and the "
              "curriculum page.", "info")
    target = safe_next_url(request.form.get("next")) or url_for("learning.curriculum", key=key)
    return redirect(target)
