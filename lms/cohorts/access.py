"""Who may see a cohort: its assigned trainers and every admin. Everyone else gets a 404, so a
trainer cannot even learn that another trainer's cohort exists."""

from flask import abort
from sqlalchemy import select

from lms.auth.models import Role
from lms.cohorts.models import Cohort, CohortTrainer
from lms.extensions import db


def can_manage(user, cohort_id):
    if user.role == Role.ADMIN:
        return True
    if user.role != Role.TRAINER:
        return False
    return db.session.scalar(select(CohortTrainer.cohort_id).where(
        CohortTrainer.cohort_id == cohort_id, CohortTrainer.user_id == user.id)) is not None


def managed_cohort_or_404(cohort_id, user):
    """The cohort if `user` may manage it; 404 otherwise (role is checked by the view decorator)."""
    cohort = db.session.get(Cohort, cohort_id)
    if cohort is None or not can_manage(user, cohort_id):
        abort(404)
    return cohort


def managed_cohorts_query(user):
    """A select of the cohorts `user` manages (all of them for an admin)."""
    query = select(Cohort).order_by(Cohort.created_at.desc())
    if user.role != Role.ADMIN:
        query = query.join(CohortTrainer, CohortTrainer.cohort_id == Cohort.id).where(CohortTrainer.user_id == user.id)
    return query
