"""The learner's pages: My training, a curriculum's progress page, enrolling, reading."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required

from lms.certificates.queries import certificate_summaries_by_enrollment
from lms.core.errors import DomainError
from lms.evaluations.offers import Offer
from lms.evaluations.operations import record_prompts_shown
from lms.evaluations.queries import evaluation_states
from lms.extensions import db
from lms.learning import operations, queries
from lms.learning.forms import EmptyForm, EnrollForm, TrackForm
from lms.learning.models import TRACK_LABELS
from lms.learning.navigation import step_url
from lms.learning.progress import LEVEL_LABELS, STATUS_LABELS, curriculum_progress

bp = Blueprint("learning", __name__, template_folder="templates")


def _own_enrollment_or_404(curriculum):
    enrollment = queries.enrollment_for(current_user.id, curriculum.id)
    if enrollment is None:
        abort(404)
    return enrollment


@bp.get("/dashboard")
@login_required
def dashboard():
    entries = queries.dashboard_entries(current_user.id)
    evaluations = evaluation_states(entry.enrollment for entry in entries)
    rows, evaluation_offers = [], {}
    for entry in entries:
        outline = queries.outline_for(entry.curriculum)
        progress = curriculum_progress(outline, entry.record)
        rows.append((entry.enrollment, progress, step_url(outline, progress.next_step), entry.certificate))
        evaluation_offers[entry.enrollment.id] = evaluations[entry.enrollment.id].offer(progress.posttest_passed)
    page = render_template("learning/dashboard.html", rows=rows, track_labels=TRACK_LABELS,
                           status_labels=STATUS_LABELS, evaluation_offers=evaluation_offers)
    _note_evaluation_prompts_shown(evaluation_offers)
    return page


def _note_evaluation_prompts_shown(offers):
    """The evaluation is prompted once: a page that showed the prompt records that it did."""
    prompted = [enrollment_id for enrollment_id, offer in offers.items() if offer == Offer.PROMPT]
    if prompted:
        # A GET reads in a transaction that SQLite does not let turn into a write once another
        # request has written (lms.core.database), so the write gets a transaction of its own.
        db.session.commit()
        record_prompts_shown(prompted)
        db.session.commit()


@bp.get("/curricula/<key>")
def curriculum(key):
    outline = queries.outline_for(queries.curriculum_or_404(key))
    enrollment = progress = None
    if current_user.is_authenticated:
        enrollment = queries.enrollment_for(current_user.id, outline.curriculum_id)
    certificate = evaluation_offer = None
    if enrollment is not None:
        progress = curriculum_progress(outline, queries.learner_record(enrollment))
        certificate = certificate_summaries_by_enrollment([enrollment.id]).get(enrollment.id)
        evaluation_offer = evaluation_states([enrollment])[enrollment.id].offer(progress.posttest_passed)
    page = render_template(
        "learning/curriculum.html", outline=outline, enrollment=enrollment, progress=progress, certificate=certificate,
        evaluation_offer=evaluation_offer,
        enroll_form=EnrollForm(), track_form=TrackForm(track=enrollment.track if enrollment else None),
        resume_url=step_url(outline, progress.next_step) if progress else None,
        level_labels=LEVEL_LABELS, status_labels=STATUS_LABELS, track_labels=TRACK_LABELS,
    )
    if enrollment is not None:
        _note_evaluation_prompts_shown({enrollment.id: evaluation_offer})
    return page


@bp.post("/curricula/<key>/enroll")
@login_required
def enroll(key):
    curriculum = queries.curriculum_or_404(key)
    form = EnrollForm()
    if not form.validate_on_submit():
        flash("Choose the introductory or the advanced track to enroll.", "error")
        return redirect(url_for("learning.curriculum", key=key))
    operations.enroll(current_user, curriculum, form.track.data)
    db.session.commit()
    flash(f"You are enrolled in {curriculum.title}.", "success")
    return redirect(url_for("learning.curriculum", key=key))


@bp.post("/curricula/<key>/track")
@login_required
def change_track(key):
    curriculum = queries.curriculum_or_404(key)
    enrollment = _own_enrollment_or_404(curriculum)
    form = TrackForm()
    if not form.validate_on_submit():
        flash("Choose the introductory or the advanced track.", "error")
        return redirect(url_for("learning.curriculum", key=key))
    try:
        operations.change_track(enrollment, queries.outline_for(curriculum), form.track.data)
    except DomainError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(f"Your track is now: {TRACK_LABELS[enrollment.track]}.", "success")
    return redirect(url_for("learning.curriculum", key=key))


@bp.get("/curricula/<key>/resume")
@login_required
def resume(key):
    curriculum = queries.curriculum_or_404(key)
    outline = queries.outline_for(curriculum)
    progress = curriculum_progress(outline, queries.learner_record(_own_enrollment_or_404(curriculum)))
    return redirect(step_url(outline, progress.next_step))


@bp.post("/curricula/<key>/modules/<module_key>/lessons/<lesson_key>/read")
@login_required
def mark_read(key, module_key, lesson_key):
    curriculum = queries.curriculum_or_404(key)
    enrollment = _own_enrollment_or_404(curriculum)
    if not EmptyForm().validate_on_submit():
        abort(400)
    outline = queries.outline_for(curriculum)
    module = outline.module(module_key)
    lesson = next((item for item in module.lessons if item.key == lesson_key), None) if module else None
    if lesson is None:
        abort(404)
    progress = operations.mark_lesson_read(enrollment, outline, lesson.id)
    db.session.commit()
    return redirect(_after_reading(outline, module, progress))


def _after_reading(outline, module, progress):
    """The next unread lesson of this module, then its quiz, then the next required step."""
    read = progress.record.read_lesson_ids
    unread = next((item for item in module.lessons if item.id not in read), None)
    if unread is not None:
        return url_for("curricula.lesson", key=outline.key, module_key=module.key, lesson_key=unread.key)
    module_progress = progress.module(module.key)
    if module.quiz is not None and not module_progress.quiz_passed:
        return url_for("quizzes.quiz", key=outline.key, quiz_key=module.quiz.key)
    return step_url(outline, progress.next_step)
