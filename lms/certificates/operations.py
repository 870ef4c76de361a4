"""Certificate writes: issue exactly once at completion, revoke with a reason, reissue after a correction."""

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from lms.auth.models import User
from lms.certificates.codes import new_code
from lms.certificates.models import Certificate, RevocationReason
from lms.cohorts.models import Cohort, CohortTrainer
from lms.core import audit
from lms.core.errors import DomainError, InvalidState
from lms.core.time import utcnow
from lms.curricula.models import Curriculum
from lms.extensions import db
from lms.learning.models import Enrollment

MAX_CODE_TRIES = 5


def certificate_for(enrollment_id):
    """The enrollment's current (latest) certificate, or None."""
    return db.session.scalar(select(Certificate).where(Certificate.enrollment_id == enrollment_id)
                             .order_by(Certificate.sequence.desc()).limit(1))


def issue_certificate_if_complete(enrollment, actor=None):
    """Issue the enrollment's certificate once it is complete; a repeated or concurrent call
    returns the certificate already issued. Flushes in the caller's transaction."""
    if enrollment.completed_at is None:
        return None
    existing = certificate_for(enrollment.id)
    if existing is not None:
        return existing
    certificate = _new_certificate(enrollment, sequence=1)
    try:
        with db.session.begin_nested():
            db.session.add(certificate)
    except IntegrityError:
        # A concurrent completion issued it first (unique enrollment + sequence): use theirs.
        return certificate_for(enrollment.id)
    audit.record("certificate.issued", actor=actor, target=f"certificate:{certificate.code}",
                 enrollment_id=enrollment.id)
    return certificate


def _new_certificate(enrollment, sequence, learner_name=None):
    user = db.session.get(User, enrollment.user_id)
    curriculum = db.session.get(Curriculum, enrollment.curriculum_id)
    cohort_name, trainer_names = _delivery_of(enrollment)
    return Certificate(
        cohort_name=cohort_name, trainer_names=trainer_names, code=_unused_code(), enrollment_id=enrollment.id,
        sequence=sequence, user_id=user.id,
        curriculum_id=curriculum.id, learner_name=learner_name or user.name, curriculum_title=curriculum.title,
        curriculum_version=curriculum.version, track=enrollment.track, credit_hours=curriculum.credit_hours,
        completed_at=enrollment.completed_at,
        issued_at=utcnow(),
    )


def _delivery_of(enrollment):
    """(cohort name, trainer names) when the enrollment was delivered through a cohort."""
    if enrollment.cohort_id is None:
        return None, None
    cohort = db.session.get(Cohort, enrollment.cohort_id)
    trainers = db.session.scalars(select(User.name).join(CohortTrainer, CohortTrainer.user_id == User.id)
                                  .where(CohortTrainer.cohort_id == cohort.id).order_by(User.name)).all()
    return cohort.name, (", ".join(trainers)[:255] or None)


def _unused_code():
    for _ in range(MAX_CODE_TRIES):
        code = new_code()
        if db.session.scalar(select(Certificate.id).where(Certificate.code == code)) is None:
            return code
    raise InvalidState("Could not allocate a certificate code; please try again.")


def revoke_certificate(certificate, reason, actor, note=""):
    """Mark a certificate revoked (the record stays, and the public page says so). Audited."""
    if certificate.is_revoked:
        raise InvalidState("This certificate is already revoked.")
    try:
        reason = RevocationReason(reason)
    except ValueError:
        raise DomainError("Choose a reason for the revocation.") from None
    certificate.revoked_at = utcnow()
    certificate.revocation_reason = reason.value
    certificate.revocation_note = (note or "").strip()[:500]
    certificate.revoked_by_id = actor.id
    audit.record("certificate.revoked", actor=actor, target=f"certificate:{certificate.code}",
                 reason=reason.value, note=certificate.revocation_note)
    db.session.flush()
    return certificate


def reissue_certificate(certificate, corrected_name, actor):
    """Issue a corrected certificate and revoke the old one as superseded. Audited."""
    corrected_name = (corrected_name or "").strip()
    if not corrected_name:
        raise DomainError("Enter the name as it should appear on the certificate.")
    if certificate.is_revoked:
        raise InvalidState("A revoked certificate cannot be reissued; reissue the current one.")
    enrollment = db.session.get(Enrollment, certificate.enrollment_id)
    next_sequence = (db.session.scalar(select(func.max(Certificate.sequence))
                                       .where(Certificate.enrollment_id == enrollment.id)) or 0) + 1
    replacement = _new_certificate(enrollment, next_sequence, learner_name=corrected_name)
    db.session.add(replacement)
    db.session.flush()
    revoke_certificate(certificate, RevocationReason.SUPERSEDED, actor, note=f"Replaced by {replacement.display_code}")
    user = db.session.get(User, enrollment.user_id)
    user.name = corrected_name
    audit.record("certificate.reissued", actor=actor, target=f"certificate:{replacement.code}",
                 replaces=certificate.code)
    db.session.flush()
    return replacement


def issue_missing_certificates(actor=None):
    """Issue certificates for completed enrollments that have none; returns the certificates issued."""
    missing = db.session.scalars(
        select(Enrollment).where(Enrollment.completed_at.is_not(None),
                                 ~select(Certificate.id).where(Certificate.enrollment_id == Enrollment.id).exists())
        .order_by(Enrollment.id)).all()
    return [issue_certificate_if_complete(enrollment, actor) for enrollment in missing]
