"""Public catalog and module pages; the lesson reader."""

from flask import Blueprint, abort, render_template
from flask_login import current_user, login_required
from sqlalchemy import select

from lms.core import caching
from lms.curricula.models import Curriculum, Lesson
from lms.extensions import db
from lms.learning import queries
from lms.learning.models import TRACK_LABELS
from lms.learning.progress import LEVEL_LABELS, curriculum_progress

bp = Blueprint("curricula", __name__, template_folder="templates")


def _module_or_404(outline, module_key):
    module = outline.module(module_key)
    if module is None:
        abort(404)
    return module


@bp.get("/")
def catalog():
    curricula = db.session.scalars(select(Curriculum).order_by(Curriculum.title)).all()
    outlines = [queries.outline_for(curriculum) for curriculum in curricula]
    return render_template("curricula/catalog.html", outlines=outlines, level_labels=LEVEL_LABELS)


@bp.get("/curricula/<key>/modules/<module_key>")
def module(key, module_key):
    outline = queries.outline_for(queries.curriculum_or_404(key))
    module = _module_or_404(outline, module_key)
    objectives = queries.objectives_of(module.id)
    progress = _progress_if_enrolled(outline)
    return render_template("curricula/module.html", outline=outline, module=module, objectives=objectives,
                           progress=progress, module_progress=progress.module(module.key) if progress else None,
                           level_labels=LEVEL_LABELS, track_labels=TRACK_LABELS)


@bp.get("/curricula/<key>/modules/<module_key>/lessons/<lesson_key>")
@login_required
def lesson(key, module_key, lesson_key):
    outline = queries.outline_for(queries.curriculum_or_404(key))
    module = _module_or_404(outline, module_key)
    ref = next((lesson for lesson in module.lessons if lesson.key == lesson_key), None)
    if ref is None:
        abort(404)
    progress = _progress_if_enrolled(outline)
    day = progress.day_of_module(module.key) if progress else None
    locked = bool(day and day.locked)
    body = None if locked else db.session.get(Lesson, ref.id)
    position = module.lessons.index(ref)
    is_read = bool(progress and ref.id in progress.record.read_lesson_ids)
    # Everything this page shows that can change: the content and the learner's state on it.
    etag = caching.personal_etag(outline.version, ref.id, body.source_hash if body else None,
                                 day.day.number if locked else None, progress is not None, is_read)
    return caching.conditional(etag, lambda: render_template(
        "curricula/lesson.html", outline=outline, module=module, lesson=ref, body=body, locked=locked,
        day=day, progress=progress, is_read=is_read,
        previous=module.lessons[position - 1] if position > 0 else None,
        following=module.lessons[position + 1] if position + 1 < len(module.lessons) else None,
    ))


def _progress_if_enrolled(outline):
    if not current_user.is_authenticated:
        return None
    enrollment = queries.enrollment_for(current_user.id, outline.curriculum_id)
    if enrollment is None:
        return None
    return curriculum_progress(outline, queries.learner_record(enrollment))
