"""Reads for the administration pages, each in a fixed number of queries however many rows exist."""

import datetime
from dataclasses import dataclass, replace

from sqlalchemy import func, or_, select

from lms.auth.models import Role, User
from lms.cohorts.models import Cohort
from lms.core.audit import AuditEvent
from lms.core.paging import Page
from lms.core.text import search_key
from lms.curricula.models import Curriculum, Lesson, Module, Question, Quiz
from lms.extensions import db
from lms.learning.models import Enrollment

PER_PAGE = 50
RECENT_IMPORTS = 20


def _page(items_query, count_query, number, per_page, scalars=False):
    """Run a count and one page of a select: two queries; an out-of-range page number is clamped."""
    page = Page.clamped(number, db.session.scalar(count_query) or 0, per_page)
    if not page.total:
        return page
    paged = items_query.offset(page.start).limit(per_page)
    return replace(page, items=(db.session.scalars(paged) if scalars else db.session.execute(paged)).all())


@dataclass(frozen=True)
class DashboardCounts:
    #: {role: {"active": n, "deactivated": n}}
    users: dict
    cohorts: int
    curricula: int

    def total(self, role):
        counts = self.users.get(role, {})
        return counts.get("active", 0) + counts.get("deactivated", 0)


def dashboard_counts():
    """Users by role and status, cohorts and curricula: three queries."""
    users = {role.value: {"active": 0, "deactivated": 0} for role in Role}
    for role, active, count in db.session.execute(
            select(User.role, User.active, func.count()).group_by(User.role, User.active)):
        users.setdefault(role, {"active": 0, "deactivated": 0})["active" if active else "deactivated"] += count
    cohorts = db.session.scalar(select(func.count()).select_from(Cohort))
    curricula = db.session.scalar(select(func.count()).select_from(Curriculum))
    return DashboardCounts(users=users, cohorts=cohorts, curricula=curricula)


def search_users(text="", role="", status="", page=1, per_page=PER_PAGE):
    """A page of users whose name or email contains `text`, filtered by role and active status,
    ordered by name; two queries."""
    conditions = []
    text = (text or "").strip()
    if text:
        conditions.append(or_(User.name_key.contains(search_key(text), autoescape=True),
                              User.email.contains(text.lower(), autoescape=True)))
    if role:
        conditions.append(User.role == role)
    if status == "active":
        conditions.append(User.active.is_(True))
    elif status == "deactivated":
        conditions.append(User.active.is_(False))
    items = select(User).where(*conditions).order_by(User.name_key, User.id)
    count = select(func.count()).select_from(User).where(*conditions)
    return _page(items, count, page, per_page, scalars=True)


@dataclass(frozen=True)
class EnrollmentRow:
    curriculum_title: str
    track: str
    cohort_name: str | None
    enrolled_at: datetime.datetime
    completed_at: datetime.datetime | None


def enrollments_of(user_id):
    """The user's enrollments with curriculum title and cohort name, oldest first: one query."""
    rows = db.session.execute(
        select(Curriculum.title, Enrollment.track, Cohort.name, Enrollment.enrolled_at, Enrollment.completed_at)
        .join(Curriculum, Curriculum.id == Enrollment.curriculum_id)
        .outerjoin(Cohort, Cohort.id == Enrollment.cohort_id)
        .where(Enrollment.user_id == user_id)
        .order_by(Enrollment.enrolled_at, Enrollment.id))
    return [EnrollmentRow(*row) for row in rows]


@dataclass(frozen=True)
class CurriculumImportRow:
    key: str
    title: str
    version: str
    imported_at: datetime.datetime
    modules: int
    lessons: int
    questions: int


def curriculum_import_status():
    """Each curriculum with its version and counts of what is live (not retired): one query."""
    live_module = Module.retired_at.is_(None)
    modules = (select(func.count(Module.id)).where(Module.curriculum_id == Curriculum.id, live_module)
               .correlate(Curriculum).scalar_subquery())
    lessons = (select(func.count(Lesson.id)).join(Module, Module.id == Lesson.module_id)
               .where(Module.curriculum_id == Curriculum.id, live_module, Lesson.retired_at.is_(None))
               .correlate(Curriculum).scalar_subquery())
    # Pre- and post-test questions have no module; a module quiz's questions count while the module is live.
    questions = (select(func.count(Question.id)).join(Quiz, Quiz.id == Question.quiz_id)
                 .outerjoin(Module, Module.id == Quiz.module_id)
                 .where(Quiz.curriculum_id == Curriculum.id, Question.retired_at.is_(None), live_module)
                 .correlate(Curriculum).scalar_subquery())
    rows = db.session.execute(
        select(Curriculum.key, Curriculum.title, Curriculum.version, Curriculum.imported_at, modules, lessons,
               questions).order_by(Curriculum.key))
    return [CurriculumImportRow(*row) for row in rows]


def recent_import_events(limit=RECENT_IMPORTS):
    """The latest "curriculum.import" audit events with the actor's email (None from the CLI): one query."""
    return db.session.execute(
        select(AuditEvent, User.email).outerjoin(User, User.id == AuditEvent.actor_id)
        .where(AuditEvent.action == "curriculum.import")
        .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()).limit(limit)).all()


def audit_actions():
    """Every distinct action name in the log, sorted: one query."""
    return db.session.scalars(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()


def audit_events(actor="", action="", date_from=None, date_to=None, page=1, per_page=PER_PAGE):
    """A page of audit events, newest first, each row (AuditEvent, actor email); two queries.
    `date_from` and `date_to` are UTC dates, both inclusive."""
    conditions = []
    actor = (actor or "").strip().lower()
    if actor:
        conditions.append(func.lower(User.email).contains(actor, autoescape=True))
    if action:
        conditions.append(AuditEvent.action == action)
    if date_from:
        conditions.append(AuditEvent.occurred_at >= datetime.datetime.combine(date_from, datetime.time.min))
    if date_to:
        next_day = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min)
        conditions.append(AuditEvent.occurred_at < next_day)
    items = (select(AuditEvent, User.email).outerjoin(User, User.id == AuditEvent.actor_id).where(*conditions)
             .order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc()))
    count = (select(func.count()).select_from(AuditEvent).outerjoin(User, User.id == AuditEvent.actor_id)
             .where(*conditions))
    return _page(items, count, page, per_page)
