"""Cohort writes: create and edit, join codes, adding learners (one at a time, by code, or from a
roster file), attendance and check-in windows. Each flushes; the caller commits."""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError

from lms.auth import operations as accounts
from lms.auth.models import Role, User
from lms.auth.reset import create_password_link
from lms.certificates.codes import ALPHABET
from lms.cohorts.models import Attendance, CheckInWindow, Cohort, CohortTrainer, DeliveryMode
from lms.cohorts.roster import parse_roster
from lms.core import audit
from lms.core.errors import DomainError, InvalidState, NotAllowed
from lms.core.time import utcnow
from lms.curricula.models import Curriculum
from lms.extensions import db
from lms.learning import operations as learning
from lms.learning import queries as learning_queries
from lms.learning.models import Enrollment, Track

JOIN_CODE_LENGTH = 8
INVITATION_LIFETIME = timedelta(days=14)


def new_join_code():
    return "".join(secrets.choice(ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def normalize_join_code(text):
    return "".join(ch for ch in (text or "").upper() if ch.isalnum()).translate(str.maketrans("OIL", "011"))


class NoTrainerChosen(DomainError):
    """A cohort needs one or more trainers (or administrators) to run it."""

    def __init__(self):
        super().__init__("Choose at least one trainer.")


def create_cohort(actor, *, curriculum_id, name, location="", delivery_mode=DeliveryMode.IN_PERSON.value,
                  day1_date=None, day2_date=None, default_track=Track.INTRODUCTORY.value, trainer_ids=(),
                  crossover_forms=False):
    """A new cohort with one or more trainers; a trainer who creates one is always among them."""
    if db.session.get(Curriculum, curriculum_id) is None:
        raise DomainError("Choose a curriculum.")
    trainers = _trainers_to_keep(actor, trainer_ids)
    cohort = Cohort(curriculum_id=curriculum_id, join_code=new_join_code(), created_by_id=actor.id)
    db.session.add(cohort)
    _apply_details(cohort, name, location, delivery_mode, day1_date, day2_date, default_track, crossover_forms)
    db.session.flush()
    _set_trainers(cohort, trainers)
    audit.record("cohort.created", actor=actor, target=f"cohort:{cohort.id}", name=cohort.name)
    return cohort


def update_cohort(cohort, actor, *, name, location, delivery_mode, day1_date, day2_date, default_track,
                  trainer_ids=None, crossover_forms=False):
    trainers = None if trainer_ids is None else _trainers_to_keep(actor, trainer_ids)
    _apply_details(cohort, name, location, delivery_mode, day1_date, day2_date, default_track, crossover_forms)
    if trainers is not None:
        _set_trainers(cohort, trainers)
    audit.record("cohort.updated", actor=actor, target=f"cohort:{cohort.id}")
    db.session.flush()
    return cohort


def _trainers_to_keep(actor, trainer_ids):
    """The ids among `trainer_ids` (and the acting trainer) of trainers and administrators;
    NoTrainerChosen when that leaves nobody."""
    wanted = set(trainer_ids) | ({actor.id} if actor.role == Role.TRAINER else set())
    staff = set(db.session.scalars(select(User.id).where(User.id.in_(wanted),
                                                         User.role.in_([Role.TRAINER.value, Role.ADMIN.value]))))
    if not staff:
        raise NoTrainerChosen()
    return staff


def _apply_details(cohort, name, location, delivery_mode, day1_date, day2_date, default_track, crossover_forms):
    if day1_date and day2_date and day2_date < day1_date:
        raise DomainError("Day 2 cannot be before Day 1.")
    cohort.name, cohort.location = name.strip(), (location or "").strip()
    cohort.delivery_mode = DeliveryMode(delivery_mode).value
    cohort.day1_date, cohort.day2_date = day1_date, day2_date
    cohort.default_track = Track(default_track).value
    cohort.crossover_forms = bool(crossover_forms)


def _set_trainers(cohort, staff):
    current = set(db.session.scalars(select(CohortTrainer.user_id).where(CohortTrainer.cohort_id == cohort.id)))
    for user_id in current - staff:
        db.session.delete(db.session.get(CohortTrainer, (cohort.id, user_id)))
    for user_id in staff - current:
        db.session.add(CohortTrainer(cohort_id=cohort.id, user_id=user_id))
    db.session.flush()


def regenerate_join_code(cohort, actor):
    cohort.join_code = new_join_code()
    cohort.join_open = True
    audit.record("cohort.join_code_regenerated", actor=actor, target=f"cohort:{cohort.id}")
    db.session.flush()


def set_join_open(cohort, actor, is_open):
    cohort.join_open = bool(is_open)
    audit.record("cohort.join_opened" if is_open else "cohort.join_closed", actor=actor, target=f"cohort:{cohort.id}")
    db.session.flush()


def enroll_in_cohort(user, cohort, track=None):
    """Put `user` in `cohort` (one enrollment per curriculum): a new enrollment, or the learner's
    existing self-paced one attached to the cohort. Refused if they are in another cohort."""
    curriculum = db.session.get(Curriculum, cohort.curriculum_id)
    enrollment = learning.enroll(user, curriculum, track or cohort.default_track)
    if enrollment.cohort_id is None and _attach(enrollment, cohort):
        return enrollment, True
    if enrollment.cohort_id == cohort.id:
        return enrollment, False
    other = db.session.get(Cohort, enrollment.cohort_id)
    raise InvalidState(f"{user.email} is already in the cohort {other.name!r} for this curriculum.")


def _attach(enrollment, cohort):
    """Put a self-paced enrollment in `cohort` unless another request put it in a cohort first: two
    trainers adding one learner at once (PostgreSQL runs both) must not both succeed."""
    values = {"cohort_id": cohort.id}
    if cohort.crossover_forms:
        values["form_order"] = _next_form_order(cohort)
    attached = db.session.execute(
        update(Enrollment).where(Enrollment.id == enrollment.id, Enrollment.cohort_id.is_(None)).values(**values)
        .execution_options(synchronize_session=False)).rowcount == 1
    db.session.refresh(enrollment)
    return attached


def _next_form_order(cohort):
    counts = dict(db.session.execute(select(Enrollment.form_order, func.count()).where(
        Enrollment.cohort_id == cohort.id).group_by(Enrollment.form_order)).all())
    return "BA" if counts.get("AB", 0) > counts.get("BA", 0) else "AB"


def join_by_code(user, code):
    """A learner joins the cohort whose open join code they typed."""
    cohort = db.session.scalar(select(Cohort).where(Cohort.join_code == normalize_join_code(code)))
    if cohort is None or not cohort.join_open:
        raise DomainError("That join code is not valid or the cohort is closed to new members. "
                          "Check it with your trainer.")
    enrollment, _ = enroll_in_cohort(user, cohort)
    audit.record("cohort.joined", actor=user, target=f"cohort:{cohort.id}", method="code")
    return cohort, enrollment


def add_learner(cohort, actor, email, track):
    """A trainer adds an existing account to the cohort."""
    user = accounts.find_user_by_email(email)
    if user is None:
        raise DomainError("No account uses that email. Import a roster to create accounts with invitations.")
    enrollment, added = enroll_in_cohort(user, cohort, track)
    audit.record("cohort.learner_added", actor=actor, target=f"cohort:{cohort.id}", user_id=user.id)
    return enrollment, added


@dataclass
class RosterOutcome:
    row_number: int
    email: str
    status: str          # "enrolled", "invited", "already enrolled" or "error"
    reason: str = ""
    invitation_url: str | None = None
    name: str = ""
    #: whether the invitation went by email: None when the site sends no email
    emailed: bool | None = None


@dataclass
class RosterResult:
    outcomes: list = field(default_factory=list)

    def count(self, *statuses):
        return sum(1 for outcome in self.outcomes if outcome.status in statuses)

    @property
    def errors(self):
        return [outcome for outcome in self.outcomes if outcome.status == "error"]

    @property
    def invitations(self):
        return [outcome for outcome in self.outcomes if outcome.invitation_url]

    @property
    def invitations_not_emailed(self):
        return [outcome for outcome in self.invitations if outcome.emailed is False]


def import_roster(cohort, actor, text, link_for):
    """Enroll every good row (creating invited accounts for new emails), report every bad row by
    number and reason. Re-importing the same file duplicates nothing. `link_for(token)` builds
    the absolute invitation URL."""
    rows, errors = parse_roster(text)
    result = RosterResult([RosterOutcome(e.row_number, e.email, "error", e.reason) for e in errors])
    for row in rows:
        result.outcomes.append(_import_row(cohort, actor, row, link_for))
    result.outcomes.sort(key=lambda outcome: outcome.row_number)
    audit.record("cohort.roster_imported", actor=actor, target=f"cohort:{cohort.id}",
                 enrolled=result.count("enrolled", "invited"), errors=len(result.errors))
    db.session.flush()
    return result


def _import_row(cohort, actor, row, link_for):
    try:
        with db.session.begin_nested():
            user = accounts.find_user_by_email(row.email)
            invitation_url = None
            if user is None:
                user = accounts.create_user(email=row.email, password=secrets.token_urlsafe(32), name=row.name,
                                            agency=row.agency, discipline=row.discipline)
                invitation_url = link_for(create_password_link(user, actor, INVITATION_LIFETIME))
            _, added = enroll_in_cohort(user, cohort, row.track)
    except (DomainError, IntegrityError) as error:
        reason = str(error) if isinstance(error, DomainError) else "changed by someone else meanwhile; import again"
        return RosterOutcome(row.row_number, row.email, "error", reason)
    if invitation_url:
        return RosterOutcome(row.row_number, row.email, "invited", invitation_url=invitation_url, name=row.name)
    return RosterOutcome(row.row_number, row.email, "enrolled" if added else "already enrolled")


def roster_enrollments(cohort_id):
    return db.session.execute(
        select(Enrollment, User).join(User, Enrollment.user_id == User.id)
        .where(Enrollment.cohort_id == cohort_id).order_by(func.lower(User.name))).all()


def record_attendance(cohort, actor, day_number, present_enrollment_ids):
    """Mark every learner of the roster present or absent for one day (one form for the roster),
    and complete any enrollment whose last requirement was this attendance."""
    _require_attendance(cohort, day_number)
    roster = [enrollment for enrollment, _ in roster_enrollments(cohort.id)]
    now = utcnow()
    _write_attendance([{"enrollment_id": enrollment.id, "day_number": day_number,
                        "present": enrollment.id in present_enrollment_ids, "method": "roster",
                        "recorded_by_id": actor.id, "recorded_at": now} for enrollment in roster])
    audit.record("cohort.attendance_recorded", actor=actor, target=f"cohort:{cohort.id}", day=day_number,
                 present=len(present_enrollment_ids & {e.id for e in roster}), roster=len(roster))
    _complete_where_done(cohort, roster)


_UPSERT_FOR_DIALECT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _write_attendance(marks):
    """Insert or overwrite each (enrollment, day) mark, all in one statement. A learner checking in
    while the trainer saves the roster writes the same row at the same moment: on conflict the
    later write wins, as it would one after the other, instead of a unique-constraint error."""
    if not marks:
        return
    table = Attendance.__table__
    statement = _UPSERT_FOR_DIALECT[db.session.get_bind().dialect.name](table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.enrollment_id, table.c.day_number],
        set_={name: statement.excluded[name] for name in ("present", "method", "recorded_by_id", "recorded_at")})
    db.session.execute(statement, marks)


def _complete_where_done(cohort, enrollments):
    """Complete every enrollment whose last requirement was just met, reading the learners'
    records in a fixed number of queries however large the roster."""
    outline = learning_queries.outline_for(db.session.get(Curriculum, cohort.curriculum_id))
    incomplete = [enrollment for enrollment in enrollments if enrollment.completed_at is None]
    records = learning_queries.learner_records(incomplete)
    for enrollment in incomplete:
        learning.complete_if_done(enrollment, outline, records[enrollment.id])


def _require_attendance(cohort, day_number):
    if not cohort.records_attendance:
        raise InvalidState("Online cohorts do not record attendance.")
    if day_number not in (1, 2):
        raise DomainError("Attendance is recorded for Day 1 or Day 2.")


def open_check_in(cohort, actor, day_number, minutes):
    """A check-in code valid for `minutes` from now, for learners in the room."""
    _require_attendance(cohort, day_number)
    if not 1 <= minutes <= 240:
        raise DomainError("A check-in window lasts 1 to 240 minutes.")
    now = utcnow()
    window = CheckInWindow(cohort_id=cohort.id, day_number=day_number, code=f"{secrets.randbelow(10**6):06d}",
                           opens_at=now, closes_at=now + timedelta(minutes=minutes), created_by_id=actor.id)
    db.session.add(window)
    audit.record("cohort.check_in_opened", actor=actor, target=f"cohort:{cohort.id}", day=day_number, minutes=minutes)
    db.session.flush()
    return window


def check_in(user, code, now=None):
    """Record the learner present for the day whose open window has this code, in a cohort they belong to."""
    now = now or utcnow()
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    windows = db.session.execute(
        select(CheckInWindow, Enrollment).join(Enrollment, Enrollment.cohort_id == CheckInWindow.cohort_id)
        .where(CheckInWindow.code == code, Enrollment.user_id == user.id)).all()
    if not windows:
        raise NotAllowed("That check-in code is not valid for any cohort you belong to.")
    open_now = [(w, e) for w, e in windows if w.opens_at <= now <= w.closes_at]
    if not open_now:
        raise InvalidState("That check-in code has expired. Ask your trainer for the current code.")
    window, enrollment = open_now[0]
    _write_attendance([{"enrollment_id": enrollment.id, "day_number": window.day_number, "present": True,
                        "method": "check_in", "recorded_by_id": None, "recorded_at": now}])
    cohort = db.session.get(Cohort, window.cohort_id)
    _complete_where_done(cohort, [enrollment])
    audit.record("cohort.checked_in", actor=user, target=f"cohort:{cohort.id}", day=window.day_number)
    return cohort, window.day_number


def current_windows(cohort_id, now=None):
    now = now or utcnow()
    return db.session.scalars(select(CheckInWindow).where(
        CheckInWindow.cohort_id == cohort_id, CheckInWindow.closes_at >= now).order_by(CheckInWindow.opens_at)).all()
