"""Quiz pages: the quiz's start page, the attempt form, the graded results."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from lms.certificates.queries import current_certificates_by_enrollment
from lms.core.errors import DomainError
from lms.evaluations import queries as evaluation_queries
from lms.extensions import db
from lms.learning import queries as learning_queries
from lms.learning.forms import EmptyForm
from lms.learning.navigation import step_url
from lms.learning.progress import curriculum_progress, quiz_passed
from lms.quizzes import grading, operations, queries
from lms.quizzes.forms import build_attempt_form, selections_from

bp = Blueprint("quizzes", __name__, template_folder="templates")


def _learner_context(key):
    """(outline, enrollment) for the current user in curriculum `key`, or 404."""
    curriculum = learning_queries.curriculum_or_404(key)
    enrollment = learning_queries.enrollment_for(current_user.id, curriculum.id)
    if enrollment is None:
        abort(404)
    return learning_queries.outline_for(curriculum), enrollment


def _own_attempt_or_404(attempt_id):
    """The attempt, its enrollment and outline, only if the attempt is the current user's."""
    found = queries.attempt_with_owner(attempt_id)
    if found is None or found[1].user_id != current_user.id:
        abort(404)
    attempt, enrollment = found
    curriculum = learning_queries.curriculum_by_id(enrollment.curriculum_id)
    return attempt, enrollment, learning_queries.outline_for(curriculum)


@bp.get("/curricula/<key>/quizzes/<quiz_key>")
@login_required
def quiz(key, quiz_key):
    outline, enrollment = _learner_context(key)
    quiz = outline.quiz(quiz_key)
    if quiz is None:
        abort(404)
    progress = curriculum_progress(outline, learning_queries.learner_record(enrollment))
    attempts = queries.attempts_of(enrollment.id, quiz.id)
    started, granted = operations.attempts_summary(enrollment.id, quiz.id)
    allowed = grading.attempts_allowed(quiz.max_attempts, granted)
    return render_template(
        "quizzes/quiz.html", outline=outline, quiz=quiz, attempts=attempts, allowed=allowed,
        unavailable=operations.quiz_availability(outline, progress, quiz),
        open_attempt=next((a for a in attempts if a.is_open), None),
        out_of_attempts=allowed is not None and started >= allowed,
        module=outline.module_of_quiz(quiz.id),
        form=EmptyForm(),
    )


@bp.post("/curricula/<key>/quizzes/<quiz_key>/start")
@login_required
def start(key, quiz_key):
    outline, enrollment = _learner_context(key)
    quiz = outline.quiz(quiz_key)
    if quiz is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        attempt = operations.start_attempt(enrollment, outline, quiz, current_user)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("quizzes.quiz", key=key, quiz_key=quiz_key))
    db.session.commit()
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


@bp.route("/attempts/<int:attempt_id>", methods=["GET", "POST"])
@login_required
def attempt(attempt_id):
    attempt, enrollment, outline = _own_attempt_or_404(attempt_id)
    if not attempt.is_open:
        return redirect(url_for("quizzes.results", attempt_id=attempt.id))
    items = queries.attempt_questions(attempt.id)
    form = build_attempt_form(items, formdata=request.form if request.method == "POST" else None)
    if request.method == "POST":
        if not form.validate_on_submit():
            return render_template("quizzes/attempt.html", **_attempt_page(outline, attempt, items, form)), 400
        selections = selections_from(form, items)
        if form.save.data and not form.submit.data:
            return _save(attempt, selections)
        operations.submit_attempt(attempt.id, selections, enrollment, outline)
        db.session.commit()
        return redirect(url_for("quizzes.results", attempt_id=attempt.id))
    return render_template("quizzes/attempt.html", **_attempt_page(outline, attempt, items, form))


def _save(attempt, selections):
    try:
        operations.save_answers(attempt, selections)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash("Your answers are saved. You can come back and finish this attempt later.", "success")
    return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))


def _attempt_page(outline, attempt, items, form):
    return {"outline": outline, "quiz": outline.quiz_by_id(attempt.quiz_id), "attempt": attempt, "items": items,
            "form": form}


@bp.get("/attempts/<int:attempt_id>/results")
@login_required
def results(attempt_id):
    attempt, enrollment, outline = _own_attempt_or_404(attempt_id)
    if attempt.is_open:
        return redirect(url_for("quizzes.attempt", attempt_id=attempt.id))
    quiz = outline.quiz_by_id(attempt.quiz_id)
    started, granted = operations.attempts_summary(enrollment.id, quiz.id)
    allowed = grading.attempts_allowed(quiz.max_attempts, granted)
    record = learning_queries.learner_record(enrollment)
    progress = curriculum_progress(outline, record)
    evaluation_offer = certificate = None
    if quiz.kind == "posttest" and attempt.passed:
        evaluation_offer = evaluation_queries.evaluation_state(enrollment).offer(progress.posttest_passed)
        certificate = current_certificates_by_enrollment([enrollment.id]).get(enrollment.id)
    return render_template(
        "quizzes/results.html", outline=outline, quiz=quiz, attempt=attempt, items=queries.attempt_items(attempt.id),
        reveal=_answers_revealed(quiz, record, allowed),
        attempts_left=None if allowed is None else max(0, allowed - started),
        progress=progress, next_url=step_url(outline, progress.next_step),
        evaluation_offer=evaluation_offer, certificate=certificate,
    )


def _answers_revealed(quiz, record, allowed):
    """Whether the results page may show the correct answers (never for the pre-test)."""
    return quiz.kind != "pretest" and grading.may_reveal_answers(
        quiz_passed(quiz, record), record.attempts_used.get(quiz.id, 0), allowed,
        attempt_open=quiz.id in record.open_attempt_quiz_ids)
