"""Certificate reads."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from lms.certificates.codes import normalize_code
from lms.certificates.models import Certificate
from lms.core.text import search_key
from lms.extensions import db

SEARCH_LIMIT = 50


def certificate_by_code(text):
    code = normalize_code(text)
    if code is None:
        return None
    return db.session.scalar(select(Certificate).where(Certificate.code == code))


def certificates_of(user_id):
    return db.session.scalars(select(Certificate).where(Certificate.user_id == user_id)
                              .order_by(Certificate.issued_at.desc())).all()


def current_certificates_by_enrollment(enrollment_ids):
    """{enrollment id: its latest certificate} in one query."""
    if not enrollment_ids:
        return {}
    latest = (select(Certificate.enrollment_id, func.max(Certificate.sequence).label("sequence"))
              .where(Certificate.enrollment_id.in_(enrollment_ids)).group_by(Certificate.enrollment_id).subquery())
    rows = db.session.scalars(select(Certificate).join(
        latest, (Certificate.enrollment_id == latest.c.enrollment_id) & (Certificate.sequence == latest.c.sequence)))
    return {certificate.enrollment_id: certificate for certificate in rows}


@dataclass(frozen=True)
class CertificateSummary:
    """What a learner's page shows of a certificate: its code and whether it still stands."""

    display_code: str
    issued_at: datetime
    revoked_at: datetime | None
    revocation_label: str

    @property
    def is_revoked(self):
        return self.revoked_at is not None

    @property
    def status(self):
        return "revoked" if self.is_revoked else "valid"


def certificate_summaries_by_enrollment(enrollment_ids):
    """{enrollment id: summary of its latest certificate, revoked or not} in one query."""
    return {enrollment_id: CertificateSummary(certificate.display_code, certificate.issued_at,
                                              certificate.revoked_at, certificate.revocation_label)
            for enrollment_id, certificate in current_certificates_by_enrollment(enrollment_ids).items()}


def search_certificates(text):
    """Certificates whose code or learner name matches `text`, newest first."""
    query = select(Certificate).order_by(Certificate.issued_at.desc()).limit(SEARCH_LIMIT)
    text = (text or "").strip()
    if text:
        code = normalize_code(text)
        conditions = [Certificate.learner_name_key.contains(search_key(text), autoescape=True)]
        if code:
            conditions.append(Certificate.code == code)
        query = query.where(or_(*conditions))
    return db.session.scalars(query).all()


def revoked_status_indexes():
    """(ids of revoked certificates, highest certificate id) for the status list, in one query."""
    revoked = db.session.scalars(select(Certificate.id).where(Certificate.revoked_at.is_not(None))).all()
    highest = db.session.scalar(select(func.max(Certificate.id))) or 0
    return revoked, highest


def replacement_of(certificate):
    """The valid certificate that now stands for a revoked one's enrollment (its reissue), if any."""
    if not certificate.is_revoked:
        return None
    current = current_certificates_by_enrollment([certificate.enrollment_id]).get(certificate.enrollment_id)
    return current if current is not None and not current.is_revoked else None
